"""Scrubbing of free text (exception messages, portal texts) before it reaches a log, a snapshot
or stdout: CPF-like and phone-like digit runs, e-mail addresses and dates are masked."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CPF = re.compile(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}")
_PHONE = re.compile(r"\(?\d{2}\)?\s?9?\d{4}-?\d{4}")
_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def scrub(text: str) -> str:
    """Returns `text` with personal-looking tokens replaced by placeholders."""
    text = _EMAIL.sub("<email>", text)
    text = _CPF.sub("<cpf>", text)
    text = _PHONE.sub("<telefone>", text)
    return _DATE.sub("<data>", text)
