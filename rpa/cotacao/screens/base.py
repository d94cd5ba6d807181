"""What every screen unit shares: the run context (page, input, bounds, tracker) and the small
actions the portal's MUI widgets need (radio by name+value, checkbox, Continuar, masked field
that is verified after typing, inline error detection)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from playwright.async_api import Locator, Page

from ..config import Timeouts
from ..errors import PortalUnavailable
from ..fields import rejected
from ..inputs import QuoteInput
from ..privacy import scrub
from ..tracker import Tracker
from ..waits import first_visible, has_value

log = logging.getLogger("cotacao.telas")

# A field the portal marked invalid (MUI sets aria-invalid on the input).
INVALID = "[aria-invalid=true]"
# A screen-level error banner (MUI Alert, error severity): a failed server lookup.
ERROR_ALERT = ".MuiAlert-standardError[role=alert]"

# Every screen (and ending) by key, as an operator names it in errors.
SCREEN_NAMES = {
    "tipo_seguro": "Tipo de seguro (tela 1)",
    "placa": "Placa (tela 2)",
    "confirmacao": "Confirmação do veículo (tela 3)",
    "ja_segurado": "Veículo já segurado (tela 4)",
    "estimativa": "Estimativa inicial (tela 5)",
    "zero_km": "Zero KM",
    "itens": "Itens do veículo (tela 6)",
    "pernoite": "Local de pernoite (tela 7)",
    "uso": "Uso do veículo (tela 8)",
    "dados_pessoais": "Dados pessoais (tela 9)",
    "condutor": "Condutor principal (tela 10)",
    "atividade": "Trabalho e estudo (tela 11)",
    "garagem": "Garagem (tela 12)",
    "residentes": "Residentes de 18 a 26 anos (tela 13)",
    "corretor": "Corretor anterior (tela 14)",
    "calculo": "Cálculo da cotação (tela 15)",
    "resultado": "Resultado da cotação (tela 15)",
    "cotacao_manual": "Cotação manual (tela 15)",
}


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


class Screen:
    """One portal screen: fills its inputs, clicks Continuar and waits, bounded, until one of
    the screens that may follow it is visible. `run` returns the key of that next screen."""

    key = ""
    etapa = 0
    mensagem = ""  # progress message for the visitor

    @property
    def nome(self) -> str:
        """The screen as an operator knows it (named in errors)."""
        return SCREEN_NAMES[self.key]

    async def run(self, r: Run) -> str:
        raise NotImplementedError

    # -- helpers ---------------------------------------------------------------------------

    async def next_of(self, r: Run, outcomes: dict[str, Locator]) -> str:
        """Key of the first visible of the possible next screens (keyed by screen key, anchored
        on one of their elements), or a `tela_nao_carregou` naming the awaited screens."""
        awaited = " ou ".join(SCREEN_NAMES.get(k, k) for k in outcomes if not k.startswith("erro"))
        return await first_visible(outcomes, r.timeouts.tela, awaited)

    @staticmethod
    def radio(page: Page, name: str, value: str) -> Locator:
        return page.locator(f'input[type=radio][name="{name}"][value="{value}"]')

    async def choose(self, page: Page, name: str, value: str) -> None:
        await self.radio(page, name, value).check()

    @staticmethod
    async def click_continue(page: Page, button_id: str) -> None:
        await page.locator(f"button#{button_id}").click()

    async def answer(self, r: Run, radio_name: str, value: str, button_id: str, nexts: dict[str, Locator]) -> str:
        """A one-question screen: picks the radio, clicks Continuar, waits for what follows."""
        await self.choose(r.page, radio_name, value)
        await self.click_continue(r.page, button_id)
        return await self.next_of(r, nexts)

    async def checked_outcome(self, r: Run, fields: dict[str, str], nexts: dict[str, Locator]) -> str:
        """After a submit or a lookup: the next screen, or the portal's verdict on `fields`
        (campo -> selector). A field marked invalid is `rejeitado_<campo>`; the portal's error
        banner (failed lookup) is `portal_indisponivel`."""
        page = r.page
        invalid = page.locator(", ".join(f"{sel}{INVALID}" for sel in fields.values()))
        found = await self.next_of(r, {**nexts, "erro": invalid, "erro_servidor": page.locator(ERROR_ALERT)})
        if found == "erro_servidor":
            raise PortalUnavailable(f"a consulta da {self.nome} falhou: {await r.alert_text()}")
        if found == "erro":
            campo, selector = next(iter(fields.items()))
            for name, candidate in fields.items():  # the first field the portal marked
                if await page.locator(f"{candidate}{INVALID}").count():
                    campo, selector = name, candidate
                    break
            raise rejected(campo, f"O portal recusou o campo na {self.nome}: {await r.helper_text(selector)}")
        return found

    @staticmethod
    async def fill_verified(field: Locator, value: str, shown: str) -> None:
        """Types `value` and checks the mask displays `shown`; one slower retry, then a
        warning (the portal's own validation decides whether the value is accepted)."""
        await field.fill(value)
        if await has_value(field, shown, 2):
            return
        await field.fill("")
        await field.press_sequentially(value)
        if not await has_value(field, shown, 2):
            log.warning("campo %s exibe um valor diferente do esperado após a máscara",
                        await field.get_attribute("id"))
