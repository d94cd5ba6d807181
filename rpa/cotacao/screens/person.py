"""Screens 9–10: the insured's personal data (masked CPF/date/phone verified after typing,
MUI selects for sexo and estado civil picked by their data-value) and the main driver, whose
extra fields appear when the insured is not the main driver. A field the portal marks invalid
becomes `rejeitado_<campo>`."""

from __future__ import annotations

from playwright.async_api import Page

from ..errors import Unexpected
from ..inputs import Person
from . import masks
from .base import Run, Screen
from .waits import has_value

SEXO_VALUES = {"Masculino": "masculino", "Feminino": "feminino"}
ESTADO_CIVIL_VALUES = {
    "Solteiro": "solteiro",
    "Casado ou União Estável": "casado",
    "Divorciado": "divorciado",
    "Separado": "separado",
    "Viúvo": "viuvo",
}


async def pick_option(page: Page, select_id: str, data_value: str, timeout_s: float) -> None:
    """Opens a MUI select, clicks the option with that data-value (never "the first") and
    checks the select's hidden input took the value."""
    await page.locator(f"#{select_id}").click()
    option = page.locator(f'ul[role=listbox] li[role=option][data-value="{data_value}"]')
    await option.click()
    await option.wait_for(state="hidden")
    if not await has_value(page.locator(f"#{select_id} ~ input.MuiSelect-nativeInput"), data_value, timeout_s):
        raise Unexpected(f"A seleção {select_id} não ficou com o valor escolhido.")


async def fill_person(screen: Screen, r: Run, p: Person, suffix: str) -> None:
    """Types one person into the fields `<campo>Tela<suffix>`."""
    page = r.page
    await page.locator(f"#nome{suffix}").fill(p.nome)
    await screen.fill_verified(page.locator(f"#cpf{suffix}"), p.cpf, masks.cpf(p.cpf))
    await screen.fill_verified(page.locator(f"#dataNascimento{suffix}"), p.data_nascimento, p.data_nascimento)
    await pick_option(page, f"sexo{suffix}", SEXO_VALUES[p.sexo], r.timeouts.tela)
    await pick_option(page, f"estadoCivil{suffix}", ESTADO_CIVIL_VALUES[p.estado_civil], r.timeouts.tela)


def person_fields(suffix: str, campo_suffix: str = "") -> dict[str, str]:
    """campo -> selector of one person's fields (the portal marks each one invalid alone)."""
    return {
        f"nome{campo_suffix}": f"#nome{suffix}",
        f"cpf{campo_suffix}": f"#cpf{suffix}",
        f"data_nascimento{campo_suffix}": f"#dataNascimento{suffix}",
        f"sexo{campo_suffix}": f"#sexo{suffix}",
        f"estado_civil{campo_suffix}": f"#estadoCivil{suffix}",
    }


class DadosPessoais(Screen):
    key, etapa = "dados_pessoais", 9
    mensagem = "Preenchendo os dados do segurado"
    FIELDS = {
        **person_fields("TelaSegurado"),
        "email": "#emailTelaSegurado",
        "telefone": "#celularTelaSegurado",
    }

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        await fill_person(self, r, q.segurado, "TelaSegurado")
        await self.fill_verified(page.locator("#emailTelaSegurado"), q.email, masks.email(q.email))
        await self.fill_verified(page.locator("#celularTelaSegurado"), q.telefone, masks.phone(q.telefone))
        await self.click_continue(page, "gtm-telaDadosSeguradoContinuar")
        return await self.checked_outcome(
            r, self.FIELDS, {"condutor": page.locator("#gtm-telaCondutorPrincipalContinuar")}
        )


class Condutor(Screen):
    key, etapa = "condutor", 10
    mensagem = "Informando o condutor principal do veículo"
    FIELDS = person_fields("TelaCondutorPrincipal", "_condutor")

    async def run(self, r: Run) -> str:
        page, condutor = r.page, r.quote.condutor
        await self.choose(page, "condutorPrincipalTelaCondutorPrincipal", "sim" if condutor is None else "nao")
        if condutor is not None:
            await fill_person(self, r, condutor, "TelaCondutorPrincipal")
        await self.click_continue(page, "gtm-telaCondutorPrincipalContinuar")
        return await self.checked_outcome(
            r, self.FIELDS, {"atividade": page.locator("#gtm-telaAtividadeVeiculoContinuar")}
        )
