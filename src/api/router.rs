//! The routes of the API and the CORS allow-list (never `*`): each path to its handler, and a JSON
//! 404/405 for anything else. `GET /metrics` is not among them: it has a listen address of its
//! own ([`super::scrape::router`]).

use super::error::ApiError;
use super::state::AppState;
use super::{health, interest, progress, start, static_files};
use axum::http::{header, Method};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub fn router(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.settings.allowed_origins.0.clone()))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600));
    Router::new()
        .route("/api/rpa/start", post(start::start))
        .route("/api/rpa/progress/{session_id}", get(progress::progress))
        .route("/api/rpa/health", get(health::health))
        .route("/api/rpa/interesse", post(interest::interest))
        .route("/", get(|| async { Redirect::temporary("/static/demo.html") }))
        .route("/static/{*path}", get(static_files::serve))
        .fallback(|| async { ApiError::NoRoute })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(cors)
        .with_state(state)
}
