"""The robot on a shared browser, both ways one is reached:

- the service's browser server (`RPA_BROWSER_SERVER`): rpa/browser_server.py started as the
  service starts it (Chromium over a pipe, no DevTools port; Playwright's protocol at a secret
  endpoint). Quotes end with the portal's exact plans and launch no Chromium of their own; two
  quotes at once see nothing of each other (cookies, storage, cache, contexts); SIGKILL, SIGTERM
  and the end of a quote leave no page behind and never close the browser; a browser that dies
  mid-quote ends the run at once as a technical failure; the endpoint never shows in an output;
- a Chromium with a DevTools port (`RPA_BROWSER_ENDPOINT`, how a browser on another machine is
  reached), over CDP: quotes, the end of a quote and `--verificar`.

A Chromium behind the server has no port to look into: what it holds is seen through its
renderer processes (one per open page)."""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import signal
import socket
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from cotacao import proctree
from cotacao.browser_server_process import BrowserServer
from cotacao.config import (
    ConfigError,
    Settings,
    SharedBrowser,
    Timeouts,
    load_browser_endpoint,
    load_browser_server,
    load_shared_browser,
)
from cotacao.devtools import SharedChromium
from robot_harness import (
    RobotRun,
    SnapshotWatcher,
    check_snapshots,
    quote_input,
    robot_env,
    run_robot,
    start_robot,
    wait_for,
)
from test_preflight import closed_port, verify

PLACA = "ABC1D23"


@pytest.fixture(scope="module")
def server():
    """The service's browser server, for the tests that leave it running."""
    with BrowserServer() as browser:
        yield browser


@pytest.fixture
def own_server():
    """A browser server of the test's own (for the tests that kill its Chromium)."""
    with BrowserServer() as browser:
        yield browser


@pytest.fixture(scope="module")
def chromium():
    """A Chromium with a DevTools port, as one on another machine is reached."""
    browser = SharedChromium()
    yield browser
    browser.close()


def assert_clean(browser: SharedChromium, pages: set[str], timeout: float = 15) -> None:
    """Chromium alive, no browser context but the default one and only the pages it had
    before (waits, bounded, for Chromium to dispose what a dead client left)."""
    assert browser.alive(), "o Chromium compartilhado foi encerrado"
    state = {}

    def clean():
        state["contexts"] = browser.contexts()
        state["pages"] = {t["id"] for t in browser.page_targets()}
        return state["contexts"] == [] and state["pages"] == pages

    try:
        wait_for(clean, timeout, "o Chromium compartilhado sem contextos nem páginas da cotação")
    except AssertionError:
        raise AssertionError(f"sobraram no Chromium compartilhado: {state}") from None


def assert_server_clean(server: BrowserServer, renderers: int, timeout: float = 15) -> None:
    """The server and its Chromium alive, and no renderer beyond the `renderers` it had before
    (waits, bounded, for the server to close what a dropped connection left)."""
    assert server.alive(), "o navegador do serviço foi encerrado"
    assert server.wait_renderers(renderers, timeout), f"sobraram páginas no navegador do serviço: {server.renderers()}"


def chromium_in_tree(pid: int) -> list[int]:
    found = []
    for child in proctree.descendants(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"chromium" in cmdline.lower():
            found.append(child)
    return found


def driver_node_options(pid: int) -> list[str]:
    """NODE_OPTIONS of the Playwright drivers (Node) in the tree of `pid`."""
    found = []
    for child in proctree.descendants(pid):
        try:
            if not Path(f"/proc/{child}/exe").resolve().name == "node":
                continue
            environ = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        found += [e.split(b"=", 1)[1].decode() for e in environ if e.startswith(b"NODE_OPTIONS=")] or [""]
    return found


def progress_of(data_dir: Path, session: str) -> dict | None:
    try:
        return json.loads((data_dir / f"progress_{session}.json").read_text())
    except (FileNotFoundError, ValueError):
        return None


# -- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:9222",
        "http://localhost:9222/",
        "https://navegador.interno:9443",
        "ws://127.0.0.1:9222/devtools/browser/8a3f0c7e-0000-4000-8000-000000000000",
        "wss://[::1]:9222/x",
        "unix:///var/lib/rpa-v4/navegador-remoto/cdp.sock",
    ],
)
def test_endpoint_formats_accepted(value):
    assert load_browser_endpoint({"RPA_BROWSER_ENDPOINT": f" {value} "}) == value


@pytest.mark.parametrize("value", ["", "   "])
def test_endpoint_unset_means_own_browser(value):
    assert load_browser_endpoint({"RPA_BROWSER_ENDPOINT": value}) == ""
    assert load_browser_endpoint({}) == ""


@pytest.mark.parametrize(
    "value",
    [
        "127.0.0.1:9222",
        "ftp://127.0.0.1:9222",
        "http://:9222",
        "http://127.0.0.1:99999",
        "ws:///devtools/browser/x",
        "unix://cdp.sock",
    ],
)
def test_endpoint_formats_rejected(value):
    with pytest.raises(ConfigError) as caught:
        load_browser_endpoint({"RPA_BROWSER_ENDPOINT": value})
    assert "RPA_BROWSER_ENDPOINT" in caught.value.problema
    assert "RPA_BROWSER_ENDPOINT" in caught.value.correcao


SERVER = "ws+unix:///tmp/rpa-v4-navegador-1-1/servidor.sock:/3f2a9c0e7b5d4e1f8a6b2c9d0e1f2a3b"


def test_server_endpoint_accepted_and_winning_over_an_endpoint():
    assert load_browser_server({"RPA_BROWSER_SERVER": f" {SERVER} "}) == SERVER
    both = load_shared_browser({"RPA_BROWSER_SERVER": SERVER, "RPA_BROWSER_ENDPOINT": "http://127.0.0.1:9222"})
    assert both == SharedBrowser(SERVER, server=True)
    assert load_shared_browser({"RPA_BROWSER_ENDPOINT": "http://127.0.0.1:9222"}).server is False
    assert load_shared_browser({}) is None


def test_the_server_endpoint_is_never_shown():
    shared = SharedBrowser(SERVER, server=True)
    assert SERVER not in repr(shared) and SERVER not in shared.shown
    assert "3f2a9c0e" not in shared.hide(f"WebSocket error: {SERVER} 400 Bad Request")
    remote = SharedBrowser("ws://10.0.0.5:9222/devtools/browser/8a3f0c7e-0000-4000-8000-000000000000", server=False)
    assert remote.shown == "ws://10.0.0.5:9222 (RPA_BROWSER_ENDPOINT)"


@pytest.mark.parametrize(
    "value",
    [
        "ws://127.0.0.1:40123/segredo",  # a TCP port: any local user could reach it
        "ws+unix://relativo/servidor.sock:/segredo",  # not an absolute path
        "ws+unix:///tmp/servidor.sock:/",  # no path on the server
        "ws+unix:///tmp/servidor.sock/segredo",  # no separator between socket and path
        "segredo",
    ],
)
def test_server_endpoint_rejected_without_quoting_it(value):
    with pytest.raises(ConfigError) as caught:
        load_browser_server({"RPA_BROWSER_SERVER": value})
    assert "RPA_BROWSER_SERVER" in caught.value.problema
    assert "segredo" not in str(caught.value)


def test_malformed_endpoint_is_a_configuration_problem(tmp_path, portal):
    run = run_robot(quote_input(), tmp_path, portal.url, RPA_BROWSER_ENDPOINT="ftp://127.0.0.1:9222", timeout=60)
    assert run.code == 1
    err = run.error()
    assert err["tipo"] == "configuracao_invalida" and "RPA_BROWSER_ENDPOINT" in err["sugestao"]
    assert run.progress["etapa_atual"] == 0
    check_snapshots(run)


# -- quotes ----------------------------------------------------------------------------------


def quotes_at_once(tmp_path, portal, variables: dict[str, dict], during) -> tuple[dict, list[int], set[str]]:
    """One robot per entry of `variables` (its shared-browser variables), all at once; calls
    `during()` every 0.1 s while any runs. Returns the runs, the Chromium processes seen in the
    robots' trees and the drivers' NODE_OPTIONS."""
    runs, procs, seen_chromium, node_options = {}, {}, [], set()
    started = time.monotonic()
    for name, shared in variables.items():
        data_dir = tmp_path / name / "dados"
        data_dir.mkdir(parents=True)
        watcher = SnapshotWatcher(data_dir, name)
        watcher.start()
        procs[name] = (start_robot(quote_input(), data_dir, name, robot_env(portal.url, **shared)), watcher)
    try:
        deadline = time.monotonic() + 180
        while any(p.poll() is None for p, _ in procs.values()) and time.monotonic() < deadline:
            for proc, _ in procs.values():
                seen_chromium += chromium_in_tree(proc.pid)
                node_options.update(driver_node_options(proc.pid))
            during()
            time.sleep(0.1)
        for name, (proc, watcher) in procs.items():
            out, err = proc.communicate(timeout=max(1, deadline - time.monotonic()))
            watcher.stop()
            runs[name] = RobotRun(
                proc.returncode, out, err, watcher.paths["progress"].parent, name, time.monotonic() - started, watcher
            )
    finally:
        for proc, watcher in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            watcher.stop()
    expected = portal.expected_plans(PLACA)
    for name, run in runs.items():
        assert run.code == 0, f"{name}: {run.stderr[-2000:]}"
        check_snapshots(run)
        assert run.result["dados_finais"] == expected
        assert "navegador compartilhado" in run.stderr
    return runs, seen_chromium, node_options


def test_two_quotes_at_once_on_the_service_browser(tmp_path, portal, server):
    """Two robots at once on the service's browser server: both end with the portal's exact
    plans, neither starts a Chromium, the endpoint shows in no output, and the browser is left as
    found. While they run Chromium holds one renderer per quote, no WebUI page of its own (the
    omnibox popups each window would preload), and each driver runs with the small V8 young
    generation."""
    idle = len(server.renderers())
    most = [idle]
    variables = {name: {"RPA_BROWSER_SERVER": server.endpoint} for name in ("a", "b")}
    runs, seen_chromium, node_options = quotes_at_once(
        tmp_path, portal, variables, lambda: most.append(len(server.renderers()))
    )
    assert seen_chromium == [], "o robô iniciou um Chromium próprio"
    # One renderer per quote's page, plus the spare one Chromium keeps ready for the next
    # navigation; the omnibox popups would add two per quote.
    assert max(most) <= idle + 2 + 1, f"renderizadores: ocioso {idle}, no pico {max(most)}"
    assert node_options == {"--max-semi-space-size=1"}, node_options
    secret = server.endpoint.rsplit("/", 1)[1]
    for run in runs.values():
        written = "".join(p.read_text() for p in run.data_dir.glob("*"))
        assert secret not in run.stdout + run.stderr + written, "o endereço do navegador do serviço vazou"
    assert_server_clean(server, idle, timeout=5)


def test_two_quotes_at_once_on_a_chromium_elsewhere(tmp_path, portal, chromium):
    """Two robots at once on a Chromium reached over CDP, one given the http:// endpoint and one
    the ws:// one: both end with the portal's exact plans, neither starts a Chromium, and the
    browser is left as found, with no WebUI page of its own."""
    pages = {t["id"] for t in chromium.page_targets()}
    seen_types: set[str] = set()
    variables = {
        "http": {"RPA_BROWSER_ENDPOINT": chromium.http_endpoint},
        "ws": {"RPA_BROWSER_ENDPOINT": chromium.ws_endpoint},
    }
    _, seen_chromium, _ = quotes_at_once(
        tmp_path, portal, variables, lambda: seen_types.update(chromium.target_types())
    )
    assert seen_chromium == [], "o robô iniciou um Chromium próprio"
    assert "page" in seen_types and "browser_ui" not in seen_types, seen_types
    assert_clean(chromium, pages, timeout=5)


class _Site(http.server.ThreadingHTTPServer):
    """A page and a cacheable resource; counts the resource's requests and records the cookies
    sent with the page's."""

    daemon_threads = True

    def __init__(self):
        self.hits = 0
        self.cookies: list[str] = []
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        site = self.server
        if self.path == "/":
            site.cookies.append(self.headers.get("Cookie") or "")
        if self.path == "/recurso":
            site.hits += 1
            body, headers = b"recurso", {"Cache-Control": "max-age=3600", "Content-Type": "text/plain"}
        else:
            body, headers = b"<!doctype html><title>isolamento</title><p>ok</p>", {"Content-Type": "text/html"}
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_concurrent_contexts_share_nothing(server):
    """Two quotes' pages open at once through the robot's own `open_page` on the service's
    browser, on the same origin: a cookie, a localStorage value and a cached response of one
    are absent from the other, and neither connection sees the other's context."""
    from cotacao.browser import open_page

    site = _Site()
    threading.Thread(target=site.serve_forever, daemon=True).start()
    settings = Settings(
        portal_url=site.base,
        chromium_path="/nao-usado",
        shared_browser=SharedBrowser(server.endpoint, server=True),
        timeouts=Timeouts(navegacao=30, tela=30, fechamento=10),
    )
    fetch = "async () => (await fetch('/recurso')).text()"

    async def both():
        async with open_page(settings) as a, open_page(settings) as b:
            assert a.context is not b.context
            assert a.context.browser.contexts == [a.context] and b.context.browser.contexts == [b.context]
            await a.goto(site.base + "/")
            await b.goto(site.base + "/")
            await a.evaluate("() => { document.cookie = 'sessao=A; path=/'; localStorage.setItem('chave', 'A'); }")
            assert await a.evaluate(fetch) == "recurso"
            assert await a.evaluate(fetch) == "recurso"
            hits_a = site.hits
            seen_b = await b.evaluate("() => [document.cookie, localStorage.getItem('chave')]")
            assert await b.evaluate(fetch) == "recurso"
            await b.evaluate("() => { document.cookie = 'sessao=B; path=/'; }")
            await b.reload()
            await a.reload()
            seen_a = await a.evaluate("() => [document.cookie, localStorage.getItem('chave')]")
            return hits_a, seen_b, site.hits, seen_a

    idle = len(server.renderers())
    try:
        hits_a, seen_b, hits, seen_a = asyncio.run(both())
        cookies = list(site.cookies)
    finally:
        site.shutdown()
        site.server_close()
    assert hits_a == 1, "a segunda busca do recurso na cotação A não veio do cache dela"
    assert seen_b == ["", None], f"a cotação B viu dados da A: {seen_b}"
    assert hits == 2, "a cotação B usou o cache da cotação A"
    assert seen_a == ["sessao=A", "A"]
    # What the server received on the reloads: each page only its own cookie.
    assert cookies[-2:] == ["sessao=B", "sessao=A"]
    assert_server_clean(server, idle, timeout=5)


# -- endings ---------------------------------------------------------------------------------


def test_sigkill_leaves_no_page(tmp_path, portal_with, server):
    """The robot's process group killed with SIGKILL (as the service's hard limit does) at
    several points of the quote: the server closes the robot's context and page as its
    connection drops, the browser stays up, and the robot's driver dies with the group."""
    portal = portal_with("--fault", "10:slow:300")  # no quote ends before its kill
    idle = len(server.renderers())
    for i, etapa in enumerate((0, 1, 3, 6, 9)):
        data_dir = tmp_path / f"k{i}"
        proc = start_robot(
            quote_input(),
            data_dir,
            "s",
            robot_env(portal.url, RPA_BROWSER_SERVER=server.endpoint),
            new_group=True,
        )
        try:
            reached = partial(_reached, data_dir, etapa)
            wait_for(reached, 60, f"a etapa {etapa}")
            group = proctree.tree_identities(proc.pid)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        assert_server_clean(server, idle)
        # Killed a moment ago: the driver may still be tearing down on a loaded machine.
        wait_for(partial(_all_gone, group), 10, "o fim do driver do robô")


def _reached(data_dir, etapa):
    progress = progress_of(data_dir, "s")
    return progress and progress["etapa_atual"] >= etapa


def _all_gone(identities):
    return not any(proctree.is_alive(i) for i in identities)


def test_sigterm_closes_only_its_context(tmp_path, portal_with, server):
    portal = portal_with("--fault", "7:slow:300")
    idle = len(server.renderers())
    data_dir = tmp_path / "dados"
    proc = start_robot(
        quote_input(),
        data_dir,
        "s",
        robot_env(portal.url, RPA_TIMEOUT_TELA_S="300", RPA_BROWSER_SERVER=server.endpoint),
        new_group=True,
    )
    try:
        wait_for(lambda: (lambda p: p and p["etapa_atual"] == 6)(progress_of(data_dir, "s")), 60, "a etapa 6")
        assert len(server.renderers()) > idle, "a página da cotação não está no navegador do serviço"
        tree = proctree.tree_identities(proc.pid)
        started = time.monotonic()
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
        seconds = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1 and seconds < 25
    assert json.loads(out.strip().splitlines()[-1])["tipo"] == "cancelado"
    progress = progress_of(data_dir, "s")
    assert progress["status"] == "error" and progress["erros"][0]["tipo"] == "cancelado"
    assert_server_clean(server, idle, timeout=5)
    assert [i for i in tree if proctree.is_alive(i)] == []


def test_browser_crash_mid_quote_ends_at_once(tmp_path, portal_with, own_server):
    """The service's Chromium killed while the robot waits on a slow screen (300 s budget): the
    run ends within seconds, exit 1, with a terminal snapshot naming the shared browser."""
    portal = portal_with("--fault", "7:slow:300")
    data_dir = tmp_path / "dados"
    proc = start_robot(
        quote_input(),
        data_dir,
        "s",
        robot_env(portal.url, RPA_TIMEOUT_TELA_S="300", RPA_BROWSER_SERVER=own_server.endpoint),
        new_group=True,
    )
    try:
        wait_for(lambda: (lambda p: p and p["etapa_atual"] == 6)(progress_of(data_dir, "s")), 60, "a etapa 6")
        tree = proctree.tree_identities(proc.pid)
        started = time.monotonic()
        own_server.crash()
        out, err = proc.communicate(timeout=60)
        seconds = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1 and seconds < 15, (proc.returncode, seconds)
    last = json.loads(out.strip().splitlines()[-1])
    assert (last["status"], last["tipo"]) == ("error", "erro_inesperado")
    progress = progress_of(data_dir, "s")
    assert progress["status"] == "error"
    [erro] = progress["erros"]
    assert erro["tipo"] == "erro_inesperado"
    assert "navegador compartilhado" in erro["sugestao"] and "RPA_BROWSER_SERVER" in erro["sugestao"]
    assert own_server.endpoint.rsplit("/", 1)[1] not in out + err + json.dumps(progress)
    history = json.loads((data_dir / "history_s.json").read_text())
    assert history["status_final"] == "error" and history["historico"][-1]["etapa"] == "final"
    assert [i for i in tree if proctree.is_alive(i)] == [], "o driver do robô sobreviveu"


@pytest.mark.parametrize(
    "variable, endpoint",
    [
        ("RPA_BROWSER_ENDPOINT", "http://127.0.0.1:{port}/?token=segredoDoEndereco"),
        ("RPA_BROWSER_SERVER", "ws+unix://{tmp}/nao-existe/servidor.sock:/segredoDoEndereco"),
    ],
)
def test_unreachable_shared_browser_fails_fast_without_showing_its_secret(tmp_path, portal, variable, endpoint):
    endpoint = endpoint.format(port=closed_port(), tmp=tmp_path)
    run = run_robot(quote_input(), tmp_path, portal.url, **{variable: endpoint}, timeout=90)
    assert run.code == 1 and run.elapsed < 60
    err = run.error()
    assert err["tipo"] == "erro_inesperado"
    assert "Não foi possível conectar ao navegador compartilhado" in err["sugestao"]
    check_snapshots(run)
    exposed = run.stdout + run.stderr + "".join(p.read_text() for p in run.data_dir.glob("*.json"))
    assert "segredoDoEndereco" not in exposed


# -- --verificar -----------------------------------------------------------------------------


class _Tunnel:
    """A Unix socket forwarded to a TCP port, as `ssh -L /path.sock:127.0.0.1:PORT` makes one,
    inside a 0700 directory."""

    def __init__(self, directory: Path, port: int):
        directory.mkdir(mode=0o700)
        self.path = str(directory / "cdp.sock")
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(self.path)
        self.server.listen()
        self.port = port
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            target = socket.create_connection(("127.0.0.1", self.port))
            for a, b in ((client, target), (target, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.server.close()


def test_a_quote_through_a_tunnel_socket_to_a_chromium_elsewhere(tmp_path, portal, chromium):
    """`RPA_BROWSER_ENDPOINT=unix:///…/cdp.sock`: the robot asks the browser's address through
    the socket and quotes over it, with the portal's exact plans; `--verificar` says so too."""
    tunnel = _Tunnel(tmp_path / "tunel", chromium.port)
    try:
        pages = {t["id"] for t in chromium.page_targets()}
        run = run_robot(quote_input(), tmp_path, portal.url, RPA_BROWSER_ENDPOINT=f"unix://{tunnel.path}", timeout=180)
        assert run.code == 0, run.stderr[-2000:]
        assert run.result["dados_finais"] == portal.expected_plans(PLACA)
        check = verify(RPA_BROWSER_ENDPOINT=f"unix://{tunnel.path}")
        nav = check.item("navegador")
        assert nav["ok"] and tunnel.path in nav["mensagem"], nav
        assert_clean(chromium, pages, timeout=5)
    finally:
        tunnel.close()


def test_check_mode_uses_the_shared_browser(chromium):
    """`navegador` connects to the endpoint, creates and closes a context (no Chromium at
    CHROMIUM_PATH needed) and names the endpoint without its query string."""
    pages = {t["id"] for t in chromium.page_targets()}
    check = verify(RPA_BROWSER_ENDPOINT=f"{chromium.http_endpoint}/?token=segredo-do-endereco")
    nav = check.item("navegador")
    assert nav["ok"], nav
    assert chromium.http_endpoint in nav["mensagem"] and "contexto" in nav["mensagem"]
    assert "RPA_BROWSER_ENDPOINT" in nav["mensagem"]
    assert "segredo-do-endereco" not in check.stdout + check.stderr
    assert check.item("configuracao")["ok"]
    assert_clean(chromium, pages, timeout=5)


def test_check_mode_uses_the_service_browser_without_showing_its_endpoint(server):
    idle = len(server.renderers())
    check = verify(RPA_BROWSER_SERVER=server.endpoint)
    nav = check.item("navegador")
    assert nav["ok"], nav
    assert "RPA_BROWSER_SERVER" in nav["mensagem"] and "contexto" in nav["mensagem"]
    assert server.endpoint.rsplit("/", 1)[1] not in check.stdout + check.stderr
    assert check.item("configuracao")["ok"]
    assert_server_clean(server, idle, timeout=5)


def test_check_mode_names_an_unreachable_endpoint():
    endpoint = f"http://127.0.0.1:{closed_port()}"
    check = verify(RPA_BROWSER_ENDPOINT=endpoint)
    nav = check.item("navegador")
    assert not nav["ok"]
    assert nav["mensagem"].startswith(f"O navegador compartilhado, {endpoint} (RPA_BROWSER_ENDPOINT), não respondeu")
    assert "RPA_BROWSER_ENDPOINT" in nav["correcao"]
    assert check.seconds < 40


def test_check_mode_malformed_endpoint():
    check = verify(RPA_BROWSER_ENDPOINT="chromium:9222")
    assert not check.item("configuracao")["ok"]
    assert "RPA_BROWSER_ENDPOINT" in check.item("configuracao")["mensagem"]
    nav = check.item("navegador")
    assert not nav["ok"] and nav["mensagem"].startswith("Não verificado")
