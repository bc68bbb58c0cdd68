//! Fuzz target: CSV and XLSX exports of arbitrary stored answers never fail, keep their shape, and never let a cell become a formula.
//!
//! Stored responses passed `Survey::accept` once, but under whichever version
//! they answered; an export lays every version's answers into one table, so
//! a cell can hold any JSON the store holds. This builds such responses from
//! structured input (texts, numbers, lists, objects; ids of real questions
//! and stray ones) and writes them with the collector's own writers.

#![no_main]

use std::io::Cursor;
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use calamine::{Data, Reader, Xlsx};
use libfuzzer_sys::fuzz_target;
use serde_json::{Number, Value};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;
use voices_collector::export::{
    ExportOptions, METADATA_COLUMNS, neutralise, write_csv, write_xlsx,
};
use voices_collector::receipt::Receipt;
use voices_collector::store::StoredResponse;
use voices_shared::{Channel, Survey};

/// The receipt alphabet (collector/src/receipt.rs); `Receipt::parse` checks it.
const RECEIPT_ALPHABET: &[u8; 25] = b"346789ABCDEFGHJKMNPQRTWXY";

/// Texts no longer than this go into a cell: Excel's limit is 32,767
/// characters and the longest answer `Survey::accept` lets through is 10,000.
const MAX_TEXT_CHARS: usize = 10_000;

/// Texts known to trouble spreadsheets, so the fuzzer need not find them
/// byte by byte: formula starts, quotes and separators, XML and XLSX escapes
/// (`_x0041_` is how XLSX writes a character), controls, and right-to-left,
/// zero-width and astral characters.
const PAYLOADS: &[&str] = &[
    "=1+1",
    "=HYPERLINK(\"http://evil.example\",\"Click\")",
    "+44 7700 900 982",
    "-1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "\n=1",
    " =1",
    "'=1",
    "\"quoted\", with, commas",
    "line one\r\nline two",
    "_x0041_",
    "_x000D_",
    "_x005F_x0041_",
    "&amp; <b>not bold</b> ]]>",
    "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}",
    "\u{85}\u{2028}\u{2029}",
    "\u{feff}\u{200b}\u{200d}",
    "\u{202e}evil\u{202c}",
    "مرحبا بالعالم",
    "Łódź",
    "Gàidhlig",
    "😀👩‍👩‍👧",
    "\u{fffe}\u{ffff}",
    "  leading and trailing  ",
];

/// The published versions of each survey an export may cover.
static SURVEYS: LazyLock<Vec<Vec<Survey>>> = LazyLock::new(|| {
    let parse = |json: &str| Survey::parse(json).expect("the fuzz surveys are valid");
    let engagement = include_str!("../../examples/surveys/engagement-2026.json");
    vec![
        vec![parse(engagement)],
        vec![parse(engagement), engagement_v2(engagement)],
        vec![parse(include_str!(
            "../../examples/surveys/community-transport.json"
        ))],
        vec![parse(include_str!("../surveys/conditions.json"))],
    ]
});

/// A second version of engagement-2026 in which "ways" became single choice
/// and "comments" a number, so one column holds answers of two types.
fn engagement_v2(json: &str) -> Survey {
    let mut value: Value = serde_json::from_str(json).expect("JSON");
    value["version"] = 2.into();
    for page in value["pages"].as_array_mut().expect("pages") {
        for question in page["questions"].as_array_mut().expect("questions") {
            let question = question.as_object_mut().expect("a question");
            match question["id"].as_str() {
                Some("ways") => {
                    question.insert("type".into(), "single_choice".into());
                    question.remove("max_selected");
                }
                Some("comments") => {
                    question.insert("type".into(), "number".into());
                    question.remove("multiline");
                    question.remove("max_length");
                }
                _ => {}
            }
        }
    }
    Survey::from_value(&value).expect("version 2 is valid")
}

#[derive(Debug, Arbitrary)]
struct Input {
    survey: u8,
    labels: bool,
    /// Export only the version at this index of the survey's versions.
    only_version: Option<u8>,
    responses: Vec<Response>,
}

#[derive(Debug, Arbitrary)]
struct Response {
    receipt: [u8; 8],
    submitted_at: i64,
    offset_minutes: i16,
    version: VersionChoice,
    locale: Text,
    channel: u8,
    answers: Vec<(Key, Answer)>,
    specify: Vec<(Key, Text)>,
}

#[derive(Debug, Arbitrary)]
enum VersionChoice {
    Published(u8),
    Other(u32),
}

#[derive(Debug, Arbitrary)]
enum Key {
    /// The question at this index in survey order (of any version).
    Question(u8),
    /// An id no version has.
    Stray(String),
}

/// A text: a known troublemaker, any string, or one then the other.
#[derive(Debug, Arbitrary)]
enum Text {
    Payload(u8),
    Any(String),
    PayloadThen(u8, String),
}

#[derive(Debug, Arbitrary)]
enum Answer {
    Text(Text),
    Int(i64),
    Whole(u64),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<Leaf>),
    Object(Vec<(String, Leaf)>),
}

#[derive(Debug, Arbitrary)]
enum Leaf {
    Text(Text),
    /// The option at this index of the question's options.
    Option(u8),
    Int(i64),
    Float(f64),
    Null,
}

fn text(text: Text) -> String {
    let payload = |i: u8| PAYLOADS[usize::from(i) % PAYLOADS.len()];
    let raw = match text {
        Text::Payload(i) => payload(i).to_owned(),
        Text::Any(any) => any,
        Text::PayloadThen(i, any) => format!("{}{any}", payload(i)),
    };
    match raw.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => raw[..end].to_owned(),
        None => raw,
    }
}

fn number(n: f64) -> Value {
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

fn leaf(leaf: Leaf, options: &[String]) -> Value {
    match leaf {
        Leaf::Text(t) => Value::String(text(t)),
        Leaf::Option(i) if !options.is_empty() => {
            Value::String(options[usize::from(i) % options.len()].clone())
        }
        Leaf::Option(i) => Value::from(i),
        Leaf::Int(n) => Value::from(n),
        Leaf::Float(n) => number(n),
        Leaf::Null => Value::Null,
    }
}

fn answer(answer: Answer, options: &[String]) -> Value {
    match answer {
        Answer::Text(t) => Value::String(text(t)),
        Answer::Int(n) => Value::from(n),
        Answer::Whole(n) => Value::from(n),
        Answer::Float(n) => number(n),
        Answer::Bool(b) => Value::Bool(b),
        Answer::Null => Value::Null,
        Answer::List(items) => Value::Array(items.into_iter().map(|l| leaf(l, options)).collect()),
        Answer::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, l)| (k, leaf(l, options)))
                .collect(),
        ),
    }
}

/// Question ids in survey order across versions, each with its options' values.
fn questions(versions: &[Survey]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for survey in versions {
        for question in survey.questions() {
            if out.iter().all(|(id, _)| id != question.id()) {
                let options = question
                    .options()
                    .iter()
                    .map(|o| o.value().to_owned())
                    .collect();
                out.push((question.id().to_owned(), options));
            }
        }
    }
    out
}

fn stored(
    input: Response,
    versions: &[Survey],
    questions: &[(String, Vec<String>)],
) -> StoredResponse {
    let receipt: String = input
        .receipt
        .iter()
        .map(|b| RECEIPT_ALPHABET[usize::from(*b) % RECEIPT_ALPHABET.len()] as char)
        .collect();
    // Any instant `time` can hold, seen from any offset it allows.
    let (min, max) = (
        OffsetDateTime::new_utc(time::Date::MIN, time::Time::MIDNIGHT).unix_timestamp(),
        OffsetDateTime::new_utc(time::Date::MAX, time::Time::MIDNIGHT).unix_timestamp(),
    );
    let seconds = min + input.submitted_at.rem_euclid(max - min);
    let offset = UtcOffset::from_whole_seconds(i32::from(input.offset_minutes % (24 * 60)) * 60)
        .unwrap_or(UtcOffset::UTC);
    let submitted_at = OffsetDateTime::from_unix_timestamp(seconds)
        .expect("in range")
        .checked_to_offset(offset)
        .unwrap_or_else(|| OffsetDateTime::from_unix_timestamp(seconds).expect("in range"));
    let key = |key: Key| match key {
        Key::Question(i) => questions[usize::from(i) % questions.len()].clone(),
        Key::Stray(id) => (id, Vec::new()),
    };
    let answers = input
        .answers
        .into_iter()
        .map(|(k, a)| {
            let (id, options) = key(k);
            (id, answer(a, &options))
        })
        .collect();
    let specify = input
        .specify
        .into_iter()
        .map(|(k, t)| (key(k).0, text(t)))
        .collect();
    StoredResponse {
        receipt: Receipt::parse(&receipt).expect("a receipt from its alphabet"),
        survey_id: versions[0].id().to_owned(),
        survey_version: match input.version {
            VersionChoice::Published(i) => versions[usize::from(i) % versions.len()].version(),
            VersionChoice::Other(v) => v,
        },
        submitted_at,
        submission_id: Uuid::nil(),
        locale: text(input.locale),
        channel: Channel::ALL[usize::from(input.channel) % Channel::ALL.len()],
        answers,
        specify,
        started_at: None,
        withdrawal_hash: None,
        collected_by: None,
    }
}

fuzz_target!(|input: Input| {
    let versions = &SURVEYS[usize::from(input.survey) % SURVEYS.len()];
    let questions = questions(versions);
    let responses: Vec<StoredResponse> = input
        .responses
        .into_iter()
        .take(16)
        .map(|r| stored(r, versions, &questions))
        .collect();
    let options = ExportOptions {
        labels: input.labels,
        version: input
            .only_version
            .map(|i| versions[usize::from(i) % versions.len()].version()),
        ..ExportOptions::default()
    };
    let included: Vec<&StoredResponse> = responses.iter().filter(|r| options.includes(r)).collect();
    let refs: Vec<&Survey> = versions.iter().collect();
    // Choice cells show labels, not values, when asked: their text is not checked cell by cell.
    let labelled = |id: &str| {
        options.labels
            && versions
                .iter()
                .any(|s| s.question(id).is_some_and(|q| !q.options().is_empty()))
    };

    // CSV.
    let mut csv_bytes = Vec::new();
    let rows = write_csv(
        &mut csv_bytes,
        &refs,
        &options,
        responses.iter().cloned().map(Ok),
    )
    .expect("a CSV export to memory never fails");
    assert_eq!(rows, included.len() as u64);
    let body = csv_bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("the CSV starts with a byte-order mark");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .collect::<Result<_, _>>()
        .expect("the CSV reads back, every row as wide as the header");
    assert_eq!(
        records.len(),
        included.len() + 1,
        "one row per response after the header"
    );
    let header = &records[0];
    assert_eq!(
        &header.iter().take(5).collect::<Vec<_>>(),
        &METADATA_COLUMNS
    );
    // The answer columns (a question's id, past the metadata) and the specify
    // columns (`question.option.specify`), found by header as staff would.
    let answer_columns: Vec<(usize, &str)> = header
        .iter()
        .enumerate()
        .skip(METADATA_COLUMNS.len())
        .filter(|(_, name)| versions.iter().any(|s| s.question(name).is_some()))
        .collect();
    let specify_columns: Vec<(usize, &str)> = header
        .iter()
        .enumerate()
        .skip(METADATA_COLUMNS.len())
        .filter_map(|(at, name)| Some((at, name.strip_suffix(".specify")?.split('.').next()?)))
        .collect();
    for (record, response) in records[1..].iter().zip(&included) {
        for field in record {
            // Only a number cell may start like a formula (`-3`); text never does.
            if field.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
                assert!(
                    serde_json::from_str::<Number>(field).is_ok(),
                    "a cell reads as a formula: {field:?}"
                );
            }
        }
        assert_eq!(&record[0], response.receipt.as_str());
        if let Ok(at) = OffsetDateTime::parse(&record[1], &Rfc3339) {
            assert_eq!(at, response.submitted_at, "submitted_at");
        }
        assert_eq!(record[2], response.survey_version.to_string());
        assert_eq!(&record[3], neutralise(&response.locale));
        assert_eq!(&record[4], response.channel.as_str());
        for &(at, id) in &answer_columns {
            match response.answers.get(id) {
                Some(Value::String(s)) if !labelled(id) => assert_eq!(&record[at], neutralise(s)),
                Some(Value::Number(n)) => assert_eq!(record[at], n.to_string()),
                None | Some(Value::Null | Value::Bool(false)) => assert_eq!(&record[at], ""),
                Some(Value::Bool(true)) => assert_eq!(&record[at], "1"),
                Some(_) => {}
            }
        }
        for &(at, id) in &specify_columns {
            let expected = response
                .specify
                .get(id)
                .map_or("".into(), |t| neutralise(t));
            assert_eq!(&record[at], expected, "specify text of {id}");
        }
    }

    // XLSX: the same rows, text as string cells exactly as stored.
    let mut xlsx_bytes = Vec::new();
    let rows = write_xlsx(
        &mut xlsx_bytes,
        &refs,
        &options,
        responses.iter().cloned().map(Ok),
    )
    .expect("an XLSX export to memory never fails");
    assert_eq!(rows, included.len() as u64);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx_bytes)).expect("calamine opens the XLSX");
    let sheet = book
        .worksheet_range("Responses")
        .expect("a Responses sheet");
    assert_eq!(sheet.start(), Some((0, 0)));
    let cell = |row: usize, column: usize| sheet.get((row, column)).cloned().unwrap_or(Data::Empty);
    for (row, response) in included.iter().enumerate() {
        let row = row + 1;
        assert_eq!(
            cell(row, 0),
            Data::String(response.receipt.as_str().to_owned())
        );
        if !response.locale.is_empty() {
            assert_xlsx_text(cell(row, 3), &response.locale, "locale");
        }
        assert_eq!(
            cell(row, 2),
            Data::Float(f64::from(response.survey_version))
        );
        for &(at, id) in &answer_columns {
            match response.answers.get(id) {
                Some(Value::String(s)) if !labelled(id) && !s.is_empty() => {
                    assert_xlsx_text(cell(row, at), s, id)
                }
                Some(Value::Number(n)) => {
                    if let Some(f) = n.as_f64().filter(|f| f.is_finite()) {
                        assert_eq!(cell(row, at), Data::Float(f), "answer to {id}");
                    }
                }
                _ => {}
            }
        }
        for &(at, id) in &specify_columns {
            if let Some(t) = response.specify.get(id).filter(|t| !t.is_empty()) {
                assert_xlsx_text(cell(row, at), t, id);
            }
        }
    }
});

/// A text cell reads back as the text stored, with the changes that the
/// collector's `excel_text` makes and documents (line breaks as LF, other
/// controls dropped, U+FFFE/U+FFFF as U+FFFD), written out again here so that
/// both sides cannot agree by accident. Texts are at most 10,000 characters,
/// well inside Excel's cell limit, so nothing is cut. Before `excel_text`,
/// rust_xlsxwriter 0.102 garbled `_xHHHH` just before such a character
/// (finding 3 in FUZZING.md).
#[track_caller]
fn assert_xlsx_text(cell: Data, text: &str, what: &str) {
    let mut want = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                want.push('\n');
            }
            '\t' | '\n' => want.push(c),
            '\u{fffe}' | '\u{ffff}' => want.push('\u{fffd}'),
            c if c.is_control() => {}
            c => want.push(c),
        }
    }
    if want.is_empty() {
        // Text of controls alone leaves nothing to write.
        assert!(
            matches!(&cell, Data::Empty) || cell == Data::String(want),
            "{what}: {cell:?}"
        );
    } else {
        assert_eq!(cell, Data::String(want), "{what}: {text:?}");
    }
}
