//! The shapes of the robot's estimate, plans and error entries (contracts §3 and §4), and
//! filtering what a robot wrote through them: a key the contract does not name, or a value of
//! another type than the contract's, is dropped. The confirmed vehicle ([`veiculo`]) and the
//! portal's countdown ([`calculo`]) of a progress snapshot pass only in their exact forms. Whatever leaves the service — the progress
//! answer, the webhook events — goes through these, so a robot that writes more than the
//! contract cannot make the service hand it on.

use serde::Serialize;
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
/// The vehicle the portal confirmed on screen 3 (progress `veiculo`, contract §3): the model, a
/// space and the years of manufacture/model, `"ECOSPORT 2007/2007"`, at most 90 characters on one
/// line. Any other text (no years, the plate, a sentence) is not passed on.
pub fn veiculo(v: &Value) -> Option<String> {
    let s = v.as_str()?;
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let year = |at: usize| {
        let y: String = chars[at..at + 4].iter().collect();
        (y.starts_with("19") || y.starts_with("20")) && y.bytes().all(|b| b.is_ascii_digit())
    };
    let one_line = !chars.iter().any(|c| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'));
    let shaped = (11..=90).contains(&n)
        && !chars[0].is_whitespace()
        && chars[n - 10] == ' '
        && year(n - 9)
        && chars[n - 5] == '/'
        && year(n - 4);
    (shaped && one_line).then(|| s.to_string())
}

/// The portal's own countdown of the final calculation (progress `calculo`, contract §3): the
/// seconds it shows now and the first value read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Calculo {
    pub restante_s: u32,
    pub total_s: u32,
}

/// [`Calculo`] from a snapshot's value: both keys, each a whole number of seconds ≥ 0; other keys
/// are dropped, and anything else is no countdown at all.
pub fn calculo(v: &Value) -> Option<Calculo> {
    let seconds = |k: &str| v.get(k)?.as_u64()?.try_into().ok();
    Some(Calculo { restante_s: seconds("restante_s")?, total_s: seconds("total_s")? })
}

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
    fn the_vehicle_passes_only_as_model_and_years() {
        for ok in ["ECOSPORT 2007/2007", "CG 160 FAN 2021/2022", "X 1999/2000"] {
            assert_eq!(veiculo(&json!(ok)).as_deref(), Some(ok));
        }
        let refused = [
            json!("ECOSPORT"),
            json!("KVA-1791"),
            json!(" ECOSPORT 2007/2007"),
            json!("ECOSPORT 2007-2007"),
            json!("ECOSPORT 1899/2007"),
            json!("FULANO\nDE TAL 2007/2007"),
            json!(format!("{} 2007/2007", "X".repeat(81))),
            json!({"modelo": "ECOSPORT", "ano": "2007/2007"}),
            json!(2007),
        ];
        for bad in refused {
            assert_eq!(veiculo(&bad), None, "{bad}");
        }
    }

    #[test]
    fn the_countdown_passes_as_two_whole_seconds_only() {
        let c = calculo(&json!({"restante_s": 151, "total_s": 163, "fim": "FULANO"})).unwrap();
        assert_eq!(serde_json::to_value(c).unwrap(), json!({"restante_s": 151, "total_s": 163}));
        for bad in [
            json!({"restante_s": "151", "total_s": 163}),
            json!({"restante_s": 1.5, "total_s": 163}),
            json!({"restante_s": -1, "total_s": 163}),
            json!({"restante_s": 151}),
            json!([151, 163]),
            json!(null),
        ] {
            assert_eq!(calculo(&bad), None, "{bad}");
        }
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
