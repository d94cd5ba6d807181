//! The robot's input file (contract §2): the normalised request plus the questionnaire answers,
//! every key present, optional personal fields `null`. Lead metadata is not part of it.

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
        "email": r.email.as_ref().map(|e| e.as_str()),
        "telefone": r.telefone.as_ref().map(|t| t.as_str()),
        "data_nascimento": r.data_nascimento.as_ref().map(|d| d.formatted()),
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

/// Every key of contract §2, for checks.
pub const KEYS: &[&str] = &[
    "tipo_veiculo", "placa", "cep", "nome", "cpf", "email", "telefone", "data_nascimento", "sexo",
    "estado_civil", "marca", "modelo", "ano", "zero_km", "combustivel", "kit_gas", "blindado",
    "financiado", "veiculo_segurado", "uso_veiculo", "condutor_principal", "nome_condutor",
    "cpf_condutor", "data_nascimento_condutor", "sexo_condutor", "estado_civil_condutor",
    "local_de_trabalho", "estacionamento_proprio_local_de_trabalho", "local_de_estudo",
    "estacionamento_proprio_local_de_estudo", "garagem_residencia", "portao_eletronico",
    "reside_18_26", "sexo_do_menor", "faixa_etaria_menor_mais_novo",
    "continuar_com_corretor_anterior",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{questionario::Questionario, quote_request};

    #[test]
    fn has_exactly_the_contract_keys_and_no_lead_metadata() {
        let d: Value = serde_json::from_str(include_str!("../../config/defaults.json")).unwrap();
        let q = Questionario::from_defaults(d.as_object().unwrap()).unwrap();
        let body = json!({"cpf": "52998224725", "nome": "FULANO DE TAL", "placa": "ABC1D23",
                          "cep": "01310100", "gclid": "x"});
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let r = quote_request::parse(body.as_object().unwrap(), &q, today).unwrap();
        let input = robot_input(&r);
        let obj = input.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort();
        let mut want = KEYS.to_vec();
        want.sort();
        assert_eq!(keys, want);
        assert_eq!(obj["email"], Value::Null);
        assert_eq!(obj["cpf_condutor"], Value::Null);
    }
}
