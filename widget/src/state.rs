//! The survey as one person moves through it: a pure reducer, with no DOM, so native tests drive it.
//!
//! Components send [`Action`]s up; [`SurveyState::apply`] works out the next
//! state. Every rule about answers comes from `voices_shared`: this module
//! only decides which screen is shown and keeps what was typed.

use std::rc::Rc;
use std::sync::Arc;

use serde::Serialize;
use voices_shared::serde_json::{Number, Value};
use voices_shared::uuid::Uuid;

use crate::email_offer::EmailOffer;
use crate::read_back::{Fields, object, object_of, text, whole};
use voices_shared::{
    AnswerProblem, Answers, CalendarDate, Channel, QuestionKind, SortedMap, SpecifyTexts,
    Submission, Survey,
};

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Title, introduction, privacy notice and Start.
    Start,
    /// A page of questions, by index in the survey.
    Page(usize),
    /// "Check your answers", with Change links and Send.
    Check,
    /// The response is on its way.
    Sending,
    /// Not sent yet (offline, the collector busy or down): the response waits
    /// in the outbox on this device and is retried until it is stored.
    Queued,
    /// Stored: the collector's receipt.
    Sent { receipt: String },
    /// Stored once, then erased by staff (at the person's request or their own) before
    /// this device heard back: nothing more is sent, and the answers are forgotten.
    Erased,
    /// "Withdraw your response?", for a response this device sent (its receipt); from the
    /// thank-you screen (`from_sent`) or the first screen.
    Withdraw {
        receipt: String,
        from_sent: bool,
        /// The withdrawal is on its way.
        withdrawing: bool,
    },
    /// The response is withdrawn: deleted on the collector, forgotten here.
    Withdrawn,
    /// Collect mode: the answers were handed to the collect page, which keeps them sealed
    /// on the device until they are sent; nothing of them is left in the widget.
    Recorded,
}

/// Where keyboard focus should go after this change (see [`SurveyState::focus`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Focus {
    /// The new screen's heading.
    Heading,
    /// The error summary at the top of the page.
    ErrorSummary,
    /// A question's answer as it stands (after "Change"): the checked radio or the first
    /// ticked box, else its first input. Never an unchecked option, where one arrow key
    /// would replace the answer.
    Answer(String),
    /// A question's Change link on check-your-answers: the row the person came back to.
    ChangeLink(String),
    /// An element by its id (the email offer's field, or the message that replaces it).
    Element(&'static str),
}

/// The three parts of a date as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DatePart {
    Day,
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLocale(String),
    Start,
    /// A single choice (radio) was picked.
    Choose {
        question: String,
        value: String,
    },
    /// A rating was picked.
    Rate {
        question: String,
        value: i64,
    },
    /// A multiple-choice box was ticked or unticked.
    Toggle {
        question: String,
        value: String,
        on: bool,
    },
    Text {
        question: String,
        text: String,
    },
    Specify {
        question: String,
        text: String,
    },
    Number {
        question: String,
        text: String,
    },
    DatePart {
        question: String,
        part: DatePart,
        text: String,
    },
    Consent {
        question: String,
        on: bool,
    },
    Continue,
    Back,
    /// "Change" on the check-answers screen.
    Change {
        question: String,
    },
    Send,
    Sent {
        receipt: String,
    },
    SendFailed {
        message: String,
    },
    /// The send did not get through; the outbox will keep trying. `offline`: the device
    /// has no connection (else the collector could not take it: busy, down or too slow).
    Queued {
        offline: bool,
    },
    /// The connection is back and a queued response is on its way now.
    SendingAgain,
    /// That attempt did not get through either: waiting again, quietly.
    StillQueued {
        offline: bool,
    },
    /// The collector answered that this response was erased.
    Erased,
    /// "Withdraw my response" for the response with this receipt.
    AskWithdraw {
        receipt: String,
    },
    /// "No, keep my response".
    KeepResponse,
    /// "Yes, withdraw my response".
    ConfirmWithdraw,
    /// The collector has deleted it (or it was gone already).
    Withdrew,
    WithdrawFailed {
        message: String,
    },
    /// Collect mode: the collect page has the response; the widget forgets it and starts
    /// afresh under `submission_id`, on the recorded screen.
    Recorded {
        submission_id: Uuid,
    },
    /// Collect mode: the respondent stopped (or the device was left idle); everything they
    /// answered is forgotten, and the survey starts afresh under `submission_id`.
    Cleared {
        submission_id: Uuid,
    },
    /// Collect mode: from the recorded screen to the first, for the next person.
    NextPerson,
    /// Another tab of the page, started from the same draft, already has different
    /// answers waiting under this submission id: these answers are a response of
    /// their own, sent under this new id rather than replacing those.
    NewSubmissionId(Uuid),
    /// An outcome that arrived while the person may be elsewhere (a send finishing, a
    /// queued response sent later). When focus is not inside the widget, the new screen
    /// is announced instead of pulling focus from the host page.
    Background {
        outcome: Box<Action>,
        focus_inside: bool,
    },
    /// Typing paused after the `typing`-th keystroke: the character count may now be
    /// announced (announcing every keystroke drowns the person typing).
    TypingPaused {
        typing: u32,
    },
    /// "Email me the news" on the thank-you screen, with the address typed.
    OfferEmail {
        address: String,
    },
    /// The collector keeps the address.
    EmailKept,
    /// The address did not reach the collector, or it did not keep it: why.
    EmailNotKept {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurveyState {
    /// The survey as its screens show it in `locale`: as published, or in Easy Read with
    /// one question to a page ([`Survey::one_question_per_page`]).
    survey: Arc<Survey>,
    /// The survey as published.
    published: Arc<Survey>,
    /// Set through [`SurveyState::set_locale`], which lays the survey out for it.
    pub locale: String,
    pub channel: Channel,
    pub submission_id: Uuid,
    pub answers: Answers,
    pub specify: SpecifyTexts,
    /// Number fields as typed, so "1,5" stays on screen while it is an error.
    pub numbers: SortedMap<String>,
    pub dates: SortedMap<DateParts>,
    pub screen: Screen,
    /// Problems on the current page, in order, after Continue.
    pub problems: Vec<AnswerProblem>,
    /// After "Change", Continue (or Back) goes back to the check-answers screen.
    pub returning_to_check: bool,
    /// The question whose row focus returns to on check-your-answers.
    pub changing: Option<String>,
    /// Why the last send failed, shown on the check-answers screen.
    pub send_error: Option<String>,
    /// Where focus should go, and a counter that changes whenever it should move.
    pub focus: Option<Focus>,
    pub focus_count: u32,
    /// What the widget's live region says: a change that happened while focus was
    /// elsewhere. Empty until there is one.
    pub announcement: String,
    /// A queued response is being sent now that the connection is back (said on the
    /// queued screen, so that waiting turns into sending only when it really does).
    pub sending_again: bool,
    /// While queued: whether the device is offline (waiting for a connection) rather than
    /// the collector unable to take the response just now.
    pub offline: bool,
    /// Keystrokes in text fields so far, and the field of the last one.
    pub typing: u32,
    pub last_typed: Option<String>,
    /// When the collector first served this survey to the person (Unix milliseconds; 0 in
    /// the browser's own state). Carried by the server-rendered forms, see `form_post`.
    pub started_ms: u64,
    /// The field whose character count speaks, and the length it says: set when typing
    /// in it pauses (one field is typed in at a time, so one is enough).
    pub spoken_count: Option<(String, usize)>,
    /// The thank-you screen's offer of the survey's updates by email.
    pub email: EmailOffer,
}

/// What the widget keeps on the device between visits, so that a reload
/// loses nothing typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub submission_id: Uuid,
    pub locale: String,
    pub answers: Answers,
    pub specify: SpecifyTexts,
    pub numbers: SortedMap<String>,
    pub dates: SortedMap<DateParts>,
    /// The page the person was on, if any.
    pub page: Option<usize>,
}

impl Draft {
    /// Reads back a draft as `Serialize` wrote it (see [`crate::read_back`]); drafts
    /// written before `specify`, `numbers`, `dates` or `page` were kept read too.
    pub fn from_json(value: Value) -> Option<Draft> {
        let mut fields = Fields::of(value)?;
        Some(Draft {
            submission_id: fields.required("submission_id", crate::submission_id::from_json)?,
            locale: fields.required("locale", text)?,
            answers: fields.required("answers", object)?,
            specify: fields.defaulted("specify", |v| object_of(v, text))?,
            numbers: fields.defaulted("numbers", |v| object_of(v, text))?,
            dates: fields.defaulted("dates", |v| object_of(v, DateParts::from_json))?,
            page: fields.optional("page", whole)?,
        })
    }
}

impl DateParts {
    fn from_json(value: Value) -> Option<DateParts> {
        let mut fields = Fields::of(value)?;
        Some(DateParts {
            day: fields.required("day", text)?,
            month: fields.required("month", text)?,
            year: fields.required("year", text)?,
        })
    }
}

impl SurveyState {
    pub fn new(
        survey: Arc<Survey>,
        locale: String,
        channel: Channel,
        submission_id: Uuid,
    ) -> SurveyState {
        let mut state = SurveyState {
            survey: Arc::clone(&survey),
            published: survey,
            locale: String::new(),
            channel,
            submission_id,
            answers: Answers::new(),
            specify: SpecifyTexts::new(),
            numbers: SortedMap::new(),
            dates: SortedMap::new(),
            screen: Screen::Start,
            problems: Vec::new(),
            returning_to_check: false,
            changing: None,
            send_error: None,
            focus: None,
            focus_count: 0,
            announcement: String::new(),
            sending_again: false,
            offline: false,
            started_ms: 0,
            typing: 0,
            last_typed: None,
            spoken_count: None,
            email: EmailOffer::Open,
        };
        state.set_locale(locale);
        state
    }

    /// Shows the survey in `locale`, laid out for it: Easy Read has one question to a
    /// page, any other language the pages as published. A page showing stays in view:
    /// the page that now holds its first question.
    pub fn set_locale(&mut self, locale: String) {
        let easy_read = voices_shared::is_easy_read(&locale);
        if easy_read != voices_shared::is_easy_read(&self.locale) || self.locale.is_empty() {
            // The questions the page showing shows, in order.
            let shown: Vec<String> = match self.screen {
                Screen::Page(page) => {
                    let visibility = self.survey.visibility(&self.answers);
                    visibility
                        .visible_questions(page)
                        .into_iter()
                        .filter_map(|at| self.survey.pages()[page].questions().get(at))
                        .map(|question| question.id().to_owned())
                        .collect()
                }
                _ => Vec::new(),
            };
            self.survey = if easy_read {
                Arc::new(self.published.one_question_per_page())
            } else {
                Arc::clone(&self.published)
            };
            if !shown.is_empty() {
                // The page of the first of them, which shows in this layout too.
                let visible = self.survey.visibility(&self.answers).visible_pages();
                if let Some(page) = shown
                    .iter()
                    .filter_map(|id| self.survey.page_of(id))
                    .find(|page| visible.contains(page))
                {
                    self.screen = Screen::Page(page);
                }
                // What was wrong with the answers stays said only where it is on screen.
                let on_screen = match self.screen {
                    Screen::Page(page) => self.survey.pages()[page]
                        .questions()
                        .iter()
                        .map(|question| question.id().to_owned())
                        .collect(),
                    _ => Vec::new(),
                };
                self.problems.retain(|problem| {
                    on_screen
                        .iter()
                        .any(|id| Some(id.as_str()) == problem.question())
                });
            }
        }
        self.locale = locale;
    }

    /// The same survey, in the same language, with nothing of this person's: for the next
    /// person on a device staff collect with. Focus and typing counters run on, so that
    /// the effects keyed on them still see a change.
    fn afresh(&self, submission_id: Uuid) -> SurveyState {
        let mut fresh = SurveyState::new(
            Arc::clone(&self.published),
            self.locale.clone(),
            self.channel,
            submission_id,
        );
        fresh.focus_count = self.focus_count;
        fresh.typing = self.typing;
        fresh
    }

    /// Picks up where a saved draft left off (answers for questions that no
    /// longer exist are dropped by the survey's own checks when sending).
    pub fn restore(mut self, draft: Draft) -> SurveyState {
        self.submission_id = draft.submission_id;
        let drafted_easy_read = voices_shared::is_easy_read(&draft.locale);
        if self.survey.offers_locale(&draft.locale) {
            self.set_locale(draft.locale);
        }
        self.answers = draft.answers;
        self.specify = draft.specify;
        self.numbers = draft.numbers;
        self.dates = draft.dates;
        // A page of the draft's layout (Easy Read's, or as published), if this is it.
        let same_layout = drafted_easy_read == voices_shared::is_easy_read(&self.locale);
        if let Some(page) = draft
            .page
            .filter(|p| same_layout && self.visible_pages().contains(p))
        {
            self.screen = Screen::Page(page);
        }
        self
    }

    /// Carries on with a response found waiting in the outbox (the page was
    /// closed or reloaded before it could be sent).
    pub fn resume_queued(mut self, submission_id: Uuid, offline: bool) -> SurveyState {
        self.submission_id = submission_id;
        self.offline = offline;
        self.screen = Screen::Queued;
        self
    }

    /// Everything typed so far, whatever the screen: kept with a response in
    /// the outbox, so that a refusal after a reload still has the answers.
    pub fn snapshot(&self) -> Draft {
        Draft {
            submission_id: self.submission_id,
            locale: self.locale.clone(),
            answers: self.answers.clone(),
            specify: self.specify.clone(),
            numbers: self.numbers.clone(),
            dates: self.dates.clone(),
            page: None,
        }
    }

    /// What to keep on the device now; `None` once the response is sent.
    pub fn draft(&self) -> Option<Draft> {
        let page = match self.screen {
            Screen::Page(page) => Some(page),
            // From here on the outbox holds the response, or it is stored, or erased.
            Screen::Queued
            | Screen::Sent { .. }
            | Screen::Erased
            | Screen::Withdraw { .. }
            | Screen::Withdrawn
            | Screen::Recorded => return None,
            _ => None,
        };
        Some(Draft {
            submission_id: self.submission_id,
            locale: self.locale.clone(),
            answers: self.answers.clone(),
            specify: self.specify.clone(),
            numbers: self.numbers.clone(),
            dates: self.dates.clone(),
            page,
        })
    }

    pub fn survey(&self) -> &Arc<Survey> {
        &self.survey
    }

    /// Indexes of the pages the answers so far leave visible.
    pub fn visible_pages(&self) -> Vec<usize> {
        self.survey.visibility(&self.answers).visible_pages()
    }

    /// "Page x of y" figures for `page`, counting visible pages only.
    pub fn progress(&self, page: usize) -> (usize, usize) {
        let visible = self.visible_pages();
        let position = visible.iter().position(|&p| p == page).map_or(1, |i| i + 1);
        (position, visible.len())
    }

    /// The problem with `question`'s answer (not its specify text), if any.
    pub fn problem_for(&self, question: &str) -> Option<&AnswerProblem> {
        self.problems
            .iter()
            .find(|p| p.question() == Some(question) && !p.in_specify())
    }

    /// The problem with `question`'s specify text, if any.
    pub fn specify_problem_for(&self, question: &str) -> Option<&AnswerProblem> {
        self.problems
            .iter()
            .find(|p| p.question() == Some(question) && p.in_specify())
    }

    /// The response to send: visible answers only, normalised by `shared`.
    pub fn submission(
        &self,
        started_at: Option<voices_shared::time::OffsetDateTime>,
    ) -> Submission {
        let (answers, specify) = self.survey.answers_to_submit(&self.answers, &self.specify);
        Submission {
            submission_id: self.submission_id,
            survey_version: self.survey.version(),
            locale: self.locale.clone(),
            channel: self.channel,
            answers,
            specify,
            started_at,
            withdrawal_key: None,
        }
    }

    fn move_focus(&mut self, focus: Focus) {
        self.focus = Some(focus);
        self.focus_count = self.focus_count.wrapping_add(1);
    }

    fn show(&mut self, screen: Screen) {
        self.announcement.clear();
        self.sending_again = false;
        self.screen = screen;
        self.problems.clear();
        self.spoken_count = None;
        self.move_focus(Focus::Heading);
    }

    /// The element id focus should move to now, if any.
    pub fn focus_target(&self) -> Option<String> {
        Some(match self.focus.as_ref()? {
            Focus::Heading => crate::ids::HEADING.to_owned(),
            Focus::ErrorSummary => crate::ids::ERROR_SUMMARY.to_owned(),
            Focus::ChangeLink(question) => crate::ids::change(question),
            Focus::Element(id) => (*id).to_owned(),
            Focus::Answer(question) => {
                let field = crate::ids::field(question);
                let Some(q) = self.survey.question(question) else {
                    return Some(field);
                };
                let answer = self.answers.get(question);
                match q.kind() {
                    QuestionKind::Rating { min, .. } => match answer.and_then(Value::as_i64) {
                        Some(point) => {
                            let index = point
                                .checked_sub(i64::from(*min))
                                .and_then(|i| usize::try_from(i).ok())
                                .unwrap_or(0);
                            crate::ids::option(question, index, &point.to_string())
                        }
                        None => field,
                    },
                    QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } => q
                        .options()
                        .iter()
                        .enumerate()
                        .find(|(_, o)| voices_shared::is_chosen(answer, o.value()))
                        .map_or(field, |(index, o)| {
                            crate::ids::option(question, index, o.value())
                        }),
                    _ => field,
                }
            }
        })
    }

    /// The document title for this screen, when the widget is the page (the hosted page):
    /// the step, then the survey ("Page 2 of 4: Your views – Have your say"), with the
    /// catalogue's "Error:" first while the screen shows a problem.
    pub fn document_title(&self) -> String {
        let catalogue = voices_shared::catalogue(&self.locale);
        let survey_title = self.survey.title().get(&self.locale);
        let step = match &self.screen {
            Screen::Start => return survey_title.to_owned(),
            Screen::Page(page) => {
                let (position, total) = self.progress(*page);
                let progress = catalogue.page_of(position, total);
                match self.survey.pages().get(*page).and_then(|p| p.title()) {
                    Some(title) => {
                        format!("{progress}: {} – {survey_title}", title.get(&self.locale))
                    }
                    None => format!("{progress}: {survey_title}"),
                }
            }
            Screen::Check | Screen::Sending => {
                format!("{} – {survey_title}", catalogue.check_heading)
            }
            Screen::Queued => format!("{} – {survey_title}", catalogue.queued_heading),
            Screen::Sent { .. } => format!("{} – {survey_title}", catalogue.thank_you),
            Screen::Erased => format!("{} – {survey_title}", catalogue.erased_heading),
            Screen::Withdraw { .. } => format!("{} – {survey_title}", catalogue.withdraw_heading),
            Screen::Withdrawn => format!("{} – {survey_title}", catalogue.withdrawn_heading),
            Screen::Recorded => format!("{} – {survey_title}", catalogue.recorded_heading),
        };
        let has_problem = !self.problems.is_empty()
            || (self.send_error.is_some() && self.screen == Screen::Check);
        if has_problem {
            format!("{} {step}", catalogue.error_prefix)
        } else {
            step
        }
    }

    /// What the live region says when this screen arrived while focus was elsewhere.
    fn spoken_summary(&self) -> String {
        let catalogue = voices_shared::catalogue(&self.locale);
        match &self.screen {
            Screen::Sent { .. } => catalogue.thank_you.to_owned(),
            Screen::Queued => format!("{}. {}", catalogue.queued_heading, self.queued_message()),
            Screen::Erased => catalogue.erased_heading.to_owned(),
            Screen::Withdrawn => catalogue.withdrawn_heading.to_owned(),
            Screen::Recorded => catalogue.recorded_heading.to_owned(),
            // A refusal: the error summary that appears is an alert, and speaks for itself.
            _ => String::new(),
        }
    }

    /// Why a queued response is still waiting, in the reader's language.
    pub fn queued_message(&self) -> &'static str {
        let catalogue = voices_shared::catalogue(&self.locale);
        if self.offline {
            catalogue.queued
        } else {
            catalogue.queued_busy
        }
    }

    /// The length a text field's character count counts: trimmed, in characters.
    pub fn typed_length(&self, question: &str) -> usize {
        match self.answers.get(question) {
            Some(Value::String(text)) => text.trim().chars().count(),
            _ => 0,
        }
    }

    fn set_answer(&mut self, question: &str, value: Option<Value>) {
        match value {
            Some(value) => self.answers.insert(question.to_owned(), value),
            None => self.answers.remove(question),
        };
        // Details typed for "Something else" go when it is no longer chosen: its box is
        // hidden, and a page is not refused for words the person can no longer see.
        let specify_value = self
            .survey
            .question(question)
            .and_then(|q| q.specify_option())
            .map(|o| o.value().to_owned());
        if let Some(value) = specify_value
            && !voices_shared::is_chosen(self.answers.get(question), &value)
        {
            self.specify.remove(question);
        }
    }

    /// The next state after `action`.
    pub fn apply(&self, action: Action) -> SurveyState {
        let mut next = self.clone();
        // What the announcer said is about the last change; anything the person does is
        // newer. (Cleared, so that the same words said again later are announced again.)
        if !matches!(
            action,
            Action::Background { .. }
                | Action::TypingPaused { .. }
                | Action::SendingAgain
                | Action::StillQueued { .. }
        ) {
            next.announcement.clear();
        }
        match action {
            Action::SetLocale(locale) => {
                if next.survey.offers_locale(&locale) {
                    next.set_locale(locale);
                    // Not said again in the new language: nothing was typed.
                    next.spoken_count = None;
                    // The pressed button is now the current language (not a button): focus
                    // goes to the heading, which is read out in the new language.
                    next.move_focus(Focus::Heading);
                }
            }
            Action::Start => {
                if let Some(&first) = next.visible_pages().first() {
                    next.show(Screen::Page(first));
                }
            }
            Action::Choose { question, value } => {
                next.set_answer(&question, Some(Value::String(value)))
            }
            Action::Rate { question, value } => {
                next.set_answer(&question, Some(Value::Number(value.into())))
            }
            Action::Toggle {
                question,
                value,
                on,
            } => next.toggle(&question, &value, on),
            Action::Text { question, text } => {
                next.set_answer(&question, Some(Value::String(text)));
                next.typing = next.typing.wrapping_add(1);
                next.last_typed = Some(question);
            }
            Action::TypingPaused { typing } => {
                // Only the pause after the latest keystroke counts.
                if typing == next.typing
                    && let Some(question) = next.last_typed.clone()
                {
                    let length = next.typed_length(&question);
                    next.spoken_count = Some((question, length));
                }
            }
            Action::Specify { question, text } => {
                next.specify.insert(question, text);
            }
            Action::Number { question, text } => {
                let value = number_value(&text);
                next.numbers.insert(question.clone(), text);
                next.set_answer(&question, value);
            }
            Action::DatePart {
                question,
                part,
                text,
            } => {
                let parts = next.dates.get_or_insert_default(question.clone());
                match part {
                    DatePart::Day => parts.day = text,
                    DatePart::Month => parts.month = text,
                    DatePart::Year => parts.year = text,
                }
                let value = date_value(parts);
                next.set_answer(&question, value);
            }
            Action::Consent { question, on } => {
                next.set_answer(&question, on.then_some(Value::Bool(true)))
            }
            Action::Continue => next.continue_from_page(),
            Action::Back => next.back(),
            // While sending, the outcome decides the next screen: a Change now would be
            // overtaken by it.
            Action::Change { .. } if next.screen == Screen::Sending => {}
            Action::Change { question } => {
                if let Some(page) = next.survey.page_of(&question) {
                    next.screen = Screen::Page(page);
                    next.problems.clear();
                    next.spoken_count = None;
                    next.returning_to_check = true;
                    next.changing = Some(question.clone());
                    next.move_focus(Focus::Answer(question));
                }
            }
            Action::Background {
                outcome,
                focus_inside,
            } => {
                next = next.apply(*outcome);
                if !focus_inside {
                    // The person is elsewhere on the page: say what happened, leave focus be.
                    next.focus = None;
                    next.announcement = next.spoken_summary();
                }
            }
            // Focus stays on the button while sending, so a second press must do nothing.
            Action::Send if next.screen == Screen::Sending => {}
            Action::Send => next.send(),
            Action::Sent { receipt } => {
                next.email = EmailOffer::Open;
                next.show(Screen::Sent { receipt });
            }
            // Focus stays on the button while sending, so a second press must do nothing.
            Action::OfferEmail { .. } if matches!(next.email, EmailOffer::Sending { .. }) => {}
            Action::OfferEmail { address } => {
                if matches!(next.screen, Screen::Sent { .. }) {
                    let trimmed = address.trim();
                    if voices_shared::is_email(trimmed) {
                        next.email = EmailOffer::Sending {
                            address: trimmed.to_owned(),
                        };
                        // Focus stays on the button: the live region says it is under way.
                        next.announcement = voices_shared::catalogue(&next.locale)
                            .email_sending
                            .to_owned();
                    } else {
                        next.email = EmailOffer::Wrong {
                            message: voices_shared::catalogue(&next.locale).bad_email.to_owned(),
                            address,
                        };
                        next.move_focus(Focus::Element(crate::email_offer::FIELD_ID));
                    }
                }
            }
            Action::EmailKept => {
                if matches!(next.email, EmailOffer::Sending { .. }) {
                    next.email = EmailOffer::Kept;
                    next.move_focus(Focus::Element(crate::email_offer::KEPT_ID));
                }
            }
            Action::EmailNotKept { message } => {
                if let EmailOffer::Sending { address } = &next.email {
                    next.email = EmailOffer::Wrong {
                        address: address.clone(),
                        message,
                    };
                    next.move_focus(Focus::Element(crate::email_offer::FIELD_ID));
                }
            }
            Action::Queued { offline } => {
                next.offline = offline;
                next.show(Screen::Queued);
            }
            Action::SendingAgain => next.sending_again = next.screen == Screen::Queued,
            Action::StillQueued { offline } => {
                next.sending_again = false;
                next.offline = offline;
            }
            Action::Erased => {
                // Someone asked for these answers to be deleted: keeping them on screen
                // or in memory would go against that.
                next.answers.clear();
                next.specify.clear();
                next.numbers.clear();
                next.dates.clear();
                next.send_error = None;
                next.show(Screen::Erased);
            }
            Action::NewSubmissionId(id) => next.submission_id = id,
            Action::Recorded { submission_id } => {
                next = next.afresh(submission_id);
                next.show(Screen::Recorded);
            }
            Action::Cleared { submission_id } => {
                next = next.afresh(submission_id);
                next.show(Screen::Start);
                next.announcement = voices_shared::catalogue(&next.locale).cleared.to_owned();
            }
            Action::NextPerson => {
                if next.screen == Screen::Recorded {
                    next.show(Screen::Start);
                }
            }
            Action::AskWithdraw { receipt } => {
                let from_sent =
                    matches!(&next.screen, Screen::Sent { receipt: sent } if *sent == receipt);
                next.send_error = None;
                next.show(Screen::Withdraw {
                    receipt,
                    from_sent,
                    withdrawing: false,
                });
            }
            Action::KeepResponse => {
                if let Screen::Withdraw {
                    receipt, from_sent, ..
                } = next.screen.clone()
                {
                    next.send_error = None;
                    next.show(if from_sent {
                        Screen::Sent { receipt }
                    } else {
                        Screen::Start
                    });
                }
            }
            Action::ConfirmWithdraw => {
                if let Screen::Withdraw { withdrawing, .. } = &mut next.screen {
                    *withdrawing = true;
                    next.send_error = None;
                    // Focus stays on the pressed button, so the live region says it is
                    // under way.
                    next.announcement = voices_shared::catalogue(&next.locale)
                        .withdrawing
                        .to_owned();
                }
            }
            Action::Withdrew => {
                if matches!(next.screen, Screen::Withdraw { .. }) {
                    // Withdrawn: nothing of it stays in memory either.
                    next.answers.clear();
                    next.specify.clear();
                    next.numbers.clear();
                    next.dates.clear();
                    next.show(Screen::Withdrawn);
                }
            }
            Action::WithdrawFailed { message } => {
                if let Screen::Withdraw { withdrawing, .. } = &mut next.screen {
                    *withdrawing = false;
                    next.send_error = Some(message);
                    next.move_focus(Focus::ErrorSummary);
                }
            }
            Action::SendFailed { message } => {
                next.send_error = Some(message);
                next.screen = Screen::Check;
                next.move_focus(Focus::ErrorSummary);
            }
        }
        next
    }

    /// Ticking an exclusive option ("None of these") clears the others, and
    /// ticking any other option clears the exclusive ones.
    fn toggle(&mut self, question: &str, value: &str, on: bool) {
        let Some(q) = self.survey.question(question) else {
            return;
        };
        let mut chosen: Vec<String> = match self.answers.get(question) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        chosen.retain(|c| c != value);
        if on {
            let exclusive = q.option(value).is_some_and(|o| o.exclusive());
            if exclusive {
                chosen.clear();
            } else {
                chosen.retain(|c| !q.option(c).is_some_and(|o| o.exclusive()));
            }
            chosen.push(value.to_owned());
            // Keep the options' own order, whatever order they were ticked in (a value no
            // option has, only ever in an altered draft, stays first). Not `sort_by_key`:
            // a sort costs the wasm 0.5 KiB for each type it sorts.
            let mut ordered: Vec<String> = chosen
                .iter()
                .filter(|c| q.option(c).is_none())
                .cloned()
                .collect();
            for option in q.options() {
                ordered.extend(chosen.iter().filter(|c| *c == option.value()).cloned());
            }
            chosen = ordered;
        }
        let value = (!chosen.is_empty())
            .then(|| Value::Array(chosen.into_iter().map(Value::String).collect()));
        self.set_answer(question, value);
    }

    fn continue_from_page(&mut self) {
        let Screen::Page(page) = self.screen else {
            return;
        };
        let problems = self.survey.check_page(page, &self.answers, &self.specify);
        if !problems.is_empty() {
            self.problems = problems;
            // The error summary is about to speak; a count would talk over it.
            self.spoken_count = None;
            self.move_focus(Focus::ErrorSummary);
            return;
        }
        if self.returning_to_check {
            self.return_to_check();
            return;
        }
        match self.visible_pages().into_iter().find(|&p| p > page) {
            Some(next_page) => self.show(Screen::Page(next_page)),
            None => self.show(Screen::Check),
        }
    }

    /// Back to check-your-answers after "Change", focus on the row that was changed.
    fn return_to_check(&mut self) {
        self.returning_to_check = false;
        self.show(Screen::Check);
        // The changed row, if the new answers still show it (an answer changed on the
        // way may have hidden it: then the heading, never nothing).
        if let Some(question) = self.changing.take()
            && self.survey.is_question_visible(&question, &self.answers)
        {
            self.move_focus(Focus::ChangeLink(question));
        }
    }

    fn back(&mut self) {
        if self.returning_to_check && matches!(self.screen, Screen::Page(_)) {
            // Back from a page reached by Change undoes the detour, not the survey's order.
            self.return_to_check();
            return;
        }
        self.returning_to_check = false;
        self.changing = None;
        let visible = self.visible_pages();
        match self.screen {
            Screen::Page(page) => match visible.into_iter().rev().find(|&p| p < page) {
                Some(previous) => self.show(Screen::Page(previous)),
                None => self.show(Screen::Start),
            },
            Screen::Check => match visible.last() {
                Some(&last) => self.show(Screen::Page(last)),
                None => self.show(Screen::Start),
            },
            _ => {}
        }
    }

    /// Checks every visible page once more (an earlier answer may have been
    /// changed since), then hands over to the sender.
    fn send(&mut self) {
        for page in self.visible_pages() {
            let problems = self.survey.check_page(page, &self.answers, &self.specify);
            if !problems.is_empty() {
                self.changing = problems
                    .iter()
                    .find_map(|p| p.question().map(str::to_owned));
                self.screen = Screen::Page(page);
                self.problems = problems;
                self.returning_to_check = true;
                self.move_focus(Focus::ErrorSummary);
                return;
            }
        }
        self.send_error = None;
        self.screen = Screen::Sending;
    }
}

/// A typed number as an answer: a JSON number when it reads as one (spaces
/// and thousands commas allowed), else the text itself, which `shared`
/// reports as not a number. Blank is unanswered.
///
/// Read by serde_json's number parser, once the text is written as JSON writes numbers,
/// not by `str::parse::<f64>`, whose tables and code cost the wasm 12 KiB brotli. With
/// at most 15 significant digits and a power of ten within ±22 (every number a survey
/// asks for) it reads exactly as Rust does. Past that, the wasm's serde_json (without
/// its `float_roundtrip` feature, 7.5 KiB more) may come out one unit in the last place
/// off, as in 600000000000.4635 for 600000000000.46341 or 1.0000000000000001e-23 for
/// 1e-23, where the collector, reading a form posted without JavaScript with that
/// feature, is exact.
pub fn number_value(text: &str) -> Option<Value> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | ','))
        .collect();
    let parsed = cleaned.parse::<i64>().ok().map(Number::from).or_else(|| {
        // Read as a `Value`, whose reader the wasm has anyway, not as a `Number`, whose
        // `Deserialize` would bring in serde's errors and with them the formatting of floats.
        json_number(&cleaned)
            .and_then(|json| voices_shared::serde_json::from_str::<Value>(&json).ok())
            .and_then(|value| match value {
                Value::Number(number) => Some(number),
                _ => None,
            })
    });
    Some(parsed.map_or_else(|| Value::String(trimmed.to_owned()), Value::Number))
}

/// A number as a person types it, written as JSON writes numbers: "+2.5" as "2.5",
/// ".5" as "0.5", "5." as "5", "007.5" as "7.5"; an exponent ("1e3") stays. `None`
/// when it is not a number.
fn json_number(typed: &str) -> Option<String> {
    let (sign, unsigned) = match typed.as_bytes().first()? {
        b'-' => ("-", &typed[1..]),
        b'+' => ("", &typed[1..]),
        _ => ("", typed),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        whole => whole,
    };
    let exponent = match exponent {
        None => String::new(),
        Some(exponent) => {
            let power = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if power.is_empty() || !all_digits(power) {
                return None;
            }
            format!("e{exponent}")
        }
    };
    let point = if fraction.is_empty() { "" } else { "." };
    Some(format!("{sign}{whole}{point}{fraction}{exponent}"))
}

/// Three typed parts as an answer: `"YYYY-MM-DD"` when they make a real
/// date ("3" and "03" both accepted), else text that `shared` reports as
/// not a real date. All blank is unanswered.
pub fn date_value(parts: &DateParts) -> Option<Value> {
    let (day, month, year) = (parts.day.trim(), parts.month.trim(), parts.year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return None;
    }
    let whole = |text: &str, max_len: usize| -> Option<u32> {
        (!text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    let date = match (
        whole(day, 2),
        whole(month, 2),
        whole(year, 4).filter(|_| year.len() == 4),
    ) {
        (Some(d), Some(m), Some(y)) => CalendarDate::from_parts(y as i32, m, d),
        _ => None,
    };
    Some(Value::String(match date {
        Some(date) => date.to_string(),
        None => format!("{year}-{month}-{day}"),
    }))
}

/// The answer shown on the check-answers screen, in the respondent's language.
pub fn describe_answer(
    survey: &Survey,
    question: &str,
    answers: &Answers,
    specify: &SpecifyTexts,
    locale: &str,
) -> Option<String> {
    let q = survey.question(question)?;
    let value = answers.get(question)?;
    let label = |v: &str| {
        q.option(v)
            .map(|o| o.label().get(locale).to_owned())
            .unwrap_or_else(|| v.to_owned())
    };
    let mut text = match (q.kind(), value) {
        (QuestionKind::SingleChoice { .. }, Value::String(v)) => label(v),
        (QuestionKind::MultipleChoice { .. }, Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(label)
            .collect::<Vec<_>>()
            .join("\n"),
        (QuestionKind::Consent, Value::Bool(true)) => {
            voices_shared::catalogue(locale).yes.to_owned()
        }
        (
            QuestionKind::Number {
                unit: Some(unit), ..
            },
            Value::Number(n),
        ) => format!("{n} {}", unit.get(locale)),
        (QuestionKind::Date { .. }, Value::String(v)) => match CalendarDate::parse(v) {
            Some(d) => format!("{} {} {}", d.day(), d.month(), d.year()),
            None => v.clone(),
        },
        (_, Value::String(v)) => v.trim().to_owned(),
        (_, Value::Number(n)) => n.to_string(),
        _ => return None,
    };
    if let Some(details) = specify.get(question).filter(|t| !t.trim().is_empty()) {
        text.push_str(&format!(" – {}", details.trim()));
    }
    (!text.trim().is_empty()).then_some(text)
}

impl yew::Reducible for SurveyState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // A pause after a keystroke that has been followed by another changes nothing:
        // returning the same state spares the widget a render per keystroke.
        if let Action::TypingPaused { typing } = action
            && typing != self.typing
        {
            return self;
        }
        // Another failed attempt in the same circumstances: nothing to show.
        if let Action::StillQueued { offline } = action
            && offline == self.offline
            && !self.sending_again
        {
            return self;
        }
        Rc::new(self.apply(action))
    }
}
