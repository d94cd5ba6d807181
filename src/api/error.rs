//! Every error the API answers, with its HTTP status and Portuguese message:
//! `{success: false, error, ...}`. A database error is a 500, except a full or failing disk: 503
//! with `Retry-After`, since trying again later is the right thing to do.

use crate::domain::quote_request::FieldError;
use crate::store::db::DbError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Envie os dados como JSON (Content-Type: application/json).")]
    NotJson,
    #[error("Dados grandes demais: o limite é de 16 KiB.")]
    TooLarge,
    /// The body did not arrive within `RPA_HTTP_BODY_TIMEOUT_S`.
    #[error("Os dados demoraram demais para chegar. Confira a conexão e tente de novo.")]
    BodyTimeout,
    #[error("JSON malformado: confira o corpo da requisição.")]
    BadJson,
    #[error("O corpo deve ser um objeto JSON com os campos do formulário.")]
    NotAnObject,
    #[error("Muitas solicitações deste endereço. Aguarde um minuto e tente de novo.")]
    RateLimited { retry_after_s: u64 },
    #[error("Dados inválidos: corrija os campos indicados.")]
    Invalid(Vec<FieldError>),
    /// The queue is full; the visitor's data was recorded as a lead all the same.
    #[error(
        "Muitas cotações na fila no momento. Recebemos seus dados: um especialista da corretora vai entrar em contato."
    )]
    QueueFull,
    /// The same CPF and plate have a quote running, and the request did not prove it is theirs.
    #[error("Já existe uma cotação em andamento para este CPF e placa. Acompanhe-a onde ela começou, ou envie de novo quando ela terminar.")]
    ActiveElsewhere,
    #[error("Sessão não encontrada.")]
    SessionNotFound,
    #[error("Endereço não encontrado.")]
    NoRoute,
    #[error("Método não permitido neste endereço.")]
    MethodNotAllowed,
    /// The database cannot be written (a full disk): nothing was recorded; try again later.
    #[error("O serviço não consegue registrar cotações neste momento. Tente de novo em alguns minutos.")]
    Storage(DbError),
    #[error("Erro interno. Tente de novo em instantes.")]
    Internal(DbError),
}

/// How long a client is asked to wait when the disk is full.
const STORAGE_RETRY_AFTER_S: u64 = 120;

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        if e.is_storage_failure() {
            ApiError::Storage(e)
        } else {
            ApiError::Internal(e)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::BadJson | ApiError::NotAnObject => StatusCode::BAD_REQUEST,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::QueueFull | ApiError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::ActiveElsewhere => StatusCode::CONFLICT,
            ApiError::SessionNotFound | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        match &self {
            ApiError::Internal(e) => tracing::error!(error = %e, "erro interno na API"),
            ApiError::Storage(e) => {
                tracing::warn!(error = %e, "pedido recusado com 503: o banco de dados não aceita gravações")
            }
            _ => {}
        }
        let mut body = json!({"success": false, "error": self.to_string()});
        if let ApiError::Invalid(erros) = &self {
            body["erros"] = json!(erros);
        }
        if let ApiError::QueueFull = &self {
            body["dados_recebidos"] = json!(true);
        }
        if let ApiError::ActiveElsewhere = &self {
            body["existente"] = json!(true);
        }
        let retry_after = match &self {
            ApiError::RateLimited { retry_after_s } => Some(*retry_after_s),
            ApiError::QueueFull => Some(60),
            ApiError::Storage(_) => Some(STORAGE_RETRY_AFTER_S),
            _ => None,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(s) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if let ApiError::BodyTimeout = &self {
            // The rest of the body may still be on its way: this connection cannot carry another request.
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}
