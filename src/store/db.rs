//! The SQLite file: opening it (created 0600, WAL, busy timeout), bringing its schema to the latest
//! version ([`crate::store::migrations`]), and the connection pool shared by the API and the runners.
//! The operator's commands open an existing database only ([`open_existing`]): a mistyped
//! `RPA_DB` is an error, never a new empty database.

use crate::store::migrations::Migrated;
use crate::unix::private_files;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::OpenFlags;
use std::path::Path;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;
pub type Conn = r2d2::PooledConnection<SqliteConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// From `rusqlite::Error` through [`crate::store::disk`], which remembers a full disk.
    #[error("erro no banco de dados: {0}")]
    Sqlite(rusqlite::Error),
    #[error("nenhuma conexão livre com o banco de dados: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("não foi possível criar o diretório do banco {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("não foi possível criar o arquivo do banco {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("o banco de dados {path} não existe: confira RPA_DB (nada foi criado)")]
    Missing { path: String },
    #[error("{path} não é um banco do rpa-v4 (não tem as tabelas do serviço): confira RPA_DB")]
    NotOurs { path: String },
    #[error("tarefa do banco de dados interrompida")]
    Join,
    #[error(transparent)]
    Migration(#[from] crate::store::migrations::MigrationError),
}

/// Opens (and creates, on first start) the database at `path` and migrates it to the latest schema.
pub fn open(path: &Path, max_connections: u32) -> Result<Pool, DbError> {
    open_limited(path, max_connections, 0)
}

/// [`open`], with the database's size limited to `max_mb` MiB (`RPA_DB_MAX_MB`; 0: no limit but
/// the disk). A write past it fails as on a full disk; a database already larger stays as it is
/// and does not grow.
pub fn open_limited(path: &Path, max_connections: u32, max_mb: u32) -> Result<Pool, DbError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_files::create_dir(dir).map_err(|source| DbError::Dir { path: dir.display().to_string(), source })?;
    }
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm the same mode.
    private_files::warn_if_shared(path, "O banco de dados (RPA_DB)");
    private_files::create_file(path).map_err(|source| DbError::File { path: path.display().to_string(), source })?;
    // WAL is a property of the file: set it once, before the pool opens its connections side by
    // side (several switching a new file to WAL at once would find it locked).
    rusqlite::Connection::open(path)?.pragma_update(None, "journal_mode", "WAL")?;
    let pool = r2d2::Pool::builder().max_size(max_connections).build(manager(path, OpenFlags::default(), max_mb))?;
    migrate(&pool)?;
    Ok(pool)
}

/// Opens the database at `path` only if it exists and is one of this service's (migrated to the
/// latest schema like [`open`]); creates no directory, no file and no schema.
pub fn open_existing(path: &Path, max_connections: u32) -> Result<Pool, DbError> {
    if !path.is_file() {
        return Err(DbError::Missing { path: path.display().to_string() });
    }
    let flags = OpenFlags::default().difference(OpenFlags::SQLITE_OPEN_CREATE);
    let not_ours = || DbError::NotOurs { path: path.display().to_string() };
    match rusqlite::Connection::open_with_flags(path, flags).and_then(|c| crate::store::migrations::version(&c)) {
        Ok(0) => return Err(not_ours()),
        Ok(_) => {}
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => return Err(not_ours()),
        Err(e) => return Err(e.into()),
    }
    let pool = r2d2::Pool::builder().max_size(max_connections).build(manager(path, flags, 0))?;
    migrate(&pool)?;
    Ok(pool)
}

/// The pool's connections: WAL, a busy timeout, foreign keys, and the size limit (`max_mb` MiB;
/// 0: none). SQLite never sets the limit below the database's size.
fn manager(path: &Path, flags: OpenFlags, max_mb: u32) -> SqliteConnectionManager {
    SqliteConnectionManager::file(path).with_flags(flags).with_init(move |c| {
        c.busy_timeout(std::time::Duration::from_secs(10))?;
        c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        if max_mb > 0 {
            let page: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            let pages = (i64::from(max_mb) * 1024 * 1024 / page.max(512)).max(1);
            c.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        }
        Ok(())
    })
}

fn migrate(pool: &Pool) -> Result<(), DbError> {
    match crate::store::migrations::migrate(&mut *pool.get()?)? {
        Migrated::Upgraded { from } => {
            tracing::info!(
                from,
                to = crate::store::migrations::LATEST,
                "banco de dados atualizado para o esquema novo"
            );
        }
        Migrated::Created | Migrated::UpToDate => {}
    }
    Ok(())
}

/// Runs blocking database work off the async runtime.
pub async fn run<T, F>(pool: &Pool, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: FnOnce(&mut Conn) -> Result<T, DbError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|_| DbError::Join)?
}

/// Now, UTC, as stored in the database ("2026-11-24T22:13:00.123Z").
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
