//! One service per database: `rpa-v4 serve` holds an exclusive `flock` on a lock file beside the
//! database (`rpa.db.lock` for `rpa.db`), with its PID written in it, from before its crash
//! recovery until it exits. A second `serve` on the same database finds the lock held and stops
//! with a message naming that PID, instead of taking the first one's running quotes for orphans
//! and killing their robots.
//!
//! A file of its own, never the database: closing any descriptor of the database would release
//! SQLite's POSIX locks on it. A `flock` belongs to its open file description, is not inherited
//! by the robots (the descriptor is close-on-exec) and goes away with the process, `kill -9`
//! included. The other commands (`check`, `purge`, `webhooks listar` and `reenviar`) take no
//! lock: they work beside a running service, through SQLite.

use crate::unix::{private_files, process_group};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The lock, held until dropped (or the process ends).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum InstanceLockError {
    #[error(
        "outro `rpa-v4 serve` já está usando o banco {db} (PID {pid}, trava em {lock}): pare-o antes de iniciar \
         outro (`systemctl stop rpa-v4`) ou use outro RPA_DB; `rpa-v4 check` e `rpa-v4 webhooks listar` funcionam \
         ao lado dele"
    )]
    Held { db: String, pid: String, lock: String },
    #[error("não foi possível abrir a trava do banco {lock}: {source}")]
    Io { lock: String, source: std::io::Error },
}

/// The lock file of the database at `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "rpa.db".into());
    name.push(".lock");
    db.with_file_name(name)
}

/// Takes the lock of the database at `db` (creating its directory 0700 and the lock file 0600),
/// or says who holds it.
pub fn acquire(db: &Path) -> Result<InstanceLock, InstanceLockError> {
    let lock = lock_path(db);
    let io = |source| InstanceLockError::Io { lock: lock.display().to_string(), source };
    if let Some(dir) = lock.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_files::create_dir(dir).map_err(io)?;
    }
    let mut file =
        OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600).open(&lock).map_err(io)?;
    // SAFETY: flock on a descriptor we own; no memory is involved.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
            return Err(io(e));
        }
        return Err(InstanceLockError::Held {
            db: db.display().to_string(),
            pid: holder(&mut file).unwrap_or_else(|| "desconhecido".into()),
            lock: lock.display().to_string(),
        });
    }
    let written = file.set_len(0).and_then(|()| {
        file.rewind()?;
        writeln!(file, "{}", std::process::id())
    });
    written.map_err(io)?;
    Ok(InstanceLock { _file: file })
}

/// Who holds the lock: the process seen holding it in `/proc` (same user), or else the PID it
/// wrote into the file.
fn holder(file: &mut File) -> Option<String> {
    if let Some(pid) = process_group::flock_holders(file).first() {
        return Some(pid.to_string());
    }
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    let pid = text.trim();
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_database() {
        assert_eq!(lock_path(Path::new("/var/lib/rpa-v4/rpa.db")), Path::new("/var/lib/rpa-v4/rpa.db.lock"));
        assert_eq!(lock_path(Path::new("rpa.db")), Path::new("rpa.db.lock"));
    }

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid_until_it_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("dados/rpa.db");
        let first = acquire(&db).unwrap();
        // Another open file description of the same file, as a second process would have.
        let second = acquire(&db).unwrap_err();
        let text = second.to_string();
        assert!(text.contains(&format!("PID {}", std::process::id())), "{text}");
        assert!(text.contains("rpa.db.lock"), "{text}");
        assert!(!db.exists(), "the database itself is never opened");
        drop(first);
        assert!(acquire(&db).is_ok(), "free again once the first lets go");
    }
}
