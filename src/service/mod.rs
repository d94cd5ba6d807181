//! The running service: the wiring of `rpa-v4 serve` ([`startup`]): every subsystem started in
//! order, the background loops that belong to none of them, and the shutdown order.
//!
//! May import: everything. Nothing imports it but `main.rs`.

pub mod startup;
