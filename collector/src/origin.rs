//! Whether a request's `Origin` names this collector's own site: the one answer both CORS and the staff guard use.

use axum::http::{HeaderMap, header};

/// The host (and port) a browser used to reach the collector: `Host`, or,
/// behind the operator's own proxy (`--behind-proxy`), the host the proxy says
/// it was asked for in `X-Forwarded-Host` (the last one, which that proxy
/// appended: earlier ones came from further out).
pub fn public_host(headers: &HeaderMap, behind_proxy: bool) -> Option<&str> {
    let forwarded = behind_proxy
        .then(|| {
            headers
                .get_all("x-forwarded-host")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|host| !host.is_empty())
        })
        .flatten();
    forwarded.or_else(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()))
}

/// The address people reach the collector at, for what is read away from it (a feed's
/// links, a poster's code): `--public-url` when it is set, else the address this request
/// was sent to.
pub fn public_address(config: &crate::Config, headers: &HeaderMap) -> String {
    if let Some(url) = &config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = public_host(headers, config.behind_proxy).unwrap_or("localhost");
    let scheme = if config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// Whether `origin` (an `Origin` header's value, `scheme://host[:port]`) is
/// the site the request was sent to: a page the collector served itself.
pub fn is_own_origin(origin: &str, headers: &HeaderMap, behind_proxy: bool) -> bool {
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    matches!(
        (origin_host, public_host(headers, behind_proxy)),
        (Some(origin_host), Some(host)) if origin_host.eq_ignore_ascii_case(host)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_host_the_browser_used_decides() {
        let direct = headers(&[("host", "surveys.example.org")]);
        assert!(is_own_origin("https://surveys.example.org", &direct, false));
        assert!(!is_own_origin(
            "https://partner.example.org",
            &direct,
            false
        ));

        let proxied = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "surveys.example.org"),
        ]);
        assert!(is_own_origin("https://surveys.example.org", &proxied, true));
        // Without --behind-proxy the header is anyone's to send, and ignored.
        assert!(!is_own_origin(
            "https://surveys.example.org",
            &proxied,
            false
        ));
        assert!(is_own_origin("http://127.0.0.1:8080", &proxied, false));

        let chained = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "spoofed.example, surveys.example.org"),
        ]);
        assert!(is_own_origin("https://surveys.example.org", &chained, true));
        assert!(!is_own_origin("https://spoofed.example", &chained, true));
        assert!(!is_own_origin("null", &direct, false));
    }
}
