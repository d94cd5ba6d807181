//! The questionnaire answers a quote assumed (the progress answer's `premissas`): the ones the
//! visitor did not give, taken from the operator's defaults file, in plain Portuguese words for the
//! result ("Consideramos: uso pessoal, garagem com portão eletrônico, …").
//!
//! [`assumed_answers`] is kept with the job when it is queued: the assumed answers the quote
//! depends on, as a JSON object in the robot input's values. An answer that does not apply to this
//! quote is left out: the gate without a garage, the parking at work or school for a vehicle not
//! used to go there, the youngest resident's details without residents aged 18 to 26, the gas kit
//! of a motorcycle. [`phrases`] words them. Only fixed words come out: an unknown key or value says
//! nothing.

use super::questionario::{Answer, Questionario};
use serde_json::{Map, Value};

/// The answers `q` took from the operator's defaults that apply to the quote (see the module doc).
pub fn assumed_answers(q: &Questionario) -> Map<String, Value> {
    let is = |key: &str, answer: Answer| q.get(key) == Some(answer);
    q.assumed()
        .filter(|(key, answer)| match *key {
            "portao_eletronico" => is("garagem_residencia", Answer::Bool(true)),
            "estacionamento_proprio_local_de_trabalho" => is("local_de_trabalho", Answer::Bool(true)),
            "estacionamento_proprio_local_de_estudo" => is("local_de_estudo", Answer::Bool(true)),
            "sexo_do_menor" | "faixa_etaria_menor_mais_novo" => {
                !is("reside_18_26", Answer::Choice("Não")) && *answer != Answer::Choice("N/A")
            }
            "kit_gas" => !is("tipo_veiculo", Answer::Choice("moto")),
            _ => true,
        })
        .map(|(key, answer)| (key.to_string(), answer.to_json()))
        .collect()
}

/// The words for the answers in `assumed` (as [`assumed_answers`] keeps them), in the portal's
/// order; a garage and its gate, or a trip to work and the parking there, make one phrase.
pub fn phrases(assumed: &Map<String, Value>) -> Vec<String> {
    let flag = |k: &str| assumed.get(k).and_then(Value::as_bool);
    let text = |k: &str| assumed.get(k).and_then(Value::as_str);
    let mut out: Vec<String> = Vec::new();
    let mut say = |p: Option<String>| out.extend(p);
    let yes_no = |k: &str, yes: &str, no: &str| flag(k).map(|b| (if b { yes } else { no }).to_string());

    say(text("tipo_veiculo").and_then(|t| match t {
        "carro" => Some("cotação de carro".into()),
        "moto" => Some("cotação de moto".into()),
        _ => None,
    }));
    say(flag("veiculo_segurado").filter(|b| !b).map(|_| "seguro novo (não é renovação)".into()));
    say(yes_no("zero_km", "veículo zero km", "veículo usado (não é zero km)"));
    say(text("combustivel").and_then(|c| {
        let word = match c {
            "Flex" => "flex",
            "Gasolina" => "gasolina",
            "Álcool" => "álcool",
            "Diesel" => "diesel",
            "Híbrido" => "híbrido",
            "Elétrico" => "elétrico",
            _ => return None,
        };
        Some(format!("combustível {word}"))
    }));
    say(yes_no("kit_gas", "com kit gás", "sem kit gás"));
    say(yes_no("blindado", "veículo blindado", "sem blindagem"));
    say(yes_no("financiado", "veículo financiado", "veículo não financiado"));
    say(text("uso_veiculo").and_then(|u| match u {
        "Pessoal" => Some("uso pessoal".into()),
        "Profissional" => Some("uso profissional".into()),
        "Motorista de aplicativo" => Some("uso como motorista de aplicativo".into()),
        "Taxi" => Some("uso como táxi".into()),
        _ => None,
    }));
    say(yes_no("condutor_principal", "você é o condutor principal", "outra pessoa é o condutor principal"));
    say(trip(flag("local_de_trabalho"), flag("estacionamento_proprio_local_de_trabalho"), "o trabalho"));
    say(trip(flag("local_de_estudo"), flag("estacionamento_proprio_local_de_estudo"), "o local de estudo"));
    say(garage(flag("garagem_residencia"), text("portao_eletronico")));
    say(text("reside_18_26").and_then(|r| match r {
        "Não" => Some("nenhum residente de 18 a 26 anos".into()),
        "Sim, mas não utilizam o veículo" => Some("residentes de 18 a 26 anos que não usam o veículo".into()),
        "Sim e utilizam o veículo" => Some("residentes de 18 a 26 anos que usam o veículo".into()),
        _ => None,
    }));
    say(text("sexo_do_menor").and_then(|s| match s {
        "Feminino" => Some("residente mais novo do sexo feminino".into()),
        "Masculino" => Some("residente mais novo do sexo masculino".into()),
        "Ambos" => Some("residentes de 18 a 26 anos de ambos os sexos".into()),
        _ => None,
    }));
    say(text("faixa_etaria_menor_mais_novo").and_then(|f| match f {
        "18 a 24 anos" | "25 anos" => Some(format!("residente mais novo com {f}")),
        _ => None,
    }));
    say(yes_no(
        "continuar_com_corretor_anterior",
        "continuar com o corretor anterior, se houver",
        "trocar de corretor, se houver um anterior",
    ));
    out
}

/// Going to work (or school) and parking there: one phrase when both were assumed. `place` takes
/// its article ("o trabalho"), so "a" + place reads "ao trabalho" and "n" + place "no trabalho".
fn trip(goes: Option<bool>, parking: Option<bool>, place: &str) -> Option<String> {
    let with = |p: bool| if p { "com" } else { "sem" };
    match (goes, parking) {
        (Some(false), _) => Some(format!("não usado para ir a{place}")),
        (Some(true), Some(p)) => Some(format!("usado para ir a{place}, {} estacionamento próprio lá", with(p))),
        (Some(true), None) => Some(format!("usado para ir a{place}")),
        (None, Some(p)) => Some(format!("{} estacionamento próprio n{place}", with(p))),
        (None, None) => None,
    }
}

/// The garage at home and its gate: one phrase when both were assumed.
fn garage(has: Option<bool>, gate: Option<&str>) -> Option<String> {
    let gate = gate.and_then(|g| match g {
        "Eletronico" => Some("eletrônico"),
        "Manual" => Some("manual"),
        _ => None,
    });
    match (has, gate) {
        (Some(false), _) => Some("sem garagem em casa".into()),
        (Some(true), Some(g)) => Some(format!("garagem com portão {g}")),
        (Some(true), None) => Some("garagem em casa".into()),
        (None, Some(g)) => Some(format!("portão {g} na garagem")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::choice;
    use serde_json::json;

    fn defaults() -> Questionario {
        let v: Value = serde_json::from_str(include_str!("../../config/defaults.json")).unwrap();
        Questionario::from_defaults(v.as_object().unwrap()).unwrap()
    }

    fn assumed_with(request: Value) -> Map<String, Value> {
        assumed_answers(&defaults().overridden_by(request.as_object().unwrap()).unwrap())
    }

    #[test]
    fn the_shipped_defaults_read_as_plain_words_in_the_screens_order() {
        let words = phrases(&assumed_with(json!({})));
        assert_eq!(words.len(), 14, "{words:?}");
        let at = |w: &str| words.iter().position(|x| x == w).unwrap_or_else(|| panic!("{w} in {words:?}"));
        assert!(at("cotação de carro") < at("uso pessoal"));
        assert!(at("uso pessoal") < at("garagem com portão eletrônico"));
        assert!(at("garagem com portão eletrônico") < at("nenhum residente de 18 a 26 anos"));
    }

    #[test]
    fn what_the_visitor_gave_is_not_named_and_what_does_not_apply_is_left_out() {
        let a = assumed_with(json!({"uso_veiculo": "Pessoal", "garagem_residencia": "sim", "tipo_veiculo": "moto",
                                    "local_de_trabalho": true, "reside_18_26": "Sim e utilizam o veículo",
                                    "sexo_do_menor": "Ambos", "faixa_etaria_menor_mais_novo": "25 anos"}));
        for given in ["uso_veiculo", "garagem_residencia", "tipo_veiculo", "local_de_trabalho", "reside_18_26"] {
            assert!(!a.contains_key(given), "{given}");
        }
        assert!(!a.contains_key("kit_gas"), "a motorcycle has no gas kit");
        let words = phrases(&a);
        assert!(words.contains(&"portão eletrônico na garagem".to_string()), "{words:?}");
        assert!(words.contains(&"sem estacionamento próprio no trabalho".to_string()), "{words:?}");
        assert!(!words.iter().any(|w| w.contains("uso pessoal") || w.contains("residente")), "{words:?}");

        let a = assumed_with(json!({"garagem_residencia": "não", "local_de_estudo": "não"}));
        assert!(!a.contains_key("portao_eletronico") && !a.contains_key("estacionamento_proprio_local_de_estudo"));
        assert!(!a.contains_key("sexo_do_menor") && !a.contains_key("faixa_etaria_menor_mais_novo"));
    }

    #[test]
    fn a_garage_or_a_trip_and_its_detail_make_one_phrase() {
        let p = |v: Value| phrases(v.as_object().unwrap());
        assert_eq!(
            p(json!({"garagem_residencia": true, "portao_eletronico": "Manual"})),
            ["garagem com portão manual"]
        );
        assert_eq!(p(json!({"garagem_residencia": true})), ["garagem em casa"]);
        assert_eq!(p(json!({"garagem_residencia": false})), ["sem garagem em casa"]);
        assert_eq!(
            p(json!({"local_de_estudo": true, "estacionamento_proprio_local_de_estudo": true})),
            ["usado para ir ao local de estudo, com estacionamento próprio lá"]
        );
        assert_eq!(
            p(json!({"estacionamento_proprio_local_de_trabalho": true})),
            ["com estacionamento próprio no trabalho"]
        );
    }

    #[test]
    fn every_answer_the_defaults_may_hold_has_words_and_nothing_else_does() {
        for (key, answer) in defaults().assumed() {
            let values: Vec<Value> = match answer {
                Answer::Bool(_) => vec![json!(true), json!(false)],
                Answer::Choice(_) => choice::named(key).options().map(|o| json!(o)).collect(),
            };
            for v in values {
                let silent = v == "N/A" || (key == "veiculo_segurado" && v == true);
                let words = phrases(json!({key: v}).as_object().unwrap());
                assert_eq!(words.len(), usize::from(!silent), "{key} = {v}: {words:?}");
            }
        }
        let odd = json!({"uso_veiculo": "FULANO DE TAL", "cpf": "52998224725", "zero_km": "sim", "combustivel": 3});
        assert!(phrases(odd.as_object().unwrap()).is_empty());
    }
}
