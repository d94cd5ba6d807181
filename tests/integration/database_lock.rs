//! The service keeps SQLite's own lock on its database for as long as it runs, so an operator's
//! `sqlite3` reader (the README's recipes) can never take itself for the last connection and
//! delete the live WAL; and every quote accepted after such a read survives a `kill -9`.

use crate::support::{person, TestApp};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

/// The POSIX locks `pid` holds on `file`, as `/proc/locks` lists them ("READ", "WRITE").
fn locks_held(pid: u32, file: &Path) -> Vec<String> {
    let meta = std::fs::metadata(file).expect("database file");
    let (major, minor) = (libc::major(meta.dev()), libc::minor(meta.dev()));
    let inode = meta.ino();
    std::fs::read_to_string("/proc/locks")
        .expect("/proc/locks")
        .lines()
        .filter_map(|line| {
            // "1: POSIX  ADVISORY  READ 1234 08:01:56789 1073741826 1073742335"
            let f: Vec<&str> = line.split_whitespace().collect();
            let pos = f.iter().position(|w| *w == "POSIX")?;
            let (kind, owner, id) = (f.get(pos + 2)?, f.get(pos + 3)?, f.get(pos + 4)?);
            let mut id = id.split(':');
            let (maj, min, ino) = (id.next()?, id.next()?, id.next()?);
            let same_file = u32::from_str_radix(maj, 16).ok()? == major
                && u32::from_str_radix(min, 16).ok()? == minor
                && ino.parse::<u64>().ok()? == inode;
            (same_file && owner.parse::<u32>().ok()? == pid).then(|| kind.to_string())
        })
        .collect()
}

/// Descriptors of `pid` that point at a file deleted from under it.
fn deleted_files_open(pid: u32) -> Vec<String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| {
            dir.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .map(|p| p.display().to_string())
                .filter(|p| p.ends_with("(deleted)"))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs one query with the `sqlite3` program, as an operator would.
fn sqlite3(db: &Path, sql: &str) -> String {
    let out =
        Command::new("sqlite3").arg(db).arg(sql).output().expect("the sqlite3 program (scripts/setup.sh installs it)");
    assert!(out.status.success(), "sqlite3 {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn lead_events(app: &TestApp, session: &str) -> i64 {
    let sql = format!("SELECT count(*) FROM events WHERE type = 'lead.recebido' AND session_id = '{session}'");
    sqlite3(&app.db_path(), &sql).trim().parse().unwrap()
}

#[tokio::test]
async fn an_operators_sqlite3_reader_leaves_the_wal_in_place_and_no_accepted_quote_is_lost() {
    let mut app = TestApp::spawn(Default::default()).await;
    let mut accepted = Vec::new();
    for placa in ["ABC1D23", "DEF4G56"] {
        accepted.push(app.start(&person(placa)).await);
    }
    // A finished job means the preflight ran and opened the gate: start-up is over.
    for session in &accepted {
        assert_eq!(app.wait_terminal(session).await["status"], "success");
    }
    let db = app.db_path();
    let wal = db.with_file_name("rpa.db-wal");
    let held = locks_held(app.pid(), &db);
    assert!(!held.is_empty(), "after start-up the service holds no lock on {} (/proc/locks)", db.display());
    assert!(wal.exists(), "no WAL beside the running service's database");

    // The README's recipes, the `quotes` view among them.
    sqlite3(&db, "SELECT count(*) FROM jobs");
    sqlite3(&db, "SELECT concluido_em, placa, resultado, premio_recomendado FROM quotes ORDER BY concluido_em");
    sqlite3(&db, "SELECT session_id, status, attempts FROM jobs WHERE status IN ('queued', 'running') ORDER BY id");
    assert!(wal.exists(), "a sqlite3 reader deleted the running service's WAL");
    assert_eq!(deleted_files_open(app.pid()), Vec::<String>::new(), "the service writes into deleted files");
    assert_eq!(locks_held(app.pid(), &db), held, "the service's lock changed under a reader");

    for placa in ["GHI7J89", "JKL0M12", "MNO3P45"] {
        accepted.push(app.start(&person(placa)).await);
    }
    sqlite3(&db, "SELECT count(*) FROM quotes");
    app.kill9();
    app.launch();
    for session in &accepted {
        let (status, body) = app.progress(session).await;
        assert_eq!(status, 200, "accepted quote {session} lost after kill -9 and restart: {body}");
        assert_eq!(lead_events(&app, session), 1, "lead event of {session} lost");
    }
}
