//! Text a visitor could not have typed is refused with a 422 that names the field, and nothing is
//! created: names without real letters, invisible or control characters in any field, the same
//! key twice in different cases.

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
