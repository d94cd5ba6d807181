//! Can this installation quote? Every check in order: the service's own side ([`super::local`]),
//! then the robot's ([`super::robot`]), run with the browser a quote's robot would use.

use super::findings::{Check, Report};
use crate::config::settings::Settings;
use crate::contract::robot_browser::Endpoint;

/// The browser the robot's check must use, as a quote's robot would.
#[derive(Debug, Clone)]
pub enum Browser {
    /// The robot launches its own, or reaches the operator's `RPA_BROWSER_ENDPOINT` (inherited).
    Inherited,
    /// The service's shared browser.
    Shared(Endpoint),
    /// The shared browser did not open: why.
    Unavailable(String),
}

/// Runs every check (blocking: it starts the robot and waits for it).
pub fn check(settings: &Settings, browser: &Browser) -> Report {
    let mut verificacoes = super::local::checks(settings);
    if let Browser::Unavailable(why) = browser {
        verificacoes.push(Check::problem(
            "navegador",
            format!("o navegador compartilhado não abriu: {why}"),
            "instale o Chromium (apt-get install -y chromium) ou aponte CHROMIUM_PATH para ele; rode scripts/setup.sh",
        ));
    }
    let endpoint = match browser {
        Browser::Shared(e) => Some(e),
        _ => None,
    };
    for c in super::robot::checks(&settings.command, endpoint) {
        // The service already checked the defaults file it hands over (the robot's reading of
        // it is the same file), and the shared browser it runs.
        if (c.item == "padroes" || c.item == "navegador") && verificacoes.iter().any(|v| v.item == c.item) {
            continue;
        }
        verificacoes.push(c);
    }
    Report { verificacoes }
}
