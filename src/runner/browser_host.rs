//! The shared browser: one Chromium per service, supervised by it, that every robot reaches over
//! the DevTools protocol (`RPA_BROWSER_ENDPOINT` in the robot's environment, contract §1) and
//! quotes in in its own browser context. Ten quotes then cost one browser plus ten renderers
//! instead of ten browsers.
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

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The project's Chromium flags (the robot's `CHROMIUM_FLAGS`, rpa/cotacao/config.py; a test
/// keeps the two lists equal).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
];

/// How often the watchdog looks at the browsers.
pub const WATCH_EVERY: Duration = Duration::from_millis(500);
/// The longest a browser may take to open its DevTools endpoint.
const LAUNCH_BOUND: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("o Chromium ({path}) não pôde ser executado: {source}")]
    Exec { path: String, source: std::io::Error },
    #[error("o Chromium ({path}) não abriu o endpoint DevTools em {bound} s{detail}")]
    NoEndpoint { path: String, bound: u64, detail: String },
}

/// How the host runs browsers.
#[derive(Debug, Clone)]
pub struct Settings {
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
    child: Child,
    endpoint: String,
    profile: PathBuf,
    started: Instant,
    served: u32,
    leases: u32,
}

impl Instance {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn close(mut self) {
        crate::unix::process_group::kill_and_wait(self.pid(), Duration::from_secs(5));
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
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
    pub endpoint: String,
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
    pub fn endpoint(&self) -> Result<String, String> {
        let s = self.lock();
        match &s.current {
            Some(c) => Ok(c.endpoint.clone()),
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
        Ok(Lease { host: self.clone(), instance: current.id, endpoint: current.endpoint.clone() })
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
        if !s.current.as_mut().is_some_and(|c| matches!(c.child.try_wait(), Ok(Some(_)))) {
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
            if matches!(s.retiring[i].child.try_wait(), Ok(Some(_))) {
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

    /// Starts one Chromium with a DevTools endpoint on a free loopback port and waits for it.
    fn launch(&self) -> Result<Instance, BrowserError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let path = self.settings.chromium.display().to_string();
        let profile = std::env::temp_dir().join(format!("{PROFILE_PREFIX}{}-{id}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        crate::unix::private_files::create_dir(&profile)
            .map_err(|source| BrowserError::Exec { path: path.clone(), source })?;
        let mut child = Command::new(&self.settings.chromium)
            .args(CHROMIUM_FLAGS)
            .arg("--remote-debugging-address=127.0.0.1")
            .arg("--remote-debugging-port=0")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|source| BrowserError::Exec { path: path.clone(), source })?;
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        // Reads the endpoint line, then keeps draining Chromium's stderr so it never blocks.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(at) = line.find("ws://") {
                        let _ = tx.send(line[at..].trim().to_string());
                        sent = true;
                    }
                }
            }
        });
        match rx.recv_timeout(LAUNCH_BOUND) {
            Ok(endpoint) => {
                tracing::info!(navegador = id, pid = child.id(), "navegador compartilhado aberto");
                Ok(Instance { id, child, endpoint, profile, started: Instant::now(), served: 0, leases: 0 })
            }
            Err(_) => {
                let status = child.try_wait().ok().flatten();
                crate::unix::process_group::kill_and_wait(child.id(), Duration::from_secs(5));
                let _ = child.wait();
                let _ = std::fs::remove_dir_all(&profile);
                let detail = status.map(|s| format!(" (terminou: {s})")).unwrap_or_default();
                Err(BrowserError::NoEndpoint { path, bound: LAUNCH_BOUND.as_secs(), detail })
            }
        }
    }
}

/// The profile directory prefix of this service's browsers; the pid of the service follows.
const PROFILE_PREFIX: &str = "rpa-v4-navegador-";

/// Closes the browsers a previous run of the service left behind (killed outright, it could not
/// close them: they run in process groups of their own) and removes their profiles. Under
/// systemd `KillMode=mixed` takes them with the service; this covers every other way to run it.
/// A profile belongs to a previous run when the service pid in its name is not alive as rpa-v4.
fn reap_stale() -> usize {
    let tmp = std::env::temp_dir();
    let Ok(entries) = std::fs::read_dir(&tmp) else { return 0 };
    let mine = std::process::id();
    let stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let owner: u32 = name.strip_prefix(PROFILE_PREFIX)?.split('-').next()?.parse().ok()?;
            let alive = owner == mine
                || std::fs::read(format!("/proc/{owner}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains("rpa-v4"));
            (!alive).then(|| e.path())
        })
        .collect();
    if stale.is_empty() {
        return 0;
    }
    let mut closed = 0;
    for pid in std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
    {
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let cmd = String::from_utf8_lossy(&cmd);
        if cmd.contains("--type=") {
            continue; // a child of a browser: it goes with its browser's group
        }
        if stale.iter().any(|dir| cmd.contains(&format!("--user-data-dir={}", dir.display()))) {
            crate::unix::process_group::kill_and_wait(pid, Duration::from_secs(5));
            closed += 1;
        }
    }
    for dir in stale {
        let _ = std::fs::remove_dir_all(dir);
    }
    closed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_are_the_robots() {
        let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rpa/cotacao/config.py")).unwrap();
        let start = config.find("CHROMIUM_FLAGS = (").expect("the robot's flag list");
        let list = &config[start..config[start..].find(')').map(|e| start + e).unwrap()];
        let robot: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
        assert_eq!(robot, CHROMIUM_FLAGS, "rpa/cotacao/config.py and the service launch Chromium with the same flags");
    }
}
