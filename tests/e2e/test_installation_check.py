"""The installation check with the real robot, real Chromium and the simulated portal: `rpa-v4
check` passes on a good installation and names what is missing on a bad one; `rpa-v4 serve`
without the portal credentials says so in health and keeps the visitor's quote waiting, with no
robot run, instead of failing it as a technical error."""

import json
import subprocess
import time
import urllib.error
import urllib.request

from modal_servers import PORTAL_EMAIL, ROOT, Process, binary, free_port

PERSON = {
    "cpf": "529.982.247-25",
    "nome": "FULANO DE TAL",
    "placa": "ABC1D23",
    "cep": "01310-100",
    "email": "fulano@example.com",
    "telefone": "(11) 98765-4321",
    "data_nascimento": "15/03/1985",
    "sexo": "Masculino",
    "estado_civil": "Solteiro",
}


def check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary("rpa-v4")), "check"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180
    )


def installation(service_env: dict, **changes: str) -> dict:
    env = dict(service_env)
    env.update(changes)
    return env


def test_check_passes_on_a_good_installation_and_names_missing_credentials(service):
    good = check(service.env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Tudo certo" in good.stdout
    for item in ("robo", "credenciais", "navegador", "portal"):
        assert f"ok   {item}:" in good.stdout, good.stdout

    bad = check(installation(service.env, RPA_PORTAL_EMAIL="", RPA_PORTAL_SENHA=""))
    assert bad.returncode == 1, bad.stdout
    assert "ERRO credenciais:" in bad.stdout and "RPA_PORTAL_EMAIL" in bad.stdout, bad.stdout
    assert PORTAL_EMAIL not in bad.stdout + bad.stderr

    broken = check(installation(service.env, CHROMIUM_PATH="/nao/existe/chromium"))
    assert broken.returncode == 1 and "ERRO navegador:" in broken.stdout, broken.stdout


def get_json(base: str, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_serve_without_credentials_holds_quotes_and_says_why(service, e2e_tmp):
    tmp = e2e_tmp / "sem-credenciais"
    tmp.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = installation(
        service.env,
        RPA_PORTAL_EMAIL="",
        RPA_PORTAL_SENHA="",
        RPA_LISTEN=f"127.0.0.1:{port}",
        RPA_METRICS_LISTEN="desligado",
        RPA_PREFLIGHT_INTERVAL_S="3",  # a failing check is retried within the interval (30 s at most)
        RPA_DB=str(tmp / "rpa.db"),
        RPA_DATA_DIR=str(tmp / "jobs"),
    )
    proc = Process([str(binary("rpa-v4")), "serve"], env, tmp / "rpa-v4.log")
    try:
        proc.wait_for_line(r"ouvindo em", 60)
        deadline = time.monotonic() + 120
        while True:
            code, health = get_json(base, "/api/rpa/health")
            if health["verificacao"]["estado"] == "falhou":
                break
            assert time.monotonic() < deadline, health
            time.sleep(0.2)
        assert (code, health["status"]) == (503, "unhealthy"), health
        assert any("credenciais" in m for m in health["motivos"]), health

        req = urllib.request.Request(
            base + "/api/rpa/start", data=json.dumps(PERSON).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as res:
            session = json.loads(res.read())["session_id"]
        # Another check runs while the quote waits; no robot is started for it.
        first = health["verificacao"]["verificado_em"]
        deadline = time.monotonic() + 90
        while get_json(base, "/api/rpa/health")[1]["verificacao"]["verificado_em"] == first:
            assert time.monotonic() < deadline, "the failing check is retried"
            time.sleep(0.5)
        _, progress = get_json(base, f"/api/rpa/progress/{session}")
        assert progress["progress"]["status"] == "waiting", progress
        assert not (tmp / "jobs" / session / "robo.log").exists(), "no robot ran"
    finally:
        proc.stop()
