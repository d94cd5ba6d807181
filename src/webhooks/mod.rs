//! Webhook delivery of the lead outbox ([`crate::outbox`]) to the broker's endpoints.
//!
//! - [`admin`] — `rpa-v4 webhooks listar` and `reenviar`.
//! - [`endpoints`] — the operator's `RPA_WEBHOOKS_FILE`, checked at start-up.
//! - [`body`] — what is sent: the Standard Webhooks body or the Webflow-form payload.
//! - [`signature`] — signing it: `webhook-signature` (Standard Webhooks) or `X-Webflow-Signature`.
//! - [`retry`] — the retry schedule with jitter, and `Retry-After`.
//! - [`worker`] — the delivery loop: at-least-once, bounded concurrency, off the hot paths.
//!
//! May import: `outbox`, `queue` (its wake-up call), `store`, `telemetry`, `unix`.

pub mod admin;
pub mod body;
pub mod endpoints;
pub mod retry;
pub mod signature;
pub mod worker;
