"""One click starts one robot, a reload resumes the same quote session, and closing the modal
really stops talking to the service."""

from __future__ import annotations

import time

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
    stored_session,
    submit_quote,
    wait_final,
    wait_state,
)

POLL_PERIOD_S = 2.0


def test_double_click_and_double_inclusion_start_one_robot(service, new_page):
    page = new_page()
    seen = api_requests(page)
    page.goto(service.demo_url)
    # The script included a second time must not bind a second set of handlers.
    page.add_script_tag(url="/static/rpa-modal.js")
    fill_form(page, person(placa=PLATE_SUCCESS))
    jobs_before = service.job_count()
    page.dblclick("#submit_button_auto")
    # A burst from code as well: clicks, requestSubmit and a raw submit event in one task.
    page.evaluate(
        """() => {
          const b = document.getElementById('submit_button_auto');
          const f = document.getElementById('wf-form-Cotacao-Seguro-Auto');
          b.click(); b.click(); f.requestSubmit();
          f.dispatchEvent(new Event('submit', {bubbles: true, cancelable: true}));
        }"""
    )
    wait_state(page, "watching", 60_000)
    sid = session_id(page)
    service.wait_terminal(sid)
    assert len(starts(seen)) == 1
    assert service.job_count() == jobs_before + 1
    assert service.query("SELECT COUNT(*) FROM jobs WHERE session_id = ?", (sid,))[0][0] == 1
    assert page.evaluate("window.webflowFormsSubmitted || []") == []


def test_reload_resumes_the_same_session(slow_service, new_page, artifacts):
    page = new_page()
    seen = api_requests(page)
    jobs_before = slow_service.job_count()
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    wait_state(page, "watching", 60_000)
    sid = session_id(page)
    assert stored_session(page)["id"] == sid

    page.reload()
    wait_state(page, "watching", 60_000)
    assert session_id(page) == sid
    assert page.locator(".rpa-overlay").is_visible()
    assert wait_final(page) == "success"
    assert len(starts(seen)) == 1
    polled = {url.rsplit("/", 1)[1] for _, method, url in seen if method == "GET" and "/progress/" in url}
    assert polled == {sid}
    assert slow_service.job_count() == jobs_before + 1
    page.screenshot(path=str(artifacts / "14-resumed-after-reload.png"))


def test_closing_stops_every_request(slow_service, new_page):
    page = new_page()
    seen = api_requests(page)
    page.goto(slow_service.demo_url)
    fill_form(page, person(placa=PLATE_SUCCESS))
    with page.expect_response(lambda r: "/api/rpa/progress/" in r.url, timeout=60_000):
        page.click("#submit_button_auto")
    sid = session_id(page)
    page.click(".rpa-close")
    closed_at = time.monotonic()
    assert page.locator(".rpa-overlay").is_hidden()
    state = page.evaluate("RpaModal.state()")
    assert state["polling"] is False and state["open"] is False
    assert active_id(page) == "submit_button_auto"

    # The robot goes on in the service; the page must stay silent all the while. The window is
    # the quote's remaining time and at least three polling periods.
    slow_service.wait_terminal(sid)
    left = 3 * POLL_PERIOD_S + 0.5 - (time.monotonic() - closed_at)
    if left > 0:
        page.wait_for_timeout(left * 1000)
    after = [s for s in seen if s[0] > closed_at]
    assert after == [], after


def test_waiting_visitor_sees_the_queue_position(slow_portal, new_page, own_service, artifacts):
    one_slot = own_service("one-slot-service", slow_portal, RPA_SLOTS="1")
    first, second = new_page(), new_page()
    submit_quote(first, one_slot.demo_url, person(placa=PLATE_SUCCESS))
    first.wait_for_selector('.rpa-step[aria-current="step"]', timeout=60_000)
    submit_quote(second, one_slot.demo_url, person(placa=PLATE_SUCCESS))
    queue = second.locator(".rpa-queue")
    queue.wait_for(state="visible", timeout=60_000)
    assert queue.inner_text() == "Você é o 1º na fila."
    assert second.locator(".rpa-step-label").inner_text() == "Na fila"
    second.screenshot(path=str(artifacts / "15-queue.png"))
    # When the slot frees, the waiting quote runs and ends like any other.
    assert wait_final(first) == "success"
    assert wait_final(second) == "success"
    assert queue.is_hidden()


def test_the_same_data_from_another_tab_does_not_reveal_the_running_quote(slow_service, new_page):
    visitor = person(placa=PLATE_SUCCESS)
    first, other = new_page(), new_page()
    submit_quote(first, slow_service.demo_url, visitor)
    wait_state(first, "watching", 60_000)
    sid = session_id(first)
    jobs = slow_service.job_count()
    # Someone else (another tab, another device) typing the same CPF and plate learns nothing.
    other.goto(slow_service.demo_url)
    fill_form(other, visitor)
    answer = start_answer(other)
    assert answer.status == 409
    body = answer.json()
    assert body["existente"] is True and "session_id" not in body and sid not in answer.text()
    wait_state(other, "start-failed", 60_000)
    text = norm(other.locator(".rpa-outcome").inner_text())
    assert "Já existe um cálculo em andamento com estes dados" in text
    assert session_id(other) is None
    assert slow_service.job_count() == jobs
    # The first tab keeps its token: sent again with a changed e-mail, it gets its own quote back.
    first.click(".rpa-close")
    first.fill('input[name="email"]', "outro@example.com")
    again = start_answer(first)
    assert again.status == 200 and again.json()["session_id"] == sid and again.json()["existente"] is True
    wait_state(first, "watching", 60_000)
    assert session_id(first) == sid
    assert slow_service.job_count() == jobs
