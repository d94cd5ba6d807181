//! The CEP autocomplete's data: a CEP maps to up to three street suggestions, deterministically.
//! CEPs starting with `00000` have no address (the portal shows "CEP não encontrado").

use serde::Serialize;

use crate::catalog::{pick, seed};

/// One suggestion of `#enderecoTelaEndereco-option-N`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sugestao {
    /// What the option shows and the field keeps: "Rua Serra de Botucatu - Tatuapé".
    pub texto: String,
    pub cidade: String,
    pub uf: String,
    pub cep: String,
}

/// Why a CEP has no suggestions.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CepError {
    #[error("CEP inválido. Informe os 8 dígitos do CEP.")]
    Invalid,
}

const KNOWN: [(&str, &str, &str, &str, &str); 3] = [
    ("01310100", "Avenida Paulista", "Bela Vista", "São Paulo", "SP"),
    ("03317000", "Rua Serra de Botucatu", "Tatuapé", "São Paulo", "SP"),
    ("20040020", "Avenida Rio Branco", "Centro", "Rio de Janeiro", "RJ"),
];

const STREETS: [&str; 8] = [
    "Rua das Flores",
    "Avenida Brasil",
    "Rua Sete de Setembro",
    "Rua Quinze de Novembro",
    "Avenida das Américas",
    "Rua Dom Pedro II",
    "Rua Tiradentes",
    "Alameda Santos",
];
const BAIRROS: [&str; 6] = ["Centro", "Jardim América", "Vila Nova", "Santa Cecília", "Boa Vista", "Liberdade"];
const CITIES: [(&str, &str); 5] =
    [("São Paulo", "SP"), ("Campinas", "SP"), ("Belo Horizonte", "MG"), ("Curitiba", "PR"), ("Porto Alegre", "RS")];

/// Suggestions for a CEP typed with or without the mask. An empty list means "not found".
pub fn suggestions(raw_cep: &str) -> Result<Vec<Sugestao>, CepError> {
    let cep: String = raw_cep.chars().filter(char::is_ascii_digit).collect();
    if cep.len() != 8 || raw_cep.chars().any(|c| !(c.is_ascii_digit() || c == '-' || c == '.' || c == ' ')) {
        return Err(CepError::Invalid);
    }
    if cep.starts_with("00000") {
        return Ok(Vec::new());
    }
    let masked = format!("{}-{}", &cep[..5], &cep[5..]);
    if let Some((_, rua, bairro, cidade, uf)) = KNOWN.iter().find(|k| k.0 == cep) {
        return Ok(vec![Sugestao {
            texto: format!("{rua} - {bairro}"),
            cidade: cidade.to_string(),
            uf: uf.to_string(),
            cep: masked,
        }]);
    }
    let h = seed(&cep);
    let (cidade, uf) = CITIES[pick(h, 0, CITIES.len() as u64) as usize];
    let count = 1 + pick(h, 4, 3) as usize;
    Ok((0..count)
        .map(|i| Sugestao {
            texto: format!(
                "{} - {}",
                STREETS[pick(h, 8 + 3 * i as u32, STREETS.len() as u64) as usize],
                BAIRROS[pick(h, 20 + 3 * i as u32, BAIRROS.len() as u64) as usize]
            ),
            cidade: cidade.to_string(),
            uf: uf.to_string(),
            cep: masked.clone(),
        })
        .collect())
}

/// Time the suggestions take at delay scale 1: 1–3 s.
pub fn lookup_ms(raw_cep: &str) -> u64 {
    let cep: String = raw_cep.chars().filter(char::is_ascii_digit).collect();
    1_000 + pick(seed(&cep), 30, 2_001)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_derived() {
        let s = suggestions("01310-100").unwrap();
        assert_eq!(s[0].texto, "Avenida Paulista - Bela Vista");
        assert_eq!(s[0].cep, "01310-100");
        assert!(suggestions("00000-123").unwrap().is_empty());
        assert_eq!(suggestions("1234"), Err(CepError::Invalid));
        let d = suggestions("13083970").unwrap();
        assert!((1..=3).contains(&d.len()));
        assert_eq!(d, suggestions("13083-970").unwrap());
        assert!((1_000..=3_000).contains(&lookup_ms("13083970")));
    }
}
