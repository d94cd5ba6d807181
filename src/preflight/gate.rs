//! The preflight's verdict, shared by the runners, health and metrics: runners claim a job only
//! while the gate is open. It is closed from start until the first preflight passes, and again
//! when a robot ends with `configuracao_invalida`, which also asks for a new check at once; after
//! that the gate stays closed for at least [`HOLD_AFTER_ROBOT`], even if the check passes, so a
//! robot and a preflight that disagree cost one robot run per hold, not a loop.

use super::findings::Report;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// How long a robot's `configuracao_invalida` keeps the gate closed at least.
pub const HOLD_AFTER_ROBOT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No preflight has finished yet.
    Checking,
    /// The last preflight found nothing that stops a quote.
    Open,
    /// A configuration problem: queued quotes wait.
    Closed,
}

/// What health shows of the preflight.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub state: State,
    pub checked_at: Option<String>,
    pub report: Report,
}

pub struct Gate {
    inner: Mutex<Snapshot>,
    held_until: Mutex<Option<Instant>>,
    recheck: Notify,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            inner: Mutex::new(Snapshot { state: State::Checking, checked_at: None, report: Report::default() }),
            held_until: Mutex::new(None),
            recheck: Notify::new(),
        }
    }
}

impl Gate {
    /// A gate that is open from the start (for tools that run no preflight).
    pub fn open() -> Gate {
        let g = Gate::default();
        g.lock().state = State::Open;
        g
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Snapshot> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn allows_claims(&self) -> bool {
        self.lock().state == State::Open
    }

    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// Records a preflight's report; returns the new state.
    pub fn record(&self, mut report: Report) -> State {
        let held = self.held_until.lock().unwrap_or_else(|e| e.into_inner()).is_some_and(|t| Instant::now() < t);
        let mut s = self.lock();
        if held && !report.blocks_quotes() {
            // Keep what the robot reported until the hold ends.
            report.verificacoes.extend(s.report.verificacoes.iter().filter(|c| c.item == "robo" && !c.ok).cloned());
        }
        s.state = if report.blocks_quotes() { State::Closed } else { State::Open };
        s.checked_at = Some(crate::store::db::now());
        s.report = report;
        s.state
    }

    /// A robot found a configuration problem while quoting: hold the runners and check again now.
    pub fn close_and_recheck(&self, item: &str, mensagem: &str) {
        *self.held_until.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now() + HOLD_AFTER_ROBOT);
        {
            let mut s = self.lock();
            s.state = State::Closed;
            s.checked_at = Some(crate::store::db::now());
            s.report.verificacoes.retain(|c| c.item != item);
            s.report.verificacoes.push(super::findings::Check::problem(
                item,
                format!("o robô relatou: {mensagem}"),
                "veja `rpa-v4 check`",
            ));
        }
        self.recheck.notify_one();
    }

    /// Asks for a new check now, leaving the gate as it is (the operator's SIGHUP).
    pub fn recheck(&self) {
        self.recheck.notify_one();
    }

    /// Resolves when a new check was asked for.
    pub async fn recheck_requested(&self) {
        self.recheck.notified().await;
    }
}
