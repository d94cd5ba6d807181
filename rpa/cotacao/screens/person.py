"""Screens 9–10: the insured's personal data (every typed field verified after its mask, MUI
selects for sexo and estado civil picked by their data-value) and the main driver, whose
extra fields appear when the insured is not the main driver. A field the portal marks invalid
becomes `rejeitado_<campo>`."""

from __future__ import annotations

from ..fields import label
from ..inputs import Person
from . import masks
from .base import Run, Screen

SEXO_VALUES = {"Masculino": "masculino", "Feminino": "feminino"}
ESTADO_CIVIL_VALUES = {
    "Solteiro": "solteiro",
    "Casado ou União Estável": "casado",
    "Divorciado": "divorciado",
    "Separado": "separado",
    "Viúvo": "viuvo",
}


async def fill_person(screen: Screen, r: Run, p: Person, suffix: str, campo_suffix: str = "") -> None:
    """Types one person into the fields `<campo>Tela<suffix>`."""
    page = r.page

    def name(campo: str) -> str:
        return label(f"{campo}{campo_suffix}")

    await screen.type_in(page.locator(f"#nome{suffix}"), p.nome, p.nome, name("nome"))
    await screen.type_in(page.locator(f"#cpf{suffix}"), p.cpf, masks.cpf(p.cpf), name("cpf"))
    await screen.type_in(
        page.locator(f"#dataNascimento{suffix}"), p.data_nascimento, p.data_nascimento, name("data_nascimento")
    )
    await screen.pick(r, f"sexo{suffix}", SEXO_VALUES[p.sexo], name("sexo"))
    await screen.pick(r, f"estadoCivil{suffix}", ESTADO_CIVIL_VALUES[p.estado_civil], name("estado_civil"))


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
        await self.type_in(page.locator("#emailTelaSegurado"), q.email, masks.email(q.email), label("email"))
        await self.type_in(page.locator("#celularTelaSegurado"), q.telefone, masks.phone(q.telefone), label("telefone"))
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
        await self.choose(
            r,
            "condutorPrincipalTelaCondutorPrincipal",
            "sim" if condutor is None else "nao",
            label("condutor_principal"),
        )
        if condutor is not None:
            await fill_person(self, r, condutor, "TelaCondutorPrincipal", "_condutor")
        await self.click_continue(page, "gtm-telaCondutorPrincipalContinuar")
        return await self.checked_outcome(
            r, self.FIELDS, {"atividade": page.locator("#gtm-telaAtividadeVeiculoContinuar")}
        )
