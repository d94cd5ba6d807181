"""Screens 9–10: the insured's personal data (masked CPF/date/phone verified after typing,
MUI selects for sexo and estado civil picked by their data-value) and the main driver, whose
extra fields appear when the insured is not the main driver. A field the portal marks invalid
becomes `rejeitado_<campo>`."""

from __future__ import annotations

from playwright.async_api import Page

from .. import masks
from ..errors import Unexpected
from ..fields import rejected
from ..inputs import Person
from ..waits import has_value
from .base import INVALID, Run, Screen

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
    await screen.fill_verified(page.locator(f"#cpf{suffix}"), p.cpf, masks.cpf(p.cpf), r)
    await screen.fill_verified(page.locator(f"#dataNascimento{suffix}"), p.data_nascimento, p.data_nascimento, r)
    await pick_option(page, f"sexo{suffix}", SEXO_VALUES[p.sexo], r.timeouts.tela)
    await pick_option(page, f"estadoCivil{suffix}", ESTADO_CIVIL_VALUES[p.estado_civil], r.timeouts.tela)


async def invalid_field(r: Run, fields: dict[str, str]) -> tuple[str, str] | None:
    """(campo, portal message) of the first field the portal marked invalid."""
    for campo, selector in fields.items():
        if await r.page.locator(f"{selector}{INVALID}").count():
            return campo, await r.helper_text(selector)
    return None


class DadosPessoais(Screen):
    key, etapa = "dados_pessoais", 9
    mensagem = "Preenchendo os dados do segurado"
    FIELDS = {
        "nome": "#nomeTelaSegurado",
        "cpf": "#cpfTelaSegurado",
        "data_nascimento": "#dataNascimentoTelaSegurado",
        "sexo": "#sexoTelaSegurado",
        "estado_civil": "#estadoCivilTelaSegurado",
        "email": "#emailTelaSegurado",
        "telefone": "#celularTelaSegurado",
    }

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        await fill_person(self, r, q.segurado, "TelaSegurado")
        await self.fill_verified(page.locator("#emailTelaSegurado"), q.email, masks.email(q.email), r)
        await self.fill_verified(page.locator("#celularTelaSegurado"), q.telefone, masks.phone(q.telefone), r)
        return await self.submit(r, "gtm-telaDadosSeguradoContinuar", self.FIELDS,
                                 {"condutor": page.locator("#gtm-telaCondutorPrincipalContinuar")})

    async def submit(self, r: Run, button: str, fields: dict[str, str], outcomes: dict) -> str:
        """Continuar, then the next screen or the first field the portal refused."""
        page = r.page
        await self.click_continue(page, button)
        errors = {"erro": page.locator(", ".join(f"{sel}{INVALID}" for sel in fields.values()))}
        found = await self.next_of(r, {**outcomes, **errors})
        if found == "erro":
            bad = await invalid_field(r, fields)
            campo, texto = bad or (next(iter(fields)), "(sem mensagem)")
            raise rejected(campo, f"O portal recusou o campo na {self.nome}: {texto}")
        return found


class Condutor(DadosPessoais):
    key, etapa = "condutor", 10
    mensagem = "Informando o condutor principal do veículo"
    FIELDS = {
        "nome_condutor": "#nomeTelaCondutorPrincipal",
        "cpf_condutor": "#cpfTelaCondutorPrincipal",
        "data_nascimento_condutor": "#dataNascimentoTelaCondutorPrincipal",
        "sexo_condutor": "#sexoTelaCondutorPrincipal",
        "estado_civil_condutor": "#estadoCivilTelaCondutorPrincipal",
    }

    async def run(self, r: Run) -> str:
        page, condutor = r.page, r.quote.condutor
        await self.choose(page, "condutorPrincipalTelaCondutorPrincipal", "sim" if condutor is None else "nao")
        if condutor is not None:
            await fill_person(self, r, condutor, "TelaCondutorPrincipal")
        return await self.submit(r, "gtm-telaCondutorPrincipalContinuar", self.FIELDS,
                                 {"atividade": page.locator("#gtm-telaAtividadeVeiculoContinuar")})
