"""The run context every screen works in: the page, the quote's input, the bounds, the tracker,
and the portal's messages read off the page (a field's helper text, the error banner) with
personal data scrubbed."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Page

from ..config import Timeouts
from ..inputs import QuoteInput
from ..portal import ERROR_ALERT
from ..privacy import scrub
from ..tracker import Tracker


@dataclass
class Run:
    """Everything a screen needs for one quote."""

    page: Page
    quote: QuoteInput
    timeouts: Timeouts
    tracker: Tracker
    portal_url: str
    credentials: object  # config.Credentials; used only by the result screen
    planos: dict | None = None  # set by the result screen

    async def helper_text(self, field_selector: str) -> str:
        """The portal's message under an invalid field (personal data scrubbed)."""
        text = await self.page.locator(field_selector).first.evaluate(
            """el => {
                const box = el.closest('.MuiFormControl-root, .MuiTextField-root') || el.parentElement;
                const help = box && box.querySelector('.MuiFormHelperText-root, [id$=-helper-text]');
                return help ? help.textContent : '';
            }"""
        )
        return scrub(" ".join(text.split())) or "(sem mensagem)"

    async def alert_text(self) -> str:
        alerts = await self.page.locator(ERROR_ALERT).all_inner_texts()
        return scrub(" ".join(" ".join(alerts).split()))[:300] or "(sem mensagem)"
