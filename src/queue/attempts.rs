//! A job's attempts, the runners' side of the queue: claim the oldest queued job that is not
//! waiting before a retry, in one write transaction; record the robot's pid; finish (success, a
//! final error, or back to the queue, after a technical failure with the wait of
//! [`super::backoff`], with the quote's ending event in the same transaction); and find the jobs a
//! previous run of the service left running.

use super::backoff::Backoff;
use super::job::{ClaimedJob, Orphan};
use super::wakeup::Wakeup;
use crate::contract::outcome::Outcome;
use crate::contract::status::{AttemptOutcome, JobStatus};
use crate::outbox::lead_events;
use crate::store::db::{now, timestamp, DbError};
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection, OptionalExtension};

/// Takes the oldest queued job whose wait before a retry is over and marks it running, in one
/// write transaction.
pub fn claim(conn: &mut Connection, slot: usize) -> Result<Option<ClaimedJob>, DbError> {
    let tx = write_tx(conn)?;
    let now_utc = chrono::Utc::now();
    let t = timestamp(now_utc);
    // Queued since it was queued or requeued, or since its wait before a retry ended.
    let oldest: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, max(updated_at, coalesce(not_before, '')) FROM jobs
             WHERE status = ?1 AND (not_before IS NULL OR not_before <= ?2) ORDER BY id LIMIT 1",
            params![JobStatus::Queued, t],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, queued_since)) = oldest else { return Ok(None) };
    let waited = chrono::DateTime::parse_from_rfc3339(&queued_since)
        .ok()
        .and_then(|q| (now_utc - q.with_timezone(&chrono::Utc)).to_std().ok())
        .unwrap_or_default();
    let job = tx
        .query_row(
            "UPDATE jobs SET status = ?4, attempts = attempts + 1, started_at = ?1, updated_at = ?1,
                    runner_slot = ?2, runner_pid = NULL, runner_pid_start = NULL, exit_code = NULL, not_before = NULL
             WHERE id = ?3
             RETURNING id, session_id, attempts, coalesce(input_json, '{}')",
            params![t, slot as i64, id, JobStatus::Running],
            |r| {
                Ok(ClaimedJob {
                    id: r.get(0)?,
                    session_id: r.get(1)?,
                    attempt: r.get(2)?,
                    input_json: r.get(3)?,
                    waited,
                })
            },
        )
        .optional()?;
    if let Some(j) = &job {
        tx.execute(
            "INSERT OR REPLACE INTO attempts (job_id, attempt, started_at) VALUES (?1, ?2, ?3)",
            params![j.id, j.attempt, t],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO progress (job_id, attempt, etapa_atual, updated_at) VALUES (?1, ?2, 0, ?3)",
            params![j.id, j.attempt, t],
        )?;
    }
    tx.commit()?;
    Ok(job)
}

/// Remembers the robot's pid (its process group) and start time, for crash recovery.
pub fn record_pid(
    conn: &mut Connection,
    job_id: i64,
    attempt: u32,
    pid: u32,
    pid_start: Option<u64>,
) -> Result<(), DbError> {
    let tx = write_tx(conn)?;
    tx.execute(
        "UPDATE jobs SET runner_pid = ?2, runner_pid_start = ?3, updated_at = ?4 WHERE id = ?1",
        params![job_id, pid, pid_start.map(|s| s as i64), now()],
    )?;
    tx.execute("UPDATE attempts SET pid = ?3 WHERE job_id = ?1 AND attempt = ?2", params![job_id, attempt, pid])?;
    tx.commit()?;
    Ok(())
}

/// Where a job stands after [`finish`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFinish {
    Succeeded,
    Requeued,
    Failed,
}

/// What [`finish`] recorded: where the job stands, and the screen the attempt reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    pub after: AfterFinish,
    /// The highest numbered step in the attempt's history (a step is recorded when it begins, so
    /// a failed attempt names the screen it failed on); `None` before the first screen.
    pub etapa: Option<i64>,
}

/// Records how an attempt ended: success, a final error, or back to the queue (after a technical
/// failure, not claimed before the wait `backoff` gives it), and reads the screen it reached, in
/// one write transaction. A job that ends gets its `cotacao.concluida`, `cotacao.manual` or
/// `cotacao.falhou` in the same transaction and, once committed, wakes the delivery worker; a job
/// back in the queue wakes the runners.
pub fn finish(
    conn: &mut Connection,
    job_id: i64,
    attempt: u32,
    exit_code: Option<i32>,
    outcome: &Outcome,
    backoff: &Backoff,
    wakeup: &Wakeup,
) -> Result<Finished, DbError> {
    let tx = write_tx(conn)?;
    let now_utc = chrono::Utc::now();
    let t = timestamp(now_utc);
    let (attempts, max): (u32, u32) =
        tx.query_row("SELECT attempts, max_attempts FROM jobs WHERE id = ?1", [job_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (after, attempt_outcome, tipo) = match outcome {
        Outcome::Success => (AfterFinish::Succeeded, AttemptOutcome::Success, None),
        Outcome::Interrupted => (AfterFinish::Requeued, AttemptOutcome::Interrupted, None),
        Outcome::NotConfigured { erro } => (AfterFinish::Requeued, AttemptOutcome::Interrupted, Some(erro)),
        Outcome::Failed { erro, retryable } if *retryable && attempts < max => {
            (AfterFinish::Requeued, AttemptOutcome::Retry, Some(erro))
        }
        Outcome::Failed { erro, .. } => (AfterFinish::Failed, AttemptOutcome::Error, Some(erro)),
    };
    tx.execute(
        "UPDATE attempts SET finished_at = ?3, exit_code = ?4, outcome = ?5, error_tipo = ?6 WHERE job_id = ?1 AND attempt = ?2",
        params![job_id, attempt, t, exit_code, attempt_outcome, tipo.map(|e| e.tipo.clone())],
    )?;
    match after {
        AfterFinish::Succeeded => {
            tx.execute(
                "UPDATE jobs SET status = ?4, finished_at = ?2, updated_at = ?2, exit_code = ?3,
                        error_tipo = NULL, error_mensagem = NULL, error_sugestao = NULL WHERE id = ?1",
                params![job_id, t, exit_code, JobStatus::Success],
            )?;
            lead_events::quote_ended(&tx, job_id, None)?;
        }
        AfterFinish::Requeued => {
            let undo = i32::from(attempt_outcome == AttemptOutcome::Interrupted);
            let wait = match attempt_outcome {
                AttemptOutcome::Retry => backoff.after(attempts),
                _ => std::time::Duration::ZERO,
            };
            let not_before =
                (!wait.is_zero()).then(|| timestamp(now_utc + chrono::Duration::from_std(wait).unwrap_or_default()));
            tx.execute(
                "UPDATE jobs SET status = ?5, attempts = attempts - ?4, updated_at = ?2, exit_code = ?3,
                        runner_pid = NULL, runner_pid_start = NULL, not_before = ?6 WHERE id = ?1",
                params![job_id, t, exit_code, undo, JobStatus::Queued, not_before],
            )?;
        }
        AfterFinish::Failed => {
            let e = tipo.expect("a failure has an error entry");
            tx.execute(
                "UPDATE jobs SET status = ?7, finished_at = ?2, updated_at = ?2, exit_code = ?3,
                        error_tipo = ?4, error_mensagem = ?5, error_sugestao = ?6 WHERE id = ?1",
                params![job_id, t, exit_code, e.tipo, e.mensagem, e.sugestao, JobStatus::Error],
            )?;
            lead_events::quote_ended(&tx, job_id, Some(e))?;
        }
    }
    let etapa = last_screen(&tx, job_id, attempt)?;
    tx.commit()?;
    match (after, outcome) {
        // The gate closes for it: the preflight wakes the runners once it opens again.
        (AfterFinish::Requeued, Outcome::NotConfigured { .. }) => {}
        (AfterFinish::Requeued, _) => wakeup.runners(),
        (AfterFinish::Succeeded | AfterFinish::Failed, _) => wakeup.events_written(),
    }
    Ok(Finished { after, etapa })
}

pub fn orphans(conn: &Connection) -> Result<Vec<Orphan>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, session_id, attempts, runner_pid, runner_pid_start, coalesce(input_json, '{}')
         FROM jobs WHERE status = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([JobStatus::Running], |r| {
        Ok(Orphan {
            id: r.get(0)?,
            session_id: r.get(1)?,
            attempt: r.get(2)?,
            pid: r.get(3)?,
            pid_start: r.get::<_, Option<i64>>(4)?.map(|s| s as u64),
            input_json: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The screen an attempt reached: the highest numbered step in its history.
fn last_screen(conn: &Connection, job_id: i64, attempt: u32) -> Result<Option<i64>, DbError> {
    Ok(conn.query_row(
        "SELECT max(CAST(etapa AS INTEGER)) FROM history WHERE job_id = ?1 AND attempt = ?2 AND etapa GLOB '[0-9]*'",
        params![job_id, attempt],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::outcome::ErrorEntry;
    use crate::queue::enqueue::enqueue;
    use crate::queue::job::NewJob;

    fn database() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        c
    }

    /// Claims the job and writes its attempt's history up to screen `reached` (0: nothing past
    /// the start), as the snapshot sync would.
    fn run_to(c: &mut Connection, reached: i64) -> ClaimedJob {
        let job = claim(c, 0).unwrap().expect("a job to claim");
        let etapas = std::iter::once("inicio".to_string()).chain((1..=reached).map(|e| e.to_string()));
        for (seq, etapa) in etapas.enumerate() {
            c.execute(
                "INSERT INTO history (job_id, attempt, seq, etapa, synced_at) VALUES (?1, ?2, ?3, ?4, 't')",
                params![job.id, job.attempt, seq as i64, etapa],
            )
            .unwrap();
        }
        job
    }

    fn failure(tipo: &str, retryable: bool) -> Outcome {
        Outcome::Failed { erro: ErrorEntry::service(tipo, "m", String::new()), retryable }
    }

    /// The job's status, its attempts counted, and each attempt's outcome.
    type Stored = (JobStatus, u32, Vec<AttemptOutcome>);

    fn stored(c: &Connection, job_id: i64) -> Stored {
        let (status, attempts) = c
            .query_row("SELECT status, attempts FROM jobs WHERE id = ?1", [job_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        let mut stmt = c.prepare("SELECT outcome FROM attempts WHERE job_id = ?1 ORDER BY attempt").unwrap();
        let outcomes = stmt.query_map([job_id], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        (status, attempts, outcomes)
    }

    #[test]
    fn finishing_records_the_outcome_and_the_screen_reached_in_one_pass() {
        use AfterFinish::{Failed, Requeued, Succeeded};
        use AttemptOutcome as A;
        let not_configured =
            Outcome::NotConfigured { erro: ErrorEntry::service("configuracao_invalida", "m", "s".into()) };
        // (how each attempt ends, at which screen) → (after each, the job, its attempts).
        let cases = vec![
            (vec![(Outcome::Success, 15)], vec![Succeeded], (JobStatus::Success, 1, vec![A::Success])),
            (
                vec![(failure("tela_nao_carregou", true), 9), (Outcome::Success, 15)],
                vec![Requeued, Succeeded],
                (JobStatus::Success, 2, vec![A::Retry, A::Success]),
            ),
            (
                vec![(failure("tela_nao_carregou", true), 9), (failure("tela_nao_carregou", true), 9)],
                vec![Requeued, Failed],
                (JobStatus::Error, 2, vec![A::Retry, A::Error]),
            ),
            (vec![(failure("cotacao_manual", false), 14)], vec![Failed], (JobStatus::Error, 1, vec![A::Error])),
            (vec![(Outcome::Interrupted, 3)], vec![Requeued], (JobStatus::Queued, 0, vec![A::Interrupted])),
            (vec![(not_configured, 0)], vec![Requeued], (JobStatus::Queued, 0, vec![A::Interrupted])),
        ];
        let no_wait = Backoff::parse("0").unwrap();
        for (runs, afters, job_after) in cases {
            let mut c = database();
            let w = Wakeup::default();
            enqueue(&mut c, &NewJob::example("ABC1D23", None), 10, 2, &w).unwrap();
            let mut job_id = 0;
            for ((outcome, reached), expected) in runs.iter().zip(&afters) {
                let job = run_to(&mut c, *reached);
                job_id = job.id;
                let finished = finish(&mut c, job.id, job.attempt, Some(1), outcome, &no_wait, &w).unwrap();
                let etapa = (*reached > 0).then_some(*reached);
                assert_eq!(finished, Finished { after: *expected, etapa }, "{outcome:?}");
            }
            assert_eq!(stored(&c, job_id), job_after, "{runs:?}");
        }
    }

    #[test]
    fn a_technical_failure_waits_its_backoff_before_it_is_claimed_again_and_others_go_first() {
        let (mut c, w) = (database(), Wakeup::default());
        let backoff = Backoff::parse("600").unwrap();
        enqueue(&mut c, &NewJob::example("ABC1D23", None), 10, 2, &w).unwrap();
        let first = run_to(&mut c, 2);
        finish(&mut c, first.id, first.attempt, Some(1), &failure("portal_indisponivel", true), &backoff, &w).unwrap();
        let (failed_at, not_before): (String, String) = c
            .query_row(
                "SELECT a.finished_at, j.not_before FROM jobs j JOIN attempts a ON a.job_id = j.id WHERE j.id = ?1",
                [first.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
        assert_eq!(at(&not_before) - at(&failed_at), chrono::Duration::seconds(600));
        assert!(claim(&mut c, 0).unwrap().is_none(), "not claimed while it waits");

        // A quote queued later goes first; the service stopping does not make it wait.
        enqueue(&mut c, &NewJob::example("XYZ9876", None), 10, 2, &w).unwrap();
        let second = claim(&mut c, 0).unwrap().expect("the later quote");
        assert_ne!(second.id, first.id);
        finish(&mut c, second.id, second.attempt, None, &Outcome::Interrupted, &backoff, &w).unwrap();
        let again = claim(&mut c, 0).unwrap().expect("an interrupted quote is claimed at once");
        assert_eq!(again.id, second.id);

        // Once its wait is over, it is claimed, and its queue wait counts from then.
        let over = timestamp(chrono::Utc::now() - chrono::Duration::seconds(5));
        c.execute("UPDATE jobs SET not_before = ?2 WHERE id = ?1", params![first.id, over]).unwrap();
        let retried = claim(&mut c, 0).unwrap().expect("the retry");
        assert_eq!((retried.id, retried.attempt), (first.id, 2));
        assert!(retried.waited < std::time::Duration::from_secs(60), "{:?}", retried.waited);
        let cleared: Option<String> =
            c.query_row("SELECT not_before FROM jobs WHERE id = ?1", [first.id], |r| r.get(0)).unwrap();
        assert_eq!(cleared, None);
    }
}
