"""The real servers behind the modal's end-to-end tests: the simulated portal (`sim-portal`) and
the service (`rpa-v4 serve`) running the real robot, each started as a process of its own.

Every server listens on 127.0.0.1 on a free port, keeps its state in a temporary directory and is
stopped for real (SIGTERM to its process group, SIGKILL if it lingers). Nothing here reaches
beyond loopback.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "modal"
# The project's one list of Chromium flags and default binary is the robot's.
sys.path.insert(0, str(ROOT / "rpa"))
sys.path.insert(0, str(ROOT / "rpa" / "tests"))
from contract_files import check_progress_answer  # noqa: E402
from cotacao.config import CHROMIUM_FLAGS, DEFAULT_CHROMIUM  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)
CHROMIUM_ARGS = list(CHROMIUM_FLAGS)
PORTAL_EMAIL = "corretor@example.com"
PORTAL_SENHA = "senha-de-teste"
# Bounds are generous: two cores are shared with other builds and browsers.
START_TIMEOUT_S = 60
QUOTE_TIMEOUT_S = 180


def binary(name: str) -> Path:
    path = ROOT / "target" / "debug" / name
    if not path.exists():
        pytest.fail(f"{path} não existe: rode scripts/setup.sh (cargo build --bins) antes dos testes")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child process in its own process group whose output is collected by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path, cwd: Path = ROOT):
        self.log_path = log_path
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        with open(self.log_path, "a", encoding="utf-8") as log:
            for line in self.proc.stdout:
                log.write(line)
                log.flush()
                with self._cond:
                    self.lines.append(line.rstrip("\n"))
                    self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for_line(self, pattern: str, timeout: float) -> re.Match:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    m = regex.search(line)
                    if m:
                        return m
                if self.proc.poll() is not None and not self._thread.is_alive():
                    raise RuntimeError(f"o processo terminou sem imprimir {pattern!r}; veja {self.log_path}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{pattern!r} não apareceu em {timeout} s; veja {self.log_path}")
                self._cond.wait(min(left, 0.5))

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._thread.join(timeout=5)


@dataclass
class Portal:
    url: str
    process: Process


@dataclass
class Service:
    base_url: str
    db_path: Path
    data_dir: Path
    process: Process
    env: dict[str, str] = field(default_factory=dict)

    @property
    def demo_url(self) -> str:
        return self.base_url + "/static/demo.html"

    def get_json(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=10) as res:
                return res.status, json.loads(res.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")

    def progress(self, session_id: str) -> dict:
        """The quote's progress, checked against docs/contract/progress.schema.json."""
        status, body = self.get_json(f"/api/rpa/progress/{session_id}")
        assert status == 200, body
        check_progress_answer(body)
        return body["progress"]

    def wait_terminal(self, session_id: str, timeout: float = QUOTE_TIMEOUT_S) -> dict:
        """Polls the service (not the page) until the quote ends; returns its progress."""
        deadline = time.monotonic() + timeout
        while True:
            progress = self.progress(session_id)
            if progress["status"] in ("success", "error"):
                return progress
            if time.monotonic() > deadline:
                raise TimeoutError(f"a cotação {session_id} não terminou em {timeout} s: {progress}")
            time.sleep(0.25)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def job_count(self) -> int:
        return self.query("SELECT COUNT(*) FROM jobs")[0][0]


def start_portal(tmp: Path, extra_args: list[str] | None = None, delay_scale: float = 0) -> Portal:
    """A simulated portal; `delay_scale` 1 is the real portal's timings (0: instant)."""
    argv = [str(binary("sim-portal")), "--port", "0", "--delay-scale", str(delay_scale), *(extra_args or [])]
    env = dict(os.environ, SIM_PORTAL_EMAIL=PORTAL_EMAIL, SIM_PORTAL_SENHA=PORTAL_SENHA)
    proc = Process(argv, env, tmp / "sim-portal.log")
    try:
        m = proc.wait_for_line(r"http://(127\.0\.0\.1:\d+)", START_TIMEOUT_S)
    except Exception:
        proc.stop()
        raise
    return Portal(url=f"http://{m.group(1)}/imediatosolucoes", process=proc)


def start_service(tmp: Path, portal: Portal, **overrides: str) -> Service:
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    db_path = tmp / "rpa.db"
    data_dir = tmp / "jobs"
    robot = f"{ROOT / '.venv' / 'bin' / 'python'} {ROOT / 'rpa' / 'executar_imediato_playwright.py'}"
    env = dict(os.environ)
    env.update(
        RPA_LISTEN=f"127.0.0.1:{port}",
        RPA_DB=str(db_path),
        RPA_DATA_DIR=str(data_dir),
        RPA_SLOTS="2",
        RPA_COMMAND=robot,
        RPA_ALLOWED_ORIGINS=f"{base},http://localhost:{port}",
        RPA_PORTAL_URL=portal.url,
        RPA_PORTAL_EMAIL=PORTAL_EMAIL,
        RPA_PORTAL_SENHA=PORTAL_SENHA,
        RPA_RATE_LIMIT_PER_MIN="1000",
        # A technical failure is retried at once here: the wait before a retry has its own tests.
        RPA_RETRY_BACKOFF_S="0",
        # Several services run at once here: none takes the metrics' fixed port.
        RPA_METRICS_LISTEN="desligado",
        CHROMIUM_PATH=CHROMIUM,
    )
    env.update(overrides)
    proc = Process([str(binary("rpa-v4")), "serve"], env, tmp / "rpa-v4.log")
    service = Service(base_url=base, db_path=db_path, data_dir=data_dir, process=proc, env=env)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            status, _ = service.get_json("/api/rpa/health")
            if status == 200:
                return service
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if proc.proc.poll() is not None or time.monotonic() > deadline:
            proc.stop()
            raise RuntimeError(f"rpa-v4 serve não respondeu em {base}; veja {tmp / 'rpa-v4.log'}")
        time.sleep(0.2)
