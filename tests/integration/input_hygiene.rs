//! Text a visitor could not have typed is refused with a 422 that names the field, and nothing is
//! created: names without real letters, invisible or control characters in any field, the same
//! key twice (as it is or in different cases). A CPF hidden in a kept marketing field is masked,
//! in whatever script its digits are written.

use crate::support::{person, Options, TestApp};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn invisible_text_and_ambiguous_keys_answer_422_and_create_nothing() {
    let app = TestApp::spawn(Options::default()).await;
    let with = |key: &str, value: Value| {
        let mut b = person("ABC1D23");
        b[key] = value;
        b
    };
    let mut twice = person("ABC1D23");
    twice["CPF"] = json!("111.444.777-35");
    let cases: Vec<(&str, Value)> = vec![
        ("nome", with("nome", json!("\u{3164}\u{3164}\u{3164}"))),
        ("nome", with("nome", json!("-A"))),
        ("nome", with("nome", json!("FULANO\u{200B} DE TAL"))),
        ("marca", with("marca", json!("NISSAN\u{202E}"))),
        ("email", with("email", json!("fulano@example.com\u{0000}"))),
        ("cpf", twice),
    ];
    for (campo, body) in cases {
        let r = app.post_start(&body).await;
        assert_eq!(r.status(), 422, "{campo}: {body}");
        let v: Value = r.json().await.unwrap();
        let erros = v["erros"].as_array().unwrap();
        assert!(
            erros.iter().any(|e| e["campo"] == campo && !e["mensagem"].as_str().unwrap().is_empty()),
            "{campo}: {v}"
        );
    }
    let jobs: i64 = app.scalar("SELECT count(*) FROM jobs");
    let events: i64 = app.scalar("SELECT count(*) FROM events WHERE type NOT LIKE 'alerta.%'");
    assert_eq!((jobs, events), (0, 0));
    // The same name in decomposed form is the same name, stored composed.
    let sid = app.start(&with("nome", json!("Jose\u{301} de Tal"))).await;
    let nome: String =
        app.scalar(&format!("SELECT json_extract(input_json, '$.nome') FROM jobs WHERE session_id = '{sid}'"));
    assert_eq!(nome, "José de Tal");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_key_sent_twice_answers_422_and_creates_nothing() {
    let app = TestApp::spawn(Options::default()).await;
    let body = person("ABC1D23").to_string();
    let open = &body[..body.len() - 1];
    for (campo, extra) in [
        ("cpf", r#","cpf":"111.444.777-35""#),
        ("placa", r#","placa":"XYZ9876""#),
        ("utm_source", r#","utm_source":"outra""#),
        ("token_retomada", r#","token_retomada":"a","token_retomada":"b""#),
    ] {
        let r = app
            .client
            .post(format!("{}/api/rpa/start", app.base))
            .header("content-type", "application/json")
            .body(format!("{open}{extra}}}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{campo}");
        let v: Value = r.json().await.unwrap();
        let erro = v["erros"].as_array().unwrap().iter().find(|e| e["campo"] == campo).cloned();
        assert!(
            erro.is_some_and(|e| e["mensagem"].as_str().unwrap().contains("enviado mais de uma vez")),
            "{campo}: {v}"
        );
    }
    let jobs: i64 = app.scalar("SELECT count(*) FROM jobs");
    let events: i64 = app.scalar("SELECT count(*) FROM events WHERE type NOT LIKE 'alerta.%'");
    assert_eq!((jobs, events), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cpf_in_the_digits_of_any_script_inside_a_kept_field_is_masked() {
    let app = TestApp::spawn(Options::default()).await;
    let written =
        [("utm_source", "٥٢٩٩٨٢٢٤٧٢٥"), ("utm_campaign", "５２９.９８２.２４７-２５"), ("gclid", "५२९९८२२४७२५")];
    let mut body = person("ABC1D23");
    for (k, cpf) in written {
        body[k] = json!(format!("cpf {cpf}"));
    }
    let sid = app.start(&body).await;
    let lead: String = app.scalar(&format!("SELECT lead_json FROM jobs WHERE session_id = '{sid}'"));
    let event: String =
        app.scalar(&format!("SELECT data_json FROM events WHERE session_id = '{sid}' AND type = 'lead.recebido'"));
    for stored in [&lead, &event] {
        for (k, cpf) in written {
            assert!(!stored.contains(cpf), "{k} kept the CPF: {stored}");
        }
        assert_eq!(stored.matches("cpf ***.***.***-25").count(), 3, "{stored}");
    }
}
