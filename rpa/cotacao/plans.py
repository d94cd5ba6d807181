"""The final plans (screen 15), read structurally from the result cards into the plan shape of
contract §3: money strings "R$ 3.099,18", booleans from the ok/nok icons, franquia type, market
value. Placeholder premiums ("R$ 100,00", shown before the broker logs in) are never read."""

from __future__ import annotations

from playwright.async_api import Page

from .money import clean_text, first_amount

PLACEHOLDER = "R$ 100,00"
PLAN_KEYS = ("plano_recomendado", "plano_alternativo")
MONEY_FIELDS = (
    "valor", "valor_franquia", "danos_materiais", "danos_corporais", "danos_morais", "morte_invalidez",
)
FLAG_FIELDS = ("assistencia", "vidros", "carro_reserva")


def build_plan(raw: dict) -> dict:
    """Normalises one card's raw texts (field -> text, flag -> bool) into the contract plan."""
    plan = {
        "plano": clean_text(raw.get("plano", "")),
        "valor": first_amount(raw.get("valor", "")),
        "forma_pagamento": clean_text(raw.get("forma_pagamento", "")),
        "parcelamento": clean_text(raw.get("parcelamento", "")) or "anual",
        "valor_franquia": first_amount(raw.get("valor_franquia", "")),
        "tipo_franquia": clean_text(raw.get("tipo_franquia", "")),
        "valor_mercado": clean_text(raw.get("valor_mercado", "")),
    }
    for flag in FLAG_FIELDS:
        plan[flag] = bool(raw.get(flag))
    for field in MONEY_FIELDS[2:]:
        plan[field] = first_amount(raw.get(field, ""))
    return plan


def is_placeholder(plan: dict) -> bool:
    return plan["valor"] in (None, PLACEHOLDER)


async def wait_real_plans(page: Page, timeout_s: float) -> None:
    raise NotImplementedError


async def read_plans(page: Page) -> dict:
    raise NotImplementedError
