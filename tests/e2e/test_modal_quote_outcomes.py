"""A visitor fills the demo form and watches a real quote: the steps advancing, the initial
estimate and both final plans with the simulated portal's exact values, the manual-quote ending
(with when the broker calls) and a plate the portal does not know (correct it, or talk to a
broker)."""

from __future__ import annotations

import json
from urllib.parse import unquote

from contract_files import VOCABULARY
from modal_expected import ESTIMATE_ABC1D23, PLANS_ABC1D23, PLATE_MANUAL, PLATE_NOT_FOUND, PLATE_SUCCESS
from modal_visitor import (
    active_id,
    estimate_values,
    fill_form,
    norm,
    person,
    plan_values,
    session_id,
    submit_quote,
    wait_final,
    wait_state,
)

PERSONAL_MARKERS = ("FULANO", "fulano@example.com", "987654321", "98765-4321")


def test_full_quote_shows_steps_estimate_and_both_plans(slow_service, new_page, artifacts):
    page = new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(slow_service.demo_url + "?gclid=TESTE-GCLID&utm_source=google&utm_campaign=auto")
    visitor = person(placa=PLATE_SUCCESS)
    fill_form(page, visitor)
    assert page.input_value("#CPF") == f"{visitor.cpf[:3]}.{visitor.cpf[3:6]}.{visitor.cpf[6:9]}-{visitor.cpf[9:]}"
    assert page.input_value("#PLACA") == "ABC-1D23"
    assert page.input_value("#CELULAR") == "98765-4321"
    page.screenshot(path=str(artifacts / "01-form.png"), full_page=True)

    page.click("#submit_button_auto")
    wait_state(page, "watching", 60_000)
    page.wait_for_selector('.rpa-step[aria-current="step"]', timeout=60_000)
    dialog = page.locator('[role="dialog"]')
    assert dialog.get_attribute("aria-modal") == "true"
    assert page.locator("#rpa-title").inner_text() == "Calculando seu seguro"
    page.screenshot(path=str(artifacts / "02-progress.png"))

    # Screen 8 is slow on this portal: the estimate of screen 5 is on screen while the quote runs.
    page.wait_for_selector(".rpa-estimate:not([hidden])", timeout=180_000)
    assert page.locator(".rpa-dialog").get_attribute("data-state") == "watching"
    current = int(page.locator('.rpa-step[aria-current="step"]').get_attribute("data-step"))
    assert current >= 5
    assert page.locator(".rpa-step-done").count() == current - 1
    assert [tuple(map(norm, row)) for row in estimate_values(page)] == ESTIMATE_ABC1D23
    assert "De R$" in norm(page.locator(".rpa-estimate").inner_text())
    page.screenshot(path=str(artifacts / "03-estimate.png"))

    assert wait_final(page) == "success"
    assert page.locator("#rpa-title").inner_text() == "Sua cotação está pronta"
    for kind in ("recomendado", "alternativo"):
        shown = {k: norm(v) for k, v in plan_values(page, kind).items()}
        assert shown == PLANS_ABC1D23[kind], kind
    # The step names and the plan rows (with their labels) are the contract's vocabulary.
    assert page.locator(".rpa-step-name").all_inner_texts() == [
        f"{e['etapa']}. {e['nome']}" for e in VOCABULARY["etapas"]
    ]
    rows = page.locator(".rpa-compare-body [role=row]")
    assert [(r.get_attribute("data-linha"), norm(r.locator(".rpa-clabel-text").inner_text())) for r in rows.all()] == [
        (r["campo"], r["rotulo"]) for r in VOCABULARY["linhas_plano"]
    ]
    page.screenshot(path=str(artifacts / "04-plans.png"))

    # What the visitor saw, in order: the steps only moved forward, and the robot was seen on
    # its way to both slow screens (3 and 8: the step before them or the screen itself).
    steps = page.evaluate("window.__rpaSteps")
    assert steps == sorted(steps), steps
    assert {2, 3} & set(steps) and {7, 8} & set(steps), steps
    assert page.locator(".rpa-progress").is_hidden(), "the result replaces the wait"
    live = page.evaluate("window.__rpaLive")
    assert any(t.startswith("Etapa ") for t in live) and live[-1].startswith("Cálculo concluído"), live
    assert any(t.startswith("A estimativa inicial chegou: Compreensiva de R$") for t in live), live

    # GTM events, none with personal data; no personal data in any URL the page asked for.
    layer = page.evaluate("window.dataLayer")
    assert [e["event"] for e in layer] == ["rpa_start", "rpa_estimate", "rpa_success"]
    blob = json.dumps(layer) + " ".join(urls)
    for marker in (visitor.cpf, *PERSONAL_MARKERS):
        assert marker not in blob

    # The lead's tracking fields reached the service with the quote.
    sid = session_id(page)
    progress = slow_service.progress(sid)
    assert progress["status"] == "success"
    assert progress["resultados_finais"]["rpa_finalizado"] is True
    [(lead_json,)] = slow_service.query("SELECT lead_json FROM jobs WHERE session_id = ?", (sid,))
    lead = json.loads(lead_json)
    assert lead["gclid"] == "TESTE-GCLID"
    assert lead["utm_source"] == "google" and lead["utm_campaign"] == "auto"
    assert lead["landing_url"].endswith("/static/demo.html")


CALLBACK = "vai calcular e ligar para você em até 2 horas úteis"


def test_manual_quote_says_when_the_broker_calls_and_offers_whatsapp(service, new_page, artifacts):
    page = new_page()
    submit_quote(page, service.demo_url, person(placa=PLATE_MANUAL))
    assert wait_final(page) == "manual"
    outcome = norm(page.locator(".rpa-outcome").inner_text())
    assert "a seguradora pede um cálculo feito por uma pessoa" in outcome
    assert CALLBACK in outcome
    whatsapp = page.locator('.rpa-contact [data-action="whatsapp"]')
    assert norm(whatsapp.inner_text()) == "Falar com um corretor"
    assert whatsapp.get_attribute("href").startswith("https://wa.me/5511900000000?text=")
    assert page.locator(".rpa-plans").is_hidden()
    assert page.locator(".rpa-progress").is_hidden()
    layer = [e["event"] for e in page.evaluate("window.dataLayer")]
    assert layer[0] == "rpa_start" and layer[-1] == "rpa_manual" and "rpa_success" not in layer
    page.screenshot(path=str(artifacts / "05-manual.png"))
    progress = service.progress(session_id(page))
    assert progress["erros"][-1]["tipo"] == "cotacao_manual"


def test_unknown_plate_says_the_vehicle_was_not_found_and_offers_both_ways(service, new_page, artifacts):
    page = new_page()
    submit_quote(page, service.demo_url, person(placa=PLATE_NOT_FOUND))
    assert wait_final(page) == "rejected"
    assert norm(page.locator("#rpa-title").inner_text()) == "Não encontramos o seu veículo"
    outcome = page.locator(".rpa-outcome")
    assert outcome.get_attribute("data-campo") == "placa"
    assert "A seguradora não encontrou um veículo com esta placa" in norm(outcome.inner_text())
    fix = page.locator('[data-action="fix"]')
    assert norm(fix.inner_text()) == "Corrigir a placa"
    talk = page.locator('.rpa-contact [data-action="whatsapp"]')
    assert norm(talk.inner_text()) == "Falar com um corretor"
    assert "a placa não foi encontrada" in unquote(talk.get_attribute("href"))
    page.screenshot(path=str(artifacts / "06-vehicle-not-found.png"))
    fix.click()
    assert page.locator(".rpa-overlay").is_hidden()
    assert active_id(page) == "PLACA"
    assert page.locator("#PLACA").get_attribute("aria-invalid") == "true"
    assert "Veículo não encontrado" in page.locator("#rpa-error-PLACA").inner_text()
    tipo = service.progress(session_id(page))["erros"][-1]["tipo"]
    assert tipo == "rejeitado_placa"
