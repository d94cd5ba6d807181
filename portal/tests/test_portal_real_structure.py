"""The simulated screens 1–6 against the real portal's captures: for each screen, the share of
interactive elements (tag, type, id, name, role, text) the two have in common, as a set
(element_census.py). Prints the table; fails below 0.9 on any screen. Skips, saying why, where
the captures are absent."""

from __future__ import annotations

import pytest
from element_census import CAPTURES, CENSUS_TABLE, REAL_PORTAL, capture_census, census, readme_tables, share, table
from portal_driver import walk

MINIMUM = 0.9
SCREENS = {"tipo": 1, "placa": 2, "confirmacao": 3, "renovacao": 4, "estimativa": 5, "itens": 6}

pytestmark = pytest.mark.skipif(
    not all((REAL_PORTAL / name).is_file() for name in [*CAPTURES.values(), "README.md"]),
    reason=f"capturas do portal real ausentes em {REAL_PORTAL}: sem elas não há com o que comparar",
)


def simulated_censuses(page, portal) -> dict[int, set]:
    """The census of each simulated screen 1–6, walked once with a plate without Zero KM."""
    found: dict[int, set] = {}

    def on_screen(name):
        if name in SCREENS:
            found[SCREENS[name]] = census(page)

    walk(page, portal, placa="ABC1D23", until="itens", on_screen=on_screen)
    return found


def test_census_of_the_captures_is_the_readme_table(browser):
    """The measure reads each capture as its README lists it (a check of the census itself)."""
    tables = readme_tables()
    for screen in CAPTURES:
        real = capture_census(browser, screen)
        assert real == tables[screen], (
            f"tela {screen}: a mais {sorted(real - tables[screen])}; a menos {sorted(tables[screen] - real)}"
        )


def test_simulated_screens_share_the_real_structure(browser, page, portal, request):
    simulated = simulated_censuses(page, portal)
    rows, missing = [], []
    for screen in CAPTURES:
        real = capture_census(browser, screen)
        mine = simulated[screen]
        rows.append((screen, len(mine & real), len(mine | real), share(mine, real)))
        missing.append(f"tela {screen}: só no real {sorted(real - mine)}; só no simulado {sorted(mine - real)}")
    printed = table(rows)
    request.config.stash.setdefault(CENSUS_TABLE, []).append(printed)
    print(printed)
    below = [r for r in rows if r[3] < MINIMUM]
    assert not below, f"abaixo de {MINIMUM}:\n{printed}\n" + "\n".join(missing[r[0] - 1] for r in below)
