//! The command line: Portuguese help, configuration errors refused up front, `rpa-v4 purge`, and
//! the operator's commands opening an existing database only.

use crate::support::{person, Options, TestApp};
use std::process::Command;

fn rpa(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpa-v4"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("RPA_")) {
        cmd.env_remove(k);
    }
    let out = cmd.args(args).envs(env.iter().copied()).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn help_is_in_portuguese_and_lists_every_variable() {
    let (ok, text) = rpa(&["--help"], &[]);
    assert!(ok);
    assert!(text.contains("Comandos") && text.contains("serve") && text.contains("purge"), "{text}");
    let (ok, text) = rpa(&["serve", "--help"], &[]);
    assert!(ok);
    for var in [
        "RPA_LISTEN",
        "RPA_DB",
        "RPA_SLOTS",
        "RPA_COMMAND",
        "RPA_DATA_DIR",
        "RPA_JOB_TIMEOUT_S",
        "RPA_MAX_ATTEMPTS",
        "RPA_QUEUE_LIMIT",
        "RPA_ALLOWED_ORIGINS",
        "RPA_TRUSTED_PROXIES",
        "RPA_RETENTION_DAYS",
        "RPA_DEFAULTS_FILE",
        "RPA_RATE_LIMIT_PER_MIN",
        "RPA_STATIC_DIR",
        "RPA_WEBHOOKS_FILE",
        "RPA_WEBHOOK_RETRY_S",
        "RPA_WEBHOOK_TIMEOUT_S",
        "RPA_WEBHOOK_CONCURRENCY",
        "RPA_METRICS_LISTEN",
        "RPA_DB_MAX_MB",
    ] {
        assert!(text.contains(var), "{var} missing from serve --help");
    }
    assert!(text.contains("Opções") && text.contains("Quantos robôs"), "{text}");
}

#[test]
fn bad_configuration_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").display().to_string();
    let (ok, text) = rpa(&["serve"], &[("RPA_ALLOWED_ORIGINS", "*"), ("RPA_DB", &db)]);
    assert!(!ok);
    assert!(text.contains("não é permitido"), "{text}");

    let bad = dir.path().join("defaults.json");
    std::fs::write(&bad, r#"{"cpf": "52998224725", "zero_km": false}"#).unwrap();
    let (ok, text) = rpa(
        &["serve"],
        &[("RPA_DEFAULTS_FILE", bad.to_str().unwrap()), ("RPA_DB", &db), ("RPA_LISTEN", "127.0.0.1:0")],
    );
    assert!(!ok);
    assert!(text.contains("respostas padrão") && text.contains("cpf"), "{text}");
    assert!(!text.contains("52998224725"), "the error does not echo personal data");
}

#[test]
fn a_bad_webhooks_file_is_a_start_up_error_that_says_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").display().to_string();
    let file = dir.path().join("webhooks.json");
    let serve = |extra: &[(&str, &str)]| {
        let mut env =
            vec![("RPA_DB", db.as_str()), ("RPA_LISTEN", "127.0.0.1:0"), ("RPA_WEBHOOKS_FILE", file.to_str().unwrap())];
        env.extend_from_slice(extra);
        rpa(&["serve"], &env)
    };
    let (ok, text) = serve(&[]);
    assert!(!ok && text.contains("não foi possível ler RPA_WEBHOOKS_FILE"), "{text}");
    for (content, expected) in [
        ("[{\"url\": ", "não é um JSON válido"),
        (r#"{"url": "https://crm.example/lead"}"#, "deve ser uma lista de endpoints"),
        (
            r#"[{"url": "http://crm.example/lead", "segredo": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]"#,
            "endpoint 1: \"http://crm.example/lead\" usa http",
        ),
        (
            r#"[{"url": "https://crm.example/lead", "segredo": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "eventos": ["lead"]}]"#,
            "evento desconhecido",
        ),
    ] {
        std::fs::write(&file, content).unwrap();
        let (ok, text) = serve(&[]);
        assert!(!ok && text.contains(expected), "{content}: {text}");
        assert!(!text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "the error does not echo the secret: {text}");
    }
    std::fs::write(&file, "[]").unwrap();
    let (ok, text) = serve(&[("RPA_WEBHOOK_RETRY_S", "5,cinco")]);
    assert!(!ok && text.contains("\"cinco\" não é um número de segundos"), "{text}");
    assert!(!std::path::Path::new(&db).exists(), "nothing was created before the configuration was valid");
}

#[test]
fn a_bad_retry_backoff_is_refused_at_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db").display().to_string();
    let (ok, text) = rpa(&["serve", "--help"], &[]);
    assert!(ok && text.contains("RPA_RETRY_BACKOFF_S") && text.contains("[default: 90,300]"), "{text}");
    for (value, expected) in [
        ("30,meio", "\"meio\" não é um número inteiro de segundos entre 0 e 600"),
        ("30,9000", "\"9000\" não é um número inteiro de segundos entre 0 e 600"),
        ("", "informe as esperas em segundos, separadas por vírgula"),
    ] {
        let (ok, text) =
            rpa(&["serve"], &[("RPA_RETRY_BACKOFF_S", value), ("RPA_DB", &db), ("RPA_LISTEN", "127.0.0.1:0")]);
        assert!(!ok && text.contains(expected) && text.contains("--retry-backoff-s"), "{value:?}: {text}");
    }
    assert!(!std::path::Path::new(&db).exists(), "nothing was created before the configuration was valid");
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_removes_personal_data_after_the_retention_and_keeps_the_quote() {
    let mut app = TestApp::spawn(Options::default()).await;
    let old = app.start(&person("SUC0001")).await;
    let recent = app.start(&person("SUC0002")).await;
    app.wait_terminal(&old).await;
    app.wait_terminal(&recent).await;
    app.kill9();
    app.db()
        .execute(
            "UPDATE jobs SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-31 days') WHERE session_id = ?1",
            [&old],
        )
        .unwrap();

    let (db, data) = (app.db_path().display().to_string(), app.data_dir().display().to_string());
    let (ok, text) = rpa(&["purge"], &[("RPA_DB", &db), ("RPA_DATA_DIR", &data), ("RPA_RETENTION_DAYS", "30")]);
    assert!(ok, "{text}");
    assert!(text.contains("1 cotação(ões) anonimizada(s)"), "{text}");

    let row = |sid: &str| -> (Option<String>, Option<String>, Option<String>) {
        app.db()
            .query_row("SELECT cpf, input_json, purged_at FROM jobs WHERE session_id = ?1", [sid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap()
    };
    let (cpf, input, purged) = row(&old);
    assert!(cpf.is_none() && input.is_none() && purged.is_some());
    assert!(!app.data_dir().join(&old).exists(), "its files are gone");
    let (cpf, input, _) = row(&recent);
    assert!(cpf.is_some() && input.is_some(), "recent quotes keep their data");

    let (placa, centavos): (String, i64) = app
        .db()
        .query_row("SELECT placa, premio_recomendado_centavos FROM quotes WHERE session_id = ?1", [&old], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((placa.as_str(), centavos), ("SUC0001", 309_918), "the quote stays, anonymised");
    let dump: String = app
        .db()
        .query_row(
            "SELECT group_concat(coalesce(input_json,'') || coalesce(cpf,'')) FROM jobs WHERE session_id = ?1",
            [&old],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!dump.contains("52998224725"));
}

#[test]
fn the_operators_commands_open_an_existing_database_only_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mistyped = dir.path().join("var/lib/rpa-v4/rpa.db");
    let db = mistyped.display().to_string();
    for args in
        [&["webhooks", "listar"][..], &["webhooks", "reenviar"], &["webhooks", "reenviar", "--sessao", "x"], &["purge"]]
    {
        let (ok, text) = rpa(args, &[("RPA_DB", &db)]);
        assert!(!ok, "{args:?} must fail on a database that does not exist:\n{text}");
        assert!(text.contains("não existe") && text.contains("RPA_DB") && text.contains(&db), "{args:?}: {text}");
        assert!(!dir.path().join("var").exists(), "{args:?} created directories");
    }

    // A file that is not one of the service's databases is refused and left as it was.
    for (name, content) in [("vazio.db", &b""[..]), ("texto.db", b"isto nao e um banco\n")] {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let (ok, text) = rpa(&["webhooks", "listar"], &[("RPA_DB", file.to_str().unwrap())]);
        assert!(!ok && text.contains("não é um banco do rpa-v4"), "{name}: {text}");
        assert_eq!(std::fs::read(&file).unwrap(), content, "{name} was changed");
    }
}
