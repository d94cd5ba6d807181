//! Conformance of the request parser and the robot input with the contract files
//! (`docs/contract/request.schema.json`, `docs/contract/robot-input.schema.json`). The robot runs
//! the same examples through its own validation (rpa/tests/test_contract.py), so a rule added on
//! one side only fails one of the two.

use super::{
    choice::ROBOT_INPUT_SCHEMA,
    questionario::Questionario,
    quote_request::{parse, FieldError, QuoteRequest},
    robot_input::robot_input,
};
use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

const REQUEST_SCHEMA: &str = include_str!("../../docs/contract/request.schema.json");

fn request_schema() -> Value {
    serde_json::from_str(REQUEST_SCHEMA).unwrap()
}

fn properties(schema: &Value) -> &Map<String, Value> {
    schema["properties"].as_object().unwrap()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn run(body: &Value) -> Result<QuoteRequest, Vec<FieldError>> {
    let d: Value = serde_json::from_str(include_str!("../../config/defaults.json")).unwrap();
    let defaults = Questionario::from_defaults(d.as_object().unwrap()).unwrap();
    parse(body.as_object().unwrap(), &defaults, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())
}

/// A valid request with every required field, from the contract's first examples.
fn visitor() -> Value {
    let schema = request_schema();
    let mut body = Map::new();
    for key in strings(&schema["required"]).into_iter().chain(["telefone".to_string()]) {
        body.insert(key.clone(), properties(&schema)[&key]["examples"][0].clone());
    }
    Value::Object(body)
}

fn with(mut body: Value, extra: Value) -> Value {
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    body
}

fn refused_fields(body: &Value) -> Vec<String> {
    match run(body) {
        Ok(_) => vec![],
        Err(errs) => errs.into_iter().map(|e| e.campo).collect(),
    }
}

#[test]
fn every_example_is_accepted() {
    let schema = request_schema();
    assert!(run(&visitor()).is_ok(), "{:?}", run(&visitor()).err());
    for (key, prop) in properties(&schema) {
        for example in prop["examples"].as_array().into_iter().flatten() {
            let body = with(visitor(), json!({ key.as_str(): example }));
            assert_eq!(refused_fields(&body), Vec::<String>::new(), "{key} = {example}");
        }
    }
}

#[test]
fn every_value_the_robot_or_the_portal_refuses_is_a_422_for_that_field() {
    let schema = request_schema();
    let mut checked = 0;
    for (key, prop) in properties(&schema) {
        let refused = prop["x-recusados"].as_array().into_iter().flatten();
        for bad in refused.chain(prop["x-recusados-pelo-portal"].as_array().into_iter().flatten()) {
            let body = with(visitor(), json!({ key.as_str(): bad }));
            assert_eq!(refused_fields(&body), [key.as_str()], "{key} = {bad}");
            checked += 1;
        }
    }
    for rule in schema["x-regras-entre-campos"].as_array().unwrap() {
        let fields = strings(&rule["campos"]);
        for bad in rule["x-recusados"].as_array().unwrap() {
            let refused = refused_fields(&with(visitor(), bad.clone()));
            assert!(!refused.is_empty() && refused.iter().all(|f| fields.contains(f)), "{bad}: {refused:?}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} refusals in the contract");
}

#[test]
fn the_required_fields_are_the_visitors_and_each_is_named_when_missing() {
    let schema = request_schema();
    let visitor_keys: BTreeSet<String> = properties(&schema)
        .iter()
        .filter(|(k, p)| p["x-origem"] == "visitante" && !["ddd", "celular", "telefone"].contains(&k.as_str()))
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(strings(&schema["required"]), visitor_keys);
    let mut everything_missing = Vec::new();
    for key in visitor_keys.iter().map(String::as_str).chain(["telefone"]) {
        let mut body = visitor();
        body.as_object_mut().unwrap().remove(key);
        assert_eq!(refused_fields(&body), [key], "{key} missing");
        everything_missing.push(key);
    }
    let all = refused_fields(&json!({}));
    for key in everything_missing {
        assert!(all.contains(&key.to_string()), "{key} is not named when everything is missing: {all:?}");
    }
}

#[test]
fn the_questionnaire_keys_are_the_contracts_defaults() {
    let schema = request_schema();
    for (key, prop) in properties(&schema) {
        assert_eq!(Questionario::is_key(key), prop["x-origem"] == "padrao", "{key}");
    }
}

#[test]
fn the_robot_input_has_exactly_the_contracts_keys_and_forms() {
    let schema: Value = serde_json::from_str(ROBOT_INPUT_SCHEMA).unwrap();
    for body in [
        visitor(),
        with(
            visitor(),
            json!({"condutor_principal": "não", "nome_condutor": "BELTRANA DE TAL",
        "cpf_condutor": "111.444.777-35", "data_nascimento_condutor": "01/02/1990", "sexo_condutor": "f",
        "estado_civil_condutor": "solteira", "marca": "NISSAN", "ano": "2017"}),
        ),
    ] {
        let input = robot_input(&run(&body).unwrap());
        let keys: BTreeSet<String> = input.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, strings(&schema["required"]));
        for (key, value) in input.as_object().unwrap() {
            let def = &schema["properties"][key];
            let def = def
                .get("$ref")
                .or_else(|| def["anyOf"][0].get("$ref"))
                .map_or(def, |r| &schema["$defs"][r.as_str().unwrap().trim_start_matches("#/$defs/")]);
            if let (Some(options), Some(v)) = (def.get("enum"), value.as_str()) {
                assert!(options.as_array().unwrap().iter().any(|o| o == v), "{key} = {v}");
            }
            if let (Some(pattern), Some(v)) = (def["pattern"].as_str(), value.as_str()) {
                assert!(regex::Regex::new(pattern).unwrap().is_match(v), "{key} = {v} does not match {pattern}");
            }
        }
    }
}
