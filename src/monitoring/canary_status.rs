//! How the canary quotes (`jobs.canary = 1`) have been ending: the last one, how long ago, and
//! how many of the latest failed in a row.

use crate::contract::status::JobStatus;
use crate::store::db::DbError;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CanaryStatus {
    /// `cotado`, or the error `tipo` of the last finished canary.
    pub resultado: String,
    pub sucesso: bool,
    pub concluido_em: String,
    pub idade_s: i64,
    /// The screen the last canary's last attempt reached.
    pub tela: Option<i64>,
    /// Failed canaries in a row, the last one included.
    pub falhas_seguidas: i64,
    /// The session of the first failure of the current run of failures (what an alert names).
    #[serde(skip)]
    pub failing_since: Option<String>,
}

/// The last finished canary, if any ever ran.
pub fn status(conn: &Connection, now: chrono::DateTime<chrono::Utc>) -> Result<Option<CanaryStatus>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT session_id, status, coalesce(resultado, 'erro'), concluido_em, tela
         FROM canaries WHERE status IN (?1, ?2) ORDER BY concluido_em DESC LIMIT 50",
    )?;
    let rows: Vec<(String, JobStatus, String, String, Option<i64>)> = stmt
        .query_map([JobStatus::Success, JobStatus::Error], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let Some((_, status, resultado, concluido_em, tela)) = rows.first().cloned() else { return Ok(None) };
    let failing: Vec<&(String, JobStatus, String, String, Option<i64>)> =
        rows.iter().take_while(|r| r.1 != JobStatus::Success).collect();
    let idade_s = chrono::DateTime::parse_from_rfc3339(&concluido_em)
        .map_or(0, |t| (now - t.with_timezone(&chrono::Utc)).num_seconds().max(0));
    Ok(Some(CanaryStatus {
        resultado,
        sucesso: status == JobStatus::Success,
        concluido_em,
        idade_s,
        tela,
        falhas_seguidas: failing.len() as i64,
        failing_since: failing.last().map(|r| r.0.clone()),
    }))
}

/// Whether a canary is configured and has ever been queued (for health to say "not yet run").
pub fn last_queued_at(conn: &Connection) -> Result<Option<String>, DbError> {
    Ok(conn.query_row("SELECT max(created_at) FROM jobs WHERE canary = 1", [], |r| r.get(0)).optional()?.flatten())
}
