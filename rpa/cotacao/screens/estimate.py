"""Screen 5 (initial estimate carousel, published to the tracker the moment it is read) and the
conditional Zero KM screen that may follow it."""

from __future__ import annotations

from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalUnavailable, ScreenNotLoaded
from ..fields import label
from ..reading.estimate import EstimateUnavailable, read_estimate
from .base import Run, Screen, log

NEXT_AFTER_ESTIMATE = {
    "zero_km": "div[role=radiogroup]#zerokmTelaZeroKm",
    "itens": "div[role=radiogroup]#tipoCombustivelTelaItens",
}


class Estimativa(Screen):
    key, etapa = "estimativa", 5
    mensagem = "Calculando a estimativa inicial do seu seguro"

    async def arrive(self, r: Run) -> None:
        # The step's history entry comes once the estimate is read (how it was read goes in it).
        r.tracker.enter(self.etapa, self.mensagem)

    async def run(self, r: Run) -> str:
        page = r.page
        try:
            reading = await read_estimate(page, r.timeouts.tela)
        except EstimateUnavailable:
            raise PortalUnavailable(f"estimativa falhou: {await r.alert_text()}") from None
        except PlaywrightTimeout:
            raise ScreenNotLoaded(self.nome, r.timeouts.tela, "Os valores da estimativa não apareceram.") from None
        await self.recognised(r, {"leitura": reading.entry()})
        if reading.value is not None:
            r.tracker.estimates(reading.value, "Estimativa inicial pronta! Seguimos com a cotação completa.")
        else:
            # The estimate is shown to the visitor, the plans are the quote: go on without it.
            log.warning("estimativa ilegível pelos dois métodos: a cotação segue sem ela")
        await self.click_continue(page, "gtm-telaEstimativaContinuarParaCotacaoFinal")
        return await self.next_of(r, {k: page.locator(v) for k, v in NEXT_AFTER_ESTIMATE.items()})


class ZeroKm(Screen):
    key, etapa = "zero_km", 5
    mensagem = "Informando se o veículo é zero quilômetro"

    async def run(self, r: Run) -> str:
        return await self.answer(
            r,
            "zerokmTelaZeroKm",
            "Sim" if r.quote.zero_km else "Não",
            label("zero_km"),
            "gtm-telaZeroKmContinuar",
            {"itens": r.page.locator(NEXT_AFTER_ESTIMATE["itens"])},
        )
