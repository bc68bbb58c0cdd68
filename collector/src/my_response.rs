//! What a person can do with their own response: look it up by its receipt on the page
//! `/r/{receipt}` (that it was stored and when, the survey's status and updates; nothing
//! of the answers), and withdraw it from the device that sent it, which alone holds its
//! withdrawal key. Both are rate-limited, and both answer a wrong receipt exactly as a
//! withdrawn or erased one.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::OffsetDateTime;
use voices_shared::{CalendarDate, Window};
use voices_widget::headings::Headings;

use crate::AppState;
use crate::error::ApiError;
use crate::receipt::Receipt;
use crate::staff::actions::record;
use crate::staff::credentials::digest;
use crate::store::AuditEvent;
use crate::survey_form::LanguageQuery;

/// `GET /r/{receipt}`: the page about one response, in `?lang=`, else the browser's
/// language (among the survey's), else the survey's default.
pub async fn page(
    State(state): State<AppState>,
    Path(receipt): Path<String>,
    Query(query): Query<LanguageQuery>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = crate::api::admit(&state, peer, &headers) {
        // A page, in the reader's language: a person followed a link here.
        let locale = page_language(query.lang.as_deref(), &headers);
        let catalogue = voices_shared::catalogue(&locale);
        let body = format!(
            "<div class=\"voices\" lang=\"{locale}\" dir=\"{}\"><p class=\"voices-notice\" role=\"alert\">{}</p></div>",
            voices_widget::locale::direction(&locale),
            crate::pages::escape(catalogue.too_many_lookups)
        );
        let mut response = crate::survey_form::plain_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            &locale,
            catalogue.your_response,
            "",
            &body,
        );
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Ok(seconds) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
            headers.insert(header::RETRY_AFTER, seconds);
        }
        return response;
    }
    let stored = match Receipt::parse(&receipt) {
        Some(receipt) => {
            let lookup = receipt.as_str().to_owned();
            state
                .with_store(move |store| Ok(store.find_receipt(&lookup)?))
                .await
        }
        None => Ok(None),
    };
    let stored = match stored {
        Ok(stored) => stored,
        Err(error) => return error.into_response(),
    };
    let found = stored.and_then(|response| {
        let published = state.catalog().latest(&response.survey_id)?;
        Some((response, published))
    });
    let (facts, locale, title) = match found {
        Some((response, published)) => {
            let survey = Arc::new(published.survey.clone());
            let locale =
                crate::survey_form::reader_locale(&survey, query.lang.as_deref(), &headers);
            let day = response.submitted_at.date();
            let sent_on = CalendarDate::from_parts(
                day.year(),
                u8::from(day.month()).into(),
                day.day().into(),
            );
            let told = state.catalog().told(survey.id());
            let catalogue = voices_shared::catalogue(&locale);
            let title = format!(
                "{} – {}",
                catalogue.your_response,
                survey.title().get(&locale)
            );
            let facts = sent_on.map(|sent_on| voices_widget::server::StoredFacts {
                open: survey.window_at(OffsetDateTime::now_utc()) == Window::Open,
                receipt: response.receipt.to_string(),
                sent_on,
                outcomes: Some(told.outcomes.published()),
                survey,
            });
            (facts, locale, title)
        }
        None => {
            let locale = page_language(query.lang.as_deref(), &headers);
            let title = voices_shared::catalogue(&locale)
                .no_such_response
                .to_owned();
            (None, locale, title)
        }
    };
    let status = if facts.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let markup = voices_widget::server::render_response_page(
        facts,
        locale.clone(),
        Headings::parse(Some("1")),
    )
    .await;
    let mut response = crate::survey_form::plain_page(&state, status, &locale, &title, "", &markup);
    // About one person's response: kept by no cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// For a page about no survey: `?lang=`, else the first of the browser's languages the
/// widget speaks, else English.
pub(crate) fn page_language(asked: Option<&str>, headers: &HeaderMap) -> String {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // The language of the widget's words for a tag (`zh-TW` → `zh-Hant`), unless it
    // has none: English only when English was asked for.
    let speaks = |tag: &str| {
        let tag = tag.split(';').next().unwrap_or_default().trim();
        let words = voices_shared::words_locale(tag);
        let english = tag
            .split('-')
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case("en"));
        (words != "en" || english).then_some(words)
    };
    asked
        .and_then(speaks)
        .or_else(|| accepted.split(',').find_map(speaks))
        .unwrap_or("en")
        .to_owned()
}

#[derive(Debug, Deserialize)]
pub struct Withdrawal {
    receipt: String,
    key: String,
}

/// `POST /api/surveys/{id}/withdrawals` with `{"receipt", "key"}`: erases the response if
/// the key is the one its device sent with it (204). A receipt of no response to this
/// survey (wrong, withdrawn, erased) gets 404, as its page does; a stored response and a
/// wrong key (or one sent without a key) get 403, which says no more than the receipt's
/// page already does, and lets the device tell "gone" from "not mine to withdraw".
/// Rate-limited like submissions; audited without the answers.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    crate::api::admit(&state, peer, &headers)
        .map_err(|retry_after| ApiError::RateLimited { retry_after })?;
    let asked: Withdrawal = serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest {
        message: format!("send {{\"receipt\": \"K7QF-3MXD\", \"key\": \"...\"}} as JSON: {e}"),
    })?;
    let nothing = || {
        ApiError::NotFound(
            "there is no response with this receipt to this survey; it may have been withdrawn or erased already".into(),
        )
    };
    let receipt = Receipt::parse(&asked.receipt).ok_or_else(nothing)?;
    if !voices_shared::is_withdrawal_key(&asked.key) {
        return Err(ApiError::BadRequest {
            message: "key: a withdrawal key is 32 lower-case hexadecimal digits".into(),
        });
    }
    let hash = digest(&asked.key);
    let counts = state.clone();
    state
        .with_store(move |store| {
            let stored = store
                .find_receipt(receipt.as_str())?
                .filter(|stored| stored.survey_id == id)
                .ok_or_else(nothing)?;
            // Digests of equal length compared whole: the comparison says nothing about
            // how much of a guess was right.
            let matches = stored
                .withdrawal_hash
                .as_deref()
                .is_some_and(|kept| digest(kept) == digest(&hash));
            if !matches {
                return Err(ApiError::Forbidden(
                    "this key does not withdraw this response; ask the people who run the survey to erase it, quoting its receipt".into(),
                ));
            }
            counts
                .counts()
                .erase(store.as_ref(), receipt.as_str())?
                .ok_or_else(nothing)?;
            record(
                store.as_ref(),
                "the respondent",
                AuditEvent::Withdrawn {
                    survey: id,
                    receipt: receipt.to_string(),
                },
            )?;
            Ok(())
        })
        .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_about_no_survey_speaks_the_first_language_the_widget_has_words_in() {
        let accepting = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_LANGUAGE, value.parse().unwrap());
            headers
        };
        assert_eq!(page_language(Some("pl-PL"), &HeaderMap::new()), "pl");
        assert_eq!(
            page_language(None, &accepting("fr, zh-TW;q=0.8, en;q=0.5")),
            "zh-Hant"
        );
        assert_eq!(page_language(None, &accepting("de, uk;q=0.9")), "uk");
        assert_eq!(
            page_language(None, &accepting("fr, en-GB;q=0.9, pl;q=0.8")),
            "en"
        );
        assert_eq!(page_language(Some("xx"), &accepting("fr")), "en");
    }
}
