//! Where jobs stand: a waiting job's place in line, and how many wait and run.

use crate::contract::status::JobStatus;
use crate::store::db::DbError;
use rusqlite::{params, Connection};

/// 1-based place in the queue of a waiting job; 0 once it runs or has ended.
pub fn queue_position(conn: &Connection, job_id: i64) -> Result<i64, DbError> {
    Ok(conn.query_row(
        "SELECT CASE WHEN (SELECT status FROM jobs WHERE id = ?1) = ?2
                THEN (SELECT count(*) FROM jobs WHERE status = ?2 AND id <= ?1) ELSE 0 END",
        params![job_id, JobStatus::Queued],
        |r| r.get(0),
    )?)
}

/// (waiting, running) job counts.
pub fn counts(conn: &Connection) -> Result<(i64, i64), DbError> {
    Ok(conn.query_row(
        "SELECT count(*) FILTER (WHERE status = ?1), count(*) FILTER (WHERE status = ?2) FROM jobs",
        [JobStatus::Queued, JobStatus::Running],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
