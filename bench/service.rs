//! Starting the release `rpa-v4 serve` for a benchmark: the one command line the benchmarks share
//! (127.0.0.1 on a free port, the metrics on another, a database and job directory under `root`,
//! the fake robot, the repository's defaults, `RUST_LOG=warn`, no `RPA_*` from the caller's
//! environment), a guard that kills the service when the benchmark ends or panics, and the
//! synthetic visitor they send.

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};

/// `rpa-v4 serve` on `root` (database `root/bench.db`, jobs `root/jobs`), its stderr in
/// `root/log_name`, stdout piped for the "ouvindo" line. Add the benchmark's own settings with
/// `.env(…)` before spawning.
pub fn command(root: &Path, log_name: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
        cmd.env_remove(k);
    }
    cmd.arg("serve")
        .current_dir(root)
        .env("RPA_LISTEN", "127.0.0.1:0")
        .env("RPA_METRICS_LISTEN", "127.0.0.1:0")
        .env("RPA_DB", root.join("bench.db"))
        .env("RPA_DATA_DIR", root.join("jobs"))
        .env("RPA_COMMAND", format!("python3 {}/tests/fake_robot.py", env!("CARGO_MANIFEST_DIR")))
        .env("RPA_DEFAULTS_FILE", format!("{}/config/defaults.json", env!("CARGO_MANIFEST_DIR")))
        .env("RUST_LOG", "warn")
        // The fake robot opens no browser.
        .env("RPA_BROWSER_SHARED", "0")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(root.join(log_name)).expect("the service's log file"));
    cmd
}

/// Spawns `cmd` (from [`command`]) and waits for its address: the guard that stops it, and its
/// base URL (`http://127.0.0.1:PORT`).
#[allow(dead_code)] // each benchmark compiles this file; webhook_delivery starts its own
pub fn start(mut cmd: Command) -> (KillOnDrop, String) {
    use std::io::BufRead;
    let mut child = cmd.spawn().expect("starting rpa-v4");
    let stdout = child.stdout.take().expect("piped stdout");
    let guard = KillOnDrop(child);
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line).expect("the listen line");
    let base = line.trim().strip_prefix("RPA V4 ouvindo em ").expect("listen line").to_string();
    (guard, base)
}

/// Like [`start`], and also the metrics' base URL (`http://127.0.0.1:PORT`, their own port).
#[allow(dead_code)] // only metrics_latency scrapes
pub fn start_with_metrics(mut cmd: Command) -> (KillOnDrop, String, String) {
    use std::io::BufRead;
    let mut child = cmd.spawn().expect("starting rpa-v4");
    let stdout = child.stdout.take().expect("piped stdout");
    let guard = KillOnDrop(child);
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut next = || lines.next().expect("a line").expect("a line");
    let base = next().trim().strip_prefix("RPA V4 ouvindo em ").expect("listen line").to_string();
    let metrics = next().trim().strip_prefix("RPA V4 métricas em ").expect("metrics line").to_string();
    (guard, base, metrics.trim_end_matches("/metrics").to_string())
}

/// Stops (and reaps) the service even if the benchmark panics.
#[allow(dead_code)] // each benchmark compiles this file; webhook_delivery stops its own `Child`
pub struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A valid synthetic request (every field the API requires) for `cpf` and `placa`.
#[allow(dead_code)] // not every benchmark sends quotes
pub fn visitor(cpf: &str, placa: String) -> Value {
    json!({
        "cpf": cpf,
        "nome": "FULANO DE TAL",
        "placa": placa,
        "cep": "01310100",
        "email": "fulano@example.com",
        "telefone": "11987654321",
        "data_nascimento": "15/03/1985",
        "sexo": "Masculino",
        "estado_civil": "Solteiro"
    })
}
