//! The HTTP API (contract 3): routes, CORS allow-list, JSON errors. [`start`] queues a quote,
//! [`progress`] and [`health`] answer from SQLite alone, [`static_files`] serves the modal and
//! the demo page.

pub mod error;
pub mod health;
pub mod metrics;
pub mod progress;
pub mod start;
pub mod static_files;

use crate::configuration::Settings;
use crate::db::Pool;
use crate::domain::questionario::Questionario;
use crate::rate_limit::RateLimiter;
use crate::runner::pool::Wakeup;
use axum::http::{header, Method};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use error::ApiError;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
    pub settings: Arc<Settings>,
    pub defaults: Arc<Questionario>,
    pub rate_limiter: Arc<RateLimiter>,
    pub wakeup: Arc<Wakeup>,
    /// The preflight's verdict (health shows it).
    pub gate: Arc<crate::preflight::gate::Gate>,
    /// The shared browser, when the robots use one on this machine.
    pub browser: Option<Arc<crate::browser_host::BrowserHost>>,
}

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
        .route("/metrics", get(metrics::metrics))
        .route("/", get(|| async { Redirect::temporary("/static/demo.html") }))
        .route("/static/{*path}", get(static_files::serve))
        .fallback(|| async { ApiError::NoRoute })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(cors)
        .with_state(state)
}
