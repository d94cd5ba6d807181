"""Screens 1–4: insurance type (Carro/Moto), plate (masked, looked up by the portal), vehicle
confirmation and "already insured?". The plate screen turns the portal's inline refusal into
`rejeitado_placa`."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError

from .. import masks
from ..errors import PortalUnavailable
from ..fields import rejected
from ..privacy import scrub
from ..estimates import CAROUSEL
from .base import ERROR_ALERT, INVALID, Run, Screen

ICONS = {"carro": "Icone car", "moto": "Icone motorcycle"}
PLATE_FIELD = "#placaTelaDadosPlaca"


class TipoSeguro(Screen):
    key, etapa = "tipo_seguro", 1
    mensagem = "Abrindo o portal da seguradora e escolhendo o tipo de seguro"

    async def run(self, r: Run) -> str:
        page = r.page
        try:
            response = await page.goto(r.portal_url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            raise PortalUnavailable(scrub(str(exc).splitlines()[0])) from None
        if response is not None and response.status >= 500:
            raise PortalUnavailable(f"HTTP {response.status} na página inicial")
        await page.locator(f'button:has(img[alt="{ICONS[r.quote.tipo_veiculo]}"])').click()
        return await self.next_of(r, {"placa": page.locator(PLATE_FIELD)})


class Placa(Screen):
    key, etapa = "placa", 2
    mensagem = "Consultando o veículo pela placa"

    async def run(self, r: Run) -> str:
        page = r.page
        field = page.locator(PLATE_FIELD)
        await self.fill_verified(field, r.quote.placa, masks.plate(r.quote.placa), r)
        await self.click_continue(page, "gtm-telaDadosAutoCotarComPlacaContinuar")
        found = await self.next_of(
            r,
            {
                "confirmacao": page.locator("#gtm-telaInfosAutoContinuar"),
                "erro": page.locator(f"{PLATE_FIELD}{INVALID}"),
                "erro_servidor": page.locator(ERROR_ALERT),
            },
        )
        if found == "erro":
            raise rejected("placa", f"O portal recusou a placa na tela 2: {await r.helper_text(PLATE_FIELD)}")
        if found == "erro_servidor":
            raise PortalUnavailable(f"consulta da placa falhou: {await r.alert_text()}")
        return found


class Confirmacao(Screen):
    key, etapa = "confirmacao", 3
    mensagem = "Confirmando o veículo encontrado"

    async def run(self, r: Run) -> str:
        page = r.page
        await self.choose(page, "confirmarVeiculoTelaInformacoesVeiculo", "Sim")
        await self.click_continue(page, "gtm-telaInfosAutoContinuar")
        return await self.next_of(r, {"ja_segurado": page.locator("#gtm-telaRenovacaoVeiculoContinuar")})


class JaSegurado(Screen):
    key, etapa = "ja_segurado", 4
    mensagem = "Informando que é um seguro novo"

    async def run(self, r: Run) -> str:
        page = r.page
        await self.choose(page, "jaSeguradoTelaRenovacao", "nao")
        await self.click_continue(page, "gtm-telaRenovacaoVeiculoContinuar")
        # The estimate screen shows its carousel, or an error banner when its lookup fails.
        screen5 = page.locator(CAROUSEL).or_(page.locator(ERROR_ALERT))
        return await self.next_of(r, {"estimativa": screen5})
