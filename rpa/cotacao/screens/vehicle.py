"""Screens 1–4: insurance type (Carro/Moto), plate (masked, looked up by the portal), vehicle
confirmation and "already insured?". The plate screen turns the portal's inline refusal into
`rejeitado_placa` and a failed lookup into `portal_indisponivel`; the confirmation screen reports
the vehicle the portal found (reading/vehicle.py) when its text says it."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from ..errors import PortalUnavailable
from ..fields import label
from ..portal import CAROUSEL, ERROR_ALERT
from ..privacy import first_line
from ..reading.vehicle import read_vehicle
from . import masks
from .base import ANCHORS, Run, Screen

ICONS = {"carro": "Icone car", "moto": "Icone motorcycle"}
PLATE_FIELD = "#placaTelaDadosPlaca"


class TipoSeguro(Screen):
    key, etapa = "tipo_seguro", 1
    mensagem = "Abrindo o portal da seguradora e escolhendo o tipo de seguro"

    async def arrive(self, r: Run) -> None:
        """Opens the portal; the step's history entry waits until the first screen is recognised
        (the progress shows the step at once)."""
        page = r.page
        r.tracker.enter(self.etapa, self.mensagem)
        try:
            response = await page.goto(r.portal_url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            raise PortalUnavailable(first_line(exc)) from None
        if response is not None and response.status >= 500:
            raise PortalUnavailable(f"HTTP {response.status} na página inicial")
        try:
            await self.anchor(page, self.key).first.wait_for(state="visible", timeout=r.timeouts.tela * 1000)
        except PlaywrightTimeout:
            raise await self.unseen(r, self.nome, ANCHORS[self.key], r.timeouts.tela) from None
        await self.recognised(r)

    async def run(self, r: Run) -> str:
        page = r.page
        await page.locator(f'button:has(img[alt="{ICONS[r.quote.tipo_veiculo]}"])').click()
        return await self.next_of(r, {"placa": page.locator(PLATE_FIELD)})


class Placa(Screen):
    key, etapa = "placa", 2
    mensagem = "Consultando o veículo pela placa"

    async def run(self, r: Run) -> str:
        page = r.page
        await self.type_in(page.locator(PLATE_FIELD), r.quote.placa, masks.plate(r.quote.placa), label("placa"))
        await self.click_continue(page, "gtm-telaDadosAutoCotarComPlacaContinuar")
        return await self.checked_outcome(
            r, {"placa": PLATE_FIELD}, {"confirmacao": page.locator("#gtm-telaInfosAutoContinuar")}
        )


class Confirmacao(Screen):
    key, etapa = "confirmacao", 3
    mensagem = "Confirmando o veículo encontrado"

    async def arrive(self, r: Run) -> None:
        """The screen's entry carries the vehicle the portal found, which progress keeps from
        now on; a text that does not say it leaves it out and the quote goes on."""
        veiculo = await read_vehicle(r.page, r.quote.placa)
        if veiculo is not None:
            r.tracker.vehicle(veiculo)
        await self.recognised(r, {"veiculo": veiculo} if veiculo else None)

    async def run(self, r: Run) -> str:
        return await self.answer(
            r,
            "confirmarVeiculoTelaInformacoesVeiculo",
            "Sim",
            "Confirmação do veículo",
            "gtm-telaInfosAutoContinuar",
            {"ja_segurado": r.page.locator("#gtm-telaRenovacaoVeiculoContinuar")},
        )


class JaSegurado(Screen):
    key, etapa = "ja_segurado", 4
    mensagem = "Informando que é um seguro novo"

    async def run(self, r: Run) -> str:
        # The estimate screen shows its carousel, or an error banner when its lookup fails.
        screen5 = r.page.locator(CAROUSEL).or_(r.page.locator(ERROR_ALERT))
        return await self.answer(
            r,
            "jaSeguradoTelaRenovacao",
            "nao",
            label("veiculo_segurado"),
            "gtm-telaRenovacaoVeiculoContinuar",
            {"estimativa": screen5},
        )
