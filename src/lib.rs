//! RPA V4: the quote-job service.
//!
//! A visitor's quote request arrives at the HTTP API, is validated and queued in SQLite; a fixed
//! pool of runner slots starts the quote robot for each job, syncs its tracker snapshots into
//! SQLite and records the outcome; the site's progress modal polls the API, which answers from
//! SQLite alone.
//!
//! The map, floor by floor: a folder imports only folders on floors below its own (and, inside
//! it, a file only files below it). Each folder's `mod.rs` says what it owns and what it may
//! import.
//!
//! 10. [`service`] — the wiring of `rpa-v4 serve` and the shutdown order.
//! 9. [`api`] — the HTTP API (start, progress, health, metrics, static files), its routes, and its
//!    server with the connection limits.
//! 8. [`runner`] — the slots that run robots, the shared browser, crash recovery;
//!    [`monitoring`] — health's verdict, the `alerta.*` alerts, the canary schedule.
//! 7. [`preflight`] — can this installation quote (`rpa-v4 check`, and the gate that holds the
//!    runners while it cannot).
//! 6. [`config`] — every setting and its `RPA_*` variable, checked before anything starts.
//! 5. [`webhooks`] — delivering the outbox to the broker's endpoints, signed;
//!    [`snapshots`] — the robot's files, synced into SQLite and read back as the progress answer.
//! 4. [`queue`] — the jobs: enqueue, the canary, claim, finish, the wake-up call.
//! 3. [`outbox`] — lead, quote and alert events, written in the transaction of their change.
//! 2. [`store`] — the SQLite file, its pool, writes, migrations and retention;
//!    [`contract`] — the contracts' vocabulary, shapes, outcome rules and masks.
//! 1. [`domain`] — request types valid by construction and the robot's input; [`guard`] — client
//!    address and rate limit; [`telemetry`] — log and metrics; [`unix`] — process groups,
//!    owner-only files, shutdown.

pub mod api;
pub mod config;
pub mod contract;
pub mod domain;
pub mod guard;
pub mod monitoring;
pub mod outbox;
pub mod preflight;
pub mod queue;
pub mod runner;
pub mod service;
pub mod snapshots;
pub mod store;
pub mod telemetry;
pub mod unix;
pub mod webhooks;
