//! The job store in SQLite: enqueue (with de-duplication and the queue limit), claim in one write
//! transaction, record the robot's pid, finish or requeue, find orphans, count. Enqueueing and
//! finishing write their lead events ([`crate::outbox`]) in the same transaction.

use crate::db::{now, write_tx, DbError};
use crate::leads;
use crate::outbox::{self, lead_events};
use crate::outcome::Outcome;
use rusqlite::{params, Connection, OptionalExtension};

/// What a job stores of a validated request: the columns it is found by and the robot input.
#[derive(Debug, Clone)]
pub struct QuoteData {
    pub cpf: String,
    pub placa: String,
    pub marca: Option<String>,
    pub modelo: Option<String>,
    pub ano: Option<i32>,
    /// Robot input (contract §2).
    pub input_json: String,
}

impl From<&crate::domain::quote_request::QuoteRequest> for QuoteData {
    fn from(r: &crate::domain::quote_request::QuoteRequest) -> QuoteData {
        QuoteData {
            cpf: r.cpf.as_str().to_string(),
            placa: r.placa.as_str().to_string(),
            marca: r.marca.clone(),
            modelo: r.modelo.clone(),
            ano: r.ano,
            input_json: crate::domain::robot_input::robot_input(r).to_string(),
        }
    }
}

/// A validated request ready to be queued.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub session_id: String,
    pub quote: QuoteData,
    pub lead_json: String,
    /// SHA-256 of the token this job's first answer hands out.
    pub resume_token_hash: String,
    /// SHA-256 of the token the request presented, if any.
    pub presented_token_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enqueued {
    Created {
        session_id: String,
        posicao_fila: i64,
    },
    /// Same CPF and plate already waiting or running, and the request presented that quote's
    /// resume token: that session is returned.
    Existing {
        session_id: String,
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
/// records the visitor as a turned-away lead instead (one write transaction).
pub fn enqueue(conn: &mut Connection, job: &NewJob, queue_limit: u32, max_attempts: u32) -> Result<Enqueued, DbError> {
    let tx = write_tx(conn)?;
    let existing: Option<(i64, String, Option<String>)> = tx
        .query_row(
            "SELECT id, session_id, resume_token_hash FROM jobs WHERE cpf = ?1 AND placa = ?2 AND status IN ('queued','running')",
            params![job.quote.cpf, job.quote.placa],
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
    let earlier = leads::recent(&tx, &job.quote.cpf, &job.quote.placa)?;
    let queued: i64 = tx.query_row("SELECT count(*) FROM jobs WHERE status = 'queued'", [], |r| r.get(0))?;
    if queued >= i64::from(queue_limit) {
        let (lead_id, repeated) = match earlier {
            Some(lead_id) => (lead_id, true),
            None => (leads::record(&tx, job)?, false),
        };
        tx.commit()?;
        if !repeated {
            outbox::wake();
        }
        return Ok(Enqueued::TurnedAway { lead_id, repeated });
    }
    let t = now();
    let q = &job.quote;
    let lead_id = earlier.as_deref().unwrap_or(&job.session_id);
    tx.execute(
        "INSERT INTO jobs (session_id, status, created_at, updated_at, max_attempts, placa, marca, modelo, ano, cpf, input_json, lead_json,
                           lead_id, resume_token_hash)
         VALUES (?1, 'queued', ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![job.session_id, t, max_attempts, q.placa, q.marca, q.modelo, q.ano, q.cpf, q.input_json, job.lead_json,
                lead_id, job.resume_token_hash],
    )?;
    let job_id = tx.last_insert_rowid();
    match &earlier {
        // The lead was announced when the full queue turned it away.
        Some(lead_id) => leads::link(&tx, lead_id, &job.session_id)?,
        None => lead_events::queued(&tx, job_id)?,
    }
    let posicao_fila = queue_position(&tx, job_id)?;
    tx.commit()?;
    outbox::wake();
    Ok(Enqueued::Created { session_id: job.session_id.clone(), posicao_fila })
}

/// Queues the canary quote when it is due: none created since `due_before`, none alive, nothing
/// waiting and a slot free (`slots` robots at most). Returns its session id if one was queued.
/// No lead event: a canary is never a lead.
pub fn enqueue_canary(
    conn: &mut Connection,
    quote: &QuoteData,
    slots: u16,
    max_attempts: u32,
    due_before: chrono::DateTime<chrono::Utc>,
) -> Result<Option<String>, DbError> {
    let tx = write_tx(conn)?;
    let (queued, running, recent): (i64, i64, bool) = tx.query_row(
        "SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'running'),
                EXISTS (SELECT 1 FROM jobs WHERE canary = 1 AND (created_at > ?1 OR status IN ('queued', 'running')))
         FROM jobs WHERE status IN ('queued', 'running')",
        [crate::db::timestamp(due_before)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if queued > 0 || running >= i64::from(slots) || recent {
        return Ok(None);
    }
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE cpf = ?1 AND placa = ?2 AND status IN ('queued', 'running'))",
        params![quote.cpf, quote.placa],
        |r| r.get(0),
    )?;
    if taken {
        return Ok(None);
    }
    let session_id = crate::canary::session_id();
    let t = now();
    tx.execute(
        "INSERT INTO jobs (session_id, status, created_at, updated_at, max_attempts, placa, marca, modelo, ano, cpf, input_json, lead_json,
                           lead_id, canary)
         VALUES (?1, 'queued', ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '{}', ?1, 1)",
        params![session_id, t, max_attempts, quote.placa, quote.marca, quote.modelo, quote.ano, quote.cpf, quote.input_json],
    )?;
    tx.commit()?;
    Ok(Some(session_id))
}

/// 1-based place in the queue of a waiting job; 0 once it runs or has ended.
pub fn queue_position(conn: &Connection, job_id: i64) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT CASE WHEN (SELECT status FROM jobs WHERE id = ?1) = 'queued'
                THEN (SELECT count(*) FROM jobs WHERE status = 'queued' AND id <= ?1) ELSE 0 END",
        [job_id],
        |r| r.get(0),
    )?)
}

/// A job a runner slot has taken.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub session_id: String,
    pub attempt: u32,
    pub input_json: String,
    /// How long it waited in the queue before this attempt (since it was queued or requeued).
    pub waited: std::time::Duration,
}

/// Takes the oldest queued job and marks it running, in one write transaction.
pub fn claim(conn: &mut Connection, slot: usize) -> Result<Option<ClaimedJob>, DbError> {
    let tx = write_tx(conn)?;
    let now_utc = chrono::Utc::now();
    let t = crate::db::timestamp(now_utc);
    let oldest: Option<(i64, String)> = tx
        .query_row("SELECT id, updated_at FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((id, queued_since)) = oldest else { return Ok(None) };
    let waited = chrono::DateTime::parse_from_rfc3339(&queued_since)
        .ok()
        .and_then(|q| (now_utc - q.with_timezone(&chrono::Utc)).to_std().ok())
        .unwrap_or_default();
    let job = tx
        .query_row(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?1, updated_at = ?1,
                    runner_slot = ?2, runner_pid = NULL, runner_pid_start = NULL, exit_code = NULL
             WHERE id = ?3
             RETURNING id, session_id, attempts, coalesce(input_json, '{}')",
            params![t, slot as i64, id],
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

/// Records how an attempt ended: success, a final error, or back to the queue. A job that ends
/// gets its `cotacao.concluida`, `cotacao.manual` or `cotacao.falhou` in the same transaction.
pub fn finish(
    conn: &mut Connection,
    job_id: i64,
    attempt: u32,
    exit_code: Option<i32>,
    outcome: &Outcome,
) -> Result<AfterFinish, DbError> {
    let tx = write_tx(conn)?;
    let t = now();
    let (attempts, max): (u32, u32) =
        tx.query_row("SELECT attempts, max_attempts FROM jobs WHERE id = ?1", [job_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (after, attempt_outcome, tipo) = match outcome {
        Outcome::Success => (AfterFinish::Succeeded, "success", None),
        Outcome::Interrupted => (AfterFinish::Requeued, "interrupted", None),
        Outcome::NotConfigured { erro } => (AfterFinish::Requeued, "interrupted", Some(erro)),
        Outcome::Failed { erro, retryable } if *retryable && attempts < max => {
            (AfterFinish::Requeued, "retry", Some(erro))
        }
        Outcome::Failed { erro, .. } => (AfterFinish::Failed, "error", Some(erro)),
    };
    tx.execute(
        "UPDATE attempts SET finished_at = ?3, exit_code = ?4, outcome = ?5, error_tipo = ?6 WHERE job_id = ?1 AND attempt = ?2",
        params![job_id, attempt, t, exit_code, attempt_outcome, tipo.map(|e| e.tipo.clone())],
    )?;
    match after {
        AfterFinish::Succeeded => {
            tx.execute(
                "UPDATE jobs SET status = 'success', finished_at = ?2, updated_at = ?2, exit_code = ?3,
                        error_tipo = NULL, error_mensagem = NULL, error_sugestao = NULL WHERE id = ?1",
                params![job_id, t, exit_code],
            )?;
            lead_events::quote_ended(&tx, job_id, None)?;
        }
        AfterFinish::Requeued => {
            let undo = i32::from(matches!(outcome, Outcome::Interrupted | Outcome::NotConfigured { .. }));
            tx.execute(
                "UPDATE jobs SET status = 'queued', attempts = attempts - ?4, updated_at = ?2, exit_code = ?3,
                        runner_pid = NULL, runner_pid_start = NULL WHERE id = ?1",
                params![job_id, t, exit_code, undo],
            )?;
        }
        AfterFinish::Failed => {
            let e = tipo.expect("a failure has an error entry");
            tx.execute(
                "UPDATE jobs SET status = 'error', finished_at = ?2, updated_at = ?2, exit_code = ?3,
                        error_tipo = ?4, error_mensagem = ?5, error_sugestao = ?6 WHERE id = ?1",
                params![job_id, t, exit_code, e.tipo, e.mensagem, e.sugestao],
            )?;
            lead_events::quote_ended(&tx, job_id, Some(e))?;
        }
    }
    tx.commit()?;
    if after != AfterFinish::Requeued {
        outbox::wake();
    }
    Ok(after)
}

/// A job left `running` by a previous run of the service.
#[derive(Debug, Clone)]
pub struct Orphan {
    pub id: i64,
    pub session_id: String,
    pub attempt: u32,
    pub pid: Option<u32>,
    pub pid_start: Option<u64>,
    /// The robot input (contract §2), `{}` once purged: what the robot's files must be masked for.
    pub input_json: String,
}

pub fn orphans(conn: &Connection) -> Result<Vec<Orphan>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT id, session_id, attempts, runner_pid, runner_pid_start, coalesce(input_json, '{}')
         FROM jobs WHERE status = 'running' ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
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

/// The screen an attempt reached: the highest numbered step in its history (a step is recorded
/// when it begins, so a failed attempt names the screen it failed on).
pub fn last_screen(conn: &Connection, job_id: i64, attempt: u32) -> Result<Option<i64>, DbError> {
    Ok(conn.query_row(
        "SELECT max(CAST(etapa AS INTEGER)) FROM history WHERE job_id = ?1 AND attempt = ?2 AND etapa GLOB '[0-9]*'",
        params![job_id, attempt],
        |r| r.get(0),
    )?)
}

/// (waiting, running) job counts.
pub fn counts(conn: &Connection) -> Result<(i64, i64), DbError> {
    Ok(conn.query_row(
        "SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'running') FROM jobs",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
