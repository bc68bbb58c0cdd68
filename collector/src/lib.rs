//! The Voices collector: serves the widget and survey definitions, takes responses durably and
//! exactly once, and gives staff their data.
//!
//! [`app`] builds the router from an [`AppState`]; `main.rs` only parses the
//! command line and calls [`cli::run`].

pub mod api;
pub mod assets;
pub mod body_deadline;
pub mod catalog;
pub mod cli;
pub mod collected;
pub mod cors;
pub mod disclosure;
pub mod error;
pub mod export;
pub mod mail;
pub mod migrate;
pub mod my_response;
pub mod origin;
pub mod outcomes;
pub mod pages;
pub mod paper;
pub mod pictures;
pub mod population;
pub mod process_memory;
pub mod rate_limit;
pub mod receipt;
pub mod retention;
pub mod running_counts;
pub mod sealed;
pub mod serving;
pub mod staff;
pub mod store;
pub mod subscriptions;
pub mod summary;
pub mod survey_form;
pub mod writer;

use std::borrow::Cow;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::assets::{Asset, Assets};
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::rate_limit::RateLimiter;
use crate::store::Store;
use crate::writer::Writer;

/// Settings of a running collector.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// How long any request's body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// Submissions per minute per client address; 0 turns the limit off.
    pub rate_limit: u32,
    /// Take the client address from `X-Forwarded-For` (only behind your own proxy).
    pub behind_proxy: bool,
    /// Also serve `/demo`.
    pub demo: bool,
    /// Wait for the disk before acknowledging (off only in benchmarks).
    pub durable: bool,
    /// Staff cookies get `Secure` and a `__Host-` name: set when browsers reach
    /// the collector over HTTPS (usually through a TLS-terminating proxy).
    pub secure_cookies: bool,
    /// The least time from a survey's first screen to Send for a response sent without
    /// JavaScript (a form sent faster was sent by a program; see `survey_form`).
    pub form_min_time: std::time::Duration,
    /// The address people reach the collector at (`--public-url`), for what is read away
    /// from it: emails' links, posters' codes.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            body_limit: 64 * 1024,
            body_timeout: std::time::Duration::from_secs(30),
            rate_limit: 60,
            behind_proxy: false,
            demo: false,
            durable: true,
            secure_cookies: false,
            form_min_time: std::time::Duration::from_secs(5),
            public_url: None,
        }
    }
}

struct Inner {
    config: Config,
    store: Arc<dyn Store>,
    catalog: Catalog,
    writer: Writer,
    limiter: RateLimiter,
    assets: Assets,
    /// The hosted page's stylesheets, written into it (see [`survey_form::InlineStyles`]).
    inline_styles: survey_form::InlineStyles,
    /// Sign-ins' own bounded work (sessions and brakes themselves are in the store).
    sign_ins: staff::sessions::SignIns,
    /// Pokes the update emails' sender (see [`mail::run`]) when there may be more to send.
    mail_wake: tokio::sync::Notify,
    counts: running_counts::RunningCounts,
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// Builds the state around an open store, and starts the writer that
    /// stores responses and flushes them (see [`writer`]).
    pub fn new(
        config: Config,
        store: Arc<dyn Store>,
        catalog: Catalog,
        widget: Assets,
    ) -> AppState {
        let mut assets = widget;
        for (path, css) in [
            ("page.css", pages::PAGE_CSS),
            ("no-script.css", pages::NO_SCRIPT_CSS),
            ("demo.css", pages::DEMO_CSS),
            ("admin.css", staff::html::ADMIN_CSS),
            ("paper.css", paper::PAPER_CSS),
        ] {
            assets.insert(
                path,
                Asset {
                    content_type: Cow::Borrowed("text/css; charset=utf-8"),
                    immutable: false,
                    raw: Cow::Borrowed(css.as_bytes()),
                    br: None,
                    gz: None,
                },
            );
        }
        for (path, script) in [
            ("collect.js", staff::collect_pages::COLLECT_SCRIPT),
            ("collect-sw.js", staff::collect_pages::COLLECT_WORKER),
        ] {
            assets.insert(
                path,
                Asset {
                    content_type: Cow::Borrowed("text/javascript; charset=utf-8"),
                    immutable: false,
                    raw: Cow::Borrowed(script.as_bytes()),
                    br: None,
                    gz: None,
                },
            );
        }
        let writer = Writer::start(Arc::clone(&store), config.durable);
        let inline_styles = survey_form::InlineStyles::new(&assets);
        AppState(Arc::new(Inner {
            inline_styles,
            limiter: RateLimiter::new(config.rate_limit),
            config,
            store,
            catalog,
            writer,
            assets,
            sign_ins: staff::sessions::SignIns::default(),
            mail_wake: tokio::sync::Notify::new(),
            counts: running_counts::RunningCounts::default(),
        }))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }
    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.0.store)
    }
    pub fn catalog(&self) -> &Catalog {
        &self.0.catalog
    }
    pub fn writer(&self) -> &Writer {
        &self.0.writer
    }
    pub fn limiter(&self) -> &RateLimiter {
        &self.0.limiter
    }
    pub fn assets(&self) -> &Assets {
        &self.0.assets
    }
    pub fn inline_styles(&self) -> &survey_form::InlineStyles {
        &self.0.inline_styles
    }
    pub fn sign_ins(&self) -> &staff::sessions::SignIns {
        &self.0.sign_ins
    }
    pub fn mail_wake(&self) -> &tokio::sync::Notify {
        &self.0.mail_wake
    }

    /// What the summary and reach pages count, kept up to date (see [`running_counts`]).
    pub fn counts(&self) -> &running_counts::RunningCounts {
        &self.0.counts
    }

    /// Runs store work (reads, scans, fsyncs, a recovery) on tokio's blocking
    /// pool: on the threads that serve requests, one slow disk would stall
    /// every request, `/healthz` and the widget's files included.
    pub async fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(Arc<dyn Store>) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = self.store();
        tokio::task::spawn_blocking(move || work(store))
            .await
            .map_err(|e| ApiError::Internal(format!("a background task failed: {e}")))?
    }
}

/// This collector process among others on a shared store: the holder of its leases (see
/// `Store::claim_lease`). New with every start.
pub(crate) fn this_collector() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| format!("collector-{}", uuid::Uuid::new_v4()))
}

/// The whole HTTP interface of the collector.
pub fn app(state: AppState) -> Router {
    let public_api = Router::new()
        .route(
            "/api/surveys/{id}",
            get(api::survey).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/versions/{version}",
            get(api::survey_version).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/responses",
            axum::routing::post(api::submit).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/outcomes",
            get(outcomes::outcomes_json).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/withdrawals",
            axum::routing::post(my_response::withdraw).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/subscriptions",
            axum::routing::post(subscriptions::subscribe).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/first-screen",
            get(survey_form::first_screen).options(preflight_only),
        )
        .route(
            "/api/surveys/{id}/screen",
            axum::routing::post(survey_form::next_screen)
                .options(preflight_only)
                // A form carries a response, so it gets a response's limit.
                .layer(axum::extract::DefaultBodyLimit::max(
                    state.config().body_limit,
                )),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::layer,
        ));
    // What people download before they can answer, compressed: a survey's definition and
    // its server-rendered screens are text that shrinks to a quarter, which on a slow
    // phone is the difference that shows. (The widget's files are compressed ahead, once.)
    let respondents = Router::new()
        .merge(public_api)
        .route("/embed.js", get(survey_form::embed_script))
        .route("/s/{id}/updates", get(outcomes::page))
        .route("/r/{receipt}", get(my_response::page))
        .route(
            "/s/{id}/email",
            get(subscriptions::offer_page).post(subscriptions::offer_form),
        )
        .route(
            "/unsubscribe/{token}",
            get(subscriptions::unsubscribe_page).post(subscriptions::unsubscribe),
        )
        .route("/s/{id}/updates.atom", get(outcomes::feed))
        .route("/s/{id}/print", get(paper::print))
        .route("/s/{id}/pictures/{file}", get(pictures::serve))
        .route(
            "/s/{id}",
            get(survey_form::hosted).post(survey_form::step).layer(
                // A form carries a response, so it gets a response's limit.
                axum::extract::DefaultBodyLimit::max(state.config().body_limit),
            ),
        );
    let respondents = if state.config().demo {
        respondents.route("/demo", get(pages::demo))
    } else {
        respondents
    };
    let router = Router::new()
        .merge(respondents.layer(tower_http::compression::CompressionLayer::new()))
        .route("/", get(pages::root))
        .route("/healthz", get(api::healthz))
        // A collecting device's responses: same-origin only (no CORS), with a credential
        // rather than a session.
        .route(
            "/api/surveys/{id}/collected",
            axum::routing::post(collected::submit),
        )
        .route("/favicon.ico", get(no_favicon))
        // Staff routes: never CORS-enabled, never cached (see `staff::guard`).
        .merge(staff::router(&state));
    let hsts = state.config().secure_cookies;
    let body_timeout = state.config().body_timeout;
    router
        .fallback(asset_or_not_found)
        .with_state(state)
        // Every route: a client trickling a staff form's body must not hold
        // its connection for ever either.
        .layer(axum::middleware::map_request(
            move |request: Request| async move { body_deadline::start(request, body_timeout) },
        ))
        .layer(axum::middleware::map_response(move |response| {
            every_response(response, hsts)
        }))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            answer_a_panic,
        ))
}

/// Headers every response gets, errors and files included: `nosniff`, so no
/// browser reads JSON or text as a script or a page; and behind TLS
/// (`--behind-tls`), HSTS, so a browser that has used HTTPS here never falls
/// back to plain HTTP. Not for subdomains: the collector may live on a
/// council's subdomain beside sites of its own.
async fn every_response(mut response: Response, hsts: bool) -> Response {
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// What a request gets if its handler panics: nothing from the network should
/// make one (the fuzz targets and tests hunt for them), but if one does, the
/// client gets a 500 saying so, and the log gets the panic.
fn answer_a_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!(
        panic = writer::panic_message(panic.as_ref()),
        "a request handler panicked"
    );
    ApiError::Internal(
        "the collector failed unexpectedly while handling this request; its log says why".into(),
    )
    .into_response()
}

/// The collector's own pages have no icon; say so once, cacheably, instead of a 404 per visit.
async fn no_favicon() -> Response {
    (
        axum::http::StatusCode::NO_CONTENT,
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        )],
    )
        .into_response()
}

/// Preflights are answered by the CORS layer; this runs only without an `Origin`.
async fn preflight_only() -> Response {
    axum::http::StatusCode::NO_CONTENT.into_response()
}

/// Widget files live at the root (`/embed.js`, `/voices-widget-HASH.wasm`).
/// What a request for the widget's files gets from a collector built without them.
pub(crate) fn widget_not_built() -> Response {
    ApiError::Unavailable(
        "the widget was not built into this collector; build it with `cargo xtask build-widget` and rebuild the collector".into(),
    )
    .into_response()
}

async fn asset_or_not_found(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    if let Some(response) = state.assets().respond(path, request.headers()) {
        return response;
    }
    if path == "embed.js" || path.starts_with("voices-widget") {
        return widget_not_built();
    }
    // A person who typed or followed a wrong address reads a page; a script, JSON.
    if pages::wants_a_page(request.headers()) && !path.starts_with("api/") {
        return pages::not_found_page(path);
    }
    let mut response = ApiError::NotFound(format!("nothing here at /{path}")).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
