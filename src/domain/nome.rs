//! `Nome`: a person's name, trimmed, 2–100 characters, letters and the usual punctuation.

use super::Invalid;
use std::fmt;

#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Nome(String);

impl Nome {
    pub fn parse(input: &str) -> Result<Nome, Invalid> {
        let n = input.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = n.chars().count();
        let ok = (2..=100).contains(&len)
            && n.chars().any(char::is_alphabetic)
            && n.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.'));
        if ok {
            Ok(Nome(n))
        } else {
            Err(Invalid("Nome inválido: informe o nome completo, de 2 a 100 letras."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Nome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nome(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_checks_length() {
        assert_eq!(Nome::parse("  FULANO   DE TAL ").unwrap().as_str(), "FULANO DE TAL");
        assert!(Nome::parse("F").is_err());
        assert!(Nome::parse(&"A".repeat(101)).is_err());
        assert!(Nome::parse("FULANO 123").is_err());
        assert!(Nome::parse("Maria D'Ávila-Souza").is_ok());
    }
}
