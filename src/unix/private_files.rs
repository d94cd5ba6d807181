//! Files and directories that hold personal data (the database, the job directories): created
//! owner-only — directories 0700, files 0600 — whatever the umask, and a warning at start for an
//! existing one that other users can read. SQLite gives its `-wal` and `-shm` files the mode of
//! the database file, so they follow it.

use std::fs::{DirBuilder, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` and any missing parent with mode 0700. Existing directories are left as they
/// are (the parent may be shared, like /var/lib), but see [`warn_if_shared`].
pub fn create_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Creates `file` empty with mode 0600 unless it exists.
pub fn create_file(file: &Path) -> io::Result<()> {
    match OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether users other than the owner can read or enter `path`.
pub fn is_shared(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

/// Logs a warning, with the fix, when `path` holds personal data that other users can reach.
pub fn warn_if_shared(path: &Path, what: &str) {
    if is_shared(path) {
        let fix = if path.is_dir() { "chmod 700" } else { "chmod 600" };
        tracing::warn!(
            path = %path.display(),
            "{what} tem dados pessoais e pode ser lido por outros usuários do servidor: use {fix}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_owner_only_whatever_the_umask() {
        let root = tempfile::tempdir().unwrap();
        let old = unsafe { libc::umask(0) };
        let dir = root.path().join("a/b");
        let file = dir.join("f.db");
        let made = create_dir(&dir).and_then(|_| create_file(&file));
        unsafe { libc::umask(old) };
        made.unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&root.path().join("a")), mode(&dir), mode(&file)), (0o700, 0o700, 0o600));
        assert!(!is_shared(&file));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(is_shared(&file));
        create_file(&file).unwrap();
        assert_eq!(mode(&file), 0o644, "an existing file is not touched");
    }
}
