//! Retention of personal data: jobs that ended more than N days ago lose their CPF, their robot
//! input and their files (snapshots, masked log); the quote itself (plate, vehicle, plans,
//! outcome) stays, anonymised. Visitors turned away by a full queue lose their CPF and form data
//! after the same time, and outbox events their data once no delivery of theirs is pending: an
//! event keeps its type, lead and delivery statuses.

use crate::db::{timestamp, writer, DbError};
use rusqlite::{params, Connection};
use std::path::Path;

/// What a purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    pub jobs: usize,
    pub turned_away: usize,
    pub events: usize,
}

/// Anonymises every job that ended, every turned-away visitor and every settled event from
/// before `now - days`.
pub fn purge(conn: &mut Connection, data_dir: &Path, days: u32, now: chrono::DateTime<chrono::Utc>) -> Result<PurgeReport, DbError> {
    let cutoff = timestamp(now - chrono::Duration::days(i64::from(days)));
    let purged_at = timestamp(now);
    let _w = writer();
    let tx = conn.transaction()?;
    let sessions: Vec<String> = {
        let mut stmt = tx.prepare(
            "UPDATE jobs SET cpf = NULL, input_json = NULL, purged_at = ?2
             WHERE status IN ('success','error') AND finished_at < ?1 AND purged_at IS NULL
             RETURNING session_id",
        )?;
        let rows = stmt.query_map(params![cutoff, purged_at], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let turned_away = tx.execute(
        "UPDATE turned_away SET cpf = NULL, input_json = NULL, purged_at = ?2 WHERE created_at < ?1 AND purged_at IS NULL",
        params![cutoff, purged_at],
    )?;
    let events = tx.execute(
        "UPDATE events SET data_json = NULL, purged_at = ?2
         WHERE created_at < ?1 AND purged_at IS NULL AND fanned_out = 1
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'pendente')",
        params![cutoff, purged_at],
    )?;
    tx.commit()?;
    for s in &sessions {
        let _ = std::fs::remove_dir_all(data_dir.join(s));
    }
    Ok(PurgeReport { jobs: sessions.len(), turned_away, events })
}
