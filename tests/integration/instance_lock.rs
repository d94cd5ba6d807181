//! One service per database: a second `rpa-v4 serve` on the database of a running one stops at
//! once with a message naming the running one's PID, and touches none of its quotes (its crash
//! recovery would take them for orphans and kill their robots); the commands that only read
//! (`check`, `webhooks listar`) still work beside it.

use crate::support::{alive, person, Options, TestApp};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs a second `rpa-v4 serve` with `app`'s settings on another port; waits (bounded) for it to
/// exit and returns (exited successfully, everything it printed). A second service that keeps
/// running is killed and reported as such.
fn second_serve(app: &TestApp) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
        cmd.env_remove(k);
    }
    let log = app.root.path().join("second-serve.log");
    let out = std::fs::File::create(&log).unwrap();
    cmd.arg("serve")
        .envs(app.env())
        .env("RPA_LISTEN", "127.0.0.1:0")
        .current_dir(app.root.path())
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out));
    let mut child = cmd.spawn().expect("starting a second rpa-v4");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    std::fs::File::open(&log).unwrap().read_to_string(&mut out).unwrap();
    match status {
        Some(s) => (s.success(), out),
        None => (false, format!("the second service was still running after 30 s and was killed:\n{out}")),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_serve_on_the_same_database_is_refused_and_the_first_keeps_its_quotes() {
    // 15 screens at 300 ms: the quote runs for several seconds.
    let app = TestApp::spawn(Options { pause_ms: 300, ..Default::default() }).await;
    let session = app.start(&person("ABC1D23")).await;
    app.wait_until(&session, "the robot past its first screen", |p| {
        p["status"] == "running" && p["etapa_atual"].as_i64() >= Some(1)
    })
    .await;
    let robots = app.robot_pids();
    assert_eq!(robots.len(), 1, "one robot running: {robots:?}");

    let (ok, out) = second_serve(&app);
    assert!(!ok, "a second serve on the same database must not run:\n{out}");
    assert!(out.contains(&format!("PID {}", app.pid())), "the message names the running service's PID:\n{out}");
    assert!(out.contains("já está usando o banco"), "{out}");
    assert!(!out.contains("RPA V4 ouvindo em"), "it never listened:\n{out}");

    // The first service's robot was left alone, and its quote ends on its first attempt.
    assert!(alive(robots[0]), "the running robot was killed by the second serve");
    let last = app.wait_terminal(&session).await;
    assert_eq!(last["status"], "success", "{last}");
    assert_eq!(app.attempts(&session), 1, "the quote was not taken for an orphan and rerun");
    assert_eq!(app.robot_pids().len(), 1, "no second robot ran");

    // The read-only commands work beside the running service.
    let (ok, listed) = app.cli(&["webhooks", "listar"]);
    assert!(ok, "{listed}");
    let (ok, checked) = app.cli(&["check"]);
    assert!(ok, "{checked}");
    let (code, health) = app.health().await;
    assert_eq!(code, 200, "{health}");

    // Once the first service is gone, even by `kill -9`, the database is free again.
    let mut app = app;
    app.kill9();
    app.launch();
    let (code, health) = app.health().await;
    assert_eq!(code, 200, "the restarted service answers: {health}");
}
