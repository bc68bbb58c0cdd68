//! `/admin/surveys/{id}/summary`: what people said, question by question, with small
//! numbers hidden; and the same as CSV or XLSX from `/api/admin/surveys/{id}/summary`.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use maud::{Markup, html};
use serde::Deserialize;
use voices_shared::Channel;

use super::guard::Staff;
use super::html::{AsPage, page, respond};
use crate::AppState;
use crate::error::ApiError;
use crate::running_counts::{Counted, Filter, Slice};
use crate::summary::{
    Shown, Summary, breakdown_choices, protect_one_way, sum_can_show, summarise_by,
    summarise_counted, summarise_filtered, threshold_of, write_csv, write_xlsx,
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
    let summary = match by.filter(|by| !by.is_empty()).map(str::to_owned) {
        // A breakdown reads every response: the counts kept up to date are one question
        // at a time, not pairs of them.
        Some(by) => {
            state
                .with_store(move |store| Ok(summarise_by(store.as_ref(), &counted, Some(&by))?))
                .await?
        }
        None => {
            let counts = state.clone();
            state
                .with_store(move |store| {
                    Ok(counts
                        .counts()
                        .read(store.as_ref(), &counted, summarise_counted)?)
                })
                .await?
        }
    };
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

/// The reach page's query: the margin and the filter, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ReachQuery {
    pub margin: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub version: Option<String>,
}

/// Percentage points below the area's share at which a group is marked under-represented.
const DEFAULT_MARGIN: u32 = 5;

/// A day typed as `YYYY-MM-DD`.
fn day_typed(raw: &str) -> Option<time::Date> {
    let date = voices_shared::CalendarDate::parse(raw)?;
    let month = time::Month::try_from(u8::try_from(date.month()).ok()?).ok()?;
    time::Date::from_calendar_date(date.year(), month, u8::try_from(date.day()).ok()?).ok()
}

/// The reach page's choices, read from its query: the margin and the filter, each with
/// what was typed, and the problems with them, by field.
struct ReachChoices {
    margin: u32,
    filter: Filter,
    typed: BTreeMap<&'static str, String>,
    problems: Vec<(Option<&'static str>, String)>,
}

impl ReachChoices {
    fn read(query: &ReachQuery, versions: &[u32]) -> ReachChoices {
        fn given(raw: &Option<String>) -> Option<&str> {
            raw.as_deref().map(str::trim).filter(|m| !m.is_empty())
        }
        let mut choices = ReachChoices {
            margin: DEFAULT_MARGIN,
            filter: Filter::default(),
            typed: BTreeMap::new(),
            problems: Vec::new(),
        };
        let fields = [
            ("margin", given(&query.margin)),
            ("from", given(&query.from)),
            ("to", given(&query.to)),
            ("channel", given(&query.channel)),
            ("version", given(&query.version)),
        ];
        for (field, raw) in fields {
            let Some(raw) = raw else { continue };
            choices.typed.insert(field, raw.to_owned());
            let problem = match field {
                "margin" => match raw.parse::<u32>() {
                    Ok(n) if (1..=50).contains(&n) => {
                        choices.margin = n;
                        None
                    }
                    _ => Some(
                        "Enter the margin as a whole number of percentage points from 1 to 50"
                            .to_owned(),
                    ),
                },
                "from" | "to" => match day_typed(raw) {
                    Some(day) => {
                        if field == "from" {
                            choices.filter.from = Some(day);
                        } else {
                            choices.filter.to = Some(day);
                        }
                        None
                    }
                    None => Some(format!(
                        "Enter the {} day as a real date, such as 2026-11-30",
                        if field == "from" { "first" } else { "last" }
                    )),
                },
                "channel" => match Channel::parse(raw) {
                    Some(channel) => {
                        choices.filter.channel = Some(channel);
                        None
                    }
                    None => Some("Choose a channel from the list".to_owned()),
                },
                _ => match raw.parse::<u32>() {
                    Ok(version) if versions.contains(&version) => {
                        choices.filter.version = Some(version);
                        None
                    }
                    _ => Some("Choose a version from the list".to_owned()),
                },
            };
            if let Some(problem) = problem {
                choices.problems.push((Some(field), problem));
            }
        }
        if let (Some(from), Some(to)) = (choices.filter.from, choices.filter.to)
            && from > to
        {
            choices.problems.push((
                Some("to"),
                "The last day must be the same as or after the first day".to_owned(),
            ));
        }
        // A filter with a problem filters nothing: the page says so at the field.
        if choices.problems.iter().any(|(f, _)| *f != Some("margin")) {
            choices.filter = Filter::default();
        }
        choices
    }

    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == Some(field))
            .map(|(_, m)| m.as_str())
    }

    /// A field of the form, with its error when it has one.
    fn field(&self, name: &'static str, label: &str, hint: &str, control: Markup) -> Markup {
        let problem = self.problem(name);
        html! {
            div.field.error[problem.is_some()] {
                label for=(name) { (label) }
                span.hint id={ (name) "-hint" } { (hint) }
                @if let Some(problem) = problem {
                    span.error-message id={ (name) "-error" } { span.visually-hidden { "Error: " } (problem) }
                }
                (control)
            }
        }
    }

    fn described_by(&self, name: &str) -> String {
        if self.problem(name).is_some() {
            format!("{name}-hint {name}-error")
        } else {
            format!("{name}-hint")
        }
    }

    fn text_input(&self, name: &'static str, kind: &str, value: String) -> Markup {
        html! {
            input id=(name) type=(kind) name=(name) value=(value) autocomplete="off"
                inputmode=[(kind == "text").then_some("numeric")]
                aria-describedby=(self.described_by(name))
                aria-invalid=[self.problem(name).map(|_| "true")];
        }
    }

    fn typed(&self, name: &str) -> String {
        self.typed.get(name).cloned().unwrap_or_default()
    }
}

/// One question's groups as a view of the reach page counts them: each answer's count
/// ("Not answered" last), and how many answered.
struct GroupCounts<'s> {
    label: &'s str,
    answers: Vec<(&'s str, &'s str, Shown)>,
    answered: Shown,
}

impl<'s> GroupCounts<'s> {
    /// Every response's counts.
    fn whole(question: &'s crate::summary::QuestionSummary) -> GroupCounts<'s> {
        GroupCounts {
            label: &question.label,
            answers: question
                .answers
                .iter()
                .map(|a| (a.value.as_str(), a.label.as_str(), a.count))
                .collect(),
            answered: question.answered,
        }
    }

    /// The counts of the responses a filter matches: the first group of the question's
    /// breakdown into those and the rest.
    fn matching(question: &'s crate::summary::QuestionSummary) -> Option<GroupCounts<'s>> {
        let breakdown = question.breakdown.as_ref()?;
        let answers: Vec<(&str, &str, Shown)> = question
            .answers
            .iter()
            .zip(&breakdown.rows)
            .map(|(a, row)| {
                let n = row.first().copied().unwrap_or(Shown::Hidden);
                (a.value.as_str(), a.label.as_str(), n)
            })
            .collect();
        // Those who answered, as the breakdown protects it.
        let answered = breakdown.answered.first().copied().unwrap_or(Shown::Hidden);
        Some(GroupCounts {
            label: &question.label,
            answers,
            answered,
        })
    }
}

/// What the reach page shows, all from one reading of the kept counts.
pub struct Reach {
    choices: ReachChoices,
    versions: Vec<u32>,
    population: Option<Result<crate::population::Population, Vec<String>>>,
    channel_rows: Vec<(Channel, Shown)>,
    /// By the language read in, each the survey offers (Easy Read among them).
    language_rows: Vec<(String, Shown)>,
    /// Newest first.
    day_rows: Vec<(time::Date, Shown)>,
    summary: Summary,
    filtered: Option<Summary>,
}

impl Reach {
    /// The page's tables from `counted`. The choices in `query` are read only when there
    /// is something to compare (`comparing`): their form is shown only then.
    pub fn of(
        counted: &Counted,
        query: &ReachQuery,
        comparing: bool,
        population: Option<Result<crate::population::Population, Vec<String>>>,
    ) -> Reach {
        let slices = counted.slice_counts();
        let mut versions: Vec<u32> = slices.iter().map(|(s, _)| s.version).collect();
        versions.sort_unstable();
        versions.dedup();
        let choices = if comparing {
            ReachChoices::read(query, &versions)
        } else {
            ReachChoices::read(&ReachQuery::default(), &versions)
        };
        let threshold = threshold_of(counted.survey());
        // By channel (every channel, so the table always has the same rows) and by day,
        // newest first: two tables that add up to everyone.
        let channels: Vec<(Channel, u64)> = Channel::ALL
            .into_iter()
            .map(|c| {
                (
                    c,
                    slices
                        .iter()
                        .filter(|(s, _)| s.channel == c)
                        .map(|(_, n)| n)
                        .sum(),
                )
            })
            .collect();
        let mut by_day: BTreeMap<time::Date, u64> = BTreeMap::new();
        for (slice, n) in &slices {
            *by_day.entry(slice.day).or_default() += n;
        }
        let days: Vec<(time::Date, u64)> = by_day.into_iter().rev().collect();
        // By language (every one the survey offers, so the table keeps its rows; Easy Read
        // is one): a third table that adds up to everyone.
        let survey = counted.survey();
        // Responses in a language only an older version offered are in none of its rows
        // (a row of their own, tied to that version's days, could give a hidden day away).
        let languages: Vec<(String, u64)> = survey
            .locales()
            .iter()
            .enumerate()
            .map(|(at, locale)| {
                let n = slices
                    .iter()
                    .filter(|(s, _)| usize::from(s.language) == at)
                    .map(|(_, n)| n)
                    .sum();
                (crate::cli::language_name(locale).into_owned(), n)
            })
            .collect();
        let channel_rows = protect_one_way(channels.clone(), threshold);
        let language_rows = protect_one_way(languages, threshold);
        let day_rows = protect_one_way(days.clone(), threshold);
        let filter = choices.filter;
        let (summary, filtered) = if filter.is_everything() {
            (summarise_counted(counted), None)
        } else {
            // When the filter picks whole rows of one of those tables (some days, or some
            // channels, and nothing else), how many it matches is their sum: shown only if
            // that gives away none of the rows the table hides.
            let restricts = |differs: &dyn Fn(&Slice) -> bool| {
                slices
                    .iter()
                    .any(|(s, n)| *n > 0 && !filter.matches(s) && differs(s))
            };
            let by_days = restricts(&|s| {
                filter.from.is_some_and(|f| s.day < f) || filter.to.is_some_and(|t| s.day > t)
            });
            let by_channel = restricts(&|s| filter.channel.is_some_and(|c| s.channel != c));
            let by_version = restricts(&|s| filter.version.is_some_and(|v| s.version != v));
            let seen = match (by_days, by_channel, by_version) {
                (true, false, false) => Some(sum_can_show(
                    &day_rows.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
                    &days
                        .iter()
                        .map(|(d, n)| {
                            (
                                *n,
                                filter.from.is_none_or(|f| *d >= f)
                                    && filter.to.is_none_or(|t| *d <= t),
                            )
                        })
                        .collect::<Vec<_>>(),
                    threshold,
                )),
                (false, true, false) => Some(sum_can_show(
                    &channel_rows.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
                    &channels
                        .iter()
                        .map(|(c, n)| (*n, filter.channel == Some(*c)))
                        .collect::<Vec<_>>(),
                    threshold,
                )),
                _ => None,
            };
            let (summary, filtered) = summarise_filtered(counted, &filter, seen);
            (summary, Some(filtered))
        };
        Reach {
            choices,
            versions,
            population,
            channel_rows,
            language_rows,
            day_rows,
            summary,
            filtered,
        }
    }
}

/// A table of how many responses each row had ("Responses by channel"), with its share
/// of `respondents`; counts hidden by the page's protection show as such.
fn shares_table(
    by: &str,
    heading: &str,
    rows: impl Iterator<Item = (String, Shown)>,
    respondents: Shown,
) -> Markup {
    let label = format!("Responses by {by}");
    html! {
        div.table-wrap role="region" aria-label=(label) tabindex="0" {
            table {
                caption.visually-hidden { (label) }
                thead { tr { th scope="col" { (heading) } th scope="col" .num { "Responses" } th scope="col" .num { "Share" } } }
                tbody {
                    @for (name, n) in rows {
                        tr { th scope="row" { (name) } td.num { (count(n)) } td.num { (percent(n, respondents)) } }
                    }
                }
            }
        }
    }
}

/// `/admin/surveys/{id}/reach`: whom the survey heard from, by channel and by each group
/// the area's figures cover, beside the area's own shares, with the groups it is missing
/// marked; small numbers hidden as in the summary. A filter (days, channel, version)
/// narrows the comparison with the area, protected together with every response.
pub async fn reach_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<ReachQuery>,
) -> Result<Response, AsPage> {
    let survey = crate::api::latest(&state, &id)?.survey.clone();
    let lookup = id.clone();
    let counting = state.clone();
    let reading = survey.clone();
    let reach = state
        .with_store(move |store| {
            // Figures loaded for an earlier version may no longer fit the newest: said,
            // not dropped.
            let population = store
                .population(&lookup)?
                .map(|csv| crate::population::Population::read(&csv, &reading));
            Ok(counting
                .counts()
                .read(store.as_ref(), &reading, |counted| {
                    Reach::of(
                        counted,
                        &query,
                        matches!(population, Some(Ok(_))),
                        population,
                    )
                })?)
        })
        .await?;
    let Reach {
        choices,
        versions,
        population,
        channel_rows,
        language_rows,
        day_rows,
        summary,
        filtered,
    } = reach;
    let shown = filtered.as_ref().unwrap_or(&summary);
    // How many the filter matches, as its breakdowns show it (the same in each).
    let matching = filtered.as_ref().and_then(|f| {
        f.questions
            .iter()
            .find_map(|q| q.breakdown.as_ref().and_then(|b| b.totals.first().copied()))
    });
    let margin = choices.margin;
    let is_admin = staff.role == crate::store::Role::Admin;

    let title = format!("Who we heard from – {}", survey.title().default_text());
    let markup = page(
        &title,
        Some(&staff),
        !choices.problems.is_empty(),
        html! {
            p.id { a href={ "/admin/surveys/" (survey.id()) } { "Survey " (survey.id()) } }
            h1 { "Who we heard from" }
            p {
                "Everyone who responded: " strong { (count(summary.respondents)) } ". Counts below "
                (summary.threshold) " are hidden, shown as *, with any count that would give one away."
            }
            (super::html::error_summary(&choices.problems.iter().map(|(f, m)| (*f, m.clone())).collect::<Vec<_>>()))
            h2 { "By channel" }
            (shares_table(
                "channel",
                "Channel",
                channel_rows.iter().map(|(c, n)| (super::pages::channel_words(c.as_str()).to_string(), *n)),
                summary.respondents,
            ))
            h2 { "By language" }
            p { "The language each response was given in. Easy Read is counted as a language of its own." }
            (shares_table("language", "Language", language_rows.iter().cloned(), summary.respondents))
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
                        @if is_admin {
                            p { a href={ "/admin/surveys/" (survey.id()) "/population" } { "Load the area's figures" } }
                        }
                    }
                }
                None => {
                    h2 { "Compared with the area" }
                    p.notice {
                        "There are no figures for the area yet: a CSV with the columns question, answer and people. "
                        @if is_admin {
                            a href={ "/admin/surveys/" (survey.id()) "/population" } { "Load the area's figures" }
                        } @else {
                            "An admin loads them."
                        }
                    }
                }
                Some(Ok(population)) => {
                    h2 { "Compared with the area" }
                    @if is_admin {
                        p { a href={ "/admin/surveys/" (survey.id()) "/population" } { "Load new figures for the area" } }
                    }
                    form.breakdown.reach-filter method="get" action={ "/admin/surveys/" (survey.id()) "/reach" } {
                        fieldset {
                            legend { "Which responses to compare" }
                            (choices.field("from", "From", "The first day counted (UTC). Leave it empty to start from the first response.",
                                choices.text_input("from", "date", choices.typed("from"))))
                            (choices.field("to", "To", "The last day counted (UTC). Leave it empty to go up to today.",
                                choices.text_input("to", "date", choices.typed("to"))))
                            (choices.field("channel", "Channel", "How the answers were given.", html! {
                                select #channel name="channel" aria-describedby=(choices.described_by("channel"))
                                    aria-invalid=[choices.problem("channel").map(|_| "true")] {
                                    option value="" selected[choices.filter.channel.is_none()] { "Every channel" }
                                    @for channel in Channel::ALL {
                                        option value=(channel.as_str()) selected[choices.filter.channel == Some(channel)] {
                                            (super::pages::channel_words(channel.as_str()))
                                        }
                                    }
                                }
                            }))
                            (choices.field("version", "Version", "The version of the survey answered.", html! {
                                select #version name="version" aria-describedby=(choices.described_by("version"))
                                    aria-invalid=[choices.problem("version").map(|_| "true")] {
                                    option value="" selected[choices.filter.version.is_none()] { "Every version" }
                                    @for version in &versions {
                                        option value=(version) selected[choices.filter.version == Some(*version)] { "Version " (version) }
                                    }
                                }
                            }))
                        }
                        (choices.field("margin", "Mark a group when its share is below the area's by more than (percentage points)",
                            "A whole number from 1 to 50.",
                            choices.text_input("margin", "text",
                                if choices.problem("margin").is_some() { choices.typed("margin") } else { margin.to_string() })))
                        button type="submit" { "Show" }
                    }
                    @if let Some(matching) = matching {
                        p.filtered {
                            "Responses matching these choices: " strong { (count(matching)) } ". "
                            @if matching == Shown::Hidden {
                                "Too few match them, or their number would give away a count hidden above, so their groups are hidden too."
                            } @else {
                                "Their counts are protected together with everyone's, so what they leave out stays hidden too."
                            }
                        }
                    } @else if filtered.is_some() {
                        p.notice { "Too few responses to compare: the comparison needs at least " (summary.threshold) " responses in all." }
                    }
                    @for question_id in population.questions() {
                        @if let Some(question) = shown.questions.iter().find(|q| q.id == question_id) {
                            @let groups = if filtered.is_some() { GroupCounts::matching(question) } else { Some(GroupCounts::whole(question)) };
                            @if let Some(groups) = groups {
                                (reach_table(&groups, population, question_id, margin, summary.threshold))
                            }
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
    question: &GroupCounts,
    population: &crate::population::Population,
    question_id: &str,
    margin: u32,
    threshold: u64,
) -> Markup {
    let groups: Vec<&crate::population::Group> = population
        .groups
        .iter()
        .filter(|g| g.question == question_id)
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
                .filter(|(value, ..)| !value.is_empty() && !covered(value))
                .fold(answered, |left, (.., n)| match n {
                    Shown::Count(n) => left.saturating_sub(*n),
                    Shown::Hidden => left,
                }),
        ),
        Shown::Hidden => Shown::Hidden,
    };
    // Worked out from counts shown, but a number like any other: small, it is not shown.
    let base = match base {
        Shown::Count(n) if n > 0 && n < threshold => Shown::Hidden,
        other => other,
    };
    let answer = |value: &str| question.answers.iter().find(|(v, ..)| *v == value);
    html! {
        h3 { (question.label) }
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
                        @let label = group.answers.iter().map(|a| answer(a).map_or(a.as_str(), |(_, label, _)| *label)).collect::<Vec<_>>().join(", ");
                        @let responses = group.answers.iter().try_fold(0u64, |sum, a| match answer(a).map(|(.., n)| *n) {
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
