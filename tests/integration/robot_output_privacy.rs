//! Robot output that escapes a naive masker: a robot (tests/leaky_robot.py) writes
//! the person's data in other shapes — CPF with spaces or a lone hyphen, the name with an NBSP or
//! tabs, the phone with spaces or +55, the ISO birth date — to stdout/stderr and into every free
//! field of its snapshots, including keys the contract does not know. None of it may reach the
//! progress response (while running or after), the service log or robo.log; the allow-listed
//! estimate, plans and non-personal messages still arrive.

use crate::support::{assert_no_secrets, person, Options, TestApp};
use serde_json::{json, Value};

fn leaky_robot() -> String {
    format!("python3 {}/tests/leaky_robot.py", env!("CARGO_MANIFEST_DIR"))
}

/// Digit sequences of `person()`'s data: CPF, phone without its DDD (so also with DDD or +55),
/// birth date in both orders.
const DIGITS: &[&str] = &["52998224725", "987654321", "19850315", "15031985"];

/// Every piece of `person()`'s data found in `text`, whatever its shape: separators between the
/// digits are ignored, and so are letter case and the kind of whitespace between words (also
/// escaped, as JSON and printed reprs write it).
fn personal_data_in(text: &str) -> Vec<String> {
    let text =
        ["\\u00a0", "\\u00A0", "\\xa0", "\\t", "\\n", "\\r"].iter().fold(text.to_string(), |t, e| t.replace(e, " "));
    let mut found = Vec::new();
    // Runs of digits and the separators people put between them, reduced to their digits.
    let separator = |c: char| c.is_whitespace() || ".-/()+".contains(c);
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('|')) {
        if c.is_ascii_digit() {
            run.push(c);
        } else if !separator(c) {
            for d in DIGITS {
                if run.contains(d) {
                    found.push(format!("os dígitos {d}"));
                }
            }
            run.clear();
        }
    }
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    for w in ["FULANO", "DE TAL", "FULANO@EXAMPLE.COM"] {
        if words.contains(w) {
            found.push(w.to_string());
        }
    }
    found
}

fn assert_private(what: &str, text: &str) {
    let found = personal_data_in(text);
    assert!(found.is_empty(), "{what} carries personal data {found:?}:\n{text}");
    assert_no_secrets(what, text);
}

/// The estimate as the contract shapes it, without the robot's extra keys (timestamp aside).
fn expected_estimate() -> Value {
    json!({
        "coberturas_detalhadas": [
            {"nome_cobertura": "Compreensiva", "valores": {"de": "R$ 2.400,00", "ate": "R$ 2.900,00"},
             "beneficios": [{"nome": "Colisão e Incêndio", "status": "incluido"}]},
            {"nome_cobertura": "Roubo e Furto", "valores": {"de": "R$ 1.300,00", "ate": "R$ 1.700,00"},
             "beneficios": [{"nome": "Roubo", "status": "incluido"}]},
            {"nome_cobertura": "RCF", "valores": {"de": "R$ 800,00", "ate": "R$ 1.000,00"},
             "beneficios": [{"nome": "Danos a terceiros", "status": "incluido"}]},
        ],
        "resumo": {"total_coberturas": 3, "total_beneficios": 3, "valores_encontrados": 6},
    })
}

fn expected_plan(nome: &str, valor: &str, franquia: &str) -> Value {
    json!({"plano": nome, "valor": valor, "forma_pagamento": "Cartão de crédito", "parcelamento": "anual",
           "valor_franquia": franquia, "tipo_franquia": "Reduzida", "valor_mercado": "100% da tabela FIPE",
           "assistencia": true, "vidros": true, "carro_reserva": false, "danos_materiais": "R$ 100.000,00",
           "danos_corporais": "R$ 100.000,00", "danos_morais": "R$ 20.000,00", "morte_invalidez": "R$ 10.000,00"})
}

fn expected_plans() -> Value {
    json!({"plano_recomendado": expected_plan("Plano recomendado", "R$ 3.099,18", "R$ 4.500,00"),
           "plano_alternativo": expected_plan("Plano alternativo", "R$ 2.567,40", "R$ 6.000,00")})
}

/// `estimate` without its timestamp, which must be a string.
fn without_timestamp(estimate: &Value) -> Value {
    let mut e = estimate.clone();
    let ts = e.as_object_mut().and_then(|o| o.remove("timestamp"));
    assert!(ts.as_ref().is_some_and(Value::is_string), "estimate timestamp: {estimate}");
    e
}

/// The timeline entry of `etapa`.
fn entry(progress: &Value, etapa: Value) -> &Value {
    let timeline = progress["timeline"].as_array().expect("timeline");
    timeline.iter().find(|e| e["etapa"] == etapa).unwrap_or_else(|| panic!("no {etapa} entry in {progress}"))
}

/// Every timeline entry carries the allow-listed keys only; `erro` only the contract's.
fn assert_timeline_shape(progress: &Value) {
    for e in progress["timeline"].as_array().expect("timeline") {
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["dados_extra", "erro", "etapa", "mensagem", "status", "timestamp"], "{e}");
        if let Some(erro) = e["erro"].as_object() {
            assert!(
                erro.keys().all(|k| ["tipo", "mensagem", "sugestao", "timestamp", "campo"].contains(&k.as_str())),
                "{e}"
            );
        }
        if e["etapa"] != "estimativas" && e["etapa"] != "final" {
            assert_eq!(e["dados_extra"], Value::Null, "only the estimate and the plans pass: {e}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_data_in_other_shapes_reaches_neither_the_progress_response_nor_the_logs() {
    let app = TestApp::spawn(Options { command: Some(leaky_robot()), ..Default::default() }).await;
    let sid = app.start(&person("VAZ1D23")).await;

    // While running: the robot holds at screen 4 with every leak written, until told to go on.
    let mut seen = app.wait_until(&sid, "the robot holding at screen 4", |p| p["etapa_atual"] == 4).await;
    let running = seen.last().unwrap()["progress"].clone();
    assert_eq!(running["status"], "running", "{running}");
    assert_eq!(running["mensagem"], "Conferindo os dados de ***, CPF ***.***.***-25, tel. ***", "{running}");
    let aviso = &running["erros"][0];
    assert_eq!((&aviso["tipo"], &aviso["campo"]), (&json!("aviso_dados"), &json!("telefone")), "{running}");
    assert_eq!(aviso["mensagem"], "Telefone +*** não confirmado");
    assert_eq!(aviso["sugestao"], "Confira o cadastro ***.***.***-25 nascido em **/**/****");
    assert_eq!(running["estimativas"]["capturadas"], true);
    assert_eq!(without_timestamp(&running["estimativas"]["dados"]), expected_estimate(), "unknown keys dropped");
    assert_timeline_shape(&running);
    let at4 = entry(&running, json!(4));
    assert_eq!(at4["erro"]["tipo"], "aviso_dados");
    assert_eq!(at4["erro"]["campo"], "telefone");
    assert!(at4["erro"]["timestamp"].is_string(), "{at4}");
    assert_eq!(entry(&running, json!(1))["mensagem"], "Tela 1: CPF ***.***.***-25 informado");
    assert_eq!(entry(&running, json!(3))["mensagem"], "Tela 3: contato ***, nascido em **/**/****");
    assert_eq!(without_timestamp(&entry(&running, json!("estimativas"))["dados_extra"]), expected_estimate());

    std::fs::write(app.state_dir().join(format!("go_{sid}")), "").unwrap();
    seen.extend(app.wait_until(&sid, "success", |p| p["status"] == "success").await);
    let (status, after) = app.progress(&sid).await;
    assert_eq!(status, 200);
    seen.push(after);

    // After: the estimate and both plans, shaped by the contract, and the non-personal messages.
    let last = &seen.last().unwrap()["progress"];
    assert_eq!(last["mensagem"], "RPA concluído com sucesso");
    assert_eq!(last["erros"], json!([]));
    assert_eq!(without_timestamp(&last["estimativas"]["dados"]), expected_estimate());
    assert_eq!(last["resultados_finais"]["rpa_finalizado"], true);
    assert_eq!(last["resultados_finais"]["dados"], expected_plans(), "the plans, their extra keys dropped");
    assert_timeline_shape(last);
    let etapas: Vec<&Value> = last["timeline"].as_array().unwrap().iter().map(|e| &e["etapa"]).collect();
    assert_eq!(
        etapas,
        [
            &json!("inicio"),
            &json!(1),
            &json!(2),
            &json!(3),
            &json!("estimativas"),
            &json!(4),
            &json!(15),
            &json!("final")
        ]
    );
    assert_eq!(entry(last, json!(15))["mensagem"], "Tela 15: planos calculados");
    assert_eq!(entry(last, json!("final"))["dados_extra"], expected_plans(), "no `titular` beside the plans");

    for v in &seen {
        assert_private("progress response", &v.to_string());
    }

    // The robot's log: every line arrived, masked.
    let log = app.robot_log(&sid);
    assert!(
        log.contains("robo-vazador: inicio") && log.contains("***.***.***-25") && log.contains("**/**/****"),
        "{log}"
    );
    assert!(log.lines().count() >= 9, "every line the robot printed: {log}");
    assert_private("robot log", &log);
    assert_private("service log", &app.service_log());

    // What the tracker stored for the public: masked before SQLite.
    let stored: String = app.scalar(
        "SELECT coalesce((SELECT group_concat(coalesce(mensagem, '') || erros_json || coalesce(estimativas_json, ''), ' ') FROM progress), '')
             || coalesce((SELECT group_concat(coalesce(mensagem, '') || coalesce(dados_extra_json, '') || coalesce(erro_json, ''), ' ') FROM history), '')
             || coalesce((SELECT group_concat(dados_json, ' ') FROM plans), '')",
    );
    assert!(stored.contains("Compreensiva"), "{stored}");
    assert_private("snapshot tables", &stored);
}
