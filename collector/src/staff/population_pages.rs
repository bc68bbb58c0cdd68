//! `/admin/surveys/{id}/population`: an admin loads the area's figures, the CSV the reach
//! page compares the survey's responses with, from a file, without the API.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

use super::guard::Staff;
use super::html::{AsPage, csrf_field, error_summary, page, respond};
use crate::AppState;
use crate::error::ApiError;

/// The page: what is loaded now, the columns the file needs, and the form.
fn population_page(
    staff: &Staff,
    survey: &voices_shared::Survey,
    loaded: Option<Result<crate::population::Population, Vec<String>>>,
    problems: &[(Option<&str>, String)],
    done: Option<Markup>,
) -> Markup {
    let id = survey.id();
    page(
        &format!("The area's figures – {}", survey.title().default_text()),
        Some(staff),
        !problems.is_empty(),
        html! {
            p.id { a href={ "/admin/surveys/" (id) } { "Survey " (id) } }
            h1 { "The area's figures" }
            (error_summary(problems))
            @if let Some(done) = done { (done) }
            @match &loaded {
                None => p { "No figures are loaded for this survey yet." }
                Some(Ok(population)) => p {
                    "Loaded now: " (population.groups.len()) " groups of "
                    (population.questions().join(", ")) ". A new file replaces them whole."
                }
                Some(Err(_)) => p { "The figures loaded now no longer fit the survey's newest version: load them again." }
            }
            p #figures-hint {
                "The page " a href={ "/admin/surveys/" (id) "/reach" } { "Who we heard from" }
                " compares the survey's responses with these figures. The file is a CSV with the "
                "columns question, answer and people: one row per group, such as "
                code { "age,16_24,1500" } ". Answers joined with + make one group ("
                code { "age,65_74+75_plus,2000" } "). The question and answer are the survey's own "
                "ids, as in the download of the responses."
            }
            form method="post" novalidate action={ "/admin/surveys/" (id) "/population" } enctype="multipart/form-data" {
                (csrf_field(staff))
                div.field.error[!problems.is_empty()] {
                    label for="figures" { "The area's figures (CSV)" }
                    @for (i, (_, problem)) in problems.iter().enumerate() {
                        span.error-message id={ "figures-error-" (i) } { span.visually-hidden { "Error: " } (problem) }
                    }
                    input #figures type="file" name="figures" accept=".csv,text/csv" required
                        aria-describedby=(std::iter::once("figures-hint".to_owned()).chain((0..problems.len()).map(|i| format!("figures-error-{i}"))).collect::<Vec<_>>().join(" "))
                        aria-invalid=[(!problems.is_empty()).then_some("true")];
                }
                button type="submit" { "Load the figures" }
            }
        },
    )
}

async fn loaded_now(
    state: &AppState,
    survey: &voices_shared::Survey,
) -> Result<Option<Result<crate::population::Population, Vec<String>>>, ApiError> {
    let id = survey.id().to_owned();
    let csv = state
        .with_store(move |store| Ok(store.population(&id)?))
        .await?;
    Ok(csv.map(|csv| crate::population::Population::read(&csv, survey)))
}

/// `GET /admin/surveys/{id}/population`
pub async fn population_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AsPage> {
    let survey = crate::api::latest(&state, &id)?.survey.clone();
    let loaded = loaded_now(&state, &survey).await?;
    Ok(respond(
        StatusCode::OK,
        population_page(&staff, &survey, loaded, &[], None),
    ))
}

/// `POST /admin/surveys/{id}/population` (multipart: `csrf`, then `figures`).
pub async fn population_upload(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AsPage> {
    let figures = super::html::read_upload(&staff, &mut multipart, "figures").await?;
    let survey = crate::api::latest(&state, &id)?.survey.clone();
    let refused = |problems: Vec<String>, loaded| -> Response {
        let listed: Vec<(Option<&str>, String)> =
            problems.into_iter().map(|p| (Some("figures"), p)).collect();
        respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            population_page(&staff, &survey, loaded, &listed, None),
        )
    };
    let Some(bytes) = figures else {
        let loaded = loaded_now(&state, &survey).await?;
        return Ok(refused(
            vec!["Choose a CSV file of the area's figures".into()],
            loaded,
        ));
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        let loaded = loaded_now(&state, &survey).await?;
        // A workbook is a zip file: "PK" first.
        let problem = if bytes.starts_with(b"PK") {
            "The file is a spreadsheet workbook, not a CSV: in the spreadsheet, save it as \"CSV UTF-8\" and choose that file"
        } else {
            "The file is not UTF-8 text: save it as \"CSV UTF-8\" and choose that file"
        };
        return Ok(refused(vec![problem.into()], loaded));
    };
    match super::actions::load_population(&state, &staff, &id, text).await? {
        Ok(population) => {
            let done = html! {
                div.notice role="status" {
                    p {
                        "Loaded " (population.groups.len()) " groups of "
                        (population.questions().join(", ")) ". "
                        a href={ "/admin/surveys/" (id) "/reach" } { "See who we heard from" }
                    }
                }
            };
            Ok(respond(
                StatusCode::OK,
                population_page(&staff, &survey, Some(Ok(population)), &[], Some(done)),
            ))
        }
        Err(problems) => {
            let loaded = loaded_now(&state, &survey).await?;
            Ok(refused(problems, loaded))
        }
    }
}
