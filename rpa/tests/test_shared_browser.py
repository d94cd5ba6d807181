"""The robot on a shared Chromium (`RPA_BROWSER_ENDPOINT`): a separate Chromium process started
by the test with `--remote-debugging-port=0` and the project's flags, reached over CDP. Quotes
end with the portal's exact plans and launch no Chromium of their own; two quotes at once see
nothing of each other (cookies, storage, cache); SIGKILL, SIGTERM and the end of a quote leave no
context or page behind and never close the browser; a browser that dies mid-quote ends the run
at once as a technical failure; `--verificar` checks the endpoint instead of launching Chromium."""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import signal
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from cotacao import proctree
from cotacao.config import ConfigError, Settings, Timeouts, load_browser_endpoint
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
def chromium():
    """One shared Chromium for the tests that leave it running."""
    browser = SharedChromium()
    yield browser
    browser.close()


@pytest.fixture
def own_chromium():
    """A shared Chromium of the test's own (for the tests that kill it)."""
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
    ["127.0.0.1:9222", "ftp://127.0.0.1:9222", "http://:9222", "http://127.0.0.1:99999", "ws:///devtools/browser/x"],
)
def test_endpoint_formats_rejected(value):
    with pytest.raises(ConfigError) as caught:
        load_browser_endpoint({"RPA_BROWSER_ENDPOINT": value})
    assert "RPA_BROWSER_ENDPOINT" in caught.value.problema
    assert "RPA_BROWSER_ENDPOINT" in caught.value.correcao


def test_malformed_endpoint_is_a_configuration_problem(tmp_path, portal):
    run = run_robot(quote_input(), tmp_path, portal.url, RPA_BROWSER_ENDPOINT="ftp://127.0.0.1:9222", timeout=60)
    assert run.code == 1
    err = run.error()
    assert err["tipo"] == "configuracao_invalida" and "RPA_BROWSER_ENDPOINT" in err["sugestao"]
    assert run.progress["etapa_atual"] == 0
    check_snapshots(run)


# -- quotes ----------------------------------------------------------------------------------


def test_two_quotes_at_once_on_one_shared_browser(tmp_path, portal, chromium):
    """Two robots at once, one given the http:// endpoint and one the ws:// one: both end with
    the portal's exact plans, neither starts a Chromium, and the browser is left as found. While
    they run, the browser holds no WebUI page of its own (the omnibox popups each window would
    preload) and each driver runs with the small V8 young generation."""
    pages = {t["id"] for t in chromium.page_targets()}
    runs, procs, seen_chromium, seen_types, node_options = {}, {}, [], set(), set()
    endpoints = {"http": chromium.http_endpoint, "ws": chromium.ws_endpoint}
    started = time.monotonic()
    for name, endpoint in endpoints.items():
        data_dir = tmp_path / name / "dados"
        data_dir.mkdir(parents=True)
        watcher = SnapshotWatcher(data_dir, name)
        watcher.start()
        procs[name] = (
            start_robot(quote_input(), data_dir, name, robot_env(portal.url, RPA_BROWSER_ENDPOINT=endpoint)),
            watcher,
        )
    try:
        deadline = time.monotonic() + 180
        while any(p.poll() is None for p, _ in procs.values()) and time.monotonic() < deadline:
            for proc, _ in procs.values():
                seen_chromium += chromium_in_tree(proc.pid)
                node_options.update(driver_node_options(proc.pid))
            seen_types |= chromium.target_types()
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
    assert seen_chromium == [], "o robô iniciou um Chromium próprio"
    assert "page" in seen_types and "browser_ui" not in seen_types, seen_types
    assert node_options == {"--max-semi-space-size=1"}, node_options
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


def test_concurrent_contexts_share_nothing(chromium):
    """Two quotes' pages open at once through the robot's own `open_page` on one shared
    Chromium, on the same origin: a cookie, a localStorage value and a cached response of one
    are absent from the other."""
    from cotacao.browser import open_page

    site = _Site()
    threading.Thread(target=site.serve_forever, daemon=True).start()
    settings = Settings(
        portal_url=site.base,
        chromium_path="/nao-usado",
        browser_endpoint=chromium.http_endpoint,
        timeouts=Timeouts(navegacao=30, tela=30, fechamento=10),
    )
    fetch = "async () => (await fetch('/recurso')).text()"

    async def both():
        async with open_page(settings) as a, open_page(settings) as b:
            assert a.context is not b.context
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

    pages = {t["id"] for t in chromium.page_targets()}
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
    assert_clean(chromium, pages, timeout=5)


# -- endings ---------------------------------------------------------------------------------


def test_sigkill_leaves_no_context_or_page(tmp_path, portal_with, chromium):
    """The robot's process group killed with SIGKILL (as the service's hard limit does) at
    several points of the quote: Chromium disposes the robot's context and page, stays up, and
    the robot's driver dies with the group."""
    portal = portal_with("--fault", "10:slow:300")  # no quote ends before its kill
    pages = {t["id"] for t in chromium.page_targets()}
    for i, etapa in enumerate((0, 1, 3, 6, 9)):
        data_dir = tmp_path / f"k{i}"
        proc = start_robot(
            quote_input(),
            data_dir,
            "s",
            robot_env(portal.url, RPA_BROWSER_ENDPOINT=chromium.http_endpoint),
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
        assert_clean(chromium, pages)
        # Killed a moment ago: the driver may still be tearing down on a loaded machine.
        wait_for(partial(_all_gone, group), 10, "o fim do driver do robô")


def _reached(data_dir, etapa):
    progress = progress_of(data_dir, "s")
    return progress and progress["etapa_atual"] >= etapa


def _all_gone(identities):
    return not any(proctree.is_alive(i) for i in identities)


def test_sigterm_closes_only_its_context(tmp_path, portal_with, chromium):
    portal = portal_with("--fault", "7:slow:300")
    pages = {t["id"] for t in chromium.page_targets()}
    data_dir = tmp_path / "dados"
    proc = start_robot(
        quote_input(),
        data_dir,
        "s",
        robot_env(portal.url, RPA_TIMEOUT_TELA_S="300", RPA_BROWSER_ENDPOINT=chromium.http_endpoint),
        new_group=True,
    )
    try:
        wait_for(lambda: (lambda p: p and p["etapa_atual"] == 6)(progress_of(data_dir, "s")), 60, "a etapa 6")
        assert len(chromium.contexts()) == 1
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
    assert chromium.contexts() == [], "o robô saiu sem fechar o seu contexto"
    assert_clean(chromium, pages, timeout=5)
    assert [i for i in tree if proctree.is_alive(i)] == []


def test_browser_crash_mid_quote_ends_at_once(tmp_path, portal_with, own_chromium):
    """The shared Chromium killed while the robot waits on a slow screen (300 s budget): the
    run ends within seconds, exit 1, with a terminal snapshot naming the shared browser."""
    portal = portal_with("--fault", "7:slow:300")
    data_dir = tmp_path / "dados"
    proc = start_robot(
        quote_input(),
        data_dir,
        "s",
        robot_env(portal.url, RPA_TIMEOUT_TELA_S="300", RPA_BROWSER_ENDPOINT=own_chromium.http_endpoint),
        new_group=True,
    )
    try:
        wait_for(lambda: (lambda p: p and p["etapa_atual"] == 6)(progress_of(data_dir, "s")), 60, "a etapa 6")
        tree = proctree.tree_identities(proc.pid)
        started = time.monotonic()
        own_chromium.crash()
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
    assert "navegador compartilhado" in erro["sugestao"] and "RPA_BROWSER_ENDPOINT" in erro["sugestao"]
    history = json.loads((data_dir / "history_s.json").read_text())
    assert history["status_final"] == "error" and history["historico"][-1]["etapa"] == "final"
    assert [i for i in tree if proctree.is_alive(i)] == [], "o driver do robô sobreviveu"


def test_unreachable_endpoint_fails_fast(tmp_path, portal):
    endpoint = f"http://127.0.0.1:{closed_port()}/?token=segredo-do-endereco"
    run = run_robot(quote_input(), tmp_path, portal.url, RPA_BROWSER_ENDPOINT=endpoint, timeout=90)
    assert run.code == 1 and run.elapsed < 60
    err = run.error()
    assert err["tipo"] == "erro_inesperado"
    assert "Não foi possível conectar ao navegador compartilhado" in err["sugestao"]
    check_snapshots(run)
    exposed = run.stdout + run.stderr + "".join(p.read_text() for p in run.data_dir.glob("*.json"))
    assert "segredo-do-endereco" not in exposed


# -- --verificar -----------------------------------------------------------------------------


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


def test_check_mode_names_an_unreachable_endpoint():
    endpoint = f"http://127.0.0.1:{closed_port()}"
    check = verify(RPA_BROWSER_ENDPOINT=endpoint)
    nav = check.item("navegador")
    assert not nav["ok"]
    assert nav["mensagem"].startswith(f"O navegador compartilhado em {endpoint} (RPA_BROWSER_ENDPOINT) não respondeu")
    assert "RPA_BROWSER_ENDPOINT" in nav["correcao"]
    assert check.seconds < 40


def test_check_mode_malformed_endpoint():
    check = verify(RPA_BROWSER_ENDPOINT="chromium:9222")
    assert not check.item("configuracao")["ok"]
    assert "RPA_BROWSER_ENDPOINT" in check.item("configuracao")["mensagem"]
    nav = check.item("navegador")
    assert not nav["ok"] and nav["mensagem"].startswith("Não verificado")
