"""The demo page as a place to call the modal's pure helpers (`window.RpaModal.helpers`) in the
real browser, for the table tests. Import `helpers_page_fixture` into a test module to have the
`helpers_page` fixture there."""

from __future__ import annotations

import pytest


@pytest.fixture(name="helpers_page")
def helpers_page_fixture(service, new_page):
    page = new_page()
    page.goto(service.demo_url)
    page.wait_for_function("window.RpaModal && window.RpaModal.helpers")
    return page


def call(page, name: str, *args):
    """`RpaModal.helpers[name](...args)` in the page; arguments and result go through JSON."""
    return page.evaluate("([name, args]) => window.RpaModal.helpers[name](...args)", [name, list(args)])


def view_sequence(page, answers: list[tuple[int, dict]], clock: dict) -> list[dict]:
    """progressView over a sequence of (time in ms, answer), each with the clock the one before
    returned, as the modal does between polls."""
    return page.evaluate(
        """([answers, clock]) => {
            const out = [];
            let c = clock;
            for (const [now, answer] of answers) {
                const view = window.RpaModal.helpers.progressView(answer, {...c, now});
                out.push(view);
                c = view.clock;
            }
            return out;
        }""",
        [answers, clock],
    )
