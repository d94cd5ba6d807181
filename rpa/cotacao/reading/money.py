"""Money as the portal shows it: amounts split across spans with non-breaking spaces
("R$", "&nbsp;1.200", ",00") are normalised to "R$ 1.200,00"."""

from __future__ import annotations

import re

AMOUNT = re.compile(r"R\$\s*(\d{1,3}(?:\.\d{3})*(?:,\d{2})?)")


def clean_text(text: str) -> str:
    """Collapses every kind of whitespace (including U+00A0) into single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def amounts(text: str) -> list[str]:
    """All amounts in `text`, each formatted as "R$ 1.200,00"."""
    out = []
    for value in AMOUNT.findall(clean_text(text)):
        out.append(f"R$ {value if ',' in value else value + ',00'}")
    return out


def first_amount(text: str) -> str | None:
    found = amounts(text)
    return found[0] if found else None
