//! HTML pages the collector serves itself: the demo partner page, and the frame every own page
//! gets (headers, escaping). The hosted survey page is `survey_form`.
//!
//! Everything interpolated into HTML is escaped: survey text is plain text.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;

/// The collector's own pages allow nothing but the collector: the same
/// policy a strict partner would set, so the demo proves the widget copes.
/// Forms post only to the collector (the survey without JavaScript, see `survey_form`).
/// The collector's own pages are never framed: a partner embeds the survey
/// with `<voices-survey>`, not an iframe, so framing can only be clickjacking.
/// The one inline script allowed, by its hash, is [`EARLY_START_SCRIPT`] (a test checks
/// that the hash is its own).
pub(crate) const OWN_PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-tsLE+7GKBbrFw1PRE6xwufPBzg8w/pp0yzciHSWcKuA='; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub const PAGE_CSS: &str = include_str!("../static/page.css");
pub const DEMO_CSS: &str = include_str!("../static/demo.css");
pub const NO_SCRIPT_CSS: &str = include_str!("../static/no-script.css");
/// Inline after the hosted page's `<voices-survey>`: "Start now" pressed before `embed.js`
/// has arrived shows the page that came with the first screen, instead of posting the form.
pub const EARLY_START_SCRIPT: &str = include_str!("../static/early-start.js");

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text`, written in `text_locale`, on a page in `page_locale`: marked with its own
/// language and direction when that is not the page's (words a language lacks fall back to
/// English), so that a screen reader says it right and punctuation falls on the right side.
pub(crate) fn in_own_language(text: &str, text_locale: &str, page_locale: &str) -> maud::Markup {
    let page_language = page_locale.split('-').next().unwrap_or(page_locale);
    if page_language.eq_ignore_ascii_case(text_locale) {
        maud::html! { (text) }
    } else {
        let dir = if voices_shared::is_right_to_left(text_locale) {
            "rtl"
        } else {
            "ltr"
        };
        maud::html! { span lang=(text_locale) dir=(dir) { (text) } }
    }
}

pub(crate) fn page(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(OWN_PAGE_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // For browsers that predate frame-ancestors.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Nothing to other sites; to the collector itself, enough that a form posted from its
    // own page says where from (`Origin`), which browsers without `Sec-Fetch-Site` need.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `GET /demo` (with `--demo`): a partner's page embedding a survey with the two-line snippet.
pub async fn demo(State(state): State<AppState>) -> Response {
    let chosen = state
        .catalog()
        .latest("engagement-2026")
        .or_else(|| state.catalog().all().into_iter().next());
    let Some(published) = chosen else {
        let html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No surveys</title><link rel=\"stylesheet\" href=\"/page.css\"></head><body><main><h1>No surveys published yet</h1><p>Start the collector with <code>--surveys DIR</code> to publish some.</p></main></body></html>\n".to_owned();
        return page(StatusCode::OK, html);
    };
    let id = escape(published.survey.id());
    let snippet = escape(&format!(
        "<script type=\"module\" src=\"{origin}/embed.js?survey={id}\"></script>\n<voices-survey survey=\"{id}\"><a href=\"{origin}/s/{id}\">Answer the survey</a></voices-survey>",
        origin = "https://COLLECTOR",
        id = published.survey.id()
    ));
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Have your say – Westfield Carers Centre</title>\n<link rel=\"stylesheet\" href=\"/demo.css\">\n<script type=\"module\" src=\"/embed.js?survey={id}\"></script>\n</head>\n<body>\n<header>\n<strong>Westfield Carers Centre</strong>\n<nav aria-label=\"Main\"><ul><li><a href=\"/demo\">Home</a></li><li><a href=\"/demo\">Support for carers</a></li><li><a href=\"/demo\">Events</a></li><li><a href=\"/demo\">Contact</a></li></ul></nav>\n</header>\n<main>\n<h1>Have your say</h1>\n<p>The Health and Social Care Partnership is asking carers and local people how they would like to be involved. The survey below is run by the Partnership; your answers go straight to them.</p>\n<voices-survey survey=\"{id}\"><a href=\"/s/{id}\">Answer the survey</a></voices-survey>\n<h2>For partner sites</h2>\n<p>This page is a demonstration. Its own stylesheet is deliberately loud and does not reach the survey. To embed a survey on your site, paste these two lines. The link inside the element is for people without JavaScript: it takes them to the same survey on its own page, which works as plain forms.</p>\n<pre><code>{snippet}</code></pre>\n</main>\n<footer>Westfield Carers Centre is a demonstration site for Voices.</footer>\n</body>\n</html>\n"
    );
    page(StatusCode::OK, html)
}

/// A page of the collector's own in English (staff and operators read these), with
/// `body` in its `<main>`.
fn plain_english(status: StatusCode, title: &str, body: &str) -> Response {
    page(
        status,
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<link rel=\"stylesheet\" href=\"/page.css\">\n</head>\n<body>\n<main class=\"not-found\">\n{body}\n</main>\n</body>\n</html>\n",
            escape(title)
        ),
    )
}

/// `GET /`: what this server is, for someone who types its address: the surveys it runs
/// (their own pages) and the way in for staff.
pub async fn root(State(state): State<AppState>) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let mut list = String::new();
    for published in state.catalog().newest_of_each() {
        let survey = &published.survey;
        if survey.window_at(now) != voices_shared::Window::Open {
            continue;
        }
        list.push_str(&format!(
            "<li><a href=\"/s/{}\" lang=\"{}\">{}</a></li>\n",
            escape(survey.id()),
            escape(survey.default_locale()),
            escape(survey.title().default_text())
        ));
    }
    let surveys = if list.is_empty() {
        "<p>No survey is open here just now.</p>".to_owned()
    } else {
        format!("<h2>Surveys open now</h2>\n<ul>\n{list}</ul>")
    };
    plain_english(
        StatusCode::OK,
        "Voices survey collector",
        &format!(
            "<h1>Voices survey collector</h1>\n<p>This server takes people's answers to public surveys, for the organisations that run them, and keeps them safe.</p>\n{surveys}\n<h2>Staff</h2>\n<p><a href=\"/admin\">Sign in to see responses and manage surveys</a></p>"
        ),
    )
}

/// Whether a request is a browser's navigation (a link followed, a form sent from a page),
/// which reads HTML, rather than a script's, which reads the API's JSON.
pub fn wants_a_page(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// What a browser gets for an address with nothing at it: a page, not the API's JSON.
pub fn not_found_page(path: &str) -> Response {
    plain_english(
        StatusCode::NOT_FOUND,
        "Page not found",
        &format!(
            "<h1>Page not found</h1>\n<p>There is nothing at /{}. Check the address, or start from <a href=\"/\">this server's home page</a>.</p>",
            escape(path)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
