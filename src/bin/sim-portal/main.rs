//! `sim-portal`: a simulated insurer quoting portal (app.tosegurado.com.br) for the quote robot's
//! tests, the demo and the benchmarks. It serves the single-page app from `portal/` (embedded) and
//! the JSON lookups behind it on 127.0.0.1, with a delay scale and injectable faults.

mod addresses;
mod api;
mod assets;
mod calculations;
mod catalog;
mod config;
mod money;
mod pricing;

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;

/// Portal simulado da seguradora (réplica do app.tosegurado.com.br) para testes e demonstração.
#[derive(Parser, Debug)]
#[command(
    name = "sim-portal",
    version,
    disable_help_flag = true,
    disable_version_flag = true,
    override_usage = "sim-portal [OPÇÕES]",
    help_template = "{about}\n\nUso: {usage}\n\nOpções:\n{options}\n"
)]
struct Args {
    /// Mostra esta ajuda.
    #[arg(short = 'h', long, action = clap::ArgAction::Help)]
    help: Option<bool>,

    /// Mostra a versão.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,

    /// Porta em 127.0.0.1 (0 escolhe uma porta livre e a imprime).
    #[arg(long, default_value_t = 8090, env = "SIM_PORTAL_PORT")]
    port: u16,

    /// Escala dos tempos do portal real: 0 = instantâneo, 1 = tempos reais (cálculo 30–70 s).
    #[arg(long, default_value_t = 1.0, env = "SIM_PORTAL_DELAY_SCALE", allow_negative_numbers = true)]
    delay_scale: f64,

    /// Falha injetada, TELA:TIPO[:SEGUNDOS] (repetível). TELA: 1..15 ou zerokm. TIPO: slow
    /// (a tela demora; padrão 60 s), sem-continuar (sem o botão Continuar), http500 (a consulta
    /// da tela 2, 5, 7 ou 15 responde HTTP 500) ou desconhecida (uma tela nova, que o robô não
    /// conhece, aparece antes dela). Ex.: --fault 7:slow:5 --fault 2:http500
    #[arg(long = "fault", value_name = "TELA:TIPO")]
    faults: Vec<String>,

    /// Leiaute da página de resultado: padrao, rotulos-no-cartao, sem-coluna-de-rotulos,
    /// linhas-em-lista ou botoes-em-rotulos (os valores são os mesmos em todos).
    #[arg(long, value_name = "NOME", default_value = "padrao", env = "SIM_PORTAL_VARIANTE_RESULTADO")]
    variante_resultado: String,

    /// Muda de leve a estrutura da tela N (1..15 ou zerokm): um botão a mais, que o robô não usa.
    #[arg(long, value_name = "N", env = "SIM_PORTAL_MUDANCA_TELA")]
    mudanca_tela: Option<String>,

    /// Recusa todo login do corretor na tela de resultado.
    #[arg(long)]
    login_recusado: bool,

    /// E-mail da conta do corretor.
    #[arg(long, default_value = "corretor@example.com", env = "SIM_PORTAL_EMAIL")]
    email: String,

    /// Senha da conta do corretor.
    #[arg(long, default_value = "senha-de-teste", env = "SIM_PORTAL_SENHA", hide_env_values = true)]
    senha: String,
}

fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sim-portal: não foi possível iniciar o runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sim-portal: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            let detail = e.to_string();
            let detail = detail.lines().next().unwrap_or_default().trim_start_matches("error: ");
            eprintln!("sim-portal: opções inválidas ({detail}). Use --help para ver as opções.");
            std::process::exit(2);
        }
    };
    let config = config::Config::new(args.delay_scale, &args.faults, args.email, args.senha, args.login_recusado)
        .and_then(|c| c.with_page(&args.variante_resultado, args.mudanca_tela.as_deref()))
        .map_err(|e| anyhow::anyhow!("configuração inválida: {e}"))?;

    let state = Arc::new(api::AppState { config, store: calculations::Store::default() });
    let app = assets::router(state.clone()).merge(api::router(state)).fallback(assets::not_found);

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .with_context(|| format!("não foi possível ouvir em 127.0.0.1:{}", args.port))?;
    let addr = listener.local_addr().context("endereço local indisponível")?;
    println!("sim-portal ouvindo em http://{addr}");
    std::io::stdout().flush().ok();

    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            rpa_v4::unix::shutdown::signal().await;
        })
        .await
        .context("o servidor parou com erro")?;
    Ok(())
}
