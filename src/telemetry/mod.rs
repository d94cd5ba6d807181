//! The service's own telemetry: its log ([`log`], never personal data) and its Prometheus metrics
//! ([`metrics`], recorded where things happen, rendered for `GET /metrics`).
//!
//! May import: nothing of the service.

pub mod log;
pub mod metrics;
