//! The real portal's screens known before the first quote: `config/portal_fingerprints.json`
//! (`RPA_PORTAL_FINGERPRINTS_FILE`), the fingerprints the robot computes on the real portal's
//! screens 1–6 as captured during real quotes. At start they join the fingerprints the service
//! knows ([`super::fingerprints`]), so a portal whose screen 2 no longer looks like its capture is
//! named in health from the very first quote, not only after a first success has set a baseline.
//!
//! They describe the real portal only: they are used when the robots quote on it
//! (`RPA_PORTAL_URL` unset, the robot's default, or on the portal's own host), never on the
//! simulated portal or another one.

use crate::store::db::DbError;
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum KnownScreensError {
    #[error("não foi possível ler as telas conhecidas do portal em {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("as telas conhecidas do portal em {path} não são válidas: {detail}")]
    Invalid { path: String, detail: String },
}

/// What the file says: whose screens, captured when, and each screen's known fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct KnownScreens {
    /// The portal's host ("app.tosegurado.com.br").
    pub portal: String,
    /// The day of the captures (AAAA-MM-DD).
    pub capturado_em: chrono::NaiveDate,
    /// Screen number → its fingerprints (16 lowercase hex each).
    pub telas: BTreeMap<u8, Vec<String>>,
}

pub fn load(path: &Path) -> Result<KnownScreens, KnownScreensError> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|source| KnownScreensError::Read { path: shown.clone(), source })?;
    let known: KnownScreens = serde_json::from_str(&text)
        .map_err(|e| KnownScreensError::Invalid { path: shown.clone(), detail: e.to_string() })?;
    let well_formed =
        |fp: &String| fp.len() == 16 && fp.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    for (tela, prints) in &known.telas {
        if !(1..=15).contains(tela) || prints.is_empty() || !prints.iter().all(well_formed) {
            return Err(KnownScreensError::Invalid { path: shown, detail: format!("tela {tela}: {prints:?}") });
        }
    }
    Ok(known)
}

impl KnownScreens {
    /// Whether the robots quote on this portal: `portal_url` is the robots' `RPA_PORTAL_URL`
    /// (None: unset, the robot's default, the real portal).
    pub fn applies_to(&self, portal_url: Option<&str>) -> bool {
        let Some(url) = portal_url.map(str::trim).filter(|u| !u.is_empty()) else { return true };
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split(':').next().unwrap_or_default();
        host.eq_ignore_ascii_case(&self.portal)
    }

    /// Adds them to the fingerprints the service knows; returns how many were new.
    pub fn seed(&self, conn: &mut Connection) -> Result<usize, DbError> {
        let seen = format!("{}T00:00:00.000Z", self.capturado_em.format("%Y-%m-%d"));
        let tx = write_tx(conn)?;
        let mut added = 0;
        for (tela, prints) in &self.telas {
            for fingerprint in prints {
                added += tx.execute(
                    "INSERT OR IGNORE INTO screen_fingerprints (tela, fingerprint, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?3)",
                    params![tela, fingerprint, seen],
                )?;
            }
        }
        tx.commit()?;
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> KnownScreens {
        load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config/portal_fingerprints.json"))).unwrap()
    }

    #[test]
    fn the_shipped_file_names_the_real_portal_screens_1_to_6() {
        let known = shipped();
        assert_eq!(known.portal, "app.tosegurado.com.br");
        assert_eq!(known.telas.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn only_the_real_portal_is_judged_by_it() {
        let known = shipped();
        for url in [
            None,
            Some(""),
            Some("https://app.tosegurado.com.br/imediatosolucoes"),
            Some("https://APP.tosegurado.com.br:443/x"),
        ] {
            assert!(known.applies_to(url), "{url:?}");
        }
        for url in [
            "http://127.0.0.1:8090/imediatosolucoes",
            "https://app.tosegurado.com.br.exemplo.com/x",
            "http://localhost",
        ] {
            assert!(!known.applies_to(Some(url)), "{url}");
        }
    }

    #[test]
    fn seeding_is_idempotent_and_keeps_what_was_learnt() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO screen_fingerprints VALUES (7, 'aaaaaaaaaaaaaaaa', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
        let known = shipped();
        assert_eq!(known.seed(&mut conn).unwrap(), 6);
        assert_eq!(known.seed(&mut conn).unwrap(), 0);
        let n: i64 = conn.query_row("SELECT count(*) FROM screen_fingerprints", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 7);
    }

    #[test]
    fn a_malformed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("telas.json");
        std::fs::write(&path, r#"{"portal": "x", "capturado_em": "2025-08-29", "telas": {"2": ["XYZ"]}}"#).unwrap();
        assert!(matches!(load(&path), Err(KnownScreensError::Invalid { .. })));
    }
}
