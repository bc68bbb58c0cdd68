//! "Tell me what happened": people asking for a survey's updates by email, and stopping them.
//!
//! An address arrives on its own request, after the response and with nothing of it, and
//! is kept apart from the responses (see [`Subscription`]): staff cannot link the two, and
//! no export holds addresses. Every email links to `/unsubscribe/{token}`, a page with one
//! button; mail programs' own "unsubscribe" buttons post there directly (RFC 8058). The
//! emails themselves are sent by [`crate::mail`].

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use time::OffsetDateTime;
use voices_widget::email_offer::EmailOffer;

use crate::AppState;
use crate::error::ApiError;
use crate::pages::escape;
use crate::staff::credentials::new_secret;
use crate::store::{Subscribed, Subscription};
use crate::survey_form::LanguageQuery;

/// The body of `POST /api/surveys/{id}/subscriptions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asked {
    email: String,
    /// The language the person answered in: the emails are written in it.
    #[serde(default)]
    locale: Option<String>,
}

/// The form `POST /s/{id}/email` (the same, without JavaScript).
#[derive(Debug, Deserialize)]
pub struct AskedByForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    lang: Option<String>,
}

/// The newest version of survey `id`, if it offers its updates by email (as served: not
/// without a mail relay, see `Catalog::load_serving`).
fn offering(state: &AppState, id: &str) -> Option<std::sync::Arc<crate::catalog::Published>> {
    state
        .catalog()
        .latest(id)
        .filter(|p| p.survey.updates_by_email())
}

/// Longest address kept: RFC 5321's limit on a path.
const MAX_ADDRESS: usize = 254;

/// Keeps an address for a survey's updates: checks it, then stores it durably. The same
/// answer whether or not the address had asked before: nobody learns whose address is kept.
async fn keep(state: &AppState, id: &str, email: &str, locale: &str) -> Result<(), ApiError> {
    let published = offering(state, id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "there is no survey \"{id}\" that offers its updates by email"
        ))
    })?;
    let email = email.trim();
    // The relay's own idea of an address (a mailbox, nothing around it): what is kept is
    // exactly what the emails go to, and one address is one address.
    let address = match email.parse::<lettre::Address>() {
        Ok(address) if email.len() <= MAX_ADDRESS && voices_shared::is_email(email) => address,
        _ => return Err(ApiError::InvalidEmail(email.chars().take(80).collect())),
    };
    let locale = if published.survey.offers_locale(locale) {
        locale.to_owned()
    } else {
        published.survey.default_locale().to_owned()
    };
    let subscription = Subscription {
        token: new_secret(),
        survey_id: id.to_owned(),
        email: address.to_string(),
        locale,
        since: OffsetDateTime::now_utc().date(),
        told: Vec::new(),
        ended: false,
    };
    let state_for_task = state.clone();
    let outcome = state
        .with_store(move |store| {
            Ok(state_for_task
                .catalog()
                .subscribe(store.as_ref(), subscription)?)
        })
        .await?;
    match outcome {
        Subscribed::Added | Subscribed::AlreadySubscribed => Ok(()),
        Subscribed::Ended => Err(ApiError::Closed(format!(
            "survey \"{id}\" has published its final update (what we did) and sends no more; read it at /s/{id}/updates"
        ))),
    }
}

/// `POST /api/surveys/{id}/subscriptions`: `{"email": "...", "locale": "gd"}` → 204 once
/// the address is on disk.
pub async fn subscribe(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    crate::api::admit(&state, peer, &headers)
        .map_err(|retry_after| ApiError::RateLimited { retry_after })?;
    let asked: Asked = serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest {
        message: format!(
            "send {{\"email\": \"name@example.com\", \"locale\": \"en\"}} as JSON: {e}"
        ),
    })?;
    keep(
        &state,
        &id,
        &asked.email,
        asked.locale.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(no_store(StatusCode::NO_CONTENT.into_response()))
}

/// `GET /s/{id}/email`: the offer on a page of its own.
pub async fn offer_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LanguageQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(published) = offering(&state, &id) else {
        return crate::survey_form::not_found(&id);
    };
    let survey = Arc::new(published.survey.clone());
    let locale = crate::survey_form::reader_locale(&survey, query.lang.as_deref(), &headers);
    email_page(&state, survey, locale, EmailOffer::Open, StatusCode::OK).await
}

/// `POST /s/{id}/email`: the offer's form without JavaScript; answers with the same page,
/// saying the address is kept, or what is wrong with it.
pub async fn offer_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(asked): Form<AskedByForm>,
) -> Response {
    let Some(published) = offering(&state, &id) else {
        return crate::survey_form::not_found(&id);
    };
    // Like the survey's own forms: only from the collector's pages and the survey's
    // partners, so no other site can sign its visitors' browsers up for someone's address.
    if !crate::survey_form::sent_from_allowed_page(
        &published.survey,
        &headers,
        state.config().behind_proxy,
    ) {
        return crate::survey_form::message_page(
            &published.survey,
            StatusCode::FORBIDDEN,
            "Your address was not kept",
            "This form was sent from a page the survey does not run on, so your email address was not kept. Give it on the survey's own page.",
        );
    }
    let survey = Arc::new(published.survey.clone());
    let locale = crate::survey_form::reader_locale(&survey, asked.lang.as_deref(), &headers);
    let catalogue = voices_shared::catalogue(&locale);
    let wrong = |message: &str| EmailOffer::Wrong {
        address: asked.email.clone(),
        message: message.to_owned(),
    };
    if let Err(wait) = crate::api::admit(&state, peer, &headers) {
        let mut response = email_page(
            &state,
            survey,
            locale.clone(),
            wrong(catalogue.email_too_many),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
        if let Ok(seconds) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        return response;
    }
    let (offer, status) = match keep(&state, &id, &asked.email, &locale).await {
        Ok(()) => (EmailOffer::Kept, StatusCode::OK),
        Err(ApiError::InvalidEmail(_)) => {
            (wrong(catalogue.bad_email), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ApiError::NotFound(_)) => return crate::survey_form::not_found(&id),
        Err(error) => {
            tracing::warn!(survey = %id, %error, "an address for updates could not be kept");
            (wrong(catalogue.email_not_kept), error.status_code())
        }
    };
    email_page(&state, survey, locale, offer, status).await
}

async fn email_page(
    state: &AppState,
    survey: Arc<voices_shared::Survey>,
    locale: String,
    offer: EmailOffer,
    status: StatusCode,
) -> Response {
    let catalogue = voices_shared::catalogue(&locale);
    let title = match &offer {
        EmailOffer::Wrong { .. } => format!(
            "{} {} – {}",
            catalogue.error_prefix,
            catalogue.email_heading,
            survey.title().get(&locale)
        ),
        _ => format!(
            "{} – {}",
            catalogue.email_heading,
            survey.title().get(&locale)
        ),
    };
    let action = format!("/s/{}/email", survey.id());
    let markup =
        voices_widget::server::render_email_page(survey, locale.clone(), offer, action).await;
    no_store(crate::survey_form::plain_page(
        state, status, &locale, &title, "", &markup,
    ))
}

/// `GET /unsubscribe/{token}`: asks before stopping (a link checker that opens every link
/// in an email must not stop the emails), in the language the emails are in.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<LanguageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lookup = token.clone();
    let subscription = state
        .with_store(move |store| Ok(store.subscription(&lookup)?))
        .await?;
    let locale = match &subscription {
        Some(subscription) => subscription.locale.clone(),
        None => crate::my_response::page_language(query.lang.as_deref(), &headers),
    };
    let words = voices_shared::mail_words::mail_words(&locale);
    let survey_title = subscription.as_ref().and_then(|s| {
        state
            .catalog()
            .latest(&s.survey_id)
            .map(|p| p.survey.title().get(&locale).to_owned())
    });
    let (status, heading, body) = match survey_title {
        Some(title) => (
            StatusCode::OK,
            words.unsubscribe_heading,
            format!(
                "<p>{}</p>\n<form method=\"post\" action=\"/unsubscribe/{}\">\n<input type=\"hidden\" name=\"lang\" value=\"{}\">\n<button type=\"submit\" class=\"voices-button\">{}</button>\n</form>",
                escape(&voices_shared::fill(
                    words.unsubscribe_explain,
                    &[("survey", &title)]
                )),
                escape(&token),
                escape(&locale),
                escape(words.unsubscribe_button)
            ),
        ),
        None => (
            StatusCode::NOT_FOUND,
            words.unknown_heading,
            format!("<p>{}</p>", escape(words.unknown)),
        ),
    };
    Ok(message(&state, status, &locale, heading, &body))
}

/// `POST /unsubscribe/{token}`: stops the emails and deletes the address. From the page's
/// button, or from a mail program's one-click button (RFC 8058), which posts
/// `List-Unsubscribe=One-Click` and reads no page.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let form: Vec<(String, String)> = serde_urlencoded_pairs(&body);
    // A mail program posts `List-Unsubscribe=One-Click`, as a form or as multipart
    // form data (RFC 8058 allows both); the page's own button posts `lang`.
    let one_click = form
        .iter()
        .any(|(k, v)| k == "List-Unsubscribe" && v == "One-Click")
        || (headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"))
            && body.windows(9).any(|w| w == b"One-Click"));
    let asked_language = form
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.clone());
    let lookup = token.clone();
    let removed = state
        .with_store(move |store| {
            let subscription = store.subscription(&lookup)?;
            if subscription.is_some() {
                store.unsubscribe(&lookup)?;
                store.flush()?;
            }
            Ok(subscription)
        })
        .await?;
    if let Some(subscription) = &removed {
        tracing::info!(survey = %subscription.survey_id, "a person stopped the update emails; their address is deleted");
    }
    if one_click {
        return Ok(no_store(StatusCode::OK.into_response()));
    }
    let locale = match &removed {
        Some(subscription) => subscription.locale.clone(),
        None => crate::my_response::page_language(asked_language.as_deref(), &headers),
    };
    let words = voices_shared::mail_words::mail_words(&locale);
    // Stopped now, or stopped before: either way no more emails come.
    Ok(message(
        &state,
        StatusCode::OK,
        &locale,
        words.unsubscribed_heading,
        &format!("<p>{}</p>", escape(words.unsubscribed)),
    ))
}

/// The pairs of a form body; a body that is not a form has none.
fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// A page of a heading and a few words, in the widget's look, kept by no cache (it is
/// about one person's address).
fn message(
    state: &AppState,
    status: StatusCode,
    locale: &str,
    heading: &str,
    body: &str,
) -> Response {
    let markup = format!(
        "<div class=\"voices\" lang=\"{lang}\" dir=\"{dir}\">\n<h1 class=\"voices-title\">{heading}</h1>\n{body}\n</div>",
        lang = escape(locale),
        dir = voices_widget::locale::direction(locale),
        heading = escape(heading),
    );
    no_store(crate::survey_form::plain_page(
        state, status, locale, heading, "", &markup,
    ))
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
