"""The endings' pure helpers, called directly in the real browser: the broker's WhatsApp number
and phone from the script tag, the quote's short code, the WhatsApp message of each ending (the
plan, its premium and the code, never anything personal), the broker's buttons, money, and the
two plans as one comparable table (`comparePlans`)."""

from __future__ import annotations

import re

import pytest
from contract_files import VOCABULARY
from modal_expected import PLANS_ABC1D23_RAW
from modal_helpers_page import call, helpers_page_fixture  # noqa: F401  (the helpers_page fixture)

SESSION = "rpa_v4_20261124_221300_0123456789abcdef0123456789ab3c9f"


@pytest.mark.parametrize(
    "raw, number",
    [
        ("(11) 90000-0000", "5511900000000"),
        ("+55 11 90000-0000", "5511900000000"),
        ("1130000000", "551130000000"),
        ("90000-0000", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_whatsapp_number(helpers_page, raw, number):
    assert call(helpers_page, "whatsappNumber", raw) == number


@pytest.mark.parametrize(
    "raw, phone",
    [
        ("(11) 0000-0000", {"href": "tel:+551100000000", "label": "(11) 0000-0000"}),
        ("+55 (11) 3000-0000", {"href": "tel:+551130000000", "label": "+55 (11) 3000-0000"}),
        ("0800 000 0000", {"href": "tel:08000000000", "label": "0800 000 0000"}),
        ("ligue já", None),
        ("", None),
    ],
)
def test_phone(helpers_page, raw, phone):
    assert call(helpers_page, "phoneOf", raw) == phone


def test_quote_code_is_the_session_ids_last_six_characters_in_upper_case(helpers_page):
    assert call(helpers_page, "quoteCode", SESSION) == "AB3C9F"
    assert call(helpers_page, "quoteCode", "") == ""


CODE = "AB3C9F"


@pytest.mark.parametrize(
    "reason, ctx, text",
    [
        (
            "plano",
            {"code": CODE, "plan": "Recomendado", "premium": "R$\u00a03.889,94"},
            "Olá! Quero contratar o plano Recomendado (R$ 3.889,94 por ano) da cotação AB3C9F feita no site.",
        ),
        ("sucesso", {"code": CODE}, "Olá! Fiz a cotação AB3C9F no site e quero falar com um corretor."),
        (
            "manual",
            {"code": CODE},
            "Olá! Fiz a cotação AB3C9F no site e a seguradora pediu um cálculo com um especialista. Podemos conversar?",
        ),
        (
            "placa",
            {"code": CODE},
            "Olá! Tentei fazer a cotação AB3C9F no site, mas a placa não foi encontrada. Podemos conversar?",
        ),
        ("erro", {"code": CODE}, "Olá! Fiz a cotação AB3C9F no site, mas ela não foi concluída. Podemos conversar?"),
        ("inicio", {"code": ""}, "Olá! Quero fazer uma cotação de seguro auto."),
        (
            "placa",
            {"code": ""},
            "Olá! Tentei fazer uma cotação no site, mas a placa não foi encontrada. Podemos conversar?",
        ),
    ],
)
def test_whatsapp_text_names_the_plan_premium_and_code(helpers_page, reason, ctx, text):
    assert call(helpers_page, "whatsappText", reason, ctx) == text


# Whatever the page has at hand, the message carries nothing about the person.
PERSONAL = {
    "cpf": "52998224725",
    "nome": "FULANO DE TAL",
    "email": "fulano@example.com",
    "telefone": "11987654321",
    "placa": "ABC1D23",
    "data_nascimento": "15/03/1985",
    "cep": "01310100",
}


@pytest.mark.parametrize("reason", ["plano", "sucesso", "manual", "placa", "erro", "inicio"])
def test_whatsapp_text_carries_no_personal_data(helpers_page, reason):
    ctx = {**PERSONAL, "code": "<script>", "plan": "Alternativo", "premium": "R$ 3.930,75"}
    text = call(helpers_page, "whatsappText", reason, ctx)
    for value in PERSONAL.values():
        assert value not in text
    assert "<script>" not in text
    assert not re.search(r"\d", re.sub(r"R\$ [\d.]+,\d{2}", "", text)), "no number but the premium"


def test_contact_actions_are_the_configured_ones(helpers_page):
    both = {
        "whatsapp": "5511900000000",
        "phone": {"href": "tel:+551100000000", "label": "(11) 0000-0000"},
        "code": CODE,
    }
    actions = call(helpers_page, "contactActions", "manual", both)
    assert [(a["name"], a["label"], a["external"]) for a in actions] == [
        ("whatsapp", "Falar com um corretor", True),
        ("phone", "Ligar: (11) 0000-0000", False),
    ]
    wa = actions[0]["href"]
    assert wa.startswith("https://wa.me/5511900000000?text=")
    assert call(helpers_page, "whatsappText", "manual", both) in helpers_page.evaluate("decodeURIComponent", wa)
    assert actions[1]["href"] == "tel:+551100000000"
    assert call(helpers_page, "contactActions", "erro", {"whatsapp": "", "phone": None, "code": CODE}) == []


@pytest.mark.parametrize(
    "text, cents",
    [
        ("R$ 3.889,94", 388994),
        ("R$\u00a0100.000,00", 10000000),
        ("12x de R$ 422,56", 42256),
        ("R$ 0,00", 0),
        ("—", None),
    ],
)
def test_cents_of(helpers_page, text, cents):
    assert call(helpers_page, "centsOf", text) == cents


@pytest.mark.parametrize(
    "cents, text", [(388994, "R$ 3.889,94"), (4081, "R$ 40,81"), (5, "R$ 0,05"), (-4081, "R$ 40,81")]
)
def test_money_text(helpers_page, cents, text):
    assert call(helpers_page, "moneyText", cents) == text


def test_money_parts_keep_the_amount_together(helpers_page):
    assert call(helpers_page, "moneyParts", "ou 12x de R$ 422,56 sem juros") == [
        {"text": "ou 12x de ", "money": False},
        {"text": "R$\u00a0422,56", "money": True},
        {"text": " sem juros", "money": False},
    ]


def cells(row):
    return [(c["text"], c["included"], c["note"]) for c in row["cells"]]


def test_compare_plans_of_the_portals_answer(helpers_page):
    cmp = call(helpers_page, "comparePlans", PLANS_ABC1D23_RAW)
    assert cmp["plans"] == [
        {
            "kind": "recomendado",
            "title": "Recomendado",
            "price": "R$ 3.889,94",
            "cents": 388994,
            "perYear": "por ano",
            "diff": None,
        },
        {
            "kind": "alternativo",
            "title": "Alternativo",
            "price": "R$ 3.930,75",
            "cents": 393075,
            "perYear": "por ano",
            "diff": "R$ 40,81 a mais por ano que o Recomendado",
        },
    ]
    rows = {r["campo"]: r for r in cmp["rows"]}
    assert list(rows) == [r["campo"] for r in VOCABULARY["linhas_plano"]]
    assert {c for c, r in rows.items() if r["differs"]} == {
        "forma_pagamento",
        "valor_franquia",
        "vidros",
        "carro_reserva",
        "morte_invalidez",
    }
    # 12x R$ 422,56 is R$ 5.070,72, not the premium: the total is said.
    assert cells(rows["forma_pagamento"]) == [
        ("Crédito em até 12x sem juros!", None, None),
        ("Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56", None, "Total em 12x: R$ 5.070,72"),
    ]
    assert cells(rows["vidros"]) == [("Não incluído", False, None), ("Incluído", True, None)]
    # A coverage of R$ 0,00 is not included.
    assert cells(rows["morte_invalidez"]) == [("Não incluído", False, None), ("R$ 5.000,00", None, None)]
    assert cells(rows["danos_morais"]) == [("R$ 10.000,00", None, None)] * 2
    assert not rows["danos_morais"]["differs"]


@pytest.mark.parametrize(
    "forma, premium, note",
    [
        ("12x de R$ 302,65", "R$ 3.631,80", None),
        ("12x de R$ 302,65", "R$ 3.099,18", "Total em 12x: R$ 3.631,80"),
        ("Crédito em até 10x sem juros!", "R$ 2.984,99", None),
        ("em 4x de R$ 250,00 sem juros", "R$ 1.000,01", None),
        ("1x de R$ 999,00", "R$ 3.000,00", None),
    ],
)
def test_installments_say_their_total_when_it_differs_from_the_premium(helpers_page, forma, premium, note):
    plan = {**PLANS_ABC1D23_RAW["plano_recomendado"], "forma_pagamento": forma, "valor": premium}
    row = call(helpers_page, "comparePlans", {"plano_recomendado": plan})["rows"][0]
    assert row["cells"][0]["note"] == note


def test_compare_plans_with_one_plan_or_a_cheaper_alternative(helpers_page):
    one = call(helpers_page, "comparePlans", {"plano_recomendado": PLANS_ABC1D23_RAW["plano_recomendado"]})
    assert [p["kind"] for p in one["plans"]] == ["recomendado"] and not any(r["differs"] for r in one["rows"])
    cheaper = {**PLANS_ABC1D23_RAW["plano_alternativo"], "valor": "R$ 3.800,00"}
    two = call(helpers_page, "comparePlans", {**PLANS_ABC1D23_RAW, "plano_alternativo": cheaper})
    assert two["plans"][1]["diff"] == "R$ 89,94 a menos por ano que o Recomendado"
    none = call(helpers_page, "comparePlans", None)
    assert none["plans"] == [] and all(r["cells"] == [] and not r["differs"] for r in none["rows"])
