//! Server-side state of the portal: calculations in progress (screen 15) and broker log-in tokens.
//! Both are bounded so a long-running demo cannot grow without limit.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::catalog::Outcome;

/// At most this many calculations and tokens are remembered; the oldest are dropped first.
const CAPACITY: usize = 10_000;

/// One calculation started by the countdown screen.
#[derive(Debug, Clone)]
pub struct Calculation {
    pub placa: String,
    pub outcome: Outcome,
    pub cpf_divergente: bool,
    pub ready_at: Instant,
}

/// What a poll of a calculation finds.
#[derive(Debug, Clone)]
pub enum Poll {
    Unknown,
    Pending(Duration),
    Done(Calculation),
}

/// A map that remembers at most [`CAPACITY`] keys, dropping the oldest first.
struct Bounded<V> {
    map: HashMap<String, V>,
    order: VecDeque<String>,
}

impl<V> Default for Bounded<V> {
    fn default() -> Self {
        Bounded { map: HashMap::new(), order: VecDeque::new() }
    }
}

impl<V> Bounded<V> {
    /// Inserts a new key, evicting the oldest one when full.
    fn insert(&mut self, key: String, value: V) {
        if self.order.len() >= CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
        self.order.push_back(key.clone());
        self.map.insert(key, value);
    }
}

#[derive(Default)]
struct Inner {
    calcs: Bounded<Calculation>,
    tokens: Bounded<()>,
}

/// Calculations and tokens, shared by the handlers.
#[derive(Default)]
pub struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    /// Registers a calculation ready after `after`; returns its id.
    pub fn start(&self, placa: String, outcome: Outcome, cpf_divergente: bool, after: Duration) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let calc = Calculation { placa, outcome, cpf_divergente, ready_at: Instant::now() + after };
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).calcs.insert(id.clone(), calc);
        id
    }

    pub fn poll(&self, id: &str) -> Poll {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match g.calcs.map.get(id) {
            None => Poll::Unknown,
            Some(c) => {
                let now = Instant::now();
                if now < c.ready_at {
                    Poll::Pending(c.ready_at - now)
                } else {
                    Poll::Done(c.clone())
                }
            }
        }
    }

    /// Issues a log-in token.
    pub fn issue_token(&self) -> String {
        let token = uuid::Uuid::new_v4().simple().to_string();
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).tokens.insert(token.clone(), ());
        token
    }

    pub fn token_valid(&self, token: &str) -> bool {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).tokens.map.contains_key(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_then_done() {
        let s = Store::default();
        let id = s.start("ABC1D23".into(), Outcome::Sucesso, false, Duration::from_secs(3600));
        assert!(matches!(s.poll(&id), Poll::Pending(_)));
        let id2 = s.start("ABC1D23".into(), Outcome::Sucesso, false, Duration::ZERO);
        assert!(matches!(s.poll(&id2), Poll::Done(_)));
        assert!(matches!(s.poll("nada"), Poll::Unknown));
        let t = s.issue_token();
        assert!(s.token_valid(&t) && !s.token_valid("x"));
    }
}
