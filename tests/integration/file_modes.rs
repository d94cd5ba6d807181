//! The files that hold personal data are owner-only whatever the umask: the database and its
//! `-wal`/`-shm` 0600, its directory and the job directories 0700; an existing database that
//! other users can read is named in a warning at start.

use crate::support::{person, Options, TestApp};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

/// Starts `rpa-v4 serve` with umask 000 on `root`; returns the child once it listens.
fn serve_with_open_umask(root: &Path) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
        cmd.env_remove(k);
    }
    cmd.arg("serve")
        .current_dir(root)
        .env("RPA_LISTEN", "127.0.0.1:0")
        .env("RPA_METRICS_LISTEN", "127.0.0.1:0")
        .env("RPA_DB", root.join("data/rpa.db"))
        .env("RPA_DATA_DIR", root.join("data/jobs"))
        .env("RPA_DEFAULTS_FILE", format!("{}/config/defaults.json", env!("CARGO_MANIFEST_DIR")))
        .env("RPA_COMMAND", crate::support::fake_robot())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(root.join("service.log")).unwrap());
    unsafe {
        cmd.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.contains("ouvindo"), "{line}");
    child
}

#[test]
fn a_new_database_and_its_directories_are_owner_only_whatever_the_umask() {
    let root = tempfile::tempdir().unwrap();
    let mut child = serve_with_open_umask(root.path());
    let data = root.path().join("data");
    let modes = [
        ("data/", mode(&data)),
        ("data/jobs/", mode(&data.join("jobs"))),
        ("rpa.db", mode(&data.join("rpa.db"))),
        ("rpa.db-wal", mode(&data.join("rpa.db-wal"))),
        ("rpa.db-shm", mode(&data.join("rpa.db-shm"))),
    ];
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        modes,
        [("data/", 0o700), ("data/jobs/", 0o700), ("rpa.db", 0o600), ("rpa.db-wal", 0o600), ("rpa.db-shm", 0o600)]
    );
    let log = std::fs::read_to_string(root.path().join("service.log")).unwrap();
    assert!(!log.contains("outros usuários"), "no warning for a database of its own: {log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_database_others_can_read_is_named_in_a_warning() {
    let mut app = TestApp::spawn(Options::default()).await;
    let sid = app.start(&person("ABC1D23")).await;
    app.wait_terminal(&sid).await;
    assert!(app.terminate(Duration::from_secs(30)));
    assert_eq!(mode(&app.data_dir().join(&sid)), 0o700, "a job's directory");
    std::fs::set_permissions(app.db_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    app.launch();
    let log = app.service_log();
    assert!(log.contains("pode ser lido por outros usuários do servidor: use chmod 600"), "{log}");
    assert!(log.contains("rpa.db"), "{log}");
}
