"""Fixtures of the simulated portal's tests: build `sim-portal`, start instances on free ports
(one shared instance at delay scale 0, others per test with their own options), and a real
headless Chromium (Debian's, through Playwright's executable_path)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sim_portal_process import BINARY, CHROMIUM, CHROMIUM_FLAGS, REPO, Portal


@pytest.fixture(scope="session", autouse=True)
def built_binary():
    subprocess.run(["cargo", "build", "--quiet", "--bin", "sim-portal"], cwd=REPO, check=True)
    assert BINARY.exists()


@pytest.fixture(scope="session")
def portal():
    """The shared instance: delay scale 0, no faults, default account."""
    p = Portal("--delay-scale", "0")
    yield p
    p.stop()


@pytest.fixture
def start_portal():
    """Starts instances with extra options; all are stopped after the test."""
    started: list[Portal] = []

    def start(*args: str) -> Portal:
        p = Portal(*args)
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()


@pytest.fixture(scope="module")
def browser():
    # Module scope: sync Playwright keeps an event loop running in this thread while it is open,
    # which would break other suites (run in the same session) that call asyncio.run().
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.page_errors = errors
    yield pg
    ctx.close()
    assert not errors, f"erros de JavaScript na página: {errors}"


def pytest_terminal_summary(terminalreporter, config):
    """The real-structure table (test_portal_real_structure.py), printed whether it passed or not."""
    from element_census import CENSUS_TABLE

    for printed in config.stash.get(CENSUS_TABLE, []):
        terminalreporter.write_sep("-", "estrutura das telas 1–6: simulado × capturas do portal real")
        terminalreporter.write_line(printed)
