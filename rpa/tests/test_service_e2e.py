"""End to end: a real quote through the service. `rpa-v4 serve` (real SQLite, real runner) runs
this robot (real Chromium) against the simulated portal; the quote requested with
POST /api/rpa/start ends `success` with both plans and the estimate in
GET /api/rpa/progress/{id}, and no personal data in the progress answer."""

import json
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from contract_files import check_progress_answer
from robot_harness import BROKER_EMAIL, BROKER_SENHA, REPO, ROBOT, TARGET

SERVICE = TARGET / "rpa-v4"
PYTHON = REPO / ".venv" / "bin" / "python"


@pytest.fixture
def service(tmp_path, portal):
    if not SERVICE.exists():
        pytest.fail(f"{SERVICE} não existe: rode scripts/setup.sh (cargo build --bins)")
    (tmp_path / "static").mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "RPA_LISTEN": "127.0.0.1:0",
        "RPA_DB": str(tmp_path / "rpa.db"),
        "RPA_DATA_DIR": str(tmp_path / "jobs"),
        "RPA_SLOTS": "2",
        "RPA_COMMAND": f"{PYTHON} {ROBOT}",
        "RPA_DEFAULTS_FILE": str(REPO / "config" / "defaults.json"),
        "RPA_STATIC_DIR": str(tmp_path / "static"),
        "RPA_JOB_TIMEOUT_S": "180",
        "RPA_PORTAL_URL": portal.url,
        "RPA_PORTAL_EMAIL": BROKER_EMAIL,
        "RPA_PORTAL_SENHA": BROKER_SENHA,
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
    deadline = time.monotonic() + 60
    while not found and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if not found:
        proc.kill()
        pytest.fail("o serviço não iniciou: " + (tmp_path / "service.log").read_text()[-2000:])
    yield found[0].rstrip("/")
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


def test_quote_through_the_service(service, portal):
    status, started = call(
        "POST",
        f"{service}/api/rpa/start",
        {
            "cpf": "529.982.247-25",
            "nome": "FULANO DE TAL",
            "placa": "abc-1d23",
            "cep": "01310-100",
            "email": "fulano.teste@example.com",
            "telefone": "(11) 98765-4321",
            "data_nascimento": "15/03/1985",
            "sexo": "Masculino",
            "estado_civil": "Casado",
            "gclid": "teste-123",
        },
    )
    assert status == 200 and started["success"], started
    session = started["session_id"]
    deadline, progress, seen = time.monotonic() + 240, None, set()
    while time.monotonic() < deadline:
        status, body = call("GET", f"{service}/api/rpa/progress/{session}")
        assert status == 200, body
        check_progress_answer(body)
        progress = body["progress"]
        seen.add(progress["status"])
        if progress["status"] in ("success", "error"):
            break
        time.sleep(0.2)
    assert progress["status"] == "success", json.dumps(progress, ensure_ascii=False)[:2000]
    assert (progress["etapa_atual"], progress["percentual"]) == (15, 100.0)
    assert progress["resultados_finais"]["rpa_finalizado"] is True
    assert progress["resultados_finais"]["dados"] == portal.expected_plans("ABC1D23")
    assert progress["estimativas"]["capturadas"] is True
    coberturas = progress["estimativas"]["dados"]["coberturas_detalhadas"]
    assert [c["nome_cobertura"] for c in coberturas] == ["Compreensiva", "Roubo e Furto", "RCF"]
    assert progress["erros"] == []
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("FULANO", "52998224725", "529.982.247-25", "fulano.teste", "98765-4321", "15/03/1985"):
        assert personal not in text
    assert "running" in seen or "waiting" in seen
