//! When to try a failed delivery again: a schedule of delays (`RPA_WEBHOOK_RETRY_S`, by default
//! the Standard Webhooks one: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), each stretched or shrunk
//! by up to 20% at random so that many failed deliveries do not all come back at once. After the
//! last delay's attempt the delivery is dead. A receiver's `Retry-After` (seconds or an HTTP date)
//! replaces the scheduled delay.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The default schedule, in seconds.
pub const DEFAULT_SCHEDULE: &str = "5,300,1800,7200,18000,36000,36000";

/// The longest `Retry-After` honoured as given; longer ones are cut to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Delays between attempts: the first attempt is immediate, attempt n+1 comes after delay n.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule(Vec<Duration>);

impl Schedule {
    /// Parses comma-separated seconds, such as `5,300,1800`.
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let delays: Result<Vec<Duration>, String> = s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| match p.parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=7.0 * 86400.0).contains(&v) => Ok(Duration::from_secs_f64(v)),
                _ => Err(format!("\"{p}\" não é um número de segundos entre 0 e 604800")),
            })
            .collect();
        let delays = delays?;
        if delays.is_empty() {
            return Err("informe ao menos um intervalo, em segundos, separados por vírgula (ex.: 5,300,1800)".into());
        }
        Ok(Schedule(delays))
    }

    /// Attempts in all: the first one and one after each delay.
    pub fn attempts(&self) -> u32 {
        self.0.len() as u32 + 1
    }

    /// The delay before the next attempt once `attempts_done` have failed, with jitter; `None`
    /// when none is left.
    pub fn next_delay(&self, attempts_done: u32) -> Option<Duration> {
        let base = *self.0.get(attempts_done.checked_sub(1)? as usize)?;
        Some(base.mul_f64(0.8 + 0.4 * unit_random()))
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::parse(DEFAULT_SCHEDULE).expect("the default schedule parses")
    }
}

/// A uniform number in [0, 1).
fn unit_random() -> f64 {
    let r = getrandom::u64().unwrap_or(u64::MAX / 2);
    (r >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a `Retry-After` header asks for, at `now`: delay-seconds or an HTTP date, capped at
/// [`MAX_RETRY_AFTER`]; `None` if it is neither.
pub fn retry_after(header: &str, now: DateTime<Utc>) -> Option<Duration> {
    let h = header.trim();
    let wait = match h.parse::<u64>() {
        Ok(s) => Duration::from_secs(s),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(h).ok()?.with_timezone(&Utc);
            (at - now).to_std().unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_specification_schedule_and_then_dead() {
        let s = Schedule::default();
        assert_eq!(s.attempts(), 8);
        for (done, base) in [(1, 5.0), (2, 300.0), (7, 36000.0)] {
            let d = s.next_delay(done).unwrap().as_secs_f64();
            assert!(d >= base * 0.8 && d <= base * 1.2, "{done}: {d}");
        }
        assert_eq!(s.next_delay(8), None);
        assert_eq!(s.next_delay(0), None);
    }

    #[test]
    fn jitter_spreads_the_retries() {
        let s = Schedule::parse("100").unwrap();
        let delays: std::collections::HashSet<u128> = (0..20).map(|_| s.next_delay(1).unwrap().as_millis()).collect();
        assert!(delays.len() > 1, "{delays:?}");
    }

    #[test]
    fn bad_schedules_are_refused() {
        assert!(Schedule::parse("").is_err());
        assert!(Schedule::parse("5,x").is_err());
        assert!(Schedule::parse("-1").is_err());
        assert_eq!(Schedule::parse(" 0.5 , 2 ").unwrap().attempts(), 3);
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("Sun, 29 Nov 2026 12:00:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("Sun, 29 Nov 2026 11:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("9999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after("soon", now), None);
    }
}
