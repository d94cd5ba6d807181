//! SIGHUP never ends the service. Its default action would, at once, leaving the robots orphaned
//! and their quotes `running` until the next start; [`on_hangup`] takes the signal over and calls
//! back for each one instead (the service logs it and runs its installation check again).

use tokio::signal::unix::{signal, SignalKind};

/// From now on, each SIGHUP calls `f` (on the async runtime) instead of ending the process.
pub fn on_hangup(f: impl Fn() + Send + 'static) -> std::io::Result<()> {
    let mut hangups = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            f();
        }
    });
    Ok(())
}
