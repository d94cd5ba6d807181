//! The lead outbox: every lead and quote event is written into SQLite (`events`) inside the same
//! write transaction as the change that causes it, so no event is lost and none exists for a
//! change that did not commit. The webhook worker ([`crate::webhooks`]) delivers them later.
//!
//! - [`event`] — the event types, recording one in the caller's transaction.
//! - [`lead_events`] — what each event says about a lead and its quote, and when it is recorded.
//! - [`interest`] — the visitor's choice of a plan, recorded once with its `cotacao.interesse`.
//! - [`deliveries`] — one row per event and endpoint: fan-out, due ones, attempts and results.
//! - [`endpoint_names`] — what each endpoint is called in the log, `listar` and health.
//! - [`report`] — what is pending or dead: health, `rpa-v4 webhooks listar` and `reenviar`.
//!
//! May import: `store`, `contract` (the shapes an event's estimate and plans pass through),
//! `domain` (the session id).
//! The queue, the snapshots and the monitor write events through it; it knows none of them.

pub mod deliveries;
pub mod endpoint_names;
pub mod event;
pub mod interest;
pub mod lead_events;
pub mod report;
