//! `GET /api/rpa/health`: the service's verdict (`healthy`, `degraded`, `unhealthy`) and why, from
//! SQLite and the preflight ([`crate::monitoring`]): queue and runner counts, the recent attempts
//! and the screen where failures stop, the last canary quote, the screens whose structure changed
//! lately, the preflight's problems, the
//! webhook outbox and the machine's load. 503 when `unhealthy` or the database does not answer.
//! No personal data: statuses, counts, `tipo`s, screen numbers and times only.
//! Also how long a quote typically takes here (`tempo_tipico`, the progress answer's figures), so
//! the demo page's copy and the modal never disagree.

use super::state::AppState;
use crate::monitoring::assessment;
use crate::monitoring::evaluation::{self, Window};
use crate::preflight::gate;
use crate::snapshots::typical_duration;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let slots = i64::from(state.settings.slots);
    let timestamp = crate::store::db::now();
    let load = system_load();
    let preflight = state.gate.snapshot();
    let window = window(&state);
    let verificacao = preflight_view(&preflight);
    let navegador = browser_view(&state);
    let evaluated = {
        let snapshot = preflight.clone();
        crate::store::db::run(&state.db, move |c| {
            Ok((evaluation::evaluate(c, window, &snapshot, chrono::Utc::now())?, typical_duration::read(c)?))
        })
        .await
    };
    match evaluated {
        Ok((e, tempo_tipico)) => {
            let code = if e.verdict.status == assessment::Status::Unhealthy {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::OK
            };
            (
                code,
                Json(json!({
                    "status": e.verdict.status.as_str(),
                    "motivos": e.verdict.motivos,
                    "timestamp": timestamp,
                    "active_sessions": e.running,
                    "queued_sessions": e.queued,
                    "runners": {"total": slots, "busy": e.running.min(slots)},
                    "recentes": e.recent,
                    "canario": e.canary,
                    "telas_mudaram": e.screen_changes,
                    "verificacao": verificacao,
                    "navegador": navegador,
                    "system_load": load,
                    "database": if e.disk.is_some() { "sem_espaco" } else { "ok" },
                    "webhooks": e.webhooks,
                    "tempo_tipico": tempo_tipico,
                })),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "banco de dados indisponível no health check");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({
                    "status": "unhealthy",
                    "motivos": ["o banco de dados não responde"],
                    "timestamp": timestamp,
                    "active_sessions": null,
                    "queued_sessions": null,
                    "runners": {"total": slots, "busy": null},
                    "recentes": null,
                    "canario": null,
                    "telas_mudaram": null,
                    "verificacao": verificacao,
                    "navegador": navegador,
                    "system_load": load,
                    "database": "erro",
                    "webhooks": null,
                    "tempo_tipico": null,
                })),
            )
        }
    }
}

pub fn window(state: &AppState) -> Window {
    let m = &state.settings.monitoring;
    Window { attempts: m.window, minutes: m.window_minutes, queue_limit: state.settings.queue_limit }
}

/// The preflight as health shows it: its state, when it last ran, and each problem's item and
/// message (what to fix is for `rpa-v4 check`).
fn preflight_view(s: &gate::Snapshot) -> Value {
    let estado = match s.state {
        gate::State::Checking => "verificando",
        gate::State::Open if s.report.all_ok() => "ok",
        gate::State::Open => "avisos",
        gate::State::Closed => "falhou",
    };
    let problemas: Vec<Value> = s.report.problems().map(|c| json!({"item": c.item, "mensagem": c.mensagem})).collect();
    json!({"estado": estado, "verificado_em": s.checked_at, "problemas": problemas})
}

/// Where the robots' browser runs, and the shared one's counters.
fn browser_view(state: &AppState) -> Value {
    match &state.browser {
        Some(host) => {
            let mut v = serde_json::to_value(host.stats()).unwrap_or(Value::Null);
            v["modo"] = json!("compartilhado");
            v["aberto"] = json!(host.endpoint().is_ok());
            v
        }
        None if state.settings.browser.endpoint.is_some() => json!({"modo": "remoto"}),
        None => json!({"modo": "um_por_robo"}),
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
