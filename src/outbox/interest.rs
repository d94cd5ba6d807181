//! The visitor's choice of a plan ("Quero contratar este plano"): recorded once per quote and plan
//! (`interests`), with its `cotacao.interesse` event in the same write transaction, and only for
//! the visitor who started the quote (the resume token its first answer handed out). A second
//! identical choice records nothing; the other plan is a choice of its own.

use super::lead_events;
use crate::contract::status::JobStatus;
use crate::domain::session_id::SessionId;
use crate::store::db::{now, DbError};
use crate::store::write_tx::write_tx;
use rusqlite::{params, Connection, OptionalExtension};
use subtle::ConstantTimeEq;

/// One of the two plans of a quote (`plans.tipo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plano {
    Recomendado,
    Alternativo,
}

impl Plano {
    pub fn parse(s: &str) -> Option<Plano> {
        match s {
            "recomendado" => Some(Plano::Recomendado),
            "alternativo" => Some(Plano::Alternativo),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plano::Recomendado => "recomendado",
            Plano::Alternativo => "alternativo",
        }
    }
}

/// What became of a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interest {
    /// Recorded now, with its event (wake the delivery worker).
    Recorded,
    /// The same choice was recorded before: nothing new.
    AlreadyRecorded,
    UnknownSession,
    /// The resume token is not this quote's.
    WrongToken,
    /// The quote did not end with this plan.
    NoPlan,
}

/// Records that the visitor holding the token whose SHA-256 is `token_hash` chose `plano` of the
/// quote `session_id` (one write transaction). A canary quote is never a lead: unknown here.
pub fn record(
    conn: &mut Connection,
    session_id: &SessionId,
    token_hash: &str,
    plano: Plano,
) -> Result<Interest, DbError> {
    let tx = write_tx(conn)?;
    let job: Option<(i64, JobStatus, Option<String>)> = tx
        .query_row(
            "SELECT id, status, resume_token_hash FROM jobs WHERE session_id = ?1 AND canary = 0",
            [session_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((job_id, status, stored_hash)) = job else { return Ok(Interest::UnknownSession) };
    if !stored_hash.is_some_and(|h| bool::from(h.as_bytes().ct_eq(token_hash.as_bytes()))) {
        return Ok(Interest::WrongToken);
    }
    let (has_plan, already): (bool, bool) = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM plans WHERE job_id = ?1 AND tipo = ?2),
                EXISTS (SELECT 1 FROM interests WHERE job_id = ?1 AND plano = ?2)",
        params![job_id, plano.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if status != JobStatus::Success || !has_plan {
        return Ok(Interest::NoPlan);
    }
    if already {
        return Ok(Interest::AlreadyRecorded);
    }
    let event_id = lead_events::interest(&tx, job_id, plano.as_str())?;
    tx.execute(
        "INSERT INTO interests (job_id, plano, created_at, event_id) VALUES (?1, ?2, ?3, ?4)",
        params![job_id, plano.as_str(), now(), event_id],
    )?;
    tx.commit()?;
    Ok(Interest::Recorded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::resume_token::ResumeToken;

    /// A quote that ended as `status`, with a recommended plan only, and the token that owns it.
    fn quote(c: &Connection, status: &str, canary: bool) -> (SessionId, ResumeToken) {
        let (sid, token) = (SessionId::fresh(), ResumeToken::generate());
        c.execute(
            "INSERT INTO jobs (session_id, status, created_at, updated_at, max_attempts, placa, lead_id, resume_token_hash,
                               canary, input_json, veiculo)
             VALUES (?1, ?2, 'x', 'x', 2, 'ABC1D23', ?1, ?3, ?4, '{\"nome\": \"FULANO DE TAL\"}', 'ECOSPORT 2007/2007')",
            params![sid, status, token.hash(), canary],
        )
        .unwrap();
        c.execute(
            "INSERT INTO plans (job_id, tipo, plano, valor, valor_centavos, dados_json)
             VALUES (last_insert_rowid(), 'recomendado', 'Plano recomendado', 'R$ 3.099,18', 309918,
                     '{\"plano\": \"Plano recomendado\", \"valor\": \"R$ 3.099,18\", \"cpf\": \"52998224725\"}')",
            [],
        )
        .unwrap();
        (sid, token)
    }

    fn events(c: &Connection) -> Vec<serde_json::Value> {
        let mut stmt = c.prepare("SELECT data_json FROM events WHERE type = 'cotacao.interesse' ORDER BY id").unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        rows.map(|d| serde_json::from_str(&d.unwrap()).unwrap()).collect()
    }

    #[test]
    fn a_choice_is_recorded_once_with_its_event_for_the_token_holder_only() {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        let (sid, token) = quote(&c, "success", false);
        let other = ResumeToken::generate().hash();
        assert_eq!(record(&mut c, &sid, &other, Plano::Recomendado).unwrap(), Interest::WrongToken);
        assert_eq!(
            record(&mut c, &SessionId::fresh(), &token.hash(), Plano::Recomendado).unwrap(),
            Interest::UnknownSession
        );
        assert_eq!(record(&mut c, &sid, &token.hash(), Plano::Alternativo).unwrap(), Interest::NoPlan);
        assert!(events(&c).is_empty(), "nothing recorded for a refused choice");

        assert_eq!(record(&mut c, &sid, &token.hash(), Plano::Recomendado).unwrap(), Interest::Recorded);
        assert_eq!(record(&mut c, &sid, &token.hash(), Plano::Recomendado).unwrap(), Interest::AlreadyRecorded);
        let e = events(&c);
        assert_eq!(e.len(), 1, "a second identical choice is no second event");
        assert_eq!(
            (&e[0]["plano"], &e[0]["nome_plano"], &e[0]["valor"], &e[0]["valor_centavos"], &e[0]["veiculo_confirmado"]),
            (
                &"recomendado".into(),
                &"Plano recomendado".into(),
                &"R$ 3.099,18".into(),
                &309_918.into(),
                &"ECOSPORT 2007/2007".into()
            )
        );
        assert_eq!((&e[0]["session_id"], &e[0]["contato"]["nome"]), (&sid.as_str().into(), &"FULANO DE TAL".into()));
        let recorded: i64 = c.query_row("SELECT count(*) FROM interests", [], |r| r.get(0)).unwrap();
        assert_eq!(recorded, 1);
    }

    #[test]
    fn a_quote_without_plans_or_a_canary_takes_no_choice() {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrate(&mut c).unwrap();
        let (running, token) = quote(&c, "running", false);
        assert_eq!(record(&mut c, &running, &token.hash(), Plano::Recomendado).unwrap(), Interest::NoPlan);
        let (canary, token) = quote(&c, "success", true);
        assert_eq!(record(&mut c, &canary, &token.hash(), Plano::Recomendado).unwrap(), Interest::UnknownSession);
        assert!(events(&c).is_empty());
    }
}
