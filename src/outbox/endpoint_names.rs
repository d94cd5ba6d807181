//! What each webhook endpoint is called wherever an operator reads about it (the log, `rpa-v4
//! webhooks listar`, health, messages): the `nome` the webhooks file gives it, or by default its
//! host and path (never the query, which may hold a token). The service records the names of
//! the endpoints it delivers to (`endpoint_names`), so the commands that read only the database
//! show the same names; an endpoint no longer in the file keeps the last one.

use crate::store::db::DbError;
use crate::store::write_tx::write_tx;
use reqwest::Url;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// An endpoint without a `nome`: its host (and port) and path, without a trailing `/`.
pub fn default_name(url: &str) -> String {
    let Ok(u) = Url::parse(url) else { return "?".into() };
    let host = match (u.host_str(), u.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => return "?".into(),
    };
    format!("{host}{}", u.path().trim_end_matches('/'))
}

/// Records the names of the endpoints configured now (URL, name).
pub fn record(conn: &mut Connection, endpoints: &[(String, String)]) -> Result<(), DbError> {
    let tx = write_tx(conn)?;
    for (endpoint, name) in endpoints {
        tx.execute(
            "INSERT INTO endpoint_names (endpoint, name) VALUES (?1, ?2)
             ON CONFLICT (endpoint) DO UPDATE SET name = excluded.name WHERE name <> excluded.name",
            params![endpoint, name],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The recorded names, by URL.
#[derive(Debug, Clone, Default)]
pub struct Names(HashMap<String, String>);

impl Names {
    pub fn read(conn: &Connection) -> Result<Names, DbError> {
        let mut stmt = conn.prepare_cached("SELECT endpoint, name FROM endpoint_names")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(Names(rows.collect::<Result<_, _>>()?))
    }

    /// The endpoint's recorded name, or its default one.
    pub fn of(&self, endpoint: &str) -> String {
        self.0.get(endpoint).cloned().unwrap_or_else(|| default_name(endpoint))
    }

    /// Whether an operator's `--endpoint` means this endpoint: its URL, its name, its default
    /// name, or its host (and port).
    pub fn matches(&self, endpoint: &str, given: &str) -> bool {
        let given = given.trim();
        let host = Url::parse(endpoint).ok().and_then(|u| {
            let h = u.host_str()?.to_string();
            Some(u.port().map_or(h.clone(), |p| format!("{h}:{p}")))
        });
        given == endpoint
            || given == self.of(endpoint)
            || given == default_name(endpoint)
            || host.is_some_and(|h| h == given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_name_is_host_and_path_without_the_query() {
        assert_eq!(default_name("https://crm.example/lead?token=abc"), "crm.example/lead");
        assert_eq!(default_name("http://127.0.0.1:9000/x/"), "127.0.0.1:9000/x");
        assert_eq!(default_name("https://crm.example/"), "crm.example");
        assert_eq!(default_name("nao e url"), "?");
    }

    #[test]
    fn names_are_recorded_and_an_endpoint_is_found_by_any_of_its_names() {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        let (a, b) = ("https://crm.example/lead?t=1", "https://crm.example/alertas");
        record(&mut c, &[(a.into(), "CRM leads".into())]).unwrap();
        record(&mut c, &[(a.into(), "CRM".into())]).unwrap();
        let names = Names::read(&c).unwrap();
        assert_eq!((names.of(a), names.of(b)), ("CRM".to_string(), "crm.example/alertas".to_string()));
        for given in [a, "CRM", "crm.example/lead", "crm.example"] {
            assert!(names.matches(a, given), "{given}");
        }
        assert!(!names.matches(a, "crm.example/alertas"));
    }
}
