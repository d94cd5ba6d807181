//! Rate-limit benchmark: what a flood of distinct (spoofed or real) client addresses costs.
//!
//! 1. In process: `RateLimiter::check` per call, with 100,000 distinct addresses and with 100.
//! 2. Through the service: requests per second of `POST /api/rpa/start` on the rate-limit path,
//!    the release `rpa-v4` started on 127.0.0.1 as in bench/service_latency.rs with
//!    `RPA_TRUSTED_PROXIES=127.0.0.1` and `RPA_RATE_LIMIT_PER_MIN=10`, 50 concurrent clients, every
//!    request with its own `X-Forwarded-For`: 100,000 requests from 100,000 distinct addresses,
//!    then 100,000 from 100 addresses (a fresh service each, so both start with an empty limiter).
//!    The body `{}` fails validation after the limit is counted: a request is a `422` when let
//!    through and a `429` when limited, and nothing is queued.
//!
//! Figures only, no assertions of speed. Bounded: a fixed number of requests, and each run stops
//! at its deadline (printing how far it got). Run with
//! `cargo bench --bench rate_limit`.

#[path = "service.rs"]
mod service;
#[path = "stats.rs"]
mod stats;

use rpa_v4::guard::rate_limit::RateLimiter;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const REQUESTS: usize = 100_000;
const CLIENTS: usize = 50;
const RUN_DEADLINE: Duration = Duration::from_secs(120);
const IN_PROCESS_CHECKS: usize = 1_000_000;

/// The `n`-th address of 10.0.0.0/8.
fn address(n: usize) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(0x0A00_0000 + (n as u32 & 0x00FF_FFFF)))
}

/// `IN_PROCESS_CHECKS` calls cycling over `distinct` addresses, all within one minute.
fn in_process(distinct: usize) {
    let limiter = RateLimiter::new(10);
    let now = Instant::now();
    let t = Instant::now();
    let (mut calls, mut limited) = (0usize, 0usize);
    while calls < IN_PROCESS_CHECKS && (calls % 1024 != 0 || t.elapsed() < RUN_DEADLINE) {
        limited += usize::from(limiter.check(address(calls % distinct), now).is_err());
        calls += 1;
    }
    let ns = t.elapsed().as_nanos() as f64 / calls as f64;
    let cut = if calls < IN_PROCESS_CHECKS { "  INTERROMPIDO no prazo" } else { "" };
    println!("RateLimiter::check, {distinct:>7} endereços distintos: {ns:>8.0} ns por chamada ({calls} chamadas, {limited} limitadas){cut}");
}

async fn through_the_service(distinct: usize) {
    let root = tempfile::tempdir().unwrap();
    let mut cmd = service::command(root.path(), "service.log");
    cmd.env("RPA_SLOTS", "4").env("RPA_TRUSTED_PROXIES", "127.0.0.1").env("RPA_RATE_LIMIT_PER_MIN", "10");
    let (_guard, base) = service::start(cmd);
    let url = Arc::new(format!("{base}/api/rpa/start"));
    let client = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build().unwrap();

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + RUN_DEADLINE;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (client, url, next) = (client.clone(), url.clone(), next.clone());
        set.spawn(async move {
            let (mut ms, mut through, mut limited, mut other) = (Vec::new(), 0usize, 0usize, 0usize);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= REQUESTS || Instant::now() > deadline {
                    break;
                }
                let t = Instant::now();
                let r = client
                    .post(url.as_str())
                    .header("content-type", "application/json")
                    .header("x-forwarded-for", address(n % distinct).to_string())
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let _ = r.bytes().await.unwrap();
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
                match status {
                    422 => through += 1,
                    429 => limited += 1,
                    _ => other += 1,
                }
            }
            (ms, through, limited, other)
        });
    }
    let (mut ms, mut through, mut limited, mut other) = (Vec::new(), 0, 0, 0);
    for (m, t, l, o) in set.join_all().await {
        ms.extend(m);
        (through, limited, other) = (through + t, limited + l, other + o);
    }
    let secs = started.elapsed().as_secs_f64();
    let done = ms.len();
    let cut = if done < REQUESTS {
        format!("  INTERROMPIDO no prazo de {} s", RUN_DEADLINE.as_secs())
    } else {
        String::new()
    };
    println!(
        "POST /api/rpa/start, {distinct:>7} endereços distintos: {:>8.0} pedidos/s  ({done} pedidos em {secs:.1} s: {through} passaram, {limited} limitados, {other} outros){cut}",
        done as f64 / secs
    );
    stats::report(&format!("  latência ({distinct} endereços, {CLIENTS} clientes)"), ms, "");
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    println!("Limite: 10 pedidos/min por endereço; cada pedido com seu X-Forwarded-For (proxy confiável 127.0.0.1)\n");
    in_process(100_000);
    in_process(100);
    println!();
    through_the_service(100_000).await;
    through_the_service(100).await;
}
