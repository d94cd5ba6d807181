//! Crash recovery (`kill -9` of the service while robots run) and graceful shutdown (SIGTERM).

use crate::support::{alive, assert_no_secrets, person, wait_dead, Options, TestApp};
use std::collections::HashSet;
use std::time::Duration;

fn statuses(app: &TestApp) -> Vec<(String, String, u32)> {
    let db = app.db();
    let mut s = db.prepare("SELECT session_id, status, attempts FROM jobs ORDER BY id").unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn after_kill_9_and_a_restart_every_job_ends_and_no_old_robot_survives() {
    let mut app = TestApp::spawn(Options { slots: 2, pause_ms: 400, max_attempts: 3, ..Default::default() }).await;
    let mut sessions = Vec::new();
    for placa in ["SUC0001", "SUC0002", "SUC0003", "CRA0004"] {
        sessions.push(app.start(&person(placa)).await);
    }
    // Both slots busy, robots mid-run.
    for sid in &sessions[..2] {
        app.wait_until(sid, "a robot mid-run", |p| p["etapa_atual"].as_i64().unwrap_or(0) >= 1).await;
    }
    let first_run = app.robot_pids();
    assert_eq!(first_run.len(), 2, "two robots running before the crash");
    app.kill9();
    assert!(first_run.iter().all(|p| alive(*p)), "robots outlive a kill -9 of the service");

    app.opts.pause_ms = 10;
    app.launch();
    assert!(wait_dead(&first_run).await, "recovery killed the robots of the first run");
    for sid in &sessions {
        app.wait_terminal(sid).await;
    }
    let rows = statuses(&app);
    assert_eq!(rows.len(), 4, "nothing lost, nothing duplicated");
    assert_eq!(rows.iter().map(|r| &r.0).collect::<HashSet<_>>().len(), 4);
    for (sid, status, attempts) in &rows {
        if sid == &sessions[3] {
            assert_eq!((status.as_str(), *attempts), ("error", 3), "the crashing robot was retried to the limit");
        } else {
            assert_eq!(status, "success", "{sid}");
        }
    }
    for sid in &sessions[..2] {
        let (_, _, attempts) = rows.iter().find(|r| &r.0 == sid).unwrap();
        assert_eq!(*attempts, 2, "the interrupted attempt counted, then a retry");
    }
    let interrupted: i64 = app
        .db()
        .query_row(
            "SELECT count(*) FROM attempts WHERE outcome = 'retry' AND error_tipo = 'robo_sem_status_final'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(interrupted >= 2, "the orphans were recorded as technical failures");
    assert!(app.service_log().contains("recuperada"));
    assert_no_secrets("service log", &app.service_log());
    for sid in &sessions {
        assert_no_secrets("robot log", &app.robot_log(sid));
        assert_no_secrets("progress response", &app.progress(sid).await.1.to_string());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_claiming_kills_robots_after_the_grace_and_requeues_their_jobs() {
    let mut app = TestApp::spawn(Options {
        slots: 1,
        pause_ms: 1_000,
        shutdown_grace_s: 0.5,
        kill_grace_s: 0.5,
        ..Default::default()
    })
    .await;
    let running = app.start(&person("SUC0001")).await;
    let waiting = app.start(&person("SUC0002")).await;
    app.wait_until(&running, "the robot's first snapshot", |p| !p["timeline"].as_array().unwrap().is_empty()).await;
    let robots = app.robot_pids();
    assert_eq!(robots.len(), 1);
    assert!(app.terminate(Duration::from_secs(60)), "the service exits cleanly on SIGTERM");
    assert!(wait_dead(&robots).await, "its robot was taken down");
    let rows = statuses(&app);
    assert_eq!(rows, vec![(running.clone(), "queued".into(), 0), (waiting.clone(), "queued".into(), 0)]);
    assert_eq!(app.robot_pids().len(), 1, "no new robot was started while stopping");

    app.opts.pause_ms = 10;
    app.launch();
    for sid in [&running, &waiting] {
        assert_eq!(app.wait_terminal(sid).await["status"], "success");
    }
}
