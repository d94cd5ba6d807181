"""The final plans (screen 15), read twice into the plan shape of contract §3 (see twice.py):

- by structure: the two plan cards (bordered boxes, the recommended one highlighted), their rows
  in document order, each value under its label — a label column beside the cards, a label
  inside the row, or a label row (`<dt>`) before it — or, with no label anywhere, by the row
  order of the reference; flags from the row's ok/nok icon. A button tied to a label is a row's
  content (the real portal's cards are built of `<label><button>`); any other button is a
  control and left out;
- by text: the result area's text content in reading order (icons as ok/nok marks), cut into
  tokens — plan title, money, "anual", payment line, franquia type, market value, known labels —
  a plan starting at each "R$ … anual"; values under a preceding label, else in the reference's
  order. It needs no line breaks between rows, and uses them when present.

Plans count as ready only when the premiums are readable: the login dialog is closed, no modal is
open, nothing in the result is blurred and no "R$ 100,00" placeholder is left."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.async_api import Page

from ..inputs import fold
from ..portal import RESULT_TITLE
from .money import AMOUNT, clean_text, first_amount
from .twice import STRUCTURE, TEXT, Reading, ReadingFailed, read_twice

PLACEHOLDER = "R$ 100,00"

# Row label on the portal (folded) -> plan field, in the reference's row order
# (portal_real_flow.md §1, Tela 15, "Card content, in this order").
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
# Other spellings of the same labels (the old parsers looked for "Valor de Mercado", "Assistência").
ALIASES = {
    "assistencia": "assistencia",
    "assistencia 24 horas": "assistencia",
    "morte / invalidez": "morte_invalidez",
    "morte e invalidez": "morte_invalidez",
    "valor da franquia": "valor_franquia",
    "forma pagamento": "forma_pagamento",
    "pagamento": "forma_pagamento",
}
ORDER = list(ROWS.values())
MONEY_FIELDS = ("valor_franquia", "danos_materiais", "danos_corporais", "danos_morais", "morte_invalidez")
FLAG_FIELDS = ("assistencia", "vidros", "carro_reserva")
TEXT_FIELDS = ("forma_pagamento", "tipo_franquia", "valor_mercado")
NAMES = {True: "Plano recomendado", False: "Plano alternativo"}

OK_MARK, NOK_MARK = "\ue000", "\ue001"


def label_field(text: str) -> str | None:
    key = fold(clean_text(text)).rstrip(":").strip()
    return ROWS.get(key) or ALIASES.get(key)


def empty_plan(name: str) -> dict:
    plan = {"plano": name, "valor": None, "forma_pagamento": None, "parcelamento": None}
    for field in ORDER:
        plan.setdefault(field, None)
    return plan


# -- readiness ------------------------------------------------------------------------------

# JS function: true when the result shows two or more real amounts, none blurred, no placeholder
# and no dialog over them. It looks only at the text of the area around the result title, so it
# holds whatever the layout of the cards.
READY_FN = r"""function plansReady(TITLE) {
  const visible = el => !!el && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  if (Array.from(document.querySelectorAll('[role=dialog][aria-modal=true]')).some(visible)) return false;
  const title = Array.from(document.querySelectorAll('h1, h2, h3, p')).find(e => e.textContent.includes(TITLE));
  if (!visible(title)) return false;
  const area = title.closest('section, main, article') || title.parentElement;
  if (Array.from(area.querySelectorAll('*')).some(el => /blur/.test(getComputedStyle(el).filter || ''))) return false;
  const amounts = area.textContent.replace(/\u00a0/g, ' ').match(/R\$\s*\d{1,3}(\.\d{3})*,\d{2}/g) || [];
  return amounts.length >= 2 && !amounts.some(a => /^R\$\s*100,00$/.test(a));
}"""


# -- structure ------------------------------------------------------------------------------

_STRUCTURE_JS = r"""(labels) => {
  try {
    const fold = s => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim()
      .toLowerCase().replace(/:$/, '').trim();
    const isLabel = s => labels.includes(fold(s));
    const money = t => /R\$\s*\d/.test((t || '').replace(/\u00a0/g, ' '));
    // The plan cards: bordered boxes (reference: div.md:w-80.border-4, border-primary on the
    // recommended one) that show a premium.
    const cards = Array.from(document.querySelectorAll('[class~="border-4"]')).filter(c => money(c.textContent));
    if (cards.length < 2) return { erro: 'esperados 2 cartões de plano com borda, encontrados ' + cards.length };
    const INLINE = ['SPAN', 'B', 'STRONG', 'I', 'EM', 'IMG', 'SVG', 'SMALL', 'SUP', 'SUB', 'BR', 'PATH', 'CIRCLE', 'G'];
    const SKIP = ['SCRIPT', 'STYLE', 'TEMPLATE'];
    // A button is a control (Contratar) unless it is tied to a label: then it holds the card's own
    // content, as the real portal builds its cards (<label><button>…</button></label>, or
    // <button><label>…</label></button>).
    const control = el => el.tagName.toUpperCase() === 'BUTTON' && !(el.closest('label') || el.querySelector('label'));
    // Rows: the innermost block elements (their children, if any, are inline), in document order.
    const rowsOf = root => {
      const out = [];
      const visit = node => {
        for (const child of node.children) {
          const tag = child.tagName.toUpperCase();
          if (SKIP.includes(tag) || control(child)) continue;
          const block = Array.from(child.children).some(k => !INLINE.includes(k.tagName.toUpperCase()));
          if (block) visit(child); else out.push(child);
        }
      };
      visit(root);
      return out;
    };
    const iconOf = row => {
      const img = row.tagName.toUpperCase() === 'IMG' ? row : row.querySelector('img');
      if (!img) return null;
      const key = (img.getAttribute('src') || '') + ' ' + (img.getAttribute('alt') || '');
      return /nok/i.test(key) ? false : (/(^|[^a-z])ok/i.test(key) ? true : null);
    };
    const row = el => {
      const first = el.firstElementChild;
      if (first && el.childNodes.length > 1 && isLabel(first.textContent)) {
        const rest = Array.from(el.childNodes).filter(n => n !== first).map(n => n.textContent).join('');
        return { label: first.textContent, text: rest, icon: iconOf(el) };
      }
      return { label: null, text: el.textContent, icon: iconOf(el) };
    };
    // A label column: a sibling of the cards, not a card, whose rows are known labels.
    const grid = cards[0].parentElement;
    let column = [];
    if (grid) {
      for (const col of grid.children) {
        if (cards.includes(col)) continue;
        const found = rowsOf(col).map(r => r.textContent).filter(isLabel);
        if (found.length >= 5) { column = found; break; }
      }
    }
    return {
      column,
      cards: cards.map(c => ({
        recommended: c.classList.contains('border-primary'),
        rows: rowsOf(c).map(row)
      }))
    };
  } catch (e) {
    return { erro: 'falha ao percorrer a página: ' + e.name };
  }
}"""


def plan_from_rows(card: dict, column: list[str]) -> dict:
    """One card's rows (structure reading) -> the contract plan."""
    recommended = bool(card.get("recommended"))
    rows = [{**r, "text": clean_text(r.get("text") or "")} for r in card.get("rows", [])]
    plan = empty_plan(NAMES[recommended])
    price_at = next((i for i, r in enumerate(rows) if AMOUNT.search(r["text"])), None)
    if price_at is None:
        raise ReadingFailed("cartão sem prêmio")
    heading = next((r["text"] for r in rows[:price_at] if r["text"]), None)
    if heading:
        plan["plano"] = heading
    plan["valor"] = first_amount(rows[price_at]["text"])
    period_at = next((i for i, r in enumerate(rows) if i > price_at and fold(r["text"]) in ("anual", "mensal")), None)
    if period_at is None:
        raise ReadingFailed("cartão sem a periodicidade (anual) depois do prêmio")
    plan["parcelamento"] = rows[period_at]["text"]

    values: list[tuple[str | None, dict]] = []
    pending = None
    for r in rows[period_at + 1 :]:
        if r.get("label"):
            values.append((label_field(r["label"]), r))
        elif r.get("icon") is None and label_field(r["text"]):
            pending = label_field(r["text"])  # a label row (<dt>) before its value
        elif pending:
            values.append((pending, r))
            pending = None
        else:
            values.append((None, r))  # an empty row still holds its place in the order
    if any(field is None for field, _ in values):
        by_column = [label_field(c) for c in column]
        if by_column and len(by_column) == len(values):
            values = [(field or col, r) for (field, r), col in zip(values, by_column)]
        elif len(values) == len(ORDER):
            values = [(field or ORDER[i], r) for i, (field, r) in enumerate(values)]
        else:
            raise ReadingFailed(
                f"{len(values)} linhas sem rótulo reconhecível no cartão "
                f"(rótulos na coluna: {len(column)}, esperadas {len(ORDER)})"
            )
    for field, r in values:
        if field in FLAG_FIELDS:
            plan[field] = r.get("icon")
        elif field in MONEY_FIELDS:
            plan[field] = first_amount(r["text"])
        elif field is not None:
            plan[field] = r["text"] or None
    return plan


def pair(plans: list[dict], recommended: list[bool]) -> dict:
    if len(plans) < 2:
        raise ReadingFailed(f"esperados 2 planos, encontrados {len(plans)}")
    first = recommended.index(True) if True in recommended else 0
    second = next(i for i in range(len(plans)) if i != first)
    return {"plano_recomendado": plans[first], "plano_alternativo": plans[second]}


async def read_by_structure(page: Page) -> dict:
    raw = await page.evaluate(_STRUCTURE_JS, list(dict.fromkeys(list(ROWS) + list(ALIASES))))
    if raw.get("erro"):
        raise ReadingFailed(raw["erro"])
    cards = raw["cards"]
    return pair([plan_from_rows(c, raw.get("column") or []) for c in cards], [bool(c["recommended"]) for c in cards])


# -- text -----------------------------------------------------------------------------------

# The result area's text content in document order; ok/nok icons become marks.
_TEXT_JS = r"""([title, ok, nok]) => {
  const heading = Array.from(document.querySelectorAll('h1, h2, h3, p')).find(e => e.textContent.includes(title));
  const area = heading ? (heading.closest('section, main, article') || heading.parentElement) : document.body;
  let out = '';
  const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) {
      if (!n.parentElement.closest('script, style, template')) out += n.data;
    } else if (n.tagName.toUpperCase() === 'IMG') {
      const key = (n.getAttribute('src') || '') + ' ' + (n.getAttribute('alt') || '');
      if (/nok/i.test(key)) out += nok; else if (/(^|[^a-z])ok/i.test(key)) out += ok;
    }
  }
  return out;
}"""

_LABELS_RE = "|".join(
    re.escape(label)
    for label in sorted(
        [
            "Forma de pagamento",
            "Franquia",
            "Tipo de franquia",
            "Valor de mercado",
            "Assistência 24h",
            "Assistência",
            "Vidros",
            "Carro reserva",
            "Danos materiais",
            "Danos corporais",
            "Danos morais",
            "Morte/Invalidez",
            "Valor da franquia",
        ],
        key=len,
        reverse=True,
    )
)
_MONEY = r"R\$\s*\d{1,3}(?:\.\d{3})*,\d{2}"
# Word-like tokens only match at a token boundary (see tokens()).
_TOKENS = [
    ("plano", re.compile(r"(?i:Plano\s+(?:recomendado|alternativo))")),
    ("rotulo", re.compile(rf"(?i:{_LABELS_RE})(?![a-zà-ÿ])")),
    ("ok", re.compile(OK_MARK)),
    ("nok", re.compile(NOK_MARK)),
    ("pagamento", re.compile(r"(?i:Boleto|Cr[ée]dito|Cart[ãa]o|D[ée]bito|Pix|[ÀA] vista)(?![a-zà-ÿ])")),
    ("dinheiro", re.compile(_MONEY)),
    ("periodo", re.compile(r"(?i:anual|mensal)(?![a-zà-ÿ])")),
    ("tipo", re.compile(r"(?:Reduzida|Normal|Majorada|Ampliada)(?![a-zà-ÿ])")),
    ("mercado", re.compile(r"(?i:\d{1,3}\s*%\s*da\s+tabela\s+FIPE|Valor\s+determinado)")),
    ("quebra", re.compile(r"\n")),
]
_STOPS = ("quebra", "ok", "nok", "rotulo", "tipo", "mercado", "plano", "periodo")


@dataclass
class Token:
    kind: str
    text: str


def _match_at(text: str, pos: int, boundary: bool):
    for kind, pattern in _TOKENS:
        if kind not in ("ok", "nok", "quebra", "dinheiro", "mercado") and not boundary:
            continue
        m = pattern.match(text, pos)
        if m:
            return kind, m
    return None


def tokens(text: str) -> list[Token]:
    """The text cut into tokens; the rest becomes "texto" tokens (whitespace-only ones dropped).
    A payment line runs from its keyword to the next line break, mark, label or amount that is
    not its own instalment ("12x de R$ 333,02")."""
    out: list[Token] = []
    pos, other_from, last_end = 0, 0, 0

    def flush(upto: int):
        chunk = text[other_from:upto]
        if chunk.strip():
            out.append(Token("texto", chunk))

    while pos < len(text):
        boundary = pos == last_end or not text[pos - 1].isalpha() or not text[pos - 1].islower()
        found = _match_at(text, pos, boundary)
        if not found:
            pos += 1
            continue
        kind, m = found
        flush(pos)
        end = m.end()
        if kind == "pagamento":
            end = _payment_end(text, end)
        out.append(Token(kind, text[pos:end]))
        pos = other_from = last_end = end
    flush(len(text))
    return out


def _payment_end(text: str, pos: int) -> int:
    while pos < len(text):
        found = _match_at(text, pos, True)
        if found:
            kind, _ = found
            if kind in _STOPS and kind not in ("periodo",):
                return pos
            if kind == "dinheiro" and not re.search(r"\bde\s*$", text[max(0, pos - 12) : pos]):
                return pos
        pos += 1
    return pos


VALUE_KINDS = {"dinheiro", "ok", "nok", "pagamento", "tipo", "mercado", "texto"}


def plans_from_text(text: str) -> dict:
    """The plans in the result area's text (text reading)."""
    significant = [t for t in tokens(text) if t.kind != "quebra"]
    found: list[dict] = []
    heading = None
    label = None
    current = None
    for i, tok in enumerate(significant):
        nxt = significant[i + 1] if i + 1 < len(significant) else None
        if tok.kind == "plano":
            heading = clean_text(tok.text)
            continue
        if tok.kind == "dinheiro" and nxt is not None and nxt.kind == "periodo":
            current = {"heading": heading, "valor": tok.text, "labelled": {}, "sequence": []}
            found.append(current)
            heading = label = None
            continue
        if current is None:
            continue  # titles and a label column before the first plan
        if tok.kind == "periodo":
            current.setdefault("periodo", clean_text(tok.text))
        elif tok.kind == "rotulo":
            label = label_field(tok.text)
        elif tok.kind in VALUE_KINDS:
            if label and label not in current["labelled"]:
                current["labelled"][label] = tok
                label = None
            elif tok.kind != "texto":
                current["sequence"].append(tok)
    plans, recommended = [], []
    for index, raw in enumerate(found):
        is_rec = bool(raw["heading"] and "recomendado" in fold(raw["heading"])) or (
            index == 0 and not any(r["heading"] and "recomendado" in fold(r["heading"]) for r in found)
        )
        plans.append(_plan_from_tokens(raw, is_rec))
        recommended.append(is_rec)
    return pair(plans, recommended)


def _plan_from_tokens(raw: dict, recommended: bool) -> dict:
    plan = empty_plan(raw["heading"] or NAMES[recommended])
    plan["valor"] = first_amount(raw["valor"])
    plan["parcelamento"] = raw.get("periodo")
    labelled = raw["labelled"]

    def put(field: str, tok: Token) -> None:
        if field in FLAG_FIELDS:
            plan[field] = {"ok": True, "nok": False}.get(tok.kind)
        elif field in MONEY_FIELDS:
            plan[field] = first_amount(tok.text)
        else:
            plan[field] = clean_text(tok.text) or None

    for field, tok in labelled.items():
        put(field, tok)
    free = {
        "dinheiro": [f for f in MONEY_FIELDS if f not in labelled],
        "flag": [f for f in FLAG_FIELDS if f not in labelled],
        "pagamento": [f for f in ("forma_pagamento",) if f not in labelled],
        "tipo": [f for f in ("tipo_franquia",) if f not in labelled],
        "mercado": [f for f in ("valor_mercado",) if f not in labelled],
    }
    for tok in raw["sequence"]:
        group = "flag" if tok.kind in ("ok", "nok") else tok.kind
        if free.get(group):
            put(free[group].pop(0), tok)
    return plan


async def read_by_text(page: Page) -> dict:
    text = await page.evaluate(_TEXT_JS, [RESULT_TITLE, OK_MARK, NOK_MARK])
    return plans_from_text(text)


# -- checks and the two readings ------------------------------------------------------------


def problems(plans: dict) -> list[str]:
    """The plan's own consistency checks: premium present and real, every amount parseable,
    the three coverage flags known, the payment line and "anual" present."""
    out = []
    for key in ("plano_recomendado", "plano_alternativo"):
        plan = plans.get(key) or {}
        missing = [f for f in ("valor", *MONEY_FIELDS) if not plan.get(f)]
        missing += [f for f in FLAG_FIELDS if not isinstance(plan.get(f), bool)]
        missing += [f for f in ("forma_pagamento", "parcelamento") if not plan.get(f)]
        if missing:
            out.append(f"{key}: sem {', '.join(missing)}")
        if PLACEHOLDER in (plan.get(f) for f in ("valor", *MONEY_FIELDS)):
            out.append(f"{key}: valores provisórios ({PLACEHOLDER})")
    return out


def differences(a: dict, b: dict) -> list[str]:
    return [
        f"{key}.{field}"
        for key in ("plano_recomendado", "plano_alternativo")
        for field in sorted(set(a[key]) | set(b[key]))
        if a[key].get(field) != b[key].get(field)
    ]


async def read_plans(page: Page) -> Reading:
    """Both readings of the plans on the result page; `value` is None when neither worked."""
    return await read_twice(
        "planos",
        "dos planos",
        {STRUCTURE: lambda: read_by_structure(page), TEXT: lambda: read_by_text(page)},
        problems,
        differences,
    )
