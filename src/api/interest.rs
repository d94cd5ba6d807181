//! `POST /api/rpa/interesse`: the visitor chose one of the quote's plans ("Quero contratar este
//! plano"). The body is `{session_id, token_retomada, plano: "recomendado" | "alternativo"}`, read
//! like every body ([`super::json_body`]: content type, size, the rate limit of `start`, JSON); the
//! choice is recorded once per quote and plan with its `cotacao.interesse` event
//! ([`crate::outbox::interest`]), only for the visitor holding the quote's resume token, and the
//! webhook delivery is woken. `200 {success: true}` (also for a choice already recorded), `403`
//! another token, `404` unknown session, `409` a quote without that plan, `422` a bad body.

use super::error::ApiError;
use super::json_body;
use super::state::AppState;
use crate::domain::json_object::JsonObject;
use crate::domain::quote_request::FieldError;
use crate::domain::{resume_token::ResumeToken, session_id::SessionId};
use crate::outbox::interest::{self, Interest, Plano};
use crate::store::db;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Why a choice was not recorded, besides the errors every endpoint shares.
#[derive(Debug, thiserror::Error)]
pub enum InterestError {
    #[error("Não foi possível confirmar que esta cotação é sua. Recarregue a página e tente de novo.")]
    WrongToken,
    #[error("Esta cotação não tem esse plano para escolher.")]
    NoPlan,
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl IntoResponse for InterestError {
    fn into_response(self) -> Response {
        let status = match self {
            InterestError::WrongToken => StatusCode::FORBIDDEN,
            InterestError::NoPlan => StatusCode::CONFLICT,
            InterestError::Api(e) => return e.into_response(),
        };
        (status, Json(json!({"success": false, "error": self.to_string()}))).into_response()
    }
}

/// A well-formed choice: the session (still to be found), the token and the plan.
struct Choice {
    session: Option<SessionId>,
    token: Option<ResumeToken>,
    plano: Plano,
}

/// The body's fields, every problem reported at once (`422`). A session id or a token of another
/// shape is well-formed but matches nothing (`404`, `403`).
fn parse(body: &JsonObject) -> Result<Choice, Vec<FieldError>> {
    let fields = &body.fields;
    // A key sent twice is ambiguous, as in `start`.
    let mut errors: Vec<FieldError> = body
        .repeated
        .iter()
        .map(|key| FieldError {
            campo: key.clone(),
            mensagem: format!("Campo \"{key}\" enviado mais de uma vez: envie-o uma vez só."),
        })
        .collect();
    let mut text = |key: &str, mensagem: &str| match fields.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => {
            errors.push(FieldError { campo: key.into(), mensagem: mensagem.into() });
            None
        }
    };
    let session = text("session_id", "Informe o session_id da cotação.");
    let token = text("token_retomada", "Informe o token_retomada que o início da cotação devolveu.");
    let plano = text("plano", "Escolha o plano: \"recomendado\" ou \"alternativo\".");
    let plano = plano.map(|p| Plano::parse(&p).ok_or(p));
    if let Some(Err(_)) = plano {
        errors.push(FieldError {
            campo: "plano".into(),
            mensagem: "Plano inválido: escolha \"recomendado\" ou \"alternativo\".".into(),
        });
    }
    match (session, token, plano) {
        (Some(s), Some(t), Some(Ok(plano))) if errors.is_empty() => {
            Ok(Choice { session: SessionId::parse(&s), token: ResumeToken::parse(&t), plano })
        }
        _ => Err(errors),
    }
}

pub async fn interest(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, InterestError> {
    let body = json_body::read_object(&state, peer, &headers, body).await?;
    let choice = parse(&body).map_err(ApiError::Invalid)?;
    let session = choice.session.ok_or(ApiError::SessionNotFound)?;
    let token_hash = choice.token.ok_or(InterestError::WrongToken)?.hash();
    let plano = choice.plano;
    let recorded = {
        let session = session.clone();
        db::run(&state.db, move |c| interest::record(c, &session, &token_hash, plano)).await.map_err(ApiError::from)?
    };
    match recorded {
        Interest::Recorded => {
            tracing::info!(session = %session, plano = plano.as_str(), "interesse no plano registrado");
            state.wakeup.events_written();
        }
        Interest::AlreadyRecorded => {}
        Interest::UnknownSession => return Err(ApiError::SessionNotFound.into()),
        Interest::WrongToken => return Err(InterestError::WrongToken),
        Interest::NoPlan => return Err(InterestError::NoPlan),
    }
    Ok(Json(json!({"success": true})))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::json_object;

    fn fields(v: Value) -> JsonObject {
        json_object::parse(v.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn every_missing_or_invalid_field_is_named() {
        let campos =
            |v: Value| -> Vec<String> { parse(&fields(v)).err().unwrap().into_iter().map(|e| e.campo).collect() };
        assert_eq!(campos(json!({})), ["session_id", "token_retomada", "plano"]);
        assert_eq!(
            campos(json!({"session_id": 3, "token_retomada": " ", "plano": "o mais barato"})),
            ["session_id", "token_retomada", "plano"]
        );
        assert_eq!(campos(json!({"session_id": "s", "token_retomada": "t", "plano": "Recomendado"})), ["plano"]);
    }

    #[test]
    fn a_session_or_token_of_another_shape_matches_nothing() {
        let c = parse(&fields(json!({"session_id": "../x", "token_retomada": "abc", "plano": "alternativo"}))).unwrap();
        assert!(c.session.is_none() && c.token.is_none());
        assert_eq!(c.plano, Plano::Alternativo);
    }
}
