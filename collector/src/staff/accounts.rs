//! `/admin/accounts`: admins add and remove staff (interviewers with the surveys they
//! collect for), create and revoke tokens, and revoke the credentials of devices
//! collecting responses, while the collector runs (the command line needs it stopped, since
//! only one process may open the data directory).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use super::actions::{self, AccountError};
use super::credentials::MIN_PASSWORD_CHARS;
use super::guard::Staff;
use super::html::{AsPage, csrf_field, error_summary, page, respond, when};
use crate::AppState;
use crate::error::ApiError;
use crate::store::{Collection, Role, StaffToken, StaffUser};

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin: also publishes, erases, manages accounts",
        Role::Analyst => "Analyst: sees counts, downloads responses",
        Role::Interviewer => {
            "Interviewer: records answers with people for the surveys ticked below, and nothing else"
        }
    }
}

/// The role radios; `default` checked (none for people: a new password must not quietly
/// change what someone may do).
fn role_choice(prefix: &str, roles: &[Role], default: Option<Role>) -> Markup {
    html! {
        fieldset {
            legend { "Role" }
            @for &role in roles {
                div.choice {
                    input type="radio" name="role" id={ (prefix) "-role-" (role.as_str()) } value=(role.as_str()) checked[Some(role) == default];
                    label for={ (prefix) "-role-" (role.as_str()) } { (role_words(role)) }
                }
            }
        }
    }
}

/// A table of named accounts or tokens, each row with a button that posts its
/// name to `action` (remove, revoke) where `removable` allows.
fn people_table<'a>(
    staff: &Staff,
    label: &str,
    created: &str,
    rows: impl Iterator<Item = (&'a str, String, time::OffsetDateTime)>,
    removable: impl Fn(&str) -> bool,
    (action, verb): (&str, &str),
) -> Markup {
    html! {
        div.table-wrap role="region" aria-label=(label) tabindex="0" {
            table {
                caption.visually-hidden { (label) }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { (created) } th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody {
                    @for (name, role, at) in rows {
                        tr {
                            th scope="row" { (name) }
                            td { (role) }
                            td { (when(at)) }
                            td {
                                @if removable(name) {
                                    form method="post" novalidate action=(action) {
                                        (csrf_field(staff))
                                        input type="hidden" name="name" value=(name);
                                        button.danger type="submit" { (verb) " " span.visually-hidden { (name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A user's role as the table shows it: an interviewer's with its surveys.
fn role_of(user: &StaffUser) -> String {
    if user.surveys.is_empty() {
        user.role.as_str().to_owned()
    } else {
        format!("{} ({})", user.role.as_str(), user.surveys.join(", "))
    }
}

fn survey_choice(surveys: &[(String, String)]) -> Markup {
    html! {
        fieldset aria-describedby="user-surveys-hint" {
            legend { "Surveys an interviewer collects for" }
            p.hint #user-surveys-hint { "Only for the interviewer role: analysts and admins may collect for every survey." }
            @if surveys.is_empty() {
                // The error summary's link lands here when there is nothing to tick.
                p #user-surveys tabindex="-1" { "No survey is published yet." }
            }
            @for (index, (id, title)) in surveys.iter().enumerate() {
                @let field = if index == 0 { "user-surveys".to_owned() } else { format!("user-surveys-{index}") };
                div.choice {
                    input type="checkbox" name="surveys" id=(field) value=(id);
                    label for=(field) { (title) " (" (id) ")" }
                }
            }
        }
    }
}

/// The devices that may send responses recorded with people now, each revocable.
fn collections_table(staff: &Staff, collections: &[Collection]) -> Markup {
    let now = time::OffsetDateTime::now_utc();
    let live: Vec<&Collection> = collections
        .iter()
        .filter(|c| c.revoked_at.is_none() && c.expires_at > now)
        .collect();
    html! {
        h2 { "Devices collecting responses" }
        p { "Each device staff start collecting on can send what it records for a few days. Revoke one that is lost, or no longer used: what it sends is refused from then on." }
        @if live.is_empty() {
            p { "No device is collecting responses now." }
        } @else {
            div.table-wrap role="region" aria-label="Devices collecting responses" tabindex="0" {
                table {
                    caption.visually-hidden { "Devices collecting responses" }
                    thead { tr {
                        th scope="col" { "Credential" } th scope="col" { "Who" } th scope="col" { "Survey" }
                        th scope="col" { "How" } th scope="col" { "Started (UTC)" } th scope="col" { "Expires (UTC)" }
                        th scope="col" { span.visually-hidden { "Actions" } }
                    } }
                    tbody {
                        @for collection in live {
                            @let short = Collection::short_id(&collection.id);
                            tr {
                                th scope="row" { code { (short) } }
                                td { (collection.user) }
                                td { (collection.survey_id) }
                                td { (collection.channel.as_str()) }
                                td { (when(collection.issued_at)) }
                                td { (when(collection.expires_at)) }
                                td {
                                    form method="post" novalidate action="/admin/accounts/collections/revoke" {
                                        (csrf_field(staff))
                                        input type="hidden" name="name" value=(collection.id);
                                        button.danger type="submit" { "Revoke " span.visually-hidden { (collection.user) "'s device " (short) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What the accounts page lists.
struct Listed {
    users: Vec<StaffUser>,
    tokens: Vec<StaffToken>,
    collections: Vec<Collection>,
    /// Published surveys, id and title, for an interviewer's.
    surveys: Vec<(String, String)>,
}

fn accounts_page(
    staff: &Staff,
    listed: &Listed,
    problems: &[(Option<&str>, String)],
    done: Option<Markup>,
) -> Markup {
    let Listed {
        users,
        tokens,
        collections,
        surveys,
    } = listed;
    page(
        "Accounts and tokens",
        Some(staff),
        !problems.is_empty(),
        html! {
            h1 { "Accounts and tokens" }
            (error_summary(problems))
            @if let Some(done) = done { (done) }
            h2 { "Staff" }
            (people_table(
                staff,
                "Staff who can sign in",
                "Added (UTC)",
                users.iter().map(|u| (u.name.as_str(), role_of(u), u.created_at)),
                |name| name != staff.name,
                ("/admin/accounts/users/remove", "Remove"),
            ))
            h3 { "Add someone, or set a new password" }
            form method="post" novalidate action="/admin/accounts/users" {
                (csrf_field(staff))
                div.field {
                    label for="user-name" { "User name" }
                    input #user-name type="text" name="name" autocomplete="off" autocapitalize="none" spellcheck="false" required;
                }
                (role_choice("user", &[Role::Analyst, Role::Admin, Role::Interviewer], None))
                (survey_choice(surveys))
                div.field {
                    label for="user-password" { "Password" }
                    span.hint #user-password-hint { "At least " (MIN_PASSWORD_CHARS) " characters. Give it to them in person or by phone, not by email." }
                    input #user-password type="password" name="password" autocomplete="new-password" aria-describedby="user-password-hint" required;
                }
                button type="submit" { "Save account" }
            }
            h2 { "Tokens for scripts" }
            p { "A script sends its token as " code { "Authorization: Bearer TOKEN" } " to the /api/admin addresses." }
            (people_table(
                staff,
                "Tokens",
                "Created (UTC)",
                tokens.iter().map(|t| (t.name.as_str(), t.role.as_str().to_owned(), t.created_at)),
                |_| true,
                ("/admin/accounts/tokens/revoke", "Revoke"),
            ))
            h3 { "Create a token" }
            form method="post" novalidate action="/admin/accounts/tokens" {
                (csrf_field(staff))
                div.field {
                    label for="token-name" { "What it is for" }
                    span.hint #token-name-hint { "A short name, like nightly-report" }
                    input #token-name type="text" name="name" autocomplete="off" aria-describedby="token-name-hint" required;
                }
                (role_choice("token", &[Role::Analyst, Role::Admin], Some(Role::Analyst)))
                button type="submit" { "Create token" }
            }
            (collections_table(staff, collections))
        },
    )
}

async fn render(
    state: &AppState,
    staff: &Staff,
    status: StatusCode,
    problems: &[(Option<&str>, String)],
    done: Option<Markup>,
) -> Result<Response, AsPage> {
    let (users, tokens, collections) = state
        .with_store(|store| Ok((store.users()?, store.tokens()?, store.collections()?)))
        .await?;
    let mut surveys: Vec<(String, String)> = state
        .catalog()
        .newest_of_each()
        .iter()
        .map(|p| {
            (
                p.survey.id().to_owned(),
                p.survey.title().default_text().to_owned(),
            )
        })
        .collect();
    surveys.sort();
    let listed = Listed {
        users,
        tokens,
        collections,
        surveys,
    };
    Ok(respond(
        status,
        accounts_page(staff, &listed, problems, done),
    ))
}

fn notice(text: String) -> Markup {
    html! { div.notice role="status" { p { (text) } } }
}

fn parse_role(raw: &str) -> Role {
    match raw {
        "admin" => Role::Admin,
        "interviewer" => Role::Interviewer,
        _ => Role::Analyst,
    }
}

/// `GET /admin/accounts`
pub async fn accounts(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AsPage> {
    render(&state, &staff, StatusCode::OK, &[], None).await
}

/// `POST /admin/accounts/users`: add someone or reset their password, role and surveys.
/// Read as pairs, since an interviewer's surveys come as one field each.
pub async fn save_user(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AsPage> {
    let field = |wanted: &str| {
        fields
            .iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    };
    staff.check_csrf(field("csrf"))?;
    let name = field("name").trim().to_owned();
    if !matches!(field("role"), "analyst" | "admin" | "interviewer") {
        return render(
            &state,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            &[(
                Some("user-role-analyst"),
                "Choose a role: analyst, admin or interviewer".to_owned(),
            )],
            None,
        )
        .await;
    }
    let role = parse_role(field("role"));
    let surveys: Vec<String> = fields
        .iter()
        .filter(|(name, _)| name == "surveys")
        .map(|(_, value)| value.clone())
        .collect();
    let actor = staff.name.clone();
    let password = field("password").to_owned();
    let who = name.clone();
    let saved = state
        .with_store(move |store| {
            Ok(actions::add_user(
                store.as_ref(),
                &actor,
                &who,
                role,
                &surveys,
                &password,
            ))
        })
        .await?;
    match saved {
        Ok(replaced) => {
            let text = if replaced {
                format!(
                    "{name} has a new password and the {} role; they need to sign in again.",
                    role.as_str()
                )
            } else {
                format!("{name} can now sign in, with the {} role.", role.as_str())
            };
            render(&state, &staff, StatusCode::OK, &[], Some(notice(text))).await
        }
        Err(AccountError::Store(error)) => Err(AsPage(error.into())),
        Err(error @ AccountError::BadName(_)) => {
            render(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &[(Some("user-name"), error.to_string())],
                None,
            )
            .await
        }
        Err(
            error @ (AccountError::NoSurveys
            | AccountError::SurveysForOtherRole
            | AccountError::NoSuchSurvey(_)),
        ) => {
            render(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &[(Some("user-surveys"), error.to_string())],
                None,
            )
            .await
        }
        Err(error) => {
            render(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &[(Some("user-password"), error.to_string())],
                None,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/accounts/users/remove`
pub async fn remove_user(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(form): Form<NameForm>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    if form.name == staff.name {
        return Err(AsPage(ApiError::Forbidden(
            "you cannot remove your own account; ask another admin".into(),
        )));
    }
    let actor = staff.name.clone();
    let name = form.name.clone();
    let removed = state
        .with_store(move |store| {
            actions::remove_user(store.as_ref(), &actor, &name).map_err(ApiError::from)
        })
        .await?;
    let text = if removed {
        format!("{} is removed and signed out.", form.name)
    } else {
        format!("There was no account called {}.", form.name)
    };
    render(&state, &staff, StatusCode::OK, &[], Some(notice(text))).await
}

/// `POST /admin/accounts/tokens`: the token is shown on the page, once.
pub async fn create_token(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(form): Form<NameForm>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    let name = form.name.trim().to_owned();
    let role = parse_role(&form.role);
    let actor = staff.name.clone();
    let who = name.clone();
    let created = state
        .with_store(move |store| Ok(actions::create_token(store.as_ref(), &actor, &who, role)))
        .await?;
    match created {
        Ok(token) => {
            let done = html! {
                div.notice role="status" {
                    p { "Token " strong { (name) } " (" (role.as_str()) ") is created. Copy it now: it is shown this once, and only a hash of it is kept." }
                    p { code.token { (token) } }
                }
            };
            render(&state, &staff, StatusCode::OK, &[], Some(done)).await
        }
        Err(AccountError::Store(error)) => Err(AsPage(error.into())),
        Err(error) => {
            render(
                &state,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                &[(Some("token-name"), error.to_string())],
                None,
            )
            .await
        }
    }
}

/// `POST /admin/accounts/tokens/revoke`
pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(form): Form<NameForm>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    let actor = staff.name.clone();
    let name = form.name.clone();
    let revoked = state
        .with_store(move |store| {
            actions::revoke_token(store.as_ref(), &actor, &name).map_err(ApiError::from)
        })
        .await?;
    let text = if revoked {
        format!("Token {} is revoked.", form.name)
    } else {
        format!("There was no token called {}.", form.name)
    };
    render(&state, &staff, StatusCode::OK, &[], Some(notice(text))).await
}

/// `POST /admin/accounts/collections/revoke`: a device's collection credential (its id in
/// `name`).
pub async fn revoke_collection(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(form): Form<NameForm>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    let actor = staff.name.clone();
    let id = form.name.clone();
    let revoked = state
        .with_store(move |store| Ok(actions::revoke_collection(store.as_ref(), &actor, &id)?))
        .await?;
    let short = Collection::short_id(&form.name);
    let text = if revoked {
        format!("The device with credential {short} can no longer send responses.")
    } else {
        format!("There was no credential {short} in use.")
    };
    render(&state, &staff, StatusCode::OK, &[], Some(notice(text))).await
}
