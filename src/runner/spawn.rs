//! Starting a robot (contract §1): its input in a 0600 file, no shell, its own process group,
//! stdout/stderr into the job's log with personal data masked. Credentials reach it only through
//! the environment it inherits from the service.

use super::RunnerContext;
use crate::pii_mask::Masker;
use crate::queue::ClaimedJob;
use crate::tracker_sync::snapshot_paths;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("não foi possível preparar o diretório {path}: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("não foi possível executar \"{program}\": {source}")]
    Exec { program: String, source: std::io::Error },
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
}

/// Name of the per-job log inside the job directory.
pub const LOG_FILE: &str = "robo.log";
/// Name of the robot's input file inside the job directory.
pub const INPUT_FILE: &str = "entrada.json";

pub fn spawn(ctx: &RunnerContext, job: &ClaimedJob, dir: &Path, masker: Masker) -> Result<Robot, SpawnError> {
    let dir_err = |source| SpawnError::Dir { path: dir.display().to_string(), source };
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(dir_err)?;
    // A new attempt starts from clean snapshots.
    for p in snapshot_paths(dir, &job.session_id) {
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
    let _ = writeln!(log, "=== tentativa {} — {} ===", job.attempt, crate::db::now());

    let spawned = Command::new(&ctx.command.program)
        .args(&ctx.command.args)
        .arg("--data-file")
        .arg(&input_file)
        .arg("--session")
        .arg(&job.session_id)
        .arg("--data-dir")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn();
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
    Ok(Robot { child, pid, input_file, last_stdout, readers_done })
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
