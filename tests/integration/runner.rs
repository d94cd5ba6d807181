//! The runner pool against the fake robot: outcomes, retries, snapshot sync, time limit, logs.

use crate::support::{alive, assert_no_secrets, person, wait_dead, Options, TestApp};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn a_successful_quote_reaches_the_api_and_the_quotes_view_without_personal_data() {
    let app = TestApp::spawn(Options { pause_ms: 60, ..Default::default() }).await;
    let sid = app.start(&person("SUC1D23")).await;
    let seen = app.wait_until(&sid, "success", |p| p["status"] == "success").await;
    let last = &seen.last().unwrap()["progress"];

    assert_eq!(last["etapa_atual"], 15);
    assert_eq!(last["percentual"], 100.0);
    assert_eq!(last["resultados_finais"]["rpa_finalizado"], true);
    let planos = &last["resultados_finais"]["dados"];
    assert_eq!(planos["plano_recomendado"]["valor"], "R$ 3.099,18");
    assert_eq!(planos["plano_alternativo"]["valor"], "R$ 2.567,40");
    assert_eq!(last["estimativas"]["capturadas"], true);
    assert_eq!(last["estimativas"]["dados"]["coberturas_detalhadas"][0]["nome_cobertura"], "Compreensiva");
    let timeline = last["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 10, "the last 10 history entries");
    assert_eq!(timeline.last().unwrap()["etapa"], "final");
    assert_eq!(last["erros"], Value::Array(vec![]));
    assert!(seen.iter().any(|v| v["progress"]["status"] == "running"), "running was visible");
    let etapas: Vec<i64> = seen.iter().filter_map(|v| v["progress"]["etapa_atual"].as_i64()).collect();
    assert!(etapas.windows(2).all(|w| w[0] <= w[1]), "steps never go back: {etapas:?}");

    // The quotes view answers "which plate, what premium", money also in centavos.
    let (placa, premio, centavos, resultado, gclid): (String, String, i64, String, String) = app
        .db()
        .query_row(
            "SELECT placa, premio_recomendado, premio_recomendado_centavos, resultado, gclid FROM quotes WHERE session_id = ?1",
            [&sid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (placa.as_str(), premio.as_str(), centavos, resultado.as_str(), gclid.as_str()),
        ("SUC1D23", "R$ 3.099,18", 309_918, "cotado", "teste-gclid")
    );
    assert_eq!(app.attempts(&sid), 1);

    // The input file is gone; the robot log is masked; nothing public carries personal data.
    let dir = app.data_dir().join(&sid);
    assert!(!dir.join("entrada.json").exists());
    let log = app.robot_log(&sid);
    assert!(log.contains("***.***.***-25") && log.contains("(21) ****-5678"), "{log}");
    assert_no_secrets("robot log", &log);
    for v in &seen {
        assert_no_secrets("progress response", &v.to_string());
    }
    assert_no_secrets("service log", &app.service_log());
}

#[tokio::test(flavor = "multi_thread")]
async fn business_outcomes_are_never_retried() {
    let app = TestApp::spawn(Options { max_attempts: 3, ..Default::default() }).await;
    let manual = app.start(&person("MAN1234")).await;
    let rejected = app.start(&person("REJ1234")).await;

    let p = app.wait_terminal(&manual).await;
    assert_eq!(p["status"], "error");
    assert_eq!(p["erros"].as_array().unwrap().last().unwrap()["tipo"], "cotacao_manual");
    assert_eq!(p["estimativas"]["capturadas"], true, "the estimate stays visible");
    assert_eq!(app.attempts(&manual), 1);

    let p = app.wait_terminal(&rejected).await;
    let erro = p["erros"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((erro["tipo"].as_str(), erro["campo"].as_str()), (Some("rejeitado_placa"), Some("placa")));
    assert_eq!(app.attempts(&rejected), 1);
    let exit: i64 =
        app.db().query_row("SELECT exit_code FROM jobs WHERE session_id = ?1", [&rejected], |r| r.get(0)).unwrap();
    assert_eq!(exit, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn technical_failures_are_retried_and_a_robot_without_final_status_ends_with_a_clear_error() {
    let app = TestApp::spawn(Options { max_attempts: 2, ..Default::default() }).await;
    let flaky = app.start(&person("FLK1234")).await;
    let crash = app.start(&person("CRA1234")).await;
    let silent = app.start(&person("NOF1234")).await;

    let p = app.wait_terminal(&flaky).await;
    assert_eq!(p["status"], "success", "{p}");
    assert_eq!(app.attempts(&flaky), 2, "failed once, retried once");

    for sid in [&crash, &silent] {
        let p = app.wait_terminal(sid).await;
        assert_eq!(p["status"], "error");
        let erro = p["erros"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(erro["tipo"], "robo_sem_status_final", "{p}");
        assert!(!erro["mensagem"].as_str().unwrap().is_empty());
        assert!(erro["sugestao"].as_str().unwrap().contains("sem gravar um status final"));
        assert_eq!(app.attempts(sid), 2, "retried up to RPA_MAX_ATTEMPTS");
    }
    let outcomes: Vec<String> = {
        let db = app.db();
        let mut s = db
            .prepare("SELECT a.outcome FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.session_id = ?1 ORDER BY attempt")
            .unwrap();
        s.query_map([&crash], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(outcomes, vec!["retry", "error"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn half_written_and_invalid_snapshots_are_tolerated() {
    let app = TestApp::spawn(Options { pause_ms: 30, ..Default::default() }).await;
    let sid = app.start(&person("INV1234")).await;
    let seen = app.wait_until(&sid, "success", |p| p["status"] == "success").await;
    let mid_run: Vec<i64> = seen
        .iter()
        .filter(|v| v["progress"]["status"] == "running")
        .filter_map(|v| v["progress"]["etapa_atual"].as_i64())
        .collect();
    assert!(mid_run.iter().any(|e| *e > 0), "progress visible while the files were being broken: {mid_run:?}");
    let last = &seen.last().unwrap()["progress"];
    assert_eq!(last["resultados_finais"]["dados"]["plano_recomendado"]["valor"], "R$ 3.099,18");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_robot_is_killed_with_its_whole_group_and_the_job_times_out() {
    let app =
        TestApp::spawn(Options { job_timeout_s: 5.0, kill_grace_s: 0.5, max_attempts: 3, ..Default::default() }).await;
    let sid = app.start(&person("HNG1234")).await;
    let p = app.wait_terminal(&sid).await;
    assert_eq!(p["status"], "error");
    assert_eq!(p["erros"].as_array().unwrap().last().unwrap()["tipo"], "timeout", "{p}");
    assert_eq!(app.attempts(&sid), 1, "a timeout is not retried");

    let hang = app.robot_state("hang_pids.txt");
    let pids: Vec<u32> = hang.split_whitespace().map(|p| p.parse().unwrap()).collect();
    assert_eq!(pids.len(), 2, "robot and its grandchild recorded: {hang}");
    assert!(wait_dead(&pids).await, "no process of the group is left");
    assert!(pids.iter().all(|p| !alive(*p)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_technical_failure_waits_before_its_retry_so_a_portal_that_comes_back_gets_the_quote() {
    let app = TestApp::spawn(Options { retry_backoff_s: "4".into(), ..Default::default() }).await;
    // The portal is down until the test says when it comes back (the fake robot reads this file).
    let down_until = app.state_dir().join("portal_fora_ate");
    std::fs::write(&down_until, "9999999999").unwrap();
    let sid = app.start(&person("ABC1D23")).await;

    // The first attempt fails; the visitor is told the quote will be tried again.
    let seen = app
        .wait_until(&sid, "the wait before the retry", |p| {
            p["status"] == "waiting"
                && p["mensagem"].as_str().is_some_and(|m| m.contains("tentando de novo em instantes"))
        })
        .await;
    assert_eq!(seen.last().unwrap()["progress"]["erros"], Value::Array(vec![]), "not an error for the visitor");
    // The portal comes back 2 s after that failure: a retry at once would still find it down.
    let failed_at: String = app.scalar(&format!(
        "SELECT a.finished_at FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.session_id = '{sid}' AND a.attempt = 1"
    ));
    let back = chrono::DateTime::parse_from_rfc3339(&failed_at).unwrap() + chrono::Duration::seconds(2);
    std::fs::write(&down_until, format!("{:.3}", back.timestamp_millis() as f64 / 1000.0)).unwrap();

    let p = app.wait_terminal(&sid).await;
    assert_eq!(p["status"], "success", "{p}");
    assert_eq!(app.attempts(&sid), 2);
    let (first_outcome, first_tipo, waited_s): (String, String, f64) = app
        .db()
        .query_row(
            "SELECT a.outcome, a.error_tipo, (julianday(b.started_at) - julianday(a.finished_at)) * 86400.0
             FROM attempts a JOIN attempts b ON b.job_id = a.job_id AND b.attempt = 2
             JOIN jobs j ON j.id = a.job_id WHERE j.session_id = ?1 AND a.attempt = 1",
            [&sid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((first_outcome.as_str(), first_tipo.as_str()), ("retry", "portal_indisponivel"));
    assert!(waited_s >= 3.999, "the retry started {waited_s} s after the failure, before RPA_RETRY_BACKOFF_S");
}
