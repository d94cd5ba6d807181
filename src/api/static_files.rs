//! `/static/…`: the modal's script and stylesheet and the demo page, from `RPA_STATIC_DIR`.
//! Only regular files inside that directory are served: no symbolic link anywhere below it (a
//! link to /etc would otherwise hand out the server's files), no dotfile or dot-directory (`.git`,
//! `.env`), no editor leftover (`~`, `.swp`, `.bak`, `.orig`, `.tmp`). Everything else gets the
//! same 404 as a file that does not exist. Content type, `ETag`/`Last-Modified` and ranges are
//! tower-http's `ServeFile`.

use super::error::ApiError;
use super::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use std::path::{Path as FsPath, PathBuf};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// Suffixes of editor and tool leftovers that are never served.
const LEFTOVERS: &[&str] = &["~", ".swp", ".swo", ".bak", ".orig", ".tmp", ".old"];

pub async fn serve(State(state): State<AppState>, Path(path): Path<String>, request: Request) -> Response {
    let Some(file) = resolve(&state.settings.static_dir, &path) else {
        return ApiError::NoRoute.into_response();
    };
    match ServeFile::new(file).oneshot(request).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    }
}

/// The file `rel` names under `root`, if it is one that may be served.
pub fn resolve(root: &FsPath, rel: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for segment in rel.split('/') {
        let allowed = !segment.is_empty()
            && !segment.starts_with('.')
            && !segment.contains('\\')
            && !segment.chars().any(char::is_control)
            && !LEFTOVERS.iter().any(|s| segment.ends_with(s));
        if !allowed {
            return None;
        }
        path.push(segment);
        // symlink_metadata does not follow links: a link at any level is refused.
        if std::fs::symlink_metadata(&path).ok()?.file_type().is_symlink() {
            return None;
        }
    }
    std::fs::symlink_metadata(&path).ok()?.is_file().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_inside_the_directory() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir_all(r.join("css")).unwrap();
        std::fs::create_dir_all(r.join(".git")).unwrap();
        for f in ["demo.html", "css/a.css", ".env", ".git/config", "demo.html~", "rpa-modal.js.swp", "x.bak"] {
            std::fs::write(r.join(f), "x").unwrap();
        }
        std::os::unix::fs::symlink("/etc/passwd", r.join("passwd")).unwrap();
        std::os::unix::fs::symlink("/etc", r.join("etc")).unwrap();
        std::os::unix::fs::symlink(r.join("demo.html"), r.join("alias.html")).unwrap();
        assert_eq!(resolve(r, "demo.html"), Some(r.join("demo.html")));
        assert_eq!(resolve(r, "css/a.css"), Some(r.join("css/a.css")));
        for refused in [
            ".env",
            ".git/config",
            "demo.html~",
            "rpa-modal.js.swp",
            "x.bak",
            "passwd",
            "etc/passwd",
            "alias.html",
            "css",
            "../static/demo.html",
            "css/../demo.html",
            "",
            "css/",
            "missing.js",
            "a\\b",
        ] {
            assert_eq!(resolve(r, refused), None, "{refused}");
        }
    }
}
