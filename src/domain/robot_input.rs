//! The robot's input file (contract §2, `docs/contract/robot-input.schema.json`): the normalised
//! request plus the questionnaire answers, every key present; the main driver's fields and the
//! informational vehicle ones `null` when absent. Lead metadata is not part of it.

use super::quote_request::QuoteRequest;
use serde_json::{json, Map, Value};

/// The JSON object the service writes, mode 0600, for the robot.
pub fn robot_input(r: &QuoteRequest) -> Value {
    let mut m = Map::new();
    r.questionario.write_into(&mut m);
    let c = r.condutor.as_ref();
    let extra = json!({
        "placa": r.placa.as_str(),
        "cep": r.cep.as_str(),
        "nome": r.nome.as_str(),
        "cpf": r.cpf.as_str(),
        "email": r.email.as_str(),
        "telefone": r.telefone.as_str(),
        "data_nascimento": r.data_nascimento.formatted(),
        "sexo": r.sexo,
        "estado_civil": r.estado_civil,
        "marca": r.marca,
        "modelo": r.modelo,
        "ano": r.ano,
        "nome_condutor": c.map(|c| c.nome.as_str()),
        "cpf_condutor": c.map(|c| c.cpf.as_str()),
        "data_nascimento_condutor": c.map(|c| c.data_nascimento.formatted()),
        "sexo_condutor": c.map(|c| c.sexo),
        "estado_civil_condutor": c.map(|c| c.estado_civil),
    });
    if let Value::Object(e) = extra {
        m.extend(e);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{questionario::Questionario, quote_request};

    // The full key list of contract §2 is checked by the fake robot (tests/fake_robot.py) on every
    // integration-test run; here: the count, the nulls, and no lead metadata.
    #[test]
    fn has_every_contract_key_and_no_lead_metadata() {
        let d: Value = serde_json::from_str(include_str!("../../config/defaults.json")).unwrap();
        let q = Questionario::from_defaults(d.as_object().unwrap()).unwrap();
        let body = json!({"cpf": "52998224725", "nome": "FULANO DE TAL", "placa": "ABC1D23",
                          "cep": "01310100", "email": "fulano@example.com", "telefone": "11987654321",
                          "data_nascimento": "15/03/1985", "sexo": "Masculino", "estado_civil": "Solteiro",
                          "gclid": "x"});
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let r = quote_request::parse(body.as_object().unwrap(), &q, today).unwrap();
        let input = robot_input(&r);
        let obj = input.as_object().unwrap();
        assert_eq!(obj.len(), 36, "{:?}", obj.keys());
        assert!(!obj.contains_key("gclid"));
        assert_eq!(obj["marca"], Value::Null);
        assert_eq!(obj["cpf_condutor"], Value::Null);
    }
}
