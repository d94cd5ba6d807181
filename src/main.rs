//! `rpa-v4`: the command line. `serve` runs the service, `check` says whether this installation
//! can quote, `purge` anonymises expired quotes, `webhooks listar|reenviar` shows and resends the
//! lead events that did not reach their endpoint.

use anyhow::Context;
use clap::{Parser, Subcommand};
use rpa_v4::config::settings::{DatabaseSettings, Settings};
use rpa_v4::outbox::report::ResendFilter;

#[derive(Parser)]
#[command(
    name = "rpa-v4",
    version,
    about = "RPA V4 — fila de cotações de seguro auto: API, robôs e progresso em SQLite",
    help_template = "{about}\n\nUso: {usage}\n\n{all-args}",
    subcommand_help_heading = "Comandos",
    subcommand_value_name = "COMANDO",
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Formato do log: texto (para pessoas) ou json (um objeto por linha, para journald/Loki).
    #[arg(
        long = "log-format",
        value_name = "FORMATO",
        env = "RPA_LOG_FORMAT",
        default_value = "texto",
        global = true,
        help_heading = "Opções"
    )]
    log_format: rpa_v4::telemetry::log::Format,
    /// Mostra esta ajuda.
    #[arg(short, long, action = clap::ArgAction::Help, global = true, help_heading = "Opções")]
    help: Option<bool>,
    /// Mostra a versão.
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = "Opções")]
    version: Option<bool>,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once, at start-up
enum Command {
    /// Inicia a API HTTP e os runners do robô.
    #[command(help_template = "{about}\n\nUso: {usage}\n\n{all-args}", next_help_heading = "Opções")]
    Serve(Settings),
    /// Verifica se esta instalação pode cotar (robô, navegador, credenciais, portal, arquivos e
    /// diretórios) e diz o que corrigir; sai com 0 só se estiver tudo certo.
    #[command(help_template = "{about}\n\nUso: {usage}\n\n{all-args}", next_help_heading = "Opções")]
    Check(Settings),
    /// Anonimiza as cotações cujos dados pessoais passaram do prazo de retenção.
    #[command(help_template = "{about}\n\nUso: {usage}\n\n{all-args}", next_help_heading = "Opções")]
    Purge(DatabaseSettings),
    /// Webhooks de leads e cotações que não chegaram ao destino: listar e reenviar.
    #[command(
        subcommand,
        help_template = "{about}\n\nUso: {usage}\n\n{all-args}",
        subcommand_help_heading = "Comandos",
        subcommand_value_name = "COMANDO"
    )]
    Webhooks(WebhooksCommand),
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// Lista as entregas pendentes e mortas (sem dados pessoais).
    #[command(help_template = "{about}\n\nUso: {usage}\n\n{all-args}", next_help_heading = "Opções")]
    Listar(DatabaseSettings),
    /// Reenvia entregas mortas: todas, as de uma sessão ou lead, ou as de um endpoint.
    #[command(help_template = "{about}\n\nUso: {usage}\n\n{all-args}", next_help_heading = "Opções")]
    Reenviar(ResendArgs),
}

#[derive(clap::Args)]
struct ResendArgs {
    #[command(flatten)]
    db: DatabaseSettings,
    /// Só as entregas desta sessão (rpa_v4_…) ou deste lead (lead_…, um visitante recusado pela
    /// fila cheia); um id que não existe no banco é um erro.
    #[arg(long, value_name = "ID")]
    sessao: Option<String>,
    /// Só as entregas deste endpoint: o nome (como em `webhooks listar`), a url de
    /// RPA_WEBHOOKS_FILE ou só o host.
    #[arg(long, value_name = "NOME")]
    endpoint: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    rpa_v4::telemetry::log::init(cli.log_format);
    match cli.command {
        Command::Check(settings) => {
            let browser = rpa_v4::service::startup::shared_browser(&settings).await;
            let report = tokio::task::spawn_blocking(move || {
                let report = rpa_v4::preflight::installation::check(
                    &settings,
                    &rpa_v4::service::startup::browser_for_check(browser.as_deref()),
                );
                if let Some(b) = browser {
                    b.stop();
                }
                report
            })
            .await?;
            print!("{}", report.render());
            std::process::exit(if report.all_ok() { 0 } else { 1 });
        }
        Command::Serve(settings) => rpa_v4::service::startup::serve(settings).await.context("o serviço parou com erro"),
        Command::Purge(db) => {
            let pool = rpa_v4::store::db::open_existing(&db.db, 1)?;
            let mut conn = pool.get()?;
            let report =
                rpa_v4::store::retention::purge(&mut conn, &db.data_dir, db.retention_days, chrono::Utc::now())?;
            println!(
                "{} cotação(ões) anonimizada(s), {} visitante(s) recusado(s) pela fila cheia e {} evento(s) de webhook \
                 sem os dados pessoais (dados com mais de {} dias).",
                report.jobs, report.turned_away, report.events, db.retention_days
            );
            Ok(())
        }
        Command::Webhooks(WebhooksCommand::Listar(db)) => {
            let conn = rpa_v4::store::db::open_existing(&db.db, 1)?.get()?;
            print!("{}", rpa_v4::webhooks::admin::list(&conn)?);
            Ok(())
        }
        Command::Webhooks(WebhooksCommand::Reenviar(args)) => {
            let mut conn = rpa_v4::store::db::open_existing(&args.db.db, 1)?.get()?;
            let filter = ResendFilter { lead_or_session: args.sessao, endpoint: args.endpoint };
            print!("{}", rpa_v4::webhooks::admin::resend(&mut conn, &filter)?);
            Ok(())
        }
    }
}
