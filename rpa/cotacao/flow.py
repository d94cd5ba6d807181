"""The quote run: opens the browser, walks the screens from the insurance type to the result
(each screen names the one that follows, so conditional screens are never probed) and records
each step in the tracker. Failures leave evidence and the terminal snapshot before the browser
closes."""

from __future__ import annotations

import asyncio
import logging
import time

from playwright.async_api import TimeoutError as PlaywrightTimeout

from . import artifacts
from .browser import closed_browser, open_page
from .config import Settings
from .errors import RobotError, unexpected_from
from .inputs import QuoteInput
from .privacy import personal_values, scrub
from .screens.base import Run, Screen, element_of
from .screens.car import Itens, Pernoite, Uso
from .screens.estimate import Estimativa, ZeroKm
from .screens.habits import Atividade, Corretor, Garagem, Residentes
from .screens.person import Condutor, DadosPessoais
from .screens.result import Calculo
from .screens.vehicle import Confirmacao, JaSegurado, Placa, TipoSeguro
from .tracker import Tracker

log = logging.getLogger("cotacao.fluxo")

SCREENS: dict[str, Screen] = {
    s.key: s
    for s in (
        TipoSeguro(),
        Placa(),
        Confirmacao(),
        JaSegurado(),
        Estimativa(),
        ZeroKm(),
        Itens(),
        Pernoite(),
        Uso(),
        DadosPessoais(),
        Condutor(),
        Atividade(),
        Garagem(),
        Residentes(),
        Corretor(),
        Calculo(),
    )
}
# Every state of screen 15 is handled by the calculation/result unit.
for _state in ("resultado", "cotacao_manual", "erro_servidor"):
    SCREENS[_state] = SCREENS["calculo"]

FIRST = "tipo_seguro"
DONE = "fim"


async def walk(r: Run) -> dict:
    """Runs the screens in the order the portal shows them; returns the plans."""
    key = FIRST
    while key != DONE:
        screen = SCREENS[key]
        started = time.monotonic()
        try:
            await screen.arrive(r)
            key = await screen.run(r)
        except PlaywrightTimeout as exc:
            # An action on this screen found no element to act on: still loading, or the screen
            # is not the one the robot knows.
            raise await screen.unseen(r, screen.nome, element_of(exc), r.timeouts.tela, acting=True) from None
        log.info("etapa %s (%s) concluída em %.2f s", screen.etapa, screen.key, time.monotonic() - started)
    return r.planos


async def run_quote(settings: Settings, quote: QuoteInput, tracker: Tracker, ending) -> dict:
    """One full quote in a fresh browser; `ending` records the terminal outcome."""
    async with open_page(settings) as page:
        r = Run(page, quote, settings.timeouts, tracker, settings.portal_url, settings.credentials)
        try:
            return await walk(r)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            if settings.shared_browser and closed_browser(exc):
                raise  # open_page tells whether the shared browser was lost

            error = exc if isinstance(exc, RobotError) else unexpected_from(exc)
            if not isinstance(exc, RobotError):
                log.error("erro inesperado: %s", scrub(f"{type(exc).__name__}: {exc}"))
            if not ending.decided:
                await artifacts.save_failure(
                    page,
                    tracker.dir,
                    tracker.session_id,
                    tracker.etapa,
                    settings.timeouts.fechamento,
                    personal_values(quote),
                )
            ending.fail(error)
            raise error from None
