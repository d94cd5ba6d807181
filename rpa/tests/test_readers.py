"""The two readings of the plans and of the estimate, without a browser: the text reader on the
text shapes a result card may have (rows on lines, run together, labels inside the card, the real
portal's captured text), the structure reader on rows under a label column, inline labels, label
rows and no labels at all, the choice between the two readings, the switch that breaks a reader
for tests, the fingerprint's digest, and the vehicle screen 3 confirms, from its text."""

import asyncio

import pytest
from contract_files import first_error
from cotacao.reading import estimate as estimates
from cotacao.reading import plans
from cotacao.reading import twice as reading
from cotacao.reading.vehicle import parse_vehicle
from cotacao.screens import fingerprint

OK, NOK = plans.OK_MARK, plans.NOK_MARK
NB = "\u00a0"

ABC_REC = {
    "plano": "Plano recomendado",
    "valor": "R$ 3.889,94",
    "forma_pagamento": "Crédito em até 12x sem juros!",
    "parcelamento": "anual",
    "valor_franquia": "R$ 3.091,66",
    "tipo_franquia": "Reduzida",
    "valor_mercado": "100% da tabela FIPE",
    "assistencia": True,
    "vidros": False,
    "carro_reserva": False,
    "danos_materiais": "R$ 50.000,00",
    "danos_corporais": "R$ 50.000,00",
    "danos_morais": "R$ 10.000,00",
    "morte_invalidez": "R$ 0,00",
}
ABC_ALT = {
    **ABC_REC,
    "plano": "Plano alternativo",
    "valor": "R$ 3.930,75",
    "forma_pagamento": "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56",
    "valor_franquia": "R$ 3.455,80",
    "vidros": True,
    "carro_reserva": True,
    "morte_invalidez": "R$ 5.000,00",
}
LABELS = [
    "Forma de pagamento",
    "Franquia",
    "Tipo de franquia",
    "Valor de mercado",
    "Assistência 24h",
    "Vidros",
    "Carro reserva",
    "Danos materiais",
    "Danos corporais",
    "Danos morais",
    "Morte/Invalidez",
]


def card_values(plan: dict) -> list[str]:
    """The eleven row values of a card as the page shows them (icons as marks)."""
    mark = {True: OK, False: NOK}
    money = lambda v: v.replace("R$ ", "R$" + NB)  # noqa: E731
    return [
        plan["forma_pagamento"],
        money(plan["valor_franquia"]),
        plan["tipo_franquia"],
        plan["valor_mercado"],
        mark[plan["assistencia"]],
        mark[plan["vidros"]],
        mark[plan["carro_reserva"]],
        money(plan["danos_materiais"]),
        money(plan["danos_corporais"]),
        money(plan["danos_morais"]),
        money(plan["morte_invalidez"]),
    ]


def card_text(plan: dict, sep: str, labels: bool) -> str:
    head = [plan["plano"], plan["valor"].replace(" ", ""), "anual"]
    rows = [(label if labels else "") + value for label, value in zip(LABELS, card_values(plan))]
    return sep.join(head + rows + ["Contratar"])


def page_text(sep: str, column: bool, labels: bool) -> str:
    title = "Parabéns, chegamos ao resultado final da cotação!Confira abaixo os melhores planos"
    parts = (
        [title]
        + ([sep.join(LABELS)] if column else [])
        + [card_text(ABC_REC, sep, labels), card_text(ABC_ALT, sep, labels)]
    )
    return sep.join(parts)


@pytest.mark.parametrize(
    "sep,column,labels",
    [
        ("\n", True, False),  # padrao: label column, a line break between rows
        ("\n", True, True),  # rotulos-no-cartao
        ("", False, True),  # sem-coluna-de-rotulos: <dt>/<dd>, nothing between elements
        ("\n  ", True, False),  # linhas-em-lista: indented <li>
        ("", True, False),  # rows run together, no labels in the card (the old simulated page)
    ],
    ids=["linhas", "rotulos-no-cartao", "dl-sem-espacos", "lista-indentada", "tudo-junto"],
)
def test_text_reader_takes_the_same_plans_from_every_shape(sep, column, labels):
    got = plans.plans_from_text(page_text(sep, column, labels))
    assert got == {"plano_recomendado": ABC_REC, "plano_alternativo": ABC_ALT}
    assert plans.problems(got) == []


def test_text_reader_on_the_real_portal_capture():
    """rpa_data/result_b5768e19.json (reference §3.2): one field per line of the card's text."""
    rec = [
        "Plano recomendado",
        "R$3.099,18",
        "anual",
        "Boleto/Crédito em até 3x sem juros ou 12x de R$ 333,02",
        f"R${NB}3.540,00",
        "Reduzida",
        "100% da tabela FIPE",
        OK,
        OK,
        NOK,
        f"R${NB}50.000,00",
        f"R${NB}50.000,00",
        f"R${NB}10.000,00",
        f"R${NB}0,00",
    ]
    alt = [
        "Plano alternativo",
        "R$3.160,71",
        "anual",
        "Crédito em até 12x sem juros!",
        f"R${NB}4.514,00",
        "Reduzida",
        "100% da tabela FIPE",
        OK,
        OK,
        OK,
        f"R${NB}50.000,00",
        f"R${NB}50.000,00",
        f"R${NB}10.000,00",
        f"R${NB}5.000,00",
    ]
    got = plans.plans_from_text("\n".join(rec + alt))
    assert got["plano_recomendado"]["forma_pagamento"] == "Boleto/Crédito em até 3x sem juros ou 12x de R$ 333,02"
    assert got["plano_recomendado"]["valor"] == "R$ 3.099,18"
    assert got["plano_recomendado"]["valor_franquia"] == "R$ 3.540,00"
    assert (got["plano_recomendado"]["vidros"], got["plano_recomendado"]["carro_reserva"]) == (True, False)
    assert got["plano_alternativo"]["forma_pagamento"] == "Crédito em até 12x sem juros!"
    assert got["plano_alternativo"]["morte_invalidez"] == "R$ 5.000,00"


def test_text_reader_without_a_heading_on_the_alternative():
    """The reference: the alternative card may lack its title (it starts with "R$" and has "anual")."""
    text = page_text("\n", True, False).replace("Plano alternativo\n", "")
    got = plans.plans_from_text(text)
    assert got["plano_alternativo"] == ABC_ALT


def test_text_reader_fails_on_text_without_plans():
    with pytest.raises(reading.ReadingFailed):
        plans.plans_from_text("Parabéns, chegamos ao resultado final da cotação!\nFranquia\nVidros")


def rows(plan, labels=None, label_rows=False):
    out = [
        {"label": None, "text": plan["plano"], "icon": None},
        {"label": None, "text": plan["valor"], "icon": None},
        {"label": None, "text": "anual", "icon": None},
    ]
    for label, value in zip(LABELS, card_values(plan)):
        icon = {OK: True, NOK: False}.get(value)
        text = "" if icon is not None else value
        if label_rows:
            out.append({"label": None, "text": label, "icon": None})
        out.append({"label": label if labels else None, "text": text, "icon": icon})
    return out


@pytest.mark.parametrize("kind", ["coluna", "rotulo-na-linha", "linha-de-rotulo", "sem-rotulos"])
def test_structure_reader_puts_each_value_under_its_label(kind):
    column = LABELS if kind == "coluna" else []
    card = {
        "recommended": True,
        "rows": rows(ABC_REC, labels=kind == "rotulo-na-linha", label_rows=kind == "linha-de-rotulo"),
    }
    assert plans.plan_from_rows(card, column) == ABC_REC


def test_structure_reader_refuses_rows_it_cannot_label():
    card = {"recommended": True, "rows": rows(ABC_REC)[:-2]}  # two rows short, no labels anywhere
    with pytest.raises(reading.ReadingFailed):
        plans.plan_from_rows(card, [])


def test_consistency_checks():
    assert plans.problems({"plano_recomendado": ABC_REC, "plano_alternativo": ABC_ALT}) == []
    placeholder = {**ABC_REC, "valor": "R$ 100,00"}
    no_flag = {**ABC_ALT, "vidros": None}
    found = plans.problems({"plano_recomendado": placeholder, "plano_alternativo": no_flag})
    assert any("provisórios" in p for p in found) and any("vidros" in p for p in found)


# The real carousel's text content (reference §3.1), with the ok icons of its DOM as marks.
REAL_ESTIMATE = (
    f"Cobertura CompreensivaDeR$ 2.600,00atéR$ 3.200,00com possibilidade de parcelamento sem juros"
    f"Principais Benefícios{OK}Colisão e Acidentes{OK}Roubo e Furto{OK}Incêndio"
    f"Cobertura Roubo e FurtoDeR$ 1.900,00atéR$ 2.400,00com possibilidade de parcelamento sem juros"
    f"Principais Benefícios{OK}Roubo{OK}Furto{OK}Danos parciais em tentativas de roubo."
    f"Cobertura RCFDeR$ 1.300,00atéR$ 1.600,00com possibilidade de parcelamento sem juros"
    f"Principais Benefícios{OK}Danos materiais a terceiros{NOK}Danos corporais a terceiros"
)


def test_estimate_text_reader_on_the_real_text_shape():
    got = estimates.estimate_from_text(REAL_ESTIMATE)
    covs = got["coberturas_detalhadas"]
    assert [c["nome_cobertura"] for c in covs] == ["Compreensiva", "Roubo e Furto", "RCF"]  # not "CompreensivaDe"
    assert covs[0]["valores"] == {"de": "R$ 2.600,00", "ate": "R$ 3.200,00"}
    assert [b["nome"] for b in covs[1]["beneficios"]] == ["Roubo", "Furto", "Danos parciais em tentativas de roubo."]
    assert covs[2]["beneficios"][1] == {"nome": "Danos corporais a terceiros", "status": "nao_incluido"}
    assert got["resumo"] == {"total_coberturas": 3, "total_beneficios": 8, "valores_encontrados": 6}
    assert estimates.problems(got) == []


def test_estimate_readers_agree_on_the_same_cards():
    cards = [
        {
            "name": "Compreensiva",
            "range": f"DeR${NB}2.600,00atéR${NB}3.200,00",
            "benefits": [
                {"ok": True, "text": "Colisão e Acidentes"},
                {"ok": True, "text": "Roubo e Furto"},
                {"ok": True, "text": "Incêndio"},
            ],
        }
    ]
    by_structure = estimates.build_estimate(cards)
    by_text = estimates.estimate_from_text(REAL_ESTIMATE.split("Cobertura Roubo")[0])
    assert estimates.differences(by_structure, by_text) == []


def read_with(values: dict, monkeypatch=None, broken: str = ""):
    async def fixed(v):
        if isinstance(v, Exception):
            raise v
        return v

    readers = {m: (lambda v=v: fixed(v)) for m, v in values.items()}
    return asyncio.run(reading.read_twice("planos", "dos planos", readers, plans.problems, plans.differences))


GOOD = {"plano_recomendado": ABC_REC, "plano_alternativo": ABC_ALT}


def test_choice_between_the_two_readings(monkeypatch):
    monkeypatch.delenv(reading.BREAK_ENV, raising=False)
    both = read_with({"estrutura": GOOD, "texto": GOOD})
    assert (both.metodo, both.value) == ("ambos", GOOD)
    other = {**GOOD, "plano_alternativo": {**ABC_ALT, "tipo_franquia": "Normal"}}
    split = read_with({"estrutura": GOOD, "texto": other})
    assert split.metodo == "estrutura" and "plano_alternativo.tipo_franquia" in split.motivo and split.value == GOOD
    bad = {**GOOD, "plano_recomendado": {**ABC_REC, "valor": None}}
    text_only = read_with({"estrutura": bad, "texto": GOOD})
    assert text_only.metodo == "texto" and "pela estrutura" in text_only.motivo and "valor" in text_only.motivo
    structure_only = read_with({"estrutura": GOOD, "texto": reading.ReadingFailed("sem planos no texto")})
    assert structure_only.metodo == "estrutura" and "sem planos no texto" in structure_only.motivo
    neither = read_with({"estrutura": bad, "texto": reading.ReadingFailed("x")})
    assert neither.value is None and neither.metodo == "nenhum"
    assert neither.entry() == {"metodo": "nenhum", "motivo": neither.motivo}


def test_reader_switched_off_for_tests(monkeypatch):
    monkeypatch.setenv(reading.BREAK_ENV, "planos:texto, estimativa:estrutura")
    assert reading.broken("planos", "texto") and not reading.broken("planos", "estrutura")
    assert reading.broken("estimativa", "estrutura") and not reading.broken("estimativa", "texto")
    got = read_with({"estrutura": GOOD, "texto": GOOD})
    assert got.metodo == "estrutura" and reading.BREAK_ENV in got.motivo
    monkeypatch.setenv(reading.BREAK_ENV, "estrutura")
    assert reading.broken("planos", "estrutura") and reading.broken("estimativa", "estrutura")
    monkeypatch.delenv(reading.BREAK_ENV)
    assert not reading.broken("planos", "estrutura")


def test_fingerprint_digest():
    items = [
        "button|submit|gtm-telaUsoVeiculoContinuar|||Continuar",
        "input|radio||finalidadeVeiculoTelaUsoVeiculo||",
        "div|||finalidadeVeiculoTelaUsoVeiculo|radiogroup|",
    ]
    fp = fingerprint.digest(items)
    assert fingerprint.FORMAT.match(fp)
    assert fingerprint.digest(list(reversed(items)) + items[1:2]) == fp  # order and repetition do not count
    assert fingerprint.digest(items + ["button|button|gtm-telaUsoVeiculoAjuda|||Precisa de ajuda?"]) != fp
    # A button that shows the visitor's name is masked before hashing: any visitor, one fingerprint.
    named = fingerprint.digest(items + ["button|button|conta|||Olá, FULANO DE TAL"], ["FULANO DE TAL"])
    other = fingerprint.digest(items + ["button|button|conta|||Olá, BELTRANA DE TAL"], ["BELTRANA DE TAL"])
    assert named == other


@pytest.mark.parametrize(
    "text, placa, veiculo",
    [
        # The real portal's sentence, as its page text reads, and the simulated portal's.
        (
            "Confirme o seu veículo\nO veículo ECOSPORT 2007/2007 corresponde a placa KVA-1791?\nSim",
            "KVA1791",
            "ECOSPORT 2007/2007",
        ),
        ("O veículo KICKS 2017/2017 corresponde a placa ABC-1D23?", "ABC1D23", "KICKS 2017/2017"),
        # A model of several words with digits, spacing and non-breaking spaces of any kind.
        (
            f"O{NB}veículo  CG 160 FAN {NB}2021 / 2022\tcorresponde à placa MOT-1A23 ?",
            "MOT1A23",
            "CG 160 FAN 2021/2022",
        ),
        ("o veiculo ONIX 2024/2024 corresponde a placa BRA2E19", "BRA2E19", "ONIX 2024/2024"),
    ],
)
def test_the_confirmed_vehicle_is_the_model_and_years(text, placa, veiculo):
    assert parse_vehicle(text, placa) == veiculo
    assert first_error("tracker.schema.json", veiculo, "veiculo") is None


def test_the_longest_model_read_is_the_contracts_longest_vehicle():
    veiculo = parse_vehicle(f"O veículo {'X' * 80} 2007/2007 corresponde a placa KVA-1791?", "KVA1791")
    assert veiculo is not None and first_error("tracker.schema.json", veiculo, "veiculo") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "O veículo ECOSPORT corresponde a placa KVA-1791?",  # no years
        "O veículo ECOSPORT 2007 corresponde a placa KVA-1791?",  # one year
        "Seu veículo é um ECOSPORT 2007/2007?",  # another sentence
        "O veículo ECOSPORT 2007/2007\ncorresponde a placa KVA-1791?",  # not one sentence
        "O veículo KVA1791 2007/2007 corresponde a placa KVA-1791?",  # the plate, never reported
        f"O veículo {'X' * 81} 2007/2007 corresponde a placa KVA-1791?",  # not a model name
    ],
)
def test_a_text_that_does_not_say_the_vehicle_gives_none(text):
    assert parse_vehicle(text, "KVA1791") is None
