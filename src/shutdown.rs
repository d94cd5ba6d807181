//! Graceful shutdown: waits for SIGTERM/SIGINT and tells everyone. The runner slots stop claiming
//! and give running robots a grace period; the HTTP server stops once the runners are done.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use tokio::sync::watch;

/// The shutdown state shared by the HTTP server (async) and the runner slots (threads).
pub struct Shutdown {
    triggered: AtomicBool,
    since: Mutex<Option<Instant>>,
    tx: watch::Sender<bool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown { triggered: AtomicBool::new(false), since: Mutex::new(None), tx: watch::channel(false).0 }
    }
}

impl Shutdown {
    pub fn trigger(&self) {
        if !self.triggered.swap(true, Ordering::SeqCst) {
            *self.since.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
            self.tx.send_replace(true);
        }
    }

    pub fn is_triggered(&self) -> bool {
        self.triggered.load(Ordering::SeqCst)
    }

    /// When the shutdown began, if it did.
    pub fn since(&self) -> Option<Instant> {
        *self.since.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Resolves once [`Shutdown::trigger`] has been called.
    pub async fn triggered(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(|t| *t).await;
    }
}

/// Resolves on the first SIGTERM or SIGINT, naming it.
pub async fn signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        std::future::pending::<()>().await;
        unreachable!()
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    }
}
