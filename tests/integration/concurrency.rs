//! 50 simultaneous starts against 4 slots: 50 distinct jobs, never more than 4 robots alive at
//! once (counted by the robots themselves), all finish.

use crate::support::{person, Options, TestApp};
use serde_json::json;
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread")]
async fn fifty_simultaneous_starts_run_on_four_slots() {
    let app = TestApp::spawn(Options { slots: 4, pause_ms: 20, ..Default::default() }).await;
    let mut starts = tokio::task::JoinSet::new();
    for i in 0..50 {
        let mut body = person(&format!("SUC{i:04}"));
        // Distinct visitors: alternate the two synthetic CPFs.
        if i % 2 == 1 {
            body["cpf"] = json!("111.444.777-35");
        }
        let (client, url) = (app.client.clone(), format!("{}/api/rpa/start", app.base));
        starts.spawn(async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.json::<serde_json::Value>().await.unwrap()["session_id"].as_str().unwrap().to_string()
        });
    }
    let sessions: Vec<String> = starts.join_all().await;
    let distinct: HashSet<&String> = sessions.iter().collect();
    assert_eq!(distinct.len(), 50, "50 distinct jobs");

    for sid in &sessions {
        let p = app.wait_terminal(sid).await;
        assert_eq!(p["status"], "success", "{sid}: {p}\nrobot log:\n{}", app.robot_log(sid));
    }
    let counts: serde_json::Value = serde_json::from_str(&app.robot_state("concurrency.json")).unwrap();
    assert_eq!(counts["started"], 50, "one robot per job: {counts}");
    let max = counts["max"].as_i64().unwrap();
    assert!((1..=4).contains(&max), "at most 4 robots alive at once, saw {max}");
    let jobs: i64 = app
        .db()
        .query_row("SELECT count(*) FROM jobs WHERE status = 'success' AND attempts = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jobs, 50);
}
