//! Domain types: every value a visitor sends, valid by construction.
//!
//! Each type has a `parse` that normalises the masked input the site sends ("529.982.247-25",
//! "abc-1d23", "01310-100") and rejects anything invalid with a Portuguese message. The request
//! as a whole is parsed by [`quote_request`], and turned into the robot's input (contract §2) by
//! [`robot_input`]. The operator's questionnaire defaults are read by [`defaults`], and the answers
//! a quote took from them are worded by [`premissas`]; a new session id is made by [`session_id`].
//! A request body is read by [`json_object`], which names a key sent twice; [`digits`] reads
//! decimal digits of any script.
//!
//! May import: nothing of the service.

pub mod cep;
pub mod choice;
#[cfg(test)]
mod contract_tests;
pub mod cpf;
pub mod data_nascimento;
pub mod defaults;
pub mod digits;
pub mod email;
pub mod json_object;
pub mod nome;
pub mod placa;
pub mod premissas;
pub mod questionario;
pub mod quote_request;
pub mod resume_token;
pub mod robot_input;
pub mod session_id;
pub mod telefone;
mod text;

/// Why one field was refused; the message is shown to the visitor as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub &'static str);
