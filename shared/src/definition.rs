//! Reads a survey definition from JSON into a [`Survey`], reporting every problem with its JSON path.
//!
//! The definition is read as a `serde_json::Value` and walked by hand rather
//! than derived with serde: serde stops at the first error, and a survey
//! author deserves the whole list at once, each with where and what.

use std::fmt;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::SortedMap;
use crate::condition::Condition;
use crate::date::CalendarDate;
use crate::response::{number, storable_utc};
use crate::survey::{
    ChoiceOption, FORMAT_VERSION, Page, Picture, Privacy, Question, QuestionKind, Survey,
    TextFormat, is_picture_file,
};
use crate::text::{Text, is_locale_tag};

/// One thing wrong with a survey definition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SurveyProblem {
    path: String,
    message: String,
}

impl SurveyProblem {
    /// Where the problem is, as a JSON path (`pages[1].questions[0].visible_if`);
    /// empty for the document as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What is wrong, in a sentence a survey author can act on.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SurveyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in a survey definition, in document order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyProblems(Vec<SurveyProblem>);

impl SurveyProblems {
    pub(crate) fn one(path: &str, message: impl Into<String>) -> SurveyProblems {
        SurveyProblems(vec![SurveyProblem {
            path: path.to_owned(),
            message: message.into(),
        }])
    }
    pub fn problems(&self) -> &[SurveyProblem] {
        &self.0
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &SurveyProblem> {
        self.0.iter()
    }
}

impl fmt::Display for SurveyProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SurveyProblems {}

impl IntoIterator for SurveyProblems {
    type Item = SurveyProblem;
    type IntoIter = std::vec::IntoIter<SurveyProblem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

pub(crate) fn parse_str(json: &str) -> Result<Survey, SurveyProblems> {
    let value: Value = serde_json::from_str(json).map_err(|error| {
        SurveyProblems(vec![SurveyProblem {
            path: String::new(),
            message: format!("not valid JSON: {error}"),
        }])
    })?;
    parse_value(&value)
}

pub(crate) fn parse_value(value: &Value) -> Result<Survey, SurveyProblems> {
    let mut parser = Parser::default();
    match parser.survey(value) {
        Some(survey) if parser.problems.is_empty() => Ok(survey),
        _ => {
            if parser.problems.is_empty() {
                // Every path that yields no survey records why; this is a backstop.
                parser.problem("", "the definition could not be read");
            }
            Err(SurveyProblems(parser.problems))
        }
    }
}

const SURVEY_FIELDS: &[&str] = &[
    "format",
    "id",
    "version",
    "default_locale",
    "locales",
    "title",
    "organisation",
    "intro",
    "privacy",
    "what_happens_next",
    "opens_at",
    "closes_at",
    "allowed_origins",
    "retention_days",
    "updates_by_email",
    "suppress_below",
    "pages",
];
const PRIVACY_FIELDS: &[&str] = &["text", "url"];
const PAGE_FIELDS: &[&str] = &[
    "id",
    "title",
    "visible_if",
    "questions",
    "question_set",
    "include",
    "leave_out",
];
const OPTION_FIELDS: &[&str] = &["value", "label", "hint", "exclusive", "specify", "picture"];
const PICTURE_FIELDS: &[&str] = &["file", "alt"];
const CONDITION_FIELDS: &[&str] = &[
    "question", "equals", "any_of", "answered", "all", "any", "not",
];
const COMMON_QUESTION_FIELDS: &[&str] = &[
    "id",
    "type",
    "label",
    "hint",
    "short_label",
    "error",
    "required",
    "visible_if",
    "picture",
];
const QUESTION_TYPES: &[(&str, &[&str])] = &[
    ("single_choice", &["options"]),
    (
        "multiple_choice",
        &["options", "min_selected", "max_selected"],
    ),
    ("text", &["multiline", "max_length", "format"]),
    ("rating", &["min", "max", "min_label", "max_label"]),
    ("number", &["min", "max", "integer", "unit"]),
    ("date", &["min", "max"]),
    ("consent", &[]),
    ("info", &["body"]),
];

/// Longest text a `text` question may allow.
pub const MAX_TEXT_LENGTH: u64 = 10_000;
/// Length limits of `text` questions that do not set `max_length`.
pub const DEFAULT_MAX_LENGTH: u32 = 200;
pub const DEFAULT_MAX_LENGTH_MULTILINE: u32 = 2000;
/// Deepest nesting of `all`/`any`/`not` a condition may use.
const MAX_CONDITION_DEPTH: usize = 16;

#[derive(Default)]
pub(crate) struct Parser {
    problems: Vec<SurveyProblem>,
    default_locale: Option<String>,
    /// The survey's valid locales, when `locales` could be read.
    locales: Option<Vec<String>>,
    /// Every question id in the document with its position in survey order,
    /// found before the real walk so that conditions can tell "later" from "missing".
    positions: SortedMap<usize>,
    /// Questions read so far, for checking the conditions that refer to them; the first
    /// question read with an id wins. A list rather than a map: it is only searched while
    /// reading, and the widget then ships no map code for this value type.
    earlier: Vec<(String, QuestionKind)>,
    /// While reading a page's own condition: the survey-order positions of
    /// the page's questions, which that condition may not refer to.
    page_scope: Option<std::ops::Range<usize>>,
}

/// A JSON object being read, with its path.
pub(crate) struct Object<'v> {
    map: &'v Map<String, Value>,
    path: String,
}

impl<'v> Object<'v> {
    pub(crate) fn get(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key)
    }
    pub(crate) fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }
    fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `value` as JSON, as its `Display` writes it (compactly), for a problem's message. Not
/// `Display` itself: that is serde_json's writer into a formatter, in its compact and its
/// pretty form, two more copies in the widget's wasm of the writer into bytes that every
/// JSON body is written with (about 4.5 KB). Writing a `Value` cannot fail.
fn json_in_message(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn quoted_list(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(|item| format!("\"{}\"", item.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Edit distance between two short strings, to suggest the field an author meant.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(distance, c)| *distance <= 2.max(c.len() / 4) && *distance < c.len())
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// `[a-z0-9_]{1,64}`: page, question and option ids.
fn is_item_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `[a-z0-9][a-z0-9-]{0,63}`: survey ids, which appear in URLs.
pub fn is_survey_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (1..=64).contains(&bytes.len())
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// `https://host[:port]` or `http://host[:port]`, with nothing after it.
fn is_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    // An IPv6 host is bracketed (`[::1]`) and its colons are not a port's.
    let host_end = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |i| i + 1)
    } else {
        rest.find(':').unwrap_or(rest.len())
    };
    let (host, port) = match &rest[host_end..] {
        "" => (rest, None),
        after => match after.strip_prefix(':') {
            Some(port) => (&rest[..host_end], Some(port)),
            None => return false,
        },
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[') {
        inner.strip_suffix(']').is_some_and(|ip| {
            !ip.is_empty() && ip.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
        })
    } else {
        !host.is_empty()
            && !host.starts_with('.')
            && !host.ends_with('.')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

pub(crate) fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(char::is_whitespace)
}

impl Parser {
    /// A parser for texts written for `survey` (its default language and the languages
    /// it offers), to read documents that belong to a survey (its outcomes).
    pub(crate) fn for_texts_of(survey: &Survey) -> Parser {
        Parser {
            default_locale: Some(survey.default_locale().to_owned()),
            locales: Some(survey.locales().to_vec()),
            ..Parser::default()
        }
    }

    /// What was read, or every problem found on the way.
    pub(crate) fn finish<T>(self, read: Option<T>) -> Result<T, SurveyProblems> {
        match read {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ if self.problems.is_empty() => {
                Err(SurveyProblems::one("", "the document could not be read"))
            }
            _ => Err(SurveyProblems(self.problems)),
        }
    }

    pub(crate) fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(SurveyProblem {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// Reads an object, reporting every field not in `known`.
    pub(crate) fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        known: &[&str],
        what: &str,
    ) -> Option<Object<'v>> {
        let Value::Object(map) = value else {
            self.problem(path, format!("must be {what}, not {}", describe(value)));
            return None;
        };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let message = match closest(key, known) {
                    Some(suggestion) => format!("unknown field; did you mean \"{suggestion}\"?"),
                    None => format!("unknown field; expected {}", quoted_list(known)),
                };
                self.problem(&join(path, key), message);
            }
        }
        Some(Object {
            map,
            path: path.to_owned(),
        })
    }

    pub(crate) fn required<'v>(&mut self, object: &Object<'v>, key: &str) -> Option<&'v Value> {
        let value = object.get(key);
        if value.is_none() {
            self.problem(&object.path(key), "is required but missing");
        }
        value
    }

    pub(crate) fn string<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v str> {
        match value {
            Value::String(s) => Some(s),
            other => {
                self.problem(path, format!("must be a string, not {}", describe(other)));
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, value: &Value, path: &str) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                self.problem(
                    path,
                    format!("must be true or false, not {}", describe(other)),
                );
                None
            }
        }
    }

    /// A whole number in `min..=max`.
    fn whole(&mut self, value: &Value, path: &str, min: u64, max: u64) -> Option<u64> {
        match value.as_u64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(n) => {
                self.problem(path, format!("must be from {min} to {max}, not {n}"));
                None
            }
            None => {
                let found = if value.is_number() {
                    json_in_message(value)
                } else {
                    describe(value).to_owned()
                };
                self.problem(
                    path,
                    format!("must be a whole number from {min} to {max}, not {found}"),
                );
                None
            }
        }
    }

    fn number(&mut self, value: &Value, path: &str) -> Option<f64> {
        match value.as_f64() {
            Some(n) if n.is_finite() => Some(n),
            _ => {
                self.problem(path, format!("must be a number, not {}", describe(value)));
                None
            }
        }
    }

    pub(crate) fn date(&mut self, value: &Value, path: &str) -> Option<CalendarDate> {
        let text = self.string(value, path)?;
        let date = CalendarDate::parse(text);
        if date.is_none() {
            self.problem(
                path,
                format!("\"{text}\" is not a real date written YYYY-MM-DD"),
            );
        }
        date
    }

    fn timestamp(&mut self, value: &Value, path: &str) -> Option<OffsetDateTime> {
        let text = self.string(value, path)?;
        let Some(at) = crate::timestamp::parse(text) else {
            self.problem(
                path,
                format!(
                    "\"{text}\" is not an RFC 3339 date and time like \"2026-11-22T09:00:00Z\""
                ),
            );
            return None;
        };
        // Staff pages show it in UTC, and the years RFC 3339 checks are the
        // ones written, before the offset: `9999-12-31T23:59:59-01:00` is
        // in the year 10000 in UTC, where converting it panics.
        if storable_utc(at).is_none() {
            self.problem(
                path,
                format!(
                    "\"{text}\" is outside the years 0000 to 9999 when written in UTC; write a time within them"
                ),
            );
            return None;
        }
        Some(at)
    }

    /// Translatable text: a non-empty string, or an object from locale to string
    /// that includes the default locale.
    pub(crate) fn text(&mut self, value: &Value, path: &str) -> Option<Text> {
        match value {
            Value::String(s) => {
                if s.trim().is_empty() {
                    self.problem(path, "must not be empty");
                    return None;
                }
                Some(Text::plain(self.default_locale.as_deref()?, s))
            }
            Value::Object(map) => {
                let before = self.problems.len();
                let mut strings = SortedMap::new();
                for (locale, text) in map {
                    let entry_path = join(path, locale);
                    if !is_locale_tag(locale) {
                        self.problem(
                            &entry_path,
                            format!("\"{locale}\" is not a language tag like \"en\", \"gd\" or \"zh-Hans\""),
                        );
                    } else if let Some(locales) = &self.locales
                        && !locales.contains(locale)
                    {
                        let message = format!(
                            "\"{locale}\" is not one of the survey's locales ({}); add it to \"locales\" or remove this translation",
                            quoted_list(locales)
                        );
                        self.problem(&entry_path, message);
                    }
                    match text {
                        Value::String(s) if s.trim().is_empty() => {
                            self.problem(&entry_path, "must not be empty")
                        }
                        Value::String(s) => {
                            strings.insert(locale.clone(), s.clone());
                        }
                        other => self.problem(
                            &entry_path,
                            format!("must be a string, not {}", describe(other)),
                        ),
                    }
                }
                let default = self.default_locale.clone()?;
                if !map.contains_key(&default) {
                    self.problem(
                        path,
                        format!("has no \"{default}\" text; the default locale's text is required everywhere"),
                    );
                }
                (self.problems.len() == before).then(|| Text::localised(&default, strings))
            }
            other => {
                self.problem(
                    path,
                    format!(
                        "must be a string or an object from locale to string, not {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    fn optional_text(&mut self, object: &Object, key: &str) -> Option<Text> {
        let value = object.get(key)?;
        self.text(value, &object.path(key))
    }

    fn survey(&mut self, value: &Value) -> Option<Survey> {
        let root = self.object(
            value,
            "",
            SURVEY_FIELDS,
            "a JSON object (a survey definition)",
        )?;

        if let Some(format) = self.required(&root, "format")
            && format.as_u64() != Some(FORMAT_VERSION)
        {
            self.problem(
                "format",
                format!("must be {FORMAT_VERSION}: this version of Voices reads survey format {FORMAT_VERSION} only, not {}", json_in_message(format)),
            );
        }
        let id = self
            .required(&root, "id")
            .and_then(|v| self.string(v, "id"));
        if let Some(id_text) = id
            && !is_survey_id(id_text)
        {
            self.problem(
                "id",
                format!("\"{id_text}\" is not a survey id: use 1 to 64 lower-case letters, digits and hyphens, starting with a letter or digit"),
            );
        }
        let version = self
            .required(&root, "version")
            .and_then(|v| self.whole(v, "version", 1, u64::from(u32::MAX)))
            .map(|v| v as u32);

        self.default_locale = self
            .required(&root, "default_locale")
            .and_then(|v| self.string(v, "default_locale"))
            .and_then(|locale| {
                if is_locale_tag(locale) {
                    Some(locale.to_owned())
                } else {
                    self.problem(
                        "default_locale",
                        format!(
                            "\"{locale}\" is not a language tag like \"en\", \"gd\" or \"zh-Hans\""
                        ),
                    );
                    None
                }
            });
        let locales = self.locales(&root);
        self.locales = locales.clone();

        let title = self
            .required(&root, "title")
            .and_then(|v| self.text(v, "title"));
        let intro = self.optional_text(&root, "intro");
        let organisation = self.optional_text(&root, "organisation");
        let privacy = self
            .required(&root, "privacy")
            .and_then(|v| self.privacy(v));
        let what_happens_next = self.optional_text(&root, "what_happens_next");
        let opens_at = root
            .get("opens_at")
            .and_then(|v| self.timestamp(v, "opens_at"));
        let closes_at = root
            .get("closes_at")
            .and_then(|v| self.timestamp(v, "closes_at"));
        if let (Some(opens), Some(closes)) = (opens_at, closes_at)
            && opens >= closes
        {
            self.problem("closes_at", "must be later than opens_at");
        }
        let allowed_origins = self
            .required(&root, "allowed_origins")
            .and_then(|v| self.allowed_origins(v));
        // Ten years: anything longer is almost certainly a typo for a shorter period.
        let retention_days = root
            .get("retention_days")
            .and_then(|v| self.whole(v, "retention_days", 1, 3660))
            .map(|days| days as u32);
        let updates_by_email = root
            .get("updates_by_email")
            .and_then(|v| self.boolean(v, "updates_by_email"))
            .unwrap_or(false);
        // Never below 3: counts of 1 and 2 are always hidden from summaries.
        let suppress_below = root
            .get("suppress_below")
            .and_then(|v| self.whole(v, "suppress_below", 3, 100))
            .map(|n| n as u32);
        let pages = self.required(&root, "pages").and_then(|v| self.pages(v));

        let survey = Survey {
            id: id?.to_owned(),
            version: version?,
            default_locale: self.default_locale.clone()?,
            locales: locales?,
            locales_written: root.has("locales"),
            title: title?,
            organisation,
            intro,
            privacy: privacy?,
            what_happens_next,
            opens_at,
            closes_at,
            allowed_origins: allowed_origins?,
            retention_days,
            updates_by_email,
            suppress_below,
            index: crate::survey::page_index(pages.as_deref()?),
            pages: pages?,
        };
        Some(survey)
    }

    fn locales(&mut self, root: &Object) -> Option<Vec<String>> {
        let Some(value) = root.get("locales") else {
            return self.default_locale.clone().map(|d| vec![d]);
        };
        let Value::Array(items) = value else {
            self.problem(
                "locales",
                format!("must be a list of locales, not {}", describe(value)),
            );
            return None;
        };
        if items.is_empty() {
            self.problem("locales", "must list at least the default locale");
            return None;
        }
        let before = self.problems.len();
        let mut locales = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = index("locales", i);
            let Some(locale) = self.string(item, &path) else {
                continue;
            };
            if !is_locale_tag(locale) {
                self.problem(
                    &path,
                    format!(
                        "\"{locale}\" is not a language tag like \"en\", \"gd\" or \"zh-Hans\""
                    ),
                );
            } else if locales.iter().any(|l| l == locale) {
                self.problem(&path, format!("\"{locale}\" is listed twice"));
            } else {
                locales.push(locale.to_owned());
            }
        }
        if let Some(default) = &self.default_locale
            && !locales.contains(default)
            && self.problems.len() == before
        {
            let message = format!("must include the default locale \"{default}\"");
            self.problem("locales", message);
        }
        (self.problems.len() == before).then_some(locales)
    }

    fn privacy(&mut self, value: &Value) -> Option<Privacy> {
        let object = self.object(
            value,
            "privacy",
            PRIVACY_FIELDS,
            "an object with \"text\" and, optionally, \"url\"",
        )?;
        let text = self
            .required(&object, "text")
            .and_then(|v| self.text(v, "privacy.text"));
        let url = match object.get("url") {
            None => Some(None),
            Some(v) => self.string(v, "privacy.url").and_then(|url| {
                if is_web_address(url) {
                    Some(Some(url.to_owned()))
                } else {
                    self.problem(
                        "privacy.url",
                        format!("\"{url}\" is not a web address starting with https://"),
                    );
                    None
                }
            }),
        };
        Some(Privacy {
            text: text?,
            url: url?,
        })
    }

    fn allowed_origins(&mut self, value: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = value else {
            self.problem(
                "allowed_origins",
                format!("must be a list of origins like \"https://partner.example\", or [\"*\"], not {}", describe(value)),
            );
            return None;
        };
        let before = self.problems.len();
        let mut origins = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = index("allowed_origins", i);
            let Some(origin) = self.string(item, &path) else {
                continue;
            };
            if origin == "*" || is_origin(origin) {
                origins.push(origin.to_owned());
            } else {
                self.problem(
                    &path,
                    format!("\"{origin}\" is not an origin: write the scheme and host only, like \"https://partner.example\" (no path, no trailing slash), or \"*\" for any site"),
                );
            }
        }
        (self.problems.len() == before).then_some(origins)
    }

    /// Records every question id's position first, so that a condition can
    /// say whether the question it names comes later or does not exist, and
    /// reports ids used twice (even where the rest of the item has problems).
    fn scan_ids(&mut self, pages: &[(usize, Value)]) {
        let mut page_ids = SortedMap::new();
        let mut question_paths: SortedMap<String> = SortedMap::new();
        let mut position = 0;
        for (p, page) in pages {
            let (p, page_path) = (*p, index("pages", *p));
            if let Some(id) = page.get("id").and_then(Value::as_str) {
                match page_ids.get(id).copied() {
                    Some(first) => {
                        let message = format!(
                            "\"{id}\" is already the id of pages[{first}]; page ids must be unique"
                        );
                        self.problem(&join(&page_path, "id"), message);
                    }
                    None => {
                        page_ids.insert(id.to_owned(), p);
                    }
                }
            }
            let Some(questions) = page.get("questions").and_then(Value::as_array) else {
                continue;
            };
            for (q, question) in questions.iter().enumerate() {
                let question_path = index(&join(&page_path, "questions"), q);
                if let Some(id) = question.get("id").and_then(Value::as_str) {
                    match question_paths.get(id) {
                        Some(first) => {
                            let message = format!(
                                "\"{id}\" is already the id of {first}; question ids must be unique in the survey"
                            );
                            self.problem(&join(&question_path, "id"), message);
                        }
                        None => {
                            question_paths.insert(id.to_owned(), question_path);
                            self.positions.insert(id.to_owned(), position);
                        }
                    }
                }
                position += 1;
            }
        }
    }

    fn pages(&mut self, value: &Value) -> Option<Vec<Page>> {
        let Value::Array(items) = value else {
            self.problem(
                "pages",
                format!("must be a list of pages, not {}", describe(value)),
            );
            return None;
        };
        if items.is_empty() {
            self.problem("pages", "must have at least one page");
            return None;
        }
        let before = self.problems.len();
        // Included question sets written out first: from here on they are pages like any other.
        // A page whose inclusion failed is left out, each other page keeping its own
        // number, so that problems are reported where they are.
        let items: Vec<(usize, Value)> = items
            .iter()
            .enumerate()
            .filter_map(|(p, item)| Some((p, self.expand_include(item, &index("pages", p))?)))
            .collect();
        self.scan_ids(&items);
        let mut position = 0;
        let mut pages = Vec::new();
        for (p, item) in &items {
            if let Some(page) = self.page(item, &index("pages", *p), &mut position) {
                pages.push(page);
            }
        }
        (self.problems.len() == before).then_some(pages)
    }

    /// A page that includes a question set (`"include"`, `"leave_out"`), written out as the
    /// page the set makes: its questions, its title, `"question_set"` naming it. Any other
    /// page as it is. `None` when the inclusion has problems (reported here).
    fn expand_include(&mut self, page: &Value, path: &str) -> Option<Value> {
        let Value::Object(fields) = page else {
            return Some(page.clone());
        };
        let Some(include) = fields.get("include") else {
            return Some(page.clone());
        };
        let include_path = join(path, "include");
        if fields.contains_key("questions") {
            self.problem(
                &include_path,
                "a page either includes a question set or lists its own questions, not both",
            );
            return None;
        }
        let Value::String(name) = include else {
            self.problem(
                &include_path,
                format!(
                    "must be the name of a question set, like \"equality/scotland-2026\", not {}",
                    describe(include)
                ),
            );
            return None;
        };
        let Some(set) = crate::question_sets::question_set(name) else {
            let message = if crate::question_sets::has_question_sets() {
                let known: Vec<String> = crate::question_sets::question_set_names()
                    .map(|n| format!("\"{n}\""))
                    .collect();
                format!(
                    "there is no question set \"{name}\"; the sets are {}",
                    known.join(", ")
                )
            } else {
                "question sets are written out by the collector; this program cannot include them"
                    .to_owned()
            };
            self.problem(&include_path, message);
            return None;
        };
        let questions: Vec<&Value> = set["questions"].as_array()?.iter().collect();
        let id_of = |q: &Value| q["id"].as_str().unwrap_or_default().to_owned();
        let set_ids: Vec<String> = questions.iter().map(|q| id_of(q)).collect();

        // The set must be written in the survey's default language: that text is what
        // every reader falls back to.
        let written_in: Vec<String> = set["title"]
            .as_object()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        let default_locale = self.default_locale.clone()?;
        if !written_in.contains(&default_locale) {
            self.problem(
                &include_path,
                format!(
                    "\"{name}\" is written in {}; a survey whose default_locale is \"{default_locale}\" cannot include it",
                    written_in.join(" and ")
                ),
            );
            return None;
        }

        let before = self.problems.len();
        let mut left_out: Vec<String> = Vec::new();
        if let Some(value) = fields.get("leave_out") {
            let leave_path = join(path, "leave_out");
            match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let item_path = index(&leave_path, i);
                        match item {
                            Value::String(id) if set_ids.contains(id) => left_out.push(id.clone()),
                            Value::String(id) => self.problem(
                                &item_path,
                                format!(
                                    "\"{id}\" is not a question of \"{name}\"; its questions are {}",
                                    set_ids.join(", ")
                                ),
                            ),
                            other => self.problem(
                                &item_path,
                                format!("must be a question id, not {}", describe(other)),
                            ),
                        }
                    }
                }
                other => self.problem(
                    &leave_path,
                    format!(
                        "must be a list of the set's question ids to leave out, not {}",
                        describe(other)
                    ),
                ),
            }
            // A question shown only by the answer to another cannot stay without it.
            for question in &questions {
                let id = id_of(question);
                if left_out.contains(&id) {
                    continue;
                }
                let mut needs = Vec::new();
                crate::question_sets::condition_refers_to(&question["visible_if"], &mut needs);
                if let Some(missing) = needs.iter().find(|n| left_out.contains(n)) {
                    self.problem(
                        &leave_path,
                        format!(
                            "leaves out \"{missing}\", but whether \"{id}\" is asked depends on its answer: leave out \"{id}\" too, or keep \"{missing}\""
                        ),
                    );
                }
            }
        }
        if self.problems.len() > before {
            return None;
        }

        let locales = self
            .locales
            .clone()
            .unwrap_or_else(|| vec![default_locale.clone()]);
        let kept: Vec<Value> = questions
            .iter()
            .filter(|q| !left_out.contains(&id_of(q)))
            .map(|q| crate::question_sets::question_in(q, &locales))
            .collect();
        if kept.is_empty() {
            self.problem(
                &join(path, "leave_out"),
                "leaves out every question of the set: leave out the page instead",
            );
            return None;
        }
        let mut expanded = fields.clone();
        expanded.remove("include");
        expanded.remove("leave_out");
        if !expanded.contains_key("title") {
            let mut title = set["title"].clone();
            crate::question_sets::keep_locales(&mut title, &locales);
            expanded.insert("title".to_owned(), title);
        }
        expanded.insert("question_set".to_owned(), Value::String(name.clone()));
        expanded.insert("questions".to_owned(), Value::Array(kept));
        Some(Value::Object(expanded))
    }

    fn page(&mut self, value: &Value, path: &str, position: &mut usize) -> Option<Page> {
        let before = self.problems.len();
        let object = self.object(value, path, PAGE_FIELDS, "an object (a page)")?;
        let id = self
            .required(&object, "id")
            .and_then(|v| self.item_id(v, &object.path("id")));
        let title = self.optional_text(&object, "title");
        let question_set = match object.get("question_set") {
            Some(Value::String(name)) => Some(name.clone()),
            Some(other) => {
                self.problem(
                    &object.path("question_set"),
                    format!(
                        "must be the name of a question set, not {}",
                        describe(other)
                    ),
                );
                None
            }
            None => None,
        };
        let question_count = object
            .get("questions")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        self.page_scope = Some(*position..*position + question_count);
        let visible_if = object
            .get("visible_if")
            .and_then(|v| self.condition(v, &object.path("visible_if"), *position, 0));
        self.page_scope = None;
        let mut questions = Vec::new();
        if let Some(value) = self.required(&object, "questions") {
            let questions_path = object.path("questions");
            match value {
                Value::Array(items) if items.is_empty() => {
                    self.problem(&questions_path, "must have at least one question")
                }
                Value::Array(items) => {
                    for (q, item) in items.iter().enumerate() {
                        let question_path = index(&questions_path, q);
                        if let Some(question) = self.question(item, &question_path, *position) {
                            questions.push(question);
                        }
                        *position += 1;
                    }
                }
                other => self.problem(
                    &questions_path,
                    format!("must be a list of questions, not {}", describe(other)),
                ),
            }
        }
        if self.problems.len() > before {
            return None;
        }
        Some(Page {
            id: id?,
            title,
            visible_if,
            questions,
            question_set,
        })
    }

    pub(crate) fn item_id(&mut self, value: &Value, path: &str) -> Option<String> {
        let id = self.string(value, path)?;
        if is_item_id(id) {
            Some(id.to_owned())
        } else {
            self.problem(
                path,
                format!("\"{id}\" is not a valid id: use 1 to 64 lower-case letters, digits and underscores"),
            );
            None
        }
    }

    fn question(&mut self, value: &Value, path: &str, position: usize) -> Option<Question> {
        let before = self.problems.len();
        let Value::Object(map) = value else {
            self.problem(
                path,
                format!("must be an object (a question), not {}", describe(value)),
            );
            return None;
        };
        // The fields a question may have depend on its type, so read the type first.
        let type_name = match map.get("type") {
            None => {
                self.problem(&join(path, "type"), "is required but missing");
                None
            }
            Some(v) => self.string(v, &join(path, "type")).and_then(|t| {
                let found = QUESTION_TYPES.iter().find(|(name, _)| *name == t);
                if found.is_none() {
                    let names: Vec<&str> = QUESTION_TYPES.iter().map(|(name, _)| *name).collect();
                    let message = match closest(t, &names) {
                        Some(s) => format!("\"{t}\" is not a question type; did you mean \"{s}\"?"),
                        None => format!(
                            "\"{t}\" is not a question type; use one of {}",
                            quoted_list(&names)
                        ),
                    };
                    self.problem(&join(path, "type"), message);
                }
                found
            }),
        };
        let object = match type_name {
            Some((name, own)) => {
                let known: Vec<&str> = COMMON_QUESTION_FIELDS
                    .iter()
                    .chain(own.iter())
                    .copied()
                    .collect();
                let object = Object {
                    map,
                    path: path.to_owned(),
                };
                for key in map.keys() {
                    if known.contains(&key.as_str()) {
                        continue;
                    }
                    let message = if QUESTION_TYPES
                        .iter()
                        .any(|(_, fields)| fields.contains(&key.as_str()))
                    {
                        format!("unknown field: {name} questions do not take \"{key}\"")
                    } else if let Some(suggestion) = closest(key, &known) {
                        format!("unknown field; did you mean \"{suggestion}\"?")
                    } else {
                        format!(
                            "unknown field; a {name} question takes {}",
                            quoted_list(&known)
                        )
                    };
                    self.problem(&join(path, key), message);
                }
                object
            }
            None => Object {
                map,
                path: path.to_owned(),
            },
        };

        let id = self
            .required(&object, "id")
            .and_then(|v| self.item_id(v, &object.path("id")));
        let label = self
            .required(&object, "label")
            .and_then(|v| self.text(v, &object.path("label")));
        let hint = self.optional_text(&object, "hint");
        let short_label = self.optional_text(&object, "short_label");
        let error = self.optional_text(&object, "error");
        let required = match object.get("required") {
            Some(v) => self.boolean(v, &object.path("required")),
            None => Some(false),
        };
        let visible_if = object
            .get("visible_if")
            .and_then(|v| self.condition(v, &object.path("visible_if"), position, 0));
        let picture = object
            .get("picture")
            .and_then(|v| self.picture(v, &object.path("picture")));
        let kind = type_name.and_then(|(name, _)| self.question_kind(name, &object));
        if let (Some(QuestionKind::Info { .. }), Some(true)) = (&kind, required) {
            self.problem(
                &object.path("required"),
                "an info block has no answer, so it cannot be required",
            );
        }
        if let Some(QuestionKind::Info { .. }) = &kind {
            for (key, text) in [("short_label", &short_label), ("error", &error)] {
                if text.is_some() {
                    self.problem(
                        &object.path(key),
                        "an info block has no answer, so no error message names it",
                    );
                }
            }
        }
        if let (Some(id), Some(kind)) = (&id, &kind)
            && !self.earlier.iter().any(|(known, _)| known == id)
        {
            self.earlier.push((id.clone(), kind.clone()));
        }
        if self.problems.len() > before {
            return None;
        }
        Some(Question {
            id: id?,
            kind: kind?,
            label: label?,
            hint,
            short_label,
            error,
            required: required?,
            visible_if,
            picture,
        })
    }

    /// A picture: `{"file": "bus.svg", "alt": Text}`.
    fn picture(&mut self, value: &Value, path: &str) -> Option<Picture> {
        let before = self.problems.len();
        let object = self.object(
            value,
            path,
            PICTURE_FIELDS,
            "an object with \"file\" and \"alt\"",
        )?;
        let file = self
            .required(&object, "file")
            .and_then(|v| self.string(v, &object.path("file")));
        if let Some(file) = file.filter(|file| !is_picture_file(file)) {
            self.problem(
                &object.path("file"),
                format!(
                    "\"{file}\" is not a picture's file name: lowercase letters, digits, - and _, \
                     ending .svg, .png, .jpg, .jpeg or .webp, for a file in the survey's own \
                     pictures folder (docs/survey-format.md)"
                ),
            );
        }
        let alt = self
            .required(&object, "alt")
            .and_then(|v| self.text(v, &object.path("alt")));
        if self.problems.len() > before {
            return None;
        }
        Some(Picture {
            file: file?.to_owned(),
            alt: alt?,
        })
    }

    fn question_kind(&mut self, type_name: &str, object: &Object) -> Option<QuestionKind> {
        let before = self.problems.len();
        let kind = match type_name {
            "single_choice" => QuestionKind::SingleChoice {
                options: self.options(object, 2, false)?,
            },
            "multiple_choice" => {
                let options = self.options(object, 1, true);
                let min_selected = object
                    .get("min_selected")
                    .and_then(|v| {
                        self.whole(v, &object.path("min_selected"), 0, u64::from(u32::MAX))
                    })
                    .map(|n| n as u32);
                let max_selected = object
                    .get("max_selected")
                    .and_then(|v| {
                        self.whole(v, &object.path("max_selected"), 1, u64::from(u32::MAX))
                    })
                    .map(|n| n as u32);
                let option_count = object
                    .get("options")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                if let (Some(min), Some(max)) = (min_selected, max_selected)
                    && min > max
                {
                    self.problem(
                        &object.path("min_selected"),
                        format!("is {min}, more than max_selected ({max})"),
                    );
                }
                for (key, limit) in [
                    ("min_selected", min_selected),
                    ("max_selected", max_selected),
                ] {
                    if let Some(limit) = limit
                        && limit as usize > option_count
                    {
                        self.problem(
                            &object.path(key),
                            format!("is {limit}, but the question has only {option_count} options"),
                        );
                    }
                }
                QuestionKind::MultipleChoice {
                    options: options?,
                    min_selected,
                    max_selected,
                }
            }
            "text" => {
                let multiline = match object.get("multiline") {
                    Some(v) => self.boolean(v, &object.path("multiline")),
                    None => Some(false),
                };
                let max_length = object
                    .get("max_length")
                    .and_then(|v| self.whole(v, &object.path("max_length"), 1, MAX_TEXT_LENGTH))
                    .map(|n| n as u32);
                let format = match object.get("format") {
                    None => Some(None),
                    Some(v) => match self.string(v, &object.path("format")) {
                        Some("email") => Some(Some(TextFormat::Email)),
                        Some("phone") => Some(Some(TextFormat::Phone)),
                        Some("uk_postcode") => Some(Some(TextFormat::UkPostcode)),
                        Some(other) => {
                            self.problem(
                                &object.path("format"),
                                format!("\"{other}\" is not a text format; use \"email\", \"phone\" or \"uk_postcode\""),
                            );
                            None
                        }
                        None => None,
                    },
                };
                let multiline = multiline?;
                let format = format?;
                if multiline && format.is_some() {
                    self.problem(
                        &object.path("format"),
                        "a multiline text cannot have a format; formats are for one-line answers",
                    );
                }
                if object.has("max_length") && max_length.is_none() {
                    return None;
                }
                QuestionKind::Text {
                    multiline,
                    max_length: max_length.unwrap_or(if multiline {
                        DEFAULT_MAX_LENGTH_MULTILINE
                    } else {
                        DEFAULT_MAX_LENGTH
                    }),
                    format,
                }
            }
            "rating" => {
                let min = self
                    .required(object, "min")
                    .and_then(|v| self.whole(v, &object.path("min"), 0, 1));
                let max = self
                    .required(object, "max")
                    .and_then(|v| self.whole(v, &object.path("max"), 1, 10));
                let min_label = self.optional_text(object, "min_label");
                let max_label = self.optional_text(object, "max_label");
                let (min, max) = (min?, max?);
                if max <= min {
                    self.problem(
                        &object.path("max"),
                        format!("must be more than min ({min})"),
                    );
                }
                QuestionKind::Rating {
                    min: min as u8,
                    max: max as u8,
                    min_label,
                    max_label,
                }
            }
            "number" => {
                let min = object
                    .get("min")
                    .and_then(|v| self.number(v, &object.path("min")));
                let max = object
                    .get("max")
                    .and_then(|v| self.number(v, &object.path("max")));
                let integer = match object.get("integer") {
                    Some(v) => self.boolean(v, &object.path("integer")),
                    None => Some(false),
                };
                let unit = self.optional_text(object, "unit");
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    self.problem(
                        &object.path("max"),
                        format!("must not be less than min ({})", number(min)),
                    );
                }
                QuestionKind::Number {
                    min,
                    max,
                    integer: integer?,
                    unit,
                }
            }
            "date" => {
                let min = object
                    .get("min")
                    .and_then(|v| self.date(v, &object.path("min")));
                let max = object
                    .get("max")
                    .and_then(|v| self.date(v, &object.path("max")));
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    self.problem(
                        &object.path("max"),
                        format!("must not be before min ({min})"),
                    );
                }
                QuestionKind::Date { min, max }
            }
            "consent" => QuestionKind::Consent,
            "info" => QuestionKind::Info {
                body: self
                    .required(object, "body")
                    .and_then(|v| self.text(v, &object.path("body")))?,
            },
            _ => return None,
        };
        (self.problems.len() == before).then_some(kind)
    }

    fn options(
        &mut self,
        object: &Object,
        at_least: usize,
        multiple: bool,
    ) -> Option<Vec<ChoiceOption>> {
        let value = self.required(object, "options")?;
        let path = object.path("options");
        let Value::Array(items) = value else {
            self.problem(
                &path,
                format!("must be a list of options, not {}", describe(value)),
            );
            return None;
        };
        let before = self.problems.len();
        if items.len() < at_least {
            let kind = if multiple {
                "a multiple choice"
            } else {
                "a single choice"
            };
            self.problem(
                &path,
                format!(
                    "{kind} question needs at least {at_least} option{}",
                    if at_least == 1 { "" } else { "s" }
                ),
            );
        }
        let mut options: Vec<ChoiceOption> = Vec::new();
        let mut specify_at: Option<usize> = None;
        for (i, item) in items.iter().enumerate() {
            let option_path = index(&path, i);
            let Some(option) = self.option(item, &option_path) else {
                continue;
            };
            if let Some(first) = options.iter().position(|o| o.value == option.value) {
                let message = format!(
                    "\"{}\" is already the value of options[{first}]; values must be unique within a question",
                    option.value
                );
                self.problem(&join(&option_path, "value"), message);
            }
            if option.exclusive && !multiple {
                self.problem(
                    &join(&option_path, "exclusive"),
                    "is only for multiple_choice questions: a single choice already stands alone",
                );
            }
            if option.specify {
                if let Some(first) = specify_at {
                    self.problem(
                        &join(&option_path, "specify"),
                        format!("only one option per question may ask to specify, and options[{first}] already does"),
                    );
                }
                specify_at.get_or_insert(i);
            }
            options.push(option);
        }
        (self.problems.len() == before).then_some(options)
    }

    fn option(&mut self, value: &Value, path: &str) -> Option<ChoiceOption> {
        let before = self.problems.len();
        let object = self.object(
            value,
            path,
            OPTION_FIELDS,
            "an object with \"value\" and \"label\"",
        )?;
        let value = self
            .required(&object, "value")
            .and_then(|v| self.item_id(v, &object.path("value")));
        let label = self
            .required(&object, "label")
            .and_then(|v| self.text(v, &object.path("label")));
        let hint = self.optional_text(&object, "hint");
        let exclusive = object
            .get("exclusive")
            .map_or(Some(false), |v| self.boolean(v, &object.path("exclusive")));
        let specify = object
            .get("specify")
            .map_or(Some(false), |v| self.boolean(v, &object.path("specify")));
        let picture = object
            .get("picture")
            .and_then(|v| self.picture(v, &object.path("picture")));
        if self.problems.len() > before {
            return None;
        }
        Some(ChoiceOption {
            value: value?,
            label: label?,
            hint,
            exclusive: exclusive?,
            specify: specify?,
            picture,
        })
    }

    /// A condition at `position` in survey order: it may name only questions before it.
    fn condition(
        &mut self,
        value: &Value,
        path: &str,
        position: usize,
        depth: usize,
    ) -> Option<Condition> {
        if depth > MAX_CONDITION_DEPTH {
            self.problem(
                path,
                format!("conditions may be nested at most {MAX_CONDITION_DEPTH} deep"),
            );
            return None;
        }
        let object = self.object(value, path, CONDITION_FIELDS, "a condition object")?;
        let combinators: Vec<&str> = ["all", "any", "not"]
            .into_iter()
            .filter(|k| object.has(k))
            .collect();
        let tests: Vec<&str> = ["equals", "any_of", "answered"]
            .into_iter()
            .filter(|k| object.has(k))
            .collect();
        let leaf = object.has("question") || !tests.is_empty();
        if combinators.len() + usize::from(leaf) != 1 {
            self.problem(
                path,
                "must be exactly one of {\"question\": ..., \"equals\" | \"any_of\" | \"answered\": ...}, {\"all\": [...]}, {\"any\": [...]} or {\"not\": {...}}",
            );
            return None;
        }
        if let Some(&combinator) = combinators.first() {
            let inner_path = object.path(combinator);
            let inner = object.get(combinator)?;
            if combinator == "not" {
                return self
                    .condition(inner, &inner_path, position, depth + 1)
                    .map(|c| Condition::Not(Box::new(c)));
            }
            let Value::Array(items) = inner else {
                self.problem(
                    &inner_path,
                    format!("must be a list of conditions, not {}", describe(inner)),
                );
                return None;
            };
            if items.is_empty() {
                self.problem(&inner_path, "must list at least one condition");
                return None;
            }
            let before = self.problems.len();
            let conditions: Vec<Condition> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    self.condition(item, &index(&inner_path, i), position, depth + 1)
                })
                .collect();
            if self.problems.len() > before {
                return None;
            }
            return Some(if combinator == "all" {
                Condition::All(conditions)
            } else {
                Condition::Any(conditions)
            });
        }

        let question = self
            .required(&object, "question")
            .and_then(|v| self.string(v, &object.path("question")));
        if tests.len() != 1 {
            self.problem(
                path,
                "needs exactly one of \"equals\", \"any_of\" or \"answered\"",
            );
            return None;
        }
        let question = question?.to_owned();
        let kind = self.referenced(&question, &object.path("question"), position)?;
        let test = tests[0];
        let test_path = object.path(test);
        let test_value = object.get(test)?;
        match test {
            "answered" => {
                let answered = self.boolean(test_value, &test_path)?;
                Some(Condition::Answered { question, answered })
            }
            "any_of" => {
                let Value::Array(items) = test_value else {
                    self.problem(
                        &test_path,
                        format!(
                            "must be a list of option values, not {}",
                            describe(test_value)
                        ),
                    );
                    return None;
                };
                if items.is_empty() {
                    self.problem(&test_path, "must list at least one option value");
                    return None;
                }
                if let Some(kind) = &kind
                    && !matches!(
                        kind,
                        QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. }
                    )
                {
                    self.problem(
                        &test_path,
                        format!(
                            "any_of needs a choice question, but \"{question}\" is a {} question",
                            kind.type_name()
                        ),
                    );
                    return None;
                }
                let before = self.problems.len();
                let mut values = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let item_path = index(&test_path, i);
                    if let Some(v) = self.string(item, &item_path) {
                        values.push(v.to_owned());
                        if let Some(kind) = &kind {
                            self.check_option_value(kind, &question, v, &item_path, "any_of");
                        }
                    }
                }
                (self.problems.len() == before).then_some(Condition::AnyOf { question, values })
            }
            _ => {
                if let Some(kind) = &kind {
                    self.check_equals(kind, &question, test_value, &test_path)?;
                }
                Some(Condition::Equals {
                    question,
                    value: test_value.clone(),
                })
            }
        }
    }

    /// Resolves a question named by a condition. `Some(None)` when the question
    /// exists and comes earlier but could not itself be read (its own problems
    /// are reported already).
    fn referenced(
        &mut self,
        question: &str,
        path: &str,
        position: usize,
    ) -> Option<Option<QuestionKind>> {
        match self.positions.get(question).copied() {
            Some(at)
                if self
                    .page_scope
                    .as_ref()
                    .is_some_and(|page| page.contains(&at)) =>
            {
                self.problem(path, format!("refers to \"{question}\", which is on this page; a page's condition may only refer to questions on earlier pages"));
                None
            }
            None => {
                self.problem(
                    path,
                    format!("refers to \"{question}\", which is not a question in this survey"),
                );
                None
            }
            Some(at) if at == position => {
                self.problem(path, format!("refers to \"{question}\" itself; a condition may only refer to earlier questions"));
                None
            }
            Some(at) if at > position => {
                self.problem(path, format!("refers to \"{question}\", which comes later in the survey; a condition may only refer to earlier questions"));
                None
            }
            Some(_) => {
                let earlier = self.earlier.iter().find(|(known, _)| known == question);
                match earlier.map(|(_, kind)| kind) {
                    Some(QuestionKind::Info { .. }) => {
                        self.problem(path, format!("refers to \"{question}\", which is an info block and is never answered"));
                        None
                    }
                    kind => Some(kind.cloned()),
                }
            }
        }
    }

    fn check_option_value(
        &mut self,
        kind: &QuestionKind,
        question: &str,
        value: &str,
        path: &str,
        test: &str,
    ) {
        match kind {
            QuestionKind::SingleChoice { options }
            | QuestionKind::MultipleChoice { options, .. } => {
                if !options.iter().any(|o| o.value == value) {
                    let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
                    self.problem(
                        path,
                        format!(
                            "\"{value}\" is not an option of \"{question}\" (its options are {})",
                            quoted_list(&values)
                        ),
                    );
                }
            }
            other => self.problem(
                path,
                format!(
                    "{test} needs a choice question, but \"{question}\" is a {} question",
                    other.type_name()
                ),
            ),
        }
    }

    fn check_equals(
        &mut self,
        kind: &QuestionKind,
        question: &str,
        value: &Value,
        path: &str,
    ) -> Option<()> {
        let before = self.problems.len();
        match kind {
            QuestionKind::SingleChoice { .. } => match value.as_str() {
                Some(v) => self.check_option_value(kind, question, v, path, "equals"),
                None => self.problem(path, format!("must be one of the option values of \"{question}\", not {}", describe(value))),
            },
            QuestionKind::MultipleChoice { .. } => self.problem(
                path,
                format!("\"{question}\" is a multiple choice question: use \"any_of\" to test which options are selected"),
            ),
            QuestionKind::Rating { min, max, .. } => match value.as_u64() {
                Some(n) if (u64::from(*min)..=u64::from(*max)).contains(&n) => {}
                _ => self.problem(path, format!("must be a whole number from {min} to {max}, the range of \"{question}\"")),
            },
            QuestionKind::Number { .. } => {
                if !value.is_number() {
                    self.problem(path, format!("must be a number, not {}", describe(value)));
                }
            }
            QuestionKind::Text { .. } => match value.as_str() {
                Some(v) if !v.trim().is_empty() => {}
                _ => self.problem(path, "must be a non-empty string"),
            },
            QuestionKind::Date { .. } => {
                if value.as_str().and_then(CalendarDate::parse).is_none() {
                    self.problem(path, "must be a date written YYYY-MM-DD");
                }
            }
            QuestionKind::Consent => {
                if value != &Value::Bool(true) {
                    self.problem(path, "must be true: a consent box is either ticked or unanswered (use \"answered\": false to test that it is not ticked)");
                }
            }
            QuestionKind::Info { .. } => {}
        }
        (self.problems.len() == before).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses() {
        assert_eq!(closest("lable", COMMON_QUESTION_FIELDS), Some("label"));
        assert_eq!(
            closest("visibleif", COMMON_QUESTION_FIELDS),
            Some("visible_if")
        );
        assert_eq!(closest("colour", COMMON_QUESTION_FIELDS), None);
    }

    #[test]
    fn recognises_origins() {
        for good in [
            "https://partner.example",
            "http://127.0.0.1:8080",
            "https://a-b.example.org:443",
            "http://[::1]:3000",
            "http://[::1]",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "partner.example",
            "https://partner.example/",
            "https://partner.example/path",
            "ftp://x",
            "https://",
            "https://host:port",
            "https://ho st",
            "http://[::1]x",
            "http://[::1",
            "https://a:1:2",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }

    #[test]
    fn recognises_ids() {
        assert!(is_survey_id("engagement-2026"));
        assert!(!is_survey_id("-engagement"));
        assert!(!is_survey_id("Engagement"));
        assert!(!is_survey_id(&"a".repeat(65)));
        assert!(is_item_id("face_to_face"));
        assert!(!is_item_id("face-to-face"));
        assert!(!is_item_id(""));
    }
}
