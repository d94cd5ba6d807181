"""What every screen unit shares: the element that identifies each screen, the screen's history
entry (written once it is recognised, with its structural fingerprint), the verdict when an
awaited screen does not show up (still loading:
`tela_nao_carregou`; something else on the page: `tela_nao_reconhecida`) and the small actions
every screen takes (radio by name+value, Continuar, a one-question screen, inline error
detection); giving each answer, or stopping, is `answers`."""

from __future__ import annotations

import asyncio
import logging
import re

from playwright.async_api import Locator, Page

from ..errors import PortalUnavailable, RobotError, ScreenNotLoaded, ScreenNotRecognised
from ..fields import rejected
from ..portal import CAROUSEL, ERROR_ALERT, RESULT_TITLE
from ..privacy import personal_values, redact, scrub
from .answers import Answering
from .fingerprint import fingerprint
from .run import Run
from .waits import first_visible

log = logging.getLogger("cotacao.telas")

# A field the portal marked invalid (MUI sets aria-invalid on the input).
INVALID = "[aria-invalid=true]"

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
    "opcao": "Sugestões de endereço (tela 7)",
}

# The element that identifies each screen (and each state of screen 15), as a Playwright
# selector: what the screen before it waits for, and what an error names when it is missing.
ANCHORS = {
    "tipo_seguro": 'button:has(img[src*="/insurance-icons/"])',
    "placa": "#placaTelaDadosPlaca",
    "confirmacao": "#gtm-telaInfosAutoContinuar",
    "ja_segurado": "#gtm-telaRenovacaoVeiculoContinuar",
    "estimativa": CAROUSEL,
    "zero_km": "div[role=radiogroup]#zerokmTelaZeroKm",
    "itens": "div[role=radiogroup]#tipoCombustivelTelaItens",
    "pernoite": "#enderecoTelaEndereco",
    "opcao": "#enderecoTelaEndereco-option-0",
    "uso": "#gtm-telaUsoVeiculoContinuar",
    "dados_pessoais": "#gtm-telaDadosSeguradoContinuar",
    "condutor": "#gtm-telaCondutorPrincipalContinuar",
    "atividade": "#gtm-telaAtividadeVeiculoContinuar",
    "garagem": 'input[type=radio][name="possuiGaragemTelaGaragemResidencia"][value="sim"]',
    "residentes": 'input[type=radio][name="usoDependenteTelaUsoResidentes"][value="nao"]',
    "corretor": "#gtm-telaCorretorAnteriorContinuar",
    "calculo": "text=Tempo estimado em",
    "cotacao_manual": "text=Ops, ainda não encontramos resultados para você",
    "resultado": f"text={RESULT_TITLE}",
}

# Why a page that lacks the awaited element is still loading rather than showing something else:
# the document, a progress indicator (page loader, skeleton, autocomplete "Carregando…"), the
# calculation countdown, or an empty page. Also the page's visible title, for the operator.
PAGE_STATE_JS = r"""() => {
  const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const body = document.body;
  const text = el => el.innerText.replace(/\s+/g, ' ').trim();
  // A heading, or (the real portal titles its screens with paragraphs) the first two of main's.
  const heading = Array.from(document.querySelectorAll('h1, h2, [role=heading]')).find(shown);
  const titulo = (heading ? text(heading) : Array.from(document.querySelectorAll('main p')).filter(shown)
    .map(text).filter(Boolean).slice(0, 2).join(' — ')).slice(0, 120);
  let carregando = '';
  if (document.readyState === 'loading') carregando = 'documento ainda carregando';
  else if (Array.from(document.querySelectorAll('[role=progressbar], .MuiCircularProgress-root, ' +
      '.MuiLinearProgress-root, .MuiSkeleton-root, .MuiAutocomplete-loading, [aria-busy=true]')).some(shown))
    carregando = 'indicador de carregamento visível';
  else if (!body || !body.innerText.trim()) carregando = 'página em branco';
  else if (/Tempo estimado em/.test(body.innerText)) carregando = 'contagem do cálculo em andamento';
  return { carregando, titulo };
}"""


class Screen(Answering):
    """One portal screen: fills its inputs, clicks Continuar and waits, bounded, until one of
    the screens that may follow it is visible. `run` returns the key of that next screen."""

    key = ""
    etapa = 0
    mensagem = ""  # progress message for the visitor

    @property
    def nome(self) -> str:
        """The screen as an operator knows it (named in errors)."""
        return SCREEN_NAMES[self.key]

    async def arrive(self, r: Run) -> None:
        """The robot is on this screen (the one before waited for its element): its step."""
        await self.recognised(r)

    async def run(self, r: Run) -> str:
        raise NotImplementedError

    # -- recognition -----------------------------------------------------------------------

    async def recognised(
        self, r: Run, extra: dict | None = None, *, mensagem: str | None = None, tela: str | None = None
    ) -> None:
        """The screen's history entry, with `{"tela", "fingerprint"}` (and `extra`) in its
        dados_extra: the structure of the screen as the robot found it."""
        tela = tela or self.key
        data: dict = {"tela": tela}
        try:
            data["fingerprint"] = await fingerprint(r.page, personal_values(r.quote))
            log.info("tela %s: impressão digital %s", tela, data["fingerprint"])
        except Exception as exc:  # the fingerprint is evidence; it never stops a quote
            log.warning("tela %s: impressão digital não calculada (%s)", tela, type(exc).__name__)
        data.update(extra or {})
        r.tracker.step(self.etapa, mensagem or self.mensagem, data)

    async def unseen(self, r: Run, tela: str, elemento: str, timeout_s: float, *, acting: bool = False) -> RobotError:
        """The verdict when `elemento` of `tela` did not show up in `timeout_s`: the page was
        still loading, or (unless `acting` on this very screen) this screen was still shown:
        `tela_nao_carregou`; otherwise the page shows something the robot does not know:
        `tela_nao_reconhecida`."""
        page = r.page
        try:
            state = await asyncio.wait_for(page.evaluate(PAGE_STATE_JS), 5)
            same = False
            if not acting and self.key in ANCHORS:
                same = await asyncio.wait_for(page.locator(ANCHORS[self.key]).first.is_visible(), 5)
        except Exception:  # a page that cannot even answer is not loaded
            return ScreenNotLoaded(tela, timeout_s)
        if state["carregando"]:
            return ScreenNotLoaded(tela, timeout_s, f"A página ainda carregava ({state['carregando']}).")
        if same:
            return ScreenNotLoaded(tela, timeout_s, f"A tela «{self.nome}» continuou na página.")
        shown = redact(state["titulo"], personal_values(r.quote))
        detalhe = f"A página mostrava «{shown}»." if shown else "A página mostrava outra coisa."
        log.warning("tela não reconhecida: esperada %s (%s); %s", tela, elemento, detalhe)
        return ScreenNotRecognised(tela, elemento, detalhe)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def anchor(page: Page, key: str) -> Locator:
        """The element that identifies screen `key`."""
        return page.locator(ANCHORS[key])

    async def next_of(self, r: Run, outcomes: dict[str, Locator]) -> str:
        """Key of the first visible of the possible next screens (keyed by screen key, anchored
        on one of their elements); when none shows, the verdict of `unseen` naming them."""
        keys = [k for k in outcomes if not k.startswith("erro")]
        awaited = " ou ".join(SCREEN_NAMES.get(k, k) for k in keys)
        try:
            return await first_visible(outcomes, r.timeouts.tela, awaited)
        except ScreenNotLoaded:
            elements = " ou ".join(ANCHORS.get(k, k) for k in keys)
            raise await self.unseen(r, awaited, elements, r.timeouts.tela) from None

    @staticmethod
    def radio_selector(name: str, value: str) -> str:
        return f'input[type=radio][name="{name}"][value="{value}"]'

    @classmethod
    def radio(cls, page: Page, name: str, value: str) -> Locator:
        return page.locator(cls.radio_selector(name, value))

    async def choose(self, r: Run, name: str, value: str, campo: str) -> None:
        """Checks the radio `value` of the group `name`: the answer to `campo`."""
        await self.tick(r, self.radio_selector(name, value), True, campo)

    @staticmethod
    async def click_continue(page: Page, button_id: str) -> None:
        await page.locator(f"button#{button_id}").click()

    async def answer(
        self, r: Run, radio_name: str, value: str, campo: str, button_id: str, nexts: dict[str, Locator]
    ) -> str:
        """A one-question screen: picks the radio, clicks Continuar, waits for what follows."""
        await self.choose(r, radio_name, value, campo)
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


_WAITING_FOR = re.compile(r"waiting for ((?:locator|get_by_\w+)\(.*?\))(?:\.\w+\(.*?\))*\s*$", re.M)


def element_of(exc: BaseException) -> str:
    """The element a timed-out Playwright action waited for, as its call log names it."""
    m = _WAITING_FOR.search(str(exc))
    return scrub(m.group(1))[:200] if m else "elemento da tela"
