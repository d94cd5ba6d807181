//! The shapes of the robot's estimate, plans and error entries (contracts §3 and §4), and
//! filtering what a robot wrote through them: a key the contract does not name, or a value of
//! another type than the contract's, is dropped. Whatever leaves the service — the progress
//! answer, the webhook events — goes through these, so a robot that writes more than the
//! contract cannot make the service hand it on.

use serde_json::Value;

/// What a field of the response may hold; a value of any other type is dropped. `null` stays
/// `null` (the robot writes it for a value it could not read).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    Number,
    Flag,
    /// These keys only, each of its kind.
    Object(&'static [(&'static str, Kind)]),
    /// Items of this kind only (others, and `null`s, are left out).
    List(&'static Kind),
}

use Kind::{Flag, List, Number, Object, Text};

const BENEFICIO: Kind = Object(&[("nome", Text), ("status", Text)]);
const COBERTURA: Kind = Object(&[
    ("nome_cobertura", Text),
    ("valores", Object(&[("de", Text), ("ate", Text)])),
    ("beneficios", List(&BENEFICIO)),
]);
/// The screen-5 estimate (contract §3).
pub const ESTIMATE: Kind = Object(&[
    ("timestamp", Text),
    ("coberturas_detalhadas", List(&COBERTURA)),
    ("resumo", Object(&[("total_coberturas", Number), ("total_beneficios", Number), ("valores_encontrados", Number)])),
]);
/// One final plan (contract §3).
pub const PLAN: Kind = Object(&[
    ("plano", Text),
    ("valor", Text),
    ("forma_pagamento", Text),
    ("parcelamento", Text),
    ("valor_franquia", Text),
    ("tipo_franquia", Text),
    ("valor_mercado", Text),
    ("assistencia", Flag),
    ("vidros", Flag),
    ("carro_reserva", Flag),
    ("danos_materiais", Text),
    ("danos_corporais", Text),
    ("danos_morais", Text),
    ("morte_invalidez", Text),
]);
/// Both plans, as the `"final"` history entry carries them.
pub const PLANS: Kind = Object(&[("plano_recomendado", PLAN), ("plano_alternativo", PLAN)]);
/// A history entry's `erro` (contract §4).
pub const ERRO: Kind =
    Object(&[("tipo", Text), ("mensagem", Text), ("sugestao", Text), ("timestamp", Text), ("campo", Text)]);
/// `v` reduced to what `kind` allows, or `None` if it is of another type.
fn allowed(v: &Value, kind: Kind) -> Option<Value> {
    match (kind, v) {
        (_, Value::Null) => Some(Value::Null),
        (Text, Value::String(_)) | (Number, Value::Number(_)) | (Flag, Value::Bool(_)) => Some(v.clone()),
        (Object(fields), Value::Object(o)) => Some(Value::Object(
            fields.iter().filter_map(|(k, kind)| Some((k.to_string(), allowed(o.get(*k)?, *kind)?))).collect(),
        )),
        (List(item), Value::Array(a)) => {
            Some(Value::Array(a.iter().filter_map(|x| allowed(x, *item)).filter(|x| !x.is_null()).collect()))
        }
        _ => None,
    }
}

/// `v` through the allow-list of `kind`; `null` when it is not of that kind at all.
pub fn filtered(v: &Value, kind: Kind) -> Value {
    allowed(v, kind).unwrap_or(Value::Null)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn estimate() -> Value {
        json!({"timestamp": "2026-11-24T22:13:00.123-03:00",
               "coberturas_detalhadas": [
                   {"nome_cobertura": "Compreensiva", "valores": {"de": "R$ 2.400,00", "ate": null},
                    "beneficios": [{"nome": "Colisão", "status": "incluido"}]}],
               "resumo": {"total_coberturas": 1, "total_beneficios": 1, "valores_encontrados": 1}})
    }

    pub(crate) fn plan() -> Value {
        json!({"plano": "Plano recomendado", "valor": "R$ 3.099,18", "forma_pagamento": "Cartão de crédito",
               "parcelamento": "anual", "valor_franquia": "R$ 4.500,00", "tipo_franquia": "Reduzida",
               "valor_mercado": "100% da tabela FIPE", "assistencia": true, "vidros": false, "carro_reserva": true,
               "danos_materiais": "R$ 100.000,00", "danos_corporais": "R$ 100.000,00", "danos_morais": "R$ 20.000,00",
               "morte_invalidez": null})
    }

    #[test]
    fn the_contract_shapes_pass_unchanged() {
        assert_eq!(filtered(&estimate(), ESTIMATE), estimate());
        assert_eq!(filtered(&plan(), PLAN), plan());
        let plans = json!({"plano_recomendado": plan(), "plano_alternativo": plan()});
        assert_eq!(filtered(&plans, PLANS), plans);
        let erro =
            json!({"tipo": "rejeitado_placa", "mensagem": "m", "sugestao": "s", "timestamp": "t", "campo": "placa"});
        assert_eq!(filtered(&erro, ERRO), erro);
    }

    #[test]
    fn unknown_keys_are_dropped_at_every_level() {
        let mut e = estimate();
        e["titular"] = json!("FULANO");
        e["resumo"]["contato"] = json!("11 98765 4321");
        e["coberturas_detalhadas"][0]["segurado"] = json!({"cpf": "529 982 247 25"});
        e["coberturas_detalhadas"][0]["valores"]["cpf"] = json!("529982247-25");
        e["coberturas_detalhadas"][0]["beneficios"][0]["nascimento"] = json!("1985-03-15");
        assert_eq!(filtered(&e, ESTIMATE), estimate());

        let mut p = plan();
        p["cpf_segurado"] = json!("529 982 247 25");
        p["contato"] = json!({"telefone": "11 98765 4321"});
        let plans = json!({"plano_recomendado": p, "titular": "FULANO"});
        assert_eq!(filtered(&plans, PLANS), json!({"plano_recomendado": plan()}));

        let erro = json!({"tipo": "aviso", "mensagem": "m", "detalhe": {"email": "x"}, "telefone": "11 98765 4321"});
        assert_eq!(filtered(&erro, ERRO), json!({"tipo": "aviso", "mensagem": "m"}));
    }

    #[test]
    fn values_of_another_type_are_dropped_not_converted() {
        let odd = json!({"plano": {"nome": "FULANO"}, "valor": 3099.18, "assistencia": "sim", "vidros": 1,
                         "carro_reserva": false, "parcelamento": ["anual"], "tipo_franquia": "Reduzida"});
        assert_eq!(filtered(&odd, PLAN), json!({"carro_reserva": false, "tipo_franquia": "Reduzida"}));
        let odd = json!({"timestamp": 1732486380, "coberturas_detalhadas": [null, "FULANO", 3, {"nome_cobertura": "RCF"}],
                         "resumo": {"total_coberturas": "3", "total_beneficios": 3}});
        assert_eq!(
            filtered(&odd, ESTIMATE),
            json!({"coberturas_detalhadas": [{"nome_cobertura": "RCF"}], "resumo": {"total_beneficios": 3}})
        );
        for not_an_object in [json!("FULANO"), json!([1, 2]), json!(52998224725u64), json!(true)] {
            assert_eq!(filtered(&not_an_object, ESTIMATE), Value::Null);
            assert_eq!(filtered(&not_an_object, ERRO), Value::Null);
        }
    }
}
