//! The job types: what a job stores of a validated request, a request ready to be queued, a job
//! a runner slot has taken, and a job a previous run of the service left running. The domain
//! values travel as their types down to the SQL that binds them.

use crate::domain::cpf::Cpf;
use crate::domain::placa::Placa;
use crate::domain::premissas::assumed_answers;
use crate::domain::quote_request::QuoteRequest;
use crate::domain::robot_input::robot_input;
use crate::domain::session_id::SessionId;

/// What a job stores of a validated request: the columns it is found by and the robot input.
#[derive(Debug, Clone)]
pub struct QuoteData {
    pub cpf: Cpf,
    pub placa: Placa,
    pub marca: Option<String>,
    pub modelo: Option<String>,
    pub ano: Option<i32>,
    /// Robot input (contract §2).
    pub input_json: String,
    /// The questionnaire answers taken from the operator's defaults that the quote depends on
    /// (a JSON object; the progress answer words them as `premissas`).
    pub assumed_answers: String,
}

impl From<&QuoteRequest> for QuoteData {
    fn from(r: &QuoteRequest) -> QuoteData {
        QuoteData {
            cpf: r.cpf.clone(),
            placa: r.placa.clone(),
            marca: r.marca.clone(),
            modelo: r.modelo.clone(),
            ano: r.ano,
            input_json: robot_input(r).to_string(),
            assumed_answers: serde_json::Value::Object(assumed_answers(&r.questionario)).to_string(),
        }
    }
}

/// A validated request ready to be queued.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub session_id: SessionId,
    pub quote: QuoteData,
    pub lead_json: String,
    /// SHA-256 of the token this job's first answer hands out.
    pub resume_token_hash: String,
    /// SHA-256 of the token the request presented, if any.
    pub presented_token_hash: Option<String>,
}

#[cfg(test)]
impl NewJob {
    /// A synthetic visitor's request for `placa`, presenting `presented_token_hash`.
    pub fn example(placa: &str, presented_token_hash: Option<&str>) -> NewJob {
        NewJob {
            session_id: SessionId::fresh(),
            quote: QuoteData {
                cpf: Cpf::parse("529.982.247-25").unwrap(),
                placa: Placa::parse(placa).unwrap(),
                marca: None,
                modelo: None,
                ano: None,
                input_json: "{}".into(),
                assumed_answers: "{}".into(),
            },
            lead_json: "{}".into(),
            resume_token_hash: "a".repeat(64),
            presented_token_hash: presented_token_hash.map(str::to_string),
        }
    }
}

/// A job a runner slot has taken.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub session_id: SessionId,
    pub attempt: u32,
    pub input_json: String,
    /// How long it waited in the queue before this attempt (since it was queued or requeued).
    pub waited: std::time::Duration,
}

/// A job left `running` by a previous run of the service.
#[derive(Debug, Clone)]
pub struct Orphan {
    pub id: i64,
    pub session_id: SessionId,
    pub attempt: u32,
    pub pid: Option<u32>,
    pub pid_start: Option<u64>,
    /// The robot input (contract §2), `{}` once purged: what the robot's files must be masked for.
    pub input_json: String,
}
