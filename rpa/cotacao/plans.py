"""The final plans (screen 15), read structurally from the result grid into the plan shape of
contract §3. The grid's first column holds the row labels; each plan card holds one row per
label, so every value is read under its label (not by its position in a run of text): money as
"R$ 3.099,18", booleans from the ok/nok icons. Plans count as ready only when the premiums are
readable: the login dialog is closed, no modal is open, nothing is blurred and no "R$ 100,00"
placeholder is left."""

from __future__ import annotations

from playwright.async_api import Page

from .inputs import fold
from .money import clean_text, first_amount

PLACEHOLDER = "R$ 100,00"
GRID = 'div[class*="grid-cols-[250px_1fr_1fr]"]'

# Row label on the portal (folded) -> plan field.
ROWS = {
    "forma de pagamento": "forma_pagamento",
    "franquia": "valor_franquia",
    "tipo de franquia": "tipo_franquia",
    "valor de mercado": "valor_mercado",
    "assistencia 24h": "assistencia",
    "vidros": "vidros",
    "carro reserva": "carro_reserva",
    "danos materiais": "danos_materiais",
    "danos corporais": "danos_corporais",
    "danos morais": "danos_morais",
    "morte/invalidez": "morte_invalidez",
}
MONEY_FIELDS = ("valor_franquia", "danos_materiais", "danos_corporais", "danos_morais", "morte_invalidez")
FLAG_FIELDS = ("assistencia", "vidros", "carro_reserva")

# Shared by the readiness check and the reader: the grid, its label column and plan cards.
_GRID_JS = """
const grid = document.querySelector(GRID);
const columns = grid ? Array.from(grid.children) : [];
const labels = columns.length ? Array.from(columns[0].children).map(p => p.textContent) : [];
const cards = columns.slice(1);
"""

# JS function: true when both plans show readable, real premiums and no dialog covers them.
READY_FN = "function plansReady(GRID) {" + _GRID_JS + """
  if (cards.length < 2) return false;
  const visible = el => el && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden';
  if (Array.from(document.querySelectorAll('[role=dialog][aria-modal=true]')).some(visible)) return false;
  return cards.every(card => {
    const rows = Array.from(card.querySelectorAll(':scope > p'));
    const blurred = rows.some(el => /blur/.test(getComputedStyle(el).filter || ''));
    const text = (rows.length > 1 ? rows[1].textContent : '').replace(/\\u00a0/g, ' ');
    return !blurred && /\\d/.test(text) && !/^\\s*R\\$\\s*100,00\\s*$/.test(text);
  });
}"""

_READ_JS = "(GRID) => {" + _GRID_JS + """
  return cards.map(card => {
    const rows = Array.from(card.querySelectorAll(':scope > p'));
    const icon = p => {
      const img = p.querySelector('img');
      if (!img) return null;
      return !/nok/i.test((img.getAttribute('src') || '') + ' ' + (img.getAttribute('alt') || ''));
    };
    return {
      recommended: /border-primary/.test(card.className),
      header: rows.length ? rows[0].textContent : '',
      price: rows.length > 1 ? rows[1].textContent : '',
      period: rows.length > 2 ? rows[2].textContent : '',
      rows: rows.slice(3).map(p => ({ text: p.textContent, icon: icon(p) })),
      labels
    };
  });
}"""


def build_plan(card: dict) -> dict:
    """One card's raw structure -> the contract plan."""
    plan = {
        "plano": clean_text(card.get("header", "")),
        "valor": first_amount(card.get("price", "")),
        "forma_pagamento": None,
        "parcelamento": clean_text(card.get("period", "")) or None,
        "valor_franquia": None,
        "tipo_franquia": None,
        "valor_mercado": None,
        "assistencia": False,
        "vidros": False,
        "carro_reserva": False,
        "danos_materiais": None,
        "danos_corporais": None,
        "danos_morais": None,
        "morte_invalidez": None,
    }
    for label, row in zip(card.get("labels", []), card.get("rows", [])):
        field = ROWS.get(fold(label))
        if field is None:
            continue
        if field in FLAG_FIELDS:
            plan[field] = bool(row.get("icon"))
        elif field in MONEY_FIELDS:
            plan[field] = first_amount(row.get("text", ""))
        else:
            plan[field] = clean_text(row.get("text", ""))
    return plan


def build_plans(cards: list[dict]) -> dict:
    """The recommended card (highlighted border) and the alternative one."""
    if len(cards) < 2:
        raise ValueError(f"esperados 2 planos, encontrados {len(cards)}")
    recommended = next((c for c in cards if c.get("recommended")), cards[0])
    alternative = next(c for c in cards if c is not recommended)
    return {"plano_recomendado": build_plan(recommended), "plano_alternativo": build_plan(alternative)}


def has_placeholder(plans: dict) -> bool:
    return any(
        plan.get(field) == PLACEHOLDER for plan in plans.values() for field in ("valor", *MONEY_FIELDS)
    )


async def read_plans(page: Page) -> dict:
    plans = build_plans(await page.evaluate(_READ_JS, GRID))
    if has_placeholder(plans):
        raise ValueError("os planos ainda mostram valores provisórios (R$ 100,00)")
    for key, plan in plans.items():
        missing = [f for f in ("valor", *MONEY_FIELDS) if plan[f] is None]
        if missing:
            raise ValueError(f"{key}: valores ilegíveis no cartão do plano: {', '.join(missing)}")
    return plans
