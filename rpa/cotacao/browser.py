"""The browser of one robot process: Debian's Chromium through Playwright's `executable_path`,
headless with the project's flags, one fresh context per run; closing is bounded in time and
every process the launch created is reaped, even if the driver died first."""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager

from playwright.async_api import Page, async_playwright

from . import proctree
from .config import CHROMIUM_FLAGS, Settings

log = logging.getLogger(__name__)


@asynccontextmanager
async def open_page(settings: Settings):
    """Yields a Page in a fresh context; on exit closes everything within the close bound."""
    # Only processes started from here on are ours to reap (not, say, a caller's server).
    before = proctree.tree_identities(os.getpid())
    pw = await async_playwright().start()
    spawned = proctree.tree_identities(os.getpid()) - before  # the driver
    browser = None
    try:
        browser = await pw.chromium.launch(
            executable_path=settings.chromium_path,
            headless=True,
            args=list(CHROMIUM_FLAGS),
        )
        context = await browser.new_context(
            locale="pt-BR",
            timezone_id="America/Sao_Paulo",
            viewport={"width": 1280, "height": 900},
        )
        page: Page = await context.new_page()
        page.set_default_timeout(settings.timeouts.tela * 1000)
        page.set_default_navigation_timeout(settings.timeouts.navegacao * 1000)
        spawned |= proctree.tree_identities(os.getpid()) - before
        yield page
    finally:
        # Record renderers started since launch, before closing can orphan them.
        spawned |= proctree.tree_identities(os.getpid()) - before
        await _close(pw, browser, settings.timeouts.fechamento)
        killed = proctree.kill_survivors(spawned)
        if killed:
            log.warning("%d processo(s) do navegador encerrados à força", killed)


async def _close(pw, browser, bound_s: float) -> None:
    async def close_all():
        if browser is not None:
            try:
                await browser.close()
            except Exception as exc:  # the driver or the browser may already be gone
                log.info("fechando o navegador: %s", type(exc).__name__)
        try:
            await pw.stop()
        except Exception as exc:
            log.info("encerrando o driver: %s", type(exc).__name__)

    task = asyncio.ensure_future(close_all())
    try:
        await asyncio.wait_for(asyncio.shield(task), bound_s)
    except asyncio.TimeoutError:
        log.warning("o navegador não fechou em %g s; encerrando os processos", bound_s)
