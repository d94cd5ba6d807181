//! Wiring `rpa-v4 serve`: defaults, webhook endpoints, canary file, the database's instance lock,
//! the database, crash recovery, the preflight and its gate, runner slots, webhook delivery, the
//! health monitor and its alerts, the canary scheduler, retention task, the HTTP server and the
//! metrics' own server, and the shutdown order (runners first, then HTTP).
//!
//! A configuration problem the preflight finds (robot, Chromium, credentials, data directories)
//! does not stop the service: it starts `unhealthy`, keeps taking visitors' requests (each one a
//! lead, announced to the webhooks at once) and holds them in the queue, alerts the operator, and
//! checks again every 30 s; the queue drains by itself once the check passes. A broken file the
//! service itself reads (defaults, webhooks, canary) is still a start-up error: nothing sensible
//! can run without it, and systemd shows the message.

use crate::api::{router, scrape, server, state::AppState};
use crate::config::settings::{HttpLimits, Settings};
use crate::domain::defaults;
use crate::guard::rate_limit::RateLimiter;
use crate::monitoring::{alerts, canary_schedule, evaluation, known_screens};
use crate::preflight::gate::{self, Gate};
use crate::preflight::installation;
use crate::queue::{canary, wakeup::Wakeup};
use crate::runner::browser_host::BrowserHost;
use crate::runner::{context::RunnerContext, pool, recover};
use crate::store::{db, instance_lock, retention};
use crate::unix::shutdown::{self, Shutdown};
use crate::webhooks::{endpoints, worker};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Defaults(#[from] defaults::DefaultsError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    InstanceLock(#[from] instance_lock::InstanceLockError),
    #[error(transparent)]
    Recover(#[from] recover::RecoverError),
    #[error(transparent)]
    Webhooks(#[from] endpoints::EndpointsError),
    #[error(transparent)]
    WebhookClient(#[from] worker::WorkerError),
    #[error(transparent)]
    Canary(#[from] canary::CanaryError),
    #[error("não foi possível criar o diretório de dados {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("não foi possível escutar em {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("erro no servidor HTTP: {0}")]
    Serve(std::io::Error),
    #[error("não foi possível tratar os sinais do sistema: {0}")]
    Signals(std::io::Error),
}

/// Runs the service until SIGTERM/SIGINT.
pub async fn serve(settings: Settings) -> Result<(), StartupError> {
    // First of all: from here on a SIGHUP (a closed terminal, a `systemctl kill -s HUP`) cannot end
    // the service.
    let gate = Arc::new(Gate::default());
    {
        let gate = gate.clone();
        crate::unix::hangup::on_hangup(move || {
            tracing::info!(
                "SIGHUP recebido: o serviço continua e verifica a instalação de novo agora                  (as configurações e os arquivos lidos na partida só mudam ao reiniciar)"
            );
            gate.recheck();
        })
        .map_err(StartupError::Signals)?;
    }
    let defaults = defaults::load(&settings.defaults_file)?;
    let webhook_endpoints = match &settings.webhooks.file {
        Some(path) => endpoints::load(path)?,
        None => Vec::new(),
    };
    let canary_quote = match &settings.monitoring.canary_file {
        Some(path) => Some(canary::load(path, &settings.defaults_file)?),
        None => None,
    };
    let data_dir = &settings.database.data_dir;
    crate::unix::private_files::create_dir(data_dir)
        .map_err(|source| StartupError::DataDir { path: data_dir.display().to_string(), source })?;
    crate::unix::private_files::warn_if_shared(data_dir, "O diretório das cotações (RPA_DATA_DIR)");
    // Before anything writes to the database or recovers its jobs: one service per database.
    let _instance = instance_lock::acquire(&settings.database.db)?;
    let pool = db::open_limited(&settings.database.db, 16, settings.db_max_mb)?;
    warn_about_missing_paths(&settings);
    seed_known_screens(&settings, &pool);
    let shutdown = Arc::new(Shutdown::default());
    let wakeup = Arc::new(Wakeup::default());
    let browser = shared_browser(&settings).await;
    let ctx = RunnerContext {
        db: pool.clone(),
        command: settings.command.clone(),
        data_dir: data_dir.clone(),
        job_timeout: settings.job_timeout,
        kill_grace: settings.kill_grace,
        shutdown_grace: settings.shutdown_grace,
        sync_interval: settings.sync_interval,
        backoff: settings.retry_backoff.clone(),
        shutdown: shutdown.clone(),
        wakeup: wakeup.clone(),
        gate: gate.clone(),
        browser: browser.clone(),
    };
    let recovered = {
        let ctx = ctx.clone();
        tokio::task::spawn_blocking(move || recover::recover_orphans(&ctx)).await.map_err(|_| db::DbError::Join)??
    };
    if recovered > 0 {
        tracing::warn!(recovered, "cotações interrompidas por uma parada anterior foram recuperadas");
    }

    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|source| StartupError::Bind { addr: settings.listen, source })?;
    let addr = listener.local_addr().map_err(StartupError::Serve)?;
    let metrics_listener = bind_metrics(&settings).await;
    println!("RPA V4 ouvindo em http://{addr}");
    if let Some(m) = metrics_listener.as_ref().and_then(|l| l.local_addr().ok()) {
        println!("RPA V4 métricas em http://{m}/metrics");
    }
    tracing::info!(%addr, slots = settings.slots, "serviço iniciado");

    let names: Vec<&str> = webhook_endpoints.iter().map(|e| e.name.as_str()).collect();
    tracing::info!(endpoints = webhook_endpoints.len(), nomes = ?names, "entrega de webhooks iniciada");
    let webhook_settings = worker::Settings {
        endpoints: webhook_endpoints,
        schedule: settings.webhooks.retry.clone(),
        timeout: settings.webhooks.timeout,
        concurrency: usize::from(settings.webhooks.concurrency),
    };
    worker::spawn(pool.clone(), webhook_settings, wakeup.clone(), shutdown.clone())?;
    spawn_preflight(&settings, browser.clone(), gate.clone(), wakeup.clone(), shutdown.clone());
    let slots = pool::start(&ctx, settings.slots);
    let window = evaluation::Window {
        attempts: settings.monitoring.window,
        minutes: settings.monitoring.window_minutes,
        queue_limit: settings.queue_limit,
    };
    alerts::spawn(pool.clone(), window, gate.clone(), wakeup.clone(), shutdown.clone());
    if let Some(quote) = canary_quote {
        tracing::info!(intervalo_s = settings.monitoring.canary_interval.as_secs(), "cotação canário ativada");
        let schedule = canary_schedule::Schedule {
            quote,
            interval: settings.monitoring.canary_interval,
            slots: settings.slots,
            max_attempts: settings.max_attempts,
        };
        canary_schedule::spawn(pool.clone(), schedule, gate.clone(), wakeup.clone(), shutdown.clone());
    }
    spawn_retention(&settings, pool.clone(), shutdown.clone());

    let state = AppState {
        db: pool,
        settings: Arc::new(settings.clone()),
        defaults: Arc::new(defaults),
        rate_limiter: Arc::new(RateLimiter::new(settings.rate_limit_per_min)),
        wakeup: wakeup.clone(),
        gate,
        browser: browser.clone(),
    };
    if let Some(l) = metrics_listener {
        let app = scrape::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let limits = HttpLimits { max_connections: METRICS_MAX_CONNECTIONS, ..settings.http.clone() };
        let stop = shutdown.clone();
        tokio::spawn(async move { server::serve(l, app, &limits, async move { stop.triggered().await }).await });
    }
    let app = router::router(state).into_make_service_with_connect_info::<SocketAddr>();

    tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            let name = shutdown::signal().await;
            tracing::info!(signal = name, "parada solicitada: nenhuma cotação nova será iniciada");
            shutdown.trigger();
            wakeup.runners();
        }
    });
    let browser_at_stop = browser.clone();
    let runners_done = async move {
        shutdown.triggered().await;
        let _ = tokio::task::spawn_blocking(move || {
            for s in slots {
                let _ = s.join();
            }
        })
        .await;
        if let Some(b) = &browser_at_stop {
            b.stop();
        }
        tracing::info!("runners parados; encerrando a API");
    };
    server::serve(listener, app, &settings.http, runners_done).await;
    tracing::info!("serviço encerrado");
    Ok(())
}

/// Connections the metrics' server keeps open at once: a scraper or two.
const METRICS_MAX_CONNECTIONS: u32 = 16;

/// The metrics' own listener (`RPA_METRICS_LISTEN`), and the start-up line that says where they
/// are now. A busy address does not stop the service (visitors matter more than a scrape): it is
/// logged as an error and the service runs without `GET /metrics`.
async fn bind_metrics(settings: &Settings) -> Option<tokio::net::TcpListener> {
    const MOVED: &str = "GET /metrics não existe mais na porta da API (lá responde 404)";
    let Some(addr) = settings.metrics_listen.0 else {
        tracing::info!("métricas desligadas (RPA_METRICS_LISTEN=desligado); {MOVED}");
        return None;
    };
    match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => {
            let url = l.local_addr().map(|a| format!("http://{a}/metrics")).unwrap_or_default();
            tracing::info!(
                metricas = %url,
                "métricas do Prometheus só no endereço próprio (RPA_METRICS_LISTEN); {MOVED}: aponte o Prometheus para {url}"
            );
            Some(l)
        }
        Err(e) => {
            tracing::error!(
                %addr, error = %e,
                "não foi possível escutar no endereço das métricas (RPA_METRICS_LISTEN): o serviço segue sem GET /metrics; \
                 escolha outra porta em RPA_METRICS_LISTEN"
            );
            None
        }
    }
}

/// Runs the preflight now, then every `RPA_PREFLIGHT_INTERVAL_S` (every 30 s at most while it
/// fails, and at once when a robot reports a configuration problem); opens or closes the gate.
fn spawn_preflight(
    settings: &Settings,
    browser: Option<Arc<BrowserHost>>,
    gate: Arc<Gate>,
    wakeup: Arc<Wakeup>,
    shutdown: Arc<Shutdown>,
) {
    let settings = Arc::new(settings.clone());
    tokio::spawn(async move {
        let mut last: Option<gate::State> = None;
        loop {
            let s = settings.clone();
            let b = browser.clone();
            let Ok(report) =
                tokio::task::spawn_blocking(move || installation::check(&s, &browser_for_check(b.as_deref()))).await
            else {
                return;
            };
            let problems: Vec<String> = report.problems().map(|c| format!("{}: {}", c.item, c.mensagem)).collect();
            let state = gate.record(report);
            match state {
                gate::State::Open => {
                    if problems.is_empty() {
                        if last != Some(gate::State::Open) {
                            tracing::info!("verificação da instalação passou: os robôs podem cotar");
                        }
                    } else {
                        tracing::warn!(problemas = ?problems, "verificação da instalação com avisos");
                    }
                    wakeup.runners();
                }
                _ => tracing::error!(
                    problemas = ?problems,
                    "a instalação não pode cotar: as cotações esperam na fila até a verificação passar (rode `rpa-v4 check`)"
                ),
            }
            last = Some(state);
            let wait = if state == gate::State::Open {
                settings.preflight_interval
            } else {
                settings.preflight_interval.min(std::time::Duration::from_secs(30))
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = gate.recheck_requested() => {}
                _ = shutdown.triggered() => return,
            }
        }
    });
}

/// The shared browser, when the robots use one on this machine (`RPA_BROWSER_SHARED`, no
/// `RPA_BROWSER_ENDPOINT`).
pub async fn shared_browser(settings: &Settings) -> Option<Arc<BrowserHost>> {
    let b = &settings.browser;
    if b.endpoint.is_some() || !b.shared {
        let modo = if b.endpoint.is_some() { "remoto (RPA_BROWSER_ENDPOINT)" } else { "um Chromium por robô" };
        tracing::info!(modo, "navegador dos robôs");
        return None;
    }
    let host_settings = crate::runner::browser_host::Settings {
        command: b.command.clone(),
        chromium: b.chromium.clone(),
        recycle_after_contexts: b.recycle_contexts,
        recycle_after: std::time::Duration::from_secs(u64::from(b.recycle_minutes) * 60),
    };
    tokio::task::spawn_blocking(move || BrowserHost::start(host_settings)).await.ok()
}

/// What the robot's preflight uses as its browser.
pub fn browser_for_check(host: Option<&BrowserHost>) -> installation::Browser {
    match host.map(BrowserHost::endpoint) {
        None => installation::Browser::Inherited,
        Some(Ok(e)) => installation::Browser::Shared(e),
        Some(Err(why)) => installation::Browser::Unavailable(why),
    }
}

/// The real portal's screens known before the first quote, when the robots quote on it. A file
/// that cannot be read leaves the baseline to the first successful quote, as before, and says so.
fn seed_known_screens(settings: &Settings, pool: &db::Pool) {
    let path = &settings.portal_fingerprints_file;
    let known = match known_screens::load(path) {
        Ok(known) => known,
        Err(e) => {
            tracing::warn!(error = %e, "telas conhecidas do portal não carregadas: a primeira cotação com sucesso define a base");
            return;
        }
    };
    // The robots inherit the service's environment: this is the portal they quote on.
    let portal = std::env::var("RPA_PORTAL_URL").ok();
    if !known.applies_to(portal.as_deref()) {
        tracing::info!(portal = %known.portal, "telas conhecidas não usadas: os robôs cotam em outro portal");
        return;
    }
    match pool.get().map_err(db::DbError::from).and_then(|mut c| known.seed(&mut c)) {
        Ok(added) => tracing::info!(telas = known.telas.len(), novas = added, "telas conhecidas do portal carregadas"),
        Err(e) => tracing::warn!(error = %e, "telas conhecidas do portal não gravadas"),
    }
}

/// Missing robot program or static directory: the service still starts, but says so.
fn warn_about_missing_paths(settings: &Settings) {
    let program = std::path::Path::new(&settings.command.program);
    if program.components().count() > 1 && !program.exists() {
        tracing::warn!(program = %program.display(), "o programa do robô (RPA_COMMAND) não existe: as cotações vão falhar ao iniciar");
    }
    if !settings.static_dir.is_dir() {
        tracing::warn!(dir = %settings.static_dir.display(), "diretório de arquivos estáticos (RPA_STATIC_DIR) não existe");
    }
}

/// Purges expired personal data now and then every `purge_interval`.
fn spawn_retention(settings: &Settings, pool: db::Pool, shutdown: Arc<Shutdown>) {
    let (days, every, data_dir) =
        (settings.database.retention_days, settings.purge_interval, settings.database.data_dir.clone());
    tokio::spawn(async move {
        loop {
            let (dir, p) = (data_dir.clone(), pool.clone());
            let done = db::run(&p, move |c| retention::purge(c, &dir, days, chrono::Utc::now())).await;
            match done {
                Ok(r) if r.jobs + r.turned_away + r.events > 0 => tracing::info!(
                    jobs = r.jobs,
                    recusados = r.turned_away,
                    eventos = r.events,
                    "dados pessoais expirados removidos"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "falha na limpeza de dados pessoais"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.triggered() => return,
            }
        }
    });
}
