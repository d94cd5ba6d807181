//! The operator's questionnaire defaults file (`RPA_DEFAULTS_FILE`, shipped as
//! `config/defaults.json`): loaded and validated at start-up.

use crate::domain::questionario::Questionario;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum DefaultsError {
    #[error("não foi possível ler o arquivo de respostas padrão {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("o arquivo de respostas padrão {path} não é um objeto JSON válido")]
    NotJson { path: String },
    #[error("o arquivo de respostas padrão {path} tem problemas: {}", .problems.join("; "))]
    Invalid { path: String, problems: Vec<String> },
}

pub fn load(path: &Path) -> Result<Questionario, DefaultsError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| DefaultsError::Read { path: p.clone(), source })?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| DefaultsError::NotJson { path: p.clone() })?;
    let map = value.as_object().ok_or(DefaultsError::NotJson { path: p.clone() })?;
    Questionario::from_defaults(map).map_err(|problems| DefaultsError::Invalid { path: p, problems })
}
