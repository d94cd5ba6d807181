//! The canary schedule: the operator's synthetic quote ([`crate::queue::canary`]) queued every
//! `RPA_CANARY_INTERVAL_S` while a slot is idle and the queue is empty, so the portal is watched
//! even when no visitor quotes. Its results feed health, metrics and the `alerta.canario` alert.

use crate::preflight::gate::Gate;
use crate::queue::canary::{self, CanaryQuote};
use crate::queue::wakeup::Wakeup;
use crate::store::db::{self, Pool};
use crate::unix::shutdown::Shutdown;
use std::sync::Arc;
use std::time::Duration;

/// How often the scheduler looks at the queue.
const TICK: Duration = Duration::from_secs(2);

/// What the scheduler needs.
pub struct Schedule {
    pub quote: CanaryQuote,
    pub interval: Duration,
    pub slots: u16,
    pub max_attempts: u32,
}

/// Queues the canary whenever `interval` has passed since the last one, the gate is open, the
/// queue is empty and a slot is free. The last canary's time is read from the database, so a
/// restart does not run it early.
pub fn spawn(pool: Pool, schedule: Schedule, gate: Arc<Gate>, wakeup: Arc<Wakeup>, shutdown: Arc<Shutdown>) {
    let schedule = Arc::new(schedule);
    tokio::spawn(async move {
        loop {
            if gate.allows_claims() {
                let (s, w) = (schedule.clone(), wakeup.clone());
                let queued = db::run(&pool, move |c| {
                    let interval = chrono::Duration::from_std(s.interval).unwrap_or(chrono::Duration::MAX);
                    canary::enqueue_canary(c, &s.quote, s.slots, s.max_attempts, chrono::Utc::now() - interval, &w)
                })
                .await;
                match queued {
                    Ok(Some(session)) => tracing::info!(session = %session, "cotação canário enfileirada"),
                    Ok(None) => {}
                    Err(e) => tracing::error!(error = %e, "falha ao enfileirar a cotação canário"),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = shutdown.triggered() => return,
            }
        }
    });
}
