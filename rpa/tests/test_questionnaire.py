"""Every questionnaire answer of contract §2 reaches the portal: the screen units run in-process
against the simulated portal, and the form's state is recorded just before each Continuar click
(checked radios/checkboxes by name, or by their group's id, field values by id), so what the
portal received is asserted, including the branches the old robot never did."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from cotacao import flow
from cotacao.browser import open_page
from cotacao.config import load_settings
from cotacao.inputs import parse_input
from cotacao.screens.base import Run, Screen
from cotacao.tracker import Tracker
from robot_harness import BROKER_EMAIL, BROKER_SENHA, quote_input

FORM_STATE_JS = """() => {
  const out = {};
  for (const i of document.querySelectorAll('#conteudo input')) {
    if (i.type === 'radio' || i.type === 'checkbox') {
      // A box without a name (the real screen 6) counts under the id of its group.
      const key = i.name || (i.parentElement.closest('[id]') || {}).id;
      if (i.checked) (out[key] = out[key] || []).push(i.value);
    } else if (i.id) out[i.id] = i.value;
    else if (i.name) out['@' + i.name] = i.value;
  }
  return out;
}"""


def walk_recording(portal_url: str, doc: dict, tmp_path) -> tuple[dict, dict]:
    """Runs the whole flow; returns ({continue button id: form state}, plans)."""
    recorded: dict = {}
    original = Screen.click_continue

    async def recording(page, button_id):
        recorded[button_id] = await page.evaluate(FORM_STATE_JS)
        await original(page, button_id)

    async def main():
        settings = load_settings(
            {
                "RPA_PORTAL_URL": portal_url,
                "RPA_PORTAL_EMAIL": BROKER_EMAIL,
                "RPA_PORTAL_SENHA": BROKER_SENHA,
                "RPA_TIMEOUT_TELA_S": "20",
            }
        )
        tracker = Tracker(tmp_path, "q")
        tracker.start("Iniciando")
        async with open_page(settings) as page:
            r = Run(page, parse_input(doc), settings.timeouts, tracker, settings.portal_url, settings.credentials)
            return await flow.walk(r)

    Screen.click_continue = staticmethod(recording)
    try:
        # A thread of its own: another suite's sync Playwright may own this thread's loop.
        with ThreadPoolExecutor(1) as pool:
            plans = pool.submit(asyncio.run, main()).result(timeout=180)
    finally:
        Screen.click_continue = staticmethod(original)
    return recorded, plans


def test_every_non_default_answer(portal, tmp_path):
    doc = quote_input(
        placa="BRA2E19",
        zero_km=True,
        combustivel="Álcool",
        kit_gas=True,
        blindado=True,
        financiado=True,
        uso_veiculo="Motorista de aplicativo",
        sexo="Feminino",
        estado_civil="Divorciado",
        condutor_principal=False,
        nome_condutor="BELTRANA DE TAL",
        cpf_condutor="11144477735",
        data_nascimento_condutor="20/07/1992",
        sexo_condutor="Feminino",
        estado_civil_condutor="Viúvo",
        local_de_trabalho=True,
        estacionamento_proprio_local_de_trabalho=True,
        local_de_estudo=True,
        estacionamento_proprio_local_de_estudo=False,
        garagem_residencia=True,
        portao_eletronico="Manual",
        reside_18_26="Sim e utilizam o veículo",
        sexo_do_menor="Ambos",
        faixa_etaria_menor_mais_novo="25 anos",
    )
    s, plans = walk_recording(portal.url, doc, tmp_path)
    assert plans == portal.expected_plans("BRA2E19")
    assert s["gtm-telaDadosAutoCotarComPlacaContinuar"]["placaTelaDadosPlaca"] == "BRA-2E19"
    assert s["gtm-telaInfosAutoContinuar"]["confirmarVeiculoTelaInformacoesVeiculo"] == ["Sim"]
    assert s["gtm-telaRenovacaoVeiculoContinuar"]["jaSeguradoTelaRenovacao"] == ["nao"]
    assert s["gtm-telaZeroKmContinuar"]["zerokmTelaZeroKm"] == ["Sim"]
    itens = s["gtm-telaItensAutoContinuar"]
    assert itens["tipoCombustivelTelaItens"] == ["3"]
    assert itens["outrosTelaItens"] == ["Kit Gás", "Blindado", "Financiado"]
    assert s["gtm-telaPernoiteVeiculoContinuar"]["enderecoTelaEndereco"].startswith("Avenida Paulista")
    assert s["gtm-telaUsoVeiculoContinuar"]["finalidadeVeiculoTelaUsoVeiculo"] == ["Motorista de App"]
    seg = s["gtm-telaDadosSeguradoContinuar"]
    assert (seg["nomeTelaSegurado"], seg["cpfTelaSegurado"], seg["dataNascimentoTelaSegurado"]) == (
        "FULANO DE TAL",
        "529.982.247-25",
        "15/03/1985",
    )
    assert (seg["emailTelaSegurado"], seg["celularTelaSegurado"]) == ("FULANO.TESTE@EXAMPLE.COM", "(11) 98765-4321")
    assert (seg["@sexo"], seg["@estadoCivil"]) == ("feminino", "divorciado")
    cond = s["gtm-telaCondutorPrincipalContinuar"]
    assert cond["condutorPrincipalTelaCondutorPrincipal"] == ["nao"]
    assert (
        cond["nomeTelaCondutorPrincipal"],
        cond["cpfTelaCondutorPrincipal"],
        cond["dataNascimentoTelaCondutorPrincipal"],
    ) == ("BELTRANA DE TAL", "111.444.777-35", "20/07/1992")
    assert (cond["@sexo"], cond["@estadoCivil"]) == ("feminino", "viuvo")
    ativ = s["gtm-telaAtividadeVeiculoContinuar"]
    assert ativ["atividadeVeiculoTelaAtividadeVeiculo"] == ["trabalho", "estudo"]
    assert ativ["estacionamentoTrabalhoTelaAtividadeVeiculo"] == ["sim"]
    assert "estacionamentoEstudoTelaAtividadeVeiculo" not in ativ
    gar = s["gtm-telaGaragemResidenciaContinuar"]
    assert (gar["possuiGaragemTelaGaragemResidencia"], gar["tipoPortaoTelaGaragemResidencia"]) == (["sim"], ["manual"])
    res = s["gtm-telaUsoResidentesContinuar"]
    assert res["usoDependenteTelaUsoResidentes"] == ["sim_utilizam"]
    assert res["sexoDependenteTelaUsoResidentes"] == ["ambos"]
    assert res["faixaEtariaDependenteTelaUsoResidentes"] == ["25"]


def test_other_branches(portal, tmp_path):
    doc = quote_input(
        placa="COR4B56",
        continuar_com_corretor_anterior=False,
        combustivel="Hibrido",
        uso_veiculo="Taxi",
        estado_civil="Uniao Estavel",
        garagem_residencia=False,
        reside_18_26="Sim, mas não utilizam o veículo",
        sexo_do_menor="Masculino",
        faixa_etaria_menor_mais_novo="18 a 24 anos",
        local_de_trabalho=True,
        estacionamento_proprio_local_de_trabalho=False,
    )
    s, plans = walk_recording(portal.url, doc, tmp_path)
    assert plans == portal.expected_plans("COR4B56")
    assert "gtm-telaZeroKmContinuar" not in s  # this plate has no Zero KM question
    assert s["gtm-telaItensAutoContinuar"]["tipoCombustivelTelaItens"] == ["5"]
    assert "outrosTelaItens" not in s["gtm-telaItensAutoContinuar"]
    assert s["gtm-telaUsoVeiculoContinuar"]["finalidadeVeiculoTelaUsoVeiculo"] == ["Taxi"]
    assert s["gtm-telaDadosSeguradoContinuar"]["@estadoCivil"] == "casado"
    assert s["gtm-telaCondutorPrincipalContinuar"]["condutorPrincipalTelaCondutorPrincipal"] == ["sim"]
    ativ = s["gtm-telaAtividadeVeiculoContinuar"]
    assert ativ["atividadeVeiculoTelaAtividadeVeiculo"] == ["trabalho"]
    assert "estacionamentoTrabalhoTelaAtividadeVeiculo" not in ativ
    assert s["gtm-telaGaragemResidenciaContinuar"]["possuiGaragemTelaGaragemResidencia"] == ["nao"]
    res = s["gtm-telaUsoResidentesContinuar"]
    assert (
        res["usoDependenteTelaUsoResidentes"],
        res["sexoDependenteTelaUsoResidentes"],
        res["faixaEtariaDependenteTelaUsoResidentes"],
    ) == (["sim_nao_utilizam"], ["masculino"], ["18_24"])
    assert s["gtm-telaCorretorAnteriorContinuar"]["corretorAnteriorTelaCorretorAnterior"] == ["nao"]


@pytest.mark.parametrize("fuel,value", [("Flex", "1"), ("Gasolina", "2"), ("Diesel", "4"), ("Elétrico", "6")])
def test_fuel_values_on_a_motorcycle(portal, tmp_path, fuel, value):
    doc = quote_input(tipo_veiculo="moto", placa="MOT1A23", combustivel=fuel, kit_gas=True, uso_veiculo="Profissional")
    s, plans = walk_recording(portal.url, doc, tmp_path)
    assert plans == portal.expected_plans("MOT1A23", "moto")
    assert s["gtm-telaItensAutoContinuar"]["tipoCombustivelTelaItens"] == [value]
    assert "outrosTelaItens" not in s["gtm-telaItensAutoContinuar"]  # a motorcycle has no Kit Gás
    assert s["gtm-telaUsoVeiculoContinuar"]["finalidadeVeiculoTelaUsoVeiculo"] == ["Profissional"]
