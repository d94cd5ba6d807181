//! `GET /api/rpa/progress/{session_id}`: the modal's view of one quote, read from SQLite alone.
//! It carries steps, estimate, plans and errors — never personal data — and, while the quote is
//! waiting or running, how long a quote typically takes here (`duracao_tipica_s`).

use super::{error::ApiError, AppState};
use crate::db::{self, DbError};
use crate::domain::session_id::SessionId;
use crate::outcome::ErrorEntry;
use crate::queue;
use crate::typical_duration;
use axum::extract::{Path, State};
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

/// Steps of the portal flow.
pub const TOTAL_ETAPAS: i64 = 15;
/// History entries shown in the timeline.
const TIMELINE_LEN: i64 = 10;

pub async fn progress(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let sid = SessionId::parse(&id).ok_or(ApiError::SessionNotFound)?;
    let view = db::run(&state.db, move |c| read(c, sid.as_str())).await?;
    let progress = view.ok_or(ApiError::SessionNotFound)?;
    Ok(Json(json!({
        "success": true,
        "session_id": id,
        "progress": progress,
        "timestamp": db::now(),
    })))
}

struct Job {
    id: i64,
    status: String,
    attempts: u32,
    error: Option<ErrorEntry>,
}

struct Snapshot {
    attempt: u32,
    etapa: i64,
    mensagem: Option<String>,
    estimativas: Option<String>,
    erros: String,
}

fn parse_json(s: Option<String>) -> Value {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null)
}

/// The `progress` object for a session, or `None` if unknown.
pub fn read(conn: &mut Connection, session_id: &str) -> Result<Option<Value>, DbError> {
    let tx = conn.transaction()?; // one consistent read
    let job = tx
        .query_row(
            "SELECT id, status, attempts, error_tipo, error_mensagem, coalesce(error_sugestao, ''), coalesce(finished_at, '')
             FROM jobs WHERE session_id = ?1",
            [session_id],
            |r| {
                let tipo: Option<String> = r.get(3)?;
                let error = match tipo {
                    Some(tipo) => Some(ErrorEntry {
                        tipo,
                        mensagem: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                        sugestao: r.get(5)?,
                        timestamp: r.get(6)?,
                        campo: None,
                    }),
                    None => None,
                };
                Ok(Job { id: r.get(0)?, status: r.get(1)?, attempts: r.get(2)?, error })
            },
        )
        .optional()?;
    let Some(job) = job else { return Ok(None) };
    let typical = match job.status.as_str() {
        "queued" | "running" => typical_duration::median_seconds(&tx)?,
        _ => None,
    };

    if job.status == "queued" {
        let pos = queue::queue_position(&tx, job.id)?;
        let mensagem = if job.attempts > 0 {
            format!("Preparando uma nova tentativa (posição {pos} na fila)")
        } else {
            format!("Aguardando na fila (posição {pos})")
        };
        return Ok(Some(view("waiting", 0, &mensagem, pos, Value::Null, Value::Null, vec![], vec![], false, typical)));
    }

    let snap = tx
        .query_row(
            "SELECT attempt, etapa_atual, mensagem, estimativas_json, erros_json FROM progress WHERE job_id = ?1",
            [job.id],
            |r| Ok(Snapshot { attempt: r.get(0)?, etapa: r.get(1)?, mensagem: r.get(2)?, estimativas: r.get(3)?, erros: r.get(4)? }),
        )
        .optional()?;
    let attempt = snap.as_ref().map_or(job.attempts, |s| s.attempt);
    let timeline = {
        let mut stmt = tx.prepare_cached(
            "SELECT etapa, timestamp, status, mensagem, dados_extra_json, erro_json FROM history
             WHERE job_id = ?1 AND attempt = ?2 ORDER BY seq DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![job.id, attempt, TIMELINE_LEN], |r| {
            let etapa: String = r.get(0)?;
            Ok(json!({
                "etapa": etapa.parse::<i64>().map_or(Value::String(etapa.clone()), Value::from),
                "timestamp": r.get::<_, Option<String>>(1)?,
                "status": r.get::<_, Option<String>>(2)?,
                "mensagem": r.get::<_, Option<String>>(3)?,
                "dados_extra": parse_json(r.get(4)?),
                "erro": parse_json(r.get(5)?),
            }))
        })?;
        let mut t: Vec<Value> = rows.collect::<Result<_, _>>()?;
        t.reverse();
        t
    };
    let plans = {
        let mut stmt = tx.prepare_cached("SELECT tipo, dados_json FROM plans WHERE job_id = ?1")?;
        let rows = stmt.query_map([job.id], |r| Ok((r.get::<_, String>(0)?, parse_json(r.get(1)?))))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let plan = |t: &str| plans.iter().find(|(k, _)| k == t).map_or(Value::Null, |(_, v)| v.clone());
    let dados = if plans.is_empty() {
        Value::Null
    } else {
        json!({"plano_recomendado": plan("recomendado"), "plano_alternativo": plan("alternativo")})
    };

    let mut erros: Vec<ErrorEntry> =
        snap.as_ref().and_then(|s| serde_json::from_str(&s.erros).ok()).unwrap_or_default();
    if job.status == "error" {
        if let Some(e) = &job.error {
            if !erros.iter().any(|x| x.tipo == e.tipo) {
                erros.push(e.clone());
            }
        }
    }
    let robot_msg = snap.as_ref().and_then(|s| s.mensagem.clone()).filter(|m| !m.is_empty());
    let mensagem = match job.status.as_str() {
        "error" => job.error.as_ref().map(|e| e.mensagem.clone()).or(robot_msg).unwrap_or_default(),
        "success" => robot_msg.unwrap_or_else(|| "Cotação concluída".into()),
        _ => robot_msg.unwrap_or_else(|| "Iniciando a cotação".into()),
    };
    let etapa = snap.as_ref().map_or(0, |s| s.etapa);
    let estimativas = parse_json(snap.and_then(|s| s.estimativas));
    let success = job.status == "success";
    Ok(Some(view(&job.status, etapa, &mensagem, 0, estimativas, dados, timeline, erros, success, typical)))
}

#[allow(clippy::too_many_arguments)]
fn view(
    status: &str,
    etapa: i64,
    mensagem: &str,
    posicao_fila: i64,
    estimativas: Value,
    dados: Value,
    timeline: Vec<Value>,
    erros: Vec<ErrorEntry>,
    finalizado: bool,
    duracao_tipica_s: Option<u32>,
) -> Value {
    let percentual = ((etapa as f64 / TOTAL_ETAPAS as f64) * 1000.0).round() / 10.0;
    json!({
        "etapa_atual": etapa,
        "total_etapas": TOTAL_ETAPAS,
        "percentual": percentual,
        "status": status,
        "mensagem": mensagem,
        "posicao_fila": posicao_fila,
        "estimativas": {"capturadas": !estimativas.is_null(), "dados": estimativas},
        "resultados_finais": {"rpa_finalizado": finalizado, "dados": dados},
        "timeline": timeline,
        "erros": erros,
        "duracao_tipica_s": duracao_tipica_s,
    })
}
