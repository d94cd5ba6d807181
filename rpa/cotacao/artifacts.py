"""Evidence of a failed run for the operator: a screenshot and the page HTML saved next to the
snapshots, named only by session, step and time (never by personal data), readable only by the
service's user, and captured within a bound so a dead browser cannot hang the ending. Neither
carries the visitor's data: the screenshot covers every form field, the HTML is redacted."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime
from pathlib import Path

from playwright.async_api import Error as PlaywrightError

from .privacy import first_line, redact

log = logging.getLogger(__name__)


def base_name(session_id: str, etapa: int | str) -> str:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    return f"falha_{session_id}_etapa{etapa}_{stamp}"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


# What can show typed values on a screenshot: text fields and the select-like widgets (radio
# buttons and switches stay visible: which answer was chosen is what an operator looks for).
FIELDS = (
    "input:not([type=radio]):not([type=checkbox]):not([type=hidden]), textarea, select, "
    "[role=combobox], [aria-haspopup=listbox]"
)


async def _stop_loading(page) -> None:
    """Stops whatever the page is still loading, as the browser's stop button does. A navigation
    the portal never answers would otherwise hold `page.content()` and `page.screenshot()` (and
    any script on the page) until it ends, which it may never do: each capture would then spend
    its whole bound, and the quote's slot with it, for nothing."""
    cdp = await page.context.new_cdp_session(page)
    try:
        await cdp.send("Page.stopLoading")
    finally:
        await cdp.detach()


async def save_failure(page, data_dir: Path, session_id: str, etapa, bound_s: float, personal: list[str]) -> list[str]:
    """Saves `<base>.html` and `<base>.png`, each within `bound_s`, without the `personal` values,
    of the page as it is shown (a load still pending is stopped first); returns the names
    written."""
    base = base_name(session_id, etapa)
    written: list[str] = []
    try:
        await asyncio.wait_for(_stop_loading(page), bound_s)
    except Exception as exc:  # best effort, as the captures are
        log.warning("carregamento pendente não interrompido (%s: %s)", type(exc).__name__, first_line(exc))

    async def html() -> bytes:
        # After a failed navigation Chromium is still swapping in its error page, and
        # `page.content()` refuses while the page navigates: wait for it to settle and try again.
        # The caller's bound stops this loop.
        while True:
            try:
                return redact(await page.content(), personal).encode("utf-8")
            except PlaywrightError as exc:
                if "navigating" not in str(exc):
                    raise
                await page.wait_for_load_state("domcontentloaded", timeout=bound_s * 1000)

    async def png() -> bytes:
        return await page.screenshot(
            full_page=True, timeout=bound_s * 1000, mask=[page.locator(FIELDS)], mask_color="#9AA3AE"
        )

    for suffix, capture in (("html", html), ("png", png)):
        try:
            data = await asyncio.wait_for(capture(), bound_s)
        except Exception as exc:  # evidence is best effort; the terminal snapshot matters more
            log.warning("evidência .%s não salva (%s: %s)", suffix, type(exc).__name__, first_line(exc))
            continue
        _write_private(data_dir / f"{base}.{suffix}", data)
        written.append(f"{base}.{suffix}")
    return written
