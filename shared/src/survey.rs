//! A survey definition that is valid by construction: only [`Survey::parse`] makes one.

use crate::SortedMap;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::condition::Condition;
use crate::date::CalendarDate;
use crate::definition::SurveyProblems;
use crate::text::Text;

/// The only format version this crate reads and writes.
pub const FORMAT_VERSION: u64 = 1;

/// A parsed, valid survey definition (format 1).
///
/// Fields are private and there are no setters: every `Survey` value came out
/// of the parser, so every rule of the format holds for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub(crate) id: String,
    pub(crate) version: u32,
    pub(crate) default_locale: String,
    pub(crate) locales: Vec<String>,
    /// Whether `locales` was written in the definition (kept for round trips).
    pub(crate) locales_written: bool,
    pub(crate) title: Text,
    /// Who runs the survey, shown under its title: a person who arrives from a poster's
    /// QR code can tell it is genuine.
    pub(crate) organisation: Option<Text>,
    pub(crate) intro: Option<Text>,
    pub(crate) privacy: Privacy,
    pub(crate) what_happens_next: Option<Text>,
    pub(crate) opens_at: Option<OffsetDateTime>,
    pub(crate) closes_at: Option<OffsetDateTime>,
    pub(crate) allowed_origins: Vec<String>,
    /// Days a response is kept before the collector erases it; `None` keeps it.
    pub(crate) retention_days: Option<u32>,
    /// After Send, offer to email the person the survey's published updates.
    pub(crate) updates_by_email: bool,
    /// Summaries hide counts below this (and what would reveal them); `None`: the
    /// collector's default.
    pub(crate) suppress_below: Option<u32>,
    pub(crate) pages: Vec<Page>,
    /// Question id to the index of its page. Not to its place on the page too: a page is
    /// short.
    pub(crate) index: SortedMap<usize>,
}

/// Each question's id to the index of its page ([`Survey::index`]).
pub(crate) fn page_index(pages: &[Page]) -> SortedMap<usize> {
    let mut index = SortedMap::new();
    for (at, page) in pages.iter().enumerate() {
        for question in &page.questions {
            index.insert(question.id.clone(), at);
        }
    }
    index
}

/// The texts of a survey not written in one of the languages it offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationGap {
    pub locale: String,
    /// Where each missing text is (see [`Survey::texts`]).
    pub missing: Vec<String>,
    /// How many texts the survey has.
    pub total: usize,
}

/// Who collects the answers, why, and for how long.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Privacy {
    pub(crate) text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
}

/// One page of questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub(crate) id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) visible_if: Option<Condition>,
    pub(crate) questions: Vec<Question>,
    /// The built-in question set the page's questions come from, when it includes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) question_set: Option<String>,
}

/// One question (or, for [`QuestionKind::Info`], a block of content).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub(crate) id: String,
    #[serde(flatten)]
    pub(crate) kind: QuestionKind,
    pub(crate) label: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<Text>,
    /// A few words naming the question where its whole label is too long: error
    /// messages name the question by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) short_label: Option<Text>,
    /// The author's own message for the question left unanswered ("Select which area
    /// you live in"), in place of one built from the catalogue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<Text>,
    #[serde(skip_serializing_if = "is_false")]
    pub(crate) required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) visible_if: Option<Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) picture: Option<Picture>,
}

/// A picture beside a question or an option, which Easy Read shows: an image file
/// published with the survey and served by the collector (never from another origin),
/// with what it shows in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Picture {
    pub(crate) file: String,
    pub(crate) alt: Text,
}

impl Picture {
    /// The file's name among the survey's pictures ([`is_picture_file`]).
    pub fn file(&self) -> &str {
        &self.file
    }
    /// What the picture shows, for those who cannot see it.
    pub fn alt(&self) -> &Text {
        &self.alt
    }
}

/// The kinds of picture file a survey may publish, by the end of their name.
const PICTURE_TYPES: [(&str, &str); 5] = [
    (".svg", "image/svg+xml"),
    (".png", "image/png"),
    (".jpg", "image/jpeg"),
    (".jpeg", "image/jpeg"),
    (".webp", "image/webp"),
];

/// Whether `name` can name one of a survey's pictures: lowercase letters, digits, `-` and
/// `_` (at most 64, the first a letter or digit), then `.svg`, `.png`, `.jpg`, `.jpeg` or
/// `.webp`. Nothing that could climb out of the survey's folder.
pub fn is_picture_file(name: &str) -> bool {
    picture_content_type(name).is_some_and(|_| {
        let stem = &name[..name.rfind('.').unwrap_or(0)];
        (1..=64).contains(&stem.len())
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && stem
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

/// The media type of a picture file, by the end of its name.
pub fn picture_content_type(name: &str) -> Option<&'static str> {
    PICTURE_TYPES
        .iter()
        .find(|(end, _)| name.ends_with(end))
        .map(|(_, media)| *media)
}

/// What kind of answer a question takes, with that kind's own settings.
///
/// The variants' fields are readable, but a `QuestionKind` on its own cannot
/// get into a [`Survey`]: only the parser builds those.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<ChoiceOption>,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_selected: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_selected: Option<u32>,
    },
    Text {
        #[serde(skip_serializing_if = "is_false")]
        multiline: bool,
        max_length: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<TextFormat>,
    },
    Rating {
        min: u8,
        max: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_label: Option<Text>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_label: Option<Text>,
    },
    Number {
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(skip_serializing_if = "is_false")]
        integer: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<Text>,
    },
    Date {
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<CalendarDate>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<CalendarDate>,
    },
    Consent,
    Info {
        body: Text,
    },
}

/// What a `text` question's answer must look like, beyond its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    Email,
    Phone,
    UkPostcode,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceOption {
    pub(crate) value: String,
    pub(crate) label: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<Text>,
    #[serde(skip_serializing_if = "is_false")]
    pub(crate) exclusive: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub(crate) specify: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) picture: Option<Picture>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Where a survey stands at a given moment against its `opens_at`..`closes_at` window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYetOpen,
    Open,
    Closed,
}

impl Survey {
    /// Parses a JSON definition. On failure, every problem found, each with
    /// its JSON path.
    pub fn parse(json: &str) -> Result<Survey, SurveyProblems> {
        crate::definition::parse_str(json)
    }

    /// Parses a definition already read as a JSON value.
    pub fn from_value(value: &serde_json::Value) -> Result<Survey, SurveyProblems> {
        crate::definition::parse_value(value)
    }

    /// The definition as JSON, in the format it was parsed from.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a survey always serialises")
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn default_locale(&self) -> &str {
        &self.default_locale
    }
    /// The locales offered to respondents; the default locale is always among them.
    pub fn locales(&self) -> &[String] {
        &self.locales
    }
    /// Whether the survey offers `locale` to respondents.
    pub fn offers_locale(&self, locale: &str) -> bool {
        self.locales.iter().any(|l| l == locale)
    }
    pub fn title(&self) -> &Text {
        &self.title
    }
    pub fn intro(&self) -> Option<&Text> {
        self.intro.as_ref()
    }
    pub fn organisation(&self) -> Option<&Text> {
        self.organisation.as_ref()
    }
    pub fn privacy(&self) -> &Privacy {
        &self.privacy
    }
    pub fn what_happens_next(&self) -> Option<&Text> {
        self.what_happens_next.as_ref()
    }
    pub fn opens_at(&self) -> Option<OffsetDateTime> {
        self.opens_at
    }
    pub fn closes_at(&self) -> Option<OffsetDateTime> {
        self.closes_at
    }
    /// Origins whose pages may embed the survey; `"*"` allows any.
    /// How many days the collector keeps each response; `None`: until erased by hand.
    pub fn retention_days(&self) -> Option<u32> {
        self.retention_days
    }
    /// The smallest count a summary of this survey shows, if the survey sets one.
    pub fn suppress_below(&self) -> Option<u32> {
        self.suppress_below
    }
    /// Whether the thank-you screen offers "tell me what happened" by email.
    pub fn updates_by_email(&self) -> bool {
        self.updates_by_email
    }
    /// The same survey without the offer of updates by email (served so by a collector
    /// that has no mail relay to send them with).
    pub fn without_updates_by_email(mut self) -> Survey {
        self.updates_by_email = false;
        self
    }
    pub fn allowed_origins(&self) -> &[String] {
        &self.allowed_origins
    }
    /// Whether a page on `origin` (`https://partner.example`) may embed and submit.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|allowed| allowed == "*" || allowed.eq_ignore_ascii_case(origin))
    }
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }
    /// Every question, in survey order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|page| page.questions.iter())
    }
    pub fn question(&self, id: &str) -> Option<&Question> {
        let (page, question) = self.place_of(id)?;
        Some(&self.pages[page].questions[question])
    }
    /// This survey laid out as Easy Read shows it: each question (or block of content) on
    /// a page of its own, under its page's title and condition, in the same order. The
    /// answers, their checks and the response are the same: only the screens differ.
    pub fn one_question_per_page(&self) -> Survey {
        let mut pages = Vec::new();
        for page in &self.pages {
            for (at, question) in page.questions.iter().enumerate() {
                // A page shows when both its page's condition and its question's hold:
                // a question hidden by its own condition gets no empty screen.
                let visible_if = match (&page.visible_if, &question.visible_if) {
                    (Some(page), Some(question)) => {
                        Some(Condition::All(vec![page.clone(), question.clone()]))
                    }
                    (page, question) => page.clone().or_else(|| question.clone()),
                };
                pages.push(Page {
                    id: match at {
                        0 => page.id.clone(),
                        _ => format!("{}-{}", page.id, at + 1),
                    },
                    title: page.title.clone(),
                    visible_if,
                    questions: vec![question.clone()],
                    question_set: page.question_set.clone(),
                });
            }
        }
        Survey {
            index: page_index(&pages),
            pages,
            ..self.clone()
        }
    }

    /// The index of the page holding question `id`.
    pub fn page_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
    /// The indexes of the page holding question `id` and of the question on it.
    pub(crate) fn place_of(&self, id: &str) -> Option<(usize, usize)> {
        let page = *self.index.get(id)?;
        let question = self.pages[page].questions.iter().position(|q| q.id == id)?;
        Some((page, question))
    }

    /// Every text of the survey, each with where it is, as an author finds it
    /// (`questions.locality.options.lochee.label`).
    pub fn texts(&self) -> Vec<(String, &Text)> {
        let mut texts: Vec<(String, &Text)> = vec![("title".into(), &self.title)];
        for (path, text) in [
            ("organisation", self.organisation.as_ref()),
            ("intro", self.intro.as_ref()),
            ("privacy.text", Some(&self.privacy.text)),
            ("what_happens_next", self.what_happens_next.as_ref()),
        ] {
            if let Some(text) = text {
                texts.push((path.to_owned(), text));
            }
        }
        for page in &self.pages {
            if let Some(title) = &page.title {
                texts.push((format!("pages.{}.title", page.id), title));
            }
            for question in &page.questions {
                let at = format!("questions.{}", question.id);
                texts.push((format!("{at}.label"), &question.label));
                for (field, text) in [
                    ("hint", &question.hint),
                    ("short_label", &question.short_label),
                    ("error", &question.error),
                ] {
                    if let Some(text) = text {
                        texts.push((format!("{at}.{field}"), text));
                    }
                }
                match &question.kind {
                    QuestionKind::Rating {
                        min_label,
                        max_label,
                        ..
                    } => {
                        for (end, label) in [("min_label", min_label), ("max_label", max_label)] {
                            if let Some(label) = label {
                                texts.push((format!("{at}.{end}"), label));
                            }
                        }
                    }
                    QuestionKind::Number {
                        unit: Some(unit), ..
                    } => texts.push((format!("{at}.unit"), unit)),
                    QuestionKind::Info { body } => texts.push((format!("{at}.body"), body)),
                    _ => {}
                }
                if let Some(picture) = &question.picture {
                    texts.push((format!("{at}.picture.alt"), &picture.alt));
                }
                for option in question.options() {
                    let at = format!("{at}.options.{}", option.value);
                    texts.push((format!("{at}.label"), &option.label));
                    if let Some(hint) = &option.hint {
                        texts.push((format!("{at}.hint"), hint));
                    }
                    if let Some(picture) = &option.picture {
                        texts.push((format!("{at}.picture.alt"), &picture.alt));
                    }
                }
            }
        }
        texts
    }

    /// Every picture the survey shows, questions' and options', in survey order (a file
    /// may be shown more than once).
    pub fn pictures(&self) -> Vec<&Picture> {
        let mut pictures = Vec::new();
        for question in self.pages.iter().flat_map(|page| &page.questions) {
            pictures.extend(&question.picture);
            pictures.extend(question.options().iter().filter_map(|o| o.picture.as_ref()));
        }
        pictures
    }

    /// For each language the survey offers besides its default, the texts not written in
    /// it (readers of that language see them in the default language), by where they are.
    pub fn translation_gaps(&self) -> Vec<TranslationGap> {
        let texts = self.texts();
        self.locales
            .iter()
            .filter(|locale| **locale != self.default_locale)
            .map(|locale| TranslationGap {
                locale: locale.clone(),
                total: texts.len(),
                missing: texts
                    .iter()
                    .filter(|(_, text)| !text.has_translation(locale))
                    .map(|(path, _)| path.clone())
                    .collect(),
            })
            .collect()
    }

    /// Whether the survey takes responses at `now`.
    pub fn window_at(&self, now: OffsetDateTime) -> Window {
        match (self.opens_at, self.closes_at) {
            (Some(opens), _) if now < opens => Window::NotYetOpen,
            (_, Some(closes)) if now >= closes => Window::Closed,
            _ => Window::Open,
        }
    }
}

impl Serialize for Survey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Survey", 17)?;
        out.serialize_field("format", &FORMAT_VERSION)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("version", &self.version)?;
        out.serialize_field("default_locale", &self.default_locale)?;
        if self.locales_written {
            out.serialize_field("locales", &self.locales)?;
        }
        out.serialize_field("title", &self.title)?;
        if let Some(organisation) = &self.organisation {
            out.serialize_field("organisation", organisation)?;
        }
        if let Some(intro) = &self.intro {
            out.serialize_field("intro", intro)?;
        }
        out.serialize_field("privacy", &self.privacy)?;
        if let Some(next) = &self.what_happens_next {
            out.serialize_field("what_happens_next", next)?;
        }
        if let Some(opens_at) = self.opens_at {
            out.serialize_field("opens_at", &rfc3339(opens_at))?;
        }
        if let Some(closes_at) = self.closes_at {
            out.serialize_field("closes_at", &rfc3339(closes_at))?;
        }
        out.serialize_field("allowed_origins", &self.allowed_origins)?;
        if let Some(days) = self.retention_days {
            out.serialize_field("retention_days", &days)?;
        }
        if self.updates_by_email {
            out.serialize_field("updates_by_email", &true)?;
        }
        if let Some(n) = self.suppress_below {
            out.serialize_field("suppress_below", &n)?;
        }
        out.serialize_field("pages", &self.pages)?;
        out.end()
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    crate::timestamp::write(at).expect("a parsed RFC 3339 time writes")
}

impl Privacy {
    pub fn text(&self) -> &Text {
        &self.text
    }
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
}

impl Page {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn title(&self) -> Option<&Text> {
        self.title.as_ref()
    }
    pub fn visible_if(&self) -> Option<&Condition> {
        self.visible_if.as_ref()
    }
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
    /// The built-in question set the page includes (`"equality/scotland-2026"`), if any.
    pub fn question_set(&self) -> Option<&str> {
        self.question_set.as_deref()
    }
}

impl Question {
    /// The picture shown beside the question in Easy Read.
    pub fn picture(&self) -> Option<&Picture> {
        self.picture.as_ref()
    }
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn kind(&self) -> &QuestionKind {
        &self.kind
    }
    pub fn label(&self) -> &Text {
        &self.label
    }
    pub fn hint(&self) -> Option<&Text> {
        self.hint.as_ref()
    }
    pub fn short_label(&self) -> Option<&Text> {
        self.short_label.as_ref()
    }
    pub fn error(&self) -> Option<&Text> {
        self.error.as_ref()
    }
    pub fn required(&self) -> bool {
        self.required
    }
    pub fn visible_if(&self) -> Option<&Condition> {
        self.visible_if.as_ref()
    }
    /// The question's options, for choice questions; empty otherwise.
    pub fn options(&self) -> &[ChoiceOption] {
        match &self.kind {
            QuestionKind::SingleChoice { options }
            | QuestionKind::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }
    pub fn option(&self, value: &str) -> Option<&ChoiceOption> {
        self.options().iter().find(|option| option.value == value)
    }
    /// The option that asks for free text when chosen, if any.
    pub fn specify_option(&self) -> Option<&ChoiceOption> {
        self.options().iter().find(|option| option.specify)
    }
    /// Whether the question takes an answer (everything but `info`).
    pub fn is_answerable(&self) -> bool {
        !matches!(self.kind, QuestionKind::Info { .. })
    }
    /// The format's name for the question's type (`single_choice`, ...).
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }
}

impl QuestionKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Text { .. } => "text",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Date { .. } => "date",
            QuestionKind::Consent => "consent",
            QuestionKind::Info { .. } => "info",
        }
    }
}

impl ChoiceOption {
    /// The picture shown beside the option in Easy Read.
    pub fn picture(&self) -> Option<&Picture> {
        self.picture.as_ref()
    }
    pub fn value(&self) -> &str {
        &self.value
    }
    pub fn label(&self) -> &Text {
        &self.label
    }
    pub fn hint(&self) -> Option<&Text> {
        self.hint.as_ref()
    }
    /// Cannot be combined with other options ("None of these").
    pub fn exclusive(&self) -> bool {
        self.exclusive
    }
    /// Asks for free text when chosen ("Other, please specify").
    pub fn specify(&self) -> bool {
        self.specify
    }
}
