"""Screens 11–14: work/study use with their own-parking switches, home garage with the gate
type, residents aged 18–26 with the conditional groups, and the conditional previous-broker
screen. Screens 13 and 14 end on whichever comes first: screen 14, the calculation, or one of
the result page's states (at delay scale 0 the countdown may already be over)."""

from __future__ import annotations

from ..fields import label
from .base import Run, Screen
from .result import result_outcomes

RESIDE_VALUES = {
    "Não": "nao",
    "Sim, mas não utilizam o veículo": "sim_nao_utilizam",
    "Sim e utilizam o veículo": "sim_utilizam",
}
SEXO_MENOR_VALUES = {"Feminino": "feminino", "Masculino": "masculino", "Ambos": "ambos"}
FAIXA_VALUES = {"18 a 24 anos": "18_24", "25 anos": "25"}
GARAGE_RADIO = "possuiGaragemTelaGaragemResidencia"
RESIDENTS_RADIO = "usoDependenteTelaUsoResidentes"


class Atividade(Screen):
    key, etapa = "atividade", 11
    mensagem = "Informando o uso do veículo para trabalho e estudo"
    # Built like screen 6's "Outros" group: a div with the group's id, boxes without a name.
    CONTAINER = "div#atividadeVeiculoTelaAtividadeVeiculo"

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        for value, switch_id, used, parking, campo in (
            (
                "trabalho",
                "estacionamentoTrabalhoTelaAtividadeVeiculo",
                q.local_de_trabalho,
                q.estacionamento_proprio_local_de_trabalho,
                "local_de_trabalho",
            ),
            (
                "estudo",
                "estacionamentoEstudoTelaAtividadeVeiculo",
                q.local_de_estudo,
                q.estacionamento_proprio_local_de_estudo,
                "local_de_estudo",
            ),
        ):
            box = f'{self.CONTAINER} input[type=checkbox][value="{value}"]'
            await self.tick(r, box, used, label(campo))
            if used:  # the own-parking switch appears only once the box is checked
                switch = f"{self.CONTAINER} input[type=checkbox]#{switch_id}"
                await self.tick(r, switch, parking, label(f"estacionamento_proprio_{campo}"))
        await self.click_continue(page, "gtm-telaAtividadeVeiculoContinuar")
        return await self.next_of(r, {"garagem": self.radio(page, GARAGE_RADIO, "sim")})


class Garagem(Screen):
    key, etapa = "garagem", 12
    mensagem = "Informando a garagem da residência"

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        await self.choose(r, GARAGE_RADIO, "sim" if q.garagem_residencia else "nao", label("garagem_residencia"))
        if q.garagem_residencia:
            gate = "eletronico" if q.portao_eletronico == "Eletronico" else "manual"
            await self.choose(r, "tipoPortaoTelaGaragemResidencia", gate, label("portao_eletronico"))
        await self.click_continue(page, "gtm-telaGaragemResidenciaContinuar")
        return await self.next_of(r, {"residentes": self.radio(page, RESIDENTS_RADIO, "nao")})


class Residentes(Screen):
    key, etapa = "residentes", 13
    mensagem = "Informando se moram com você jovens de 18 a 26 anos"

    async def run(self, r: Run) -> str:
        page, q = r.page, r.quote
        await self.choose(r, RESIDENTS_RADIO, RESIDE_VALUES[q.reside_18_26], label("reside_18_26"))
        if q.reside_18_26 != "Não":
            await self.choose(
                r, "sexoDependenteTelaUsoResidentes", SEXO_MENOR_VALUES[q.sexo_do_menor], label("sexo_do_menor")
            )
            await self.choose(
                r,
                "faixaEtariaDependenteTelaUsoResidentes",
                FAIXA_VALUES[q.faixa_etaria_menor_mais_novo],
                label("faixa_etaria_menor_mais_novo"),
            )
        await self.click_continue(page, "gtm-telaUsoResidentesContinuar")
        return await self.next_of(
            r, {"corretor": page.locator("#gtm-telaCorretorAnteriorContinuar"), **result_outcomes(page)}
        )


class Corretor(Screen):
    key, etapa = "corretor", 14
    mensagem = "Confirmando o corretor da sua cotação"

    async def run(self, r: Run) -> str:
        value = "sim" if r.quote.continuar_com_corretor_anterior else "nao"
        return await self.answer(
            r,
            "corretorAnteriorTelaCorretorAnterior",
            value,
            label("continuar_com_corretor_anterior"),
            "gtm-telaCorretorAnteriorContinuar",
            result_outcomes(r.page),
        )
