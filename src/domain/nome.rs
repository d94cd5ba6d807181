//! `Nome`: a person's first and last name in NFC, trimmed, 5–100 characters in two words or more
//! (as the insurer's portal asks), letters and the usual punctuation; every word starts with a
//! letter, and there are at least two letters (invisible fillers that Unicode counts as letters
//! do not count).

use super::{text, Invalid};
use std::fmt;

#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Nome(String);

impl Nome {
    pub fn parse(input: &str) -> Result<Nome, Invalid> {
        let n = text::nfc(input).split_whitespace().collect::<Vec<_>>().join(" ");
        let len = n.chars().count();
        let letter = |c: char| c.is_alphabetic() && !text::is_hidden(c);
        // The portal asks for first and last name: two words, five characters at least.
        let ok = (5..=100).contains(&len)
            && n.split(' ').count() >= 2
            && n.chars().filter(|c| letter(*c)).count() >= 2
            && n.split(' ').all(|w| w.chars().next().is_some_and(letter))
            && n.chars().all(|c| letter(c) || matches!(c, ' ' | '\'' | '-' | '.'));
        if ok {
            Ok(Nome(n))
        } else {
            Err(Invalid("Nome inválido: informe nome e sobrenome, de 5 a 100 letras."))
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
        assert!(Nome::parse("FULANO").is_err(), "first and last name");
        assert!(Nome::parse("A B").is_err(), "five characters at least");
        assert!(Nome::parse(&"A".repeat(101)).is_err());
        assert!(Nome::parse("FULANO 123").is_err());
        assert!(Nome::parse("Maria D'Ávila-Souza").is_ok());
        assert!(Nome::parse("Jo Sá").is_ok());
    }

    #[test]
    fn names_need_real_letters() {
        assert!(Nome::parse("\u{3164}\u{3164}\u{3164}").is_err(), "Hangul fillers are not letters");
        assert!(Nome::parse("-A").is_err());
        assert!(Nome::parse("A -").is_err(), "every word starts with a letter");
        assert!(Nome::parse("FULANO\u{200B}DE TAL").is_err());
        assert_eq!(Nome::parse("Jose\u{301} de Tal").unwrap().as_str(), "José de Tal", "NFC");
    }
}
