//! The service's own side of the preflight: the data directories can be written, and the files
//! the service reads at start (defaults, webhook endpoints, canary quote) parse.

use super::findings::Check;
use crate::config::settings::Settings;
use std::path::Path;

pub fn checks(settings: &Settings) -> Vec<Check> {
    let mut out = vec![data_dirs(settings), defaults(settings)];
    if let Some(path) = &settings.webhooks.file {
        out.push(match crate::webhooks::endpoints::load(path) {
            Ok(eps) => {
                let names: Vec<String> = eps.iter().map(|e| format!(" «{}»", e.name)).collect();
                Check::ok("webhooks", format!("{} endpoint(s) em {}{}", eps.len(), path.display(), names.concat()))
            }
            Err(e) => Check::problem(
                "webhooks",
                e.to_string(),
                "corrija o arquivo de RPA_WEBHOOKS_FILE (veja o README, Leads e webhooks)",
            ),
        });
    }
    if let Some(path) = &settings.monitoring.canary_file {
        out.push(match crate::queue::canary::load(path, &settings.defaults_file) {
            Ok(_) => Check::ok("canario", format!("cotação de teste em {}", path.display())),
            Err(e) => Check::problem(
                "canario",
                e.to_string(),
                "corrija o arquivo de RPA_CANARY_FILE (os campos do POST /api/rpa/start)",
            ),
        });
    }
    out
}

fn defaults(settings: &Settings) -> Check {
    match crate::domain::defaults::load(&settings.defaults_file) {
        Ok(_) => Check::ok("padroes", format!("respostas padrão em {}", settings.defaults_file.display())),
        Err(e) => Check::problem(
            "padroes",
            e.to_string(),
            "corrija o arquivo de RPA_DEFAULTS_FILE (config/defaults.json é o modelo)",
        ),
    }
}

/// RPA_DATA_DIR and the database's directory: created if missing, and a file can be written there.
fn data_dirs(settings: &Settings) -> Check {
    let db_dir = settings.database.db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    for (dir, name) in [(settings.database.data_dir.as_path(), "RPA_DATA_DIR"), (db_dir, "o diretório de RPA_DB")] {
        if let Err(e) = writable(dir) {
            problems.push(format!("{name} ({}): {e}", dir.display()));
        }
    }
    if settings.database.db.exists() {
        if let Err(e) = may_write(&settings.database.db) {
            problems.push(format!("RPA_DB ({}): {e}", settings.database.db.display()));
        }
    }
    if problems.is_empty() {
        Check::ok("dados", format!("{} e {} graváveis", settings.database.data_dir.display(), db_dir.display()))
    } else {
        Check::problem(
            "dados",
            format!("sem permissão de escrita: {}", problems.join("; ")),
            "dê ao usuário do serviço permissão de escrita nesses caminhos (no systemd: StateDirectory=rpa-v4)",
        )
    }
}

/// Whether this process may write `file`, asked of the kernel without opening it. The database
/// must never be opened outside SQLite: closing any descriptor of it releases every POSIX lock
/// this process holds on it, SQLite's among them, and the next `sqlite3` reader would then take
/// itself for the last connection and delete the service's live WAL.
fn may_write(file: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(file.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: `path` is a valid NUL-terminated string that outlives the call.
    match unsafe { libc::faccessat(libc::AT_FDCWD, path.as_ptr(), libc::W_OK, libc::AT_EACCESS) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

fn writable(dir: &Path) -> std::io::Result<()> {
    crate::unix::private_files::create_dir(dir)?;
    let probe = dir.join(format!(".verificacao-{}", std::process::id()));
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(&probe)
}
