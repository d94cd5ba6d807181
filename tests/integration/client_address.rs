//! Which client the rate limit of `POST /api/rpa/start` counts, through the real service: the
//! proxy chains it supports (Cloudflare → service, Cloudflare → nginx → service, visitor → nginx →
//! service) and the spoofing attempts against each. The service listens on 127.0.0.1 only; the
//! tests connect from other loopback addresses to play a Cloudflare edge (127.0.0.2) and a stranger
//! (127.0.0.3), and from 127.0.0.1 to play the local nginx.
//!
//! The body `{}` fails validation (`422`) after the limit is counted, so `422` means "let through"
//! and `429` "limited"; nothing is queued.

use crate::support::{Options, TestApp};
use serde_json::json;
use std::net::IpAddr;

const LIMIT: usize = 10;
const NGINX: &str = "127.0.0.1";
const CLOUDFLARE_EDGE: &str = "127.0.0.2";
const STRANGER: &str = "127.0.0.3";

async fn app(trusted: &str, cloudflare: &str) -> TestApp {
    TestApp::spawn(Options {
        rate_limit_per_min: LIMIT as u32,
        extra_env: vec![
            ("RPA_TRUSTED_PROXIES".into(), trusted.into()),
            ("RPA_CLOUDFLARE_PROXIES".into(), cloudflare.into()),
        ],
        ..Default::default()
    })
    .await
}

/// An HTTP client whose connections come from the loopback address `source`.
fn connecting_from(source: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(source.parse::<IpAddr>().unwrap()).build().unwrap()
}

/// Sends `n` requests from `client`, the i-th with the headers `headers(i)`; returns how many the
/// limit let through (every other one must be a `429` with a `Retry-After`).
async fn let_through(
    app: &TestApp,
    client: &reqwest::Client,
    n: usize,
    headers: impl Fn(usize) -> Vec<(&'static str, String)>,
) -> usize {
    let mut through = 0;
    for i in 0..n {
        let mut request = client.post(format!("{}/api/rpa/start", app.base)).json(&json!({}));
        for (name, value) in headers(i) {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("POST start");
        match response.status().as_u16() {
            422 => through += 1,
            429 => assert!(response.headers().contains_key("retry-after")),
            other => panic!("request {i}: unexpected status {other}"),
        }
    }
    through
}

fn forwarded(xff: String) -> Vec<(&'static str, String)> {
    vec![("x-forwarded-for", xff)]
}

fn forwarded_with_cf(xff: String, cf: String) -> Vec<(&'static str, String)> {
    vec![("x-forwarded-for", xff), ("cf-connecting-ip", cf)]
}

/// visitor → nginx → service, configured as systemd/rpa-v4.env.example suggests.
#[tokio::test(flavor = "multi_thread")]
async fn behind_nginx_spoofed_cf_connecting_ip_and_forwarded_prefixes_do_not_bypass_the_limit() {
    let app = app("127.0.0.1", "").await;
    let nginx = connecting_from(NGINX);

    // The probe: a fresh CF-Connecting-IP and a fresh spoofed X-Forwarded-For prefix every
    // time; nginx appended the sender's real address, and that is what counts.
    let spoofing = let_through(&app, &nginx, 25, |i| {
        forwarded_with_cf(format!("10.{i}.0.1, 198.51.100.{i}, 192.0.2.66"), format!("203.0.113.{i}"))
    })
    .await;
    assert_eq!(spoofing, LIMIT);

    // Another visitor behind the same nginx has a budget of its own.
    assert_eq!(let_through(&app, &nginx, 1, |_| forwarded("192.0.2.77".into())).await, 1);

    // Entries that are not addresses cannot mint budgets: they count against nginx itself.
    let junk = let_through(&app, &nginx, 25, |i| forwarded(format!("visitante-{i}"))).await;
    assert_eq!(junk, LIMIT);
    assert_eq!(let_through(&app, &nginx, 1, |_| vec![]).await, 0, "the same budget as nginx's own requests");
    assert_eq!(let_through(&app, &nginx, 1, |_| forwarded("192.0.2.78".into())).await, 1);
}

/// visitor → Cloudflare → nginx → service.
#[tokio::test(flavor = "multi_thread")]
async fn through_cloudflare_and_nginx_the_header_is_believed_only_when_nginx_got_the_request_from_cloudflare() {
    let app = app("127.0.0.1", "198.51.100.0/24").await;
    let nginx = connecting_from(NGINX);

    // Visitors through Cloudflare: each has its own budget, whichever edge carried it.
    let visitor = let_through(&app, &nginx, LIMIT + 5, |i| {
        forwarded_with_cf(format!("203.0.113.1, 198.51.100.{}", 20 + i), "203.0.113.1".into())
    })
    .await;
    assert_eq!(visitor, LIMIT);
    let many = let_through(&app, &nginx, 25, |i| {
        forwarded_with_cf(format!("203.0.113.{}, 198.51.100.20", 100 + i), format!("203.0.113.{}", 100 + i))
    })
    .await;
    assert_eq!(many, 25, "distinct visitors behind one Cloudflare edge are distinct clients");

    // Straight to nginx, claiming to come through Cloudflare with a new visitor address each time.
    let spoofing = let_through(&app, &nginx, 25, |i| {
        forwarded_with_cf(format!("203.0.113.{i}, 198.51.100.20, 192.0.2.66"), format!("203.0.113.{i}"))
    })
    .await;
    assert_eq!(spoofing, LIMIT);
}

/// visitor → Cloudflare → service, and a stranger talking to the service directly.
#[tokio::test(flavor = "multi_thread")]
async fn cloudflare_in_front_names_the_visitor_and_nobody_else_can() {
    let app = app("127.0.0.1", CLOUDFLARE_EDGE).await;

    let edge = connecting_from(CLOUDFLARE_EDGE);
    let many =
        let_through(&app, &edge, 25, |i| forwarded_with_cf(format!("203.0.113.{i}"), format!("203.0.113.{i}"))).await;
    assert_eq!(many, 25, "each visitor Cloudflare names is a client of its own");
    let one = let_through(&app, &edge, 25, |_| forwarded_with_cf("203.0.113.200".into(), "203.0.113.200".into())).await;
    assert_eq!(one, LIMIT);
    // Cloudflare is not a trusted proxy: its X-Forwarded-For alone names nobody.
    let bare = let_through(&app, &edge, 25, |i| forwarded(format!("203.0.113.{i}"))).await;
    assert_eq!(bare, LIMIT, "without CF-Connecting-IP the edge itself is the client");

    // A stranger sending both headers is just its own address.
    let stranger = connecting_from(STRANGER);
    let spoofing = let_through(&app, &stranger, 25, |i| {
        forwarded_with_cf(format!("198.51.100.{i}, 127.0.0.2"), format!("203.0.113.{i}"))
    })
    .await;
    assert_eq!(spoofing, LIMIT);
}
