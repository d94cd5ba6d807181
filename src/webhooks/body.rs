//! What is sent for an event, byte for byte the same on every attempt (the body is a function of
//! the stored event alone, and `serde_json` writes keys in a fixed order):
//! - `standard`: `{"type", "timestamp", "data"}` (Standard Webhooks), `timestamp` being when the
//!   event happened;
//! - `webflow-form`: the payload of a Webflow form submission that the broker's lead endpoints
//!   already accept, `{"name": "Formulário de Cotação RPA", "d": <when>, "data": {NOME, CPF, …}}`,
//!   with the values in the form's own masks ("529.982.247-25", "01310-100", "ABC-1D23").

use super::endpoints::Format;
use serde_json::{json, Map, Value};

/// The form name the broker's endpoints see.
pub const WEBFLOW_FORM_NAME: &str = "Formulário de Cotação RPA";

/// Lead metadata passed through to the Webflow-form payload under the same names.
const ORIGIN_KEYS: &[&str] = &["landing_url", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

/// The body for `format`, or `None` when the stored data cannot be read.
pub fn render(format: Format, kind: &str, created_at: &str, data_json: &str) -> Option<Vec<u8>> {
    let data: Value = serde_json::from_str(data_json).ok().filter(Value::is_object)?;
    let body = match format {
        Format::Standard => json!({"type": kind, "timestamp": created_at, "data": data}),
        Format::WebflowForm => json!({"name": WEBFLOW_FORM_NAME, "d": created_at, "data": webflow_fields(&data)}),
    };
    serde_json::to_vec(&body).ok()
}

fn webflow_fields(data: &Value) -> Map<String, Value> {
    let text = |section: &str, key: &str| -> String {
        match data.get(section).and_then(|s| s.get(key)) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let telefone = text("contato", "telefone");
    let (ddd, celular) = if telefone.len() >= 10 { telefone.split_at(2) } else { ("", telefone.as_str()) };
    let marca = text("veiculo", "marca");
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_string(), Value::String(v));
    };
    put("NOME", text("contato", "nome"));
    put("CPF", mask(&text("contato", "cpf"), &[3, 3, 3, 2], &[".", ".", "-"]));
    put("DATA-DE-NASCIMENTO", text("contato", "data_nascimento"));
    put("SEXO", text("contato", "sexo"));
    put("ESTADO-CIVIL", text("contato", "estado_civil"));
    put("Email", text("contato", "email"));
    put("DDD-CELULAR", ddd.to_string());
    put(
        "CELULAR",
        if celular.len() >= 8 {
            format!("{}-{}", &celular[..celular.len() - 4], &celular[celular.len() - 4..])
        } else {
            celular.to_string()
        },
    );
    put("CEP", mask(&text("contato", "cep"), &[5, 3], &["-"]));
    put("PLACA", mask(&text("veiculo", "placa"), &[3, 4], &["-"]));
    put("MARCA", marca.clone());
    put("VEICULO", marca);
    put("ANO", text("veiculo", "ano"));
    put("GCLID_FLD", text("origem", "gclid"));
    put("produto", "seguro-auto".into());
    for k in ORIGIN_KEYS {
        put(k, text("origem", k));
    }
    m
}

/// Joins the ASCII `value` cut into `sizes` with `seps` between the pieces; other values as they are.
fn mask(value: &str, sizes: &[usize], seps: &[&str]) -> String {
    if !value.is_ascii() || value.len() != sizes.iter().sum::<usize>() {
        return value.to_string();
    }
    let mut out = String::new();
    let mut at = 0;
    for (i, n) in sizes.iter().enumerate() {
        if i > 0 {
            out.push_str(seps[i - 1]);
        }
        out.push_str(&value[at..at + n]);
        at += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead() -> String {
        json!({
            "lead_id": "l1", "session_id": null,
            "contato": {"nome": "FULANO DE TAL", "cpf": "52998224725", "email": "fulano@example.com",
                        "telefone": "11987654321", "data_nascimento": "15/03/1985", "sexo": "Masculino",
                        "estado_civil": "Casado ou União Estável", "cep": "01310100"},
            "veiculo": {"placa": "ABC1D23", "marca": "NISSAN", "modelo": "KICKS", "ano": 2017, "tipo_veiculo": "carro"},
            "origem": {"gclid": "g-1", "utm_source": "google"},
        })
        .to_string()
    }

    #[test]
    fn standard_body_is_type_timestamp_data_and_stable() {
        let a = render(Format::Standard, "lead.recebido", "2026-11-29T12:00:00.000Z", &lead()).unwrap();
        assert_eq!(a, render(Format::Standard, "lead.recebido", "2026-11-29T12:00:00.000Z", &lead()).unwrap());
        let v: Value = serde_json::from_slice(&a).unwrap();
        assert_eq!(v["type"], "lead.recebido");
        assert_eq!(v["timestamp"], "2026-11-29T12:00:00.000Z");
        assert_eq!(v["data"]["contato"]["cpf"], "52998224725");
    }

    #[test]
    fn webflow_form_has_the_form_field_names_and_masks() {
        let v: Value = serde_json::from_slice(
            &render(Format::WebflowForm, "lead.recebido", "2026-11-29T12:00:00.000Z", &lead()).unwrap(),
        )
        .unwrap();
        assert_eq!(v["name"], WEBFLOW_FORM_NAME);
        assert_eq!(v["d"], "2026-11-29T12:00:00.000Z");
        let d = &v["data"];
        assert_eq!(d["NOME"], "FULANO DE TAL");
        assert_eq!(d["CPF"], "529.982.247-25");
        assert_eq!(d["DDD-CELULAR"], "11");
        assert_eq!(d["CELULAR"], "98765-4321");
        assert_eq!(d["Email"], "fulano@example.com");
        assert_eq!(d["CEP"], "01310-100");
        assert_eq!(d["PLACA"], "ABC-1D23");
        assert_eq!(d["MARCA"], "NISSAN");
        assert_eq!(d["ANO"], "2017");
        assert_eq!(d["GCLID_FLD"], "g-1");
        assert_eq!(d["utm_source"], "google");
        assert_eq!(d["utm_campaign"], "");
        assert_eq!(d["produto"], "seguro-auto");
        assert_eq!(d["ESTADO-CIVIL"], "Casado ou União Estável");
    }

    #[test]
    fn unreadable_data_renders_nothing() {
        assert!(render(Format::Standard, "lead.recebido", "t", "not json").is_none());
    }
}
