//! Retention of personal data: jobs that ended more than N days ago lose their CPF, their robot
//! input and their files (snapshots, masked log); the quote itself (plate, vehicle, plans,
//! outcome) stays, anonymised, with only the marketing keys of its lead metadata (rows written
//! before those were the only keys kept may hold others). Visitors turned away by a full queue lose their CPF and form data
//! after the same time, and outbox events their data once no delivery of theirs is pending: an
//! event keeps its type, lead and delivery statuses.

use crate::domain::quote_request::is_lead_key;
use crate::store::db::{timestamp, DbError};
use crate::store::write_tx::write_tx;
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
pub fn purge(
    conn: &mut Connection,
    data_dir: &Path,
    days: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PurgeReport, DbError> {
    let cutoff = timestamp(now - chrono::Duration::days(i64::from(days)));
    let purged_at = timestamp(now);
    let tx = write_tx(conn)?;
    let purged: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare(
            "UPDATE jobs SET cpf = NULL, input_json = NULL, purged_at = ?2
             WHERE status IN ('success','error') AND finished_at < ?1 AND purged_at IS NULL
             RETURNING id, session_id, lead_json",
        )?;
        let rows = stmt.query_map(params![cutoff, purged_at], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, _, lead_json) in &purged {
        if let Some(kept) = marketing_only(lead_json) {
            tx.execute("UPDATE jobs SET lead_json = ?2 WHERE id = ?1", params![id, kept])?;
        }
    }
    let sessions: Vec<String> = purged.into_iter().map(|(_, s, _)| s).collect();
    let turned_away = tx.execute(
        "UPDATE turned_away SET cpf = NULL, input_json = NULL, purged_at = ?2 WHERE created_at < ?1 AND purged_at IS NULL",
        params![cutoff, purged_at],
    )?;
    let events = tx.execute(
        "UPDATE events SET data_json = NULL, purged_at = ?2
         WHERE created_at < ?1 AND purged_at IS NULL AND fanned_out = 1
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'pendente')
           AND lead_id IS NOT NULL",
        params![cutoff, purged_at],
    )?;
    tx.commit()?;
    for s in &sessions {
        let _ = std::fs::remove_dir_all(data_dir.join(s));
    }
    Ok(PurgeReport { jobs: sessions.len(), turned_away, events })
}

/// The lead metadata without the keys that are not marketing keys; `None` when nothing changes.
fn marketing_only(lead_json: &str) -> Option<String> {
    let Ok(serde_json::Value::Object(mut m)) = serde_json::from_str(lead_json) else { return Some("{}".into()) };
    let before = m.len();
    m.retain(|k, _| is_lead_key(k));
    (m.len() != before).then(|| serde_json::Value::Object(m).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_keeps_only_marketing_keys_of_old_lead_metadata() {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO jobs (session_id, status, created_at, updated_at, finished_at, max_attempts, placa, cpf, input_json, lead_json)
             VALUES ('s', 'success', 'x', 'x', '2020-01-01T00:00:00.000Z', 2, 'ABC1234', '52998224725', '{}',
                     '{\"gclid\":\"g\",\"whatsapp\":\"11987654321\",\"nome_completo\":\"FULANO\",\"utm_source\":\"x\"}')",
            [],
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let report = purge(&mut c, dir.path(), 30, chrono::Utc::now()).unwrap();
        assert_eq!(report.jobs, 1);
        let lead: String = c.query_row("SELECT lead_json FROM jobs", [], |r| r.get(0)).unwrap();
        assert_eq!(lead, r#"{"gclid":"g","utm_source":"x"}"#);
    }
}
