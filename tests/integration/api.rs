//! Contract tests of the HTTP API: every endpoint, validation rule and error status.

use crate::support::{person, Options, TestApp};
use serde_json::{json, Value};

fn jobs(app: &TestApp) -> i64 {
    app.db().query_row("SELECT count(*) FROM jobs", [], |r| r.get(0)).unwrap()
}

/// A service whose robots stay busy, so jobs stay where the test puts them.
async fn slow_app(opts: Options) -> TestApp {
    TestApp::spawn(Options { pause_ms: 2_000, ..opts }).await
}

#[tokio::test(flavor = "multi_thread")]
async fn start_answers_a_session_id_and_the_queue_position() {
    let app = slow_app(Options { slots: 1, ..Default::default() }).await;
    let r = app.post_start(&person("ABC1D23")).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["success"], true);
    let sid = v["session_id"].as_str().unwrap();
    let (prefix, random) = sid.rsplit_once('_').unwrap();
    assert!(prefix.starts_with("rpa_v4_") && prefix.len() == "rpa_v4_20261124_221300".len(), "{sid}");
    assert!(random.len() == 32 && random.chars().all(|c| c.is_ascii_hexdigit()), "{sid}");
    assert_eq!(v["posicao_fila"], 1);
    assert!(v["message"].as_str().unwrap().len() > 5);
    let token = v["token_retomada"].as_str().unwrap().to_string();
    assert!(token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit()), "{token}");

    let mut other = person("XYZ9876");
    other["cpf"] = json!("111.444.777-35");
    let v: Value = app.post_start(&other).await.json().await.unwrap();
    assert!(v["posicao_fila"].as_i64().unwrap() >= 1);

    // The same CPF and plate while the first is alive, with the first answer's token: the same
    // session, no second robot.
    let mut same = person("abc-1d23");
    same["token_retomada"] = json!(token);
    let r = app.post_start(&same).await;
    assert_eq!(r.status(), 200);
    let again: Value = r.json().await.unwrap();
    assert_eq!((again["session_id"].as_str(), again["existente"].as_bool()), (Some(sid), Some(true)));
    // Without it (or with someone else's), nobody learns that session: 409, no id, nothing created.
    for stranger in [None, Some("0123456789abcdef0123456789abcdef"), Some("nao-e-um-token")] {
        let mut body = person("abc-1d23");
        if let Some(t) = stranger {
            body["token_retomada"] = json!(t);
        }
        let r = app.post_start(&body).await;
        assert_eq!(r.status(), 409, "{stranger:?}");
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["success"].as_bool(), v["existente"].as_bool()), (Some(false), Some(true)));
        assert!(v.get("session_id").is_none() && !v.to_string().contains(sid), "{v}");
        assert!(v["error"].as_str().unwrap().contains("Já existe uma cotação em andamento"));
    }
    assert_eq!(jobs(&app), 2);
    let stored: String =
        app.db().query_row("SELECT resume_token_hash FROM jobs WHERE session_id = ?1", [sid], |r| r.get(0)).unwrap();
    assert!(stored.len() == 64 && stored != token, "only the token's hash is stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn masked_input_is_normalised_for_the_robot_and_lead_metadata_kept_apart() {
    let app = slow_app(Options { slots: 1, ..Default::default() }).await;
    let mut body = person("abc-1d23");
    body.as_object_mut().unwrap().remove("telefone");
    body["ddd"] = json!("11");
    body["celular"] = json!("98765-4321");
    body["estado_civil"] = json!("uniao estavel");
    body["combustivel"] = json!("Etanol");
    body["utm_campaign"] = json!("auto-2026");
    body["cpf_titular"] = json!("111.444.777-35");
    body["whatsapp"] = json!("11987654321");
    let sid = app.start(&body).await;
    let (input, lead): (Option<String>, String) = app
        .db()
        .query_row("SELECT input_json, lead_json FROM jobs WHERE session_id = ?1", [&sid], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let input: Value = serde_json::from_str(&input.unwrap()).unwrap();
    assert_eq!(input["cpf"], "52998224725");
    assert_eq!(input["placa"], "ABC1D23");
    assert_eq!(input["cep"], "01310100");
    assert_eq!(input["telefone"], "11987654321");
    assert_eq!(input["estado_civil"], "Casado ou União Estável");
    assert_eq!(input["combustivel"], "Álcool");
    assert_eq!(input["uso_veiculo"], "Pessoal", "from the defaults file");
    assert!(input.get("gclid").is_none() && input.get("utm_campaign").is_none());
    let lead: Value = serde_json::from_str(&lead).unwrap();
    assert_eq!(
        lead,
        json!({"gclid": "teste-gclid", "utm_source": "google", "utm_campaign": "auto-2026"}),
        "only marketing keys are kept: personal data slipped into other keys is dropped"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_validation_rule_answers_422_with_one_message_per_field_and_creates_nothing() {
    let app = TestApp::spawn(Options::default()).await;
    let next_year = chrono::Utc::now().format("%Y").to_string().parse::<i64>().unwrap() + 1;
    let cases: Vec<(&str, Value)> = vec![
        ("cpf", json!("529.982.247-24")),
        ("cpf", json!("111.111.111-11")),
        ("cpf", json!(null)),
        ("nome", json!("F")),
        ("nome", json!("X".repeat(101))),
        ("placa", json!("AB-12345")),
        ("placa", json!("ABC12D3")),
        ("cep", json!("0131-010")),
        ("email", json!("fulano@")),
        ("telefone", json!("98765-4321")),
        ("ano", json!(1949)),
        ("ano", json!(next_year + 1)),
        ("data_nascimento", json!("31/02/1985")),
        ("data_nascimento", json!("01/01/2999")),
        ("sexo", json!("X")),
        ("estado_civil", json!("Enrolado")),
        ("tipo_veiculo", json!("caminhao")),
        ("combustivel", json!("Agua")),
        ("uso_veiculo", json!("Corrida")),
        ("garagem_residencia", json!("talvez")),
        ("reside_18_26", json!("Talvez")),
        ("veiculo_segurado", json!(true)),
        ("marca", json!("M".repeat(61))),
    ];
    for (campo, bad) in &cases {
        let mut body = person("ABC1D23");
        body[*campo] = bad.clone();
        let r = app.post_start(&body).await;
        assert_eq!(r.status(), 422, "{campo} = {bad}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["success"], false);
        assert!(v["error"].as_str().unwrap().contains("inválidos"));
        let erros = v["erros"].as_array().unwrap();
        assert_eq!(erros.len(), 1, "{campo} = {bad}: {v}");
        assert_eq!(erros[0]["campo"], *campo);
        let msg = erros[0]["mensagem"].as_str().unwrap();
        assert!(msg.len() > 10 && !msg.contains(&bad.to_string()), "{campo}: {msg}");
    }
    // Several problems at once: all listed.
    let r = app.post_start(&json!({"cpf": "1", "placa": "?"})).await;
    let v: Value = r.json().await.unwrap();
    let campos: Vec<&str> = v["erros"].as_array().unwrap().iter().map(|e| e["campo"].as_str().unwrap()).collect();
    assert_eq!(
        campos,
        vec!["cpf", "nome", "placa", "cep", "email", "telefone", "data_nascimento", "sexo", "estado_civil"]
    );
    // Not the main driver: the driver's data becomes required.
    let mut body = person("ABC1D23");
    body["condutor_principal"] = json!(false);
    let v: Value = app.post_start(&body).await.json().await.unwrap();
    assert_eq!(v["erros"].as_array().unwrap().len(), 5, "{v}");
    assert_eq!(jobs(&app), 0, "no job was created by any invalid request");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_form_without_birth_date_sexo_or_estado_civil_is_named_in_one_422_with_the_other_mistakes() {
    let app = TestApp::spawn(Options::default()).await;
    let mut body = person("ABC1D23");
    for key in ["data_nascimento", "sexo"] {
        body.as_object_mut().unwrap().remove(key);
    }
    body["estado_civil"] = json!("");
    body["cep"] = json!("0131");
    let r = app.post_start(&body).await;
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let erros: Vec<(&str, &str)> = v["erros"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["campo"].as_str().unwrap(), e["mensagem"].as_str().unwrap()))
        .collect();
    assert_eq!(
        erros,
        [
            ("cep", "CEP inválido: informe os 8 dígitos."),
            ("data_nascimento", "Campo obrigatório: informe a data de nascimento."),
            ("sexo", "Campo obrigatório: informe o sexo."),
            ("estado_civil", "Campo obrigatório: informe o estado civil."),
        ]
    );
    assert_eq!(jobs(&app), 0, "no job, no robot: the answer came from the API alone");
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_oversized_and_non_json_bodies_are_refused() {
    let app = TestApp::spawn(Options::default()).await;
    let url = format!("{}/api/rpa/start", app.base);
    let post = |ct: &'static str, body: Vec<u8>| app.client.post(&url).header("content-type", ct).body(body).send();

    let r = post("application/json", b"{\"cpf\": ".to_vec()).await.unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["success"], false);
    assert!(v["error"].as_str().unwrap().contains("JSON"));
    assert_eq!(post("application/json", b"[1,2]".to_vec()).await.unwrap().status(), 400);

    let big = serde_json::to_vec(&json!({"cpf": "52998224725", "x": "a".repeat(17 * 1024)})).unwrap();
    let r = post("application/json", big).await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>().await.unwrap()["success"], false);

    let r = post("text/plain", serde_json::to_vec(&person("ABC1D23")).unwrap()).await.unwrap();
    assert_eq!(r.status(), 415);
    let r = post("application/x-www-form-urlencoded", b"cpf=52998224725".to_vec()).await.unwrap();
    assert_eq!(r.status(), 415);
    assert_eq!(jobs(&app), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rate_limit_answers_429_and_trusts_forwarding_headers_only_from_trusted_proxies() {
    let opts = Options {
        rate_limit_per_min: 2,
        extra_env: vec![("RPA_TRUSTED_PROXIES".into(), "127.0.0.1".into())],
        ..Default::default()
    };
    let app = slow_app(Options { slots: 1, ..opts }).await;
    let url = format!("{}/api/rpa/start", app.base);
    let send = |ip: &'static str, body: Value| app.client.post(&url).header("x-forwarded-for", ip).json(&body).send();
    assert_eq!(send("203.0.113.1", json!({})).await.unwrap().status(), 422);
    assert_eq!(send("203.0.113.1", json!({})).await.unwrap().status(), 422);
    let r = send("203.0.113.1", person("ABC1D23")).await.unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(r.json::<Value>().await.unwrap()["success"], false);
    // Another visitor behind the same proxy has its own budget.
    assert_eq!(send("203.0.113.2", person("ABC1D23")).await.unwrap().status(), 200);
    assert_eq!(jobs(&app), 1);

    // Without trust, the header is ignored: every request counts against the peer.
    let app = TestApp::spawn(Options { rate_limit_per_min: 1, ..Default::default() }).await;
    let url = format!("{}/api/rpa/start", app.base);
    let send = |ip: &'static str| app.client.post(&url).header("x-forwarded-for", ip).json(&json!({})).send();
    assert_eq!(send("203.0.113.1").await.unwrap().status(), 422);
    assert_eq!(send("203.0.113.9").await.unwrap().status(), 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_queue_answers_503_with_retry_after() {
    let app = slow_app(Options { slots: 1, queue_limit: 2, ..Default::default() }).await;
    let first = app.start(&person("AAA1111")).await;
    app.wait_until(&first, "running", |p| p["status"] == "running").await;
    let mut waiting = Vec::new();
    for placa in ["AAA2222", "AAA3333"] {
        waiting.push(app.start(&person(placa)).await);
    }
    let (_, p) = app.progress(&waiting[1]).await;
    assert_eq!((p["progress"]["status"].as_str(), p["progress"]["posicao_fila"].as_i64()), (Some("waiting"), Some(2)));
    assert_eq!(p["progress"]["percentual"], 0.0);
    let r = app.post_start(&person("AAA4444")).await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(r.json::<Value>().await.unwrap()["success"], false);
    assert_eq!(jobs(&app), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_of_an_unknown_or_malformed_session_is_404() {
    let app = TestApp::spawn(Options::default()).await;
    for id in ["rpa_v4_20261124_221300_0123456789abcdef0123456789abcdef", "nao-existe", "..%2F..%2Fetc"] {
        let (status, v) = app.progress(id).await;
        assert_eq!(status, 404, "{id}");
        assert_eq!(v["success"], false);
        assert_eq!(v["error"], "Sessão não encontrada.");
    }
    let r = app.client.get(format!("{}/api/rpa/nada", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["success"], false);
    let r = app.client.get(format!("{}/api/rpa/start", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 405);
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_tells_how_long_a_quote_typically_takes_here() {
    let app = TestApp::spawn(Options { slots: 1, pause_ms: 200, ..Default::default() }).await;
    let first = app.start(&person("AAA1111")).await;
    let seen = app.wait_until(&first, "running", |p| p["status"] == "running").await;
    assert!(seen.last().unwrap()["progress"]["duracao_tipica_s"].is_null(), "no quote has finished yet");
    let second = app.start(&person("BBB2222")).await;
    let (_, v) = app.progress(&second).await;
    assert_eq!(v["progress"]["status"], "waiting");
    assert!(v["progress"]["duracao_tipica_s"].is_null());

    let done = app.wait_terminal(&first).await;
    assert_eq!(done["status"], "success");
    assert!(done["duracao_tipica_s"].is_null(), "only while waiting or running");
    let took: i64 = app
        .db()
        .query_row(
            "SELECT CAST(max(1, round((julianday(finished_at) - julianday(started_at)) * 86400)) AS INTEGER) FROM attempts WHERE outcome = 'success'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let seen = app.wait_until(&second, "running", |p| p["status"] == "running").await;
    assert_eq!(seen.last().unwrap()["progress"]["duracao_tipica_s"], took);
    app.wait_terminal(&second).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_queue_runners_load_and_database() {
    let app = slow_app(Options { slots: 2, ..Default::default() }).await;
    let sid = app.start(&person("AAA1111")).await;
    app.wait_until(&sid, "running", |p| p["status"] == "running").await;
    let r = app.client.get(format!("{}/api/rpa/health", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "healthy");
    assert_eq!(v["database"], "ok");
    assert_eq!(v["runners"], json!({"total": 2, "busy": 1}));
    assert_eq!((v["active_sessions"].as_i64(), v["queued_sessions"].as_i64()), (Some(1), Some(0)));
    assert!(v["system_load"]["1m"].is_number());
    assert!(v["timestamp"].as_str().unwrap().contains('T'));
}

#[tokio::test(flavor = "multi_thread")]
async fn health_is_503_while_the_database_is_broken_and_recovers_with_it() {
    let app = TestApp::spawn(Options::default()).await;
    let health = || async {
        let r = app.client.get(format!("{}/api/rpa/health", app.base)).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(health().await.0, 200);
    // An operator's mistake from outside the service: the jobs table disappears.
    app.db().execute_batch("ALTER TABLE jobs RENAME TO jobs_fora_do_lugar").unwrap();
    let (status, v) = health().await;
    assert_eq!(status, 503);
    assert_eq!(v["status"], "unhealthy");
    assert_eq!(v["database"], "erro");
    assert!(v["active_sessions"].is_null() && v["runners"]["busy"].is_null());
    assert_eq!(v["runners"]["total"], 4);
    assert!(!v.to_string().contains("jobs_fora_do_lugar"), "the SQLite error stays in the log: {v}");
    // Put back, the same process answers healthy again and still runs quotes.
    app.db().execute_batch("ALTER TABLE jobs_fora_do_lugar RENAME TO jobs").unwrap();
    let (status, v) = health().await;
    assert_eq!((status, v["status"].as_str()), (200, Some("healthy")));
    let sid = app.start(&person("AAA1111")).await;
    assert_eq!(app.wait_terminal(&sid).await["status"], "success");
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_allows_only_the_listed_origins() {
    let app = TestApp::spawn(Options::default()).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/api/rpa/start", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = preflight("https://www.segurosimediato.com.br").await.unwrap();
    assert_eq!(ok.headers()["access-control-allow-origin"], "https://www.segurosimediato.com.br");
    let denied = preflight("https://evil.example.com").await.unwrap();
    assert!(denied.headers().get("access-control-allow-origin").is_none());
    let r = app
        .client
        .get(format!("{}/api/rpa/health", app.base))
        .header("origin", "https://www.segurosimediato.com.br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "https://www.segurosimediato.com.br");
}

#[tokio::test(flavor = "multi_thread")]
async fn static_files_are_served_and_the_root_redirects_to_the_demo() {
    let app = TestApp::spawn(Options::default()).await;
    std::fs::create_dir_all(app.root.path().join("static")).unwrap();
    std::fs::write(app.root.path().join("static/demo.html"), "<h1>demo</h1>").unwrap();
    let r = app.client.get(format!("{}/static/demo.html", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(r.text().await.unwrap(), "<h1>demo</h1>");
    // Only regular files inside the directory: no links out of it, no dotfiles, no leftovers.
    let dir = app.root.path().join("static");
    std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd")).unwrap();
    std::os::unix::fs::symlink("/etc", dir.join("etc")).unwrap();
    std::fs::write(dir.join(".env"), "RPA_PORTAL_SENHA=x").unwrap();
    std::fs::write(dir.join("demo.html~"), "old").unwrap();
    for path in ["passwd", "etc/passwd", ".env", "demo.html~", "%2e%2e/rpa.db", "..%2Frpa.db", "nada.js"] {
        let r = app.client.get(format!("{}/static/{path}", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
        let body = r.text().await.unwrap();
        assert!(!body.contains("root:") && !body.contains("SENHA"), "{path}: {body}");
    }
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/static/demo.html");
}
