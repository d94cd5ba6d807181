//! The one way to write: a write transaction that first takes this process's writer lock, so
//! the service's writers queue on a mutex instead of on SQLite's sleeping busy handler.

/// Serialises this process's write transactions. SQLite has one writer at a time; queueing on a
/// mutex is far quicker than SQLite's sleeping busy handler when many requests write at once.
static WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn writer() -> std::sync::MutexGuard<'static, ()> {
    WRITER.lock().unwrap_or_else(|e| e.into_inner())
}

/// A write transaction (`BEGIN IMMEDIATE`) that holds this process's writer lock until it
/// commits or is dropped (rolled back). Every write goes through [`write_tx`], so no caller has to
/// remember the lock.
pub struct WriteTx<'c> {
    // Declared first, dropped first: the transaction ends before the lock is released.
    tx: rusqlite::Transaction<'c>,
    _writer: std::sync::MutexGuard<'static, ()>,
}

/// Takes the writer lock, then begins a write transaction on `conn`.
pub fn write_tx(conn: &mut rusqlite::Connection) -> Result<WriteTx<'_>, rusqlite::Error> {
    let writer = writer();
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    Ok(WriteTx { tx, _writer: writer })
}

impl WriteTx<'_> {
    /// Commits, then releases the writer lock.
    pub fn commit(self) -> Result<(), rusqlite::Error> {
        self.tx.commit()
    }
}

impl<'c> std::ops::Deref for WriteTx<'c> {
    type Target = rusqlite::Transaction<'c>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
