"""Bounded waits on page conditions, never fixed sleeps: the first of several possible screens
to become visible (one `.or_()` locator), and a typed field's displayed value."""

from __future__ import annotations

import logging
import time

from playwright.async_api import Locator, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import ScreenNotLoaded

log = logging.getLogger(__name__)


async def first_visible(outcomes: dict[str, Locator], timeout_s: float, tela: str) -> str:
    """Waits until one of `outcomes` is visible and returns its key (the first key wins when
    several are visible). Raises ScreenNotLoaded naming `tela` when none shows in time."""
    combined = None
    for locator in outcomes.values():
        combined = locator if combined is None else combined.or_(locator)
    deadline = time.monotonic() + timeout_s
    while True:
        remaining_ms = (deadline - time.monotonic()) * 1000
        if remaining_ms <= 0:
            raise ScreenNotLoaded(tela, timeout_s)
        try:
            await combined.first.wait_for(state="visible", timeout=remaining_ms)
        except PlaywrightTimeout:
            raise ScreenNotLoaded(tela, timeout_s) from None
        for key, locator in outcomes.items():
            if await locator.first.is_visible():
                return key
        # It vanished between the two checks (a transient element): wait again.


async def has_value(field: Locator, expected: str, timeout_s: float) -> bool:
    """True once the field displays `expected` (masks apply asynchronously)."""
    try:
        await expect(field).to_have_value(expected, timeout=timeout_s * 1000)
        return True
    except AssertionError:
        return False
