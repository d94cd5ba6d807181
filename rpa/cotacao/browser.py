"""The browser of one robot process, in one of two modes:

- own (`RPA_BROWSER_ENDPOINT` unset): Debian's Chromium launched through Playwright's
  `executable_path`, headless with the project's flags, closed at the end;
- shared (`RPA_BROWSER_ENDPOINT` set): a running Chromium reached over CDP
  (`connect_over_cdp`). The robot works in a browser context of its own (own cookies, storage
  and cache) and at the end closes only that context, then disconnects; the browser is never
  closed. Playwright creates its contexts with `disposeOnDetach`, so when a robot dies without
  closing (SIGKILL) Chromium disposes its context and pages as the connection drops. If the
  browser goes away mid-quote, the run ends at once with `BrowserLost`.

Either way the quote runs in a fresh context, closing is bounded in time, and every process the
robot started (the Playwright driver; in the own mode also Chromium) is reaped, even if the
driver died first. The shared browser is not the robot's child and is never reaped."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from contextlib import asynccontextmanager

from playwright.async_api import Page, async_playwright

from . import proctree
from .config import CHROMIUM_FLAGS, Settings, safe_url
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

    def __init__(self, endpoint: str):
        super().__init__(
            f"O navegador compartilhado em {safe_url(endpoint)} (RPA_BROWSER_ENDPOINT) caiu ou "
            "fechou a conexão durante a cotação (navegador encerrado, reiniciado ou sem memória). "
            "O serviço deve reiniciá-lo; a cotação pode ser repetida."
        )


class BrowserUnreachable(Unexpected):
    """The shared browser did not answer at the start of the quote."""

    def __init__(self, endpoint: str, exc: BaseException, bound_s: float):
        self.detail = detail = hide_url_extras(first_line(exc, 200))
        super().__init__(
            f"Não foi possível conectar ao navegador compartilhado em {safe_url(endpoint)} "
            f"(RPA_BROWSER_ENDPOINT) em até {bound_s:g} s: {detail}. Conferir se o Chromium do "
            "serviço está no ar e escutando nesse endereço; a cotação pode ser repetida."
        )


async def connect_shared(pw, endpoint: str, bound_s: float):
    """The shared Chromium over CDP (raises BrowserUnreachable)."""
    try:
        return await pw.chromium.connect_over_cdp(endpoint, timeout=bound_s * 1000)
    except Exception as exc:
        raise BrowserUnreachable(endpoint, exc, bound_s) from None


class _LossWatch:
    """Turns the shared browser's disconnection into a prompt end of the task using it: the
    task is cancelled (whatever Playwright call it awaits) and `open_page` raises BrowserLost."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.task = asyncio.current_task()
        self.lost = False
        self.cancelled = False
        self.closing = False

    def on_disconnected(self, _browser) -> None:
        if self.closing or self.lost:
            return
        self.lost = True
        log.error("o navegador compartilhado em %s caiu ou fechou a conexão", safe_url(self.endpoint))
        if self.task is not None and not self.task.done():
            self.cancelled = True
            self.task.cancel()

    async def translate(self, exc: BaseException) -> BaseException | None:
        """BrowserLost for a failure caused by the loss (our cancellation included), else None.
        Our cancellation is consumed either way: delivered as `exc`, or still pending when a
        Playwright error got to the task first."""
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
        return BrowserLost(self.endpoint)


@asynccontextmanager
async def open_page(settings: Settings):
    """Yields a Page in a fresh context; on exit closes what is ours within the close bound."""
    shared = bool(settings.browser_endpoint)
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
                browser = await connect_shared(pw, settings.browser_endpoint, settings.timeouts.navegacao)
                watch = _LossWatch(settings.browser_endpoint)
                browser.on("disconnected", watch.on_disconnected)
                log.info("navegador compartilhado %s em %s", browser.version, safe_url(settings.browser_endpoint))
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
