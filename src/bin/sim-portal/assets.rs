//! The single-page app's files, embedded in the binary so `sim-portal` runs from any directory,
//! and the page handler that hands the run's settings (delay scale, faults) to the page.

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::api::Shared;
use crate::catalog;

const INDEX_HTML: &str = include_str!("../../../portal/index.html");

const JS: &str = "text/javascript; charset=utf-8";

/// (URL path, content type, body) of every static file.
const FILES: [(&str, &str, &str); 13] = [
    ("/_next/static/chunks/app/kit.js", JS, include_str!("../../../portal/js/kit.js")),
    ("/_next/static/chunks/app/estimate.js", JS, include_str!("../../../portal/js/estimate.js")),
    ("/_next/static/chunks/app/result.js", JS, include_str!("../../../portal/js/result.js")),
    ("/_next/static/chunks/app/portal.js", JS, include_str!("../../../portal/app.js")),
    ("/_next/static/css/portal.css", "text/css; charset=utf-8", include_str!("../../../portal/app.css")),
    ("/icone-ok.svg", "image/svg+xml", include_str!("../../../portal/icone-ok.svg")),
    ("/icone-nok.svg", "image/svg+xml", include_str!("../../../portal/icone-nok.svg")),
    ("/logo-agger.svg", "image/svg+xml", include_str!("../../../portal/logo-agger.svg")),
    ("/fechar.svg", "image/svg+xml", include_str!("../../../portal/fechar.svg")),
    ("/insurance-icons/car.svg", "image/svg+xml", include_str!("../../../portal/insurance-icons/car.svg")),
    (
        "/insurance-icons/motorcycle.svg",
        "image/svg+xml",
        include_str!("../../../portal/insurance-icons/motorcycle.svg"),
    ),
    ("/insurance-icons/life.svg", "image/svg+xml", include_str!("../../../portal/insurance-icons/life.svg")),
    ("/insurance-icons/residence.svg", "image/svg+xml", include_str!("../../../portal/insurance-icons/residence.svg")),
];

pub fn router(state: Shared) -> Router {
    let mut r = Router::new()
        .route("/", get(page))
        .route("/imediatosolucoes", get(page))
        .route("/imediatosolucoes/", get(page));
    for (path, ctype, body) in FILES {
        r = r.route(
            path,
            get(move || async move { ([(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "no-cache")], body) }),
        );
    }
    r.with_state(state)
}

/// The app shell with this run's settings in `<script id="sim-config">`.
async fn page(State(s): State<Shared>) -> Response {
    let c = &s.config;
    let settings = json!({
        "escala": c.delay_scale,
        "falhas": c.faults,
        "variante_resultado": c.variante_resultado,
        "mudanca_tela": c.mudanca_tela,
        "contagem_ms": c.scaled_ms(catalog::COUNTDOWN_MS),
        "transicao_ms": c.scaled_ms(80),
        "login_overlay_ms": c.scaled_ms(1_000),
        "cpf_modal_ms": c.scaled_ms(1_500),
    });
    // `</` cannot appear inside the script element.
    let settings = settings.to_string().replace("</", "<\\/");
    let html = INDEX_HTML.replace("__SIM_CONFIG__", &settings);
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// Any other path: a Portuguese 404 page (JSON under `/api/`).
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return (StatusCode::NOT_FOUND, Json(json!({ "erro": "Recurso não encontrado." }))).into_response();
    }
    (
        StatusCode::NOT_FOUND,
        Html("<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"><title>Página não encontrada</title></head><body><h1>404</h1><p>Página não encontrada.</p></body></html>"),
    )
        .into_response()
}
