//! Visitors with a valid form whom a full queue turned away: no robot runs for them, but they are
//! leads all the same. The first refusal records the visitor (`turned_away`) and a `lead.recebido`
//! with the reason; a repeated submit of the same CPF and plate within [`SAME_LEAD_WINDOW_H`] hours
//! is the same lead, and a later try that does get a quote carries that lead's id instead of
//! announcing a second lead.

use super::job::NewJob;
use crate::domain::{cpf::Cpf, placa::Placa, session_id::SessionId};
use crate::outbox::event::LeadRef;
use crate::outbox::lead_events;
use crate::store::db::{now, timestamp, DbError};
use rusqlite::{params, Connection, OptionalExtension};

/// How long a turned-away visitor's repeated submits count as the same lead.
pub const SAME_LEAD_WINDOW_H: i64 = 24;

/// The reason a visitor was turned away (`turned_away.motivo`, `situacao` of the event).
pub const QUEUE_FULL: &str = "fila_cheia";

/// The lead id of this CPF and plate's recent refusal that has not got a quote since, if any.
pub fn recent(conn: &Connection, cpf: &Cpf, placa: &Placa) -> Result<Option<String>, DbError> {
    let since = timestamp(chrono::Utc::now() - chrono::Duration::hours(SAME_LEAD_WINDOW_H));
    Ok(conn
        .query_row(
            "SELECT lead_id FROM turned_away WHERE cpf = ?1 AND placa = ?2 AND created_at >= ?3 AND session_id IS NULL
             ORDER BY created_at DESC LIMIT 1",
            params![cpf, placa, since],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records a visitor turned away by a full queue and its `lead.recebido`; returns the lead id.
pub fn record(conn: &Connection, job: &NewJob) -> Result<String, DbError> {
    let lead_id = format!("lead_{}", uuid::Uuid::new_v4().simple());
    conn.execute(
        "INSERT INTO turned_away (lead_id, created_at, motivo, placa, cpf, input_json, lead_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![lead_id, now(), QUEUE_FULL, job.quote.placa, job.quote.cpf, job.quote.input_json, job.lead_json],
    )?;
    let lead = LeadRef { lead_id: lead_id.clone(), session_id: None };
    lead_events::turned_away(conn, &lead, &job.quote.input_json, &job.lead_json, QUEUE_FULL)?;
    Ok(lead_id)
}

/// The quote a turned-away visitor got on a later try.
pub fn link(conn: &Connection, lead_id: &str, session_id: &SessionId) -> Result<(), DbError> {
    conn.execute("UPDATE turned_away SET session_id = ?2 WHERE lead_id = ?1", params![lead_id, session_id])?;
    Ok(())
}
