//! Wiring `rpa-v4 serve`: defaults, webhook endpoints, database, crash recovery, runner slots,
//! webhook delivery, retention task, HTTP server, and the shutdown order (runners first, then
//! HTTP).

use crate::api::{self, AppState};
use crate::configuration::Settings;
use crate::rate_limit::RateLimiter;
use crate::runner::{pool, recover, RunnerContext};
use crate::shutdown::{self, Shutdown};
use crate::webhooks::{endpoints, worker};
use crate::{db, defaults, http_server, retention};
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Defaults(#[from] defaults::DefaultsError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Recover(#[from] recover::RecoverError),
    #[error(transparent)]
    Webhooks(#[from] endpoints::EndpointsError),
    #[error(transparent)]
    WebhookClient(#[from] worker::WorkerError),
    #[error("não foi possível criar o diretório de dados {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("não foi possível escutar em {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("erro no servidor HTTP: {0}")]
    Serve(std::io::Error),
}

/// Runs the service until SIGTERM/SIGINT.
pub async fn serve(settings: Settings) -> Result<(), StartupError> {
    let defaults = defaults::load(&settings.defaults_file)?;
    let webhook_endpoints = match &settings.webhooks.file {
        Some(path) => endpoints::load(path)?,
        None => Vec::new(),
    };
    let data_dir = &settings.database.data_dir;
    crate::private_files::create_dir(data_dir)
        .map_err(|source| StartupError::DataDir { path: data_dir.display().to_string(), source })?;
    crate::private_files::warn_if_shared(data_dir, "O diretório das cotações (RPA_DATA_DIR)");
    let pool = db::open(&settings.database.db, 16)?;
    warn_about_missing_paths(&settings);
    let shutdown = Arc::new(Shutdown::default());
    let wakeup = Arc::new(pool::Wakeup::default());
    let ctx = RunnerContext {
        db: pool.clone(),
        command: settings.command.clone(),
        data_dir: data_dir.clone(),
        job_timeout: settings.job_timeout,
        kill_grace: settings.kill_grace,
        shutdown_grace: settings.shutdown_grace,
        sync_interval: settings.sync_interval,
        shutdown: shutdown.clone(),
        wakeup: wakeup.clone(),
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
    println!("RPA V4 ouvindo em http://{addr}");
    tracing::info!(%addr, slots = settings.slots, "serviço iniciado");

    tracing::info!(endpoints = webhook_endpoints.len(), "entrega de webhooks iniciada");
    let webhook_settings = worker::Settings {
        endpoints: webhook_endpoints,
        schedule: settings.webhooks.retry.clone(),
        timeout: settings.webhooks.timeout,
        concurrency: usize::from(settings.webhooks.concurrency),
    };
    worker::spawn(pool.clone(), webhook_settings, shutdown.clone())?;
    let slots = pool::start(&ctx, settings.slots);
    spawn_retention(&settings, pool.clone(), shutdown.clone());

    let state = AppState {
        db: pool,
        settings: Arc::new(settings.clone()),
        defaults: Arc::new(defaults),
        rate_limiter: Arc::new(RateLimiter::new(settings.rate_limit_per_min)),
        wakeup: wakeup.clone(),
    };
    let app = api::router(state).into_make_service_with_connect_info::<SocketAddr>();

    tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            let name = shutdown::signal().await;
            tracing::info!(signal = name, "parada solicitada: nenhuma cotação nova será iniciada");
            shutdown.trigger();
            wakeup.notify();
        }
    });
    let runners_done = async move {
        shutdown.triggered().await;
        let _ = tokio::task::spawn_blocking(move || {
            for s in slots {
                let _ = s.join();
            }
        })
        .await;
        tracing::info!("runners parados; encerrando a API");
    };
    http_server::serve(listener, app, &settings.http, runners_done).await;
    tracing::info!("serviço encerrado");
    Ok(())
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
    let (days, every, data_dir) = (settings.database.retention_days, settings.purge_interval, settings.database.data_dir.clone());
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
