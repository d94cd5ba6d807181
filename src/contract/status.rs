//! The status vocabularies of `docs/contract/vocabulary.json` (`status`) as types, so that no
//! code compares status strings: a job's ([`JobStatus`], the `jobs.status` column), the progress
//! answer's ([`ProgressStatus`], what the modal reads) and the robot's snapshots'
//! ([`RobotStatus`]); and how one attempt ended ([`AttemptOutcome`], the `attempts.outcome`
//! column, the service's own). In SQL they travel as bound parameters.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// An enum whose variants are the vocabulary's words: `ALL` in the vocabulary's order, `as_str`,
/// `parse`, serialised as the word, and read from and bound into SQL as the word.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                $name::parse(s).ok_or_else(|| {
                    FromSqlError::Other(format!("valor desconhecido para {}: {s}", stringify!($name)).into())
                })
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }
    };
}

vocabulary! {
    /// Where a job is: waiting for a slot, with a robot, or ended.
    JobStatus { Queued => "queued", Running => "running", Success => "success", Error => "error" }
}

vocabulary! {
    /// The `status` of a progress answer.
    ProgressStatus { Waiting => "waiting", Running => "running", Success => "success", Error => "error" }
}

vocabulary! {
    /// The `status` a robot writes in its snapshots.
    RobotStatus { Iniciando => "iniciando", Executando => "executando", Success => "success", Error => "error" }
}

vocabulary! {
    /// How one robot attempt ended: the job succeeded, went back to the queue for a retry, ended
    /// in error, or was interrupted (the service stopped, or the installation cannot quote) and
    /// does not count.
    AttemptOutcome { Success => "success", Retry => "retry", Error => "error", Interrupted => "interrupted" }
}

impl JobStatus {
    /// Waiting or running: the quote has not ended.
    pub fn is_open(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }
}

impl From<JobStatus> for ProgressStatus {
    fn from(j: JobStatus) -> ProgressStatus {
        match j {
            JobStatus::Queued => ProgressStatus::Waiting,
            JobStatus::Running => ProgressStatus::Running,
            JobStatus::Success => ProgressStatus::Success,
            JobStatus::Error => ProgressStatus::Error,
        }
    }
}

impl RobotStatus {
    /// The run's single ending.
    pub fn is_terminal(self) -> bool {
        matches!(self, RobotStatus::Success | RobotStatus::Error)
    }
}
