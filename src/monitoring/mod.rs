//! Is the service doing its job? Health's verdict from what really happened, and the alerts that
//! announce its changes:
//!
//! - [`recent`] — the outcome of the last robot attempts (how many failed, on which screen, with
//!   which `tipo`), from `attempts` and `history`;
//! - [`canary_status`] — how the last canary quotes ended; [`canary_schedule`] — queueing the
//!   operator's canary quote when it is due;
//! - [`fingerprints`] — screens of the portal that changed structure (early warning of drift);
//!   [`known_screens`] — the real portal's screens known before the first quote;
//! - [`assessment`] — the verdict (`healthy`, `degraded`, `unhealthy`) and its reasons in
//!   Portuguese, from those, the preflight, the queue and the webhook outbox;
//! - [`alerts`] — the monitor that writes one `alerta.saude` per change of verdict and one
//!   `alerta.canario` per run of canary failures into the webhook outbox;
//! - [`evaluation`] — everything health shows, read in one go;
//! - [`kept_state`] — what the monitor keeps across restarts (`monitor_state`).
//!
//! May import: `store`, `outbox` (alerts are outbox events), `queue`, `preflight` (its verdict),
//! `contract`, `unix`. Nothing here starts a robot or answers HTTP.
//!
//! Nothing here reads personal data: only statuses, error `tipo`s, screen numbers and times.

pub mod alerts;
pub mod assessment;
pub mod canary_schedule;
pub mod canary_status;
pub mod evaluation;
pub mod fingerprints;
pub mod kept_state;
pub mod known_screens;
pub mod recent;
