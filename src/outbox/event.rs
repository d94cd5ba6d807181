//! Event types (the contract's names) and recording one inside the caller's write transaction.
//! The caller wakes the delivery worker once the transaction has committed, through the queue's
//! wake-up call.

use crate::store::db::{now, DbError};
use rusqlite::{params, Connection};
use serde_json::{Map, Value};

/// What happened to a lead, or to the service (the operator's alerts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// A valid form arrived: queued, or turned away by a full queue.
    LeadRecebido,
    /// The screen-5 estimate was captured.
    CotacaoEstimativa,
    /// Both plans of the final quote.
    CotacaoConcluida,
    /// The portal gave no offer: a person must call.
    CotacaoManual,
    /// A terminal technical or business error: a person must call.
    CotacaoFalhou,
    /// The visitor chose one of the quote's plans ("Quero contratar este plano").
    CotacaoInteresse,
    /// Health changed state (healthy, degraded, unhealthy), with its reasons.
    AlertaSaude,
    /// The canary quote failed after a success (once per run of failures).
    AlertaCanario,
}

impl EventType {
    pub const ALL: [EventType; 8] = [
        EventType::LeadRecebido,
        EventType::CotacaoEstimativa,
        EventType::CotacaoConcluida,
        EventType::CotacaoManual,
        EventType::CotacaoFalhou,
        EventType::CotacaoInteresse,
        EventType::AlertaSaude,
        EventType::AlertaCanario,
    ];

    /// What an endpoint that names no `eventos` receives: the leads and their quotes (alerts go
    /// only where the operator asks for them).
    pub const LEADS_AND_QUOTES: [EventType; 6] = [
        EventType::LeadRecebido,
        EventType::CotacaoEstimativa,
        EventType::CotacaoConcluida,
        EventType::CotacaoManual,
        EventType::CotacaoFalhou,
        EventType::CotacaoInteresse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventType::LeadRecebido => "lead.recebido",
            EventType::CotacaoEstimativa => "cotacao.estimativa",
            EventType::CotacaoConcluida => "cotacao.concluida",
            EventType::CotacaoManual => "cotacao.manual",
            EventType::CotacaoFalhou => "cotacao.falhou",
            EventType::CotacaoInteresse => "cotacao.interesse",
            EventType::AlertaSaude => "alerta.saude",
            EventType::AlertaCanario => "alerta.canario",
        }
    }

    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Events about the lead itself (the only ones a Webflow-form receiver understands).
    pub fn is_lead(self) -> bool {
        self == EventType::LeadRecebido
    }

    /// The operator's alerts, about the service rather than a lead.
    pub fn is_alert(self) -> bool {
        matches!(self, EventType::AlertaSaude | EventType::AlertaCanario)
    }
}

/// Which lead (and quote, if one was started) an event is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadRef {
    pub lead_id: String,
    pub session_id: Option<String>,
}

/// Writes one event; call it inside the transaction that makes the change, then wake the delivery
/// worker after the commit. Returns the event id, the receivers' idempotency key.
pub fn record(conn: &Connection, kind: EventType, lead: &LeadRef, data: Map<String, Value>) -> Result<String, DbError> {
    let event_id = format!("msg_{}", uuid::Uuid::new_v4().simple());
    conn.execute(
        "INSERT INTO events (event_id, type, created_at, lead_id, session_id, data_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![event_id, kind.name(), now(), lead.lead_id, lead.session_id, Value::Object(data).to_string()],
    )?;
    Ok(event_id)
}

/// Writes one alert (no lead, no personal data); call it inside the transaction that records the
/// change it announces, then wake the delivery worker.
pub fn record_alert(conn: &Connection, kind: EventType, data: Map<String, Value>) -> Result<String, DbError> {
    debug_assert!(kind.is_alert());
    let event_id = format!("msg_{}", uuid::Uuid::new_v4().simple());
    conn.execute(
        "INSERT INTO events (event_id, type, created_at, lead_id, session_id, data_json) VALUES (?1, ?2, ?3, NULL, NULL, ?4)",
        params![event_id, kind.name(), now(), Value::Object(data).to_string()],
    )?;
    Ok(event_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.name()), Some(t));
        }
        assert_eq!(EventType::parse("lead.recebid"), None);
        assert!(EventType::LeadRecebido.is_lead() && !EventType::CotacaoManual.is_lead());
        assert!(EventType::AlertaSaude.is_alert() && !EventType::LEADS_AND_QUOTES.iter().any(|t| t.is_alert()));
    }
}
