//! Enqueueing a visitor's quote: de-duplicated (the same CPF and plate alive gets its session back
//! only with its resume token), bounded (a full queue turns the visitor away as a lead a person
//! must call), and its `lead.recebido` written in the same transaction.

use super::job::NewJob;
use super::position::queue_position;
use super::turned_away;
use super::wakeup::Wakeup;
use crate::contract::status::JobStatus;
use crate::domain::session_id::SessionId;
use crate::outbox::lead_events;
use crate::store::db::{now, DbError};
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enqueued {
    Created {
        session_id: SessionId,
        posicao_fila: i64,
    },
    /// Same CPF and plate already waiting or running, and the request presented that quote's
    /// resume token: that session is returned.
    Existing {
        session_id: SessionId,
        posicao_fila: i64,
    },
    /// Same CPF and plate already waiting or running, without its token: nothing is created and
    /// the session is not given out.
    ActiveElsewhere,
    /// The queue is full: no quote runs, but the visitor is recorded as a lead a person must call
    /// (`repeated` when the same CPF and plate were already turned away recently).
    TurnedAway {
        lead_id: String,
        repeated: bool,
    },
}

/// Inserts a job and its `lead.recebido` unless the same request is alive; with the queue full,
/// records the visitor as a turned-away lead instead (one write transaction). Once committed, a
/// new job wakes the runners and the delivery worker, a new turned-away lead the delivery worker.
pub fn enqueue(
    conn: &mut Connection,
    job: &NewJob,
    queue_limit: u32,
    max_attempts: u32,
    wakeup: &Wakeup,
) -> Result<Enqueued, DbError> {
    let tx = write_tx(conn)?;
    let existing: Option<(i64, SessionId, Option<String>)> = tx
        .query_row(
            "SELECT id, session_id, resume_token_hash FROM jobs WHERE cpf = ?1 AND placa = ?2 AND status IN (?3, ?4)",
            params![job.quote.cpf, job.quote.placa, JobStatus::Queued, JobStatus::Running],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((id, session_id, token_hash)) = existing {
        if token_hash.is_none() || token_hash != job.presented_token_hash {
            return Ok(Enqueued::ActiveElsewhere);
        }
        let posicao_fila = queue_position(&tx, id)?;
        return Ok(Enqueued::Existing { session_id, posicao_fila });
    }
    let earlier = turned_away::recent(&tx, &job.quote.cpf, &job.quote.placa)?;
    let queued: i64 = tx.query_row("SELECT count(*) FROM jobs WHERE status = ?1", [JobStatus::Queued], |r| r.get(0))?;
    if queued >= i64::from(queue_limit) {
        let (lead_id, repeated) = match earlier {
            Some(lead_id) => (lead_id, true),
            None => (turned_away::record(&tx, job)?, false),
        };
        tx.commit()?;
        if !repeated {
            wakeup.events_written();
        }
        return Ok(Enqueued::TurnedAway { lead_id, repeated });
    }
    let t = now();
    let q = &job.quote;
    let lead_id = earlier.as_deref().unwrap_or(job.session_id.as_str());
    tx.execute(
        "INSERT INTO jobs (session_id, status, created_at, updated_at, max_attempts, placa, marca, modelo, ano, cpf, input_json, lead_json,
                           lead_id, resume_token_hash, assumed_answers)
         VALUES (?1, ?13, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14)",
        params![job.session_id, t, max_attempts, q.placa, q.marca, q.modelo, q.ano, q.cpf, q.input_json, job.lead_json,
                lead_id, job.resume_token_hash, JobStatus::Queued, q.assumed_answers],
    )?;
    let job_id = tx.last_insert_rowid();
    match &earlier {
        // The lead was announced when the full queue turned it away.
        Some(lead_id) => turned_away::link(&tx, lead_id, &job.session_id)?,
        None => lead_events::queued(&tx, job_id)?,
    }
    let posicao_fila = queue_position(&tx, job_id)?;
    tx.commit()?;
    wakeup.job_queued();
    Ok(Enqueued::Created { session_id: job.session_id.clone(), posicao_fila })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Whether the delivery worker would wake now (takes the wake-up if there is one).
    async fn delivery_woken(w: &Wakeup) -> bool {
        tokio::time::timeout(Duration::ZERO, w.events()).await.is_ok()
    }

    #[tokio::test]
    async fn a_new_job_wakes_the_runners_and_the_delivery_worker_and_a_repeat_wakes_nobody() {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        let w = Wakeup::default();
        let created = enqueue(&mut c, &NewJob::example("ABC1D23", None), 10, 2, &w).unwrap();
        assert!(matches!(created, Enqueued::Created { .. }), "{created:?}");
        assert_eq!(w.generation(), 1, "the runners were woken");
        assert!(delivery_woken(&w).await, "the delivery worker was woken for the lead.recebido");

        let repeated = enqueue(&mut c, &NewJob::example("ABC1D23", None), 10, 2, &w).unwrap();
        assert_eq!(repeated, Enqueued::ActiveElsewhere);
        assert_eq!(w.generation(), 1, "nothing new to claim");
        assert!(!delivery_woken(&w).await, "nothing new to deliver");
    }
}
