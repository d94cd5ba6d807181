//! Reading the JSON body of a `POST`, the same way for every handler that takes one (`start`,
//! `interesse`): `Content-Type: application/json` (else 415), at most [`MAX_BODY`] bytes (413),
//! all of it within `RPA_HTTP_BODY_TIMEOUT_S` (408), the client's rate limit
//! ([`crate::guard`], 429), then a JSON object (400) with every key it was sent with
//! ([`crate::domain::json_object`]: a key sent twice is for the handler to refuse).

use super::error::ApiError;
use super::state::AppState;
use crate::domain::json_object::{self, JsonObject, JsonObjectError};
use axum::body::Body;
use axum::http::{header, HeaderMap};
use std::net::SocketAddr;
use std::time::Instant;

/// Largest accepted body.
pub const MAX_BODY: usize = 16 * 1024;

/// The body as a JSON object, once the client is within its rate limit.
pub async fn read_object(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: Body,
) -> Result<JsonObject, ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != "application/json" {
        return Err(ApiError::NotJson);
    }
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(ApiError::TooLarge);
    }
    let bytes = tokio::time::timeout(state.settings.http.body_timeout, axum::body::to_bytes(body, MAX_BODY))
        .await
        .map_err(|_| ApiError::BodyTimeout)?
        .map_err(|_| ApiError::TooLarge)?;

    let (trusted, cloudflare) = (&state.settings.trusted_proxies, &state.settings.cloudflare_proxies);
    let client = crate::guard::client_ip::client_ip(peer.ip(), headers, trusted, cloudflare);
    state
        .rate_limiter
        .check(client, Instant::now())
        .map_err(|retry_after_s| ApiError::RateLimited { retry_after_s })?;

    json_object::parse(&bytes).map_err(|e| match e {
        JsonObjectError::Malformed => ApiError::BadJson,
        JsonObjectError::NotAnObject => ApiError::NotAnObject,
    })
}
