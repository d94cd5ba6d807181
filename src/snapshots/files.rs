//! Reading a job's snapshot files (contract §3, `docs/contract/tracker.schema.json`) when they
//! change: partial, empty or invalid files are skipped and read again on the next tick (the last
//! good copy stays); files that never appear are fine. What changed comes out as an [`Update`],
//! which [`crate::snapshots::sync`] writes into SQLite.

use crate::contract::outcome::ErrorEntry;
use crate::contract::pii_mask::Masker;
use crate::contract::shapes::{self, Calculo};
use crate::contract::status::RobotStatus;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The robot's current state (progress file).
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub etapa_atual: i64,
    pub status: String,
    pub mensagem: String,
    pub estimativas: Option<Value>,
    pub erros: Vec<ErrorEntry>,
    /// The vehicle the portal confirmed on screen 3, in the contract's form only.
    pub veiculo: Option<String>,
    /// The portal's countdown of the final calculation, while it shows.
    pub calculo: Option<Calculo>,
}

/// One history entry.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub etapa: String,
    pub timestamp: Option<String>,
    pub status: Option<String>,
    pub mensagem: Option<String>,
    pub dados_extra: Value,
    pub erro: Value,
}

/// The result file.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultSnapshot {
    pub status: String,
    pub plano_recomendado: Option<Value>,
    pub plano_alternativo: Option<Value>,
}

/// What changed since the previous poll.
#[derive(Debug, Default)]
pub struct Update {
    pub progress: Option<Progress>,
    pub history: Option<Vec<HistoryEntry>>,
    pub result: Option<ResultSnapshot>,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.progress.is_none() && self.history.is_none() && self.result.is_none()
    }
}

/// Change detection for one file: modification time and size of the last good read.
#[derive(Debug, Default)]
struct FileState {
    seen: Option<(SystemTime, u64)>,
    /// The last read failed to parse: read again even if nothing seems to change.
    retry: bool,
}

impl FileState {
    /// The file's bytes if it changed (or needs a retry) since the last good read.
    fn read_if_changed(&mut self, path: &Path) -> Option<Vec<u8>> {
        let meta = std::fs::metadata(path).ok()?;
        let key = (meta.modified().ok()?, meta.len());
        if self.seen == Some(key) && !self.retry {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        self.seen = Some(key);
        Some(bytes)
    }
}

/// Watches the snapshot files of one session in its job directory.
pub struct Watcher {
    session_id: String,
    paths: [PathBuf; 3],
    states: [FileState; 3],
    masker: Masker,
    last_progress: Option<Progress>,
    last_result: Option<ResultSnapshot>,
}

impl Watcher {
    pub fn new(dir: &Path, session_id: &str, masker: Masker) -> Watcher {
        Watcher {
            session_id: session_id.to_string(),
            paths: snapshot_paths(dir, session_id),
            states: Default::default(),
            masker,
            last_progress: None,
            last_result: None,
        }
    }

    /// Reads what changed. Files that fail to parse are retried on the next call.
    pub fn poll(&mut self) -> Update {
        let mut update = Update::default();
        for i in 0..3 {
            let Some(bytes) = self.states[i].read_if_changed(&self.paths[i]) else { continue };
            let parsed = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .filter(|v| v.get("session_id").and_then(Value::as_str).map_or(true, |s| s == self.session_id))
                // Personal data must not reach SQLite even if a robot puts it in a snapshot.
                .and_then(|v| serde_json::from_str::<Value>(&self.masker.mask(&v.to_string())).ok());
            let ok = match (i, parsed) {
                (0, Some(v)) => parse_progress(&v).map(|p| update.progress = Some(p)).is_some(),
                (1, Some(v)) => parse_history(&v).map(|h| update.history = Some(h)).is_some(),
                (2, Some(v)) => parse_result(&v).map(|r| update.result = Some(r)).is_some(),
                _ => false,
            };
            self.states[i].retry = !ok;
        }
        if let Some(p) = &update.progress {
            self.last_progress = Some(p.clone());
        }
        if let Some(r) = &update.result {
            self.last_result = Some(r.clone());
        }
        update
    }

    /// `success`/`error` if the robot wrote a terminal status, and its last error entry.
    pub fn terminal(&self) -> (Option<RobotStatus>, Option<ErrorEntry>) {
        let terminal = |s: &str| RobotStatus::parse(s).filter(|r| r.is_terminal());
        let status = self
            .last_progress
            .as_ref()
            .and_then(|p| terminal(&p.status))
            .or_else(|| self.last_result.as_ref().and_then(|r| terminal(&r.status)));
        let last_error = self.last_progress.as_ref().and_then(|p| p.erros.last().cloned());
        (status, last_error)
    }
}

/// `progress_ID.json`, `history_ID.json`, `result_ID.json` in `dir`.
pub fn snapshot_paths(dir: &Path, session_id: &str) -> [PathBuf; 3] {
    ["progress", "history", "result"].map(|k| dir.join(format!("{k}_{session_id}.json")))
}

/// A text field of a snapshot object (a number is taken as its text).
pub fn string(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_progress(v: &Value) -> Option<Progress> {
    let etapa = v.get("etapa_atual")?.as_f64()?.floor().clamp(0.0, 15.0) as i64;
    let status = string(v, "status")?;
    let extra = v.get("dados_extra");
    let estimativas = extra
        .and_then(|d| d.get("estimativas_tela_5").or_else(|| d.get("estimativas_tela_4")))
        .filter(|e| e.is_object())
        .cloned();
    let erros = v
        .get("erros")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(parse_error_entry).collect())
        .unwrap_or_default();
    Some(Progress {
        etapa_atual: etapa,
        status,
        mensagem: string(v, "mensagem").unwrap_or_default(),
        estimativas,
        erros,
        veiculo: v.get("veiculo").and_then(shapes::veiculo),
        calculo: v.get("calculo").and_then(shapes::calculo),
    })
}

fn parse_error_entry(v: &Value) -> Option<ErrorEntry> {
    v.as_object()?;
    Some(ErrorEntry {
        tipo: string(v, "tipo").unwrap_or_else(|| "erro_inesperado".into()),
        mensagem: string(v, "mensagem").unwrap_or_default(),
        sugestao: string(v, "sugestao").unwrap_or_default(),
        timestamp: string(v, "timestamp").unwrap_or_default(),
        campo: string(v, "campo"),
    })
}

fn parse_history(v: &Value) -> Option<Vec<HistoryEntry>> {
    let entries = v.get("historico")?.as_array()?;
    Some(
        entries
            .iter()
            .filter(|e| e.is_object())
            .map(|e| HistoryEntry {
                etapa: match e.get("etapa") {
                    Some(Value::Number(n)) => {
                        n.as_f64().map_or_else(|| n.to_string(), |f| (f.floor() as i64).to_string())
                    }
                    Some(Value::String(s)) => s.clone(),
                    _ => "?".into(),
                },
                timestamp: string(e, "timestamp"),
                status: string(e, "status"),
                mensagem: string(e, "mensagem"),
                dados_extra: e.get("dados_extra").cloned().unwrap_or(Value::Null),
                erro: e.get("erro").cloned().unwrap_or(Value::Null),
            })
            .collect(),
    )
}

fn parse_result(v: &Value) -> Option<ResultSnapshot> {
    let status = string(v, "status")?;
    let finals = v.get("dados_finais");
    let plan = |k: &str| finals.and_then(|f| f.get(k)).filter(|p| p.is_object()).cloned();
    Some(ResultSnapshot {
        status,
        plano_recomendado: plan("plano_recomendado"),
        plano_alternativo: plan("plano_alternativo"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_written_files_are_retried_until_whole() {
        let dir = tempfile::tempdir().unwrap();
        let [progress, _, _] = snapshot_paths(dir.path(), "s1");
        let mut w = Watcher::new(dir.path(), "s1", Masker::default());
        assert!(w.poll().is_empty(), "no files yet");
        std::fs::write(&progress, br#"{"session_id":"s1","etapa_atual":3,"sta"#).unwrap();
        assert!(w.poll().progress.is_none());
        std::fs::write(
            &progress,
            br#"{"session_id":"s1","etapa_atual":3,"status":"executando","mensagem":"m","erros":[]}"#,
        )
        .unwrap();
        assert_eq!(w.poll().progress.unwrap().etapa_atual, 3);
        assert!(w.poll().is_empty(), "unchanged file is not read again");
        assert_eq!(w.terminal().0, None);
    }

    #[test]
    fn the_vehicle_and_the_countdown_are_read_in_their_shapes_only() {
        let dir = tempfile::tempdir().unwrap();
        let [progress, _, _] = snapshot_paths(dir.path(), "s1");
        let mut w = Watcher::new(dir.path(), "s1", Masker::default());
        std::fs::write(
            &progress,
            br#"{"session_id":"s1","etapa_atual":15,"status":"executando","mensagem":"m","erros":[],
                 "veiculo":"ECOSPORT 2007/2007","calculo":{"restante_s":151,"total_s":163,"x":"y"}}"#,
        )
        .unwrap();
        let p = w.poll().progress.unwrap();
        assert_eq!(p.veiculo.as_deref(), Some("ECOSPORT 2007/2007"));
        assert_eq!(p.calculo, Some(Calculo { restante_s: 151, total_s: 163 }));
        std::fs::write(
            &progress,
            br#"{"session_id":"s1","etapa_atual":15,"status":"executando","mensagem":"m","erros":[],
                 "veiculo":"KVA-1791","calculo":{"restante_s":"151","total_s":163}}"#,
        )
        .unwrap();
        let p = w.poll().progress.unwrap();
        assert_eq!((p.veiculo, p.calculo), (None, None));
    }
}
