//! `/admin/surveys/{id}/poster`: an A4 poster and an A5 flyer of a survey, in any of its
//! languages, printed from the browser, with a QR code (an SVG) that opens the hosted page
//! with `?channel=qr`, so answers that came from posters are counted apart.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use time::OffsetDateTime;
use voices_shared::poster_words::poster_words;
use voices_shared::{CalendarDate, Survey, catalogue, fill, is_right_to_left};

use super::guard::Staff;
use super::html::{AsPage, page, respond};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::in_own_language;

#[derive(Debug, Default, Deserialize)]
pub struct PosterQuery {
    lang: Option<String>,
    size: Option<String>,
}

/// Where the poster's code leads: the hosted page, in the poster's language when that is
/// not the survey's first, marked as come from a QR code.
pub fn code_address(base: &str, survey: &Survey, locale: &str) -> String {
    let id = survey.id();
    if locale == survey.default_locale() {
        format!("{base}/s/{id}?channel=qr")
    } else {
        format!("{base}/s/{id}?lang={locale}&channel=qr")
    }
}

/// The QR code for `address` as an SVG element, hidden from assistive technology (the
/// element around it names it).
fn qr_svg(address: &str) -> Result<String, ApiError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(address.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::BadRequest {
            message: format!(
                "the survey's address is too long for a QR code ({e}); set --public-url to a shorter one"
            ),
        })?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Inline in HTML: without the XML declaration, and silent to screen readers.
    let start = image.find("<svg").unwrap_or(0);
    Ok(image[start..].replacen("<svg", "<svg aria-hidden=\"true\" focusable=\"false\"", 1))
}

/// The last day a survey takes answers, when it closes.
fn last_day(survey: &Survey) -> Option<CalendarDate> {
    let closes = survey.closes_at()?;
    let last = (closes - time::Duration::nanoseconds(1)).to_offset(time::UtcOffset::UTC);
    CalendarDate::from_parts(
        last.year(),
        u32::from(u8::from(last.month())),
        u32::from(last.day()),
    )
}

/// The poster itself, in `locale`.
fn poster(survey: &Survey, locale: &str, flyer: bool, base: &str) -> Result<Markup, ApiError> {
    let words = poster_words(locale);
    let widget_words = catalogue(locale);
    let address = code_address(base, survey, locale);
    let typed = format!("{base}/s/{}", survey.id());
    let typed = typed
        .split_once("://")
        .map_or(typed.as_str(), |(_, rest)| rest)
        .to_owned();
    let svg = qr_svg(&address)?;
    let dir = if is_right_to_left(locale) {
        "rtl"
    } else {
        "ltr"
    };
    let closes = last_day(survey)
        .filter(|_| survey.window_at(OffsetDateTime::now_utc()) != voices_shared::Window::Closed);
    // Words a language lacks are English, marked as such.
    let said = |text: &str| in_own_language(text, words.locale, locale);
    let run_by = survey.organisation().map(|organisation| {
        in_own_language(
            &fill(
                widget_words.run_by,
                &[("organisation", organisation.get(locale))],
            ),
            widget_words.locale,
            locale,
        )
    });
    let until = closes.map(|day| {
        let date = widget_words.date(day);
        in_own_language(
            &fill(words.open_until, &[("date", date.as_str())]),
            words.locale,
            locale,
        )
    });
    Ok(html! {
        article.poster.flyer[flyer].a4[!flyer] lang=(locale) dir=(dir) aria-labelledby="poster-title" {
            p.poster-call { (said(words.have_your_say)) }
            h2.poster-title #poster-title { (survey.title().get(locale)) }
            @if let Some(run_by) = run_by { p.poster-by { (run_by) } }
            div.poster-code role="img" aria-label={ (words.code) ": " (address) } {
                (PreEscaped(svg))
            }
            p.poster-scan { (said(words.scan)) }
            p.poster-type { (said(words.or_type)) }
            p.poster-url { span dir="ltr" { (typed) } }
            @if let Some(until) = until { p.poster-closes { (until) } }
        }
    })
}

/// `GET /admin/surveys/{id}/poster?lang=&size=poster|flyer`
pub async fn poster_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<PosterQuery>,
    headers: HeaderMap,
) -> Result<Response, AsPage> {
    let survey = crate::api::latest(&state, &id)?.survey.clone();
    // A language the survey does not offer, or a size there is not, is shown as the first.
    let locale = query
        .lang
        .as_deref()
        .filter(|lang| survey.locales().iter().any(|l| l == lang))
        .unwrap_or(survey.default_locale())
        .to_owned();
    let flyer = query.size.as_deref() == Some("flyer");
    let base = crate::origin::public_address(state.config(), &headers);
    let shown = poster(&survey, &locale, flyer, &base)?;
    let markup = page(
        &format!("Poster and flyer – {}", survey.title().default_text()),
        Some(&staff),
        false,
        html! {
            p.id { a href={ "/admin/surveys/" (survey.id()) } { "Survey " (survey.id()) } }
            h1 { "Poster and flyer" }
            p {
                "Print this page from your browser: the poster is for A4 paper, the flyer for A5. "
                "People who scan its code answer on their own phone, and their answers are counted "
                "under “QR code on a poster or flyer”, so the reach page tells them apart."
            }
            @if state.config().public_url.is_none() {
                p.notice {
                    "The address on the poster is the one you opened this page at: " strong { (base) } ". "
                    "If people reach the collector at another address, start it with --public-url set to that address."
                }
            }
            form.breakdown method="get" action={ "/admin/surveys/" (survey.id()) "/poster" } {
                div.field {
                    label for="lang" { "Language" }
                    select #lang name="lang" {
                        @for offered in survey.locales() {
                            option value=(offered) selected[*offered == locale] { (crate::cli::language_name(offered)) }
                        }
                    }
                }
                fieldset {
                    legend { "Size" }
                    div.radios {
                        label { input type="radio" name="size" value="poster" checked[!flyer]; " Poster (A4)" }
                        label { input type="radio" name="size" value="flyer" checked[flyer]; " Flyer (A5)" }
                    }
                }
                button type="submit" { "Show" }
            }
            (shown)
        },
    );
    Ok(respond(StatusCode::OK, markup))
}
