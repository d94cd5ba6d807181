//! Settings of `rpa-v4 serve` and the other commands: every flag, its `RPA_*` environment
//! variable and its default, parsed and checked before anything starts ([`settings`]), and the
//! value types and parsers they use ([`values`]).
//!
//! May import: `guard` (trusted proxies), `webhooks` (the retry schedule), `queue` — the types a
//! setting is parsed into. Everything above reads it; nothing below it does.

pub mod settings;
pub mod values;
