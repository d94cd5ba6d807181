//! A portal down for a while, then back: starts the release `rpa-v4` on 127.0.0.1 with the fake
//! robot, takes the simulated portal down for `FORA_S` seconds (the fake robot's
//! `portal_fora_ate`), sends one quote at once and prints how it ended and when each attempt ran.
//! The service runs with its defaults (`RPA_MAX_ATTEMPTS`, `RPA_RETRY_BACKOFF_S`) unless
//! `RPA_RETRY_BACKOFF_S` or `RPA_MAX_ATTEMPTS` are given to this program. Bounded: 30 min at most.
//! Run with `bench/retry_backoff.sh [FORA_S]`.

#[path = "service.rs"]
mod service;

use serde_json::Value;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let outage_s: f64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(60.0);
    let root = tempfile::tempdir().unwrap();
    let state = root.path().join("robot-state");
    std::fs::create_dir_all(&state).unwrap();
    let mut cmd = service::command(root.path(), "service.log");
    cmd.env("RPA_RATE_LIMIT_PER_MIN", "0").env("FAKE_ROBOT_STATE_DIR", &state);
    let mut settings = String::from("padrões do serviço");
    for var in ["RPA_RETRY_BACKOFF_S", "RPA_MAX_ATTEMPTS"] {
        if let Ok(v) = std::env::var(var) {
            cmd.env(var, &v);
            settings = format!("{settings}, {var}={v}");
        }
    }
    let (_guard, base) = service::start(cmd);

    let unix_now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    std::fs::write(state.join("portal_fora_ate"), format!("{:.3}", unix_now + outage_s)).unwrap();
    let started = Instant::now();
    let client = reqwest::Client::new();
    let body = service::visitor("52998224725", "ABC1D23".into());
    let answer: Value =
        client.post(format!("{base}/api/rpa/start")).json(&body).send().await.unwrap().json().await.unwrap();
    let session = answer["session_id"].as_str().expect("a session").to_string();
    let mut waiting_messages: Vec<String> = Vec::new();
    let progress = loop {
        let v: Value =
            client.get(format!("{base}/api/rpa/progress/{session}")).send().await.unwrap().json().await.unwrap();
        let p = v["progress"].clone();
        let mensagem = p["mensagem"].as_str().unwrap_or_default().to_string();
        if p["status"] == "waiting" && !waiting_messages.contains(&mensagem) {
            waiting_messages.push(mensagem);
        }
        if p["status"] == "success" || p["status"] == "error" {
            break p;
        }
        assert!(started.elapsed() < Duration::from_secs(1800), "the quote did not end in 30 min: {p}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let took = started.elapsed().as_secs_f64();

    let db = rusqlite::Connection::open(root.path().join("bench.db")).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT a.attempt, (julianday(a.started_at) - julianday(j.created_at)) * 86400.0,
                    a.outcome, coalesce(a.error_tipo, '')
             FROM attempts a JOIN jobs j ON j.id = a.job_id ORDER BY a.attempt",
        )
        .unwrap();
    let attempts: Vec<(u32, f64, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    println!("portal fora do ar por {outage_s:.0} s a partir do pedido ({settings})");
    let tipo = progress["erros"].as_array().and_then(|e| e.last()).map(|e| e["tipo"].to_string()).unwrap_or_default();
    println!("cotação: {} {tipo} em {took:.1} s, {} tentativa(s)", progress["status"], attempts.len());
    for (n, at, outcome, tipo) in attempts {
        println!("  tentativa {n}: começou {at:.1} s após o pedido — {outcome} {tipo}");
    }
    println!("mensagens na fila: {waiting_messages:?}");
}
