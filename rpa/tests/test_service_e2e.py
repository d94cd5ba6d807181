"""End to end: a real quote through the service. `rpa-v4 serve` (real SQLite, real runner) runs
this robot (real Chromium) against the simulated portal; the quote requested with
POST /api/rpa/start ends `success` with both plans and the estimate in
GET /api/rpa/progress/{id}, and no personal data in the progress answer."""

import json
import time

import pytest
from contract_files import check_progress_answer
from service_harness import VISITOR, call, running_service


@pytest.fixture
def service(tmp_path, portal):
    with running_service(tmp_path, portal.url) as url:
        yield url


def test_quote_through_the_service(service, portal):
    status, started = call("POST", f"{service}/api/rpa/start", {**VISITOR, "gclid": "teste-123"})
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
