//! Every visitor with a valid form is a lead, delivered once: queued, or turned away by a full
//! queue (503 that says the data arrived). Floods stopped by the rate limit, invalid forms and
//! repeated submits are not new leads. The retention purge takes the leads' personal data.

use crate::support::receiver::{Receiver, STANDARD_SECRET};
use crate::support::{person, Options, TestApp};
use serde_json::{json, Value};

fn lead_events(app: &TestApp) -> i64 {
    app.scalar("SELECT count(*) FROM events WHERE type = 'lead.recebido'")
}

fn webhooks(rx: &Receiver) -> Option<Value> {
    Some(json!([{"url": rx.url("crm"), "segredo": STANDARD_SECRET, "formato": "standard"}]))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_queue_still_records_the_lead_once_and_a_later_quote_keeps_that_lead() {
    let rx = Receiver::start().await;
    let app = TestApp::spawn(Options {
        slots: 1,
        queue_limit: 1,
        pause_ms: 150,
        webhooks: webhooks(&rx),
        ..Default::default()
    })
    .await;
    let running = app.start(&person("AAA1111")).await;
    app.wait_until(&running, "running", |p| p["status"] == "running").await;
    let waiting = app.start(&person("AAA2222")).await;

    let mut visitor = person("AAA3333");
    visitor["cpf"] = json!("111.444.777-35");
    visitor["nome"] = json!("BELTRANO DE TAL");
    let r = app.post_start(&visitor).await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    let body: Value = r.json().await.unwrap();
    assert_eq!((body["success"].as_bool(), body["dados_recebidos"].as_bool()), (Some(false), Some(true)), "{body}");
    assert!(body["error"].as_str().unwrap().contains("Recebemos seus dados"), "{body}");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM jobs"), 2, "no robot for the turned-away visitor");
    let again = app.post_start(&visitor).await;
    assert_eq!(again.status(), 503, "a repeated submit while full");
    assert_eq!(app.scalar::<i64>("SELECT count(*) FROM turned_away"), 1, "the same lead");

    let got =
        rx.wait_for("the turned-away lead", |r| r.iter().any(|x| x.json()["data"]["situacao"] == "fila_cheia")).await;
    let lead = got.iter().map(|x| x.json()).find(|b| b["data"]["situacao"] == "fila_cheia").unwrap();
    let lead_id = lead["data"]["lead_id"].as_str().unwrap().to_string();
    assert_eq!(lead["type"], "lead.recebido");
    assert_eq!(lead["data"]["session_id"], Value::Null);
    assert_eq!(
        (lead["data"]["contato"]["nome"].as_str(), lead["data"]["contato"]["cpf"].as_str()),
        (Some("BELTRANO DE TAL"), Some("11144477735"))
    );
    assert!(lead["data"]["motivo"].as_str().unwrap().contains("fila de cotações estava cheia"));
    let callbacks: String = app.scalar("SELECT group_concat(motivo || ':' || nome) FROM callbacks");
    assert_eq!(callbacks, "fila_cheia:BELTRANO DE TAL", "the salesperson's list");

    // Once the queue has room, the same visitor trying again gets a quote under the same lead.
    app.wait_until(&waiting, "the waiting quote to run", |p| p["status"] != "waiting").await;
    let sid = app.start(&visitor).await;
    assert_eq!(app.scalar::<String>(&format!("SELECT lead_id FROM jobs WHERE session_id = '{sid}'")), lead_id);
    assert_eq!(app.wait_terminal(&sid).await["status"], "success");
    app.wait_db(
        "its quote event",
        &format!("SELECT count(*) = 1 FROM events WHERE type = 'cotacao.concluida' AND session_id = '{sid}'"),
    )
    .await;
    let mine: Vec<(String, String)> = {
        let db = app.db();
        let mut stmt = db.prepare("SELECT type, lead_id FROM events WHERE lead_id = ?1 ORDER BY id").unwrap();
        stmt.query_map([&lead_id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let kinds: Vec<&str> = mine.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["lead.recebido", "cotacao.estimativa", "cotacao.concluida"], "one lead, then its quote");
    assert_eq!(lead_events(&app), 3, "the two quotes' leads and the turned-away one, nothing twice");
    let callbacks: i64 = app.scalar("SELECT count(*) FROM callbacks");
    assert_eq!(callbacks, 0, "the visitor got a quote after all");
    app.wait_all_delivered().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn floods_invalid_forms_and_double_submits_are_not_new_leads() {
    let rx = Receiver::start().await;
    let app =
        TestApp::spawn(Options { rate_limit_per_min: 3, pause_ms: 100, webhooks: webhooks(&rx), ..Default::default() })
            .await;
    let invalid = json!({"cpf": "123", "nome": "FULANO DE TAL", "placa": "ABC1D23", "cep": "01310-100"});
    assert_eq!(app.post_start(&invalid).await.status(), 422);
    let r: Value = app.post_start(&person("ABC1D23")).await.json().await.unwrap();
    let first = r["session_id"].as_str().unwrap().to_string();
    let mut again = person("abc-1d23");
    again["token_retomada"] = r["token_retomada"].clone();
    let twice = app.start(&again).await;
    assert_eq!(twice, first, "a double submit is the same quote");
    let limited = app.post_start(&person("XYZ9876")).await;
    assert_eq!(limited.status(), 429, "the fourth request in a minute (the limit counts every request)");
    assert_eq!(lead_events(&app), 1, "no lead for the invalid form, the repeat or the flood");
    app.wait_terminal(&first).await;
    app.wait_db("delivered", "SELECT count(*) = 3 FROM deliveries WHERE status = 'entregue'").await;
    let leads = rx.received().iter().filter(|r| r.kind() == "lead.recebido").count();
    assert_eq!(leads, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_retention_purge_takes_the_personal_data_of_turned_away_visitors_and_settled_events() {
    let rx = Receiver::start().await;
    let app = TestApp::spawn(Options {
        slots: 1,
        queue_limit: 1,
        pause_ms: 150,
        webhooks: webhooks(&rx),
        ..Default::default()
    })
    .await;
    let first = app.start(&person("AAA1111")).await;
    app.wait_until(&first, "running", |p| p["status"] == "running").await;
    app.start(&person("AAA2222")).await;
    assert_eq!(app.post_start(&person("AAA3333")).await.status(), 503);
    app.wait_db("every quote ended", "SELECT count(*) = 0 FROM jobs WHERE status IN ('queued', 'running')").await;
    app.wait_all_delivered().await;
    let db = app.db();
    db.execute("UPDATE turned_away SET created_at = '2020-01-01T00:00:00.000Z'", []).unwrap();
    db.execute("UPDATE jobs SET finished_at = '2020-01-01T00:00:00.000Z'", []).unwrap();
    db.execute("UPDATE events SET created_at = '2020-01-01T00:00:00.000Z'", []).unwrap();
    // One old event still waits for a delivery: its data stays until it is delivered or dead.
    // (The operator's alerts, `alerta.*`, carry no personal data and are not the purge's business.)
    let waiting: i64 =
        db.query_row("SELECT min(id) FROM events WHERE type NOT LIKE 'alerta.%'", [], |r| r.get(0)).unwrap();
    db.execute(
        "UPDATE deliveries SET status = 'pendente', next_attempt_at = '2999-01-01T00:00:00.000Z' WHERE event_id = ?1",
        [waiting],
    )
    .unwrap();
    let events: i64 = app.scalar("SELECT count(*) FROM events WHERE type NOT LIKE 'alerta.%'");

    let (ok, out) = app.cli(&["purge", "--retention-days", "30"]);
    assert!(ok, "{out}");
    assert!(
        out.contains(&format!(
            "2 cotação(ões) anonimizada(s), 1 visitante(s) recusado(s) pela fila cheia e {} evento(s)",
            events - 1
        )),
        "{out}"
    );
    let left: String = app.scalar(
        "SELECT coalesce((SELECT group_concat(coalesce(cpf, '') || coalesce(input_json, '')) FROM turned_away), '') ||
                coalesce((SELECT group_concat(data_json) FROM events WHERE id <> (SELECT min(id) FROM events) AND type NOT LIKE 'alerta.%'), '')",
    );
    assert_eq!(left, "", "no personal data left in turned-away visitors or settled events");
    let kept: (i64, i64) = db
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE type IS NOT NULL AND lead_id IS NOT NULL) FROM events WHERE type NOT LIKE 'alerta.%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kept, (events, events), "events keep their type and lead");
    let pending_data: Option<String> =
        db.query_row("SELECT data_json FROM events WHERE id = ?1", [waiting], |r| r.get(0)).unwrap();
    assert!(pending_data.is_some(), "a pending event keeps what it must still deliver");
}
