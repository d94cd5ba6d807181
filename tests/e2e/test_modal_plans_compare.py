"""The two final plans are comparable, on a phone (360 px) and a desktop (1280 px): one table whose
rows line up across the plans (their bounding boxes), the rows that differ marked, the price
difference shown, the premium "por ano", the installments' total when it is not the premium,
"Não incluído" for a coverage of R$ 0,00, and no amount of money broken across two lines."""

from __future__ import annotations

import pytest
from modal_expected import DIFFERING_ROWS_ABC1D23, PLATE_SUCCESS
from modal_visitor import norm, person, submit_quote, wait_final


def cell_boxes(page) -> list[dict]:
    """Per row of the table: its key and the bounding box of each plan's cell."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.rpa-compare [role=row]')).map(row => {
            const box = kind => {
              const el = row.querySelector(`[data-plano="${kind}"]`);
              const r = el.getBoundingClientRect();
              return {x: r.x, y: r.y, width: r.width, height: r.height};
            };
            return {row: row.dataset.linha || row.className, rec: box('recomendado'), alt: box('alternativo')};
        })"""
    )


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_the_plans_line_up_and_their_differences_are_marked(service, new_page, artifacts, width, height):
    page = new_page(width, height)
    submit_quote(page, service.demo_url, person(placa=PLATE_SUCCESS))
    assert wait_final(page) == "success"

    boxes = cell_boxes(page)
    assert len(boxes) == 3 + 12, [b["row"] for b in boxes]  # titles, premium, hire, then the contract's rows
    for b in boxes:
        rec, alt = b["rec"], b["alt"]
        assert abs(rec["y"] - alt["y"]) < 1, b  # the same row starts at the same height…
        assert rec["x"] + rec["width"] <= alt["x"], b  # …side by side
    # One grid: each plan's cells share one column, at every row.
    for kind in ("rec", "alt"):
        xs = {round(b[kind]["x"]) for b in boxes}
        widths = {round(b[kind]["width"]) for b in boxes}
        assert len(xs) == 1 and len(widths) == 1, (kind, xs, widths)
    assert page.evaluate("(b => b.scrollWidth <= b.clientWidth)(document.querySelector('.rpa-body'))")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width

    differing = page.eval_on_selector_all(
        ".rpa-compare [role=row][data-diferente=true]", "rows => rows.map(r => r.dataset.linha)"
    )
    assert differing == DIFFERING_ROWS_ABC1D23
    for key in differing:
        badge = page.locator(f'[data-linha="{key}"] .rpa-diff-badge')
        assert badge.is_visible() and badge.inner_text() == "diferente"
    assert page.locator('[data-linha="danos_morais"] .rpa-diff-badge').count() == 0

    assert [norm(t) for t in page.locator(".rpa-per-year").all_inner_texts()] == ["por ano", "por ano"]
    diff = page.locator('.rpa-price-cell[data-plano="alternativo"] [data-diferenca]')
    assert norm(diff.inner_text()) == "R$ 40,81 a mais por ano que o Recomendado"
    note = page.locator('[data-plano="alternativo"][data-campo="forma_pagamento"] .rpa-cell-note')
    assert norm(note.inner_text()) == "Total em 12x: R$ 5.070,72"
    death = page.locator('[data-plano="recomendado"][data-campo="morte_invalidez"]')
    assert norm(death.inner_text()).endswith("Não incluído") and "R$ 0,00" not in death.inner_text()

    # Money never wraps inside a value: each amount is one line box, "R$" with its number.
    broken = page.eval_on_selector_all(
        ".rpa-dialog .rpa-money",
        "els => els.filter(e => e.getClientRects().length !== 1).map(e => e.textContent)",
    )
    assert page.locator(".rpa-compare .rpa-money").count() == 14  # every amount of both plans
    assert broken == []
    page.screenshot(path=str(artifacts / f"40-plans-compare-{width}.png"))
    page.locator('[data-linha="morte_invalidez"]').scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"41-plans-compare-end-{width}.png"))
