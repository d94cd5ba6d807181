//! `Email`: an e-mail address, trimmed and lower-cased.

use super::Invalid;
use std::fmt;

#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Invalid> {
        const MSG: Invalid = Invalid("E-mail inválido: confira o endereço (ex.: nome@dominio.com.br).");
        let e = input.trim().to_lowercase();
        let Some((local, domain)) = e.split_once('@') else { return Err(MSG) };
        let local_ok = !local.is_empty() && local.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            && labels.last().is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok && e.len() <= 254 {
            Ok(Email(e))
        } else {
            Err(MSG)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_checks_shape() {
        assert_eq!(Email::parse(" Fulano@Example.COM ").unwrap().as_str(), "fulano@example.com");
        for bad in ["fulano", "fulano@", "@example.com", "fulano@example", "fu lano@example.com", "a@b.c"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
