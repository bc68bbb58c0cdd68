//! `/s/{id}`: the hosted survey page, rendered on the server from the widget's own components,
//! and the same survey as plain HTML forms for when JavaScript is off (`POST /s/{id}`); and
//! the start screen alone for partner pages (`/api/surveys/{id}/first-screen`).
//!
//! One markup: the collector renders `voices_widget::App` (Yew's server renderer) with the
//! reducer state the form carried, after applying the very action the browser's reducer
//! would. Nothing is kept between screens: the answers so far travel in the form's hidden
//! field, nothing is stored before Send, and no cookie is set. Send stores through
//! [`api::store_submission`], the API's own path (one response per `submission_id`, so a
//! double click or a resubmitted form gets the first receipt).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use time::OffsetDateTime;
use voices_shared::{Channel, Survey, Window};
use voices_widget::form_post::{PostProblem, SHOWN_FIELD};
use voices_widget::headings::Headings;
use voices_widget::state::{Action, Screen, SurveyState};

use crate::AppState;
use crate::api;
use crate::error::ApiError;
use crate::pages::{EARLY_START_SCRIPT, escape, page};

#[derive(Debug, Deserialize)]
pub struct LanguageQuery {
    /// The language asked for (`?lang=`).
    pub(crate) lang: Option<String>,
}

/// The hosted page's query: the language, and how the person came (`?channel=qr` from a
/// poster's code).
#[derive(Debug, Deserialize)]
pub struct HostedQuery {
    lang: Option<String>,
    channel: Option<String>,
}

/// `GET /s/{id}`: the start screen, already rendered, in `?lang=`, else the browser's
/// `Accept-Language`, else the survey's default language. `embed.js` then hands it to the
/// widget, which keeps the person's place on this device and sends with an outbox.
pub async fn hosted(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HostedQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(published) = state.catalog().latest(&id) else {
        return not_found(&id);
    };
    let survey = Arc::new(published.survey.clone());
    let locale = reader_locale(&survey, query.lang.as_deref(), &headers);
    let window = survey.window_at(OffsetDateTime::now_utc());
    if window != Window::Open {
        // The widget's own notice, so that nobody fills in a survey that cannot take answers.
        let title = survey.title().get(&locale).to_owned();
        let notice = voices_widget::server::render_closed(
            &survey,
            locale.clone(),
            window == Window::NotYetOpen,
            Headings::parse(Some("1")),
            published_updates(&state, &id),
        )
        .await;
        return page_around(
            &state,
            &survey,
            &locale,
            &title,
            &notice,
            true,
            StatusCode::OK,
            Channel::Online,
        );
    }
    // Only a channel of the person's own device: a link cannot claim answers were
    // recorded by staff.
    let channel = Channel::claimed_publicly(query.channel.as_deref().and_then(Channel::parse));
    render_page(
        &state,
        fresh_start(survey, locale, channel),
        StatusCode::OK,
        true,
    )
    .await
}

/// The widget's markup for `screen`; on a start screen, followed by the page that "Start
/// now" leads to, in a `<template>`. Nothing needs answering before that page, so `embed.js`
/// can show it the moment the button is pressed, before the widget's code has arrived,
/// instead of after a round trip; a browser without JavaScript ignores the template and
/// posts the form.
async fn screen_markup(
    state: &AppState,
    screen: SurveyState,
    headings: Headings,
    whole_page: bool,
) -> String {
    let next = (screen.screen == Screen::Start).then(|| screen.apply(Action::Start));
    let mut html = String::new();
    // First, so that it has arrived whenever "Start now" has, however the page arrives in
    // pieces.
    if let Some(next) = next {
        html.push_str("<template data-voices-after=\"start\" hidden>");
        html.push_str(&one_screen(state, next, headings, whole_page).await);
        html.push_str("</template>");
    }
    html.push_str(&one_screen(state, screen, headings, whole_page).await);
    html
}

/// A survey's published updates, when it has any (its first screen links to them).
fn published_updates(state: &AppState, id: &str) -> Option<voices_shared::outcomes::Outcomes> {
    let told = state.catalog().told_if_any(id)?;
    told.outcomes
        .has_published()
        .then(|| told.outcomes.published())
}

/// The widget's markup for `screen` alone, as the widget renders it.
async fn widget_markup(
    state: &AppState,
    screen: SurveyState,
    headings: Headings,
    whole_page: bool,
) -> String {
    let updates = if screen.screen == Screen::Start {
        published_updates(state, screen.survey().id())
    } else {
        None
    };
    voices_widget::server::render(screen, String::new(), headings, whole_page, updates).await
}

/// One screen's markup; on the hosted page, after the document title it names (an empty
/// `<template data-voices-title>`): a screen shown before the widget's code has arrived
/// names its step in the browser's tab and to screen readers, as the widget does.
async fn one_screen(
    state: &AppState,
    screen: SurveyState,
    headings: Headings,
    whole_page: bool,
) -> String {
    let title = whole_page.then(|| screen.document_title());
    let markup = widget_markup(state, screen, headings, whole_page).await;
    match title {
        Some(title) => format!(
            "<template data-voices-title=\"{}\"></template>{markup}",
            crate::pages::escape(&title)
        ),
        None => markup,
    }
}

#[derive(Debug, Deserialize)]
pub struct FirstScreenQuery {
    lang: Option<String>,
    #[serde(rename = "heading-level")]
    heading_level: Option<String>,
    /// The element's `channel`: kept only when it is of the person's own device.
    channel: Option<String>,
}

/// `GET /api/surveys/{id}/first-screen`: the survey's start screen as an HTML fragment (the
/// widget's own markup), for `embed.js` to show on a partner's page while the widget's code
/// is still on its way. CORS as for the survey (the public API's layer). Never cached: its
/// forms carry a fresh submission id, which must never be shared between two people.
pub async fn first_screen(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<FirstScreenQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let survey = Arc::new(api::latest(&state, &id)?.survey.clone());
    if survey.window_at(OffsetDateTime::now_utc()) != Window::Open {
        // The widget says so itself, in the reader's language, once it is in.
        return Err(ApiError::Closed(format!(
            "survey \"{id}\" is not taking answers now"
        )));
    }
    let fresh = fresh_start(
        Arc::clone(&survey),
        reader_locale(&survey, query.lang.as_deref(), &headers),
        Channel::claimed_publicly(query.channel.as_deref().and_then(Channel::parse)),
    );
    // Forms post to the hosted page by path: `embed.js` makes that the collector's address
    // it loaded from (which a proxy in front of the collector may not have told it).
    let html = screen_markup(
        &state,
        fresh,
        Headings::parse(query.heading_level.as_deref()),
        false,
    )
    .await;
    Ok(fragment(StatusCode::OK, html))
}

#[derive(Debug, Deserialize)]
pub struct EmbedQuery {
    survey: Option<String>,
    #[serde(rename = "heading-level")]
    heading_level: Option<String>,
}

/// `GET /embed.js`: the widget's loader, as built. With `?survey=ID` (and the element's
/// `heading-level`, if it has one), that survey's first screen is put in front of it, in the
/// language the browser asks for: a partner's page then shows the survey as soon as the
/// script has run, without a request of its own for the screen (one round trip fewer on a
/// slow phone). Never cached, since its forms carry a fresh submission id; a survey not
/// open now gets the plain loader (the widget says why).
pub async fn embed_script(
    State(state): State<AppState>,
    Query(query): Query<EmbedQuery>,
    headers: HeaderMap,
) -> Response {
    let as_built = || {
        state
            .assets()
            .respond("embed.js", &headers)
            .unwrap_or_else(crate::widget_not_built)
    };
    let Some(id) = query.survey else {
        return as_built();
    };
    let (Some(published), Some(script)) = (
        state.catalog().latest(&id),
        state
            .assets()
            .get("embed.js")
            .and_then(|asset| std::str::from_utf8(&asset.raw).ok()),
    ) else {
        return as_built();
    };
    let survey = Arc::new(published.survey.clone());
    if survey.window_at(OffsetDateTime::now_utc()) != Window::Open {
        return as_built();
    }
    let locale = reader_locale(&survey, None, &headers);
    let fresh = fresh_start(survey, locale.clone(), Channel::Online);
    let html = screen_markup(
        &state,
        fresh,
        Headings::parse(query.heading_level.as_deref()),
        false,
    )
    .await;
    let screens = serde_json::json!({
        id: { "lang": locale, "level": query.heading_level, "html": html }
    });
    // In front of the script as built (minified or not): it runs first, before the element
    // is defined, and `embed.js` finds it in `voicesFirstScreens`.
    let body = format!(
        "globalThis.voicesFirstScreens=Object.assign(globalThis.voicesFirstScreens||{{}},{screens});\n{script}"
    );
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/javascript"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    crate::assets::allow_any_page(headers);
    response
}

/// A screen's markup alone, for `embed.js`; never cached, since it carries a submission id
/// (and after the first screen, the answers so far).
fn fragment(status: StatusCode, html: String) -> Response {
    let mut response = (status, axum::response::Html(html)).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// `POST /s/{id}`: one step of the survey without JavaScript.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match advance(&state, &id, peer, &headers, &fields).await {
        Stepped::Screen(next, status) => render_page(&state, *next, status, false).await,
        Stepped::Refused(response) => response,
    }
}

#[derive(Debug, Deserialize)]
pub struct ScreenQuery {
    #[serde(rename = "heading-level")]
    heading_level: Option<String>,
    #[serde(rename = "whole-page", default)]
    whole_page: bool,
}

/// `POST /api/surveys/{id}/screen`: the same step as `POST /s/{id}`, answered with the next
/// screen's markup alone. `embed.js` posts a server-rendered screen's form here when it is
/// pressed before the widget's code has arrived, and shows the answer in place: the person
/// goes on without leaving the page, and the widget takes over wherever they are. A refusal
/// (a form from elsewhere, unreadable, or that looks automated) keeps its status and a
/// plain-text reason; `embed.js` then posts the form as it is, to the page that explains.
pub async fn next_screen(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ScreenQuery>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match advance(&state, &id, peer, &headers, &fields).await {
        Stepped::Screen(next, _) => {
            let headings = Headings::parse(query.heading_level.as_deref());
            fragment(
                StatusCode::OK,
                screen_markup(&state, *next, headings, query.whole_page).await,
            )
        }
        Stepped::Refused(response) => {
            let status = response.status();
            (
                status,
                format!("the form was not taken ({status}): post it to /s/{id} for the reason"),
            )
                .into_response()
        }
    }
}

/// What a posted form leads to: the next screen (with the status a page answering it
/// gets), or a refusal page.
enum Stepped {
    Screen(Box<SurveyState>, StatusCode),
    Refused(Response),
}

async fn advance(
    state: &AppState,
    id: &str,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
    fields: &[(String, String)],
) -> Stepped {
    use Stepped::{Refused, Screen as Next};
    let Some(latest) = state.catalog().latest(id) else {
        return Refused(not_found(id));
    };
    if !sent_from_allowed_page(&latest.survey, headers, state.config().behind_proxy) {
        return Refused(message_page(
            &latest.survey,
            StatusCode::FORBIDDEN,
            "Your answers were not sent",
            "This form was sent from a page the survey does not run on, so nothing was stored. Answer the survey on its own page.",
        ));
    }
    // The version the person started on: it stays answerable when a newer one is published,
    // as it does for the widget.
    let published = voices_widget::form_post::carried_version(fields)
        .and_then(|version| state.catalog().version(id, version))
        .unwrap_or(latest);
    let survey = Arc::new(published.survey.clone());
    let (current, action) = match SurveyState::from_post(Arc::clone(&survey), fields) {
        Ok(read) => read,
        Err(PostProblem::Unreadable) => {
            return Refused(message_page(
                &survey,
                StatusCode::BAD_REQUEST,
                "This page could not be read",
                "The form did not come back as this survey sent it, so nothing was stored. Start the survey again from its link.",
            ));
        }
        Err(PostProblem::Automated) => return Refused(automated(&survey)),
    };

    // A page without JavaScript learns what a condition reveals only when it is posted: a
    // question revealed by this page's answers is shown before moving on.
    if action == Action::Continue
        && let Screen::Page(page) = current.screen
    {
        let shown: Vec<&str> = fields
            .iter()
            .find(|(key, _)| key == SHOWN_FIELD)
            .map(|(_, value)| value.split_whitespace().collect())
            .unwrap_or_default();
        if !current.newly_shown(page, &shown).is_empty() {
            return Next(Box::new(current), StatusCode::OK);
        }
    }

    let next = current.apply(action);
    if next.screen != Screen::Sending {
        return Next(Box::new(next), StatusCode::OK);
    }

    // Send: every page was checked again by the reducer. Now the brakes, then the store.
    // A person takes some seconds from the first screen to Send (`--form-min-seconds`); a
    // program posting the forms it was given does not. A speed bump, not a lock: the time
    // travels in the form, so a program that rewrites it gets past, as with any honeypot.
    let least = u64::try_from(state.config().form_min_time.as_millis()).unwrap_or(u64::MAX);
    if now_ms().saturating_sub(next.started_ms) < least {
        return Refused(automated(&survey));
    }
    if let Err(retry_after) = api::admit(state, peer, headers) {
        let failed = next.apply(Action::SendFailed {
            message: format!(
                "{} ({} s)",
                voices_shared::catalogue(&next.locale).send_failed,
                retry_after.as_secs().max(1)
            ),
        });
        return Next(Box::new(failed), StatusCode::TOO_MANY_REQUESTS);
    }
    let started_at =
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(next.started_ms) * 1_000_000).ok();
    let submission = next.submission(started_at);
    match api::store_submission(state, id, submission, None).await {
        Ok((_, receipt)) => Next(
            Box::new(next.apply(Action::Sent { receipt })),
            StatusCode::OK,
        ),
        Err(ApiError::Erased) => Next(Box::new(next.apply(Action::Erased)), StatusCode::GONE),
        Err(error) => {
            let catalogue = voices_shared::catalogue(&next.locale);
            let message = match &error {
                ApiError::Closed(_) => catalogue.closed,
                ApiError::SubmissionConflict => catalogue.already_sent,
                _ => catalogue.send_failed,
            };
            tracing::warn!(survey = %id, %error, "a response sent without JavaScript was not stored");
            let failed = next.apply(Action::SendFailed {
                message: message.to_owned(),
            });
            Next(Box::new(failed), error.status())
        }
    }
}

/// Whether a posted form came from a page the survey may be answered on. Browsers say where
/// a form was sent from (`Sec-Fetch-Site`, and `Origin`): the collector's own pages, or a
/// partner's page in the survey's `allowed_origins` (the first screen shown there posts here
/// when the widget cannot load). A form on any other site, posted by its visitors' browsers,
/// is refused: otherwise any page could store responses through its visitors. A client that
/// says neither (no browser) can send anything it likes to the API as well.
pub(crate) fn sent_from_allowed_page(
    survey: &Survey,
    headers: &HeaderMap,
    behind_proxy: bool,
) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("same-origin" | "none")) {
        return true;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        // `null`: a page with `no-referrer` or a sandboxed frame (the collector's own pages
        // say `same-origin` above, and send their origin).
        Some("null") => false,
        // The collector's own page, from a browser that does not say `Sec-Fetch-Site`
        // (Safari before 16.4), or one of the survey's partners.
        Some(origin) => {
            crate::origin::is_own_origin(origin, headers, behind_proxy)
                || survey.allows_origin(origin)
        }
        None => fetch_site.is_none(),
    }
}

/// The page around the widget's markup for `screen`. The first screen (`with_script`) also
/// loads `embed.js`, which hands it to the widget; a page answering a post is plain HTML,
/// so that a person without JavaScript, or who pressed on before it arrived, carries on
/// with forms, and nothing on it can be lost to a takeover.
async fn render_page(
    state: &AppState,
    screen: SurveyState,
    status: StatusCode,
    with_script: bool,
) -> Response {
    let survey = Arc::clone(screen.survey());
    let locale = screen.locale.clone();
    let title = screen.document_title();
    let channel = screen.channel;
    // A page answering a post carries no script, so no template of a next screen either.
    let widget = if with_script {
        screen_markup(state, screen, Headings::parse(Some("1")), true).await
    } else {
        widget_markup(state, screen, Headings::parse(Some("1")), true).await
    };
    page_around(
        state,
        &survey,
        &locale,
        &title,
        &widget,
        with_script,
        status,
        channel,
    )
}

/// The hosted page: the widget's markup (`widget`) inside `<voices-survey>`, styled by the
/// widget's own stylesheet in the page itself; the element names the `channel` the person
/// came through when it is not online, so the widget sends it too.
#[allow(clippy::too_many_arguments)]
fn page_around(
    state: &AppState,
    survey: &Survey,
    locale: &str,
    title: &str,
    widget: &str,
    with_script: bool,
    status: StatusCode,
    channel: Channel,
) -> Response {
    let channel = if channel == Channel::Online {
        String::new()
    } else {
        format!(" channel=\"{}\"", channel.as_str())
    };
    let styles = &state.inline_styles().html;
    let script = if with_script {
        "<link rel=\"modulepreload\" href=\"/embed.js\">\n<script type=\"module\" src=\"/embed.js\"></script>\n<noscript><link rel=\"stylesheet\" href=\"/no-script.css\"></noscript>\n"
    } else {
        "<link rel=\"stylesheet\" href=\"/no-script.css\">\n"
    };
    // In the head, so that it is listening before "Start now" is parsed, however the page
    // arrives in pieces.
    let early_start = if with_script {
        format!("<script>{EARLY_START_SCRIPT}</script>\n")
    } else {
        String::new()
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n{styles}{script}{early_start}</head>\n<body>\n<main>\n<voices-survey survey=\"{id}\" heading-level=\"1\" whole-page{channel}>{widget}</voices-survey>\n</main>\n</body>\n</html>\n",
        lang = escape(locale),
        dir = voices_widget::locale::direction(locale),
        title = escape(title),
        id = escape(survey.id()),
    );
    let mut response = page(status, html);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        state.inline_styles().policy.clone(),
    );
    // It carries a submission id, and after the first screen the answers so far: never kept
    // by a browser's or a proxy's cache, never handed to someone else.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// The hosted page's stylesheets (the page's own and the widget's), written into the page
/// rather than linked: on a slow phone each linked stylesheet holds the first screen back
/// by a round trip, and these are a couple of kB compressed. The page's policy allows
/// exactly these by their hashes, and nothing else inline.
pub struct InlineStyles {
    /// The `<style>` elements, for the head.
    pub html: String,
    /// The own pages' policy with these styles' hashes in `style-src`.
    pub policy: axum::http::HeaderValue,
}

impl InlineStyles {
    pub fn new(assets: &crate::assets::Assets) -> InlineStyles {
        use base64ct::Encoding;
        use sha2::Digest;
        let widget = assets
            .widget_css()
            .and_then(|path| assets.get(path))
            .and_then(|asset| std::str::from_utf8(&asset.raw).ok());
        // Ours, minified: neither holds "</style", which would end the element early.
        let sheets: Vec<&str> = std::iter::once(crate::pages::PAGE_CSS)
            .chain(widget)
            .collect();
        let html = sheets
            .iter()
            .map(|css| format!("<style>{css}</style>\n"))
            .collect();
        let hashes: Vec<String> = sheets
            .iter()
            .map(|css| {
                format!(
                    "'sha256-{}'",
                    base64ct::Base64::encode_string(&sha2::Sha256::digest(css))
                )
            })
            .collect();
        let policy = crate::pages::OWN_PAGE_POLICY.replacen(
            "style-src 'self'",
            &format!("style-src 'self' {}", hashes.join(" ")),
            1,
        );
        InlineStyles {
            html,
            policy: axum::http::HeaderValue::from_str(&policy)
                .expect("a policy of ASCII and base64 is a header value"),
        }
    }
}

/// The `<link>` to the widget's stylesheet (none in a collector built without the widget).
fn widget_stylesheet(state: &AppState) -> String {
    state
        .assets()
        .widget_css()
        .map(|path| format!("<link rel=\"stylesheet\" href=\"/{path}\">\n"))
        .unwrap_or_default()
}

/// A page of the survey's own that is not a form (what came of it): the widget's markup
/// (`body`) in the page's `<main>`, styled by the widget's stylesheet, in `locale`;
/// `head` adds to the head (a feed's link). Cacheable for a minute: nothing in it is
/// anyone's own.
pub(crate) fn plain_page(
    state: &AppState,
    status: StatusCode,
    locale: &str,
    title: &str,
    head: &str,
    body: &str,
) -> Response {
    let widget_css = widget_stylesheet(state);
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<link rel=\"stylesheet\" href=\"/page.css\">\n{widget_css}{head}\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        lang = escape(locale),
        dir = voices_widget::locale::direction(locale),
        title = escape(title),
    );
    let mut response = page(status, html);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=60"),
    );
    // Its language follows the browser's unless the address names one.
    headers.insert(
        header::VARY,
        axum::http::HeaderValue::from_static("Accept-Language"),
    );
    response
}

/// Said when the form looks filled in by a program (the hidden field filled in, or Send
/// within seconds of the first screen): plainly, and nothing is stored.
fn automated(survey: &Survey) -> Response {
    message_page(
        survey,
        StatusCode::UNPROCESSABLE_ENTITY,
        "Your answers were not sent",
        "This form was filled in faster than a person can, or a field people never see was filled in, so it looks as though a program sent it. Nothing was stored. If you are a person, go back, check your answers and send them again.",
    )
}

pub(crate) fn message_page(
    survey: &Survey,
    status: StatusCode,
    heading: &str,
    text: &str,
) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{heading} – {title}</title>\n<link rel=\"stylesheet\" href=\"/page.css\">\n</head>\n<body>\n<main class=\"not-found\">\n<h1>{heading}</h1>\n<p>{text}</p>\n<p><a href=\"/s/{id}\">Start the survey again</a></p>\n</main>\n</body>\n</html>\n",
        heading = escape(heading),
        title = escape(survey.title().get(survey.default_locale())),
        text = escape(text),
        id = escape(survey.id()),
    );
    page(status, html)
}

pub(crate) fn not_found(id: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Survey not found</title>\n<link rel=\"stylesheet\" href=\"/page.css\">\n</head>\n<body>\n<main class=\"not-found\">\n<h1>Survey not found</h1>\n<p>There is no survey called \u{201c}{}\u{201d} here. Check the link you were given.</p>\n</main>\n</body>\n</html>\n",
        escape(id)
    );
    page(StatusCode::NOT_FOUND, html)
}

/// A person's first screen of `survey` in `locale`, come through `channel`: a fresh
/// submission id, and the time the bot speed bump counts from.
fn fresh_start(survey: Arc<Survey>, locale: String, channel: Channel) -> SurveyState {
    let mut fresh = SurveyState::new(survey, locale, channel, uuid::Uuid::new_v4());
    fresh.started_ms = now_ms();
    fresh
}

/// The language to answer in: `asked` (`?lang=`), else the browser's `Accept-Language`,
/// else the survey's default (see [`choose_locale`]).
pub(crate) fn reader_locale(survey: &Survey, asked: Option<&str>, headers: &HeaderMap) -> String {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    choose_locale(survey, asked, accepted)
}

/// `?lang=` when the survey offers it (or a broader tag it offers), else the first of the
/// browser's languages it offers, by `Accept-Language` weight, else its default.
fn choose_locale(survey: &Survey, asked: Option<&str>, accept_language: &str) -> String {
    let default = survey.default_locale();
    let offered = survey.locales();
    let fits = |tag: &str| {
        let chosen = voices_widget::locale::negotiate(Some(tag), offered, default);
        (chosen != default
            || tag
                .to_ascii_lowercase()
                .starts_with(&default.to_ascii_lowercase()))
        .then_some(chosen)
    };
    if let Some(chosen) = asked.and_then(fits) {
        return chosen;
    }
    let mut ranges: Vec<(f32, &str)> = accept_language
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && tag != "*" && weight > 0.0).then_some((weight, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges
        .into_iter()
        .find_map(|(_, tag)| fits(tag))
        .unwrap_or_else(|| default.to_owned())
}

fn now_ms() -> u64 {
    u64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64ct::Encoding;
    use sha2::Digest;

    #[test]
    fn the_pages_policy_allows_the_early_start_script_by_its_hash() {
        let hash = base64ct::Base64::encode_string(&sha2::Sha256::digest(EARLY_START_SCRIPT));
        assert!(
            crate::pages::OWN_PAGE_POLICY.contains(&format!("'sha256-{hash}'")),
            "put 'sha256-{hash}' in OWN_PAGE_POLICY's script-src"
        );
    }

    fn survey() -> Survey {
        Survey::parse(include_str!("../../examples/surveys/engagement-2026.json")).unwrap()
    }

    #[test]
    fn chooses_the_language_asked_for_then_the_browsers_then_the_default() {
        let s = survey();
        assert_eq!(choose_locale(&s, Some("ar"), "pl"), "ar");
        assert_eq!(choose_locale(&s, Some("xx"), "pl-PL,en;q=0.5"), "pl");
        assert_eq!(
            choose_locale(&s, None, "fr;q=0.9, ar;q=0.8, pl;q=0.1"),
            "ar"
        );
        assert_eq!(choose_locale(&s, None, "en-GB,pl;q=0.9"), "en");
        assert_eq!(choose_locale(&s, None, "fr, de;q=0.5"), "en");
        assert_eq!(choose_locale(&s, None, "pl;q=0, ar;q=x"), "en");
        assert_eq!(choose_locale(&s, None, ""), "en");
    }
}
