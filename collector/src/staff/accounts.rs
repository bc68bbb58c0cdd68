//! `/admin/accounts`: admins add and remove staff and create and revoke
//! tokens while the collector runs (the command line needs it stopped, since
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
use crate::store::{Role, StaffToken, StaffUser};

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin: also publishes, erases, manages accounts",
        Role::Analyst => "Analyst: sees counts, downloads responses",
    }
}

fn role_choice(prefix: &str) -> Markup {
    html! {
        fieldset {
            legend { "Role" }
            @for role in [Role::Analyst, Role::Admin] {
                div.choice {
                    input type="radio" name="role" id={ (prefix) "-role-" (role.as_str()) } value=(role.as_str()) checked[role == Role::Analyst];
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
    rows: impl Iterator<Item = (&'a str, Role, time::OffsetDateTime)>,
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
                            td { (role.as_str()) }
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

fn accounts_page(
    staff: &Staff,
    users: &[StaffUser],
    tokens: &[StaffToken],
    problems: &[(Option<&str>, String)],
    done: Option<Markup>,
) -> Markup {
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
                users.iter().map(|u| (u.name.as_str(), u.role, u.created_at)),
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
                (role_choice("user"))
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
                tokens.iter().map(|t| (t.name.as_str(), t.role, t.created_at)),
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
                (role_choice("token"))
                button type="submit" { "Create token" }
            }
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
    let (users, tokens) = state
        .with_store(|store| Ok((store.users()?, store.tokens()?)))
        .await?;
    Ok(respond(
        status,
        accounts_page(staff, &users, &tokens, problems, done),
    ))
}

fn notice(text: String) -> Markup {
    html! { div.notice role="status" { p { (text) } } }
}

fn parse_role(raw: &str) -> Role {
    if raw == "admin" {
        Role::Admin
    } else {
        Role::Analyst
    }
}

/// `GET /admin/accounts`
pub async fn accounts(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AsPage> {
    render(&state, &staff, StatusCode::OK, &[], None).await
}

#[derive(Debug, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/accounts/users`: add someone or reset their password and role.
pub async fn save_user(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Form(form): Form<UserForm>,
) -> Result<Response, AsPage> {
    staff.check_csrf(&form.csrf)?;
    let name = form.name.trim().to_owned();
    let role = parse_role(&form.role);
    let actor = staff.name.clone();
    let password = form.password;
    let who = name.clone();
    let saved = state
        .with_store(move |store| {
            Ok(actions::add_user(
                store.as_ref(),
                &actor,
                &who,
                role,
                &password,
            ))
        })
        .await?;
    match saved {
        Ok(replaced) => {
            // A new password or role takes effect at once, not at their next sign-in.
            state.staff_sessions().end_all_for(&name);
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
    state.staff_sessions().end_all_for(&form.name);
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
