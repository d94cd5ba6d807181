//! The HTTP API (contract §5) and its server. [`start`] queues a quote, [`progress`] and
//! [`health`] answer from SQLite alone, [`interest`] records the plan a visitor chose,
//! [`static_files`] serves the modal and the demo page; [`json_body`] reads a `POST`'s body,
//! [`router`] maps the paths, [`state`] is what the handlers share, [`error`] every error answer;
//! [`server`] accepts the connections, with their limits. [`scrape`] serves `GET /metrics` on a
//! listen address of its own, never the API's.
//!
//! May import anything below it: `monitoring` (health's verdict), `runner` (the shared browser's
//! counters), `snapshots` (the progress answer, the typical times), `queue`, `preflight`, `outbox`
//! (the chosen plan), `guard`, `config`, `contract`, `domain`, `store`, `telemetry`. Only the service's wiring is above it.

pub mod error;
pub mod health;
pub mod interest;
pub mod json_body;
pub mod progress;
pub mod router;
pub mod scrape;
pub mod server;
pub mod start;
pub mod state;
pub mod static_files;
