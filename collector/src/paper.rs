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
use voices_shared::{Condition, Question, QuestionKind, Survey, catalogue, fill, split_paragraphs};

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

    /// The clause for `condition`, or for its opposite when `negated`.
    fn clause(&self, condition: &Condition, negated: bool) -> String {
        let words = self.words;
        let joined = |parts: &[Condition], joiner: &str| {
            parts
                .iter()
                .map(|c| self.clause(c, negated))
                .collect::<Vec<_>>()
                .join(joiner)
        };
        match condition {
            Condition::Equals { question, value } => {
                let value = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let template = if negated {
                    words.answered_other
                } else {
                    words.answered_with
                };
                fill(
                    template,
                    &[
                        ("answers", &self.answer(question, &value)),
                        ("n", &self.number(question)),
                    ],
                )
            }
            Condition::AnyOf { question, values } => {
                let template = if negated {
                    words.answered_other
                } else {
                    words.answered_with
                };
                fill(
                    template,
                    &[
                        ("answers", &self.answers(question, values)),
                        ("n", &self.number(question)),
                    ],
                )
            }
            Condition::Answered { question, answered } => {
                let template = if *answered != negated {
                    words.answered
                } else {
                    words.left_blank
                };
                fill(template, &[("n", &self.number(question))])
            }
            // Not all of them is any one not holding, and the other way round.
            Condition::All(parts) => joined(parts, if negated { words.or } else { words.and }),
            Condition::Any(parts) => joined(parts, if negated { words.and } else { words.or }),
            Condition::Not(inner) => self.clause(inner, !negated),
        }
    }
}

/// How to answer a question, and the space to answer it in.
fn answer_space(question: &Question, locale: &str, words: &PaperWords) -> Markup {
    // Words a language lacks are English, marked as such.
    let said = |text: &str| in_own_language(text, words.locale, locale);
    let options = |tick: &str| {
        html! {
            p.paper-how-to { (said(tick)) }
            ul.paper-options {
                @for option in question.options() {
                    li {
                        span.paper-box aria-hidden="true" {}
                        " " (option.label().get(locale))
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
        QuestionKind::MultipleChoice { .. } => options(words.tick_any),
        QuestionKind::Rating {
            min,
            max,
            min_label,
            max_label,
        } => html! {
            p.paper-how-to { (said(words.tick_one)) }
            ul.paper-scale {
                @for n in *min..=*max {
                    li {
                        span.paper-box aria-hidden="true" {}
                        " " (n)
                        @let end = if n == *min { min_label.as_ref() } else if n == *max { max_label.as_ref() } else { None };
                        @if let Some(label) = end { " " span.paper-end { (label.get(locale)) } }
                    }
                }
            }
        },
        QuestionKind::Text { multiline, .. } => html! {
            p.paper-how-to { (said(words.write)) }
            div.paper-write.paper-write-long[*multiline] aria-hidden="true" {}
        },
        QuestionKind::Number { unit, .. } => html! {
            p.paper-how-to { (said(words.write)) }
            div.paper-number-field {
                span.paper-write.paper-write-short aria-hidden="true" {}
                @if let Some(unit) = unit { " " (unit.get(locale)) }
            }
        },
        QuestionKind::Date { .. } => html! {
            div.paper-date {
                @for part in words.date_parts {
                    span.paper-date-part { span.paper-write.paper-write-short aria-hidden="true" {} span { (said(part)) } }
                }
            }
        },
        QuestionKind::Consent => html! {
            p.paper-consent { span.paper-box aria-hidden="true" {} }
        },
        QuestionKind::Info { .. } => html! {},
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
                    h1 { (survey.title().get(locale)) }
                    @if let Some(organisation) = survey.organisation() {
                        p.paper-by { (widget_said(&fill(widget_words.run_by, &[("organisation", organisation.get(locale))]))) }
                    }
                    @if let Some(intro) = survey.intro() { (paragraphs(intro.get(locale))) }
                    p.paper-how { strong { (said(words.how)) } }
                    @for (i, page) in survey.pages().iter().enumerate() {
                        section.paper-page aria-labelledby={ "paper-page-" (i + 1) } {
                            h2 id={ "paper-page-" (i + 1) } {
                                @match page.title() {
                                    Some(title) => (title.get(locale)),
                                    None => (widget_said(&widget_words.page_of(i + 1, pages))),
                                }
                            }
                            @if let Some(condition) = page.visible_if() {
                                p.paper-routing { (said(&fill(words.section_only_if, &[("condition", &routing.clause(condition, false))]))) }
                            }
                            @for question in page.questions() {
                                @if let QuestionKind::Info { body } = question.kind() {
                                    div.paper-info {
                                        h3 { (question.label().get(locale)) }
                                        (paragraphs(body.get(locale)))
                                    }
                                } @else {
                                    div.paper-question {
                                        h3 {
                                            span.paper-number { (routing.number(question.id())) "." } " "
                                            (question.label().get(locale))
                                            @if !question.required() { " " span.paper-optional { (widget_said(widget_words.optional)) } }
                                        }
                                        @if let Some(hint) = question.hint() { p.paper-hint { (hint.get(locale)) } }
                                        @if let Some(condition) = question.visible_if() {
                                            p.paper-routing { (said(&fill(words.only_if, &[("condition", &routing.clause(condition, false))]))) }
                                        }
                                        (answer_space(question, locale, words))
                                    }
                                }
                            }
                        }
                    }
                    section.paper-privacy aria-labelledby="paper-privacy" {
                        h2 #paper-privacy { (widget_said(widget_words.privacy_heading)) }
                        (paragraphs(survey.privacy().text().get(locale)))
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
