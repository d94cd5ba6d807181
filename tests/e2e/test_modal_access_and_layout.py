"""Keyboard-only use of the form and the modal (Tab, Enter, Esc, focus kept inside the dialog), a
360 px phone (the modal full screen, no horizontal scroll), every text of the modal at 4.5:1 or
more, and names a screen reader can tell apart (the two close buttons, the bar in words)."""

from __future__ import annotations

import re

import pytest
from modal_expected import PLATE_MANUAL, PLATE_NOT_FOUND, PLATE_SUCCESS
from modal_visitor import active_id, fill_form, person, session_id, submit_quote, wait_final, wait_state

FIELD_ORDER = [
    "NOME",
    "CPF",
    "DATA-DE-NASCIMENTO",
    "SEXO",
    "ESTADO-CIVIL",
    "TIPO-DE-VEICULO",
    "PLACA",
    "MARCA",
    "ANO",
    "CEP",
    "DDD-CELULAR",
    "CELULAR",
    "email",
    "submit_button_auto",
]


def focus_inside_dialog(page) -> bool:
    return page.evaluate("document.querySelector('[role=dialog]').contains(document.activeElement)")


def test_keyboard_only(service, new_page, artifacts):
    page = new_page()
    page.goto(service.demo_url)
    p = person(placa=PLATE_SUCCESS)
    for _ in range(10):  # from the top of the page to the first field
        page.keyboard.press("Tab")
        if active_id(page) == "NOME":
            break
    assert active_id(page) == "NOME"
    typed = {
        "NOME": p.nome,
        "CPF": p.cpf,
        "DATA-DE-NASCIMENTO": p.nascimento,
        "PLACA": p.placa,
        "MARCA": p.marca,
        "ANO": p.ano,
        "CEP": p.cep,
        "DDD-CELULAR": p.ddd,
        "CELULAR": p.celular,
        "email": p.email,
    }
    chosen = {"SEXO": "M", "ESTADO-CIVIL": "C", "TIPO-DE-VEICULO": "C"}
    for field in FIELD_ORDER[:-1]:
        assert active_id(page) == field
        if field in typed:
            page.keyboard.type(typed[field], delay=5)
        else:
            page.keyboard.type(chosen[field])
        page.keyboard.press("Tab")
    assert active_id(page) == "submit_button_auto"
    assert page.input_value("#SEXO") == "Masculino"
    assert page.input_value("#ESTADO-CIVIL") == "Casado"

    page.keyboard.press("Enter")
    wait_state(page, "watching", 60_000)
    assert focus_inside_dialog(page)
    assert active_id(page) == "rpa-title"
    # Tab and Shift+Tab cycle inside the dialog, never out of it.
    visited = set()
    for _ in range(6):
        page.keyboard.press("Tab")
        assert focus_inside_dialog(page)
        visited.add(page.evaluate("document.activeElement.className || document.activeElement.tagName"))
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        assert focus_inside_dialog(page)
    assert len(visited) >= 2, visited  # the close button and the footer button at least
    page.screenshot(path=str(artifacts / "10-keyboard.png"))

    page.keyboard.press("Escape")
    assert page.locator(".rpa-overlay").is_hidden()
    assert active_id(page) == "submit_button_auto"
    sid = session_id(page)

    # Enter on the button again re-opens the same quote; its result arrives (or had arrived).
    page.keyboard.press("Enter")
    assert page.locator(".rpa-overlay").is_visible()
    assert wait_final(page) == "success"
    assert session_id(page) == sid
    assert focus_inside_dialog(page)
    page.keyboard.press("Escape")
    assert active_id(page) == "submit_button_auto"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= 360")


def test_phone_360(service, new_page, artifacts):
    page = new_page(360, 740)
    page.goto(service.demo_url)
    assert no_horizontal_scroll(page)
    fill_form(page, person(placa=PLATE_SUCCESS))
    assert no_horizontal_scroll(page)
    page.click("#submit_button_auto")
    wait_state(page, "watching", 60_000)
    box = page.locator(".rpa-dialog").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 360, 740)
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / "11-phone-progress.png"))

    assert wait_final(page) == "success"
    assert no_horizontal_scroll(page)
    body = page.locator(".rpa-body")
    assert page.evaluate("b => b.scrollWidth <= b.clientWidth", body.element_handle())
    page.screenshot(path=str(artifacts / "12-phone-plans.png"))


# Every element of the modal (or of the pill) that shows text of its own, with its colour and the
# colour behind it (the first opaque background up the tree, with translucent ones blended in),
# and the contrast between them (WCAG 2 relative luminance).
CONTRASTS_JS = r"""
roots => {
  const parse = c => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(',').map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage !== 'none' && e !== el) return {image: e.className};
      const c = parse(cs.backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a === 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const out = [];
  for (const root of roots.map(s => document.querySelector(s)).filter(Boolean)) {
    for (const el of root.querySelectorAll('*')) {
      const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || !el.getClientRects().length) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || Number(cs.opacity) === 0) continue;
      const bg = background(el);
      if (bg.image) { out.push({text: own, ratio: null, on: bg.image}); continue; }
      const fg = over(parse(cs.color), bg);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      out.push({text: own.slice(0, 40), ratio: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100,
                color: cs.color, cls: el.className});
    }
  }
  return out;
}
"""


def low_contrast(page, roots=(".rpa-dialog", ".rpa-pill")) -> list[dict]:
    texts = page.evaluate(CONTRASTS_JS, list(roots))
    assert texts, "no text found"
    return [t for t in texts if t["ratio"] is None or t["ratio"] < 4.5]


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_every_text_of_the_modal_meets_4_5_to_1(slow_service, new_page, width, height):
    page = new_page(width, height)
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    page.wait_for_selector(".rpa-estimate:not([hidden])", timeout=180_000)
    if width == 360:
        page.click(".rpa-steps-toggle")  # the steps' list too
    assert low_contrast(page) == []
    page.click(".rpa-close")
    assert page.locator(".rpa-pill").is_visible()
    assert low_contrast(page, (".rpa-pill",)) == []
    page.click(".rpa-pill-btn")
    assert wait_final(page) == "success"
    assert low_contrast(page) == []


@pytest.mark.parametrize("plate, state", [(PLATE_MANUAL, "manual"), (PLATE_NOT_FOUND, "rejected")])
def test_every_text_of_an_ending_meets_4_5_to_1(service, new_page, plate, state):
    page = new_page(360, 740)
    submit_quote(page, service.demo_url, person(placa=plate))
    assert wait_final(page) == state
    assert low_contrast(page) == []


def test_names_a_screen_reader_can_tell_apart(slow_service, new_page):
    page = new_page()
    submit_quote(page, slow_service.demo_url, person(placa=PLATE_SUCCESS))
    page.wait_for_selector('.rpa-step[aria-current="step"]', timeout=60_000)
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("button", name="Fechar janela da cotação", exact=True).count() == 1
    assert dialog.get_by_role("button", name="Fechar", exact=True).count() == 1
    bar = dialog.get_by_role("progressbar", name="Progresso do cálculo")
    assert re.fullmatch(r"\d+ % — .+", bar.get_attribute("aria-valuetext")), bar.get_attribute("aria-valuetext")
    assert bar.get_attribute("aria-valuetext").startswith(bar.get_attribute("aria-valuenow") + " % — ")
    assert wait_final(page) == "success"
    names = page.evaluate(
        """() => Array.from(document.querySelectorAll('.rpa-dialog button, .rpa-dialog a[href]'))
             .filter(el => el.getClientRects().length)
             .map(el => (el.getAttribute('aria-label') || el.textContent).replace(/\\s+/g, ' ').trim())"""
    )
    assert len(names) == len(set(names)), names
    assert "Quero contratar este plano: plano Recomendado" in names
    assert "Quero contratar este plano: plano Alternativo" in names
