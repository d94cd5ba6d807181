"""One click starts one robot, a reload resumes the same quote session, closing the modal mid-quote
leaves a pill on the page that follows the quote at a slower pace, a second tab of the same
browser takes the quote over, and another browser learns nothing about it."""

from __future__ import annotations

import time

import pytest
from modal_expected import PLATE_SUCCESS
from modal_servers import start_portal, start_service
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


@pytest.fixture(scope="module")
def long_service(e2e_tmp):
    """A service whose quotes spend 30 s on the last screen: long enough to close, watch the pill
    and come back."""
    d = e2e_tmp / "long"
    d.mkdir()
    portal = start_portal(d, ["--fault", "15:slow:30"])
    service = start_service(d / "service", portal)
    yield service
    service.process.stop()
    portal.process.stop()


def polls_after(seen, since: float) -> list[float]:
    return [t for t, method, url in seen if t > since and method == "GET" and "/progress/" in url]


def test_closing_mid_quote_leaves_a_pill_and_the_page_follows_slower(long_service, new_page, artifacts):
    page = new_page(360, 740)
    seen = api_requests(page)
    page.goto(long_service.demo_url)
    fill_form(page, person(placa=PLATE_SUCCESS))
    page.click("#submit_button_auto")
    page.wait_for_selector('.rpa-step[aria-current="step"]', state="attached", timeout=60_000)
    sid = session_id(page)
    page.click(".rpa-close")
    closed_at = time.monotonic()
    assert page.locator(".rpa-overlay").is_hidden()
    assert active_id(page) == "submit_button_auto"
    pill = page.locator(".rpa-pill")
    assert pill.is_visible() and norm(pill.inner_text()) == "Sua cotação continua — ver"
    assert pill.get_attribute("role") == "status"
    assert page.evaluate("RpaModal.state()")["polling"] is True
    page.screenshot(path=str(artifacts / "17-pill.png"))

    # The page keeps following the quote, at a slower pace than with the modal open.
    deadline = time.monotonic() + 40
    while len(polls_after(seen, closed_at)) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    polls = polls_after(seen, closed_at)
    assert len(polls) >= 3, polls
    gaps = [b - a for a, b in zip(polls[1:], polls[2:])]
    assert gaps and min(gaps) >= 8, gaps

    # The pill opens the modal again, on the same quote, at the quick pace.
    page.click(".rpa-pill-btn")
    assert page.locator(".rpa-overlay").is_visible() and pill.is_hidden()
    assert session_id(page) == sid
    assert wait_final(page) == "success"
    assert len(starts(seen)) == 1


def test_a_quote_that_ends_behind_the_pill_says_so(slow_service, new_page):
    page = new_page()
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    wait_state(page, "watching", 60_000)
    page.click(".rpa-close")
    pill = page.locator(".rpa-pill")
    page.wait_for_function("() => document.querySelector('.rpa-pill').textContent.includes('pronta')", timeout=180_000)
    assert norm(pill.inner_text()) == "Sua cotação está pronta — ver"
    assert page.evaluate("RpaModal.state()")["polling"] is False
    page.click(".rpa-pill-btn")
    assert page.locator('.rpa-dialog[data-state="success"]').is_visible()
    # Closing the result closes for good: no pill.
    page.keyboard.press("Escape")
    assert pill.is_hidden() and page.locator(".rpa-overlay").is_hidden()


def test_a_reload_after_closing_keeps_the_pill(slow_service, new_page):
    page = new_page()
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    wait_state(page, "watching", 60_000)
    sid = session_id(page)
    page.click(".rpa-close")
    page.reload()
    page.locator(".rpa-pill").wait_for(state="visible")
    assert page.locator(".rpa-overlay").is_hidden()
    page.click(".rpa-pill-btn")
    assert wait_final(page) == "success" and session_id(page) == sid


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


def test_a_second_tab_takes_the_quote_over(long_service, new_page, artifacts):
    visitor = person(placa=PLATE_SUCCESS)
    first = new_page()
    submit_quote(first, long_service.demo_url, visitor)
    wait_state(first, "watching", 60_000)
    sid = session_id(first)
    jobs = long_service.job_count()
    # The same browser, a new tab: its own sessionStorage, the browser's localStorage.
    second = first.context.new_page()
    second.goto(long_service.demo_url)
    fill_form(second, visitor)
    answer = start_answer(second)
    assert answer.status == 200 and answer.json()["session_id"] == sid and answer.json()["existente"] is True
    wait_state(second, "watching", 60_000)
    assert session_id(second) == sid
    assert long_service.job_count() == jobs
    # The first tab steps back to its pill.
    first.locator(".rpa-pill").wait_for(state="visible", timeout=10_000)
    assert first.locator(".rpa-overlay").is_hidden()
    second.screenshot(path=str(artifacts / "18-second-tab.png"))
    assert wait_final(second) == "success"


def test_the_same_data_from_another_browser_does_not_reveal_the_running_quote(slow_service, new_page):
    visitor = person(placa=PLATE_SUCCESS)
    first, other = new_page(), new_page()
    submit_quote(first, slow_service.demo_url, visitor)
    wait_state(first, "watching", 60_000)
    sid = session_id(first)
    jobs = slow_service.job_count()
    # Someone else (another browser, another device) typing the same CPF and plate learns nothing.
    other.goto(slow_service.demo_url)
    fill_form(other, visitor)
    answer = start_answer(other)
    assert answer.status == 409
    body = answer.json()
    assert body["existente"] is True and "session_id" not in body and sid not in answer.text()
    wait_state(other, "start-failed", 60_000)
    text = norm(other.locator(".rpa-outcome").inner_text())
    assert "Já existe um cálculo em andamento com estes dados" in text
    assert other.locator('.rpa-contact [data-action="whatsapp"]').is_visible()
    assert session_id(other) is None
    assert slow_service.job_count() == jobs
    # The first tab keeps its token: sent again with a changed e-mail, it gets its own quote back.
    first.click(".rpa-close")
    first.fill('input[name="email"]', "outro@example.com")
    again = start_answer(first)
    assert again.status == 200 and again.json()["session_id"] == sid and again.json()["existente"] is True
    wait_state(first, "watching", 60_000)
    assert session_id(first) == sid
    assert first.locator(".rpa-pill").is_hidden()
    assert slow_service.job_count() == jobs
