//! The SQLite file: opening it and its pool ([`db`], with the time as stored), the one way to
//! write ([`write_tx`]), its schema versions ([`migrations`]), the retention purge of personal
//! data ([`retention`]), the lock that keeps it to one running service ([`instance_lock`]), and
//! whether its disk takes writes ([`disk`]).
//!
//! May import: `unix` (owner-only files), `domain` (which lead keys the purge keeps). Every
//! subsystem that keeps data builds on it; it knows none of them.

pub mod db;
pub mod disk;
pub mod instance_lock;
pub mod migrations;
pub mod retention;
pub mod write_tx;
