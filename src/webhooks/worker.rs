//! The delivery loop. It fans new events out to the configured endpoints, takes the pending
//! deliveries that are due and sends each on its own task, at most `RPA_WEBHOOK_CONCURRENCY` at a
//! time per endpoint (so a receiver that hangs holds up only its own line), with a connect limit
//! of 5 s and a total limit of `RPA_WEBHOOK_TIMEOUT_S`. Each result is written back before the
//! delivery can be taken again.
//!
//! A receiver whose TLS certificate is refused is reported as "certificado TLS recusado", with
//! the verifier's reason, in the attempt's result and its log line (with the event and the
//! endpoint). An endpoint on this machine is never sent through a proxy, whatever `HTTP_PROXY`, `HTTPS_PROXY`
//! or `ALL_PROXY` say (its events carry personal data, allowed over plain http only because they
//! never leave the machine); the others follow the proxy variables of the environment.
//!
//! It runs on its own tasks and touches the database only in short transactions, so a slow or
//! dead receiver slows neither `POST /api/rpa/start` nor the runners. Delivery is at least once:
//! after a crash between a receiver's answer and its record, the delivery is sent again with the
//! same `webhook-id` and the same body. Log lines name the event, its type and the endpoint (by
//! its name), never the event's data or the receiver's answer. At start it records the endpoints'
//! names in the database, for `rpa-v4 webhooks listar` and health.

use super::body;
use super::endpoints::{Endpoint, Format};
use super::retry::{retry_after, Schedule};
use super::signature;
use crate::outbox::deliveries::{self, Attempted, Due, Subscription};
use crate::outbox::endpoint_names::{self, default_name};
use crate::outbox::event::EventType;
use crate::queue::wakeup::Wakeup;
use crate::store::db::{self, Pool};
use crate::unix::shutdown::Shutdown;
use chrono::Utc;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore};

/// The longest the loop sleeps before looking at the database again (a `rpa-v4 webhooks
/// reenviar` from another process is seen within this time).
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// Connect limit; the total limit is the configured timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// After new events are announced, how long the loop waits for more before fanning them out.
const GATHER: Duration = Duration::from_millis(25);
/// How often pending deliveries to endpoints no longer configured are looked for.
const RETIRE_EVERY: Duration = Duration::from_secs(60);

/// How the worker delivers.
#[derive(Debug, Clone)]
pub struct Settings {
    pub endpoints: Vec<Endpoint>,
    pub schedule: Schedule,
    /// Total time limit of one attempt.
    pub timeout: Duration,
    /// Deliveries in flight at once, per endpoint.
    pub concurrency: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("não foi possível preparar o cliente HTTP dos webhooks: {0}")]
pub struct WorkerError(#[from] reqwest::Error);

struct Worker {
    db: Pool,
    settings: Settings,
    /// For endpoints elsewhere: the environment's proxy variables apply.
    client: reqwest::Client,
    /// For endpoints on this machine: no proxy, ever.
    direct: reqwest::Client,
    /// Deliveries being sent now: not taken again until their result is written.
    busy: Mutex<HashSet<(i64, String)>>,
    /// Each endpoint's concurrency limit, in the order of `settings.endpoints`.
    lanes: Vec<Arc<Semaphore>>,
    /// A delivery finished: its lane has room.
    finished: Notify,
    /// The queue's wake-up call: events were committed.
    wakeup: Arc<Wakeup>,
}

/// Starts the delivery loop; it stops taking deliveries when the service shuts down.
pub fn spawn(
    db: Pool,
    settings: Settings,
    wakeup: Arc<Wakeup>,
    shutdown: Arc<Shutdown>,
) -> Result<tokio::task::JoinHandle<()>, WorkerError> {
    let builder = || {
        reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT.min(settings.timeout))
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("rpa-v4/", env!("CARGO_PKG_VERSION")))
    };
    let (client, direct) = (builder().build()?, builder().no_proxy().build()?);
    let lanes = settings.endpoints.iter().map(|_| Arc::new(Semaphore::new(settings.concurrency.max(1)))).collect();
    let worker = Arc::new(Worker {
        db,
        settings,
        client,
        direct,
        busy: Mutex::default(),
        lanes,
        finished: Notify::new(),
        wakeup,
    });
    Ok(tokio::spawn(worker.run(shutdown)))
}

impl Worker {
    async fn run(self: Arc<Self>, shutdown: Arc<Shutdown>) {
        self.record_names().await;
        let mut retired: Option<Instant> = None;
        while !shutdown.is_triggered() {
            if retired.map_or(true, |t| t.elapsed() >= RETIRE_EVERY) {
                self.retire_unconfigured().await;
                retired = Some(Instant::now());
            }
            self.fan_out().await;
            let wait = if self.dispatch_due().await { IDLE_CHECK } else { self.until_next_due().await };
            tokio::select! {
                // New events come in bursts under load: one fan-out for the burst, not one each.
                _ = self.wakeup.events() => tokio::time::sleep(GATHER).await,
                _ = self.finished.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.triggered() => {}
            }
        }
    }

    async fn record_names(&self) {
        let names: Vec<(String, String)> =
            self.settings.endpoints.iter().map(|e| (e.key().to_string(), e.name.clone())).collect();
        if let Err(e) = db::run(&self.db, move |c| endpoint_names::record(c, &names)).await {
            tracing::error!(error = %e, "falha ao gravar os nomes dos endpoints de webhook");
        }
    }

    /// What the endpoint of a delivery is called.
    fn name_of(&self, endpoint: &str) -> String {
        self.settings
            .endpoints
            .iter()
            .find(|e| e.key() == endpoint)
            .map_or_else(|| default_name(endpoint), |e| e.name.clone())
    }

    async fn fan_out(&self) {
        let endpoints: Vec<(String, Vec<EventType>)> =
            self.settings.endpoints.iter().map(|e| (e.key().to_string(), e.events.clone())).collect();
        let created = db::run(&self.db, move |c| {
            let subs: Vec<Subscription> =
                endpoints.iter().map(|(e, ev)| Subscription { endpoint: e, events: ev }).collect();
            deliveries::fan_out(c, &subs)
        })
        .await;
        if let Err(e) = created {
            tracing::error!(error = %e, "falha ao preparar as entregas de webhooks");
        }
    }

    async fn retire_unconfigured(&self) {
        let configured: Vec<String> = self.settings.endpoints.iter().map(|e| e.key().to_string()).collect();
        let retired = db::run(&self.db, move |c| {
            let keys: Vec<&str> = configured.iter().map(String::as_str).collect();
            deliveries::retire_unconfigured(c, &keys)
        })
        .await;
        match retired {
            Ok(0) => {}
            Ok(n) => tracing::error!(
                entregas = n,
                "entregas pendentes para endpoints que não estão mais em RPA_WEBHOOKS_FILE ficaram mortas: veja `rpa-v4 webhooks listar`"
            ),
            Err(e) => tracing::error!(error = %e, "falha ao conferir os endpoints das entregas pendentes"),
        }
    }

    /// Starts a task for each due delivery while its endpoint's lane has room; `true` if any was
    /// started.
    async fn dispatch_due(self: &Arc<Self>) -> bool {
        let mut started = false;
        for (endpoint, lane) in self.settings.endpoints.iter().zip(&self.lanes) {
            let free = lane.available_permits();
            if free == 0 {
                continue;
            }
            let busy = self.busy.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let key = endpoint.key().to_string();
            let due = match db::run(&self.db, move |c| deliveries::due(c, &key, Utc::now(), free, &busy)).await {
                Ok(d) => d,
                Err(e) => {
                    tracing::error!(error = %e, "falha ao buscar entregas de webhooks");
                    continue;
                }
            };
            for d in due {
                let Ok(permit) = lane.clone().try_acquire_owned() else { break };
                started = true;
                self.busy.lock().unwrap_or_else(|e| e.into_inner()).insert(d.key());
                let me = self.clone();
                tokio::spawn(async move {
                    let outcome = me.attempt(&d).await;
                    me.record(&d, outcome).await;
                    me.busy.lock().unwrap_or_else(|e| e.into_inner()).remove(&d.key());
                    drop(permit);
                    me.finished.notify_one();
                });
            }
        }
        started
    }

    /// How long until the next pending delivery is due (at most [`IDLE_CHECK`]).
    async fn until_next_due(&self) -> Duration {
        let now = Utc::now();
        match db::run(&self.db, move |c| deliveries::next_due_after(c, now)).await {
            Ok(Some(t)) => (t - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(IDLE_CHECK),
            _ => IDLE_CHECK,
        }
    }

    /// Sends one delivery and says how it went.
    async fn attempt(&self, d: &Due) -> Attempted {
        let Some(ep) = self.settings.endpoints.iter().find(|e| e.key() == d.endpoint) else {
            return Attempted::Dead { result: "o endpoint não está mais em RPA_WEBHOOKS_FILE".into() };
        };
        let Some(data) = d.data_json.as_deref() else {
            return Attempted::Dead { result: "os dados do evento já foram apagados pela retenção".into() };
        };
        let Some(body) = body::render(ep.format, &d.kind, &d.created_at, data) else {
            return Attempted::Dead { result: "os dados do evento não puderam ser lidos".into() };
        };
        let now = Utc::now();
        let client = if ep.is_loopback() { &self.direct } else { &self.client };
        let request =
            client.post(ep.url.clone()).header(CONTENT_TYPE, "application/json").header("webhook-id", &d.event_id);
        let request = match ep.format {
            Format::Standard => {
                let ts = now.timestamp();
                request
                    .header("webhook-timestamp", ts)
                    .header("webhook-signature", signature::standard(ep.secret.bytes(), &d.event_id, ts, &body))
            }
            Format::WebflowForm => {
                let ts = now.timestamp_millis();
                request
                    .header("X-Webflow-Timestamp", ts)
                    .header("X-Webflow-Signature", signature::webflow(ep.secret.bytes(), ts, &body))
            }
        };
        let attempts_done = d.attempts + 1;
        match request.body(body).send().await {
            Ok(resp) if resp.status().is_success() => {
                Attempted::Delivered { result: format!("HTTP {}", resp.status().as_u16()) }
            }
            Ok(resp) if resp.status() == StatusCode::GONE => {
                Attempted::EndpointGone { result: "HTTP 410: o receptor desativou o endpoint".into() }
            }
            Ok(resp) => {
                let status = resp.status();
                let asked = matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE)
                    .then(|| resp.headers().get(RETRY_AFTER)?.to_str().ok().and_then(|h| retry_after(h, now)))
                    .flatten();
                self.retry_or_dead(attempts_done, asked, format!("HTTP {}", status.as_u16()))
            }
            Err(e) => {
                let result = if e.is_timeout() {
                    format!("tempo esgotado ({} s)", self.settings.timeout.as_secs_f64())
                } else if let Some(why) = refused_certificate(&e) {
                    format!("certificado TLS recusado ({why})")
                } else if e.is_connect() {
                    "sem conexão com o receptor".to_string()
                } else {
                    "erro de rede".to_string()
                };
                self.retry_or_dead(attempts_done, None, result)
            }
        }
    }

    fn retry_or_dead(&self, attempts_done: u32, asked: Option<Duration>, result: String) -> Attempted {
        match self.settings.schedule.next_delay(attempts_done) {
            None => Attempted::Dead { result: format!("{result}; tentativas esgotadas ({attempts_done})") },
            Some(delay) => {
                let wait = chrono::Duration::from_std(asked.unwrap_or(delay)).unwrap_or(chrono::Duration::MAX);
                Attempted::Retry { at: Utc::now() + wait, result }
            }
        }
    }

    async fn record(&self, d: &Due, outcome: Attempted) {
        let (row, o) = (d.clone(), outcome.clone());
        let stored = db::run(&self.db, move |c| deliveries::record_attempt(c, &row, &o)).await;
        let (evento, tipo, endpoint, tentativa) = (&d.event_id, &d.kind, self.name_of(&d.endpoint), d.attempts + 1);
        if let Err(e) = stored {
            tracing::error!(%evento, error = %e, "falha ao gravar o resultado de um webhook; ele será enviado de novo");
            return;
        }
        crate::telemetry::metrics::webhook_attempt(match &outcome {
            Attempted::Delivered { .. } => "entregue",
            Attempted::Retry { .. } => "repetir",
            Attempted::Dead { .. } | Attempted::EndpointGone { .. } => "morto",
        });
        match &outcome {
            Attempted::Delivered { .. } => tracing::info!(%evento, %tipo, %endpoint, tentativa, "webhook entregue"),
            Attempted::Retry { at, result } => {
                let em_s = (*at - Utc::now()).num_milliseconds().max(0) as f64 / 1000.0;
                tracing::warn!(%evento, %tipo, %endpoint, tentativa, %result, proxima_em_s = em_s, "webhook falhou; nova tentativa agendada")
            }
            Attempted::Dead { result } => tracing::error!(
                %evento, %tipo, %endpoint, tentativa, %result,
                "webhook não entregue (morto): veja `rpa-v4 webhooks listar` e reenvie com `rpa-v4 webhooks reenviar`"
            ),
            Attempted::EndpointGone { result } => tracing::error!(
                %evento, %endpoint, %result,
                "endpoint de webhook desativado pelo receptor: corrija RPA_WEBHOOKS_FILE e rode `rpa-v4 webhooks reenviar --endpoint`"
            ),
        }
    }
}

/// Why the receiver's TLS certificate was refused, when that is what ended the attempt: the
/// verifier's own words, from the chain of causes.
fn refused_certificate(e: &reqwest::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        let text = c.to_string();
        if text.contains("certificate") && c.source().map_or(true, |s| !s.to_string().contains("certificate")) {
            return Some(text);
        }
        cause = c.source();
    }
    None
}
