//! The staff pages for a survey's updates (`/admin/surveys/{id}/updates`): what came of the
//! survey, written stage by stage (open, closed, looking at what you said, what we did) in
//! each of its languages, kept as drafts until published. Forms without JavaScript; every
//! rule is the one `PUT /api/admin/surveys/{id}/outcomes` applies, read by `shared`.

use axum::Form;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::{Map, Value, json};
use voices_shared::outcomes::{MAX_PAIRS, Outcomes, Stage, Update};
use voices_shared::{CalendarDate, Survey, SurveyProblem};

use super::actions;
use super::guard::Staff;
use super::html::{AsPage, csrf_field, error_summary, page, respond};
use crate::AppState;
use crate::error::ApiError;
use crate::store::Role;

/// What staff call each stage.
fn stage_words(stage: Stage) -> &'static str {
    match stage {
        Stage::Open => "Open: taking views",
        Stage::Closed => "Closed",
        Stage::Reviewing => "Looking at what people said",
        Stage::WhatWeDid => "What we did",
    }
}

fn language_name(locale: &str) -> String {
    voices_widget::locale::endonym(locale)
}

fn list_page(
    staff: &Staff,
    survey: &Survey,
    outcomes: &Outcomes,
    done: Option<&str>,
    by_email: u64,
) -> Markup {
    let id = survey.id();
    let title = survey.title().default_text();
    let mut updates: Vec<(usize, &Update)> = outcomes.updates().iter().enumerate().collect();
    updates.sort_by(|(i, a), (j, b)| b.date().cmp(&a.date()).then(j.cmp(i)));
    page(
        &format!("Updates: {title}"),
        Some(staff),
        false,
        html! {
            p.id { a href={ "/admin/surveys/" (id) } { "Survey " (id) } }
            h1 { "Updates: " (title) }
            @if let Some(done) = done { div.notice role="status" { p { (done) } } }
            p { "Tell people what came of what they said: that the survey has closed, that you are looking at the answers, and what you did. Published updates show on "
                a href={ "/s/" (id) "/updates" } { "the survey's updates page" }
                ", in its feed ("
                a href={ "/s/" (id) "/updates.atom" } { "Atom" }
                ") and in the widget; drafts show only here." }
            @if survey.updates_by_email() {
                p { (by_email) @if by_email == 1 { " person has" } @else { " people have" }
                    " asked to be emailed each published update. Their addresses are kept apart from the responses; no one can see or download them, and each is deleted once the final update (what we did) has been sent to it, or at the survey's retention period." }
            }
            @if staff.role == Role::Admin {
                p { a.button href={ "/admin/surveys/" (id) "/updates/new" } { "Write an update" } }
            }
            @if updates.is_empty() {
                p { "No updates yet." }
            } @else {
                div.table-wrap role="region" aria-label="Updates" tabindex="0" {
                    table {
                        caption.visually-hidden { "Updates, newest first" }
                        thead { tr {
                            th scope="col" { "Date" }
                            th scope="col" { "Stage" }
                            th scope="col" { "Headline" }
                            th scope="col" { "Shown to the public" }
                        } }
                        tbody {
                            @for (_, update) in &updates {
                                tr {
                                    td { (update.date()) }
                                    td { (stage_words(update.stage())) }
                                    th scope="row" {
                                        @if staff.role == Role::Admin {
                                            a href={ "/admin/surveys/" (id) "/updates/" (update.id()) } { (update.headline().default_text()) }
                                        } @else {
                                            (update.headline().default_text())
                                        }
                                    }
                                    td { @if update.is_published() { "Published" } @else { "Draft" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What the form holds, field by field (`headline-en`, `you_said-0-gd`, ...).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// An update as its form shows it.
    fn of(update: &Update, survey: &Survey) -> Fields {
        let mut fields = vec![
            ("stage".to_owned(), update.stage().as_str().to_owned()),
            ("date".to_owned(), update.date().to_string()),
            (
                "link".to_owned(),
                update.link().unwrap_or_default().to_owned(),
            ),
        ];
        if update.is_published() {
            fields.push(("published".to_owned(), "yes".to_owned()));
        }
        for locale in survey.locales() {
            let translated = |text: &voices_shared::Text| {
                if text.has_translation(locale) {
                    text.get(locale).to_owned()
                } else {
                    String::new()
                }
            };
            fields.push((format!("headline-{locale}"), translated(update.headline())));
            fields.push((format!("body-{locale}"), translated(update.body())));
            for (i, pair) in update.you_said_we_did().iter().enumerate() {
                fields.push((
                    format!("you_said-{i}-{locale}"),
                    translated(pair.you_said()),
                ));
                fields.push((format!("we_did-{i}-{locale}"), translated(pair.we_did())));
            }
        }
        Fields(fields)
    }

    /// How many pair rows the form shows: those filled in, and two more to fill.
    fn pair_rows(&self) -> usize {
        let filled = (0..MAX_PAIRS)
            .rev()
            .find(|i| {
                self.0.iter().any(|(name, value)| {
                    !value.trim().is_empty()
                        && (name.starts_with(&format!("you_said-{i}-"))
                            || name.starts_with(&format!("we_did-{i}-")))
                })
            })
            .map_or(0, |i| i + 1);
        (filled + 2).clamp(3, MAX_PAIRS)
    }

    /// The update these fields describe, as the outcomes format writes it (blank
    /// translations and blank pairs left out), under `id`.
    fn to_json(&self, survey: &Survey, id: &str) -> Value {
        let text = |field: &str| -> Value {
            let mut map = Map::new();
            for locale in survey.locales() {
                let value = self.get(&format!("{field}-{locale}")).trim();
                if !value.is_empty() {
                    map.insert(locale.clone(), Value::String(value.replace("\r\n", "\n")));
                }
            }
            Value::Object(map)
        };
        let mut update = json!({
            "id": id,
            "stage": self.get("stage"),
            "date": self.get("date").trim(),
            "published": self.get("published") == "yes",
            "headline": text("headline"),
            "body": text("body"),
        });
        let link = self.get("link").trim();
        if !link.is_empty() {
            update["link"] = Value::String(link.to_owned());
        }
        let pairs: Vec<Value> = (0..self.pair_rows())
            .filter_map(|i| {
                let you_said = text(&format!("you_said-{i}"));
                let we_did = text(&format!("we_did-{i}"));
                let blank = |v: &Value| v.as_object().is_none_or(Map::is_empty);
                if blank(&you_said) && blank(&we_did) {
                    return None;
                }
                let mut pair = Map::new();
                if !blank(&you_said) {
                    pair.insert("you_said".into(), you_said);
                }
                if !blank(&we_did) {
                    pair.insert("we_did".into(), we_did);
                }
                Some(Value::Object(pair))
            })
            .collect();
        if !pairs.is_empty() {
            update["you_said_we_did"] = Value::Array(pairs);
        }
        update
    }
}

/// A problem the parser found in one update (its path below `updates[n]`), as the field
/// it belongs to and a sentence naming that field.
fn problem_in_form(problem: &SurveyProblem, survey: &Survey) -> (Option<String>, String) {
    let default = survey.default_locale();
    let path = problem
        .path()
        .split_once("].")
        .map_or(problem.path(), |(_, rest)| rest);
    let mut parts = path.split('.');
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let locale_of = |rest: &[&str]| rest.first().copied().unwrap_or(default).to_owned();
    // Each field: its id, its label, and what to ask for when its text is missing.
    let (field, label, ask) = match first {
        "stage" => ("stage-open".to_owned(), "Stage".to_owned(), None),
        "date" => ("date".to_owned(), "Date".to_owned(), None),
        "link" => (
            "link".to_owned(),
            "Link to the full report".to_owned(),
            None,
        ),
        "headline" | "body" => {
            let locale = locale_of(&rest);
            let language = language_name(&locale);
            let (what, ask) = if first == "headline" {
                ("Headline", "the headline")
            } else {
                ("What to say", "what to say")
            };
            (
                format!("{first}-{locale}"),
                format!("{what} ({language})"),
                Some(format!("Enter {ask} in {language}")),
            )
        }
        pairs if pairs.starts_with("you_said_we_did") => {
            let index: usize = pairs
                .split_once('[')
                .and_then(|(_, i)| i.trim_end_matches(']').parse().ok())
                .unwrap_or(0);
            let side = rest.first().copied().unwrap_or("you_said");
            let locale = rest.get(1).copied().unwrap_or(default).to_owned();
            let language = language_name(&locale);
            let (what, ask) = if side == "we_did" {
                ("We did", "what you did")
            } else {
                ("You said", "what people said")
            };
            (
                format!("{side}-{index}-{locale}"),
                format!("{what} {} ({language})", index + 1),
                Some(format!("Enter {ask} for pair {} in {language}", index + 1)),
            )
        }
        _ => ("stage-open".to_owned(), "This update".to_owned(), None),
    };
    // Missing text is asked for in a form's words, not the format's.
    let message = problem.message();
    let missing = message.starts_with("has no ")
        || message == "must not be empty"
        || message == "is required but missing";
    match ask {
        Some(ask) if missing => (Some(field), ask),
        _ => (Some(field), format!("{label}: {message}")),
    }
}

fn form_page(
    staff: &Staff,
    survey: &Survey,
    editing: Option<&str>,
    fields: &Fields,
    problems: &[(Option<String>, String)],
) -> Markup {
    let id = survey.id();
    let title = match editing {
        Some(_) => "Change an update",
        None => "Write an update",
    };
    let action = match editing {
        Some(update) => format!("/admin/surveys/{id}/updates/{update}"),
        None => format!("/admin/surveys/{id}/updates/new"),
    };
    let borrowed: Vec<(Option<&str>, String)> = problems
        .iter()
        .map(|(field, message)| (field.as_deref(), message.clone()))
        .collect();
    let error_for = |field: &str| -> Option<&str> {
        problems
            .iter()
            .find(|(f, _)| f.as_deref() == Some(field))
            .map(|(_, m)| m.as_str())
    };
    let default = survey.default_locale();
    let rows = fields.pair_rows();
    let stage = Stage::from_name(fields.get("stage"));
    page(
        &format!("{title}: {}", survey.title().default_text()),
        Some(staff),
        !problems.is_empty(),
        html! {
            p.id { a href={ "/admin/surveys/" (id) "/updates" } { "Updates: " (survey.title().default_text()) } }
            h1 { (title) }
            (error_summary(&borrowed))
            form method="post" novalidate action=(action) {
                (csrf_field(staff))
                fieldset {
                    legend { "Stage" }
                    @for (i, s) in Stage::ALL.iter().enumerate() {
                        div.choice {
                            input type="radio" name="stage" id={ "stage-" (s.as_str().replace('_', "-")) }
                                value=(s.as_str()) checked[stage == Some(*s) || (stage.is_none() && i == 0)];
                            label for={ "stage-" (s.as_str().replace('_', "-")) } { (stage_words(*s)) }
                        }
                    }
                }
                (field(
                    "date",
                    "Date",
                    Some("The day this update is about, like 2027-03-01"),
                    html! { input #date type="date" name="date" value=(fields.get("date")) required
                        aria-describedby="date-hint" aria-invalid=[error_for("date").map(|_| "true")]; },
                    error_for("date"),
                ))
                @for locale in survey.locales() {
                    fieldset lang="en" {
                        legend {
                            span lang=(locale) dir=(voices_widget::locale::direction(locale)) { (language_name(locale)) }
                            @if locale == default { " (required)" } @else { " (optional: left blank, people see the " (language_name(default)) ")" }
                        }
                        @let headline = format!("headline-{locale}");
                        @let body = format!("body-{locale}");
                        (field(
                            &headline,
                            "Headline",
                            None,
                            html! { input id=(headline) type="text" name=(headline) value=(fields.get(&headline))
                                lang=(locale) dir="auto" maxlength="200" aria-invalid=[error_for(&headline).map(|_| "true")]; },
                            error_for(&headline),
                        ))
                        (field(
                            &body,
                            "What to say",
                            Some("Plain text; a blank line starts a new paragraph"),
                            html! { textarea id=(body) name=(body) rows="6" lang=(locale) dir="auto"
                                aria-describedby={ (body) "-hint" } aria-invalid=[error_for(&body).map(|_| "true")] { (fields.get(&body)) } },
                            error_for(&body),
                        ))
                    }
                }
                fieldset {
                    legend { "You said, we did (for a \u{201c}What we did\u{201d} update)" }
                    p.hint { "What people told you, and what you did about it, one pair at a time. Leave the rest blank; save to get more rows." }
                    @for i in 0..rows {
                        fieldset.pair {
                            legend { "Pair " (i + 1) }
                            @for locale in survey.locales() {
                                @for (side, what) in [("you_said", "You said"), ("we_did", "We did")] {
                                    @let name = format!("{side}-{i}-{locale}");
                                    (field(
                                        &name,
                                        &format!("{what} ({})", language_name(locale)),
                                        None,
                                        html! { textarea id=(name) name=(name) rows="2" lang=(locale) dir="auto"
                                            aria-invalid=[error_for(&name).map(|_| "true")] { (fields.get(&name)) } },
                                        error_for(&name),
                                    ))
                                }
                            }
                        }
                    }
                }
                (field(
                    "link",
                    "Link to the full report (optional)",
                    Some("A web address starting https://"),
                    html! { input #link type="url" name="link" value=(fields.get("link"))
                        aria-describedby="link-hint" aria-invalid=[error_for("link").map(|_| "true")]; },
                    error_for("link"),
                ))
                div.choice {
                    input #published type="checkbox" name="published" value="yes" checked[fields.get("published") == "yes"];
                    label for="published" { "Publish: show this update to the public now (otherwise it stays a draft)" }
                }
                button type="submit" { "Save the update" }
            }
            @if let Some(update) = editing {
                h2 { "Delete this update" }
                form method="post" novalidate action={ "/admin/surveys/" (id) "/updates/" (update) "/delete" } {
                    (csrf_field(staff))
                    div.choice.error[error_for("confirm").is_some()] {
                        @if let Some(error) = error_for("confirm") { span.error-message { span.visually-hidden { "Error: " } (error) } }
                        input #confirm type="checkbox" name="confirm" value="yes" aria-invalid=[error_for("confirm").map(|_| "true")];
                        label for="confirm" { "I understand the update will be deleted for good, and the public will no longer see it" }
                    }
                    button.warning type="submit" { "Delete the update" }
                }
            }
        },
    )
}

/// One labelled field with its hint and its error.
fn field(
    id: &str,
    label: &str,
    hint: Option<&str>,
    control: Markup,
    error: Option<&str>,
) -> Markup {
    html! {
        div.field.error[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { span.hint id={ (id) "-hint" } { (hint) } }
            @if let Some(error) = error { span.error-message { span.visually-hidden { "Error: " } (error) } }
            (control)
        }
    }
}

/// `GET /admin/surveys/{id}/updates/new`
pub async fn new_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AsPage> {
    let survey = crate::api::latest(&state, &id)?;
    let today = time::OffsetDateTime::now_utc().date();
    let fields = Fields(vec![
        ("stage".into(), "closed".into()),
        (
            "date".into(),
            CalendarDate::from_parts(
                today.year(),
                u8::from(today.month()).into(),
                today.day().into(),
            )
            .map(|d| d.to_string())
            .unwrap_or_default(),
        ),
    ]);
    Ok(respond(
        StatusCode::OK,
        form_page(&staff, &survey.survey, None, &fields, &[]),
    ))
}

/// `GET /admin/surveys/{id}/updates/{update}`
pub async fn edit_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path((id, update)): Path<(String, String)>,
) -> Result<Response, AsPage> {
    let survey = crate::api::latest(&state, &id)?;
    let told = state.catalog().told(&id);
    let found = told
        .outcomes
        .update(&update)
        .ok_or_else(|| no_update(&id, &update))?;
    Ok(respond(
        StatusCode::OK,
        form_page(
            &staff,
            &survey.survey,
            Some(&update),
            &Fields::of(found, &survey.survey),
            &[],
        ),
    ))
}

fn no_update(id: &str, update: &str) -> ApiError {
    ApiError::NotFound(format!("survey \"{id}\" has no update \"{update}\""))
}

/// An id for a new update from its stage and date (`what_we_did_2027_03_01`), unique
/// among the survey's updates.
fn new_id(outcomes: &Outcomes, stage: &str, date: &str) -> String {
    let stage = Stage::from_name(stage).map_or("update", Stage::as_str);
    let day: String = date.chars().filter(char::is_ascii_digit).take(8).collect();
    let base = if day.is_empty() {
        stage.to_owned()
    } else {
        format!("{stage}_{day}")
    };
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}_{n}")
            }
        })
        .find(|candidate| outcomes.update(candidate).is_none())
        .unwrap_or(base)
}

/// `POST /admin/surveys/{id}/updates/new`
pub async fn create(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AsPage> {
    save(state, staff, id, None, Fields(form)).await
}

/// `POST /admin/surveys/{id}/updates/{update}`
pub async fn update(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path((id, update)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AsPage> {
    save(state, staff, id, Some(update), Fields(form)).await
}

/// Why a form's change was not made.
enum Refused {
    /// The update to change is not there (deleted meanwhile, or a wrong address).
    Missing,
    /// The form's problems, each at its field.
    Problems(Vec<(Option<String>, String)>),
}

/// The survey's updates with this form's update written in (a new one, or `editing`),
/// and the update's id; or why not.
fn with_form(
    current: &Outcomes,
    survey: &Survey,
    editing: Option<&str>,
    fields: &Fields,
) -> Result<(Outcomes, String), Refused> {
    let mut updates: Vec<Value> = match serde_json::to_value(current) {
        Ok(Value::Object(mut map)) => match map.remove("updates") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let (update_id, at) = match editing {
        Some(update) => {
            let at = current
                .updates()
                .iter()
                .position(|u| u.id() == update)
                .ok_or(Refused::Missing)?;
            (update.to_owned(), at)
        }
        None => (
            new_id(current, fields.get("stage"), fields.get("date")),
            updates.len(),
        ),
    };
    let written = fields.to_json(survey, &update_id);
    if at < updates.len() {
        updates[at] = written;
    } else {
        updates.push(written);
    }
    let document = json!({ "updates": updates });
    match Outcomes::from_value(&document, survey) {
        Ok(outcomes) => Ok((outcomes, update_id)),
        Err(problems) => {
            let prefix = format!("updates[{at}]");
            let mine: Vec<(Option<String>, String)> = problems
                .iter()
                .filter(|p| p.path().starts_with(&prefix))
                .map(|p| problem_in_form(p, survey))
                .collect();
            Err(Refused::Problems(if mine.is_empty() {
                problems.iter().map(|p| (None, p.to_string())).collect()
            } else {
                mine
            }))
        }
    }
}

async fn save(
    state: AppState,
    staff: Staff,
    id: String,
    editing: Option<String>,
    fields: Fields,
) -> Result<Response, AsPage> {
    staff.check_csrf(fields.get("csrf"))?;
    let published = crate::api::latest(&state, &id)?;
    let fields = std::sync::Arc::new(fields);
    // Read, changed and written under the catalog's lock: an update saved meanwhile by
    // someone else is kept.
    let changed = {
        let (published, fields, editing) = (
            std::sync::Arc::clone(&published),
            std::sync::Arc::clone(&fields),
            editing.clone(),
        );
        actions::change_updates(&state, &staff, &id, move |current| {
            with_form(current, &published.survey, editing.as_deref(), &fields)
                .map(|(outcomes, _)| outcomes)
        })
        .await?
    };
    match changed {
        Ok(told) => {
            // The update saved: the one edited, or the one added last.
            let shown = match &editing {
                Some(update) => told.outcomes.update(update),
                None => told.outcomes.updates().last(),
            }
            .is_some_and(Update::is_published);
            let done = if shown { "published" } else { "saved-draft" };
            Ok(Redirect::to(&format!("/admin/surveys/{id}/updates?done={done}")).into_response())
        }
        Err(Refused::Missing) => Err(no_update(&id, editing.as_deref().unwrap_or_default()).into()),
        Err(Refused::Problems(problems)) => Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(
                &staff,
                &published.survey,
                editing.as_deref(),
                &fields,
                &problems,
            ),
        )),
    }
}

/// `POST /admin/surveys/{id}/updates/{update}/delete`: with the box ticked that says so
/// (a published update disappears from the public's view).
pub async fn delete(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path((id, update)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AsPage> {
    let fields = Fields(form);
    staff.check_csrf(fields.get("csrf"))?;
    let published = crate::api::latest(&state, &id)?;
    if fields.get("confirm") != "yes" {
        let told = state.catalog().told(&id);
        let found = told
            .outcomes
            .update(&update)
            .ok_or_else(|| no_update(&id, &update))?;
        let problems = [(
            Some("confirm".to_owned()),
            "Tick the box to confirm the update should be deleted".to_owned(),
        )];
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(
                &staff,
                &published.survey,
                Some(&update),
                &Fields::of(found, &published.survey),
                &problems,
            ),
        ));
    }
    let survey = std::sync::Arc::clone(&published);
    let gone = update.clone();
    let changed = actions::change_updates(&state, &staff, &id, move |current| {
        current.update(&gone).ok_or(Refused::Missing)?;
        let mut document = serde_json::to_value(current)
            .map_err(|e| Refused::Problems(vec![(None, e.to_string())]))?;
        if let Some(Value::Array(list)) = document.get_mut("updates") {
            list.retain(|u| u.get("id").and_then(Value::as_str) != Some(gone.as_str()));
        }
        Outcomes::from_value(&document, &survey.survey)
            .map_err(|problems| Refused::Problems(vec![(None, problems.to_string())]))
    })
    .await?;
    match changed {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/surveys/{id}/updates?done=deleted")).into_response())
        }
        Err(Refused::Missing) => Err(no_update(&id, &update).into()),
        Err(Refused::Problems(problems)) => Err(ApiError::Internal(format!(
            "the updates could not be written without this one: {problems:?}"
        ))
        .into()),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /admin/surveys/{id}/updates`: every update, drafts marked, newest first; after a
/// change (`?done=`), what was done.
pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Done>,
) -> Result<Response, AsPage> {
    let survey = crate::api::latest(&state, &id)?;
    let told = state.catalog().told(&id);
    let count_id = id.clone();
    let by_email = state
        .with_store(move |store| Ok(store.subscription_count(&count_id)?))
        .await?;
    let done = match query.done.as_deref() {
        Some("published") => Some("The update is saved and published: the public can see it."),
        Some("saved-draft") => Some("The update is saved as a draft: only staff can see it."),
        Some("deleted") => Some("The update is deleted."),
        _ => None,
    };
    Ok(respond(
        StatusCode::OK,
        list_page(&staff, &survey.survey, &told.outcomes, done, by_email),
    ))
}
