//! `rpa-v4`: the command line. `serve` runs the service, `purge` anonymises expired quotes.

use anyhow::Context;
use clap::{Parser, Subcommand};
use rpa_v4::configuration::{DatabaseSettings, Settings};

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
    /// Anonimiza as cotações cujos dados pessoais passaram do prazo de retenção.
    #[command(help_template = "{about}\n\nUso: {usage}\n\n{all-args}", next_help_heading = "Opções")]
    Purge(DatabaseSettings),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    rpa_v4::telemetry::init();
    match cli.command {
        Command::Serve(settings) => rpa_v4::startup::serve(settings).await.context("o serviço parou com erro"),
        Command::Purge(db) => {
            let pool = rpa_v4::db::open(&db.db, 1)?;
            let mut conn = pool.get()?;
            let report = rpa_v4::retention::purge(&mut conn, &db.data_dir, db.retention_days, chrono::Utc::now())?;
            println!(
                "{} cotação(ões) anonimizada(s) (dados pessoais com mais de {} dias).",
                report.jobs, db.retention_days
            );
            Ok(())
        }
    }
}
