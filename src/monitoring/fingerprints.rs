//! Early warning of portal drift: the robot records a structural fingerprint of each screen it
//! sees (`dados_extra.fingerprint` of the screen's history entry: a hash over the ids, names,
//! roles and button texts of its interactive elements, never what the visitor typed). The
//! service keeps the fingerprints its successful quotes saw (`screen_fingerprints`); a screen
//! showing one it has never seen, on any attempt that succeeds or fails, is recorded once in
//! `screen_changes` with when and where, and health lists it ("tela 7 mudou em …") before
//! anything fails.
//!
//! The first successful quote sets the baseline silently. A screen that legitimately looks
//! different for another kind of quote (a motorcycle's screen 6 has no gas kit question) is
//! reported once, the first time, and then known.

use crate::contract::status::AttemptOutcome;
use crate::store::db::DbError;
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection};
use serde::Serialize;

const CURSOR_KEY: &str = "impressoes_ate";
/// How long a change stays in health.
pub const SHOWN_FOR_DAYS: i64 = 7;

/// Reads the attempts that ended since the last call and records what they saw.
pub fn scan(conn: &mut Connection) -> Result<usize, DbError> {
    let tx = write_tx(conn)?;
    let cursor = super::kept_state::state(&tx, CURSOR_KEY)?.unwrap_or_default();
    let attempts: Vec<(i64, u32, AttemptOutcome, String, String)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT a.job_id, a.attempt, a.outcome, a.finished_at, j.session_id FROM attempts a JOIN jobs j ON j.id = a.job_id
             WHERE a.finished_at >= ?1 AND a.outcome IS NOT NULL ORDER BY a.finished_at LIMIT 500",
        )?;
        let rows = stmt.query_map([&cursor], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut changes = 0;
    for (job_id, attempt, outcome, finished_at, session) in &attempts {
        let seen: Vec<(i64, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT CAST(etapa AS INTEGER), json_extract(dados_extra_json, '$.fingerprint') FROM history
                 WHERE job_id = ?1 AND attempt = ?2 AND etapa GLOB '[0-9]*' AND json_valid(dados_extra_json)
                   AND json_type(dados_extra_json, '$.fingerprint') = 'text'",
            )?;
            let rows = stmt.query_map(params![job_id, attempt], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (tela, fingerprint) in seen {
            let (known, this_known): (bool, bool) = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM screen_fingerprints WHERE tela = ?1),
                        EXISTS (SELECT 1 FROM screen_fingerprints WHERE tela = ?1 AND fingerprint = ?2)",
                params![tela, fingerprint],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if known && !this_known {
                changes += tx.execute(
                    "INSERT OR IGNORE INTO screen_changes (tela, fingerprint, changed_at, session_id) VALUES (?1, ?2, ?3, ?4)",
                    params![tela, fingerprint, finished_at, session],
                )?;
            }
            if *outcome == AttemptOutcome::Success {
                tx.execute(
                    "INSERT INTO screen_fingerprints (tela, fingerprint, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)
                     ON CONFLICT (tela, fingerprint) DO UPDATE SET last_seen = excluded.last_seen",
                    params![tela, fingerprint, finished_at],
                )?;
            }
        }
    }
    if let Some(last) = attempts.last() {
        super::kept_state::set_state(&tx, CURSOR_KEY, &last.3)?;
    }
    tx.commit()?;
    Ok(changes)
}

/// A screen that showed a structure never seen before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreenChange {
    pub tela: i64,
    /// When the first attempt that saw it ended (UTC).
    pub em: String,
    /// "tela 7 mudou em 2026-11-28 14:03" (Brasília time).
    pub mensagem: String,
}

/// The changes of the last [`SHOWN_FOR_DAYS`] days, newest first.
pub fn recent_changes(conn: &Connection, now: chrono::DateTime<chrono::Utc>) -> Result<Vec<ScreenChange>, DbError> {
    let since = crate::store::db::timestamp(now - chrono::Duration::days(SHOWN_FOR_DAYS));
    let mut stmt = conn.prepare_cached(
        "SELECT tela, min(changed_at) FROM screen_changes WHERE changed_at >= ?1 GROUP BY tela ORDER BY min(changed_at) DESC LIMIT 15",
    )?;
    let rows = stmt.query_map([since], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (tela, em) = row?;
        let local = chrono::DateTime::parse_from_rfc3339(&em)
            .map(|t| (t.with_timezone(&chrono::Utc) - chrono::Duration::hours(3)).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|_| em.clone());
        out.push(ScreenChange { tela, mensagem: format!("tela {tela} mudou em {local}"), em });
    }
    Ok(out)
}
