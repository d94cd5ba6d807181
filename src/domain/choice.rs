//! Enumerated answers (sexo, estado civil, combustível…): the portal's exact wording and the
//! synonyms accepted for each, read from the contract's choice definitions
//! (`docs/contract/robot-input.schema.json`, `$defs` with an `enum`), which the robot reads too.
//! Input is matched without case or accents.

use super::{text::fold, Invalid};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The robot input's JSON Schema: the single list of choice values and synonyms.
pub const ROBOT_INPUT_SCHEMA: &str = include_str!("../../docs/contract/robot-input.schema.json");

/// One enumerated field: its canonical values and the folded spellings that map to each.
#[derive(Debug)]
pub struct ChoiceSet {
    options: Vec<String>,
    /// Folded spelling → index in `options` (the folded canonical values included).
    spellings: BTreeMap<String, usize>,
    message: String,
}

impl ChoiceSet {
    /// The canonical value for `input`, e.g. "uniao estavel" → "Casado ou União Estável".
    pub fn parse(&'static self, input: &str) -> Result<&'static str, Invalid> {
        self.spellings.get(&fold(input)).map(|i| self.options[*i].as_str()).ok_or(Invalid(self.message.as_str()))
    }

    /// The canonical values, in the contract's order.
    pub fn options(&self) -> impl Iterator<Item = &str> {
        self.options.iter().map(String::as_str)
    }

    fn from_definition(name: &str, def: &Value) -> ChoiceSet {
        let text =
            |v: &Value| v.as_str().unwrap_or_else(|| panic!("contract choice {name}: a value is not text")).to_string();
        let options: Vec<String> = def["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("contract choice {name}: no enum"))
            .iter()
            .map(text)
            .collect();
        let mut spellings: BTreeMap<String, usize> = options.iter().enumerate().map(|(i, o)| (fold(o), i)).collect();
        for (alias, canonical) in def["x-sinonimos"].as_object().into_iter().flatten() {
            let canonical = text(canonical);
            let i = options
                .iter()
                .position(|o| *o == canonical)
                .unwrap_or_else(|| panic!("contract choice {name}: synonym {alias} of an unknown value"));
            spellings.insert(fold(alias), i);
        }
        let message =
            def["x-mensagem"].as_str().unwrap_or_else(|| panic!("contract choice {name}: no x-mensagem")).to_string();
        ChoiceSet { options, spellings, message }
    }
}

/// Every choice of the contract, by name (the `$defs` key: "sexo", "estado_civil", …).
static CHOICES: LazyLock<BTreeMap<String, ChoiceSet>> = LazyLock::new(|| {
    let schema: Value =
        serde_json::from_str(ROBOT_INPUT_SCHEMA).expect("docs/contract/robot-input.schema.json is JSON");
    schema["$defs"]
        .as_object()
        .expect("the contract has $defs")
        .iter()
        .filter(|(_, def)| def.get("enum").is_some())
        .map(|(name, def)| (name.clone(), ChoiceSet::from_definition(name, def)))
        .collect()
});

/// The contract's choice `name`. The contract is compiled in, so an unknown name is a bug.
pub fn named(name: &str) -> &'static ChoiceSet {
    CHOICES.get(name).unwrap_or_else(|| panic!("no choice {name} in docs/contract/robot-input.schema.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_without_case_or_accents() {
        assert_eq!(named("estado_civil").parse("uniao estavel"), Ok("Casado ou União Estável"));
        assert_eq!(named("estado_civil").parse("VIUVO"), Ok("Viúvo"));
        assert_eq!(named("combustivel").parse("etanol"), Ok("Álcool"));
        assert_eq!(named("combustivel").parse("hibrido"), Ok("Híbrido"));
        assert_eq!(named("sexo").parse("outro"), Err(Invalid("Sexo inválido: use Masculino ou Feminino.")));
    }

    #[test]
    fn every_contract_choice_loads() {
        let names: Vec<&str> = CHOICES.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "combustivel",
                "estado_civil",
                "faixa_etaria_menor_mais_novo",
                "portao_eletronico",
                "reside_18_26",
                "sexo",
                "sexo_do_menor",
                "tipo_veiculo",
                "uso_veiculo"
            ]
        );
    }
}
