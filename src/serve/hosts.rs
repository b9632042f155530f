//! Which requests the preview answers: those for its own address only, so that a page
//! on another site whose name resolves to this machine (DNS rebinding) cannot read it.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The `Host` values the server answers: its own address and `localhost`, so that a
/// page on another site whose name resolves to this machine (DNS rebinding) cannot
/// read the preview, drafts included.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    bind: IpAddr,
    port: u16,
}

impl AllowedHosts {
    /// The hosts of a server bound to `bind` (any address if unspecified) at `port`.
    pub(crate) fn new(bind: IpAddr, port: u16) -> AllowedHosts {
        AllowedHosts { bind, port }
    }

    /// Whether a request with `Host: host` is for this server.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]:1111` and `127.0.0.1:1111`; a bare `[::1]` has its colons inside brackets.
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name)
            .parse::<IpAddr>();
        match ip {
            Ok(_) if self.bind.is_unspecified() => true,
            Ok(ip) => ip == self.bind || (self.bind.is_loopback() && ip.is_loopback()),
            Err(_) => false,
        }
    }
}

/// Refuses requests for another host (421), and asks clients that send a body (never
/// needed: only GET and HEAD are served) to close the connection after the answer.
pub(crate) async fn check_host(
    State(hosts): State<AllowedHosts>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if !host.is_some_and(|h| hosts.allows(h)) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONNECTION, "close")],
            format!(
                "muster serve answers requests for its own address only, such as http://localhost:{}/\n",
                hosts.port
            ),
        )
            .into_response();
    }
    let has_body = request.headers().contains_key(header::TRANSFER_ENCODING)
        || request
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|l| l.as_bytes() != b"0");
    let mut response = next.run(request).await;
    if has_body {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_hosts_are_allowed() {
        let loopback = AllowedHosts::new("127.0.0.1".parse().unwrap(), 1111);
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "127.0.0.2:1111",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1:80",
            "127.0.0.1",
            "localhost",
            "192.168.1.5:1111",
            "",
            "127.0.0.1:1111:1111",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let any = AllowedHosts::new("0.0.0.0".parse().unwrap(), 80);
        assert!(any.allows("192.168.1.5") && any.allows("[fe80::1]:80") && any.allows("localhost"));
        assert!(!any.allows("kb.example.org"));
    }
}
