//! Whether the database can be written. A write that fails because the disk is full (or the
//! database reached `RPA_DB_MAX_MB`), or with an I/O error, is remembered here ([`observe`], for
//! every SQLite error the store turns into a [`DbError`]); health and the monitor then look again
//! ([`check`]) with a write that is rolled back and the disk's free space, and only room for a few
//! quotes clears it. A small write that still fits in a page proves nothing, so commits do not.
//!
//! While it stands, health is `unhealthy` and names the disk, the API answers a write it could
//! not make with 503 and `Retry-After`, and a runner keeps its quote's last writes until they
//! land.

use crate::store::db::DbError;
use crate::store::write_tx::write_tx;
use rusqlite::{Connection, ErrorCode};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Room the probe asks for: the writes of a few quotes.
pub const PROBE_BYTES: i64 = 64 * 1024;
/// Below this much free space on the database's disk, writes are not trusted to land.
pub const MIN_FREE_BYTES: u64 = 1024 * 1024;

/// Writes have been failing since `since`, last with `error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub since: chrono::DateTime<chrono::Utc>,
    pub error: String,
}

/// What health says about the disk while writes fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Full {
    pub failure: Failure,
    /// The database's directory.
    pub dir: Option<PathBuf>,
    /// Free space there, for this user.
    pub free_bytes: Option<u64>,
    /// Room left under `RPA_DB_MAX_MB`, when the database has that limit.
    pub room_under_limit: Option<u64>,
}

static FAILING: AtomicBool = AtomicBool::new(false);
static FAILURE: Mutex<Option<Failure>> = Mutex::new(None);

fn failure_slot() -> std::sync::MutexGuard<'static, Option<Failure>> {
    FAILURE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether SQLite says the disk is full or failing.
pub fn is_storage_error(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure))
}

/// Remembers a storage error (the first one of a run of them says since when).
pub fn observe(e: &rusqlite::Error) {
    if !is_storage_error(e) {
        return;
    }
    let mut slot = failure_slot();
    match slot.as_mut() {
        Some(f) => f.error = e.to_string(),
        None => {
            tracing::error!(
                error = %e,
                "o banco de dados não aceita gravações (disco cheio ou com erro): cotações novas recebem 503 e os \
                 resultados ficam esperando até haver espaço"
            );
            *slot = Some(Failure { since: chrono::Utc::now(), error: e.to_string() });
            FAILING.store(true, Ordering::Release);
        }
    }
}

/// The storage failure that stands, if any (no I/O).
pub fn failure() -> Option<Failure> {
    if !FAILING.load(Ordering::Acquire) {
        return None;
    }
    failure_slot().clone()
}

/// While a failure stands, looks again: a write of [`PROBE_BYTES`] (rolled back) must fit and
/// the disk must have [`MIN_FREE_BYTES`] free. Clears the failure when both hold; otherwise says
/// what is full.
pub fn check(conn: &mut Connection) -> Option<Full> {
    let failure = failure()?;
    let dir = conn.path().filter(|p| !p.is_empty()).and_then(|p| Path::new(p).parent()).map(Path::to_path_buf);
    let free_bytes = dir.as_deref().and_then(free_bytes);
    let probed = probe(conn);
    if let Err(e) = &probed {
        observe(e);
    }
    if probed.is_ok() && free_bytes.map_or(true, |b| b >= MIN_FREE_BYTES) {
        let mut slot = failure_slot();
        if slot.take().is_some() {
            FAILING.store(false, Ordering::Release);
            tracing::info!("o banco de dados voltou a aceitar gravações");
        }
        return None;
    }
    Some(Full { failure, dir, free_bytes, room_under_limit: room_under_limit(conn) })
}

/// A write that needs [`PROBE_BYTES`] of new room in the database, rolled back.
fn probe(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = write_tx(conn)?;
    tx.execute(
        "INSERT INTO monitor_state (key, value, changed_at) VALUES ('sonda_de_espaco', zeroblob(?1), '')",
        [PROBE_BYTES],
    )?;
    drop(tx); // rolled back: nothing is kept
    Ok(())
}

/// Free bytes for this user on the filesystem of `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `st` is a valid out-parameter.
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Room left under the connection's `max_page_count`, when it is a real limit (`RPA_DB_MAX_MB`).
fn room_under_limit(conn: &Connection) -> Option<u64> {
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).ok();
    let (max, count, free, size) =
        (pragma("max_page_count")?, pragma("page_count")?, pragma("freelist_count")?, pragma("page_size")?);
    (max < 1 << 30).then(|| ((max - count).max(0) + free) as u64 * size as u64)
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        observe(&e);
        DbError::Sqlite(e)
    }
}

impl DbError {
    /// The disk is full or failing: worth trying again later, not a bug.
    pub fn is_storage_failure(&self) -> bool {
        match self {
            DbError::Sqlite(e) => is_storage_error(e),
            DbError::Migration(crate::store::migrations::MigrationError::Step { source, .. }) => {
                is_storage_error(source)
            }
            DbError::Migration(crate::store::migrations::MigrationError::Sqlite(e)) => is_storage_error(e),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_database_is_remembered_until_there_is_room_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cheio.db");
        let mut c = Connection::open(&path).unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        c.execute_batch("CREATE TABLE enchimento (b BLOB); INSERT INTO enchimento VALUES (zeroblob(200000));").unwrap();
        let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
        c.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(())).unwrap();
        let e: DbError = c.execute("INSERT INTO enchimento VALUES (zeroblob(100000))", []).unwrap_err().into();
        assert!(e.is_storage_failure(), "{e}");
        let f = failure().expect("the failure is remembered");
        let full = check(&mut c).expect("still full");
        assert_eq!(full.failure.since, f.since);
        assert!(full.room_under_limit.is_some_and(|r| r < PROBE_BYTES as u64), "{full:?}");
        assert_eq!(full.dir.as_deref(), Some(dir.path()));
        // Space comes back: the next look clears it, and nothing of the probe was kept.
        c.execute("DELETE FROM enchimento", []).unwrap();
        assert_eq!(check(&mut c), None);
        assert_eq!(failure(), None);
        let kept: i64 = c.query_row("SELECT count(*) FROM monitor_state", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, 0);
    }
}
