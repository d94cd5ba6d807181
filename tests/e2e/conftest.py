"""Fixtures of the modal's end-to-end tests: the portals and services they run against (see
modal_servers), Debian's Chromium driven by Playwright, and the screenshot folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from modal_servers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, start_portal, start_service
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="session")
def e2e_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def portal(e2e_tmp):
    p = start_portal(e2e_tmp)
    yield p
    p.process.stop()


@pytest.fixture(scope="session")
def slow_portal(e2e_tmp):
    """A portal whose screens 3 and 8 take a few seconds, so a visitor sees a quote mid-way."""
    d = e2e_tmp / "slow-portal"
    d.mkdir()
    p = start_portal(d, ["--fault", "3:slow:4", "--fault", "8:slow:6"])
    yield p
    p.process.stop()


@pytest.fixture(scope="session")
def service(e2e_tmp, portal):
    s = start_service(e2e_tmp / "service", portal)
    yield s
    s.process.stop()


@pytest.fixture(scope="session")
def slow_service(e2e_tmp, slow_portal):
    s = start_service(e2e_tmp / "slow-service", slow_portal)
    yield s
    s.process.stop()


@pytest.fixture()
def own_service(e2e_tmp):
    """Starts services with the test's own settings: own_service(dir_name, portal, **env); each is
    stopped when the test ends."""
    started = []

    def start(name: str, portal, **overrides: str):
        s = start_service(e2e_tmp / name, portal, **overrides)
        started.append(s)
        return s

    yield start
    for s in started:
        s.process.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


# Records what the visitor is shown over time: the current step, the live-region texts and the
# remaining-time texts.
OBSERVER_JS = """
(() => {
  window.__rpaSteps = [];
  window.__rpaLive = [];
  window.__rpaEta = [];
  const seen = () => {
    const cur = document.querySelector('.rpa-step[aria-current="step"]');
    const step = cur ? Number(cur.dataset.step) : null;
    if (step !== null && window.__rpaSteps[window.__rpaSteps.length - 1] !== step) window.__rpaSteps.push(step);
    const live = document.getElementById('rpa-live');
    const text = live ? live.textContent : '';
    if (text && window.__rpaLive[window.__rpaLive.length - 1] !== text) window.__rpaLive.push(text);
    const eta = document.querySelector('.rpa-eta');
    const etaText = eta ? eta.textContent : '';
    if (etaText && window.__rpaEta[window.__rpaEta.length - 1] !== etaText) window.__rpaEta.push(etaText);
  };
  new MutationObserver(seen).observe(document, {subtree: true, childList: true, attributes: true,
    characterData: true, attributeFilter: ['aria-current', 'class']});
})();
"""


@pytest.fixture()
def new_page(browser):
    """Opens pages in fresh contexts (fresh sessionStorage); fails the test on a script error."""
    contexts = []
    errors: list[str] = []

    def make(width: int = 1280, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="pt-BR")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        page.add_init_script(OBSERVER_JS)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    assert not errors, f"erros de script na página: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
