//! What guards `POST /api/rpa/start`: who the client is behind the trusted proxies
//! ([`client_ip`]) and how many quotes it may start a minute ([`rate_limit`]).
//!
//! May import: nothing of the service.

pub mod client_ip;
pub mod rate_limit;
