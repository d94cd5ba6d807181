"""The browser of one robot process, in one of three modes:

- own (no shared browser configured): Debian's Chromium launched through Playwright's
  `executable_path`, headless with the project's flags, closed at the end;
- the service's browser server (`RPA_BROWSER_SERVER`): one Chromium per machine behind
  Playwright's browser server (rpa/browser_server.js), reached over Playwright's protocol at an
  endpoint that is a secret; the server shows this connection only the contexts it creates and
  closes them when the connection drops (the robot ended, or was killed);
- a Chromium on another machine (`RPA_BROWSER_ENDPOINT`), reached over CDP
  (`connect_over_cdp`), best through the Unix socket of an SSH tunnel (`unix:///path.sock`); Playwright creates its contexts with `disposeOnDetach`, so when a robot
  dies without closing, Chromium disposes its context and pages as the connection drops.

With a shared browser the robot works in a browser context of its own (own cookies, storage and
cache), at the end closes only that context and disconnects; the browser is never closed. If it
goes away mid-quote, the run ends at once with `BrowserLost`.

Either way the quote runs in a fresh context, closing is bounded in time, and every process the
robot started (the Playwright driver; in the own mode also Chromium) is reaped, even if the
driver died first. A shared browser is not the robot's child and is never reaped."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import re
import socket
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from playwright.async_api import Page, async_playwright

from . import proctree
from .config import CHROMIUM_FLAGS, Settings, SharedBrowser, tunnel_socket
from .errors import Unexpected
from .privacy import first_line

log = logging.getLogger(__name__)

# The same for both modes: what the portal sees of the browser.
CONTEXT_OPTIONS = {
    "locale": "pt-BR",
    "timezone_id": "America/Sao_Paulo",
    "viewport": {"width": 1280, "height": 900},
}

# Playwright's own launch passes a `--disable-features` list of its own, and Chromium keeps only
# the last such switch: ours would switch Playwright's back on, so the own mode leaves it out.
OWN_MODE_FLAGS = tuple(f for f in CHROMIUM_FLAGS if not f.startswith("--disable-features="))

# V8 in the Playwright driver (Node) lets its young generation grow to 16 MiB semi-spaces; at 1
# MiB a driver holds about 20 MiB less for the same work (bench/shared_browser.py). An operator's
# own setting of it wins.
DRIVER_NODE_OPTION = "--max-semi-space-size=1"


def driver_environment() -> None:
    """Adds DRIVER_NODE_OPTION to NODE_OPTIONS, which the driver Playwright spawns inherits."""
    current = os.environ.get("NODE_OPTIONS", "")
    if "--max-semi-space-size" not in current:
        os.environ["NODE_OPTIONS"] = f"{current} {DRIVER_NODE_OPTION}".strip()


# User info, query and fragment of any URL inside a text (an error message may quote the
# endpoint; a secret could hide there).
_URL_EXTRAS = re.compile(r"\b(\w+://)(?:[^\s/@]*@)?([^\s?#]*)(?:[?#][^\s]*)?")


def hide_url_extras(text: str) -> str:
    return _URL_EXTRAS.sub(r"\1\2", text)


class BrowserLost(Unexpected):
    """The shared browser went away (crashed, restarted, connection dropped) during the quote."""

    def __init__(self, shared: SharedBrowser):
        super().__init__(
            f"O navegador compartilhado, {shared.shown}, caiu ou fechou a conexão durante a "
            "cotação (navegador encerrado, reiniciado ou sem memória). O serviço deve "
            "reiniciá-lo; a cotação pode ser repetida."
        )


class BrowserUnreachable(Unexpected):
    """The shared browser did not answer at the start of the quote."""

    def __init__(self, shared: SharedBrowser, exc: BaseException, bound_s: float):
        self.detail = detail = shared.hide(hide_url_extras(first_line(exc, 200)))
        super().__init__(
            f"Não foi possível conectar ao navegador compartilhado, {shared.shown}, em até "
            f"{bound_s:g} s: {detail}. Conferir se o navegador do serviço está no ar; a cotação "
            "pode ser repetida."
        )


async def connect_shared(pw, shared: SharedBrowser, bound_s: float):
    """The shared browser: the service's server over Playwright's protocol, or a Chromium over
    CDP, directly or through a tunnel's Unix socket (raises BrowserUnreachable)."""
    try:
        if shared.server:
            return await pw.chromium.connect(shared.url, timeout=bound_s * 1000)
        socket_path = tunnel_socket(shared.url)
        if socket_path is not None:
            url = await asyncio.wait_for(asyncio.to_thread(_through_socket, socket_path, bound_s), bound_s)
            return await pw.chromium.connect_over_cdp(url, timeout=bound_s * 1000)
        return await pw.chromium.connect_over_cdp(shared.url, timeout=bound_s * 1000)
    except Exception as exc:
        raise BrowserUnreachable(shared, exc, bound_s) from None


def _through_socket(socket_path: str, bound_s: float) -> str:
    """The browser's WebSocket address through the tunnel's socket: `/json/version` asked over
    it, then the same path on `ws+unix://` (its id changes each time Chromium starts)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(bound_s)
        s.connect(socket_path)
        conn = http.client.HTTPConnection("localhost", timeout=bound_s)
        conn.sock = s
        conn.request("GET", "/json/version")
        response = conn.getresponse()
        if response.status != 200:
            raise ConnectionError(f"/json/version respondeu {response.status}")
        address = json.loads(response.read())["webSocketDebuggerUrl"]
    return f"ws+unix://{socket_path}:{urlsplit(address).path}"


# How long a closed-browser error waits for the disconnection that tells a lost browser.
LOSS_CONFIRM_S = 3.0


def closed_browser(exc: BaseException) -> bool:
    """Whether `exc` is Playwright's error for a call whose page, context or browser closed."""
    return type(exc).__name__ == "TargetClosedError"


class _LossWatch:
    """Turns the shared browser's disconnection into a prompt end of the task using it: the
    task is cancelled (whatever Playwright call it awaits) and `open_page` raises BrowserLost."""

    def __init__(self, shared: SharedBrowser):
        self.shared = shared
        self.task = asyncio.current_task()
        self.lost = False
        self.cancelled = False
        self.closing = False
        self.confirming = False
        self.gone = asyncio.Event()

    def on_disconnected(self, _browser) -> None:
        if self.closing or self.lost:
            return
        self.lost = True
        self.gone.set()
        log.error("o navegador compartilhado, %s, caiu ou fechou a conexão", self.shared.shown)
        if self.confirming:
            return  # the task is already handling the failure the loss caused
        if self.task is not None and not self.task.done():
            self.cancelled = True
            self.task.cancel()

    async def translate(self, exc: BaseException) -> BaseException | None:
        """BrowserLost for a failure caused by the loss (our cancellation included), else None.
        Our cancellation is consumed either way: delivered as `exc`, or still pending when a
        Playwright error got to the task first. A closed-browser error that comes before the
        disconnection (a browser server reports the loss to the pending call first) waits,
        bounded, for the disconnection that confirms it."""
        if not self.lost and closed_browser(exc):
            self.confirming = True
            try:
                await asyncio.wait_for(self.gone.wait(), LOSS_CONFIRM_S)
            except TimeoutError:
                pass
            finally:
                self.confirming = False
        if not self.lost:
            return None
        if isinstance(exc, asyncio.CancelledError):
            if not self.cancelled:
                return None  # someone else's cancellation (SIGTERM): theirs to handle
        elif not isinstance(exc, Exception):
            return None
        elif self.cancelled:
            try:
                await asyncio.sleep(0)  # the pending cancellation is delivered here
            except asyncio.CancelledError:
                pass
        if self.cancelled:
            self.task.uncancel()
        return BrowserLost(self.shared)


@asynccontextmanager
async def open_page(settings: Settings):
    """Yields a Page in a fresh context; on exit closes what is ours within the close bound."""
    shared = settings.shared_browser
    # Only processes started from here on are ours to reap (not, say, a caller's server).
    before = proctree.tree_identities(os.getpid())
    driver_environment()
    pw = await async_playwright().start()
    spawned = proctree.tree_identities(os.getpid()) - before  # the driver
    driver = set(spawned)
    browser = context = watch = None
    try:
        try:
            if shared:
                browser = await connect_shared(pw, shared, settings.timeouts.navegacao)
                watch = _LossWatch(shared)
                browser.on("disconnected", watch.on_disconnected)
                log.info("navegador compartilhado %s: %s", browser.version, shared.shown)
            else:
                browser = await pw.chromium.launch(
                    executable_path=settings.chromium_path,
                    headless=True,
                    args=list(OWN_MODE_FLAGS),
                )
            context = await browser.new_context(**CONTEXT_OPTIONS)
            page: Page = await context.new_page()
            page.set_default_timeout(settings.timeouts.tela * 1000)
            page.set_default_navigation_timeout(settings.timeouts.navegacao * 1000)
            spawned |= proctree.tree_identities(os.getpid()) - before
            yield page
        except BaseException as exc:
            lost = await watch.translate(exc) if watch is not None else None
            if lost is None:
                raise
            raise lost from None
    finally:
        if watch is not None:
            watch.closing = True
        if shared:
            # Only the driver and what it started: never anything else in our process tree.
            tree = proctree.children_map()
            spawned = driver | {
                i for i in (proctree.identity(p) for pid, _ in driver for p in proctree.descendants(pid, tree)) if i
            }
        else:
            # Record renderers started since launch, before closing can orphan them.
            spawned |= proctree.tree_identities(os.getpid()) - before
        await _close(pw, browser, context if shared else None, settings.timeouts.fechamento)
        killed = proctree.kill_survivors(spawned)
        if killed:
            log.warning("%d processo(s) do navegador encerrados à força", killed)


async def _close(pw, browser, context, bound_s: float) -> None:
    """Closes `context` when given (shared mode: the browser is only disconnected from), else
    the browser; then stops the driver; all within `bound_s`."""

    async def close_all():
        if context is not None:
            try:
                await context.close()
            except Exception as exc:  # the browser may already be gone
                log.info("fechando o contexto: %s", type(exc).__name__)
        if browser is not None:
            try:
                await browser.close()  # connected over CDP: only disconnects
            except Exception as exc:  # the driver or the browser may already be gone
                log.info("fechando o navegador: %s", type(exc).__name__)
        try:
            await pw.stop()
        except Exception as exc:
            log.info("encerrando o driver: %s", type(exc).__name__)

    task = asyncio.ensure_future(close_all())
    try:
        await asyncio.wait_for(asyncio.shield(task), bound_s)
    except TimeoutError:
        log.warning("o navegador não fechou em %g s; encerrando os processos", bound_s)
