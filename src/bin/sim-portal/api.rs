//! The portal's JSON endpoints (plate, estimate, CEP, calculation, log-in). Each one waits the
//! scaled real-portal delay before answering, reports the scheduled delay in the
//! `x-sim-atraso-ms` header, and honours the injected HTTP 500 faults.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::addresses;
use crate::calculations::{Poll, Store};
use crate::catalog::{self, Outcome, Tipo};
use crate::config::Config;
use crate::pricing::{self, Plano, Planos};

/// Header carrying the delay (ms) the server scheduled for this answer.
pub const DELAY_HEADER: &str = "x-sim-atraso-ms";

/// Shared state of the handlers.
pub struct AppState {
    pub config: Config,
    pub store: Store,
}

pub type Shared = Arc<AppState>;

/// An error answer: status plus a Portuguese message as `{"erro": ...}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("E-mail ou senha inválidos.")]
    Unauthorized,
    #[error("Erro interno do servidor. Tente novamente mais tarde.")]
    Injected,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Injected => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(json!({ "erro": self.to_string() }))).into_response()
    }
}

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/api/veiculo", get(vehicle))
        .route("/api/estimativa", get(estimate))
        .route("/api/endereco", get(address))
        .route("/api/calculo", post(start_calculation))
        .route("/api/calculo/{id}", get(poll_calculation))
        .route("/api/login", post(login))
        .with_state(state)
}

/// Sleeps the scaled delay, then answers `result` with the delay header.
async fn delayed(config: &Config, real_ms: u64, result: Result<Value, ApiError>) -> Response {
    let ms = config.scaled_ms(real_ms);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    with_delay(ms, result)
}

fn with_delay(ms: u64, result: Result<Value, ApiError>) -> Response {
    let mut resp = match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    };
    resp.headers_mut().insert(DELAY_HEADER, HeaderValue::from(ms));
    resp
}

fn parse_tipo(raw: Option<&str>) -> Result<Tipo, ApiError> {
    Tipo::parse(raw.unwrap_or("carro"))
        .ok_or_else(|| ApiError::BadRequest("Tipo de veículo inválido: use carro ou moto.".into()))
}

#[derive(Deserialize)]
struct PlateQuery {
    placa: Option<String>,
    tipo: Option<String>,
}

async fn vehicle(State(s): State<Shared>, Query(q): Query<PlateQuery>) -> Response {
    let placa = q.placa.unwrap_or_default();
    let result = parse_tipo(q.tipo.as_deref()).and_then(|tipo| {
        // A plate starting with ERR meets a server error at the lookup, every time: a fault
        // injected per quote (for mixes of good and failing quotes in one run).
        if s.config.http500("2") || placa.trim().to_ascii_uppercase().starts_with("ERR") {
            return Err(ApiError::Injected);
        }
        catalog::vehicle(&placa, tipo).map_err(|e| match e {
            catalog::PlateError::Invalid => ApiError::BadRequest(e.to_string()),
            catalog::PlateError::NotFound => ApiError::NotFound(e.to_string()),
        })
    });
    let real_ms = catalog::normalize_plate(&placa).map(|p| catalog::plate_lookup_ms(&p)).unwrap_or(0);
    delayed(&s.config, real_ms, result.map(|v| json!(v))).await
}

async fn estimate(State(s): State<Shared>, Query(q): Query<PlateQuery>) -> Response {
    let result = parse_tipo(q.tipo.as_deref()).and_then(|tipo| {
        if s.config.http500("5") {
            return Err(ApiError::Injected);
        }
        let v =
            catalog::vehicle(q.placa.as_deref().unwrap_or(""), tipo).map_err(|e| ApiError::NotFound(e.to_string()))?;
        Ok(json!({ "placa": v.placa, "coberturas": pricing::estimate(&v.placa) }))
    });
    delayed(&s.config, catalog::ESTIMATE_MS, result).await
}

#[derive(Deserialize)]
struct CepQuery {
    cep: Option<String>,
}

async fn address(State(s): State<Shared>, Query(q): Query<CepQuery>) -> Response {
    let cep = q.cep.unwrap_or_default();
    let result = if s.config.http500("7") {
        Err(ApiError::Injected)
    } else {
        addresses::suggestions(&cep)
            .map(|list| json!({ "sugestoes": list }))
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    };
    delayed(&s.config, addresses::lookup_ms(&cep), result).await
}

#[derive(Deserialize)]
struct CalculationRequest {
    placa: String,
    tipo: Option<String>,
    cpf: Option<String>,
}

/// Unwraps a JSON body or answers 400 with a Portuguese message.
fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(v)| v).map_err(|_| {
        ApiError::BadRequest("Corpo da requisição inválido: envie um JSON com os campos esperados.".into())
    })
}

async fn start_calculation(State(s): State<Shared>, req: Result<Json<CalculationRequest>, JsonRejection>) -> Response {
    let req = match body(req) {
        Ok(r) => r,
        Err(e) => return with_delay(0, Err(e)),
    };
    if s.config.http500("15") {
        return with_delay(0, Err(ApiError::Injected));
    }
    let vehicle = match parse_tipo(req.tipo.as_deref())
        .and_then(|t| catalog::vehicle(&req.placa, t).map_err(|e| ApiError::BadRequest(e.to_string())))
    {
        Ok(v) => v,
        Err(e) => return with_delay(0, Err(e)),
    };
    let outcome = catalog::outcome(&vehicle.placa);
    let countdown_ms = s.config.scaled_ms(catalog::COUNTDOWN_MS);
    let ready_ms = match outcome {
        Outcome::Sucesso => s.config.scaled_ms(catalog::calculation_ms(&vehicle.placa)),
        Outcome::CotacaoManual => countdown_ms,
    };
    let divergente = catalog::cpf_divergente(req.cpf.as_deref().unwrap_or(""));
    let id = s.store.start(vehicle.placa, outcome, divergente, std::time::Duration::from_millis(ready_ms));
    let body = json!({ "id": id, "contagem_ms": countdown_ms, "pronto_em_ms": ready_ms });
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    resp.headers_mut().insert(DELAY_HEADER, HeaderValue::from(ready_ms));
    resp
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")
}

/// Replaces every amount by the "R$ 100,00" the portal shows before the broker logs in.
fn placeholder(p: &Plano) -> Plano {
    const PH: &str = "R$ 100,00";
    let pagamento = match p.forma_pagamento.find("R$ ") {
        Some(i) => format!("{}{PH}", &p.forma_pagamento[..i]),
        None => p.forma_pagamento.clone(),
    };
    Plano {
        valor: "100,00".into(),
        forma_pagamento: pagamento,
        valor_franquia: PH.into(),
        danos_materiais: PH.into(),
        danos_corporais: PH.into(),
        danos_morais: PH.into(),
        morte_invalidez: PH.into(),
        ..p.clone()
    }
}

async fn poll_calculation(State(s): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let result = match s.store.poll(&id) {
        Poll::Unknown => Err(ApiError::NotFound("Cálculo não encontrado.".into())),
        Poll::Pending(left) => Ok(json!({ "estado": "calculando", "restante_ms": left.as_millis() as u64 })),
        Poll::Done(c) => match c.outcome {
            Outcome::CotacaoManual => Ok(json!({ "estado": "concluido", "resultado": "cotacao_manual" })),
            Outcome::Sucesso => {
                let autenticado = bearer(&headers).is_some_and(|t| s.store.token_valid(t));
                let real = pricing::plans(&c.placa);
                let planos = if autenticado {
                    real
                } else {
                    Planos {
                        plano_recomendado: placeholder(&real.plano_recomendado),
                        plano_alternativo: placeholder(&real.plano_alternativo),
                    }
                };
                Ok(json!({
                    "estado": "concluido",
                    "resultado": "sucesso",
                    "autenticado": autenticado,
                    "cpf_divergente": autenticado && c.cpf_divergente,
                    "planos": planos,
                }))
            }
        },
    };
    with_delay(0, result)
}

#[derive(Deserialize)]
struct LoginRequest {
    email: String,
    senha: String,
}

/// Log-in time at delay scale 1.
const LOGIN_MS: u64 = 800;

async fn login(State(s): State<Shared>, req: Result<Json<LoginRequest>, JsonRejection>) -> Response {
    let req = match body(req) {
        Ok(r) => r,
        Err(e) => return with_delay(0, Err(e)),
    };
    let result = if s.config.account_matches(&req.email, &req.senha) {
        Ok(json!({ "token": s.store.issue_token() }))
    } else {
        Err(ApiError::Unauthorized)
    };
    delayed(&s.config, LOGIN_MS, result).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_hide_every_amount() {
        let real = pricing::plans("ABC1D23").plano_recomendado;
        let p = placeholder(&real);
        assert_eq!(p.valor, "100,00");
        assert_eq!(p.valor_franquia, "R$ 100,00");
        assert!(!p.forma_pagamento.contains(&real.valor));
        assert_eq!(p.assistencia, real.assistencia);
    }
}
