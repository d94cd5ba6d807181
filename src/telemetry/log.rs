//! The service's own log: `tracing` to stderr (journald under systemd), level from `RUST_LOG`
//! (default `info`). `RPA_LOG_FORMAT=json` writes one JSON object per line (for journald, Loki);
//! the default is text for people. Lines about a quote carry the `cotacao` span's `session` and
//! `attempt` and the screen, `etapa` (the `etapa` span while the robot runs, a field after it); in
//! JSON the spans are under `spans`, outermost first. Log lines carry session ids, statuses and
//! counts — never personal data.

use tracing_subscriber::{fmt, EnvFilter};

/// `RPA_LOG_FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for people.
    Texto,
    /// One JSON object per line.
    Json,
}

pub fn init(format: Format) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info"))
        // The TLS certificate verifier logs each refused certificate as an ERROR that names no
        // endpoint; the webhook delivery reports it itself, with the event and the endpoint.
        .add_directive("rustls_platform_verifier=off".parse().expect("a valid directive"));
    let builder = fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr);
    let _ = match format {
        // Colours only on a terminal: journald and log files get plain text.
        Format::Texto => builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init(),
        Format::Json => builder.json().with_current_span(false).with_span_list(true).flatten_event(true).try_init(),
    };
}
