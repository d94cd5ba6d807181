"""Runs a `sim-portal` process for the portal's tests (free port read from its first stdout line)
and talks HTTP to it with the standard library."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Where `cargo build` puts the binary: CARGO_TARGET_DIR when set (relative to the repository, as
# cargo reads it there), else the repository's target/.
TARGET = REPO / os.environ.get("CARGO_TARGET_DIR", "target")
BINARY = TARGET / "debug" / "sim-portal"
# The project's one list of Chromium flags and default binary is the robot's.
sys.path.insert(0, str(REPO / "rpa"))
from cotacao.config import CHROMIUM_FLAGS, DEFAULT_CHROMIUM  # noqa: E402, F401 (CHROMIUM_FLAGS: for conftest)

CHROMIUM = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)
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
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd="/",
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], START_TIMEOUT_S)
        line = self.proc.stdout.readline() if ready else ""
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
