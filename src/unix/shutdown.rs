//! Graceful shutdown: waits for SIGTERM/SIGINT and tells everyone. The runner slots stop claiming
//! and give running robots a grace period; the HTTP server stops once the runners are done.

use std::time::Instant;
use tokio::sync::watch;

/// The shutdown state shared by the HTTP server (async) and the runner slots (threads): when the
/// shutdown began, or `None` while the service runs.
pub struct Shutdown {
    tx: watch::Sender<Option<Instant>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown { tx: watch::channel(None).0 }
    }
}

impl Shutdown {
    /// Starts the shutdown; later calls keep the first instant.
    pub fn trigger(&self) {
        self.tx.send_if_modified(|since| since.is_none() && since.replace(Instant::now()).is_none());
    }

    pub fn is_triggered(&self) -> bool {
        self.tx.borrow().is_some()
    }

    /// When the shutdown began, if it did.
    pub fn since(&self) -> Option<Instant> {
        *self.tx.borrow()
    }

    /// Resolves once [`Shutdown::trigger`] has been called.
    pub async fn triggered(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(Option::is_some).await;
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
