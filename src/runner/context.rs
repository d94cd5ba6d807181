//! What every runner slot shares: the database, the robot's command line and limits, the data
//! directory, and the signals it obeys (shutdown, wake-up, the preflight's gate, the shared
//! browser).

use super::browser_host::BrowserHost;
use crate::config::values::RobotCommand;
use crate::domain::session_id::SessionId;
use crate::preflight::gate::Gate;
use crate::queue::backoff::Backoff;
use crate::queue::wakeup::Wakeup;
use crate::store::db::Pool;
use crate::unix::shutdown::Shutdown;
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
    /// The wait before a retry after a technical failure.
    pub backoff: Backoff,
    pub shutdown: Arc<Shutdown>,
    pub wakeup: Arc<Wakeup>,
    /// The preflight's verdict: runners claim nothing while it is closed.
    pub gate: Arc<Gate>,
    /// The shared browser the robots connect to; `None` when each robot launches its own or the
    /// operator's endpoint is used.
    pub browser: Option<Arc<BrowserHost>>,
}

impl RunnerContext {
    /// The directory of one session's files (snapshots, input, masked log).
    pub fn job_dir(&self, session_id: &SessionId) -> PathBuf {
        self.data_dir.join(session_id.as_str())
    }
}
