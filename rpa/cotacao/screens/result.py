"""Screen 15: the calculation countdown and its endings — the result page behind the broker's
login overlay (logged in with the configured account), the CPF-mismatch modal (answered with
"Manter Login atual", also when it appears late), and the manual-quote page. Ends with the two
plans read from the DOM once real premiums replace the "R$ 100,00" placeholders."""

from __future__ import annotations

import time

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import LoginRefused, ManualQuote, PortalUnavailable, ScreenNotLoaded
from ..plans import read_plans, wait_real_plans
from .base import Run, Screen, log

RESULT_TITLE = "Parabéns, chegamos ao resultado final da cotação!"
MANUAL_TEXT = "Ops, ainda não encontramos resultados para você"
LOADING_TEXT = "Tempo estimado em"
KEEP_LOGIN = "#manterLoginAtualModalAssociarUsuario"


def result_outcomes(page: Page) -> dict:
    """Anchors of everything screen 15 may show, for the screens that precede it."""
    return {
        "cotacao_manual": page.get_by_text(MANUAL_TEXT),
        "cpf_divergente": page.locator(KEEP_LOGIN),
        "login": page.locator("#emailTelaLogin"),
        "resultado": page.get_by_text(RESULT_TITLE),
        "calculo": page.get_by_text(LOADING_TEXT),
    }


class Calculo(Screen):
    key, etapa = "calculo", 15
    mensagem = "Calculando as ofertas das seguradoras (isso leva cerca de um minuto)"

    async def run(self, r: Run) -> str:
        page = r.page
        state = await self.next_of(r, self._endings(page), r.timeouts.calculo)
        deadline = time.monotonic() + r.timeouts.resultado
        logged_in = False
        while True:
            if state == "cotacao_manual":
                raise ManualQuote()
            if state == "erro_servidor":
                raise PortalUnavailable(f"cálculo falhou: {await r.alert_text()}")
            if state == "login_recusado":
                raise LoginRefused(await r.alert_text())
            if state == "cpf_divergente":
                log.info("aviso de CPF divergente: mantendo o login atual")
                await page.locator(KEEP_LOGIN).click()
                await page.locator(KEEP_LOGIN).wait_for(state="hidden")
            elif state == "login":
                if logged_in:
                    raise LoginRefused("o formulário de login continuou aberto")
                r.tracker.step(15, "Acessando o resultado da cotação")
                await self._login(r)
                logged_in = True
            elif state == "planos":
                r.planos = await read_plans(page)
                return "fim"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ScreenNotLoaded("Resultado da cotação (tela 15)", r.timeouts.resultado)
            state = await self.next_of(r, self._after_login(page), remaining)

    @staticmethod
    def _endings(page: Page) -> dict:
        return {
            "erro_servidor": page.locator("[role=alert]"),
            "cotacao_manual": page.get_by_text(MANUAL_TEXT),
            "cpf_divergente": page.locator(KEEP_LOGIN),
            "login": page.locator("#emailTelaLogin"),
            "planos": page.locator("[data-planos-prontos]"),
        }

    @staticmethod
    def _after_login(page: Page) -> dict:
        return {
            "login_recusado": page.locator("#emailTelaLogin[aria-invalid=true]"),
            "erro_servidor": page.locator("[role=alert]"),
            "cpf_divergente": page.locator(KEEP_LOGIN),
            "planos": page.locator("[data-planos-prontos]"),
        }

    async def _login(self, r: Run) -> None:
        page, cred = r.page, r.credentials
        await page.locator("#emailTelaLogin").fill(cred.email)
        await page.locator("#senhaTelaLogin").fill(cred.senha)
        await page.locator("#gtm-telaLoginBotaoAcessar").click()
