//! `POST /api/rpa/start`: content type, size, rate limit, JSON ([`super::json_body`]; a key sent
//! twice is refused like any invalid field), validation, then the queue
//! (de-duplicated, bounded; it wakes the runners and the webhook delivery itself). A valid form is
//! always a lead: with the queue full the visitor is recorded for a salesperson to call, and the
//! 503 says the data arrived. A request the rate limit refuses is not (floods must not reach the
//! broker's CRM). A repeated submit gets the running quote back only with the `token_retomada` the
//! first answer gave.

use super::error::ApiError;
use super::json_body;
use super::state::AppState;
use crate::contract::pii_mask::Masker;
use crate::domain::{quote_request, resume_token::ResumeToken, session_id::SessionId};
use crate::queue::enqueue::{self, Enqueued};
use crate::queue::job::{NewJob, QuoteData};
use crate::store::db;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};
use std::net::SocketAddr;

pub async fn start(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let body = json_body::read_object(&state, peer, &headers, body).await?;
    let today = chrono::Local::now().date_naive();
    let request = quote_request::parse_object(&body, &state.defaults, today).map_err(ApiError::Invalid)?;
    let presented = body.fields.get("token_retomada").and_then(Value::as_str).and_then(ResumeToken::parse);
    let token = ResumeToken::generate();

    let job = NewJob {
        session_id: SessionId::fresh(),
        quote: QuoteData::from(&request),
        // Lead metadata is kept for good: anything shaped like a CPF or an e-mail is masked.
        lead_json: Masker::default().mask(&Value::Object(request.lead.clone()).to_string()),
        resume_token_hash: token.hash(),
        presented_token_hash: presented.map(|t| t.hash()),
    };
    let (limit, attempts, wakeup) = (state.settings.queue_limit, state.settings.max_attempts, state.wakeup.clone());
    let enqueued = db::run(&state.db, move |c| enqueue::enqueue(c, &job, limit, attempts, &wakeup)).await?;
    match enqueued {
        Enqueued::Created { session_id, posicao_fila } => {
            tracing::info!(session = %session_id, posicao_fila, "cotação recebida");
            Ok(Json(json!({
                "success": true,
                "session_id": session_id,
                "message": "Cotação recebida. Acompanhe o progresso.",
                "posicao_fila": posicao_fila,
                "token_retomada": token.as_str(),
            })))
        }
        Enqueued::Existing { session_id, posicao_fila } => {
            tracing::info!(session = %session_id, "pedido repetido: devolvendo a cotação em andamento");
            Ok(Json(json!({
                "success": true,
                "session_id": session_id,
                "message": "Já existe uma cotação em andamento para este CPF e placa. Acompanhe o progresso.",
                "posicao_fila": posicao_fila,
                "existente": true,
            })))
        }
        Enqueued::ActiveElsewhere => {
            tracing::info!("pedido repetido sem o token da cotação em andamento: sessão não revelada");
            Err(ApiError::ActiveElsewhere)
        }
        Enqueued::TurnedAway { lead_id, repeated } => {
            tracing::warn!(lead = %lead_id, repeated, "fila cheia: cotação não iniciada, lead registrado para contato");
            Err(ApiError::QueueFull)
        }
    }
}
