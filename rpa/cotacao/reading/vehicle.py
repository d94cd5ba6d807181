"""The vehicle the portal found for the plate, as screen 3 confirms it ("O veículo ECOSPORT
2007/2007 corresponde a placa KVA-1791?"): the model and the years of manufacture and model,
"ECOSPORT 2007/2007", read off the page's visible text, never the plate. It is information for the
visitor, not an answer to the portal: a text that does not parse gives None and the quote goes
on."""

from __future__ import annotations

import logging
import re

from playwright.async_api import Page

from .money import clean_text

log = logging.getLogger("cotacao.leitura")

# The sentence, on one line of the page's text: what lies between "O veículo" and "placa".
_SENTENCE = re.compile(r"\bO ve[ií]culo (?P<veiculo>.+?) corresponde (?:[aà] )?placa\b", re.IGNORECASE)
# The model, then the year of manufacture / the model year.
_MODEL_YEARS = re.compile(r"^(?P<modelo>\S.*?) (?P<fabricacao>(?:19|20)\d{2}) ?/ ?(?P<ano_modelo>(?:19|20)\d{2})$")
MAX_MODEL = 80


def parse_vehicle(text: str, placa: str) -> str | None:
    """ "MODELO AAAA/AAAA" from the page's text, or None when no line reads as screen 3's
    sentence, or the model would carry the plate."""
    for line in text.splitlines():
        sentence = _SENTENCE.search(clean_text(line))
        found = sentence and _MODEL_YEARS.match(sentence["veiculo"])
        if not found:
            continue
        modelo = found["modelo"].strip(" -–,:")
        compact = re.sub(r"[^0-9A-Z]", "", modelo.upper())
        if not modelo or len(modelo) > MAX_MODEL or (placa and placa.upper() in compact):
            return None
        return f"{modelo} {found['fabricacao']}/{found['ano_modelo']}"
    return None


async def read_vehicle(page: Page, placa: str) -> str | None:
    """The vehicle screen 3 shows, or None (logged, without the page's text)."""
    try:
        text = await page.evaluate("() => document.body ? document.body.innerText : ''")
    except Exception as exc:  # information only: it never stops a quote
        log.warning("tela 3: texto da página não lido (%s)", type(exc).__name__)
        return None
    veiculo = parse_vehicle(text, placa)
    if veiculo is None:
        log.warning("tela 3: o veículo confirmado não foi reconhecido no texto da página")
    return veiculo
