//! Is the service doing its job? Health's verdict from what really happened, and the alerts that
//! announce its changes:
//!
//! - [`recent`] — the outcome of the last robot attempts (how many failed, on which screen, with
//!   which `tipo`), from `attempts` and `history`;
//! - [`canary`] — how the last canary quotes ended;
//! - [`fingerprints`] — screens of the portal that changed structure (early warning of drift);
//! - [`assessment`] — the verdict (`healthy`, `degraded`, `unhealthy`) and its reasons in
//!   Portuguese, from those, the preflight, the queue and the webhook outbox;
//! - [`alerts`] — the monitor that writes one `alerta.saude` per change of verdict and one
//!   `alerta.canario` per run of canary failures into the webhook outbox.
//!
//! Nothing here reads personal data: only statuses, error `tipo`s, screen numbers and times.

pub mod alerts;
pub mod assessment;
pub mod canary;
pub mod fingerprints;
pub mod recent;

use crate::db::{now, DbError};
use crate::outbox::report::{self, Summary};
use crate::preflight::gate::Snapshot;
use rusqlite::Connection;

/// What the verdict looks at, and which window of attempts.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub attempts: u32,
    pub minutes: u32,
    pub queue_limit: u32,
}

/// Everything health shows, read in one go (a handful of indexed queries: cheap to poll).
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub verdict: assessment::Verdict,
    pub queued: i64,
    pub running: i64,
    pub webhooks: Summary,
    pub recent: recent::Recent,
    pub canary: Option<canary::CanaryStatus>,
    pub screen_changes: Vec<fingerprints::ScreenChange>,
}

pub fn evaluate(
    conn: &Connection,
    w: Window,
    preflight: &Snapshot,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Evaluation, DbError> {
    let (queued, running) = crate::queue::counts(conn)?;
    let webhooks = report::summary(conn)?;
    let recent = recent::recent(conn, w.attempts, w.minutes, now)?;
    let canary = canary::status(conn, now)?;
    let screen_changes = fingerprints::recent_changes(conn, now)?;
    let verdict = assessment::assess(&assessment::Inputs {
        queued,
        queue_limit: w.queue_limit,
        webhooks: &webhooks,
        recent: &recent,
        canary: canary.as_ref(),
        preflight,
    });
    Ok(Evaluation { verdict, queued, running, webhooks, recent, canary, screen_changes })
}

/// A value the monitor keeps across restarts (`monitor_state`).
pub(crate) fn state(conn: &Connection, key: &str) -> Result<Option<String>, DbError> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT value FROM monitor_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn set_state(conn: &Connection, key: &str, value: &str) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO monitor_state (key, value, changed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at",
        rusqlite::params![key, value, now()],
    )?;
    Ok(())
}
