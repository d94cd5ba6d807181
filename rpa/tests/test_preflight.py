"""The robot's check mode (`--verificar`, contract §1) as a process with a controlled
environment: one JSON line with every item in contract order, each failure named by its item and
layer in Portuguese, exit 0 only when everything is ok, and no credential ever printed."""

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from robot_harness import BROKER_EMAIL, BROKER_SENHA, REPO, ROBOT

ITEMS = ["configuracao", "credenciais", "navegador", "portal"]
SECRET_EMAIL = "conta-secreta@example.com"
SECRET_SENHA = "senha-secreta-987"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Check:
    def __init__(self, proc: subprocess.CompletedProcess, seconds: float):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.seconds = seconds
        lines = proc.stdout.strip().splitlines()
        assert len(lines) == 1, f"a saída padrão deve ter uma linha: {proc.stdout!r}"
        self.doc = json.loads(lines[0])
        assert set(self.doc) == {"status", "verificacoes"}
        for v in self.doc["verificacoes"]:
            assert set(v) == {"item", "ok", "mensagem", "correcao"}
            assert isinstance(v["ok"], bool) and v["mensagem"]
            assert (v["correcao"] == "") == v["ok"], v
        assert self.doc["status"] == ("ok" if self.code == 0 else "erro")
        assert self.code == (0 if all(v["ok"] for v in self.doc["verificacoes"]) else 1)

    @property
    def items(self) -> list[str]:
        return [v["item"] for v in self.doc["verificacoes"]]

    def item(self, name: str) -> dict:
        return next(v for v in self.doc["verificacoes"] if v["item"] == name)


def verify(*extra_args: str, timeout: float = 90, **env_changes) -> Check:
    """Runs `--verificar` with only the given RPA_* / CHROMIUM_PATH variables (None: unset).
    Unless a test is about the browser, CHROMIUM_PATH points nowhere, so no browser starts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RPA_") and k != "CHROMIUM_PATH"}
    env.update(
        RPA_PORTAL_URL=f"http://127.0.0.1:{closed_port()}/imediatosolucoes",
        RPA_PORTAL_EMAIL=SECRET_EMAIL,
        RPA_PORTAL_SENHA=SECRET_SENHA,
        CHROMIUM_PATH="/nao-existe/chromium",
    )
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROBOT), "--verificar", *extra_args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )
    check = Check(proc, time.monotonic() - started)
    everything = check.stdout + check.stderr
    for secret in (SECRET_EMAIL, SECRET_SENHA, BROKER_SENHA):
        assert secret not in everything, "credencial exposta na saída da verificação"
    return check


def test_missing_credentials(tmp_path):
    check = verify(RPA_PORTAL_EMAIL=None, RPA_PORTAL_SENHA=None)
    assert check.code == 1 and check.doc["status"] == "erro"
    assert check.items == ITEMS  # no RPA_DEFAULTS_FILE: no padroes
    cred = check.item("credenciais")
    assert not cred["ok"]
    assert "Credenciais do portal ausentes" in cred["mensagem"]
    assert "RPA_PORTAL_CREDENTIALS" in cred["correcao"]
    assert "[FALHA] credenciais" in check.stderr
    assert check.item("configuracao")["ok"]  # the others are still checked on their own


def test_incomplete_credentials_name_the_missing_variable_only():
    check = verify(RPA_PORTAL_SENHA=None)  # the e-mail alone is set; it is never printed
    cred = check.item("credenciais")
    assert not cred["ok"] and "RPA_PORTAL_SENHA" in cred["mensagem"]


def test_credentials_file_without_senha(tmp_path):
    path = tmp_path / "credenciais.json"
    path.write_text(json.dumps({"email": SECRET_EMAIL, "senha": ""}))
    check = verify(RPA_PORTAL_EMAIL=None, RPA_PORTAL_SENHA=None, RPA_PORTAL_CREDENTIALS=path)
    cred = check.item("credenciais")
    assert not cred["ok"] and str(path) in cred["mensagem"] and '"senha"' in cred["mensagem"]


def test_credentials_file_is_enough_and_not_echoed(tmp_path):
    path = tmp_path / "credenciais.json"
    path.write_text(json.dumps({"email": SECRET_EMAIL, "senha": SECRET_SENHA}))
    check = verify(RPA_PORTAL_EMAIL=None, RPA_PORTAL_SENHA=None, RPA_PORTAL_CREDENTIALS=path)
    cred = check.item("credenciais")
    assert cred["ok"] and "RPA_PORTAL_CREDENTIALS" in cred["mensagem"]


def test_missing_chromium_is_told_apart_from_one_that_fails(tmp_path):
    missing = verify(CHROMIUM_PATH=tmp_path / "nao-existe")
    nav = missing.item("navegador")
    assert not nav["ok"] and "não foi encontrado" in nav["mensagem"] and "CHROMIUM_PATH" in nav["correcao"]

    broken = tmp_path / "chromium-quebrado"
    broken.write_text("#!/bin/sh\necho 'error while loading shared libraries: libnss3.so' >&2\nexit 127\n")
    broken.chmod(0o755)
    failing = verify(CHROMIUM_PATH=broken)
    nav = failing.item("navegador")
    assert not nav["ok"] and "não iniciou" in nav["mensagem"]
    assert "libnss3.so" in nav["mensagem"] and "127" in nav["mensagem"]

    not_executable = tmp_path / "chromium.txt"
    not_executable.write_text("texto")
    nav = verify(CHROMIUM_PATH=not_executable).item("navegador")
    assert not nav["ok"] and "não é um arquivo executável" in nav["mensagem"]


def test_closed_port_names_the_connection():
    port = closed_port()
    check = verify(RPA_PORTAL_URL=f"http://127.0.0.1:{port}/imediatosolucoes")
    portal = check.item("portal")
    assert not portal["ok"]
    assert portal["mensagem"].startswith("Conexão:") and f"127.0.0.1:{port}" in portal["mensagem"]
    assert "recusada" in portal["mensagem"]
    assert check.seconds < 20


def test_unresolvable_host_names_dns():
    check = verify(RPA_PORTAL_URL="http://nao-existe.invalid/imediatosolucoes")
    portal = check.item("portal")
    assert not portal["ok"] and portal["mensagem"].startswith("DNS:") and "nao-existe.invalid" in portal["mensagem"]
    assert check.seconds < 30


@pytest.fixture
def failing_portal():
    """An HTTP server on 127.0.0.1 that answers every GET with 503."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(503, "Service Unavailable")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/imediatosolucoes"
    server.shutdown()
    server.server_close()


def test_server_error_names_the_http_status(failing_portal):
    portal = verify(RPA_PORTAL_URL=failing_portal).item("portal")
    assert not portal["ok"] and portal["mensagem"].startswith("HTTP:") and "503" in portal["mensagem"]


def test_malformed_timeout_and_url():
    check = verify(RPA_TIMEOUT_TELA_S="quarenta")
    conf = check.item("configuracao")
    assert not conf["ok"] and "RPA_TIMEOUT_TELA_S" in conf["mensagem"] and "RPA_TIMEOUT_TELA_S" in conf["correcao"]
    assert check.item("portal")["mensagem"].startswith("Conexão:")  # the URL was fine: still checked

    check = verify(RPA_PORTAL_URL="ftp://portal.example.com/", RPA_TIMEOUT_CALCULO_S="-1")
    conf = check.item("configuracao")
    assert not conf["ok"] and "RPA_PORTAL_URL" in conf["mensagem"] and "RPA_TIMEOUT_CALCULO_S" in conf["mensagem"]
    assert not check.item("portal")["ok"] and "configuracao" in check.item("portal")["mensagem"]


def test_unreadable_defaults_file(tmp_path):
    bad = tmp_path / "defaults.json"
    bad.write_text("{nao é json")
    check = verify(RPA_DEFAULTS_FILE=bad)
    assert check.items == ITEMS + ["padroes"]
    padroes = check.item("padroes")
    assert not padroes["ok"] and str(bad) in padroes["mensagem"] and "RPA_DEFAULTS_FILE" in padroes["correcao"]


def test_everything_good_against_the_simulated_portal(portal):
    check = verify(
        RPA_PORTAL_URL=portal.url,
        RPA_PORTAL_EMAIL=BROKER_EMAIL,
        RPA_PORTAL_SENHA=BROKER_SENHA,
        RPA_DEFAULTS_FILE=REPO / "config" / "defaults.json",
        CHROMIUM_PATH=os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium",
    )
    assert check.code == 0, check.stderr
    assert check.doc["status"] == "ok"
    assert check.items == ITEMS + ["padroes"]
    assert all(v["ok"] and v["correcao"] == "" for v in check.doc["verificacoes"])
    assert "HTTP 200" in check.item("portal")["mensagem"]
    assert "Chromium" in check.item("navegador")["mensagem"]
    assert BROKER_EMAIL not in check.stdout + check.stderr


def test_verificar_refuses_the_quote_arguments(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROBOT), "--verificar", "--session", "x", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert last["tipo"] == "erro_inesperado" and "--verificar" in last["mensagem"]
    assert list(tmp_path.iterdir()) == []
