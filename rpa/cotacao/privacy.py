"""Scrubbing of free text (exception messages, portal texts, saved failure pages) before it
reaches a log, a snapshot, stdout or a file: CPF-like and phone-like digit runs, e-mail addresses
and dates are masked, and `redact` also removes the quote's own values (a name has no shape).
The masks are the service's (docs/contract/vocabulary.json, `mascaras`): a CPF `***.***.***-25`,
a phone `(11) ****-4321`, an e-mail `***@***`, a date `**/**/****`, the quote's own values `***`."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CPF = re.compile(r"\d{3}\.?\d{3}\.?\d{3}-?(\d{2})")
_PHONE = re.compile(r"(\(?\d{2}\)?\s?)9?\d{4}-?(\d{4})")
_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def scrub(text: str) -> str:
    """Returns `text` with personal-looking tokens replaced by the service's masks."""
    text = _EMAIL.sub("***@***", text)
    text = _CPF.sub(lambda m: f"***.***.***-{m[1]}", text)
    text = _PHONE.sub(lambda m: f"{m[1]}****-{m[2]}", text)
    return _DATE.sub("**/**/****", text)


def first_line(exc: BaseException, limit: int | None = None) -> str:
    """The first line of an exception's message, scrubbed, then cut to `limit` characters (scrubbing
    first, so a CPF or e-mail at the cut cannot survive half-masked); "" when the message is empty."""
    line = (str(exc).strip().splitlines() or [""])[0]
    return scrub(line)[:limit]


def personal_values(quote) -> list[str]:
    """The quote's own personal values as they may appear on a page (names, CPF, e-mail, phone)."""
    people = [p for p in (quote.segurado, quote.condutor) if p is not None]
    values = [p.nome for p in people] + [p.cpf for p in people] + [quote.email, quote.telefone]
    return [v for v in values if v and len(v) >= 3]


def redact(text: str, values: list[str]) -> str:
    """`scrub` plus every literal of `values`, ignoring letter case."""
    for value in sorted(values, key=len, reverse=True):
        text = re.sub(re.escape(value), "***", text, flags=re.IGNORECASE)
    return scrub(text)
