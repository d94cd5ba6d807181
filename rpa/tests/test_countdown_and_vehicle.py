"""What the robot tells the visitor beyond the steps, in full runs of the real robot against the
simulated portal at a small delay scale, so that the portal's countdown really counts:

- `calculo`: the portal's countdown of the final calculation, in the progress snapshots while it
  shows: one unbroken run of snapshots on screen 15, `restante_s` going down, `total_s` the first
  value read, and gone once the result or the manual-quote page appears (a cotação manual runs the
  countdown to its end);
- `veiculo`: the vehicle the portal confirmed on screen 3, in screen 3's entry and in every
  progress snapshot from that step on."""

import math

import pytest
from robot_harness import Portal, check_snapshots, quote_input, run_robot

SCALE = 0.1
# The simulated portal's countdown starts at 02:43 times the scale, in whole seconds.
COUNTDOWN_START = math.ceil(163 * SCALE)


@pytest.fixture(scope="module")
def counting_portal():
    p = Portal(delay_scale=SCALE)
    yield p
    p.close()


def progress_versions(run) -> list[dict]:
    return [*run.watcher.versions["progress"], run.progress]


def countdown_seen(run) -> list[dict]:
    """The `calculo` of the progress snapshots, checked to be one unbroken run on screen 15 that
    ends before the last snapshot."""
    versions = progress_versions(run)
    shown = [i for i, v in enumerate(versions) if "calculo" in v]
    assert shown, "a contagem do portal não apareceu no progresso"
    assert shown == list(range(shown[0], shown[-1] + 1)), "a contagem sumiu e voltou"
    for v in versions[shown[0] : shown[-1] + 1]:
        assert (v["status"], v["etapa_atual"]) == ("executando", 15), v
    after = versions[shown[-1] + 1 :]
    assert after and not any("calculo" in v for v in after), "a contagem ficou depois do cálculo"
    return [versions[i]["calculo"] for i in shown]


def assert_counted_down(calculos: list[dict]) -> list[int]:
    restantes = [c["restante_s"] for c in calculos]
    assert len(restantes) >= 2, f"a contagem não andou: {calculos}"
    assert all(a > b for a, b in zip(restantes, restantes[1:])), f"a contagem não desceu: {restantes}"
    assert {c["total_s"] for c in calculos} == {restantes[0]}, calculos
    assert restantes[0] <= COUNTDOWN_START, calculos
    return restantes


def assert_vehicle(run, veiculo: str) -> None:
    [screen3] = [e for e in run.history["historico"] if e["etapa"] == 3]
    assert screen3["dados_extra"]["veiculo"] == veiculo
    versions = progress_versions(run)
    since = next(i for i, v in enumerate(versions) if "veiculo" in v)
    assert versions[since]["etapa_atual"] == 3
    assert all(v.get("veiculo") == veiculo for v in versions[since:]), "o veículo sumiu do progresso"
    assert run.progress["veiculo"] == veiculo


def test_success_counts_down_and_names_the_vehicle(counting_portal, tmp_path):
    run = run_robot(quote_input(), tmp_path, counting_portal.url)
    assert run.code == 0, run.stderr[-2000:]
    check_snapshots(run)
    assert_counted_down(countdown_seen(run))
    assert "calculo" not in run.progress and run.progress["status"] == "success"
    assert_vehicle(run, "KICKS 2017/2017")


def test_manual_quote_counts_down_to_the_end_and_names_the_vehicle(counting_portal, tmp_path):
    run = run_robot(quote_input(placa="MAN1A23"), tmp_path, counting_portal.url)
    assert run.code == 3, run.stderr[-2000:]
    check_snapshots(run)
    restantes = assert_counted_down(countdown_seen(run))
    assert restantes[-1] <= 2, f"a cotação manual vem só no fim da contagem: {restantes}"
    assert "calculo" not in run.progress and run.error()["tipo"] == "cotacao_manual"
    assert_vehicle(run, "ARGO 2019/2019")
