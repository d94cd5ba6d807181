//! Syncing the robot's snapshots into SQLite: [`store`] writes what the robot's files said
//! (`progress` with the portal's countdown, `history`, `plans`, and the vehicle the portal
//! confirmed into `jobs.veiculo`, kept for the quote once seen; the first estimate a job stores
//! records its `cotacao.estimativa` event in the same transaction). [`super::progress_view`] reads
//! them back.

use super::files::{string, Update};
use crate::outbox::lead_events;
use crate::queue::wakeup::Wakeup;
use crate::store::db::{now, DbError};
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection};
use serde_json::Value;

/// Money as the portal shows it ("R$ 3.099,18") in integer centavos.
pub fn centavos_of(s: &str) -> Option<i64> {
    let t: String = s.chars().filter(|c| c.is_ascii_digit() || *c == ',').collect();
    let (reais, cents) = t.split_once(',').unwrap_or((&t, "00"));
    if reais.is_empty() || cents.len() != 2 || cents.contains(',') {
        return None;
    }
    Some(reais.parse::<i64>().ok()?.checked_mul(100)? + cents.parse::<i64>().ok()?)
}

/// Writes an update into SQLite for the job's current attempt (one transaction).
pub fn store(conn: &mut Connection, job_id: i64, attempt: u32, u: &Update, wakeup: &Wakeup) -> Result<(), DbError> {
    if u.is_empty() {
        return Ok(());
    }
    let has_estimate = u.progress.as_ref().is_some_and(|p| p.estimativas.is_some())
        || u.history.as_ref().is_some_and(|h| h.iter().any(|e| e.etapa == "estimativas"));
    let tx = write_tx(conn)?;
    let t = now();
    if let Some(p) = &u.progress {
        tx.execute(
            "UPDATE progress SET etapa_atual = ?3, status = ?4, mensagem = ?5, erros_json = ?6,
                    estimativas_json = coalesce(?7, estimativas_json), updated_at = ?8,
                    calculo_restante_s = ?9, calculo_total_s = ?10
             WHERE job_id = ?1 AND attempt = ?2",
            params![
                job_id,
                attempt,
                p.etapa_atual,
                p.status,
                p.mensagem,
                serde_json::to_string(&p.erros).unwrap_or_else(|_| "[]".into()),
                p.estimativas.as_ref().map(Value::to_string),
                t,
                p.calculo.map(|c| c.restante_s),
                p.calculo.map(|c| c.total_s),
            ],
        )?;
        if let Some(veiculo) = &p.veiculo {
            tx.execute("UPDATE jobs SET veiculo = ?2 WHERE id = ?1 AND veiculo IS NOT ?2", params![job_id, veiculo])?;
        }
    }
    if let Some(h) = &u.history {
        let have: usize = tx.query_row(
            "SELECT count(*) FROM history WHERE job_id = ?1 AND attempt = ?2",
            params![job_id, attempt],
            |r| r.get::<_, i64>(0),
        )? as usize;
        for (seq, e) in h.iter().enumerate().skip(have) {
            tx.execute(
                "INSERT INTO history (job_id, attempt, seq, etapa, timestamp, status, mensagem, dados_extra_json, erro_json, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![job_id, attempt, seq as i64, e.etapa, e.timestamp, e.status, e.mensagem,
                        e.dados_extra.to_string(), e.erro.to_string(), t],
            )?;
            if e.etapa == "estimativas" && e.dados_extra.is_object() {
                tx.execute(
                    "UPDATE progress SET estimativas_json = coalesce(estimativas_json, ?3) WHERE job_id = ?1 AND attempt = ?2",
                    params![job_id, attempt, e.dados_extra.to_string()],
                )?;
            }
        }
    }
    if let Some(r) = &u.result {
        for (tipo, plan) in [("recomendado", &r.plano_recomendado), ("alternativo", &r.plano_alternativo)] {
            if let Some(p) = plan {
                store_plan(&tx, job_id, tipo, p)?;
            }
        }
    }
    let estimate_event = has_estimate && lead_events::estimate_stored(&tx, job_id)?;
    tx.commit()?;
    if estimate_event {
        wakeup.events_written();
    }
    Ok(())
}

fn store_plan(conn: &Connection, job_id: i64, tipo: &str, p: &Value) -> Result<(), DbError> {
    let s = |k: &str| string(p, k);
    let money = |k: &str| s(k).as_deref().and_then(centavos_of);
    let flag = |k: &str| p.get(k).and_then(Value::as_bool).map(i64::from);
    conn.execute(
        "INSERT OR REPLACE INTO plans (job_id, tipo, plano, valor, valor_centavos, forma_pagamento, parcelamento,
                valor_franquia, valor_franquia_centavos, tipo_franquia, valor_mercado, assistencia, vidros, carro_reserva,
                danos_materiais_centavos, danos_corporais_centavos, danos_morais_centavos, morte_invalidez_centavos, dados_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        params![
            job_id, tipo, s("plano"), s("valor"), money("valor"), s("forma_pagamento"), s("parcelamento"),
            s("valor_franquia"), money("valor_franquia"), s("tipo_franquia"), s("valor_mercado"),
            flag("assistencia"), flag("vidros"), flag("carro_reserva"), money("danos_materiais"),
            money("danos_corporais"), money("danos_morais"), money("morte_invalidez"), p.to_string()
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_in_centavos() {
        assert_eq!(centavos_of("R$ 3.099,18"), Some(309_918));
        assert_eq!(centavos_of("R$4.631,57"), Some(463_157));
        assert_eq!(centavos_of("R$ 100.000,00"), Some(10_000_000));
        assert_eq!(centavos_of("N/A"), None);
    }
}
