//! Webhook delivery benchmark: starts the release `rpa-v4` on 127.0.0.1 with the fake robot and a
//! webhook receiver in this process, and measures:
//!
//! 1. the time from a job's end (`jobs.finished_at`) to its `cotacao.concluida` arriving at a
//!    receiver that answers 200 at once (and, for every event, from `events.created_at`);
//! 2. deliveries per second of 5,000 events already in the outbox to such a receiver, with the
//!    default concurrency (4) and with 16;
//! 3. `POST /api/rpa/start` latency under 50 concurrent clients without webhooks, with the
//!    receiver down (closed port, retries every 0.5 s) and with a receiver that never answers,
//!    in alternating rounds (one run's p99 moves by tens of ms on a 2-core machine).
//!
//! Phase 1 also runs beside a second endpoint that never answers: each endpoint has its own
//! delivery lane, so the healthy one should not notice.
//!
//! Figures only, no assertions of speed. Bounded in requests and time: every wait has a deadline
//! and prints TIMEOUT instead of hanging. Run with `bench/webhook_delivery.sh`.

#[path = "service.rs"]
mod service;
#[path = "stats.rs"]
mod stats;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use stats::{percentile, report};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SLOTS: &str = "4";
const ROBOT_PAUSE_MS: &str = "20";
/// Every phase's waits end within this.
const PHASE_DEADLINE: Duration = Duration::from_secs(120);
const START_DEADLINE: Duration = Duration::from_secs(60);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const QUOTES: usize = 60;
const OUTBOX_EVENTS: usize = 5_000;
const CLIENTS: usize = 50;
const STARTS_PER_CLIENT: usize = 40;
/// Phase 3 runs A, B and C this many times, alternating, and reports the median.
const ROUNDS: usize = 3;

fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// A valid synthetic request; `prefix` + a 4-digit number makes each plate distinct. The prefix
/// is none of the fake robot's special modes, so every quote succeeds.
fn body(prefix: &str, n: usize) -> Value {
    service::visitor(if n % 2 == 0 { "52998224725" } else { "11144477735" }, format!("{prefix}{:04}", n % 10_000))
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).timeout(REQUEST_TIMEOUT).build().unwrap()
}

// ---------------------------------------------------------------------------------------------
// The webhook receiver.

/// One request as it arrived.
struct Arrival {
    at: SystemTime,
    id: String,
    body: Bytes,
}

#[derive(Default)]
struct Inbox {
    arrivals: Mutex<Vec<Arrival>>,
    ids: Mutex<HashSet<String>>,
}

impl Inbox {
    fn distinct(&self) -> usize {
        self.ids.lock().unwrap().len()
    }
    fn requests(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }
}

/// A receiver on 127.0.0.1 that records every request and answers 200, at once or after `hang`.
struct Receiver {
    url: String,
    inbox: Arc<Inbox>,
    server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start(hang: Option<Duration>) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("receiver port");
        let url = format!("http://{}/hooks/bench", listener.local_addr().unwrap());
        let inbox = Arc::new(Inbox::default());
        let app =
            axum::Router::new().route("/hooks/bench", axum::routing::post(receive)).with_state((inbox.clone(), hang));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, inbox, server }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(
    State((inbox, hang)): State<(Arc<Inbox>, Option<Duration>)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let at = SystemTime::now();
    let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    inbox.ids.lock().unwrap().insert(id.clone());
    inbox.arrivals.lock().unwrap().push(Arrival { at, id, body });
    if let Some(d) = hang {
        tokio::time::sleep(d).await;
    }
    StatusCode::OK
}

/// Writes `RPA_WEBHOOKS_FILE` (mode 0600) with one standard endpoint per URL; returns its path.
fn webhooks_file(dir: &Path, urls: &[&str]) -> PathBuf {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join("webhooks.json");
    let endpoints: Vec<Value> =
        urls.iter().map(|u| json!({"url": u, "segredo": SECRET, "formato": "standard"})).collect();
    let text = Value::Array(endpoints).to_string();
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path).unwrap();
    std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
    path
}

// ---------------------------------------------------------------------------------------------
// The service.

/// A running `rpa-v4 serve`; dropping it kills the service and every robot it started.
struct Service {
    child: Option<Child>,
    base: String,
    /// When the "ouvindo" line was read.
    listening_at: Instant,
    db: PathBuf,
    state: PathBuf,
}

impl Service {
    /// Starts the service on `dir` (database `dir/bench.db`) and waits (bounded) for its address.
    async fn start(dir: &Path, log_name: &str, extra: &[(&str, String)]) -> Service {
        let state = dir.join("robot-state");
        std::fs::create_dir_all(&state).unwrap();
        let log = dir.join(log_name);
        let mut cmd = service::command(dir, log_name);
        cmd.env("RPA_SLOTS", SLOTS)
            .env("RPA_RATE_LIMIT_PER_MIN", "0")
            .env("RPA_QUEUE_LIMIT", "100000")
            .env("RPA_SHUTDOWN_GRACE_S", "1")
            .env("FAKE_ROBOT_STATE_DIR", &state)
            .env("FAKE_ROBOT_PAUSE_MS", ROBOT_PAUSE_MS)
            .envs(extra.iter().map(|(k, v)| (*k, v.as_str())));
        let mut child = cmd.spawn().expect("starting rpa-v4");
        let stdout = child.stdout.take().unwrap();
        let mut svc = Service {
            child: Some(child),
            base: String::new(),
            listening_at: Instant::now(),
            db: dir.join("bench.db"),
            state,
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        // Reads the address, then keeps draining stdout so the service never blocks on it.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.trim().strip_prefix("RPA V4 ouvindo em ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(addr.to_string());
                    }
                }
            }
        });
        match tokio::time::timeout(START_DEADLINE, rx).await {
            Ok(Ok(addr)) => {
                svc.listening_at = Instant::now();
                svc.base = addr;
                svc
            }
            _ => {
                drop(svc);
                panic!("rpa-v4 did not start: {}", std::fs::read_to_string(&log).unwrap_or_default());
            }
        }
    }

    fn conn(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(&self.db).unwrap();
        c.busy_timeout(Duration::from_secs(10)).unwrap();
        c
    }

    /// SIGTERM, then a bounded wait for the exit (SIGKILL after it); robots are killed on drop.
    async fn stop(mut self) {
        if let Some(mut c) = self.child.take() {
            // SAFETY: kill(2) on the service's pid; no memory involved.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(15);
            while c.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        // Robots run in their own process groups and outlive a killed service.
        let pids = std::fs::read_to_string(self.state.join("pids.txt")).unwrap_or_default();
        for pid in pids.lines().filter_map(|l| l.split_once(' ')?.0.parse::<i32>().ok()) {
            // SAFETY: kill(2) on the robot's process group; no memory involved.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
    }
}

/// Starts `n` quotes from one client; returns their session ids.
async fn start_quotes(client: &reqwest::Client, base: &str, prefix: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        let r = client.post(format!("{base}/api/rpa/start")).json(&body(prefix, i)).send().await.expect("POST start");
        let status = r.status();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "{v}");
        out.push(v["session_id"].as_str().unwrap().to_string());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 1. Job end → event at the receiver.

/// With `beside_a_silent_endpoint`, a second endpoint accepts every request and never answers.
async fn job_end_to_receiver(beside_a_silent_endpoint: bool) {
    let dir = tempfile::tempdir().unwrap();
    let rx = Receiver::start(None).await;
    let silent =
        if beside_a_silent_endpoint { Some(Receiver::start(Some(Duration::from_secs(60))).await) } else { None };
    let mut urls = vec![rx.url.as_str()];
    urls.extend(silent.as_ref().map(|s| s.url.as_str()));
    let hooks = webhooks_file(dir.path(), &urls);
    let svc = Service::start(dir.path(), "service-1.log", &[("RPA_WEBHOOKS_FILE", hooks.display().to_string())]).await;
    let client = http_client();
    let sessions = start_quotes(&client, &svc.base, "BWA", QUOTES).await;

    let concluded = |rx: &Receiver| -> HashMap<String, SystemTime> {
        let mut m = HashMap::new();
        for a in rx.inbox.arrivals.lock().unwrap().iter() {
            let v: Value = serde_json::from_slice(&a.body).unwrap_or(Value::Null);
            if v["type"] == "cotacao.concluida" {
                if let Some(sid) = v["data"]["session_id"].as_str() {
                    m.entry(sid.to_string()).or_insert(a.at);
                }
            }
        }
        m
    };
    let deadline = Instant::now() + PHASE_DEADLINE;
    let timed_out = loop {
        let ended: i64 = svc
            .conn()
            .query_row("SELECT count(*) FROM jobs WHERE status IN ('success', 'error')", [], |r| r.get(0))
            .unwrap();
        if ended as usize >= sessions.len() && concluded(&rx).len() >= sessions.len() {
            break false;
        }
        if Instant::now() > deadline {
            break true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    let arrivals = concluded(&rx);
    let conn = svc.conn();
    let mut lat = Vec::new();
    let mut stmt = conn.prepare("SELECT session_id, finished_at FROM jobs WHERE status = 'success'").unwrap();
    let finished: Vec<(String, Option<String>)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    for (sid, fin) in &finished {
        if let (Some(at), Some(fin)) = (arrivals.get(sid), fin.as_deref().and_then(parse_timestamp)) {
            let d = DateTime::<Utc>::from(*at) - fin;
            lat.push(d.num_microseconds().unwrap_or(i64::MAX) as f64 / 1000.0);
        }
    }
    let ok = finished.len();
    let note = if timed_out {
        format!("  TIMEOUT após {} s ({} de {QUOTES} jobs com sucesso)", PHASE_DEADLINE.as_secs(), ok)
    } else {
        format!("  ({ok} de {QUOTES} jobs com sucesso)")
    };
    report("fim do job → cotacao.concluida no receptor", lat, &note);

    // Every event: written to the outbox → at the receiver.
    let created: HashMap<String, (String, String)> = {
        let mut s = conn.prepare("SELECT event_id, type, created_at FROM events").unwrap();
        s.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))).unwrap().map(Result::unwrap).collect()
    };
    let mut by_type: HashMap<String, Vec<f64>> = HashMap::new();
    let mut seen = HashSet::new();
    for a in rx.inbox.arrivals.lock().unwrap().iter() {
        if !seen.insert(a.id.clone()) {
            continue;
        }
        if let Some((kind, Some(t))) = created.get(&a.id).map(|(k, c)| (k, parse_timestamp(c))) {
            let d = DateTime::<Utc>::from(a.at) - t;
            by_type.entry(kind.clone()).or_default().push(d.num_microseconds().unwrap_or(i64::MAX) as f64 / 1000.0);
        }
    }
    let mut kinds: Vec<_> = by_type.into_iter().collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    for (kind, ms) in kinds {
        report(&format!("evento gravado → no receptor ({kind})"), ms, "");
    }
    svc.stop().await;
}

// ---------------------------------------------------------------------------------------------
// 2. Deliveries per second of a full outbox.

async fn outbox_throughput(concurrency: u16) {
    let dir = tempfile::tempdir().unwrap();
    // A first start without webhooks creates the schema; the events go in while it is stopped.
    Service::start(dir.path(), "service-schema.log", &[]).await.stop().await;
    {
        let mut c = rusqlite::Connection::open(dir.path().join("bench.db")).unwrap();
        c.busy_timeout(Duration::from_secs(10)).unwrap();
        let tx = c.transaction().unwrap();
        let t = rpa_v4::store::db::now();
        let data = json!({"lead_id": "x", "session_id": null, "contato": {}, "veiculo": {}, "origem": {}}).to_string();
        for i in 1..=OUTBOX_EVENTS {
            tx.execute(
                "INSERT INTO events (event_id, type, created_at, lead_id, session_id, data_json, fanned_out)
                 VALUES (?1, 'lead.recebido', ?2, ?3, NULL, ?4, 0)",
                rusqlite::params![format!("msg_bench_{i:06}"), t, format!("lead_bench_{i:06}"), data],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let rx = Receiver::start(None).await;
    let hooks = webhooks_file(dir.path(), &[&rx.url]);
    let svc = Service::start(
        dir.path(),
        "service-2.log",
        &[("RPA_WEBHOOKS_FILE", hooks.display().to_string()), ("RPA_WEBHOOK_CONCURRENCY", concurrency.to_string())],
    )
    .await;
    let t0 = svc.listening_at;
    let deadline = t0 + PHASE_DEADLINE;
    while rx.inbox.distinct() < OUTBOX_EVENTS && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let (got, requests) = (rx.inbox.distinct(), rx.inbox.requests());
    let label = format!("entregas/s ({OUTBOX_EVENTS} eventos na fila, concorrência {concurrency})");
    if got >= OUTBOX_EVENTS {
        println!(
            "{label:<52} {:>8.0} /s  ({got} ids distintos em {elapsed:.2} s, {requests} pedidos)",
            got as f64 / elapsed
        );
    } else {
        println!(
            "{label:<52} TIMEOUT  ({got} de {OUTBOX_EVENTS} ids em {elapsed:.2} s = {:.0} /s, {requests} pedidos)",
            got as f64 / elapsed
        );
    }
    svc.stop().await;
}

// ---------------------------------------------------------------------------------------------
// 3. POST /api/rpa/start under load, with and without a failing receiver.

#[derive(Clone, Copy)]
enum Hooks {
    None,
    /// An endpoint at a port nothing listens on, retried every 0.5 s.
    ClosedPort,
    /// An endpoint that accepts and never answers (15 s sender timeout).
    Silent,
}

struct LoadResult {
    ms: Vec<f64>,
    errors: usize,
    timed_out: bool,
    /// How long the load took, in seconds.
    load_s: f64,
    deliveries: Option<String>,
}

async fn start_load(hooks: Hooks) -> LoadResult {
    let dir = tempfile::tempdir().unwrap();
    let mut env: Vec<(&str, String)> = Vec::new();
    // Kept alive until the run ends.
    let mut silent: Option<Receiver> = None;
    match hooks {
        Hooks::None => {}
        Hooks::ClosedPort => {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let path = webhooks_file(dir.path(), &[&format!("http://127.0.0.1:{port}/hooks/bench")]);
            env.push(("RPA_WEBHOOKS_FILE", path.display().to_string()));
            env.push(("RPA_WEBHOOK_RETRY_S", "0.5,0.5,0.5,0.5,0.5,0.5".into()));
        }
        Hooks::Silent => {
            let rx = Receiver::start(Some(Duration::from_secs(60))).await;
            let path = webhooks_file(dir.path(), &[&rx.url]);
            env.push(("RPA_WEBHOOKS_FILE", path.display().to_string()));
            env.push(("RPA_WEBHOOK_TIMEOUT_S", "15".into()));
            silent = Some(rx);
        }
    }
    let with_hooks = !env.is_empty();
    let svc = Service::start(dir.path(), "service-3.log", &env).await;
    let client = http_client();
    // Warm-up (not counted): a few sequential starts, so each run begins with the same state.
    start_quotes(&client, &svc.base, "BWZ", 5).await;

    let results: Arc<Mutex<(Vec<f64>, usize)>> = Arc::default();
    let mut set = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let (client, base, results) = (client.clone(), svc.base.clone(), results.clone());
        set.spawn(async move {
            for n in 0..STARTS_PER_CLIENT {
                let t = Instant::now();
                let r = client
                    .post(format!("{base}/api/rpa/start"))
                    .json(&body("BWB", c * STARTS_PER_CLIENT + n))
                    .send()
                    .await;
                let ok = match r {
                    Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let mut g = results.lock().unwrap();
                if ok {
                    g.0.push(ms);
                } else {
                    g.1 += 1;
                }
            }
        });
    }
    let load = Instant::now();
    let timed_out =
        tokio::time::timeout(PHASE_DEADLINE, async { while set.join_next().await.is_some() {} }).await.is_err();
    let load_s = load.elapsed().as_secs_f64();
    set.abort_all();
    let (ms, errors) = results.lock().unwrap().clone();

    let deliveries = with_hooks.then(|| {
        svc.conn()
            .query_row(
                "SELECT count(*), coalesce(sum(attempts), 0), coalesce(sum(status = 'pendente'), 0),
                        coalesce(sum(status = 'morto'), 0), coalesce(sum(status = 'entregue'), 0)
                 FROM deliveries",
                [],
                |r| {
                    Ok(format!(
                        "{} entregas: {} tentativas, {} pendentes, {} mortas, {} entregues",
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?
                    ))
                },
            )
            .unwrap_or_else(|e| format!("erro ao ler deliveries: {e}"))
    });
    svc.stop().await;
    drop(silent);
    LoadResult { ms, errors, timed_out, load_s, deliveries }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    println!(
        "rpa-v4 (release) em 127.0.0.1; {SLOTS} slots, robô falso com pausa de {ROBOT_PAUSE_MS} ms por etapa; \
         receptor de webhooks neste processo\n"
    );

    println!(
        "1. Fim do job → evento no receptor ({QUOTES} cotações, 1 endpoint standard, receptor responde 200 na hora)"
    );
    job_end_to_receiver(false).await;
    println!("\n1b. O mesmo, com um segundo endpoint que aceita a conexão e nunca responde (timeout 15 s)");
    job_end_to_receiver(true).await;

    println!("\n2. Entregas por segundo ({OUTBOX_EVENTS} eventos já no outbox; do \"ouvindo\" até o receptor ter todos os ids)");
    for concurrency in [4, 16] {
        outbox_throughput(concurrency).await;
    }

    println!(
        "\n3. POST /api/rpa/start com {CLIENTS} clientes × {STARTS_PER_CLIENT} (após 5 de aquecimento), \
         sem webhooks e com o receptor fora do ar; {ROUNDS} rodadas alternadas A, B, C"
    );
    let names = [
        "A sem webhooks",
        "B receptor fora do ar (porta fechada, retry 0.5 s)",
        "C receptor que não responde (timeout 15 s)",
    ];
    let mut p50s: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut p99s: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for round in 1..=ROUNDS {
        for (k, name) in names.iter().enumerate() {
            let hooks = [Hooks::None, Hooks::ClosedPort, Hooks::Silent][k];
            let r = start_load(hooks).await;
            let mut sorted = r.ms.clone();
            sorted.sort_by(|a, b| a.total_cmp(b));
            p50s[k].push(percentile(&sorted, 50.0));
            p99s[k].push(percentile(&sorted, 99.0));
            let mut note = format!("  (rodada {round}, carga em {:.2} s)", r.load_s);
            if r.errors > 0 {
                note.push_str(&format!("  {} erros", r.errors));
            }
            if r.timed_out {
                note.push_str(&format!("  TIMEOUT após {} s", PHASE_DEADLINE.as_secs()));
            }
            report(name, r.ms, &note);
            if let Some(d) = r.deliveries {
                println!("{:<52} ({d}, ao fim da carga)", "");
            }
        }
    }
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    println!();
    for (k, name) in names.iter().enumerate() {
        println!(
            "{name:<52} mediana das rodadas: p50={:>7.2} ms  p99={:>7.2} ms  (p99 de cada rodada: {})",
            median(&p50s[k]),
            median(&p99s[k]),
            p99s[k].iter().map(|p| format!("{p:.1}")).collect::<Vec<_>>().join(", ")
        );
    }
}
