//! `GET /api/rpa/progress/{session_id}`: the quote's [`ProgressView`], read by
//! [`crate::snapshots::progress_view`], wrapped with the session id and the time.

use super::error::ApiError;
use super::state::AppState;
use crate::domain::session_id::SessionId;
use crate::snapshots::progress_view::{read, ProgressView};
use crate::store::db;
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;

/// The whole answer (docs/contract/progress.schema.json).
#[derive(Serialize)]
pub struct ProgressAnswer {
    success: bool,
    session_id: String,
    progress: ProgressView,
    timestamp: String,
}

pub async fn progress(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ProgressAnswer>, ApiError> {
    let sid = SessionId::parse(&id).ok_or(ApiError::SessionNotFound)?;
    let view = db::run(&state.db, move |c| read(c, &sid)).await?;
    let progress = view.ok_or(ApiError::SessionNotFound)?;
    Ok(Json(ProgressAnswer { success: true, session_id: id, progress, timestamp: db::now() }))
}
