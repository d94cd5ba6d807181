"""Per-screen structural fingerprints (real robot, real sim-portal): one history entry per screen
carries `{"tela", "fingerprint"}`; the fingerprint is 16 lowercase hex characters, the same on
two runs of the same portal and plate, and a slight change of one screen's structure
(`--mudanca-tela N`: one more button) changes that screen's fingerprint only while the quote still
succeeds."""

import pytest
from cotacao.screens.fingerprint import FORMAT
from robot_harness import check_snapshots, quote_input, run_robot

SCREENS_ABC1D23 = [
    "tipo_seguro",
    "placa",
    "confirmacao",
    "ja_segurado",
    "estimativa",
    "itens",
    "pernoite",
    "uso",
    "dados_pessoais",
    "condutor",
    "atividade",
    "garagem",
    "residentes",
    "resultado",
]
ETAPA = {
    "tipo_seguro": 1,
    "placa": 2,
    "confirmacao": 3,
    "ja_segurado": 4,
    "estimativa": 5,
    "itens": 6,
    "pernoite": 7,
    "uso": 8,
    "dados_pessoais": 9,
    "condutor": 10,
    "atividade": 11,
    "garagem": 12,
    "residentes": 13,
    "resultado": 15,
}


def fingerprints(run) -> dict:
    entries = [e for e in run.history["historico"] if "fingerprint" in (e["dados_extra"] or {})]
    by_screen = {e["dados_extra"]["tela"]: e for e in entries}
    assert len(by_screen) == len(entries), "uma tela com duas impressões digitais"
    for tela, e in by_screen.items():
        assert e["etapa"] == ETAPA[tela] and e["status"] == "executando"
    return {tela: e["dados_extra"]["fingerprint"] for tela, e in by_screen.items()}


@pytest.fixture(scope="module")
def baseline(portal, tmp_path_factory):
    """Fingerprints of a plain ABC1D23 quote on the shared portal."""
    run = run_robot(quote_input(), tmp_path_factory.mktemp("base"), portal.url)
    assert run.code == 0, run.stderr[-2000:]
    return fingerprints(run)


def test_every_screen_has_one_fingerprint_stable_across_runs(portal, baseline, tmp_path):
    assert list(baseline) == SCREENS_ABC1D23
    assert all(FORMAT.match(fp) for fp in baseline.values())
    assert len(set(baseline.values())) == len(baseline), "duas telas com a mesma impressão digital"
    again = run_robot(quote_input(), tmp_path, portal.url)
    assert again.code == 0, again.stderr[-2000:]
    check_snapshots(again)  # also: no personal data in any snapshot
    assert fingerprints(again) == baseline
    assert f"tela resultado: impressão digital {baseline['resultado']}" in again.stderr


@pytest.mark.parametrize("tela,changed", [("1", "tipo_seguro"), ("9", "dados_pessoais"), ("15", "resultado")])
def test_a_slight_change_of_one_screen_changes_its_fingerprint_only(portal_with, baseline, tmp_path, tela, changed):
    portal = portal_with("--mudanca-tela", tela)
    run = run_robot(quote_input(), tmp_path, portal.url)
    assert run.code == 0, run.stderr[-2000:]
    check_snapshots(run)
    assert run.result["dados_finais"] == portal.expected_plans("ABC1D23")
    got = fingerprints(run)
    assert [k for k in got if got[k] != baseline[k]] == [changed]
