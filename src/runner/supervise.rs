//! Watching a running robot: syncing its snapshots into SQLite every tick, enforcing the time
//! limit and the shutdown grace (SIGTERM to the group, SIGKILL after the kill grace), and, when it
//! ends, taking down what is left of its group and deciding the outcome.
//!
//! A sync that cannot be written (a full disk) is not lost: [`SnapshotSync`] keeps what was read
//! and writes it with the next change, newer files standing in for older ones, and the slot
//! writes what is left before it records the ending.

use super::context::RunnerContext;
use super::spawn::Robot;
use crate::contract::outcome::{self, Outcome, RunEnd};
use crate::queue::job::ClaimedJob;
use crate::snapshots::files::{Update, Watcher};
use crate::store::db::DbError;
use crate::unix::process_group;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

/// One attempt's snapshots on their way into SQLite: the watcher, and what it read that could
/// not be written yet.
pub struct SnapshotSync {
    watcher: Watcher,
    /// Read but not written: each file's newest version (a snapshot is whole, so a newer one
    /// stands in for an older one).
    unstored: Update,
    /// The last write failed (logged once per run of failures).
    failing: bool,
}

impl SnapshotSync {
    pub fn new(watcher: Watcher) -> SnapshotSync {
        SnapshotSync { watcher, unstored: Update::default(), failing: false }
    }

    pub fn watcher(&self) -> &Watcher {
        &self.watcher
    }

    /// Copies whatever changed in the job's snapshots into SQLite, with anything still unstored;
    /// returns the screen the robot is on, if its progress changed.
    pub fn sync(&mut self, ctx: &RunnerContext, job_id: i64, attempt: u32) -> Option<i64> {
        let update = self.watcher.poll();
        let etapa = update.progress.as_ref().map(|p| p.etapa_atual);
        merge(&mut self.unstored, update);
        if let Err(e) = self.flush(ctx, job_id, attempt) {
            if !std::mem::replace(&mut self.failing, true) {
                tracing::error!(job_id, error = %e, "falha ao gravar o progresso: ele é gravado assim que der");
            }
        }
        etapa
    }

    /// Writes what is still unstored; `Ok` once nothing is left.
    pub fn flush(&mut self, ctx: &RunnerContext, job_id: i64, attempt: u32) -> Result<(), DbError> {
        if self.unstored.is_empty() {
            return Ok(());
        }
        let mut conn = ctx.db.get()?;
        crate::snapshots::sync::store(&mut conn, job_id, attempt, &self.unstored, &ctx.wakeup)?;
        self.unstored = Update::default();
        if std::mem::take(&mut self.failing) {
            tracing::info!(job_id, "progresso gravado de novo");
        }
        Ok(())
    }
}

/// `newer` over `older`: each snapshot file that changed again replaces its older version.
fn merge(older: &mut Update, newer: Update) {
    if newer.progress.is_some() {
        older.progress = newer.progress;
    }
    if newer.history.is_some() {
        older.history = newer.history;
    }
    if newer.result.is_some() {
        older.result = newer.result;
    }
}

/// The `etapa` span inside the quote's `cotacao` span: log lines carry the screen the robot is
/// on. A new span per screen (a recorded field would be appended, not replaced, in the text log).
struct ScreenSpan {
    etapa: i64,
    _entered: tracing::span::EnteredSpan,
}

impl ScreenSpan {
    fn enter(etapa: i64) -> ScreenSpan {
        ScreenSpan { etapa, _entered: tracing::info_span!("etapa", etapa).entered() }
    }

    /// Moves to the span of screen `etapa` if it changed: the old span is exited before the new
    /// one is entered, so the new one is not nested in it.
    fn follow(self, etapa: Option<i64>) -> ScreenSpan {
        match etapa.filter(|e| *e != self.etapa) {
            Some(e) => {
                drop(self);
                ScreenSpan::enter(e)
            }
            None => self,
        }
    }
}

/// Runs until the robot's process group is gone; returns the outcome and what the robot left.
pub fn supervise(
    ctx: &RunnerContext,
    job: &ClaimedJob,
    mut robot: Robot,
    snapshots: &mut SnapshotSync,
) -> (Outcome, RunEnd) {
    let started = Instant::now();
    let mut term_sent: Option<Instant> = None;
    let (mut timed_out, mut interrupted) = (false, false);
    let mut screen = ScreenSpan::enter(0);
    loop {
        screen = screen.follow(snapshots.sync(ctx, job.id, job.attempt));
        if process_group::has_exited(robot.pid) {
            break;
        }
        let now = Instant::now();
        match term_sent {
            None if now.duration_since(started) >= ctx.job_timeout => {
                tracing::warn!("tempo limite atingido; encerrando o robô");
                timed_out = true;
                process_group::signal(robot.pid, libc::SIGTERM);
                term_sent = Some(now);
            }
            None if ctx.shutdown.since().is_some_and(|t| now.duration_since(t) >= ctx.shutdown_grace) => {
                tracing::warn!("serviço parando; encerrando o robô");
                interrupted = true;
                process_group::signal(robot.pid, libc::SIGTERM);
                term_sent = Some(now);
            }
            Some(t) if now.duration_since(t) >= ctx.kill_grace => {
                process_group::signal(robot.pid, libc::SIGKILL);
            }
            _ => {}
        }
        std::thread::sleep(ctx.sync_interval);
    }
    // The leader is a zombie now: its pid (the group id) cannot be reused until we reap it.
    process_group::kill_and_wait(robot.pid, Duration::from_secs(10));
    let status = robot.child.wait().ok();
    for _ in 0..2 {
        let _ = robot.readers_done.recv_timeout(Duration::from_secs(2));
    }
    let _ = std::fs::remove_file(&robot.input_file);
    let _screen = screen.follow(snapshots.sync(ctx, job.id, job.attempt));

    let (terminal_status, last_error) = snapshots.watcher().terminal();
    let last_line = robot.last_stdout.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let stdout_tipo = last_line
        .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .and_then(|v| v.get("tipo").and_then(|t| t.as_str()).map(str::to_string));
    let exit_code = status.and_then(|s| s.code());
    let exit_description = match status {
        Some(s) if s.code().is_some() => format!("código {}", s.code().unwrap_or_default()),
        Some(s) => format!("sinal {}", s.signal().unwrap_or_default()),
        None => "estado desconhecido".into(),
    };
    let end = RunEnd { terminal_status, last_error, exit_code, exit_description, stdout_tipo, timed_out };
    let decided = outcome::decide(&end, ctx.job_timeout.as_secs());
    let outcome = if interrupted && decided != Outcome::Success { Outcome::Interrupted } else { decided };
    (outcome, end)
}
