//! The operator's webhook endpoints, `RPA_WEBHOOKS_FILE`: a JSON list of
//! `{"url", "segredo", "formato", "eventos", "nome"}`, read and checked once at start-up. Any
//! problem is a start-up error in Portuguese that names the endpoint and says what to fix.
//!
//! - `nome` (optional): what the endpoint is called in the log, `rpa-v4 webhooks listar`, health
//!   and messages; by default its host and path. Names are told apart: two alike are an error.
//! - `url`: `https://…`; plain `http://` only to this machine (127.0.0.1, ::1, localhost), since
//!   the events carry personal data.
//! - `formato`: `standard` (Standard Webhooks; the default) or `webflow-form` (the payload of a
//!   Webflow form submission, for the broker's existing lead endpoints).
//! - `segredo`: `whsec_` + base64 of 24 to 64 bytes for `standard`; at least 16 characters for
//!   `webflow-form`.

use crate::outbox::endpoint_names::default_name;
use crate::outbox::event::EventType;
use base64::Engine;
use reqwest::Url;
use serde_json::{Map, Value};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// How an endpoint wants its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Standard,
    WebflowForm,
}

/// The signing key, kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// One checked endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: Url,
    /// What it is called in the log, `listar`, health and messages.
    pub name: String,
    pub format: Format,
    pub secret: Secret,
    pub events: Vec<EventType>,
}

impl Endpoint {
    /// The endpoint's identity in the database (`deliveries.endpoint`).
    pub fn key(&self) -> &str {
        self.url.as_str()
    }

    /// On this machine (127.0.0.1, ::1, localhost): never sent through a proxy.
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.url)
    }
}

fn is_loopback(u: &Url) -> bool {
    u.host_str().is_some_and(|h| {
        h.eq_ignore_ascii_case("localhost")
            || h.trim_matches(['[', ']']).parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    })
}

#[derive(Debug, thiserror::Error)]
pub enum EndpointsError {
    #[error("não foi possível ler RPA_WEBHOOKS_FILE ({path}): {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("RPA_WEBHOOKS_FILE ({path}) não é um JSON válido: {detail}")]
    Json { path: PathBuf, detail: String },
    #[error(
        "RPA_WEBHOOKS_FILE ({path}) deve ser uma lista de endpoints, por exemplo \
         [{{\"url\": \"https://crm.example/lead\", \"segredo\": \"whsec_…\", \"formato\": \"standard\", \"eventos\": [\"lead.recebido\"]}}]"
    )]
    NotAList { path: PathBuf },
    #[error("RPA_WEBHOOKS_FILE ({path}), endpoint {index}: {problem}")]
    Endpoint { path: PathBuf, index: usize, problem: String },
}

const KEYS: &[&str] = &["url", "segredo", "formato", "eventos", "nome"];

/// The longest name an endpoint may have.
const MAX_NAME: usize = 60;

/// Reads and checks the file. An empty list is valid: no webhooks.
pub fn load(path: &Path) -> Result<Vec<Endpoint>, EndpointsError> {
    let text = std::fs::read_to_string(path).map_err(|source| EndpointsError::Read { path: path.into(), source })?;
    warn_if_readable_by_others(path);
    parse(&text).map_err(|e| match e {
        Problem::Json(detail) => EndpointsError::Json { path: path.into(), detail },
        Problem::NotAList => EndpointsError::NotAList { path: path.into() },
        Problem::Endpoint { index, problem } => EndpointsError::Endpoint { path: path.into(), index, problem },
    })
}

/// Why the text is not a valid list of endpoints (the path is added by [`load`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    Json(String),
    NotAList,
    Endpoint { index: usize, problem: String },
}

pub fn parse(text: &str) -> Result<Vec<Endpoint>, Problem> {
    let value: Value = serde_json::from_str(text).map_err(|e| Problem::Json(e.to_string()))?;
    let Value::Array(items) = value else { return Err(Problem::NotAList) };
    let mut out: Vec<Endpoint> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let index = i + 1;
        let endpoint = endpoint(item).map_err(|problem| Problem::Endpoint { index, problem })?;
        if out.iter().any(|e| e.url == endpoint.url) {
            return Err(Problem::Endpoint {
                index,
                problem: format!("a url {} aparece mais de uma vez", endpoint.url),
            });
        }
        if let Some(other) = out.iter().position(|e| e.name.to_lowercase() == endpoint.name.to_lowercase()) {
            return Err(Problem::Endpoint {
                index,
                problem: format!(
                    "o nome \"{}\" já é o do endpoint {}: dê a cada endpoint um \"nome\" diferente",
                    endpoint.name,
                    other + 1
                ),
            });
        }
        out.push(endpoint);
    }
    Ok(out)
}

fn endpoint(item: &Value) -> Result<Endpoint, String> {
    let Value::Object(m) = item else {
        return Err(
            "cada endpoint deve ser um objeto {\"url\", \"segredo\", \"formato\", \"eventos\", \"nome\"}".into()
        );
    };
    if let Some(k) = m.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!("chave desconhecida \"{k}\" (as chaves são url, segredo, formato, eventos e nome)"));
    }
    let url = url(text(m, "url")?.ok_or("falta a chave \"url\"")?)?;
    let format = match text(m, "formato")? {
        None | Some("standard") => Format::Standard,
        Some("webflow-form") => Format::WebflowForm,
        Some(other) => return Err(format!("formato \"{other}\" desconhecido (use \"standard\" ou \"webflow-form\")")),
    };
    let secret = secret(format, text(m, "segredo")?.ok_or("falta a chave \"segredo\"")?)?;
    let events = events(format, m.get("eventos"))?;
    let name = match text(m, "nome")? {
        Some(n) => name(n)?,
        None => default_name(url.as_str()),
    };
    Ok(Endpoint { url, name, format, secret, events })
}

fn name(s: &str) -> Result<String, String> {
    let n = s.trim();
    if n.is_empty() || n.chars().count() > MAX_NAME {
        return Err(format!("\"nome\" deve ter de 1 a {MAX_NAME} caracteres"));
    }
    if n.chars().any(char::is_control) {
        return Err("\"nome\" não pode ter caracteres de controle".into());
    }
    Ok(n.to_string())
}

fn text<'a>(m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(format!("\"{key}\" deve ser um texto")),
    }
}

fn url(s: &str) -> Result<Url, String> {
    let u = Url::parse(s.trim()).map_err(|e| format!("url inválida \"{s}\": {e}"))?;
    if !u.username().is_empty() || u.password().is_some() {
        return Err("a url não pode trazer usuário ou senha; a autenticação é a assinatura com o segredo".into());
    }
    match u.scheme() {
        "https" if u.host().is_some() => Ok(u),
        "http" if is_loopback(&u) => Ok(u),
        "http" => Err(format!(
            "\"{s}\" usa http: os eventos levam dados pessoais, use https (http só é aceito para 127.0.0.1, ::1 ou localhost)"
        )),
        _ => Err(format!("url \"{s}\" deve começar com https://")),
    }
}

fn secret(format: Format, s: &str) -> Result<Secret, String> {
    match format {
        Format::Standard => {
            let key = s
                .strip_prefix("whsec_")
                .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
                .filter(|k| (24..=64).contains(&k.len()))
                .ok_or(
                    "o segredo do formato standard deve ser \"whsec_\" seguido de 24 a 64 bytes em base64; \
                     gere um com: echo \"whsec_$(head -c 32 /dev/urandom | base64)\"",
                )?;
            Ok(Secret(key))
        }
        Format::WebflowForm if s.chars().count() >= 16 => Ok(Secret(s.as_bytes().to_vec())),
        Format::WebflowForm => Err("o segredo do formato webflow-form deve ter pelo menos 16 caracteres".into()),
    }
}

fn events(format: Format, v: Option<&Value>) -> Result<Vec<EventType>, String> {
    let names = || EventType::ALL.map(EventType::name).join(", ");
    let Some(v) = v else {
        return Ok(match format {
            Format::Standard => EventType::LEADS_AND_QUOTES.to_vec(),
            Format::WebflowForm => vec![EventType::LeadRecebido],
        });
    };
    let Some(list) = v.as_array().filter(|l| !l.is_empty()) else {
        return Err(format!("\"eventos\" deve ser uma lista não vazia de eventos ({})", names()));
    };
    let mut out = Vec::new();
    for e in list {
        let name = e.as_str().unwrap_or_default();
        let kind =
            EventType::parse(name).ok_or_else(|| format!("evento desconhecido {e} (os eventos são: {})", names()))?;
        if format == Format::WebflowForm && !kind.is_lead() {
            return Err(format!("o formato webflow-form só entrega lead.recebido, não {name}"));
        }
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o007 != 0 {
            tracing::warn!(
                path = %path.display(),
                "RPA_WEBHOOKS_FILE guarda os segredos dos webhooks e pode ser lido por qualquer usuário: \
                 use chmod 640 (dono root, grupo do serviço) ou 600"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn problem(text: &str) -> String {
        match parse(text) {
            Err(Problem::Endpoint { problem, .. }) => problem,
            other => panic!("expected an endpoint problem, got {other:?}"),
        }
    }

    #[test]
    fn the_documented_example_is_valid_and_eventos_defaults_by_format() {
        let eps = parse(&format!(
            r#"[{{"url": "https://crm.example/lead", "segredo": "{SECRET}", "formato": "standard", "eventos": ["lead.recebido", "cotacao.manual"]}},
                {{"url": "https://all.example/hook", "segredo": "{SECRET}"}},
                {{"url": "http://127.0.0.1:9000/lead", "segredo": "0123456789abcdef", "formato": "webflow-form"}}]"#
        ))
        .unwrap();
        assert_eq!(eps[0].events, vec![EventType::LeadRecebido, EventType::CotacaoManual]);
        assert_eq!(eps[1].events, EventType::LEADS_AND_QUOTES.to_vec());
        assert_eq!(eps[1].format, Format::Standard);
        assert_eq!(eps[2].events, vec![EventType::LeadRecebido]);
        assert_eq!(eps[2].secret.bytes(), b"0123456789abcdef");
        assert_eq!(format!("{:?}", eps[0].secret), "Secret(***)");
        assert_eq!(parse("[]").unwrap().len(), 0);
    }

    #[test]
    fn the_shipped_example_file_is_valid() {
        let eps = parse(include_str!("../../config/webhooks.example.json")).unwrap();
        assert_eq!(eps.iter().map(|e| e.format).collect::<Vec<_>>(), [Format::Standard, Format::WebflowForm]);
    }

    #[test]
    fn personal_data_never_leaves_by_plain_http_except_to_this_machine() {
        let body = |u: &str| format!(r#"[{{"url": "{u}", "segredo": "{SECRET}"}}]"#);
        assert!(problem(&body("http://crm.example/lead")).contains("use https"));
        assert!(problem(&body("ftp://crm.example/lead")).contains("https://"));
        assert!(problem(&body("https://user:pw@crm.example/lead")).contains("usuário ou senha"));
        for ok in ["http://localhost:8000/x", "http://[::1]:8000/x", "http://127.0.0.2/x"] {
            assert!(parse(&body(ok)).is_ok(), "{ok}");
        }
    }

    #[test]
    fn every_mistake_is_named() {
        assert!(matches!(parse("{"), Err(Problem::Json(_))));
        assert_eq!(parse(r#"{"url": "x"}"#).unwrap_err(), Problem::NotAList);
        let one = |extra: &str| format!(r#"[{{"url": "https://a.example/", "segredo": "{SECRET}"{extra}}}]"#);
        assert!(problem(&one(r#", "evento": ["lead.recebido"]"#)).contains("chave desconhecida \"evento\""));
        assert!(problem(&one(r#", "formato": "json""#)).contains("formato \"json\""));
        assert!(problem(&one(r#", "eventos": ["lead.novo"]"#)).contains("evento desconhecido"));
        assert!(problem(&one(r#", "eventos": []"#)).contains("lista não vazia"));
        assert!(problem(r#"[{"url": "https://a.example/", "segredo": "abc"}]"#).contains("whsec_"));
        assert!(problem(r#"[{"url": "https://a.example/", "segredo": "whsec_c2hvcnQ="}]"#).contains("24 a 64 bytes"));
        assert!(problem(r#"[{"url": "https://a.example/"}]"#).contains("segredo"));
        assert!(
            problem(r#"[{"url": "https://a.example/", "segredo": "curto", "formato": "webflow-form"}]"#).contains("16")
        );
        assert!(problem(
            r#"[{"url": "https://a.example/", "segredo": "0123456789abcdef", "formato": "webflow-form", "eventos": ["cotacao.concluida"]}]"#
        )
        .contains("só entrega lead.recebido"));
        let twice = format!(
            r#"[{{"url": "https://a.example/", "segredo": "{SECRET}"}}, {{"url": "https://a.example/", "segredo": "{SECRET}"}}]"#
        );
        assert!(matches!(parse(&twice), Err(Problem::Endpoint { index: 2, .. })));
    }

    #[test]
    fn an_endpoint_goes_by_its_name_or_its_host_and_path_and_names_are_told_apart() {
        let eps = parse(&format!(
            r#"[{{"url": "https://crm.example/lead?token=abc", "segredo": "{SECRET}"}},
                {{"url": "https://crm.example/alertas", "segredo": "{SECRET}", "nome": "  Alertas do plantão "}}]"#
        ))
        .unwrap();
        assert_eq!(eps[0].name, "crm.example/lead", "never the query, which may hold a token");
        assert_eq!(eps[1].name, "Alertas do plantão");
        let two = |a: &str, b: &str| {
            format!(
                r#"[{{"url": "https://a.example/1", "segredo": "{SECRET}", "nome": "{a}"}},
                    {{"url": "https://a.example/2", "segredo": "{SECRET}", "nome": "{b}"}}]"#
            )
        };
        assert!(problem(&two("CRM", "crm")).contains("já é o do endpoint 1"));
        assert!(problem(&two("CRM", "   ")).contains("de 1 a 60"));
        assert!(problem(&two("CRM", &"x".repeat(61))).contains("de 1 a 60"));
        assert!(problem(&two("CRM", "a\\u0007b")).contains("controle"));
        // The same host and path twice (the query differs) need names to be told apart.
        let same = format!(
            r#"[{{"url": "https://a.example/x?k=1", "segredo": "{SECRET}"}}, {{"url": "https://a.example/x?k=2", "segredo": "{SECRET}"}}]"#
        );
        assert!(problem(&same).contains("nome"));
    }
}
