//! What the monitor keeps across restarts (`monitor_state`): the verdict last announced, the canary
//! failure last alerted on, the fingerprint scan's cursor. Written in the transaction that makes
//! the change it records.

use crate::store::db::{now, DbError};
use rusqlite::Connection;

/// A value the monitor keeps across restarts (`monitor_state`).
pub fn state(conn: &Connection, key: &str) -> Result<Option<String>, DbError> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT value FROM monitor_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub fn set_state(conn: &Connection, key: &str, value: &str) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO monitor_state (key, value, changed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
        rusqlite::params![key, value, now()],
    )?;
    Ok(())
}
