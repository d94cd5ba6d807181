//! `SessionId`: `rpa_v4_YYYYMMDD_HHMMSS_` + 32 hex characters of randomness.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::io::Read;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct SessionId(String);

impl SessionId {
    /// A new id for `now` (UTC) with 128 random bits from the kernel.
    pub fn generate(now: chrono::DateTime<chrono::Utc>) -> SessionId {
        let mut bytes = [0u8; 16];
        let from_kernel = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
        if from_kernel.is_err() {
            bytes = *uuid::Uuid::new_v4().as_bytes();
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        SessionId(format!("rpa_v4_{}_{hex}", now.format("%Y%m%d_%H%M%S")))
    }

    /// A new id for this instant.
    pub fn fresh() -> SessionId {
        SessionId::generate(chrono::Utc::now())
    }

    /// Accepts only the exact shape above (anything else is an unknown session).
    pub fn parse(s: &str) -> Option<SessionId> {
        let b = s.as_bytes();
        let ok = b.len() == 7 + 8 + 1 + 6 + 1 + 32
            && s.starts_with("rpa_v4_")
            && b[7..15].iter().all(u8::is_ascii_digit)
            && b[15] == b'_'
            && b[16..22].iter().all(u8::is_ascii_digit)
            && b[22] == b'_'
            && b[23..].iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c));
        ok.then(|| SessionId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Read back from SQL only in its exact shape.
impl FromSql for SessionId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        SessionId::parse(s).ok_or_else(|| FromSqlError::Other(format!("id de sessão inválido: {s}").into()))
    }
}

impl ToSql for SessionId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_and_differ() {
        let now = chrono::Utc::now();
        let a = SessionId::generate(now);
        let b = SessionId::generate(now);
        assert_ne!(a, b);
        assert!(SessionId::parse(a.as_str()).is_some());
        assert!(SessionId::parse("rpa_v4_20261124_221300_1234").is_none());
        assert!(SessionId::parse("../etc/passwd").is_none());
    }
}
