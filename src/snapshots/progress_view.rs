//! The modal's view of one quote ([`ProgressView`], docs/contract/progress.schema.json), read from
//! SQLite alone. It carries steps, estimate, plans and errors — never personal data —, the vehicle
//! the portal confirmed (`veiculo`, once seen), the questionnaire answers the quote assumed from
//! the operator's defaults in words (`premissas`, [`crate::domain::premissas`]), the portal's
//! countdown of the final calculation while the quote runs and the latest snapshot shows it
//! (`calculo`), and, while the quote is waiting or running, how long a quote typically takes here
//! (`tempo_tipico` by stage, [`typical_duration`], and `duracao_tipica_s`, its whole). While a
//! quote waits before its retry after a technical failure, its `mensagem` says it will try again
//! in a moment ([`RETRY_WAIT`]).
//!
//! Whatever the robot wrote, the response is built from an allow-list: a timeline entry is
//! `etapa, timestamp, status, mensagem, dados_extra, erro`, where `dados_extra` is the estimate
//! (the `"estimativas"` entry) or the plans (the `"final"` entry) and `null` otherwise, and `erro`
//! is `{tipo, mensagem, sugestao, timestamp, campo}`; the estimate and the plans keep only the
//! fields of contract §3 ([`crate::contract::shapes`]), and so do the vehicle and the countdown. A
//! key the contract does not name, or a value of another type than the contract's, is dropped.

use super::typical_duration::{self, TempoTipico};
use crate::contract::outcome::ErrorEntry;
use crate::contract::shapes::{self, filtered, Calculo, ERRO, ESTIMATE, PLAN, PLANS};
use crate::contract::status::{JobStatus, ProgressStatus, RobotStatus};
use crate::domain::premissas;
use crate::domain::session_id::SessionId;
use crate::queue::position;
use crate::store::db::{now, DbError};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::{json, Value};

/// Steps of the portal flow.
pub const TOTAL_ETAPAS: i64 = 15;
/// History entries shown in the timeline.
const TIMELINE_LEN: i64 = 10;

/// The named history entries (besides steps 0–15).
const NAMED_ETAPAS: [&str; 4] = ["inicio", "estimativas", "erro", "final"];

/// A history entry's `etapa`: a step number or one of the contract's names, else `null`.
fn etapa_value(etapa: &str) -> Value {
    match etapa.parse::<i64>() {
        Ok(n) => Value::from(n),
        Err(_) if NAMED_ETAPAS.contains(&etapa) => Value::from(etapa),
        Err(_) => Value::Null,
    }
}

/// One timeline entry from a history row (`dados_extra`, `erro`: the stored JSON text).
fn timeline_entry(
    etapa: &str,
    timestamp: Option<String>,
    status: Option<String>,
    mensagem: Option<String>,
    dados_extra: &Value,
    erro: &Value,
) -> TimelineEntry {
    let dados_extra = match etapa {
        "estimativas" => filtered(dados_extra, ESTIMATE),
        "final" => filtered(dados_extra, PLANS),
        _ => Value::Null,
    };
    TimelineEntry { etapa: etapa_value(etapa), timestamp, status, mensagem, dados_extra, erro: filtered(erro, ERRO) }
}

/// The `progress` object of the answer (docs/contract/progress.schema.json).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressView {
    pub etapa_atual: i64,
    pub total_etapas: i64,
    pub percentual: f64,
    pub status: ProgressStatus,
    pub mensagem: String,
    pub posicao_fila: i64,
    pub estimativas: Estimativas,
    pub resultados_finais: ResultadosFinais,
    pub timeline: Vec<TimelineEntry>,
    pub erros: Vec<ErrorEntry>,
    pub duracao_tipica_s: Option<u32>,
    /// The vehicle the portal confirmed on screen 3 ("ECOSPORT 2007/2007"), once seen for the quote.
    pub veiculo: Option<String>,
    /// The portal's countdown of the final calculation: only while the quote runs and the latest
    /// snapshot shows it.
    pub calculo: Option<Calculo>,
    /// The questionnaire answers the quote assumed from the operator's defaults, in words; `None`
    /// when not known (a quote queued before they were kept, or purged).
    pub premissas: Option<Vec<String>>,
    /// How long a quote typically takes here, by stage: while waiting or running, from the first
    /// successful quote on.
    pub tempo_tipico: Option<TempoTipico>,
}

/// The screen-5 estimate, once read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimativas {
    pub capturadas: bool,
    /// The estimate of contract §3, or `null`.
    pub dados: Value,
}

/// Both plans, once the quote succeeded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultadosFinais {
    pub rpa_finalizado: bool,
    /// `{plano_recomendado, plano_alternativo}`, or `null`.
    pub dados: Value,
}

/// One history entry as the modal sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// A step number, one of the contract's names, or `null`.
    pub etapa: Value,
    pub timestamp: Option<String>,
    pub status: Option<String>,
    pub mensagem: Option<String>,
    /// The estimate (`"estimativas"`) or the plans (`"final"`), else `null`.
    pub dados_extra: Value,
    /// `{tipo, mensagem, sugestao, timestamp, campo}` or `null`.
    pub erro: Value,
}

/// What the answer says of the quote whatever its state.
struct QuoteFacts {
    veiculo: Option<String>,
    premissas: Option<Vec<String>>,
    tempo_tipico: Option<TempoTipico>,
}

impl ProgressView {
    fn new(status: ProgressStatus, etapa: i64, mensagem: String, facts: QuoteFacts) -> ProgressView {
        ProgressView {
            etapa_atual: etapa,
            total_etapas: TOTAL_ETAPAS,
            percentual: ((etapa as f64 / TOTAL_ETAPAS as f64) * 1000.0).round() / 10.0,
            status,
            mensagem,
            posicao_fila: 0,
            estimativas: Estimativas { capturadas: false, dados: Value::Null },
            resultados_finais: ResultadosFinais { rpa_finalizado: false, dados: Value::Null },
            timeline: Vec::new(),
            erros: Vec::new(),
            duracao_tipica_s: facts.tempo_tipico.map(|t| t.total_s),
            veiculo: facts.veiculo,
            calculo: None,
            premissas: facts.premissas,
            tempo_tipico: facts.tempo_tipico,
        }
    }
}

struct Job {
    id: i64,
    status: JobStatus,
    attempts: u32,
    error: Option<ErrorEntry>,
    /// Back in the queue after a technical failure: not retried before this time.
    not_before: Option<String>,
    veiculo: Option<String>,
    /// The assumed questionnaire answers (JSON object), when known.
    assumed_answers: Option<String>,
}

/// What a visitor reads while the quote waits before its retry.
pub const RETRY_WAIT: &str = "Houve uma falha temporária: tentando de novo em instantes";

struct Snapshot {
    attempt: u32,
    etapa: i64,
    /// The robot's status word.
    status: Option<String>,
    mensagem: Option<String>,
    estimativas: Option<String>,
    erros: String,
    calculo: Option<Calculo>,
}

fn parse_json(s: Option<String>) -> Value {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null)
}

/// The `progress` object for a session, or `None` if unknown.
pub fn read(conn: &mut Connection, session_id: &SessionId) -> Result<Option<ProgressView>, DbError> {
    let tx = conn.transaction()?; // one consistent read
    let job = tx
        .query_row(
            "SELECT id, status, attempts, error_tipo, error_mensagem, coalesce(error_sugestao, ''), coalesce(finished_at, ''),
                    not_before, veiculo, assumed_answers
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
                Ok(Job {
                    id: r.get(0)?,
                    status: r.get(1)?,
                    attempts: r.get(2)?,
                    error,
                    not_before: r.get(7)?,
                    veiculo: r.get(8)?,
                    assumed_answers: r.get(9)?,
                })
            },
        )
        .optional()?;
    let Some(job) = job else { return Ok(None) };
    let facts = || -> Result<QuoteFacts, DbError> {
        Ok(QuoteFacts {
            veiculo: job.veiculo.as_deref().and_then(|v| shapes::veiculo(&Value::from(v))),
            premissas: job
                .assumed_answers
                .as_deref()
                .and_then(|a| serde_json::from_str::<Value>(a).ok())
                .and_then(|a| a.as_object().map(premissas::phrases)),
            tempo_tipico: if job.status.is_open() { typical_duration::read(&tx)? } else { None },
        })
    };

    if job.status == JobStatus::Queued {
        let pos = position::queue_position(&tx, job.id)?;
        let mensagem = if job.not_before.is_some_and(|t| t > now()) {
            RETRY_WAIT.to_string()
        } else if job.attempts > 0 {
            format!("Preparando uma nova tentativa (posição {pos} na fila)")
        } else {
            format!("Aguardando na fila (posição {pos})")
        };
        return Ok(Some(ProgressView {
            posicao_fila: pos,
            ..ProgressView::new(ProgressStatus::Waiting, 0, mensagem, facts()?)
        }));
    }

    let snap = tx
        .query_row(
            "SELECT attempt, etapa_atual, status, mensagem, estimativas_json, erros_json, calculo_restante_s, calculo_total_s
             FROM progress WHERE job_id = ?1",
            [job.id],
            |r| {
                let countdown: (Option<u32>, Option<u32>) = (r.get(6)?, r.get(7)?);
                Ok(Snapshot {
                    attempt: r.get(0)?,
                    etapa: r.get(1)?,
                    status: r.get(2)?,
                    mensagem: r.get(3)?,
                    estimativas: r.get(4)?,
                    erros: r.get(5)?,
                    calculo: match countdown {
                        (Some(restante_s), Some(total_s)) => Some(Calculo { restante_s, total_s }),
                        _ => None,
                    },
                })
            },
        )
        .optional()?;
    let attempt = snap.as_ref().map_or(job.attempts, |s| s.attempt);
    let timeline = {
        let mut stmt = tx.prepare_cached(
            "SELECT etapa, timestamp, status, mensagem, dados_extra_json, erro_json FROM history
             WHERE job_id = ?1 AND attempt = ?2 ORDER BY seq DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![job.id, attempt, TIMELINE_LEN], |r| {
            Ok(timeline_entry(
                &r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                &parse_json(r.get(4)?),
                &parse_json(r.get(5)?),
            ))
        })?;
        let mut t: Vec<TimelineEntry> = rows.collect::<Result<_, _>>()?;
        t.reverse();
        t
    };
    let plans = {
        let mut stmt = tx.prepare_cached("SELECT tipo, dados_json FROM plans WHERE job_id = ?1")?;
        let rows =
            stmt.query_map([job.id], |r| Ok((r.get::<_, String>(0)?, filtered(&parse_json(r.get(1)?), PLAN))))?;
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
    if job.status == JobStatus::Error {
        if let Some(e) = &job.error {
            if !erros.iter().any(|x| x.tipo == e.tipo) {
                erros.push(e.clone());
            }
        }
    }
    let robot_msg = snap.as_ref().and_then(|s| s.mensagem.clone()).filter(|m| !m.is_empty());
    let mensagem = match job.status {
        JobStatus::Error => job.error.as_ref().map(|e| e.mensagem.clone()).or(robot_msg).unwrap_or_default(),
        JobStatus::Success => robot_msg.unwrap_or_else(|| "Cotação concluída".into()),
        JobStatus::Queued | JobStatus::Running => robot_msg.unwrap_or_else(|| "Iniciando a cotação".into()),
    };
    let etapa = snap.as_ref().map_or(0, |s| s.etapa);
    // The countdown of a robot still calculating; never once the quote or the robot has ended.
    let robot_ended = |s: &Snapshot| s.status.as_deref().and_then(RobotStatus::parse).is_some_and(|r| r.is_terminal());
    let calculo = snap.as_ref().filter(|s| job.status == JobStatus::Running && !robot_ended(s)).and_then(|s| s.calculo);
    let estimativas = filtered(&parse_json(snap.and_then(|s| s.estimativas)), ESTIMATE);
    Ok(Some(ProgressView {
        estimativas: Estimativas { capturadas: !estimativas.is_null(), dados: estimativas },
        resultados_finais: ResultadosFinais { rpa_finalizado: job.status == JobStatus::Success, dados },
        timeline,
        erros,
        calculo,
        ..ProgressView::new(job.status.into(), etapa, mensagem, facts()?)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::shapes::tests::{estimate, plan};

    #[test]
    fn a_timeline_entry_keeps_the_estimate_the_plans_and_the_error_only() {
        let extra = json!({"cpf": "529 982 247 25", "telefone": "11 98765 4321"});
        let erro = json!({"tipo": "aviso", "campo": "telefone", "telefone": "11 98765 4321"});
        let step =
            timeline_entry("3", Some("t".into()), Some("executando".into()), Some("Tela 3".into()), &extra, &erro);
        assert_eq!(
            serde_json::to_value(step).unwrap(),
            json!({"etapa": 3, "timestamp": "t", "status": "executando", "mensagem": "Tela 3",
                                "dados_extra": null, "erro": {"tipo": "aviso", "campo": "telefone"}})
        );

        let mut e = estimate();
        e["titular"] = json!("FULANO");
        let est = timeline_entry("estimativas", None, None, None, &e, &Value::Null);
        assert_eq!(est.dados_extra, estimate());
        assert_eq!(est.etapa, "estimativas");

        let plans = json!({"plano_recomendado": plan(), "plano_alternativo": plan(), "titular": "FULANO"});
        let fin = timeline_entry("final", None, Some("success".into()), None, &plans, &Value::Null);
        assert_eq!(fin.dados_extra, json!({"plano_recomendado": plan(), "plano_alternativo": plan()}));
        // Plans anywhere else, or the estimate under another name, do not pass.
        assert_eq!(timeline_entry("15", None, None, None, &plans, &Value::Null).dados_extra, Value::Null);
        assert_eq!(timeline_entry("erro", None, None, None, &estimate(), &Value::Null).dados_extra, Value::Null);
        // An etapa outside the contract is not echoed.
        assert_eq!(timeline_entry("FULANO DE TAL", None, None, None, &Value::Null, &Value::Null).etapa, Value::Null);
        assert_eq!(timeline_entry("inicio", None, None, None, &Value::Null, &Value::Null).etapa, "inicio");
    }
}
