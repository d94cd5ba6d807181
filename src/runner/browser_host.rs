//! The shared browser: one Chromium per service, supervised by it, that every robot quotes in
//! in a browser context of its own. Ten quotes then cost one browser plus ten renderers instead
//! of ten browsers. The browser runs behind its own server ([`super::browser_server`]): no
//! DevTools port, and a secret endpoint that only the service's robots receive
//! (`RPA_BROWSER_SERVER` in their environment, contract §1).
//!
//! - **Leases.** A runner takes a [`Lease`] before starting a robot and drops it when the robot
//!   is gone; the lease names the browser the robot must use.
//! - **Crash.** A watchdog looks at the browser every [`WATCH_EVERY`]; a browser that died is
//!   replaced at once. Its robots lose their connection and end as technical failures, which the
//!   queue retries on the new browser.
//! - **Recycling.** After `RPA_BROWSER_RECYCLE_CONTEXTS` quotes or `RPA_BROWSER_RECYCLE_MIN`
//!   minutes, new quotes go to a fresh browser; the old one is closed when its last quote ends,
//!   so no running quote is interrupted.
//! - Each browser runs in its own process group with its own throw-away profile directory, and
//!   everything is closed when the service stops.
//!
//! With `RPA_BROWSER_ENDPOINT` set by the operator (browsers on another machine) or
//! `RPA_BROWSER_SHARED=0` (each robot launches its own Chromium, the earlier mode) there is no
//! host.

use super::browser_server::{reap_stale, BrowserServer};
use crate::config::values::RobotCommand;
use crate::contract::robot_browser::Endpoint;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use super::browser_server::BrowserError;

/// How often the watchdog looks at the browsers.
pub const WATCH_EVERY: Duration = Duration::from_millis(500);

/// How the host runs browsers.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The browser server's command (`RPA_BROWSER_COMMAND`); the profile directory follows.
    pub command: RobotCommand,
    pub chromium: PathBuf,
    pub recycle_after_contexts: u32,
    pub recycle_after: Duration,
}

/// Counters health and metrics show.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    /// Browsers started since the service started (the first one included).
    pub iniciados: u64,
    /// Browsers replaced because they died.
    pub reinicios: u64,
    /// Browsers retired after their quota of quotes or minutes.
    pub reciclagens: u64,
    /// Quotes given a browser.
    pub contextos: u64,
}

struct Instance {
    id: u64,
    server: BrowserServer,
    started: Instant,
    served: u32,
    leases: u32,
}

impl Instance {
    fn pid(&self) -> u32 {
        self.server.pid()
    }

    fn close(self) {
        self.server.close();
    }
}

#[derive(Default)]
struct State {
    current: Option<Instance>,
    retiring: Vec<Instance>,
    stats: Stats,
    stopped: bool,
    /// Why the last launch failed, while no browser runs.
    last_error: Option<String>,
}

pub struct BrowserHost {
    settings: Settings,
    state: Mutex<State>,
    next_id: AtomicU64,
}

/// A quote's use of the shared browser; dropping it tells the host the quote is done with it.
pub struct Lease {
    host: Arc<BrowserHost>,
    instance: u64,
    pub endpoint: Endpoint,
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.host.release(self.instance);
    }
}

impl BrowserHost {
    /// Starts the first browser and the watchdog. A browser that does not start is not fatal:
    /// the error is kept for the preflight, and the next lease tries again.
    pub fn start(settings: Settings) -> Arc<BrowserHost> {
        let reaped = reap_stale();
        if reaped > 0 {
            tracing::warn!(
                navegadores = reaped,
                "navegadores deixados por uma execução anterior do serviço foram encerrados"
            );
        }
        let host = Arc::new(BrowserHost { settings, state: Mutex::new(State::default()), next_id: AtomicU64::new(1) });
        match host.launch() {
            Ok(first) => {
                let mut s = host.lock();
                s.stats.iniciados += 1;
                s.current = Some(first);
            }
            Err(e) => {
                tracing::error!(error = %e, "o navegador compartilhado não abriu");
                host.lock().last_error = Some(e.to_string());
            }
        }
        let watched = Arc::downgrade(&host);
        std::thread::Builder::new()
            .name("navegador".into())
            .spawn(move || loop {
                std::thread::sleep(WATCH_EVERY);
                match watched.upgrade() {
                    Some(h) if !h.lock().stopped => h.watch(),
                    _ => return,
                }
            })
            .expect("spawning the browser watchdog");
        host
    }

    /// The endpoint of the current browser, or why there is none.
    pub fn endpoint(&self) -> Result<Endpoint, String> {
        let s = self.lock();
        match &s.current {
            Some(c) => Ok(c.server.endpoint.clone()),
            None => Err(s.last_error.clone().unwrap_or_else(|| "o navegador compartilhado não está aberto".into())),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The browser a new quote must use: the current one, unless it is due for recycling or
    /// gone, in which case a fresh one is started first.
    pub fn lease(self: &Arc<Self>) -> Result<Lease, BrowserError> {
        let mut s = self.lock();
        // A browser that died since the watchdog last looked is never handed out.
        Self::forget_if_dead(&mut s);
        let due = s.current.as_ref().map_or(true, |c| {
            c.served >= self.settings.recycle_after_contexts || c.started.elapsed() >= self.settings.recycle_after
        });
        if due {
            if let Some(old) = s.current.take() {
                tracing::info!(
                    navegador = old.id,
                    cotacoes = old.served,
                    "navegador compartilhado reciclado: as cotações novas vão para um navegador novo"
                );
                s.stats.reciclagens += 1;
                s.retiring.push(old);
            }
            let fresh = self.launch().inspect_err(|e| s.last_error = Some(e.to_string()))?;
            s.stats.iniciados += 1;
            s.current = Some(fresh);
            s.last_error = None;
            Self::close_idle_retired(&mut s);
        }
        let current = s.current.as_mut().expect("a current browser");
        current.served += 1;
        current.leases += 1;
        s.stats.contextos += 1;
        let current = s.current.as_ref().expect("a current browser");
        Ok(Lease { host: self.clone(), instance: current.id, endpoint: current.server.endpoint.clone() })
    }

    fn release(&self, instance: u64) {
        let mut s = self.lock();
        if let Some(c) = s.current.as_mut().filter(|c| c.id == instance) {
            c.leases = c.leases.saturating_sub(1);
        }
        if let Some(r) = s.retiring.iter_mut().find(|r| r.id == instance) {
            r.leases = r.leases.saturating_sub(1);
        }
        Self::close_idle_retired(&mut s);
    }

    fn close_idle_retired(s: &mut State) {
        let (idle, busy): (Vec<Instance>, Vec<Instance>) =
            std::mem::take(&mut s.retiring).into_iter().partition(|r| r.leases == 0);
        s.retiring = busy;
        for r in idle {
            tracing::info!(navegador = r.id, "navegador reciclado encerrado (sem cotações em andamento)");
            r.close();
        }
    }

    /// Drops the current browser if it died; true if it did.
    fn forget_if_dead(s: &mut State) -> bool {
        if !s.current.as_ref().is_some_and(|c| c.server.has_exited()) {
            return false;
        }
        let dead = s.current.take().expect("checked above");
        tracing::error!(
            navegador = dead.id,
            cotacoes_em_andamento = dead.leases,
            "o navegador compartilhado caiu; abrindo outro"
        );
        s.stats.reinicios += 1;
        dead.close();
        true
    }

    /// Replaces a browser that died; forgets retired ones that died on their own.
    fn watch(&self) {
        let mut s = self.lock();
        if Self::forget_if_dead(&mut s) {
            match self.launch() {
                Ok(fresh) => {
                    s.stats.iniciados += 1;
                    s.current = Some(fresh);
                }
                // The next lease tries again; the robot then reports the problem.
                Err(e) => {
                    tracing::error!(error = %e, "não foi possível abrir o navegador compartilhado");
                    s.last_error = Some(e.to_string());
                }
            }
        }
        let mut i = 0;
        while i < s.retiring.len() {
            if s.retiring[i].server.has_exited() {
                s.retiring.remove(i).close();
            } else {
                i += 1;
            }
        }
    }

    pub fn stats(&self) -> Stats {
        self.lock().stats.clone()
    }

    /// The browser processes alive now (for tests and diagnostics).
    pub fn pids(&self) -> Vec<u32> {
        let s = self.lock();
        s.current.iter().chain(s.retiring.iter()).map(Instance::pid).collect()
    }

    /// Closes every browser (the service is stopping; its robots are gone).
    pub fn stop(&self) {
        let mut s = self.lock();
        s.stopped = true;
        let all: Vec<Instance> = s.current.take().into_iter().chain(std::mem::take(&mut s.retiring)).collect();
        drop(s);
        for i in all {
            i.close();
        }
    }

    /// Starts one browser server and waits for its endpoint.
    fn launch(&self) -> Result<Instance, BrowserError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let server = BrowserServer::start(&self.settings.command, &self.settings.chromium, id)?;
        tracing::info!(
            navegador = id,
            pid = server.pid(),
            chromium = server.chromium,
            "navegador compartilhado aberto"
        );
        Ok(Instance { id, server, started: Instant::now(), served: 0, leases: 0 })
    }
}
