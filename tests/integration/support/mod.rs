//! Test support: starts the real `rpa-v4` binary on a free 127.0.0.1 port with a temporary
//! database and the fake robot, and offers the HTTP calls and waits the tests share.

pub mod receiver;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Knobs of one service under test.
#[derive(Clone, Debug)]
pub struct Options {
    pub slots: u16,
    pub job_timeout_s: f64,
    pub kill_grace_s: f64,
    pub max_attempts: u32,
    /// `RPA_RETRY_BACKOFF_S`: no wait before a retry unless a test asks for one.
    pub retry_backoff_s: String,
    pub pause_ms: u64,
    pub queue_limit: u32,
    pub rate_limit_per_min: u32,
    pub shutdown_grace_s: f64,
    pub command: Option<String>,
    pub extra_env: Vec<(String, String)>,
    /// A database file copied into place before the first start (an operator's existing data).
    pub seed_db: Option<PathBuf>,
    /// The content of `RPA_WEBHOOKS_FILE`, written (mode 0600) before the first start.
    pub webhooks: Option<Value>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            slots: 4,
            job_timeout_s: 60.0,
            kill_grace_s: 1.0,
            max_attempts: 2,
            retry_backoff_s: "0".into(),
            pause_ms: 10,
            queue_limit: 200,
            rate_limit_per_min: 0,
            shutdown_grace_s: 1.0,
            command: None,
            extra_env: Vec::new(),
            seed_db: None,
            webhooks: None,
        }
    }
}

/// Generous bound for waits: the machine is small and shared.
pub const WAIT: Duration = Duration::from_secs(90);

pub struct TestApp {
    pub base: String,
    /// Where `GET /metrics` is served (`RPA_METRICS_LISTEN`, a free port of its own); empty when
    /// a test turns the metrics off.
    pub metrics_base: String,
    pub root: tempfile::TempDir,
    pub opts: Options,
    pub client: reqwest::Client,
    child: Option<Child>,
    runs: u32,
}

/// The robot's browser server, from the repository's virtualenv (scripts/setup.sh).
pub fn browser_server() -> String {
    let repo = env!("CARGO_MANIFEST_DIR");
    format!("{repo}/.venv/bin/python {repo}/rpa/browser_server.py")
}

pub fn fake_robot() -> String {
    format!("python3 {}/tests/fake_robot.py", env!("CARGO_MANIFEST_DIR"))
}

impl TestApp {
    pub async fn spawn(opts: Options) -> TestApp {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join("robot-state")).unwrap();
        if let Some(seed) = &opts.seed_db {
            std::fs::copy(seed, root.path().join("rpa.db")).expect("copying the seed database");
        }
        if let Some(hooks) = &opts.webhooks {
            use std::os::unix::fs::OpenOptionsExt;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(root.path().join("webhooks.json"))
                .unwrap();
            std::io::Write::write_all(&mut f, hooks.to_string().as_bytes()).unwrap();
        }
        let mut app = TestApp {
            base: String::new(),
            metrics_base: String::new(),
            root,
            opts,
            client: reqwest::Client::new(),
            child: None,
            runs: 0,
        };
        app.launch();
        app
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.path().join("rpa.db")
    }
    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("jobs")
    }
    pub fn state_dir(&self) -> PathBuf {
        self.root.path().join("robot-state")
    }
    pub fn service_log_path(&self, run: u32) -> PathBuf {
        self.root.path().join(format!("service-{run}.log"))
    }

    /// The environment `rpa-v4 serve` runs with.
    pub fn env(&self) -> Vec<(String, String)> {
        let o = &self.opts;
        let mut env = vec![
            ("RPA_LISTEN", "127.0.0.1:0".to_string()),
            ("RPA_METRICS_LISTEN", "127.0.0.1:0".to_string()),
            ("RPA_DB", self.db_path().display().to_string()),
            ("RPA_DATA_DIR", self.data_dir().display().to_string()),
            ("RPA_SLOTS", o.slots.to_string()),
            ("RPA_COMMAND", o.command.clone().unwrap_or_else(fake_robot)),
            ("RPA_JOB_TIMEOUT_S", o.job_timeout_s.to_string()),
            ("RPA_KILL_GRACE_S", o.kill_grace_s.to_string()),
            ("RPA_MAX_ATTEMPTS", o.max_attempts.to_string()),
            ("RPA_RETRY_BACKOFF_S", o.retry_backoff_s.clone()),
            ("RPA_QUEUE_LIMIT", o.queue_limit.to_string()),
            ("RPA_RATE_LIMIT_PER_MIN", o.rate_limit_per_min.to_string()),
            ("RPA_SHUTDOWN_GRACE_S", o.shutdown_grace_s.to_string()),
            ("RPA_DEFAULTS_FILE", format!("{}/config/defaults.json", env!("CARGO_MANIFEST_DIR"))),
            ("RPA_PORTAL_FINGERPRINTS_FILE", format!("{}/config/portal_fingerprints.json", env!("CARGO_MANIFEST_DIR"))),
            // The fake robot reaches no portal; this one is not the real portal, whose screens are
            // known in advance (a test that wants them sets the real portal's address).
            ("RPA_PORTAL_URL", "http://127.0.0.1:9/imediatosolucoes".to_string()),
            ("RPA_STATIC_DIR", self.root.path().join("static").display().to_string()),
            ("RPA_ALLOWED_ORIGINS", "https://www.segurosimediato.com.br".to_string()),
            ("FAKE_ROBOT_STATE_DIR", self.state_dir().display().to_string()),
            ("FAKE_ROBOT_PAUSE_MS", o.pause_ms.to_string()),
            ("RUST_LOG", "info".to_string()),
            // The fake robot opens no browser: no shared Chromium unless a test asks for one.
            ("RPA_BROWSER_SHARED", "0".to_string()),
            ("RPA_BROWSER_COMMAND", browser_server()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect::<Vec<_>>();
        if o.webhooks.is_some() {
            env.push(("RPA_WEBHOOKS_FILE".into(), self.root.path().join("webhooks.json").display().to_string()));
        }
        env.extend(o.extra_env.iter().cloned());
        env
    }

    /// Starts the service (again) on the same database and waits for its address.
    pub fn launch(&mut self) {
        self.runs += 1;
        let log = std::fs::File::create(self.service_log_path(self.runs)).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
        cmd.arg("serve").current_dir(self.root.path());
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
            cmd.env_remove(k);
        }
        cmd.envs(self.env()).stdout(Stdio::piped()).stderr(Stdio::from(log));
        let mut child = cmd.spawn().expect("starting rpa-v4");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(line)) = lines.next() {
                if let Some(addr) = line.strip_prefix("RPA V4 ouvindo em ") {
                    let _ = tx.send(addr.trim().to_string());
                }
                if let Some(url) = line.strip_prefix("RPA V4 métricas em ") {
                    let _ = tx.send(url.trim().trim_end_matches("/metrics").to_string());
                }
            }
        });
        let log = self.service_log_path(self.runs);
        let started = |what: &str| {
            rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
                panic!("the service did not start ({what}): {}", std::fs::read_to_string(&log).unwrap_or_default())
            })
        };
        let metrics_off = self.env().iter().any(|(k, v)| k == "RPA_METRICS_LISTEN" && v == "desligado");
        self.base = started("API");
        self.metrics_base = if metrics_off { String::new() } else { started("metrics") };
        self.child = Some(child);
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// `kill -9` of the service (its robots, in their own groups, survive it).
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait (bounded) for the service to exit; returns its exit success.
    pub fn terminate(&mut self, bound: Duration) -> bool {
        let mut c = self.child.take().expect("running");
        unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + bound;
        loop {
            if let Some(status) = c.try_wait().unwrap() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = c.kill();
                let _ = c.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub async fn post_start(&self, body: &Value) -> reqwest::Response {
        self.client.post(format!("{}/api/rpa/start", self.base)).json(body).send().await.expect("POST start")
    }

    /// Starts a quote and returns its session id.
    pub async fn start(&self, body: &Value) -> String {
        let r = self.post_start(body).await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["session_id"].as_str().unwrap().to_string()
    }

    pub async fn progress(&self, session: &str) -> (u16, Value) {
        let r =
            self.client.get(format!("{}/api/rpa/progress/{session}", self.base)).send().await.expect("GET progress");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Polls progress until `pred` holds (bounded); returns every response seen, last one last.
    pub async fn wait_until(&self, session: &str, what: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            let (status, v) = self.progress(session).await;
            assert_eq!(status, 200, "{v}");
            let done = pred(&v["progress"]);
            seen.push(v);
            if done {
                return seen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: {}", seen.last().unwrap());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the job is success or error; returns its last `progress` object.
    pub async fn wait_terminal(&self, session: &str) -> Value {
        let seen =
            self.wait_until(session, "a terminal status", |p| p["status"] == "success" || p["status"] == "error").await;
        seen.last().unwrap()["progress"].clone()
    }

    pub async fn health(&self) -> (u16, Value) {
        let r = self.client.get(format!("{}/api/rpa/health", self.base)).send().await.expect("GET health");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Runs `rpa-v4 ARGS` on this service's database and configuration; (success, stdout + stderr).
    pub fn cli(&self, args: &[&str]) -> (bool, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
            cmd.env_remove(k);
        }
        let out = cmd.args(args).envs(self.env()).current_dir(self.root.path()).output().expect("running rpa-v4");
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    }

    /// One value of the database.
    pub fn scalar<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Waits (bounded) until the SQL `condition` holds in the database (NULL counts as false).
    pub async fn wait_db(&self, what: &str, condition: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.scalar::<bool>(&format!("SELECT coalesce(({condition}), 0)")) {
            assert!(Instant::now() < deadline, "timed out waiting for {what} ({condition})");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (bounded) until every event has its deliveries and every delivery was delivered.
    pub async fn wait_all_delivered(&self) {
        self.wait_db(
            "every event delivered",
            "(SELECT count(*) FROM events WHERE fanned_out = 0) + (SELECT count(*) FROM deliveries WHERE status <> 'entregue') = 0",
        )
        .await;
    }

    pub fn db(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(self.db_path()).unwrap();
        c.busy_timeout(Duration::from_secs(10)).unwrap();
        c
    }

    pub fn attempts(&self, session: &str) -> u32 {
        self.db().query_row("SELECT attempts FROM jobs WHERE session_id = ?1", [session], |r| r.get(0)).unwrap()
    }

    /// Everything the service logged so far, over all its runs.
    pub fn service_log(&self) -> String {
        (1..=self.runs).map(|r| std::fs::read_to_string(self.service_log_path(r)).unwrap_or_default()).collect()
    }

    /// The masked per-job robot log.
    pub fn robot_log(&self, session: &str) -> String {
        std::fs::read_to_string(self.data_dir().join(session).join("robo.log")).unwrap_or_default()
    }

    /// Pids of every robot started so far (as the robots recorded them).
    pub fn robot_pids(&self) -> Vec<u32> {
        read_pairs(&self.state_dir().join("pids.txt")).into_iter().map(|(p, _)| p).collect()
    }

    /// The running service's shared browsers: Chromium main processes whose profile is named
    /// after its pid. A child Chromium just forked carries its parent's command line until its
    /// exec, so a match whose parent also matches is not a browser.
    pub fn browser_pids(&self) -> Vec<u32> {
        let marker = format!("rpa-v4-navegador-{}-", self.pid());
        let matching: Vec<u32> = std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                let cmd = String::from_utf8_lossy(&cmd);
                cmd.contains(&marker) && cmd.contains("--remote-debugging-pipe") && !cmd.contains("--type=")
            })
            .collect();
        matching.iter().copied().filter(|pid| !parent_of(*pid).is_some_and(|p| matching.contains(&p))).collect()
    }

    pub fn robot_state(&self, name: &str) -> String {
        std::fs::read_to_string(self.state_dir().join(name)).unwrap_or_default()
    }
}

pub use rpa_v4::unix::process_group::parent_of;

fn read_pairs(path: &Path) -> Vec<(u32, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (a, b) = l.split_once(' ')?;
            Some((a.parse().ok()?, b.to_string()))
        })
        .collect()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Killed outright, the service cannot close its shared browser (its own process group).
        let browsers = if self.child.is_some() { self.browser_pids() } else { Vec::new() };
        self.kill9();
        for pid in browsers {
            unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        }
        for pid in self.robot_pids() {
            unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        }
        for (_, child) in read_pairs(&self.state_dir().join("hang_pids.txt")) {
            if let Ok(pid) = child.parse::<i32>() {
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
    }
}

/// Whether `pid` is alive (a zombie is not).
pub use rpa_v4::unix::process_group::is_alive as alive;

/// Waits (bounded) until none of `pids` is alive.
pub async fn wait_dead(pids: &[u32]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while pids.iter().any(|p| alive(*p)) {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

/// Checks each progress answer against docs/contract/progress.schema.json with the contract's
/// own validator (`rpa/tests/contract_files.py`, jsonschema in the repository's virtualenv, which
/// scripts/setup.sh installs).
pub fn assert_progress_contract(answers: &[Value]) {
    use std::io::Write;
    let repo = env!("CARGO_MANIFEST_DIR");
    let script =
        "import json, sys\nsys.path.insert(0, sys.argv[1])\nfrom contract_files import check_progress_answer\n\
                  for line in sys.stdin:\n    check_progress_answer(json.loads(line))\n";
    let mut child = Command::new(format!("{repo}/.venv/bin/python"))
        .args(["-c", script, &format!("{repo}/rpa/tests")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the repository's virtualenv (.venv, scripts/setup.sh)");
    let mut stdin = child.stdin.take().unwrap();
    for a in answers {
        writeln!(stdin, "{a}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "a progress answer is not the contract's: {}", String::from_utf8_lossy(&out.stderr));
}

/// A synthetic visitor (valid CPF test number, FULANO DE TAL) quoting `placa`.
pub fn person(placa: &str) -> Value {
    json!({
        "cpf": "529.982.247-25",
        "nome": "FULANO DE TAL",
        "placa": placa,
        "cep": "01310-100",
        "email": "fulano@example.com",
        "telefone": "(11) 98765-4321",
        "data_nascimento": "15/03/1985",
        "sexo": "Masculino",
        "estado_civil": "Casado",
        "marca": "NISSAN",
        "modelo": "KICKS SL CVT",
        "ano": 2017,
        "gclid": "teste-gclid",
        "utm_source": "google"
    })
}

/// Personal data of [`person`] that must never show up where the public or the logs see it.
pub const SECRETS: &[&str] = &[
    "52998224725",
    "529.982.247-25",
    "FULANO",
    "fulano@example.com",
    "98765-4321",
    "11987654321",
    "15/03/1985",
    // Not the job's own: a phone number the fake robot prints as a third party's contact.
    "91234-5678",
];

pub fn assert_no_secrets(what: &str, text: &str) {
    let upper = text.to_uppercase();
    for s in SECRETS {
        assert!(!upper.contains(&s.to_uppercase()), "{what} carries personal data ({s}):\n{text}");
    }
}
