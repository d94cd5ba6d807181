"""Giving the portal each answer of the quote, or stopping: a radio or a box set to the answer, a
typed field that must end up holding the value (its mask aside), an option picked in an MUI
select. An element that never shows up is the screen's verdict (`tela_nao_reconhecida` naming the
screen and the field, or `tela_nao_carregou` while the page still loads); one that is there but
does not take the answer is `AnswerNotGiven`. Never a warning that lets the quote go on with an
answer the visitor did not give. Values never appear in the messages: only the field's name."""

from __future__ import annotations

import logging
import re

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import AnswerNotGiven
from ..inputs import fold
from .run import Run
from .waits import has_value

log = logging.getLogger("cotacao.telas")


def _bare(text: str) -> str:
    """The value without mask characters, accents or letter case."""
    return re.sub(r"[^0-9a-z@]", "", fold(text))


class Answering:
    """The answers a screen gives; mixed into every screen unit, which supplies `nome` (the
    screen as an operator knows it) and `unseen` (the verdict on an element that never shows)."""

    nome: str

    async def unseen(self, r: Run, tela: str, elemento: str, timeout_s: float, *, acting: bool = False):
        raise NotImplementedError

    async def missing(self, r: Run, campo: str, selector: str):
        """The verdict on the element of `campo` that never showed up."""
        return await self.unseen(r, self.nome, f"«{campo}» ({selector})", r.timeouts.tela, acting=True)

    async def tick(self, r: Run, selector: str, on: bool, campo: str) -> None:
        """Sets the radio or checkbox `selector` to `on` (waiting, bounded, for it to show)."""
        box = r.page.locator(selector)
        try:
            await box.set_checked(on)
        except PlaywrightTimeout:
            raise await self.missing(r, campo, selector) from None
        except PlaywrightError:
            # The click did not change the state, or the browser is gone: asking again tells
            # which (a closed page raises its own error here).
            if await box.is_checked() != on:
                estado = "marcado" if on else "desmarcado"
                raise AnswerNotGiven(self.nome, campo, f"o elemento não ficou {estado} depois do clique") from None

    async def type_in(self, field: Locator, value: str, shown: str, campo: str) -> None:
        """Types `value` and checks the field displays `shown` (the portal's mask), with one
        slower retry. A field that displays the value in another format is accepted (logged);
        one that holds anything else stops the quote."""
        for attempt in ("fill", "keys"):
            if attempt == "fill":
                await field.fill(value)
            else:
                await field.fill("")
                await field.press_sequentially(value)
            if await has_value(field, shown, 2):
                return
            if _bare(await field.input_value()) == _bare(value):
                log.info("campo %s: a máscara exibe o valor num formato diferente do esperado", campo)
                return
        raise AnswerNotGiven(self.nome, campo, "o campo ficou com outro valor depois de digitado")

    async def pick(self, r: Run, select_id: str, data_value: str, campo: str) -> None:
        """Opens an MUI select, clicks the option with that data-value (never "the first") and
        checks the select's hidden input took the value."""
        page = r.page
        option = page.locator(f'ul[role=listbox] li[role=option][data-value="{data_value}"]')
        try:
            await page.locator(f"#{select_id}").click()
            await option.click()
        except PlaywrightTimeout:
            raise await self.missing(r, campo, f"#{select_id}") from None
        await option.wait_for(state="hidden")
        shown = page.locator(f"#{select_id} ~ input.MuiSelect-nativeInput")
        if not await has_value(shown, data_value, r.timeouts.tela):
            raise AnswerNotGiven(self.nome, campo, "a opção escolhida não ficou selecionada")
