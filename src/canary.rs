//! The canary quote: the operator's own synthetic request (`RPA_CANARY_FILE`, the fields of
//! `POST /api/rpa/start` with the operator's test data) run every `RPA_CANARY_INTERVAL_S` while a
//! slot is idle and the queue is empty, through the same queue and robot as a visitor's quote.
//! Marked `jobs.canary = 1`: never a lead (no events), not in `quotes` (it is in `canaries`).
//! Its results feed health, metrics and the `alerta.canario` alert ([`crate::monitoring`]).

use crate::db::{self, Pool};
use crate::domain::{quote_request, session_id::SessionId};
use crate::preflight::gate::Gate;
use crate::queue::{self, QuoteData};
use crate::runner::pool::Wakeup;
use crate::shutdown::Shutdown;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The canary request, validated like a visitor's.
pub type CanaryQuote = QuoteData;

#[derive(Debug, thiserror::Error)]
pub enum CanaryError {
    #[error("não foi possível ler a cotação canário {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("a cotação canário {path} não é um objeto JSON")]
    NotJson { path: String },
    #[error("a cotação canário {path} tem campos inválidos: {problems}")]
    Invalid { path: String, problems: String },
    #[error(transparent)]
    Defaults(#[from] crate::defaults::DefaultsError),
}

/// Reads and validates the canary file, with the operator's questionnaire defaults.
pub fn load(path: &Path, defaults_file: &Path) -> Result<CanaryQuote, CanaryError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CanaryError::Read { path: p.clone(), source })?;
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&text) else {
        return Err(CanaryError::NotJson { path: p });
    };
    let defaults = crate::defaults::load(defaults_file)?;
    let today = chrono::Local::now().date_naive();
    let request = quote_request::parse(&fields, &defaults, today).map_err(|errors| CanaryError::Invalid {
        path: p.clone(),
        problems: errors.iter().map(|e| format!("{}: {}", e.campo, e.mensagem)).collect::<Vec<_>>().join("; "),
    })?;
    Ok(QuoteData::from(&request))
}

/// How often the scheduler looks at the queue.
const TICK: Duration = Duration::from_secs(2);

/// What the scheduler needs.
pub struct Schedule {
    pub quote: CanaryQuote,
    pub interval: Duration,
    pub slots: u16,
    pub max_attempts: u32,
}

/// Queues the canary whenever `interval` has passed since the last one, the gate is open, the
/// queue is empty and a slot is free. The last canary's time is read from the database, so a
/// restart does not run it early.
pub fn spawn(pool: Pool, schedule: Schedule, gate: Arc<Gate>, wakeup: Arc<Wakeup>, shutdown: Arc<Shutdown>) {
    let schedule = Arc::new(schedule);
    tokio::spawn(async move {
        loop {
            if gate.allows_claims() {
                let s = schedule.clone();
                let queued = db::run(&pool, move |c| {
                    let interval = chrono::Duration::from_std(s.interval).unwrap_or(chrono::Duration::MAX);
                    queue::enqueue_canary(c, &s.quote, s.slots, s.max_attempts, chrono::Utc::now() - interval)
                })
                .await;
                match queued {
                    Ok(Some(session)) => {
                        tracing::info!(session = %session, "cotação canário enfileirada");
                        wakeup.notify();
                    }
                    Ok(None) => {}
                    Err(e) => tracing::error!(error = %e, "falha ao enfileirar a cotação canário"),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = shutdown.triggered() => return,
            }
        }
    });
}

/// A new canary session id.
pub fn session_id() -> String {
    SessionId::generate(chrono::Utc::now()).to_string()
}
