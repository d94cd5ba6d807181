//! The operator knows before the visitors do: the preflight (`rpa-v4 check`, and the gate that
//! holds quotes while the installation cannot quote), health's verdict from recent outcomes with
//! the screen named, the canary quote, the `alerta.*` events through the webhook outbox, and the
//! JSON log. Real service processes on 127.0.0.1 with the fake robot (`tests/fake_robot.py`).

use crate::support::receiver::{Receiver, STANDARD_SECRET};
use crate::support::{assert_no_secrets, person, Options, TestApp, WAIT};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// An endpoint that takes only the operator's alerts.
fn alerts_endpoint(receiver: &Receiver) -> Value {
    json!([{"url": receiver.url("/alertas"), "segredo": STANDARD_SECRET, "formato": "standard",
            "eventos": ["alerta.saude", "alerta.canario"]}])
}

/// Polls health until `pred` holds (bounded); returns the last answer.
async fn wait_health(app: &TestApp, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, h) = app.health().await;
        if pred(&h) {
            return h;
        }
        assert!(Instant::now() < deadline, "timed out waiting for health: {what}; last: {h}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn motivos(h: &Value) -> String {
    h["motivos"]
        .as_array()
        .map(|m| m.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "))
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_fail_the_preflight_and_no_quote_runs_a_robot() {
    let app = TestApp::spawn(Options {
        extra_env: env(&[("FAKE_ROBOT_CHECK_FAILS", "credenciais"), ("RPA_PREFLIGHT_INTERVAL_S", "0.5")]),
        ..Default::default()
    })
    .await;
    let (ok, out) = app.cli(&["check"]);
    assert!(!ok, "check must fail:\n{out}");
    assert!(out.contains("ERRO credenciais: credenciais: problema simulado"), "{out}");
    assert!(out.contains("como corrigir: corrija credenciais"), "{out}");
    assert!(out.contains("não pode fazer cotações"), "{out}");

    let h = wait_health(&app, "the preflight failed", |h| h["verificacao"]["estado"] == "falhou").await;
    assert_eq!(h["status"], "unhealthy", "{h}");
    assert!(motivos(&h).contains("credenciais"), "{h}");
    let (code, _) = app.health().await;
    assert_eq!(code, 503, "unhealthy answers 503 for load balancers and uptime checks");

    // The visitor is still a lead, and the quote waits in the queue.
    let sid = app.start(&person("ABC1D23")).await;
    app.wait_db(
        "the lead announced",
        &format!("SELECT count(*) = 1 FROM events WHERE session_id = '{sid}' AND type = 'lead.recebido'"),
    )
    .await;
    // The failing preflight is retried (here every 0.5 s); the quote still waits after two more.
    let checks_before = app.robot_state("checks.txt").len();
    let deadline = Instant::now() + WAIT;
    while app.robot_state("checks.txt").len() < checks_before + 2 {
        assert!(Instant::now() < deadline, "the failing preflight is retried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(app.robot_pids().is_empty(), "no robot ran a quote");
    assert_eq!(app.attempts(&sid), 0);
    assert_eq!(app.scalar::<String>(&format!("SELECT status FROM jobs WHERE session_id = '{sid}'")), "queued");
    let (_, p) = app.progress(&sid).await;
    assert_eq!(p["progress"]["status"], "waiting", "{p}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_preflight_problem_is_reported_at_once() {
    let app = TestApp::spawn(Options::default()).await;
    let root = app.root.path();
    std::fs::write(root.join("arquivo"), "x").unwrap();
    std::fs::write(root.join("padroes.json"), "{ não é json").unwrap();
    std::fs::write(root.join("canario.json"), r#"{"placa": "ABC1D23"}"#).unwrap();
    std::fs::write(root.join("hooks.json"), r#"[{"url": "http://crm.example/x"}]"#).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
        cmd.env_remove(k);
    }
    let out = cmd
        .arg("check")
        .envs(app.env())
        .env("RPA_DATA_DIR", root.join("arquivo/jobs"))
        .env("RPA_DEFAULTS_FILE", root.join("padroes.json"))
        .env("RPA_CANARY_FILE", root.join("canario.json"))
        .env("RPA_WEBHOOKS_FILE", root.join("hooks.json"))
        .env("RPA_COMMAND", "/nao/existe/robo")
        .current_dir(root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for item in ["dados", "padroes", "webhooks", "canario", "robo"] {
        assert!(text.contains(&format!("ERRO {item}:")), "{item} not reported:\n{text}");
    }
    assert!(text.contains("/nao/existe/robo"), "{text}");
    assert!(text.contains("RPA_DATA_DIR"), "{text}");

    // And a portal that does not answer is reported, without holding the quotes.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rpa-v4"))
        .arg("check")
        .envs(app.env())
        .env("FAKE_ROBOT_CHECK_FAILS", "portal")
        .current_dir(root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("ERRO portal:") && text.contains("o portal não respondeu"), "{text}");
    let (ok, text) = app.cli(&["check"]);
    assert!(ok && text.contains("Tudo certo"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_robot_reporting_a_configuration_problem_holds_the_quote_instead_of_failing_it() {
    let app =
        TestApp::spawn(Options { extra_env: env(&[("FAKE_ROBOT_NOT_CONFIGURED", "1")]), ..Default::default() }).await;
    let sid = app.start(&person("ABC1D23")).await;
    app.wait_db("the attempt ended", "SELECT count(*) = 1 FROM attempts WHERE finished_at IS NOT NULL").await;
    let h = wait_health(&app, "unhealthy", |h| h["status"] == "unhealthy").await;
    assert!(motivos(&h).contains("Credenciais do portal ausentes"), "{h}");
    assert_eq!(app.scalar::<String>(&format!("SELECT status FROM jobs WHERE session_id = '{sid}'")), "queued");
    assert_eq!(app.attempts(&sid), 0, "the attempt is not counted against the quote");
    assert_eq!(
        app.scalar::<String>("SELECT outcome || ' ' || error_tipo FROM attempts"),
        "interrupted configuracao_invalida"
    );
    let failed: i64 = app.scalar("SELECT count(*) FROM events WHERE type LIKE 'cotacao.%'");
    assert_eq!(failed, 0, "no quote event: the quote has not ended");
    assert_eq!(app.robot_pids().len(), 1, "held: no second robot right away");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_robot_program_that_does_not_exist_never_reaches_a_visitor() {
    let app = TestApp::spawn(Options { command: Some("/nao/existe/robo".into()), ..Default::default() }).await;
    let h = wait_health(&app, "the preflight failed", |h| h["verificacao"]["estado"] == "falhou").await;
    assert_eq!(h["status"], "unhealthy");
    assert!(motivos(&h).contains("/nao/existe/robo"), "{h}");
    let sid = app.start(&person("ABC1D23")).await;
    let (_, p) = app.progress(&sid).await;
    assert_eq!(p["progress"]["status"], "waiting", "{p}");
    assert_eq!(app.attempts(&sid), 0);
    let attempts: i64 = app.scalar("SELECT count(*) FROM attempts");
    assert_eq!(attempts, 0, "no start was even tried");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_names_the_screen_where_failures_stop_alerts_once_and_recovers() {
    let receiver = Receiver::start().await;
    let app = TestApp::spawn(Options { webhooks: Some(alerts_endpoint(&receiver)), ..Default::default() }).await;
    let first = app.start(&person("ABC1D23")).await;
    assert_eq!(app.wait_terminal(&first).await["status"], "success");
    let failing = app.start(&person("FAL1A23")).await;
    assert_eq!(app.wait_terminal(&failing).await["status"], "error");
    assert_eq!(app.attempts(&failing), 2, "a technical failure is retried once");

    let h = wait_health(&app, "degraded", |h| h["status"] == "degraded").await;
    assert!(motivos(&h).contains("2 das últimas 3 tentativas de cotação falharam na tela 9"), "{h}");
    assert!(motivos(&h).contains("tela_nao_carregou"), "{h}");
    assert_eq!(h["recentes"]["tela_mais_comum"], 9);
    assert_no_secrets("health", &h.to_string());
    let alerts =
        receiver.wait_for("the degraded alert", |r| r.iter().any(|a| a.json()["data"]["estado"] == "degraded")).await;
    let alert = alerts.iter().find(|a| a.json()["data"]["estado"] == "degraded").unwrap().json();
    assert_eq!(alert["type"], "alerta.saude");
    assert_eq!(alert["data"]["estado_anterior"], "healthy");
    assert!(alert["data"]["motivos"].to_string().contains("tela 9"), "{alert}");
    assert_no_secrets("alert", &alert.to_string());

    // Successes bring it back.
    let mut n = 0;
    loop {
        let (_, h) = app.health().await;
        if h["status"] == "healthy" {
            break;
        }
        n += 1;
        assert!(n <= 8, "still not healthy after {n} successes: {h}");
        let sid = app.start(&person(&format!("SUC{n}A23"))).await;
        assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    }
    receiver.wait_for("the healthy alert", |r| r.iter().any(|a| a.json()["data"]["estado"] == "healthy")).await;
    let got = receiver.received();
    let states: Vec<String> =
        got.iter().map(|a| a.json()["data"]["estado"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(states, ["degraded", "healthy"], "one alert per change of state");
    let leads: i64 = app.scalar(
        "SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.type NOT LIKE 'alerta.%'",
    );
    assert_eq!(leads, 0, "the alerts endpoint gets no lead");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_canary_runs_when_idle_is_never_a_lead_and_its_failure_is_alerted_once() {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let canary = dir.path().join("canario.json");
    std::fs::write(&canary, person("FAL9Z99").to_string()).unwrap();
    let canary = canary.display().to_string();
    let app = TestApp::spawn(Options {
        webhooks: Some(alerts_endpoint(&receiver)),
        extra_env: env(&[("RPA_CANARY_FILE", &canary), ("RPA_CANARY_INTERVAL_S", "1")]),
        ..Default::default()
    })
    .await;

    app.wait_db("three canaries ended", "SELECT count(*) >= 3 FROM canaries WHERE status = 'error'").await;
    let h = wait_health(&app, "the canary in health", |h| h["canario"]["falhas_seguidas"].as_i64() >= Some(2)).await;
    assert_eq!(h["canario"]["resultado"], "tela_nao_carregou", "{h}");
    assert_eq!(h["canario"]["tela"], 9, "{h}");
    assert!(h["canario"]["idade_s"].is_i64(), "{h}");
    assert!(motivos(&h).contains("cotações canário falharam na tela 9"), "{h}");

    let not_leads: i64 = app.scalar("SELECT count(*) FROM events WHERE type NOT LIKE 'alerta.%'");
    assert_eq!(not_leads, 0, "a canary is never a lead");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM quotes"), 0, "nor a quote in `quotes`");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM callbacks"), 0, "nor someone to call");

    // One at a time, at least the interval apart.
    let gaps_ok: bool = app.scalar(
        "SELECT coalesce(min((julianday(b.created_at) - julianday(a.created_at)) * 86400.0) >= 0.99, 1)
         FROM jobs a JOIN jobs b ON b.id = (SELECT min(id) FROM jobs WHERE canary = 1 AND id > a.id) WHERE a.canary = 1",
    );
    assert!(gaps_ok, "canaries are at least RPA_CANARY_INTERVAL_S apart");

    receiver.wait_for("the canary alert", |r| r.iter().any(|a| a.kind() == "alerta.canario")).await;
    app.wait_db("a fourth canary ended", "SELECT count(*) >= 4 FROM canaries WHERE status = 'error'").await;
    app.wait_all_delivered().await;
    let canary_alerts = receiver.received().iter().filter(|a| a.kind() == "alerta.canario").count();
    assert_eq!(canary_alerts, 1, "one alert for the whole run of failures");
    let alert = receiver.received().into_iter().find(|a| a.kind() == "alerta.canario").unwrap().json();
    assert_eq!(alert["data"]["tela"], 9, "{alert}");
    assert_no_secrets("canary alert", &alert.to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn json_log_lines_parse_and_carry_the_quote_without_personal_data() {
    let app = TestApp::spawn(Options { extra_env: env(&[("RPA_LOG_FORMAT", "json")]), ..Default::default() }).await;
    let ok = app.start(&person("ABC1D23")).await;
    let failing = app.start(&person("FAL1A23")).await;
    app.wait_terminal(&ok).await;
    app.wait_terminal(&failing).await;
    let log = app.service_log();
    let mut about_quotes = 0;
    for line in log.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("RPA V4 ouvindo")) {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v["timestamp"].is_string() && v["level"].is_string() && v["message"].is_string(), "{line}");
        let spans = v["spans"].as_array().cloned().unwrap_or_default();
        if spans.first().is_some_and(|s| s["name"] == "cotacao") {
            about_quotes += 1;
            let s = &spans[0];
            assert!(s["session"].as_str().is_some_and(|s| s == ok || s == failing), "{line}");
            assert!(s["attempt"].as_i64().is_some_and(|a| a >= 1), "{line}");
            let etapa = spans.get(1).map(|e| &e["etapa"]).unwrap_or(&v["etapa"]);
            assert!(etapa.is_i64(), "the screen is on every line about a quote: {line}");
        }
    }
    assert!(about_quotes >= 4, "the runner's lines carry the quote:\n{log}");
    assert!(log.contains("\"etapa\":9"), "the failing quote's lines name screen 9:\n{log}");
    let text = TestApp::spawn(Options::default()).await;
    let sid = text.start(&person("FAL1A23")).await;
    text.wait_terminal(&sid).await;
    let log = text.service_log();
    let line = log.lines().find(|l| l.contains("cotação devolvida à fila")).expect("the retry line");
    assert!(
        line.contains(&format!("cotacao{{session={sid} attempt=1}}")) && line.contains("etapa=9"),
        "text log: {line}"
    );
    assert_no_secrets("JSON log", &log);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_screen_that_changes_structure_is_named_in_health_even_when_the_quote_succeeds() {
    let app = TestApp::spawn(Options::default()).await;
    for placa in ["ABC1D23", "ABC2D23"] {
        let sid = app.start(&person(placa)).await;
        assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    }
    app.wait_db("the baseline recorded", "SELECT count(*) = 15 FROM screen_fingerprints").await;
    let (_, h) = app.health().await;
    assert_eq!(h["telas_mudaram"], json!([]), "the same portal twice: nothing changed: {h}");

    let changed = app.start(&person("MUD1A23")).await;
    assert_eq!(app.wait_terminal(&changed).await["status"], "success", "the quote itself succeeds");
    let h =
        wait_health(&app, "the change named", |h| h["telas_mudaram"].as_array().is_some_and(|c| !c.is_empty())).await;
    let changes = h["telas_mudaram"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{h}");
    assert_eq!(changes[0]["tela"], 7, "{h}");
    assert!(changes[0]["mensagem"].as_str().unwrap().starts_with("tela 7 mudou em 20"), "{h}");
    assert_eq!(h["status"], "healthy", "an early warning, not a failure: {h}");

    // Seen again, the new structure is known: still one change, on screen 7 only.
    let again = app.start(&person("MUD2A23")).await;
    app.wait_terminal(&again).await;
    app.wait_db("the second look", "SELECT count(*) = 16 FROM screen_fingerprints").await;
    let (_, h) = app.health().await;
    assert_eq!(h["telas_mudaram"].as_array().unwrap().len(), 1, "{h}");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM screen_changes"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn on_the_real_portal_a_screen_unlike_its_capture_is_named_from_the_first_quote() {
    let portal = [("RPA_PORTAL_URL", "https://app.tosegurado.com.br/imediatosolucoes")];
    let app = TestApp::spawn(Options { extra_env: env(&portal), ..Default::default() }).await;
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM screen_fingerprints"), 6, "screens 1-6 known at start");
    // The fake robot's screens 1-6 are not the real portal's captures.
    let sid = app.start(&person("ABC1D23")).await;
    assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    let h =
        wait_health(&app, "the changes named", |h| h["telas_mudaram"].as_array().is_some_and(|c| c.len() == 6)).await;
    let telas: Vec<i64> = h["telas_mudaram"].as_array().unwrap().iter().map(|c| c["tela"].as_i64().unwrap()).collect();
    assert_eq!(telas.iter().copied().collect::<std::collections::BTreeSet<_>>(), (1..=6).collect(), "{h}");
    assert!(h["telas_mudaram"].to_string().contains("tela 2 mudou em 20"), "{h}");
}
