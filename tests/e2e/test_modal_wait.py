"""The wait as a visitor sees it, on a phone (360 px) and a desktop (1280 px): the estimate above
the steps, which on a phone collapse into one line that can be opened; the insurer's final
calculation as a stage of its own whose bar keeps moving, with the overall bar below 100 % until
the result; and the page's copy about the usual length, from the service through the modal."""

from __future__ import annotations

import re

import pytest
from modal_expected import PLATE_SUCCESS
from modal_servers import start_portal, start_service
from modal_visitor import norm, person, record_wait, submit_quote, wait_final, wait_state, waited


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_on_a_phone_the_estimate_sits_above_the_steps_which_collapse_into_one_line(slow_service, new_page, artifacts):
    page = new_page(360, 740)
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    wait_state(page, "watching", 60_000)
    # Screen 8 is slow on this portal: the estimate of screen 5 arrives mid-quote.
    page.wait_for_selector(".rpa-estimate:not([hidden])", timeout=180_000)
    assert page.locator(".rpa-dialog").get_attribute("data-state") == "watching"
    toggle = page.locator(".rpa-steps-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#rpa-steps").is_hidden()
    assert re.fullmatch(r"Etapa ([1-9]|1[0-5]) de 15: .+", norm(toggle.inner_text())), toggle.inner_text()
    estimate, steps = box(page, ".rpa-estimate"), box(page, ".rpa-steps-box")
    assert estimate["y"] + estimate["height"] <= steps["y"], (estimate, steps)
    # The whole estimate is on the first screen, above the footer, without a scroll.
    footer = box(page, ".rpa-actions")
    assert page.evaluate("document.querySelector('.rpa-body').scrollTop") == 0
    assert estimate["y"] + estimate["height"] <= footer["y"], (estimate, footer)
    page.screenshot(path=str(artifacts / "20-phone-wait-estimate-first.png"))

    # The one line opens the list, and the visitor's choice holds while the quote goes on.
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#rpa-steps").is_visible()
    page.screenshot(path=str(artifacts / "21-phone-wait-steps-opened.png"))
    assert wait_final(page) == "success"
    page.screenshot(path=str(artifacts / "22-phone-result.png"))


def test_on_a_desktop_the_estimate_sits_above_the_open_list_of_steps(slow_service, new_page, artifacts):
    page = new_page(1280, 900)
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    page.wait_for_selector(".rpa-estimate:not([hidden])", timeout=180_000)
    assert page.locator(".rpa-steps-toggle").get_attribute("aria-expanded") == "true"
    assert page.locator("#rpa-steps").is_visible()
    estimate, steps = box(page, ".rpa-estimate"), box(page, ".rpa-steps-box")
    assert estimate["y"] + estimate["height"] <= steps["y"]
    page.screenshot(path=str(artifacts / "23-desktop-wait-estimate.png"))
    assert wait_final(page) == "success"


@pytest.fixture(scope="module")
def timed_service(e2e_tmp):
    """A service in front of a portal at a tenth of the real portal's timings: the insurer's
    calculation (with its countdown) lasts a few seconds."""
    d = e2e_tmp / "timed"
    d.mkdir()
    portal = start_portal(d, delay_scale=0.12)
    service = start_service(d / "service", portal)
    yield service
    service.process.stop()
    portal.process.stop()


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_the_calculation_is_a_stage_of_its_own_and_the_bar_stays_below_100_until_the_result(
    timed_service, new_page, artifacts, width, height
):
    page = new_page(width, height)
    record_wait(page)
    submit_quote(page, timed_service.demo_url, person(placa=PLATE_SUCCESS))
    calc = page.locator(".rpa-calc")
    calc.wait_for(state="visible", timeout=180_000)
    assert norm(page.locator(".rpa-stage").inner_text()) == "Cálculo final da seguradora"
    assert norm(calc.locator(".rpa-calc-title").inner_text()) == "Cálculo final da seguradora"
    assert norm(calc.locator(".rpa-calc-expected").inner_text()).startswith("Normalmente leva ")
    # Its own bar moves while the insurer calculates, between the service's answers too.
    page.wait_for_function(
        "() => { const c = window.__rpaWait.calc; return c.length >= 2 && c[c.length - 1] > c[0]; }",
        timeout=60_000,
    )
    page.screenshot(path=str(artifacts / f"24-calculation-stage-{width}.png"))
    assert wait_final(page) == "success"
    seen = waited(page)
    assert seen["maxPercent"] is not None and seen["maxPercent"] < 100, seen
    assert seen["calc"] == sorted(seen["calc"]) and max(seen["calc"]) < 100, seen["calc"]
    # The bar says in words where the quote stands.
    assert seen["valuetexts"] and all(re.match(r"\d+ % — ", t) for t in seen["valuetexts"]), seen["valuetexts"]
    assert any("Etapa 15 de 15: Cálculo final" in t for t in seen["valuetexts"]), seen["valuetexts"]


def test_the_pages_copy_about_the_usual_length_comes_from_the_service(service, new_page, artifacts):
    page = new_page(360, 740)
    status, health = service.get_json("/api/rpa/health")
    assert status == 200
    page.goto(service.demo_url)
    copy = page.locator("[data-rpa-tempo-tipico]")
    expected = page.evaluate("tempo => RpaModal.helpers.typicalPhrase(tempo, null)", health.get("tempo_tipico"))
    page.wait_for_function(
        "text => document.querySelector('[data-rpa-tempo-tipico]').textContent === text", arg=expected
    )
    assert norm(copy.inner_text()) == expected
    # The modal's words for the same figures, before the first step, are the page's.
    first = page.evaluate(
        """tempo => RpaModal.helpers.progressView({status: 'running', etapa_atual: 0},
                                                  {now: 1, startedAt: 1, step: 0, stepSince: 1, tempo}).eta""",
        health.get("tempo_tipico"),
    )
    assert first == f"Em geral o cálculo leva {expected}."
    page.screenshot(path=str(artifacts / "25-page-copy-usual-length.png"))
