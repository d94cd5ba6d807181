//! What the handlers share: the database, the settings, the questionnaire defaults, the rate
//! limiter, the queue's wake-up, the preflight's gate and the shared browser.

use crate::config::settings::Settings;
use crate::domain::questionario::Questionario;
use crate::guard::rate_limit::RateLimiter;
use crate::preflight::gate::Gate;
use crate::queue::wakeup::Wakeup;
use crate::runner::browser_host::BrowserHost;
use crate::store::db::Pool;
use std::sync::Arc;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
    pub settings: Arc<Settings>,
    pub defaults: Arc<Questionario>,
    pub rate_limiter: Arc<RateLimiter>,
    pub wakeup: Arc<Wakeup>,
    /// The preflight's verdict (health shows it).
    pub gate: Arc<Gate>,
    /// The shared browser, when the robots use one on this machine.
    pub browser: Option<Arc<BrowserHost>>,
}
