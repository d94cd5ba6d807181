//! A webhook receiver for the tests, on 127.0.0.1. It records every request, checks its signature
//! with code that is not the service's (the Standard Webhooks reference library; the Webflow HMAC
//! written out here from Webflow's documentation), and answers as each path is scripted: a list of
//! replies used one per request, then 200. Paths starting with `/wf` are Webflow-form endpoints.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
pub const WEBFLOW_SECRET: &str = "segredo-webflow-de-teste-123";

/// How the receiver answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    Status(u16),
    /// A status with a `Retry-After` of so many seconds.
    RetryAfter(u16, u64),
    /// Holds the request this long, then answers 200 (to nobody, past the sender's timeout).
    Hang(Duration),
}

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub at: Instant,
    /// The signature checked out against the body as received.
    pub signature_ok: bool,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
    pub fn id(&self) -> String {
        self.headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    }
    /// The event type (Standard Webhooks body), or `lead.recebido` for a Webflow-form payload.
    pub fn kind(&self) -> String {
        self.json()["type"].as_str().unwrap_or("lead.recebido").to_string()
    }
}

/// Checks a Standard Webhooks signature with the reference library.
pub fn standard_signature_ok(headers: &HeaderMap, body: &[u8]) -> bool {
    standardwebhooks::Webhook::new(STANDARD_SECRET).unwrap().verify(body, headers).is_ok()
}

/// Checks `X-Webflow-Signature`: hex HMAC-SHA256 of "timestamp:body" with the secret's text.
pub fn webflow_signature_ok(headers: &HeaderMap, body: &[u8]) -> bool {
    let get = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (ts, sig) = (get("x-webflow-timestamp"), get("x-webflow-signature"));
    let fresh = ts.parse::<i64>().is_ok_and(|ms| (chrono::Utc::now().timestamp_millis() - ms).abs() < 5 * 60 * 1000);
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(WEBFLOW_SECRET.as_bytes()).unwrap();
    mac.update(format!("{ts}:").as_bytes());
    mac.update(body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    fresh && sig == expected
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    scripts: Mutex<HashMap<String, VecDeque<Reply>>>,
}

pub struct Receiver {
    pub port: u16,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

/// A port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Receiver {
    pub async fn start() -> Receiver {
        Receiver::start_on(0).await
    }

    pub async fn start_on(port: u16) -> Receiver {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("receiver port");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared::default());
        let app = axum::Router::new().route("/{*path}", axum::routing::post(receive)).with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { port, shared, server }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }

    /// The next answers on `path`; 200 once they are used up.
    pub fn script(&self, path: &str, replies: Vec<Reply>) {
        self.shared.scripts.lock().unwrap().insert(format!("/{}", path.trim_start_matches('/')), replies.into());
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn on(&self, path: &str) -> Vec<Received> {
        let p = format!("/{}", path.trim_start_matches('/'));
        self.received().into_iter().filter(|r| r.path == p).collect()
    }

    /// Waits (bounded) until `pred` holds for what arrived; returns it.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + super::WAIT;
        loop {
            let got = self.received();
            if pred(&got) {
                return got;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; received {} request(s)", got.len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/{path}");
    let signature_ok = if path.starts_with("/wf") {
        webflow_signature_ok(&headers, &body)
    } else {
        standard_signature_ok(&headers, &body)
    };
    shared.received.lock().unwrap().push(Received {
        path: path.clone(),
        headers,
        body: body.to_vec(),
        at: Instant::now(),
        signature_ok,
    });
    let reply = shared.scripts.lock().unwrap().get_mut(&path).and_then(VecDeque::pop_front);
    match reply {
        None => StatusCode::OK.into_response(),
        Some(Reply::Status(s)) => StatusCode::from_u16(s).unwrap().into_response(),
        Some(Reply::RetryAfter(s, secs)) => {
            (StatusCode::from_u16(s).unwrap(), [("retry-after", secs.to_string())]).into_response()
        }
        Some(Reply::Hang(d)) => {
            tokio::time::sleep(d).await;
            StatusCode::OK.into_response()
        }
    }
}
