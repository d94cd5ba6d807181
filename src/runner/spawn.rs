//! Starting a robot (contract §1): its input in a 0600 file, no shell, its own process group,
//! stdout/stderr into the job's log with personal data masked. Credentials reach it only through
//! the environment it inherits from the service. Also owns the session lock ([`SessionLock`]):
//! one robot per session at any instant, and a robot that recovery can find even when the service
//! died before recording its pid.

use super::context::RunnerContext;
use crate::contract::pii_mask::Masker;
use crate::contract::robot_browser::Endpoint;
use crate::queue::job::ClaimedJob;
use crate::snapshots::files::snapshot_paths;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("não foi possível preparar o diretório {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("outro robô desta cotação ainda está em execução (trava {path})")]
    Busy { path: String },
    #[error("não foi possível executar \"{program}\": {source}")]
    Exec { program: String, source: std::io::Error },
}

impl SpawnError {
    /// The program is missing or cannot be executed: the installation's problem, not the quote's.
    pub fn is_not_configured(&self) -> bool {
        matches!(self, SpawnError::Exec { source, .. }
            if matches!(source.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied))
    }
}

/// Name of the session lock inside the job directory.
pub const LOCK_FILE: &str = "robo.lock";
/// How long a start waits for the session lock (another runner's child may hold a copy of it for
/// the instant between its fork and its exec) before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The session lock: an exclusive `flock` on `robo.lock` in the job directory, taken by the
/// service *before* it forks the robot. The robot inherits the locked descriptor (close-on-exec is
/// cleared in the child only) and keeps it until it dies, so:
/// - while any robot of the session is alive the lock cannot be taken, and no second robot starts;
/// - after a `kill -9` of the service the lock is still held exactly when a child of that start is
///   alive — even between fork and exec, before its pid reached the database.
///
/// Between fork and exec the child also writes its own `PID START` (start time in clock ticks, as
/// in `runner_pid_start`) into the file, for recovery to find what is left of its group. The file
/// is emptied before each fork and when the lock is dropped (the robot reaped, or recovered), so
/// what it holds while a job is `running` was written by that attempt's child.
pub struct SessionLock {
    file: File,
    path: PathBuf,
}

/// Why the session lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("a trava {path} continua com outro processo")]
    Held { path: String },
}

impl SessionLock {
    /// Takes the lock of the session whose directory is `dir`, waiting at most `bound`; each time
    /// it is found held, `on_held` is called with the file (recovery kills the holders there).
    /// `create` makes the file when missing; without it a missing file is `Ok(None)`.
    pub fn acquire(
        dir: &Path,
        create: bool,
        bound: Duration,
        mut on_held: impl FnMut(&File),
    ) -> Result<Option<SessionLock>, LockError> {
        let path = dir.join(LOCK_FILE);
        let io_err = |source| LockError::Io { path: path.display().to_string(), source };
        let opened = OpenOptions::new().read(true).write(true).create(create).mode(0o600).open(&path);
        let file = match opened {
            Ok(f) => f,
            Err(e) if !create && e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err(e)),
        };
        let deadline = Instant::now() + bound;
        loop {
            // SAFETY: flock on a descriptor we own; no memory is involved.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(Some(SessionLock { file, path }));
            }
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EWOULDBLOCK) && e.kind() != std::io::ErrorKind::Interrupted {
                return Err(io_err(e));
            }
            if Instant::now() > deadline {
                return Err(LockError::Held { path: path.display().to_string() });
            }
            on_held(&file);
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The descriptor a child inherits (see [`hand_over_lock`]).
    pub(super) fn raw_fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }

    /// Forgets the previous robot; done under the lock, before a new fork.
    fn clear(&self) -> std::io::Result<()> {
        self.file.set_len(0)
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        let _ = self.clear();
    }
}

impl std::fmt::Debug for SessionLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionLock").field("path", &self.path).finish()
    }
}

/// The robot of the session's last start, as its child wrote it into the lock file between fork
/// and exec: its pid and, when it could read it, its start time.
pub fn recorded_robot(dir: &Path) -> Option<(u32, Option<u64>)> {
    let text = fs::read_to_string(dir.join(LOCK_FILE)).ok()?;
    let mut fields = text.split_whitespace();
    let pid = fields.next()?.parse().ok()?;
    Some((pid, fields.next().and_then(|s| s.parse().ok())))
}

/// The child's side of the session lock, between fork and exec: keeps the locked descriptor
/// across exec and writes `PID START` into it. Async-signal-safe calls only (fcntl, getpid, open,
/// read, close, pwrite), stack buffers only, no allocation.
pub(super) fn hand_over_lock(fd: RawFd) -> std::io::Result<()> {
    // SAFETY: fcntl on an inherited descriptor; clears close-on-exec in this child only.
    if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } == -1 {
        return Err(std::io::Error::last_os_error());
    }
    let mut line = [0u8; 48];
    // SAFETY: getpid has no preconditions.
    let mut len = put_decimal(&mut line, 0, unsafe { libc::getpid() } as u64);
    if let Some(start) = crate::unix::process_group::own_start_time_signal_safe() {
        line[len] = b' ';
        len = put_decimal(&mut line, len + 1, start);
    }
    line[len] = b'\n';
    len += 1;
    // SAFETY: writes `len` bytes of our stack buffer at offset 0 of the (emptied) lock file.
    match unsafe { libc::pwrite(fd, line.as_ptr().cast(), len, 0) } {
        n if n < 0 => Err(std::io::Error::last_os_error()),
        n if n as usize != len => Err(std::io::ErrorKind::WriteZero.into()),
        _ => Ok(()),
    }
}

/// Writes `n` in decimal at `buf[at..]`; returns the end. 20 digits fit any u64.
fn put_decimal(buf: &mut [u8], at: usize, mut n: u64) -> usize {
    let mut digits = [0u8; 20];
    let mut count = 0;
    loop {
        digits[count] = b'0' + (n % 10) as u8;
        count += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..count {
        buf[at + i] = digits[count - 1 - i];
    }
    at + count
}

/// A running robot.
pub struct Robot {
    pub child: Child,
    /// Its pid, which is also its process group id.
    pub pid: u32,
    pub input_file: PathBuf,
    /// The last line the robot printed on stdout (its summary, contract §1).
    pub last_stdout: Arc<Mutex<Option<String>>>,
    /// One message per log reader when its pipe closes.
    pub readers_done: mpsc::Receiver<()>,
    /// Held (and shared with the robot) until the robot is reaped and this is dropped.
    pub session_lock: SessionLock,
}

/// Name of the per-job log inside the job directory.
pub const LOG_FILE: &str = "robo.log";
/// Name of the robot's input file inside the job directory.
pub const INPUT_FILE: &str = "entrada.json";

/// `browser`: the service's shared browser, given to the robot as `RPA_BROWSER_SERVER`.
pub fn spawn(
    ctx: &RunnerContext,
    job: &ClaimedJob,
    dir: &Path,
    masker: Masker,
    browser: Option<&Endpoint>,
) -> Result<Robot, SpawnError> {
    let dir_err = |source| SpawnError::Dir { path: dir.display().to_string(), source };
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(dir_err)?;
    // Before anything in the directory is touched: no other robot of this session is alive.
    let session_lock = match SessionLock::acquire(dir, true, LOCK_WAIT, |_| {}) {
        Ok(Some(lock)) => lock,
        Ok(None) => return Err(dir_err(std::io::ErrorKind::NotFound.into())),
        Err(LockError::Held { path }) => return Err(SpawnError::Busy { path }),
        Err(LockError::Io { source, .. }) => return Err(dir_err(source)),
    };
    session_lock.clear().map_err(dir_err)?;
    // A new attempt starts from clean snapshots.
    for p in snapshot_paths(dir, job.session_id.as_str()) {
        let _ = fs::remove_file(p);
    }
    let dir = std::path::absolute(dir).map_err(dir_err)?;
    let input_file = dir.join(INPUT_FILE);
    let _ = fs::remove_file(&input_file);
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&input_file)
        .and_then(|mut f| f.write_all(job.input_json.as_bytes()))
        .map_err(dir_err)?;
    let mut log = OpenOptions::new().create(true).append(true).mode(0o600).open(dir.join(LOG_FILE)).map_err(dir_err)?;
    let _ = writeln!(log, "=== tentativa {} — {} ===", job.attempt, crate::store::db::now());

    let mut command = Command::new(&ctx.command.program);
    command
        .args(&ctx.command.args)
        .arg("--data-file")
        .arg(&input_file)
        .arg("--session")
        .arg(job.session_id.as_str())
        .arg("--data-dir")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if let Some(endpoint) = browser {
        crate::contract::robot_browser::hand_to(&mut command, endpoint);
    }
    let lock_fd = session_lock.raw_fd();
    // SAFETY: the closure runs in the child between fork and exec and only makes async-signal-safe
    // calls on its own stack (see `hand_over_lock`).
    unsafe {
        command.pre_exec(move || hand_over_lock(lock_fd));
    }
    let spawned = command.spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(source) => {
            let _ = fs::remove_file(&input_file);
            let _ = writeln!(log, "[serviço] não foi possível executar o robô: {source}");
            return Err(SpawnError::Exec { program: ctx.command.program.clone(), source });
        }
    };
    let pid = child.id();
    let log = Arc::new(Mutex::new(log));
    let last_stdout = Arc::new(Mutex::new(None));
    let (done_tx, readers_done) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        pump(out, "", log.clone(), masker.clone(), Some(last_stdout.clone()), done_tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        pump(err, "[stderr] ", log, masker, None, done_tx);
    }
    Ok(Robot { child, pid, input_file, last_stdout, readers_done, session_lock })
}

/// Copies a pipe into the log, line by line, masked.
fn pump(
    pipe: impl Read + Send + 'static,
    prefix: &'static str,
    log: Arc<Mutex<File>>,
    masker: Masker,
    last: Option<Arc<Mutex<Option<String>>>>,
    done: mpsc::Sender<()>,
) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        while matches!(reader.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
            let line = masker.mask_log_line(String::from_utf8_lossy(&buf).trim_end());
            if let Ok(mut f) = log.lock() {
                let _ = writeln!(f, "{prefix}{line}");
            }
            if let Some(last) = &last {
                if !line.trim().is_empty() {
                    *last.lock().unwrap_or_else(|e| e.into_inner()) = Some(line);
                }
            }
            buf.clear();
        }
        let _ = done.send(());
    });
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::unix::process_group;

    /// `sleep 30` started the way a robot is: holding the lock it inherited.
    pub(in crate::runner) fn child_holding(lock: &SessionLock, script: &str) -> Child {
        let fd = lock.raw_fd();
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script).process_group(0);
        // SAFETY: as in `spawn`.
        unsafe {
            cmd.pre_exec(move || hand_over_lock(fd));
        }
        cmd.spawn().unwrap()
    }

    #[test]
    fn a_robot_keeps_the_session_lock_after_the_service_lets_go_and_names_itself_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let lock = SessionLock::acquire(dir.path(), true, Duration::ZERO, |_| {}).unwrap().unwrap();
        let mut robot = child_holding(&lock, "exec sleep 30");
        let pid = robot.id();
        assert_eq!(recorded_robot(dir.path()), Some((pid, process_group::start_time(pid))));
        let mode = fs::metadata(dir.path().join(LOCK_FILE)).unwrap().permissions();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o600);

        // The service dies (its descriptor closes): the robot still holds the lock.
        drop(lock);
        assert!(matches!(SessionLock::acquire(dir.path(), false, Duration::ZERO, |_| {}), Err(LockError::Held { .. })));
        robot.kill().unwrap();
        robot.wait().unwrap();
        // (Bounded: another test's child may hold a copy for the instant between fork and exec.)
        let again = SessionLock::acquire(dir.path(), false, Duration::from_secs(5), |_| {}).unwrap();
        assert!(again.is_some(), "free once the robot is gone");
        drop(again);
        assert_eq!(recorded_robot(dir.path()), None, "emptied when dropped");
    }

    #[test]
    fn no_lock_file_means_no_robot_ever_started_there() {
        let dir = tempfile::tempdir().unwrap();
        assert!(SessionLock::acquire(dir.path(), false, Duration::ZERO, |_| {}).unwrap().is_none());
        assert_eq!(recorded_robot(dir.path()), None);
    }

    #[test]
    fn decimals_are_written_without_allocating() {
        let mut buf = [0u8; 48];
        let end = put_decimal(&mut buf, 0, 0);
        assert_eq!(&buf[..end], b"0");
        let end = put_decimal(&mut buf, 3, u64::MAX);
        assert_eq!(&buf[3..end], u64::MAX.to_string().as_bytes());
    }
}
