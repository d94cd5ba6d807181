//! RPA V4: the quote-job service.
//!
//! A visitor's quote request arrives at the HTTP API, is validated and queued in SQLite; a fixed
//! pool of runner slots starts the quote robot for each job, syncs its tracker snapshots into
//! SQLite and records the outcome; the site's progress modal polls the API, which answers from
//! SQLite alone.
//!
//! Map of the modules:
//!
//! - [`configuration`] — flags and `RPA_*` environment variables, checked up front.
//! - [`telemetry`] — the service's own log (never personal data); [`metrics`] — Prometheus
//!   counters, histograms and gauges for `GET /metrics`.
//! - [`startup`] — wires everything for `rpa-v4 serve`; [`shutdown`] — SIGTERM handling.
//! - [`http_server`] — the accept loop and HTTP connections: connection limit, timeouts, graceful stop.
//! - [`domain`] — request types valid by construction (`Cpf`, `Placa`, `Cep`…) and the robot's
//!   input; [`defaults`] — the operator's questionnaire defaults file.
//! - [`api`] — `POST /api/rpa/start`, `GET /api/rpa/progress/{id}`, `GET /api/rpa/health`;
//!   [`rate_limit`] and [`client_ip`] guard the start endpoint.
//! - [`db`] — the SQLite file and pool; [`migrations`] — its schema versions;
//!   [`queue`] — the job store (enqueue, claim, finish); [`status`] — the status vocabularies
//!   (job, progress answer, robot snapshot) as types.
//! - [`outbox`] — lead and quote events, written in the transaction of the change that causes
//!   them; [`leads`] — visitors a full queue turned away; [`webhooks`] — delivering the events
//!   to the broker's endpoints, signed.
//! - [`browser_host`] — the one Chromium the robots share, supervised (crash, recycling);
//!   [`runner`] — the slots that run robots; [`process_group`] — signalling their groups;
//!   [`snapshot_files`] — reading the robot's snapshot files; [`snapshot_store`] — them in SQLite,
//!   written and read back as the progress answer; [`snapshot_shapes`] — the contract's estimate,
//!   plan and error shapes that filter what leaves the service; [`outcome`] — what a run came to;
//!   [`pii_mask`] — personal data out of robot logs; [`typical_duration`] — how long a quote
//!   usually takes here, for the modal's time estimate.
//! - [`preflight`] — can this installation quote (`rpa-v4 check`, and the gate that holds the
//!   runners while it cannot); [`monitoring`] — health's verdict from recent outcomes and the
//!   `alerta.*` events; [`canary`] — the operator's synthetic quote that watches the portal.
//! - [`retention`] — purging personal data after `RPA_RETENTION_DAYS`; [`private_files`] —
//!   owner-only modes for the files that hold it.

pub mod api;
pub mod browser_host;
pub mod canary;
pub mod client_ip;
pub mod configuration;
pub mod db;
pub mod defaults;
pub mod domain;
pub mod http_server;
pub mod leads;
pub mod metrics;
pub mod migrations;
pub mod monitoring;
pub mod outbox;
pub mod outcome;
pub mod pii_mask;
pub mod preflight;
pub mod private_files;
pub mod process_group;
pub mod queue;
pub mod rate_limit;
pub mod retention;
pub mod runner;
pub mod shutdown;
pub mod snapshot_files;
pub mod snapshot_shapes;
pub mod snapshot_store;
pub mod startup;
pub mod status;
pub mod telemetry;
pub mod typical_duration;
#[cfg(test)]
mod vocabulary_tests;
pub mod webhooks;
