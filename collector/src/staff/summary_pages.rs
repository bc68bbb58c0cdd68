//! `/admin/surveys/{id}/summary`: what people said, question by question, with small
//! numbers hidden; and the same as CSV or XLSX from `/api/admin/surveys/{id}/summary`.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use maud::{Markup, html};
use serde::Deserialize;

use super::guard::Staff;
use super::html::{AsPage, page, respond};
use crate::AppState;
use crate::error::ApiError;
use crate::summary::{
    Shown, Summary, breakdown_choices, protect_one_way, summarise_by, write_csv, write_xlsx,
};

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
                    @if !question.details.is_empty() {
                        details.specify-texts {
                            summary { "What people wrote when they chose “please give details” (" (question.details.len() as u64 + question.more_details) ")" }
                            p.hint { "For staff: these are people's own words and may name them. They are not in the summary's download or its print." }
                            ul { @for text in &question.details { li { (text) } } }
                            @if question.more_details > 0 {
                                p { "And " (question.more_details) " more, in the download of the responses." }
                            }
                        }
                    }
                    @if let (Some(breakdown), Some((_, by_label))) = (&question.breakdown, &summary.by) {
                        div.table-wrap role="region" aria-label={ "Answers to " (question.label) " by " (by_label) } tabindex="0" {
                            table.breakdown-table {
                                caption { span.visually-hidden { "Answers to " (question.label) ": " } "By " (by_label) }
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

#[derive(Debug, Default, Deserialize)]
pub struct ReachQuery {
    margin: Option<String>,
}

/// Percentage points below the area's share at which a group is marked under-represented.
const DEFAULT_MARGIN: u32 = 5;

/// `/admin/surveys/{id}/reach`: whom the survey heard from, by channel and by each group
/// the area's figures cover, beside the area's own shares, with the groups it is missing
/// marked; small numbers hidden as in the summary.
pub async fn reach_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<ReachQuery>,
) -> Result<Response, AsPage> {
    // A margin that is not one is said at its field, and the page shown with the default.
    let sent_margin = query
        .margin
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let (margin, margin_problem) = match sent_margin.map(str::parse::<u32>) {
        None => (DEFAULT_MARGIN, None),
        Some(Ok(n)) if (1..=50).contains(&n) => (n, None),
        Some(_) => (
            DEFAULT_MARGIN,
            Some("Enter the margin as a whole number of percentage points from 1 to 50".to_owned()),
        ),
    };
    let (survey, summary) = summary_of(&state, &id, None).await?;
    let lookup = id.clone();
    let (population, by_channel, tallies) = state
        .with_store(move |store| {
            let counts =
                super::counts::count(store.as_ref(), &lookup, time::OffsetDateTime::now_utc())?;
            Ok((
                store.population(&lookup)?,
                counts.by_channel,
                store.tallies(&lookup)?,
            ))
        })
        .await?;
    // By day, newest first: another table that adds up to everyone.
    let mut by_day: BTreeMap<time::Date, u64> = BTreeMap::new();
    for tally in &tallies {
        *by_day.entry(tally.day).or_default() += tally.count;
    }
    let day_rows = protect_one_way(by_day.into_iter().rev().collect(), summary.threshold);
    // Figures loaded for an earlier version may no longer fit the newest: said, not dropped.
    let population = population.map(|csv| crate::population::Population::read(&csv, &survey));
    // By channel: a table of its own that adds up to everyone (shown on the survey page).
    let channel_rows = protect_one_way(by_channel.into_iter().collect(), summary.threshold);

    let title = format!("Who we heard from – {}", survey.title().default_text());
    let markup = page(
        &title,
        Some(&staff),
        false,
        html! {
            p.id { a href={ "/admin/surveys/" (survey.id()) } { "Survey " (survey.id()) } }
            h1 { "Who we heard from" }
            p {
                "Everyone who responded: " strong { (count(summary.respondents)) } ". Counts below "
                (summary.threshold) " are hidden, shown as *, with any count that would give one away."
            }
            h2 { "By channel" }
            div.table-wrap role="region" aria-label="Responses by channel" tabindex="0" {
                table {
                    caption.visually-hidden { "Responses by channel" }
                    thead { tr { th scope="col" { "Channel" } th scope="col" .num { "Responses" } th scope="col" .num { "Share" } } }
                    tbody {
                        @for (name, n) in &channel_rows {
                            tr { th scope="row" { (super::pages::channel_words(name)) } td.num { (count(*n)) } td.num { (percent(*n, summary.respondents)) } }
                        }
                    }
                }
            }
            (super::html::error_summary(&margin_problem.iter().map(|m| (Some("margin"), m.clone())).collect::<Vec<_>>()))
            h2 { "By day" }
            div.table-wrap role="region" aria-label="Responses by day" tabindex="0" {
                table {
                    caption.visually-hidden { "Responses by day, newest first" }
                    thead { tr { th scope="col" { "Day" } th scope="col" .num { "Responses" } } }
                    tbody {
                        @for (day, n) in &day_rows {
                            tr { th scope="row" { (super::html::day(*day)) } td.num { (count(*n)) } }
                        }
                    }
                }
            }
            @match &population {
                Some(Err(problems)) => {
                    h2 { "Compared with the area" }
                    div.notice {
                        p { "The area's figures loaded for this survey no longer fit its newest version, so nothing is compared. Load them again. What does not fit:" }
                        ul { @for problem in problems { li { (problem) } } }
                    }
                }
                None => {
                    h2 { "Compared with the area" }
                    p.notice {
                        "There are no figures for the area yet. An admin loads them as a CSV with the columns question, answer and people "
                        "(docs/reach.md), with PUT /api/admin/surveys/" (survey.id()) "/population."
                    }
                }
                Some(Ok(population)) => {
                    form.breakdown method="get" action={ "/admin/surveys/" (survey.id()) "/reach" } {
                        div.field.error[margin_problem.is_some()] {
                            label for="margin" { "Mark a group when its share is below the area's by more than (percentage points)" }
                            span.hint #margin-hint { "A whole number from 1 to 50." }
                            @if let Some(problem) = &margin_problem {
                                span.error-message #margin-error { span.visually-hidden { "Error: " } (problem) }
                            }
                            input #margin type="text" inputmode="numeric" name="margin"
                                value=(sent_margin.filter(|_| margin_problem.is_some()).map_or(margin.to_string(), str::to_owned))
                                autocomplete="off"
                                aria-describedby=(if margin_problem.is_some() { "margin-hint margin-error" } else { "margin-hint" })
                                aria-invalid=[margin_problem.as_ref().map(|_| "true")];
                        }
                        button type="submit" { "Show" }
                    }
                    @for question_id in population.questions() {
                        @if let Some(question) = summary.questions.iter().find(|q| q.id == question_id) {
                            (reach_table(question, population, margin))
                        }
                    }
                }
            }
        },
    );
    Ok(respond(StatusCode::OK, markup))
}

/// One question's groups: responses, their share of those who answered, the area's
/// share, and a mark where the survey is missing people.
fn reach_table(
    question: &crate::summary::QuestionSummary,
    population: &crate::population::Population,
    margin: u32,
) -> Markup {
    let groups: Vec<&crate::population::Group> = population
        .groups
        .iter()
        .filter(|g| g.question == question.id)
        .collect();
    let people: u64 = groups.iter().map(|g| g.people).sum();
    // Shares are of those who gave an answer the area's figures cover: "Prefer not to say"
    // and answers without figures are taken out where their counts show.
    let covered = |value: &str| groups.iter().any(|g| g.answers.iter().any(|a| a == value));
    let base = match question.answered {
        Shown::Count(answered) => Shown::Count(
            question
                .answers
                .iter()
                .filter(|a| !a.value.is_empty() && !covered(&a.value))
                .fold(answered, |left, a| match a.count {
                    Shown::Count(n) => left.saturating_sub(n),
                    Shown::Hidden => left,
                }),
        ),
        Shown::Hidden => Shown::Hidden,
    };
    html! {
        h2 { (question.label) }
        p { "Shares are of those who gave one of these answers (" (count(base)) "); “Prefer not to say”, and any answer the area's figures leave out, are not counted unless their numbers are hidden." }
        div.table-wrap role="region" aria-label={ "Reach: " (question.label) } tabindex="0" {
            table.reach-table {
                caption.visually-hidden { "Responses and the area by group: " (question.label) }
                thead { tr {
                    th scope="col" { "Group" }
                    th scope="col" .num { "Responses" }
                    th scope="col" .num { "Share" }
                    th scope="col" .num { "Share of the area" }
                    th scope="col" { "Heard from" }
                } }
                tbody {
                    @for group in &groups {
                        @let label = group.answers.iter().map(|a| question.answers.iter().find(|x| &x.value == a).map_or(a.as_str(), |x| x.label.as_str())).collect::<Vec<_>>().join(", ");
                        @let responses = group.answers.iter().try_fold(0u64, |sum, a| match question.answers.iter().find(|x| &x.value == a).map(|x| x.count) {
                            Some(Shown::Count(n)) => Some(sum + n),
                            _ => None,
                        }).map_or(Shown::Hidden, Shown::Count);
                        @let share = responses.percent_of(base);
                        @let area = if people > 0 { group.people as f64 * 100.0 / people as f64 } else { 0.0 };
                        tr {
                            th scope="row" { (label) }
                            td.num { (count(responses)) }
                            td.num { (percent(responses, base)) }
                            td.num { (format!("{area:.0}")) "%" }
                            td {
                                @match share {
                                    Some(share) if area - share > f64::from(margin) => {
                                        strong.under { "Under-represented" }
                                        ": " (format!("{share:.0}")) "% of answers; " (format!("{area:.0}")) "% of the area"
                                    }
                                    Some(_) => { "Within the margin" }
                                    None => { "Hidden (small numbers)" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
