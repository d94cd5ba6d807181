//! Per-client-address limit on quote requests: a fixed one-minute window per address, in memory,
//! with a hard cap on how many addresses are tracked.
//!
//! Cost: windows are queued in the order they opened, so the ones that ended are dropped from the
//! front of the queue; each window is queued once and dropped once, and a request drops at most
//! [`DROPS_PER_REQUEST`] of them (more only when it needs room at the cap, and never more than
//! have ended). Nothing ever walks the whole map, so a request costs the same with 100 or 100,000
//! addresses tracked.
//!
//! At the cap ([`MAX_TRACKED`] addresses whose window is still running), an address that is not
//! already tracked is refused, told to wait until the oldest window ends (when a place frees up).
//! Tracked addresses keep their own windows and counts untouched: no window is ever evicted or
//! reset early, so a flood of new addresses can neither reset its own or anyone else's count nor
//! open the limit. The price is that while someone keeps [`MAX_TRACKED`] distinct addresses busy
//! within one minute, visitors not yet seen that minute get `429` too.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Addresses tracked at once (100 to 200 bytes each: 10 to 20 MB at the cap).
pub const MAX_TRACKED: usize = 100_000;
/// Ended windows a request drops on its way (two would be enough to keep up: a request opens at
/// most one window).
pub const DROPS_PER_REQUEST: usize = 8;

pub struct RateLimiter {
    per_minute: u32,
    max_tracked: usize,
    windows: Mutex<Windows>,
}

#[derive(Default)]
struct Windows {
    /// The current window of each tracked address: when it opened, requests counted in it.
    by_ip: HashMap<IpAddr, (Instant, u32)>,
    /// `(address, opened)` in the order windows opened. An entry whose address has since opened a
    /// newer window is stale and is dropped without touching `by_ip`.
    opened: VecDeque<(IpAddr, Instant)>,
}

fn ended(start: Instant, now: Instant) -> bool {
    now.saturating_duration_since(start) >= WINDOW
}

/// Whole seconds until `start`'s window ends, rounded up, at least 1.
fn seconds_left(start: Instant, now: Instant) -> u64 {
    let left = WINDOW.saturating_sub(now.saturating_duration_since(start));
    (left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1)
}

impl Windows {
    /// Drops the oldest window if it has ended: `None` when there is none such, else whether an
    /// address stopped being tracked.
    fn drop_oldest_ended(&mut self, now: Instant) -> Option<bool> {
        let &(ip, start) = self.opened.front().filter(|(_, start)| ended(*start, now))?;
        self.opened.pop_front();
        let current = self.by_ip.get(&ip).is_some_and(|(s, _)| *s == start);
        if current {
            self.by_ip.remove(&ip);
        }
        Some(current)
    }
}

impl RateLimiter {
    /// `per_minute == 0` disables the limit.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter::with_max_tracked(per_minute, MAX_TRACKED)
    }

    /// As [`RateLimiter::new`], tracking at most `max_tracked` addresses at once.
    pub fn with_max_tracked(per_minute: u32, max_tracked: usize) -> RateLimiter {
        RateLimiter { per_minute, max_tracked: max_tracked.max(1), windows: Mutex::new(Windows::default()) }
    }

    /// Counts a request from `ip` at `now`; `Err(seconds to wait)` when over the limit.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let mut w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        for _ in 0..DROPS_PER_REQUEST {
            if w.drop_oldest_ended(now).is_none() {
                break;
            }
        }
        if let Some((start, count)) = w.by_ip.get_mut(&ip) {
            if ended(*start, now) {
                // Ended but not dropped yet: open a new window; the old queue entry goes stale.
                (*start, *count) = (now, 1);
                w.opened.push_back((ip, now));
                return Ok(());
            }
            if *count >= self.per_minute {
                return Err(seconds_left(*start, now));
            }
            *count += 1;
            return Ok(());
        }
        while w.by_ip.len() >= self.max_tracked {
            if w.drop_oldest_ended(now).is_none() {
                // Every tracked window is running: wait for the oldest to end.
                return Err(w.opened.front().map_or(1, |(_, start)| seconds_left(*start, now)));
            }
        }
        w.by_ip.insert(ip, (now, 1));
        w.opened.push_back((ip, now));
        Ok(())
    }

    /// (addresses tracked, queue entries).
    #[cfg(test)]
    fn tracked(&self) -> (usize, usize) {
        let w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        (w.by_ip.len(), w.opened.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u32) -> IpAddr {
        IpAddr::V4(std::net::Ipv4Addr::from(0xCB00_7100 + n))
    }

    #[test]
    fn limits_each_address_separately_and_resets_after_a_minute() {
        let rl = RateLimiter::new(2);
        let (a, b) = (ip(1), ip(2));
        let t = Instant::now();
        assert!(rl.check(a, t).is_ok());
        assert!(rl.check(a, t).is_ok());
        assert_eq!(rl.check(a, t), Err(60));
        assert_eq!(rl.check(a, t + Duration::from_millis(30_500)), Err(30), "rounded up");
        assert_eq!(rl.check(a, t + Duration::from_millis(59_999)), Err(1));
        assert!(rl.check(b, t).is_ok());
        assert!(rl.check(a, t + WINDOW).is_ok());
        assert!(rl.check(a, t + WINDOW).is_ok());
        assert!(rl.check(a, t + WINDOW).is_err());
        let off = RateLimiter::new(0);
        assert!((0..1000).all(|_| off.check(a, t).is_ok()));
    }

    #[test]
    fn the_window_is_fixed_not_sliding() {
        let rl = RateLimiter::new(1);
        let t = Instant::now();
        assert!(rl.check(ip(1), t).is_ok());
        assert!(rl.check(ip(1), t + Duration::from_secs(59)).is_err());
        // The refused request did not move the window.
        assert!(rl.check(ip(1), t + WINDOW).is_ok());
    }

    #[test]
    fn ended_windows_are_dropped_as_requests_come_in() {
        let rl = RateLimiter::new(5);
        let t = Instant::now();
        for n in 0..1000 {
            rl.check(ip(n), t).unwrap();
        }
        assert_eq!(rl.tracked(), (1000, 1000));
        let later = t + WINDOW;
        for n in 0..100 {
            rl.check(ip(5000 + n), later).unwrap();
        }
        // Each request dropped DROPS_PER_REQUEST of the old ones and added its own.
        assert_eq!(rl.tracked(), (1000 - 100 * DROPS_PER_REQUEST + 100, 1000 - 100 * DROPS_PER_REQUEST + 100));
        for n in 0..200 {
            rl.check(ip(9000 + n), later).unwrap();
        }
        assert_eq!(rl.tracked(), (300, 300), "only the running windows are left");
    }

    #[test]
    fn an_address_back_after_its_window_ended_starts_afresh_before_its_entry_is_dropped() {
        let rl = RateLimiter::new(2);
        let t = Instant::now();
        for n in 0..100 {
            rl.check(ip(n), t).unwrap();
        }
        rl.check(ip(99), t).unwrap();
        assert!(rl.check(ip(99), t).is_err());
        // ip(99) is at the back of the queue: its window ended but it has not been dropped.
        let later = t + WINDOW;
        assert!(rl.check(ip(99), later).is_ok());
        assert!(rl.check(ip(99), later).is_ok());
        assert!(rl.check(ip(99), later).is_err(), "the new window counts from 1");
        // Dropping the stale entry must not drop the new window.
        let (tracked, queued) = rl.tracked();
        assert_eq!(queued, tracked + 1);
        for n in 0..100 {
            rl.check(ip(1000 + n), later + Duration::from_secs(1)).unwrap();
        }
        assert_eq!(rl.tracked(), (101, 101));
        assert!(rl.check(ip(99), later + Duration::from_secs(1)).is_err(), "still the same window");
    }

    #[test]
    fn at_the_cap_new_addresses_wait_and_tracked_ones_keep_their_windows() {
        let rl = RateLimiter::with_max_tracked(2, 3);
        let t = Instant::now();
        for n in 0..3 {
            rl.check(ip(n), t + Duration::from_secs(u64::from(n))).unwrap();
        }
        rl.check(ip(0), t + Duration::from_secs(10)).unwrap();
        assert!(rl.check(ip(0), t + Duration::from_secs(10)).is_err());
        // A flood of new addresses: refused until the oldest window (ip 0, opened at t) ends.
        let flood = t + Duration::from_secs(20);
        for n in 100..200 {
            assert_eq!(rl.check(ip(n), flood), Err(40));
        }
        // Nobody's window was reset by the flood, nor opened for anyone.
        assert!(rl.check(ip(0), flood).is_err());
        assert!(rl.check(ip(1), flood).is_ok());
        assert!(rl.check(ip(1), flood).is_err());
        assert_eq!(rl.tracked(), (3, 3));
        // When the oldest window ends its place goes to the next newcomer, and only one.
        assert!(rl.check(ip(100), t + WINDOW).is_ok());
        assert_eq!(rl.check(ip(101), t + WINDOW), Err(1));
        assert!(rl.check(ip(0), t + WINDOW).is_err(), "no place left for ip 0 either");
    }
}
