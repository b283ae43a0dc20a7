//! The address of the client behind a request: the TCP peer, or, when the peer is one of the
//! `TRUSTED_PROXIES`, the address that proxy put in `X-Forwarded-For`. Only a trusted proxy is
//! believed: anyone can send the header, so from any other peer it is ignored.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::error::ApiError;
use crate::state::AppState;

/// The client's address, as login throttling, sessions and the audit log see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| ApiError::internal("the server was started without connection info"))?;
        Ok(Self(client_ip(peer, &parts.headers, &state.config.trusted_proxies)))
    }
}

/// The client of a request from `peer`: the peer itself unless it is a trusted proxy; then the
/// nearest address in `X-Forwarded-For` (read from the right, where each proxy appends the
/// address it saw) that is not a trusted proxy itself. An unreadable entry stops the walk at the
/// last address known to be real.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(&client) {
        return client;
    }
    let values: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    for entry in values.iter().rev().flat_map(|v| v.rsplit(',')) {
        let Some(ip) = parse(entry.trim()) else { return client };
        client = ip;
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

/// `1.2.3.4`, `2001:db8::1`, `[2001:db8::1]`, or either with a port.
fn parse(entry: &str) -> Option<IpAddr> {
    let ip = entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[')?.strip_suffix(']')?.parse().ok())?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().expect("a header value"));
        }
        h
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let trusted: Vec<IpNet> =
            vec!["127.0.0.1/32".parse().expect("a network"), "10.0.0.0/8".parse().expect("a network")];
        let h = headers(&["198.51.100.7, 10.1.2.3"]);

        assert_eq!(client_ip(ip("127.0.0.1"), &h, &trusted), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("192.0.2.1"), &h, &trusted), ip("192.0.2.1"), "an untrusted peer is the client");
        assert_eq!(client_ip(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"), "no trusted proxies: the peer");
        assert_eq!(client_ip(ip("127.0.0.1"), &HeaderMap::new(), &trusted), ip("127.0.0.1"));
    }

    #[test]
    fn a_spoofed_left_part_is_ignored_and_the_nearest_untrusted_hop_wins() {
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().expect("a network")];

        let spoofed = headers(&["1.1.1.1, 203.0.113.9"]);
        let two_headers = headers(&["1.1.1.1", "203.0.113.9"]);
        let garbage = headers(&["1.1.1.1, not-an-ip, 203.0.113.9"]);
        let broken_last = headers(&["203.0.113.9, junk"]);
        let v6 = headers(&["[2001:db8::7]:4711"]);

        assert_eq!(client_ip(ip("127.0.0.1"), &spoofed, &trusted), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("127.0.0.1"), &two_headers, &trusted), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("127.0.0.1"), &garbage, &trusted), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("127.0.0.1"), &broken_last, &trusted), ip("127.0.0.1"));
        assert_eq!(client_ip(ip("127.0.0.1"), &v6, &trusted), ip("2001:db8::7"));
        assert_eq!(client_ip(ip("::ffff:127.0.0.1"), &spoofed, &trusted), ip("203.0.113.9"), "IPv4-mapped peer");
    }
}
