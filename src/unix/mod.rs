//! What the service asks of the operating system: process groups and their signals
//! ([`process_group`]), owner-only files for personal data ([`private_files`]), and the graceful
//! shutdown on SIGTERM/SIGINT ([`shutdown`]).
//!
//! May import: nothing of the service.

pub mod private_files;
pub mod process_group;
pub mod shutdown;
