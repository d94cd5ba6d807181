//! `Cep`: a Brazilian postal code, eight digits.

use super::{text::digits, Invalid};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cep(String);

impl Cep {
    /// Accepts "01310-100", "01310100", "01.310-100".
    pub fn parse(input: &str) -> Result<Cep, Invalid> {
        let allowed = input.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ' '));
        let d = digits(input);
        if allowed && d.len() == 8 && d != "00000000" {
            Ok(Cep(d))
        } else {
            Err(Invalid("CEP inválido: informe os 8 dígitos."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_mask() {
        assert_eq!(Cep::parse("01310-100").unwrap().as_str(), "01310100");
        assert!(Cep::parse("0131010").is_err());
        assert!(Cep::parse("01310-10a").is_err());
        assert!(Cep::parse("00000-000").is_err());
    }
}
