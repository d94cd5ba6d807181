//! The SQLite file: opening it (created 0600, WAL, busy timeout), bringing its schema to the latest
//! version ([`crate::store::migrations`]), and the connection pool shared by the API and the runners.

use crate::store::migrations::Migrated;
use crate::unix::private_files;
use r2d2_sqlite::SqliteConnectionManager;
use std::path::Path;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;
pub type Conn = r2d2::PooledConnection<SqliteConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("erro no banco de dados: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("nenhuma conexão livre com o banco de dados: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("não foi possível criar o diretório do banco {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("não foi possível criar o arquivo do banco {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("tarefa do banco de dados interrompida")]
    Join,
    #[error(transparent)]
    Migration(#[from] crate::store::migrations::MigrationError),
}

/// Opens (and creates, on first start) the database at `path` and migrates it to the latest schema.
pub fn open(path: &Path, max_connections: u32) -> Result<Pool, DbError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_files::create_dir(dir).map_err(|source| DbError::Dir { path: dir.display().to_string(), source })?;
    }
    // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm the same mode.
    private_files::warn_if_shared(path, "O banco de dados (RPA_DB)");
    private_files::create_file(path).map_err(|source| DbError::File { path: path.display().to_string(), source })?;
    // WAL is a property of the file: set it once, before the pool opens its connections side by
    // side (several switching a new file to WAL at once would find it locked).
    rusqlite::Connection::open(path)?.pragma_update(None, "journal_mode", "WAL")?;
    let manager = SqliteConnectionManager::file(path).with_init(|c| {
        c.busy_timeout(std::time::Duration::from_secs(10))?;
        c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
    });
    let pool = r2d2::Pool::builder().max_size(max_connections).build(manager)?;
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
    Ok(pool)
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
