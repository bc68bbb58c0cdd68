//! The frame of every staff page, and errors shown as pages rather than JSON.
//!
//! Pages are written with maud, which escapes everything interpolated: free
//! text from the public is never markup.

use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::guard::Staff;
use crate::error::ApiError;
use crate::store::Role;

pub const ADMIN_CSS: &str = include_str!("../../static/admin.css");

/// A whole staff page. `signed_in` adds the navigation and the sign-out button.
pub fn page(title: &str, signed_in: Option<&Staff>, has_error: bool, content: Markup) -> Markup {
    page_with_head(title, signed_in, has_error, html! {}, content)
}

/// A whole staff page with more in its head (the collect page's scripts).
pub fn page_with_head(
    title: &str,
    signed_in: Option<&Staff>,
    has_error: bool,
    head: Markup,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // GOV.UK practice: a page with an error says so first in its title.
                title { @if has_error { "Error: " } (title) " – Voices staff" }
                link rel="stylesheet" href="/admin.css";
                (head)
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header.masthead {
                    span.brand { "Voices staff" }
                    @if let Some(staff) = signed_in {
                        nav aria-label="Staff pages" {
                            ul {
                                @if staff.role != Role::Interviewer {
                                    li { a href="/admin" { "Surveys" } }
                                }
                                li { a href="/admin/collect" { "Collect responses" } }
                                @if staff.role == Role::Admin {
                                    li { a href="/admin/publish" { "Publish a survey" } }
                                    li { a href="/admin/erase" { "Erase a response" } }
                                    li { a href="/admin/accounts" { "Accounts" } }
                                    li { a href="/admin/audit" { "Audit log" } }
                                }
                            }
                        }
                        form.sign-out method="post" action="/admin/sign-out" {
                            (csrf_field(staff))
                            button type="submit" { "Sign out " span.who { "(" (staff.name) ")" } }
                        }
                    }
                }
                main #main {
                    (content)
                }
            }
        }
    }
}

/// The hidden field that proves a form came from one of our pages.
pub fn csrf_field(staff: &Staff) -> Markup {
    html! {
        @if let Some(token) = &staff.csrf {
            input type="hidden" name="csrf" value=(token);
        }
    }
}

/// An uploaded file from a form with [`csrf_field`] before its file field: the file's
/// bytes (`None` when none was chosen). The form's proof is checked as soon as it arrives,
/// before the file is read; a file that comes first is refused like a missing proof.
pub async fn read_upload(
    staff: &Staff,
    multipart: &mut axum::extract::Multipart,
    file: &str,
) -> Result<Option<axum::body::Bytes>, ApiError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::BadRequest {
                message: format!("the file is too large to upload here: {e}"),
            }
        } else {
            ApiError::BadRequest {
                message: format!("the upload could not be read: {e}"),
            }
        }
    };
    let mut proven = false;
    let mut bytes = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "csrf" {
            let sent = field.text().await.map_err(unreadable)?;
            staff.check_csrf(&sent)?;
            proven = true;
        } else if name == file {
            if !proven {
                staff.check_csrf("")?;
            }
            bytes = Some(field.bytes().await.map_err(unreadable)?);
        }
    }
    if !proven {
        staff.check_csrf("")?;
    }
    Ok(bytes.filter(|b| !b.is_empty()))
}

/// A GOV.UK-style error summary listing problems, each linking to its field.
pub fn error_summary(problems: &[(Option<&str>, String)]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { "There is a problem" }
                ul {
                    @for (field, message) in problems {
                        li {
                            @if let Some(field) = field {
                                a href={ "#" (field) } { (message) }
                            } @else {
                                (message)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A day as staff read it: `2026-11-22` (UTC, as the counts by day are kept).
pub fn day(day: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    )
}

/// A time as staff read it: `2026-11-22 10:29:55 UTC`.
pub fn when(at: time::OffsetDateTime) -> String {
    // Checked: every time the collector keeps is in UTC already, and one that
    // cannot be written in UTC is shown as it is rather than panic the page.
    let at = at.checked_to_offset(time::UtcOffset::UTC).unwrap_or(at);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// An HTML response.
pub fn respond(status: axum::http::StatusCode, markup: Markup) -> Response {
    let mut response = (status, Html(markup.into_string())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// An [`ApiError`] answered as a page, with the same status, for people in a browser.
pub struct AsPage(pub ApiError);

impl From<ApiError> for AsPage {
    fn from(error: ApiError) -> AsPage {
        AsPage(error)
    }
}

impl From<crate::store::StoreError> for AsPage {
    fn from(error: crate::store::StoreError) -> AsPage {
        AsPage(error.into())
    }
}

impl IntoResponse for AsPage {
    fn into_response(self) -> Response {
        let status = self.0.status_code();
        if status.is_server_error() {
            tracing::warn!(code = self.0.code(), message = %self.0, "staff page failed");
        }
        let heading = match status.as_u16() {
            401 => "Sign in to continue",
            403 => "You cannot do this",
            404 => "Not found",
            429 => "Please wait",
            500..=599 => "Sorry, there is a problem with the service",
            _ => "There is a problem",
        };
        let markup = page(
            heading,
            None,
            false,
            html! {
                h1 { (heading) }
                p { (self.0.to_string()) }
                p { a href="/admin" { "Back to the staff pages" } }
            },
        );
        respond(status, markup)
    }
}
