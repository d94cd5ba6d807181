"""Injected portal faults (a dedicated sim-portal per case): each ends with the right terminal
snapshot, error tipo and exit code, within the robot's bounded waits (the subprocess timeout
fails the test if a run hangs)."""

import os
import signal

import pytest
from robot_harness import check_snapshots, interrupt_mid_run, quote_input, run_robot

SHORT = {"RPA_TIMEOUT_TELA_S": "4", "RPA_TIMEOUT_RESULTADO_S": "6"}


@pytest.mark.parametrize(
    "fault,placa,etapa",
    [
        ("2:http500", "ABC1D23", 2),
        ("5:http500", "ABC1D23", 5),
        ("7:http500", "ABC1D23", 7),
        ("15:http500", "ABC1D23", 15),
    ],
)
def test_server_error_is_portal_unavailable(portal_with, tmp_path, fault, placa, etapa):
    portal = portal_with("--fault", fault)
    run = run_robot(quote_input(placa=placa), tmp_path, portal.url, timeout=90, **SHORT)
    assert run.code == 1
    check_snapshots(run)
    err = run.error()
    assert (err["tipo"], run.progress["etapa_atual"]) == ("portal_indisponivel", etapa)
    assert "indisponível" in err["mensagem"]
    # Evidence for the operator, named without personal data.
    evidence = sorted(p.name for p in run.data_dir.glob("falha_*"))
    assert len(evidence) == 2 and all(n.startswith(f"falha_sessao_teste_etapa{etapa}_") for n in evidence)


@pytest.mark.parametrize(
    "fault,placa,tela,tipo",
    [
        # The screen shows, but without the element that identifies it (or that the robot acts on).
        ("3:sem-continuar", "ABC1D23", "Confirmação do veículo (tela 3)", "tela_nao_reconhecida"),
        ("zerokm:sem-continuar", "BRA2E19", "Zero KM", "tela_nao_reconhecida"),
        ("9:sem-continuar", "ABC1D23", "Dados pessoais (tela 9)", "tela_nao_reconhecida"),
        ("14:sem-continuar", "COR4B56", "Corretor anterior (tela 14)", "tela_nao_reconhecida"),
        # The page is still loading (the portal's loader is up) when the bound runs out.
        ("7:slow:120", "ABC1D23", "Local de pernoite (tela 7)", "tela_nao_carregou"),
        ("13:slow:120", "ABC1D23", "Residentes de 18 a 26 anos (tela 13)", "tela_nao_carregou"),
    ],
)
def test_screen_that_does_not_show_is_named(portal_with, tmp_path, fault, placa, tela, tipo):
    portal = portal_with("--fault", fault)
    run = run_robot(quote_input(placa=placa), tmp_path, portal.url, timeout=90, **SHORT)
    assert run.code == 1
    check_snapshots(run)
    err = run.error()
    assert err["tipo"] == tipo
    assert tela in err["sugestao"]
    if tipo == "tela_nao_carregou":
        assert tela in err["mensagem"]
    assert run.last_line["tipo"] == tipo
    if tipo == "tela_nao_carregou":
        assert "ainda carregava" in err["sugestao"]


@pytest.mark.parametrize(
    "fault,tela,elemento,etapa",
    [
        ("8:desconhecida", "Uso do veículo (tela 8)", "#gtm-telaUsoVeiculoContinuar", 7),
        ("1:desconhecida", "Tipo de seguro (tela 1)", "insurance-icons", 1),
    ],
)
def test_unknown_screen_is_not_recognised(portal_with, tmp_path, fault, tela, elemento, etapa):
    """The portal shows a screen the robot has never seen where it awaits a known one: a
    technical failure (exit 1, retried by the service) that names the awaited screen and its
    element, with the page's heading and the evidence files."""
    portal = portal_with("--fault", fault)
    run = run_robot(quote_input(), tmp_path, portal.url, timeout=90, **SHORT)
    assert run.code == 1, run.stderr[-1500:]
    check_snapshots(run)
    err = run.error()
    assert err["tipo"] == "tela_nao_reconhecida" and run.last_line["tipo"] == "tela_nao_reconhecida"
    assert "tela inesperada" in err["mensagem"] and "especialista" in err["mensagem"]
    assert tela in err["sugestao"] and elemento in err["sugestao"]
    assert "O veículo possui rastreador?" in err["sugestao"]  # what the page showed instead
    assert run.progress["etapa_atual"] == etapa
    assert "tela não reconhecida" in run.stderr
    evidence = sorted(p.name for p in run.data_dir.glob("falha_*"))
    assert [n.rsplit(".", 1)[1] for n in evidence] == ["html", "png"]
    assert all(n.startswith(f"falha_sessao_teste_etapa{etapa}_") for n in evidence)
    assert "possuiRastreadorTelaRastreador" in run.data_dir.joinpath(evidence[0]).read_text(encoding="utf-8")


def test_slow_screen_within_the_bound_still_succeeds(portal_with, tmp_path):
    portal = portal_with("--fault", "7:slow:2", "--fault", "13:slow:1")
    run = run_robot(quote_input(), tmp_path, portal.url, timeout=120)
    assert run.code == 0, run.stderr[-1500:]
    check_snapshots(run)
    assert run.result["dados_finais"] == portal.expected_plans("ABC1D23")


def test_refused_broker_login(portal_with, tmp_path):
    portal = portal_with("--login-recusado")
    run = run_robot(quote_input(), tmp_path, portal.url, timeout=90, **SHORT)
    assert run.code == 1
    check_snapshots(run)
    err = run.error()
    assert (err["tipo"], run.progress["etapa_atual"]) == ("login_recusado", 15)
    assert "E-mail ou senha inválidos" in err["sugestao"] and "RPA_PORTAL_EMAIL" in err["sugestao"]
    assert run.result["dados_finais"] == {}


def test_sigterm_mid_questionnaire(portal_with, tmp_path):
    """SIGTERM while the robot waits on a slow screen 7: `cancelado`, browser gone."""
    portal = portal_with("--fault", "7:slow:300")
    end = interrupt_mid_run(
        portal.url, tmp_path / "dados", 6, lambda proc, tree: proc.send_signal(signal.SIGTERM), RPA_TIMEOUT_TELA_S="300"
    )
    assert end.code == 1
    assert (end.progress["status"], end.progress["etapa_atual"], end.progress["erros"][0]["tipo"]) == (
        "error",
        6,
        "cancelado",
    )
    assert end.progress["dados_extra"]["estimativas_tela_5"]["resumo"]["total_coberturas"] == 3
    assert end.last_line["tipo"] == "cancelado"
    assert end.survivors() == []


def test_browser_crash_mid_run(portal_with, tmp_path):
    """Chromium killed under the robot: the run still ends with a terminal snapshot (exit 1)."""
    portal = portal_with("--fault", "7:slow:300")

    def kill_browser(proc, tree):
        cmdlines = {pid: open(f"/proc/{pid}/cmdline").read() for pid, _ in tree}
        main = [pid for pid, cmd in cmdlines.items() if "chromium" in cmd and "--type=" not in cmd]
        assert main, "processo principal do Chromium não encontrado"
        os.kill(main[0], signal.SIGKILL)

    end = interrupt_mid_run(portal.url, tmp_path / "dados", 6, kill_browser, RPA_TIMEOUT_TELA_S="300")
    assert end.code == 1
    assert end.progress["status"] == "error"
    assert end.progress["erros"][0]["tipo"] in ("erro_inesperado", "tela_nao_carregou")
    assert end.history["status_final"] == "error" and end.last_line["status"] == "error"
    assert end.survivors() == []


@pytest.mark.parametrize(
    "placa,cpf,code",
    [
        ("ABC1D23", "11144477735", 0),  # login overlay and CPF modal arrive late, after the result
        ("MAN1A23", "52998224725", 3),  # the manual-quote page only after the whole countdown
    ],
    ids=["modal-tardio", "cotacao-manual-contagem"],
)
def test_real_timings_scaled_down(portal_with, tmp_path, placa, cpf, code):
    """At a small delay scale the page-side delays are real: the robot must wait for them
    (login overlay 1 s, CPF modal 1.5 s, countdown 163 s, all × 0.05)."""
    portal = portal_with(delay_scale=0.05)
    run = run_robot(quote_input(placa=placa, cpf=cpf), tmp_path, portal.url, timeout=120)
    assert run.code == code, run.stderr[-1500:]
    check_snapshots(run)
    if code == 0:
        assert run.result["dados_finais"] == portal.expected_plans(placa)
        assert "CPF divergente" in run.stderr
    else:
        assert run.error()["tipo"] == "cotacao_manual"
