//! A full disk, made without root by SQLite's own size limit (`RPA_DB_MAX_MB`, which is `PRAGMA
//! max_page_count`): a start the database cannot take answers 503 with `Retry-After`, health is
//! `unhealthy` and names the disk, and the quotes that were running keep their last writes until
//! there is room again: every one of them ends on its first attempt with all its history, its
//! plans and its ending event, and none stays `running`.

use crate::support::{person, Options, TestApp, WAIT};
use serde_json::Value;
use std::time::{Duration, Instant};

/// A plate of the fake robot that waits after screen 3 until its `go_<session>` file appears.
fn waiting_plate(n: usize) -> String {
    format!("ESP{}{}{:02}", n % 10, char::from(b'A' + (n / 10) as u8), n % 100)
}

fn history_of(app: &TestApp, session: &str) -> (i64, i64, i64) {
    app.db()
        .query_row(
            "SELECT (SELECT count(*) FROM history h WHERE h.job_id = j.id),
                    (SELECT count(*) FROM plans p WHERE p.job_id = j.id),
                    (SELECT count(*) FROM events e WHERE e.session_id = j.session_id AND e.type = 'cotacao.concluida')
             FROM jobs j WHERE j.session_id = ?1",
            [session],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

async fn wait_log(app: &TestApp, what: &str) {
    let deadline = Instant::now() + WAIT;
    while !app.service_log().contains(what) {
        assert!(Instant::now() < deadline, "timed out waiting for the log line {what:?}:\n{}", app.service_log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_answers_503_health_names_it_and_the_running_quotes_lose_nothing() {
    let mut app = TestApp::spawn(Options::default()).await;
    // A reference quote on a disk with room: what a whole quote leaves in the database.
    let reference = app.start(&person("ABC1D23")).await;
    assert_eq!(app.wait_terminal(&reference).await["status"], "success");
    let whole = history_of(&app, &reference);
    assert!(whole.0 >= 15 && whole.1 == 2 && whole.2 == 1, "{whole:?}");

    // Stopped, the database grows past 1 MiB with a table of the test's own, then a little of it
    // is freed: restarted with RPA_DB_MAX_MB=1 the service may use that room, and never grow it.
    assert!(app.terminate(WAIT), "the service stops");
    {
        let db = app.db();
        db.execute_batch("CREATE TABLE enchimento (b BLOB)").unwrap();
        for _ in 0..96 {
            db.execute("INSERT INTO enchimento VALUES (zeroblob(16384))", []).unwrap();
        }
        db.execute("DELETE FROM enchimento WHERE rowid <= 6", []).unwrap();
    }
    app.opts.extra_env.push(("RPA_DB_MAX_MB".into(), "1".into()));
    app.launch();

    // Quotes that stop after screen 3 and wait, until the database is full.
    let mut accepted = Vec::new();
    let mut refused = None;
    for n in 0..200 {
        let r = app.post_start(&person(&waiting_plate(n))).await;
        match r.status().as_u16() {
            200 => accepted.push(r.json::<Value>().await.unwrap()["session_id"].as_str().unwrap().to_string()),
            503 => {
                refused = Some(r);
                break;
            }
            other => panic!("POST start answered {other}: {}", r.text().await.unwrap()),
        }
    }
    let refused = refused.expect("the database filled up");
    assert!(!accepted.is_empty(), "some quotes were accepted before it filled up");
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["success"], false, "{body}");
    assert!(body["error"].as_str().unwrap().contains("Tente de novo"), "{body}");
    assert!(body.get("dados_recebidos").is_none(), "nothing was recorded: {body}");

    let (code, h) = app.health().await;
    assert_eq!((code, h["status"].as_str()), (503, Some("unhealthy")), "{h}");
    assert_eq!(h["database"], "sem_espaco", "{h}");
    let motivos = h["motivos"].to_string();
    assert!(motivos.contains("RPA_DB_MAX_MB") && motivos.contains("503"), "{motivos}");

    // The waiting robots finish while the database is full: their last writes cannot land, and
    // the slots keep them.
    for s in &accepted {
        std::fs::write(app.state_dir().join(format!("go_{s}")), "").unwrap();
    }
    wait_log(&app, "falha ao gravar o resultado da cotação: nova tentativa").await;
    let running: i64 = app.scalar("SELECT count(*) FROM jobs WHERE status = 'running'");
    assert!(running > 0, "a quote whose ending could not be written is still running, not lost or failed");

    // Room again.
    app.db().execute_batch("DROP TABLE enchimento").unwrap();
    for s in &accepted {
        let last = app.wait_terminal(s).await;
        assert_eq!(last["status"], "success", "{s}: {last}");
        assert_eq!(app.attempts(s), 1, "{s} ran once");
        assert_eq!(history_of(&app, s), whole, "{s} has all its history, its plans and its ending event");
    }
    app.wait_db(
        "no quote left running or queued",
        "SELECT count(*) = 0 FROM jobs WHERE status IN ('running', 'queued')",
    )
    .await;
    let deadline = Instant::now() + WAIT;
    loop {
        let (code, h) = app.health().await;
        if code == 200 {
            assert_eq!(h["database"], "ok", "{h}");
            break;
        }
        assert!(Instant::now() < deadline, "health stayed unhealthy after space returned: {h}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_log(&app, "o banco de dados voltou a aceitar gravações").await;
    app.start(&person("XYZ9876")).await;
}
