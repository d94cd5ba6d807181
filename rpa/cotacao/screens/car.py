"""Screens 6–8: vehicle items (fuel radio 1..6, Kit Gás/Blindado/Financiado checkboxes; no Kit
Gás for motorcycles), overnight address (CEP autocomplete) and vehicle use."""

from __future__ import annotations

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


class Itens(Screen):
    key, etapa = "itens", 6
    mensagem = "Informando o combustível e os itens do veículo"

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        await self.choose(page, "tipoCombustivelTelaItens", FUEL_VALUES[q.combustivel])
        wanted = {
            "Kit Gás": q.kit_gas and q.tipo_veiculo == "carro",
            "Blindado": q.blindado,
            "Financiado": q.financiado,
        }
        if q.kit_gas and q.tipo_veiculo == "moto":
            log.info("kit gás ignorado: não se aplica a motos")
        for value, on in wanted.items():
            box = page.locator(f'input[type=checkbox][name=outrosTelaItens][value="{value}"]')
            if await box.count() == 0:
                if on:
                    log.warning("item %s não existe nesta tela", value)
                continue
            await box.set_checked(on)
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
            "gtm-telaUsoVeiculoContinuar",
            {"dados_pessoais": r.page.locator("#gtm-telaDadosSeguradoContinuar")},
        )
