"""The robot as a process, without the simulated portal: bad command lines and inputs end with
the right exit code and terminal snapshot before any browser starts; an unreachable portal is
`portal_indisponivel` with evidence saved; SIGTERM during a hung Playwright call ends promptly
as `cancelado` and leaves no browser process behind."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading

import pytest
from robot_harness import (
    ROBOT,
    check_snapshots,
    interrupt_mid_run,
    quote_input,
    robot_env,
    run_robot,
    start_robot,
    wait_for,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hung_portal():
    """A server on 127.0.0.1 that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/imediatosolucoes"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_usage_error_prints_json_and_exits_1(tmp_path):
    proc = subprocess.run([sys.executable, str(ROBOT), "--session", "x"], capture_output=True, text=True)
    assert proc.returncode == 1
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert last["tipo"] == "erro_inesperado" and "--data-dir" in last["mensagem"]


def test_unsafe_session_id_is_refused(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROBOT), "--data", "{}", "--session", "../x", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1 and list(tmp_path.iterdir()) == []


def test_missing_personal_field_is_business_rejection(tmp_path):
    run = run_robot(quote_input(data_nascimento=None), tmp_path, "http://127.0.0.1:9/")
    assert run.code == 2
    err = run.error()
    assert (err["tipo"], err["campo"]) == ("rejeitado_data_nascimento", "data_nascimento")
    assert "Data de nascimento" in err["mensagem"]
    assert run.last_line == {
        "status": "error",
        "codigo": 2,
        "tipo": "rejeitado_data_nascimento",
        "mensagem": err["mensagem"],
    }
    assert run.progress["etapa_atual"] == 0
    check_snapshots(run)


def test_unreadable_data_file_is_technical(tmp_path):
    run = run_robot("{não é json", tmp_path, "http://127.0.0.1:9/")
    assert run.code == 1 and run.error()["tipo"] == "erro_inesperado"
    assert "JSON" in run.error()["sugestao"]
    check_snapshots(run)


def test_unreadable_defaults_file_is_technical(tmp_path):
    doc = quote_input()
    del doc["combustivel"]
    missing = tmp_path / "nao_existe.json"
    run = run_robot(doc, tmp_path, "http://127.0.0.1:9/", RPA_DEFAULTS_FILE=missing)
    assert run.code == 1 and run.error()["tipo"] == "erro_inesperado"
    assert f"arquivo de respostas padrão {missing}" in run.error()["sugestao"]
    assert "Traceback" not in run.stderr
    check_snapshots(run)


def test_missing_credentials_fail_before_the_browser(tmp_path):
    run = run_robot(quote_input(), tmp_path, "http://127.0.0.1:9/", RPA_PORTAL_EMAIL="", RPA_PORTAL_SENHA="")
    assert run.code == 1
    err = run.error()
    assert err["tipo"] == "configuracao_invalida"
    assert "Credenciais do portal ausentes" in err["sugestao"] and "RPA_PORTAL_CREDENTIALS" in err["sugestao"]
    assert run.last_line == {
        "status": "error",
        "codigo": 1,
        "tipo": "configuracao_invalida",
        "mensagem": err["mensagem"],
    }
    assert run.progress["etapa_atual"] == 0
    check_snapshots(run)


def test_malformed_timeout_is_a_configuration_problem(tmp_path):
    run = run_robot(quote_input(), tmp_path, "http://127.0.0.1:9/", RPA_TIMEOUT_TELA_S="abc")
    assert run.code == 1 and run.error()["tipo"] == "configuracao_invalida"
    assert "RPA_TIMEOUT_TELA_S" in run.error()["sugestao"]
    check_snapshots(run)


def test_missing_chromium_is_a_configuration_problem(tmp_path):
    missing = tmp_path / "sem-chromium"
    run = run_robot(quote_input(), tmp_path, "http://127.0.0.1:9/", CHROMIUM_PATH=missing)
    assert run.code == 1 and run.error()["tipo"] == "configuracao_invalida"
    assert str(missing) in run.error()["sugestao"] and "CHROMIUM_PATH" in run.error()["sugestao"]
    assert run.last_line["tipo"] == "configuracao_invalida"
    check_snapshots(run)


def test_playwright_missing_executable_maps_to_configuration():
    from cotacao.cli import browser_missing
    from playwright._impl._errors import Error as PlaywrightError

    gone = PlaywrightError(
        "BrowserType.launch: Failed to launch chromium because executable doesn't exist at /opt/chromium/chrome"
    )
    mapped = browser_missing(gone)
    assert mapped is not None and mapped.tipo == "configuracao_invalida"
    assert "/opt/chromium/chrome" in mapped.sugestao
    assert (
        browser_missing(PlaywrightError("BrowserType.launch: Target page, context or browser has been closed")) is None
    )
    assert browser_missing(FileNotFoundError("executable doesn't exist")) is None


def test_credentials_file_is_used_and_never_echoed(tmp_path, hung_portal):
    cred = tmp_path / "cred.json"
    cred.write_text(json.dumps({"email": "corretor@example.com", "senha": "segredo-unico-123"}))
    run = run_robot(
        quote_input(),
        tmp_path,
        "http://127.0.0.1:9/",
        RPA_PORTAL_EMAIL="",
        RPA_PORTAL_SENHA="",
        RPA_PORTAL_CREDENTIALS=str(cred),
    )
    assert run.error()["tipo"] == "portal_indisponivel"
    everything = run.stdout + run.stderr + "".join(p.read_text(errors="ignore") for p in run.data_dir.iterdir())
    assert "segredo-unico-123" not in everything


def test_unreachable_portal_saves_evidence(tmp_path):
    port = free_port()  # nothing listens there
    run = run_robot(quote_input(), tmp_path, f"http://127.0.0.1:{port}/imediatosolucoes")
    assert run.code == 1
    err = run.error()
    assert err["tipo"] == "portal_indisponivel" and "RPA_PORTAL_URL" in err["sugestao"]
    evidence = sorted(p.name for p in run.data_dir.glob("falha_*"))
    assert [n.rsplit(".", 1)[1] for n in evidence] == ["html", "png"]
    assert all(n.startswith("falha_sessao_teste_etapa1_") for n in evidence)
    check_snapshots(run)


def test_navigation_timeout_names_the_screen(tmp_path, hung_portal):
    """The portal never answers: the navigation still pending is stopped, so the evidence shows
    the page as it stands instead of each capture waiting out its bound for nothing."""
    run = run_robot(quote_input(), tmp_path, hung_portal, RPA_TIMEOUT_NAVEGACAO_S="2", timeout=60)
    assert run.code == 1
    assert run.error()["tipo"] in ("portal_indisponivel", "tela_nao_carregou")
    evidence = sorted(p.name for p in run.data_dir.glob("falha_*"))
    assert [n.rsplit(".", 1)[1] for n in evidence] == ["html", "png"], run.stderr
    assert "não salva" not in run.stderr
    check_snapshots(run)


@pytest.mark.parametrize("whole_group", [False, True], ids=["sigterm-robo", "sigterm-grupo"])
def test_sigterm_during_a_playwright_call(tmp_path, hung_portal, whole_group):
    """The robot is blocked in page.goto on a portal that never answers (300 s budget)."""

    def sigterm(proc, tree):
        if whole_group:  # as the service does: the robot leads its own process group
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGTERM)

    end = interrupt_mid_run(
        hung_portal,
        tmp_path / "dados",
        1,
        sigterm,
        inline=whole_group,
        new_group=whole_group,
        RPA_TIMEOUT_NAVEGACAO_S="300",
    )
    assert end.code == 1
    assert end.progress["status"] == "error" and end.progress["erros"][0]["tipo"] == "cancelado"
    assert end.last_line["tipo"] == "cancelado"
    assert end.history["status_final"] == "error" and end.history["historico"][-1]["etapa"] == "final"
    assert end.survivors() == [], f"processos do navegador vivos: {end.survivors()}"
    assert end.seconds < 25  # bounded: far below the hung navigation's 300 s


def test_sigterm_right_at_start(tmp_path, hung_portal):
    """SIGTERM as soon as the first snapshot exists (before or while the browser starts)."""
    data_dir = tmp_path / "dados"
    proc = start_robot(quote_input(), data_dir, "s0", robot_env(hung_portal))
    try:
        wait_for(lambda: (data_dir / "progress_s0.json").exists(), 60, "o primeiro snapshot")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1
    progress = json.loads((data_dir / "progress_s0.json").read_text())
    assert progress["status"] == "error" and [e["tipo"] for e in progress["erros"]] == ["cancelado"]
    assert json.loads(out.strip().splitlines()[-1])["tipo"] == "cancelado"
    history = json.loads((data_dir / "history_s0.json").read_text())
    assert [e["etapa"] for e in history["historico"]][-2:] == ["erro", "final"]
