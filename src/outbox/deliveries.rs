//! Delivery rows: one per event and endpoint subscribed to it. The producers of events only write
//! `events`; [`fan_out`] later creates the rows for the endpoints configured now, so a crash
//! between the two loses nothing. The worker takes each endpoint's [`due`] ones, and
//! [`record_attempt`] writes each attempt's result: delivered, the time of the next try, or dead.

use super::event::EventType;
use crate::store::db::{now, timestamp, DbError};
use crate::store::write_tx::write_tx;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;

/// An endpoint as fan-out sees it: its URL and the event types it takes.
pub struct Subscription<'a> {
    pub endpoint: &'a str,
    pub events: &'a [EventType],
}

/// Events fanned out per transaction.
const FAN_OUT_BATCH: i64 = 500;

/// Creates the deliveries of every event not yet fanned out. Returns how many were created.
/// An endpoint switched off by its receiver (HTTP 410) gets its deliveries dead at once, so
/// `rpa-v4 webhooks reenviar` can still send them once the operator has fixed it.
pub fn fan_out(conn: &mut Connection, subscriptions: &[Subscription]) -> Result<usize, DbError> {
    let mut created = 0;
    loop {
        // A read first: the common case, nothing new, takes no write lock.
        let waiting: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM events WHERE fanned_out = 0)", [], |r| r.get(0))?;
        if !waiting {
            return Ok(created);
        }
        let tx = write_tx(conn)?;
        let events: Vec<(i64, String)> = {
            let mut stmt =
                tx.prepare_cached("SELECT id, type FROM events WHERE fanned_out = 0 ORDER BY id LIMIT ?1")?;
            let rows = stmt.query_map([FAN_OUT_BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        if events.is_empty() {
            return Ok(created);
        }
        let disabled = disabled_endpoints(&tx)?;
        let t = now();
        for (id, kind) in &events {
            let kind = EventType::parse(kind);
            for s in subscriptions.iter().filter(|s| kind.is_some_and(|k| s.events.contains(&k))) {
                let (status, next, result) = match disabled.iter().find(|(e, _)| e == s.endpoint) {
                    Some((_, reason)) => ("morto", None, Some(format!("endpoint desativado: {reason}"))),
                    None => ("pendente", Some(t.as_str()), None),
                };
                created += tx.execute(
                    "INSERT OR IGNORE INTO deliveries (event_id, endpoint, status, created_at, next_attempt_at, last_result)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, s.endpoint, status, t, next, result],
                )?;
            }
            tx.execute("UPDATE events SET fanned_out = 1 WHERE id = ?1", [id])?;
        }
        tx.commit()?;
    }
}

/// Endpoints their receiver switched off, with the reason.
pub fn disabled_endpoints(conn: &Connection) -> Result<Vec<(String, String)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT endpoint, coalesce(disabled_reason, '') FROM endpoint_state WHERE disabled_at IS NOT NULL ORDER BY endpoint",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A pending delivery whose time has come, with what is needed to send it.
#[derive(Debug, Clone)]
pub struct Due {
    pub event_row: i64,
    pub endpoint: String,
    /// Attempts made before this one.
    pub attempts: u32,
    /// The receivers' idempotency key (`webhook-id`).
    pub event_id: String,
    pub kind: String,
    pub created_at: String,
    /// `None` once the retention purge has taken the data.
    pub data_json: Option<String>,
}

impl Due {
    pub fn key(&self) -> (i64, String) {
        (self.event_row, self.endpoint.clone())
    }
}

/// Up to `limit` of `endpoint`'s pending deliveries due at `at`, oldest first, leaving out those
/// in `busy`.
pub fn due(
    conn: &Connection,
    endpoint: &str,
    at: DateTime<Utc>,
    limit: usize,
    busy: &HashSet<(i64, String)>,
) -> Result<Vec<Due>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.event_id, d.endpoint, d.attempts, e.event_id, e.type, e.created_at, e.data_json
         FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.endpoint = ?1 AND d.status = 'pendente' AND d.next_attempt_at <= ?2
         ORDER BY d.next_attempt_at LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![endpoint, timestamp(at), (limit + busy.len()) as i64], |r| {
        Ok(Due {
            event_row: r.get(0)?,
            endpoint: r.get(1)?,
            attempts: r.get(2)?,
            event_id: r.get(3)?,
            kind: r.get(4)?,
            created_at: r.get(5)?,
            data_json: r.get(6)?,
        })
    })?;
    let mut out = Vec::with_capacity(limit);
    for d in rows {
        let d = d?;
        if !busy.contains(&d.key()) {
            out.push(d);
        }
        if out.len() == limit {
            break;
        }
    }
    Ok(out)
}

/// Pending deliveries to endpoints that are no longer configured can never be sent: they are
/// marked dead, with the reason, so they show up instead of waiting for ever. Returns how many.
pub fn retire_unconfigured(conn: &mut Connection, configured: &[&str]) -> Result<usize, DbError> {
    let pending: Vec<String> = {
        let mut stmt = conn.prepare("SELECT DISTINCT endpoint FROM deliveries WHERE status = 'pendente'")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let gone: Vec<&String> = pending.iter().filter(|e| !configured.contains(&e.as_str())).collect();
    if gone.is_empty() {
        return Ok(0);
    }
    let tx = write_tx(conn)?;
    let mut n = 0;
    for e in gone {
        n += tx.execute(
            "UPDATE deliveries SET status = 'morto', next_attempt_at = NULL,
                    last_result = 'o endpoint não está mais em RPA_WEBHOOKS_FILE'
             WHERE endpoint = ?1 AND status = 'pendente'",
            [e],
        )?;
    }
    tx.commit()?;
    Ok(n)
}

/// When the next pending delivery after `at` is due, if any.
pub fn next_due_after(conn: &Connection, at: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, DbError> {
    let next: Option<String> = conn
        .query_row(
            "SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pendente' AND next_attempt_at > ?1",
            [timestamp(at)],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(next.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&Utc)))
}

/// How one attempt ended, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempted {
    Delivered {
        result: String,
    },
    /// Failed; try again at this time.
    Retry {
        at: DateTime<Utc>,
        result: String,
    },
    /// Failed for good (attempts spent, or nothing to send).
    Dead {
        result: String,
    },
    /// The receiver answered 410: this delivery and every pending one of the endpoint are dead,
    /// and the endpoint is switched off.
    EndpointGone {
        result: String,
    },
}

/// Writes the result of the attempt that followed `d.attempts` earlier ones.
pub fn record_attempt(conn: &mut Connection, d: &Due, outcome: &Attempted) -> Result<(), DbError> {
    let tx = write_tx(conn)?;
    let t = now();
    let (status, next, result, delivered) = match outcome {
        Attempted::Delivered { result } => ("entregue", None, result, Some(t.clone())),
        Attempted::Retry { at, result } => ("pendente", Some(timestamp(*at)), result, None),
        Attempted::Dead { result } | Attempted::EndpointGone { result } => ("morto", None, result, None),
    };
    tx.execute(
        "UPDATE deliveries SET status = ?3, attempts = ?4, next_attempt_at = ?5, last_attempt_at = ?6,
                last_result = ?7, delivered_at = ?8
         WHERE event_id = ?1 AND endpoint = ?2",
        params![d.event_row, d.endpoint, status, d.attempts + 1, next, t, result, delivered],
    )?;
    if let Attempted::EndpointGone { result } = outcome {
        tx.execute(
            "INSERT INTO endpoint_state (endpoint, disabled_at, disabled_reason) VALUES (?1, ?2, ?3)
             ON CONFLICT (endpoint) DO UPDATE SET disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason",
            params![d.endpoint, t, result],
        )?;
        tx.execute(
            "UPDATE deliveries SET status = 'morto', next_attempt_at = NULL, last_result = ?2
             WHERE endpoint = ?1 AND status = 'pendente'",
            params![d.endpoint, format!("endpoint desativado: {result}")],
        )?;
    }
    tx.commit()?;
    Ok(())
}
