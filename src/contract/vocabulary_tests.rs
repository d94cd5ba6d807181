//! Conformance of the service with `docs/contract/tracker.schema.json` and
//! `docs/contract/vocabulary.json`: the shapes it passes on from the robot's snapshots
//! ([`super::shapes`]), how it classifies each error `tipo` ([`super::outcome`]), the status enums
//! and `schema.sql`'s job statuses, and how it masks personal data ([`super::pii_mask`]). The robot
//! and the fake robot are held to the same files by rpa/tests/test_contract.py.

use crate::contract::outcome::{decide, is_business_tipo, start_failure, ErrorEntry, Outcome, RunEnd};
use crate::contract::shapes::{calculo, veiculo, Kind, ERRO, ESTIMATE, PLAN};
use crate::contract::status::{JobStatus, ProgressStatus, RobotStatus};
use serde_json::Value;
use std::collections::BTreeSet;

const TRACKER: &str = include_str!("../../docs/contract/tracker.schema.json");
const VOCABULARY: &str = include_str!("../../docs/contract/vocabulary.json");

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// `def` with its `$ref` followed and a nullable `anyOf` reduced to its non-null branch.
fn resolve<'a>(schema: &'a Value, def: &'a Value) -> &'a Value {
    if let Some(r) = def.get("$ref").and_then(Value::as_str) {
        return resolve(schema, &schema["$defs"][r.trim_start_matches("#/$defs/")]);
    }
    if let Some(branches) = def.get("anyOf").and_then(Value::as_array) {
        let real: Vec<&Value> = branches.iter().filter(|b| b.get("type") != Some(&Value::from("null"))).collect();
        if real.len() == 1 {
            return resolve(schema, real[0]);
        }
    }
    def
}

fn types(def: &Value) -> BTreeSet<String> {
    match &def["type"] {
        Value::String(t) => [t.clone()].into(),
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).filter(|t| *t != "null").map(String::from).collect(),
        _ => BTreeSet::new(),
    }
}

/// Whether `kind` accepts exactly what the schema's `def` describes (keys and types).
fn check(schema: &Value, kind: Kind, def: &Value, path: &str) {
    let def = resolve(schema, def);
    let want: BTreeSet<String> = match kind {
        Kind::Text => ["string".to_string()].into(),
        Kind::Number => ["integer".to_string()].into(),
        Kind::Flag => ["boolean".to_string()].into(),
        Kind::Object(_) => ["object".to_string()].into(),
        Kind::List(_) => ["array".to_string()].into(),
    };
    assert_eq!(types(def), want, "{path}");
    match kind {
        Kind::Object(fields) => {
            let ours: BTreeSet<&str> = fields.iter().map(|(k, _)| *k).collect();
            let theirs: BTreeSet<&str> = def["properties"].as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(ours, theirs, "{path}: keys");
            for (key, field) in fields {
                check(schema, *field, &def["properties"][*key], &format!("{path}.{key}"));
            }
        }
        Kind::List(item) => check(schema, *item, &def["items"], &format!("{path}[]")),
        _ => {}
    }
}

#[test]
fn the_shapes_passed_on_are_the_snapshot_schemas() {
    let schema = json(TRACKER);
    for (kind, name) in [(PLAN, "plan"), (ESTIMATE, "estimate"), (ERRO, "erro")] {
        check(&schema, kind, &schema["$defs"][name], name);
    }
}

#[test]
fn the_vehicle_and_the_countdown_pass_as_the_snapshot_schema_shapes_them() {
    let schema = json(TRACKER);
    let def = &schema["$defs"]["calculo"];
    let keys: BTreeSet<&str> = def["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["restante_s", "total_s"].into());
    assert_eq!(def["required"], serde_json::json!(["restante_s", "total_s"]));
    for k in keys {
        assert_eq!((&def["properties"][k]["type"], &def["properties"][k]["minimum"]), (&"integer".into(), &0.into()));
    }
    assert_eq!(
        calculo(&serde_json::json!({"restante_s": 0, "total_s": 163})).map(|c| (c.restante_s, c.total_s)),
        Some((0, 163))
    );

    let def = &schema["$defs"]["veiculo"];
    assert_eq!(def["type"], "string");
    let pattern = regex::Regex::new(def["pattern"].as_str().unwrap()).unwrap();
    let (min, max) = (def["minLength"].as_u64().unwrap() as usize, def["maxLength"].as_u64().unwrap() as usize);
    let schema_takes = |s: &str| pattern.is_match(s) && (min..=max).contains(&s.chars().count());
    let examples = [
        "ECOSPORT 2007/2007".to_string(),
        "CG 160 FAN 2021/2022".into(),
        "X 1999/2000".into(),
        "ECOSPORT".into(),
        "KVA-1791".into(),
        "".into(),
        " ECOSPORT 2007/2007".into(),
        "ECOSPORT 2007/07".into(),
        "ECOSPORT 1899/2007".into(),
        "ECOSPORT 2007/2007 ".into(),
        "ECOSPORT  2007/2007".into(),
        format!("{} 2007/2007", "X".repeat(79)),
        format!("{} 2007/2007", "X".repeat(80)),
    ];
    for e in &examples {
        assert_eq!(veiculo(&Value::from(e.as_str())).is_some(), schema_takes(e), "{e:?}");
    }
}

fn robot_end(tipo: &str, exit_code: i64) -> RunEnd {
    RunEnd {
        terminal_status: Some(RobotStatus::Error),
        last_error: Some(ErrorEntry::service(tipo, "m", String::new())),
        exit_code: Some(exit_code as i32),
        exit_description: format!("código {exit_code}"),
        ..RunEnd::default()
    }
}

#[test]
fn each_error_tipo_is_classified_as_the_vocabulary_says() {
    let vocabulary = json(VOCABULARY);
    for t in vocabulary["tipos_erro"].as_array().unwrap() {
        let tipo = t["tipo"].as_str().unwrap();
        let tipo = if t["prefixo"] == true { format!("{tipo}placa") } else { tipo.to_string() };
        assert_eq!(is_business_tipo(&tipo), t["negocio"] == true, "{tipo}: business answer or failure");
        let outcome = match t["quem"].as_str().unwrap() {
            "robo" | "robo_ou_servico" => decide(&robot_end(&tipo, t["saida"].as_i64().unwrap()), 60),
            _ => match tipo.as_str() {
                "timeout" => decide(&RunEnd { timed_out: true, ..RunEnd::default() }, 60),
                "robo_sem_status_final" => decide(&RunEnd { exit_code: Some(1), ..RunEnd::default() }, 60),
                "falha_ao_iniciar_robo" => start_failure("sem memória", false),
                other => panic!("a service tipo the service never produces: {other}"),
            },
        };
        match (&outcome, &t["repete"]) {
            (Outcome::NotConfigured { erro }, Value::Bool(false)) => assert_eq!(erro.tipo, tipo),
            (Outcome::Failed { erro, retryable }, Value::Bool(repete)) => {
                assert_eq!(erro.tipo, tipo);
                assert_eq!(retryable, repete, "{tipo}: retried");
            }
            (_, Value::Null) => {} // cancelado: the service decides by why it stopped the robot
            other => panic!("{tipo}: {other:?}"),
        }
    }
}

#[test]
fn the_statuses_are_the_vocabularys() {
    let schema = include_str!("../../schema.sql");
    let check = schema.split("CHECK (status IN (").nth(1).unwrap().split("))").next().unwrap();
    let statuses: Vec<&str> = check.split(',').map(|s| s.trim().trim_matches('\'')).collect();
    let vocabulary = json(VOCABULARY);
    let listed = |k: &str| -> Vec<String> {
        vocabulary["status"][k].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    };
    assert_eq!(statuses, listed("job"));
    assert_eq!(JobStatus::ALL.iter().map(|j| j.as_str()).collect::<Vec<_>>(), listed("job"));
    assert_eq!(RobotStatus::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(), listed("robo"));
    let answered: Vec<String> =
        ProgressStatus::ALL.iter().map(|p| serde_json::to_value(p).unwrap().as_str().unwrap().to_string()).collect();
    assert_eq!(answered, listed("cotacao"));
    let from_jobs: Vec<ProgressStatus> = JobStatus::ALL.iter().copied().map(ProgressStatus::from).collect();
    assert_eq!(from_jobs, ProgressStatus::ALL);
}

#[test]
fn personal_data_is_masked_as_the_vocabulary_shows() {
    let masker = crate::contract::pii_mask::Masker::default();
    for example in json(VOCABULARY)["mascaras"]["exemplos"].as_array().unwrap() {
        let (text, masked) = (example["texto"].as_str().unwrap(), example["mascarado"].as_str().unwrap());
        assert_eq!(masker.mask_log_line(text), masked);
    }
}
