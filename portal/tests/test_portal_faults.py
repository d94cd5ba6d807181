"""Injected faults: HTTP 500 on each lookup (real HTTP status and a visible alert), a screen
without its Continuar, a slow screen, a refused log-in and a custom broker account."""

from __future__ import annotations

import json
import time

import pytest
from portal_driver import CONTINUAR, login, walk

ALERT = "div.MuiAlert-root.MuiAlert-standardError[role=alert]"


def test_http500_on_plate_lookup(start_portal, page):
    p = start_portal("--delay-scale", "0", "--fault", "2:http500")
    r = p.get("/api/veiculo?placa=ABC1D23")
    assert r.status == 500 and r.body == {"erro": "Erro interno do servidor. Tente novamente mais tarde."}
    walk(page, p, until="placa")
    page.fill("#placaTelaDadosPlaca", "ABC1D23")
    page.click(CONTINUAR["placa"])
    page.wait_for_selector(f"{ALERT}:has-text('Não foi possível consultar a placa agora')")
    assert page.locator(CONTINUAR["confirmacao"]).count() == 0


def test_http500_on_estimate(start_portal, page):
    p = start_portal("--delay-scale", "0", "--fault", "5:http500")
    assert p.get("/api/estimativa?placa=ABC1D23").status == 500
    walk(page, p, until="renovacao")
    page.click(CONTINUAR["renovacao"])
    page.wait_for_selector(f"{ALERT}:has-text('Não foi possível carregar a estimativa agora')")
    assert page.locator("div[role=group][aria-roledescription=slide]").count() == 0


def test_http500_on_cep(start_portal, page):
    p = start_portal("--delay-scale", "0", "--fault", "7:http500")
    assert p.get("/api/endereco?cep=01310100").status == 500
    walk(page, p, until="pernoite")
    page.fill("#enderecoTelaEndereco", "01310-100")
    page.wait_for_selector(f"{ALERT}:has-text('Não foi possível buscar o endereço agora')")
    assert page.locator("#enderecoTelaEndereco-option-0").count() == 0


def test_http500_on_calculation(start_portal, page):
    p = start_portal("--delay-scale", "0", "--fault", "15:http500")
    assert p.post("/api/calculo", {"placa": "ABC1D23"}).status == 500
    walk(page, p, until="residentes")
    page.click(CONTINUAR["residentes"])
    page.wait_for_selector(f"{ALERT}:has-text('Não foi possível realizar o cálculo agora')")
    assert page.locator("text=Tempo estimado em").count() == 0
    assert page.locator("text=Parabéns").count() == 0


@pytest.mark.parametrize("screen, name", [("4", "renovacao"), ("6", "itens"), ("13", "residentes")])
def test_screen_without_continuar(start_portal, page, screen, name):
    p = start_portal("--delay-scale", "0", "--fault", f"{screen}:sem-continuar")
    prev = {"4": "confirmacao", "6": "estimativa", "13": "garagem"}[screen]
    group = {"4": "jaSeguradoTelaRenovacao", "6": "tipoCombustivelTelaItens", "13": "usoDependenteTelaUsoResidentes"}[
        screen
    ]
    walk(page, p, until=prev)
    page.click(CONTINUAR[prev])
    page.wait_for_selector(f"div[role=radiogroup]#{group}")
    assert page.locator(CONTINUAR[name]).count() == 0
    assert page.locator("button[type=button]:has-text('Voltar')").is_visible()


def test_sem_continuar_on_zero_km(start_portal, page):
    p = start_portal("--delay-scale", "0", "--fault", "zerokm:sem-continuar")
    walk(page, p, placa="BRA2E19", until="estimativa")
    page.click(CONTINUAR["estimativa"])
    page.wait_for_selector("input[name=zerokmTelaZeroKm]")
    assert page.locator(CONTINUAR["zerokm"]).count() == 0


def test_slow_screen(start_portal, page):
    p = start_portal("--delay-scale", "0", "--fault", "3:slow:5")
    walk(page, p, until="placa")
    config = json.loads(page.evaluate("document.getElementById('sim-config').textContent"))
    assert config["falhas"] == {"3": {"tipo": "slow", "segundos": 5.0}}
    page.fill("#placaTelaDadosPlaca", "ABC1D23")
    started = time.monotonic()
    page.click(CONTINUAR["placa"])
    page.wait_for_selector("[role=progressbar]", state="visible")
    assert page.locator(CONTINUAR["confirmacao"]).count() == 0
    page.wait_for_selector(CONTINUAR["confirmacao"], timeout=30_000)
    assert time.monotonic() - started >= 5.0
    assert not page.locator("[role=progressbar]").is_visible()


def test_login_refused(start_portal, page):
    p = start_portal("--delay-scale", "0", "--login-recusado")
    assert p.post("/api/login", {"email": "corretor@example.com", "senha": "senha-de-teste"}).status == 401
    walk(page, p, placa="ABC1D23")
    login(page)
    page.wait_for_selector("#senhaTelaLogin-helper-text.Mui-error:has-text('E-mail ou senha inválidos.')")
    assert page.locator("#emailTelaLogin").is_visible()
    assert "100,00" in page.inner_text("#gradeResultado")


def test_custom_account(start_portal, page):
    p = start_portal("--delay-scale", "0", "--email", "outro.corretor@example.com", "--senha", "outra-senha")
    assert p.post("/api/login", {"email": "corretor@example.com", "senha": "senha-de-teste"}).status == 401
    walk(page, p, placa="ABC1D23")
    login(page, "outro.corretor@example.com", "outra-senha")
    page.wait_for_selector("#emailTelaLogin", state="hidden")
    page.wait_for_function("() => document.querySelector('#gradeResultado').textContent.includes('3.889,94')")
