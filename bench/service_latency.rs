//! Service latency benchmark: starts the release `rpa-v4` on 127.0.0.1 with 4 slots and the fake
//! robot, then measures, with 100 concurrent clients while 4 fake robots run: `POST
//! /api/rpa/start` latency, `GET /api/rpa/progress/{id}` latency, and the time from a snapshot
//! written by the robot to it being visible in the API (p50/p99 each).
//!
//! Bounded in requests and time. Run with `bench/service_latency.sh`.

#[path = "service.rs"]
mod service;
#[path = "stats.rs"]
mod stats;

use serde_json::Value;
use stats::report;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CLIENTS: usize = 100;
const STARTS_PER_CLIENT: usize = 5;
const POLLS_PER_CLIENT: usize = 50;
const SNAPSHOT_WINDOW: Duration = Duration::from_secs(20);
const ROBOT_PAUSE_MS: &str = "150";

fn unix_now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64()
}

/// A valid synthetic request; plates differ so every start is a new job.
fn body(client: usize, n: usize) -> Value {
    let letters = |x: usize| -> String { (0..3).map(|k| (b'A' + ((x / 26usize.pow(k)) % 26) as u8) as char).collect() };
    let cpf = if n % 2 == 0 { "52998224725" } else { "11144477735" };
    service::visitor(cpf, format!("{}{}{}{:02}", letters(client), n % 10, (n / 10) % 10, client % 100))
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
        .env("FAKE_ROBOT_STATE_DIR", &state)
        .env("FAKE_ROBOT_PAUSE_MS", ROBOT_PAUSE_MS);
    let (_guard, base) = service::start(cmd);
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();
    println!("rpa-v4 em {base}; 4 slots, robô falso com pausa de {ROBOT_PAUSE_MS} ms por etapa; {CLIENTS} clientes concorrentes\n");

    // 0. For reference: POST start from a single client, one request at a time.
    let mut single = Vec::new();
    for n in 0..50 {
        let t = Instant::now();
        let r = client.post(format!("{base}/api/rpa/start")).json(&body(CLIENTS + n, 0)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let _ = r.bytes().await.unwrap();
        single.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    report("POST /api/rpa/start (1 cliente, sequencial)", single, "");

    // 1. POST start from 100 clients at once.
    let mut set = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let (client, base) = (client.clone(), base.clone());
        set.spawn(async move {
            let mut out = Vec::new();
            for n in 0..STARTS_PER_CLIENT {
                let t = Instant::now();
                let r = client.post(format!("{base}/api/rpa/start")).json(&body(c, n)).send().await.unwrap();
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let status = r.status();
                let v: Value = r.json().await.unwrap();
                assert_eq!(status, 200, "{v}");
                out.push((ms, v["session_id"].as_str().unwrap().to_string()));
            }
            out
        });
    }
    let results: Vec<(f64, String)> = set.join_all().await.into_iter().flatten().collect();
    let sessions: Arc<Vec<String>> = Arc::new(results.iter().map(|r| r.1.clone()).collect());
    report("POST /api/rpa/start (100 clientes)", results.iter().map(|r| r.0).collect(), "");

    // 2. GET progress from 100 clients at once, while the robots run.
    let mut set = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let (client, base, sessions) = (client.clone(), base.clone(), sessions.clone());
        set.spawn(async move {
            let mut out = Vec::new();
            for n in 0..POLLS_PER_CLIENT {
                let sid = &sessions[(c * 7 + n * 13) % sessions.len()];
                let t = Instant::now();
                let r = client.get(format!("{base}/api/rpa/progress/{sid}")).send().await.unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await.unwrap();
                out.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            out
        });
    }
    report("GET /api/rpa/progress/{id} (100 clientes)", set.join_all().await.into_iter().flatten().collect(), "");

    // 3. Snapshot written → visible: poll the running jobs every 10 ms, note when each step shows.
    let deadline = Instant::now() + SNAPSHOT_WINDOW;
    let mut first_seen: std::collections::HashMap<(String, i64), f64> = Default::default();
    while Instant::now() < deadline {
        let running = sessions_running(&root.path().join("bench.db"));
        for sid in running {
            let r = client.get(format!("{base}/api/rpa/progress/{sid}")).send().await.unwrap();
            let seen_at = unix_now();
            let v: Value = r.json().await.unwrap();
            if let Some(e) = v["progress"]["etapa_atual"].as_i64() {
                first_seen.entry((sid.clone(), e)).or_insert(seen_at);
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut lat = Vec::new();
    for ((sid, etapa), seen) in &first_seen {
        let writes = std::fs::read_to_string(state.join(format!("writes_{sid}.txt"))).unwrap_or_default();
        let written =
            writes.lines().filter_map(|l| l.split_once(' ')).find(|(e, _)| e.parse::<i64>().ok() == Some(*etapa));
        if let Some((_, t)) = written {
            let t: f64 = t.parse().unwrap();
            // Steps written before polling began are not latencies.
            if *etapa > 0 && seen >= &t && seen - t < 5.0 {
                lat.push((seen - t) * 1000.0);
            }
        }
    }
    report("snapshot gravado → visível na API (poll 10 ms)", lat, "");
}

fn sessions_running(db: &std::path::Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    let mut s = c.prepare("SELECT session_id FROM jobs WHERE status = 'running'").unwrap();
    s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}
