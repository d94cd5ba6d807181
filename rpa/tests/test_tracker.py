"""Tracker snapshots (contract §3): shapes, atomic replacement, append-only history, a single
terminal status, the confirmed vehicle kept from its step on and the calculation countdown only
while it shows."""

import json
import os
import threading

import pytest
from contract_files import check_snapshot_contract
from cotacao.errors import Cancelled, ManualQuote
from cotacao.tracker import Tracker, write_json_atomic
from test_readers import ABC_ALT, ABC_REC


def read(path):
    return json.loads(path.read_text())


def test_run_shapes_and_terminal_success(tmp_path):
    t = Tracker(tmp_path, "s1")
    t.start("Iniciando a cotação")
    p = read(t.progress_path)
    assert (p["status"], p["etapa_atual"], p["percentual"], p["total_etapas"]) == ("iniciando", 0, 0.0, 15)
    t.step(5, "Calculando a estimativa inicial")
    t.estimates({"coberturas_detalhadas": []}, "Estimativa pronta")
    p = read(t.progress_path)
    assert p["status"] == "executando" and p["percentual"] == 33.33
    assert p["dados_extra"]["estimativas_tela_5"] == {"coberturas_detalhadas": []}
    t.succeed({"plano_recomendado": {"valor": "R$ 1,00"}, "plano_alternativo": {}}, "fim")
    p, h, r = read(t.progress_path), read(t.history_path), read(t.result_path)
    assert (p["status"], p["etapa_atual"], p["percentual"]) == ("success", 15, 100.0)
    assert r["dados_finais"]["plano_recomendado"]["valor"] == "R$ 1,00" and r["status"] == "success"
    assert [e["etapa"] for e in h["historico"]] == ["inicio", 5, "estimativas", "final"]
    assert h["status_final"] == "success" and h["timestamp_fim"]
    assert h["historico"][2]["dados_extra"] == {"coberturas_detalhadas": []}
    assert (
        "+" in p["timestamp_atualizacao"]
        or p["timestamp_atualizacao"].endswith("Z")
        or "-" in p["timestamp_atualizacao"][19:]
    )


def test_only_the_first_ending_counts(tmp_path):
    t = Tracker(tmp_path, "s2")
    t.start("Iniciando")
    t.step(15, "Calculando")
    t.fail(ManualQuote().entry("2026-01-01T00:00:00+00:00"), "manual")
    t.fail(Cancelled().entry("2026-01-01T00:00:01+00:00"), "cancelado")
    t.succeed({"plano_recomendado": {}}, "x")
    t.step(3, "depois do fim")
    p, r = read(t.progress_path), read(t.result_path)
    assert p["status"] == "error" and p["etapa_atual"] == 15
    assert [e["tipo"] for e in p["erros"]] == ["cotacao_manual"]
    assert r["dados_finais"] == {}
    assert [e["etapa"] for e in read(t.history_path)["historico"]] == ["inicio", 15, "erro", "final"]


def test_atomic_write_never_exposes_a_partial_file(tmp_path):
    path = tmp_path / "progress_x.json"
    write_json_atomic(path, {"n": 0})
    stop, bad = threading.Event(), []

    def reader():
        while not stop.is_set():
            try:
                json.loads(path.read_text())
            except ValueError as exc:
                bad.append(str(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    big = "x" * 200_000
    for n in range(200):
        write_json_atomic(path, {"n": n, "pad": big})
    stop.set()
    thread.join()
    assert not bad
    assert read(path)["n"] == 199
    assert [f for f in os.listdir(tmp_path) if f.endswith(".tmp")] == []


def test_the_vehicle_stays_in_progress_from_its_step_on(tmp_path):
    t = Tracker(tmp_path, "s3")
    t.start("Iniciando")
    t.step(2, "Placa")
    assert "veiculo" not in read(t.progress_path)
    t.vehicle("ECOSPORT 2007/2007")
    t.step(3, "Confirmando", {"tela": "confirmacao", "veiculo": "ECOSPORT 2007/2007"})
    written = [read(t.progress_path)]
    t.step(4, "Seguro novo")
    written.append(read(t.progress_path))
    t.countdown(160)
    written.append(read(t.progress_path))
    t.fail(ManualQuote().entry("2026-01-01T00:00:00+00:00"), "manual")
    written.append(read(t.progress_path))
    assert [p["veiculo"] for p in written] == ["ECOSPORT 2007/2007"] * 4
    assert read(t.history_path)["historico"][2]["dados_extra"]["veiculo"] == "ECOSPORT 2007/2007"
    for p in written:
        check_snapshot_contract("progress", p)
    check_snapshot_contract("history", read(t.history_path))


@pytest.mark.parametrize("ending", ["success", "manual"])
def test_the_countdown_shows_while_it_runs_and_never_after(tmp_path, monkeypatch, ending):
    from cotacao import tracker

    writes = []
    monkeypatch.setattr(
        tracker, "write_json_atomic", lambda path, doc: writes.append(path) or write_json_atomic(path, doc)
    )
    t = Tracker(tmp_path, "s4")
    t.start("Iniciando")
    t.step(15, "Calculando")
    assert "calculo" not in read(t.progress_path)
    seen = []
    for restante in (163, 163, 162, None, 161, 170, 0):
        t.countdown(restante)
        seen.append(read(t.progress_path).get("calculo"))
    assert seen == [
        {"restante_s": 163, "total_s": 163},
        {"restante_s": 163, "total_s": 163},
        {"restante_s": 162, "total_s": 163},
        None,  # it blinked off: absent, and its total is kept
        {"restante_s": 161, "total_s": 163},
        {"restante_s": 170, "total_s": 170},  # started again, higher
        {"restante_s": 0, "total_s": 170},
    ]
    written = len(writes)
    t.countdown(0)  # unchanged: not written again
    t.countdown(None)
    t.countdown(None)  # already absent: not written again
    assert writes[written:] == [t.progress_path]
    assert "calculo" not in read(t.progress_path)
    if ending == "success":
        t.succeed({"plano_recomendado": ABC_REC, "plano_alternativo": ABC_ALT}, "fim")
    else:
        t.fail(ManualQuote().entry("2026-01-01T00:00:00+00:00"), "manual")
    t.countdown(5)  # after the ending: ignored
    final = read(t.progress_path)
    assert "calculo" not in final and final["status"] in ("success", "error")
    check_snapshot_contract("progress", final)
