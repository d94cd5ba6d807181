//! The robot's snapshots (contract §3) on their way to the visitor: read from the job's files
//! ([`files`]), synced into SQLite ([`sync`]), and read back as the modal's progress answer
//! ([`progress_view`], with [`typical_duration`] for its time estimates, which health shows too).
//! The write SQL and the read SQL of the `progress`, `history` and `plans` tables (and of the
//! vehicle the portal confirmed, `jobs.veiculo`) live here, side by side.
//!
//! May import: `queue` (a waiting job's place in line), `outbox` (the estimate's event),
//! `contract` (the shapes that filter what leaves), `store`, `domain` (the session id, the words
//! of the assumed answers).

pub mod files;
pub mod progress_view;
pub mod sync;
pub mod typical_duration;
