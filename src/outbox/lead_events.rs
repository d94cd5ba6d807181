//! What each event says, and the moments it is recorded, always inside the transaction of the
//! change that causes it:
//! - `lead.recebido` when a start request is queued ([`queued`]) or turned away by a full queue
//!   ([`turned_away`]);
//! - `cotacao.estimativa` the first time a job's screen-5 estimate is stored ([`estimate_stored`]);
//! - `cotacao.concluida`, `cotacao.manual` or `cotacao.falhou` when a job ends ([`quote_ended`]);
//! - `cotacao.interesse` when the visitor chooses one of its plans ([`interest`], recorded by
//!   [`super::interest`] once per quote and plan).
//!
//! A canary job (the operator's synthetic quote, `jobs.canary`) is never a lead: none of these
//! events is recorded for it.
//!
//! Every event's data names the lead (`lead_id`, `session_id`) and carries the visitor's contact
//! data (`contato`), the vehicle (`veiculo`) and where the visit came from (`origem`: gclid,
//! utm_*, landing_url), so each event is enough on its own for the salesperson who receives it.
//! The estimate and the plans go out through the contract's shapes ([`crate::contract::shapes`]):
//! what a robot wrote beyond the contract stays in the service.

use super::event::{record, EventType, LeadRef};
use crate::contract::outcome::ErrorEntry;
use crate::contract::shapes::{filtered, ESTIMATE, PLAN};
use crate::store::db::DbError;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

/// Contact fields of the robot input (contract §2) that a salesperson needs.
const CONTACT_KEYS: &[&str] = &["nome", "cpf", "email", "telefone", "data_nascimento", "sexo", "estado_civil", "cep"];
const VEHICLE_KEYS: &[&str] = &["placa", "marca", "modelo", "ano", "tipo_veiculo"];
/// Money fields of a plan, each also given in integer centavos (`<field>_centavos`).
const PLAN_MONEY: &[&str] =
    &["valor", "valor_franquia", "danos_materiais", "danos_corporais", "danos_morais", "morte_invalidez"];

/// The part of every event's data that says who the lead is.
pub fn subject(lead: &LeadRef, input_json: Option<&str>, lead_json: &str) -> Map<String, Value> {
    let input: Value = input_json.and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null);
    let pick = |keys: &[&str]| -> Value {
        Value::Object(keys.iter().map(|k| (k.to_string(), input.get(*k).cloned().unwrap_or(Value::Null))).collect())
    };
    let origem: Value = serde_json::from_str(lead_json).ok().filter(Value::is_object).unwrap_or_else(|| json!({}));
    let mut m = Map::new();
    m.insert("lead_id".into(), json!(lead.lead_id));
    m.insert("session_id".into(), json!(lead.session_id));
    m.insert("contato".into(), pick(CONTACT_KEYS));
    m.insert("veiculo".into(), pick(VEHICLE_KEYS));
    m.insert("origem".into(), origem);
    m
}

/// The stored facts of one job an event is built from.
struct JobFacts {
    lead: LeadRef,
    input_json: Option<String>,
    lead_json: String,
    attempts: u32,
    etapa: Option<i64>,
    estimativa: Option<String>,
    /// The vehicle the portal confirmed on screen 3.
    veiculo: Option<String>,
}

fn job_facts(conn: &Connection, job_id: i64) -> Result<JobFacts, DbError> {
    Ok(conn.query_row(
        "SELECT coalesce(j.lead_id, j.session_id), j.session_id, j.input_json, j.lead_json, j.attempts,
                p.etapa_atual, p.estimativas_json, j.veiculo
         FROM jobs j LEFT JOIN progress p ON p.job_id = j.id WHERE j.id = ?1",
        [job_id],
        |r| {
            Ok(JobFacts {
                lead: LeadRef { lead_id: r.get(0)?, session_id: Some(r.get(1)?) },
                input_json: r.get(2)?,
                lead_json: r.get(3)?,
                attempts: r.get(4)?,
                etapa: r.get(5)?,
                estimativa: r.get(6)?,
                veiculo: r.get(7)?,
            })
        },
    )?)
}

impl JobFacts {
    fn subject(&self) -> Map<String, Value> {
        subject(&self.lead, self.input_json.as_deref(), &self.lead_json)
    }

    fn estimativa(&self) -> Value {
        let stored = self.estimativa.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null);
        filtered(&stored, ESTIMATE)
    }
}

/// `lead.recebido` for a job just queued.
pub fn queued(conn: &Connection, job_id: i64) -> Result<(), DbError> {
    let facts = job_facts(conn, job_id)?;
    let mut data = facts.subject();
    data.insert("situacao".into(), json!("na_fila"));
    data.insert("motivo".into(), Value::Null);
    record(conn, EventType::LeadRecebido, &facts.lead, data)?;
    Ok(())
}

/// `lead.recebido` for a visitor turned away (no quote will run): a person must call.
pub fn turned_away(
    conn: &Connection,
    lead: &LeadRef,
    input_json: &str,
    lead_json: &str,
    motivo: &str,
) -> Result<(), DbError> {
    let mut data = subject(lead, Some(input_json), lead_json);
    data.insert("situacao".into(), json!(motivo));
    data.insert(
        "motivo".into(),
        json!("A fila de cotações estava cheia: a cotação automática não foi feita. Um especialista precisa calcular e ligar."),
    );
    record(conn, EventType::LeadRecebido, lead, data)?;
    Ok(())
}

fn is_canary(conn: &Connection, job_id: i64) -> Result<bool, DbError> {
    Ok(conn.query_row("SELECT canary = 1 FROM jobs WHERE id = ?1", [job_id], |r| r.get(0))?)
}

/// `cotacao.estimativa` the first time the job has an estimate; `true` if one was recorded.
pub fn estimate_stored(conn: &Connection, job_id: i64) -> Result<bool, DbError> {
    let already: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM events WHERE session_id = (SELECT session_id FROM jobs WHERE id = ?1) AND type = ?2)",
        params![job_id, EventType::CotacaoEstimativa.name()],
        |r| r.get(0),
    )?;
    if already || is_canary(conn, job_id)? {
        return Ok(false);
    }
    let facts = job_facts(conn, job_id)?;
    let estimativa = facts.estimativa();
    if estimativa.is_null() {
        return Ok(false);
    }
    let mut data = facts.subject();
    data.insert("estimativa".into(), estimativa);
    record(conn, EventType::CotacaoEstimativa, &facts.lead, data)?;
    Ok(true)
}

/// The event of a job that has just ended: `cotacao.concluida` (no error), `cotacao.manual` or
/// `cotacao.falhou` (its error entry).
pub fn quote_ended(conn: &Connection, job_id: i64, erro: Option<&ErrorEntry>) -> Result<(), DbError> {
    if is_canary(conn, job_id)? {
        return Ok(());
    }
    let facts = job_facts(conn, job_id)?;
    let mut data = facts.subject();
    data.insert("tentativas".into(), json!(facts.attempts));
    data.insert("estimativa".into(), facts.estimativa());
    let kind = match erro {
        None => {
            for (tipo, key) in [("recomendado", "plano_recomendado"), ("alternativo", "plano_alternativo")] {
                data.insert(key.into(), plan(conn, job_id, tipo)?);
            }
            EventType::CotacaoConcluida
        }
        Some(e) => {
            data.insert("tipo".into(), json!(e.tipo));
            data.insert("mensagem".into(), json!(e.mensagem));
            data.insert("campo".into(), json!(e.campo));
            data.insert("etapa".into(), json!(facts.etapa));
            if e.tipo == "cotacao_manual" {
                EventType::CotacaoManual
            } else {
                EventType::CotacaoFalhou
            }
        }
    };
    record(conn, kind, &facts.lead, data)?;
    Ok(())
}

/// `cotacao.interesse` for the plan (`"recomendado"` or `"alternativo"`) the visitor chose: its
/// name and premium as shown and in centavos, and the vehicle the portal confirmed. Returns the
/// event id. The caller has checked that the plan exists.
pub fn interest(conn: &Connection, job_id: i64, tipo: &str) -> Result<String, DbError> {
    let facts = job_facts(conn, job_id)?;
    let chosen = plan(conn, job_id, tipo)?;
    let mut data = facts.subject();
    data.insert("plano".into(), json!(tipo));
    data.insert("nome_plano".into(), chosen.get("plano").cloned().unwrap_or(Value::Null));
    data.insert("valor".into(), chosen.get("valor").cloned().unwrap_or(Value::Null));
    data.insert("valor_centavos".into(), chosen.get("valor_centavos").cloned().unwrap_or(Value::Null));
    data.insert("veiculo_confirmado".into(), json!(facts.veiculo));
    record(conn, EventType::CotacaoInteresse, &facts.lead, data)
}

/// One stored plan as the robot gave it, with every money field also in centavos; null if absent.
fn plan(conn: &Connection, job_id: i64, tipo: &str) -> Result<Value, DbError> {
    let row = conn
        .query_row(
            "SELECT dados_json, valor_centavos, valor_franquia_centavos, danos_materiais_centavos,
                    danos_corporais_centavos, danos_morais_centavos, morte_invalidez_centavos
             FROM plans WHERE job_id = ?1 AND tipo = ?2",
            params![job_id, tipo],
            |r| {
                let cents: Vec<Option<i64>> = (1..=6).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok((r.get::<_, String>(0)?, cents))
            },
        )
        .optional()?;
    let Some((dados, cents)) = row else { return Ok(Value::Null) };
    let mut p = match filtered(&serde_json::from_str::<Value>(&dados).unwrap_or(Value::Null), PLAN) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    for (field, c) in PLAN_MONEY.iter().zip(cents) {
        p.insert(format!("{field}_centavos"), json!(c));
    }
    Ok(Value::Object(p))
}
