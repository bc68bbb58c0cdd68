//! What came of a survey, told publicly wherever the survey was: its published updates as
//! JSON for widgets (`GET /api/surveys/{id}/outcomes`), as an Atom feed for partner sites
//! and newsletters (`/s/{id}/updates.atom`), and as the hosted page `/s/{id}/updates`.
//! Drafts never leave the staff pages.

use std::sync::Arc;

use atom_syndication as atom;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use voices_shared::outcomes::{Outcomes, Update};
use voices_shared::{CalendarDate, Survey};
use voices_widget::headings::Headings;

use crate::AppState;
use crate::api;
use crate::error::ApiError;
use crate::pages::escape;
use crate::survey_form::LanguageQuery;

/// `GET /api/surveys/{id}/outcomes`: the survey's published updates, `{"updates": [...]}`
/// in the format staff write (drafts left out). CORS like the survey; cacheable for a
/// minute, with an ETag.
pub async fn outcomes_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    api::latest(&state, &id)?;
    let told = state.catalog().told(&id);
    Ok(api::cacheable_json(&told.public_json, &told.etag, &headers))
}

/// A feed's or an entry's id, the same whatever address the feed was fetched at (so that
/// a reader never shows an update twice): a name-based UUID of the survey and update ids.
fn permanent_id(survey: &str, update: Option<&str>) -> String {
    let name = match update {
        Some(update) => format!("voices:survey:{survey}:update:{update}"),
        None => format!("voices:survey:{survey}:updates"),
    };
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
        .urn()
        .to_string()
}

/// A day as the feed's timestamp: midnight UTC.
fn feed_time(date: CalendarDate) -> atom::FixedDateTime {
    let text = format!("{date}T00:00:00Z");
    atom::FixedDateTime::parse_from_rfc3339(&text).unwrap_or_default()
}

/// `GET /s/{id}/updates.atom`: the published updates as an Atom feed, newest first, in the
/// survey's default language (or `?lang=`), each once, with its own permanent id.
pub async fn feed(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LanguageQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let published = api::latest(&state, &id)?;
    let survey = &published.survey;
    let locale = match query.lang.as_deref() {
        Some(lang) if survey.offers_locale(lang) => lang.to_owned(),
        _ => survey.default_locale().to_owned(),
    };
    let told = state.catalog().told(&id);
    // A feed reader needs whole addresses.
    let base = crate::origin::public_address(state.config(), &headers);
    let page = format!("{base}/s/{id}/updates");
    let catalogue = voices_shared::catalogue(&locale);
    let updates = told.outcomes.newest_first();
    let entries: Vec<atom::Entry> = updates
        .iter()
        .map(|update| {
            let link = format!("{page}#update-{}", update.id());
            let mut entry = atom::Entry {
                title: plain(update.headline().get(&locale)),
                id: permanent_id(&id, Some(update.id())),
                updated: feed_time(update.date()),
                published: Some(feed_time(update.date())),
                links: vec![link_to(&link, "alternate", "text/html")],
                content: Some(atom::Content {
                    value: Some(entry_html(update, &locale)),
                    content_type: Some("html".to_owned()),
                    lang: Some(locale.clone()),
                    ..Default::default()
                }),
                summary: Some(plain(&format!(
                    "{} · {}",
                    catalogue.stage(update.stage()),
                    catalogue.date(update.date())
                ))),
                ..Default::default()
            };
            if let Some(report) = update.link() {
                entry.links.push(link_to(report, "related", "text/html"));
            }
            entry
        })
        .collect();
    let updated = updates
        .first()
        .map(|u| feed_time(u.date()))
        .unwrap_or_else(now);
    let feed = atom::Feed {
        title: plain(&format!(
            "{}: {}",
            catalogue.updates,
            survey.title().get(&locale)
        )),
        id: permanent_id(&id, None),
        updated,
        lang: Some(locale.clone()),
        authors: vec![atom::Person {
            name: crate::origin::public_host(&headers, state.config().behind_proxy)
                .unwrap_or("Voices")
                .to_owned(),
            ..Default::default()
        }],
        links: vec![
            link_to(
                &format!("{page}.atom?lang={locale}"),
                "self",
                "application/atom+xml",
            ),
            link_to(&page, "alternate", "text/html"),
        ],
        entries,
        ..Default::default()
    };
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        feed.to_string(),
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

/// Now, for a feed with no updates yet (Atom requires a time).
fn now() -> atom::FixedDateTime {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|text| atom::FixedDateTime::parse_from_rfc3339(&text).ok())
        .unwrap_or_default()
}

fn plain(text: &str) -> atom::Text {
    atom::Text::plain(text)
}

fn link_to(href: &str, rel: &str, mime_type: &str) -> atom::Link {
    atom::Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Default::default()
    }
}

/// An update's body, pairs and report link as the HTML a feed reader shows (every piece of
/// survey text escaped: it is plain text).
fn entry_html(update: &Update, locale: &str) -> String {
    let catalogue = voices_shared::catalogue(locale);
    let mut html = String::new();
    for paragraph in update.body().paragraphs(locale) {
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    if !update.you_said_we_did().is_empty() {
        html.push_str("<ul>");
        for pair in update.you_said_we_did() {
            html.push_str(&format!(
                "<li><p><strong>{}</strong> {}</p><p><strong>{}</strong> {}</p></li>",
                escape(catalogue.you_said),
                escape(pair.you_said().get(locale)),
                escape(catalogue.we_did),
                escape(pair.we_did().get(locale)),
            ));
        }
        html.push_str("</ul>");
    }
    if let Some(report) = update.link() {
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(report),
            escape(catalogue.full_report)
        ));
    }
    html
}

/// `GET /s/{id}/updates`: the hosted page of what came of the survey, in the reader's
/// language (`?lang=`, else the browser's, else the survey's), with the widget's own
/// markup for it.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LanguageQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(published) = state.catalog().latest(&id) else {
        return crate::survey_form::not_found(&id);
    };
    let survey = Arc::new(published.survey.clone());
    let locale = crate::survey_form::reader_locale(&survey, query.lang.as_deref(), &headers);
    let told = state.catalog().told(&id);
    let markup = voices_widget::server::render_updates(
        Arc::clone(&survey),
        told.outcomes.published(),
        locale.clone(),
        Headings::parse(Some("1")),
    )
    .await;
    let catalogue = voices_shared::catalogue(&locale);
    let title = format!("{} – {}", catalogue.updates, survey.title().get(&locale));
    let languages = language_links(&survey, &id, &locale);
    let feed = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/s/{id}/updates.atom?lang={locale}\" title=\"{}\">",
        escape(&title)
    );
    crate::survey_form::plain_page(
        &state,
        StatusCode::OK,
        &locale,
        &title,
        &feed,
        &format!("{languages}{markup}"),
    )
}

/// The page in the survey's other languages: plain links, which work everywhere.
fn language_links(survey: &Survey, id: &str, current: &str) -> String {
    let others: Vec<&String> = survey
        .locales()
        .iter()
        .filter(|l| l.as_str() != current)
        .collect();
    if others.is_empty() {
        return String::new();
    }
    let mut html = format!(
        "<nav class=\"voices-page-languages\" aria-label=\"{}\"><ul>",
        escape(voices_shared::language_word(current).1)
    );
    for locale in others {
        let dir = if voices_shared::is_right_to_left(locale) {
            "rtl"
        } else {
            "ltr"
        };
        html.push_str(&format!(
            "<li><a href=\"/s/{id}/updates?lang={locale}\" lang=\"{locale}\" hreflang=\"{locale}\" dir=\"{dir}\">{}</a></li>",
            escape(&voices_widget::locale::endonym(locale))
        ));
    }
    html.push_str("</ul></nav>");
    html
}

/// Outcomes as the public sees them, and the tag that names that version of them.
pub fn public_view(id: &str, outcomes: &Outcomes) -> (String, String) {
    let public = outcomes.published();
    let json = serde_json::to_string(&public).unwrap_or_else(|_| "{\"updates\":[]}".to_owned());
    let etag = format!(
        "\"{id}-outcomes-{:016x}\"",
        crate::catalog::fingerprint(json.as_bytes())
    );
    (json, etag)
}
