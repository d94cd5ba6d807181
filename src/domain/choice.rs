//! Enumerated answers (sexo, estado civil, combustível…): the portal's exact wording, chosen from
//! a fixed list; input is matched without case or accents, with a few synonyms.

use super::{text::fold, Invalid};

/// One enumerated field: its canonical values and the folded spellings that map to each.
pub struct ChoiceSet {
    options: &'static [(&'static str, &'static [&'static str])],
    message: &'static str,
}

impl ChoiceSet {
    /// The canonical value for `input`, e.g. "uniao estavel" → "Casado ou União Estável".
    pub fn parse(&'static self, input: &str) -> Result<&'static str, Invalid> {
        let key = fold(input);
        self.options
            .iter()
            .find(|(canonical, aliases)| fold(canonical) == key || aliases.contains(&key.as_str()))
            .map(|(canonical, _)| *canonical)
            .ok_or(Invalid(self.message))
    }
}

pub static SEXO: ChoiceSet = ChoiceSet {
    options: &[("Masculino", &["m", "masc"]), ("Feminino", &["f", "fem"])],
    message: "Sexo inválido: use Masculino ou Feminino.",
};

pub static ESTADO_CIVIL: ChoiceSet = ChoiceSet {
    options: &[
        ("Solteiro", &["solteira"]),
        (
            "Casado ou União Estável",
            &["casado", "casada", "uniao estavel", "casado ou uniao estavel", "casada ou uniao estavel"],
        ),
        ("Divorciado", &["divorciada"]),
        ("Separado", &["separada"]),
        ("Viúvo", &["viuva"]),
    ],
    message: "Estado civil inválido: use Solteiro, Casado ou União Estável, Divorciado, Separado ou Viúvo.",
};

pub static TIPO_VEICULO: ChoiceSet = ChoiceSet {
    options: &[("carro", &["automovel", "auto"]), ("moto", &["motocicleta"])],
    message: "Tipo de veículo inválido: use carro ou moto.",
};

pub static COMBUSTIVEL: ChoiceSet = ChoiceSet {
    options: &[
        ("Flex", &[]),
        ("Gasolina", &[]),
        ("Álcool", &["etanol"]),
        ("Diesel", &[]),
        ("Híbrido", &[]),
        ("Elétrico", &[]),
    ],
    message: "Combustível inválido: use Flex, Gasolina, Álcool, Diesel, Híbrido ou Elétrico.",
};

pub static USO_VEICULO: ChoiceSet = ChoiceSet {
    options: &[
        ("Pessoal", &["particular"]),
        ("Profissional", &[]),
        ("Motorista de aplicativo", &["aplicativo"]),
        ("Taxi", &[]),
    ],
    message: "Uso do veículo inválido: use Pessoal, Profissional, Motorista de aplicativo ou Taxi.",
};

pub static PORTAO: ChoiceSet = ChoiceSet {
    options: &[("Eletronico", &[]), ("Manual", &[])],
    message: "Portão inválido: use Eletronico ou Manual.",
};

pub static RESIDE_18_26: ChoiceSet = ChoiceSet {
    options: &[
        ("Não", &[]),
        ("Sim, mas não utilizam o veículo", &[]),
        ("Sim e utilizam o veículo", &[]),
    ],
    message: "Resposta inválida: use Não, \"Sim, mas não utilizam o veículo\" ou \"Sim e utilizam o veículo\".",
};

pub static SEXO_MENOR: ChoiceSet = ChoiceSet {
    options: &[("Feminino", &[]), ("Masculino", &[]), ("Ambos", &[]), ("N/A", &["na", "nenhum"])],
    message: "Sexo do menor inválido: use Feminino, Masculino, Ambos ou N/A.",
};

pub static FAIXA_ETARIA_MENOR: ChoiceSet = ChoiceSet {
    options: &[("18 a 24 anos", &[]), ("25 anos", &[]), ("N/A", &["na", "nenhum"])],
    message: "Faixa etária inválida: use \"18 a 24 anos\", \"25 anos\" ou N/A.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_without_case_or_accents() {
        assert_eq!(ESTADO_CIVIL.parse("uniao estavel"), Ok("Casado ou União Estável"));
        assert_eq!(ESTADO_CIVIL.parse("VIUVO"), Ok("Viúvo"));
        assert_eq!(COMBUSTIVEL.parse("etanol"), Ok("Álcool"));
        assert_eq!(COMBUSTIVEL.parse("hibrido"), Ok("Híbrido"));
        assert!(SEXO.parse("outro").is_err());
    }
}
