//! Everything health shows, read in one go from SQLite and the preflight's snapshot: queue counts,
//! the webhook outbox, the recent attempts, the last canary, the screens that changed, whether the
//! database's disk takes writes (while writes fail, a rolled-back write looks again:
//! [`crate::store::disk::check`]), and the verdict made from them ([`super::assessment`]).

use super::canary_status::{self, CanaryStatus};
use super::{assessment, fingerprints, recent};
use crate::outbox::report::{self, Summary};
use crate::preflight::gate::Snapshot;
use crate::queue::position;
use crate::store::db::DbError;
use crate::store::disk::{self, Full};
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
    pub canary: Option<CanaryStatus>,
    pub screen_changes: Vec<fingerprints::ScreenChange>,
    /// Writes fail: the disk (or `RPA_DB_MAX_MB`) is full, or failing.
    pub disk: Option<Full>,
}

pub fn evaluate(
    conn: &mut Connection,
    w: Window,
    preflight: &Snapshot,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Evaluation, DbError> {
    let disk = disk::check(conn);
    let (queued, running) = position::counts(conn)?;
    let webhooks = report::summary(conn)?;
    let recent = recent::recent(conn, w.attempts, w.minutes, now)?;
    let canary = canary_status::status(conn, now)?;
    let screen_changes = fingerprints::recent_changes(conn, now)?;
    let verdict = assessment::assess(&assessment::Inputs {
        queued,
        queue_limit: w.queue_limit,
        webhooks: &webhooks,
        recent: &recent,
        canary: canary.as_ref(),
        preflight,
        disk: disk.as_ref(),
        now,
    });
    Ok(Evaluation { verdict, queued, running, webhooks, recent, canary, screen_changes, disk })
}
