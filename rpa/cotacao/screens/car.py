"""Screens 6–8: vehicle items (fuel radio 1..6, Kit Gás/Blindado/Financiado checkboxes; no Kit
Gás for motorcycles), overnight address (CEP autocomplete) and vehicle use."""

from __future__ import annotations

from ..fields import label
from . import masks
from .base import Run, Screen, log

FUEL_VALUES = {"Flex": "1", "Gasolina": "2", "Álcool": "3", "Diesel": "4", "Híbrido": "5", "Elétrico": "6"}
USE_VALUES = {
    "Pessoal": "Particular",
    "Profissional": "Profissional",
    "Motorista de aplicativo": "Motorista de App",
    "Taxi": "Taxi",
}
ADDRESS_FIELD = "#enderecoTelaEndereco"
# The "Outros" boxes: found by their value inside the group `#outrosTelaItens` (on the real portal
# the boxes carry no `name`; the group's <label> shares its id but holds no box).
OTHER_ITEM = '[id="outrosTelaItens"] input[type=checkbox][value="{}"]'
ITEM_VALUES = {"kit_gas": "Kit Gás", "blindado": "Blindado", "financiado": "Financiado"}


class Itens(Screen):
    key, etapa = "itens", 6
    mensagem = "Informando o combustível e os itens do veículo"

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        await self.choose(r, "tipoCombustivelTelaItens", FUEL_VALUES[q.combustivel], label("combustivel"))
        wanted = {
            "kit_gas": q.kit_gas and q.tipo_veiculo == "carro",
            "blindado": q.blindado,
            "financiado": q.financiado,
        }
        if q.kit_gas and q.tipo_veiculo == "moto":
            log.info("kit gás ignorado: não se aplica a motos")
        for campo, on in wanted.items():
            selector = OTHER_ITEM.format(ITEM_VALUES[campo])
            if not on and await page.locator(selector).count() == 0:
                continue  # nothing to untick (a motorcycle has no Kit Gás box)
            await self.tick(r, selector, on, f"{label(campo)} (Outros)")
        await self.click_continue(page, "gtm-telaItensAutoContinuar")
        return await self.next_of(r, {"pernoite": page.locator(ADDRESS_FIELD)})


class Pernoite(Screen):
    key, etapa = "pernoite", 7
    mensagem = "Informando o CEP onde o veículo passa a noite"

    async def run(self, r: Run) -> str:
        page = r.page
        first_option = page.locator(f"{ADDRESS_FIELD}-option-0")
        await page.locator(ADDRESS_FIELD).fill(masks.cep(r.quote.cep))
        await self.checked_outcome(r, {"cep": ADDRESS_FIELD}, {"opcao": first_option})
        await first_option.click()
        await first_option.wait_for(state="hidden")
        await self.click_continue(page, "gtm-telaPernoiteVeiculoContinuar")
        return await self.next_of(r, {"uso": page.locator("#gtm-telaUsoVeiculoContinuar")})


class Uso(Screen):
    key, etapa = "uso", 8
    mensagem = "Informando o uso do veículo"

    async def run(self, r: Run) -> str:
        return await self.answer(
            r,
            "finalidadeVeiculoTelaUsoVeiculo",
            USE_VALUES[r.quote.uso_veiculo],
            label("uso_veiculo"),
            "gtm-telaUsoVeiculoContinuar",
            {"dados_pessoais": r.page.locator("#gtm-telaDadosSeguradoContinuar")},
        )
