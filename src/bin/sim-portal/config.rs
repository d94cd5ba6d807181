//! Run-time configuration of the simulated portal: delay scale, injected faults, the broker
//! account, the result page's layout and a changed screen, parsed from the command line and
//! validated with errors in Portuguese.

use std::collections::BTreeMap;

use serde::Serialize;

/// Screens a fault can target, named as in the reference numbering ("zerokm" is step 5.5).
pub const SCREENS: [&str; 16] =
    ["1", "2", "3", "4", "5", "zerokm", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"];

/// Screens whose data comes from a server lookup, so an HTTP 500 can be injected there.
pub const LOOKUP_SCREENS: [&str; 4] = ["2", "5", "7", "15"];

/// Screens that have a `#gtm-tela…Continuar` button.
pub const CONTINUAR_SCREENS: [&str; 14] =
    ["2", "3", "4", "5", "zerokm", "6", "7", "8", "9", "10", "11", "12", "13", "14"];

/// Default extra time of a `slow` fault when no seconds are given.
pub const DEFAULT_SLOW_SECONDS: f64 = 60.0;

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "tipo", rename_all = "kebab-case")]
pub enum Fault {
    /// The screen appears only after this many extra seconds (not scaled).
    Slow { segundos: f64 },
    /// The screen is rendered without its Continuar button.
    SemContinuar,
    /// The screen's server lookup answers HTTP 500.
    Http500,
    /// An unknown screen (a question the robot has never seen) is shown before this one.
    Desconhecida,
}

/// Plausible layouts of the result page (screen 15). Values are identical in all of them; only
/// the markup around them changes (see portal/README.md, "Variantes do resultado").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VarianteResultado {
    /// Label column plus two cards, one `<p>` per row, a line break between rows.
    Padrao,
    /// As `padrao`, and each card repeats the row labels (hidden on wide screens).
    RotulosNoCartao,
    /// No label column: each card is a `<dl>` of `<dt>` label / `<dd>` value pairs.
    SemColunaDeRotulos,
    /// Label column and cards whose rows are `<li>` items of a `<ul role="list">`.
    LinhasEmLista,
    /// The real estimate cards' pattern (screen 5) on the plan cards: title, premium and every
    /// text row inside `<label><button>…</button></label>`, nothing between elements.
    BotoesEmRotulos,
}

impl VarianteResultado {
    pub const TODAS: [(&'static str, VarianteResultado); 5] = [
        ("padrao", VarianteResultado::Padrao),
        ("rotulos-no-cartao", VarianteResultado::RotulosNoCartao),
        ("sem-coluna-de-rotulos", VarianteResultado::SemColunaDeRotulos),
        ("linhas-em-lista", VarianteResultado::LinhasEmLista),
        ("botoes-em-rotulos", VarianteResultado::BotoesEmRotulos),
    ];

    pub fn parse(nome: &str) -> Result<Self, ConfigError> {
        let nome = nome.trim().to_ascii_lowercase();
        Self::TODAS.iter().find(|(n, _)| *n == nome).map(|(_, v)| *v).ok_or(ConfigError::UnknownVariant(nome))
    }
}

/// Why a `--fault` or another option was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("falha inválida {0:?}: use TELA:TIPO (ex.: 7:slow, 5:sem-continuar, 2:http500, 7:slow:5)")]
    FaultSyntax(String),
    #[error("tela desconhecida {0:?} na falha: use 1..15 ou zerokm")]
    UnknownScreen(String),
    #[error("tipo de falha desconhecido {0:?}: use slow, sem-continuar, http500 ou desconhecida")]
    UnknownKind(String),
    #[error("a tela {0} não consulta o servidor; http500 só vale para as telas 2, 5, 7 e 15")]
    NoLookup(String),
    #[error("a tela {0} não tem botão Continuar; sem-continuar vale para as telas 2 a 14 e zerokm")]
    NoContinuar(String),
    #[error("segundos inválidos {0:?} na falha slow: use um número entre 0 e 3600")]
    SlowSeconds(String),
    #[error("escala de atraso inválida {0}: use um número entre 0 e 10")]
    DelayScale(f64),
    #[error("a conta do corretor precisa de e-mail e senha não vazios")]
    EmptyAccount,
    #[error("variante do resultado desconhecida {0:?}: use padrao, rotulos-no-cartao, sem-coluna-de-rotulos, linhas-em-lista ou botoes-em-rotulos")]
    UnknownVariant(String),
    #[error("tela desconhecida {0:?} em --mudanca-tela: use 1..15 ou zerokm")]
    UnknownChangedScreen(String),
}

/// Everything the server and the pages need to know about this run.
#[derive(Debug, Clone)]
pub struct Config {
    pub delay_scale: f64,
    pub faults: BTreeMap<String, Fault>,
    pub email: String,
    pub senha: String,
    pub login_recusado: bool,
    /// Layout of the result page.
    pub variante_resultado: VarianteResultado,
    /// Screen whose structure is slightly changed (an extra button), if any.
    pub mudanca_tela: Option<String>,
}

impl Config {
    pub fn new(
        delay_scale: f64,
        fault_specs: &[String],
        email: String,
        senha: String,
        login_recusado: bool,
    ) -> Result<Self, ConfigError> {
        if !(0.0..=10.0).contains(&delay_scale) || delay_scale.is_nan() {
            return Err(ConfigError::DelayScale(delay_scale));
        }
        if email.trim().is_empty() || senha.is_empty() {
            return Err(ConfigError::EmptyAccount);
        }
        let mut faults = BTreeMap::new();
        for spec in fault_specs {
            let (screen, fault) = parse_fault(spec)?;
            faults.insert(screen, fault);
        }
        Ok(Self {
            delay_scale,
            faults,
            email: email.trim().to_string(),
            senha,
            login_recusado,
            variante_resultado: VarianteResultado::Padrao,
            mudanca_tela: None,
        })
    }

    /// The page's layout options: the result variant by name and the changed screen (1..15 or
    /// zerokm; empty means none).
    pub fn with_page(mut self, variante: &str, mudanca_tela: Option<&str>) -> Result<Self, ConfigError> {
        self.variante_resultado = VarianteResultado::parse(variante)?;
        self.mudanca_tela = match mudanca_tela.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(screen_key(s).ok_or_else(|| ConfigError::UnknownChangedScreen(s.to_string()))?),
        };
        Ok(self)
    }

    /// A real-portal duration in milliseconds, multiplied by the delay scale.
    pub fn scaled_ms(&self, real_ms: u64) -> u64 {
        (real_ms as f64 * self.delay_scale).round() as u64
    }

    pub fn fault(&self, screen: &str) -> Option<&Fault> {
        self.faults.get(screen)
    }

    pub fn http500(&self, screen: &str) -> bool {
        matches!(self.fault(screen), Some(Fault::Http500))
    }

    /// True when the e-mail (any case) and the password match the broker account.
    pub fn account_matches(&self, email: &str, senha: &str) -> bool {
        !self.login_recusado && email.trim().eq_ignore_ascii_case(&self.email) && senha == self.senha
    }
}

/// A screen as named on the command line ("1".."15", "zerokm", "zero-km" or "5.5").
fn screen_key(s: &str) -> Option<String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "5.5" | "zero-km" | "zerokm" => Some("zerokm".to_string()),
        s if SCREENS.contains(&s) => Some(s.to_string()),
        _ => None,
    }
}

/// Parses `TELA:TIPO[:SEGUNDOS]`, e.g. `7:slow`, `7:slow:5`, `5:sem-continuar`, `2:http500`,
/// `8:desconhecida`.
pub fn parse_fault(spec: &str) -> Result<(String, Fault), ConfigError> {
    let parts: Vec<&str> = spec.trim().split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return Err(ConfigError::FaultSyntax(spec.to_string()));
    }
    let screen =
        screen_key(parts[0]).ok_or_else(|| ConfigError::UnknownScreen(parts[0].trim().to_ascii_lowercase()))?;
    let kind = parts[1].trim().to_ascii_lowercase();
    if parts.len() == 3 && kind != "slow" {
        return Err(ConfigError::FaultSyntax(spec.to_string()));
    }
    let fault = match kind.as_str() {
        "slow" => {
            let segundos = match parts.get(2) {
                None => DEFAULT_SLOW_SECONDS,
                Some(s) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=3600.0).contains(v))
                    .ok_or_else(|| ConfigError::SlowSeconds(s.to_string()))?,
            };
            Fault::Slow { segundos }
        }
        "sem-continuar" => {
            if !CONTINUAR_SCREENS.contains(&screen.as_str()) {
                return Err(ConfigError::NoContinuar(screen));
            }
            Fault::SemContinuar
        }
        "http500" => {
            if !LOOKUP_SCREENS.contains(&screen.as_str()) {
                return Err(ConfigError::NoLookup(screen));
            }
            Fault::Http500
        }
        "desconhecida" => Fault::Desconhecida,
        other => return Err(ConfigError::UnknownKind(other.to_string())),
    };
    Ok((screen, fault))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        assert_eq!(parse_fault("7:slow").unwrap(), ("7".into(), Fault::Slow { segundos: 60.0 }));
        assert_eq!(parse_fault("7:slow:2.5").unwrap(), ("7".into(), Fault::Slow { segundos: 2.5 }));
        assert_eq!(parse_fault("5.5:sem-continuar").unwrap(), ("zerokm".into(), Fault::SemContinuar));
        assert_eq!(parse_fault("2:http500").unwrap(), ("2".into(), Fault::Http500));
        assert_eq!(parse_fault("8:desconhecida").unwrap(), ("8".into(), Fault::Desconhecida));
        assert_eq!(parse_fault("1:desconhecida").unwrap(), ("1".into(), Fault::Desconhecida));
    }

    #[test]
    fn page_layout_options() {
        let base = || Config::new(0.0, &[], "a@example.com".into(), "x".into(), false).unwrap();
        let c = base().with_page("padrao", None).unwrap();
        assert_eq!((c.variante_resultado, c.mudanca_tela), (VarianteResultado::Padrao, None));
        let c = base().with_page("Linhas-Em-Lista", Some("5.5")).unwrap();
        assert_eq!(c.variante_resultado, VarianteResultado::LinhasEmLista);
        assert_eq!(c.mudanca_tela.as_deref(), Some("zerokm"));
        assert_eq!(base().with_page("padrao", Some("")).unwrap().mudanca_tela, None);
        for (nome, v) in VarianteResultado::TODAS {
            assert_eq!(base().with_page(nome, Some("15")).unwrap().variante_resultado, v);
        }
        assert_eq!(base().with_page("tabela", None).unwrap_err(), ConfigError::UnknownVariant("tabela".into()));
        assert_eq!(base().with_page("padrao", Some("16")).unwrap_err(), ConfigError::UnknownChangedScreen("16".into()));
        assert_eq!(serde_json::to_value(VarianteResultado::SemColunaDeRotulos).unwrap(), "sem-coluna-de-rotulos");
        assert_eq!(serde_json::to_value(VarianteResultado::BotoesEmRotulos).unwrap(), "botoes-em-rotulos");
    }

    #[test]
    fn refuses_bad_specs() {
        assert_eq!(parse_fault("99:slow"), Err(ConfigError::UnknownScreen("99".into())));
        assert_eq!(parse_fault("3:http500"), Err(ConfigError::NoLookup("3".into())));
        assert_eq!(parse_fault("15:sem-continuar"), Err(ConfigError::NoContinuar("15".into())));
        assert_eq!(parse_fault("2:explode"), Err(ConfigError::UnknownKind("explode".into())));
        assert!(matches!(parse_fault("2"), Err(ConfigError::FaultSyntax(_))));
        assert!(matches!(parse_fault("7:slow:-1"), Err(ConfigError::SlowSeconds(_))));
    }

    #[test]
    fn refuses_bad_scale_and_account() {
        let e = Config::new(-1.0, &[], "a@example.com".into(), "x".into(), false).unwrap_err();
        assert_eq!(e, ConfigError::DelayScale(-1.0));
        let e = Config::new(1.0, &[], " ".into(), "x".into(), false).unwrap_err();
        assert_eq!(e, ConfigError::EmptyAccount);
    }

    #[test]
    fn scales_durations() {
        let c = Config::new(0.5, &[], "a@example.com".into(), "x".into(), false).unwrap();
        assert_eq!(c.scaled_ms(1000), 500);
        assert!(c.account_matches("A@EXAMPLE.COM", "x"));
        assert!(!c.account_matches("a@example.com", "y"));
    }
}
