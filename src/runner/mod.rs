//! The runner pool: N slots, each taking the oldest queued job, running the robot for it and
//! recording the outcome. See [`pool`] (slots and wake-ups), [`spawn`] (starting a robot, and the
//! session lock that keeps it the only one of its session), [`supervise`] (time limit, snapshot
//! sync, ending) and [`recover`] (orphans after a crash).

pub mod pool;
pub mod recover;
pub mod spawn;
pub mod supervise;

use crate::configuration::RobotCommand;
use crate::db::Pool;
use crate::shutdown::Shutdown;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Everything a runner slot needs.
#[derive(Clone)]
pub struct RunnerContext {
    pub db: Pool,
    pub command: RobotCommand,
    pub data_dir: PathBuf,
    pub job_timeout: Duration,
    pub kill_grace: Duration,
    pub shutdown_grace: Duration,
    pub sync_interval: Duration,
    pub shutdown: Arc<Shutdown>,
    pub wakeup: Arc<pool::Wakeup>,
    /// The preflight's verdict: runners claim nothing while it is closed.
    pub gate: Arc<crate::preflight::gate::Gate>,
    /// The shared browser the robots connect to; `None` when each robot launches its own or the
    /// operator's endpoint is used.
    pub browser: Option<Arc<crate::browser_host::BrowserHost>>,
}

impl RunnerContext {
    /// The directory of one session's files (snapshots, input, masked log).
    pub fn job_dir(&self, session_id: &str) -> PathBuf {
        self.data_dir.join(session_id)
    }
}
