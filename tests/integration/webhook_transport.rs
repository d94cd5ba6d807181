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

/// A self-signed certificate for 127.0.0.1 (valid until 2126) and its key, made for this test
/// only: nothing trusts it, which is the point.
const SELF_SIGNED_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBjzCCATagAwIBAgIUQ0hofHbQ9NgnK5PaBqGK2Ux3/dUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNzEyNTg0MloYDzIxMjYxMTEz
MTI1ODQyWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAShNDCZdGfecEKXK4zbn8rwOIWav6vn/BlSDHUIgzFDI1EPThTkhrkY
irxsd48RQTgV+aynNuwmcLS0mId+KUsxo2QwYjAdBgNVHQ4EFgQUaM3M53+fR94f
906B/gNsRdkrYTswHwYDVR0jBBgwFoAUaM3M53+fR94f906B/gNsRdkrYTswDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
IHNewNZZZmPhaVgDW08kbhCyCyFlCYDMkmi5KbwDqwD/AiBS3lkAaWTMububg84W
yJJ1O6aHnVnOKT6F9NtJAK3peA==
-----END CERTIFICATE-----
";
const SELF_SIGNED_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgBiRo7CTihQWBApkh
RAXQRQP/LpZPA7erhsjW6AZZRUihRANCAAShNDCZdGfecEKXK4zbn8rwOIWav6vn
/BlSDHUIgzFDI1EPThTkhrkYirxsd48RQTgV+aynNuwmcLS0mId+KUsx
-----END PRIVATE KEY-----
";

/// A TLS server on 127.0.0.1 with the self-signed certificate (Python's `ssl`): it accepts
/// connections and offers its certificate; the process ends with the guard.
struct SelfSignedServer {
    port: u16,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl SelfSignedServer {
    fn start() -> SelfSignedServer {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cert.pem"), SELF_SIGNED_CERT).unwrap();
        std::fs::write(dir.path().join("key.pem"), SELF_SIGNED_KEY).unwrap();
        let script = r#"
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    try:
        ctx.wrap_socket(c, server_side=True).close()
    except (ssl.SSLError, OSError):
        c.close()
"#;
        let mut child = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(dir.path().join("cert.pem"))
            .arg(dir.path().join("key.pem"))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        SelfSignedServer { port: line.trim().parse().expect("the server's port"), child, _dir: dir }
    }
}

impl Drop for SelfSignedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_certificate_is_named_with_the_endpoint_and_the_event() {
    let tls = SelfSignedServer::start();
    let endpoints = json!([{
        "url": format!("https://127.0.0.1:{}/lead", tls.port),
        "segredo": STANDARD_SECRET,
        "eventos": ["lead.recebido"],
        "nome": "CRM com certificado próprio",
    }]);
    let app = TestApp::spawn(Options {
        webhooks: Some(endpoints),
        extra_env: vec![("RPA_WEBHOOK_RETRY_S".into(), "3600".into())],
        ..Default::default()
    })
    .await;
    app.start(&person("ABC1D23")).await;
    app.wait_db("the first attempt recorded", "SELECT count(*) = 1 FROM deliveries WHERE attempts = 1").await;

    let (result, event): (String, String) = app
        .db()
        .query_row("SELECT d.last_result, e.event_id FROM deliveries d JOIN events e ON e.id = d.event_id", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(result.starts_with("certificado TLS recusado"), "{result}");
    let log = app.service_log();
    let line = log.lines().find(|l| l.contains("certificado TLS recusado")).unwrap_or_else(|| panic!("{log}"));
    assert!(line.contains("CRM com certificado próprio") && line.contains(&event), "{line}");
    assert!(!log.contains("sem conexão com o receptor"), "{log}");
    for l in log.lines().filter(|l| l.contains("ERROR")) {
        assert!(
            l.contains(&event) && l.contains("CRM com certificado próprio"),
            "an error line without the event and the endpoint: {l}"
        );
    }
    let (_, listed) = app.cli(&["webhooks", "listar"]);
    assert!(listed.contains("certificado TLS recusado"), "{listed}");
}
