//! Per-client-IP limit on quote requests: a fixed one-minute window per address, in memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Above this many tracked addresses, expired windows are dropped.
const SWEEP_AT: usize = 10_000;

pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// `per_minute == 0` disables the limit.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts a request from `ip`; `Err(seconds to wait)` when over the limit.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let mut w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if w.len() >= SWEEP_AT {
            w.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = w.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= self.per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_address_separately_and_resets_after_a_minute() {
        let rl = RateLimiter::new(2);
        let (a, b): (IpAddr, IpAddr) = ("203.0.113.1".parse().unwrap(), "203.0.113.2".parse().unwrap());
        let t = Instant::now();
        assert!(rl.check(a, t).is_ok());
        assert!(rl.check(a, t).is_ok());
        assert!(rl.check(a, t).is_err());
        assert!(rl.check(b, t).is_ok());
        assert!(rl.check(a, t + WINDOW).is_ok());
        assert!(RateLimiter::new(0).check(a, t).is_ok());
    }
}
