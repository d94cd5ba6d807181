"""What a visitor sees when the quote cannot start: the service's field errors next to the fields
(and no job created), a network failure with a way to try again, the rate limit, a full queue; and the page's
other Webflow form keeps working."""

from __future__ import annotations

from modal_expected import PLATE_SUCCESS
from modal_visitor import (
    active_id,
    api_requests,
    fill_form,
    norm,
    person,
    session_id,
    start_answer,
    starts,
    submit_quote,
    type_into,
    wait_final,
    wait_state,
)


def test_field_errors_of_the_api_are_shown_next_to_the_fields(service, new_page, artifacts):
    page = new_page()
    page.goto(service.demo_url)
    jobs_before = service.job_count()
    fill_form(page, person(cpf="52998224700", celular="1234"))
    response = start_answer(page)
    assert response.status == 422
    erros = {e["campo"]: e["mensagem"] for e in response.json()["erros"]}
    assert set(erros) >= {"cpf", "telefone"}

    page.wait_for_selector("#rpa-error-CPF")
    assert page.locator(".rpa-overlay").is_hidden()
    assert norm(page.inner_text("#rpa-error-CPF")) == norm(erros["cpf"])
    assert norm(page.inner_text("#rpa-error-CELULAR")) == norm(erros["telefone"])
    assert page.get_attribute("#CPF", "aria-invalid") == "true"
    assert "rpa-error-CPF" in page.get_attribute("#CPF", "aria-describedby")
    assert active_id(page) == "CPF"
    alert = page.locator(".rpa-form-alert[role=alert]")
    assert alert.is_visible()
    assert norm(alert.inner_text()) == "Confira os campos CPF e Celular e envie de novo."
    # Webflow's own handler did not take the quote form: it is still there to be corrected.
    assert page.locator("#wf-form-Cotacao-Seguro-Auto").is_visible()
    assert page.evaluate("window.webflowFormsSubmitted || []") == []
    assert page.input_value("#submit_button_auto") == "CALCULE AGORA!"
    page.screenshot(path=str(artifacts / "07-field-errors.png"), full_page=True)
    assert service.job_count() == jobs_before

    # Correcting a field clears its message; the next submission goes through.
    type_into(page, "#CPF", person().cpf)
    assert page.locator("#rpa-error-CPF").count() == 0
    type_into(page, "#CELULAR", "987654321")
    page.click("#submit_button_auto")
    wait_state(page, "watching", 60_000)
    assert service.job_count() == jobs_before + 1
    service.wait_terminal(session_id(page))


def test_focus_goes_to_the_first_invalid_field_in_page_order_and_the_summary_names_them_all(
    service, new_page, artifacts
):
    """The API lists the CPF before the name; on the page the name comes first, so it gets the
    focus, and the summary names every field in the order the visitor reads them."""
    page = new_page(360, 740)
    page.goto(service.demo_url)
    fill_form(page, person(cpf="52998224700", nome="X", email="fulano@exemplo", celular="1234"))
    response = start_answer(page)
    assert response.status == 422
    api_order = [e["campo"] for e in response.json()["erros"]]
    assert api_order.index("cpf") < api_order.index("nome"), api_order
    page.wait_for_selector(".rpa-form-alert")
    assert active_id(page) == "NOME"
    assert norm(page.inner_text(".rpa-form-alert")) == "Confira os campos Nome, CPF, Celular e E-mail e envie de novo."
    for field in ("NOME", "CPF", "CELULAR", "email"):
        assert page.get_attribute(f"#{field}", "aria-invalid") == "true", field
    page.screenshot(path=str(artifacts / "07b-field-errors-phone.png"), full_page=True)


def test_a_form_without_estado_civil_is_marked_at_once_and_creates_no_job(service, new_page):
    """Estado civil left on "Selecione…": the API's 422 names it, the modal marks the field, and
    nothing was queued, so no robot drove the portal to find out."""
    page = new_page()
    page.goto(service.demo_url)
    jobs_before = service.job_count()
    fill_form(page, person(estado_civil=""))
    response = start_answer(page)
    assert response.status == 422
    erros = {e["campo"]: e["mensagem"] for e in response.json()["erros"]}
    assert erros == {"estado_civil": "Campo obrigatório: informe o estado civil."}

    page.wait_for_selector("#rpa-error-ESTADO-CIVIL")
    assert norm(page.inner_text("#rpa-error-ESTADO-CIVIL")) == norm(erros["estado_civil"])
    assert page.get_attribute("#ESTADO-CIVIL", "aria-invalid") == "true"
    assert active_id(page) == "ESTADO-CIVIL"
    assert page.locator(".rpa-overlay").is_hidden()
    assert service.job_count() == jobs_before


def test_network_failure_offers_to_try_again(service, new_page, artifacts):
    page = new_page()
    attempts: list[str] = []

    def flaky(route):
        attempts.append(route.request.url)
        if len(attempts) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/rpa/start", flaky)
    page.goto(service.demo_url)
    fill_form(page, person(placa=PLATE_SUCCESS))
    jobs_before = service.job_count()
    page.click("#submit_button_auto")
    wait_state(page, "start-failed", 60_000)
    text = norm(page.locator(".rpa-outcome").inner_text())
    assert "Verifique sua conexão" in text
    retry = page.locator('[data-action="retry"]')
    assert retry.is_visible() and retry.inner_text() == "Tentar novamente"
    assert page.evaluate("document.activeElement.dataset.action") == "retry"
    page.screenshot(path=str(artifacts / "08-network-error.png"))
    assert service.job_count() == jobs_before

    retry.click()
    wait_state(page, "watching", 60_000)
    assert len(attempts) == 2
    assert service.job_count() == jobs_before + 1
    service.wait_terminal(session_id(page))


def test_rate_limit_gets_a_clear_message(portal, new_page, own_service, artifacts):
    limited = own_service("limited-service", portal, RPA_RATE_LIMIT_PER_MIN="1")
    page = new_page()
    submit_quote(page, limited.demo_url, person(placa=PLATE_SUCCESS))
    wait_state(page, "watching", 60_000)
    first = session_id(page)
    page.keyboard.press("Escape")
    type_into(page, "#CPF", person().cpf)  # other answers: a new quote
    assert start_answer(page).status == 429
    wait_state(page, "start-failed", 60_000)
    text = norm(page.locator(".rpa-outcome").inner_text())
    assert "Recebemos muitas tentativas em pouco tempo." in text
    assert "Tente novamente em cerca de" in text or "Aguarde um minuto" in text
    assert page.locator('[data-action="retry"]').is_visible()
    page.screenshot(path=str(artifacts / "09-rate-limited.png"))
    assert limited.job_count() == 1
    limited.wait_terminal(first)


def test_full_queue_keeps_the_lead_says_a_specialist_will_call_and_trying_again_later_starts_the_quote(
    slow_portal, new_page, own_service, artifacts
):
    full = own_service("full-queue-service", slow_portal, RPA_SLOTS="1", RPA_QUEUE_LIMIT="1")
    running, waiting, turned_away = new_page(), new_page(), new_page()
    submit_quote(running, full.demo_url, person(placa=PLATE_SUCCESS))
    running.wait_for_selector('.rpa-step[aria-current="step"]', timeout=60_000)
    submit_quote(waiting, full.demo_url, person(placa=PLATE_SUCCESS))
    waiting.locator(".rpa-queue").wait_for(state="visible", timeout=60_000)
    # One running and one waiting: the queue (limit 1) is full.
    turned_away.goto(full.demo_url)
    fill_form(turned_away, person(placa=PLATE_SUCCESS))
    answer = start_answer(turned_away)
    assert answer.status == 503
    assert int(answer.headers["retry-after"]) > 0
    assert answer.json()["dados_recebidos"] is True
    wait_state(turned_away, "received", 60_000)
    assert norm(turned_away.locator(".rpa-title").inner_text()) == "Recebemos seus dados"
    text = norm(turned_away.locator(".rpa-outcome").inner_text())
    assert "Um especialista vai entrar em contato" in text
    assert "seus dados chegaram com segurança" in text
    assert "vai calcular a sua cotação e ligar para você em até 2 horas úteis" in text
    close = turned_away.locator('[data-action="close"]')
    assert close.is_visible() and close.evaluate("b => b === document.activeElement")
    retry = turned_away.locator('[data-action="retry"]')
    assert retry.is_visible()
    turned_away.screenshot(path=str(artifacts / "16-queue-full-lead-received.png"))
    # No robot for the turned-away visitor, but the lead is kept for the salesperson.
    assert full.job_count() == 2 and session_id(turned_away) is None
    assert full.query("SELECT motivo, json_extract(input_json, '$.nome') FROM turned_away") == [
        ("fila_cheia", "FULANO DE TAL")
    ]
    assert full.query("SELECT count(*) FROM events WHERE type = 'lead.recebido' AND session_id IS NULL") == [(1,)]
    # Once the first quote ends the waiting one runs, the queue has room, and trying again works,
    # under the same lead.
    assert wait_final(running) == "success"
    waiting.locator(".rpa-queue").wait_for(state="hidden", timeout=60_000)
    assert start_answer(turned_away, '[data-action="retry"]').status == 200
    assert wait_final(turned_away) == "success"
    assert wait_final(waiting) == "success"
    assert full.job_count() == 3
    assert full.query("SELECT count(*) FROM jobs WHERE lead_id = (SELECT lead_id FROM turned_away)") == [(1,)]
    assert full.query("SELECT count(*) FROM events WHERE type = 'lead.recebido'") == [(3,)]


def test_other_webflow_forms_keep_their_own_handler(service, new_page):
    page = new_page()
    seen = api_requests(page)
    page.goto(service.demo_url)
    type_into(page, "#wp-DDD", "11")
    type_into(page, "#wp-CELULAR", "987654321")
    page.click("#submit_button_wp")
    page.wait_for_selector("#form-wp + .w-form-done", state="visible")
    assert page.evaluate("window.webflowFormsSubmitted") == ["form-wp"]
    assert page.locator(".rpa-overlay").is_hidden()
    assert starts(seen) == []


def test_invalid_form_is_left_to_the_browser_validation(service, new_page):
    page = new_page()
    seen = api_requests(page)
    page.goto(service.demo_url)
    page.click("#submit_button_auto")  # every required field empty
    assert page.evaluate("document.getElementById('NOME').validity.valueMissing") is True
    assert active_id(page) == "NOME"
    assert page.locator(".rpa-overlay").is_hidden()
    assert starts(seen) == []
