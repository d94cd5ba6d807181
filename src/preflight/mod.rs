//! Can this installation quote? The preflight checks everything a quote needs before any visitor's
//! quote reaches a robot, and reports each problem in Portuguese with what to fix:
//!
//! - [`local`] — the service's own side: data directories writable, the defaults, webhooks and
//!   canary files parse;
//! - [`robot`] — the robot's side, through `RPA_COMMAND --verificar` (contract §1): the command
//!   starts, its settings and the portal credentials are there, Chromium starts, the portal
//!   answers (DNS, TLS, HTTP);
//! - [`gate`] — what the runners obey: while a configuration problem stands, they claim nothing,
//!   so queued quotes wait (and stay leads) instead of failing as technical errors.
//!
//! `rpa-v4 check` prints the report and exits 0 only when nothing is wrong; `rpa-v4 serve` runs it
//! at start and then every `RPA_PREFLIGHT_INTERVAL_S` (every 30 s at most while it fails).

pub mod gate;
pub mod local;
pub mod robot;

use crate::configuration::Settings;
use serde::Serialize;

/// One thing the preflight looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `dados`, `padroes`, `webhooks`, `canario`, `robo`, and the robot's own items:
    /// `configuracao`, `credenciais`, `navegador`, `portal`.
    pub item: String,
    pub ok: bool,
    pub mensagem: String,
    /// What to fix (empty when ok).
    pub correcao: String,
}

impl Check {
    pub fn ok(item: &str, mensagem: impl Into<String>) -> Check {
        Check { item: item.into(), ok: true, mensagem: mensagem.into(), correcao: String::new() }
    }

    pub fn problem(item: &str, mensagem: impl Into<String>, correcao: impl Into<String>) -> Check {
        Check { item: item.into(), ok: false, mensagem: mensagem.into(), correcao: correcao.into() }
    }

    /// A portal that does not answer may be down for a while: that is not this installation's
    /// configuration, and quotes are not held for it (the robot's failures show in health).
    pub fn blocks_quotes(&self) -> bool {
        !self.ok && self.item != "portal"
    }
}

/// Everything the preflight found, in order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub verificacoes: Vec<Check>,
}

impl Report {
    pub fn problems(&self) -> impl Iterator<Item = &Check> {
        self.verificacoes.iter().filter(|c| !c.ok)
    }

    /// No problem at all (what `rpa-v4 check` exits 0 on).
    pub fn all_ok(&self) -> bool {
        self.problems().next().is_none()
    }

    /// A problem that must hold the runners.
    pub fn blocks_quotes(&self) -> bool {
        self.verificacoes.iter().any(Check::blocks_quotes)
    }

    /// The report as `rpa-v4 check` prints it.
    pub fn render(&self) -> String {
        let mut out = String::from("Verificação da instalação do RPA V4\n");
        for c in &self.verificacoes {
            out.push_str(&format!("  {} {}: {}\n", if c.ok { "ok  " } else { "ERRO" }, c.item, c.mensagem));
            if !c.ok && !c.correcao.is_empty() {
                out.push_str(&format!("       como corrigir: {}\n", c.correcao));
            }
        }
        let n = self.problems().count();
        if n == 0 {
            out.push_str("Tudo certo: esta instalação pode fazer cotações.\n");
        } else if self.blocks_quotes() {
            out.push_str(&format!(
                "{n} problema(s): esta instalação não pode fazer cotações até que sejam corrigidos.\n"
            ));
        } else {
            out.push_str(&format!(
                "{n} problema(s): o portal não respondeu; as cotações vão falhar enquanto ele não responder.\n"
            ));
        }
        out
    }
}

/// The browser the robot's check must use, as a quote's robot would.
#[derive(Debug, Clone)]
pub enum Browser {
    /// The robot launches its own, or reaches the operator's `RPA_BROWSER_ENDPOINT` (inherited).
    Inherited,
    /// The service's shared browser.
    Shared(String),
    /// The shared browser did not open: why.
    Unavailable(String),
}

/// Runs every check (blocking: it starts the robot and waits for it).
pub fn run(settings: &Settings, browser: &Browser) -> Report {
    let mut verificacoes = local::checks(settings);
    if let Browser::Unavailable(why) = browser {
        verificacoes.push(Check::problem(
            "navegador",
            format!("o navegador compartilhado não abriu: {why}"),
            "instale o Chromium (apt-get install -y chromium) ou aponte CHROMIUM_PATH para ele; rode scripts/setup.sh",
        ));
    }
    let endpoint = match browser {
        Browser::Shared(e) => Some(e.as_str()),
        _ => None,
    };
    for c in robot::checks(&settings.command, endpoint) {
        // The service already checked the defaults file it hands over (the robot's reading of
        // it is the same file), and the shared browser it runs.
        if (c.item == "padroes" || c.item == "navegador") && verificacoes.iter().any(|v| v.item == c.item) {
            continue;
        }
        verificacoes.push(c);
    }
    Report { verificacoes }
}
