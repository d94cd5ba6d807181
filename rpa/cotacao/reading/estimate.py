"""The initial estimate (screen 5): waits until the carousel shows real ranges (not skeletons),
then reads it twice into the estimate shape of contract §3 (see twice.py):

- by structure: each slide's card — the name in the header's <b>, the "De … até …" line, the
  benefits with their ok/nok icons;
- by text: the carousel's text content in reading order (icons as ok/nok marks; the card's own
  buttons and labels kept, the carousel's controls and forms left out), cut at each "Cobertura":
  the name up to "De R$", the two amounts, and after "Principais Benefícios" one benefit per icon
  mark (or per line when there are no icons). The
  real cards' text runs together ("Cobertura CompreensivaDeR$ 2.600,00atéR$ 3.200,00com…"), which
  is why the old parser named them "CompreensivaDe"; this one does not."""

from __future__ import annotations

import re

from playwright.async_api import Page

from ..portal import CAROUSEL, ERROR_ALERT
from ..tracker import now_iso
from .money import AMOUNT, amounts, clean_text
from .twice import STRUCTURE, TEXT, Reading, ReadingFailed, read_twice

OK_MARK, NOK_MARK = "\ue000", "\ue001"

# One card of the carousel.
SLIDE = "[role=group][aria-roledescription=slide]"

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
_STRUCTURE_JS = """(sel) => {
  try {
    const root = document.querySelector(sel);
    if (!root) return { erro: 'carrossel não encontrado' };
    return { cards: Array.from(root.querySelectorAll('[role=group][aria-roledescription=slide]')).map(slide => {
      const header = Array.from(slide.querySelectorAll('p')).find(p => /Cobertura/.test(p.textContent));
      const bold = header ? header.querySelector('b, strong') : null;
      const range = Array.from(slide.querySelectorAll('p')).find(
        p => /R\\$/.test(p.textContent) && /at[ée]/.test(p.textContent));
      const benefits = Array.from(slide.querySelectorAll('img')).filter(
        img => /icone-(n?ok)/i.test(img.getAttribute('src') || '')).map(img => ({
          ok: !/icone-nok/i.test(img.getAttribute('src')),
          text: (img.parentElement ? img.parentElement.textContent : '')
        }));
      return { name: bold ? bold.textContent : '', range: range ? range.textContent : '', benefits };
    }) };
  } catch (e) {
    return { erro: 'falha ao percorrer o carrossel: ' + e.name };
  }
}"""

# The carousel's text content in document order, ok/nok icons as marks. Controls are left out:
# a button counts only as part of a card, that is inside a slide or tied to a label (the real
# cards wrap their title and range as <label><button>…</button></label> and "Principais
# Benefícios" as <button><label>…</label></button>), so the carousel's arrows ("Previous slide",
# "Next slide"), Voltar and Continuar stay out; so does a form inside the area read (the
# "continuar depois" drawer), but not the form a whole screen may sit in.
_TEXT_JS = """([sel, slide, ok, nok]) => {
  const area = document.querySelector(sel) || document.querySelector('main') || document.body;
  const control = el => {
    if (el.closest('script, style, template')) return true;
    const form = el.closest('form');
    if (form && form !== area && area.contains(form)) return true;
    const button = el.closest('button, [role=button]');
    return !!button && !(button.closest(slide) || button.closest('label') || button.querySelector('label'));
  };
  let out = '';
  const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) {
      if (!control(n.parentElement)) out += n.data;
    } else if (n.tagName.toUpperCase() === 'IMG' && !control(n)) {
      const key = (n.getAttribute('src') || '') + ' ' + (n.getAttribute('alt') || '');
      if (/nok/i.test(key)) out += nok; else if (/(^|[^a-z])ok/i.test(key)) out += ok;
    }
  }
  return out;
}"""


class EstimateUnavailable(Exception):
    """The portal showed an error instead of the estimate."""


async def wait_ready(page: Page, timeout_s: float) -> None:
    """Bounded wait for real values in every card (raises Playwright's TimeoutError)."""
    handle = await page.wait_for_function(
        _READY_JS, arg=[CAROUSEL, ERROR_ALERT], timeout=timeout_s * 1000, polling="raf"
    )
    if await handle.json_value() == "erro":
        raise EstimateUnavailable()


def coverage(index: int, name: str, values: list[str], beneficios: list[dict]) -> dict:
    return {
        "indice": index,
        "nome_cobertura": clean_text(name),
        "valores": {"de": values[0] if values else None, "ate": values[1] if len(values) > 1 else None},
        "beneficios": beneficios,
    }


def estimate_of(coberturas: list[dict]) -> dict:
    """The contract's estimate object around the coverages."""
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


def build_estimate(cards: list[dict]) -> dict:
    """Turns the raw card structures (structure reading) into the contract's estimate object."""
    coberturas = []
    for index, card in enumerate(cards, start=1):
        beneficios = [
            {"nome": clean_text(b["text"]), "status": "incluido" if b["ok"] else "nao_incluido"}
            for b in card.get("benefits", [])
            if clean_text(b.get("text", ""))
        ]
        coberturas.append(coverage(index, card.get("name", ""), amounts(card.get("range", "")), beneficios))
    return estimate_of(coberturas)


_COVERAGE = re.compile(r"Cobertura\s*(?P<nome>.+?)\s*De\s*(?=R\$)", re.S)
_RANGE = re.compile(rf"De\s*(?P<de>{AMOUNT.pattern})\s*at[ée]\s*(?P<ate>{AMOUNT.pattern})", re.S)
_BENEFITS = re.compile(r"Principais\s+Benef[íi]cios", re.I)


def estimate_from_text(text: str) -> dict:
    """The estimate in the carousel's text (text reading)."""
    starts = [m.start() for m in re.finditer(r"Cobertura(?=\s)", text)]
    if not starts:
        raise ReadingFailed("nenhuma «Cobertura» no texto do carrossel")
    coberturas = []
    for index, (start, end) in enumerate(zip(starts, starts[1:] + [len(text)]), start=1):
        chunk = text[start:end]
        name, values = _COVERAGE.search(chunk), _RANGE.search(chunk)
        if not name or not values:
            raise ReadingFailed(f"cobertura {index}: nome ou faixa «De … até …» ausente no texto")
        beneficios = []
        listed = _BENEFITS.search(chunk)
        if listed:
            rest = chunk[listed.end() :]
            if OK_MARK in rest or NOK_MARK in rest:
                for m in re.finditer(f"([{OK_MARK}{NOK_MARK}])([^{OK_MARK}{NOK_MARK}]*)", rest):
                    nome = clean_text(m.group(2))
                    if nome:
                        beneficios.append(
                            {"nome": nome, "status": "incluido" if m.group(1) == OK_MARK else "nao_incluido"}
                        )
            else:
                beneficios = [
                    {"nome": clean_text(line), "status": "incluido"} for line in rest.splitlines() if clean_text(line)
                ]
        coberturas.append(coverage(index, name.group("nome"), amounts(values.group(0)), beneficios))
    return estimate_of(coberturas)


def _money_value(text: str | None) -> int | None:
    m = AMOUNT.search(text or "")
    return int(m.group(1).replace(".", "").split(",")[0]) if m else None


def problems(estimate: dict) -> list[str]:
    """The estimate's own consistency checks: coverages present, each with a name and a
    readable "De … até …" range (de ≤ até) and named benefits."""
    coberturas = estimate.get("coberturas_detalhadas") or []
    if not coberturas:
        return ["nenhuma cobertura"]
    out = []
    for c in coberturas:
        label = c.get("nome_cobertura") or f"cobertura {c.get('indice')}"
        de, ate = _money_value(c["valores"]["de"]), _money_value(c["valores"]["ate"])
        if not c.get("nome_cobertura"):
            out.append(f"{label}: sem nome")
        if de is None or ate is None:
            out.append(f"{label}: faixa ilegível")
        elif de > ate:
            out.append(f"{label}: «de» maior que «até»")
        if not c["beneficios"]:
            out.append(f"{label}: sem benefícios")
    return out


def differences(a: dict, b: dict) -> list[str]:
    key = lambda e: [(c["nome_cobertura"], c["valores"], c["beneficios"]) for c in e["coberturas_detalhadas"]]  # noqa: E731
    ka, kb = key(a), key(b)
    if len(ka) != len(kb):
        return ["total_coberturas"]
    return [f"cobertura {i}" for i, (x, y) in enumerate(zip(ka, kb), start=1) if x != y]


async def read_by_structure(page: Page) -> dict:
    raw = await page.evaluate(_STRUCTURE_JS, CAROUSEL)
    if raw.get("erro"):
        raise ReadingFailed(raw["erro"])
    return build_estimate(raw["cards"])


async def read_by_text(page: Page) -> dict:
    return estimate_from_text(await page.evaluate(_TEXT_JS, [CAROUSEL, SLIDE, OK_MARK, NOK_MARK]))


async def read_estimate(page: Page, timeout_s: float) -> Reading:
    """Waits for the carousel's real values, then reads them twice; `value` is None when neither
    reading worked."""
    await wait_ready(page, timeout_s)
    return await read_twice(
        "estimativa",
        "da estimativa",
        {STRUCTURE: lambda: read_by_structure(page), TEXT: lambda: read_by_text(page)},
        problems,
        differences,
    )
