"""Fixtures of the simulated portal's tests: build `sim-portal`, start instances on free ports
(one shared instance at delay scale 0, others per test with their own options), and a real
headless Chromium (Debian's, through Playwright's executable_path)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "target" / "debug" / "sim-portal"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
START_TIMEOUT_S = 30


@dataclass
class Response:
    status: int
    headers: dict
    body: dict | str

    @property
    def delay_ms(self) -> int:
        return int(self.headers["x-sim-atraso-ms"])


class Portal:
    """One running `sim-portal` process."""

    def __init__(self, *args: str):
        self.proc = subprocess.Popen(
            [str(BINARY), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/",
        )
        line = self.proc.stdout.readline()
        match = re.search(r"sim-portal ouvindo em (http://127\.0\.0\.1:\d+)", line)
        if not match:
            self.proc.kill()
            raise RuntimeError(f"sim-portal não iniciou: {line!r} {self.proc.stderr.read()!r}")
        self.url = match.group(1)
        self.tenant = self.url + "/imediatosolucoes"

    def request(self, method: str, path: str, body=None, headers=None, raw: bytes | None = None) -> Response:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                status, hdrs, text = r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as e:
            status, hdrs, text = e.code, dict(e.headers), e.read().decode()
        hdrs = {k.lower(): v for k, v in hdrs.items()}
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        return Response(status, hdrs, parsed)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body, **kw) -> Response:
        return self.request("POST", path, body=body, **kw)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


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


@pytest.fixture(scope="session")
def browser():
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
