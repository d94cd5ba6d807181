//! The runner pool: N slots, each taking the oldest queued job, running the robot for it and
//! recording the outcome.
//!
//! From the bottom up: [`browser_server`] (one shared browser as a process, behind its secret
//! endpoint), [`browser_host`] (the one Chromium the robots share, supervised),
//! [`context`] (what every slot shares), [`spawn`] (starting a robot, and the session lock that
//! keeps it the only one of its session), [`supervise`] (time limit, snapshot sync, ending),
//! [`pool`] (the slots) and [`recover`] (orphans after a crash).
//!
//! May import: `queue` (claim, finish, the wake-up), `snapshots` (reading and storing the robot's
//! files), `preflight` (its gate), `config`, `contract`, `store`, `telemetry`, `unix`.

pub mod browser_host;
pub mod browser_server;
pub mod context;
pub mod pool;
pub mod recover;
pub mod spawn;
pub mod supervise;
