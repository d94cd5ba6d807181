//! How long a quote takes on this installation ([`TempoTipico`]): medians over the most recent
//! successful attempts, read from `attempts` and the `history` the runners synced. The modal times
//! its stages with them and the demo page quotes the same figures (health carries them too), so
//! both follow the real portal (or the simulated one's delay scale) instead of a fixed guess.
//!
//! Each attempt gives up to three times, all on the service's clock: from its start to its
//! screen-5 estimate (when the `"estimativas"` history entry was synced), the final calculation
//! (from its first step-15 entry, entering screen 15's countdown, to its `"final"` entry with the
//! plans, or to its end without one), and the whole attempt.

use crate::store::db::DbError;
use rusqlite::Connection;
use serde::Serialize;

/// How many recent successful attempts the medians are taken over.
pub const SAMPLE: i64 = 20;

/// The typical times of a quote here, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TempoTipico {
    /// From an attempt's start to its estimate; `None` when none of the attempts had one.
    pub estimativa_s: Option<u32>,
    /// The final calculation, from entering screen 15 to the result; `None` when none had one.
    pub calculo_s: Option<u32>,
    /// The whole attempt (at least 1).
    pub total_s: u32,
    /// How many attempts the medians come from.
    pub amostras: u32,
}

/// The typical times, or `None` before the first successful quote.
pub fn read(conn: &Connection) -> Result<Option<TempoTipico>, DbError> {
    // One pass over the three stage entries of each attempt (index `history_stages`).
    let mut stmt = conn.prepare_cached(
        "WITH recent AS (
             SELECT job_id, attempt, started_at, finished_at FROM attempts
             WHERE outcome = 'success' AND finished_at IS NOT NULL
             ORDER BY finished_at DESC LIMIT ?1)
         SELECT (julianday(r.finished_at) - julianday(r.started_at)) * 86400.0,
                (julianday(min(CASE h.etapa WHEN 'estimativas' THEN h.synced_at END)) - julianday(r.started_at)) * 86400.0,
                (julianday(coalesce(min(CASE h.etapa WHEN 'final' THEN h.synced_at END), r.finished_at))
                 - julianday(min(CASE h.etapa WHEN '15' THEN h.synced_at END))) * 86400.0
         FROM recent r LEFT JOIN history h
           ON h.job_id = r.job_id AND h.attempt = r.attempt AND h.etapa IN ('estimativas', '15', 'final')
         GROUP BY r.job_id, r.attempt",
    )?;
    let rows: Vec<[Option<f64>; 3]> =
        stmt.query_map([SAMPLE], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]))?.collect::<Result<_, _>>()?;
    let column =
        |i: usize| -> Vec<f64> { rows.iter().filter_map(|r| r[i]).filter(|s| s.is_finite() && *s >= 0.0).collect() };
    let Some(total) = median(column(0)) else { return Ok(None) };
    Ok(Some(TempoTipico {
        estimativa_s: median(column(1)).map(whole),
        calculo_s: median(column(2)).map(whole),
        total_s: whole(total).max(1),
        amostras: column(0).len() as u32,
    }))
}

fn median(mut secs: Vec<f64>) -> Option<f64> {
    if secs.is_empty() {
        return None;
    }
    secs.sort_by(f64::total_cmp);
    let mid = secs.len() / 2;
    Some(if secs.len() % 2 == 0 { (secs[mid - 1] + secs[mid]) / 2.0 } else { secs[mid] })
}

fn whole(secs: f64) -> u32 {
    secs.round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One attempt: its outcome, whole length, and the seconds after its start of the estimate,
    /// the entry into screen 15 and the plans (each if it had one).
    struct Run {
        outcome: &'static str,
        total: f64,
        estimate: Option<f64>,
        calculation: Option<f64>,
        result: Option<f64>,
    }

    fn ok(total: f64, estimate: f64, calculation: f64, result: f64) -> Run {
        Run {
            outcome: "success",
            total,
            estimate: Some(estimate),
            calculation: Some(calculation),
            result: Some(result),
        }
    }

    fn bare(outcome: &'static str, total: f64) -> Run {
        Run { outcome, total, estimate: None, calculation: None, result: None }
    }

    fn db_with(runs: &[Run]) -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        c.execute(
            "INSERT INTO jobs (id, session_id, created_at, updated_at, max_attempts, placa) VALUES (1, 's', 'x', 'x', 2, 'ABC1D23')",
            [],
        )
        .unwrap();
        let at = |start: chrono::DateTime<chrono::Utc>, secs: f64| {
            crate::store::db::timestamp(start + chrono::Duration::milliseconds((secs * 1000.0) as i64))
        };
        for (i, run) in runs.iter().enumerate() {
            let start = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z").unwrap().to_utc()
                + chrono::Duration::minutes(i as i64 * 10);
            let attempt = i as i64 + 1;
            c.execute(
                "INSERT INTO attempts (job_id, attempt, started_at, finished_at, outcome) VALUES (1, ?1, ?2, ?3, ?4)",
                rusqlite::params![attempt, at(start, 0.0), at(start, run.total), run.outcome],
            )
            .unwrap();
            let entries = [("3", Some(run.total / 10.0)), ("estimativas", run.estimate), ("15", run.calculation)]
                .into_iter()
                .chain([("15", run.result), ("final", run.result)]);
            for (seq, (etapa, secs)) in entries.enumerate() {
                let Some(secs) = secs else { continue };
                c.execute(
                    "INSERT INTO history (job_id, attempt, seq, etapa, synced_at) VALUES (1, ?1, ?2, ?3, ?4)",
                    rusqlite::params![attempt, seq as i64, etapa, at(start, secs)],
                )
                .unwrap();
            }
        }
        c
    }

    #[test]
    fn none_before_the_first_success() {
        assert_eq!(read(&db_with(&[])).unwrap(), None);
        assert_eq!(read(&db_with(&[bare("error", 40.0), bare("retry", 3.0)])).unwrap(), None);
    }

    #[test]
    fn medians_of_each_stage_of_the_successful_attempts_only() {
        let c = db_with(&[
            ok(60.0, 12.0, 20.0, 58.0),
            bare("error", 900.0),
            ok(30.0, 8.0, 15.0, 29.0),
            ok(45.4, 10.4, 18.0, 44.0),
        ]);
        assert_eq!(
            read(&c).unwrap(),
            Some(TempoTipico { estimativa_s: Some(10), calculo_s: Some(26), total_s: 45, amostras: 3 })
        );
        let c = db_with(&[bare("success", 10.0), bare("success", 20.0)]);
        assert_eq!(
            read(&c).unwrap(),
            Some(TempoTipico { estimativa_s: None, calculo_s: None, total_s: 15, amostras: 2 }),
            "attempts without an estimate or a calculation still count for the whole"
        );
    }

    #[test]
    fn the_calculation_ends_at_the_plans_or_else_at_the_attempts_end() {
        let mut run = ok(100.0, 10.0, 30.0, 90.0);
        run.result = None;
        assert_eq!(read(&db_with(&[run])).unwrap().unwrap().calculo_s, Some(70));
        assert_eq!(read(&db_with(&[ok(100.0, 10.0, 30.0, 90.0)])).unwrap().unwrap().calculo_s, Some(60));
    }

    #[test]
    fn only_the_most_recent_attempts_count() {
        let mut d: Vec<Run> = (0..30).map(|_| ok(500.0, 100.0, 200.0, 490.0)).collect();
        d.extend((0..SAMPLE).map(|_| ok(50.0, 5.0, 20.0, 45.0)));
        assert_eq!(
            read(&db_with(&d)).unwrap(),
            Some(TempoTipico { estimativa_s: Some(5), calculo_s: Some(25), total_s: 50, amostras: SAMPLE as u32 })
        );
    }
}
