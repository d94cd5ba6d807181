"""The initial estimate (screen 5): waits until the carousel shows real ranges (not skeletons)
and reads each coverage card structurally — name from the card header's <b>, the "De … até …"
range, the benefits with their ok/nok icons — into the estimate shape of contract §3."""

from __future__ import annotations

from playwright.async_api import Page

from .money import amounts, clean_text
from .screens.base import ERROR_ALERT
from .tracker import now_iso

CAROUSEL = 'div[role=region][aria-roledescription=carousel]'

# "pronto" once every slide shows two money values and no skeleton is left; "erro" when the
# portal replaced the carousel with an error banner (failed lookup).
_READY_JS = """([sel, errorAlert]) => {
  if (document.querySelector(errorAlert)) return 'erro';
  const root = document.querySelector(sel);
  if (!root) return false;
  const slides = root.querySelectorAll('[role=group][aria-roledescription=slide]');
  if (slides.length === 0 || root.querySelector('.MuiSkeleton-root, [data-skeleton]')) return false;
  const money = /R\\$\\s*\\d{1,3}(\\.\\d{3})*(,\\d{2})?/g;
  const ready = Array.from(slides).every(s => {
    const text = s.textContent.replace(/\\u00a0/g, ' ');
    return (text.match(money) || []).length >= 2 && /Cobertura/.test(text);
  });
  return ready ? 'pronto' : false;
}"""

# Raw structure of each card: header name, range line, benefits with their icon.
_READ_JS = """(sel) => {
  const root = document.querySelector(sel);
  return Array.from(root.querySelectorAll('[role=group][aria-roledescription=slide]')).map(slide => {
    const header = Array.from(slide.querySelectorAll('p')).find(p => /Cobertura/.test(p.textContent));
    const bold = header ? header.querySelector('b, strong') : null;
    const range = Array.from(slide.querySelectorAll('p')).find(
      p => /R\\$/.test(p.textContent) && /at[ée]/.test(p.textContent));
    const benefits = Array.from(slide.querySelectorAll('img')).filter(
      img => /icone-(n?ok)/i.test(img.getAttribute('src') || '')).map(img => ({
        ok: !/icone-nok/i.test(img.getAttribute('src')),
        text: (img.parentElement ? img.parentElement.textContent : '')
      }));
    return {
      name: bold ? bold.textContent : (header ? header.textContent.replace(/.*Cobertura/, '') : ''),
      range: range ? range.textContent : '',
      benefits
    };
  });
}"""


class EstimateUnavailable(Exception):
    """The portal showed an error instead of the estimate."""


async def wait_ready(page: Page, timeout_s: float) -> None:
    """Bounded wait for real values in every card (raises Playwright's TimeoutError)."""
    handle = await page.wait_for_function(_READY_JS, arg=[CAROUSEL, ERROR_ALERT], timeout=timeout_s * 1000,
                                          polling="raf")
    if await handle.json_value() == "erro":
        raise EstimateUnavailable()


def build_estimate(cards: list[dict]) -> dict:
    """Turns the raw card structures into the contract's estimate object."""
    coberturas = []
    for index, card in enumerate(cards, start=1):
        values = amounts(card.get("range", ""))
        beneficios = [
            {"nome": clean_text(b["text"]), "status": "incluido" if b["ok"] else "nao_incluido"}
            for b in card.get("benefits", [])
            if clean_text(b.get("text", ""))
        ]
        coberturas.append(
            {
                "indice": index,
                "nome_cobertura": clean_text(card.get("name", "")),
                "valores": {"de": values[0] if values else None, "ate": values[1] if len(values) > 1 else None},
                "beneficios": beneficios,
            }
        )
    return {
        "timestamp": now_iso(),
        "coberturas_detalhadas": coberturas,
        "resumo": {
            "total_coberturas": len(coberturas),
            "total_beneficios": sum(len(c["beneficios"]) for c in coberturas),
            "valores_encontrados": sum(
                (c["valores"]["de"] is not None) + (c["valores"]["ate"] is not None) for c in coberturas
            ),
        },
    }


async def read_estimate(page: Page, timeout_s: float) -> dict:
    await wait_ready(page, timeout_s)
    return build_estimate(await page.evaluate(_READ_JS, CAROUSEL))
