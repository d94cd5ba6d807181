//! What the outbox holds that has not reached its receivers: the counts the health check shows,
//! the list `rpa-v4 webhooks listar` prints, and the dead deliveries `rpa-v4 webhooks reenviar`
//! puts back in line. Nothing here reads an event's data, so nothing personal comes out.

use super::deliveries::disabled_endpoints;
use super::endpoint_names::Names;
use crate::store::db::{now, DbError};
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection};
use serde::Serialize;

/// A pending delivery older than this makes the service `degraded`.
pub const PENDING_TOO_OLD_S: i64 = 600;

/// The health check's `webhooks` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pendentes: i64,
    pub mortos: i64,
    /// Age in seconds of the oldest event still waiting for a delivery; null when none waits.
    pub mais_antigo_s: Option<i64>,
    /// Names of the endpoints their receiver switched off (HTTP 410).
    pub endpoints_desativados: Vec<String>,
}

impl Summary {
    /// Any dead delivery, a switched-off endpoint, or an event waiting for over 10 minutes.
    pub fn is_degraded(&self) -> bool {
        self.mortos > 0
            || !self.endpoints_desativados.is_empty()
            || self.mais_antigo_s.is_some_and(|s| s > PENDING_TOO_OLD_S)
    }
}

pub fn summary(conn: &Connection) -> Result<Summary, DbError> {
    let (pendentes, mortos): (i64, i64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE status = 'pendente'), count(*) FILTER (WHERE status = 'morto')
         FROM deliveries WHERE status IN ('pendente', 'morto')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mais_antigo_s: Option<f64> = conn.query_row(
        "SELECT (julianday(?1) - julianday(min(e.created_at))) * 86400.0
         FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'pendente'",
        [now()],
        |r| r.get(0),
    )?;
    let names = Names::read(conn)?;
    let endpoints_desativados = disabled_endpoints(conn)?.into_iter().map(|(e, _)| names.of(&e)).collect();
    Ok(Summary {
        pendentes,
        mortos,
        mais_antigo_s: mais_antigo_s.map(|s| s.max(0.0).floor() as i64),
        endpoints_desativados,
    })
}

/// A delivery that has not (yet) reached its endpoint.
#[derive(Debug, Clone)]
pub struct Undelivered {
    pub event_id: String,
    pub kind: String,
    pub session_id: Option<String>,
    /// None for an alert.
    pub lead_id: Option<String>,
    pub created_at: String,
    pub endpoint: String,
    /// What the endpoint is called ([`Names`]).
    pub endpoint_name: String,
    pub status: String,
    pub attempts: u32,
    pub next_attempt_at: Option<String>,
    pub last_result: Option<String>,
}

/// Every pending and dead delivery, pending first, oldest first.
pub fn undelivered(conn: &Connection) -> Result<Vec<Undelivered>, DbError> {
    let names = Names::read(conn)?;
    let mut stmt = conn.prepare(
        "SELECT e.event_id, e.type, e.session_id, e.lead_id, e.created_at, d.endpoint, d.status, d.attempts,
                d.next_attempt_at, d.last_result
         FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.status IN ('pendente', 'morto')
         ORDER BY d.status DESC, e.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Undelivered {
            event_id: r.get(0)?,
            kind: r.get(1)?,
            session_id: r.get(2)?,
            lead_id: r.get(3)?,
            created_at: r.get(4)?,
            endpoint: r.get(5)?,
            endpoint_name: names.of(&r.get::<_, String>(5)?),
            status: r.get(6)?,
            attempts: r.get(7)?,
            next_attempt_at: r.get(8)?,
            last_result: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Which dead deliveries to send again; both `None` means all of them.
#[derive(Debug, Clone, Default)]
pub struct ResendFilter {
    /// A session (`rpa_v4_…`) or a lead (`lead_…`, a visitor the full queue turned away).
    pub lead_or_session: Option<String>,
    /// The endpoint's URL, its name, or its host.
    pub endpoint: Option<String>,
}

/// What [`resend_dead`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resent {
    pub resent: usize,
    /// Dead deliveries whose event data the retention purge has already taken.
    pub without_data: usize,
}

/// Why nothing could be resent.
#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(
        "nenhum evento da sessão ou lead \"{0}\" neste banco: confira o id (rpa_v4_… ou lead_…) em `rpa-v4 webhooks listar`"
    )]
    UnknownId(String),
    #[error(
        "nenhuma entrega para o endpoint \"{0}\" neste banco: use a url, o nome ou o host que `rpa-v4 webhooks listar` mostra"
    )]
    UnknownEndpoint(String),
}

impl From<rusqlite::Error> for ResendError {
    fn from(e: rusqlite::Error) -> Self {
        ResendError::Db(e.into())
    }
}

/// Puts matching dead deliveries back in line with a fresh retry schedule, and switches their
/// endpoints back on. A session, lead or endpoint the database has never seen is an error (a
/// mistyped id must not look like "nothing to resend").
pub fn resend_dead(conn: &mut Connection, filter: &ResendFilter) -> Result<Resent, ResendError> {
    let tx = write_tx(conn)?;
    if let Some(id) = &filter.lead_or_session {
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE session_id = ?1) OR EXISTS (SELECT 1 FROM events WHERE lead_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !known {
            return Err(ResendError::UnknownId(id.clone()));
        }
    }
    let names = Names::read(&tx)?;
    let matches = |e: &str| filter.endpoint.as_ref().map_or(true, |f| names.matches(e, f));
    if let Some(f) = &filter.endpoint {
        let mut stmt = tx.prepare("SELECT DISTINCT endpoint FROM deliveries")?;
        let all = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        if !all.iter().any(|e| matches(e)) {
            return Err(ResendError::UnknownEndpoint(f.clone()));
        }
    }
    let endpoints: Vec<String> = {
        let mut stmt = tx.prepare("SELECT DISTINCT endpoint FROM deliveries WHERE status = 'morto'")?;
        let all = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        all.into_iter().filter(|e| matches(e)).collect()
    };
    let (t, mut resent, mut without_data) = (now(), 0, 0);
    for endpoint in &endpoints {
        let matching = "d.endpoint = ?1 AND d.status = 'morto' AND (?2 IS NULL OR e.session_id = ?2 OR e.lead_id = ?2)";
        without_data += tx.query_row(
            &format!("SELECT count(*) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE {matching} AND e.data_json IS NULL"),
            params![endpoint, filter.lead_or_session],
            |r| r.get::<_, i64>(0),
        )? as usize;
        let n = tx.execute(
            &format!(
                "UPDATE deliveries SET status = 'pendente', attempts = 0, next_attempt_at = ?3
                 WHERE rowid IN (SELECT d.rowid FROM deliveries d JOIN events e ON e.id = d.event_id
                                 WHERE {matching} AND e.data_json IS NOT NULL)"
            ),
            params![endpoint, filter.lead_or_session, t],
        )?;
        if n > 0 {
            tx.execute("DELETE FROM endpoint_state WHERE endpoint = ?1", [endpoint])?;
        }
        resent += n;
    }
    tx.commit()?;
    Ok(Resent { resent, without_data })
}
