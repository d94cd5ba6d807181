"""The time estimate is honest: it follows how long quotes really take on this installation
(the service's `duracao_tipica_s`), not a fixed guess, says a range while the service has
measured too few quotes, and never says "Quase pronto" before the insurer's calculation is
almost done."""

from __future__ import annotations

import re

from modal_expected import PLATE_SUCCESS
from modal_visitor import person, submit_quote, wait_final


def estimates_shown(page) -> list[str]:
    return page.evaluate("window.__rpaEta")


def test_time_estimate_follows_the_measured_quote_duration(slow_portal, new_page, own_service):
    fresh = own_service("time-estimate-service", slow_portal)
    # Nothing measured yet: a range around the real portal's usual length, never a promise.
    first = new_page()
    submit_quote(first, fresh.demo_url, person(placa=PLATE_SUCCESS))
    assert wait_final(first) == "success"
    before = estimates_shown(first)
    assert any(re.search(r"de \d+ (segundos )?a \d+ minutos", t) for t in before), before
    assert not any("cerca de" in t for t in before), before

    # One quote took seconds here (the simulated portal is fast): the next visitor is told so,
    # as a range (one quote is too few for a precise promise) and without "Quase pronto".
    (took,) = fresh.query("SELECT (julianday(finished_at) - julianday(started_at)) * 86400 FROM attempts")[0]
    assert took < 60, f"this test needs a quote under a minute, it took {took:.0f} s"
    second = new_page()
    submit_quote(second, fresh.demo_url, person(placa=PLATE_SUCCESS))
    assert wait_final(second) == "success"
    after = estimates_shown(second)
    assert after, "the second visitor saw a time estimate"
    assert any("menos de 1 minuto" in t for t in after), after
    assert not any("cerca de" in t or "Quase pronto" in t or re.search(r"\d+ minutos", t) for t in after), after
