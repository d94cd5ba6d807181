"""Two independent readings of what a screen shows (the estimate on screen 5, the plans on screen
15): one by the page's structure, one by its text. Each reading must pass the value's own
consistency checks; the values taken, and why, are recorded as `{"metodo", "motivo"}`:

- both pass and agree: "ambos";
- only one passes: that one ("estrutura" or "texto"), the other's problem in `motivo`;
- both pass but disagree: "estrutura" (it ties each value to its row and icon), the differing
  fields in `motivo`;
- neither passes: "nenhum" (the caller decides: the plans end the quote, the estimate is skipped).

For tests a reader can be switched off on purpose with the environment variable
RPA_TESTE_LEITOR_QUEBRADO: a comma-separated list of `METODO` or `ALVO:METODO` (METODO =
estrutura | texto, ALVO = planos | estimativa; a bare METODO applies to both). A switched-off
reader fails as if it could not find its values. The variable is meant only for tests."""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("cotacao.leitura")

BREAK_ENV = "RPA_TESTE_LEITOR_QUEBRADO"
STRUCTURE, TEXT = "estrutura", "texto"
BY = {STRUCTURE: "pela estrutura", TEXT: "pelo texto"}


class ReadingFailed(Exception):
    """A reader could not take the values; the message (pt-BR, no personal data) says why."""


def broken(target: str, method: str) -> bool:
    """True when the tests switched off `method` for `target`."""
    for item in os.environ.get(BREAK_ENV, "").split(","):
        alvo, _, metodo = item.strip().lower().rpartition(":")
        if metodo == method and alvo in ("", target):
            return True
    return False


@dataclass
class Reading:
    value: Any
    metodo: str
    motivo: str

    def entry(self) -> dict:
        return {"metodo": self.metodo, "motivo": self.motivo}


Reader = Callable[[], Awaitable[Any]]


async def read_twice(
    target: str,
    what: str,
    readers: dict[str, Reader],
    check: Callable[[Any], list[str]],
    differences: Callable[[Any, Any], list[str]],
) -> Reading:
    """Runs both readers of `target` (e.g. "planos"), checks each value and picks one."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for method, reader in readers.items():
        if broken(target, method):
            problems[method] = f"leitor desativado para teste ({BREAK_ENV})"
            continue
        try:
            value = await reader()
        except (ReadingFailed, ValueError, KeyError, TypeError, IndexError) as exc:
            problems[method] = str(exc) or type(exc).__name__
            continue
        failed = check(value)
        if failed:
            problems[method] = "não passou nas verificações: " + "; ".join(failed)
        else:
            values[method] = value

    if STRUCTURE in values and TEXT in values:
        diff = differences(values[STRUCTURE], values[TEXT])
        if not diff:
            reading = Reading(values[STRUCTURE], "ambos", "estrutura e texto deram os mesmos valores")
        else:
            reading = Reading(
                values[STRUCTURE],
                STRUCTURE,
                f"as leituras divergem em {', '.join(diff[:6])}; as duas passaram nas "
                "verificações e vale a da estrutura",
            )
    elif values:
        method = next(iter(values))
        other = TEXT if method == STRUCTURE else STRUCTURE
        reading = Reading(values[method], method, f"a leitura {BY[other]} falhou: {problems.get(other, '?')}")
    else:
        reading = Reading(
            None, "nenhum", f"estrutura: {problems.get(STRUCTURE, '?')}; texto: {problems.get(TEXT, '?')}"
        )
    level = logging.INFO if reading.metodo == "ambos" else logging.WARNING
    log.log(level, "leitura %s: método %s (%s)", what, reading.metodo, reading.motivo)
    return reading
