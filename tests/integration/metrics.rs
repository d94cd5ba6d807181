//! `GET /metrics` against the real service: after a mixed run of the fake robot (quotes obtained,
//! manual, rejected, one retried) and webhook deliveries that fail before they get through, the
//! exposition, read with a Prometheus text parser, agrees with what SQLite recorded; and the route
//! answers only the machine itself or the holder of `RPA_METRICS_TOKEN`.

use crate::support::receiver::{Receiver, Reply, STANDARD_SECRET};
use crate::support::{assert_no_secrets, person, Options, TestApp, WAIT};
use prometheus_parse::{Sample, Scrape, Value};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const TOKEN: &str = "token-de-teste-para-metricas-0123456789";
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// GET /metrics with these headers: (status, content type, body).
async fn get_metrics(app: &TestApp, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut req = app.client.get(format!("{}/metrics", app.metrics_base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.expect("GET /metrics");
    let status = r.status().as_u16();
    let ct = r.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

fn parse(body: &str) -> Scrape {
    Scrape::parse(body.lines().map(|l| Ok(l.to_string()))).expect("a Prometheus text exposition")
}

fn labels_are(s: &Sample, labels: &[(&str, &str)]) -> bool {
    s.labels.len() == labels.len() && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v))
}

fn scalar(v: &Value) -> f64 {
    match v {
        Value::Counter(x) | Value::Gauge(x) | Value::Untyped(x) => *x,
        other => panic!("not a single number: {other:?}"),
    }
}

/// The value of the sample `name{labels}` (exactly these labels); 0 when the series is absent.
fn value(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = scrape.samples.iter().filter(|s| s.metric == name && labels_are(s, labels)).collect();
    assert!(found.len() <= 1, "{name}{labels:?} appears {} times", found.len());
    found.first().map_or(0.0, |s| scalar(&s.value))
}

/// The sum of every series of `name`.
fn total(scrape: &Scrape, name: &str) -> f64 {
    scrape.samples.iter().filter(|s| s.metric == name).map(|s| scalar(&s.value)).sum()
}

/// Every series of `name`, by the value of its label `label`.
fn by_label(scrape: &Scrape, name: &str, label: &str) -> BTreeMap<String, f64> {
    scrape.samples.iter().filter(|s| s.metric == name).fold(BTreeMap::new(), |mut m, s| {
        let key = s.labels.get(label).unwrap_or_else(|| panic!("{name} without {label}")).to_string();
        assert!(m.insert(key, scalar(&s.value)).is_none(), "{name} has more than one series per {label}");
        m
    })
}

/// Every series of `name`, by the values of two labels, leaving out zeros.
fn by_labels(scrape: &Scrape, name: &str, a: &str, b: &str) -> BTreeMap<(String, String), f64> {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name && scalar(&s.value) != 0.0)
        .map(|s| ((s.labels.get(a).unwrap().to_string(), s.labels.get(b).unwrap().to_string()), scalar(&s.value)))
        .collect()
}

/// Rows of `(text, text, count)` from SQLite, as a map; `sql` must return exactly those columns.
fn db_pairs(app: &TestApp, sql: &str) -> BTreeMap<(String, String), f64> {
    let db = app.db();
    let mut stmt = db.prepare(sql).unwrap();
    let rows = stmt
        .query_map([], |r| Ok(((r.get::<_, String>(0)?, r.get::<_, String>(1)?), r.get::<_, i64>(2)? as f64)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn db_counts(app: &TestApp, sql: &str) -> BTreeMap<String, f64> {
    let db = app.db();
    let mut stmt = db.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as f64))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// Scrapes (bounded) until `pred` holds: recording happens just after SQLite is written.
async fn scrape_until(app: &TestApp, what: &str, pred: impl Fn(&Scrape) -> bool) -> (String, Scrape) {
    let deadline = Instant::now() + WAIT;
    loop {
        let (status, _, body) = get_metrics(app, &[]).await;
        assert_eq!(status, 200, "{body}");
        let scrape = parse(&body);
        if pred(&scrape) {
            return (body, scrape);
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}:\n{body}\n{}", deliveries_report(app));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every webhook delivery, for a failure message.
fn deliveries_report(app: &TestApp) -> String {
    let db = app.db();
    let mut stmt = db
        .prepare("SELECT e.type, d.endpoint, d.status, d.attempts FROM deliveries d JOIN events e ON e.id = d.event_id")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} {} {} {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?
            ))
        })
        .unwrap();
    rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("\n")
}

/// The family a sample belongs to: its name less the suffix its type adds.
fn family(sample: &str) -> &str {
    ["_total", "_bucket", "_count", "_sum"].iter().find_map(|s| sample.strip_suffix(s)).unwrap_or(sample)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exposition_agrees_with_the_database_after_a_mixed_run() {
    let rx = Receiver::start().await;
    // The broker's endpoint fails twice before it takes anything; a second one never answers well.
    rx.script("ok", vec![Reply::Status(500), Reply::Status(503)]);
    rx.script("ruim", vec![Reply::Status(500); 50]);
    let endpoints = json!([
        {"url": rx.url("ok"), "segredo": STANDARD_SECRET, "formato": "standard"},
        {"url": rx.url("ruim"), "segredo": STANDARD_SECRET, "formato": "standard", "eventos": ["lead.recebido"]},
    ]);
    let slots = 2;
    let app = TestApp::spawn(Options {
        slots,
        max_attempts: 2,
        webhooks: Some(endpoints),
        extra_env: vec![("RPA_WEBHOOK_RETRY_S".into(), "0.05,0.05".into())],
        ..Default::default()
    })
    .await;

    let plates = ["ABC1D23", "XYZ9K87", "MAN1A23", "REJ1A23", "FLK1A23"];
    let mut sessions = Vec::new();
    for p in plates {
        sessions.push(app.start(&person(p)).await);
    }
    for s in &sessions {
        app.wait_terminal(s).await;
    }
    app.wait_db(
        "every webhook delivered or dead",
        "(SELECT count(*) FROM events WHERE fanned_out = 0) + (SELECT count(*) FROM deliveries WHERE status = 'pendente') = 0",
    )
    .await;
    let jobs = plates.len() as f64;
    let webhook_attempts = || app.scalar::<i64>("SELECT coalesce(sum(attempts), 0) FROM deliveries");
    let (body, m) = scrape_until(&app, "every quote and webhook attempt recorded", |m| {
        total(m, "rpa_quotes_total") == jobs && total(m, "rpa_webhook_attempts_total") == webhook_attempts() as f64
    })
    .await;
    let webhook_attempts = webhook_attempts();

    // Well formed: every sample belongs to a family with HELP, the text ends in `# EOF`.
    assert_eq!(body.lines().last(), Some("# EOF"), "OpenMetrics ends in # EOF");
    for s in &m.samples {
        let fam = family(&s.metric);
        assert!(fam.starts_with("rpa_"), "{}", s.metric);
        assert!(m.docs.get(fam).is_some_and(|h| h.len() > 10), "{} has no HELP", s.metric);
    }
    assert_no_secrets("/metrics", &body);
    for p in plates {
        assert!(!body.contains(p) && !body.contains(&sessions[0]), "{p} or a session id in /metrics");
    }

    // Quotes by result and tipo, as the jobs table has them.
    let quotes = by_labels(&m, "rpa_quotes_total", "resultado", "tipo");
    let from_db = db_pairs(
        &app,
        "SELECT CASE status WHEN 'success' THEN 'sucesso' ELSE 'erro' END,
                CASE status WHEN 'success' THEN 'cotacao_obtida' ELSE error_tipo END, count(*)
         FROM jobs WHERE status IN ('success', 'error') GROUP BY 1, 2",
    );
    assert_eq!(quotes, from_db);
    let expected: BTreeMap<(String, String), f64> =
        [(("sucesso", "cotacao_obtida"), 3.0), (("erro", "cotacao_manual"), 1.0), (("erro", "rejeitado_placa"), 1.0)]
            .into_iter()
            .map(|((a, b), n)| ((a.to_string(), b.to_string()), n))
            .collect();
    assert_eq!(quotes, expected);

    // Attempts by how they ended, as the attempts table has them; retries are the `repetir` ones.
    let attempts = by_label(&m, "rpa_attempts_total", "resultado");
    let mut from_db = db_counts(
        &app,
        "SELECT CASE outcome WHEN 'success' THEN 'sucesso' WHEN 'retry' THEN 'repetir' WHEN 'error' THEN 'erro'
                ELSE 'interrompido' END, count(*)
         FROM attempts WHERE outcome IS NOT NULL GROUP BY 1",
    );
    for r in ["sucesso", "repetir", "erro", "interrompido"] {
        from_db.entry(r.to_string()).or_insert(0.0);
    }
    assert_eq!(attempts, from_db);
    assert_eq!(
        (attempts["sucesso"], attempts["repetir"], attempts["erro"], attempts["interrompido"]),
        (3.0, 1.0, 2.0, 0.0)
    );

    // Failures by the last screen reached (the highest numbered step of the attempt's history).
    let failures = by_labels(&m, "rpa_failures_total", "tela", "tipo");
    let from_db = db_pairs(
        &app,
        "SELECT CAST(coalesce((SELECT max(CAST(h.etapa AS INTEGER)) FROM history h
                               WHERE h.job_id = a.job_id AND h.attempt = a.attempt AND h.etapa GLOB '[0-9]*'), 0) AS TEXT),
                a.error_tipo, count(*)
         FROM attempts a WHERE a.outcome IN ('retry', 'error') GROUP BY 1, 2",
    );
    assert_eq!(failures, from_db);
    let expected: BTreeMap<(String, String), f64> =
        [(("0", "erro_inesperado"), 1.0), (("2", "rejeitado_placa"), 1.0), (("15", "cotacao_manual"), 1.0)]
            .into_iter()
            .map(|((a, b), n)| ((a.to_string(), b.to_string()), n))
            .collect();
    assert_eq!(failures, expected);

    // Histograms: one queue wait per robot started, one run time per attempt ended.
    let started: i64 = app.scalar("SELECT count(*) FROM attempts");
    assert_eq!(value(&m, "rpa_queue_wait_seconds_count", &[]), started as f64);
    let hist = m.samples.iter().find(|s| s.metric == "rpa_queue_wait_seconds").expect("queue wait buckets");
    let Value::Histogram(buckets) = &hist.value else { panic!("{:?}", hist.value) };
    assert!(
        buckets.len() >= 10
            && buckets.iter().any(|b| b.less_than == 0.1)
            && buckets.iter().any(|b| b.less_than == 600.0)
    );
    let inf = buckets.iter().find(|b| b.less_than.is_infinite()).expect("+Inf bucket");
    assert_eq!(inf.count, started as f64);
    for (r, n) in &attempts {
        assert_eq!(value(&m, "rpa_robot_run_seconds_count", &[("resultado", r)]), *n, "run time count of {r}");
    }
    assert!(value(&m, "rpa_robot_run_seconds_sum", &[("resultado", "sucesso")]) > 0.0);

    // Webhook attempts by result, as the deliveries table has them.
    let delivered: i64 = app.scalar("SELECT count(*) FROM deliveries WHERE status = 'entregue'");
    let dead: i64 = app.scalar("SELECT count(*) FROM deliveries WHERE status = 'morto'");
    let hooks = by_label(&m, "rpa_webhook_attempts_total", "resultado");
    assert_eq!(hooks["entregue"], delivered as f64);
    assert_eq!(hooks["morto"], dead as f64);
    assert_eq!(hooks["repetir"], (webhook_attempts - delivered - dead) as f64);
    assert!(delivered > 0 && dead == plates.len() as i64 && hooks["repetir"] == 2.0 + 2.0 * dead as f64, "{hooks:?}");

    // Gauges at rest.
    assert_eq!(value(&m, "rpa_jobs_running", &[]), 0.0);
    assert_eq!(value(&m, "rpa_jobs_queued", &[]), 0.0);
    assert_eq!(value(&m, "rpa_runner_slots", &[]), f64::from(slots));
    assert_eq!(value(&m, "rpa_runner_slots_free", &[]), f64::from(slots));
    assert_eq!(value(&m, "rpa_webhook_deliveries_pending", &[]), 0.0);
    assert_eq!(value(&m, "rpa_webhook_deliveries_dead", &[]), dead as f64);
    assert_eq!(value(&m, "rpa_webhook_oldest_pending_seconds", &[]), 0.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_machine_itself_or_the_token_holder_reads_the_metrics() {
    let app =
        TestApp::spawn(Options { extra_env: vec![("RPA_METRICS_TOKEN".into(), TOKEN.into())], ..Default::default() })
            .await;
    let unknown = app.client.get(format!("{}/nao-existe", app.base)).send().await.unwrap();
    let (unknown_status, unknown_body): (u16, Json) = (unknown.status().as_u16(), unknown.json().await.unwrap());
    assert_eq!(unknown_status, 404);

    // Straight from this machine: no token needed.
    let (status, ct, body) = get_metrics(&app, &[]).await;
    assert_eq!((status, ct.as_str()), (200, OPENMETRICS), "{body}");
    assert!(parse(&body).samples.iter().any(|s| s.metric == "rpa_runner_slots"));

    let bearer = format!("Bearer {TOKEN}");
    let forwarded: [(&str, &str); 4] = [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9"),
        ("x-real-ip", "203.0.113.9"),
        ("cf-connecting-ip", "203.0.113.9"),
    ];
    for (h, v) in forwarded {
        // Through a proxy on this machine, without the token: as if the route did not exist.
        let (status, _, body) = get_metrics(&app, &[(h, v)]).await;
        assert_eq!(status, 404, "{h}: {body}");
        assert_eq!(
            serde_json::from_str::<Json>(&body).unwrap(),
            unknown_body,
            "{h}: the same answer as an unknown route"
        );
        // With the token: served.
        let (status, ct, body) = get_metrics(&app, &[(h, v), (AUTHORIZATION.as_str(), &bearer)]).await;
        assert_eq!((status, ct.as_str()), (200, OPENMETRICS), "{h}: {body}");
        assert!(body.ends_with("# EOF\n"));
    }
    for wrong in [
        format!("Bearer {TOKEN}x"),
        "Bearer token-de-teste".to_string(),
        format!("Basic {TOKEN}"),
        TOKEN.to_string(),
        "Bearer ".into(),
    ] {
        let (status, _, body) =
            get_metrics(&app, &[("x-forwarded-for", "203.0.113.9"), (AUTHORIZATION.as_str(), &wrong)]).await;
        assert_eq!(status, 404, "{wrong}: {body}");
        assert_eq!(serde_json::from_str::<Json>(&body).unwrap(), unknown_body);
    }
    assert!(!app.service_log().contains(TOKEN), "the token is never logged");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_live_on_their_own_address_and_never_on_the_apis_port() {
    let app =
        TestApp::spawn(Options { extra_env: vec![("RPA_METRICS_TOKEN".into(), TOKEN.into())], ..Default::default() })
            .await;
    assert_ne!(app.metrics_base, app.base);
    let unknown: Json = app.client.get(format!("{}/nao-existe", app.base)).send().await.unwrap().json().await.unwrap();
    let bearer = format!("Bearer {TOKEN}");
    for headers in [vec![], vec![(AUTHORIZATION, bearer.as_str())]] {
        let mut req = app.client.get(format!("{}/metrics", app.base));
        for (k, v) in &headers {
            req = req.header(k, *v);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 404, "the API's port serves no metrics, local or with the token");
        assert_eq!(r.json::<Json>().await.unwrap(), unknown, "the same answer as an unknown route");
    }
    // The metrics' address serves the metrics and nothing of the API.
    let (status, ct, _) = get_metrics(&app, &[]).await;
    assert_eq!((status, ct.as_str()), (200, OPENMETRICS));
    let health = app.client.get(format!("{}/api/rpa/health", app.metrics_base)).send().await.unwrap();
    assert_eq!(health.status(), 404);
    // The operator is told at start where the metrics went.
    let log = app.service_log();
    assert!(log.contains("GET /metrics não existe mais na porta da API") && log.contains(&app.metrics_base), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_can_be_turned_off_and_a_busy_metrics_address_does_not_stop_the_service() {
    let off = TestApp::spawn(Options {
        extra_env: vec![("RPA_METRICS_LISTEN".into(), "desligado".into())],
        ..Default::default()
    })
    .await;
    assert!(off.service_log().contains("métricas desligadas"), "{}", off.service_log());
    assert_eq!(off.client.get(format!("{}/metrics", off.base)).send().await.unwrap().status(), 404);

    // A second service with the metrics on an address already in use: it runs, and says why
    // there are no metrics.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
        cmd.env_remove(k);
    }
    let log = root.path().join("service.log");
    cmd.arg("serve")
        .envs(off.env())
        .env("RPA_DB", root.path().join("rpa.db"))
        .env("RPA_DATA_DIR", root.path().join("jobs"))
        .env("RPA_METRICS_LISTEN", taken.local_addr().unwrap().to_string())
        .current_dir(root.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap());
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let base = line.trim().strip_prefix("RPA V4 ouvindo em ").map(str::to_string);
    let health = match &base {
        Some(b) => app_get(&off.client, &format!("{b}/api/rpa/health")).await,
        None => 0,
    };
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(base.is_some(), "the service did not start: {line}\n{text}");
    assert!(health == 200 || health == 503, "the service answers: {health}");
    assert!(text.contains("não foi possível escutar no endereço das métricas"), "{text}");
    drop(taken);
}

async fn app_get(client: &reqwest::Client, url: &str) -> u16 {
    client.get(url).send().await.map(|r| r.status().as_u16()).unwrap_or(0)
}
