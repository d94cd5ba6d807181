//! The shared browser (`RPA_BROWSER_SHARED=1`): one real Chromium behind the robot's browser
//! server, supervised by the service, whose secret endpoint every robot gets as
//! `RPA_BROWSER_SERVER`; replaced at once when it dies, recycled after its quota without
//! interrupting a running quote, closed with the service or at the next start, and a missing
//! Chromium holds the quotes as a configuration problem. The robot here is the fake one (it
//! records the endpoint it was given); the real robot's side is tested in rpa/tests, and what
//! another user of the machine can reach in tests/e2e.

use crate::support::{parent_of, person, Options, TestApp, WAIT};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn shared(extra: &[(&str, &str)]) -> Options {
    let mut env = vec![("RPA_BROWSER_SHARED".to_string(), "1".to_string())];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Options { extra_env: env, ..Default::default() }
}

/// session → the endpoint its robot was given.
fn endpoints(app: &TestApp) -> BTreeMap<String, String> {
    app.robot_state("browsers.txt")
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(s, e)| (s.to_string(), e.to_string())))
        .collect()
}

fn browsers(app: &TestApp) -> Vec<u32> {
    app.browser_pids()
}

fn alive(pid: u32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| !c.is_empty())
}

async fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_share_one_supervised_browser_that_is_replaced_when_it_dies() {
    let app = TestApp::spawn(shared(&[])).await;
    let (_, h) = app.health().await;
    assert_eq!(h["navegador"]["modo"], "compartilhado", "{h}");
    assert_eq!(browsers(&app).len(), 1, "one browser, opened at start");
    let a = app.start(&person("ABC1D23")).await;
    let b = app.start(&person("ABC2D23")).await;
    assert_eq!(app.wait_terminal(&a).await["status"], "success");
    assert_eq!(app.wait_terminal(&b).await["status"], "success");
    let seen = endpoints(&app);
    let secret = seen[&a].rsplit('/').next().unwrap_or_default();
    assert!(seen[&a].starts_with("ws+unix:///") && secret.len() == 32, "{seen:?}");
    assert_eq!(seen[&a], seen[&b], "both quotes used the same browser");
    assert!(!app.service_log().contains(secret), "the endpoint (it controls the browser) is not logged");
    assert!(!app.robot_log(&a).contains(secret), "nor written in the quote's log");

    // Killed: replaced at once; the next quote gets the new one.
    let old = browsers(&app);
    unsafe { libc::kill(-(old[0] as i32), libc::SIGKILL) };
    wait_for("a new browser", || browsers(&app).iter().any(|p| !old.contains(p))).await;
    let c = app.start(&person("ABC3D23")).await;
    assert_eq!(app.wait_terminal(&c).await["status"], "success");
    assert_ne!(endpoints(&app)[&c], seen[&a], "the dead browser's endpoint is not handed out");
    let (_, h) = app.health().await;
    assert_eq!(h["navegador"]["reinicios"], 1, "{h}");
    assert_eq!(h["navegador"]["aberto"], true, "{h}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_is_recycled_after_its_quota_without_interrupting_a_running_quote() {
    let app = TestApp::spawn(shared(&[("RPA_BROWSER_RECYCLE_CONTEXTS", "2")])).await;
    let first_browser = browsers(&app);
    assert_eq!(first_browser.len(), 1);
    // A quote that waits for the test at screen 3, on the first browser.
    let slow = app.start(&person("ESP1A23")).await;
    app.wait_until(&slow, "screen 3", |p| p["etapa_atual"].as_i64() >= Some(3)).await;
    let quick = app.start(&person("ABC1D23")).await;
    assert_eq!(app.wait_terminal(&quick).await["status"], "success");
    // The quota (2) is used: the next quote gets a new browser; the first stays for `slow`.
    let third = app.start(&person("ABC2D23")).await;
    assert_eq!(app.wait_terminal(&third).await["status"], "success");
    let seen = endpoints(&app);
    assert_eq!(seen[&slow], seen[&quick]);
    assert_ne!(seen[&third], seen[&slow], "a fresh browser after the quota");
    let now = browsers(&app);
    assert!(now.contains(&first_browser[0]), "the old browser lives while its quote runs: {now:?}");
    assert_eq!(now.len(), 2);

    std::fs::write(app.state_dir().join(format!("go_{slow}")), "").unwrap();
    assert_eq!(app.wait_terminal(&slow).await["status"], "success", "the running quote was not interrupted");
    wait_for("the old browser closed", || !browsers(&app).contains(&first_browser[0])).await;
    assert_eq!(browsers(&app).len(), 1);
    let (_, h) = app.health().await;
    assert_eq!(
        (h["navegador"]["reciclagens"].as_i64(), h["navegador"]["contextos"].as_i64()),
        (Some(1), Some(3)),
        "{h}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_chromium_holds_the_quotes_as_a_configuration_problem() {
    let app = TestApp::spawn(shared(&[("CHROMIUM_PATH", "/nao/existe/chromium")])).await;
    let deadline = Instant::now() + WAIT;
    let h = loop {
        let (_, h) = app.health().await;
        if h["verificacao"]["estado"] == "falhou" {
            break h;
        }
        assert!(Instant::now() < deadline, "{h}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(h["status"], "unhealthy");
    assert!(h["motivos"].to_string().contains("navegador: o navegador compartilhado não abriu"), "{h}");
    let sid = app.start(&person("ABC1D23")).await;
    assert_eq!(app.progress(&sid).await.1["progress"]["status"], "waiting");
    assert!(app.robot_pids().is_empty(), "no robot runs without its browser");

    let (ok, out) = app.cli(&["check"]);
    assert!(!ok && out.contains("ERRO navegador:") && out.contains("/nao/existe/chromium"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_closes_its_browsers_when_it_stops() {
    let mut app = TestApp::spawn(shared(&[])).await;
    let sid = app.start(&person("ABC1D23")).await;
    app.wait_terminal(&sid).await;
    let pids = browsers(&app);
    assert_eq!(pids.len(), 1);
    assert!(app.terminate(Duration::from_secs(30)), "a clean stop");
    let deadline = Instant::now() + Duration::from_secs(10);
    while pids.iter().any(|p| std::path::Path::new(&format!("/proc/{p}")).exists()) {
        assert!(Instant::now() < deadline, "the browser outlived the service");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_closes_when_its_service_is_killed() {
    let mut app = TestApp::spawn(shared(&[])).await;
    let old = browsers(&app);
    assert_eq!(old.len(), 1);
    app.kill9();
    // Its server sees the service's pipe close, and closes the browser.
    wait_for("the browser closed", || !alive(old[0])).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_left_by_a_killed_service_is_closed_at_the_next_start() {
    let mut app = TestApp::spawn(shared(&[])).await;
    let old = browsers(&app);
    assert_eq!(old.len(), 1);
    // A server that cannot notice its service is gone (stopped), then the service killed outright.
    let server = parent_of(old[0]).expect("the browser server (Chromium's parent)");
    unsafe { libc::kill(server as i32, libc::SIGSTOP) };
    app.kill9();
    assert!(alive(old[0]), "orphaned browser expected alive");
    app.launch();
    wait_for("the orphaned browser closed", || !alive(old[0]) && !alive(server)).await;
    assert_eq!(browsers(&app).len(), 1, "the new run has its own");
    assert!(app.service_log().contains("navegadores deixados por uma execução anterior"), "and says so");
}
