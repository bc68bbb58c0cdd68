//! `/s/{id}/print`: a survey's paper version, to print from the browser and fill in with a
//! pen: every question once, numbered through the whole survey, each with how to answer it,
//! and the survey's routing written as instructions ("Answer this question only if you
//! answered “No” to question 3"), in any language the survey offers.
//!
//! Not a screen of the survey (those are the widget's, rendered on the server by
//! `survey_form`): a document of its own, in which every question shows at once.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{DOCTYPE, Markup, html};
use voices_shared::paper_words::{PaperWords, paper_words};
use voices_shared::serde_json::Value;
use voices_shared::{
    Condition, ProblemKind, Question, QuestionKind, Survey, Text, TextFormat, catalogue, fill,
    split_paragraphs,
};

use crate::AppState;
use crate::pages::in_own_language;
use crate::survey_form::{LanguageQuery, not_found, reader_locale};

/// The paper version's own styles: boxes to tick and spaces to write in, on screen and on
/// paper.
pub const PAPER_CSS: &str = include_str!("../static/paper.css");

/// Each question's number, through the whole survey (information blocks have none).
fn numbers(survey: &Survey) -> BTreeMap<&str, usize> {
    survey
        .questions()
        .filter(|q| !matches!(q.kind(), QuestionKind::Info { .. }))
        .enumerate()
        .map(|(i, q)| (q.id(), i + 1))
        .collect()
}

/// A condition's clauses, in the reader's language.
struct Routing<'a> {
    survey: &'a Survey,
    numbers: &'a BTreeMap<&'a str, usize>,
    locale: &'a str,
    words: &'static PaperWords,
}

impl Routing<'_> {
    /// An answer as the question shows it: an option's label, a rating's number.
    fn answer(&self, question: &str, value: &str) -> String {
        let label = self
            .survey
            .question(question)
            .and_then(|q| q.options().iter().find(|o| o.value() == value))
            .map_or(value, |o| o.label().get(self.locale));
        let (open, close) = self.words.quotes;
        format!("{open}{label}{close}")
    }

    fn answers(&self, question: &str, values: &[String]) -> String {
        values
            .iter()
            .map(|v| self.answer(question, v))
            .collect::<Vec<_>>()
            .join(self.words.or)
    }

    fn number(&self, question: &str) -> String {
        self.numbers
            .get(question)
            .map_or_else(|| question.to_owned(), ToString::to_string)
    }

    /// One clause, for a condition on one question (or its opposite when `negated`).
    fn leaf(&self, condition: &Condition, negated: bool) -> String {
        let words = self.words;
        let choice = |answers: String, question: &str| {
            let template = if negated {
                words.answered_other
            } else {
                words.answered_with
            };
            fill(
                template,
                &[("answers", &answers), ("n", &self.number(question))],
            )
        };
        let answered = |question: &str, answered: bool| {
            let template = if answered != negated {
                words.answered
            } else {
                words.left_blank
            };
            fill(template, &[("n", &self.number(question))])
        };
        match condition {
            // A box ticked or not (consent): answered or left blank.
            Condition::Equals {
                question,
                value: Value::Bool(ticked),
            } => answered(question, *ticked),
            Condition::Equals { question, value } => {
                let value = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                choice(self.answer(question, &value), question)
            }
            Condition::AnyOf { question, values } => {
                choice(self.answers(question, values), question)
            }
            Condition::Answered {
                question,
                answered: is,
            } => answered(question, *is),
            Condition::All(_) | Condition::Any(_) | Condition::Not(_) => String::new(),
        }
    }

    /// `condition` (or its opposite) as clauses: "not" pushed down to the questions (not
    /// all of them is any one not holding, and the other way round), and a group inside a
    /// group of the same kind merged into it.
    fn tree(&self, condition: &Condition, negated: bool) -> Clause {
        let group = |parts: &[Condition], all: bool| {
            let mut merged = Vec::new();
            for part in parts {
                match self.tree(part, negated) {
                    Clause::Group { all: inner, parts } if inner == all => merged.extend(parts),
                    other => merged.push(other),
                }
            }
            Clause::Group { all, parts: merged }
        };
        match condition {
            Condition::All(parts) => group(parts, !negated),
            Condition::Any(parts) => group(parts, negated),
            Condition::Not(inner) => self.tree(inner, !negated),
            leaf => Clause::Leaf(self.leaf(leaf, negated)),
        }
    }

    /// The instruction for `condition`, from `template` (a question's or a page's): one
    /// sentence when its clauses are all joined alike, else a sentence and a list of them,
    /// so a reader sees which go together.
    fn instruction(&self, template: &str, condition: &Condition) -> Markup {
        let words = self.words;
        let said = |text: &str| in_own_language(text, words.locale, self.locale);
        match self.tree(condition, false) {
            Clause::Leaf(text) => {
                html! { p.paper-routing { (said(&fill(template, &[("condition", &text)]))) } }
            }
            Clause::Group { all, parts } if parts.iter().all(|p| matches!(p, Clause::Leaf(_))) => {
                let joiner = if all { words.and } else { words.or };
                let text = parts
                    .iter()
                    .map(|p| match p {
                        Clause::Leaf(text) => text.as_str(),
                        Clause::Group { .. } => "",
                    })
                    .collect::<Vec<_>>()
                    .join(joiner);
                html! { p.paper-routing { (said(&fill(template, &[("condition", &text)]))) } }
            }
            tree => html! {
                div.paper-routing {
                    (self.list(&tree, Some(template)))
                }
            },
        }
    }

    /// A group of clauses as a sentence ("… only if all of these are true.") and a list.
    fn list(&self, clause: &Clause, template: Option<&str>) -> Markup {
        let words = self.words;
        let said = |text: &str| in_own_language(text, words.locale, self.locale);
        match clause {
            Clause::Leaf(text) => html! { (said(text)) },
            Clause::Group { all, parts } => {
                let heading = if *all { words.all_of } else { words.one_of };
                let lead = match template {
                    Some(template) => fill(template, &[("condition", heading)]),
                    None => heading.to_owned(),
                };
                html! {
                    p { (said(&lead)) }
                    ul role="list" {
                        @for part in parts { li { (self.list(part, None)) } }
                    }
                }
            }
        }
    }
}

/// A condition as a reader follows it: clauses about one question each, and groups of
/// them that must all hold (`all`) or of which one must.
enum Clause {
    Leaf(String),
    Group { all: bool, parts: Vec<Clause> },
}

/// Survey text in `locale`, marked with the survey's own language where it falls back to it.
fn survey_text(text: &Text, locale: &str, default_locale: &str) -> Markup {
    let written_in = if text.has_translation(locale) {
        locale
    } else {
        default_locale
    };
    in_own_language(text.get(locale), written_in, locale)
}

/// How to answer a question, and the space to answer it in.
fn answer_space(question: &Question, survey: &Survey, locale: &str, words: &PaperWords) -> Markup {
    // Words a language lacks are English, marked as such.
    let said = |text: &str| in_own_language(text, words.locale, locale);
    let shown = |text: &Text| survey_text(text, locale, survey.default_locale());
    let options = |tick: &str| {
        html! {
            p.paper-how-to { (said(tick)) }
            ul.paper-options role="list" {
                @for option in question.options() {
                    li {
                        span.paper-box aria-hidden="true" {}
                        " " (shown(option.label()))
                        @if option.specify() {
                            span.paper-details { (said(words.give_details)) " " span.paper-line aria-hidden="true" {} }
                        }
                    }
                }
            }
        }
    };
    match question.kind() {
        QuestionKind::SingleChoice { .. } => options(words.tick_one),
        QuestionKind::MultipleChoice {
            max_selected: Some(max),
            ..
        } if (*max as usize) < question.options().len() => {
            options(&fill(words.tick_up_to, &[("max", &max.to_string())]))
        }
        QuestionKind::MultipleChoice { .. } => options(words.tick_any),
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => html! {
            p.paper-how-to { (said(words.tick_one)) }
            ul.paper-scale role="list" {
                @for n in *min..=*max {
                    li {
                        span.paper-box aria-hidden="true" {}
                        " " (n)
                        @let end = if n == *min { min_label.as_ref() } else if n == *max { max_label.as_ref() } else { None };
                        @if let Some(label) = end { " " span.paper-end { (shown(label)) } }
                    }
                }
            }
        },
        QuestionKind::Text { multiline, .. } => html! {
            p.paper-how-to { (said(words.write)) }
            (limits(question, locale))
            div.paper-write.paper-write-long[*multiline] aria-hidden="true" {}
        },
        QuestionKind::Number { unit, .. } => html! {
            p.paper-how-to { (said(words.write)) }
            (limits(question, locale))
            div.paper-number-field {
                span.paper-write.paper-write-short aria-hidden="true" {}
                @if let Some(unit) = unit { " " (shown(unit)) }
            }
        },
        QuestionKind::Date { .. } => html! {
            (limits(question, locale))
            div.paper-date {
                @for part in words.date_parts {
                    span.paper-date-part { span.paper-write.paper-write-short aria-hidden="true" {} span { (said(part)) } }
                }
            }
        },
        QuestionKind::Consent => html! {
            p.paper-how-to { (said(words.tick_to_agree)) }
            p.paper-consent { span.paper-box aria-hidden="true" {} }
        },
        QuestionKind::Info { .. } => html! {},
    }
}

/// Text this short is a limit worth printing; a long one (a comment box) no hand reaches.
const PRINTED_LENGTH_LIMIT: u32 = 300;

/// What an answer must keep to (a number's range, whole numbers, a date's range, a text's
/// format or a short length), in the widget's own words for the problem: on paper nobody
/// is told afterwards, so it is said before.
fn limits(question: &Question, locale: &str) -> Markup {
    let words = catalogue(locale);
    let kind = question.kind();
    let mut problems = Vec::new();
    match kind {
        QuestionKind::Number {
            min, max, integer, ..
        } => {
            if min.is_some() || max.is_some() {
                problems.push(ProblemKind::OutOfRange {
                    min: *min,
                    max: *max,
                });
            }
            if *integer {
                problems.push(ProblemKind::NotInteger);
            }
        }
        QuestionKind::Date { min, max } if min.is_some() || max.is_some() => {
            problems.push(ProblemKind::DateOutOfRange {
                min: *min,
                max: *max,
            });
        }
        QuestionKind::Text {
            max_length, format, ..
        } => {
            match format {
                Some(TextFormat::Email) => problems.push(ProblemKind::BadEmail),
                Some(TextFormat::Phone) => problems.push(ProblemKind::BadPhone),
                Some(TextFormat::UkPostcode) => problems.push(ProblemKind::BadPostcode),
                None => {}
            }
            if *max_length <= PRINTED_LENGTH_LIMIT {
                problems.push(ProblemKind::TooLong {
                    max: *max_length as usize,
                    length: 0,
                });
            }
        }
        _ => {}
    }
    html! {
        @for problem in &problems {
            p.paper-limit { (in_own_language(&words.problem(problem, kind, false), words.locale, locale)) }
        }
    }
}

fn paragraphs(text: &str) -> Markup {
    html! { @for paragraph in split_paragraphs(text) { p { (paragraph) } } }
}

/// The whole paper version, in `locale`.
fn document(survey: &Survey, locale: &str) -> Markup {
    let words = paper_words(locale);
    let widget_words = catalogue(locale);
    let numbers = numbers(survey);
    let routing = Routing {
        survey,
        numbers: &numbers,
        locale,
        words,
    };
    let dir = voices_widget::locale::direction(locale);
    let pages = survey.pages().len();
    // Words a language lacks are English, marked as such.
    let said = |text: &str| in_own_language(text, words.locale, locale);
    let widget_said = |text: &str| in_own_language(text, widget_words.locale, locale);
    let shown = |text: &Text| survey_text(text, locale, survey.default_locale());
    // Where to carry on when a page's questions are not for the reader: the first question
    // after it, or the end.
    let after = |page: usize| {
        survey.pages()[page + 1..]
            .iter()
            .flat_map(|p| p.questions())
            .find_map(|q| numbers.get(q.id()))
    };
    html! {
        (DOCTYPE)
        html lang=(locale) dir=(dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (survey.title().get(locale)) }
                link rel="stylesheet" href="/paper.css";
            }
            body {
                main.paper {
                    h1 { (shown(survey.title())) }
                    @if let Some(organisation) = survey.organisation() {
                        p.paper-by { (widget_said(&fill(widget_words.run_by, &[("organisation", organisation.get(locale))]))) }
                    }
                    @if let Some(intro) = survey.intro() { (paragraphs(intro.get(locale))) }
                    p.paper-how { strong { (said(words.how)) } }
                    @for (i, page) in survey.pages().iter().enumerate() {
                        section.paper-page aria-labelledby={ "paper-page-" (i + 1) } {
                            h2 id={ "paper-page-" (i + 1) } {
                                @match page.title() {
                                    Some(title) => (shown(title)),
                                    None => (widget_said(&widget_words.page_of(i + 1, pages))),
                                }
                            }
                            @if let Some(condition) = page.visible_if() {
                                (routing.instruction(words.section_only_if, condition))
                                p.paper-routing {
                                    @match after(i) {
                                        Some(n) => (said(&fill(words.otherwise_go_to, &[("n", &n.to_string())]))),
                                        None => (said(words.otherwise_end)),
                                    }
                                }
                            }
                            @for question in page.questions() {
                                @if let QuestionKind::Info { body } = question.kind() {
                                    div.paper-info {
                                        h3 { (shown(question.label())) }
                                        @if let Some(condition) = question.visible_if() {
                                            (routing.instruction(words.read_only_if, condition))
                                        }
                                        @if voices_widget::locale::fallback(body, locale, survey.default_locale()).is_some() {
                                            div lang=(survey.default_locale()) dir=(voices_widget::locale::direction(survey.default_locale())) { (paragraphs(body.get(locale))) }
                                        } @else {
                                            (paragraphs(body.get(locale)))
                                        }
                                    }
                                } @else {
                                    div.paper-question {
                                        h3 {
                                            span.paper-number { (routing.number(question.id())) "." } " "
                                            (shown(question.label()))
                                            @if !question.required() { " " span.paper-optional { (widget_said(widget_words.optional)) } }
                                        }
                                        @if let Some(hint) = question.hint() { p.paper-hint { (shown(hint)) } }
                                        @if let Some(condition) = question.visible_if() {
                                            (routing.instruction(words.only_if, condition))
                                        }
                                        (answer_space(question, survey, locale, words))
                                    }
                                }
                            }
                        }
                    }
                    section.paper-privacy aria-labelledby="paper-privacy" {
                        h2 #paper-privacy { (widget_said(widget_words.privacy_heading)) }
                        (paragraphs(survey.privacy().text().get(locale)))
                        @if let Some(url) = survey.privacy().url() {
                            p { a href=(url) { (url) } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /s/{id}/print`: in `?lang=`, else the browser's language, else the survey's own.
pub async fn print(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<LanguageQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(published) = state.catalog().latest(&id) else {
        return not_found(&id);
    };
    let survey = &published.survey;
    let locale = reader_locale(survey, query.lang.as_deref(), &headers);
    crate::pages::page(StatusCode::OK, document(survey, &locale).into_string())
}
