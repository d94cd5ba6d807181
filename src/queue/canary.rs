//! The canary quote in the queue: the operator's own synthetic request (`RPA_CANARY_FILE`, the
//! fields of `POST /api/rpa/start` with the operator's test data), validated like a visitor's, and
//! queued through the same queue and robot as a visitor's quote when it is due
//! ([`crate::monitoring::canary_schedule`] decides when). Marked `jobs.canary = 1`: never a lead
//! (no events), not in `quotes` (it is in `canaries`).

use super::job::QuoteData;
use super::wakeup::Wakeup;
use crate::contract::status::JobStatus;
use crate::domain::{quote_request, session_id::SessionId};
use crate::store::db::{now, timestamp, DbError};
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection};
use std::path::Path;

/// The canary request, validated like a visitor's.
pub type CanaryQuote = QuoteData;

#[derive(Debug, thiserror::Error)]
pub enum CanaryError {
    #[error("não foi possível ler a cotação canário {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("a cotação canário {path} não é um objeto JSON")]
    NotJson { path: String },
    #[error("a cotação canário {path} tem campos inválidos: {problems}")]
    Invalid { path: String, problems: String },
    #[error(transparent)]
    Defaults(#[from] crate::domain::defaults::DefaultsError),
}

/// Reads and validates the canary file, with the operator's questionnaire defaults.
pub fn load(path: &Path, defaults_file: &Path) -> Result<CanaryQuote, CanaryError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CanaryError::Read { path: p.clone(), source })?;
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&text) else {
        return Err(CanaryError::NotJson { path: p });
    };
    let defaults = crate::domain::defaults::load(defaults_file)?;
    let today = chrono::Local::now().date_naive();
    let request = quote_request::parse(&fields, &defaults, today).map_err(|errors| CanaryError::Invalid {
        path: p.clone(),
        problems: errors.iter().map(|e| format!("{}: {}", e.campo, e.mensagem)).collect::<Vec<_>>().join("; "),
    })?;
    Ok(QuoteData::from(&request))
}

/// Queues the canary quote when it is due: none created since `due_before`, none alive, nothing
/// waiting and a slot free (`slots` robots at most). Returns its session id if one was queued.
/// No lead event: a canary is never a lead. Once committed, it wakes the runners.
pub fn enqueue_canary(
    conn: &mut Connection,
    quote: &QuoteData,
    slots: u16,
    max_attempts: u32,
    due_before: chrono::DateTime<chrono::Utc>,
    wakeup: &Wakeup,
) -> Result<Option<SessionId>, DbError> {
    let tx = write_tx(conn)?;
    let (queued, running, recent): (i64, i64, bool) = tx.query_row(
        "SELECT count(*) FILTER (WHERE status = ?2), count(*) FILTER (WHERE status = ?3),
                EXISTS (SELECT 1 FROM jobs WHERE canary = 1 AND (created_at > ?1 OR status IN (?2, ?3)))
         FROM jobs WHERE status IN (?2, ?3)",
        params![timestamp(due_before), JobStatus::Queued, JobStatus::Running],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if queued > 0 || running >= i64::from(slots) || recent {
        return Ok(None);
    }
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE cpf = ?1 AND placa = ?2 AND status IN (?3, ?4))",
        params![quote.cpf, quote.placa, JobStatus::Queued, JobStatus::Running],
        |r| r.get(0),
    )?;
    if taken {
        return Ok(None);
    }
    let session_id = SessionId::fresh();
    let t = now();
    tx.execute(
        "INSERT INTO jobs (session_id, status, created_at, updated_at, max_attempts, placa, marca, modelo, ano, cpf, input_json, lead_json,
                           lead_id, canary)
         VALUES (?1, ?10, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '{}', ?1, 1)",
        params![session_id, t, max_attempts, quote.placa, quote.marca, quote.modelo, quote.ano, quote.cpf, quote.input_json,
                JobStatus::Queued],
    )?;
    tx.commit()?;
    wakeup.runners();
    Ok(Some(session_id))
}
