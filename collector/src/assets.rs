//! The widget's files (embed.js, JS glue, wasm, CSS), served compressed and cached.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A widget file as compiled into the binary by `build.rs`.
pub struct EmbeddedAsset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub immutable: bool,
    pub raw: &'static [u8],
    pub br: Option<&'static [u8]>,
    pub gz: Option<&'static [u8]>,
}

static EMBEDDED: &[EmbeddedAsset] = include!(concat!(env!("OUT_DIR"), "/widget_assets.rs"));

/// One servable file, with its precompressed copies.
#[derive(Clone)]
pub struct Asset {
    pub content_type: Cow<'static, str>,
    /// Content-hashed names never change content: cache them for a year.
    pub immutable: bool,
    pub raw: Cow<'static, [u8]>,
    pub br: Option<Cow<'static, [u8]>>,
    pub gz: Option<Cow<'static, [u8]>>,
}

#[derive(Clone, Default)]
pub struct Assets {
    files: HashMap<String, Asset>,
}

/// Widget files are loaded by partner pages on other origins, as module
/// scripts and `fetch`: both need CORS. They are public and carry no cookies.
const SHORT_CACHE: &str = "public, max-age=300";
const LONG_CACHE: &str = "public, max-age=31536000, immutable";

impl Assets {
    /// The widget build compiled into this binary.
    pub fn embedded() -> Assets {
        let files = EMBEDDED
            .iter()
            .map(|a| {
                let asset = Asset {
                    content_type: Cow::Borrowed(a.content_type),
                    immutable: a.immutable,
                    raw: Cow::Borrowed(a.raw),
                    br: a.br.map(Cow::Borrowed),
                    gz: a.gz.map(Cow::Borrowed),
                };
                (a.path.to_owned(), asset)
            })
            .collect();
        Assets { files }
    }

    /// Adds or replaces a file (the collector's own pages' CSS; test fixtures).
    pub fn insert(&mut self, path: &str, asset: Asset) {
        self.files.insert(path.to_owned(), asset);
    }

    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.files.get(path)
    }

    /// Whether the widget itself is here (the build may have been skipped).
    pub fn has_widget(&self) -> bool {
        self.files.contains_key("embed.js")
    }

    /// The widget's stylesheet (content-hashed), for pages that render the widget's markup
    /// themselves.
    pub fn widget_css(&self) -> Option<&str> {
        self.files
            .keys()
            .map(String::as_str)
            .find(|path| path.starts_with("voices-widget-") && path.ends_with(".css"))
    }

    /// Every file name, for logs and tests.
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }

    /// Answers a request for `path`, choosing brotli, gzip or none by `Accept-Encoding`.
    pub fn respond(&self, path: &str, request_headers: &HeaderMap) -> Option<Response> {
        let asset = self.get(path)?;
        let accepts = |coding: &str| accepts_encoding(request_headers, coding);
        let (body, encoding) = match (&asset.br, &asset.gz) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.raw.clone(), None),
        };
        let mut response = (StatusCode::OK, body.into_owned()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&asset.content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if asset.immutable {
                LONG_CACHE
            } else {
                SHORT_CACHE
            }),
        );
        allow_any_page(headers);
        Some(response)
    }
}

/// What a widget file (and `embed.js?survey=`) says so that any partner's page may load it:
/// CORS for module scripts and `fetch`, and a resource policy that lets other origins embed
/// it; never sniffed.
pub fn allow_any_page(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Whether `Accept-Encoding` allows `coding` (present, and not `q=0`).
fn accepts_encoding(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        headers
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts_encoding(&headers("gzip, deflate, br"), "br"));
        assert!(accepts_encoding(&headers("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(!accepts_encoding(&headers("gzip, br;q=0"), "br"));
        assert!(!accepts_encoding(&headers("gzip"), "br"));
        assert!(!accepts_encoding(&HeaderMap::new(), "gzip"));
    }
}
