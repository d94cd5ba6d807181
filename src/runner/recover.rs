//! Crash recovery at start-up: every job left `running` belongs to a previous run of the service.
//! Whatever is left of its robot is killed — every process still holding the session lock (even a
//! child the old service forked but never recorded), then what is left of the robot's process
//! group — its last snapshots are synced, and it is finished from them, requeued, or failed when
//! its attempts are spent. It runs before any runner slot starts.

use super::context::RunnerContext;
use super::spawn::{self, LockError, SessionLock};
use super::supervise::SnapshotSync;
use crate::contract::outcome::{self, RunEnd};
use crate::contract::pii_mask::Masker;
use crate::queue::attempts;
use crate::snapshots::files::Watcher;
use crate::unix::process_group;
use std::fs::File;
use std::path::Path;
use std::time::Duration;

/// How long recovery keeps killing the holders of one session's lock.
const LOCK_BOUND: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
#[error("recuperação de cotações interrompidas: {0}")]
pub struct RecoverError(#[from] crate::store::db::DbError);

/// Handles every orphan; returns how many there were.
pub fn recover_orphans(ctx: &RunnerContext) -> Result<usize, RecoverError> {
    let conn = ctx.db.get().map_err(crate::store::db::DbError::from)?;
    let orphans = attempts::orphans(&conn)?;
    drop(conn);
    for o in &orphans {
        let dir = ctx.job_dir(&o.session_id);
        let lock = take_session_lock(&dir, o.session_id.as_str());
        // The pid recorded in the database, or else the one the robot wrote into the lock file
        // between fork and exec (the service died before recording it).
        let robot = match o.pid {
            Some(pid) => Some((pid, o.pid_start)),
            None => spawn::recorded_robot(&dir),
        };
        if let Some((pid, pid_start)) = robot {
            let ours = match (process_group::start_time(pid), pid_start) {
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
        let _ = std::fs::remove_file(dir.join(spawn::INPUT_FILE));
        let watcher = Watcher::new(&dir, o.session_id.as_str(), Masker::for_input_json(&o.input_json));
        let mut snapshots = SnapshotSync::new(watcher);
        let _ = snapshots.sync(ctx, o.id, o.attempt);
        snapshots.flush(ctx, o.id, o.attempt)?;
        let (terminal_status, last_error) = snapshots.watcher().terminal();
        let end = RunEnd {
            terminal_status,
            last_error,
            exit_code: None,
            exit_description: "serviço reiniciado durante a cotação".into(),
            stdout_tipo: None,
            timed_out: false,
        };
        let outcome = outcome::decide(&end, ctx.job_timeout.as_secs());
        let mut conn = ctx.db.get().map_err(crate::store::db::DbError::from)?;
        let after = attempts::finish(&mut conn, o.id, o.attempt, None, &outcome, &ctx.backoff, &ctx.wakeup)?.after;
        tracing::warn!(session = %o.session_id, attempt = o.attempt, ?after, "cotação interrompida recuperada");
        // Only now may a runner slot start the next robot of this session.
        drop(lock);
    }
    Ok(orphans.len())
}

/// Takes the session lock, killing whoever still holds it: the robot (and the group it leads), a
/// child forked but not yet exec'd, or a descendant that inherited the descriptor. Once it is
/// taken, no process of that start holds it any more: the robot itself is dead, and only
/// descendants that closed the descriptor may be left, for the process-group step. `None` when the
/// session never had a lock file (no robot started there by this version) or it stayed held.
fn take_session_lock(dir: &Path, session: &str) -> Option<SessionLock> {
    match SessionLock::acquire(dir, false, LOCK_BOUND, kill_holders) {
        Ok(lock) => lock,
        Err(e @ LockError::Held { .. }) => {
            // Still safe: a start waits for this lock, so no second robot runs while it is held.
            tracing::error!(session, error = %e, "não foi possível encerrar o robô anterior desta cotação");
            None
        }
        Err(e @ LockError::Io { .. }) => {
            tracing::error!(session, error = %e, "não foi possível abrir a trava da cotação");
            None
        }
    }
}

fn kill_holders(lock: &File) {
    for pid in process_group::flock_holders(lock) {
        // A holder that leads its own group is a robot (or a descendant that made its own group):
        // take the whole group. One that does not (a child killed before `setpgid`) goes alone.
        if process_group::group_of(pid) == Some(pid) {
            process_group::signal(pid, libc::SIGKILL);
        }
        process_group::kill_process(pid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::spawn::tests::child_holding;
    use std::time::Instant;

    #[test]
    fn recovery_takes_the_lock_by_killing_every_holder_and_their_group() {
        let dir = tempfile::tempdir().unwrap();
        let lock = SessionLock::acquire(dir.path(), true, Duration::ZERO, |_| {}).unwrap().unwrap();
        // A robot with a child of its own, both holding the inherited descriptor.
        let mut robot = child_holding(&lock, "sleep 30 & wait");
        let pid = robot.id();
        drop(lock);
        let deadline = Instant::now() + Duration::from_secs(10);
        while process_group::members(pid).len() < 2 {
            assert!(Instant::now() < deadline, "the robot's child did not start");
            std::thread::sleep(Duration::from_millis(5));
        }
        let taken = take_session_lock(dir.path(), "teste");
        assert!(taken.is_some(), "the lock was taken");
        assert!(process_group::members(pid).is_empty(), "the robot's whole group is gone");
        assert!(robot.wait().is_ok());
    }

    #[test]
    fn without_a_lock_file_recovery_has_nothing_to_take() {
        let dir = tempfile::tempdir().unwrap();
        assert!(take_session_lock(dir.path(), "teste").is_none());
    }
}
