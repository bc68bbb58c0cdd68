//! A survey screen as a plain HTML form: what its hidden field carries between screens, and
//! how a posted form becomes the reducer's state and action again (for the collector, when
//! JavaScript is off or has not arrived yet).
//!
//! Nothing is kept on the server between screens: the answers so far travel in the form
//! itself, in one hidden field ([`STATE_FIELD`]), and the fields of the page being shown
//! are read as the browser would have sent them. The server then applies the very same
//! [`Action`] the browser's reducer would, so both paths take the same steps.

use serde::Serialize;
use voices_shared::QuestionKind;
use voices_shared::serde_json::Value;

use std::sync::Arc;

use crate::read_back::{Fields, flag, text, whole};
use crate::state::{Action, DatePart, Draft, Screen, SurveyState};

/// The hidden field with everything answered so far. Names with a hyphen never meet a
/// question's (those are `[a-z0-9_]`).
pub const STATE_FIELD: &str = "voices-state";
/// The submit button's field: `start`, `continue`, `back`, `send`, or `change:QUESTION`.
pub const ACTION_FIELD: &str = "voices-action";
/// The language buttons' field: the locale to show.
pub const LANGUAGE_FIELD: &str = "voices-lang";
/// The questions the page showed, space-separated: a no-JavaScript page only learns what a
/// condition reveals when it is posted, so a question revealed since is shown before moving on.
pub const SHOWN_FIELD: &str = "voices-shown";
/// A field people never see or hear (it is `hidden`); a form that arrives with it filled in
/// was filled in by a program.
pub const HONEYPOT_FIELD: &str = "voices-website";

/// A date's parts: `QUESTION-day`, `QUESTION-month`, `QUESTION-year`.
pub fn date_field(question: &str, part: DatePart) -> String {
    let part = match part {
        DatePart::Day => "day",
        DatePart::Month => "month",
        DatePart::Year => "year",
    };
    format!("{question}-{part}")
}

/// A "please specify" box: `QUESTION-specify`.
pub fn specify_field(question: &str) -> String {
    format!("{question}-specify")
}

/// What the hidden field carries: the draft the widget keeps on a device (answers as typed,
/// the page), and what a form must say besides, since nothing is kept between screens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Carried {
    /// Nested rather than flattened into this object: serde's `flatten` buffers the whole
    /// object first, which cost the widget's download 8 kB.
    pub draft: Draft,
    /// The survey version the person started on (0 in forms from before it was carried).
    pub version: u32,
    /// On check-your-answers (the draft's `page` is then `None`).
    pub check: bool,
    pub returning_to_check: bool,
    pub changing: Option<String>,
    /// When the collector first served this survey to the person (Unix milliseconds): a
    /// response sent within seconds of that was not typed by a person.
    pub started_ms: u64,
    /// How the person came to the survey, when not online (a poster's QR code). Only a
    /// channel of the person's own device is taken back from a form.
    #[serde(skip_serializing_if = "is_online")]
    pub channel: voices_shared::Channel,
}

impl Carried {
    /// Reads back what a form carried, as `Serialize` wrote it (see
    /// [`crate::read_back`]); forms written before a field was carried read too.
    pub fn from_json(value: Value) -> Option<Carried> {
        let mut fields = Fields::of(value)?;
        Some(Carried {
            draft: fields.required("draft", Draft::from_json)?,
            version: fields.defaulted("version", whole)?,
            check: fields.defaulted("check", flag)?,
            returning_to_check: fields.defaulted("returning_to_check", flag)?,
            changing: fields.optional("changing", text)?,
            started_ms: fields.defaulted("started_ms", whole)?,
            channel: fields.defaulted("channel", |name| {
                voices_shared::Channel::parse(name.as_str()?)
            })?,
        })
    }
}

fn is_online(channel: &voices_shared::Channel) -> bool {
    *channel == voices_shared::Channel::Online
}

impl SurveyState {
    /// What this screen's forms carry, as the hidden field's value.
    pub fn carried(&self) -> String {
        // Once stored (or erased), the answers are not carried any further: the page's
        // language buttons then start afresh rather than keep them in the page.
        let done = matches!(self.screen, Screen::Sent { .. } | Screen::Erased);
        let mut draft = self.snapshot();
        if done {
            draft.answers.clear();
            draft.specify.clear();
            draft.numbers.clear();
            draft.dates.clear();
        }
        if let Screen::Page(page) = self.screen {
            draft.page = Some(page);
        }
        let carried = Carried {
            draft,
            version: self.survey().version(),
            check: matches!(self.screen, Screen::Check | Screen::Sending),
            returning_to_check: self.returning_to_check,
            changing: self.changing.clone(),
            started_ms: self.started_ms,
            channel: self.channel,
        };
        voices_shared::serde_json::to_string(&carried).unwrap_or_default()
    }

    /// The state a posted form stands for: what it carried, with the fields of the page it
    /// showed read in (unticked boxes and emptied fields included), and the action its
    /// button asked for.
    pub fn from_post(
        survey: Arc<voices_shared::Survey>,
        fields: &[(String, String)],
    ) -> Result<(SurveyState, Action), PostProblem> {
        let value = |name: &str| {
            fields
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let carried: Carried = match value(STATE_FIELD) {
            Some(json) => voices_shared::serde_json::from_str(json)
                .ok()
                .and_then(Carried::from_json)
                .ok_or(PostProblem::Unreadable)?,
            None => return Err(PostProblem::Unreadable),
        };
        if value(HONEYPOT_FIELD).is_some_and(|v| !v.is_empty()) {
            return Err(PostProblem::Automated);
        }
        // The same restore as a draft kept on a device: the locale only if offered, the
        // page only if the answers still show it.
        let check = carried.check;
        let default_locale = survey.default_locale().to_owned();
        let channel = voices_shared::Channel::claimed_publicly(Some(carried.channel));
        let mut state =
            SurveyState::new(survey, default_locale, channel, carried.draft.submission_id)
                .restore(carried.draft);
        if check {
            state.screen = Screen::Check;
        }
        state.returning_to_check = carried.returning_to_check;
        state.changing = carried.changing;
        state.started_ms = carried.started_ms;
        if let Screen::Page(page) = state.screen {
            let shown: Vec<&str> = value(SHOWN_FIELD)
                .unwrap_or_default()
                .split_whitespace()
                .collect();
            state.read_page_fields(page, &shown, fields);
            // Read from a form, not typed just now: nobody is waiting to hear a count.
            state.typing = 0;
            state.last_typed = None;
        }

        let action = if let Some(locale) = value(LANGUAGE_FIELD) {
            Action::SetLocale(locale.to_owned())
        } else {
            match value(ACTION_FIELD).unwrap_or("continue") {
                "start" => Action::Start,
                "back" => Action::Back,
                "send" => Action::Send,
                other => match other.strip_prefix("change:") {
                    Some(question) => Action::Change {
                        question: question.to_owned(),
                    },
                    None => Action::Continue,
                },
            }
        };
        Ok((state, action))
    }

    /// Reads the answers to the questions page `page` showed (`shown`) from the posted
    /// fields, through the same actions the browser sends as the person types and ticks.
    fn read_page_fields(&mut self, page: usize, shown: &[&str], fields: &[(String, String)]) {
        let all = |name: &str| -> Vec<String> {
            fields
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
                .collect()
        };
        // Browsers post a textarea's line breaks as CRLF; typed in the widget they are LF.
        let first = |name: &str| {
            all(name)
                .into_iter()
                .next()
                .unwrap_or_default()
                .replace("\r\n", "\n")
        };
        let survey = Arc::clone(self.survey());
        let Some(page) = survey.pages().get(page) else {
            return;
        };
        for question in page.questions() {
            let id = question.id();
            if !shown.contains(&id) {
                continue;
            }
            let mut next = match question.kind() {
                QuestionKind::Info { .. } => continue,
                QuestionKind::SingleChoice { .. } => {
                    let mut next = self.clone();
                    next.answers.remove(id);
                    match all(id).into_iter().next() {
                        Some(value) => next.apply(Action::Choose {
                            question: id.to_owned(),
                            value,
                        }),
                        None => next,
                    }
                }
                QuestionKind::Rating { .. } => {
                    let mut next = self.clone();
                    next.answers.remove(id);
                    match first(id).trim().parse::<i64>() {
                        Ok(value) => next.apply(Action::Rate {
                            question: id.to_owned(),
                            value,
                        }),
                        Err(_) => next,
                    }
                }
                QuestionKind::MultipleChoice { .. } => {
                    // Set as ticked, in the options' order: an exclusive option ticked with
                    // others is for `shared` to report, as it would be from the browser.
                    let ticked = all(id);
                    let chosen: Vec<Value> = question
                        .options()
                        .iter()
                        .filter(|o| ticked.iter().any(|t| t == o.value()))
                        .map(|o| Value::String(o.value().to_owned()))
                        .collect();
                    let mut next = self.clone();
                    if chosen.is_empty() {
                        next.answers.remove(id);
                    } else {
                        next.answers.insert(id.to_owned(), Value::Array(chosen));
                    }
                    next
                }
                QuestionKind::Text { .. } => self.apply(Action::Text {
                    question: id.to_owned(),
                    text: first(id),
                }),
                QuestionKind::Number { .. } => self.apply(Action::Number {
                    question: id.to_owned(),
                    text: first(id),
                }),
                QuestionKind::Date { .. } => {
                    let mut next = self.clone();
                    for part in [DatePart::Day, DatePart::Month, DatePart::Year] {
                        next = next.apply(Action::DatePart {
                            question: id.to_owned(),
                            part,
                            text: first(&date_field(id, part)),
                        });
                    }
                    next
                }
                QuestionKind::Consent => self.apply(Action::Consent {
                    question: id.to_owned(),
                    on: !all(id).is_empty(),
                }),
            };
            if question.options().iter().any(|o| o.specify()) {
                next = next.apply(Action::Specify {
                    question: id.to_owned(),
                    text: first(&specify_field(id)),
                });
            }
            *self = next;
        }
    }

    /// The questions of page `page` the answers show now that the page did not show when
    /// it was posted (`shown`): revealed by an answer on the page itself, which a page
    /// without JavaScript can only learn once it is posted.
    pub fn newly_shown(&self, page: usize, shown: &[&str]) -> Vec<String> {
        let visibility = self.survey().visibility(&self.answers);
        let Some(p) = self.survey().pages().get(page) else {
            return Vec::new();
        };
        p.questions()
            .iter()
            .enumerate()
            .filter(|(q, question)| {
                visibility.question_visible(page, *q)
                    && question.is_answerable()
                    && !shown.contains(&question.id())
            })
            .map(|(_, question)| question.id().to_owned())
            .collect()
    }
}

/// The survey version a posted form was started on, if it says (the collector answers it
/// with that version while it is still published).
pub fn carried_version(fields: &[(String, String)]) -> Option<u32> {
    let json = fields.iter().find(|(key, _)| key == STATE_FIELD)?;
    let version: u32 = Fields::of(voices_shared::serde_json::from_str(&json.1).ok()?)?
        .defaulted("version", whole)?;
    (version > 0).then_some(version)
}

/// Why a posted form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostProblem {
    /// The hidden field is missing or not what a screen wrote (an old or altered form).
    Unreadable,
    /// The field people never see came back filled in.
    Automated,
}

/// The hidden field every screen's forms carry (see [`Carried`]).
pub fn hidden_state(state: &SurveyState) -> yew::Html {
    yew::html! { <input type="hidden" name={STATE_FIELD} value={state.carried()} /> }
}

/// "Back" as a form of its own at the top of the screen: with JavaScript the reducer moves
/// back; without it, the form posts what was carried. (A form of its own, so that Enter in a
/// text box never presses Back: the first submit button of a form is its default.)
pub fn back_form(
    state: &yew::UseReducerHandle<SurveyState>,
    action: &yew::AttrValue,
    disabled: bool,
) -> yew::Html {
    use yew::prelude::*;
    let catalogue = voices_shared::catalogue(&state.locale);
    let onclick = {
        let state = state.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            state.dispatch(Action::Back);
        })
    };
    html! {
        <form method="post" action={action.clone()} class="voices-back-form">
            { hidden_state(state) }
            <button type="submit" name={ACTION_FIELD} value="back" class="voices-back" {onclick}
                aria-disabled={disabled.then_some("true")}>{ catalogue.back }</button>
        </form>
    }
}
