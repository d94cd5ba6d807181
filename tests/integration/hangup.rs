//! SIGHUP never ends the service: a quote running at the time goes on to its end on its first
//! attempt, and the service logs the signal and runs its installation check again.

use crate::support::{alive, person, Options, TestApp, WAIT};
use serde_json::Value;
use std::time::{Duration, Instant};

async fn checked_at(app: &TestApp) -> Value {
    let (_, h) = app.health().await;
    h["verificacao"]["verificado_em"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_is_logged_rechecks_the_installation_and_kills_nothing() {
    // 15 screens at 200 ms; the periodic check is far off, so only the signal can rerun it.
    let app = TestApp::spawn(Options { pause_ms: 200, ..Default::default() }).await;
    let session = app.start(&person("ABC1D23")).await;
    app.wait_until(&session, "the robot running", |p| p["status"] == "running").await;
    let before = checked_at(&app).await;
    assert!(before.is_string(), "the first check ran before a quote could start: {before}");

    unsafe { libc::kill(app.pid() as i32, libc::SIGHUP) };
    let deadline = Instant::now() + WAIT;
    while checked_at(&app).await == before {
        assert!(alive(app.pid()), "SIGHUP ended the service");
        assert!(Instant::now() < deadline, "the installation was not checked again after SIGHUP");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(app.service_log().contains("SIGHUP recebido"), "{}", app.service_log());
    let last = app.wait_terminal(&session).await;
    assert_eq!(last["status"], "success", "{last}");
    assert_eq!(app.attempts(&session), 1, "the quote ran through the signal on its first attempt");
    assert!(alive(app.pid()));
    let (code, h) = app.health().await;
    assert_eq!(code, 200, "{h}");
}
