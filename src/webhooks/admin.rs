//! `rpa-v4 webhooks listar` and `rpa-v4 webhooks reenviar`: the operator's view of the deliveries
//! that have not reached their endpoint, and putting dead ones back in line (all of them, a
//! session's or a turned-away lead's, an endpoint's; an id the database does not know is an
//! error). They work on an existing database alone, with the service running or not; a running
//! service sends what is put back within a second. Nothing printed here comes from an event's data.

use crate::outbox::report::{self, ResendError, ResendFilter};
use crate::store::db::DbError;
use rusqlite::Connection;

/// The pending and dead deliveries as a table for a terminal.
pub fn list(conn: &Connection) -> Result<String, DbError> {
    let rows = report::undelivered(conn)?;
    if rows.is_empty() {
        return Ok("Nenhum webhook pendente ou morto: tudo foi entregue.\n".into());
    }
    let mut table = vec![[
        "situação",
        "evento",
        "tipo",
        "sessão ou lead",
        "endpoint",
        "tentativas",
        "próxima tentativa",
        "último resultado",
    ]
    .map(String::from)];
    for r in &rows {
        table.push([
            r.status.clone(),
            r.event_id.clone(),
            r.kind.clone(),
            r.session_id.clone().or_else(|| r.lead_id.clone()).unwrap_or_else(|| "alerta".into()),
            r.endpoint_name.clone(),
            r.attempts.to_string(),
            r.next_attempt_at.clone().unwrap_or_else(|| "—".into()),
            r.last_result.clone().unwrap_or_else(|| "—".into()),
        ]);
    }
    let widths: Vec<usize> =
        (0..8).map(|c| table.iter().map(|row| row[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &table {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    let dead = rows.iter().filter(|r| r.status == "morto").count();
    out.push_str(&format!(
        "\n{} pendente(s), {dead} morto(s). Para reenviar os mortos: rpa-v4 webhooks reenviar [--sessao ID] [--endpoint NOME]\n",
        rows.len() - dead
    ));
    Ok(out)
}

/// Puts the matching dead deliveries back in line; says what it did.
pub fn resend(conn: &mut Connection, filter: &ResendFilter) -> Result<String, ResendError> {
    let done = report::resend_dead(conn, filter)?;
    let mut out = format!("{} entrega(s) morta(s) de volta à fila de envio.\n", done.resent);
    if done.without_data > 0 {
        out.push_str(&format!(
            "{} entrega(s) morta(s) não podem ser reenviadas: os dados do evento já foram apagados pela retenção.\n",
            done.without_data
        ));
    }
    Ok(out)
}
