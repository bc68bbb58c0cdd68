//! `/admin/surveys/{id}/summary`: what people said, question by question, with small
//! numbers hidden; and the same as CSV or XLSX from `/api/admin/surveys/{id}/summary`.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::guard::Staff;
use super::html::{AsPage, page, respond};
use crate::AppState;
use crate::error::ApiError;
use crate::summary::{Shown, Summary, breakdown_choices, summarise_by, write_csv, write_xlsx};

async fn summary_of(
    state: &AppState,
    id: &str,
    by: Option<&str>,
) -> Result<(voices_shared::Survey, Summary), ApiError> {
    let survey = crate::api::latest(state, id)?.survey.clone();
    let choices = breakdown_choices(&survey);
    if let Some(by) = by.filter(|by| !by.is_empty())
        && !choices.iter().any(|(id, _)| id == by)
    {
        let ids: Vec<&str> = choices.iter().map(|(id, _)| id.as_str()).collect();
        return Err(ApiError::BadRequest {
            message: format!(
                "by: \"{by}\" is not a question the answers can be broken down by; these are: {}",
                ids.join(", ")
            ),
        });
    }
    let counted = survey.clone();
    let by = by.filter(|by| !by.is_empty()).map(str::to_owned);
    let summary = state
        .with_store(move |store| Ok(summarise_by(store.as_ref(), &counted, by.as_deref())?))
        .await?;
    Ok((survey, summary))
}

/// A count in a table: the number, or `*` read out as "hidden".
fn count(shown: Shown) -> Markup {
    match shown {
        Shown::Count(n) => html! { (n) },
        Shown::Hidden => html! {
            span aria-hidden="true" { "*" } span.visually-hidden { "hidden" }
        },
    }
}

fn percent(shown: Shown, of: Shown) -> Markup {
    match shown.percent_of(of) {
        Some(p) => html! { (format!("{p:.0}")) "%" },
        None if shown == Shown::Hidden || of == Shown::Hidden => count(Shown::Hidden),
        None => html! {},
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    by: Option<String>,
}

pub async fn summary_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AsPage> {
    let (survey, summary) = summary_of(&state, &id, query.by.as_deref()).await?;
    let choices = breakdown_choices(&survey);
    let chosen = summary.by.as_ref().map(|(id, _)| id.as_str());
    let title = format!("What people said – {}", survey.title().default_text());
    let markup = page(
        &title,
        Some(&staff),
        false,
        html! {
            p.id { a href={ "/admin/surveys/" (survey.id()) } { "Survey " (survey.id()) } }
            h1 { "What people said" }
            p {
                "Everyone who responded: " strong { (count(summary.respondents)) } ". "
                "Counts below " (summary.threshold) " are hidden, shown as *, and so is any count "
                "that would let a hidden one be worked out. Shares are of everyone who responded."
            }
            form.download method="get" action={ "/api/admin/surveys/" (survey.id()) "/summary" } {
                fieldset {
                    legend { "Download this summary" }
                    div.radios {
                        label { input type="radio" name="format" value="csv" checked; " CSV (for Excel)" }
                        label { input type="radio" name="format" value="xlsx"; " Excel workbook (XLSX)" }
                    }
                    button type="submit" { "Download the summary" }
                }
            }
            form.breakdown method="get" action={ "/admin/surveys/" (survey.id()) "/summary" } {
                div.field {
                    label for="by" { "Break each answer down by" }
                    span.hint #by-hint { "The answers to another question, such as age or disability. Small numbers stay hidden." }
                    select #by name="by" aria-describedby="by-hint" {
                        option value="" selected[chosen.is_none()] { "Nothing" }
                        @for (id, label) in &choices {
                            option value=(id) selected[chosen == Some(id.as_str())] { (label) }
                        }
                    }
                }
                button type="submit" { "Show" }
            }
            @if summary.questions.is_empty() {
                p.notice { "Fewer than " (summary.threshold) " people have responded: nothing more is shown until there are at least " (summary.threshold) "." }
            }
            @for question in &summary.questions {
                div.question-summary {
                    h2 id={ "q-" (question.id) } { (question.label) }
                    p { "Answered: " (count(question.answered)) " (" (percent(question.answered, summary.respondents)) ")"
                        @if question.multiple { ". People could choose more than one answer." } }
                    @if !question.answers.is_empty() {
                        div.table-wrap role="region" aria-label={ "Answers to " (question.label) } tabindex="0" {
                            table.summary-table {
                                caption.visually-hidden { "Answers to " (question.label) }
                                thead { tr {
                                    th scope="col" { "Answer" }
                                    th scope="col" .num { "Responses" }
                                    th scope="col" .num { "Share" }
                                    th scope="col" .bar-col { span.visually-hidden { "Bar" } }
                                } }
                                tbody {
                                    @for answer in &question.answers {
                                        tr {
                                            th scope="row" { (answer.label) }
                                            td.num { (count(answer.count)) }
                                            td.num { (percent(answer.count, summary.respondents)) }
                                            td.bar {
                                                @if let Some(p) = answer.count.percent_of(summary.respondents) {
                                                    // The bar repeats the share beside it, for the eye only.
                                                    svg aria-hidden="true" focusable="false" viewBox="0 0 100 10" preserveAspectRatio="none" {
                                                        rect x="0" y="0" width=(format!("{p:.2}")) height="10" {}
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if let (Some(breakdown), Some((_, by_label))) = (&question.breakdown, &summary.by) {
                        div.table-wrap role="region" aria-label={ "Answers to " (question.label) " by " (by_label) } tabindex="0" {
                            table.breakdown-table {
                                caption { "By " (by_label) }
                                thead { tr {
                                    th scope="col" { "Answer" }
                                    @for group in &breakdown.groups { th scope="col" .num { (group) } }
                                } }
                                tbody {
                                    @for (answer, row) in question.answers.iter().zip(&breakdown.rows) {
                                        tr {
                                            th scope="row" { (answer.label) }
                                            @for cell in row { td.num { (count(*cell)) } }
                                        }
                                    }
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

#[derive(Debug, Deserialize)]
pub struct SummaryQuery {
    format: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    Extension(_staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<SummaryQuery>,
) -> Result<Response, ApiError> {
    let format = query.format.as_deref().unwrap_or("csv");
    if !matches!(format, "csv" | "xlsx") {
        return Err(ApiError::BadRequest {
            message: format!("format must be csv or xlsx, not \"{format}\""),
        });
    }
    let (survey, summary) = summary_of(&state, &id, None).await?;
    let (bytes, content_type) = if format == "csv" {
        (
            write_csv(&summary).map_err(|e| {
                ApiError::Internal(format!("the summary could not be written: {e}"))
            })?,
            "text/csv; charset=utf-8",
        )
    } else {
        (
            write_xlsx(&summary).map_err(|e| {
                ApiError::Internal(format!("the summary could not be written: {e}"))
            })?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let filename = format!("{}-summary.{format}", survey.id());
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
