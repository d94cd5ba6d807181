//! Runner slots: one thread per slot, each claiming the oldest queued job (never more robots
//! than slots), woken at once when a job is queued, stopping when the service shuts down.

use super::context::RunnerContext;
use super::{spawn, supervise};
use crate::contract::outcome::{self, Outcome};
use crate::contract::pii_mask::Masker;
use crate::queue::attempts::{self, AfterFinish};
use crate::queue::job::ClaimedJob;
use crate::snapshots::files::Watcher;
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
    let mut watcher = Watcher::new(&dir, session.as_str(), masker.clone());
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
                let (outcome, end) = supervise::supervise(ctx, &job, robot, &mut watcher);
                (outcome, end.exit_code)
            }
        },
    };
    drop(lease);
    let run_time = started.elapsed();
    // One transaction records the ending and reads the screen the attempt reached.
    let finished = ctx.db.get().map_err(Into::into).and_then(|mut c| {
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
        Err(e) => tracing::error!(etapa, error = %e, "falha ao gravar o resultado da cotação"),
    }
}
