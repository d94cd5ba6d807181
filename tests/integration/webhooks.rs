//! Webhook delivery of the lead outbox, against a real receiver on 127.0.0.1 that checks the
//! signatures independently: every event in both formats, receivers that fail, throttle, hang,
//! disappear (410) or are down while the service is killed, and what the operator sees (health,
//! `rpa-v4 webhooks listar`, `reenviar`, the log).

use crate::support::receiver::{
    free_port, standard_signature_ok, webflow_signature_ok, Receiver, Reply, STANDARD_SECRET, WEBFLOW_SECRET,
};
use crate::support::{assert_no_secrets, person, Options, TestApp};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

fn standard(url: String, eventos: Option<&[&str]>) -> Value {
    let mut e = json!({"url": url, "segredo": STANDARD_SECRET, "formato": "standard"});
    if let Some(ev) = eventos {
        e["eventos"] = json!(ev);
    }
    e
}

fn webflow(url: String) -> Value {
    json!({"url": url, "segredo": WEBFLOW_SECRET, "formato": "webflow-form"})
}

fn options(endpoints: Vec<Value>, env: &[(&str, &str)]) -> Options {
    Options {
        webhooks: Some(Value::Array(endpoints)),
        extra_env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    }
}

/// (event id, type, session) of every lead and quote event in the outbox (not the operator's alerts).
fn events(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    let db = app.db();
    let mut stmt =
        db.prepare("SELECT event_id, type, session_id FROM events WHERE type NOT LIKE 'alerta.%' ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn delivery_states(app: &TestApp, endpoint: &str) -> Vec<(String, u32)> {
    let db = app.db();
    let mut stmt = db.prepare("SELECT status, attempts FROM deliveries WHERE endpoint = ?1 ORDER BY event_id").unwrap();
    stmt.query_map([endpoint], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn tampered(body: &[u8]) -> Vec<u8> {
    let mut b = body.to_vec();
    let at = b.iter().position(|c| c.is_ascii_digit()).expect("a digit to change");
    b[at] = if b[at] == b'9' { b'8' } else { b[at] + 1 };
    b
}

#[tokio::test(flavor = "multi_thread")]
async fn every_event_reaches_its_endpoints_signed_in_both_formats_and_a_tampered_body_fails_the_check() {
    let rx = Receiver::start().await;
    let app = TestApp::spawn(Options {
        max_attempts: 1,
        ..options(vec![standard(rx.url("std"), None), webflow(rx.url("wf"))], &[])
    })
    .await;
    let quoted = app.start(&person("ABC1D23")).await;
    let manual = app.start(&person("MAN1A23")).await;
    let failed = app.start(&person("CRA1C23")).await;
    let rejected = app.start(&person("REJ1B23")).await;
    for s in [&quoted, &manual, &failed, &rejected] {
        app.wait_terminal(s).await;
    }
    let outbox = events(&app);
    let kinds =
        |s: &str| -> Vec<&str> { outbox.iter().filter(|e| e.2.as_deref() == Some(s)).map(|e| e.1.as_str()).collect() };
    assert_eq!(kinds(&quoted), ["lead.recebido", "cotacao.estimativa", "cotacao.concluida"]);
    assert_eq!(kinds(&manual), ["lead.recebido", "cotacao.estimativa", "cotacao.manual"]);
    assert_eq!(kinds(&failed), ["lead.recebido", "cotacao.estimativa", "cotacao.falhou"]);
    assert_eq!(kinds(&rejected), ["lead.recebido", "cotacao.falhou"]);

    let got = rx.wait_for("every event at both endpoints", |r| r.len() >= outbox.len() + 4).await;
    assert_eq!(got.len(), outbox.len() + 4, "nothing is sent twice to a receiver that answers 200");
    assert!(got.iter().all(|r| r.signature_ok), "every signature checks out");
    let std_by_id: BTreeMap<String, Value> = rx.on("std").iter().map(|r| (r.id(), r.json())).collect();
    for (id, kind, session) in &outbox {
        let body = &std_by_id[id];
        assert_eq!(body["type"], kind.as_str());
        assert_eq!(body["data"]["session_id"].as_str(), session.as_deref());
        assert_eq!(body["data"]["lead_id"].as_str(), session.as_deref(), "a quote's lead is its session");
        assert_eq!(body["data"]["contato"]["nome"], "FULANO DE TAL", "{kind}: enough to call the visitor");
        assert_eq!(body["data"]["origem"]["gclid"], "teste-gclid");
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    let of = |s: &str, kind: &str| -> Value {
        let id = &outbox.iter().find(|e| e.2.as_deref() == Some(s) && e.1 == kind).unwrap().0;
        std_by_id[id]["data"].clone()
    };
    let lead = of(&quoted, "lead.recebido");
    assert_eq!(
        (lead["situacao"].as_str(), lead["contato"]["cpf"].as_str(), lead["contato"]["telefone"].as_str()),
        (Some("na_fila"), Some("52998224725"), Some("11987654321"))
    );
    assert_eq!((lead["veiculo"]["placa"].as_str(), lead["veiculo"]["ano"].as_i64()), (Some("ABC1D23"), Some(2017)));
    let done = of(&quoted, "cotacao.concluida");
    assert_eq!(done["plano_recomendado"]["valor"], "R$ 3.099,18");
    assert_eq!(done["plano_recomendado"]["valor_centavos"], 309_918);
    assert_eq!(done["plano_recomendado"]["valor_franquia_centavos"], 450_000);
    assert_eq!(done["plano_alternativo"]["valor_centavos"], 256_740);
    assert_eq!(done["plano_alternativo"]["danos_morais_centavos"], 2_000_000);
    assert_eq!(
        of(&quoted, "cotacao.estimativa")["estimativa"]["coberturas_detalhadas"][0]["nome_cobertura"],
        "Compreensiva"
    );
    let m = of(&manual, "cotacao.manual");
    assert_eq!(
        (m["tipo"].as_str(), m["estimativa"]["resumo"]["total_coberturas"].as_i64()),
        (Some("cotacao_manual"), Some(3))
    );
    let f = of(&failed, "cotacao.falhou");
    assert_eq!((f["tipo"].as_str(), f["tentativas"].as_i64()), (Some("robo_sem_status_final"), Some(1)));
    let r = of(&rejected, "cotacao.falhou");
    assert_eq!(
        (r["tipo"].as_str(), r["campo"].as_str(), r["etapa"].as_i64()),
        (Some("rejeitado_placa"), Some("placa"), Some(2))
    );

    let wf = rx.on("wf");
    assert_eq!(wf.len(), 4, "the Webflow-form endpoint takes lead.recebido only");
    let form =
        wf.iter().map(|r| r.json()).find(|b| b["data"]["PLACA"] == "ABC-1D23").expect("the first lead as a form");
    assert_eq!(form["name"], "Formulário de Cotação RPA");
    for (k, v) in [
        ("NOME", "FULANO DE TAL"),
        ("CPF", "529.982.247-25"),
        ("DDD-CELULAR", "11"),
        ("CELULAR", "98765-4321"),
        ("Email", "fulano@example.com"),
        ("CEP", "01310-100"),
        ("MARCA", "NISSAN"),
        ("ANO", "2017"),
        ("GCLID_FLD", "teste-gclid"),
        ("utm_source", "google"),
        ("DATA-DE-NASCIMENTO", "15/03/1985"),
        ("SEXO", "Masculino"),
        ("ESTADO-CIVIL", "Casado ou União Estável"),
        ("produto", "seguro-auto"),
    ] {
        assert_eq!(form["data"][k], v, "{k}");
    }

    let (s, w) = (&rx.on("std")[0], &wf[0]);
    assert!(standard_signature_ok(&s.headers, &s.body) && webflow_signature_ok(&w.headers, &w.body));
    assert!(!standard_signature_ok(&s.headers, &tampered(&s.body)), "a tampered standard body fails the check");
    assert!(!webflow_signature_ok(&w.headers, &tampered(&w.body)), "a tampered Webflow body fails the check");

    app.wait_all_delivered().await;
    let (status, h) = app.health().await;
    assert_eq!((status, h["status"].as_str()), (200, Some("healthy")), "{h}");
    assert_eq!(h["webhooks"], json!({"pendentes": 0, "mortos": 0, "mais_antigo_s": null, "endpoints_desativados": []}));
    assert_no_secrets("the service log while delivering", &app.service_log());
    assert!(app.service_log().contains("webhook entregue"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_or_hanging_receiver_gets_the_same_id_and_body_until_it_answers() {
    let rx = Receiver::start().await;
    rx.script("flaky", vec![Reply::Status(500), Reply::Status(500), Reply::Status(502)]);
    rx.script("slow", vec![Reply::Hang(Duration::from_secs(6))]);
    let lead_only: &[&str] = &["lead.recebido"];
    let app = TestApp::spawn(options(
        vec![standard(rx.url("flaky"), Some(lead_only)), standard(rx.url("slow"), Some(lead_only))],
        &[("RPA_WEBHOOK_RETRY_S", "0.05,0.05,0.05,0.05"), ("RPA_WEBHOOK_TIMEOUT_S", "1")],
    ))
    .await;
    let sid = app.start(&person("ABC1D23")).await;
    assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    rx.wait_for("four tries at flaky and two at slow", |r| {
        r.iter().filter(|x| x.path == "/flaky").count() >= 4 && r.iter().filter(|x| x.path == "/slow").count() >= 2
    })
    .await;
    for (path, tries) in [("flaky", 4), ("slow", 2)] {
        let got = rx.on(path);
        assert_eq!(got.len(), tries, "{path}");
        assert!(
            got.iter().all(|r| r.signature_ok && r.id() == got[0].id() && r.body == got[0].body),
            "{path}: one id, one body, each try signed"
        );
        app.wait_db(path, &format!("SELECT status = 'entregue' FROM deliveries WHERE endpoint = '{}'", rx.url(path)))
            .await;
        assert_eq!(delivery_states(&app, &rx.url(path)), [("entregue".to_string(), tries as u32)]);
    }
    let log = app.service_log();
    assert!(log.contains("HTTP 500") && log.contains("HTTP 502") && log.contains("tempo esgotado"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_on_429_and_503_is_honoured() {
    let rx = Receiver::start().await;
    rx.script("busy", vec![Reply::RetryAfter(429, 2)]);
    rx.script("unavailable", vec![Reply::RetryAfter(503, 1)]);
    let lead_only: &[&str] = &["lead.recebido"];
    let app = TestApp::spawn(options(
        vec![standard(rx.url("busy"), Some(lead_only)), standard(rx.url("unavailable"), Some(lead_only))],
        &[("RPA_WEBHOOK_RETRY_S", "0.05,0.05,0.05")],
    ))
    .await;
    app.start(&person("ABC1D23")).await;
    rx.wait_for("two tries at each", |r| r.len() >= 4).await;
    for (path, asked) in [("busy", 2), ("unavailable", 1)] {
        let got = rx.on(path);
        let gap = got[1].at - got[0].at;
        assert!(
            gap >= Duration::from_millis(asked * 1000 - 10),
            "{path}: retried after {gap:?}, Retry-After asked {asked} s"
        );
        app.wait_db(path, &format!("SELECT status = 'entregue' FROM deliveries WHERE endpoint = '{}'", rx.url(path)))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn gone_switches_the_endpoint_off_says_so_and_resending_switches_it_back_on() {
    let rx = Receiver::start().await;
    rx.script("gone", vec![Reply::Status(410)]);
    let app = TestApp::spawn(options(vec![standard(rx.url("gone"), None), standard(rx.url("ok"), None)], &[])).await;
    let sid = app.start(&person("ABC1D23")).await;
    app.wait_terminal(&sid).await;
    rx.wait_for("the quote's three events at the good endpoint", |r| r.iter().filter(|x| x.path == "/ok").count() >= 3)
        .await;
    app.wait_db("every delivery settled", "SELECT count(*) = 0 FROM deliveries WHERE status = 'pendente'").await;
    assert_eq!(rx.on("gone").len(), 1, "after the 410 nothing more is sent there");
    assert_eq!(delivery_states(&app, &rx.url("gone")).iter().filter(|(s, _)| s == "morto").count(), 3);
    let label = format!("127.0.0.1:{}/gone", rx.port);
    let (status, h) = app.health().await;
    assert_eq!((status, h["status"].as_str()), (200, Some("degraded")), "{h}");
    assert_eq!((h["webhooks"]["mortos"].as_i64(), &h["webhooks"]["endpoints_desativados"]), (Some(3), &json!([label])));
    assert!(app.service_log().contains("endpoint de webhook desativado pelo receptor"));
    let (ok, listed) = app.cli(&["webhooks", "listar"]);
    assert!(
        ok && listed.contains("morto")
            && listed.contains(&label)
            && listed.contains("HTTP 410")
            && listed.contains("0 pendente(s), 3 morto(s)"),
        "{listed}"
    );
    assert_no_secrets("webhooks listar", &listed);

    let (ok, out) = app.cli(&["webhooks", "reenviar", "--endpoint", &rx.url("gone")]);
    assert!(ok && out.contains("3 entrega(s)"), "{out}");
    rx.wait_for("the three events resent", |r| r.iter().filter(|x| x.path == "/gone").count() >= 4).await;
    app.wait_all_delivered().await;
    let (_, h) = app.health().await;
    assert_eq!(h["status"], "healthy", "{h}");
    assert_eq!(h["webhooks"]["endpoints_desativados"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delivery_dies_after_its_last_attempt_stays_visible_and_can_be_resent_by_session() {
    let rx = Receiver::start().await;
    rx.script("down", vec![Reply::Status(500); 3]);
    let app = TestApp::spawn(options(
        vec![standard(rx.url("down"), Some(&["lead.recebido"]))],
        &[("RPA_WEBHOOK_RETRY_S", "0.05,0.05")],
    ))
    .await;
    let dead_session = app.start(&person("ABC1D23")).await;
    app.wait_db(
        "dead after three attempts",
        "SELECT count(*) = 1 FROM deliveries WHERE status = 'morto' AND attempts = 3",
    )
    .await;
    let other = app.start(&person("XYZ9876")).await;
    app.wait_db("the other delivered", "SELECT count(*) = 1 FROM deliveries WHERE status = 'entregue'").await;
    let (_, h) = app.health().await;
    assert_eq!((h["status"].as_str(), h["webhooks"]["mortos"].as_i64()), (Some("degraded"), Some(1)), "{h}");
    let (_, listed) = app.cli(&["webhooks", "listar"]);
    assert!(listed.contains("HTTP 500; tentativas esgotadas (3)") && listed.contains(&dead_session), "{listed}");
    assert!(app.service_log().contains("webhook não entregue (morto)"));

    let (ok, out) = app.cli(&["webhooks", "reenviar", "--sessao", &other]);
    assert!(ok && out.contains("0 entrega(s)"), "another session's filter resends nothing: {out}");
    let (ok, out) = app.cli(&["webhooks", "reenviar", "--sessao", &dead_session]);
    assert!(ok && out.contains("1 entrega(s)"), "{out}");
    app.wait_db("resent", "SELECT count(*) = 2 FROM deliveries WHERE status = 'entregue'").await;
    assert_eq!(rx.on("down").iter().map(|r| r.id()).collect::<BTreeSet<_>>().len(), 2);
    assert_eq!(app.health().await.1["status"], "healthy");
    let (_, listed) = app.cli(&["webhooks", "listar"]);
    assert!(listed.contains("Nenhum webhook pendente ou morto"), "{listed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_is_degraded_while_the_oldest_pending_event_waits_over_ten_minutes() {
    let closed = free_port();
    let app = TestApp::spawn(options(
        vec![standard(format!("http://127.0.0.1:{closed}/lead"), Some(&["lead.recebido"]))],
        &[("RPA_WEBHOOK_RETRY_S", "3600")],
    ))
    .await;
    app.start(&person("ABC1D23")).await;
    app.wait_db("a failed first attempt", "SELECT attempts = 1 FROM deliveries").await;
    let (_, h) = app.health().await;
    assert_eq!((h["status"].as_str(), h["webhooks"]["pendentes"].as_i64()), (Some("healthy"), Some(1)), "{h}");
    app.db()
        .execute("UPDATE events SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-11 minutes')", [])
        .unwrap();
    let (_, h) = app.health().await;
    assert_eq!(h["status"], "degraded", "{h}");
    assert!(h["webhooks"]["mais_antigo_s"].as_i64().unwrap() >= 660, "{h}");
    let (_, listed) = app.cli(&["webhooks", "listar"]);
    assert!(listed.contains("pendente") && listed.contains("sem conexão com o receptor"), "{listed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_with_events_pending_and_the_receiver_down_loses_nothing() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/crm");
    let mut app = TestApp::spawn(Options {
        slots: 4,
        ..options(vec![standard(url.clone(), None)], &[("RPA_WEBHOOK_RETRY_S", &["0.3"; 40].join(","))])
    })
    .await;
    for i in 0..50 {
        app.start(&person(&format!("KIL{i:04}"))).await;
    }
    app.wait_db(
        "50 events tried and pending",
        "SELECT count(*) >= 50 FROM deliveries WHERE status = 'pendente' AND attempts >= 1",
    )
    .await;
    app.kill9();

    let rx = Receiver::start_on(port).await;
    app.launch();
    app.wait_db("every quote ended", "SELECT count(*) = 0 FROM jobs WHERE status IN ('queued', 'running')").await;
    app.wait_all_delivered().await;
    let outbox: BTreeSet<String> = events(&app).into_iter().map(|e| e.0).collect();
    assert!(outbox.len() >= 150, "50 leads, estimates and quotes: {}", outbox.len());
    let got =
        rx.wait_for("every event", |r| r.iter().map(|x| x.id()).collect::<BTreeSet<_>>().len() >= outbox.len()).await;
    let mut bodies: BTreeMap<String, BTreeSet<Vec<u8>>> = BTreeMap::new();
    for r in &got {
        assert!(r.signature_ok);
        bodies.entry(r.id()).or_default().insert(r.body.clone());
    }
    assert_eq!(bodies.keys().cloned().collect::<BTreeSet<_>>(), outbox, "no event id missing, none unknown");
    assert!(bodies.values().all(|b| b.len() == 1), "no id was sent under two different bodies");
    assert_no_secrets("the service log", &app.service_log());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receiver_that_hangs_holds_up_only_its_own_deliveries() {
    let rx = Receiver::start().await;
    rx.script("hangs", vec![Reply::Hang(Duration::from_secs(20))]);
    let app = TestApp::spawn(options(
        vec![standard(rx.url("hangs"), None), standard(rx.url("ok"), None)],
        &[("RPA_WEBHOOK_CONCURRENCY", "1"), ("RPA_WEBHOOK_TIMEOUT_S", "10")],
    ))
    .await;
    let sid = app.start(&person("ABC1D23")).await;
    app.wait_terminal(&sid).await;
    rx.wait_for("the quote's three events at the healthy endpoint", |r| {
        r.iter().filter(|x| x.path == "/ok").count() >= 3
    })
    .await;
    // The healthy endpoint got everything while the other's first attempt was still hanging.
    let hanging: Vec<(String, u32)> = delivery_states(&app, &rx.url("hangs"));
    assert_eq!(hanging.len(), 3);
    assert!(hanging.iter().all(|(s, attempts)| s == "pendente" && *attempts == 0), "{hanging:?}");
    assert_eq!(rx.on("hangs").len(), 1, "one attempt at a time to the hanging endpoint");
}

#[tokio::test(flavor = "multi_thread")]
async fn deliveries_to_an_endpoint_removed_from_the_file_are_marked_dead_with_the_reason() {
    let closed = free_port();
    let removed = format!("http://127.0.0.1:{closed}/old");
    let mut app = TestApp::spawn(options(
        vec![standard(removed.clone(), Some(&["lead.recebido"]))],
        &[("RPA_WEBHOOK_RETRY_S", "3600")],
    ))
    .await;
    app.start(&person("ABC1D23")).await;
    app.wait_db("a pending delivery", "SELECT attempts = 1 AND status = 'pendente' FROM deliveries").await;
    assert!(app.terminate(Duration::from_secs(30)));
    std::fs::write(app.root.path().join("webhooks.json"), "[]").unwrap();
    app.launch();
    app.wait_db("marked dead", "SELECT status = 'morto' FROM deliveries").await;
    let (_, listed) = app.cli(&["webhooks", "listar"]);
    assert!(listed.contains("o endpoint não está mais em RPA_WEBHOOKS_FILE"), "{listed}");
    assert_eq!(app.health().await.1["webhooks"]["mortos"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_estimate_and_plans_go_out_in_the_contracts_shape_only() {
    let rx = Receiver::start().await;
    let app = TestApp::spawn(Options {
        command: Some(format!("python3 {}/tests/leaky_robot.py", env!("CARGO_MANIFEST_DIR"))),
        ..options(vec![standard(rx.url("crm"), Some(&["cotacao.estimativa", "cotacao.concluida"]))], &[])
    })
    .await;
    let sid = app.start(&person("VAZ1D23")).await;
    // The leaky robot holds at screen 4 until told to go on.
    app.wait_until(&sid, "the robot holding at screen 4", |p| p["etapa_atual"] == 4).await;
    std::fs::write(app.state_dir().join(format!("go_{sid}")), "").unwrap();
    assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    let got = rx.wait_for("the estimate and the quote", |r| r.len() >= 2).await;
    let data = |kind: &str| got.iter().map(|r| r.json()).find(|b| b["type"] == kind).unwrap()["data"].clone();
    let estimate = data("cotacao.estimativa")["estimativa"].clone();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<BTreeSet<_>>();
    assert!(
        keys(&estimate).is_subset(&["timestamp", "coberturas_detalhadas", "resumo"].map(String::from).into()),
        "{estimate}"
    );
    for c in estimate["coberturas_detalhadas"].as_array().unwrap() {
        assert!(keys(c).is_subset(&["nome_cobertura", "valores", "beneficios"].map(String::from).into()), "{c}");
    }
    let done = data("cotacao.concluida");
    for plan in [&done["plano_recomendado"], &done["plano_alternativo"]] {
        assert!(plan["valor_centavos"].is_number(), "{plan}");
        assert!(
            plan.get("segurado").is_none() && plan.get("cpf_segurado").is_none(),
            "the robot's extra keys stay home: {plan}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lead_the_full_queue_turned_away_is_resent_by_its_id_and_an_unknown_id_is_an_error() {
    let rx = Receiver::start().await;
    // Both leads' deliveries die after three attempts each; then the receiver takes them.
    rx.script("down", vec![Reply::Status(500); 6]);
    let app = TestApp::spawn(Options {
        queue_limit: 1,
        ..options(
            vec![standard(rx.url("down"), Some(&["lead.recebido"]))],
            // The preflight fails: nothing leaves the queue, so the second visitor finds it full.
            &[("RPA_WEBHOOK_RETRY_S", "0.05,0.05"), ("FAKE_ROBOT_CHECK_FAILS", "credenciais")],
        )
    })
    .await;
    let queued = app.start(&person("ABC1D23")).await;
    let turned_away = app.post_start(&person("XYZ9876")).await;
    assert_eq!(turned_away.status(), 503, "the queue is full");
    let lead: String = app.scalar("SELECT lead_id FROM events WHERE session_id IS NULL AND type = 'lead.recebido'");
    assert!(lead.starts_with("lead_"), "{lead}");
    app.wait_db("both deliveries dead", "SELECT count(*) = 2 FROM deliveries WHERE status = 'morto'").await;
    let (_, listed) = app.cli(&["webhooks", "listar"]);
    assert!(listed.contains(&lead) && listed.contains(&queued), "{listed}");

    for unknown in ["lead_00000000000000000000000000000000", "rpa_v4_20260101_000000_00000000000000000000000000000000"]
    {
        let (ok, out) = app.cli(&["webhooks", "reenviar", "--sessao", unknown]);
        assert!(!ok, "an unknown id exits non-zero: {out}");
        assert!(out.contains("nenhum evento") && out.contains(unknown), "{out}");
    }
    let (ok, out) = app.cli(&["webhooks", "reenviar", "--endpoint", "crm.invalido.example"]);
    assert!(!ok && out.contains("nenhuma entrega para o endpoint"), "{out}");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM deliveries WHERE status = 'morto'"), 2, "nothing was touched");

    let (ok, out) = app.cli(&["webhooks", "reenviar", "--sessao", &lead]);
    assert!(ok && out.contains("1 entrega(s)"), "{out}");
    app.wait_db("the lead's event delivered", "SELECT count(*) = 1 FROM deliveries WHERE status = 'entregue'").await;
    let delivered: String =
        app.scalar("SELECT e.lead_id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'entregue'");
    assert_eq!(delivered, lead);
    let still_dead: String =
        app.scalar("SELECT e.session_id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'morto'");
    assert_eq!(still_dead, queued, "the other lead's delivery stays dead");
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoints_on_one_host_go_by_their_names_in_the_log_listar_health_and_reenviar() {
    let rx = Receiver::start().await;
    rx.script("crm", vec![Reply::Status(410)]);
    rx.script("planilha", vec![Reply::Status(500); 3]);
    let mut named = standard(rx.url("crm"), Some(&["lead.recebido"]));
    named["nome"] = json!("CRM da corretora");
    let app = TestApp::spawn(options(
        vec![named, standard(rx.url("planilha"), Some(&["lead.recebido"]))],
        &[("RPA_WEBHOOK_RETRY_S", "0.05,0.05")],
    ))
    .await;
    let unnamed = format!("127.0.0.1:{}/planilha", rx.port);
    app.start(&person("ABC1D23")).await;
    app.wait_db("both deliveries dead", "SELECT count(*) = 2 FROM deliveries WHERE status = 'morto'").await;

    let log = app.service_log();
    assert!(log.contains("CRM da corretora") && log.contains("endpoint de webhook desativado pelo receptor"), "{log}");
    assert!(log.contains(&format!("endpoint={unnamed}")), "the unnamed one goes by its host and path:\n{log}");
    let (_, h) = app.health().await;
    assert_eq!(h["webhooks"]["endpoints_desativados"], json!(["CRM da corretora"]), "{h}");
    let (ok, listed) = app.cli(&["webhooks", "listar"]);
    assert!(ok && listed.contains("CRM da corretora") && listed.contains(&unnamed), "{listed}");
    let (ok, checked) = app.cli(&["check"]);
    assert!(ok && checked.contains("«CRM da corretora»") && checked.contains(&format!("«{unnamed}»")), "{checked}");

    let (ok, out) = app.cli(&["webhooks", "reenviar", "--endpoint", "CRM da corretora"]);
    assert!(ok && out.contains("1 entrega(s)"), "{out}");
    app.wait_db(
        "the named endpoint's delivery resent",
        "SELECT count(*) = 1 FROM deliveries WHERE status = 'entregue'",
    )
    .await;
    let delivered: String = app.scalar("SELECT endpoint FROM deliveries WHERE status = 'entregue'");
    assert_eq!(delivered, rx.url("crm"));
}
