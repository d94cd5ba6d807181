//! `GET /api/rpa/progress/{session_id}`: the quote's [`ProgressView`], read by
//! [`crate::snapshot_store::progress_view`], wrapped with the session id and the time.

use super::{error::ApiError, AppState};
use crate::db;
use crate::domain::session_id::SessionId;
use crate::snapshot_store::progress_view::{read, ProgressView};
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
    let view = db::run(&state.db, move |c| read(c, sid.as_str())).await?;
    let progress = view.ok_or(ApiError::SessionNotFound)?;
    Ok(Json(ProgressAnswer { success: true, session_id: id, progress, timestamp: db::now() }))
}
