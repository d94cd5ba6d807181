//! The contracts' vocabulary as types (docs/contract/): the status words ([`status`]), the shapes
//! of the estimate, plans and error entries that filter what leaves the service ([`shapes`]), what
//! a robot run came to under contract §4 ([`outcome`]), the masks that keep personal data out
//! of robot logs ([`pii_mask`]), and how a robot is handed the shared browser's secret endpoint
//! ([`robot_browser`]). Checked against `vocabulary.json` by `vocabulary_tests`.
//!
//! May import: `domain` (the CPF a mask looks for). No SQL, no I/O.

pub mod outcome;
pub mod pii_mask;
pub mod robot_browser;
pub mod shapes;
pub mod status;
#[cfg(test)]
mod vocabulary_tests;
