//! `DataNascimento`: a birth date, a real date in the past, written DD/MM/AAAA.

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
        if date >= today || date.year() < today.year() - 120 {
            return Err(Invalid("Data de nascimento inválida: informe uma data real no passado."));
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
}
