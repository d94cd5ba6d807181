//! The value types and parsers of the settings: the robot's command line, the CORS allow-list,
//! seconds and milliseconds, yes/no flags, DevTools endpoints and the metrics' listen address,
//! each refused with a Portuguese message that names what is wrong.

use axum::http::HeaderValue;
use std::net::SocketAddr;
use std::time::Duration;

/// The robot's command line split into program and arguments (no shell involved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotCommand {
    pub program: String,
    pub args: Vec<String>,
}

impl RobotCommand {
    pub fn parse(s: &str) -> Result<RobotCommand, String> {
        let mut parts = s.split_whitespace().map(str::to_string);
        let program = parts.next().ok_or("o comando do robô está vazio")?;
        Ok(RobotCommand { program, args: parts.collect() })
    }
}

/// The CORS allow-list; `*` is refused.
#[derive(Debug, Clone)]
pub struct Origins(pub Vec<HeaderValue>);

impl Origins {
    pub fn parse(s: &str) -> Result<Origins, String> {
        let mut out = Vec::new();
        for o in s.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            if o == "*" {
                return Err("\"*\" não é permitido: liste as origens".into());
            }
            if !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
                return Err(format!("origem inválida \"{o}\" (use https://dominio, sem barra no fim)"));
            }
            out.push(HeaderValue::from_str(o).map_err(|_| format!("origem inválida \"{o}\""))?);
        }
        Ok(Origins(out))
    }
}

pub fn seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!("\"{s}\" não é um número de segundos")),
    }
}

pub fn positive_seconds(s: &str) -> Result<Duration, String> {
    seconds(s).and_then(|d| if d.is_zero() { Err(format!("\"{s}\" deve ser maior que zero")) } else { Ok(d) })
}

pub fn millis(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<u64>() {
        Ok(v) if (10..=5000).contains(&v) => Ok(Duration::from_millis(v)),
        _ => Err(format!("\"{s}\" não é um intervalo entre 10 e 5000 ms")),
    }
}

/// A remote Chromium's DevTools endpoint: `unix:///path.sock` (a Unix socket an SSH tunnel
/// forwards to it: only this user reaches it), or, as before, http(s):// or ws(s)://.
pub fn browser_endpoint(s: &str) -> Result<String, String> {
    let s = s.trim();
    let socket = s.strip_prefix("unix://").is_some_and(|p| p.starts_with('/') && p.len() > 1);
    if socket || ["http://", "https://", "ws://", "wss://"].iter().any(|p| s.starts_with(p)) && s.len() > 8 {
        Ok(s.to_string())
    } else {
        Err(format!(
            "\"{s}\" não é um endpoint DevTools (use unix:///caminho/do/tunel.sock, http://host:porta ou ws://host:porta/devtools/browser/…)"
        ))
    }
}

/// Where `GET /metrics` is served (`RPA_METRICS_LISTEN`): an address and port of its own, or
/// `desligado` for no metrics at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsListen(pub Option<SocketAddr>);

impl MetricsListen {
    pub fn parse(s: &str) -> Result<MetricsListen, String> {
        match s.trim() {
            "desligado" | "0" => Ok(MetricsListen(None)),
            a => a
                .parse()
                .map(|addr| MetricsListen(Some(addr)))
                .map_err(|_| format!("\"{s}\" não é um endereço e porta (ex.: 127.0.0.1:9464) nem \"desligado\"")),
        }
    }
}

pub fn flag(s: &str) -> Result<bool, String> {
    match s.trim() {
        "1" | "sim" | "true" => Ok(true),
        "0" | "nao" | "não" | "false" => Ok(false),
        _ => Err(format!("\"{s}\" deve ser 1 ou 0")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metrics_address_or_none() {
        assert_eq!(MetricsListen::parse(" 127.0.0.1:9464 ").unwrap().0, Some("127.0.0.1:9464".parse().unwrap()));
        assert_eq!(MetricsListen::parse("[::1]:0").unwrap().0, Some("[::1]:0".parse().unwrap()));
        assert_eq!(MetricsListen::parse("desligado").unwrap().0, None);
        assert!(MetricsListen::parse("9464").unwrap_err().contains("127.0.0.1:9464"));
    }

    #[test]
    fn browser_endpoints_accepted_and_refused() {
        for ok in [
            "unix:///var/lib/rpa-v4/navegador-remoto/cdp.sock",
            "http://127.0.0.1:9222",
            "ws://h:9222/devtools/browser/x",
        ] {
            assert_eq!(browser_endpoint(&format!(" {ok} ")).as_deref(), Ok(ok));
        }
        for bad in ["unix://relativo.sock", "unix:///", "127.0.0.1:9222", "ftp://h:1", "http://"] {
            let err = browser_endpoint(bad).unwrap_err();
            assert!(err.contains("unix:///caminho"), "{err}");
        }
    }
}
