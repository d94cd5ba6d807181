//! `Questionario`: the portal's questionnaire answers (screens 1, 4, 6, 8, 10–14), every one
//! present and valid. The operator's defaults file gives a complete set; a request may override
//! any answer, and the set remembers which answers the request gave ([`Questionario::assumed`]:
//! the others come from the defaults).

use super::choice;
use super::Invalid;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

enum Kind {
    Bool,
    /// A choice of the contract, by name (its `$defs` key).
    Choice(&'static str),
}

/// Every questionnaire key of contract §2, with how its value is checked.
const FIELDS: &[(&str, Kind)] = &[
    ("tipo_veiculo", Kind::Choice("tipo_veiculo")),
    ("zero_km", Kind::Bool),
    ("combustivel", Kind::Choice("combustivel")),
    ("kit_gas", Kind::Bool),
    ("blindado", Kind::Bool),
    ("financiado", Kind::Bool),
    ("veiculo_segurado", Kind::Bool),
    ("uso_veiculo", Kind::Choice("uso_veiculo")),
    ("condutor_principal", Kind::Bool),
    ("local_de_trabalho", Kind::Bool),
    ("estacionamento_proprio_local_de_trabalho", Kind::Bool),
    ("local_de_estudo", Kind::Bool),
    ("estacionamento_proprio_local_de_estudo", Kind::Bool),
    ("garagem_residencia", Kind::Bool),
    ("portao_eletronico", Kind::Choice("portao_eletronico")),
    ("reside_18_26", Kind::Choice("reside_18_26")),
    ("sexo_do_menor", Kind::Choice("sexo_do_menor")),
    ("faixa_etaria_menor_mais_novo", Kind::Choice("faixa_etaria_menor_mais_novo")),
    ("continuar_com_corretor_anterior", Kind::Bool),
];

/// One valid answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Bool(bool),
    Choice(&'static str),
}

impl Answer {
    pub fn to_json(self) -> Value {
        match self {
            Answer::Bool(b) => Value::Bool(b),
            Answer::Choice(s) => Value::String(s.to_string()),
        }
    }
}

/// A complete, valid set of questionnaire answers, and the keys a request gave (the others are
/// the operator's defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionario(BTreeMap<&'static str, Answer>, BTreeSet<&'static str>);

/// A questionnaire key with the reason its value was refused.
pub type FieldProblem = (&'static str, Invalid);

impl Questionario {
    /// Whether `key` is one of the questionnaire's keys.
    pub fn is_key(key: &str) -> bool {
        FIELDS.iter().any(|(k, _)| *k == key)
    }

    /// The operator's defaults: every key must be present and valid, and nothing else allowed.
    pub fn from_defaults(map: &Map<String, Value>) -> Result<Questionario, Vec<String>> {
        let mut problems = Vec::new();
        for key in map.keys() {
            if !key.starts_with('_') && !Questionario::is_key(key) {
                problems.push(format!(
                    "\"{key}\" não é uma resposta do questionário (o arquivo de padrões não pode ter dados de pessoas)"
                ));
            }
        }
        let mut answers = BTreeMap::new();
        for (key, kind) in FIELDS {
            match map.get(*key) {
                None | Some(Value::Null) => problems.push(format!("\"{key}\" ausente")),
                Some(v) => match parse_answer(kind, v) {
                    Ok(a) => {
                        answers.insert(*key, a);
                    }
                    Err(e) => problems.push(format!("\"{key}\": {e}")),
                },
            }
        }
        if problems.is_empty() {
            problems.extend(cross_field_problems(&answers).into_iter().map(|(k, e)| format!("\"{k}\": {e}")));
        }
        if problems.is_empty() {
            Ok(Questionario(answers, BTreeSet::new()))
        } else {
            Err(problems)
        }
    }

    /// These answers with the ones present in `request` replacing them.
    pub fn overridden_by(&self, request: &Map<String, Value>) -> Result<Questionario, Vec<FieldProblem>> {
        let mut answers = self.0.clone();
        let mut given = self.1.clone();
        let mut problems = Vec::new();
        for (key, kind) in FIELDS {
            match request.get(*key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.trim().is_empty() => {}
                Some(v) => match parse_answer(kind, v) {
                    Ok(a) => {
                        answers.insert(*key, a);
                        given.insert(*key);
                    }
                    Err(e) => problems.push((*key, e)),
                },
            }
        }
        if problems.is_empty() {
            problems = cross_field_problems(&answers);
        }
        if problems.is_empty() {
            Ok(Questionario(answers, given))
        } else {
            Err(problems)
        }
    }

    /// The answers the request did not give, taken from the operator's defaults, in the portal's
    /// order.
    pub fn assumed(&self) -> impl Iterator<Item = (&'static str, Answer)> + '_ {
        FIELDS.iter().filter(|(k, _)| !self.1.contains(k)).filter_map(|(k, _)| Some((*k, self.get(k)?)))
    }

    pub fn get(&self, key: &str) -> Option<Answer> {
        self.0.get(key).copied()
    }

    /// Whether the visitor is the main driver (else the driver's data is required).
    pub fn condutor_principal(&self) -> bool {
        !matches!(self.get("condutor_principal"), Some(Answer::Bool(false)))
    }

    /// Adds every answer to the robot input object.
    pub fn write_into(&self, out: &mut Map<String, Value>) {
        for (k, a) in &self.0 {
            out.insert((*k).to_string(), a.to_json());
        }
    }
}

/// The rules between answers that the robot enforces too (docs/contract/robot-input.schema.json,
/// `veiculo_segurado` and `allOf`): a renewal is not quoted, and residents aged 18 to 26 need the
/// youngest one's sex and age group.
fn cross_field_problems(answers: &BTreeMap<&'static str, Answer>) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if answers.get("veiculo_segurado") == Some(&Answer::Bool(true)) {
        problems.push((
            "veiculo_segurado",
            Invalid("Renovação (veículo já segurado) não é cotada automaticamente: envie \"não\" ou fale com um especialista."),
        ));
    }
    if answers.get("reside_18_26").is_some_and(|a| *a != Answer::Choice("Não")) {
        if answers.get("sexo_do_menor") == Some(&Answer::Choice("N/A")) {
            problems.push(("sexo_do_menor", Invalid("Informe o sexo do residente mais novo, entre 18 e 26 anos.")));
        }
        if answers.get("faixa_etaria_menor_mais_novo") == Some(&Answer::Choice("N/A")) {
            problems.push((
                "faixa_etaria_menor_mais_novo",
                Invalid("Informe a faixa etária do residente mais novo, entre 18 e 26 anos."),
            ));
        }
    }
    problems
}

fn parse_answer(kind: &Kind, v: &Value) -> Result<Answer, Invalid> {
    match kind {
        Kind::Bool => parse_bool(v).map(Answer::Bool),
        Kind::Choice(name) => {
            let set = choice::named(name);
            match v {
                Value::String(s) => set.parse(s).map(Answer::Choice),
                _ => set.parse("").map(Answer::Choice),
            }
        }
    }
}

/// true/false, "sim"/"não", "true"/"false", 1/0.
pub fn parse_bool(v: &Value) -> Result<bool, Invalid> {
    const MSG: Invalid = Invalid("Valor inválido: responda sim ou não.");
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) => match super::text::fold(s).as_str() {
            "true" | "sim" | "s" | "1" | "yes" => Ok(true),
            "false" | "nao" | "n" | "0" | "no" => Ok(false),
            _ => Err(MSG),
        },
        _ => Err(MSG),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defaults() -> Questionario {
        let text = include_str!("../../config/defaults.json");
        let v: Value = serde_json::from_str(text).unwrap();
        Questionario::from_defaults(v.as_object().unwrap()).unwrap()
    }

    #[test]
    fn shipped_defaults_are_complete_and_valid() {
        let q = defaults();
        assert_eq!(q.0.len(), FIELDS.len());
    }

    #[test]
    fn defaults_file_refuses_personal_data_and_missing_keys() {
        let mut m = json!({"cpf": "52998224725"}).as_object().unwrap().clone();
        defaults().write_into(&mut m);
        let errs = Questionario::from_defaults(&m).unwrap_err();
        assert!(errs[0].contains("cpf"), "{errs:?}");
        m.remove("cpf");
        m.remove("zero_km");
        assert!(Questionario::from_defaults(&m).unwrap_err()[0].contains("zero_km"));
    }

    #[test]
    fn request_overrides_and_invalid_answers_are_reported() {
        let req = json!({"combustivel": "etanol", "zero_km": "sim", "uso_veiculo": "voar"});
        let errs = defaults().overridden_by(req.as_object().unwrap()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, "uso_veiculo");
        let req = json!({"combustivel": "etanol", "zero_km": "sim"});
        let q = defaults().overridden_by(req.as_object().unwrap()).unwrap();
        assert_eq!(q.get("combustivel"), Some(Answer::Choice("Álcool")));
        assert_eq!(q.get("zero_km"), Some(Answer::Bool(true)));
    }

    #[test]
    fn the_answers_a_request_did_not_give_are_the_assumed_ones() {
        assert_eq!(defaults().assumed().count(), FIELDS.len(), "the defaults alone: every answer assumed");
        // Given, even when equal to the default or in another spelling; blank is not given.
        let req = json!({"uso_veiculo": "Pessoal", "Garagem_residencia": "sim", "garagem_residencia": "sim",
                         "combustivel": "  ", "zero_km": null});
        let q = defaults().overridden_by(req.as_object().unwrap()).unwrap();
        let assumed: Vec<&str> = q.assumed().map(|(k, _)| k).collect();
        assert!(!assumed.contains(&"uso_veiculo") && !assumed.contains(&"garagem_residencia"), "{assumed:?}");
        assert!(assumed.contains(&"combustivel") && assumed.contains(&"zero_km"), "{assumed:?}");
        assert_eq!(assumed.len(), FIELDS.len() - 2);
        assert_eq!(q.assumed().next(), Some(("tipo_veiculo", Answer::Choice("carro"))), "in the portal's order");
    }

    #[test]
    fn a_renewal_and_residents_without_their_details_are_refused() {
        let req = json!({"veiculo_segurado": "sim", "reside_18_26": "Sim e utilizam o veículo"});
        let errs = defaults().overridden_by(req.as_object().unwrap()).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["veiculo_segurado", "sexo_do_menor", "faixa_etaria_menor_mais_novo"]);
        let req = json!({"reside_18_26": "Sim e utilizam o veículo", "sexo_do_menor": "Ambos", "faixa_etaria_menor_mais_novo": "25 anos"});
        assert!(defaults().overridden_by(req.as_object().unwrap()).is_ok());
        let mut m = Map::new();
        defaults().write_into(&mut m);
        m.insert("veiculo_segurado".into(), Value::Bool(true));
        assert!(Questionario::from_defaults(&m).unwrap_err()[0].contains("veiculo_segurado"));
    }
}
