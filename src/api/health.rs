//! `GET /api/rpa/health`: queue and runner counts from SQLite, the machine's load, and the
//! webhook outbox (pending, dead, oldest pending); 503 when the database does not answer.
//! `degraded` when the queue is over 80% of its limit or an event is not reaching its receiver.

use super::AppState;
use crate::outbox::report;
use crate::{db, queue};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let counts = db::run(&state.db, |c| Ok((queue::counts(c)?, report::summary(c)?))).await;
    let slots = i64::from(state.settings.slots);
    let timestamp = db::now();
    let load = system_load();
    match counts {
        Ok(((queued, running), webhooks)) => {
            let degraded = queued * 10 >= i64::from(state.settings.queue_limit) * 8 || webhooks.is_degraded();
            (
                StatusCode::OK,
                Json(json!({
                    "status": if degraded { "degraded" } else { "healthy" },
                    "timestamp": timestamp,
                    "active_sessions": running,
                    "queued_sessions": queued,
                    "runners": {"total": slots, "busy": running.min(slots)},
                    "system_load": load,
                    "database": "ok",
                    "webhooks": webhooks,
                })),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "banco de dados indisponível no health check");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({
                    "status": "unhealthy",
                    "timestamp": timestamp,
                    "active_sessions": null,
                    "queued_sessions": null,
                    "runners": {"total": slots, "busy": null},
                    "system_load": load,
                    "database": "erro",
                    "webhooks": null,
                })),
            )
        }
    }
}

/// Load averages from /proc/loadavg: `{"1m", "5m", "15m"}`.
fn system_load() -> Value {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let v: Vec<f64> = text.split_whitespace().take(3).filter_map(|x| x.parse().ok()).collect();
    match v.as_slice() {
        [a, b, c] => json!({"1m": a, "5m": b, "15m": c}),
        _ => Value::Null,
    }
}
