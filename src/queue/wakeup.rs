//! The queue's wake-up call: one signal, made at start-up and handed to whoever writes work and
//! whoever waits for it. It wakes the idle runner slots when a job may be claimed (queued, back in
//! the queue, the gate opened, the service stopping) and the outbox's delivery worker when events
//! were committed. Enqueueing a quote wakes both. No global: each service has its own.

use std::sync::{Condvar, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Default)]
pub struct Wakeup {
    /// Bumped whenever a job may be claimed; the runner threads wait on it.
    generation: Mutex<u64>,
    cv: Condvar,
    /// Events were committed; the delivery worker awaits it.
    events: Notify,
}

impl Wakeup {
    /// A job was queued, with its `lead.recebido`: wakes the runners and the delivery worker.
    pub fn job_queued(&self) {
        self.runners();
        self.events_written();
    }

    /// A job may be claimed: wakes every idle runner slot.
    pub fn runners(&self) {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.cv.notify_all();
    }

    /// Events were committed: wakes the delivery worker (at once if it is waiting, else the next
    /// time it waits).
    pub fn events_written(&self) {
        self.events.notify_one();
    }

    /// The runners' counter, read before looking for a job.
    pub fn generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the runners' counter moves past `seen`, or `timeout`.
    pub fn wait(&self, seen: u64, timeout: Duration) {
        let guard = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        let _ = self.cv.wait_timeout_while(guard, timeout, |g| *g == seen);
    }

    /// Resolves after the next [`Wakeup::events_written`] (or at once if one came since the last
    /// wait).
    pub async fn events(&self) {
        self.events.notified().await;
    }
}
