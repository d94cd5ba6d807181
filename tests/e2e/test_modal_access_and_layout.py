"""Keyboard-only use of the form and the modal (Tab, Enter, Esc, focus kept inside the dialog) and
a 360 px phone: the modal full screen, no horizontal scroll, the two plans stacked."""

from __future__ import annotations

from modal_expected import PLATE_SUCCESS
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

    # Enter on the button again re-opens the same quote; its result arrives.
    page.keyboard.press("Enter")
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
    rec = page.locator('.rpa-plan[data-plano="recomendado"]').bounding_box()
    alt = page.locator('.rpa-plan[data-plano="alternativo"]').bounding_box()
    assert rec["y"] + rec["height"] <= alt["y"], (rec, alt)
    assert abs(rec["x"] - alt["x"]) < 1 and rec["width"] <= 360
    page.screenshot(path=str(artifacts / "12-phone-plans.png"))
    page.locator('.rpa-plan[data-plano="alternativo"]').scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "13-phone-plans-alternativo.png"))


def test_desktop_plans_side_by_side(service, new_page):
    page = new_page(1280, 900)
    submit_quote(page, service.demo_url, person(placa=PLATE_SUCCESS))
    assert wait_final(page) == "success"
    rec = page.locator('.rpa-plan[data-plano="recomendado"]').bounding_box()
    alt = page.locator('.rpa-plan[data-plano="alternativo"]').bounding_box()
    assert abs(rec["y"] - alt["y"]) < 1 and rec["x"] + rec["width"] <= alt["x"]
