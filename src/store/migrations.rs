//! Schema versions, tracked in SQLite's `PRAGMA user_version`.
//!
//! A new database is created from `schema.sql`, the whole schema at [`LATEST`]. An existing one is
//! upgraded in place, one numbered step of `migrations/` at a time, each step and its new version
//! number in one write transaction ([`write_tx`], like every write), so a crash leaves the
//! database at one version or the next, never between. Version 1 is the first release's schema,
//! which did not set `user_version`: a database at 0 that already has a `jobs` table is at
//! version 1. A test checks that upgrading a database written by version 1 gives exactly the
//! schema of `schema.sql`.

use crate::store::write_tx::write_tx;
use rusqlite::Connection;

/// The schema version this program writes.
pub const LATEST: u32 = 6;

/// The whole schema at [`LATEST`], for new databases.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// The upgrade steps: the version each one brings the database to, and its SQL.
const STEPS: &[(u32, &str)] = &[
    (2, include_str!("../../migrations/0002_lead_outbox.sql")),
    (3, include_str!("../../migrations/0003_monitoring.sql")),
    (4, include_str!("../../migrations/0004_retry_backoff.sql")),
    (5, include_str!("../../migrations/0005_visitor_view.sql")),
    (6, include_str!("../../migrations/0006_endpoint_names.sql")),
];

#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(
        "o banco de dados está no esquema {found}, de uma versão mais nova do rpa-v4 (esta conhece até o {supported}): \
         atualize o rpa-v4 ou use uma cópia do banco de antes da atualização"
    )]
    TooNew { found: u32, supported: u32 },
    #[error("falha ao atualizar o banco de dados para o esquema {version}: {source}")]
    Step { version: u32, source: rusqlite::Error },
    #[error("erro no banco de dados: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// What [`migrate`] found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrated {
    /// An empty database, now created at [`LATEST`].
    Created,
    /// Upgraded in place from this version to [`LATEST`].
    Upgraded {
        from: u32,
    },
    UpToDate,
}

/// Brings the database to [`LATEST`]. Safe to run from several processes at once: each step
/// re-reads the version inside its own write transaction.
pub fn migrate(conn: &mut Connection) -> Result<Migrated, MigrationError> {
    let tx = write_tx(conn)?;
    let start = version(&tx)?;
    if start > LATEST {
        return Err(MigrationError::TooNew { found: start, supported: LATEST });
    }
    if start == 0 {
        tx.execute_batch(SCHEMA).map_err(|source| MigrationError::Step { version: LATEST, source })?;
        set_version(&tx, LATEST)?;
        tx.commit()?;
        return Ok(Migrated::Created);
    }
    tx.commit()?;
    // A step may rebuild a table others refer to; SQLite's procedure turns foreign keys off
    // around it (the pragma is a no-op inside a transaction) and checks them before committing.
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let stepped = run_steps(conn, start);
    conn.pragma_update(None, "foreign_keys", enforced)?;
    stepped?;
    Ok(if start == LATEST { Migrated::UpToDate } else { Migrated::Upgraded { from: start } })
}

fn run_steps(conn: &mut Connection, start: u32) -> Result<(), MigrationError> {
    for &(to, sql) in STEPS.iter().filter(|(to, _)| *to > start) {
        let tx = write_tx(conn)?;
        if version(&tx)? >= to {
            continue; // another process got there first
        }
        tx.execute_batch(sql).map_err(|source| MigrationError::Step { version: to, source })?;
        let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if broken > 0 {
            return Err(MigrationError::Step {
                version: to,
                source: rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                    Some(format!("{broken} referência(s) quebrada(s)")),
                ),
            });
        }
        set_version(&tx, to)?;
        tx.commit()?;
    }
    Ok(())
}

/// The database's schema version; 0 for an empty database.
pub fn version(conn: &Connection) -> Result<u32, rusqlite::Error> {
    let stored: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if stored > 0 {
        return Ok(stored);
    }
    let has_jobs: bool =
        conn.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'", [], |r| {
            r.get(0)
        })?;
    Ok(u32::from(has_jobs))
}

fn set_version(conn: &Connection, v: u32) -> Result<(), rusqlite::Error> {
    conn.pragma_update(None, "user_version", v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_in_order_up_to_latest() {
        let versions: Vec<u32> = STEPS.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (2..=LATEST).collect::<Vec<_>>());
    }

    #[test]
    fn an_empty_database_is_created_at_the_latest_version_and_then_left_alone() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut c).unwrap(), Migrated::Created);
        assert_eq!(version(&c).unwrap(), LATEST);
        assert_eq!(migrate(&mut c).unwrap(), Migrated::UpToDate);
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c).unwrap();
        set_version(&c, LATEST + 1).unwrap();
        let e = migrate(&mut c).unwrap_err();
        assert!(matches!(e, MigrationError::TooNew { found, .. } if found == LATEST + 1), "{e}");
        assert!(e.to_string().contains("atualize o rpa-v4"));
        assert_eq!(version(&c).unwrap(), LATEST + 1);
    }
}
