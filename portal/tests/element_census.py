"""The census of a screen's interactive elements and the share two screens have in common.

An interactive element is an `a`, `button`, `input`, `select`, `textarea` or `label`, or any
element with a `role`, hidden or not: what a robot's selectors or a structural fingerprint can
meet. Each is counted as the tuple (tag, type, id, name, role, text), where the text is only that
of buttons, links and labels (their text content, whitespace collapsed, every number such as
"1.200,00" written as "#"). The census is a **set** of tuples: three radios of one group or three
"De R$ # até R$ #" buttons are one entry, as in the real captures' README tables. Two screens'
share is |common| / |all| (the intersection over the union of their sets).

The real portal's captures are read from `<repository root>/../shared/reference/real_portal/`,
loaded in Chromium with JavaScript disabled and every request other than the file itself
refused, so the census sees the DOM as it was saved.
"""

from __future__ import annotations

import re

import pytest
from sim_portal_process import REPO

REAL_PORTAL = REPO.parent / "shared" / "reference" / "real_portal"

# Screen number -> capture file (the captures' README, "our screen" column).
CAPTURES = {
    1: "tela1_tipo_seguro.html",
    2: "tela2_placa.html",
    3: "tela3_confirmacao.html",
    4: "tela4_ja_segurado.html",
    5: "tela5_estimativa.html",
    6: "tela6_itens.html",
}

# (tag, type, id, name, role, text) of every interactive element of the open document.
CENSUS_JS = r"""() => {
  const WITH_TEXT = new Set(['a', 'button', 'label']);
  const text = el => el.textContent.replace(/\s+/g, ' ').trim().replace(/\d+(?:[.,]\d+)*/g, '#');
  const els = document.querySelectorAll('a, button, input, select, textarea, label, [role]');
  return Array.from(els, el => {
    const tag = el.tagName.toLowerCase();
    return [tag, el.getAttribute('type') || '', el.id || '', el.getAttribute('name') || '',
            el.getAttribute('role') || '', WITH_TEXT.has(tag) ? text(el) : ''];
  });
}"""

Element = tuple[str, str, str, str, str, str]

# Where the test leaves its table for the session's summary (conftest.py prints it).
CENSUS_TABLE = pytest.StashKey[list]()


def census(page) -> set[Element]:
    """The set of interactive elements of the page as it is now."""
    return {tuple(row) for row in page.evaluate(CENSUS_JS)}


def capture_census(browser, screen: int) -> set[Element]:
    """The census of the real portal's capture of `screen`, scripts off and offline."""
    path = REAL_PORTAL / CAPTURES[screen]
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        url = path.as_uri()
        page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        page.goto(url, wait_until="domcontentloaded")
        return census(page)
    finally:
        ctx.close()


def share(simulated: set[Element], real: set[Element]) -> float:
    """|common| / |all| of two censuses."""
    every = simulated | real
    return len(simulated & real) / len(every) if every else 1.0


def readme_tables() -> dict[int, set[Element]]:
    """The README's table of interactive elements of each capture, by screen number."""
    text = (REAL_PORTAL / "README.md").read_text(encoding="utf-8")
    by_file = {name: screen for screen, name in CAPTURES.items()}
    tables: dict[int, set[Element]] = {}
    screen = None
    for line in text.splitlines():
        heading = re.match(r"### (\S+\.html)", line)
        if heading:
            screen = by_file.get(heading.group(1))
            tables.setdefault(screen, set())
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if screen is None or len(cells) != 6 or cells[0] in ("tag", "") or set(cells[0]) <= {"-"}:
            continue
        tables[screen].add(tuple(cells))
    return tables


def table(rows: list[tuple[int, int, int, float]]) -> str:
    """The printed table: screen, elements in common, elements in all, share."""
    out = ["| tela | em comum | no total | comum / total |", "|---|---|---|---|"]
    out += [f"| {n} | {common} | {every} | {ratio:.2f} |" for n, common, every, ratio in rows]
    return "\n".join(out)
