//! The staff JSON API under `/api/admin`, for scripts with a bearer token
//! (and for the staff pages' download links, with a session).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, extract::Query};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use voices_shared::Window;

use super::actions;
use super::counts::{ResponseCounts, count};
use super::guard::Staff;
use crate::AppState;
use crate::error::ApiError;
use crate::store::{AuditEntry, AuditEvent, PublishOutcome};

/// One survey as staff see it.
#[derive(Debug, Serialize)]
pub struct SurveySummary {
    pub id: String,
    pub title: String,
    pub latest_version: u32,
    pub versions: Vec<u32>,
    /// `open`, `closed` or `not_yet_open`, by the newest version's window.
    pub status: &'static str,
    pub retention_days: Option<u32>,
    pub responses: ResponseCounts,
}

pub fn status_name(window: Window) -> &'static str {
    match window {
        Window::NotYetOpen => "not_yet_open",
        Window::Open => "open",
        Window::Closed => "closed",
    }
}

/// Every survey with its counts (blocking reads run off the async threads).
pub async fn summaries(state: &AppState) -> Result<Vec<SurveySummary>, ApiError> {
    let now = OffsetDateTime::now_utc();
    let catalog = state.catalog();
    let mut surveys: Vec<SurveySummary> = catalog
        .newest_of_each()
        .iter()
        .filter_map(|listed| {
            // The newest version and the list of versions from one read, so a
            // publish landing meanwhile cannot make them disagree.
            let versions = catalog.versions(listed.survey.id());
            let survey = &versions.last()?.survey;
            Some(SurveySummary {
                id: survey.id().to_owned(),
                title: survey.title().default_text().to_owned(),
                latest_version: survey.version(),
                versions: versions.iter().map(|p| p.survey.version()).collect(),
                status: status_name(survey.window_at(now)),
                retention_days: survey.retention_days(),
                responses: ResponseCounts::default(),
            })
        })
        .collect();
    state
        .with_store(move |store| {
            for survey in &mut surveys {
                survey.responses = count(store.as_ref(), &survey.id, now)?;
            }
            Ok(surveys)
        })
        .await
}

/// `GET /api/admin/surveys`
pub async fn list_surveys(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(Json(summaries(&state).await?).into_response())
}

/// `PUT /api/admin/surveys/{id}`: the body is the definition's JSON.
pub async fn publish(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = std::str::from_utf8(&body).map_err(|e| ApiError::BadRequest {
        message: format!(
            "the definition is not UTF-8 text (byte {})",
            e.valid_up_to()
        ),
    })?;
    let (outcome, survey) = actions::publish(&state, &staff, text, Some(&id)).await?;
    let (status, word) = match outcome {
        PublishOutcome::Published => (StatusCode::CREATED, "published"),
        PublishOutcome::AlreadyPublished => (StatusCode::OK, "already_published"),
    };
    Ok((
        status,
        Json(json!({"id": survey.id(), "version": survey.version(), "outcome": word})),
    )
        .into_response())
}

/// `GET /api/admin/surveys/{id}/outcomes`: the survey's updates, drafts included, in the
/// format `PUT` takes.
pub async fn outcomes(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    crate::api::latest(&state, &id)?;
    Ok(Json(&state.catalog().told(&id).outcomes).into_response())
}

/// `PUT /api/admin/surveys/{id}/outcomes`: replaces the survey's updates with the body
/// (`{"updates": [...]}`); 422 with every problem and its path when it does not read.
pub async fn put_outcomes(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let published = crate::api::latest(&state, &id)?;
    let text = utf8_body(&body, "the updates")?;
    let outcomes = voices_shared::outcomes::Outcomes::parse(text, &published.survey)
        .map_err(ApiError::InvalidUpdates)?;
    let told = actions::change_updates(&state, &staff, &id, move |_| {
        Ok::<_, std::convert::Infallible>(outcomes.clone())
    })
    .await?
    .unwrap_or_else(|never| match never {});
    let published = told
        .outcomes
        .updates()
        .iter()
        .filter(|u| u.is_published())
        .count();
    Ok(
        Json(json!({"updates": told.outcomes.updates().len(), "published": published}))
            .into_response(),
    )
}

/// `DELETE /api/admin/responses/{receipt}`
pub async fn erase(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(receipt): Path<String>,
) -> Result<Response, ApiError> {
    actions::erase(&state, &staff, &receipt).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    limit: Option<usize>,
}

/// `GET /api/admin/audit?limit=N`: newest first.
pub async fn audit(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit.unwrap_or(1000).min(100_000);
    let entries: Vec<AuditEntry> = state
        .with_store(move |store| Ok(store.audit(limit)?))
        .await?;
    Ok(Json(entries).into_response())
}

/// `PUT /api/admin/surveys/{id}/population`: the area's figures (CSV) the survey's reach
/// is compared with, checked against the survey's newest version, and on disk before 2xx.
pub async fn put_population(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = utf8_body(&body, "the figures")?;
    let population = super::actions::load_population(&state, &staff, &id, text)
        .await?
        .map_err(|problems| ApiError::BadRequest {
            message: format!("the figures cannot be used: {}", problems.join("; ")),
        })?;
    Ok(Json(json!({
        "groups": population.groups.len(),
        "questions": population.questions(),
    }))
    .into_response())
}

/// `PUT /api/admin/surveys/{id}/pictures/{file}`: one of the pictures the survey shows in
/// Easy Read (`--surveys` and `survey publish` publish them from the survey's folder;
/// this is for a survey published through the API or the publish page), checked, and on
/// disk before 2xx.
pub async fn put_picture(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path((id, file)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let published = crate::api::latest(&state, &id)?;
    if !voices_shared::is_picture_file(&file) {
        return Err(ApiError::BadRequest {
            message: format!(
                "\"{file}\" is not a picture's file name: lowercase letters, digits, - and _, ending .svg, .png, .jpg, .jpeg or .webp"
            ),
        });
    }
    if !published.survey.pictures().iter().any(|p| p.file() == file) {
        return Err(ApiError::BadRequest {
            message: format!(
                "survey \"{id}\" shows no picture called \"{file}\"; name it in the survey first (a question's or an option's \"picture\")"
            ),
        });
    }
    crate::pictures::check(&file, &body).map_err(|why| ApiError::BadRequest {
        message: format!("the picture {file} {why}"),
    })?;
    let actor = staff.name.clone();
    let (survey, name) = (id.clone(), file.clone());
    state
        .with_store(move |store| {
            store.put_picture(&survey, &name, &body)?;
            // The audit record's flush makes the picture durable too.
            super::actions::record(
                store.as_ref(),
                &actor,
                AuditEvent::PicturePublished {
                    survey: survey.clone(),
                    file: name.clone(),
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(Json(json!({ "survey": id, "picture": file })).into_response())
}

/// A text body, or a refusal naming `what` and the first byte that is not UTF-8.
fn utf8_body<'a>(body: &'a Bytes, what: &str) -> Result<&'a str, ApiError> {
    std::str::from_utf8(body).map_err(|e| ApiError::BadRequest {
        message: format!("{what} are not UTF-8 text (byte {})", e.valid_up_to()),
    })
}
