//! The job queue in SQLite: what a job is, enqueueing a visitor's quote (de-duplicated, bounded,
//! turning visitors away as leads when full), queueing the operator's canary, the runners' side
//! (claim, pid, finish, orphans), the wait before a retry, where jobs stand, and the wake-up call
//! for the runners and the webhook delivery.
//!
//! May import: `store`, `outbox` (a job's lead events are written in its transactions),
//! `contract`, `domain`. Nothing here runs a robot or answers HTTP.
//!
//! From the bottom up: [`job`] (the types), [`wakeup`], [`backoff`], [`position`],
//! [`turned_away`] (visitors a full queue refused), [`enqueue`], [`canary`], [`attempts`]. The
//! domain values travel as their types down to the SQL, and every status in it is bound from the
//! status enums (a test fails on a quoted status word in the queue's code).

pub mod attempts;
pub mod backoff;
pub mod canary;
pub mod enqueue;
pub mod job;
pub mod position;
#[cfg(test)]
mod sql_tests;
pub mod turned_away;
pub mod wakeup;
