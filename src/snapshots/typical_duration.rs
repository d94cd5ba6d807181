//! How long a quote takes on this installation: the median robot time of the most recent
//! successful attempts, read from the `attempts` table. The modal scales its time estimate with
//! it, so the estimate follows the real portal (or the simulated one's delay scale) instead of a
//! fixed guess.

use crate::store::db::DbError;
use rusqlite::Connection;

/// How many recent successful attempts the median is taken over.
pub const SAMPLE: i64 = 20;

/// Median duration in whole seconds, or `None` before the first successful quote.
pub fn median_seconds(conn: &Connection) -> Result<Option<u32>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT (julianday(finished_at) - julianday(started_at)) * 86400.0 FROM attempts
         WHERE outcome = 'success' AND finished_at IS NOT NULL
         ORDER BY finished_at DESC LIMIT ?1",
    )?;
    let mut secs: Vec<f64> = stmt
        .query_map([SAMPLE], |r| r.get::<_, Option<f64>>(0))?
        .filter_map(|r| r.transpose())
        .collect::<Result<_, _>>()?;
    secs.retain(|s| s.is_finite() && *s >= 0.0);
    if secs.is_empty() {
        return Ok(None);
    }
    secs.sort_by(f64::total_cmp);
    let mid = secs.len() / 2;
    let median = if secs.len() % 2 == 0 { (secs[mid - 1] + secs[mid]) / 2.0 } else { secs[mid] };
    Ok(Some(median.round().max(1.0) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_with(durations: &[(f64, &str)]) -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO jobs (id, session_id, created_at, updated_at, max_attempts, placa) VALUES (1, 's', 'x', 'x', 2, 'ABC1D23')",
            [],
        )
        .unwrap();
        for (i, (secs, outcome)) in durations.iter().enumerate() {
            let start = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z").unwrap().to_utc()
                + chrono::Duration::minutes(i as i64 * 10);
            let end = start + chrono::Duration::milliseconds((secs * 1000.0) as i64);
            c.execute(
                "INSERT INTO attempts (job_id, attempt, started_at, finished_at, outcome) VALUES (1, ?1, ?2, ?3, ?4)",
                rusqlite::params![
                    i as i64 + 1,
                    crate::store::db::timestamp(start),
                    crate::store::db::timestamp(end),
                    outcome
                ],
            )
            .unwrap();
        }
        c
    }

    #[test]
    fn none_before_the_first_success() {
        assert_eq!(median_seconds(&db_with(&[])).unwrap(), None);
        assert_eq!(median_seconds(&db_with(&[(40.0, "error"), (3.0, "retry")])).unwrap(), None);
    }

    #[test]
    fn median_of_the_successful_attempts_only() {
        let c = db_with(&[(60.0, "success"), (900.0, "error"), (30.0, "success"), (45.4, "success")]);
        assert_eq!(median_seconds(&c).unwrap(), Some(45));
        let c = db_with(&[(10.0, "success"), (20.0, "success")]);
        assert_eq!(median_seconds(&c).unwrap(), Some(15));
    }

    #[test]
    fn only_the_most_recent_attempts_count() {
        let mut d = vec![(500.0, "success"); 30];
        d.extend(vec![(50.0, "success"); SAMPLE as usize]);
        assert_eq!(median_seconds(&db_with(&d)).unwrap(), Some(50));
    }
}
