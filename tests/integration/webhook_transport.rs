//! How a delivery travels: an endpoint on this machine is never sent through a proxy, whatever
//! the proxy variables say (its events carry personal data over plain http), while the others
//! still follow them; and a receiver whose TLS certificate is refused is reported as such, with
//! the endpoint and the event.

use crate::support::receiver::{Receiver, STANDARD_SECRET};
use crate::support::{person, Options, TestApp};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A proxy that forwards nothing: it records the head of every request it gets and answers 502.
struct RecordingProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    server: tokio::task::JoinHandle<()>,
}

impl RecordingProxy {
    async fn start() -> RecordingProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let server = tokio::spawn({
            let seen = seen.clone();
            async move {
                while let Ok((mut stream, _)) = listener.accept().await {
                    let seen = seen.clone();
                    tokio::spawn(async move {
                        let mut head = Vec::new();
                        let mut buf = [0u8; 4096];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                            match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
                                Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
                                _ => break,
                            }
                        }
                        seen.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                        let _ = stream
                            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .await;
                    });
                }
            }
        });
        RecordingProxy { url, seen, server }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_loopback_endpoint_is_never_sent_through_a_proxy_and_the_others_still_are() {
    let proxy = RecordingProxy::start().await;
    let rx = Receiver::start().await;
    let mut env: Vec<(String, String)> = Vec::new();
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"] {
        env.push((var.into(), proxy.url.clone()));
        env.push((var.to_lowercase(), proxy.url.clone()));
    }
    // Nothing excluded by the environment: staying off the proxy is the service's own rule.
    env.push(("NO_PROXY".into(), String::new()));
    env.push(("no_proxy".into(), String::new()));
    env.push(("RPA_WEBHOOK_RETRY_S".into(), "3600".into()));
    let endpoints = json!([
        {"url": rx.url("local"), "segredo": STANDARD_SECRET, "eventos": ["lead.recebido"]},
        {"url": "https://crm.example.invalid/lead", "segredo": STANDARD_SECRET, "eventos": ["lead.recebido"]},
    ]);
    let app = TestApp::spawn(Options { webhooks: Some(endpoints), extra_env: env, ..Default::default() }).await;
    app.start(&person("ABC1D23")).await;
    app.wait_db("both first attempts recorded", "SELECT count(*) = 2 FROM deliveries WHERE attempts = 1").await;

    let seen = proxy.seen();
    assert!(
        !seen.iter().any(|h| h.contains("127.0.0.1") || h.contains("52998224725") || h.contains("FULANO")),
        "the local endpoint's request went through the proxy: {seen:?}"
    );
    let got = rx.received();
    assert_eq!(got.len(), 1, "the local endpoint got the lead directly");
    assert_eq!(got[0].kind(), "lead.recebido");
    // The endpoint elsewhere went to the proxy (which answered 502): the variables were read.
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].starts_with("CONNECT crm.example.invalid:443"), "{seen:?}");
}
