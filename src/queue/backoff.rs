//! How long a job waits before its next attempt after a technical failure (`RPA_RETRY_BACKOFF_S`):
//! one wait per failure, the last one repeated, so that a portal down for a minute does not spend
//! every attempt in seconds. Until then the job stays in the queue and no slot claims it. A job
//! back in the queue for another reason (the service stopped, the installation cannot quote) does
//! not wait; business outcomes are never retried.

use std::time::Duration;

/// The default: 90 s after the first failure (a portal down for a minute is back by then), then
/// 5 min.
pub const DEFAULT: &str = "90,300";

/// The longest wait accepted, in seconds: the modal stops watching a quote after 20 minutes.
pub const MAX_S: u64 = 600;

/// The waits, in order: after the first technical failure, after the second…
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff(Vec<Duration>);

impl Backoff {
    /// Whole seconds separated by commas, such as `90,300`.
    pub fn parse(s: &str) -> Result<Backoff, String> {
        if s.trim().is_empty() {
            return Err(format!("informe as esperas em segundos, separadas por vírgula (ex.: {DEFAULT})"));
        }
        let mut waits = Vec::new();
        for part in s.split(',').map(str::trim) {
            let secs = part.parse::<u64>().ok().filter(|s| *s <= MAX_S).ok_or_else(|| {
                format!("\"{part}\" não é um número inteiro de segundos entre 0 e {MAX_S} (ex.: {DEFAULT})")
            })?;
            waits.push(Duration::from_secs(secs));
        }
        Ok(Backoff(waits))
    }

    /// The wait after the `failures`-th technical failure (1 for the first): its place in the
    /// list, or the last one.
    pub fn after(&self, failures: u32) -> Duration {
        let i = (failures.max(1) as usize - 1).min(self.0.len() - 1);
        self.0[i]
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::parse(DEFAULT).expect("the default backoff parses")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_wait_per_failure_and_the_last_one_repeated() {
        let b = Backoff::default();
        let s = |n| b.after(n).as_secs();
        assert_eq!((s(1), s(2), s(3), s(9)), (90, 300, 300, 300));
        assert_eq!(Backoff::parse(" 0 ").unwrap().after(1), Duration::ZERO);
    }

    #[test]
    fn anything_but_whole_seconds_up_to_the_limit_is_refused_in_portuguese() {
        for bad in ["", " ", "30,", "abc", "-5", "1.5", "30;120", "601"] {
            let e = Backoff::parse(bad).unwrap_err();
            assert!(e.contains("segundos") && e.contains("ex.: 90,300"), "{bad:?}: {e}");
        }
        assert_eq!(
            Backoff::parse("30, 120").unwrap(),
            Backoff(vec![Duration::from_secs(30), Duration::from_secs(120)])
        );
    }
}
