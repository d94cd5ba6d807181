//! `Telefone`: a Brazilian mobile number, DDD + 9 digits starting with 9 (11 digits), the only
//! kind the insurer's portal accepts.

use super::{text::digits, Invalid};
use std::fmt;

#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Telefone(String);

impl Telefone {
    /// Accepts "(11) 98765-4321", "11987654321", "+55 11 98765-4321".
    pub fn parse(input: &str) -> Result<Telefone, Invalid> {
        const MSG: Invalid = Invalid("Celular inválido: informe o DDD e o número de 9 dígitos, começando por 9.");
        let allowed = input.chars().all(|c| c.is_ascii_digit() || matches!(c, '(' | ')' | '-' | ' ' | '+' | '.'));
        let mut d = digits(input);
        if input.trim_start().starts_with('+') || d.len() > 11 {
            match d.strip_prefix("55") {
                Some(rest) if rest.len() >= 10 => d = rest.to_string(),
                _ => return Err(MSG),
            }
        }
        let b = d.as_bytes();
        let ddd_ok = b.len() >= 2 && b[0] != b'0' && b[1] != b'0';
        // A mobile number, as the portal requires: DDD + 9 digits starting with 9.
        let len_ok = b.len() == 11 && b[2] == b'9';
        if allowed && ddd_ok && len_ok {
            Ok(Telefone(d))
        } else {
            Err(MSG)
        }
    }

    /// From the form's separate `ddd` and `celular` fields.
    pub fn from_parts(ddd: &str, numero: &str) -> Result<Telefone, Invalid> {
        Telefone::parse(&format!("{} {}", ddd.trim(), numero.trim()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Telefone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Telefone(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_masks_and_country_code() {
        assert_eq!(Telefone::parse("(11) 98765-4321").unwrap().as_str(), "11987654321");
        assert_eq!(Telefone::parse("+55 11 98765-4321").unwrap().as_str(), "11987654321");
        assert_eq!(Telefone::from_parts("11", "98765-4321").unwrap().as_str(), "11987654321");
    }

    #[test]
    fn rejects_bad_numbers() {
        for bad in ["98765-4321", "01987654321", "11887654321", "119876543", "11 9876x4321", "1133334444"] {
            assert!(Telefone::parse(bad).is_err(), "{bad}");
        }
    }
}
