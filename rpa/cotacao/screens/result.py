"""Screen 15: the calculation countdown and its endings — the result page behind the broker's
login overlay (logged in with the configured account), the CPF-mismatch modal (answered with
"Manter Login atual", also when it appears late), the manual-quote page, and the portal's error
banner. One page-side function names the state the page is in; the robot waits, bounded, for
the next state and acts on it, so nothing is probed with a fixed timeout."""

from __future__ import annotations

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import LoginRefused, ManualQuote, PortalUnavailable, ScreenNotLoaded
from ..plans import GRID, READY_FN, read_plans
from .base import ERROR_ALERT, SCREEN_NAMES, Run, Screen, log

RESULT_TITLE = "Parabéns, chegamos ao resultado final da cotação!"
MANUAL_TEXT = "Ops, ainda não encontramos resultados para você"
LOADING_TEXT = "Tempo estimado em"
KEEP_LOGIN = "#manterLoginAtualModalAssociarUsuario"

# The page's state on screen 15, most decisive first; false while nothing new is shown.
_STATE_JS = "([GRID, skip]) => {" + READY_FN + """
  const visible = el => !!el && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
  const text = document.body.innerText || '';
  let state = false;
  if (Array.from(document.querySelectorAll('""" + ERROR_ALERT + """')).some(visible)) state = 'erro_servidor';
  else if (text.includes('""" + MANUAL_TEXT + """')) state = 'cotacao_manual';
  else if (visible(document.querySelector('""" + KEEP_LOGIN + """'))) state = 'cpf_divergente';
  else if (visible(document.getElementById('emailTelaLogin'))) {
    const senha = document.getElementById('senhaTelaLogin');
    state = senha && senha.getAttribute('aria-invalid') === 'true' ? 'login_recusado' : 'login';
  }
  else if (plansReady(GRID)) state = 'planos';
  return state && !skip.includes(state) ? state : false;
}"""


def result_outcomes(page: Page) -> dict:
    """Anchors of everything screen 15 may show, for the screens that precede it."""
    return {
        "erro_servidor": page.locator(ERROR_ALERT),
        "calculo": page.get_by_text(LOADING_TEXT),
        "cotacao_manual": page.get_by_text(MANUAL_TEXT),
        "resultado": page.get_by_text(RESULT_TITLE),
    }


class Calculo(Screen):
    key, etapa = "calculo", 15
    mensagem = "Calculando as ofertas das seguradoras (isso pode levar cerca de um minuto)"

    async def run(self, r: Run) -> str:
        page = r.page
        state = await self._next_state(page, r.timeouts.calculo, "calculo")
        logged_in = False
        while True:
            if state == "cotacao_manual":
                raise ManualQuote()
            if state == "erro_servidor":
                raise PortalUnavailable(f"o portal mostrou um erro na tela 15: {await r.alert_text()}")
            if state == "login_recusado":
                raise LoginRefused(await r.helper_text("#senhaTelaLogin"))
            if state == "planos":
                r.planos = await read_plans(page)
                return "fim"
            if state == "login":
                r.tracker.step(15, "Acessando o resultado da sua cotação")
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
            state = await self._next_state(page, r.timeouts.resultado, "resultado", skip)

    @staticmethod
    async def _next_state(page: Page, timeout_s: float, tela: str, skip: list | None = None) -> str:
        try:
            handle = await page.wait_for_function(
                _STATE_JS, arg=[GRID, skip or []], timeout=timeout_s * 1000, polling=100
            )
        except PlaywrightTimeout:
            raise ScreenNotLoaded(SCREEN_NAMES[tela], timeout_s) from None
        return await handle.json_value()
