//! `GET /metrics` and `GET /api/rpa/health` latency: starts the release `rpa-v4` on 127.0.0.1
//! with 4 slots and the fake robot, fills the queue so that robots run and record metrics during
//! the measure, then times both routes from 1 client (sequential) and from 100 concurrent clients
//! (p50/p99 each). Bounded in requests. Run with `bench/metrics_latency.sh`.

#[path = "service.rs"]
mod service;
#[path = "stats.rs"]
mod stats;

use serde_json::Value;
use stats::report;
use std::time::Instant;

const CLIENTS: usize = 100;
const REQUESTS_PER_CLIENT: usize = 20;
const SEQUENTIAL: usize = 200;
const JOBS: usize = 200; // at most 200: see `body`
const ROBOT_PAUSE_MS: &str = "100";

/// A valid synthetic request; plates differ so every start is a new job (some manual, some rejected).
fn body(n: usize) -> Value {
    let prefix = match n % 5 {
        3 => "MAN".to_string(),
        4 => "REJ".to_string(),
        _ => (0..3).map(|k| (b'A' + ((n / 26usize.pow(k)) % 26) as u8) as char).collect(),
    };
    // Plates repeat every 100 jobs: another CPF makes them new requests.
    let cpf = if n < 100 { "52998224725" } else { "11144477735" };
    service::visitor(cpf, format!("{prefix}{}{}{:02}", n % 10, (n / 10) % 10, n % 100))
}

/// Times `path` from `clients` concurrent clients, `per_client` requests each; every answer must be 200.
async fn measure(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    clients: usize,
    per_client: usize,
) -> (Vec<f64>, usize) {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, url) = (client.clone(), format!("{base}{path}"));
        set.spawn(async move {
            let mut out = Vec::with_capacity(per_client);
            let mut bytes = 0;
            for _ in 0..per_client {
                let t = Instant::now();
                let r = client.get(&url).send().await.unwrap();
                assert_eq!(r.status(), 200, "{url}");
                bytes = r.bytes().await.unwrap().len();
                out.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            (out, bytes)
        });
    }
    let all = set.join_all().await;
    let bytes = all.iter().map(|(_, b)| *b).max().unwrap_or(0);
    (all.into_iter().flat_map(|(v, _)| v).collect(), bytes)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let root = tempfile::tempdir().unwrap();
    let state = root.path().join("robot-state");
    std::fs::create_dir_all(&state).unwrap();
    let mut cmd = service::command(root.path(), "service.log");
    cmd.env("RPA_SLOTS", "4")
        .env("RPA_RATE_LIMIT_PER_MIN", "0")
        .env("RPA_QUEUE_LIMIT", "100000")
        .env("RPA_MAX_ATTEMPTS", "2")
        .env("FAKE_ROBOT_STATE_DIR", &state)
        .env("FAKE_ROBOT_PAUSE_MS", ROBOT_PAUSE_MS);
    let (_guard, base, metrics_base) = service::start_with_metrics(cmd);
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();
    for n in 0..JOBS {
        let r = client.post(format!("{base}/api/rpa/start")).json(&body(n)).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    // Let a few quotes finish so that every family has series.
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    println!("rpa-v4 em {base}; 4 slots ocupados, {JOBS} cotações na fila, robô falso com pausa de {ROBOT_PAUSE_MS} ms por etapa\n");

    // The metrics on their own port (RPA_METRICS_LISTEN), the health on the API's.
    for (at, path) in [(&metrics_base, "/metrics"), (&base, "/api/rpa/health")] {
        let (ms, bytes) = measure(&client, at, path, 1, SEQUENTIAL).await;
        report(&format!("GET {path} (1 cliente, sequencial)"), ms, &format!("  ({bytes} bytes)"));
        let (ms, _) = measure(&client, at, path, CLIENTS, REQUESTS_PER_CLIENT).await;
        report(&format!("GET {path} ({CLIENTS} clientes)"), ms, "");
    }
}
