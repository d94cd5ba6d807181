//! The last robot attempts: the most recent `window` that ended in the last `minutes`, and which
//! of them failed for a technical reason (a business answer — cotação manual, refused data — is
//! the portal working, not failing). For the failures: the screen most of them stopped at and the
//! most common `tipo`.

use crate::contract::status::AttemptOutcome;
use crate::store::db::DbError;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Recent {
    /// Attempts considered.
    pub tentativas: i64,
    /// Of those, technical failures.
    pub falhas_tecnicas: i64,
    /// How many of the most recent attempts failed in a row.
    pub falhas_seguidas: i64,
    /// The screen most failures stopped at, and how many did.
    pub tela_mais_comum: Option<i64>,
    pub falhas_na_tela: i64,
    /// The most common error `tipo` of the failures.
    pub tipo_mais_comum: Option<String>,
    pub janela_tentativas: u32,
    pub janela_minutos: u32,
}

pub fn recent(
    conn: &Connection,
    window: u32,
    minutes: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Recent, DbError> {
    let since = crate::store::db::timestamp(now - chrono::Duration::minutes(i64::from(minutes)));
    let mut stmt = conn.prepare_cached(
        "SELECT a.outcome, coalesce(a.error_tipo, ''),
                (SELECT max(CAST(h.etapa AS INTEGER)) FROM history h
                  WHERE h.job_id = a.job_id AND h.attempt = a.attempt AND h.etapa GLOB '[0-9]*')
         FROM attempts a
         WHERE a.outcome IN (?3, ?4, ?5) AND a.finished_at >= ?1
         ORDER BY a.finished_at DESC LIMIT ?2",
    )?;
    let counted = [AttemptOutcome::Success, AttemptOutcome::Retry, AttemptOutcome::Error];
    let rows: Vec<(AttemptOutcome, String, Option<i64>)> = stmt
        .query_map(params![since, window, counted[0], counted[1], counted[2]], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    let failed = |(outcome, tipo, _): &(AttemptOutcome, String, Option<i64>)| {
        *outcome != AttemptOutcome::Success && !crate::contract::outcome::is_business_tipo(tipo)
    };
    let failures: Vec<&(AttemptOutcome, String, Option<i64>)> = rows.iter().filter(|r| failed(r)).collect();
    let mut by_screen: HashMap<i64, i64> = HashMap::new();
    let mut by_tipo: HashMap<&str, i64> = HashMap::new();
    for (_, tipo, tela) in &failures {
        *by_screen.entry(tela.unwrap_or(0)).or_default() += 1;
        *by_tipo.entry(tipo.as_str()).or_default() += 1;
    }
    // Most common first; ties go to the later screen / the alphabetically first tipo, so the
    // answer does not change from one poll to the next.
    let top_screen = by_screen.into_iter().max_by_key(|(tela, n)| (*n, *tela));
    let top_tipo = by_tipo.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)));
    Ok(Recent {
        tentativas: rows.len() as i64,
        falhas_tecnicas: failures.len() as i64,
        falhas_seguidas: rows.iter().take_while(|r| failed(r)).count() as i64,
        tela_mais_comum: top_screen.map(|(t, _)| t),
        falhas_na_tela: top_screen.map_or(0, |(_, n)| n),
        tipo_mais_comum: top_tipo.map(|(t, _)| t.to_string()),
        janela_tentativas: window,
        janela_minutos: minutes,
    })
}
