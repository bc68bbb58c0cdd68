//! Responses out: CSV and XLSX that open correctly in Excel, JSON and NDJSON, filtered and written as they are read.
//!
//! Every writer takes the store's lazy iterator and applies [`ExportOptions`]
//! as an iterator adaptor, so only one response is in memory at a time
//! whatever the number stored. The table (CSV and XLSX) has the union of every
//! published version's questions as columns, newest version's order first, so
//! one file covers a survey that changed.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::str::FromStr;

use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet, XlsxError};
use serde::Deserialize;
use serde_json::{Number, Value};
use time::format_description::well_known::Rfc3339;
use time::{Month, OffsetDateTime, UtcOffset};
use voices_shared::{CalendarDate, QuestionKind, Survey};

use crate::store::{Store, StoreError, StoredResponse};

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
    Ndjson,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Csv, Format::Xlsx, Format::Json, Format::Ndjson];

    /// The name used in `format=` and `--format` (`csv`, `xlsx`, `json`, `ndjson`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
        }
    }

    /// The `Content-Type` of a download in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Ndjson => "application/x-ndjson",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = OptionError;

    /// Any case, surrounding spaces ignored: `CSV` from a hand-typed URL is still CSV.
    fn from_str(text: &str) -> Result<Format, OptionError> {
        let wanted = text.trim();
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| OptionError::Format { value: shown(text) })
    }
}

/// Why a download's options were refused. Each message names the field and
/// what it accepts, so it can be shown to staff as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    #[error("format: {value} is not an export format; write csv, xlsx, json or ndjson")]
    Format { value: String },
    #[error(
        "{field}: {value} is not a date; write YYYY-MM-DD or an RFC 3339 time such as 2026-03-01T09:30:00Z"
    )]
    Time { field: &'static str, value: String },
    #[error("version: {value} is not a version number; write a whole number such as 2")]
    Version { value: String },
    #[error("labels: {value} is not true or false")]
    Labels { value: String },
    #[error("headers: {value} is not a kind of header; write ids (the default) or labels")]
    Headers { value: String },
    #[error("from ({from}) is after to ({to}), so no response could match; swap them")]
    FromAfterTo { from: String, to: String },
}

/// A value quoted for an error message, cut short so a long query string
/// cannot make a long message.
fn shown(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    if value.chars().count() > MAX_CHARS {
        let start: String = value.chars().take(MAX_CHARS).collect();
        format!("{start:?}…")
    } else {
        format!("{value:?}")
    }
}

/// Which responses an export holds, and how choices are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// The earliest `submitted_at` included.
    pub from: Option<OffsetDateTime>,
    /// The latest `submitted_at` included.
    pub to: Option<OffsetDateTime>,
    /// Only responses to this version; the table then has its columns only.
    pub version: Option<u32>,
    /// Choice cells show the option's label in the survey's default locale
    /// instead of its value (CSV and XLSX).
    pub labels: bool,
    /// The header row names the questions in their own words, in the survey's default
    /// locale, instead of their ids (CSV and XLSX; `headers=labels`).
    pub label_headers: bool,
    /// A `collected_by` column (JSON: field): which account recorded each response with
    /// someone. For admins and the operator only, never set from a query.
    pub collected_by: bool,
}

/// Blank counts as not given: an HTML form sends `from=` for an empty date field.
fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|text| !text.is_empty())
}

/// `YYYY-MM-DD` (the start of that day in UTC, or its end when `end_of_day`)
/// or a full RFC 3339 time.
fn parse_time(
    field: &'static str,
    raw: &str,
    end_of_day: bool,
) -> Result<OffsetDateTime, OptionError> {
    let refused = || OptionError::Time {
        field,
        value: shown(raw),
    };
    if let Some(date) = CalendarDate::parse(raw) {
        let month = u8::try_from(date.month())
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .ok_or_else(refused)?;
        let day = u8::try_from(date.day()).map_err(|_| refused())?;
        let date =
            time::Date::from_calendar_date(date.year(), month, day).map_err(|_| refused())?;
        // `to` a date means the whole of that day: the last nanosecond is the bound.
        let at = if end_of_day {
            date.with_time(time::Time::MAX)
        } else {
            date.midnight()
        };
        return Ok(at.assume_utc());
    }
    OffsetDateTime::parse(raw, &Rfc3339).map_err(|_| refused())
}

impl ExportOptions {
    /// Reads the options as typed in a query string or on the command line;
    /// `None` or blank means not given. `labels` takes `true`/`false` (also
    /// `1`/`0`, `yes`/`no`, `on`/`off`).
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        version: Option<&str>,
        labels: Option<&str>,
    ) -> Result<ExportOptions, OptionError> {
        let from_raw = given(from);
        let to_raw = given(to);
        let from = from_raw
            .map(|raw| parse_time("from", raw, false))
            .transpose()?;
        let to = to_raw.map(|raw| parse_time("to", raw, true)).transpose()?;
        if let (Some(start), Some(end), Some(from_raw), Some(to_raw)) = (from, to, from_raw, to_raw)
            && start > end
        {
            return Err(OptionError::FromAfterTo {
                from: from_raw.to_owned(),
                to: to_raw.to_owned(),
            });
        }
        let version = given(version)
            .map(|raw| {
                raw.parse::<u32>()
                    .ok()
                    .filter(|v| *v >= 1)
                    .ok_or_else(|| OptionError::Version { value: shown(raw) })
            })
            .transpose()?;
        let labels = match given(labels).map(str::to_ascii_lowercase).as_deref() {
            None | Some("false" | "0" | "no" | "off") => false,
            Some("true" | "1" | "yes" | "on") => true,
            Some(_) => {
                return Err(OptionError::Labels {
                    value: shown(labels.unwrap_or_default()),
                });
            }
        };
        Ok(ExportOptions {
            from,
            to,
            version,
            labels,
            label_headers: false,
            collected_by: false,
        })
    }

    /// The survey's responses this export may include, read from the store:
    /// with `from` or `to`, through the store's time order, so a day's export reads
    /// that day's responses only (in time order); otherwise all of them, in the
    /// order they were stored.
    pub fn read<'a>(
        &self,
        store: &'a dyn Store,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<StoredResponse, StoreError>> + Send + 'a> {
        if self.from.is_some() || self.to.is_some() {
            store.responses_submitted(survey_id, self.from, self.to)
        } else {
            store.responses(survey_id)
        }
    }

    /// Whether a response is in the export.
    pub fn includes(&self, response: &StoredResponse) -> bool {
        self.from.is_none_or(|from| response.submitted_at >= from)
            && self.to.is_none_or(|to| response.submitted_at <= to)
            && self
                .version
                .is_none_or(|version| response.survey_version == version)
    }

    /// The responses this export includes, as they are read: an iterator
    /// adaptor, never a collection. Errors pass through.
    pub fn filter<I>(self, responses: I) -> Filtered<I>
    where
        I: Iterator<Item = Result<StoredResponse, StoreError>>,
    {
        Filtered {
            options: self,
            responses,
        }
    }
}

/// The iterator [`ExportOptions::filter`] returns.
pub struct Filtered<I> {
    options: ExportOptions,
    responses: I,
}

impl<I> Iterator for Filtered<I>
where
    I: Iterator<Item = Result<StoredResponse, StoreError>>,
{
    type Item = Result<StoredResponse, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.responses.next()? {
                Ok(response) if !self.options.includes(&response) => continue,
                other => return Some(other),
            }
        }
    }
}

/// A download's query string, as the HTTP handler receives it:
/// `?format=xlsx&from=2026-01-01&to=2026-03-31&version=2&labels=true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ExportQuery {
    pub format: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub version: Option<String>,
    pub labels: Option<String>,
    pub headers: Option<String>,
}

impl ExportQuery {
    /// The format (CSV when not given) and the options.
    pub fn parse(&self) -> Result<(Format, ExportOptions), OptionError> {
        let format = match given(self.format.as_deref()) {
            None => Format::Csv,
            Some(raw) => raw.parse()?,
        };
        let mut options = ExportOptions::parse(
            self.from.as_deref(),
            self.to.as_deref(),
            self.version.as_deref(),
            self.labels.as_deref(),
        )?;
        options.label_headers = match given(self.headers.as_deref()) {
            None => false,
            Some(headers) if headers.eq_ignore_ascii_case("ids") => false,
            Some(headers) if headers.eq_ignore_ascii_case("labels") => true,
            Some(other) => {
                return Err(OptionError::Headers {
                    value: shown(other),
                });
            }
        };
        Ok((format, options))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export failed: {0}")]
    Write(#[from] io::Error),
    #[error("writing the export failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the XLSX file failed: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("{} has no version {version}; {available}", named(survey))]
    NoSuchVersion {
        /// The survey's id; empty when no version of it was given.
        survey: String,
        version: u32,
        available: String,
    },
    #[error(
        "an XLSX sheet holds at most {limit} responses and this export has more; narrow it with from and to, or download CSV"
    )]
    TooManyRows { limit: u32 },
    #[error(
        "an XLSX sheet holds at most {limit} columns and this survey needs {needed}; download CSV"
    )]
    TooManyColumns { limit: u16, needed: usize },
}

/// `survey "id"`, or "this survey" when the id is not known.
fn named(survey: &str) -> String {
    if survey.is_empty() {
        "this survey".to_owned()
    } else {
        format!("survey \"{survey}\"")
    }
}

/// The metadata columns that open every row of the table.
pub const METADATA_COLUMNS: [&str; 5] = [
    "receipt",
    "submitted_at",
    "survey_version",
    "locale",
    "channel",
];

/// The last column, for admins: who recorded a response with someone.
pub const COLLECTED_BY: &str = "collected_by";

/// Rows of responses an XLSX sheet can hold: Excel's 1,048,576 rows, less the header.
pub const XLSX_MAX_RESPONSES: u32 = 1_048_575;
const XLSX_MAX_COLUMNS: u16 = 16_384;

/// Makes text safe to open in a spreadsheet: a cell starting with `=`, `+`,
/// `-`, `@`, tab, CR or LF would be read as a formula, so it gets a leading `'`.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The most UTF-16 code units Excel holds in one cell.
const XLSX_MAX_CELL_UNITS: usize = 32_767;

/// Text as an XLSX cell holds it. Three things differ from the text itself:
///
/// - A line break is written as Excel's own, LF: CRLF and a lone CR become LF.
/// - Any other control character (survey labels may hold them; answers cannot)
///   is dropped, and U+FFFE/U+FFFF become U+FFFD.
/// - Text beyond Excel's 32,767-unit limit is cut, ending in "…", so one
///   overlong survey label cannot make every download of a survey fail.
///
/// The first two are needed because rust_xlsxwriter 0.102 writes such
/// characters as `_xHHHH_` escapes after it has escaped literal `_xHHHH_`
/// text, so `_x0041` followed by CR came out as `_x0041_x000D_`, which Excel
/// reads as "A" then "x000D_" (FUZZING.md, finding 3). With none of them left,
/// the writer escapes nothing but literal `_xHHHH_`, which it does right.
/// CSV and JSON keep the text exactly.
pub fn excel_text(text: &str) -> Cow<'_, str> {
    let awkward = |c: char| {
        (c.is_control() && c != '\t' && c != '\n') || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    let too_long = |text: &str| {
        text.len() > XLSX_MAX_CELL_UNITS && text.encode_utf16().nth(XLSX_MAX_CELL_UNITS).is_some()
    };
    if !too_long(text) && !text.contains(awkward) {
        return Cow::Borrowed(text);
    }
    let mut cell = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                cell.push('\n');
            }
            '\u{fffe}' | '\u{ffff}' => cell.push('\u{fffd}'),
            c if awkward(c) => {}
            c => cell.push(c),
        }
    }
    if too_long(&cell) {
        // Keep whole characters up to the limit, less one unit for the "…".
        let mut units = 0;
        let cut = cell
            .char_indices()
            .find(|&(_, c)| {
                units += c.len_utf16();
                units > XLSX_MAX_CELL_UNITS - 1
            })
            .map_or(cell.len(), |(at, _)| at);
        cell.truncate(cut);
        cell.push('…');
    }
    Cow::Owned(cell)
}

#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// The answer itself (every type but multiple choice). `choice`: some
    /// version asks it as a choice question, so its values have labels.
    Answer { question: String, choice: bool },
    /// 1/0 for one option of a multiple-choice question.
    Option { question: String, value: String },
    /// The "please specify" text of a question.
    Specify { question: String, option: String },
}

impl Column {
    fn question(&self) -> &str {
        match self {
            Column::Answer { question, .. }
            | Column::Option { question, .. }
            | Column::Specify { question, .. } => question,
        }
    }

    fn header(&self) -> String {
        match self {
            Column::Answer { question, .. } => question.clone(),
            Column::Option { question, value } => format!("{question}.{value}"),
            Column::Specify { question, option } => format!("{question}.{option}.specify"),
        }
    }
}

/// Columns for every question of every version; `versions` newest first.
fn columns(versions: &[&Survey]) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    let mut push = |column: Column| {
        if !columns.contains(&column) {
            columns.push(column);
        }
    };
    // Questions in the newest version's order, then any only older versions had.
    let mut seen: Vec<&str> = Vec::new();
    for survey in versions {
        for question in survey.questions() {
            if seen.contains(&question.id()) {
                continue;
            }
            seen.push(question.id());
            let id = question.id().to_owned();
            match question.kind() {
                QuestionKind::Info { .. } => continue,
                QuestionKind::MultipleChoice { .. } => {
                    // Options of every version, newest first.
                    for version in versions {
                        if let Some(same) = version.question(question.id()) {
                            for option in same.options() {
                                push(Column::Option {
                                    question: id.clone(),
                                    value: option.value().to_owned(),
                                });
                            }
                        }
                    }
                }
                _ => push(Column::Answer {
                    question: id.clone(),
                    choice: versions
                        .iter()
                        .filter_map(|v| v.question(question.id()))
                        .any(|q| !q.options().is_empty()),
                }),
            }
            let specify = versions
                .iter()
                .filter_map(|v| v.question(question.id())?.specify_option())
                .map(|o| o.value().to_owned())
                .next();
            if let Some(option) = specify {
                push(Column::Specify {
                    question: id,
                    option,
                });
            }
        }
    }
    columns
}

/// One cell of the table, before it is written as CSV text or an XLSX cell.
enum Cell<'r> {
    Empty,
    Text(Cow<'r, str>),
    Number(&'r Number),
    Whole(u64),
    /// A ticked consent or a chosen option (1), or an option not chosen (0).
    Flag(bool),
}

/// The versions and columns of one export's table.
struct Table<'a> {
    /// Newest first.
    versions: Vec<&'a Survey>,
    columns: Vec<Column>,
    labels: bool,
    label_headers: bool,
    collected_by: bool,
}

/// The versions an export covers, newest first: every one given, or only
/// the one the options ask for.
fn covered<'a>(
    versions: &[&'a Survey],
    options: &ExportOptions,
) -> Result<Vec<&'a Survey>, ExportError> {
    let mut sorted: Vec<&Survey> = versions.to_vec();
    sorted.sort_by_key(|survey| std::cmp::Reverse(survey.version()));
    sorted.dedup_by_key(|survey| survey.version());
    let Some(wanted) = options.version else {
        return Ok(sorted);
    };
    if let Some(survey) = sorted.iter().find(|s| s.version() == wanted) {
        return Ok(vec![*survey]);
    }
    let numbers: Vec<String> = sorted
        .iter()
        .rev()
        .map(|s| s.version().to_string())
        .collect();
    Err(ExportError::NoSuchVersion {
        survey: sorted
            .first()
            .map_or_else(String::new, |s| s.id().to_owned()),
        version: wanted,
        available: if numbers.is_empty() {
            "it has no published versions".to_owned()
        } else {
            format!("its versions are {}", numbers.join(", "))
        },
    })
}

impl<'a> Table<'a> {
    fn new(versions: &[&'a Survey], options: &ExportOptions) -> Result<Table<'a>, ExportError> {
        let versions = covered(versions, options)?;
        let columns = columns(&versions);
        Ok(Table {
            versions,
            columns,
            labels: options.labels,
            label_headers: options.label_headers,
            collected_by: options.collected_by,
        })
    }

    /// The header row: the columns' codes (`ways.face_to_face`), which scripts read; with
    /// `label_headers`, the questions' own words in the survey's default language ("How would
    /// you prefer to give us your views?: Face to face"), which a person reads. The
    /// metadata columns keep their names either way.
    fn header(&self) -> impl Iterator<Item = String> + '_ {
        METADATA_COLUMNS
            .iter()
            .map(|c| (*c).to_owned())
            .chain(self.columns.iter().map(|column| {
                if self.label_headers {
                    self.labelled_header(column)
                } else {
                    column.header()
                }
            }))
            // Last, so that scripts reading columns by position find them where they were.
            .chain(self.collected_by.then(|| COLLECTED_BY.to_owned()))
    }

    fn labelled_header(&self, column: &Column) -> String {
        let Some(question) = self
            .versions
            .iter()
            .find_map(|survey| survey.question(column.question()))
        else {
            return column.header();
        };
        let label = question.label().default_text();
        let option_label = |value: &str| {
            question
                .options()
                .iter()
                .find(|o| o.value() == value)
                .map_or_else(|| value.to_owned(), |o| o.label().default_text().to_owned())
        };
        match column {
            Column::Answer { .. } => label.to_owned(),
            Column::Option { value, .. } => format!("{label}: {}", option_label(value)),
            Column::Specify { option, .. } => {
                format!("{label}: {} (details)", option_label(option))
            }
        }
    }

    fn width(&self) -> usize {
        METADATA_COLUMNS.len() + usize::from(self.collected_by) + self.columns.len()
    }

    fn version_of(&self, response: &StoredResponse) -> Option<&'a Survey> {
        self.versions
            .iter()
            .copied()
            .find(|survey| survey.version() == response.survey_version)
    }

    /// The label of a choice, in the default locale of the version the
    /// respondent answered (the wording they saw), else of the newest that has it.
    fn label<'r>(&'r self, version: Option<&'r Survey>, question: &str, value: &'r str) -> &'r str {
        version
            .into_iter()
            .chain(self.versions.iter().copied())
            .filter_map(|survey| survey.question(question)?.option(value))
            .map(|option| option.label().default_text())
            .next()
            .unwrap_or(value)
    }

    /// A choice value as a cell: its label when asked for.
    fn choice<'r>(
        &'r self,
        version: Option<&'r Survey>,
        question: &str,
        choice: bool,
        value: &'r str,
    ) -> &'r str {
        if choice && self.labels {
            self.label(version, question, value)
        } else {
            value
        }
    }

    /// One cell; `answer` is the response's answer to the column's question.
    fn cell<'r>(
        &'r self,
        column: &'r Column,
        answer: Option<&'r Value>,
        response: &'r StoredResponse,
        version: Option<&'r Survey>,
    ) -> Cell<'r> {
        match column {
            Column::Answer { question, choice } => match answer {
                None | Some(Value::Null | Value::Bool(false)) => Cell::Empty,
                Some(Value::Bool(true)) => Cell::Flag(true),
                Some(Value::Number(n)) => Cell::Number(n),
                Some(Value::String(text)) => {
                    Cell::Text(Cow::Borrowed(self.choice(version, question, *choice, text)))
                }
                // Several values where this version asks for one (the question
                // changed type between versions): all of them, in one cell.
                Some(Value::Array(items)) => {
                    let mut text = String::new();
                    for item in items {
                        if !text.is_empty() {
                            text.push_str("; ");
                        }
                        match item {
                            Value::String(value) => {
                                text.push_str(self.choice(version, question, *choice, value));
                            }
                            other => {
                                let _ = write!(text, "{other}");
                            }
                        }
                    }
                    Cell::Text(Cow::Owned(text))
                }
                Some(other @ Value::Object(_)) => Cell::Text(Cow::Owned(other.to_string())),
            },
            Column::Option { value, .. } => match answer {
                Some(answer @ (Value::Array(_) | Value::String(_)))
                    if voices_shared::is_answered(answer) =>
                {
                    Cell::Flag(voices_shared::is_chosen(Some(answer), value))
                }
                _ => Cell::Empty,
            },
            Column::Specify { question, .. } => match response.specify.get(question) {
                Some(text) => Cell::Text(Cow::Borrowed(text)),
                None => Cell::Empty,
            },
        }
    }

    /// Every cell of a response's row, metadata first, in column order.
    fn row<'r>(
        &'r self,
        response: &'r StoredResponse,
        submitted_at: &'r str,
    ) -> impl Iterator<Item = Cell<'r>> + 'r {
        let version = self.version_of(response);
        let mut last: Option<(&str, Option<&Value>)> = None;
        [
            Cell::Text(Cow::Borrowed(response.receipt.as_str())),
            Cell::Text(Cow::Borrowed(submitted_at)),
            Cell::Whole(response.survey_version.into()),
            Cell::Text(Cow::Borrowed(&response.locale)),
            Cell::Text(Cow::Borrowed(response.channel.as_str())),
        ]
        .into_iter()
        .chain(self.columns.iter().map(move |column| {
            // A question's columns are side by side (one per option, then
            // its specify text): look its answer up once, not once a column.
            let question = column.question();
            let answer = match last {
                Some((seen, answer)) if seen == question => answer,
                _ => {
                    let answer = response.answers.get(question);
                    last = Some((question, answer));
                    answer
                }
            };
            self.cell(column, answer, response, version)
        }))
        .chain(self.collected_by.then(|| match &response.collected_by {
            Some(who) => Cell::Text(Cow::Borrowed(who)),
            None => Cell::Empty,
        }))
    }
}

/// `submitted_at` as RFC 3339 in UTC (so a spreadsheet sorts it as text),
/// into a reused buffer.
fn format_time(at: OffsetDateTime, buffer: &mut String) {
    buffer.clear();
    let at = at.checked_to_offset(UtcOffset::UTC).unwrap_or(at);
    match at.format(&Rfc3339) {
        Ok(text) => buffer.push_str(&text),
        // Only a year outside 0–9999 fails RFC 3339; show it rather than lose it.
        Err(_) => {
            let _ = write!(buffer, "{at}");
        }
    }
}

fn write_csv_cell<W: Write>(
    writer: &mut csv::Writer<W>,
    cell: Cell<'_>,
    scratch: &mut String,
) -> Result<(), csv::Error> {
    match cell {
        Cell::Empty => writer.write_field(b""),
        Cell::Text(text) => writer.write_field(neutralise(&text).as_bytes()),
        Cell::Number(n) => {
            scratch.clear();
            let _ = write!(scratch, "{n}");
            writer.write_field(scratch.as_bytes())
        }
        Cell::Whole(n) => {
            scratch.clear();
            let _ = write!(scratch, "{n}");
            writer.write_field(scratch.as_bytes())
        }
        Cell::Flag(true) => writer.write_field(b"1"),
        Cell::Flag(false) => writer.write_field(b"0"),
    }
}

/// Writes the table as CSV: UTF-8 with a byte-order mark (so Excel reads it
/// as UTF-8), RFC 4180 quoting, CRLF line ends, metadata columns first.
/// `versions` are the survey's published versions, in any order. Returns the
/// number of responses written.
pub fn write_csv<W: Write>(
    mut out: W,
    versions: &[&Survey],
    options: &ExportOptions,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    let table = Table::new(versions, options)?;
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for header in table.header() {
        writer.write_field(neutralise(&header).as_bytes())?;
    }
    writer.write_record(None::<&[u8]>)?;
    let mut rows = 0;
    let (mut submitted_at, mut scratch) = (String::new(), String::new());
    for response in options.filter(responses) {
        let response = response?;
        format_time(response.submitted_at, &mut submitted_at);
        for cell in table.row(&response, &submitted_at) {
            write_csv_cell(&mut writer, cell, &mut scratch)?;
        }
        writer.write_record(None::<&[u8]>)?;
        rows += 1;
    }
    writer.flush()?;
    Ok(rows)
}

fn write_xlsx_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: Cell<'_>,
) -> Result<(), XlsxError> {
    // Text is always a string cell: a string cell is never evaluated, so text
    // that looks like a formula stays text and needs no leading `'`.
    match cell {
        Cell::Empty => return Ok(()),
        Cell::Text(text) => sheet.write_string(row, column, excel_text(&text))?,
        Cell::Number(n) => match n.as_f64().filter(|f| f.is_finite()) {
            Some(value) => sheet.write_number(row, column, value)?,
            None => sheet.write_string(row, column, n.to_string())?,
        },
        Cell::Whole(n) => sheet.write_number(row, column, n as f64)?,
        Cell::Flag(flag) => sheet.write_number(row, column, if flag { 1.0 } else { 0.0 })?,
    };
    Ok(())
}

/// Writes the table as an XLSX workbook: a "Responses" sheet with the same
/// cells as [`write_csv`] (header row bold; text as string cells, never
/// formulas; numbers, versions and 1/0 as number cells) and a "Questions"
/// sheet (id, label, type, options). Rows go through a temporary file
/// (rust_xlsxwriter's constant-memory mode), so memory stays flat; nothing
/// reaches `out` until every response has been read. Returns the number of
/// responses written.
pub fn write_xlsx<W: Write + Send>(
    out: W,
    versions: &[&Survey],
    options: &ExportOptions,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    let table = Table::new(versions, options)?;
    let width = u16::try_from(table.width())
        .ok()
        .filter(|w| *w <= XLSX_MAX_COLUMNS)
        .ok_or(ExportError::TooManyColumns {
            limit: XLSX_MAX_COLUMNS,
            needed: table.width(),
        })?;
    let bold = CellFormat::new().set_bold();
    let when = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let mut workbook = Workbook::new();
    let mut rows: u32 = 0;
    {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Responses")?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_column_width(0, 11)?;
        sheet.set_column_width(1, 27)?;
        let mut submitted_at_column = None;
        for (column, header) in (0..width).zip(table.header()) {
            if header == "submitted_at" {
                submitted_at_column = Some(column);
            }
            sheet.write_string_with_format(0, column, excel_text(&header), &bold)?;
        }
        let mut submitted_at = String::new();
        for response in options.filter(responses) {
            let response = response?;
            if rows >= XLSX_MAX_RESPONSES {
                return Err(ExportError::TooManyRows {
                    limit: XLSX_MAX_RESPONSES,
                });
            }
            rows += 1;
            format_time(response.submitted_at, &mut submitted_at);
            for (column, cell) in (0..width).zip(table.row(&response, &submitted_at)) {
                if Some(column) == submitted_at_column {
                    // A date-time cell (in UTC, to the second), which a spreadsheet sorts,
                    // filters and adds to as a date; the text of the CSV otherwise.
                    if let Ok(at) =
                        ExcelDateTime::from_timestamp(response.submitted_at.unix_timestamp())
                    {
                        sheet.write_datetime_with_format(rows, column, &at, &when)?;
                        continue;
                    }
                }
                write_xlsx_cell(sheet, rows, column, cell)?;
            }
        }
    }
    questions_sheet(workbook.add_worksheet(), &table, &bold)?;
    workbook.save_to_writer(out)?;
    Ok(rows.into())
}

/// The "Questions" sheet: what each column of the table asked, in the
/// newest version that asks it.
fn questions_sheet(
    sheet: &mut Worksheet,
    table: &Table<'_>,
    bold: &CellFormat,
) -> Result<(), XlsxError> {
    sheet.set_name("Questions")?;
    sheet.set_freeze_panes(1, 0)?;
    for (column, (header, width)) in [("id", 24), ("label", 60), ("type", 16), ("options", 60)]
        .into_iter()
        .enumerate()
    {
        let column = column as u16;
        sheet.write_string_with_format(0, column, header, bold)?;
        sheet.set_column_width(column, width)?;
    }
    let wrap = CellFormat::new().set_text_wrap();
    let mut row = 0;
    let mut seen: Vec<&str> = Vec::new();
    for column in &table.columns {
        let id = match column {
            Column::Answer { question, .. } | Column::Option { question, .. } => question.as_str(),
            Column::Specify { .. } => continue,
        };
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let Some(question) = table.versions.iter().find_map(|s| s.question(id)) else {
            continue;
        };
        row += 1;
        let options: Vec<String> = question
            .options()
            .iter()
            .map(|o| format!("{} = {}", o.value(), o.label().default_text()))
            .collect();
        sheet.write_string(row, 0, excel_text(id))?;
        sheet.write_string_with_format(
            row,
            1,
            excel_text(question.label().default_text()),
            &wrap,
        )?;
        sheet.write_string(row, 2, question.type_name())?;
        if !options.is_empty() {
            sheet.write_string_with_format(row, 3, excel_text(&options.join("\n")), &wrap)?;
        }
    }
    Ok(())
}

/// Writes the responses as one JSON array, as stored, with their metadata.
/// Returns the number written.
pub fn write_json<W: Write>(
    mut out: W,
    options: &ExportOptions,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    out.write_all(b"[")?;
    let mut rows = 0;
    for response in options.filter(responses) {
        let response = response?;
        if rows > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut out, &response.for_export(options.collected_by))
            .map_err(io::Error::from)?;
        rows += 1;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(rows)
}

/// Writes the responses as newline-delimited JSON, one response a line.
/// Returns the number written.
pub fn write_ndjson<W: Write>(
    mut out: W,
    options: &ExportOptions,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    let mut rows = 0;
    for response in options.filter(responses) {
        serde_json::to_writer(&mut out, &response?.for_export(options.collected_by))
            .map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

/// Writes an export in any format: what the CLI and the download handler
/// call. Refuses a `version` the survey does not have before writing
/// anything, whatever the format. Returns the number of responses written.
pub fn write<W: Write + Send>(
    format: Format,
    out: W,
    versions: &[&Survey],
    options: &ExportOptions,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    covered(versions, options)?;
    match format {
        Format::Csv => write_csv(out, versions, options, responses),
        Format::Xlsx => write_xlsx(out, versions, options, responses),
        Format::Json => write_json(out, options, responses),
        Format::Ndjson => write_ndjson(out, options, responses),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starts() {
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "@SUM(1)",
            "+1",
            "-1+1",
            "\t=1",
            "\r=1",
            "\n=1",
        ] {
            assert!(neutralise(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(neutralise("a\";=1"), "a\";=1");
        assert_eq!(neutralise("Plain text"), "Plain text");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn excel_text_uses_excel_line_breaks_and_fits_the_cell() {
        assert!(matches!(
            excel_text("Plain, with\ttab\nand LF"),
            Cow::Borrowed(_)
        ));
        assert_eq!(excel_text("a\r\nb\rc\n\rd"), "a\nb\nc\n\nd");
        assert_eq!(
            excel_text("bell\u{7}\u{1b}[0m \u{fffe}\u{ffff}"),
            "bell[0m \u{fffd}\u{fffd}"
        );
        let units = |text: &str| text.encode_utf16().count();
        let full = "x".repeat(32_767);
        assert!(
            matches!(excel_text(&full), Cow::Borrowed(_)),
            "exactly full fits"
        );
        let over = format!("{full}y");
        let cut = excel_text(&over);
        assert_eq!(units(&cut), 32_767);
        assert!(cut.ends_with("x…"));
        // An emoji is two UTF-16 units: it is never split at the limit.
        let emoji = format!("{}🎉🎉", "x".repeat(32_765));
        let cut = excel_text(&emoji);
        assert_eq!(cut, format!("{}…", "x".repeat(32_765)));
        // What is dropped does not count towards the limit.
        let with_returns = format!("{}\r\n", "x".repeat(32_766));
        assert_eq!(
            excel_text(&with_returns),
            format!("{}\n", "x".repeat(32_766))
        );
    }

    fn at(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &Rfc3339).expect("a test time")
    }

    #[test]
    fn dates_cover_whole_days_and_times_are_exact() {
        let options =
            ExportOptions::parse(Some("2026-03-01"), Some("2026-03-02"), None, None).unwrap();
        assert_eq!(options.from, Some(at("2026-03-01T00:00:00Z")));
        assert_eq!(options.to, Some(at("2026-03-02T23:59:59.999999999Z")));
        let options = ExportOptions::parse(
            Some(" 2026-03-01T09:30:00+01:00 "),
            Some("2026-03-01T09:30:00Z"),
            Some("2"),
            Some("TRUE"),
        )
        .unwrap();
        assert_eq!(options.from, Some(at("2026-03-01T08:30:00Z")));
        assert_eq!(options.to, Some(at("2026-03-01T09:30:00Z")));
        assert_eq!(options.version, Some(2));
        assert!(options.labels);
        // The same day as from and to is that whole day.
        assert!(ExportOptions::parse(Some("2026-03-01"), Some("2026-03-01"), None, None).is_ok());
        // Blank is not given (an HTML form's empty field).
        assert_eq!(
            ExportOptions::parse(Some(""), Some(" "), Some(""), Some("")).unwrap(),
            ExportOptions::default()
        );
    }

    #[test]
    fn refusals_name_the_field_and_the_accepted_forms() {
        let error = |from: Option<&str>, to: Option<&str>, version, labels| {
            ExportOptions::parse(from, to, version, labels)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(Some("2026-13-01"), None, None, None),
            "from: \"2026-13-01\" is not a date; write YYYY-MM-DD or an RFC 3339 time such as 2026-03-01T09:30:00Z"
        );
        assert!(error(None, Some("2026-02-30"), None, None).starts_with("to: \"2026-02-30\""));
        assert!(error(None, Some("yesterday"), None, None).starts_with("to: \"yesterday\""));
        assert_eq!(
            error(Some("2026-03-02"), Some("2026-03-01"), None, None),
            "from (2026-03-02) is after to (2026-03-01), so no response could match; swap them"
        );
        assert!(error(None, None, Some("two"), None).starts_with("version: \"two\""));
        assert!(error(None, None, Some("0"), None).starts_with("version: \"0\""));
        assert_eq!(
            error(None, None, None, Some("maybe")),
            "labels: \"maybe\" is not true or false"
        );
        let long = "9".repeat(1000);
        assert!(error(Some(&long), None, None, None).len() < 200);
    }

    #[test]
    fn formats() {
        assert_eq!("XLSX".parse::<Format>().unwrap(), Format::Xlsx);
        assert_eq!(
            "pdf".parse::<Format>().unwrap_err().to_string(),
            "format: \"pdf\" is not an export format; write csv, xlsx, json or ndjson"
        );
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>().unwrap(), format);
            assert!(!format.content_type().is_empty());
        }
        assert_eq!(Format::Csv.content_type(), "text/csv; charset=utf-8");
        assert_eq!(Format::Xlsx.extension(), "xlsx");
        let query = ExportQuery {
            format: Some("ndjson".into()),
            version: Some("3".into()),
            ..ExportQuery::default()
        };
        let (format, options) = query.parse().unwrap();
        assert_eq!((format, options.version), (Format::Ndjson, Some(3)));
        assert_eq!(ExportQuery::default().parse().unwrap().0, Format::Csv);
    }
}
