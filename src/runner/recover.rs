//! Crash recovery at start-up: every job left `running` belongs to a previous run of the service.
//! Whatever is left of its robot's process group is killed, its last snapshots are synced, and it
//! is finished from them, requeued, or failed when its attempts are spent.

use super::{supervise, RunnerContext};
use crate::outcome::{self, RunEnd};
use crate::pii_mask::Masker;
use crate::process_group;
use crate::queue;
use crate::tracker_sync::Watcher;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
#[error("recuperação de cotações interrompidas: {0}")]
pub struct RecoverError(#[from] crate::db::DbError);

/// Handles every orphan; returns how many there were.
pub fn recover_orphans(ctx: &RunnerContext) -> Result<usize, RecoverError> {
    let conn = ctx.db.get().map_err(crate::db::DbError::from)?;
    let orphans = queue::orphans(&conn)?;
    drop(conn);
    for o in &orphans {
        if let Some(pid) = o.pid {
            let ours = match (process_group::start_time(pid), o.pid_start) {
                // Leader gone: only leftovers of its group can still carry that id.
                (None, _) => true,
                (Some(now), Some(then)) => now == then,
                // A live process we cannot recognise: never signal a stranger.
                (Some(_), None) => false,
            };
            if ours {
                process_group::kill_and_wait(pid, Duration::from_secs(10));
            }
        }
        let dir = ctx.job_dir(&o.session_id);
        let _ = std::fs::remove_file(dir.join(super::spawn::INPUT_FILE));
        let mut watcher = Watcher::new(&dir, &o.session_id, Masker::for_input_json(&o.input_json));
        supervise::sync(ctx, o.id, o.attempt, &mut watcher);
        let (terminal_status, last_error) = watcher.terminal();
        let end = RunEnd {
            terminal_status,
            last_error,
            exit_code: None,
            exit_description: "serviço reiniciado durante a cotação".into(),
            stdout_tipo: None,
            timed_out: false,
        };
        let outcome = outcome::decide(&end, ctx.job_timeout.as_secs());
        let mut conn = ctx.db.get().map_err(crate::db::DbError::from)?;
        let after = queue::finish(&mut conn, o.id, o.attempt, None, &outcome)?;
        tracing::warn!(session = %o.session_id, attempt = o.attempt, ?after, "cotação interrompida recuperada");
    }
    Ok(orphans.len())
}
