//! What the visitor sees while waiting and does at the end, against the real service and the fake
//! robot: the vehicle the portal confirmed (`veiculo`), the portal's own countdown of the final
//! calculation (`calculo`), the answers the quote assumed from the operator's defaults
//! (`premissas`), the typical times learned from recent quotes (`tempo_tipico`, also in health),
//! and the plan the visitor chooses (`POST /api/rpa/interesse`, its `cotacao.interesse` event at
//! the broker's endpoint, signed). Every progress answer seen is checked against
//! docs/contract/progress.schema.json.

use crate::support::receiver::{standard_signature_ok, Receiver, STANDARD_SECRET};
use crate::support::{assert_no_secrets, assert_progress_contract, person, Options, TestApp};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const VEICULO: &str = "ECOSPORT 2007/2007";

/// Starts a quote; its session id and resume token.
async fn start(app: &TestApp, body: &Value) -> (String, String) {
    let r = app.post_start(body).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    (v["session_id"].as_str().unwrap().to_string(), v["token_retomada"].as_str().unwrap().to_string())
}

fn go(app: &TestApp, file: String) {
    std::fs::write(app.state_dir().join(file), "").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vehicle_shows_from_screen_3_and_the_portals_countdown_only_while_it_runs() {
    let app = TestApp::spawn(Options { slots: 1, ..Default::default() }).await;
    let (held, _) = start(&app, &person("ESP1A23")).await;
    let (counting, _) = start(&app, &person("CAL1A23")).await;
    let (unnamed, _) = start(&app, &person("SVE1A23")).await;
    let mut seen = Vec::new();

    // Before screen 3 nothing is known of the vehicle; at screen 3 the portal names it.
    let (_, waiting) = app.progress(&counting).await;
    assert_eq!(waiting["progress"]["status"], "waiting");
    assert!(waiting["progress"]["veiculo"].is_null() && waiting["progress"]["calculo"].is_null(), "{waiting}");
    seen.push(waiting);
    seen.extend(app.wait_until(&held, "screen 3", |p| p["etapa_atual"] == 3).await);
    assert_eq!(seen.last().unwrap()["progress"]["veiculo"], VEICULO);
    go(&app, format!("go_{held}"));
    let done = app.wait_terminal(&held).await;
    assert_eq!(
        (&done["status"], &done["veiculo"], &done["calculo"]),
        (&json!("success"), &json!(VEICULO), &Value::Null)
    );

    // Screen 15: the countdown as the portal shows it, second by second, while the quote runs.
    for left in [3, 2] {
        let at = app.wait_until(&counting, &format!("{left} s left"), |p| p["calculo"]["restante_s"] == left).await;
        let p = &at.last().unwrap()["progress"];
        assert_eq!((&p["status"], &p["etapa_atual"]), (&json!("running"), &json!(15)), "{p}");
        assert_eq!(p["calculo"], json!({"restante_s": left, "total_s": 3}));
        assert_eq!(p["veiculo"], VEICULO);
        seen.extend(at);
        go(&app, format!("calculo_{counting}_{left}"));
    }
    let end = app.wait_until(&counting, "the result", |p| p["status"] == "success").await;
    let last = &end.last().unwrap()["progress"];
    assert!(last["calculo"].is_null(), "no countdown once the quote has ended: {last}");
    assert_eq!(last["veiculo"], VEICULO, "kept for the quote");
    seen.extend(end);

    // A screen 3 that did not name the vehicle: the quote goes on without it.
    let done = app.wait_terminal(&unnamed).await;
    assert_eq!((&done["status"], &done["veiculo"]), (&json!("success"), &Value::Null));
    let stored: Vec<Option<String>> = ["ESP1A23", "CAL1A23", "SVE1A23"]
        .iter()
        .map(|p| app.scalar(&format!("SELECT veiculo FROM jobs WHERE placa = '{p}'")))
        .collect();
    assert_eq!(stored, [Some(VEICULO.into()), Some(VEICULO.into()), None]);
    let in_quotes: String = app.scalar("SELECT group_concat(coalesce(veiculo, '-')) FROM quotes ORDER BY session_id");
    assert_eq!(in_quotes.matches(VEICULO).count(), 2, "the quotes view shows it too: {in_quotes}");
    for v in &seen {
        assert_no_secrets("progress", &v.to_string());
    }
    assert_progress_contract(&seen);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vehicle_stays_through_a_retry_and_the_countdown_does_not() {
    let app = TestApp::spawn(Options { max_attempts: 2, retry_backoff_s: "2".into(), ..Default::default() }).await;
    let (sid, _) = start(&app, &person("FAL1A23")).await;
    let retry_wait = "Houve uma falha temporária: tentando de novo em instantes";
    let waits = app.wait_until(&sid, "the wait before the retry", |p| p["mensagem"] == retry_wait).await;
    let p = &waits.last().unwrap()["progress"];
    assert_eq!(p["status"], "waiting");
    assert_eq!((&p["veiculo"], &p["calculo"]), (&json!(VEICULO), &Value::Null), "{p}");
    let done = app.wait_terminal(&sid).await;
    assert_eq!((&done["status"], &done["veiculo"], &done["calculo"]), (&json!("error"), &json!(VEICULO), &Value::Null));
    assert_eq!(app.attempts(&sid), 2);
    assert_progress_contract(&[waits.last().unwrap().clone()]);
}

/// What the shipped config/defaults.json assumes, in the order of the portal's screens.
const ALL_DEFAULTS: &[&str] = &[
    "cotação de carro",
    "seguro novo (não é renovação)",
    "veículo usado (não é zero km)",
    "combustível flex",
    "sem kit gás",
    "sem blindagem",
    "veículo não financiado",
    "uso pessoal",
    "você é o condutor principal",
    "não usado para ir ao trabalho",
    "não usado para ir ao local de estudo",
    "garagem com portão eletrônico",
    "nenhum residente de 18 a 26 anos",
    "continuar com o corretor anterior, se houver",
];

#[tokio::test(flavor = "multi_thread")]
async fn premissas_name_exactly_the_answers_taken_from_the_operators_defaults() {
    let app = TestApp::spawn(Options::default()).await;
    let (all_assumed, _) = start(&app, &person("ABC1D23")).await;
    let mut answers = person("DEF2G34");
    // Given by the visitor, some equal to the defaults: none of them is an assumption.
    for (k, v) in [
        ("tipo_veiculo", json!("Carro")),
        ("uso_veiculo", json!("Pessoal")),
        ("garagem_residencia", json!("sim")),
        ("reside_18_26", json!("Não")),
        ("combustivel", json!("flex")),
        ("zero_km", json!(false)),
    ] {
        answers[k] = v;
    }
    let (some_given, _) = start(&app, &answers).await;

    let (_, early) = app.progress(&all_assumed).await;
    assert_eq!(early["progress"]["premissas"], json!(ALL_DEFAULTS), "known from the moment the quote is queued");
    let expected = [
        "seguro novo (não é renovação)",
        "sem kit gás",
        "sem blindagem",
        "veículo não financiado",
        "você é o condutor principal",
        "não usado para ir ao trabalho",
        "não usado para ir ao local de estudo",
        "portão eletrônico na garagem",
        "continuar com o corretor anterior, se houver",
    ];
    let mut seen = vec![early];
    for (sid, words) in [(&all_assumed, ALL_DEFAULTS), (&some_given, &expected[..])] {
        let done = app.wait_terminal(sid).await;
        assert_eq!(done["status"], "success");
        assert_eq!(done["premissas"], json!(words), "{sid}");
        seen.push(app.progress(sid).await.1);
    }
    let kept: String = app.scalar("SELECT assumed_answers FROM jobs WHERE placa = 'DEF2G34'");
    let kept: BTreeMap<String, Value> = serde_json::from_str(&kept).unwrap();
    for given in ["tipo_veiculo", "uso_veiculo", "garagem_residencia", "reside_18_26", "combustivel", "zero_km"] {
        assert!(!kept.contains_key(given), "{given} was the visitor's: {kept:?}");
    }
    assert_eq!(kept.get("portao_eletronico"), Some(&json!("Eletronico")));
    assert_progress_contract(&seen);
}

fn timestamp(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn median(mut v: Vec<f64>) -> Option<i64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (n > 0).then(|| (if n % 2 == 0 { (v[n / 2 - 1] + v[n / 2]) / 2.0 } else { v[n / 2] }).round() as i64)
}

/// The typical times recomputed from the rows: each successful attempt's start to its estimate,
/// its first step-15 entry to its plans, its whole length.
fn typical_from_rows(app: &TestApp) -> Value {
    let db = app.db();
    let mut stmt = db
        .prepare(
            "SELECT a.started_at, a.finished_at, h.etapa, h.synced_at FROM attempts a
             JOIN history h ON h.job_id = a.job_id AND h.attempt = a.attempt
             WHERE a.outcome = 'success' ORDER BY a.job_id, a.attempt, h.seq",
        )
        .unwrap();
    let rows: Vec<(String, String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect();
    // (start, end) of each attempt → its history entries (etapa, when synced), in order.
    type Entries = Vec<(String, DateTime<Utc>)>;
    let mut by_attempt: BTreeMap<(String, String), Entries> = BTreeMap::new();
    for (started, finished, etapa, synced) in rows {
        by_attempt.entry((started, finished)).or_default().push((etapa, timestamp(&synced)));
    }
    let (mut totals, mut estimates, mut calculations) = (Vec::new(), Vec::new(), Vec::new());
    let secs = |a: DateTime<Utc>, b: DateTime<Utc>| (b - a).num_milliseconds() as f64 / 1000.0;
    for ((started, finished), entries) in &by_attempt {
        let (start, end) = (timestamp(started), timestamp(finished));
        let first = |etapa: &str| entries.iter().find(|(e, _)| e == etapa).map(|(_, t)| *t);
        totals.push(secs(start, end));
        estimates.push(secs(start, first("estimativas").unwrap()));
        calculations.push(secs(first("15").unwrap(), first("final").unwrap()));
    }
    json!({"estimativa_s": median(estimates), "calculo_s": median(calculations),
           "total_s": median(totals), "amostras": by_attempt.len()})
}

#[tokio::test(flavor = "multi_thread")]
async fn typical_times_are_learned_from_recent_successful_quotes_and_health_gives_the_same() {
    let app = TestApp::spawn(Options { slots: 1, pause_ms: 300, ..Default::default() }).await;
    let (first, _) = start(&app, &person("AAA1A11")).await;
    let running = app.wait_until(&first, "running", |p| p["status"] == "running").await;
    assert!(running.last().unwrap()["progress"]["tempo_tipico"].is_null(), "no quote has succeeded yet");
    assert!(app.health().await.1["tempo_tipico"].is_null());
    assert_eq!(app.wait_terminal(&first).await["status"], "success");
    // A cotação manual and a failure teach nothing about a quote's length.
    for placa in ["BBB2B22", "MAN3C33", "CCC4D44", "REJ5E55"] {
        let (sid, _) = start(&app, &person(placa)).await;
        app.wait_terminal(&sid).await;
    }

    let (next, _) = start(&app, &person("DDD6F66")).await;
    let seen = app.wait_until(&next, "running", |p| p["status"] == "running").await;
    let p = &seen.last().unwrap()["progress"];
    let expected = typical_from_rows(&app);
    assert_eq!(expected["amostras"], 3);
    assert_eq!(p["tempo_tipico"], expected, "medians of the three successful quotes");
    assert_eq!(p["duracao_tipica_s"], expected["total_s"]);
    let (estimate, calculation, total) = (
        expected["estimativa_s"].as_i64().unwrap(),
        expected["calculo_s"].as_i64().unwrap(),
        expected["total_s"].as_i64().unwrap(),
    );
    assert!(0 < estimate && estimate < total && calculation < total, "{expected}");
    let (_, health) = app.health().await;
    assert_eq!(health["tempo_tipico"], expected, "the demo page reads the same figures as the modal");
    let done = app.wait_terminal(&next).await;
    assert!(done["tempo_tipico"].is_null(), "only while waiting or running");
    assert_progress_contract(&seen);
}

/// `POST /api/rpa/interesse` with `body`; (status, answer).
async fn interest(app: &TestApp, body: &Value) -> (u16, Value) {
    let r = app.client.post(format!("{}/api/rpa/interesse", app.base)).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn choice(sid: &str, token: &str, plano: &str) -> Value {
    json!({"session_id": sid, "token_retomada": token, "plano": plano})
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chosen_plan_reaches_the_brokers_endpoints_signed_once_per_plan_and_only_from_its_visitor() {
    let rx = Receiver::start().await;
    let hooks = json!([
        {"url": rx.url("crm"), "segredo": STANDARD_SECRET, "formato": "standard"},
        {"url": rx.url("vendas"), "segredo": STANDARD_SECRET, "formato": "standard", "eventos": ["cotacao.interesse"]},
    ]);
    let app = TestApp::spawn(Options { webhooks: Some(hooks), ..Default::default() }).await;
    let (quoted, token) = start(&app, &person("ABC1D23")).await;
    let (manual, manual_token) = start(&app, &person("MAN1A23")).await;
    assert_eq!(app.wait_terminal(&quoted).await["status"], "success");
    assert_eq!(app.wait_terminal(&manual).await["erros"][0]["tipo"], "cotacao_manual");

    // Refused, each with its status and a Portuguese message, recording nothing.
    let unknown = "rpa_v4_20261124_221300_0123456789abcdef0123456789abcdef";
    let other_token = "0123456789abcdef0123456789abcdef";
    let (s, v) = interest(&app, &json!({"plano": "barato", "session_id": 7})).await;
    assert_eq!(s, 422, "{v}");
    let campos: Vec<&str> = v["erros"].as_array().unwrap().iter().map(|e| e["campo"].as_str().unwrap()).collect();
    assert_eq!((v["success"].as_bool(), campos), (Some(false), vec!["session_id", "token_retomada", "plano"]));
    assert_eq!(v["error"], "Dados inválidos: corrija os campos indicados.");
    for (body, status, error) in [
        (choice(&quoted, &token, "premium"), 422, "Dados inválidos: corrija os campos indicados."),
        (choice(unknown, &token, "recomendado"), 404, "Sessão não encontrada."),
        (choice("../../etc/passwd", &token, "recomendado"), 404, "Sessão não encontrada."),
        (
            choice(&quoted, other_token, "recomendado"),
            403,
            "Não foi possível confirmar que esta cotação é sua. Recarregue a página e tente de novo.",
        ),
        (
            choice(&quoted, &manual_token, "recomendado"),
            403,
            "Não foi possível confirmar que esta cotação é sua. Recarregue a página e tente de novo.",
        ),
        (choice(&manual, &manual_token, "recomendado"), 409, "Esta cotação não tem esse plano para escolher."),
    ] {
        let (s, v) = interest(&app, &body).await;
        assert_eq!((s, v["success"].as_bool(), v["error"].as_str()), (status, Some(false), Some(error)), "{body}");
    }
    let url = format!("{}/api/rpa/interesse", app.base);
    let r = app.client.post(&url).header("content-type", "application/json").body("{\"plano\":").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = app.client.post(&url).header("content-type", "text/plain").body("{}").send().await.unwrap();
    assert_eq!(r.status(), 415);
    let r = app.client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 405);
    let interests = || app.scalar::<i64>("SELECT count(*) FROM events WHERE type = 'cotacao.interesse'");
    assert_eq!(interests(), 0, "a refused choice records nothing");

    // The visitor's choices: each plan once, however often it is clicked.
    for plano in ["recomendado", "recomendado", "alternativo", "recomendado"] {
        let (s, v) = interest(&app, &choice(&quoted, &token, plano)).await;
        assert_eq!((s, &v), (200, &json!({"success": true})), "{plano}");
    }
    assert_eq!(interests(), 2);
    let got = rx
        .wait_for("both choices at both endpoints", |r| {
            r.iter().filter(|x| x.kind() == "cotacao.interesse").count() >= 4
        })
        .await;
    let vendas = rx.on("vendas");
    assert_eq!(vendas.len(), 2, "the endpoint that asked for the choices gets them, and nothing else");
    let chosen: Vec<Value> = got.iter().filter(|r| r.kind() == "cotacao.interesse").map(|r| r.json()).collect();
    assert_eq!(chosen.len(), 4, "one event per plan and endpoint");
    assert!(got.iter().all(|r| r.signature_ok && standard_signature_ok(&r.headers, &r.body)), "every one signed");
    let recommended = chosen.iter().find(|b| b["data"]["plano"] == "recomendado").unwrap();
    let d = &recommended["data"];
    assert_eq!(
        (&d["nome_plano"], &d["valor"], &d["valor_centavos"], &d["veiculo_confirmado"]),
        (&json!("Plano recomendado"), &json!("R$ 3.099,18"), &json!(309_918), &json!(VEICULO))
    );
    assert_eq!((&d["session_id"], &d["lead_id"]), (&json!(quoted), &json!(quoted)));
    assert_eq!((&d["contato"]["nome"], &d["contato"]["telefone"]), (&json!("FULANO DE TAL"), &json!("11987654321")));
    assert_eq!((&d["veiculo"]["placa"], &d["origem"]["gclid"]), (&json!("ABC1D23"), &json!("teste-gclid")));
    let alternative = chosen.iter().find(|b| b["data"]["plano"] == "alternativo").unwrap();
    assert_eq!(
        (&alternative["data"]["valor"], &alternative["data"]["valor_centavos"]),
        (&json!("R$ 2.567,40"), &json!(256_740))
    );
    app.wait_all_delivered().await;
    assert_no_secrets("the service log", &app.service_log());

    // The modal on the broker's site reaches it across origins.
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://www.segurosimediato.com.br")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()),
        Some("https://www.segurosimediato.com.br")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn choosing_a_plan_counts_against_the_same_limit_per_client_as_starting_a_quote() {
    let app = TestApp::spawn(Options { rate_limit_per_min: 2, ..Default::default() }).await;
    let (sid, token) = start(&app, &person("ABC1D23")).await;
    assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    assert_eq!(interest(&app, &choice(&sid, &token, "recomendado")).await.0, 200);
    let r = app
        .client
        .post(format!("{}/api/rpa/interesse", app.base))
        .json(&choice(&sid, &token, "alternativo"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "Muitas solicitações deste endereço. Aguarde um minuto e tente de novo.");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM interests"), 1, "the refused choice was not recorded");
}
