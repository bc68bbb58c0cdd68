//! Responses: what the widget submits, and the one check that decides whether it is valid.
//!
//! The widget calls [`Survey::check_page`] on Continue and the collector calls
//! [`Survey::accept`] on every submission: the same code, so the two can
//! never disagree about what a valid answer is.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

use crate::answers::{Answers, SpecifyTexts, is_answered, is_chosen, without_controls};
use crate::date::CalendarDate;
use crate::survey::{Question, QuestionKind, Survey, TextFormat};

/// Longest "please specify" text.
pub const MAX_SPECIFY_LENGTH: usize = 500;

/// A response as the widget sends it (`POST /api/surveys/{id}/responses`).
/// Its shape is checked by deserialising; its answers by [`Survey::accept`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Made once per filled-in survey by the widget; a second arrival is a retry.
    pub submission_id: Uuid,
    pub survey_version: u32,
    pub locale: String,
    #[serde(default)]
    pub channel: Channel,
    #[serde(deserialize_with = "unique_keys")]
    pub answers: Answers,
    // A key written twice is refused by `SortedMap`'s reader, which is `unique_keys`.
    #[serde(default, skip_serializing_if = "SpecifyTexts::is_empty")]
    pub specify: SpecifyTexts,
    #[serde(
        default,
        with = "crate::timestamp::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub started_at: Option<OffsetDateTime>,
    /// A secret the sending device keeps so that it, and only it, can withdraw this
    /// response later: 32 hexadecimal digits (128 random bits). The collector keeps only
    /// its SHA-256, and never exports it.
    #[serde(
        default,
        deserialize_with = "withdrawal_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub withdrawal_key: Option<String>,
}

/// The length of a withdrawal key in hexadecimal digits (128 bits).
pub const WITHDRAWAL_KEY_LENGTH: usize = 32;

/// Whether `key` has the shape of a withdrawal key: 32 lower-case hexadecimal digits.
pub fn is_withdrawal_key(key: &str) -> bool {
    key.len() == WITHDRAWAL_KEY_LENGTH
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn withdrawal_key<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let key = Option::<String>::deserialize(deserializer)?;
    match key {
        Some(key) if !is_withdrawal_key(&key) => Err(serde::de::Error::custom(
            "must be 32 lower-case hexadecimal digits (128 random bits)",
        )),
        key => Ok(key),
    }
}

/// Reads a JSON object into a map, refusing a key written twice: JSON
/// parsers disagree on which of the two wins, so neither is taken.
pub(crate) fn unique_keys<'de, D, V>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueKeys<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for UniqueKeys<V> {
        type Value = std::collections::BTreeMap<String, V>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of question ids")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                match out.entry(key) {
                    std::collections::btree_map::Entry::Occupied(entry) => {
                        return Err(serde::de::Error::custom(format!(
                            "\"{}\" is written twice; write each question once",
                            entry.key()
                        )));
                    }
                    std::collections::btree_map::Entry::Vacant(entry) => {
                        entry.insert(map.next_value()?);
                    }
                }
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(UniqueKeys(std::marker::PhantomData))
}

/// How the answers were collected.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The respondent filled it in themselves.
    #[default]
    Online,
    /// The respondent filled it in themselves, having followed a poster's or a flyer's
    /// QR code.
    Qr,
    /// Staff entered the answers for someone in person.
    FaceToFace,
    Phone,
    Paper,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Online,
        Channel::Qr,
        Channel::FaceToFace,
        Channel::Phone,
        Channel::Paper,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Qr => "qr",
            Channel::FaceToFace => "face_to_face",
            Channel::Phone => "phone",
            Channel::Paper => "paper",
        }
    }

    /// Whether the respondent answered on their own device (online, or through a QR
    /// code), rather than with someone who recorded the answers for them.
    pub fn is_own_device(self) -> bool {
        matches!(self, Channel::Online | Channel::Qr)
    }

    /// The channel a link, a page or a form anyone can send may claim: `asked` when it is of
    /// the person's own device, else online (never a staff one).
    pub fn claimed_publicly(asked: Option<Channel>) -> Channel {
        asked.filter(|c| c.is_own_device()).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// A submission that passed [`Survey::accept`]: every answer is for a visible
/// question, has its type's shape and is within its limits. Text is trimmed
/// and stripped of control characters, and unanswered entries (blank text,
/// empty selections) are dropped, so two
/// submissions with the same meaning are equal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidResponse {
    #[serde(flatten)]
    submission: Submission,
}

impl ValidResponse {
    pub fn submission(&self) -> &Submission {
        &self.submission
    }
    pub fn into_submission(self) -> Submission {
        self.submission
    }
    pub fn submission_id(&self) -> Uuid {
        self.submission.submission_id
    }
    pub fn answers(&self) -> &Answers {
        &self.submission.answers
    }
    pub fn specify(&self) -> &SpecifyTexts {
        &self.submission.specify
    }
}

/// One thing wrong with a response, tied to a question where there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerProblem {
    question: Option<String>,
    /// True when the problem is with the "please specify" text, not the answer.
    in_specify: bool,
    kind: ProblemKind,
}

/// What is wrong with an answer. [`ProblemKind::code`] is stable and is what
/// programs should match on; the message is for people.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// A required question has no answer.
    Required,
    /// The answer has the wrong JSON type for its question (`expected` names the right one).
    WrongType {
        expected: &'static str,
    },
    /// A choice that is not one of the question's options.
    NotAnOption {
        value: String,
    },
    /// The same option chosen twice.
    Duplicate {
        value: String,
    },
    /// An exclusive option ("None of these") chosen with others.
    Exclusive {
        option: String,
    },
    TooMany {
        max: u32,
    },
    TooFew {
        min: u32,
    },
    TooLong {
        max: usize,
        length: usize,
    },
    /// A number or rating outside the question's range.
    OutOfRange {
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A date outside the question's range.
    DateOutOfRange {
        min: Option<CalendarDate>,
        max: Option<CalendarDate>,
    },
    NotInteger,
    BadDate,
    BadEmail,
    BadPhone,
    BadPostcode,
    /// An answer to a question that the earlier answers hide.
    Hidden,
    /// An answer keyed by an id that is not a question of this version.
    UnknownQuestion,
    /// An answer to an info block, which takes none.
    NotAQuestion,
    /// The chosen option asks to specify, and no text was given.
    SpecifyMissing,
    /// Specify text for a question whose chosen options do not ask for it.
    SpecifyUnexpected,
    /// The response names a version other than the survey's.
    WrongVersion {
        expected: u32,
        found: u32,
    },
    /// The response's locale is not one the survey offers.
    UnknownLocale {
        locale: String,
    },
    /// `started_at` written in UTC falls outside the years 0000 to 9999, which
    /// RFC 3339 (how it is stored) cannot write: `9999-12-31T23:59:59-01:00`
    /// is in the year 10000 once its offset is taken away.
    BadStartedAt,
}

impl ProblemKind {
    /// The stable code: `required`, `not_an_option`, `too_long`, ...
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Required => "required",
            ProblemKind::WrongType { .. } => "wrong_type",
            ProblemKind::NotAnOption { .. } => "not_an_option",
            ProblemKind::Duplicate { .. } => "duplicate",
            ProblemKind::Exclusive { .. } => "exclusive",
            ProblemKind::TooMany { .. } => "too_many",
            ProblemKind::TooFew { .. } => "too_few",
            ProblemKind::TooLong { .. } => "too_long",
            ProblemKind::OutOfRange { .. } | ProblemKind::DateOutOfRange { .. } => "out_of_range",
            ProblemKind::NotInteger => "not_integer",
            ProblemKind::BadDate => "bad_date",
            ProblemKind::BadEmail => "bad_email",
            ProblemKind::BadPhone => "bad_phone",
            ProblemKind::BadPostcode => "bad_postcode",
            ProblemKind::Hidden => "hidden",
            ProblemKind::UnknownQuestion => "unknown_question",
            ProblemKind::NotAQuestion => "not_a_question",
            ProblemKind::SpecifyMissing => "specify_missing",
            ProblemKind::SpecifyUnexpected => "specify_unexpected",
            ProblemKind::WrongVersion { .. } => "wrong_version",
            ProblemKind::UnknownLocale { .. } => "unknown_locale",
            ProblemKind::BadStartedAt => "bad_started_at",
        }
    }
}

impl AnswerProblem {
    fn new(question: &str, kind: ProblemKind) -> AnswerProblem {
        AnswerProblem {
            question: Some(question.to_owned()),
            in_specify: false,
            kind,
        }
    }
    fn specify(question: &str, kind: ProblemKind) -> AnswerProblem {
        AnswerProblem {
            question: Some(question.to_owned()),
            in_specify: true,
            kind,
        }
    }
    fn response(kind: ProblemKind) -> AnswerProblem {
        AnswerProblem {
            question: None,
            in_specify: false,
            kind,
        }
    }

    /// The question the problem is about, if it is about one.
    pub fn question(&self) -> Option<&str> {
        self.question.as_deref()
    }
    /// Whether the problem is with the question's "please specify" text.
    pub fn in_specify(&self) -> bool {
        self.in_specify
    }
    pub fn kind(&self) -> &ProblemKind {
        &self.kind
    }
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
    /// Where in the response body the problem is: `answers.ways`, `specify.ways`, `locale`.
    pub fn path(&self) -> String {
        match (&self.question, &self.kind) {
            (Some(q), _) if self.in_specify => format!("specify.{q}"),
            (Some(q), _) => format!("answers.{q}"),
            (None, ProblemKind::WrongVersion { .. }) => "survey_version".to_owned(),
            (None, ProblemKind::BadStartedAt) => "started_at".to_owned(),
            (None, _) => "locale".to_owned(),
        }
    }
    /// A plain-English sentence for the respondent or the caller.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// A number as people write it: `5`, not `5.0`; `0.0000001`, not `1e-7`.
///
/// The text Rust's `{}` writes, but by serde_json's number writer (which the widget's wasm
/// has anyway) and [`written_out`]: `{}` on a float brings core's float formatting into
/// the wasm, 5 KiB brotli. Two differences: `-0` is written `0`, and where two shortest
/// forms are equally near the number (`770712007111908.25`), serde_json's last digit is
/// the even one (`...908.2`) and may be one below Rust's (`...908.3`). `n` is finite, as
/// every number read from JSON is; anything else is written as nothing.
pub(crate) fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or_else(String::new, |n| written_out(&n.to_string()))
    }
}

/// A number as serde_json writes it (the shortest digits that read back as the same
/// number, as Rust's `{}` writes them too), written out in full where serde_json writes
/// an exponent (`1e-7`, `1.5e+16`) or a whole number's `.0`, which Rust's `{}` never does.
fn written_out(json: &str) -> String {
    let (sign, unsigned) = match json.strip_prefix('-') {
        Some(unsigned) => ("-", unsigned),
        None => ("", json),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_end_matches('0');
    let leading_zeros = digits.len() - digits.trim_start_matches('0').len();
    let digits = &digits[leading_zeros..];
    if digits.is_empty() {
        return "0".to_owned();
    }
    // Where the point goes among `digits`: after `point` of them (before, if negative).
    let point = whole.len() as i32 + exponent - leading_zeros as i32;
    let written = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (before, after) = digits.split_at(point as usize);
        format!("{before}.{after}")
    };
    format!("{sign}{written}")
}

/// A date in the English messages, written as the widget writes dates in English.
fn long_date(date: CalendarDate) -> String {
    crate::catalogue("en").date(date)
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Required => f.write_str("Answer this question"),
            ProblemKind::WrongType { expected } => write!(f, "The answer must be {expected}"),
            ProblemKind::NotAnOption { value } => write!(f, "\"{value}\" is not one of the options"),
            ProblemKind::Duplicate { value } => write!(f, "\"{value}\" is selected more than once"),
            ProblemKind::Exclusive { option } => {
                write!(f, "\"{option}\" cannot be selected together with other options")
            }
            ProblemKind::TooMany { max } => {
                write!(f, "Select no more than {max} option{}", if *max == 1 { "" } else { "s" })
            }
            ProblemKind::TooFew { min } => {
                write!(f, "Select at least {min} option{}", if *min == 1 { "" } else { "s" })
            }
            ProblemKind::TooLong { max, .. } => write!(f, "Enter {max} characters or fewer"),
            ProblemKind::OutOfRange { min, max } => match (min, max) {
                (Some(min), Some(max)) => {
                    write!(f, "Enter a number between {} and {}", number(*min), number(*max))
                }
                (Some(min), None) => write!(f, "Enter a number that is {} or more", number(*min)),
                (None, Some(max)) => write!(f, "Enter a number that is {} or less", number(*max)),
                (None, None) => f.write_str("Enter a number"),
            },
            ProblemKind::DateOutOfRange { min, max } => match (min, max) {
                (Some(min), Some(max)) => write!(
                    f,
                    "The date must be between {} and {}",
                    long_date(*min),
                    long_date(*max)
                ),
                (Some(min), None) => write!(f, "The date must be on or after {}", long_date(*min)),
                (None, Some(max)) => write!(f, "The date must be on or before {}", long_date(*max)),
                (None, None) => f.write_str("Enter a real date"),
            },
            ProblemKind::NotInteger => f.write_str("Enter a whole number"),
            ProblemKind::BadDate => f.write_str("Enter a real date, for example 27 3 2024"),
            ProblemKind::BadEmail => {
                f.write_str("Enter an email address in the correct format, like name@example.com")
            }
            ProblemKind::BadPhone => {
                f.write_str("Enter a telephone number, like 01632 960 001 or +44 7700 900 982")
            }
            ProblemKind::BadPostcode => f.write_str("Enter a full UK postcode, like EH1 1YZ"),
            ProblemKind::Hidden => f.write_str(
                "This question is not asked for the answers given earlier, so it must not be answered",
            ),
            ProblemKind::UnknownQuestion => f.write_str("There is no question with this id in this version of the survey"),
            ProblemKind::NotAQuestion => f.write_str("This is information, not a question, so it takes no answer"),
            ProblemKind::SpecifyMissing => f.write_str("Give details for the option you chose"),
            ProblemKind::SpecifyUnexpected => {
                f.write_str("Details are only given for an option that asks for them, when it is chosen")
            }
            ProblemKind::WrongVersion { expected, found } => write!(
                f,
                "The response is for version {found} of the survey, but is being checked against version {expected}"
            ),
            ProblemKind::UnknownLocale { locale } => {
                write!(f, "\"{locale}\" is not one of the languages this survey is offered in")
            }
            ProblemKind::BadStartedAt => f.write_str(
                "started_at must be a real time between the years 0000 and 9999 when written in UTC",
            ),
        }
    }
}

impl Serialize for AnswerProblem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("AnswerProblem", 4)?;
        out.serialize_field("question", &self.question)?;
        out.serialize_field("path", &self.path())?;
        out.serialize_field("code", self.code())?;
        out.serialize_field("message", &self.message())?;
        out.end()
    }
}

/// The result of reading one answer against its question.
enum Reading {
    /// A valid answer, normalised (text trimmed).
    Answer(Value),
    /// Counts as unanswered (blank text, empty selection, unticked box).
    Unanswered,
    /// Wrong shape or outside the question's limits.
    Invalid(ProblemKind),
}

impl Survey {
    /// Checks a whole submission against this survey version. On success the
    /// response is normalised; on failure, every problem, in survey order.
    pub fn accept(&self, submission: Submission) -> Result<ValidResponse, Vec<AnswerProblem>> {
        let mut problems = Vec::new();
        if submission.survey_version != self.version {
            problems.push(AnswerProblem::response(ProblemKind::WrongVersion {
                expected: self.version,
                found: submission.survey_version,
            }));
        }
        if !self.offers_locale(&submission.locale) {
            problems.push(AnswerProblem::response(ProblemKind::UnknownLocale {
                locale: submission.locale.clone(),
            }));
        }
        // Kept in UTC like every other time the collector stores: the device's
        // own offset says where the person is, which is not ours to keep.
        let started_at = match submission.started_at.map(storable_utc) {
            None => None,
            Some(Some(at)) => Some(at),
            Some(None) => {
                problems.push(AnswerProblem::response(ProblemKind::BadStartedAt));
                None
            }
        };
        for id in submission.answers.keys() {
            match self.question(id) {
                None => problems.push(AnswerProblem::new(id, ProblemKind::UnknownQuestion)),
                Some(question) if !question.is_answerable() => {
                    problems.push(AnswerProblem::new(id, ProblemKind::NotAQuestion))
                }
                Some(_) => {}
            }
        }
        // Specify texts for questions of the survey are checked with their
        // question below (once: whether it is visible, answered, and asks to specify).
        for id in submission.specify.keys() {
            if self.question(id).is_none() {
                problems.push(AnswerProblem::specify(id, ProblemKind::SpecifyUnexpected));
            }
        }
        let (answers, specify, mut checked) =
            self.check_questions(&submission.answers, &submission.specify, None, true);
        problems.append(&mut checked);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ValidResponse {
            submission: Submission {
                answers,
                specify,
                started_at,
                ..submission
            },
        })
    }

    /// Checks the visible questions of one page, as the widget does on
    /// Continue. Answers to questions elsewhere are used only to decide what
    /// is visible; answers to hidden questions are ignored (the widget keeps
    /// them in case the person changes their mind, and drops them on submit).
    pub fn check_page(
        &self,
        page: usize,
        answers: &Answers,
        specify: &SpecifyTexts,
    ) -> Vec<AnswerProblem> {
        self.check_questions(answers, specify, Some(page), false).2
    }

    /// The answers to send: those of visible questions, normalised, with the
    /// specify texts that go with them. Invalid answers are left out, so call
    /// [`Survey::check_page`] on every page first.
    pub fn answers_to_submit(
        &self,
        answers: &Answers,
        specify: &SpecifyTexts,
    ) -> (Answers, SpecifyTexts) {
        let (answers, specify, _) = self.check_questions(answers, specify, None, false);
        (answers, specify)
    }

    /// Reads every visible question's answer (on one page, or all), returning
    /// the normalised answers and specify texts of visible questions, and the
    /// problems. `strict` also reports answers to hidden questions, as the
    /// collector must.
    fn check_questions(
        &self,
        answers: &Answers,
        specify: &SpecifyTexts,
        only_page: Option<usize>,
        strict: bool,
    ) -> (Answers, SpecifyTexts, Vec<AnswerProblem>) {
        // Visibility from the answers as sent, as the widget showed them: an
        // invalid earlier answer must not make later questions look hidden.
        let visibility = self.visibility(answers);
        let mut kept_answers = Answers::new();
        let mut kept_specify = SpecifyTexts::new();
        let mut problems = Vec::new();
        for (p, page) in self.pages.iter().enumerate() {
            let in_scope = only_page.is_none_or(|only| only == p);
            for (q, question) in page.questions.iter().enumerate() {
                let id = question.id();
                // Read here, not in a map by id first: this runs for every submission,
                // and such a map cost a copy of every id. (Visibility is decided from the
                // answers as sent, so it needs no readings.)
                let reading = answers.get(id).map(|value| read_answer(question, value));
                let visible = visibility.question_visible(p, q);
                if !visible {
                    let answered =
                        matches!(reading, Some(Reading::Answer(_) | Reading::Invalid(_)));
                    if strict && in_scope && answered {
                        problems.push(AnswerProblem::new(id, ProblemKind::Hidden));
                    }
                    if strict && in_scope && specify.contains_key(id) && !answered {
                        problems.push(AnswerProblem::specify(id, ProblemKind::SpecifyUnexpected));
                    }
                    continue;
                }
                let answer = match reading {
                    Some(Reading::Invalid(kind)) => {
                        if in_scope {
                            problems.push(AnswerProblem::new(id, kind));
                            // Whatever the answer meant, a question without a
                            // specify option never takes specify text.
                            if question.specify_option().is_none()
                                && let Err(kind) = check_specify(question, None, specify.get(id))
                            {
                                problems.push(AnswerProblem::specify(id, kind));
                            }
                        }
                        continue;
                    }
                    Some(Reading::Answer(answer)) => Some(answer),
                    Some(Reading::Unanswered) | None => None,
                };
                if answer.is_none() && question.required() && in_scope {
                    problems.push(AnswerProblem::new(id, ProblemKind::Required));
                }
                match check_specify(question, answer.as_ref(), specify.get(id)) {
                    Ok(Some(text)) => {
                        kept_specify.insert(id.to_owned(), text);
                    }
                    Ok(None) => {}
                    Err(kind) if in_scope => problems.push(AnswerProblem::specify(id, kind)),
                    Err(_) => {}
                }
                if let Some(answer) = answer {
                    kept_answers.insert(id.to_owned(), answer);
                }
            }
        }
        (kept_answers, kept_specify, problems)
    }
}

/// `at` in UTC, if it can be stored: RFC 3339 writes only the years 0000 to
/// 9999. Parsing RFC 3339 checks the year as written, before the offset is
/// taken away, so `9999-12-31T23:59:59-01:00` (the year 10000 in UTC, past
/// what `time` holds: `to_offset` panics) and `0000-01-01T00:00:00+01:00`
/// (the year -1) both arrive here.
pub(crate) fn storable_utc(at: OffsetDateTime) -> Option<OffsetDateTime> {
    at.checked_to_offset(UtcOffset::UTC)
        .filter(|utc| (0..=9999).contains(&utc.year()))
}

/// Whether the chosen options ask to specify, and the specify text is right for that.
fn check_specify(
    question: &Question,
    answer: Option<&Value>,
    text: Option<&String>,
) -> Result<Option<String>, ProblemKind> {
    let specify_value = question.specify_option().map(|o| o.value());
    let chosen = specify_value.is_some_and(|wanted| is_chosen(answer, wanted));
    let text = text.map(|t| without_controls(t));
    let text = text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match (chosen, text) {
        (true, None) => Err(ProblemKind::SpecifyMissing),
        (true, Some(t)) if t.chars().count() > MAX_SPECIFY_LENGTH => Err(ProblemKind::TooLong {
            max: MAX_SPECIFY_LENGTH,
            length: t.chars().count(),
        }),
        (true, Some(t)) => Ok(Some(t.to_owned())),
        (false, Some(_)) => Err(ProblemKind::SpecifyUnexpected),
        (false, None) => Ok(None),
    }
}

fn read_answer(question: &Question, value: &Value) -> Reading {
    if !is_answered(value) && !matches!(value, Value::String(_) | Value::Array(_) | Value::Bool(_))
    {
        // `null` is "no answer" for every type.
        return Reading::Unanswered;
    }
    match question.kind() {
        QuestionKind::SingleChoice { .. } => match value {
            Value::String(chosen) if question.option(chosen).is_some() => {
                Reading::Answer(value.clone())
            }
            Value::String(chosen) if chosen.trim().is_empty() => Reading::Unanswered,
            Value::String(chosen) => Reading::Invalid(ProblemKind::NotAnOption {
                value: chosen.clone(),
            }),
            _ => Reading::Invalid(ProblemKind::WrongType {
                expected: "one option value, as a string",
            }),
        },
        QuestionKind::MultipleChoice {
            min_selected,
            max_selected,
            ..
        } => {
            let Value::Array(items) = value else {
                return Reading::Invalid(ProblemKind::WrongType {
                    expected: "a list of option values",
                });
            };
            if items.is_empty() {
                return Reading::Unanswered;
            }
            // A list, not a set: a question has a handful of options, and the widget then
            // ships no set code for `&str`.
            let mut seen: Vec<&str> = Vec::new();
            for item in items {
                let Some(chosen) = item.as_str() else {
                    return Reading::Invalid(ProblemKind::WrongType {
                        expected: "a list of option values",
                    });
                };
                if question.option(chosen).is_none() {
                    return Reading::Invalid(ProblemKind::NotAnOption {
                        value: chosen.to_owned(),
                    });
                }
                if seen.contains(&chosen) {
                    return Reading::Invalid(ProblemKind::Duplicate {
                        value: chosen.to_owned(),
                    });
                }
                seen.push(chosen);
            }
            // The first exclusive option in value order (the order of the set this once was).
            if items.len() > 1
                && let Some(option) = seen
                    .iter()
                    .filter(|v| question.option(v).is_some_and(|o| o.exclusive()))
                    .min()
                    .and_then(|v| question.option(v))
            {
                return Reading::Invalid(ProblemKind::Exclusive {
                    option: option.label().default_text().to_owned(),
                });
            }
            let count = items.len() as u64;
            if let Some(max) = max_selected
                && count > u64::from(*max)
            {
                return Reading::Invalid(ProblemKind::TooMany { max: *max });
            }
            // An exclusive option ("None of these") is a whole answer on its own.
            let exclusive_alone = count == 1
                && seen
                    .first()
                    .and_then(|v| question.option(v))
                    .is_some_and(|o| o.exclusive());
            if let Some(min) = min_selected
                && count < u64::from(*min)
                && !exclusive_alone
            {
                return Reading::Invalid(ProblemKind::TooFew { min: *min });
            }
            Reading::Answer(value.clone())
        }
        QuestionKind::Text {
            max_length, format, ..
        } => {
            let Value::String(text) = value else {
                return Reading::Invalid(ProblemKind::WrongType {
                    expected: "a string",
                });
            };
            let text = without_controls(text);
            let text = text.trim();
            if text.is_empty() {
                return Reading::Unanswered;
            }
            let length = text.chars().count();
            if length > *max_length as usize {
                return Reading::Invalid(ProblemKind::TooLong {
                    max: *max_length as usize,
                    length,
                });
            }
            let format_problem = match format {
                Some(TextFormat::Email) if !is_email(text) => Some(ProblemKind::BadEmail),
                Some(TextFormat::Phone) if !is_phone(text) => Some(ProblemKind::BadPhone),
                Some(TextFormat::UkPostcode) if !is_uk_postcode(text) => {
                    Some(ProblemKind::BadPostcode)
                }
                _ => None,
            };
            match format_problem {
                Some(kind) => Reading::Invalid(kind),
                None => Reading::Answer(Value::String(text.to_owned())),
            }
        }
        QuestionKind::Rating { min, max, .. } => {
            let Some(n) = value
                .as_f64()
                .filter(|n| value.is_number() && n.is_finite())
            else {
                return Reading::Invalid(ProblemKind::WrongType {
                    expected: "a whole number",
                });
            };
            // `4.0` is the whole number 4, however the sender wrote it.
            if n.fract() != 0.0 {
                return Reading::Invalid(ProblemKind::NotInteger);
            }
            if n < f64::from(*min) || n > f64::from(*max) {
                return Reading::Invalid(ProblemKind::OutOfRange {
                    min: Some(f64::from(*min)),
                    max: Some(f64::from(*max)),
                });
            }
            Reading::Answer(normal_number(value, n))
        }
        QuestionKind::Number {
            min, max, integer, ..
        } => {
            let Some(n) = value.as_f64().filter(|n| n.is_finite()) else {
                return Reading::Invalid(ProblemKind::WrongType {
                    expected: "a number",
                });
            };
            if *integer && n.fract() != 0.0 {
                return Reading::Invalid(ProblemKind::NotInteger);
            }
            if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
                return Reading::Invalid(ProblemKind::OutOfRange {
                    min: *min,
                    max: *max,
                });
            }
            Reading::Answer(normal_number(value, n))
        }
        QuestionKind::Date { min, max } => {
            let Value::String(text) = value else {
                return Reading::Invalid(ProblemKind::WrongType {
                    expected: "a date written YYYY-MM-DD",
                });
            };
            if text.trim().is_empty() {
                return Reading::Unanswered;
            }
            let Some(date) = CalendarDate::parse(text.trim()) else {
                return Reading::Invalid(ProblemKind::BadDate);
            };
            if min.is_some_and(|min| date < min) || max.is_some_and(|max| date > max) {
                return Reading::Invalid(ProblemKind::DateOutOfRange {
                    min: *min,
                    max: *max,
                });
            }
            Reading::Answer(Value::String(date.to_string()))
        }
        QuestionKind::Consent => match value {
            Value::Bool(true) => Reading::Answer(value.clone()),
            Value::Bool(false) => Reading::Unanswered,
            _ => Reading::Invalid(ProblemKind::WrongType {
                expected: "true (ticked)",
            }),
        },
        // Reported as `not_a_question` by `accept`; here it is simply not an answer.
        QuestionKind::Info { .. } => Reading::Unanswered,
    }
}

/// A number answer as stored: a whole number written with a fraction (`3.0`)
/// becomes `3`, so that two answers with the same meaning are equal.
fn normal_number(value: &Value, n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole f64 below is exact
    if value.is_f64() && n.fract() == 0.0 && n.abs() < EXACT {
        Value::from(n as i64)
    } else {
        value.clone()
    }
}

/// A plausible email address: one `@`, something before it, a dotted domain
/// after it, no spaces. Deliverability is not ours to judge.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A telephone number: digits with optional spaces, dashes, brackets and a
/// leading `+`, between 7 and 15 digits (the international maximum).
pub fn is_phone(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
}

/// A full UK postcode (`EH1 1YZ`, `G2 3AA`, `DD11AB`), in any case, with or
/// without the space.
pub fn is_uk_postcode(text: &str) -> bool {
    let compact: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b' ')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) || text.contains("  ") {
        return false;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = inward[0].is_ascii_digit() && inward[1..].iter().all(u8::is_ascii_alphabetic);
    // Outward code: A9, A9A, A99, AA9, AA9A, AA99.
    let outward_ok = match outward {
        [a, d] => a.is_ascii_alphabetic() && d.is_ascii_digit(),
        [a, b, c] => {
            a.is_ascii_alphabetic()
                && ((b.is_ascii_digit() && c.is_ascii_alphanumeric())
                    || (b.is_ascii_alphabetic() && c.is_ascii_digit()))
        }
        [a, b, c, d] => {
            a.is_ascii_alphabetic()
                && b.is_ascii_alphabetic()
                && c.is_ascii_digit()
                && d.is_ascii_alphanumeric()
        }
        _ => false,
    };
    inward_ok && outward_ok
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::number;

    #[test]
    fn numbers_are_written_out_as_people_write_them() {
        for (n, written) in [
            (5.0, "5"),
            (-5.0, "-5"),
            (2.5, "2.5"),
            (-0.25, "-0.25"),
            (0.1, "0.1"),
            (1e-7, "0.0000001"),
            (-1.5e-7, "-0.00000015"),
            (1e15, "1000000000000000"),
            (1.5e16, "15000000000000000"),
            (1e21, "1000000000000000000000"),
            (123456.789, "123456.789"),
            (f64::MIN_POSITIVE, &format!("{}", f64::MIN_POSITIVE)),
        ] {
            assert_eq!(number(n), written, "{n:e}");
        }
    }

    /// What `number` must write for `n`: the same number, in full (no exponent), as Rust's
    /// `{}` writes it, but for the one documented difference: of two shortest forms equally
    /// near the number, the last digit may be one apart.
    fn written_as_rust_would(n: f64) -> Result<(), TestCaseError> {
        let written = number(n);
        let rust = if n == 0.0 {
            "0".to_owned()
        } else {
            format!("{n}")
        };
        prop_assert_eq!(
            written.parse::<f64>().ok(),
            Some(n),
            "{} for {:e}",
            written,
            n
        );
        prop_assert!(
            written
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        );
        if written != rust {
            let (ours, theirs) = (written.as_bytes(), rust.as_bytes());
            let last = ours.len().saturating_sub(1);
            prop_assert!(
                ours.len() == theirs.len()
                    && ours[..last] == theirs[..last]
                    && ours[last].abs_diff(theirs[last]) == 1,
                "{} where Rust writes {}",
                written,
                rust
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn any_finite_number_is_written_as_rust_writes_it(n in any::<f64>().prop_filter("finite", |n| n.is_finite())) {
            written_as_rust_would(n)?;
        }

        /// Numbers with few digits, at every power of ten.
        #[test]
        fn a_short_number_at_any_scale_is_written_as_rust_writes_it(
            digits in 1u64..100_000, exponent in -330i32..304, negative in any::<bool>(),
        ) {
            let n: f64 = format!("{}{digits}e{exponent}", if negative { "-" } else { "" }).parse().unwrap();
            prop_assume!(n.is_finite());
            written_as_rust_would(n)?;
        }
    }
}
