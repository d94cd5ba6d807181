//! `Placa`: a vehicle plate in the old (ABC1234) or the Mercosul (ABC1D23) format.

use super::Invalid;

/// Upper case, no mask: `AAA9999` or `AAA9A99`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placa(String);

impl Placa {
    /// Accepts "abc-1d23", "ABC 1234"…; strips the mask and upper-cases.
    pub fn parse(input: &str) -> Result<Placa, Invalid> {
        let p: String = input.chars().filter(|c| !matches!(c, '-' | ' ' | '.')).flat_map(char::to_uppercase).collect();
        let b = p.as_bytes();
        let ok = b.len() == 7
            && b[..3].iter().all(u8::is_ascii_uppercase)
            && b[3].is_ascii_digit()
            && (b[4].is_ascii_digit() || b[4].is_ascii_uppercase())
            && b[5..].iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Placa(p))
        } else {
            Err(Invalid("Placa inválida: use o formato ABC1234 ou ABC1D23."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl rusqlite::ToSql for Placa {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_both_formats() {
        assert_eq!(Placa::parse("abc-1d23").unwrap().as_str(), "ABC1D23");
        assert_eq!(Placa::parse("ABC 1234").unwrap().as_str(), "ABC1234");
    }

    #[test]
    fn rejects_other_shapes() {
        for bad in ["AB12345", "ABC12D3", "ABCD123", "ABC123", "ABC1D234", "ÁBC1234", ""] {
            assert!(Placa::parse(bad).is_err(), "{bad}");
        }
    }
}
