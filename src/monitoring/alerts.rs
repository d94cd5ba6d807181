//! The monitor: every [`TICK`] it evaluates health as `GET /api/rpa/health` would and writes into
//! the webhook outbox (the same `events` and `deliveries` as the leads, delivered by the same
//! worker to the endpoints that list `alerta.*`):
//!
//! - one `alerta.saude` when the verdict changes, once the new verdict has held for [`SETTLE`]
//!   consecutive looks (a verdict flickering at a threshold does not flood anyone);
//! - one `alerta.canario` when a canary fails after a success (or the first canary fails), and
//!   not again until a canary succeeds.
//!
//! Each look also records the screen fingerprints of the attempts that ended since the last one
//! ([`super::fingerprints`]).
//!
//! What was announced is kept in `monitor_state`, in the transaction that writes the alert, so a
//! restart neither repeats nor loses one.

use super::evaluation::{evaluate, Window};
use super::kept_state::{set_state, state};
use crate::outbox::event::{record_alert, EventType};
use crate::preflight::gate::Gate;
use crate::queue::wakeup::Wakeup;
use crate::store::db::{self, DbError, Pool};
use crate::store::write_tx::write_tx;
use crate::unix::shutdown::Shutdown;
use rusqlite::Connection;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Duration;

pub const TICK: Duration = Duration::from_secs(2);
/// Consecutive looks a new verdict must hold before it is announced.
pub const SETTLE: u32 = 2;

const HEALTH_KEY: &str = "saude";
const CANARY_KEY: &str = "canario_falha";

pub fn spawn(pool: Pool, window: Window, gate: Arc<Gate>, wakeup: Arc<Wakeup>, shutdown: Arc<Shutdown>) {
    tokio::spawn(async move {
        let mut candidate: Option<(String, u32)> = None;
        loop {
            let snapshot = gate.snapshot();
            let seen = candidate.clone();
            let w = wakeup.clone();
            let looked = db::run(&pool, move |c| look(c, window, &snapshot, seen, &w)).await;
            match looked {
                Ok(next) => candidate = Some(next),
                Err(e) => tracing::error!(error = %e, "falha ao avaliar a saúde do serviço"),
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = shutdown.triggered() => return,
            }
        }
    });
}

/// One look: evaluates, announces what changed, returns the verdict being watched and how many
/// looks in a row it has held.
fn look(
    conn: &mut Connection,
    window: Window,
    snapshot: &crate::preflight::gate::Snapshot,
    seen: Option<(String, u32)>,
    wakeup: &Wakeup,
) -> Result<(String, u32), DbError> {
    // A scan that cannot be written (a full disk) waits for the next look; the verdict does not.
    match super::fingerprints::scan(conn) {
        Ok(0) => {}
        Ok(changed) => {
            tracing::warn!(telas = changed, "uma tela do portal mudou de estrutura (veja telas_mudaram no health)")
        }
        Err(e) if e.is_storage_failure() => {}
        Err(e) => return Err(e),
    }
    let e = evaluate(conn, window, snapshot, chrono::Utc::now())?;
    let status = e.verdict.status.as_str().to_string();
    let held = match seen {
        Some((s, n)) if s == status => n + 1,
        _ => 1,
    };
    let mut wrote = false;
    if held >= SETTLE {
        let tx = write_tx(conn)?;
        let announced = state(&tx, HEALTH_KEY)?.unwrap_or_else(|| "healthy".into());
        if announced != status {
            let mut data = Map::new();
            data.insert("estado".into(), json!(status));
            data.insert("estado_anterior".into(), json!(announced));
            data.insert("motivos".into(), json!(e.verdict.motivos));
            data.insert("recentes".into(), serde_json::to_value(&e.recent).unwrap_or(Value::Null));
            data.insert("canario".into(), serde_json::to_value(&e.canary).unwrap_or(Value::Null));
            record_alert(&tx, EventType::AlertaSaude, data)?;
            set_state(&tx, HEALTH_KEY, &status)?;
            tracing::warn!(estado = %status, anterior = %announced, motivos = ?e.verdict.motivos, "saúde do serviço mudou");
            wrote = true;
        }
        tx.commit()?;
    }
    if let Some(c) = e.canary.as_ref().filter(|c| !c.sucesso) {
        let since = c.failing_since.clone().unwrap_or_default();
        let tx = write_tx(conn)?;
        if state(&tx, CANARY_KEY)?.as_deref() != Some(since.as_str()) {
            let mut data = Map::new();
            data.insert("resultado".into(), json!(c.resultado));
            data.insert("tela".into(), json!(c.tela));
            data.insert("falhas_seguidas".into(), json!(c.falhas_seguidas));
            data.insert("concluido_em".into(), json!(c.concluido_em));
            data.insert("session_id".into(), json!(since));
            record_alert(&tx, EventType::AlertaCanario, data)?;
            set_state(&tx, CANARY_KEY, &since)?;
            tracing::warn!(resultado = %c.resultado, tela = ?c.tela, "a cotação canário falhou");
            wrote = true;
        }
        tx.commit()?;
    }
    if wrote {
        wakeup.events_written();
    }
    Ok((status, held))
}
