//! `QuoteRequest`: the body of `POST /api/rpa/start`, parsed and normalised in one go.
//!
//! Every invalid field is reported (one Portuguese message each), not just the first. Keys are
//! matched case-insensitively, and the same key twice, as sent ([`parse_object`]) or in different
//! cases, is refused as ambiguous. Text is taken in Unicode NFC, and a field holding control, format or invisible
//! characters is refused. Of the keys that are not fields of the request, only the marketing
//! ones of [`LEAD_KEYS`] (and `utm_*`) are kept, as lead metadata that never reaches the robot;
//! anything else a page sends (a second name, a WhatsApp number…) is dropped, so it cannot outlive
//! the retention purge.

use super::{
    cep::Cep, choice, cpf::Cpf, data_nascimento::DataNascimento, email::Email, json_object::JsonObject, nome::Nome,
    placa::Placa, questionario::Questionario, telefone::Telefone, text, Invalid,
};
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

/// One refused field, as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub campo: String,
    pub mensagem: String,
}

/// The main driver's data, required when the visitor is not the main driver.
#[derive(Debug, Clone)]
pub struct Condutor {
    pub nome: Nome,
    pub cpf: Cpf,
    pub data_nascimento: DataNascimento,
    pub sexo: &'static str,
    pub estado_civil: &'static str,
}

/// A valid quote request.
#[derive(Debug, Clone)]
pub struct QuoteRequest {
    pub cpf: Cpf,
    pub nome: Nome,
    pub placa: Placa,
    pub cep: Cep,
    pub email: Email,
    pub telefone: Telefone,
    pub data_nascimento: DataNascimento,
    pub sexo: &'static str,
    pub estado_civil: &'static str,
    pub marca: Option<String>,
    pub modelo: Option<String>,
    pub ano: Option<i32>,
    pub questionario: Questionario,
    pub condutor: Option<Condutor>,
    /// Unknown keys, kept as lead metadata (scalars only, bounded).
    pub lead: Map<String, Value>,
}

/// Lead metadata kept besides `utm_*`: ad click ids, where the visit landed and came from.
pub const LEAD_KEYS: &[&str] =
    &["gclid", "gbraid", "wbraid", "gad_source", "fbclid", "msclkid", "ttclid", "landing_url", "referrer"];

const MAX_LEAD_KEYS: usize = 30;
const MAX_LEAD_VALUE: usize = 300;
const MAX_FREE_TEXT: usize = 60;

/// Collects the per-field problems while the request is parsed.
struct Parser {
    body: Map<String, Value>,
    today: NaiveDate,
    errors: Vec<FieldError>,
}

impl Parser {
    fn fail(&mut self, campo: &str, mensagem: impl Into<String>) {
        self.errors.push(FieldError { campo: campo.to_string(), mensagem: mensagem.into() });
    }

    /// The field as text: `None` when absent, null or blank; numbers are accepted as text.
    fn text(&mut self, key: &str) -> Option<String> {
        match self.body.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.chars().any(text::is_hidden) => {
                self.fail(key, "Valor inválido: o campo tem caracteres invisíveis ou de controle.");
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(text::nfc(s)),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.fail(key, "Valor inválido: envie texto.");
                None
            }
        }
    }

    fn required<T>(&mut self, key: &str, label: &str, parse: impl Fn(&str) -> Result<T, Invalid>) -> Option<T> {
        match self.text(key) {
            None if self.errors.iter().any(|e| e.campo == key) => None,
            None => {
                self.fail(key, format!("Campo obrigatório: informe {label}."));
                None
            }
            Some(s) => self.check(key, parse(&s)),
        }
    }

    fn check<T>(&mut self, key: &str, r: Result<T, Invalid>) -> Option<T> {
        r.map_err(|e| self.fail(key, e.0)).ok()
    }

    fn free_text(&mut self, key: &str, label: &str) -> Option<String> {
        let s = self.text(key)?;
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > MAX_FREE_TEXT {
            self.fail(key, format!("{label} muito longo (máximo {MAX_FREE_TEXT} caracteres)."));
            return None;
        }
        Some(s)
    }

    fn ano(&mut self) -> Option<i32> {
        let s = self.text("ano")?;
        let max = self.today.year() + 1;
        match s.trim().parse::<i32>() {
            Ok(a) if (1950..=max).contains(&a) => Some(a),
            _ => {
                self.fail("ano", format!("Ano inválido: informe um ano entre 1950 e {max}."));
                None
            }
        }
    }

    /// `telefone`, or `ddd` + `celular` as the site's form splits them; one of the two is required.
    fn telefone(&mut self) -> Option<Telefone> {
        if let Some(t) = self.text("telefone") {
            return self.check("telefone", Telefone::parse(&t));
        }
        match (self.text("ddd"), self.text("celular")) {
            (None, None) if self.errors.iter().any(|e| e.campo == "telefone") => None,
            (None, None) => {
                self.fail("telefone", "Campo obrigatório: informe o celular com DDD.");
                None
            }
            (Some(d), Some(c)) => self.check("telefone", Telefone::from_parts(&d, &c)),
            _ => {
                self.fail("telefone", "Telefone incompleto: informe DDD e número.");
                None
            }
        }
    }

    fn condutor(&mut self, needed: bool) -> Option<Condutor> {
        if !needed {
            return None;
        }
        let today = self.today;
        let nome = self.required("nome_condutor", "o nome do condutor principal", Nome::parse);
        let cpf = self.required("cpf_condutor", "o CPF do condutor principal", Cpf::parse);
        let data = self.required("data_nascimento_condutor", "a data de nascimento do condutor principal", |s| {
            DataNascimento::parse(s, today)
        });
        let sexo = self.required("sexo_condutor", "o sexo do condutor principal", |s| choice::named("sexo").parse(s));
        let ec = self.required("estado_civil_condutor", "o estado civil do condutor principal", |s| {
            choice::named("estado_civil").parse(s)
        });
        Some(Condutor { nome: nome?, cpf: cpf?, data_nascimento: data?, sexo: sexo?, estado_civil: ec? })
    }

    /// The allowed lead metadata, values bounded and stripped of hidden characters.
    fn lead(&self) -> Map<String, Value> {
        self.body
            .iter()
            .filter(|(k, _)| is_lead_key(k))
            .filter_map(|(k, v)| {
                let v = match v {
                    Value::String(s) => {
                        Value::String(s.chars().filter(|c| !text::is_hidden(*c)).take(MAX_LEAD_VALUE).collect())
                    }
                    Value::Number(_) | Value::Bool(_) => v.clone(),
                    _ => return None,
                };
                Some((k.clone(), v))
            })
            .take(MAX_LEAD_KEYS)
            .collect()
    }
}

/// A marketing key kept as lead metadata: one of [`LEAD_KEYS`] or `utm_<letters, digits, _>`.
pub fn is_lead_key(key: &str) -> bool {
    LEAD_KEYS.contains(&key)
        || key.strip_prefix("utm_").is_some_and(|rest| {
            (1..=32).contains(&rest.len())
                && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// Parses a request body against the operator's questionnaire defaults.
pub fn parse(
    body: &Map<String, Value>,
    defaults: &Questionario,
    today: NaiveDate,
) -> Result<QuoteRequest, Vec<FieldError>> {
    parse_with_repeats(body, &[], defaults, today)
}

/// Parses a request body as it was sent: a key that came more than once is refused too.
pub fn parse_object(
    body: &JsonObject,
    defaults: &Questionario,
    today: NaiveDate,
) -> Result<QuoteRequest, Vec<FieldError>> {
    parse_with_repeats(&body.fields, &body.repeated, defaults, today)
}

/// `sent_twice`: keys that came more than once exactly as written (the map kept one of them).
fn parse_with_repeats(
    body: &Map<String, Value>,
    sent_twice: &[String],
    defaults: &Questionario,
    today: NaiveDate,
) -> Result<QuoteRequest, Vec<FieldError>> {
    let mut lowered = Map::new();
    let mut repeated: Vec<(String, &str)> = Vec::new();
    for k in sent_twice {
        let key = k.trim().to_lowercase();
        if !repeated.iter().any(|(r, _)| *r == key) {
            repeated.push((key, ""));
        }
    }
    for (k, v) in body {
        let key = k.trim().to_lowercase();
        if lowered.insert(key.clone(), v.clone()).is_some() && !repeated.iter().any(|(r, _)| *r == key) {
            repeated.push((key, " (com maiúsculas e minúsculas diferentes)"));
        }
    }
    let mut p = Parser { body: lowered, today, errors: Vec::new() };
    for (key, how) in repeated {
        p.body.remove(&key);
        p.fail(&key, format!("Campo \"{key}\" enviado mais de uma vez{how}: envie-o uma vez só."));
    }

    let cpf = p.required("cpf", "o CPF", Cpf::parse);
    let nome = p.required("nome", "o nome", Nome::parse);
    let placa = p.required("placa", "a placa do veículo", Placa::parse);
    let cep = p.required("cep", "o CEP", Cep::parse);
    let email = p.required("email", "o e-mail", Email::parse);
    let telefone = p.telefone();
    let data_nascimento = p.required("data_nascimento", "a data de nascimento", |s| DataNascimento::parse(s, today));
    let sexo = p.required("sexo", "o sexo", |s| choice::named("sexo").parse(s));
    let estado_civil = p.required("estado_civil", "o estado civil", |s| choice::named("estado_civil").parse(s));
    let marca = p.free_text("marca", "Marca");
    let modelo = p.free_text("modelo", "Modelo");
    let ano = p.ano();
    let questionario = match defaults.overridden_by(&p.body) {
        Ok(q) => Some(q),
        Err(problems) => {
            for (k, e) in problems {
                p.fail(k, e.0);
            }
            None
        }
    };
    let needs_driver = questionario.as_ref().is_some_and(|q| !q.condutor_principal());
    let condutor = p.condutor(needs_driver);
    let lead = p.lead();

    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    let person = (cpf, nome, email, telefone, data_nascimento, sexo, estado_civil);
    match (person, placa, cep, questionario) {
        (
            (Some(cpf), Some(nome), Some(email), Some(telefone), Some(data_nascimento), Some(sexo), Some(estado_civil)),
            Some(placa),
            Some(cep),
            Some(questionario),
        ) => Ok(QuoteRequest {
            cpf,
            nome,
            placa,
            cep,
            email,
            telefone,
            data_nascimento,
            sexo,
            estado_civil,
            marca,
            modelo,
            ano,
            questionario,
            condutor,
            lead,
        }),
        _ => Err(p.errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defaults() -> Questionario {
        let v: Value = serde_json::from_str(include_str!("../../config/defaults.json")).unwrap();
        Questionario::from_defaults(v.as_object().unwrap()).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn run(v: Value) -> Result<QuoteRequest, Vec<FieldError>> {
        parse(v.as_object().unwrap(), &defaults(), today())
    }

    /// Every field a visitor must give, masked as the site sends them, with `extra` over them.
    fn visitor(extra: Value) -> Value {
        let mut body = json!({"CPF": "529.982.247-25", "nome": "FULANO DE TAL", "placa": "abc-1d23",
                              "cep": "01310-100", "email": "fulano@example.com", "ddd": "11", "celular": "98765-4321",
                              "data_nascimento": "15/03/1985", "sexo": "M", "estado_civil": "casado"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    }

    fn campos(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.campo.as_str()).collect()
    }

    #[test]
    fn masked_request_is_normalised() {
        let r = run(visitor(json!({"gclid": "abc", "utm_source": "google"}))).unwrap();
        assert_eq!(r.cpf.as_str(), "52998224725");
        assert_eq!(r.placa.as_str(), "ABC1D23");
        assert_eq!(r.telefone.as_str(), "11987654321");
        assert_eq!((r.sexo, r.estado_civil), ("Masculino", "Casado ou União Estável"));
        assert_eq!(r.lead.len(), 2);
        assert!(r.condutor.is_none());
    }

    #[test]
    fn every_invalid_field_is_reported() {
        let errs = run(json!({"cpf": "123", "placa": "??", "cep": "1", "email": "x",
                              "ano": 1900, "sexo": "x", "combustivel": "agua"}))
        .unwrap_err();
        let campos = campos(&errs);
        for c in [
            "cpf",
            "nome",
            "placa",
            "cep",
            "email",
            "telefone",
            "data_nascimento",
            "sexo",
            "estado_civil",
            "ano",
            "combustivel",
        ] {
            assert!(campos.contains(&c), "{c} missing in {campos:?}");
        }
    }

    #[test]
    fn what_the_portal_needs_of_a_person_is_required() {
        let mut body = visitor(json!({}));
        for key in ["email", "ddd", "celular", "data_nascimento", "sexo", "estado_civil"] {
            body.as_object_mut().unwrap().remove(key);
        }
        let errs = run(body).unwrap_err();
        assert_eq!(campos(&errs), ["email", "telefone", "data_nascimento", "sexo", "estado_civil"]);
        assert_eq!(errs[4].mensagem, "Campo obrigatório: informe o estado civil.");
        let errs = run(visitor(json!({"ddd": "", "celular": "98765-4321"}))).unwrap_err();
        assert_eq!(errs[0].mensagem, "Telefone incompleto: informe DDD e número.");
    }

    #[test]
    fn only_marketing_keys_are_kept_as_lead_metadata() {
        let r = run(visitor(json!({"gclid": "g\u{200B}1", "utm_source": "google", "utm_Campaign_x": "a", "landing_url": "https://x/",
                                   "nome_completo": "FULANO DE TAL", "whatsapp": "11987654321", "nascimento": "15/03/1985",
                                   "rg": "123", "utm_": "x", "referrer": "https://google.com/"})))
        .unwrap();
        let keys: Vec<&str> = r.lead.keys().map(String::as_str).collect();
        assert_eq!(keys, ["gclid", "landing_url", "referrer", "utm_campaign_x", "utm_source"]);
        assert_eq!(r.lead["gclid"], "g1", "hidden characters are stripped from metadata");
    }

    #[test]
    fn the_same_key_sent_twice_as_is_is_refused_like_two_cases() {
        let body = serde_json::to_string(&visitor(json!({}))).unwrap();
        let twice =
            format!(r#"{},"nome":"BELTRANO DA SILVA","placa":"XYZ9876","placa":"XYZ9876"}}"#, &body[..body.len() - 1]);
        let o = crate::domain::json_object::parse(twice.as_bytes()).unwrap();
        let errs = parse_object(&o, &defaults(), today()).unwrap_err();
        assert_eq!(campos(&errs), ["nome", "placa"], "{errs:?}");
        assert!(errs.iter().all(|e| e.mensagem.contains("mais de uma vez") && !e.mensagem.contains("maiúsculas")));
        let once = crate::domain::json_object::parse(body.as_bytes()).unwrap();
        assert!(parse_object(&once, &defaults(), today()).is_ok());
    }

    #[test]
    fn the_same_key_in_two_cases_is_refused_and_hidden_characters_too() {
        let errs = run(visitor(json!({"cpf": "11144477735"}))).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].campo, "cpf");
        assert!(errs[0].mensagem.contains("mais de uma vez"));
        let errs = run(visitor(json!({"marca": "NISSAN\u{202E}", "modelo": "KICKS\u{0007}"}))).unwrap_err();
        assert_eq!(campos(&errs), ["marca", "modelo"]);
        let r = run(visitor(json!({"nome": "Jose\u{301} de Tal"}))).unwrap();
        assert_eq!(r.nome.as_str(), "José de Tal");
    }

    #[test]
    fn driver_required_when_not_main_driver() {
        let errs = run(visitor(json!({"condutor_principal": false}))).unwrap_err();
        assert_eq!(
            campos(&errs),
            ["nome_condutor", "cpf_condutor", "data_nascimento_condutor", "sexo_condutor", "estado_civil_condutor"]
        );
    }
}
