"""Screen 15: the calculation countdown and its endings — the result page behind the broker's
login overlay (logged in with the configured account), the CPF-mismatch modal (answered with
"Manter Login atual", also when it appears late), the manual-quote page, and the portal's error
banner. One page-side function names the state the page is in; the robot waits, bounded, for
the next state and acts on it, so nothing is probed with a fixed timeout. While it waits for the
calculation, the same function also hands back each new value of the portal's countdown
(reading/countdown.py), which goes into progress as `calculo` until the countdown is gone. Once
the plans show real premiums they are read twice (reading/plans.py); the result page's history
entry carries its fingerprint and how the plans were read, and plans neither reading could take
end the quote with `planos_ilegiveis`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import LoginRefused, ManualQuote, PlansUnreadable, PortalUnavailable, RobotError, ScreenNotLoaded
from ..portal import ERROR_ALERT, RESULT_TITLE
from ..reading.countdown import COUNTDOWN_FN, COUNTDOWN_TEXT
from ..reading.plans import READY_FN, read_plans
from .base import PAGE_STATE_JS, SCREEN_NAMES, Run, Screen, log

MANUAL_TEXT = "Ops, ainda não encontramos resultados para você"
KEEP_LOGIN = "#manterLoginAtualModalAssociarUsuario"
RESULT_MESSAGE = "Acessando o resultado da sua cotação"

# The page's state on screen 15, most decisive first, as `{estado}`; with `countdown` (`{last}`,
# the value last handed back) also `{restante}` when the countdown shows another value than
# `last` (null: none shows); false while nothing new is shown.
STATE_JS = (
    "([TITLE, skip, countdown]) => {"
    + READY_FN
    + COUNTDOWN_FN
    + """
  const visible = el => !!el && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
  const text = document.body.innerText || '';
  let state = false;
  if (Array.from(document.querySelectorAll('"""
    + ERROR_ALERT
    + """')).some(visible)) state = 'erro_servidor';
  else if (text.includes('"""
    + MANUAL_TEXT
    + """')) state = 'cotacao_manual';
  else if (visible(document.querySelector('"""
    + KEEP_LOGIN
    + """'))) state = 'cpf_divergente';
  else if (visible(document.getElementById('emailTelaLogin'))) {
    const senha = document.getElementById('senhaTelaLogin');
    state = senha && senha.getAttribute('aria-invalid') === 'true' ? 'login_recusado' : 'login';
  }
  else if (plansReady(TITLE)) state = 'planos';
  if (state && !skip.includes(state)) return { estado: state };
  if (countdown) {
    const restante = countdownSeconds(text);
    if (restante !== countdown.last) return { restante };
  }
  return false;
}"""
)


def result_outcomes(page: Page) -> dict:
    """Anchors of everything screen 15 may show, for the screens that precede it."""
    return {
        "erro_servidor": page.locator(ERROR_ALERT),
        "calculo": page.get_by_text(COUNTDOWN_TEXT),
        "cotacao_manual": page.get_by_text(MANUAL_TEXT),
        "resultado": page.get_by_text(RESULT_TITLE),
    }


class Calculo(Screen):
    key, etapa = "calculo", 15
    mensagem = "Calculando as ofertas das seguradoras"

    async def arrive(self, r: Run) -> None:
        # The countdown's entry has no fingerprint: at delay scale 0 it may already be over. The
        # result page gets its own entry once its plans are read.
        r.tracker.step(self.etapa, self.mensagem)

    async def run(self, r: Run) -> str:
        page = r.page
        state = await self._next_state(r, r.timeouts.calculo, "calculo", on_countdown=r.tracker.countdown)
        r.tracker.countdown(None)  # the result or the manual-quote page: the countdown is over
        logged_in = False
        while True:
            if state == "cotacao_manual":
                raise ManualQuote()
            if state == "erro_servidor":
                raise PortalUnavailable(f"o portal mostrou um erro na tela 15: {await r.alert_text()}")
            if state == "login_recusado":
                raise LoginRefused(await r.helper_text("#senhaTelaLogin"))
            if state == "planos":
                reading = await read_plans(page)
                await self.recognised(r, {"leitura": reading.entry()}, mensagem=RESULT_MESSAGE, tela="resultado")
                if reading.value is None:
                    raise PlansUnreadable(
                        f"A página de resultado mostrou os planos, mas nenhuma das duas leituras os entendeu "
                        f"({reading.motivo}). O leiaute da página pode ter mudado: ver a captura de tela e o "
                        "HTML salvos ao lado dos snapshots."
                    )
                r.planos = reading.value
                return "fim"
            if state == "login":
                r.tracker.enter(15, RESULT_MESSAGE)
                await page.locator("#emailTelaLogin").fill(r.credentials.email)
                await page.locator("#senhaTelaLogin").fill(r.credentials.senha)
                await page.locator("#gtm-telaLoginBotaoAcessar").click()
                logged_in = True
            elif state == "cpf_divergente":
                log.info("aviso de CPF divergente: mantendo o login atual")
                await page.locator(KEEP_LOGIN).click()
                await page.locator(KEEP_LOGIN).wait_for(state="hidden")
            # While the submitted login is being checked, the dialog is still "login".
            skip = ["login"] if logged_in else []
            state = await self._next_state(r, r.timeouts.resultado, "resultado", skip)

    async def _next_state(
        self,
        r: Run,
        timeout_s: float,
        tela: str,
        skip: list | None = None,
        on_countdown: Callable[[int | None], None] | None = None,
    ) -> str:
        """The next state of the page within `timeout_s`; meanwhile `on_countdown`, if given, is
        called with each new value of the portal's countdown (seconds; None once none shows)."""
        deadline = time.monotonic() + timeout_s
        countdown = {"last": None} if on_countdown else None
        while True:
            remaining_ms = (deadline - time.monotonic()) * 1000
            if remaining_ms <= 0:  # Playwright takes a timeout of 0 as no bound
                raise await self._unseen_state(r, timeout_s, tela)
            try:
                handle = await r.page.wait_for_function(
                    STATE_JS, arg=[RESULT_TITLE, skip or [], countdown], timeout=remaining_ms, polling=100
                )
            except PlaywrightTimeout:
                raise await self._unseen_state(r, timeout_s, tela) from None
            seen = await handle.json_value()
            if "estado" in seen:
                return seen["estado"]
            countdown["last"] = seen["restante"]
            on_countdown(seen["restante"])

    async def _unseen_state(self, r: Run, timeout_s: float, tela: str) -> RobotError:
        """No known state of screen 15 in time: still calculating or loading, the result page
        without its premiums (not loaded), or a page the robot does not know (not recognised)."""
        try:
            state = await asyncio.wait_for(r.page.evaluate(PAGE_STATE_JS), 5)
            result_shown = await asyncio.wait_for(r.page.get_by_text(RESULT_TITLE).first.is_visible(), 5)
        except Exception:
            return ScreenNotLoaded(SCREEN_NAMES[tela], timeout_s)
        if state["carregando"]:
            return ScreenNotLoaded(SCREEN_NAMES[tela], timeout_s, f"A página ainda carregava ({state['carregando']}).")
        if result_shown:
            return ScreenNotLoaded(SCREEN_NAMES["resultado"], timeout_s, "Os prêmios reais dos planos não apareceram.")
        return await self.unseen(
            r,
            SCREEN_NAMES[tela],
            f"texto «{RESULT_TITLE}», «{MANUAL_TEXT}» ou o login do corretor",
            timeout_s,
            acting=True,
        )
