//! No screen of the widget, in any language its own words are written in, leaves its
//! English words in.
//!
//! The walk: one survey with a question of each kind and limits that give every problem a
//! person can meet, taken from the first screen through each page (Continue with nothing,
//! then with each kind of wrong answer, the character count as it speaks), check your
//! answers, sending and what comes of it (failed, queued, sent, the email offer, erased,
//! withdrawn, recorded), and the pages around the survey (closed, not open yet, its updates,
//! a response's own page, the email page); then, for the counted messages, surveys whose
//! limits fall in every plural category. Each screen is rendered as the collector renders
//! it, in each language, and searched for the English catalogue's words: their phrases of
//! more than 12 characters (cut at placeholders) anywhere in it, their shorter words
//! ("Continue", "Page {x} of {y}") as an element's whole text; a phrase or word the
//! language's own catalogue shares is allowed. Each screen must also show the language's
//! own words for it, so that rendering nothing cannot pass. The same walk in English must
//! show every English word, except those listed (with why) in `not_rendered_on_the_server`:
//! a word the walk never shows is a word it cannot check.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use voices_shared::outcomes::Outcomes;
use voices_shared::serde_json::{Value, json};
use voices_shared::uuid::Uuid;
use voices_shared::{CalendarDate, Catalogue, Channel, Survey, catalogue, catalogue_locales};
use voices_widget::email_offer::EmailOffer;
use voices_widget::headings::Headings;
use voices_widget::server::{self, StoredFacts};
use voices_widget::state::{Action, DatePart, Screen, SurveyState};

/// Every language offered; every text in English only, none of it the catalogue's words
/// (checked: `the_survey_itself_says_none_of_the_widgets_words`). The colour question is
/// asked as a question, so its messages read on after it; the others take a colon.
const SURVEY: &str = r#"{
  "format": 1,
  "id": "every-language",
  "version": 1,
  "default_locale": "en",
  "locales": ["en", "gd", "sco", "pl", "ar", "ur", "zh-Hans", "zh-Hant", "pa", "ro", "uk"],
  "title": "Walkthrough of the widget",
  "organisation": "Test Partnership",
  "intro": "A survey written for a test.\n\nIt asks one question of each kind.",
  "privacy": {"text": "Kept for a test only.", "url": "https://partnership.example/privacy"},
  "what_happens_next": "Nothing at all: it is a test.",
  "allowed_origins": ["*"],
  "updates_by_email": true,
  "pages": [
    {"id": "choices", "title": "Choosing", "questions": [
      {"id": "colour", "type": "single_choice", "label": "Which colour do you like?", "required": true,
       "options": [{"value": "red", "label": "Red"}, {"value": "blue", "label": "Blue"},
                   {"value": "else", "label": "Some other colour", "specify": true}]},
      {"id": "fruit", "type": "multiple_choice", "label": "Fruit eaten", "required": true,
       "min_selected": 2, "max_selected": 3,
       "options": [{"value": "apple", "label": "Apple"}, {"value": "pear", "label": "Pear"},
                   {"value": "plum", "label": "Plum"}, {"value": "fig", "label": "Fig"},
                   {"value": "else", "label": "Another fruit", "specify": true},
                   {"value": "none", "label": "None of them", "exclusive": true}]},
      {"id": "mood", "type": "rating", "label": "Mood today", "required": true, "min": 1, "max": 5,
       "min_label": "Low", "max_label": "High"},
      {"id": "note", "type": "info", "label": "A note", "body": "Nothing to answer here."}
    ]},
    {"id": "words", "title": "Writing", "questions": [
      {"id": "story", "type": "text", "label": "Short story", "multiline": true, "max_length": 200, "required": true},
      {"id": "mail", "type": "text", "label": "Mail", "format": "email"},
      {"id": "tel", "type": "text", "label": "Tel", "format": "phone"},
      {"id": "post", "type": "text", "label": "Post code", "format": "uk_postcode"}
    ]},
    {"id": "numbers", "title": "Counting", "questions": [
      {"id": "nights", "type": "number", "label": "Nights away", "required": true, "min": 1, "max": 10,
       "integer": true, "unit": "nights"},
      {"id": "age", "type": "number", "label": "Age", "min": 16},
      {"id": "spend", "type": "number", "label": "Spend", "max": 100}
    ]},
    {"id": "dates", "title": "Dating", "questions": [
      {"id": "trip", "type": "date", "label": "Trip day", "required": true, "min": "2020-01-01", "max": "2030-12-31"},
      {"id": "since", "type": "date", "label": "Since", "min": "2020-01-01"},
      {"id": "until", "type": "date", "label": "Until", "max": "2030-12-31"}
    ]},
    {"id": "agreeing", "title": "Agreeing", "questions": [
      {"id": "agree", "type": "consent", "label": "I agree to this test", "required": true}
    ]}
  ]
}"#;

/// One published update at each stage; the last with "you said / we did" and a report.
const OUTCOMES: &str = r#"{"updates": [
  {"id": "opened", "stage": "open", "date": "2026-03-02", "published": true,
   "headline": "Survey opened", "body": "First body."},
  {"id": "shut", "stage": "closed", "date": "2026-05-04", "published": true,
   "headline": "Survey shut", "body": "Second body."},
  {"id": "reading", "stage": "reviewing", "date": "2026-07-06", "published": true,
   "headline": "Reading it all", "body": "Third body."},
  {"id": "done", "stage": "what_we_did", "date": "2026-09-08", "published": true,
   "headline": "The changes made", "body": "Fourth body.", "link": "https://partnership.example/report.pdf",
   "you_said_we_did": [{"you_said": "Buses run late", "we_did": "New timetable"}]}
]}"#;

const RECEIPT: &str = "RX4T-9PLM";
/// The story's length limit.
const STORY_MAX: usize = 200;

/// Numbers that fall in every plural category of every language's whole numbers but
/// "zero" (Arabic's 0, which no limit can be): one, two, few, many and other.
const COUNTS: [usize; 7] = [1, 2, 3, 11, 20, 21, 100];

/// English words the server never renders, so that no walk of its screens can check them
/// (each is a finding about the walk's reach, not about a language): by field, and why.
fn not_rendered_on_the_server(en: &Catalogue) -> Vec<(&'static str, &'static str)> {
    vec![
        (
            en.not_found,
            "the browser's notice when a survey is not found (`mount_problem`, wasm only)",
        ),
        (
            en.unreachable,
            "the browser's notice when the survey cannot be loaded (`mount_problem`, wasm only)",
        ),
        (
            en.stop_and_clear,
            "collect mode's button, shown only by the collect page's widget in the browser",
        ),
        (
            en.withdraw,
            "shown only beside a response this device's records say it sent (browser storage)",
        ),
        (
            en.too_many_lookups,
            "the collector's own 429 page for receipts, written without the widget",
        ),
    ]
}

/// Runs `future` to completion on this thread. Yew's server renderer renders on its own
/// runtime and only hands the HTML back through a channel, so any executor will do.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

fn survey() -> Arc<Survey> {
    Arc::new(Survey::parse(SURVEY).expect("the test survey parses"))
}

/// A one-page survey whose limits are all `n`, so that its counted messages say `n`: at
/// most `n` options, at least `n` and at most `n` characters. ("At least 1" is left out:
/// one chosen is enough and none is unanswered, so "Select at least 1 answer" is never
/// shown.)
fn counting_survey(n: usize) -> Arc<Survey> {
    let options = |count: usize| -> Vec<Value> {
        (0..count)
            .map(|i| json!({"value": format!("o{i}"), "label": format!("Option {i}")}))
            .collect()
    };
    let mut questions = vec![
        json!({"id": "most", "type": "multiple_choice", "label": "Most",
        "max_selected": n, "options": options(n + 1)}),
    ];
    if n > 1 {
        questions.push(
            json!({"id": "least", "type": "multiple_choice", "label": "Least",
            "min_selected": n, "options": options(n)}),
        );
    }
    questions.push(
        json!({"id": "long", "type": "text", "label": "Long", "multiline": true,
        "max_length": n}),
    );
    let definition = json!({
        "format": 1, "id": "counting", "version": 1, "default_locale": "en",
        "locales": catalogue_locales().collect::<Vec<_>>(),
        "title": "Counting things", "privacy": {"text": "Kept for a test only."},
        "allowed_origins": ["*"],
        "pages": [{"id": "counts", "title": "Counts", "questions": questions}]
    });
    Arc::new(Survey::from_value(&definition).expect("the counting survey parses"))
}

fn outcomes(survey: &Survey) -> Outcomes {
    Outcomes::parse(OUTCOMES, survey).expect("the test updates parse")
}

/// The updates before the last: "what we did" is still to come.
fn outcomes_so_far(survey: &Survey) -> Outcomes {
    let mut updates: Value =
        voices_shared::serde_json::from_str(OUTCOMES).expect("the test updates are JSON");
    updates["updates"]
        .as_array_mut()
        .expect("a list of updates")
        .pop();
    Outcomes::from_value(&updates, survey).expect("the test updates parse")
}

fn no_outcomes(survey: &Survey) -> Outcomes {
    Outcomes::parse(r#"{"updates": []}"#, survey).expect("no updates parse")
}

fn headings() -> Headings {
    Headings::parse(Some("1"))
}

/// Rendered text as read: the renderer's escapes undone, in lower case (a problem's
/// message follows its question's name in lower case: "Age: enter a number…").
fn readable(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .to_lowercase()
}

const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A catalogue word's forms: each of a counted message's (without its category), else
/// the word itself.
fn forms(word: &str) -> Vec<&str> {
    word.split('|')
        .map(|form| match form.split_once(':') {
            Some((category, text)) if PLURAL_CATEGORIES.contains(&category) => text,
            _ => form,
        })
        .collect()
}

/// The pieces of one form of a word between its placeholders (untrimmed).
fn pieces(form: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    out.push(rest);
    out
}

/// The pieces of every form of a word.
fn catalogue_pieces(word: &str) -> Vec<&str> {
    forms(word).into_iter().flat_map(pieces).collect()
}

/// A phrase of an English word that may not be left in another language's screen.
#[derive(Debug, Clone)]
struct Fragment {
    /// As written in the English catalogue.
    text: &'static str,
    /// In lower case, as searched for.
    lower: String,
    /// The whole English word it is from.
    word: &'static str,
}

/// The English catalogue's phrases: longer than 12 characters, with a letter in them.
fn english_fragments() -> Vec<Fragment> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for word in catalogue("en").words() {
        for piece in catalogue_pieces(word) {
            let text = piece.trim();
            if text.chars().count() > 12
                && text.chars().any(char::is_alphabetic)
                && seen.insert(text)
            {
                out.push(Fragment {
                    text,
                    lower: text.to_lowercase(),
                    word,
                });
            }
        }
    }
    out
}

/// The English phrases `locale` must not show: those its own words do not share.
fn forbidden_in(locale: &str) -> Vec<Fragment> {
    let own: Vec<String> = catalogue(locale).words().map(str::to_lowercase).collect();
    english_fragments()
        .into_iter()
        .filter(|fragment| !own.iter().any(|word| word.contains(&fragment.lower)))
        .collect()
}

/// A short English word ("Continue", "Page {x} of {y}", "Run by {organisation}"): each of
/// its pieces 12 characters or fewer, too short to look for inside text ("Back" is in
/// "Backpack"), so looked for as the whole text of an element instead: the word, its
/// placeholders standing for anything, or one of its pieces on its own.
#[derive(Debug, Clone)]
struct ShortWord {
    /// As written in the English catalogue (one form of a counted message).
    text: &'static str,
    /// In lower case, between its placeholders.
    parts: Vec<String>,
    /// Its pieces that may not stand alone as an element's text: trimmed, with a letter,
    /// and not the language's own too.
    lone: Vec<String>,
}

impl ShortWord {
    /// Whether an element's whole text (trimmed, in lower case) is this word.
    fn is(&self, text: &str) -> bool {
        if self.lone.iter().any(|piece| piece == text) {
            return true;
        }
        let Some((last, before)) = self.parts.split_last() else {
            return false;
        };
        let Some((first, middle)) = before.split_first() else {
            return text == last.trim();
        };
        // first, something, each middle part after something, something, last.
        let Some(mut left) = text.strip_prefix(first.trim_start()) else {
            return false;
        };
        for part in middle {
            let Some(skip) = left.chars().next().map(char::len_utf8) else {
                return false;
            };
            match left[skip..].find(part.as_str()) {
                Some(at) => left = &left[skip + at + part.len()..],
                None => return false,
            }
        }
        let last = last.trim_end();
        left.len() > last.len() && left.ends_with(last)
    }
}

/// The English catalogue's short words (every form with a letter, not beginning with a
/// placeholder, whose pieces [`english_fragments`] leaves out), as `locale` must not show
/// them: leaving out a word it writes the same (Scots has "Back", "Updates", "Try again"),
/// and, as pieces on their own, the pieces it writes the same.
fn short_forbidden_in(locale: &str) -> Vec<ShortWord> {
    short_words(&own_words(locale))
}

/// Every form of `locale`'s words, and each of their pieces, trimmed, in lower case.
fn own_words(locale: &str) -> BTreeSet<String> {
    catalogue(locale)
        .words()
        .flat_map(forms)
        .flat_map(|form| {
            let whole = form.trim().to_lowercase();
            pieces(form)
                .into_iter()
                .map(|piece| piece.trim().to_lowercase())
                .chain([whole])
        })
        .collect()
}

/// The English catalogue's short words but those in `own`.
fn short_words(own: &BTreeSet<String>) -> Vec<ShortWord> {
    let mut out = Vec::new();
    for word in catalogue("en").words() {
        for form in forms(word) {
            let parts = pieces(form);
            let short = parts.iter().all(|p| p.trim().chars().count() <= 12);
            let lower = form.trim().to_lowercase();
            if !short
                || !form.chars().any(char::is_alphabetic)
                || form.starts_with('{')
                || own.contains(&lower)
            {
                continue;
            }
            out.push(ShortWord {
                text: form,
                parts: parts.iter().map(|p| p.to_lowercase()).collect(),
                lone: parts
                    .iter()
                    .map(|p| p.trim().to_lowercase())
                    .filter(|p| p.chars().any(char::is_alphabetic) && !own.contains(p))
                    .collect(),
            });
        }
    }
    out
}

/// Each element's whole text in `readable` HTML, where there is some: trimmed, and without
/// the dot after an update's stage ("Closed · ").
fn element_texts(readable: &str) -> Vec<&str> {
    readable
        .split('>')
        .skip(1)
        .filter_map(|after| after.split('<').next())
        .map(|text| text.trim().trim_end_matches('·').trim_end())
        .filter(|text| !text.is_empty())
        .collect()
}

/// One rendered screen.
struct Shown {
    screen: String,
    /// [`readable`] text of the HTML.
    text: String,
    /// Words of the screen's language it must show.
    expect: Vec<String>,
}

/// The walk in one language, screen by screen.
struct Walk {
    locale: &'static str,
    catalogue: &'static Catalogue,
    survey: Arc<Survey>,
    shown: Vec<Shown>,
}

fn choose(question: &str, value: &str) -> Action {
    Action::Choose {
        question: question.into(),
        value: value.into(),
    }
}

fn toggle(question: &str, value: &str) -> Action {
    Action::Toggle {
        question: question.into(),
        value: value.into(),
        on: true,
    }
}

fn specify(question: &str, text: &str) -> Action {
    Action::Specify {
        question: question.into(),
        text: text.into(),
    }
}

fn text(question: &str, text: &str) -> Action {
    Action::Text {
        question: question.into(),
        text: text.into(),
    }
}

fn number(question: &str, text: &str) -> Action {
    Action::Number {
        question: question.into(),
        text: text.into(),
    }
}

fn date(question: &str, day: &str, month: &str, year: &str) -> Vec<Action> {
    [
        (DatePart::Day, day),
        (DatePart::Month, month),
        (DatePart::Year, year),
    ]
    .into_iter()
    .map(|(part, text)| Action::DatePart {
        question: question.into(),
        part,
        text: text.into(),
    })
    .collect()
}

fn act(state: &SurveyState, actions: Vec<Action>) -> SurveyState {
    actions.into_iter().fold(state.clone(), |s, a| s.apply(a))
}

/// A page's answers that are all right.
fn valid_answers(page: usize) -> Vec<Action> {
    match page {
        0 => vec![
            choose("colour", "else"),
            specify("colour", "Teal"),
            toggle("fruit", "apple"),
            toggle("fruit", "pear"),
            Action::Rate {
                question: "mood".into(),
                value: 4,
            },
        ],
        1 => vec![text("story", "A short tale")],
        2 => vec![
            number("nights", "3"),
            number("age", "40"),
            number("spend", "20"),
        ],
        3 => date("trip", "1", "6", "2024"),
        _ => vec![Action::Consent {
            question: "agree".into(),
            on: true,
        }],
    }
}

/// The problems on screen, as (question, code, in the details box).
fn problem_codes(state: &SurveyState) -> Vec<(String, &'static str, bool)> {
    state
        .problems
        .iter()
        .map(|p| {
            (
                p.question().unwrap_or_default().to_owned(),
                p.code(),
                p.in_specify(),
            )
        })
        .collect()
}

impl Walk {
    fn new(locale: &'static str, survey: Arc<Survey>) -> Walk {
        Walk {
            locale,
            catalogue: catalogue(locale),
            survey,
            shown: Vec::new(),
        }
    }

    fn fresh(&self) -> SurveyState {
        SurveyState::new(
            Arc::clone(&self.survey),
            self.locale.to_owned(),
            Channel::Online,
            Uuid::from_u128(1),
        )
    }

    fn keep(&mut self, screen: String, html: String, expect: Vec<String>) {
        assert!(
            !html.trim().is_empty(),
            "{}: {screen} rendered nothing",
            self.locale
        );
        self.shown.push(Shown {
            screen,
            text: readable(&html),
            expect,
        });
    }

    /// The widget as `state` stands, as the hosted page renders it; `expect` are words of
    /// this language the screen shows (more are added for a page and its problems).
    fn widget(
        &mut self,
        screen: &str,
        state: &SurveyState,
        outcomes: Option<Outcomes>,
        expect: &[&str],
    ) {
        let c = self.catalogue;
        let mut expect: Vec<String> = expect.iter().map(|w| (*w).to_owned()).collect();
        if let Screen::Page(page) = state.screen {
            expect.push(c.continue_.to_owned());
            expect.push(c.back.to_owned());
            expect.push(c.page_of(page + 1, self.survey.pages().len()));
        }
        if !state.problems.is_empty() {
            expect.push(c.there_is_a_problem.to_owned());
            expect.push(c.error_prefix.to_owned());
        }
        for problem in &state.problems {
            let question = self
                .survey
                .question(problem.question().expect("a question's problem"))
                .expect("a question of the survey");
            expect.push(c.problem(problem.kind(), question.kind(), problem.in_specify()));
        }
        let html = block_on(server::render(
            state.clone(),
            String::new(),
            headings(),
            true,
            outcomes,
        ));
        self.keep(screen.to_owned(), html, expect);
    }

    /// The state on `page`, every page before it answered, nothing on it yet.
    fn at_page(&self, page: usize) -> SurveyState {
        let mut state = self.fresh().apply(Action::Start);
        for before in 0..page {
            state = act(&state, valid_answers(before)).apply(Action::Continue);
        }
        assert_eq!(state.screen, Screen::Page(page), "{}", self.locale);
        state
    }

    /// Continue on `page` after `actions`: refused with exactly `codes`, then rendered (the
    /// language's words for each problem expected on it).
    fn refused(
        &mut self,
        page: usize,
        what: &str,
        actions: Vec<Action>,
        codes: &[(&str, &'static str, bool)],
    ) {
        let state = act(&self.at_page(page), actions).apply(Action::Continue);
        self.refused_state(page, what, state, codes);
    }

    fn refused_state(
        &mut self,
        page: usize,
        what: &str,
        state: SurveyState,
        codes: &[(&str, &'static str, bool)],
    ) {
        assert_eq!(state.screen, Screen::Page(page), "{}: {what}", self.locale);
        let wanted: Vec<(String, &'static str, bool)> = codes
            .iter()
            .map(|(q, code, in_specify)| ((*q).to_owned(), *code, *in_specify))
            .collect();
        assert_eq!(problem_codes(&state), wanted, "{}: {what}", self.locale);
        self.widget(
            &format!("page {} of {}, {what}", page + 1, self.survey.pages().len()),
            &state,
            None,
            &[],
        );
    }

    /// On [`counting_survey`]`(n)`: the limits said, then each one overstepped.
    fn counts(mut self, n: usize) -> Vec<Shown> {
        let c = self.catalogue;
        let page = self.fresh().apply(Action::Start);
        self.widget(
            &format!("limits of {n}"),
            &page,
            None,
            &[&c.counted(c.chars_limit, n), &c.characters_left(0, n)],
        );
        let mut actions: Vec<Action> = (0..=n).map(|i| toggle("most", &format!("o{i}"))).collect();
        let mut codes = vec![("most", "too_many", false)];
        if n > 1 {
            actions.push(toggle("least", "o0"));
            codes.push(("least", "too_few", false));
        }
        actions.push(text("long", &"s".repeat(n + 1)));
        codes.push(("long", "too_long", false));
        let state = act(&page, actions).apply(Action::Continue);
        self.refused_state(0, &format!("limits of {n} overstepped"), state, &codes);
        self.shown
    }

    fn walk(mut self) -> Vec<Shown> {
        let c = self.catalogue;
        let survey = Arc::clone(&self.survey);
        let start = self.fresh();

        // The first screen, with and without updates to link to.
        self.widget(
            "start",
            &start,
            None,
            &[
                c.start,
                c.privacy_heading,
                c.privacy_link,
                c.opens_in_new_tab,
            ],
        );
        self.widget(
            "start, with updates",
            &start,
            Some(outcomes(&survey)),
            &[c.start, c.updates_link],
        );

        // Each page as it first shows.
        self.widget(
            "page 1 of 5",
            &self.at_page(0),
            None,
            &[c.specify_label, c.or],
        );
        self.widget(
            "page 2 of 5",
            &self.at_page(1),
            None,
            &[
                c.optional,
                &c.counted(c.chars_limit, STORY_MAX),
                &c.characters_left(0, STORY_MAX),
            ],
        );
        self.widget("page 3 of 5", &self.at_page(2), None, &[c.optional]);
        self.widget(
            "page 4 of 5",
            &self.at_page(3),
            None,
            &[c.date_hint, c.day, c.month, c.year],
        );
        self.widget("page 5 of 5", &self.at_page(4), None, &[]);

        // Page 1: choices.
        self.refused(
            0,
            "Continue with nothing",
            vec![],
            &[
                ("colour", "required", false),
                ("fruit", "required", false),
                ("mood", "required", false),
            ],
        );
        self.refused(
            0,
            "details missing, too few chosen",
            vec![
                choose("colour", "else"),
                toggle("fruit", "apple"),
                Action::Rate {
                    question: "mood".into(),
                    value: 3,
                },
            ],
            &[
                ("colour", "specify_missing", true),
                ("fruit", "too_few", false),
            ],
        );
        self.refused(
            0,
            "details for an answer not chosen, too many chosen",
            vec![
                choose("colour", "red"),
                specify("colour", "Teal"),
                toggle("fruit", "apple"),
                toggle("fruit", "pear"),
                toggle("fruit", "plum"),
                toggle("fruit", "fig"),
                Action::Rate {
                    question: "mood".into(),
                    value: 3,
                },
            ],
            &[
                ("colour", "specify_unexpected", true),
                ("fruit", "too_many", false),
            ],
        );
        self.refused(
            0,
            "details too long, details missing for a box ticked",
            vec![
                choose("colour", "else"),
                specify("colour", &"x".repeat(501)),
                toggle("fruit", "apple"),
                toggle("fruit", "else"),
                Action::Rate {
                    question: "mood".into(),
                    value: 5,
                },
            ],
            &[
                ("colour", "too_long", true),
                ("fruit", "specify_missing", true),
            ],
        );
        // What the reducer never makes but a posted form can carry: an exclusive option
        // with another, a value that is no option, a rating that is no number.
        let mut posted = self.at_page(0);
        posted.answers.insert("colour".into(), json!("purple"));
        posted
            .answers
            .insert("fruit".into(), json!(["apple", "none"]));
        posted.answers.insert("mood".into(), Value::from("high"));
        let posted = posted.apply(Action::Continue);
        self.refused_state(
            0,
            "not an option, exclusive with another, not a number",
            posted,
            &[
                ("colour", "not_an_option", false),
                ("fruit", "exclusive", false),
                ("mood", "wrong_type", false),
            ],
        );

        // Page 2: text, its formats and its character count.
        self.refused(
            1,
            "Continue with nothing",
            vec![],
            &[("story", "required", false)],
        );
        self.refused(
            1,
            "too long, not an email address, phone number or postcode",
            vec![
                text("story", &"s".repeat(STORY_MAX + 5)),
                text("mail", "not an address"),
                text("tel", "call me maybe"),
                text("post", "nowhere"),
            ],
            &[
                ("story", "too_long", false),
                ("mail", "bad_email", false),
                ("tel", "bad_phone", false),
                ("post", "bad_postcode", false),
            ],
        );
        // The count as it speaks, left and over, in every plural category (0 left too).
        let left = [0].into_iter().chain(COUNTS).map(|n| STORY_MAX - n);
        let over = COUNTS.into_iter().map(|n| STORY_MAX + n);
        for length in left.chain(over) {
            let typed = act(&self.at_page(1), vec![text("story", &"s".repeat(length))]);
            let paused = typed.apply(Action::TypingPaused {
                typing: typed.typing,
            });
            assert!(paused.spoken_count.is_some(), "{}", self.locale);
            let count = c.characters_left(length, STORY_MAX);
            self.widget(
                &format!("page 2 of 5, {length} characters typed of {STORY_MAX}"),
                &paused,
                None,
                &[&count],
            );
        }

        // Page 3: numbers.
        self.refused(
            2,
            "Continue with nothing",
            vec![],
            &[("nights", "required", false)],
        );
        self.refused(
            2,
            "not a number, too small, too big",
            vec![
                number("nights", "many"),
                number("age", "3"),
                number("spend", "500"),
            ],
            &[
                ("nights", "wrong_type", false),
                ("age", "out_of_range", false),
                ("spend", "out_of_range", false),
            ],
        );
        self.refused(
            2,
            "outside its range",
            vec![number("nights", "20")],
            &[("nights", "out_of_range", false)],
        );
        self.refused(
            2,
            "not a whole number",
            vec![number("nights", "2.5")],
            &[("nights", "not_integer", false)],
        );

        // Page 4: dates.
        self.refused(
            3,
            "Continue with nothing",
            vec![],
            &[("trip", "required", false)],
        );
        self.refused(
            3,
            "not a real date, too early, too late",
            [
                date("trip", "31", "2", "2024"),
                date("since", "1", "1", "2019"),
                date("until", "1", "1", "2031"),
            ]
            .concat(),
            &[
                ("trip", "bad_date", false),
                ("since", "out_of_range", false),
                ("until", "out_of_range", false),
            ],
        );
        self.refused(
            3,
            "outside its range",
            date("trip", "1", "1", "2019"),
            &[("trip", "out_of_range", false)],
        );

        // Page 5: consent.
        self.refused(
            4,
            "Continue with nothing",
            vec![],
            &[("agree", "required", false)],
        );

        // Check your answers, and sending.
        let check = act(&self.at_page(4), valid_answers(4)).apply(Action::Continue);
        assert_eq!(check.screen, Screen::Check, "{}", self.locale);
        let check_words = [
            c.check_heading,
            c.change,
            c.send,
            c.what_happens_next,
            c.not_answered,
            c.yes,
        ];
        self.widget("check your answers", &check, None, &check_words);
        let sending = check.apply(Action::Send);
        assert_eq!(sending.screen, Screen::Sending, "{}", self.locale);
        self.widget("sending", &sending, None, &[c.check_heading, c.sending]);

        // A send that failed, for each reason the widget gives.
        for (why, message) in [
            ("refused", c.send_failed),
            ("already sent", c.already_sent),
            ("not kept", c.not_kept),
            ("no random ids", c.no_random_ids),
            ("closed", c.closed),
            ("not recorded", c.not_recorded),
        ] {
            let failed = sending.apply(Action::SendFailed {
                message: message.to_owned(),
            });
            self.widget(
                &format!("send failed ({why})"),
                &failed,
                None,
                &[c.there_is_a_problem, message, c.try_again],
            );
        }

        // Queued: offline, the collector busy, sending again, said while elsewhere.
        let offline = sending.apply(Action::Queued { offline: true });
        self.widget(
            "queued (offline)",
            &offline,
            None,
            &[c.queued_heading, c.queued],
        );
        let busy = sending.apply(Action::Queued { offline: false });
        self.widget(
            "queued (busy)",
            &busy,
            None,
            &[c.queued_heading, c.queued_busy],
        );
        self.widget(
            "queued, sending again",
            &busy.apply(Action::SendingAgain),
            None,
            &[c.queued_heading, c.sending],
        );
        let queued_elsewhere = sending.apply(Action::Background {
            outcome: Box::new(Action::Queued { offline: true }),
            focus_inside: false,
        });
        assert!(!queued_elsewhere.announcement.is_empty());
        self.widget(
            "queued (offline), announced",
            &queued_elsewhere,
            None,
            &[&queued_elsewhere.announcement.clone()],
        );

        // Sent: the receipt and the offer of updates by email, in each of its states.
        let sent = sending.apply(Action::Sent {
            receipt: RECEIPT.into(),
        });
        let sent_words = [
            c.thank_you,
            c.receipt_intro,
            c.receipt_hint,
            c.see_response,
            c.what_happens_next,
            c.email_heading,
            c.email_hint,
            c.email_label,
            c.email_button,
        ];
        self.widget("sent", &sent, None, &sent_words);
        self.widget(
            "sent, with updates still to come",
            &sent,
            Some(outcomes_so_far(&survey)),
            &sent_words,
        );
        // Once "what we did" is out there is nothing more to send: no offer.
        self.widget(
            "sent, with every update out",
            &sent,
            Some(outcomes(&survey)),
            &[c.thank_you, c.receipt_intro, c.what_happens_next],
        );
        let sent_elsewhere = sending.apply(Action::Background {
            outcome: Box::new(Action::Sent {
                receipt: RECEIPT.into(),
            }),
            focus_inside: false,
        });
        self.widget("sent, announced", &sent_elsewhere, None, &[c.thank_you]);
        let wrong = sent.apply(Action::OfferEmail {
            address: "not an address".into(),
        });
        assert!(matches!(wrong.email, EmailOffer::Wrong { .. }));
        self.widget(
            "sent, email address wrong",
            &wrong,
            None,
            &[c.email_heading, c.error_prefix, c.bad_email],
        );
        let email_sending = sent.apply(Action::OfferEmail {
            address: "person@example.org".into(),
        });
        assert!(matches!(email_sending.email, EmailOffer::Sending { .. }));
        self.widget(
            "sent, email address on its way",
            &email_sending,
            None,
            &[c.email_heading, c.email_sending],
        );
        for (why, message) in [
            ("not kept", c.email_not_kept),
            ("too many", c.email_too_many),
            ("refused", c.bad_email),
        ] {
            let not_kept = email_sending.apply(Action::EmailNotKept {
                message: message.to_owned(),
            });
            self.widget(
                &format!("sent, email address not kept ({why})"),
                &not_kept,
                None,
                &[c.email_heading, c.error_prefix, message],
            );
        }
        let kept = email_sending.apply(Action::EmailKept);
        assert_eq!(kept.email, EmailOffer::Kept);
        self.widget(
            "sent, email address kept",
            &kept,
            None,
            &[c.email_heading, c.email_kept],
        );

        // Erased by staff before the device heard back.
        self.widget(
            "erased",
            &sending.apply(Action::Erased),
            None,
            &[c.erased_heading, c.erased],
        );
        self.widget(
            "erased, announced",
            &sending.apply(Action::Background {
                outcome: Box::new(Action::Erased),
                focus_inside: false,
            }),
            None,
            &[c.erased_heading],
        );

        // Withdrawing: asked, on its way, failed twice over, done.
        let withdraw_words = [
            c.withdraw_heading,
            c.withdraw_explain,
            c.withdraw_confirm,
            c.withdraw_cancel,
        ];
        let ask = sent.apply(Action::AskWithdraw {
            receipt: RECEIPT.into(),
        });
        self.widget("withdraw?", &ask, None, &withdraw_words);
        self.widget(
            "withdraw? (from the first screen)",
            &start.apply(Action::AskWithdraw {
                receipt: RECEIPT.into(),
            }),
            None,
            &withdraw_words,
        );
        let withdrawing = ask.apply(Action::ConfirmWithdraw);
        self.widget(
            "withdrawing",
            &withdrawing,
            None,
            &[c.withdraw_heading, c.withdrawing],
        );
        for (why, message) in [
            ("failed", c.withdraw_failed),
            ("refused", c.withdraw_refused),
        ] {
            let failed = withdrawing.apply(Action::WithdrawFailed {
                message: message.to_owned(),
            });
            self.widget(
                &format!("withdraw {why}"),
                &failed,
                None,
                &[c.withdraw_heading, c.there_is_a_problem, message],
            );
        }
        let withdrawn = withdrawing.apply(Action::Withdrew);
        assert_eq!(withdrawn.screen, Screen::Withdrawn);
        self.widget(
            "withdrawn",
            &withdrawn,
            None,
            &[c.withdrawn_heading, c.withdrawn],
        );
        self.widget(
            "withdrawn, announced",
            &withdrawing.apply(Action::Background {
                outcome: Box::new(Action::Withdrew),
                focus_inside: false,
            }),
            None,
            &[c.withdrawn_heading],
        );

        // Collect mode: recorded, the next person, cleared.
        let recorded = sending.apply(Action::Recorded {
            submission_id: Uuid::from_u128(2),
        });
        assert_eq!(recorded.screen, Screen::Recorded);
        self.widget(
            "recorded",
            &recorded,
            None,
            &[c.recorded_heading, c.recorded_body, c.next_person],
        );
        self.widget(
            "recorded, next person",
            &recorded.apply(Action::NextPerson),
            None,
            &[c.start],
        );
        self.widget(
            "cleared",
            &self.at_page(2).apply(Action::Cleared {
                submission_id: Uuid::from_u128(3),
            }),
            None,
            &[c.start, c.cleared],
        );

        // The notices instead of the survey.
        let locale = self.locale.to_owned();
        let html = block_on(server::render_closed(
            &survey,
            locale.clone(),
            false,
            headings(),
            None,
        ));
        self.keep("closed".into(), html, vec![c.closed.into()]);
        let html = block_on(server::render_closed(
            &survey,
            locale.clone(),
            true,
            headings(),
            None,
        ));
        self.keep("not open yet".into(), html, vec![c.not_open_yet.into()]);
        let told = outcomes(&survey);
        let latest_words = |c: &Catalogue| -> Vec<String> {
            vec![
                c.stages[3].into(),
                c.all_updates.into(),
                c.you_said.into(),
                c.we_did.into(),
                c.full_report.into(),
                c.date(CalendarDate::parse("2026-09-08").expect("a date")),
            ]
        };
        let html = block_on(server::render_closed(
            &survey,
            locale.clone(),
            false,
            headings(),
            Some(told.clone()),
        ));
        let mut expect = latest_words(c);
        expect.push(c.closed.into());
        self.keep("closed, with updates".into(), html, expect);
        let html = block_on(server::render_closed(
            &survey,
            locale.clone(),
            false,
            headings(),
            Some(outcomes_so_far(&survey)),
        ));
        self.keep(
            "closed, with updates so far".into(),
            html,
            vec![
                c.closed.into(),
                c.stages[2].into(),
                c.all_updates.into(),
                c.date(CalendarDate::parse("2026-07-06").expect("a date")),
            ],
        );

        // The survey's updates page.
        let html = block_on(server::render_updates(
            Arc::clone(&survey),
            told.clone(),
            locale.clone(),
            headings(),
        ));
        let mut expect: Vec<String> = c.stages.iter().map(|s| (*s).to_owned()).collect();
        expect.extend([
            c.updates.into(),
            c.you_said.into(),
            c.we_did.into(),
            c.full_report.into(),
            c.date(CalendarDate::parse("2026-03-02").expect("a date")),
        ]);
        self.keep("updates".into(), html, expect);
        let html = block_on(server::render_updates(
            Arc::clone(&survey),
            no_outcomes(&survey),
            locale.clone(),
            headings(),
        ));
        self.keep(
            "updates, none yet".into(),
            html,
            vec![c.updates.into(), c.no_updates.into()],
        );

        // A response's own page: open, closed with updates, no such response.
        let sent_on = CalendarDate::parse("2026-04-15").expect("a date");
        let stored_on = voices_shared::fill(c.stored_on, &[("date", &c.date(sent_on))]);
        let html = block_on(server::render_response_page(
            Some(StoredFacts {
                survey: Arc::clone(&survey),
                sent_on,
                receipt: RECEIPT.into(),
                open: true,
                outcomes: None,
            }),
            locale.clone(),
            headings(),
        ));
        self.keep(
            "your response (survey open)".into(),
            html,
            vec![
                c.your_response.into(),
                stored_on.clone(),
                c.receipt_intro.into(),
                c.survey_open.into(),
            ],
        );
        let html = block_on(server::render_response_page(
            Some(StoredFacts {
                survey: Arc::clone(&survey),
                sent_on,
                receipt: RECEIPT.into(),
                open: false,
                outcomes: Some(told),
            }),
            locale.clone(),
            headings(),
        ));
        let mut expect = latest_words(c);
        expect.extend([c.your_response.into(), stored_on, c.closed.into()]);
        self.keep(
            "your response (survey closed, with updates)".into(),
            html,
            expect,
        );
        let html = block_on(server::render_response_page(
            None,
            locale.clone(),
            headings(),
        ));
        self.keep(
            "no such response".into(),
            html,
            vec![c.no_such_response.into(), c.no_such_response_hint.into()],
        );

        // The email page, without JavaScript.
        for (what, offer, expect) in [
            (
                "open",
                EmailOffer::Open,
                vec![c.email_heading, c.email_hint, c.email_label, c.email_button],
            ),
            (
                "address wrong",
                EmailOffer::Wrong {
                    address: "not an address".into(),
                    message: c.bad_email.into(),
                },
                vec![c.email_heading, c.error_prefix, c.bad_email],
            ),
            (
                "address on its way",
                EmailOffer::Sending {
                    address: "person@example.org".into(),
                },
                vec![c.email_heading, c.email_button],
            ),
            ("address kept", EmailOffer::Kept, vec![c.email_kept]),
        ] {
            let html = block_on(server::render_email_page(
                Arc::clone(&survey),
                locale.clone(),
                offer,
                "/s/every-language/email".into(),
            ));
            self.keep(
                format!("email page ({what})"),
                html,
                expect.into_iter().map(str::to_owned).collect(),
            );
        }

        self.shown
    }
}

/// Every screen of the walk in `locale`: the survey's, then the counted messages' for each
/// of [`COUNTS`].
fn walk_all(locale: &'static str) -> Vec<Shown> {
    let mut shown = Walk::new(locale, survey()).walk();
    for n in COUNTS {
        shown.extend(Walk::new(locale, counting_survey(n)).counts(n));
    }
    shown
}

/// What is wrong with one language's screens: English left in, its own words missing.
fn problems_in(locale: &'static str) -> (usize, Vec<String>) {
    let forbidden = forbidden_in(locale);
    let short = short_forbidden_in(locale);
    let shown = walk_all(locale);
    let mut problems = Vec::new();
    for screen in &shown {
        for fragment in &forbidden {
            if screen.text.contains(&fragment.lower) {
                let from = if fragment.word == fragment.text {
                    String::new()
                } else {
                    format!(" (from the English “{}”)", fragment.word)
                };
                problems.push(format!(
                    "{locale} · {}: English “{}” left in{from}",
                    screen.screen, fragment.text
                ));
            }
        }
        for text in element_texts(&screen.text) {
            for word in short.iter().filter(|word| word.is(text)) {
                problems.push(format!(
                    "{locale} · {}: English “{}” left in (as “{text}”)",
                    screen.screen, word.text
                ));
            }
        }
        for word in &screen.expect {
            if !screen.text.contains(&readable(word)) {
                problems.push(format!(
                    "{locale} · {}: does not show its own “{word}”",
                    screen.screen
                ));
            }
        }
    }
    (shown.len(), problems)
}

#[test]
fn the_survey_itself_says_none_of_the_widgets_words() {
    // Else a fragment found on a screen could be the survey's, not the widget's.
    let counting = voices_shared::serde_json::to_string(&*counting_survey(100))
        .expect("a survey is written back");
    let texts = [readable(SURVEY), readable(OUTCOMES), readable(&counting)];
    for fragment in english_fragments() {
        assert!(
            !texts.iter().any(|text| text.contains(&fragment.lower)),
            "the test surveys or updates say “{}”, an English word of the widget's",
            fragment.text
        );
    }
}

#[test]
fn no_screen_leaves_english_words_in_any_language() {
    // Not Easy Read English, which is English (and lays pages out a question to each,
    // which this walk does not follow): tests/e2e/specs/easy-read.spec.ts walks it.
    let locales: Vec<&'static str> = catalogue_locales()
        .filter(|l| *l != "en" && !voices_shared::is_easy_read(l))
        .collect();
    assert_eq!(locales.len(), 10, "every language but English: {locales:?}");
    let mut renders = 0;
    let mut problems = Vec::new();
    for locale in locales {
        assert_eq!(
            catalogue(locale).locale,
            locale,
            "{locale}'s words are built in"
        );
        let (count, found) = problems_in(locale);
        renders += count;
        problems.extend(found);
    }
    println!("{renders} renders checked");
    assert!(
        problems.is_empty(),
        "{} problems in {renders} renders:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The walk in English shows every English phrase but the few the server never renders:
/// a phrase it never shows is one the test above cannot check. Phrases are matched longest
/// first, each match taken out before shorter ones are looked for, so that "Withdraw my
/// response" is not found inside "Yes, withdraw my response".
#[test]
fn the_walk_shows_every_english_word_the_server_renders() {
    let en = catalogue("en");
    let mut fragments = english_fragments();
    fragments.sort_by_key(|f| std::cmp::Reverse(f.lower.chars().count()));
    let shown = walk_all("en");
    let mut found = BTreeSet::new();
    for screen in &shown {
        for word in &screen.expect {
            assert!(
                screen.text.contains(&readable(word)),
                "en · {}: does not show “{word}”",
                screen.screen
            );
        }
        let mut text = screen.text.clone();
        for fragment in &fragments {
            if text.contains(&fragment.lower) {
                found.insert(fragment.text);
                text = text.replace(&fragment.lower, "\u{0}");
            }
        }
    }
    let unshown: BTreeSet<&str> = fragments
        .iter()
        .filter(|f| !found.contains(f.text))
        .map(|f| f.word)
        .collect();
    let listed: BTreeSet<&str> = not_rendered_on_the_server(en)
        .into_iter()
        .map(|(word, _)| word)
        .collect();
    let missed: Vec<&&str> = unshown.difference(&listed).collect();
    assert!(
        missed.is_empty(),
        "the walk never shows these English words, so cannot check them: {missed:#?}"
    );
    let shown_after_all: Vec<&&str> = listed.difference(&unshown).collect();
    assert!(
        shown_after_all.is_empty(),
        "listed as not rendered on the server, but the walk shows them: {shown_after_all:#?}"
    );

    // The short words, as an element's whole text; month names stand only inside a date
    // ("8 September 2026"), never alone, so no check of a screen can find them.
    let short = short_words(&BTreeSet::new());
    let unshown: Vec<&str> = short
        .iter()
        .filter(|word| {
            !shown
                .iter()
                .any(|screen| element_texts(&screen.text).iter().any(|t| word.is(t)))
        })
        .map(|word| word.text)
        .filter(|word| !en.months.contains(word))
        .collect();
    assert!(
        unshown.is_empty(),
        "the walk never shows these short English words as an element's text, so cannot \
         check them: {unshown:#?}"
    );
}
