"""The portal's HTTP side: start-up line and option errors, pages at `/` and at the tenant path,
the JSON lookups' determinism and documented values, placeholders until log-in, and errors."""

from __future__ import annotations

import subprocess

import pytest
from sim_portal_process import BINARY

ABC1D23_ESTIMATE = [("Compreensiva", 2300, 2900), ("Roubo e Furto", 1800, 2300), ("RCF", 900, 1700)]
ABC1D23_PLANS = {
    "plano_recomendado": {
        "plano": "Plano recomendado",
        "valor": "3.889,94",
        "forma_pagamento": "Crédito em até 12x sem juros!",
        "valor_franquia": "R$ 3.091,66",
        "tipo_franquia": "Reduzida",
        "valor_mercado": "100% da tabela FIPE",
        "assistencia": True,
        "vidros": False,
        "carro_reserva": False,
        "danos_materiais": "R$ 50.000,00",
        "danos_corporais": "R$ 50.000,00",
        "danos_morais": "R$ 10.000,00",
        "morte_invalidez": "R$ 0,00",
    },
    "plano_alternativo": {
        "plano": "Plano alternativo",
        "valor": "3.930,75",
        "forma_pagamento": "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56",
        "valor_franquia": "R$ 3.455,80",
        "tipo_franquia": "Reduzida",
        "valor_mercado": "100% da tabela FIPE",
        "assistencia": True,
        "vidros": True,
        "carro_reserva": True,
        "danos_materiais": "R$ 50.000,00",
        "danos_corporais": "R$ 50.000,00",
        "danos_morais": "R$ 10.000,00",
        "morte_invalidez": "R$ 5.000,00",
    },
}


def token(portal) -> str:
    r = portal.post("/api/login", {"email": "corretor@example.com", "senha": "senha-de-teste"})
    assert r.status == 200
    return r.body["token"]


def calculate(portal, placa="ABC1D23", cpf="52998224725", tipo="carro") -> str:
    r = portal.post("/api/calculo", {"placa": placa, "tipo": tipo, "cpf": cpf})
    assert r.status == 201, r.body
    return r.body["id"]


def test_serves_the_app_at_root_and_tenant_path(portal):
    for path in ["/", "/imediatosolucoes", "/imediatosolucoes/"]:
        r = portal.get(path)
        assert r.status == 200
        assert 'id="navbar"' in r.body and 'id="sim-config"' in r.body
        assert "<title>Tô Segurado - Simulador de Seguro Auto</title>" in r.body
    for asset, kind in [
        ("/icone-ok.svg", "image/svg+xml"),
        ("/icone-nok.svg", "image/svg+xml"),
        ("/insurance-icons/car.svg", "image/svg+xml"),
        ("/fechar.svg", "image/svg+xml"),
        ("/_next/static/chunks/app/kit.js", "javascript"),
        ("/_next/static/chunks/app/estimate.js", "javascript"),
        ("/_next/static/chunks/app/result.js", "javascript"),
        ("/_next/static/chunks/app/portal.js", "javascript"),
    ]:
        r = portal.get(asset)
        assert r.status == 200 and kind in r.headers["content-type"]


def test_unknown_paths_answer_404_in_portuguese(portal):
    r = portal.get("/nada")
    assert r.status == 404 and "Página não encontrada" in r.body
    r = portal.get("/api/nada")
    assert r.status == 404 and r.body == {"erro": "Recurso não encontrado."}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--delay-scale", "-1"], "escala de atraso inválida"),
        (["--fault", "3:http500"], "não consulta o servidor"),
        (["--fault", "99:slow"], "tela desconhecida"),
        (["--fault", "15:sem-continuar"], "não tem botão Continuar"),
        (["--fault", "2:explode"], "tipo de falha desconhecido"),
        (["--fault", "7:slow:abc"], "segundos inválidos"),
        (["--email", " "], "e-mail e senha"),
        (["--variante-resultado", "tabela"], "variante do resultado desconhecida"),
        (["--mudanca-tela", "16"], "tela desconhecida"),
    ],
)
def test_bad_options_are_refused_in_portuguese(args, message):
    r = subprocess.run([str(BINARY), "--port", "0", *args], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert message in r.stderr
    assert "ouvindo" not in r.stdout


def test_vehicle_lookup_is_deterministic_and_documented(portal):
    r = portal.get("/api/veiculo?placa=abc-1d23&tipo=carro")
    assert r.status == 200
    assert r.body == {
        "placa": "ABC1D23",
        "placa_formatada": "ABC-1D23",
        "tipo": "carro",
        "marca": "NISSAN",
        "modelo": "KICKS",
        "ano_fabricacao": 2017,
        "ano_modelo": 2017,
        "perguntar_zero_km": False,
        "corretor_anterior": False,
    }
    assert portal.get("/api/veiculo?placa=ABC1D23").body == r.body
    assert portal.get("/api/veiculo?placa=BRA2E19").body["perguntar_zero_km"] is True
    assert portal.get("/api/veiculo?placa=COR4B56").body["corretor_anterior"] is True
    assert portal.get("/api/veiculo?placa=COR9Z99").body["corretor_anterior"] is True
    moto = portal.get("/api/veiculo?placa=MOT1A23&tipo=moto").body
    assert (moto["tipo"], moto["modelo"], moto["ano_fabricacao"]) == ("moto", "CG 160", 2021)
    r = portal.get("/api/veiculo?placa=ZZZ1A23")
    assert r.status == 404 and r.body["erro"].startswith("Placa não encontrada")
    r = portal.get("/api/veiculo?placa=AB12345")
    assert r.status == 400 and r.body["erro"].startswith("Placa inválida")
    r = portal.get("/api/veiculo?placa=ABC1D23&tipo=barco")
    assert r.status == 400 and "carro ou moto" in r.body["erro"]


def test_estimate_values_and_ranges(portal):
    r = portal.get("/api/estimativa?placa=ABC1D23")
    assert [(c["nome"], c["de"], c["ate"]) for c in r.body["coberturas"]] == ABC1D23_ESTIMATE
    assert r.body["coberturas"][1]["beneficios"] == ["Roubo", "Furto", "Danos parciais em tentativas de roubo."]
    for i in range(40):
        placa = f"TST{i % 10}{'ABCDEFGHIJ'[i // 10 % 10]}{i:02d}"
        a = portal.get(f"/api/estimativa?placa={placa}").body["coberturas"]
        assert a == portal.get(f"/api/estimativa?placa={placa}").body["coberturas"]
        (c, r_, f) = a
        assert 1200 <= c["de"] <= 2600 and 1700 <= c["ate"] <= 3200 and c["de"] % 100 == 0
        assert 1200 <= r_["de"] <= 1900 and 1500 <= r_["ate"] <= 2400
        assert 900 <= f["de"] <= 1300 and 1400 <= f["ate"] <= 1700


def test_address_suggestions(portal):
    r = portal.get("/api/endereco?cep=01310-100")
    assert r.body["sugestoes"] == [
        {"texto": "Avenida Paulista - Bela Vista", "cidade": "São Paulo", "uf": "SP", "cep": "01310-100"}
    ]
    assert portal.get("/api/endereco?cep=00000123").body == {"sugestoes": []}
    derived = portal.get("/api/endereco?cep=13083970").body["sugestoes"]
    assert 1 <= len(derived) <= 3 and derived == portal.get("/api/endereco?cep=13083-970").body["sugestoes"]
    r = portal.get("/api/endereco?cep=123")
    assert r.status == 400 and r.body["erro"].startswith("CEP inválido")


def test_placeholders_until_login_then_exact_plans(portal):
    calc = calculate(portal)
    anonymous = portal.get(f"/api/calculo/{calc}").body
    assert anonymous["estado"] == "concluido" and anonymous["resultado"] == "sucesso"
    assert anonymous["autenticado"] is False
    for plan in anonymous["planos"].values():
        assert plan["valor"] == "100,00"
        for key in ["valor_franquia", "danos_materiais", "danos_corporais", "danos_morais", "morte_invalidez"]:
            assert plan[key] == "R$ 100,00"
    assert "422,56" not in str(anonymous)
    real = portal.get(f"/api/calculo/{calc}", headers={"Authorization": f"Bearer {token(portal)}"}).body
    assert real["autenticado"] is True and real["cpf_divergente"] is False
    assert real["planos"] == ABC1D23_PLANS
    bad = portal.get(f"/api/calculo/{calc}", headers={"Authorization": "Bearer inventado"}).body
    assert bad["autenticado"] is False


def test_login_refuses_wrong_account(portal):
    r = portal.post("/api/login", {"email": "corretor@example.com", "senha": "errada"})
    assert r.status == 401 and r.body == {"erro": "E-mail ou senha inválidos."}
    assert portal.post("/api/login", {"email": "CORRETOR@EXAMPLE.COM", "senha": "senha-de-teste"}).status == 200


def test_cpf_mismatch_and_manual_outcomes(portal):
    t = token(portal)
    auth = {"Authorization": f"Bearer {t}"}
    calc = calculate(portal, cpf="111.444.777-35")
    assert portal.get(f"/api/calculo/{calc}", headers=auth).body["cpf_divergente"] is True
    assert portal.get(f"/api/calculo/{calc}").body["cpf_divergente"] is False
    manual = portal.get(f"/api/calculo/{calculate(portal, placa='MAN1A23')}").body
    assert manual == {"estado": "concluido", "resultado": "cotacao_manual"}
    assert "planos" not in manual
    other = portal.get(f"/api/calculo/{calculate(portal, placa='MAN9Z99')}").body  # any MAN plate
    assert other["resultado"] == "cotacao_manual"


def test_bad_requests_get_portuguese_errors(portal):
    r = portal.request("POST", "/api/login", raw=b"{", headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.body["erro"].startswith("Corpo da requisição inválido")
    r = portal.post("/api/calculo", {"placa": "XX"})
    assert r.status == 400 and r.body["erro"].startswith("Placa inválida")
    r = portal.get("/api/calculo/naoexiste")
    assert r.status == 404 and r.body == {"erro": "Cálculo não encontrado."}
