//! The staff pages under `/admin`: server-rendered HTML that works without
//! JavaScript, with forms that post back and say what was wrong and where.

use std::net::SocketAddr;

use crate::store::Role;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;
use time::OffsetDateTime;
use voices_shared::Channel;

use super::actions::{self, record};
use super::api::summaries;
use super::counts::count;
use super::credentials::{new_secret, verify_nobody, verify_password};
use super::guard::{Staff, cookie, session_cookie_name, set_cookie, sign_in_cookie_name};
use super::html::{AsPage, csrf_field, error_summary, page, respond, when};
use super::sessions::{self, ABSOLUTE_TIMEOUT, Begun};
use crate::AppState;
use crate::error::ApiError;
use crate::export::{ExportQuery, Format, OptionError};
use crate::store::{AuditEvent, PublishOutcome};

fn sign_in_page(token: &str, name: &str, problems: &[(Option<&str>, String)]) -> Markup {
    page(
        "Sign in",
        None,
        !problems.is_empty(),
        html! {
            h1 { "Sign in" }
            (error_summary(problems))
            p { "Sign in to see responses, download them and manage surveys." }
            form method="post" novalidate action="/admin/sign-in" {
                input type="hidden" name="csrf" value=(token);
                div.field {
                    label for="name" { "User name" }
                    input #name type="text" name="name" value=(name) autocomplete="username"
                        autocapitalize="none" spellcheck="false" required;
                }
                div.field {
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                }
                button type="submit" { "Sign in" }
            }
        },
    )
}

/// Where a signed-in account starts: an interviewer at the surveys it collects for, the
/// rest at the surveys they look after.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Interviewer => "/admin/collect",
        Role::Analyst | Role::Admin => "/admin",
    }
}

/// `GET /admin/sign-in`. A fresh token goes in a cookie and in the form: a
/// post must carry both, so another site cannot sign someone in as itself.
pub async fn sign_in_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let secure = state.config().secure_cookies;
    if let Some(secret) = cookie(&headers, session_cookie_name(secure)) {
        let secret = secret.to_owned();
        let found = state
            .with_store(move |store| {
                Ok(sessions::find(
                    store.as_ref(),
                    &secret,
                    OffsetDateTime::now_utc(),
                )?)
            })
            .await;
        match found {
            Ok(Some(session)) => return Redirect::to(home_of(session.role)).into_response(),
            Ok(None) => {}
            // Signing in would need the store too: say now that it cannot be reached.
            Err(error) => return AsPage(error).into_response(),
        }
    }
    let token = new_secret();
    let mut response = respond(StatusCode::OK, sign_in_page(&token, "", &[]));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(sign_in_cookie_name(secure), &token, secure, Some(3600)),
    );
    response
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/sign-in`
pub async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let secure = state.config().secure_cookies;
    let client = crate::api::client_address(
        &state,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        &headers,
    );
    let again = |status: StatusCode, problems: Vec<(Option<&str>, String)>| {
        let token = new_secret();
        let mut response = respond(status, sign_in_page(&token, form.name.trim(), &problems));
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(sign_in_cookie_name(secure), &token, secure, Some(3600)),
        );
        response
    };
    let expected = cookie(&headers, sign_in_cookie_name(secure)).unwrap_or_default();
    if expected.is_empty()
        || super::credentials::digest(expected) != super::credentials::digest(&form.csrf)
    {
        return again(
            StatusCode::FORBIDDEN,
            vec![(None, "This sign-in form had expired. Sign in again.".into())],
        );
    }
    let name = form.name.trim().to_owned();
    if name.is_empty() || form.password.is_empty() {
        let mut problems = Vec::new();
        if name.is_empty() {
            problems.push((Some("name"), "Enter your user name".to_owned()));
        }
        if form.password.is_empty() {
            problems.push((Some("password"), "Enter your password".to_owned()));
        }
        return again(StatusCode::UNPROCESSABLE_ENTITY, problems);
    }
    // A name no account can have is refused before anything is counted,
    // hashed or written to the audit log.
    if actions::check_name(&name).is_err() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(
                Some("name"),
                "Enter your user name as it was given to you: 1 to 64 letters, digits, '.', '-', '_' or '@'"
                    .to_owned(),
            )],
        );
    }
    // Counted against the brakes (in the store, so every collector's attempts count) before
    // the password is checked, then the account read, in one trip off the async threads.
    let lookup = name.clone();
    let begun = state
        .sign_ins()
        .with_store(&state, move |store| {
            Ok(
                match sessions::begin(store.as_ref(), &lookup, client, OffsetDateTime::now_utc())? {
                    Begun::Counted(attempt) => Ok((attempt, store.user(&lookup)?)),
                    Begun::Wait(wait) => Err(wait),
                },
            )
        })
        .await;
    let (attempt, found) = match begun {
        Ok(Ok(begun)) => begun,
        Ok(Err(wait)) => {
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                vec![(
                    None,
                    format!(
                        "There have been too many failed sign-ins. Wait {} seconds, then try again.",
                        wait.as_secs().max(1)
                    ),
                )],
            );
        }
        Err(error) => return AsPage(error).into_response(),
    };
    let password = form.password.clone();
    let checked = state
        .sign_ins()
        .check_password(move || match found {
            Some(user) if verify_password(&user.password_hash, &password) => Some(user),
            Some(_) => None,
            // As long as a real check: a wrong name looks like a wrong password.
            None => {
                verify_nobody(&password);
                None
            }
        })
        .await;
    let Some(user) = checked else {
        let mut busy = again(
            StatusCode::SERVICE_UNAVAILABLE,
            vec![(
                None,
                "Too many people are signing in at this moment. Wait a few seconds, then try again."
                    .to_owned(),
            )],
        );
        busy.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("5"),
        );
        return busy;
    };
    let Some(user) = user else {
        // Already counted against the brakes when the attempt began.
        let actor = name.clone();
        if let Err(error) = state
            .with_store(move |store| Ok(record(store.as_ref(), &actor, AuditEvent::SignInRefused)?))
            .await
        {
            tracing::warn!(%error, "a refused sign-in could not be written to the audit log");
        }
        return again(
            StatusCode::UNAUTHORIZED,
            vec![(
                Some("name"),
                "The user name or password is not right".to_owned(),
            )],
        );
    };
    let (who, role, checked_hash) = (user.name.clone(), user.role, user.password_hash.clone());
    let started = state
        .sign_ins()
        .with_store(&state, move |store| {
            let store = store.as_ref();
            // The password was checked against the account as it was when the attempt
            // began: if its password or role changed meanwhile (on any collector), that
            // change ended every session of the account, and this one must not outlive it.
            let unchanged = store
                .user(&who)?
                .is_some_and(|now| now.password_hash == checked_hash && now.role == role);
            if !unchanged {
                return Ok(None);
            }
            sessions::succeeded(store, &attempt)?;
            let (secret, _) = sessions::start(store, &who, role, OffsetDateTime::now_utc())?;
            record(store, &who, AuditEvent::SignedIn)?;
            Ok(Some(secret))
        })
        .await;
    let secret = match started {
        Ok(Some(secret)) => secret,
        Ok(None) => {
            return again(
                StatusCode::UNAUTHORIZED,
                vec![(
                    Some("name"),
                    "The user name or password is not right".to_owned(),
                )],
            );
        }
        Err(error) => return AsPage(error).into_response(),
    };
    let mut response = Redirect::to(home_of(user.role)).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        set_cookie(
            session_cookie_name(secure),
            &secret,
            secure,
            Some(ABSOLUTE_TIMEOUT.as_secs()),
        ),
    );
    headers.append(
        header::SET_COOKIE,
        set_cookie(sign_in_cookie_name(secure), "", secure, Some(0)),
    );
    response
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/sign-out`
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    let secure = state.config().secure_cookies;
    let secret = cookie(&headers, session_cookie_name(secure)).map(str::to_owned);
    let actor = staff.name.clone();
    state
        .with_store(move |store| {
            if let Some(secret) = secret {
                sessions::end(store.as_ref(), &secret)?;
            }
            Ok(record(store.as_ref(), &actor, AuditEvent::SignedOut)?)
        })
        .await?;
    let mut response = Redirect::to("/admin/sign-in").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(session_cookie_name(secure), "", secure, Some(0)),
    );
    Ok(response)
}

fn status_words(status: &str) -> &'static str {
    match status {
        "open" => "Open",
        "closed" => "Closed",
        _ => "Not open yet",
    }
}

/// `GET /admin`: every survey with its counts.
pub async fn dashboard(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AsPage> {
    let surveys = summaries(&state).await?;
    let markup = page(
        "Surveys",
        Some(&staff),
        false,
        html! {
            h1 { "Surveys" }
            @if surveys.is_empty() {
                p { "No surveys are published yet." }
            } @else {
                div.table-wrap role="region" aria-label="Published surveys and their responses" tabindex="0" {
                    table {
                        caption.visually-hidden { "Published surveys and their responses" }
                        thead { tr {
                            th scope="col" { "Survey" }
                            th scope="col" { "Status" }
                            th scope="col" { "Versions" }
                            th scope="col" .num { "Responses" }
                            th scope="col" .num { "Last 7 days" }
                        } }
                        tbody {
                            @for survey in &surveys {
                                tr {
                                    th scope="row" {
                                        a href={ "/admin/surveys/" (survey.id) } { (survey.title) }
                                        br; span.id { (survey.id) }
                                    }
                                    td { (status_words(survey.status)) }
                                    td { @for (i, v) in survey.versions.iter().enumerate() { @if i > 0 { ", " } (v) } }
                                    td.num { (survey.responses.total) }
                                    td.num { (survey.responses.last_7_days) }
                                }
                            }
                        }
                    }
                }
            }
        },
    );
    Ok(respond(StatusCode::OK, markup))
}

pub(crate) fn channel_words(channel: &str) -> &'static str {
    match Channel::parse(channel) {
        Some(Channel::Online) => "Online",
        Some(Channel::Qr) => "QR code on a poster or flyer",
        Some(Channel::FaceToFace) => "Face to face",
        Some(Channel::Phone) => "Phone",
        Some(Channel::Paper) => "Paper",
        None => "Other",
    }
}

/// `GET /admin/surveys/{id}`: counts and the download form.
pub async fn survey(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AsPage> {
    survey_page(&state, &staff, &id, &ExportQuery::default(), None).await
}

/// Which download form field a refusal is about, and what to tell staff there.
fn download_problem(error: &OptionError) -> (&'static str, String) {
    match error {
        OptionError::Format { .. } => ("format-csv", "Choose a format".to_owned()),
        OptionError::Time { field: "to", .. } => (
            "to",
            "Enter the To date as a real date, like 2026-03-27".to_owned(),
        ),
        OptionError::Time { .. } => (
            "from",
            "Enter the From date as a real date, like 2026-03-27".to_owned(),
        ),
        OptionError::FromAfterTo { .. } => (
            "from",
            "The From date must be the same as or before the To date".to_owned(),
        ),
        OptionError::Version { .. } => ("version", "Choose a version".to_owned()),
        OptionError::Labels { .. } => ("labels", "Tick the box or leave it".to_owned()),
        OptionError::Headers { .. } => ("headers", "Tick the box or leave it".to_owned()),
    }
}

/// The survey's page again, its download form as it was sent and the problem marked at
/// its field: what a browser gets for a download refused (a From date after the To date),
/// instead of the API's JSON.
pub async fn survey_with_download_problem(
    state: &AppState,
    staff: &Staff,
    id: &str,
    query: &ExportQuery,
    error: &OptionError,
) -> Response {
    match survey_page(state, staff, id, query, Some(download_problem(error))).await {
        Ok(response) => response,
        Err(page) => page.into_response(),
    }
}

async fn survey_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    sent: &ExportQuery,
    problem: Option<(&'static str, String)>,
) -> Result<Response, AsPage> {
    let id = id.to_owned();
    let Some(published) = state.catalog().latest(&id) else {
        return Err(ApiError::NotFound(format!("there is no survey \"{id}\"")).into());
    };
    let versions: Vec<u32> = state
        .catalog()
        .versions(&id)
        .iter()
        .map(|p| p.survey.version())
        .collect();
    let now = OffsetDateTime::now_utc();
    let lookup = id.clone();
    let counts = state
        .with_store(move |store| Ok(count(store.as_ref(), &lookup, now)?))
        .await?;
    let survey = &published.survey;
    let told = state.catalog().told(&id);
    let title = survey.title().default_text().to_owned();
    let status = super::api::status_name(survey.window_at(now));
    let problems: Vec<(Option<&str>, String)> = problem
        .iter()
        .map(|(field, message)| (Some(*field), message.clone()))
        .collect();
    let error_at = |field: &str| {
        problem
            .as_ref()
            .filter(|(at, _)| *at == field)
            .map(|(_, message)| message.clone())
    };
    let sent_format = sent.format.as_deref().unwrap_or("csv");
    let page_title = if problem.is_some() {
        format!("Error: {title}")
    } else {
        title.clone()
    };
    let markup = page(
        &page_title,
        Some(staff),
        false,
        html! {
            (error_summary(&problems))
            p.id { "Survey " (survey.id()) }
            h1 { (title) }
            dl.summary {
                dt { "Status" } dd { (status_words(status)) }
                dt { "Versions" } dd { @for (i, v) in versions.iter().enumerate() { @if i > 0 { ", " } (v) } }
                @if let Some(at) = survey.opens_at() { dt { "Opens" } dd { (when(at)) } }
                @if let Some(at) = survey.closes_at() { dt { "Closes" } dd { (when(at)) } }
                dt { "Languages" }
                dd {
                    (crate::cli::language_name(survey.default_locale())) " (written in)"
                    @for gap in survey.translation_gaps() {
                        br;
                        (crate::cli::language_name(&gap.locale)) ": "
                        @if gap.missing.is_empty() {
                            "complete"
                        } @else {
                            strong { (gap.missing.len()) " of " (gap.total) " texts missing" }
                            " (readers see " (crate::cli::language_name(survey.default_locale())) " there)"
                        }
                    }
                }
                dt { "Responses kept" }
                dd { @if let Some(days) = survey.retention_days() { (days) " days, then erased" } @else { "Until erased" } }
            }
            h2 { "What people said" }
            p {
                a href={ "/admin/surveys/" (survey.id()) "/summary" } { "Summary of the answers" }
                " (counts and shares for each question, small numbers hidden: fit to share)"
            }
            p {
                a href={ "/admin/surveys/" (survey.id()) "/reach" } { "Who we heard from" }
                " (by channel, and each group beside the area's own share)"
            }
            h2 { "Reaching people" }
            p {
                a href={ "/admin/surveys/" (survey.id()) "/poster" } { "Poster and flyer" }
                " (to print, in any of the survey's languages, with a QR code to the survey)"
            }
            p {
                a href={ "/s/" (survey.id()) "/print" } { "Paper version" }
                " (every question numbered, to print and fill in with a pen; add ?lang= for another language)"
            }
            h2 { "What came of it" }
            p {
                a href={ "/admin/surveys/" (survey.id()) "/updates" } { "Updates for the public" }
                " (" (told.outcomes.updates().iter().filter(|u| u.is_published()).count()) " published, "
                (told.outcomes.updates().iter().filter(|u| !u.is_published()).count()) " drafts)"
            }
            h2 { "Responses" }
            div.table-wrap role="region" aria-label="Responses by channel" tabindex="0" {
                table {
                    caption.visually-hidden { "Responses by channel" }
                    thead { tr { th scope="col" { "Channel" } th scope="col" .num { "Responses" } } }
                    tbody {
                        @for (channel, n) in &counts.by_channel {
                            tr { th scope="row" { (channel_words(channel)) } td.num { (n) } }
                        }
                    }
                    tfoot {
                        tr { th scope="row" { "All channels" } td.num { (counts.total) } }
                        tr { th scope="row" { "In the last 7 days" } td.num { (counts.last_7_days) } }
                    }
                }
            }
            h2 #download-heading { "Download responses" }
            form.download method="get" novalidate action={ "/api/admin/surveys/" (survey.id()) "/responses" } aria-labelledby="download-heading" {
                fieldset {
                    legend { "Format" }
                    @for (value, label, hint) in [
                        (Format::Csv, "CSV", "opens in Excel; free text made safe from formulas"),
                        (Format::Xlsx, "Excel workbook (XLSX)", "with a sheet of the questions' full wording"),
                        (Format::Json, "JSON", "every response as stored, for analysis scripts"),
                        (Format::Ndjson, "NDJSON", "JSON, one response a line"),
                    ] {
                        div.choice {
                            input type="radio" name="format" id={ "format-" (value.extension()) } value=(value.extension()) checked[value.extension() == sent_format] aria-describedby={ "format-" (value.extension()) "-hint" };
                            label for={ "format-" (value.extension()) } { (label) }
                            span.hint id={ "format-" (value.extension()) "-hint" } { (hint) }
                        }
                    }
                }
                @for (field, label, hint) in [
                    ("from", "From (optional)", "The first day to include, like 2026-03-27"),
                    ("to", "To (optional)", "The last day to include"),
                ] {
                    @let error = error_at(field);
                    @let value = if field == "from" { sent.from.as_deref() } else { sent.to.as_deref() };
                    div.field.error[error.is_some()] {
                        label for=(field) { (label) }
                        span.hint id={ (field) "-hint" } { (hint) }
                        @if let Some(error) = &error {
                            span.error-message id={ (field) "-error" } { span.visually-hidden { "Error: " } (error) }
                        }
                        input id=(field) type="date" name=(field) value=[value]
                            aria-invalid=[error.as_ref().map(|_| "true")]
                            aria-describedby={ (field) "-hint" @if error.is_some() { " " (field) "-error" } };
                    }
                }
                @if versions.len() > 1 {
                    div.field {
                        label for="version" { "Version" }
                        select #version name="version" {
                            option value="" { "All versions" }
                            @for v in &versions { option value=(v) { "Version " (v) } }
                        }
                    }
                }
                div.choice {
                    input #labels type="checkbox" name="labels" value="true" checked[sent.labels.as_deref() == Some("true")];
                    label for="labels" { "Show answer labels instead of codes (CSV and XLSX)" }
                }
                div.choice {
                    input #headers type="checkbox" name="headers" value="labels" checked[sent.headers.as_deref() == Some("labels")];
                    label for="headers" { "Head the columns with the questions' wording instead of their ids (CSV and XLSX)" }
                }
                button type="submit" { "Download" }
            }
        },
    );
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok(respond(status, markup))
}

fn publish_page(
    staff: &Staff,
    problems: &[(Option<&str>, String)],
    done: Option<Markup>,
) -> Markup {
    page(
        "Publish a survey",
        Some(staff),
        !problems.is_empty(),
        html! {
            h1 { "Publish a survey" }
            (error_summary(problems))
            @if let Some(done) = done { (done) }
            p { "Upload a survey definition (a JSON file). A new version keeps the older ones answerable; a version already published cannot be changed." }
            form method="post" novalidate action="/admin/publish" enctype="multipart/form-data" {
                (csrf_field(staff))
                div.field {
                    label for="definition" { "Survey definition" }
                    input #definition type="file" name="definition" accept=".json,application/json" required;
                }
                button type="submit" { "Publish" }
            }
        },
    )
}

/// `GET /admin/publish`
pub async fn publish_form(Extension(staff): Extension<Staff>) -> Response {
    respond(StatusCode::OK, publish_page(&staff, &[], None))
}

/// `POST /admin/publish` (multipart: `csrf`, then `definition`).
pub async fn publish_upload(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    mut multipart: Multipart,
) -> Result<Response, AsPage> {
    let definition = super::html::read_upload(&staff, &mut multipart, "definition").await?;
    let problem = |message: String| -> Result<Response, AsPage> {
        Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            publish_page(&staff, &[(Some("definition"), message)], None),
        ))
    };
    let Some(bytes) = definition else {
        return problem("Choose a survey definition file to upload".into());
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return problem("The file is not UTF-8 text: save the definition as UTF-8 JSON".into());
    };
    match actions::publish(&state, &staff, text, None).await {
        Ok((outcome, survey)) => {
            let message = match outcome {
                PublishOutcome::Published => "is published",
                PublishOutcome::AlreadyPublished => "was already published, unchanged",
            };
            let done = html! {
                div.notice role="status" {
                    p { "Survey " a href={ "/admin/surveys/" (survey.id()) } { (survey.id()) } " version " (survey.version()) " " (message) "." }
                }
            };
            Ok(respond(
                StatusCode::OK,
                publish_page(&staff, &[], Some(done)),
            ))
        }
        Err(ApiError::InvalidSurvey(problems)) => {
            let listed: Vec<(Option<&str>, String)> = problems
                .iter()
                .map(|p| {
                    (
                        Some("definition"),
                        if p.path().is_empty() {
                            p.message().to_owned()
                        } else {
                            format!("{}: {}", p.path(), p.message())
                        },
                    )
                })
                .collect();
            Ok(respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                publish_page(&staff, &listed, None),
            ))
        }
        Err(error @ (ApiError::VersionConflict(_) | ApiError::BadRequest { .. })) => Ok(respond(
            error.status_code(),
            publish_page(&staff, &[(Some("definition"), error.to_string())], None),
        )),
        Err(error) => Err(error.into()),
    }
}

fn erase_page(
    staff: &Staff,
    receipt: &str,
    problems: &[(Option<&str>, String)],
    done: Option<Markup>,
) -> Markup {
    page(
        "Erase a response",
        Some(staff),
        !problems.is_empty(),
        html! {
            h1 { "Erase a response" }
            (error_summary(problems))
            @if let Some(done) = done { (done) }
            p { "When someone asks for their answers to be deleted, enter the receipt number they were given. The response is removed from the store and from every later download. This cannot be undone." }
            form method="post" novalidate action="/admin/erase" {
                (csrf_field(staff))
                div.field {
                    label for="receipt" { "Receipt number" }
                    span.hint #receipt-hint { "8 letters and numbers, like K7QF-3MXD" }
                    input #receipt type="text" name="receipt" value=(receipt) autocomplete="off"
                        autocapitalize="characters" spellcheck="false" aria-describedby="receipt-hint" required;
                }
                div.choice {
                    input #confirm type="checkbox" name="confirm" value="yes";
                    label for="confirm" { "I understand the response will be erased for good" }
                }
                button.danger type="submit" { "Erase response" }
            }
        },
    )
}

/// `GET /admin/erase`
pub async fn erase_form(Extension(staff): Extension<Staff>) -> Response {
    respond(StatusCode::OK, erase_page(&staff, "", &[], None))
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /admin/erase`
pub async fn erase(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(form): Form<EraseForm>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    let receipt = form.receipt.trim();
    let mut problems = Vec::new();
    if receipt.is_empty() {
        problems.push((Some("receipt"), "Enter the receipt number".to_owned()));
    }
    if form.confirm.as_deref() != Some("yes") {
        problems.push((
            Some("confirm"),
            "Tick the box to confirm the response should be erased".to_owned(),
        ));
    }
    if !problems.is_empty() {
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            erase_page(&staff, receipt, &problems, None),
        ));
    }
    match actions::erase(&state, &staff, receipt).await {
        Ok(erased) => {
            let done = html! {
                div.notice role="status" {
                    p { "Response " (erased.receipt) " to survey " (erased.survey_id) ", sent "
                        (when(erased.submitted_at)) ", is erased." }
                }
            };
            Ok(respond(
                StatusCode::OK,
                erase_page(&staff, "", &[], Some(done)),
            ))
        }
        Err(error @ ApiError::NotFound(_)) => Ok(respond(
            StatusCode::NOT_FOUND,
            erase_page(
                &staff,
                receipt,
                &[(Some("receipt"), error.to_string())],
                None,
            ),
        )),
        Err(error) => Err(error.into()),
    }
}

fn describe(event: &AuditEvent) -> String {
    match event {
        AuditEvent::SignedIn => "signed in".into(),
        AuditEvent::SignInRefused => "sign-in refused (wrong user name or password)".into(),
        AuditEvent::SignedOut => "signed out".into(),
        AuditEvent::Downloaded {
            survey,
            format,
            rows,
        } => {
            format!("downloaded {rows} responses to {survey} as {format}")
        }
        AuditEvent::Erased { survey, receipt } => format!("erased response {receipt} to {survey}"),
        AuditEvent::Withdrawn { survey, receipt } => {
            format!("response {receipt} to {survey} withdrawn by the person who sent it")
        }
        AuditEvent::Published { survey, version } => {
            format!("published {survey} version {version}")
        }
        AuditEvent::Purged {
            survey,
            rows,
            retention_days,
        } => {
            format!("erased {rows} responses to {survey} older than {retention_days} days")
        }
        AuditEvent::UserAdded {
            user,
            role,
            surveys,
        } if surveys.is_empty() => format!("added user {user} ({})", role.as_str()),
        AuditEvent::UserAdded {
            user,
            role,
            surveys,
        } => format!(
            "added user {user} ({}, for {})",
            role.as_str(),
            surveys.join(", ")
        ),
        AuditEvent::CollectionStarted {
            survey,
            channel,
            credential,
        } => format!(
            "started collecting responses to {survey} ({}) on a device, credential {credential}",
            channel.as_str()
        ),
        AuditEvent::Collected {
            survey,
            receipt,
            channel,
        } => format!(
            "collected response {receipt} to {survey} ({})",
            channel.as_str()
        ),
        AuditEvent::CollectionRevoked { credential } => {
            format!("revoked collection credential {credential}")
        }
        AuditEvent::TokenCreated { token, role } => {
            format!("created token {token} ({})", role.as_str())
        }
        AuditEvent::TokenRevoked { token } => format!("revoked token {token}"),
        AuditEvent::UserRemoved { user } => format!("removed user {user}"),
        AuditEvent::UpdatesChanged {
            survey,
            updates,
            published,
        } => format!("changed the updates of {survey}: {updates} in all, {published} published"),
        AuditEvent::PopulationLoaded { survey, groups } => {
            format!("loaded the area's figures for {survey}: {groups} groups")
        }
        AuditEvent::PicturePublished { survey, file } => {
            format!("published the picture {file} of {survey}")
        }
    }
}

/// `GET /admin/audit`: the newest 500 entries.
pub async fn audit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AsPage> {
    let entries = state.with_store(|store| Ok(store.audit(500)?)).await?;
    let markup = page(
        "Audit log",
        Some(&staff),
        false,
        html! {
            h1 { "Audit log" }
            p { "Sign-ins, downloads, publishing and erasures, newest first (the latest 500)." }
            div.table-wrap role="region" aria-label="Audit log, newest first" tabindex="0" {
                table {
                    caption.visually-hidden { "Audit log, newest first" }
                    thead { tr { th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "What" } } }
                    tbody {
                        @for entry in &entries {
                            tr {
                                td { (when(entry.at)) }
                                td { (entry.actor) }
                                td { (describe(&entry.event)) }
                            }
                        }
                    }
                }
            }
        },
    );
    Ok(respond(StatusCode::OK, markup))
}
