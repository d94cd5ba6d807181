//! Runner slots: one thread per slot, each claiming the oldest queued job (never more robots
//! than slots), woken at once when a job is queued, stopping when the service shuts down.
//!
//! A quote's last writes (what is left of its snapshots, then its ending) are retried with a
//! growing wait until they land: a full disk delays them, never loses them, and the job does not
//! stay `running` once there is room. A service stopping meanwhile leaves them to the next
//! start's recovery, which reads the same snapshot files.

use super::context::RunnerContext;
use super::supervise::SnapshotSync;
use super::{spawn, supervise};
use crate::contract::outcome::{self, Outcome};
use crate::contract::pii_mask::Masker;
use crate::queue::attempts::{self, AfterFinish, Finished};
use crate::queue::job::ClaimedJob;
use crate::snapshots::files::Watcher;
use crate::store::db::DbError;
use crate::telemetry::metrics::AttemptEnd;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Starts `slots` runner threads.
pub fn start(ctx: &RunnerContext, slots: u16) -> Vec<JoinHandle<()>> {
    (0..usize::from(slots))
        .map(|slot| {
            let ctx = ctx.clone();
            std::thread::Builder::new()
                .name(format!("runner-{slot}"))
                .spawn(move || run_slot(&ctx, slot))
                .expect("spawning a runner thread")
        })
        .collect()
}

fn run_slot(ctx: &RunnerContext, slot: usize) {
    while !ctx.shutdown.is_triggered() {
        let seen = ctx.wakeup.generation();
        // While the installation cannot quote, queued quotes wait (and stay leads).
        if !ctx.gate.allows_claims() {
            ctx.wakeup.wait(seen, Duration::from_secs(1));
            continue;
        }
        let claimed = ctx.db.get().map_err(Into::into).and_then(|mut c| attempts::claim(&mut c, slot));
        match claimed {
            Ok(Some(job)) => run_job(ctx, slot, job),
            Ok(None) => ctx.wakeup.wait(seen, Duration::from_secs(1)),
            Err(e) => {
                tracing::error!(slot, error = %e, "falha ao buscar cotação na fila");
                ctx.wakeup.wait(seen, Duration::from_secs(1));
            }
        }
    }
}

fn run_job(ctx: &RunnerContext, slot: usize, job: ClaimedJob) {
    let session = job.session_id.clone();
    // Every log line about this quote carries its session and attempt, and its screen: inside an
    // `etapa` span while the robot runs (see supervise), as a field on the lines after it.
    let span = tracing::info_span!("cotacao", session = %session, attempt = job.attempt);
    let _entered = span.enter();
    let masker = Masker::for_input_json(&job.input_json);
    let dir = ctx.job_dir(&session);
    let mut snapshots = SnapshotSync::new(Watcher::new(&dir, session.as_str(), masker.clone()));
    crate::telemetry::metrics::queue_wait(job.waited);
    tracing::info!(slot, etapa = 0, espera_s = job.waited.as_secs_f64(), "cotação iniciada");
    let started = Instant::now();

    // The shared browser for this quote; held until its robot is gone.
    let lease = ctx.browser.as_ref().map(|host| host.lease());
    let (outcome, exit_code) = match (&lease, lease.as_ref().and_then(|l| l.as_ref().ok())) {
        (Some(Err(e)), _) => {
            tracing::error!(etapa = 0, error = %e, "navegador compartilhado indisponível");
            (outcome::browser_unavailable(&e.to_string()), None)
        }
        (_, endpoint) => match spawn::spawn(ctx, &job, &dir, masker, endpoint.map(|l| &l.endpoint)) {
            Err(e) => {
                tracing::error!(etapa = 0, error = %e, "robô não iniciou");
                (outcome::start_failure(&e.to_string(), e.is_not_configured()), None)
            }
            Ok(robot) => {
                if let Ok(mut conn) = ctx.db.get() {
                    let _ = attempts::record_pid(
                        &mut conn,
                        job.id,
                        job.attempt,
                        robot.pid,
                        crate::unix::process_group::start_time(robot.pid),
                    );
                }
                let (outcome, end) = supervise::supervise(ctx, &job, robot, &mut snapshots);
                (outcome, end.exit_code)
            }
        },
    };
    drop(lease);
    let run_time = started.elapsed();
    // What is left of the snapshots, then one transaction that records the ending and reads the
    // screen the attempt reached.
    let finished = last_writes(ctx, &job, &mut snapshots, || {
        let mut c = ctx.db.get()?;
        attempts::finish(&mut c, job.id, job.attempt, exit_code, &outcome, &ctx.backoff, &ctx.wakeup)
    });
    let tipo = match &outcome {
        Outcome::Failed { erro, .. } | Outcome::NotConfigured { erro } => Some(erro.tipo.as_str()),
        Outcome::Success | Outcome::Interrupted => None,
    };
    let etapa = finished.as_ref().ok().and_then(|f| f.etapa);
    let finished = finished.map(|f| f.after);
    let ended = match (&finished, &outcome) {
        (Ok(AfterFinish::Succeeded), _) => AttemptEnd::Success,
        (Ok(AfterFinish::Requeued), Outcome::Failed { .. }) => AttemptEnd::Retry,
        (Ok(AfterFinish::Requeued), _) => AttemptEnd::Interrupted,
        (Ok(AfterFinish::Failed), _) => AttemptEnd::Error,
        (Err(_), _) => AttemptEnd::Interrupted,
    };
    crate::telemetry::metrics::attempt_ended(ended, tipo, etapa, run_time);
    let tipo = tipo.unwrap_or("");
    let etapa = etapa.unwrap_or(0);
    match finished {
        Ok(AfterFinish::Succeeded) => {
            crate::telemetry::metrics::quote_ended(None);
            tracing::info!(etapa, duracao_s = run_time.as_secs_f64(), "cotação concluída")
        }
        Ok(AfterFinish::Requeued) => {
            if let Outcome::NotConfigured { erro } = &outcome {
                tracing::error!(
                    etapa,
                    tipo,
                    "a instalação não pode cotar: cotação devolvida à fila e robôs em espera até a verificação passar"
                );
                ctx.gate.close_and_recheck("robo", &erro.sugestao);
            } else {
                tracing::warn!(etapa, tipo, "cotação devolvida à fila");
            }
        }
        Ok(AfterFinish::Failed) => {
            crate::telemetry::metrics::quote_ended(Some(tipo));
            tracing::warn!(etapa, tipo, "cotação terminou com erro")
        }
        Err(e) => tracing::error!(
            etapa,
            error = %e,
            "o resultado da cotação não foi gravado: a próxima partida do serviço o grava a partir dos arquivos do robô"
        ),
    }
}

/// The first wait before writing a quote's ending again, doubled each time up to [`RETRY_MAX`].
const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// Writes what is left of the snapshots, then `finish`, again and again with a growing wait
/// until both land. Gives up only when the service is stopping and its grace is over (the next
/// start's recovery records the ending from the robot's files).
fn last_writes(
    ctx: &RunnerContext,
    job: &ClaimedJob,
    snapshots: &mut SnapshotSync,
    mut finish: impl FnMut() -> Result<Finished, DbError>,
) -> Result<Finished, DbError> {
    let mut wait = RETRY_FIRST;
    let mut failures = 0u32;
    loop {
        let done = snapshots.flush(ctx, job.id, job.attempt).and_then(|()| finish());
        let e = match done {
            Ok(f) => {
                if failures > 0 {
                    tracing::info!(tentativas = failures + 1, "resultado da cotação gravado");
                }
                return Ok(f);
            }
            Err(e) => e,
        };
        failures += 1;
        let stopping = ctx.shutdown.since().is_some_and(|t| t.elapsed() >= ctx.shutdown_grace);
        if stopping {
            return Err(e);
        }
        tracing::error!(
            error = %e,
            tentativa = failures,
            proxima_em_s = wait.as_secs_f64(),
            "falha ao gravar o resultado da cotação: nova tentativa (nada da cotação se perde; o robô já terminou)"
        );
        ctx.wakeup.wait(ctx.wakeup.generation(), wait);
        wait = (wait * 2).min(RETRY_MAX);
    }
}
