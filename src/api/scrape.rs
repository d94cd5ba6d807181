//! `GET /metrics`: the OpenMetrics text of [`crate::telemetry::metrics`], on a listen address of
//! its own (`RPA_METRICS_LISTEN`, this machine by default; [`router`]), never on the API's port,
//! which a proxy exposes to the world. It answers only the machine itself (a loopback connection
//! that no proxy forwarded) or a scraper presenting the bearer token of `RPA_METRICS_TOKEN`;
//! anyone else gets 404, as if the route did not exist.
//!
//! A proxy on this machine connects from 127.0.0.1 too: a request carrying `X-Forwarded-For`,
//! `Forwarded`, `X-Real-IP` or `CF-Connecting-IP` came through one, on behalf of someone else,
//! and needs the token like anyone outside.

use super::error::ApiError;
use super::state::AppState;
use crate::outbox::report;
use crate::queue::position;
use crate::store::db;
use crate::telemetry::metrics::{self, Gauges};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use subtle::ConstantTimeEq;

/// The metrics' own server: `GET /metrics`, and a JSON 404 for anything else.
pub fn router(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics)).fallback(|| async { ApiError::NoRoute }).with_state(state)
}

/// Headers a proxy adds when it forwards someone else's request.
const FORWARDING_HEADERS: [&str; 4] = ["x-forwarded-for", "forwarded", "x-real-ip", "cf-connecting-ip"];

pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !allowed(peer, &headers, state.settings.metrics_token.as_deref()) {
        return ApiError::NoRoute.into_response();
    }
    let counts = db::run(&state.db, |c| Ok((position::counts(c)?, report::summary(c)?))).await;
    let ((queued, running), webhooks) = match counts {
        Ok(v) => v,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let gauges = Gauges {
        running,
        queued,
        slots: i64::from(state.settings.slots),
        webhooks_pending: webhooks.pendentes,
        webhooks_dead: webhooks.mortos,
        webhooks_oldest_pending_s: webhooks.mais_antigo_s,
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(metrics::CONTENT_TYPE)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        metrics::render(&gauges),
    )
        .into_response()
}

/// Whether this request may read the metrics: a local connection that no proxy forwarded, or
/// anyone with the configured token.
pub fn allowed(peer: SocketAddr, headers: &HeaderMap, token: Option<&str>) -> bool {
    let local = peer.ip().to_canonical().is_loopback() && !FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h));
    local || token.is_some_and(|t| bearer_matches(headers, t))
}

/// Whether the request carries exactly one `Authorization: Bearer <token>` with this token. Both
/// sides are hashed first, so the comparison takes the same time whatever the length or the
/// content of the guess. An empty configured token matches nothing.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else { return false };
    let Some((scheme, presented)) = value.as_bytes().split_first_chunk::<7>() else { return false };
    if !scheme.eq_ignore_ascii_case(b"bearer ") || token.trim().is_empty() {
        return false;
    }
    let presented = presented.trim_ascii();
    let a = Sha256::digest(presented);
    let b = Sha256::digest(token.as_bytes());
    bool::from(a.as_slice().ct_eq(b.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_local_connection_that_no_proxy_forwarded_needs_no_token() {
        assert!(allowed(peer("127.0.0.1:5000"), &headers(&[]), None));
        assert!(allowed(peer("[::1]:5000"), &headers(&[]), None));
        assert!(allowed(peer("[::ffff:127.0.0.1]:5000"), &headers(&[]), Some("segredo")));
        assert!(!allowed(peer("192.0.2.7:5000"), &headers(&[]), None));
        assert!(!allowed(peer("10.0.0.2:5000"), &headers(&[]), Some("segredo")));
    }

    #[test]
    fn a_forwarded_request_is_not_local() {
        for h in ["x-forwarded-for", "forwarded", "x-real-ip", "cf-connecting-ip"] {
            assert!(!allowed(peer("127.0.0.1:5000"), &headers(&[(h, "203.0.113.9")]), None), "{h}");
            assert!(!allowed(peer("127.0.0.1:5000"), &headers(&[(h, "")]), None), "{h} empty");
        }
    }

    #[test]
    fn the_token_opens_the_route_from_anywhere() {
        let t = Some("segredo-de-teste");
        let with = |v: &str| headers(&[("authorization", v), ("x-forwarded-for", "203.0.113.9")]);
        assert!(allowed(peer("192.0.2.7:5000"), &with("Bearer segredo-de-teste"), t));
        assert!(allowed(peer("127.0.0.1:5000"), &with("bearer segredo-de-teste"), t));
        for wrong in [
            "Bearer segredo",
            "Bearer segredo-de-teste2",
            "Basic segredo-de-teste",
            "segredo-de-teste",
            "Bearer ",
            "Bearer",
        ] {
            assert!(!allowed(peer("192.0.2.7:5000"), &with(wrong), t), "{wrong:?}");
        }
        assert!(!allowed(peer("192.0.2.7:5000"), &with("Bearer segredo-de-teste"), None));
        // An empty configured token opens nothing.
        assert!(!allowed(peer("192.0.2.7:5000"), &with("Bearer "), Some("")));
        assert!(!allowed(peer("192.0.2.7:5000"), &with("Bearer   "), Some("  ")));
        // Two Authorization headers: ambiguous, refused.
        let two = headers(&[("authorization", "Bearer x"), ("authorization", "Bearer segredo-de-teste")]);
        assert!(!allowed(peer("192.0.2.7:5000"), &two, t));
    }
}
