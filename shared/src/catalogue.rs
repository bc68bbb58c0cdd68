//! The widget's own words (buttons, progress, errors, counts, thank-you) in every language it speaks.
//!
//! Survey text comes from the survey; everything else a respondent reads
//! comes from here, so a survey in Polish has no English buttons. Strings
//! with `{n}`, `{x}`, `{y}` or `{min}`/`{max}` are filled in by [`fill`].
//!
//! Each language is a module of its own. English is always built in; the others are
//! built in with the `every-language` feature (the collector, which renders every
//! language), and the widget, which ships to phones without them, loads the one a reader
//! needs at run time from the words file `cargo xtask build-widget` writes for it
//! ([`Catalogue::words_file`], [`add_words`]): a language costs a phone nothing unless
//! its reader uses it.

use std::sync::RwLock;

use crate::response::{AnswerProblem, ProblemKind, number};
use crate::survey::{Question, QuestionKind};
use crate::text::Text;

#[cfg(feature = "every-language")]
mod ar;
mod en;
#[cfg(feature = "every-language")]
mod en_easy;
#[cfg(feature = "every-language")]
mod gd;
#[cfg(feature = "every-language")]
mod pa;
#[cfg(feature = "every-language")]
mod pl;
#[cfg(feature = "every-language")]
mod ro;
#[cfg(feature = "every-language")]
mod sco;
#[cfg(feature = "every-language")]
mod uk;
#[cfg(feature = "every-language")]
mod ur;
#[cfg(feature = "every-language")]
mod zh_hans;
#[cfg(feature = "every-language")]
mod zh_hant;

/// Declares [`Catalogue`] from its list of words, and with the same list the order they
/// travel in a words file, so the two cannot disagree.
macro_rules! catalogue {
    ($( $(#[$doc:meta])* $field:ident, )*) => {
        /// One language's strings.
        #[derive(Debug)]
        pub struct Catalogue {
            /// The language's tag (`en`, `zh-Hant`).
            pub locale: &'static str,
            $( $(#[$doc])* pub $field: &'static str, )*
            /// The stages a survey's updates tell: open, closed, looking at what you said,
            /// what we did.
            pub stages: [&'static str; 4],
            /// Month names as they stand in a date ("20 November 2026"; the genitive in
            /// Polish; in Gaelic without the article, as in "20 Samhain 2026").
            pub months: [&'static str; 12],
        }

        /// The names of the words in their order in a words file: a file written for
        /// another list is refused rather than read into the wrong places.
        const LAYOUT: &str = concat!($( stringify!($field), "," ,)* "stages,months");

        impl Catalogue {
            /// Every word, in the words file's order (a counted message as written, with
            /// all its forms).
            pub fn words(&self) -> impl Iterator<Item = &'static str> {
                [$( self.$field, )*]
                    .into_iter()
                    .chain(self.stages)
                    .chain(self.months)
            }

            /// The catalogue whose words come in `words`, in the words file's order. One
            /// array of exactly as many words, taken apart at once: a word-by-word read
            /// would cost the widget a branch per word.
            fn from_words(locale: &'static str, words: &[&'static str; WORDS]) -> Catalogue {
                let [
                    $( $field, )*
                    stage_open, stage_closed, stage_reviewing, stage_done,
                    january, february, march, april, may, june,
                    july, august, september, october, november, december,
                ] = words;
                Catalogue {
                    locale,
                    $( $field: *$field, )*
                    stages: [*stage_open, *stage_closed, *stage_reviewing, *stage_done],
                    months: [
                        *january, *february, *march, *april, *may, *june,
                        *july, *august, *september, *october, *november, *december,
                    ],
                }
            }
        }

        /// How many words a catalogue has: one of each name, 4 stages and 12 months.
        const WORDS: usize = [$( stringify!($field), )*].len() + 4 + 12;
    };
}

catalogue! {
    start,
    continue_,
    back,
    send,
    /// "Page {x} of {y}"
    page_of,
    error_prefix,
    there_is_a_problem,
    optional,
    privacy_heading,
    privacy_link,
    /// Said after a link that opens a new tab, so nobody is surprised.
    opens_in_new_tab,
    check_heading,
    change,
    not_answered,
    yes,
    or,
    /// The hint under a date: "For example, 27 3 2024".
    date_hint,
    day,
    month,
    year,
    /// "You can enter up to {n} characters" (counted: see [`Catalogue::counted`])
    chars_limit,
    /// "You have {n} characters remaining" (counted)
    chars_remaining,
    /// "You have {n} characters too many" (counted)
    chars_too_many,
    specify_label,
    what_happens_next,
    /// Under the title: who runs the survey ("Run by {organisation}").
    run_by,
    sending,
    thank_you,
    receipt_intro,
    receipt_hint,
    send_failed,
    /// A 409: this filled-in survey was already sent, with other answers (another tab).
    already_sent,
    /// Neither sent nor saved on the device (storage full or turned off).
    not_kept,
    /// The browser cannot draw a random submission id (no `crypto.getRandomValues`), so
    /// nothing can be sent from it: said instead of the survey, before anyone starts.
    no_random_ids,
    /// A retry answered 410 `erased`: staff erased this response, at the person's request
    /// or their own, so it is neither stored again nor kept on the device.
    erased_heading,
    erased,
    try_again,
    /// The heading while a response waits in the outbox.
    queued_heading,
    /// Collect mode (staff recording answers with someone): after Send, the answers
    /// are kept on the device for staff to send.
    recorded_heading,
    recorded_body,
    /// Collect mode: the recorded screen's button, for the next person.
    next_person,
    /// Collect mode: the respondent hands the device back, their answers forgotten.
    stop_and_clear,
    /// Collect mode: announced once the answers are cleared.
    cleared,
    /// Collect mode: the collect page could not keep the response; the answers stay on screen.
    not_recorded,
    /// Waiting because the device is offline.
    queued,
    /// Waiting because the collector could not take it (busy, down, too slow), though the
    /// device is online.
    queued_busy,
    not_found,
    closed,
    not_open_yet,
    unreachable,
    // Problems, by code.
    required_choice,
    required_choices,
    required_text,
    required_consent,
    not_a_number,
    not_an_option,
    exclusive,
    /// "Select no more than {n} options" (counted)
    too_many,
    /// "Select at least {n} options" (counted)
    too_few,
    /// "Enter {n} characters or fewer" (counted)
    too_long,
    /// "Enter a number between {min} and {max}"
    between,
    at_least,
    at_most,
    date_between,
    date_after,
    date_before,
    whole_number,
    bad_date,
    bad_email,
    bad_phone,
    bad_postcode,
    specify_missing,
    /// Details given for an answer not chosen (a page without JavaScript shows every box).
    specify_not_chosen,
    other_problem,
    /// A problem's message naming its question: "{question}: {problem}".
    named_problem,
    // What came of a survey (its published updates).
    /// The heading of a survey's updates, and the link to them.
    updates,
    no_updates,
    /// Before what people said, in a "you said / we did" pair.
    you_said,
    we_did,
    /// The link to an update's full report.
    full_report,
    /// On an open survey's first screen, the link to its updates (once there are some).
    updates_link,
    /// Under a closed survey's latest updates, the link to all of them.
    all_updates,
    // A response sent from this device (the hosted page `/r/{receipt}` and the widget).
    your_response,
    /// "Your answers were stored on {date}."
    stored_on,
    survey_open,
    /// The link from a receipt to the page about that response.
    see_response,
    no_such_response,
    no_such_response_hint,
    /// Too many receipts looked up from one address in a short time.
    too_many_lookups,
    withdraw,
    withdraw_heading,
    withdraw_explain,
    withdraw_confirm,
    withdraw_cancel,
    withdrawn_heading,
    withdrawn,
    withdraw_failed,
    /// Said while the withdrawal is on its way.
    withdrawing,
    /// The collector says this device's key does not withdraw that response.
    withdraw_refused,
    // "Tell me what happened": the offer of the survey's updates by email, after Send.
    email_heading,
    email_hint,
    email_label,
    email_button,
    /// The address is kept: what the person can expect.
    email_kept,
    /// The address could not be sent to the collector, or it could not keep it.
    email_not_kept,
    /// Too many addresses given from one place in a short time.
    email_too_many,
    /// Said while the address is on its way.
    email_sending,
    /// How a day is written: `{day}`, `{month}` (from `months`) and `{year}` in the
    /// language's order ("{day} {month} {year}"; Chinese "{year}年{month}{day}日").
    date,
}

/// Every language the widget's own words are written in, with its word for "Language":
/// the language picker says it in each language a survey offers, before any of their
/// words have loaded. `every_language_has_its_words` holds this list to the catalogues.
const LANGUAGES: [(&str, &str); 12] = [
    ("en", "Language"),
    ("en-x-easy", "Language"),
    ("gd", "Cànan"),
    ("sco", "Leid"),
    ("pl", "Język"),
    ("ar", "اللغة"),
    ("ur", "زبان"),
    ("zh-Hans", "语言"),
    ("zh-Hant", "語言"),
    ("pa", "ਭਾਸ਼ਾ"),
    ("ro", "Limba"),
    ("uk", "Мова"),
];

/// The catalogues this build has in it.
#[cfg(not(feature = "every-language"))]
const BUILT_IN: &[&Catalogue] = &[&en::EN];
#[cfg(feature = "every-language")]
const BUILT_IN: &[&Catalogue] = &[
    &en::EN,
    &en_easy::EN_EASY,
    &gd::GD,
    &sco::SCO,
    &pl::PL,
    &ar::AR,
    &ur::UR,
    &zh_hans::ZH_HANS,
    &zh_hant::ZH_HANT,
    &pa::PA,
    &ro::RO,
    &uk::UK,
];

/// Catalogues read from words files at run time ([`add_words`]). Each is read once and
/// kept for the life of the page, so they are leaked into `'static`: a handful of
/// kilobytes per language, however often the language picker is used.
static LOADED: RwLock<Vec<&'static Catalogue>> = RwLock::new(Vec::new());

/// The languages the widget's own words are written in (whether or not this build has
/// their words in it: see [`has_words`]).
pub fn catalogue_locales() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(locale, _)| *locale)
}

/// The language of the widget's own words for `locale`: its own tag, else the nearest
/// broader one (`pl-PL` → `pl`, `zh-Hant-TW` → `zh-Hant`), else English. Chinese without a
/// script writes the one its region does (`zh-TW`, `zh-HK` → `zh-Hant`; `zh`, `zh-CN` →
/// `zh-Hans`), and Punjabi in Shahmukhi (`pa-Arab`, `pa-PK`) gets Urdu's words, written
/// in the same script, rather than Gurmukhi it may not read.
pub fn words_locale(locale: &str) -> &'static str {
    let mut candidate = locale;
    loop {
        if let Some(found) = catalogue_locales().find(|l| l.eq_ignore_ascii_case(candidate)) {
            return found;
        }
        let (broader, last) = candidate.rsplit_once('-').unwrap_or((candidate, ""));
        let script = match (
            broader.to_ascii_lowercase().as_str(),
            last.to_ascii_lowercase().as_str(),
        ) {
            ("zh", "tw" | "hk" | "mo" | "hant") => Some("zh-Hant"),
            ("zh", _) => Some("zh-Hans"),
            ("pa", "arab" | "pk") => Some("ur"),
            _ => None,
        };
        if let Some(found) = script.and_then(|tag| catalogue_locales().find(|l| *l == tag)) {
            return found;
        }
        if last.is_empty() {
            return "en";
        }
        candidate = broader;
    }
}

/// The word for "Language" in the language of the widget's words for `locale`, with
/// that language's tag.
pub fn language_word(locale: &str) -> (&'static str, &'static str) {
    let language = words_locale(locale);
    LANGUAGES
        .iter()
        .copied()
        .find(|(l, _)| *l == language)
        .unwrap_or(LANGUAGES[0])
}

/// Whether the words for `locale` are here: built in, or loaded from their words file.
/// A language the widget has no words for is "here" too: English stands in for it.
pub fn has_words(locale: &str) -> bool {
    let language = words_locale(locale);
    find(language).is_some_and(|found| found.locale == language)
}

fn find(language: &str) -> Option<&'static Catalogue> {
    if let Some(found) = BUILT_IN.iter().find(|c| c.locale == language) {
        return Some(found);
    }
    let loaded = LOADED
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    loaded.iter().copied().find(|c| c.locale == language)
}

/// The catalogue for `locale` (see [`words_locale`]); English when its words are not here.
pub fn catalogue(locale: &str) -> &'static Catalogue {
    find(words_locale(locale)).unwrap_or(&en::EN)
}

/// Why a words file was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum WordsProblem {
    /// Written for another list of words (another build of the widget).
    OtherLayout,
    /// For a language the widget has no words in.
    UnknownLanguage(String),
    /// Fewer or more words than the catalogue has.
    WrongCount,
}

impl std::fmt::Display for WordsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OtherLayout => f.write_str("written for another build of the widget"),
            Self::UnknownLanguage(tag) => write!(f, "for \"{tag}\", a language without words"),
            Self::WrongCount => f.write_str("not as many words as the catalogue has"),
        }
    }
}

/// Reads a words file ([`Catalogue::words_file`]) and keeps its catalogue, which
/// [`catalogue`] then returns for its language. Returns the language's tag. Reading one
/// whose words are here already keeps the first.
pub fn add_words(file: String) -> Result<&'static str, WordsProblem> {
    let locale = read_words(&file)?;
    if !has_words(locale) {
        // Kept for the life of the page, each word a slice of it: one allocation per
        // language, none per word.
        let file: &'static str = Box::leak(file.into_boxed_str());
        let words: Vec<&'static str> = file.split('\n').skip(2).collect();
        let words: &[&'static str; WORDS] = words
            .as_slice()
            .try_into()
            .map_err(|_| WordsProblem::WrongCount)?;
        LOADED
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(Box::leak(Box::new(Catalogue::from_words(locale, words))));
    }
    Ok(locale)
}

impl Catalogue {
    /// This catalogue as a words file: lines of UTF-8 text, the layout's id, the
    /// language's tag, then every word in [`LAYOUT`]'s order, one per line (no word has a
    /// line break: a test holds them to that). Plain lines in a fixed order, so that
    /// reading one costs the widget next to no code.
    pub fn words_file(&self) -> String {
        let layout = layout_id();
        let lines: Vec<&str> = [layout.as_str(), self.locale]
            .into_iter()
            .chain(self.words().map(|word| -> &str { word }))
            .collect();
        lines.join("\n")
    }
}

/// The language of a words file, once it is seen to be one for this build's catalogue.
fn read_words(file: &str) -> Result<&'static str, WordsProblem> {
    let mut lines = file.split('\n');
    if lines.next() != Some(layout_id().as_str()) {
        return Err(WordsProblem::OtherLayout);
    }
    let tag = lines.next().unwrap_or_default();
    let locale = catalogue_locales()
        .find(|l| *l == tag)
        .ok_or_else(|| WordsProblem::UnknownLanguage(tag.to_owned()))?;
    if lines.count() != WORDS {
        return Err(WordsProblem::WrongCount);
    }
    Ok(locale)
}

/// [`LAYOUT`] as a short id (FNV-1a, in hex), the first word of every words file.
fn layout_id() -> String {
    let hash = LAYOUT
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// Every catalogue in this build (all of them with `every-language`): what
/// `cargo xtask build-widget` writes words files from.
pub fn built_in() -> impl Iterator<Item = &'static Catalogue> {
    BUILT_IN.iter().copied()
}

/// The plural category (CLDR's, for whole numbers) of `n` in `locale`: which form of a
/// counted message to use.
pub fn plural_category(locale: &str, n: u64) -> &'static str {
    let language = locale.split('-').next().unwrap_or_default();
    let (n10, n100) = (n % 10, n % 100);
    match language {
        "zh" => "other",
        "pa" => match n {
            0 | 1 => "one",
            _ => "other",
        },
        "pl" => match n {
            1 => "one",
            _ if (2..=4).contains(&n10) && !(12..=14).contains(&n100) => "few",
            _ => "many",
        },
        "uk" => match n {
            _ if n10 == 1 && n100 != 11 => "one",
            _ if (2..=4).contains(&n10) && !(12..=14).contains(&n100) => "few",
            _ => "many",
        },
        "ro" => match n {
            1 => "one",
            _ if n == 0 || (1..=19).contains(&n100) => "few",
            _ => "other",
        },
        "ar" => match n {
            0 => "zero",
            1 => "one",
            2 => "two",
            _ if (3..=10).contains(&n100) => "few",
            _ if (11..=99).contains(&n100) => "many",
            _ => "other",
        },
        "gd" => match n {
            1 | 11 => "one",
            2 | 12 => "two",
            3..=10 | 13..=19 => "few",
            _ => "other",
        },
        _ => match n {
            1 => "one",
            _ => "other",
        },
    }
}

/// The plural categories a language's whole numbers fall into, in CLDR's order (zero,
/// one, two, few, many, other): every counted message in its catalogue has a form for
/// each, in that order.
#[cfg(test)]
fn plural_categories(locale: &str) -> Vec<&'static str> {
    ["zero", "one", "two", "few", "many", "other"]
        .into_iter()
        .filter(|category| (0..200).any(|n| plural_category(locale, n) == *category))
        .collect()
}

/// Of words kept apart from the catalogue (emails, posters, paper), one per language in
/// `all` (English first), those for `locale`: the language the catalogue picks for it.
pub(crate) fn words_for<T>(
    locale: &str,
    all: &[&'static T],
    locale_of: fn(&T) -> &str,
) -> &'static T {
    let language = words_locale(locale);
    all.iter()
        .copied()
        .find(|words| locale_of(words) == language)
        .unwrap_or(all[0])
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Catalogue {
    /// A stage of a survey's life, as its updates name it.
    pub fn stage(&self, stage: crate::outcomes::Stage) -> &'static str {
        use crate::outcomes::Stage;
        match stage {
            Stage::Open => self.stages[0],
            Stage::Closed => self.stages[1],
            Stage::Reviewing => self.stages[2],
            Stage::WhatWeDid => self.stages[3],
        }
    }

    /// A day written out ("20 November 2026"), as an update's date is shown.
    pub fn date(&self, date: crate::CalendarDate) -> String {
        let month = self.months[(date.month() as usize).saturating_sub(1) % 12];
        fill(
            self.date,
            &[
                ("day", &date.day().to_string()),
                ("month", month),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// "Page 2 of 4"
    pub fn page_of(&self, page: usize, pages: usize) -> String {
        fill(
            self.page_of,
            &[("x", &page.to_string()), ("y", &pages.to_string())],
        )
    }

    /// What the character count says for `length` characters of `max`.
    pub fn characters_left(&self, length: usize, max: usize) -> String {
        if length <= max {
            self.counted(self.chars_remaining, max - length)
        } else {
            self.counted(self.chars_too_many, length - max)
        }
    }

    /// A counted message for `n`: of its forms (`one:…|few:…|other:…`, one for each of
    /// the language's plural categories), the one for `n`'s category, with `{n}` filled in.
    pub fn counted(&self, message: &str, n: usize) -> String {
        let category = plural_category(self.locale, n as u64);
        let form = |wanted: &str| {
            message.split('|').find_map(|form| {
                form.split_once(':')
                    .filter(|(name, _)| *name == wanted)
                    .map(|(_, text)| text)
            })
        };
        let text = form(category).or_else(|| form("other")).unwrap_or(message);
        fill(text, &[("n", &n.to_string())])
    }

    /// What a respondent reading `locale` is told about `problem` with their answer to
    /// `question`, in the error summary and at the field alike. On a page of several
    /// questions a bare "Select an answer" leaves a screen-reader user guessing which one,
    /// so each message names its question (as GOV.UK's do): the author's own `error` for a
    /// question left unanswered, else the catalogue's message after the question's short
    /// label (or its label).
    pub fn message(&self, question: &Question, problem: &AnswerProblem, locale: &str) -> String {
        self.message_parts(question, problem, locale)
            .into_iter()
            .map(|(part, _)| part)
            .collect()
    }

    /// [`Catalogue::message`] in pieces, each with the survey text it comes from, if any:
    /// where that text has no translation into `locale`, the widget marks the piece with
    /// the language it is written in.
    pub fn message_parts<'q>(
        &self,
        question: &'q Question,
        problem: &AnswerProblem,
        locale: &str,
    ) -> Vec<(String, Option<&'q Text>)> {
        let unanswered = matches!(problem.kind(), ProblemKind::Required) && !problem.in_specify();
        if let Some(error) = question.error().filter(|_| unanswered) {
            return vec![(error.get(locale).trim().to_owned(), Some(error))];
        }
        let what = self.problem(problem.kind(), question.kind(), problem.in_specify());
        // The short label, unless only the label is written in the reader's language.
        let name_text = match question.short_label() {
            Some(short)
                if short.has_translation(locale) || !question.label().has_translation(locale) =>
            {
                short
            }
            _ => question.label(),
        };
        let name = name_text.get(locale).trim();
        // A question asked as one ("Which area do you live in?") reads on into its
        // message as a sentence of its own; any other name is followed by a colon.
        if name.ends_with(['?', '؟', '？']) {
            return vec![
                (name.to_owned(), Some(name_text)),
                (format!(" {what}"), None),
            ];
        }
        let name = name.trim_end_matches([':', '.', '：']).trim_end();
        let (before, after) = self
            .named_problem
            .split_once("{question}")
            .unwrap_or(("", self.named_problem));
        let after = fill(after, &[("problem", &lowercase_first(&what))]);
        [
            (before.to_owned(), None),
            (name.to_owned(), Some(name_text)),
            (after, None),
        ]
        .into_iter()
        .filter(|(part, _)| !part.is_empty())
        .collect()
    }

    /// The message for a problem with an answer to a question of `kind`, without naming
    /// the question: [`Catalogue::message`] names it.
    pub fn problem(&self, problem: &ProblemKind, kind: &QuestionKind, in_specify: bool) -> String {
        match problem {
            ProblemKind::Required => match kind {
                QuestionKind::SingleChoice { .. } | QuestionKind::Rating { .. } => {
                    self.required_choice.to_owned()
                }
                QuestionKind::MultipleChoice { .. } => self.required_choices.to_owned(),
                QuestionKind::Consent => self.required_consent.to_owned(),
                QuestionKind::Date { .. } => self.bad_date.to_owned(),
                QuestionKind::Number { .. } => self.not_a_number.to_owned(),
                _ => self.required_text.to_owned(),
            },
            ProblemKind::WrongType { .. } => match kind {
                QuestionKind::Number { .. } => self.not_a_number.to_owned(),
                QuestionKind::Date { .. } => self.bad_date.to_owned(),
                _ => self.other_problem.to_owned(),
            },
            ProblemKind::NotAnOption { .. } | ProblemKind::Duplicate { .. } => {
                self.not_an_option.to_owned()
            }
            ProblemKind::Exclusive { option } => fill(self.exclusive, &[("option", option)]),
            ProblemKind::TooMany { max } => self.counted(self.too_many, *max as usize),
            ProblemKind::TooFew { min } => self.counted(self.too_few, *min as usize),
            ProblemKind::TooLong { max, .. } => self.counted(self.too_long, *max),
            ProblemKind::OutOfRange { min, max } => match (min, max) {
                (Some(min), Some(max)) => fill(
                    self.between,
                    &[("min", &number(*min)), ("max", &number(*max))],
                ),
                (Some(min), None) => fill(self.at_least, &[("min", &number(*min))]),
                (None, Some(max)) => fill(self.at_most, &[("max", &number(*max))]),
                (None, None) => self.not_a_number.to_owned(),
            },
            ProblemKind::DateOutOfRange { min, max } => {
                let show =
                    |d: &crate::CalendarDate| format!("{} {} {}", d.day(), d.month(), d.year());
                match (min, max) {
                    (Some(min), Some(max)) => fill(
                        self.date_between,
                        &[("min", &show(min)), ("max", &show(max))],
                    ),
                    (Some(min), None) => fill(self.date_after, &[("min", &show(min))]),
                    (None, Some(max)) => fill(self.date_before, &[("max", &show(max))]),
                    (None, None) => self.bad_date.to_owned(),
                }
            }
            ProblemKind::NotInteger => self.whole_number.to_owned(),
            ProblemKind::BadDate => self.bad_date.to_owned(),
            ProblemKind::BadEmail => self.bad_email.to_owned(),
            ProblemKind::BadPhone => self.bad_phone.to_owned(),
            ProblemKind::BadPostcode => self.bad_postcode.to_owned(),
            ProblemKind::SpecifyMissing => self.specify_missing.to_owned(),
            ProblemKind::SpecifyUnexpected => self.specify_not_chosen.to_owned(),
            _ if in_specify => self.specify_missing.to_owned(),
            _ => self.other_problem.to_owned(),
        }
    }
}

/// "Enter a number" → "enter a number", to follow a colon; a word in capitals ("UK")
/// keeps them. ASCII and the basic Cyrillic letters only: Unicode's case tables would add
/// 4 kB (brotli) to the widget, and every catalogue's messages begin with one of those or
/// with a letter of a script without case (a test below holds each catalogue to that).
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if !second.is_some_and(is_upper) => {
            lower(first).to_string() + &message[first.len_utf8()..]
        }
        _ => message.to_owned(),
    }
}

/// Whether `letter` is one [`lower`] lowers.
fn is_upper(letter: char) -> bool {
    lower(letter) != letter
}

/// The lower case of an ASCII or basic Cyrillic capital (А–Я, Ѐ–Џ, Ґ), else `letter`.
fn lower(letter: char) -> char {
    let shift = match letter {
        'A'..='Z' | 'А'..='Я' => 0x20,
        'Ѐ'..='Џ' => 0x50,
        'Ґ' => 1,
        _ => 0,
    };
    char::from_u32(letter as u32 + shift).unwrap_or(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counted messages of `c`, by name.
    fn counted_messages(c: &Catalogue) -> [(&'static str, &'static str); 6] {
        [
            ("chars_limit", c.chars_limit),
            ("chars_remaining", c.chars_remaining),
            ("chars_too_many", c.chars_too_many),
            ("too_many", c.too_many),
            ("too_few", c.too_few),
            ("too_long", c.too_long),
        ]
    }

    #[test]
    fn every_language_fills_every_string() {
        let languages: Vec<&str> = built_in().map(|c| c.locale).collect();
        assert_eq!(
            languages,
            catalogue_locales().collect::<Vec<_>>(),
            "every language has its words, in the order of LANGUAGES"
        );
        for catalogue in built_in() {
            assert!(
                catalogue.words().all(|word| !word.trim().is_empty()),
                "{} has an empty string",
                catalogue.locale
            );
            if catalogue.locale != "en" {
                // Short words may be the same in English ("OK"); nothing longer may, nor
                // any word with letters in it beyond its placeholders.
                let english = |word: &str| {
                    let mut letters = word.to_owned();
                    while let Some(open) = letters.find('{') {
                        let close = letters[open..]
                            .find('}')
                            .map_or(letters.len(), |c| open + c + 1);
                        letters.replace_range(open..close, "");
                    }
                    letters.chars().any(|c| c.is_alphabetic()) && word.len() > 12
                };
                let same: Vec<&str> = catalogue
                    .words()
                    .zip(en::EN.words())
                    .filter(|(word, english_word)| word == english_word && english(word))
                    .map(|(word, _)| word)
                    .collect();
                assert!(
                    same.is_empty(),
                    "{} leaves English: {same:?}",
                    catalogue.locale
                );
            }
            assert!(
                catalogue.page_of.contains("{x}") && catalogue.page_of.contains("{y}"),
                "{}",
                catalogue.locale
            );
            assert!(
                catalogue.between.contains("{min}") && catalogue.between.contains("{max}"),
                "{}",
                catalogue.locale
            );
            assert!(
                catalogue.exclusive.contains("{option}"),
                "{}",
                catalogue.locale
            );
            for placeholder in ["{day}", "{month}", "{year}"] {
                assert!(catalogue.date.contains(placeholder), "{}", catalogue.locale);
            }
        }
    }

    /// Every counted message has a form for each plural category of its language, and for
    /// no other, each saying the count.
    #[test]
    fn every_counted_message_has_each_plural_form() {
        for c in built_in() {
            let categories = plural_categories(c.locale);
            for (name, message) in counted_messages(c) {
                let forms: Vec<(&str, &str)> = message
                    .split('|')
                    .map(|form| form.split_once(':').unwrap_or(("", form)))
                    .collect();
                let named: Vec<&str> = forms.iter().map(|(category, _)| *category).collect();
                assert_eq!(
                    named, categories,
                    "{}: {name} has forms {named:?}; the language's categories are {categories:?}",
                    c.locale
                );
                for (category, text) in forms {
                    assert!(
                        text.contains("{n}"),
                        "{} {name} {category}: no {{n}}",
                        c.locale
                    );
                }
            }
        }
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let categories = |locale, numbers: &[u64]| {
            numbers
                .iter()
                .map(|n| plural_category(locale, *n))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            categories("en", &[0, 1, 2, 21]),
            ["other", "one", "other", "other"]
        );
        assert_eq!(
            categories("pl", &[1, 2, 5, 12, 22, 25, 101]),
            ["one", "few", "many", "many", "few", "many", "many"]
        );
        assert_eq!(
            categories("uk", &[1, 2, 5, 11, 21, 22, 112]),
            ["one", "few", "many", "many", "one", "few", "many"]
        );
        assert_eq!(
            categories("ro", &[0, 1, 2, 19, 20, 101, 120]),
            ["few", "one", "few", "few", "other", "few", "other"]
        );
        assert_eq!(
            categories("ar", &[0, 1, 2, 3, 10, 11, 99, 100, 103]),
            [
                "zero", "one", "two", "few", "few", "many", "many", "other", "few"
            ]
        );
        assert_eq!(
            categories("gd", &[1, 11, 2, 12, 3, 19, 20]),
            ["one", "one", "two", "two", "few", "few", "other"]
        );
        assert_eq!(categories("pa", &[0, 1, 2]), ["one", "one", "other"]);
        assert_eq!(categories("zh-Hant", &[1, 2]), ["other", "other"]);
    }

    /// A words file reads back into the very catalogue it was written from; one for another
    /// layout, another count or an unknown language is refused.
    #[test]
    fn words_files_read_back_and_refuse_what_does_not_fit() {
        for c in built_in() {
            assert!(
                c.words().all(|word| !word.contains(['\n', '\r'])),
                "{}: a word with a line break would break its words file",
                c.locale
            );
            let file = c.words_file();
            assert_eq!(read_words(&file), Ok(c.locale));
            let file: &'static str = Box::leak(file.into_boxed_str());
            let words: Vec<&'static str> = file.split('\n').skip(2).collect();
            let read = Catalogue::from_words(c.locale, words.as_slice().try_into().unwrap());
            assert_eq!(format!("{read:?}"), format!("{c:?}"));
        }
        let file = en::EN.words_file();
        let with_line = |index: usize, line: &str| {
            let mut lines: Vec<&str> = file.split('\n').collect();
            lines[index] = line;
            lines.join("\n")
        };
        assert_eq!(read_words("[]"), Err(WordsProblem::OtherLayout));
        assert_eq!(
            read_words(&with_line(0, "0123456789abcdef")),
            Err(WordsProblem::OtherLayout)
        );
        assert_eq!(
            read_words(&with_line(1, "xx")),
            Err(WordsProblem::UnknownLanguage("xx".into()))
        );
        assert_eq!(
            read_words(&format!("{file}\none more")),
            Err(WordsProblem::WrongCount)
        );
        assert_eq!(add_words(file.clone()), Ok("en"));
    }

    /// A problem's message follows a question's name with its first letter lowered, which
    /// the widget does for ASCII letters only.
    #[test]
    fn every_problem_message_can_follow_a_question_s_name() {
        for c in built_in() {
            let counted = counted_messages(c).map(|(_, message)| message);
            let forms = counted.iter().flat_map(|message| {
                message
                    .split('|')
                    .map(|form| form.split_once(':').map_or(form, |(_, text)| text))
            });
            for message in [
                c.required_choice,
                c.required_choices,
                c.required_text,
                c.required_consent,
                c.not_a_number,
                c.not_an_option,
                c.exclusive,
                c.between,
                c.at_least,
                c.at_most,
                c.date_between,
                c.date_after,
                c.date_before,
                c.whole_number,
                c.bad_date,
                c.bad_email,
                c.bad_phone,
                c.bad_postcode,
                c.specify_missing,
                c.specify_not_chosen,
                c.other_problem,
            ]
            .into_iter()
            .chain(forms)
            {
                let first = message.chars().next().unwrap();
                assert!(
                    !first.is_uppercase() || is_upper(first),
                    "{}: \"{message}\" begins with a capital the widget cannot lower",
                    c.locale
                );
            }
            assert!(
                c.named_problem.contains("{question}") && c.named_problem.contains("{problem}")
            );
        }
        assert_eq!(lowercase_first("Enter a number"), "enter a number");
        assert_eq!(lowercase_first("UK postcode"), "UK postcode");
        assert_eq!(lowercase_first("أدخل رقمًا"), "أدخل رقمًا");
        assert_eq!(lowercase_first("Введіть число"), "введіть число");
        assert_eq!(lowercase_first("Їжа"), "їжа");
        assert_eq!(lowercase_first("Ґанок"), "ґанок");
    }

    #[test]
    fn picks_the_nearest_language() {
        assert_eq!(catalogue("pl-PL").locale, "pl");
        assert_eq!(catalogue("AR").locale, "ar");
        assert_eq!(catalogue("fr").locale, "en");
        assert_eq!(catalogue("gd").page_of(2, 4), "Duilleag 2 à 4");
        assert_eq!(words_locale("PL-pl"), "pl");
        assert_eq!(language_word("ar-EG"), ("ar", "اللغة"));
        assert_eq!(language_word("fr"), ("en", "Language"));
        for (tag, words) in [
            ("zh", "zh-Hans"),
            ("zh-CN", "zh-Hans"),
            ("zh-Hans-CN", "zh-Hans"),
            ("zh-TW", "zh-Hant"),
            ("zh-HK", "zh-Hant"),
            ("zh-Hant", "zh-Hant"),
            ("pa", "pa"),
            ("pa-Guru-IN", "pa"),
            ("pa-Arab", "ur"),
            ("pa-PK", "ur"),
            ("sco-GB", "sco"),
            ("uk-UA", "uk"),
            ("ro-MD", "ro"),
            ("en-GB", "en"),
        ] {
            assert_eq!(words_locale(tag), words, "{tag}");
        }
        assert_eq!(catalogue("zh-TW").locale, "zh-Hant");
    }

    #[test]
    fn counts_characters_left_and_over() {
        let en = catalogue("en");
        assert_eq!(
            en.characters_left(0, 200),
            "You have 200 characters remaining"
        );
        assert_eq!(
            en.characters_left(199, 200),
            "You have 1 character remaining"
        );
        assert_eq!(
            en.characters_left(201, 200),
            "You have 1 character too many"
        );
        assert_eq!(
            en.characters_left(210, 200),
            "You have 10 characters too many"
        );
        let pl = catalogue("pl");
        assert_eq!(
            pl.counted(pl.too_few, 2),
            "Wybierz co najmniej 2 odpowiedzi"
        );
    }
}
