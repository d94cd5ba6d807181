"""Every row of the outcome table in portal/README.md reached through the browser: success with
exact plans after log-in (placeholders before), Zero KM, previous broker, manual quote, moto,
unknown and invalid plate, and the CPF-mismatch modal."""

from __future__ import annotations

import re

from portal_driver import CONTINUAR, OPS, TITULO_RESULTADO, login, walk

NBSP = "\u00a0"


def plan_texts(page):
    """Text of the recommended and the alternative card, lines joined by |."""
    out = []
    for sel in ["div.md\\:w-80.border-4.border-primary", "div.md\\:w-80.border-4:not(.border-primary)"]:
        card = page.locator(f"div.grid-cols-\\[250px_1fr_1fr\\] > {sel}")
        assert card.count() == 1
        out.append(card.evaluate("c => [...c.querySelectorAll('p')].map(p => p.textContent).join('|')"))
    return out


def icons(page, recommended: bool):
    sel = "div.md\\:w-80.border-4.border-primary" if recommended else "div.md\\:w-80.border-4:not(.border-primary)"
    return page.eval_on_selector(sel, "c => [...c.querySelectorAll('img')].map(i => i.getAttribute('src'))")


def test_success_placeholders_until_login_then_exact_plans(page, portal):
    assert walk(page, portal, placa="ABC1D23") == "resultado"
    assert page.locator("text=Confira abaixo os melhores planos elaborados exclusivamente para você").is_visible()
    page.wait_for_selector("#emailTelaLogin", state="visible")
    assert page.locator("text=Acesse sua conta para visualizar o resultado final").is_visible()
    rec, alt = plan_texts(page)
    assert rec.startswith("Plano recomendado|R$100,00|anual|") and alt.startswith("Plano alternativo|R$100,00|anual|")
    assert "3.889,94" not in rec + alt and f"R${NBSP}100,00" in rec
    assert len(re.findall("100,00", rec)) == 6  # premium, franquia and the four coverages
    login(page)
    page.wait_for_selector("#emailTelaLogin", state="hidden")
    page.wait_for_function("() => !document.querySelector('#gradeResultado').textContent.includes('100,00')")
    rec, alt = plan_texts(page)
    assert rec.split("|") == [
        "Plano recomendado",
        "R$3.889,94",
        "anual",
        "Crédito em até 12x sem juros!",
        f"R${NBSP}3.091,66",
        "Reduzida",
        "100% da tabela FIPE",
        "",
        "",
        "",
        f"R${NBSP}50.000,00",
        f"R${NBSP}50.000,00",
        f"R${NBSP}10.000,00",
        f"R${NBSP}0,00",
        "Contratar",
    ]
    assert alt.split("|") == [
        "Plano alternativo",
        "R$3.930,75",
        "anual",
        "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56",
        f"R${NBSP}3.455,80",
        "Reduzida",
        "100% da tabela FIPE",
        "",
        "",
        "",
        f"R${NBSP}50.000,00",
        f"R${NBSP}50.000,00",
        f"R${NBSP}10.000,00",
        f"R${NBSP}5.000,00",
        "Contratar",
    ]
    assert icons(page, True) == ["/icone-ok.svg", "/icone-nok.svg", "/icone-nok.svg"]
    assert icons(page, False) == ["/icone-ok.svg", "/icone-ok.svg", "/icone-ok.svg"]


def test_zero_km_screen_for_its_plate(page, portal):
    assert walk(page, portal, placa="BRA2E19", until="zerokm") == "zerokm"
    assert page.locator("text=Seu veículo é zero quilômetro?").is_visible()
    assert page.locator("#zerokmTelaZeroKm").count() == 2  # label + radiogroup share the id
    assert page.locator("div[role=radiogroup]#zerokmTelaZeroKm input[name=zerokmTelaZeroKm]").count() == 2
    assert page.is_checked("input[name=zerokmTelaZeroKm][value='Não']")
    page.check("input[name=zerokmTelaZeroKm][value='Sim']")
    page.click(CONTINUAR["zerokm"])
    page.wait_for_selector(CONTINUAR["itens"])


def test_no_zero_km_screen_for_abc1d23(page, portal):
    seen = []
    walk(page, portal, placa="ABC1D23", until="itens", on_screen=seen.append)
    assert "zerokm" not in seen


def test_previous_broker_screen_then_searching_broker(start_portal, page):
    p = start_portal("--delay-scale", "0.1")  # COR4B56's calculation: 69,6 s × 0,1 = 7 s on screen
    assert walk(page, p, placa="COR4B56", until="corretor") == "corretor"
    box = page.locator("#corretorAnteriorTelaCorretorAnterior")
    assert (
        page.locator(
            "#corretorAnteriorTelaCorretorAnterior .cursor-pointer:nth-child(1) > .border .font-workSans"
        ).inner_text()
        == "Sim, continuar com meu corretor"
    )
    assert (
        page.locator(
            "#corretorAnteriorTelaCorretorAnterior .cursor-pointer:nth-child(2) > .border .font-workSans"
        ).inner_text()
        == "Não, quero outro corretor"
    )
    assert box.locator("input[type=radio][value=sim]").is_checked()
    page.locator("#corretorAnteriorTelaCorretorAnterior .cursor-pointer:nth-child(2) > .border .font-workSans").click()
    assert box.locator("input[type=radio][value=nao]").is_checked()
    page.click(CONTINUAR["corretor"])
    page.wait_for_selector("text=Por favor, aguarde. Estamos buscando o corretor ideal para você!")
    page.locator(f"text={TITULO_RESULTADO}").wait_for(timeout=60_000)


def test_manual_quote_page(page, portal):
    assert walk(page, portal, placa="MAN1A23") == "manual"
    first = page.locator("p.text-center.text-base").first
    assert first.inner_text() == OPS
    assert page.locator(f"text={TITULO_RESULTADO}").count() == 0
    assert not page.locator("#emailTelaLogin").is_visible()


def test_moto(page, portal):
    assert walk(page, portal, placa="MOT1A23", tipo="moto", until="itens") == "itens"
    assert page.inner_text("#tituloSeguro") == "Seguro de Moto"
    assert page.locator("#outrosTelaItens input[value='Kit Gás']").count() == 0
    assert page.locator("#outrosTelaItens input[value=Blindado]").count() == 1
    page.goto("about:blank")
    walk(page, portal, placa="MOT1A23", tipo="moto", until="confirmacao")
    assert page.locator("text=O veículo CG 160 2021/2021 corresponde a placa MOT-1A23?").is_visible()
    page.goto("about:blank")
    assert walk(page, portal, placa="MOT1A23", tipo="moto") == "resultado"


def test_moto_plate_question(page, portal):
    walk(page, portal, tipo="moto", until="placa")
    assert page.locator("text=Qual é a placa da moto?").is_visible()


def test_unknown_plate_is_rejected_on_screen_2(page, portal):
    walk(page, portal, until="placa")
    page.fill("#placaTelaDadosPlaca", "ZZZ1A23")
    page.click(CONTINUAR["placa"])
    page.wait_for_selector("#placaTelaDadosPlaca-helper-text.Mui-error:has-text('Placa não encontrada')")
    assert page.locator(CONTINUAR["confirmacao"]).count() == 0
    assert page.locator("#placaTelaDadosPlaca").is_visible()


def test_cpf_mismatch_modal_then_keep_login(page, portal):
    pessoa = {"cpf": "11144477735"}
    assert walk(page, portal, placa="ABC1D23", pessoa=pessoa) == "resultado"
    login(page)
    page.wait_for_selector("text=CPF informado não corresponde à conta")
    assert "100,00" in plan_texts(page)[0]  # values only after the choice
    assert page.locator("#logarComOutraContaModalAssociarUsuario").is_visible()
    page.click("#manterLoginAtualModalAssociarUsuario")
    page.wait_for_selector("text=CPF informado não corresponde à conta", state="detached")
    assert "R$3.889,94" in plan_texts(page)[0]


def test_cpf_mismatch_other_account_reopens_login(page, portal):
    walk(page, portal, placa="ABC1D23", pessoa={"cpf": "11144477735"})
    login(page)
    page.click("#logarComOutraContaModalAssociarUsuario")
    page.wait_for_selector("#emailTelaLogin", state="visible")
    assert "100,00" in plan_texts(page)[0]


def test_no_mismatch_modal_for_other_cpf(page, portal):
    walk(page, portal, placa="QWE1234")
    login(page)
    page.wait_for_function("() => !document.querySelector('#gradeResultado').textContent.includes('100,00')")
    assert page.locator("text=CPF informado não corresponde à conta").count() == 0
