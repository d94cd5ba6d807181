"""Full runs (real robot, real Chromium, real sim-portal at delay scale 0) on every layout of the
result page, and with one or both readers switched off on purpose (RPA_TESTE_LEITOR_QUEBRADO).

- Every layout gives exactly the portal's plans, both readers agreeing, and changes only the
  result page's fingerprint.
- One reader off: the other carries the quote, and the log and the history say which and why.
- Both plan readers off: `planos_ilegiveis`, with the screenshot and the HTML saved.
- Both estimate readers off: the quote goes on without the estimate (it is not the quote)."""

import pytest
from robot_harness import Portal, check_snapshots, evidence_files, quote_input, run_robot

VARIANTS = ["padrao", "rotulos-no-cartao", "sem-coluna-de-rotulos", "linhas-em-lista", "botoes-em-rotulos"]
# The plates with literal values in portal/README.md: both coverage tiers, ok and nok flags,
# a payment line with its own amount ("12x de R$ 422,56") and one without.
PLATES = ["ABC1D23", "BRA2E19"]


def entry(run, tela: str) -> dict:
    """The history entry that carries the fingerprint of `tela`."""
    found = [e for e in run.history["historico"] if (e["dados_extra"] or {}).get("tela") == tela]
    assert len(found) == 1, [e["etapa"] for e in found]
    return found[0]


def fingerprints(run) -> dict:
    return {
        e["dados_extra"]["tela"]: e["dados_extra"]["fingerprint"]
        for e in run.history["historico"]
        if "fingerprint" in (e["dados_extra"] or {})
    }


@pytest.fixture(scope="module")
def layout_run(tmp_path_factory):
    """One portal per layout and one robot run per (layout, plate), each done once."""
    portals: dict[str, Portal] = {}
    runs: dict[tuple, object] = {}

    def get(variant: str, placa: str):
        if (variant, placa) not in runs:
            if variant not in portals:
                portals[variant] = Portal("--variante-resultado", variant)
            tmp = tmp_path_factory.mktemp(f"{variant}-{placa}")
            runs[variant, placa] = (run_robot(quote_input(placa=placa), tmp, portals[variant].url), portals[variant])
        return runs[variant, placa]

    yield get
    for p in portals.values():
        p.close()


@pytest.mark.parametrize("placa", PLATES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_layout_gives_the_same_plans(layout_run, variant, placa):
    run, portal = layout_run(variant, placa)
    assert run.code == 0, run.stderr[-2000:]
    check_snapshots(run)
    plans = run.result["dados_finais"]
    assert plans == portal.expected_plans(placa)
    rec, alt = plans["plano_recomendado"], plans["plano_alternativo"]
    if placa == "ABC1D23":  # the literal values of portal/README.md
        assert (rec["valor"], alt["valor"]) == ("R$ 3.889,94", "R$ 3.930,75")
        assert alt["forma_pagamento"] == "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56"
        assert (rec["assistencia"], rec["vidros"], rec["carro_reserva"]) == (True, False, False)
        assert (alt["assistencia"], alt["vidros"], alt["carro_reserva"]) == (True, True, True)
        assert (rec["morte_invalidez"], alt["morte_invalidez"]) == ("R$ 0,00", "R$ 5.000,00")
    else:
        assert (rec["valor"], alt["valor"]) == ("R$ 2.797,76", "R$ 2.984,99")
        assert alt["forma_pagamento"] == "Crédito em até 10x sem juros!"
        assert (rec["assistencia"], rec["vidros"], rec["carro_reserva"]) == (True, True, False)
        assert rec["danos_materiais"] == "R$ 100.000,00" and rec["valor_franquia"] == "R$ 4.966,17"
    both = {"metodo": "ambos", "motivo": "estrutura e texto deram os mesmos valores"}
    assert entry(run, "resultado")["dados_extra"]["leitura"] == both
    assert entry(run, "estimativa")["dados_extra"]["leitura"] == both


def test_layouts_change_only_the_result_fingerprint(layout_run):
    prints = {v: fingerprints(layout_run(v, "ABC1D23")[0]) for v in VARIANTS}
    base = prints["padrao"]
    assert len({p["resultado"] for p in prints.values()}) == len(VARIANTS)
    for got in prints.values():
        assert {k: v for k, v in got.items() if k != "resultado"} == {k: v for k, v in base.items() if k != "resultado"}


@pytest.mark.parametrize(
    "broken,carrier,variant",
    [
        ("estrutura", "texto", "padrao"),
        ("texto", "estrutura", "sem-coluna-de-rotulos"),
    ],
)
def test_one_reader_broken_the_other_carries_the_quote(layout_run, tmp_path, broken, carrier, variant):
    unbroken, portal = layout_run(variant, "ABC1D23")
    run = run_robot(quote_input(), tmp_path, portal.url, RPA_TESTE_LEITOR_QUEBRADO=broken)
    assert run.code == 0, run.stderr[-2000:]
    check_snapshots(run)
    assert run.result["dados_finais"] == portal.expected_plans("ABC1D23")
    for tela, what in (("estimativa", "da estimativa"), ("resultado", "dos planos")):
        leitura = entry(run, tela)["dados_extra"]["leitura"]
        assert leitura["metodo"] == carrier
        assert f"a leitura pel{'a' if broken == 'estrutura' else 'o'} {broken} falhou" in leitura["motivo"]
        assert f"WARNING cotacao.leitura: leitura {what}: método {carrier}" in run.stderr
    assert run.progress["dados_extra"]["estimativas_tela_5"]["resumo"]["total_coberturas"] == 3
    # Same page, same structure: the fingerprints do not depend on which reader worked.
    assert fingerprints(run) == fingerprints(unbroken)


def test_both_plan_readers_broken_is_planos_ilegiveis(portal, tmp_path):
    run = run_robot(quote_input(), tmp_path, portal.url, RPA_TESTE_LEITOR_QUEBRADO="planos:estrutura,planos:texto")
    assert run.code == 1
    check_snapshots(run)
    err = run.error()
    assert err["tipo"] == "planos_ilegiveis" and run.last_line["tipo"] == "planos_ilegiveis"
    assert "especialista" in err["mensagem"]
    assert "estrutura:" in err["sugestao"] and "texto:" in err["sugestao"] and "HTML" in err["sugestao"]
    assert (run.progress["etapa_atual"], run.result["dados_finais"]) == (15, {})
    leitura = entry(run, "resultado")["dados_extra"]["leitura"]
    assert leitura["metodo"] == "nenhum"
    assert "leitura dos planos: método nenhum" in run.stderr
    # The evidence shows the result page the readers could not take.
    evidence = evidence_files(run)
    assert set(evidence) == {"html", "png"}
    assert all(p.name.startswith("falha_sessao_teste_etapa15_") for p in evidence.values())
    html = evidence["html"].read_text(encoding="utf-8")
    assert "Parabéns, chegamos ao resultado final da cotação!" in html and "3.889,94" in html
    assert oct(evidence["png"].stat().st_mode & 0o777) == "0o600"


def test_both_estimate_readers_broken_the_quote_goes_on(portal, tmp_path):
    run = run_robot(
        quote_input(), tmp_path, portal.url, RPA_TESTE_LEITOR_QUEBRADO="estimativa:estrutura,estimativa:texto"
    )
    assert run.code == 0, run.stderr[-2000:]
    check_snapshots(run)
    assert run.result["dados_finais"] == portal.expected_plans("ABC1D23")
    assert "estimativas_tela_5" not in run.progress["dados_extra"]
    assert "estimativas" not in [e["etapa"] for e in run.history["historico"]]
    assert entry(run, "estimativa")["dados_extra"]["leitura"]["metodo"] == "nenhum"
    assert "estimativa ilegível pelos dois métodos" in run.stderr
