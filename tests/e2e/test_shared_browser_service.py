"""The shared browser through the whole product: `rpa-v4 serve` opens one Chromium behind the
robot's browser server, the real robot quotes in its own context of it against the simulated
portal. A browser killed mid-quote is
replaced at once and the quote, retried, ends with its plans; a quote past its time limit ends
`timeout` and leaves no page behind."""

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

from cotacao import proctree  # rpa/ is on the path: conftest imports modal_servers first
from modal_servers import start_portal, start_service

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


def portal_in(e2e_tmp, name: str, args: list[str]):
    d = e2e_tmp / name
    d.mkdir()
    return start_portal(d, args)


def start_quote(service, placa: str) -> str:
    body = dict(PERSON, placa=placa)
    req = urllib.request.Request(
        service.base_url + "/api/rpa/start",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read())["session_id"]


def service_pid(service) -> int:
    return service.process.proc.pid


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def browsers(service, tree: dict[int, list[int]] | None = None) -> list[int]:
    """The service's Chromium main processes (its profiles are named after its pid; Chromium
    talks to its server over a pipe). A child Chromium just forked carries its parent's command
    line until its exec: a match whose parent matches too is not a browser."""
    marker = f"rpa-v4-navegador-{service_pid(service)}-"
    tree = proctree.children_map() if tree is None else tree
    matching = {
        pid
        for children in tree.values()
        for pid in children
        if marker in (cmd := cmdline(pid)) and "--remote-debugging-pipe" in cmd and "--type=" not in cmd
    }
    return sorted(matching - {child for pid in matching for child in tree.get(pid, [])})


def pages(service) -> list[int]:
    """The renderer processes of the service's browsers: one per open page (the browser has no
    DevTools port to list its pages through)."""
    tree = proctree.children_map()
    return [
        pid
        for browser in browsers(service, tree)
        for pid in proctree.descendants(browser, tree)
        if "--type=renderer" in cmdline(pid)
    ]


def wait(what: str, cond, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_shared_browser_killed_mid_quote_is_replaced_and_the_quote_retried_to_success(e2e_tmp):
    portal = portal_in(e2e_tmp, "shared-kill-portal", ["--fault", "4:slow:5"])
    service = start_service(e2e_tmp / "shared-kill", portal)
    try:
        assert service.get_json("/api/rpa/health")[1]["navegador"]["modo"] == "compartilhado"
        first = wait("the shared browser", lambda: browsers(service))
        session = start_quote(service, "ABC1D23")
        wait("the quote at screen 3 (screen 4 takes 5 s)", lambda: service.progress(session)["etapa_atual"] >= 3)
        os.killpg(first[0], signal.SIGKILL)
        progress = service.wait_terminal(session)
        assert progress["status"] == "success", progress
        planos = progress["resultados_finais"]["dados"]
        assert planos["plano_recomendado"]["valor"] and planos["plano_alternativo"]["valor"], planos
        attempts = service.query("SELECT attempts FROM jobs WHERE session_id = ?", (session,))[0][0]
        assert attempts == 2, "the quote lost with the browser was retried once"
        health = service.get_json("/api/rpa/health")[1]
        assert health["navegador"]["reinicios"] == 1, health
        assert browsers(service) and first[0] not in browsers(service)
    finally:
        service.process.stop()
        portal.process.stop()


def test_a_quote_past_its_time_limit_in_shared_mode_ends_timeout_and_leaves_no_page(e2e_tmp):
    portal = portal_in(e2e_tmp, "shared-timeout-portal", ["--fault", "7:slow:120"])
    service = start_service(e2e_tmp / "shared-timeout", portal, RPA_JOB_TIMEOUT_S="12", RPA_KILL_GRACE_S="2")
    try:
        wait("the shared browser", lambda: browsers(service))
        session = start_quote(service, "ABC1D23")
        wait("a page of the quote", lambda: pages(service))
        progress = service.wait_terminal(session)
        assert progress["erros"][-1]["tipo"] == "timeout", progress
        wait("the quote's page closed", lambda: not pages(service), 30)
        assert browsers(service), "the shared browser itself stays"
    finally:
        service.process.stop()
        portal.process.stop()
