//! Who the client is, for the per-address rate limit: the TCP peer, or the address our own proxies
//! vouch for in `X-Forwarded-For` / `CF-Connecting-IP`. Owns the proxy lists' syntax (IPs and CIDR
//! networks) and the rules for walking a proxy chain; headers nobody we trust wrote are ignored.
//!
//! The walk ([`client_ip`]) starts at the TCP peer and moves one hop towards the visitor at a time:
//!
//! 1. A hop inside the Cloudflare ranges (`RPA_CLOUDFLARE_PROXIES`) is answered by
//!    `CF-Connecting-IP`: Cloudflare overwrites that header, so it names the visitor. If the header
//!    is missing, repeated or not an address, the Cloudflare hop itself is the client.
//! 2. A hop inside the trusted proxies (`RPA_TRUSTED_PROXIES`) is replaced by the next
//!    `X-Forwarded-For` entry from the right: the address that proxy says it got the request from.
//!    Only that proxy's own append is believed; everything to its left was written by whoever
//!    connected to it and is believed only while each hop is itself trusted.
//! 3. Any other hop is the client: the rightmost address not belonging to our proxies.
//!
//! Failing closed: when a trusted hop's predecessor cannot be read (the list is empty or used up,
//! an entry is not a bare IP, the header is not ASCII, or the chain is absurdly long), the client
//! is that last trusted hop. A sender can only put junk there by writing it itself, and then every
//! such request counts against the one proxy address, which the sender cannot choose; taking any
//! address written further left instead would let a sender mint a fresh budget per request.
//!
//! `CF-Connecting-IP` is never believed from a hop outside the Cloudflare ranges, whatever the
//! trusted proxies say: a visitor talking straight to nginx can put anything in it.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// More trusted hops than this in one chain is not a real deployment: stop at the last one.
const MAX_HOPS: usize = 16;

/// A proxy list entry that is neither an IP nor a CIDR network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("proxy inválido \"{0}\" (use um IP ou uma rede CIDR)")]
pub struct InvalidProxy(pub String);

/// A network in CIDR notation (a bare address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(s: &str) -> Result<IpNet, InvalidProxy> {
        let bad = || InvalidProxy(s.to_string());
        let (a, p) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let written: IpAddr = a.trim().parse().map_err(|_| bad())?;
        let addr = canonical(written);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => {
                let p = p.trim().parse::<u8>().map_err(|_| bad())?;
                // `::ffff:10.0.0.0/104` is 10.0.0.0/8.
                let p = if written != addr { p.checked_sub(96).ok_or_else(bad)? } else { p };
                Some(p).filter(|p| *p <= max).ok_or_else(bad)?
            }
        };
        Ok(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(i)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(n) & mask == u32::from(i) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(i)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(n) & mask == u128::from(i) & mask
            }
            _ => false,
        }
    }
}

/// `::ffff:1.2.3.4` is 1.2.3.4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// A list of networks: the proxies whose `X-Forwarded-For` is believed, or Cloudflare's ranges.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated IPs and CIDR networks; empty entries are skipped.
    pub fn parse(s: &str) -> Result<TrustedProxies, InvalidProxy> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(IpNet::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }
}

/// The client's address for a request that arrived from the TCP `peer` with `headers`, given the
/// proxies whose `X-Forwarded-For` is believed (`trusted`) and Cloudflare's ranges (`cloudflare`),
/// by the rules in the module documentation.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies, cloudflare: &TrustedProxies) -> IpAddr {
    // X-Forwarded-For entries from the right; every field line counts, in order (RFC 9110 §5.3).
    // `None` is an entry that cannot be read.
    let mut forwarded = headers.get_all("x-forwarded-for").iter().rev().flat_map(|v| match v.to_str() {
        Ok(s) => s.rsplit(',').map(|hop| hop.trim().parse::<IpAddr>().ok().map(canonical)).collect::<Vec<_>>(),
        Err(_) => vec![None],
    });
    let mut hop = canonical(peer);
    for _ in 0..=MAX_HOPS {
        if cloudflare.contains(hop) {
            return cf_connecting_ip(headers).unwrap_or(hop);
        }
        if !trusted.contains(hop) {
            return hop;
        }
        match forwarded.next() {
            Some(Some(previous)) => hop = previous,
            Some(None) | None => return hop,
        }
    }
    hop
}

/// The single, well-formed `CF-Connecting-IP`, if there is one.
fn cf_connecting_ip(headers: &HeaderMap) -> Option<IpAddr> {
    let mut values = headers.get_all("cf-connecting-ip").iter();
    let (value, None) = (values.next()?, values.next()) else { return None };
    value.to_str().ok()?.trim().parse().ok().map(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    /// nginx on 127.0.0.1 and an internal balancer network are ours; 198.51.100.0/24 is "Cloudflare".
    fn setup() -> (TrustedProxies, TrustedProxies) {
        (
            TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap(),
            TrustedProxies::parse("198.51.100.0/24, 2001:db8:cf::/48").unwrap(),
        )
    }

    fn client(peer: &str, h: &[(&'static str, &str)]) -> IpAddr {
        let (trusted, cloudflare) = setup();
        client_ip(ip(peer), &headers(h), &trusted, &cloudflare)
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_sends() {
        let h = [("x-forwarded-for", "203.0.113.9"), ("cf-connecting-ip", "203.0.113.7")];
        assert_eq!(client("192.0.2.1", &h), ip("192.0.2.1"));
        assert_eq!(client("::ffff:192.0.2.1", &h), ip("192.0.2.1"));
    }

    #[test]
    fn behind_nginx_the_rightmost_untrusted_forwarded_address_is_the_client() {
        assert_eq!(client("127.0.0.1", &[("x-forwarded-for", "203.0.113.9")]), ip("203.0.113.9"));
        // A spoofed prefix is left of the address nginx appended and is never reached.
        assert_eq!(client("127.0.0.1", &[("x-forwarded-for", "1.1.1.1, 8.8.8.8, 203.0.113.9")]), ip("203.0.113.9"));
        // Our own internal hops are skipped.
        assert_eq!(
            client("127.0.0.1", &[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.1.2.3, 10.0.0.7")]),
            ip("203.0.113.9")
        );
        // Two header lines are one list, the last line rightmost.
        assert_eq!(
            client("127.0.0.1", &[("x-forwarded-for", "203.0.113.9"), ("x-forwarded-for", "10.0.0.7")]),
            ip("203.0.113.9")
        );
        assert_eq!(
            client("127.0.0.1", &[("x-forwarded-for", "10.0.0.7"), ("x-forwarded-for", "203.0.113.9")]),
            ip("203.0.113.9")
        );
        // No header: the proxy itself.
        assert_eq!(client("127.0.0.1", &[]), ip("127.0.0.1"));
    }

    #[test]
    fn behind_nginx_a_spoofed_cf_connecting_ip_is_ignored() {
        let h = [("x-forwarded-for", "203.0.113.9"), ("cf-connecting-ip", "192.0.2.200")];
        assert_eq!(client("127.0.0.1", &h), ip("203.0.113.9"));
        let h = [("cf-connecting-ip", "192.0.2.200")];
        assert_eq!(client("127.0.0.1", &h), ip("127.0.0.1"));
        // Claiming, left of nginx's append, to have come through Cloudflare changes nothing.
        let h = [("x-forwarded-for", "198.51.100.7, 203.0.113.9"), ("cf-connecting-ip", "192.0.2.200")];
        assert_eq!(client("127.0.0.1", &h), ip("203.0.113.9"));
    }

    #[test]
    fn cloudflare_straight_to_the_service_is_believed_about_the_visitor() {
        let h = [("cf-connecting-ip", "203.0.113.7"), ("x-forwarded-for", "192.0.2.1, 203.0.113.7")];
        assert_eq!(client("198.51.100.20", &h), ip("203.0.113.7"));
        assert_eq!(client("2001:db8:cf::1", &[("cf-connecting-ip", "2001:db8:1::5")]), ip("2001:db8:1::5"));
        // Cloudflare without a usable header: the edge address itself (shared, so never looser).
        assert_eq!(client("198.51.100.20", &[("x-forwarded-for", "203.0.113.7")]), ip("198.51.100.20"));
        assert_eq!(client("198.51.100.20", &[("cf-connecting-ip", "nope")]), ip("198.51.100.20"));
        let two = [("cf-connecting-ip", "203.0.113.7"), ("cf-connecting-ip", "203.0.113.8")];
        assert_eq!(client("198.51.100.20", &two), ip("198.51.100.20"));
    }

    #[test]
    fn cloudflare_then_nginx_believes_the_header_only_when_nginx_got_it_from_cloudflare() {
        let h = [("x-forwarded-for", "203.0.113.7, 198.51.100.20"), ("cf-connecting-ip", "203.0.113.7")];
        assert_eq!(client("127.0.0.1", &h), ip("203.0.113.7"));
        // Straight to nginx, pretending: nginx appended the sender's real address.
        let h = [("x-forwarded-for", "203.0.113.7, 198.51.100.20, 192.0.2.66"), ("cf-connecting-ip", "203.0.113.7")];
        assert_eq!(client("127.0.0.1", &h), ip("192.0.2.66"));
    }

    #[test]
    fn unreadable_hops_fail_closed_on_the_last_trusted_hop() {
        for xff in ["garbage", "203.0.113.9, garbage", "203.0.113.9:4711", "", " , ", "unknown, 10.0.0.7"] {
            let want = if xff.ends_with("10.0.0.7") { "10.0.0.7" } else { "127.0.0.1" };
            assert_eq!(client("127.0.0.1", &[("x-forwarded-for", xff)]), ip(want), "{xff:?}");
        }
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", axum::http::HeaderValue::from_bytes(b"203.0.113.9, \xe9").unwrap());
        let (trusted, cloudflare) = setup();
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &trusted, &cloudflare), ip("127.0.0.1"));
        // An endless chain of trusted hops stops at a trusted hop, never at an address left of it.
        let long = std::iter::repeat("10.0.0.7").take(100).collect::<Vec<_>>().join(", ");
        let xff = format!("203.0.113.9, {long}");
        assert_eq!(client("127.0.0.1", &[("x-forwarded-for", &xff)]), ip("10.0.0.7"));
    }

    #[test]
    fn with_nothing_configured_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        let h = headers(&[("x-forwarded-for", "203.0.113.9"), ("cf-connecting-ip", "203.0.113.7")]);
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &none, &none), ip("127.0.0.1"));
    }

    #[test]
    fn cidr_parsing() {
        assert!(IpNet::parse("10.0.0.0/33").is_err());
        assert!(IpNet::parse("nope").is_err());
        assert_eq!(
            IpNet::parse("nope").unwrap_err().to_string(),
            "proxy inválido \"nope\" (use um IP ou uma rede CIDR)"
        );
        assert!(TrustedProxies::parse("127.0.0.1, nope").is_err());
        assert!(IpNet::parse("::1").unwrap().contains(ip("::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(!IpNet::parse("0.0.0.0/0").unwrap().contains(ip("2001:db8::1")));
        let net = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(net.contains(ip("::ffff:10.9.9.9")) && !net.contains(ip("11.0.0.1")));
        let mapped = IpNet::parse("::ffff:10.0.0.0/104").unwrap();
        assert_eq!(mapped, net);
        assert!(IpNet::parse("::ffff:10.0.0.0/64").is_err());
        assert!(IpNet::parse("2001:db8::/129").is_err());
    }
}
