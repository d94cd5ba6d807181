//! `Cpf`: a Brazilian taxpayer number with valid check digits.

use super::{text::digits, Invalid};
use std::fmt;

/// Eleven digits whose two check digits are right. `Debug` and [`Cpf::masked`] never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Cpf(String);

impl Cpf {
    /// Accepts "52998224725" and "529.982.247-25".
    pub fn parse(input: &str) -> Result<Cpf, Invalid> {
        const MSG: Invalid = Invalid("CPF inválido: confira os 11 dígitos.");
        let allowed = input.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ' '));
        let d = digits(input);
        if !allowed || d.len() != 11 {
            return Err(MSG);
        }
        let n: Vec<u32> = d.chars().map(|c| c.to_digit(10).unwrap_or(0)).collect();
        if n.iter().all(|&x| x == n[0]) {
            return Err(MSG);
        }
        let check = |len: usize| {
            let sum: u32 = (0..len).map(|i| n[i] * (len as u32 + 1 - i as u32)).sum();
            let r = (sum * 10) % 11;
            if r == 10 {
                0
            } else {
                r
            }
        };
        if check(9) != n[9] || check(10) != n[10] {
            return Err(MSG);
        }
        Ok(Cpf(d))
    }

    /// The eleven digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "***.***.***-25": what logs may show.
    pub fn masked(&self) -> String {
        format!("***.***.***-{}", &self.0[9..])
    }

    /// "529.982.247-25".
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!("{}.{}.{}-{}", &d[0..3], &d[3..6], &d[6..9], &d[9..])
    }
}

impl fmt::Debug for Cpf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpf({})", self.masked())
    }
}

impl serde::Serialize for Cpf {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl rusqlite::ToSql for Cpf {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_masked_or_not() {
        assert_eq!(Cpf::parse("529.982.247-25").unwrap().as_str(), "52998224725");
        assert_eq!(Cpf::parse("11144477735").unwrap().as_str(), "11144477735");
    }

    #[test]
    fn rejects_wrong_check_digits_repeated_digits_and_garbage() {
        for bad in ["52998224724", "11111111111", "5299822472", "529982247251", "abc.982.247-25", ""] {
            assert!(Cpf::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_and_masked_hide_the_number() {
        let cpf = Cpf::parse("52998224725").unwrap();
        assert_eq!(cpf.masked(), "***.***.***-25");
        assert!(!format!("{cpf:?}").contains("529982"));
        assert_eq!(cpf.formatted(), "529.982.247-25");
    }
}
