//! `DataNascimento`: a birth date written DD/MM/AAAA, of someone 18 to 100 years old, as the
//! insurer's portal requires of the insured and of the main driver.

use super::Invalid;
use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct DataNascimento(NaiveDate);

impl DataNascimento {
    /// Accepts "15/03/1985" (also "15-03-1985" and the ISO "1985-03-15" of date inputs).
    pub fn parse(input: &str, today: NaiveDate) -> Result<DataNascimento, Invalid> {
        let s = input.trim();
        let date = NaiveDate::parse_from_str(s, "%d/%m/%Y")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
            .map_err(|_| Invalid("Data de nascimento inválida: use DD/MM/AAAA."))?;
        let birthday_to_come = (today.month(), today.day()) < (date.month(), date.day());
        let age = today.year() - date.year() - i32::from(birthday_to_come);
        if date >= today || age > 100 {
            return Err(Invalid("Data de nascimento inválida: informe uma data real no passado."));
        }
        if age < 18 {
            return Err(Invalid("Data de nascimento inválida: o seguro pede pelo menos 18 anos."));
        }
        Ok(DataNascimento(date))
    }

    /// "15/03/1985".
    pub fn formatted(&self) -> String {
        self.0.format("%d/%m/%Y").to_string()
    }
}

impl fmt::Debug for DataNascimento {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataNascimento(***)")
    }
}

impl serde::Serialize for DataNascimento {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.formatted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn accepts_real_past_dates() {
        assert_eq!(DataNascimento::parse("15/03/1985", today()).unwrap().formatted(), "15/03/1985");
        assert_eq!(DataNascimento::parse("1985-03-15", today()).unwrap().formatted(), "15/03/1985");
    }

    #[test]
    fn rejects_impossible_future_and_ancient_dates() {
        for bad in ["31/02/1985", "15/13/1985", "01/01/2030", "24/11/2026", "01/01/1800", "1985"] {
            assert!(DataNascimento::parse(bad, today()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_portal_wants_18_to_100_years() {
        assert!(DataNascimento::parse("24/11/2008", today()).is_ok(), "18 today");
        assert!(DataNascimento::parse("25/11/2008", today()).unwrap_err().0.contains("18 anos"), "18 tomorrow");
        assert!(DataNascimento::parse("25/11/1925", today()).is_ok(), "100");
        assert!(DataNascimento::parse("24/11/1925", today()).is_err(), "101 today");
    }
}
