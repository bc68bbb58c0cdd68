//! Collect mode: staff record answers with people (face to face at a lunch club, by phone,
//! or typed in from a paper form) on a tablet, in the real widget. `/admin/collect` lists
//! the surveys an account may collect for; starting gives this device a collection
//! credential (see [`crate::store::Collection`]), signs the device out of the staff pages
//! (the people answering hold it next) and opens `/admin/collect/{id}`, where `collect.js`
//! keeps what is recorded sealed on the device until it is sent. That page needs no
//! session, only the credential the device keeps, so it opens again after a reload or
//! once the session has ended.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;
use voices_shared::{Channel, Survey};

use super::actions::{self, CollectError};
use super::guard::{Staff, cookie, session_cookie_name, set_cookie};
use super::html::{AsPage, csrf_field, page, page_with_head, respond, when};
use crate::AppState;
use crate::error::ApiError;

/// The collect page's own script: keeps the device's credential, seals what the widget
/// hands it, sends it when it can, counts what waits, and clears an idle screen.
pub const COLLECT_SCRIPT: &str = include_str!("../../static/collect.js");

/// The collect page's service worker: what the page is made of, kept for a reload without
/// signal (served at the root, controlling `/admin/collect/` only).
pub const COLLECT_WORKER: &str = include_str!("../../static/collect-sw.js");

/// The collect page runs the widget (its code and its fetches, from this collector only).
const COLLECT_PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data:; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The ways staff record answers, in the order offered.
const STAFF_CHANNELS: [Channel; 3] = [Channel::FaceToFace, Channel::Phone, Channel::Paper];

/// How the banner says answers are being recorded.
fn channel_words(channel: Channel) -> &'static str {
    match channel {
        Channel::Phone => "by phone",
        Channel::Paper => "from a paper form",
        _ => "face to face",
    }
}

fn staff_channel(text: Option<&str>) -> Channel {
    text.and_then(Channel::parse)
        .filter(|c| !c.is_own_device())
        .unwrap_or(Channel::FaceToFace)
}

/// The surveys `staff` may collect for, newest version of each, by id.
fn collectable(state: &AppState, staff: &Staff) -> Vec<std::sync::Arc<crate::catalog::Published>> {
    let mut surveys: Vec<_> = state
        .catalog()
        .newest_of_each()
        .into_iter()
        .filter(|p| staff.may_collect(p.survey.id()))
        .collect();
    surveys.sort_by_key(|p| p.survey.id().to_owned());
    surveys
}

fn start_form(staff: &Staff, survey: &Survey, channel: Channel, locale: &str) -> Markup {
    let id = survey.id();
    html! {
        form.collect-start method="post" novalidate action={ "/admin/collect/" (id) } {
            (csrf_field(staff))
            fieldset {
                legend { "How are you recording the answers?" }
                @for option in STAFF_CHANNELS {
                    div.choice {
                        input type="radio" name="channel" id={ (id) "-channel-" (option.as_str()) }
                            value=(option.as_str()) checked[option == channel];
                        label for={ (id) "-channel-" (option.as_str()) } {
                            @match option {
                                Channel::Phone => "By phone",
                                Channel::Paper => "Typing in a paper form",
                                _ => "Face to face",
                            }
                        }
                    }
                }
            }
            @if survey.locales().len() > 1 {
                div.field {
                    label for={ (id) "-lang" } { "Language to start in" }
                    select id={ (id) "-lang" } name="lang" {
                        @for option in survey.locales() {
                            option value=(option) selected[option == locale] {
                                (voices_widget::locale::endonym(option))
                            }
                        }
                    }
                }
            }
            button type="submit" {
                "Start collecting on this device"
                span.visually-hidden { " for " (survey.title().default_text()) }
            }
        }
    }
}

/// Collecting is for a person signed in on the device, never for a script's token.
fn person_only(staff: &Staff) -> Result<(), ApiError> {
    match staff.csrf {
        Some(_) => Ok(()),
        None => Err(ApiError::Forbidden(
            "collecting responses needs a person signed in on the device at /admin/sign-in, not a token".into(),
        )),
    }
}

/// `GET /admin/collect`: the surveys this account may collect responses for.
pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AsPage> {
    person_only(&staff)?;
    let surveys = collectable(&state, &staff);
    Ok(respond(
        StatusCode::OK,
        page(
            "Collect responses",
            Some(&staff),
            false,
            html! {
                h1 { "Collect responses" }
                p { "Record people's answers with them, face to face or by phone, or type in the answers from paper forms. Each device you start on can send what it records for "
                    (actions::COLLECTION_DAYS) " days, even without signal at the time or after you are signed out." }
                @if surveys.is_empty() {
                    p { "There are no surveys for you to collect responses for yet. An admin can add them on the Accounts page." }
                }
                @if !surveys.is_empty() {
                    p { "Starting signs you out on the device, so that the people answering cannot reach the staff pages. The answers are kept on it, unreadable, until they are sent." }
                }
                @for published in &surveys {
                    @let survey = &published.survey;
                    section.collect-survey aria-labelledby={ "survey-" (survey.id()) } {
                        h2 #{ "survey-" (survey.id()) } { (survey.title().default_text()) }
                        p { a href={ "/s/" (survey.id()) "/print" } { "The paper version to print" span.visually-hidden { " of " (survey.title().default_text()) } } }
                        (start_form(&staff, survey, Channel::FaceToFace, survey.default_locale()))
                    }
                }
            },
        ),
    ))
}

#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CollectQuery {
    channel: Option<String>,
    lang: Option<String>,
    /// Seconds a half-finished response may sit untouched before it is cleared (0: never).
    /// Read leniently: anything else is the default.
    idle: Option<String>,
}

/// How long a half-finished response may sit untouched before it is cleared (after a
/// warning), face to face, unless the page is opened with `?idle=SECONDS`. By phone or from
/// paper staff hold the device, so nothing is cleared unless asked.
fn idle_seconds(channel: Channel, asked: Option<&str>) -> u32 {
    match asked.and_then(|text| text.trim().parse::<u32>().ok()) {
        Some(0) => 0,
        Some(seconds) => seconds.clamp(10, 3600),
        None if channel == Channel::FaceToFace => 180,
        None => 0,
    }
}

/// The survey `id` if `staff` may collect for it, else a refusal that says why.
fn survey_to_collect(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<std::sync::Arc<crate::catalog::Published>, ApiError> {
    let published = state
        .catalog()
        .latest(id)
        .ok_or_else(|| ApiError::NotFound(format!("there is no survey \"{id}\"")))?;
    if !staff.may_collect(id) {
        return Err(ApiError::Forbidden(
            CollectError::NotAssigned(staff.name.clone(), id.to_owned()).to_string(),
        ));
    }
    Ok(published)
}

/// The locale to start in: one the survey offers, else its first.
fn offered(survey: &Survey, asked: Option<&str>) -> String {
    asked
        .filter(|l| survey.locales().iter().any(|o| o == l))
        .unwrap_or(survey.default_locale())
        .to_owned()
}

/// `POST /admin/collect/{id}`: gives this device a collection credential for the survey
/// and opens the collect page with it.
pub async fn start(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<StartForm>,
) -> Result<Response, AsPage> {
    person_only(&staff)?;
    staff.check_csrf(&form.csrf)?;
    let published = survey_to_collect(&state, &staff, &id)?;
    let channel = staff_channel(form.channel.as_deref());
    let locale = offered(&published.survey, form.lang.as_deref());
    let name = staff.name.clone();
    let survey_id = id.clone();
    let issued = state
        .with_store(move |store| {
            let user = store.user(&name)?.ok_or_else(|| {
                ApiError::Unauthorized(format!("there is no account \"{name}\" any more"))
            })?;
            actions::start_collecting(store.as_ref(), &user, &survey_id, channel).map_err(|error| {
                match error {
                    CollectError::Store(error) => error.into(),
                    other => ApiError::Forbidden(other.to_string()),
                }
            })
        })
        .await?;
    let (secret, collection) = issued;
    let public_key = crate::sealed::public_key(&collection.private_key)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let credential = serde_json::json!({
        "id": collection.id,
        "user": collection.user,
        "secret": secret,
        "key": public_key,
        "survey": collection.survey_id,
        "channel": channel.as_str(),
        "expires": collection.expires_at.unix_timestamp(),
        "expires_text": when(collection.expires_at),
    })
    .to_string();
    // The device now only collects: its staff session ends here.
    let secure = state.config().secure_cookies;
    if let Some(secret) = cookie(&headers, session_cookie_name(secure)) {
        let secret = secret.to_owned();
        state
            .with_store(move |store| Ok(super::sessions::end(store.as_ref(), &secret)?))
            .await?;
    }
    let mut response = collect_page(
        &state,
        &published.survey,
        (channel, &locale, idle_seconds(channel, None)),
        Some(&credential),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(session_cookie_name(secure), "", secure, Some(0)),
    );
    Ok(response)
}

/// `GET /admin/collect/{id}`: the collect page, using the credential this device keeps (or
/// saying to sign in and start, when it keeps none for this survey and way of recording).
/// No session needed: the page holds nothing but the survey, and the device's credential
/// is the device's.
pub async fn page_again(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<CollectQuery>,
) -> Result<Response, AsPage> {
    let published = state
        .catalog()
        .latest(&id)
        .ok_or_else(|| ApiError::NotFound(format!("there is no survey \"{id}\"")))?;
    let channel = staff_channel(query.channel.as_deref());
    let locale = offered(&published.survey, query.lang.as_deref());
    let idle = idle_seconds(channel, query.idle.as_deref());
    Ok(collect_page(
        &state,
        &published.survey,
        (channel, &locale, idle),
        None,
    ))
}

fn collect_page(
    state: &AppState,
    survey: &Survey,
    (channel, locale, idle): (Channel, &str, u32),
    credential: Option<&str>,
) -> Response {
    let id = survey.id();
    let title = survey.title().default_text();
    let address = format!(
        "/admin/collect/{id}?channel={}&lang={locale}&idle={idle}",
        channel.as_str()
    );
    let embed = if state.assets().has_widget() {
        format!("/embed.js?survey={id}")
    } else {
        "/embed.js".to_owned()
    };
    let head = html! {
        script src="/collect.js" defer {}
        script type="module" src=(embed) {}
    };
    let content = html! {
        h1 { "Collecting: " (title) }
        div.collect-banner #voices-collect
            data-survey=(id) data-channel=(channel.as_str()) data-address=(address) data-idle=(idle)
            data-credential=[credential] {
            p.collect-mode {
                strong { "Recording answers with someone: " (channel_words(channel)) }
            }
            p #collect-who {}
            p #collect-waiting role="status" { "Checking for responses waiting on this device…" }
            p #collect-expiry {}
            p #collect-problem.collect-problem role="alert" {}
        }
        section #collect-start aria-labelledby="collect-start-title" hidden {
            h2 #collect-start-title { "Start collecting on this device" }
            p { "This device holds no credential to send responses for this survey " (channel_words(channel)) ", or the one it held can no longer send them. What is waiting on it stays here, sealed." }
            p { a href="/admin/sign-in" { "Sign in to start collecting again" } }
        }
        div #collect-survey {
            voices-survey survey=(id) channel=(channel.as_str()) lang=(locale) collect="" heading-level="2" {}
        }
        dialog #collect-idle aria-labelledby="collect-idle-title" aria-describedby="collect-idle-text" {
            h2 #collect-idle-title { "Are you still there?" }
            p #collect-idle-text { "These answers will be cleared in " span #collect-idle-seconds { "60" } " seconds, so that the next person starts afresh." }
            button #collect-idle-stay type="button" { "I am still here" }
        }
        noscript { p { "Collecting responses needs JavaScript: it keeps them on this device until they are sent." } }
    };
    let mut response = respond(
        StatusCode::OK,
        // No staff navigation: the people answering hold the device.
        page_with_head(&format!("Collecting: {title}"), None, false, head, content),
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(COLLECT_PAGE_POLICY),
    );
    response
}
