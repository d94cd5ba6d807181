//! Can this installation quote? The preflight checks everything a quote needs before any visitor's
//! quote reaches a robot, and reports each problem in Portuguese with what to fix:
//!
//! - [`local`] — the service's own side: data directories writable, the defaults, webhooks and
//!   canary files parse;
//! - [`robot`] — the robot's side, through `RPA_COMMAND --verificar` (contract §1): the command
//!   starts, its settings and the portal credentials are there, Chromium starts, the portal
//!   answers (DNS, TLS, HTTP);
//! - [`findings`] — one check's finding and the whole report; [`installation`] — every check in
//!   order;
//! - [`gate`] — what the runners obey: while a configuration problem stands, they claim nothing,
//!   so queued quotes wait (and stay leads) instead of failing as technical errors.
//!
//! `rpa-v4 check` prints the report and exits 0 only when nothing is wrong; `rpa-v4 serve` runs it
//! at start and then every `RPA_PREFLIGHT_INTERVAL_S` (every 30 s at most while it fails).
//!
//! May import: `config`, `queue` (the canary file is read as the queue reads it), `webhooks` (the
//! endpoints file, likewise), `domain`, `store`, `unix`. The runners and the monitor read its
//! gate; it knows neither.

pub mod findings;
pub mod gate;
pub mod installation;
pub mod local;
pub mod robot;
