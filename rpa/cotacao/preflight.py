"""The robot's check mode (`--verificar`, contract §1): whether this installation can quote,
without running a quote. Each item is checked on its own (one failure never hides another):
the settings parse, the portal credentials are present, Chromium starts and opens a page (or,
with RPA_BROWSER_ENDPOINT, the shared Chromium answers and a context can be created and closed
in it), the portal answers (DNS, connection, TLS, HTTP status) and, when set, the defaults file
parses.
The outcome is one JSON line on stdout; credentials and personal data are never printed."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from . import proctree
from .config import (
    TIMEOUT_VARS,
    ConfigError,
    Settings,
    SharedBrowser,
    Timeouts,
    check_chromium,
    chromium_path,
    credentials_source,
    load_credentials,
    load_portal_url,
    load_shared_browser,
    read_seconds,
    safe_url,
)
from .errors import Cancelled
from .privacy import first_line, scrub

log = logging.getLogger("cotacao.verificacao")

ITEMS = ("configuracao", "credenciais", "navegador", "portal", "padroes")

BROWSER_BOUND_S = 30.0  # launch + about:blank
BROWSER_CLOSE_S = 10.0  # closing it afterwards (then every process left is killed)
SHARED_CONNECT_S = 15.0  # connecting to the shared browser (within BROWSER_BOUND_S)
PORTAL_BOUND_S = 10.0  # DNS + connection + TLS + HTTP answer, all together
USER_AGENT = "rpa-v4-verificacao"


@dataclass
class Verificacao:
    item: str
    ok: bool
    mensagem: str
    correcao: str = ""


def _ok(item: str, mensagem: str) -> Verificacao:
    return Verificacao(item, True, mensagem, "")


def _fail(item: str, mensagem: str, correcao: str) -> Verificacao:
    return Verificacao(item, False, mensagem, correcao)


def _seconds_pt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# -- configuracao ------------------------------------------------------------------------------


def check_configuracao(env: dict) -> tuple[Verificacao, str | None]:
    """The portal URL, every RPA_TIMEOUT_*_S, the shared browser's endpoint and the robot input's
    contract file; returns the URL too (None when invalid)."""
    problems: list[ConfigError] = []
    url = None
    try:
        url = load_portal_url(env)
    except ConfigError as exc:
        problems.append(exc)
    base, values = Timeouts(), {}
    for field_name, var in TIMEOUT_VARS:
        try:
            values[field_name] = read_seconds(env, var, getattr(base, field_name))
        except ConfigError as exc:
            problems.append(exc)
    shared = None
    try:
        shared = load_shared_browser(env)
    except ConfigError as exc:
        problems.append(exc)
    try:
        from .inputs import choices  # the robot input's contract (docs/contract/)

        choices()
    except ConfigError as exc:
        problems.append(exc)
    if problems:
        fixes = list(dict.fromkeys(p.correcao for p in problems if p.correcao))
        return _fail("configuracao", " ".join(p.problema for p in problems), " ".join(fixes)), url
    esperas = ", ".join(f"{var} = {_seconds_pt(values[f])} s" for f, var in TIMEOUT_VARS)
    browser = f"; navegador compartilhado: {shared.shown}" if shared else ""
    return _ok("configuracao", f"Portal: {safe_url(url)}; esperas: {esperas}{browser}."), url


# -- credenciais -------------------------------------------------------------------------------


def check_credenciais(env: dict) -> Verificacao:
    try:
        load_credentials(env)
    except ConfigError as exc:
        return _fail("credenciais", exc.problema, exc.correcao)
    return _ok("credenciais", f"Credenciais do portal presentes em {credentials_source(env)} (valores não exibidos).")


# -- navegador ---------------------------------------------------------------------------------


async def _open_blank(path: str) -> str:
    """Starts Chromium exactly as a quote does and opens about:blank; returns its version."""
    from .browser import open_page  # imports Playwright

    settings = Settings(
        portal_url="about:blank",
        chromium_path=path,
        timeouts=Timeouts(navegacao=BROWSER_BOUND_S, tela=BROWSER_BOUND_S, fechamento=BROWSER_CLOSE_S),
    )

    async def go() -> str:
        async with open_page(settings) as page:
            await page.goto("about:blank")
            return page.context.browser.version

    return await _bounded_interruptible(go)


class _ContextNotClosed(Exception):
    pass


async def _shared_context(shared: SharedBrowser) -> str:
    """Connects to the shared Chromium as a quote does, creates a context with a page on
    about:blank and closes the context (never the browser); returns the browser's version."""
    from playwright.async_api import async_playwright

    from .browser import CONTEXT_OPTIONS, connect_shared

    async def go() -> str:
        pw = await async_playwright().start()
        browser = None
        try:
            browser = await connect_shared(pw, shared, SHARED_CONNECT_S)
            context = await browser.new_context(**CONTEXT_OPTIONS)
            page = await context.new_page()
            await page.goto("about:blank")
            await context.close()
            if context in browser.contexts:
                raise _ContextNotClosed
            return browser.version
        finally:

            async def disconnect():
                if browser is not None:
                    try:
                        await browser.close()  # connected, not launched: only disconnects
                    except Exception:
                        pass
                await pw.stop()

            try:
                await asyncio.wait_for(disconnect(), BROWSER_CLOSE_S)
            except Exception as exc:
                log.info("desconectando do navegador compartilhado: %s", type(exc).__name__)

    return await _bounded_interruptible(go)


async def _bounded_interruptible(go) -> str:
    """Runs `go()` within BROWSER_BOUND_S. A signal cancels it through the loop (so the browser
    is closed and reaped), then the handlers in force before are restored and the signal is
    reported as Cancelled."""
    loop, task, received = asyncio.get_running_loop(), asyncio.current_task(), []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def on_signal(name: str) -> None:
        received.append(name)
        task.cancel()

    for sig in previous:
        loop.add_signal_handler(sig, on_signal, sig.name)
    try:
        return await asyncio.wait_for(go(), BROWSER_BOUND_S)
    except asyncio.CancelledError:
        if received:
            raise Cancelled(received[0]) from None
        raise
    finally:
        for sig, handler in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, handler)


_BROWSER_ERR = re.compile(r"\[pid=\d+\]\[err\]\s*(.+)")
_BROWSER_EXIT = re.compile(r"<process did exit: exitCode=(\w+), signal=(\w+)>")


def _launch_detail(exc: BaseException) -> str:
    """The first line of a launch error, the browser's first error line and how it exited."""
    text = str(exc)
    head = scrub((text.strip().splitlines() or [type(exc).__name__])[0])[:200]
    extra = []
    err = _BROWSER_ERR.search(text)
    if err:
        extra.append(f"o navegador escreveu «{scrub(err.group(1).strip())[:200]}»")
    ended = _BROWSER_EXIT.search(text)
    if ended:
        code, sig = ended.groups()
        extra.append(f"saiu com o sinal {sig}" if sig != "null" else f"saiu com o código {code}")
    return f"{head} ({'; '.join(extra)})" if extra else head


def check_navegador(env: dict) -> Verificacao:
    try:
        shared = load_shared_browser(env)
    except ConfigError as exc:
        return _fail("navegador", f"Não verificado: {exc.problema}", exc.correcao)
    if shared:
        return check_shared_browser(shared)
    path = chromium_path(env)
    try:
        check_chromium(path)
    except ConfigError as exc:
        return _fail("navegador", exc.problema, exc.correcao)
    before = proctree.tree_identities(os.getpid())
    started = time.monotonic()
    try:
        version = asyncio.run(_open_blank(path))
    except ImportError as exc:
        return _fail(
            "navegador",
            f"O Playwright não está instalado no Python do robô ({exc.name}).",
            "Criar o ambiente do robô com scripts/setup.sh (instala rpa/requirements.txt).",
        )
    except TimeoutError:
        return _fail(
            "navegador",
            f"O Chromium em {path} não abriu uma página em {_seconds_pt(BROWSER_BOUND_S)} s.",
            "Conferir a memória e a carga do servidor e se o Chromium abre com "
            f"`{path} --headless --no-sandbox --dump-dom about:blank`.",
        )
    except Cancelled:
        raise
    except Exception as exc:
        return _fail(
            "navegador",
            f"O Chromium em {path} não iniciou: {_launch_detail(exc)}.",
            f"Conferir se {path} é o Chromium e se abre com `{path} --headless "
            "--no-sandbox --dump-dom about:blank` (bibliotecas ausentes, permissões, "
            "memória); se não for o Chromium, apontar CHROMIUM_PATH para o executável dele.",
        )
    finally:
        killed = proctree.kill_survivors(proctree.tree_identities(os.getpid()) - before)
        if killed:
            log.warning("%d processo(s) do navegador encerrados à força", killed)
    return _ok(
        "navegador",
        f"Chromium {version} iniciou e abriu about:blank em "
        f"{_seconds_pt(round(time.monotonic() - started, 1))} s ({path}).",
    )


SHARED_FIX = (
    "Conferir se o navegador compartilhado está no ar: o do serviço (veja `rpa-v4 check` e o log do "
    "serviço) ou o Chromium de RPA_BROWSER_ENDPOINT, pelo túnel SSH até ele; ou remover "
    "RPA_BROWSER_ENDPOINT para o robô abrir o próprio Chromium."
)


def check_shared_browser(shared: SharedBrowser) -> Verificacao:
    """The shared browser answers and a context can be created and closed in it."""
    from .browser import BrowserUnreachable, hide_url_extras  # imports Playwright

    shown = shared.shown
    before = proctree.tree_identities(os.getpid())
    started = time.monotonic()
    try:
        version = asyncio.run(_shared_context(shared))
    except BrowserUnreachable as exc:
        return _fail("navegador", f"O navegador compartilhado, {shown}, não respondeu: {exc.detail}.", SHARED_FIX)
    except TimeoutError:
        return _fail(
            "navegador",
            f"O navegador compartilhado, {shown}, não criou e fechou um contexto em {_seconds_pt(BROWSER_BOUND_S)} s.",
            "Conferir a memória e a carga do servidor e o Chromium do serviço.",
        )
    except _ContextNotClosed:
        return _fail(
            "navegador",
            f"O navegador compartilhado, {shown}, não fechou o contexto criado pela verificação.",
            SHARED_FIX,
        )
    except Cancelled:
        raise
    except Exception as exc:
        return _fail(
            "navegador",
            f"O navegador compartilhado, {shown}, respondeu, mas não foi "
            "possível criar e fechar um contexto nele: "
            f"{shared.hide(hide_url_extras(_launch_detail(exc)))}.",
            SHARED_FIX,
        )
    finally:
        killed = proctree.kill_survivors(proctree.tree_identities(os.getpid()) - before)
        if killed:
            log.warning("%d processo(s) do driver encerrados à força", killed)
    return _ok(
        "navegador",
        f"Navegador compartilhado Chromium {version} em {shown}: um contexto "
        f"foi criado e fechado em {_seconds_pt(round(time.monotonic() - started, 1))} s.",
    )


# -- portal ------------------------------------------------------------------------------------


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.05, self.end - time.monotonic())


def _resolve(host: str, port: int, timeout: float) -> list:
    """getaddrinfo bounded in time (it has no timeout of its own): a daemon thread."""
    box: dict = {}

    def work():
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError
    if "error" in box:
        raise box["error"]
    return box["infos"]


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)) and not exc.strerror:
        return "tempo esgotado"
    if isinstance(exc, ConnectionRefusedError):
        return "conexão recusada"
    return exc.strerror or type(exc).__name__


def check_portal(url: str | None, bound_s: float = PORTAL_BOUND_S) -> Verificacao:
    if url is None:
        return _fail(
            "portal", "Não verificado: RPA_PORTAL_URL é inválida (ver o item configuracao).", "Corrigir RPA_PORTAL_URL."
        )
    parts = urlsplit(url)
    host = parts.hostname
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    shown = safe_url(url)
    endpoint = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    deadline = _Deadline(bound_s)
    started = time.monotonic()
    net_fix = (
        "Conferir se o portal está no ar, a porta em RPA_PORTAL_URL e se o firewall ou "
        "proxy do servidor permite a saída para ele."
    )

    try:
        infos = _resolve(host, port, deadline.left())
    except TimeoutError:
        return _fail(
            "portal",
            f"DNS: a resolução de {host} não respondeu em {_seconds_pt(bound_s)} s.",
            "Conferir o DNS do servidor (/etc/resolv.conf) e o nome em RPA_PORTAL_URL.",
        )
    except OSError as exc:
        return _fail(
            "portal",
            f"DNS: o nome {host} não foi resolvido ({_os_reason(exc)}).",
            "Conferir o nome do servidor em RPA_PORTAL_URL e o DNS do servidor (/etc/resolv.conf).",
        )

    sock, address, error = None, None, None
    for family, kind, proto, _, addr in infos:
        candidate = socket.socket(family, kind, proto)
        candidate.settimeout(deadline.left())
        try:
            candidate.connect(addr)
        except OSError as exc:
            candidate.close()
            error = exc
            continue
        sock, address = candidate, addr[0]
        break
    if sock is None:
        reason = _os_reason(error) if error else "nenhum endereço"
        return _fail("portal", f"Conexão: {endpoint} não aceitou a conexão TCP ({reason}).", net_fix)

    try:
        if https:
            context = ssl.create_default_context()
            try:
                sock.settimeout(deadline.left())
                sock = context.wrap_socket(sock, server_hostname=host)
            except ssl.SSLCertVerificationError as exc:
                return _fail(
                    "portal",
                    f"TLS: o certificado de {host} não foi aceito ({exc.verify_message or exc.reason}).",
                    "Conferir o certificado do portal e a hora do servidor; com um proxy "
                    "que inspeciona TLS, instalar a autoridade dele no sistema.",
                )
            except ssl.SSLError as exc:
                return _fail(
                    "portal",
                    f"TLS: o handshake com {endpoint} falhou ({exc.reason or type(exc).__name__}).",
                    "Conferir se a porta de RPA_PORTAL_URL fala HTTPS (ou usar http://).",
                )
            except OSError as exc:
                return _fail("portal", f"TLS: o handshake com {endpoint} não terminou ({_os_reason(exc)}).", net_fix)
            conn = http.client.HTTPSConnection(host, port, timeout=deadline.left(), context=context)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=deadline.left())
        conn.sock = sock  # the connection already made: request() does not connect again
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            sock.settimeout(deadline.left())
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
            response = conn.getresponse()
            status, reason = response.status, response.reason
        except (OSError, http.client.HTTPException) as exc:
            detail = _os_reason(exc) if isinstance(exc, OSError) else type(exc).__name__
            return _fail("portal", f"HTTP: o portal não respondeu ao GET de {shown} ({detail}).", net_fix)
    finally:
        sock.close()

    elapsed = f"{time.monotonic() - started:.2f}".replace(".", ",")
    if status >= 500:
        return _fail(
            "portal",
            f"HTTP: o portal respondeu {status} {reason} ao GET de {shown}.",
            "O portal está com erro no servidor: tentar de novo mais tarde; se persistir, "
            "conferir o caminho em RPA_PORTAL_URL.",
        )
    note = " Atenção: status 4xx, conferir o caminho (slug) em RPA_PORTAL_URL." if status >= 400 else ""
    return _ok("portal", f"O portal respondeu HTTP {status} em {elapsed} s ({shown}, {address}).{note}")


# -- padroes -----------------------------------------------------------------------------------


def check_padroes(path: str) -> Verificacao:
    from .inputs import InputFileError, questionnaire_defaults  # reads RPA_DEFAULTS_FILE

    try:
        answers = questionnaire_defaults()
    except InputFileError as exc:
        text = str(exc)
        return _fail(
            "padroes",
            text[:1].upper() + text[1:],
            "Corrigir RPA_DEFAULTS_FILE ou o arquivo (um objeto JSON com as respostas "
            "padrão do questionário, como config/defaults.json).",
        )
    return _ok("padroes", f"{len(answers)} respostas padrão lidas de {path}.")


# -- the run -----------------------------------------------------------------------------------


def _guarded(item: str, check) -> Verificacao:
    """Runs one check; an unforeseen exception is that item's failure, never the others'."""
    try:
        return check()
    except Cancelled:
        raise
    except Exception as exc:
        log.error("verificação %s: %s", item, scrub(f"{type(exc).__name__}: {exc}"))
        return _fail(
            item,
            f"Erro inesperado na verificação: {type(exc).__name__}: {first_line(exc, 200)}.",
            "Ver o log (saída de erro) da verificação.",
        )


def run_checks(env: dict | None = None) -> list[Verificacao]:
    """Every item, in contract order (`padroes` only when RPA_DEFAULTS_FILE is set)."""
    env = dict(os.environ if env is None else env)
    state: dict = {"url": None}

    def configuracao():
        result, state["url"] = check_configuracao(env)
        return result

    plan = [
        ("configuracao", configuracao),
        ("credenciais", lambda: check_credenciais(env)),
        ("navegador", lambda: check_navegador(env)),
        ("portal", lambda: check_portal(state["url"])),
    ]
    defaults = env.get("RPA_DEFAULTS_FILE")
    if defaults:
        plan.append(("padroes", lambda: check_padroes(defaults)))

    results: list[Verificacao] = []
    try:
        for item, check in plan:
            results.append(_guarded(item, check))
    except Cancelled:
        for sig in (signal.SIGTERM, signal.SIGINT):  # the answer below must still be printed
            signal.signal(sig, signal.SIG_IGN)
        for item, _ in plan[len(results) :]:
            results.append(
                _fail(
                    item, "Verificação interrompida por um sinal antes de terminar.", "Executar a verificação de novo."
                )
            )
    return results


def main() -> int:
    """`--verificar`: the JSON line on stdout, a readable summary on stderr; exit 0 or 1."""
    results = run_checks()
    all_ok = all(r.ok for r in results)
    for r in results:
        line = f"[{'ok' if r.ok else 'FALHA'}] {r.item}: {r.mensagem}"
        if r.correcao:
            line += f" Correção: {r.correcao}"
        print(line, file=sys.stderr)
    sys.stderr.flush()
    print(
        json.dumps(
            {"status": "ok" if all_ok else "erro", "verificacoes": [asdict(r) for r in results]}, ensure_ascii=False
        ),
        flush=True,
    )
    return 0 if all_ok else 1
