//! What the service asks of the operating system: process groups and their signals
//! ([`process_group`]), owner-only files for personal data ([`private_files`]), the graceful
//! shutdown on SIGTERM/SIGINT ([`shutdown`]), and SIGHUP, which never ends it ([`hangup`]).
//!
//! May import: nothing of the service.

pub mod hangup;
pub mod private_files;
pub mod process_group;
pub mod shutdown;
