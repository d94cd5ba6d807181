//! Who the client is: the peer address, or the address a trusted proxy (Cloudflare, nginx)
//! reports in `CF-Connecting-IP` / `X-Forwarded-For`. Headers from anyone else are ignored.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// A network in CIDR notation (a bare address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn parse(s: &str) -> Result<IpNet, String> {
        let bad = || format!("proxy inválido \"{s}\" (use um IP ou uma rede CIDR)");
        let (a, p) = s.split_once('/').map_or((s, None), |(a, p)| (a, Some(p)));
        let addr: IpAddr = a.trim().parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
        };
        Ok(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
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

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    pub fn parse(s: &str) -> Result<TrustedProxies, String> {
        s.split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(IpNet::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address for a request that arrived from `peer` with `headers`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(ip) = header("cf-connecting-ip").and_then(|v| v.trim().parse().ok()) {
            return canonical(ip);
        }
        // X-Forwarded-For: the right-most address that is not one of our proxies.
        if let Some(xff) = header("x-forwarded-for") {
            for hop in xff.rsplit(',') {
                match hop.trim().parse::<IpAddr>() {
                    Ok(ip) if self.trusts(canonical(ip)) => continue,
                    Ok(ip) => return canonical(ip),
                    Err(_) => break,
                }
            }
        }
        peer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn headers_are_believed_only_from_trusted_proxies() {
        let t = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 10.1.2.3")]);
        assert_eq!(t.client_ip("127.0.0.1".parse().unwrap(), &h), "203.0.113.9".parse::<IpAddr>().unwrap());
        assert_eq!(t.client_ip("198.51.100.1".parse().unwrap(), &h), "198.51.100.1".parse::<IpAddr>().unwrap());
        let h = headers(&[("cf-connecting-ip", "203.0.113.7")]);
        assert_eq!(t.client_ip("10.9.9.9".parse().unwrap(), &h), "203.0.113.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn cidr_parsing() {
        assert!(IpNet::parse("10.0.0.0/33").is_err());
        assert!(IpNet::parse("nope").is_err());
        assert!(IpNet::parse("::1").unwrap().contains("::1".parse().unwrap()));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
    }
}
