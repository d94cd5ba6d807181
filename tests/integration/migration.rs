//! Operators' databases written by earlier releases are upgraded in place by the current service:
//! every row kept, the schema the same as a new database's, and the quotes they left waiting still
//! run. tests/fixtures/rpa_v1.db was written by the first release (schema 1, which did not set
//! `user_version`), tests/fixtures/rpa_v2.db by the release of the lead outbox (schema 2, with
//! events, pending deliveries and a visitor turned away), rpa_v3.db by the monitoring release and
//! rpa_v4.db by the release of the retry backoff (rows in every table). See
//! tests/fixtures/README.md.

use crate::support::{Options, TestApp};
use rusqlite::{types::Value as Sql, Connection};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rpa_v1.db")
}

fn fixture_v2() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rpa_v2.db")
}

/// The given columns of every row `rest` selects ("FROM … WHERE … ORDER BY …").
fn rows(c: &Connection, columns: &[String], rest: &str) -> Vec<Vec<Sql>> {
    let sql = format!("SELECT {} {rest}", columns.join(", "));
    let mut stmt = c.prepare(&sql).unwrap();
    let n = columns.len();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Sql>(i)).collect::<Result<Vec<_>, _>>())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn columns(c: &Connection, table: &str) -> Vec<String> {
    let mut stmt = c.prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")).unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

fn tables(c: &Connection) -> Vec<String> {
    let mut stmt = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// The schema's shape: each table's columns (name, type, not null, default, key) and foreign
/// keys, each index's columns, uniqueness and condition, each view's query. Comments, spacing and
/// `IF NOT EXISTS` do not count, nor where an `ALTER TABLE` left its text.
fn shape(c: &Connection) -> BTreeMap<String, String> {
    let normal = |sql: &str| {
        let no_comments: String = sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join(" ");
        no_comments.replace("IF NOT EXISTS ", "").split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut out = BTreeMap::new();
    let mut stmt =
        c.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY name").unwrap();
    let objects: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (kind, name, table, sql) in objects {
        let described = match kind.as_str() {
            "table" => {
                let cols: Vec<String> = c
                    .prepare(&format!("SELECT name, type, \"notnull\", coalesce(dflt_value, ''), pk FROM pragma_table_xinfo('{name}')"))
                    .unwrap()
                    .query_map([], |r| Ok(format!("{}|{}|{}|{}|{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?, r.get::<_, i64>(4)?)))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let fks: Vec<String> = c
                    .prepare(&format!(
                        "SELECT \"table\", \"from\", coalesce(\"to\", '') FROM pragma_foreign_key_list('{name}')"
                    ))
                    .unwrap()
                    .query_map([], |r| {
                        Ok(format!("{}.{}->{}", r.get::<_, String>(1)?, r.get::<_, String>(0)?, r.get::<_, String>(2)?))
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let check: Vec<String> = checks(&sql).iter().map(|c| normal(c)).collect();
                format!("columns {cols:?} fks {fks:?} checks {check:?}")
            }
            "index" => format!("on {table}: {}", normal(&sql)),
            _ => format!("{kind}: {}", normal(&sql)),
        };
        out.insert(name, described);
    }
    out
}

/// The `CHECK (…)` clauses of a `CREATE TABLE`, parentheses balanced.
fn checks(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = sql;
    while let Some(at) = rest.find("CHECK") {
        let tail = &rest[at..];
        let mut depth = 0;
        let mut end = tail.len();
        for (i, ch) in tail.char_indices() {
            match ch {
                '(' => depth += 1,
                ')' if depth == 1 => {
                    end = i + 1;
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_written_by_the_first_release_is_upgraded_in_place_with_nothing_lost() {
    let before = Connection::open(fixture()).unwrap();
    let v1_version: u32 = before.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v1_version, 0, "the first release did not number its schema");
    let v1_tables: Vec<(String, Vec<String>)> = tables(&before)
        .into_iter()
        .map(|t| {
            let c = columns(&before, &t);
            (t, c)
        })
        .collect();
    let waiting: Vec<(String, String, String)> = {
        let mut stmt = before
            .prepare("SELECT session_id, input_json, lead_json FROM jobs WHERE status = 'queued' ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(waiting.len(), 2, "the fixture holds quotes still waiting");
    let finished_jobs_before = "(1, 2, 3, 4, 5)";
    let finished: Vec<i64> = before
        .prepare("SELECT id FROM jobs WHERE status IN ('success', 'error') ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(finished, [1, 2, 3, 4, 5]);
    let finished_jobs = finished_jobs_before;
    let snapshot = |c: &Connection| -> BTreeMap<String, Vec<Vec<Sql>>> {
        v1_tables
            .iter()
            .map(|(t, cols)| {
                let filter = if t == "jobs" {
                    format!("WHERE id IN {finished_jobs}")
                } else {
                    format!("WHERE job_id IN {finished_jobs}")
                };
                let sql_cols: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
                (t.clone(), rows(c, &sql_cols, &format!("FROM {t} {filter} ORDER BY rowid")))
            })
            .collect()
    };
    let old_rows = snapshot(&before);
    let quote_columns: Vec<String> =
        ["session_id", "resultado", "premio_recomendado_centavos", "gclid"].map(String::from).to_vec();
    let old_quotes = rows(&before, &quote_columns, "FROM quotes ORDER BY session_id");
    assert!(old_rows["jobs"].len() == 5 && old_rows["plans"].len() == 4 && old_rows["history"].len() > 20);
    drop(before);

    let app = TestApp::spawn(Options { seed_db: Some(fixture()), ..Default::default() }).await;
    for (sid, _, _) in &waiting {
        assert_eq!(app.wait_terminal(sid).await["status"], "success", "a quote left waiting by the first release runs");
    }
    let after = app.db();
    let version: u32 = after.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, rpa_v4::store::migrations::LATEST);
    assert_eq!(snapshot(&after), old_rows, "every finished quote, attempt, history entry and plan is kept as it was");
    let new_quotes = rows(&after, &quote_columns, &format!("FROM quotes WHERE session_id IN (SELECT session_id FROM jobs WHERE id IN {finished_jobs_before}) ORDER BY session_id"));
    assert_eq!(new_quotes, old_quotes, "the quotes view answers as before");
    for (sid, input, lead) in &waiting {
        let (input_after, lead_after, lead_id): (String, String, String) = after
            .query_row("SELECT input_json, lead_json, lead_id FROM jobs WHERE session_id = ?1", [sid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(
            (&input_after, &lead_after, &lead_id),
            (input, lead, sid),
            "a waiting quote keeps its data; its lead is its session"
        );
        let events: Vec<String> = after
            .prepare("SELECT type FROM events WHERE session_id = ?1 ORDER BY id")
            .unwrap()
            .query_map([sid], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            events,
            ["cotacao.estimativa", "cotacao.concluida"],
            "{sid}: its lead arrived before the outbox existed"
        );
    }
    let old_lead_ids: i64 =
        after.query_row("SELECT count(*) FROM jobs WHERE id <= 5 AND lead_id = session_id", [], |r| r.get(0)).unwrap();
    assert_eq!(old_lead_ids, 5, "every old quote is its own lead");
    let purged: (Option<String>, Option<String>) = after
        .query_row("SELECT cpf, input_json FROM jobs WHERE placa = 'REJ1B23'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(purged, (None, None), "what the first release purged stays purged");
    let ok: String = after.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");

    let mut fresh = Connection::open_in_memory().unwrap();
    rpa_v4::store::migrations::migrate(&mut fresh).unwrap();
    assert_eq!(shape(&after), shape(&fresh), "upgrading gives exactly the schema of schema.sql");
}

#[test]
fn a_database_from_a_newer_release_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rpa.db");
    std::fs::copy(fixture(), &db).unwrap();
    Connection::open(&db).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rpa-v4"))
        .args(["purge"])
        .env("RPA_DB", &db)
        .env("RPA_DATA_DIR", dir.path().join("jobs"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("versão mais nova do rpa-v4") && text.contains("atualize o rpa-v4"), "{text}");
    let c = Connection::open(&db).unwrap();
    let (version, jobs): (u32, i64) = c
        .query_row("SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM jobs)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((version, jobs), (99, 7));
    let has_outbox: bool =
        c.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE name = 'events'", [], |r| r.get(0)).unwrap();
    assert!(!has_outbox, "nothing was changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_written_by_the_lead_outbox_release_is_upgraded_in_place_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rpa.db");
    std::fs::copy(fixture_v2(), &db).unwrap();
    let before = Connection::open(&db).unwrap();
    let v2_version: u32 = before.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v2_version, 2);
    let v2_tables: Vec<(String, Vec<String>)> = tables(&before)
        .into_iter()
        .map(|t| {
            let c = columns(&before, &t);
            (t, c)
        })
        .collect();
    let snapshot = |c: &Connection| -> BTreeMap<String, Vec<Vec<Sql>>> {
        v2_tables
            .iter()
            .map(|(t, cols)| {
                let sql_cols: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
                (t.clone(), rows(c, &sql_cols, &format!("FROM {t} ORDER BY rowid")))
            })
            .collect()
    };
    let old_rows = snapshot(&before);
    assert!(old_rows["events"].len() >= 10 && old_rows["deliveries"].len() == old_rows["events"].len());
    assert_eq!(old_rows["turned_away"].len(), 1);
    let callback_columns: Vec<String> = ["lead_id", "motivo", "placa", "nome", "telefone"].map(String::from).to_vec();
    let old_callbacks = rows(&before, &callback_columns, "FROM callbacks ORDER BY lead_id");
    let quote_columns: Vec<String> =
        ["session_id", "resultado", "premio_recomendado_centavos", "gclid"].map(String::from).to_vec();
    let old_quotes = rows(&before, &quote_columns, "FROM quotes ORDER BY session_id");
    drop(before);

    // Any command that opens the database upgrades it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rpa-v4"))
        .args(["webhooks", "listar"])
        .env("RPA_DB", &db)
        .env("RPA_DATA_DIR", dir.path().join("jobs"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = Connection::open(&db).unwrap();
    let version: u32 = after.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, rpa_v4::store::migrations::LATEST);
    assert_eq!(
        snapshot(&after),
        old_rows,
        "every job, attempt, history entry, plan, event, delivery and turned-away visitor is kept"
    );
    assert_eq!(
        rows(&after, &callback_columns, "FROM callbacks ORDER BY lead_id"),
        old_callbacks,
        "the callbacks view answers as before"
    );
    assert_eq!(
        rows(&after, &quote_columns, "FROM quotes ORDER BY session_id"),
        old_quotes,
        "the quotes view answers as before"
    );
    let not_canary: i64 = after.query_row("SELECT count(*) FROM jobs WHERE canary = 0", [], |r| r.get(0)).unwrap();
    assert_eq!(not_canary, old_rows["jobs"].len() as i64, "no earlier quote is a canary");
    let broken: i64 = after.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0, "every delivery still points at its event");
    let ok: String = after.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let mut fresh = Connection::open_in_memory().unwrap();
    rpa_v4::store::migrations::migrate(&mut fresh).unwrap();
    assert_eq!(shape(&after), shape(&fresh), "upgrading gives exactly the schema of schema.sql");
    drop(after);

    // The quotes the old release left waiting run on the new one.
    let app = TestApp::spawn(Options { seed_db: Some(db.clone()), ..Default::default() }).await;
    let waiting: Vec<String> = {
        let c = app.db();
        let mut stmt = c.prepare("SELECT session_id FROM jobs WHERE status = 'queued' ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(waiting.len(), 3, "the fixture holds quotes still waiting");
    for sid in &waiting {
        assert_eq!(
            app.wait_terminal(sid).await["status"],
            "success",
            "a quote left waiting by the previous release runs"
        );
    }
}

/// Each table and its columns.
fn table_columns(c: &Connection) -> Vec<(String, Vec<String>)> {
    tables(c)
        .into_iter()
        .map(|t| {
            let cols = columns(c, &t);
            (t, cols)
        })
        .collect()
}

/// Every row of `tables` (with the columns each had before the upgrade), in rowid order.
fn every_row(c: &Connection, tables: &[(String, Vec<String>)]) -> BTreeMap<String, Vec<Vec<Sql>>> {
    tables
        .iter()
        .map(|(t, cols)| {
            let quoted: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
            (t.clone(), rows(c, &quoted, &format!("FROM {t} ORDER BY rowid")))
        })
        .collect()
}

/// The operator's views and their columns.
fn view_columns(c: &Connection) -> Vec<(String, Vec<String>)> {
    ["quotes", "callbacks", "canaries"].iter().map(|v| (v.to_string(), columns(c, v))).collect()
}

/// What the operator's views answer in the given columns (those they had before an upgrade; a
/// view may gain columns).
fn views(c: &Connection, views: &[(String, Vec<String>)]) -> Vec<Vec<Vec<Sql>>> {
    views.iter().map(|(v, cols)| rows(c, cols, &format!("FROM {v} ORDER BY 1, 2"))).collect()
}

/// A copy of a fixture written by an earlier release (schema `version`, rows in every table), and
/// what it held: every row of every table, and what the operator's views answered.
struct Held {
    dir: tempfile::TempDir,
    db: PathBuf,
    tables: Vec<(String, Vec<String>)>,
    rows: BTreeMap<String, Vec<Vec<Sql>>>,
    views: Vec<(String, Vec<String>)>,
    answers: Vec<Vec<Vec<Sql>>>,
}

fn held(fixture: &str, version: u32) -> Held {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rpa.db");
    std::fs::copy(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture), &db).unwrap();
    let before = Connection::open(&db).unwrap();
    let found: u32 = before.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(found, version, "{fixture}");
    let tables = table_columns(&before);
    let rows = every_row(&before, &tables);
    let empty: Vec<&String> = rows.iter().filter(|(_, r)| r.is_empty()).map(|(t, _)| t).collect();
    assert!(empty.is_empty() && rows.len() == 12, "the fixture holds rows in every table: {empty:?}");
    let views = view_columns(&before);
    let answers = self::views(&before, &views);
    Held { dir, db, tables, rows, views, answers }
}

/// Opens the copy, as every command does, which upgrades it; checks that every row and view
/// answer is kept, the file is whole and its schema is a new database's. The upgraded file.
fn upgraded(h: &Held) -> Connection {
    drop(rpa_v4::store::db::open(&h.db, 1).unwrap());
    let after = Connection::open(&h.db).unwrap();
    let version: u32 = after.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, rpa_v4::store::migrations::LATEST);
    assert_eq!(every_row(&after, &h.tables), h.rows, "every row of every table is kept as it was");
    assert_eq!(views(&after, &h.views), h.answers, "quotes, callbacks and canaries answer as before");
    let integrity: String =
        after.query_row("SELECT integrity_check FROM pragma_integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let new = rpa_v4::store::db::open(&h.dir.path().join("new.db"), 1).unwrap().get().unwrap();
    assert_eq!(shape(&after), shape(&new), "upgraded, it has exactly the schema of a new database");
    after
}

/// The sessions and plates of the quotes left waiting or running.
fn left_waiting(app: &TestApp) -> Vec<(String, String)> {
    let db = app.db();
    let mut stmt =
        db.prepare("SELECT session_id, placa FROM jobs WHERE status IN ('queued', 'running') ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_written_by_the_monitoring_release_is_upgraded_in_place_with_nothing_lost() {
    let h = held("rpa_v3.db", 3);
    let after = upgraded(&h);
    let retry_waits: i64 =
        after.query_row("SELECT count(*) FROM jobs WHERE not_before IS NOT NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(retry_waits, 0, "no earlier quote waits before a retry");
    drop(after);

    // The quotes it left waiting (one interrupted at screen 3) run on the new release.
    let app = TestApp::spawn(Options { seed_db: Some(h.db.clone()), ..Default::default() }).await;
    let waiting = left_waiting(&app);
    assert_eq!(waiting.len(), 3, "the fixture holds quotes still waiting");
    for (sid, _) in &waiting {
        // The one that waited at screen 3 for a signal gets it at once.
        std::fs::write(app.state_dir().join(format!("go_{sid}")), "").unwrap();
    }
    for (sid, _) in &waiting {
        assert_eq!(
            app.wait_terminal(sid).await["status"],
            "success",
            "{sid} left waiting by the previous release runs"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_written_by_the_retry_backoff_release_is_upgraded_in_place_with_nothing_lost() {
    let h = held("rpa_v4.db", 4);
    let backing_off: i64 = Connection::open(&h.db)
        .unwrap()
        .query_row("SELECT count(*) FROM jobs WHERE not_before IS NOT NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(backing_off, 1, "the fixture holds a quote waiting before its retry");
    let after = upgraded(&h);
    let (unknown, countdowns, choices): (i64, i64, i64) = after
        .query_row(
            "SELECT (SELECT count(*) FROM jobs WHERE veiculo IS NULL AND assumed_answers IS NULL),
                    (SELECT count(*) FROM progress WHERE calculo_restante_s IS NOT NULL OR calculo_total_s IS NOT NULL),
                    (SELECT count(*) FROM interests)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (unknown, countdowns, choices),
        (h.rows["jobs"].len() as i64, 0, 0),
        "nothing is known yet of the earlier quotes' vehicles, assumptions, countdowns or choices"
    );
    drop(after);

    // An earlier quote answers as before, without what it never recorded; the quotes it left
    // waiting (one after a failure, one interrupted at screen 3) run on the new release.
    let app = TestApp::spawn(Options { seed_db: Some(h.db.clone()), ..Default::default() }).await;
    let old: String = app.scalar("SELECT session_id FROM jobs WHERE placa = 'ABC1D23'");
    let (status, v) = app.progress(&old).await;
    let p = &v["progress"];
    assert_eq!(
        (status, p["status"].as_str(), p["resultados_finais"]["dados"]["plano_recomendado"]["valor"].as_str()),
        (200, Some("success"), Some("R$ 3.099,18"))
    );
    assert!(p["veiculo"].is_null() && p["premissas"].is_null() && p["calculo"].is_null(), "{p}");
    let waiting = left_waiting(&app);
    assert_eq!(waiting.len(), 3, "the fixture holds quotes still waiting");
    for (sid, _) in &waiting {
        std::fs::write(app.state_dir().join(format!("go_{sid}")), "").unwrap();
    }
    let mut seen = vec![v];
    for (sid, placa) in &waiting {
        let done = app.wait_terminal(sid).await;
        assert!(done["premissas"].is_null(), "{placa} was queued before the assumptions were kept: not known");
        if placa.starts_with("FLK") {
            // The fake robot fails the first attempt it runs here too: the one before the upgrade counted.
            assert_eq!((done["status"].as_str(), app.attempts(sid)), (Some("error"), 2), "{placa}: its retry ran");
        } else {
            assert_eq!(done["status"], "success", "{placa} left waiting by the previous release runs");
            assert_eq!(done["veiculo"], "ECOSPORT 2007/2007", "{placa}");
        }
        seen.push(app.progress(sid).await.1);
    }
    crate::support::assert_progress_contract(&seen);
}
