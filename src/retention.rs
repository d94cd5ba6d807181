//! Retention of personal data: jobs that ended more than N days ago lose their CPF, their robot
//! input and their files (snapshots, masked log); the quote itself (plate, vehicle, plans,
//! outcome) stays, anonymised.

use crate::db::{timestamp, writer, DbError};
use rusqlite::{params, Connection};
use std::path::Path;

/// What a purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub jobs: usize,
}

/// Anonymises every job that ended before `now - days`.
pub fn purge(conn: &mut Connection, data_dir: &Path, days: u32, now: chrono::DateTime<chrono::Utc>) -> Result<PurgeReport, DbError> {
    let cutoff = timestamp(now - chrono::Duration::days(i64::from(days)));
    let _w = writer();
    let tx = conn.transaction()?;
    let sessions: Vec<String> = {
        let mut stmt = tx.prepare(
            "UPDATE jobs SET cpf = NULL, input_json = NULL, purged_at = ?2
             WHERE status IN ('success','error') AND finished_at < ?1 AND purged_at IS NULL
             RETURNING session_id",
        )?;
        let rows = stmt.query_map(params![cutoff, timestamp(now)], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.commit()?;
    for s in &sessions {
        let _ = std::fs::remove_dir_all(data_dir.join(s));
    }
    Ok(PurgeReport { jobs: sessions.len() })
}
