"""The real service for the robot's end-to-end tests: `rpa-v4 serve` (real SQLite, real runner)
started on a free 127.0.0.1 port with this robot as its RPA_COMMAND, and its HTTP API called with
JSON. A module of its own so each end-to-end test starts the service the same way."""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from robot_harness import BROKER_EMAIL, BROKER_SENHA, REPO, ROBOT, TARGET

SERVICE = TARGET / "rpa-v4"
PYTHON = REPO / ".venv" / "bin" / "python"

# What the broker's form sends of a synthetic visitor (POST /api/rpa/start), masks and all.
VISITOR = {
    "cpf": "529.982.247-25",
    "nome": "FULANO DE TAL",
    "placa": "abc-1d23",
    "cep": "01310-100",
    "email": "fulano.teste@example.com",
    "telefone": "(11) 98765-4321",
    "data_nascimento": "15/03/1985",
    "sexo": "Masculino",
    "estado_civil": "Casado",
}


@contextlib.contextmanager
def running_service(tmp_path: Path, portal_url: str, **env_extra: str):
    """`rpa-v4 serve` against `portal_url` until the block ends; yields its base URL. The
    database is `tmp_path/rpa.db`; `env_extra` adds or overrides settings."""
    if not SERVICE.exists():
        pytest.fail(f"{SERVICE} não existe: rode scripts/setup.sh (cargo build --bins)")
    (tmp_path / "static").mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "RPA_LISTEN": "127.0.0.1:0",
        "RPA_DB": str(tmp_path / "rpa.db"),
        "RPA_DATA_DIR": str(tmp_path / "jobs"),
        "RPA_SLOTS": "2",
        "RPA_COMMAND": f"{PYTHON} {ROBOT}",
        "RPA_BROWSER_COMMAND": f"{PYTHON} {REPO / 'rpa' / 'browser_server.py'}",
        "RPA_DEFAULTS_FILE": str(REPO / "config" / "defaults.json"),
        "RPA_STATIC_DIR": str(tmp_path / "static"),
        "RPA_JOB_TIMEOUT_S": "180",
        # A technical failure is retried at once here: the wait before a retry has its own tests.
        "RPA_RETRY_BACKOFF_S": "0",
        "RPA_METRICS_LISTEN": "desligado",
        "RPA_PORTAL_URL": portal_url,
        "RPA_PORTAL_EMAIL": BROKER_EMAIL,
        "RPA_PORTAL_SENHA": BROKER_SENHA,
        **env_extra,
    }
    log = open(tmp_path / "service.log", "w")
    proc = subprocess.Popen(
        [str(SERVICE), "serve"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=log, text=True
    )
    found: list[str] = []
    reader = threading.Thread(
        target=lambda: found.extend(line.split(" em ", 1)[1].strip() for line in proc.stdout if "ouvindo em" in line),
        daemon=True,
    )
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while not found and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if not found:
            pytest.fail("o serviço não iniciou: " + (tmp_path / "service.log").read_text()[-2000:])
        yield found[0].rstrip("/")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def call(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")
