//! The Voices survey format, response format and the rules that decide whether a response is valid.
//!
//! Compiled into both the widget (WebAssembly, on phones) and the collector,
//! so the two always agree. It knows nothing of storage, HTTP or the DOM.
//!
//! - [`Survey::parse`] reads a definition: a valid [`Survey`] or every problem with its JSON path.
//! - [`Survey::visibility`] says which pages and questions the answers so far leave visible.
//! - [`Survey::accept`] checks a [`Submission`]; [`Survey::check_page`] checks one page.

mod answers;
mod catalogue;
mod condition;
mod date;
mod definition;
pub mod mail_words;
pub mod outcomes;
pub mod paper_words;
pub mod poster_words;
mod question_sets;
mod response;
mod sorted_map;
mod survey;
mod text;
mod timestamp;

pub use answers::{Answers, SpecifyTexts, is_answered, is_chosen};
pub use catalogue::{
    Catalogue, WordsProblem, add_words, built_in, catalogue, catalogue_locales, fill, has_words,
    language_word, plural_category, words_locale,
};
pub use condition::{Condition, Visibility};
pub use date::CalendarDate;
pub use definition::{
    DEFAULT_MAX_LENGTH, DEFAULT_MAX_LENGTH_MULTILINE, MAX_TEXT_LENGTH, SurveyProblem,
    SurveyProblems, is_survey_id,
};
pub use question_sets::question_set_names;
pub use response::{
    AnswerProblem, Channel, MAX_SPECIFY_LENGTH, ProblemKind, Submission, ValidResponse,
    WITHDRAWAL_KEY_LENGTH, is_email, is_phone, is_uk_postcode, is_withdrawal_key,
};
pub use sorted_map::SortedMap;
pub use survey::{
    ChoiceOption, FORMAT_VERSION, Page, Picture, Privacy, Question, QuestionKind, Survey,
    TextFormat, TranslationGap, Window, is_picture_file, picture_content_type,
};
pub use text::{
    Text, easy_read_language, is_easy_read, is_locale_tag, is_right_to_left, split_paragraphs,
};

/// Re-exported so that users name the same versions as this crate.
pub use serde_json;
pub use time;
pub use uuid;
