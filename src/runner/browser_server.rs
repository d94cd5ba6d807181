//! One shared browser as a process: the robot's browser server (`RPA_BROWSER_COMMAND`, by
//! default `rpa/browser_server.py`), which runs Chromium with DevTools over a pipe — Chromium
//! opens no port — and serves Playwright's protocol on a Unix socket inside a directory this
//! service creates 0700, so no other user of the machine can reach it. The endpoint is read from
//! the server's stdout, handed to the service's own robots in their environment (readable by
//! this user only, unlike a command line), and never logged.
//!
//! Starting one, closing one, and closing those a killed service left behind. Supervision
//! (leases, crash, recycling) is [`super::browser_host`]'s.

use crate::config::values::RobotCommand;
use crate::contract::robot_browser::Endpoint;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

/// The longest a browser server may take to report its endpoint.
const LAUNCH_BOUND: Duration = Duration::from_secs(30);
/// How long a server asked to stop (its stdin closed) gets to close Chromium itself.
const CLOSE_BOUND: Duration = Duration::from_secs(5);
/// The profile directory prefix of this service's browsers; the pid of the service follows.
const PROFILE_PREFIX: &str = "rpa-v4-navegador-";

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error("o servidor do navegador ({program}) não pôde ser executado: {source}")]
    Exec { program: String, source: std::io::Error },
    #[error("o servidor do navegador ({program}) não informou o endereço em {bound} s{detail}")]
    NoEndpoint { program: String, bound: u64, detail: String },
}

/// A running browser server and the Chromium behind it.
pub struct BrowserServer {
    child: Child,
    /// Held open for the server's whole life: the server stops when it closes.
    stdin: Option<ChildStdin>,
    pub endpoint: Endpoint,
    /// Chromium's pid (Playwright starts it in a process group of its own).
    pub chromium: u32,
    profile: PathBuf,
}

#[derive(serde::Deserialize)]
struct FirstLine {
    endpoint: String,
    pid: u32,
}

impl BrowserServer {
    /// Starts a server (`command` + a fresh 0700 directory named after this service and `id`, for
    /// its socket and Chromium's profile), with `chromium` as its Chromium, and waits (bounded) for
    /// its endpoint.
    pub fn start(command: &RobotCommand, chromium: &Path, id: u64) -> Result<BrowserServer, BrowserError> {
        let program = command.program.clone();
        let profile = std::env::temp_dir().join(format!("{PROFILE_PREFIX}{}-{id}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        crate::unix::private_files::create_dir(&profile)
            .map_err(|source| BrowserError::Exec { program: program.clone(), source })?;
        let spawned = Command::new(&command.program)
            .args(&command.args)
            .arg(&profile)
            .env("CHROMIUM_PATH", chromium)
            // Playwright's own temporary files go to the profile, and are removed with it.
            .env("TMPDIR", &profile)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(source) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(BrowserError::Exec { program, source });
            }
        };
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        // Reads the first line, then keeps draining stdout so the server never blocks on it.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = tx.send(first);
            }
            for _ in lines {}
        });
        let (err_tx, err_rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            // What the server said before dying explains a failed start; the rest is dropped.
            let mut head = String::new();
            let mut reader = BufReader::new(stderr);
            let _ = reader.by_ref().take(2000).read_to_string(&mut head);
            let _ = err_tx.send(head);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let first = rx.recv_timeout(LAUNCH_BOUND).ok().and_then(|l| serde_json::from_str::<FirstLine>(&l).ok());
        let stdin = child.stdin.take();
        match first {
            Some(FirstLine { endpoint, pid }) => {
                Ok(BrowserServer { child, stdin, endpoint: Endpoint::new(endpoint), chromium: pid, profile })
            }
            None => {
                let status = child.try_wait().ok().flatten();
                let mut server =
                    BrowserServer { child, stdin, endpoint: Endpoint::new(String::new()), chromium: 0, profile };
                server.kill();
                let said = err_rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
                let said = first_line_without_urls(&said);
                let mut detail = String::new();
                if let Some(s) = status {
                    detail.push_str(&format!(" (terminou: {s})"));
                }
                if !said.is_empty() {
                    detail.push_str(&format!(": {said}"));
                }
                Err(BrowserError::NoEndpoint { program, bound: LAUNCH_BOUND.as_secs(), detail })
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the server has exited (it exits when its Chromium does). It is not reaped here,
    /// so its pid, the group id signalled on close, cannot be reused meanwhile.
    pub fn has_exited(&self) -> bool {
        crate::unix::process_group::has_exited(self.child.id())
    }

    /// Closes the browser: asks the server (stdin closed), then kills whatever is left of both
    /// process groups, and removes the profile.
    pub fn close(mut self) {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + CLOSE_BOUND;
        while !self.has_exited() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.kill();
    }

    fn kill(&mut self) {
        crate::unix::process_group::kill_and_wait(self.child.id(), Duration::from_secs(5));
        if self.chromium > 1 {
            crate::unix::process_group::kill_and_wait(self.chromium, Duration::from_secs(5));
        }
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The first line of what a failed server wrote, with any URL cut to its scheme and host (an
/// endpoint must not reach the log even from an error).
fn first_line_without_urls(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let mut out = Vec::new();
    for word in line.split(' ') {
        match word.find("://") {
            Some(at) => {
                let rest = &word[at + 3..];
                let host = rest.split('/').next().unwrap_or_default();
                out.push(format!("{}://{host}", &word[..at]));
            }
            None => out.push(word.to_string()),
        }
    }
    out.join(" ").chars().take(300).collect()
}

/// Closes the browsers a previous run of the service left behind (killed outright, it could not
/// close them: they run in process groups of their own) and removes their profiles. Under
/// systemd `KillMode=mixed` takes them with the service; this covers every other way to run it.
/// A profile belongs to a previous run when the service pid in its name is not alive as rpa-v4.
/// Its server names the profile in its arguments and its Chromium in `--user-data-dir`.
pub fn reap_stale() -> usize {
    let tmp = std::env::temp_dir();
    let Ok(entries) = std::fs::read_dir(&tmp) else { return 0 };
    let mine = std::process::id();
    let stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let owner: u32 = name.strip_prefix(PROFILE_PREFIX)?.split('-').next()?.parse().ok()?;
            let alive = owner == mine
                || std::fs::read(format!("/proc/{owner}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains("rpa-v4"));
            (!alive).then(|| e.path())
        })
        .collect();
    if stale.is_empty() {
        return 0;
    }
    let mut closed = 0;
    for pid in std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
    {
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let cmd = String::from_utf8_lossy(&cmd);
        if cmd.contains("--type=") {
            continue; // a child of a browser: it goes with its browser's group
        }
        let names = |dir: &PathBuf| cmd.split('\0').any(|arg| arg.contains(&*dir.to_string_lossy()));
        if stale.iter().any(names) {
            crate::unix::process_group::kill_and_wait(pid, Duration::from_secs(5));
            closed += 1;
        }
    }
    for dir in stale {
        let _ = std::fs::remove_dir_all(dir);
    }
    closed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_start_says_why_without_an_endpoint() {
        let said = "\n  Error: ws://127.0.0.1:4000/0123456789abcdef falhou em http://x/y\nmais";
        assert_eq!(first_line_without_urls(said), "Error: ws://127.0.0.1:4000 falhou em http://x");
    }
}
