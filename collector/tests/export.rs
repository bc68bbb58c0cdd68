//! Exports read back: CSV with the `csv` crate and XLSX with calamine, from a real sled store, against the stored responses.

mod common;

use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use common::*;
use serde_json::{Value, json};
use tempfile::TempDir;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;
use voices_collector::catalog::{Catalog, Published};
use voices_collector::export::{self, ExportError, ExportOptions, Format};
use voices_collector::receipt::Receipt;
use voices_collector::store::{self, InsertOutcome, SledStore, Store, StoredResponse};
use voices_shared::{Channel, Submission, Survey};

/// A real store in a temporary directory, with its catalog.
struct Fixture {
    store: SledStore,
    catalog: Catalog,
    _dir: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = store::open(dir.path()).expect("the store opens");
        let catalog = Catalog::load(&store).expect("the empty store loads");
        Fixture {
            store,
            catalog,
            _dir: dir,
        }
    }

    fn publish(&self, survey: Survey) {
        self.catalog
            .publish(&self.store, survey)
            .expect("the survey publishes");
    }

    fn publish_json(&self, definition: Value) {
        let survey = Survey::from_value(&definition)
            .unwrap_or_else(|problems| panic!("a valid test survey:\n{problems}"));
        self.publish(survey);
    }

    fn versions(&self, id: &str) -> Vec<Arc<Published>> {
        self.catalog
            .all()
            .into_iter()
            .filter(|p| p.survey.id() == id)
            .collect()
    }

    /// Checks a submission with the survey's own rules and stores it as submitted at `at`.
    fn submit(&self, id: &str, body: Value, at: &str) -> StoredResponse {
        let submission: Submission = serde_json::from_value(body).expect("a submission");
        let published = self
            .catalog
            .version(id, submission.survey_version)
            .expect("a published version");
        let valid = published
            .survey
            .accept(submission)
            .unwrap_or_else(|problems| panic!("valid answers: {problems:?}"));
        let response = StoredResponse::new(id, valid, Receipt::generate(), time(at));
        self.insert(response)
    }

    /// Stores a response as given, without the survey's checks (which trim
    /// text): what an older collector, or an import, may have stored.
    fn insert(&self, response: StoredResponse) -> StoredResponse {
        assert_eq!(
            self.store.insert_response(&response).expect("stored"),
            InsertOutcome::Inserted
        );
        response
    }

    fn stored(&self, id: &str) -> Vec<StoredResponse> {
        self.store
            .responses(id)
            .collect::<Result<_, _>>()
            .expect("the responses read back")
    }

    /// Writes an export in `format` to memory; the bytes and the row count.
    fn export(&self, id: &str, format: Format, options: &ExportOptions) -> (Vec<u8>, u64) {
        let versions = self.versions(id);
        let surveys: Vec<&Survey> = versions.iter().map(|p| &p.survey).collect();
        let mut out = Vec::new();
        let rows = export::write(
            format,
            &mut out,
            &surveys,
            options,
            self.store.responses(id),
        )
        .unwrap_or_else(|e| panic!("the {format} export: {e}"));
        (out, rows)
    }

    fn csv(&self, id: &str, options: &ExportOptions) -> Vec<Vec<String>> {
        let (bytes, rows) = self.export(id, Format::Csv, options);
        let table = read_csv(&bytes);
        assert_eq!(rows as usize, table.len() - 1, "the row count returned");
        table
    }

    fn xlsx(&self, id: &str, options: &ExportOptions) -> Workbook {
        let (bytes, rows) = self.export(id, Format::Xlsx, options);
        let workbook = read_xlsx(bytes);
        assert_eq!(
            rows as usize,
            workbook.responses.len() - 1,
            "the row count returned"
        );
        workbook
    }
}

fn time(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).expect("a test time")
}

fn options(from: Option<&str>, to: Option<&str>, version: Option<&str>) -> ExportOptions {
    ExportOptions::parse(from, to, version, None).expect("valid options")
}

fn labelled() -> ExportOptions {
    ExportOptions::parse(None, None, None, Some("true")).expect("valid options")
}

/// A CSV export as rows of cells, header first; checks the BOM and the line ends.
fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a UTF-8 byte-order mark for Excel");
    let text = std::str::from_utf8(body).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "CRLF line ends: {text:?}");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body);
    reader
        .records()
        .map(|record| {
            record
                .expect("an RFC 4180 record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// An XLSX export read back with calamine.
struct Workbook {
    sheet_names: Vec<String>,
    responses: Vec<Vec<Data>>,
    /// Formulas of the Responses sheet: any non-empty one is a failure.
    formulas: Vec<String>,
    /// Whether each cell of the Responses sheet's first two rows is bold.
    bold: [Vec<bool>; 2],
    questions: Vec<Vec<String>>,
}

fn read_xlsx(bytes: Vec<u8>) -> Workbook {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("calamine opens the XLSX");
    let sheet_names = book.sheet_names();
    let responses: Vec<Vec<Data>> = book
        .worksheet_range("Responses")
        .expect("a Responses sheet")
        .rows()
        .map(<[Data]>::to_vec)
        .collect();
    let formulas = book
        .worksheet_formula("Responses")
        .expect("formulas readable")
        .used_cells()
        .map(|(_, _, formula)| formula.clone())
        .filter(|formula| !formula.is_empty())
        .collect();
    let styles = book.worksheet_style("Responses").expect("styles readable");
    let width = responses.first().map_or(0, Vec::len) as u32;
    let bold: [Vec<bool>; 2] = [0, 1].map(|row| {
        (0..width)
            .map(|column| {
                styles
                    .get((row, column))
                    .and_then(|style| style.font.as_ref())
                    .is_some_and(|font| font.is_bold())
            })
            .collect()
    });
    let questions = book
        .worksheet_range("Questions")
        .expect("a Questions sheet")
        .rows()
        .map(|row| row.iter().map(text_of).collect())
        .collect();
    Workbook {
        sheet_names,
        responses,
        formulas,
        bold,
        questions,
    }
}

/// A cell as the CSV would show it: numbers without a needless `.0`.
fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        // Excel's serial day number, from 1899-12-30, to the second.
        Data::DateTime(at) => {
            let seconds = ((at.as_f64() - 25_569.0) * 86_400.0).round() as i64;
            OffsetDateTime::from_unix_timestamp(seconds)
                .expect("a real time")
                .format(&Rfc3339)
                .expect("RFC 3339")
        }
        other => panic!("an unexpected cell type: {other:?}"),
    }
}

/// The test's own neutralisation rule, written out again so that a change to
/// export.rs's cannot make both sides agree by accident.
fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The header a one-version survey's CSV must have, worked out from the definition.
fn expected_header(survey: &Survey) -> Vec<String> {
    let mut header: Vec<String> = export::METADATA_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    for question in survey.questions().filter(|q| q.is_answerable()) {
        if question.type_name() == "multiple_choice" {
            for option in question.options() {
                header.push(format!("{}.{}", question.id(), option.value()));
            }
        } else {
            header.push(question.id().to_owned());
        }
        if let Some(option) = question.specify_option() {
            header.push(format!("{}.{}.specify", question.id(), option.value()));
        }
    }
    header
}

/// The cell the CSV must have for `column` of `response`, worked out from the stored response.
fn expected_cell(column: &str, response: &StoredResponse) -> String {
    match column {
        "receipt" => return response.receipt.to_string(),
        "submitted_at" => {
            return response
                .submitted_at
                .to_offset(time::UtcOffset::UTC)
                .format(&Rfc3339)
                .unwrap();
        }
        "survey_version" => return response.survey_version.to_string(),
        "locale" => return response.locale.clone(),
        "channel" => return response.channel.as_str().to_owned(),
        _ => {}
    }
    let parts: Vec<&str> = column.split('.').collect();
    match parts[..] {
        [question, _, "specify"] => response
            .specify
            .get(question)
            .map(|t| neutralised(t))
            .unwrap_or_default(),
        [question, option] => match response.answers.get(question) {
            None => String::new(),
            Some(Value::Array(chosen)) => {
                if chosen.iter().any(|c| c == option) {
                    "1".into()
                } else {
                    "0".into()
                }
            }
            Some(other) => panic!("a multiple-choice answer is a list, not {other}"),
        },
        [question] => match response.answers.get(question) {
            None => String::new(),
            Some(Value::String(text)) => neutralised(text),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(true)) => "1".into(),
            Some(other) => panic!("an unexpected answer {other}"),
        },
        _ => panic!("an unexpected column {column}"),
    }
}

/// Engagement-2026 responses that reach every kind of cell: options, specify
/// texts, numbers, a date, quoting, every channel, and all three locales.
fn engagement_responses(fixture: &Fixture) -> Vec<StoredResponse> {
    let mut full = engagement_submission();
    full["answers"]["barriers"] = json!(["transport", "caring"]);
    full["answers"]["support"] = json!("Evening sessions, please.\nAnd \"large print\", too.");
    full["answers"]["event_date"] = json!("2025-10-04");
    full["answers"]["hear_back_how"] = json!(["email", "newsletter"]);
    full["answers"]["comments"] = json!("Commas, \"quotes\"\r\nand a new line");
    full["answers"]["age_band"] = json!("65_74");

    let mut arabic = engagement_submission();
    arabic["locale"] = json!("ar");
    arabic["channel"] = json!("face_to_face");
    arabic["answers"]["comments"] = json!("شكراً لكم على الاستماع إلينا");
    arabic["answers"]["face_to_face_where"] = json!("مكتبة لوخي");
    arabic["specify"] = json!({"ways": "مجموعة واتساب 👍🏽"});

    let mut gaelic = engagement_submission();
    gaelic["locale"] = json!("pl");
    gaelic["channel"] = json!("phone");
    gaelic["answers"]["comments"] =
        json!("Tha mi a' fuireach ann an Dùn Dè — òran, càirdean, sùilean 🎉👩🏾‍🦽");
    gaelic["answers"]["connection"] = json!(["other"]);
    gaelic["specify"] = json!({"ways": "Zażółć gęślą jaźń", "connection": "Cùramaiche 💬"});

    let mut minimal = json!({
        "submission_id": Uuid::new_v4(),
        "survey_version": 1,
        "locale": "en",
        "channel": "paper",
        "answers": {
            "connection": ["uses_services"],
            "locality": "coldside",
            "ways": ["email"],
            "heard_back": "not_given",
            "agree": true
        }
    });
    minimal["answers"]["times_taken_part"] = json!(0);

    vec![
        fixture.submit(ENGAGEMENT, full, "2026-03-01T09:00:00Z"),
        fixture.submit(ENGAGEMENT, arabic, "2026-03-01T10:00:00.123456789Z"),
        fixture.submit(ENGAGEMENT, gaelic, "2026-03-02T11:00:00+01:00"),
        fixture.submit(ENGAGEMENT, minimal, "2026-03-03T12:00:00Z"),
    ]
}

#[test]
fn csv_equals_the_stored_responses_cell_by_cell() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    let inserted = engagement_responses(&fixture);
    let stored = fixture.stored(ENGAGEMENT);
    assert_eq!(stored, inserted, "the store gives back what was inserted");

    let table = fixture.csv(ENGAGEMENT, &ExportOptions::default());
    let header = expected_header(&example_survey(ENGAGEMENT));
    assert_eq!(table[0], header);
    assert_eq!(table.len(), stored.len() + 1, "one row per response");
    for (row, response) in table[1..].iter().zip(&stored) {
        assert_eq!(
            row.len(),
            header.len(),
            "every row is as wide as the header"
        );
        for (cell, column) in row.iter().zip(&header) {
            assert_eq!(
                cell,
                &expected_cell(column, response),
                "column {column} of {}",
                response.receipt
            );
        }
    }
    // A few cells spelled out, in case the oracle above shares a mistake with the code.
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(table[1][column("ways.face_to_face")], "1");
    assert_eq!(table[1][column("ways.phone")], "0");
    assert_eq!(
        table[1][column("ways.other.specify")],
        "At the carers centre coffee morning"
    );
    assert_eq!(table[1][column("informed")], "4");
    assert_eq!(table[1][column("agree")], "1");
    assert_eq!(table[1][column("event_date")], "2025-10-04");
    assert_eq!(
        table[1][column("comments")],
        "Commas, \"quotes\"\r\nand a new line"
    );
    assert_eq!(table[4][column("barriers.none")], "", "unanswered is empty");
    assert_eq!(table[4][column("times_taken_part")], "0");
    assert_eq!(table[2][column("channel")], "face_to_face");
    assert_eq!(
        table[2][column("submitted_at")],
        "2026-03-01T10:00:00.123456789Z"
    );
    assert_eq!(table[3][column("submitted_at")], "2026-03-02T10:00:00Z");
}

#[test]
fn xlsx_has_the_same_cells_as_the_csv_and_a_questions_sheet() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    engagement_responses(&fixture);
    fixture.insert(raw_response(
        json!({"comments": "-1+1", "face_to_face_where": "=1"}),
        json!({}),
    ));

    for options in [ExportOptions::default(), labelled()] {
        let csv = fixture.csv(ENGAGEMENT, &options);
        let book = fixture.xlsx(ENGAGEMENT, &options);
        assert_eq!(book.sheet_names, ["Responses", "Questions"]);
        assert!(book.formulas.is_empty(), "no formulas: {:?}", book.formulas);
        assert!(book.bold[0].iter().all(|b| *b), "a bold header row");
        assert!(!book.bold[1].iter().any(|b| *b), "plain answers");
        assert_eq!(book.responses.len(), csv.len());
        for (r, (xlsx_row, csv_row)) in book.responses.iter().zip(&csv).enumerate() {
            assert_eq!(xlsx_row.len(), csv_row.len(), "row {r} is as wide");
            for (c, (xlsx_cell, csv_cell)) in xlsx_row.iter().zip(csv_row).enumerate() {
                // The XLSX holds the text itself, with Excel's LF line
                // breaks; the CSV its neutralised form, line breaks as sent.
                let text = text_of(xlsx_cell);
                let (same, expected) = match xlsx_cell {
                    Data::String(_) => (neutralised(&text), csv_cell.replace("\r\n", "\n")),
                    // A date-time cell holds the second; the CSV's text, the nanosecond.
                    Data::DateTime(_) => {
                        let at = OffsetDateTime::parse(csv_cell, &Rfc3339).expect("a time");
                        let second = at.replace_nanosecond(0).expect("a second");
                        (text.clone(), second.format(&Rfc3339).expect("RFC 3339"))
                    }
                    _ => (text.clone(), csv_cell.replace("\r\n", "\n")),
                };
                assert_eq!(same, expected, "row {r}, column {} ({text:?})", csv[0][c]);
            }
        }
        // When it was submitted is a date-time cell, which a spreadsheet sorts and
        // filters as a date.
        let submitted_at = csv[0].iter().position(|h| h == "submitted_at").unwrap();
        assert!(
            book.responses[1..]
                .iter()
                .all(|row| matches!(row[submitted_at], Data::DateTime(_))),
            "submitted_at as date-time cells: {:?}",
            book.responses[1][submitted_at]
        );
        // Text is a string cell and numbers are numbers.
        let column = |name: &str| csv[0].iter().position(|h| h == name).unwrap();
        assert_eq!(
            book.responses[1][column("receipt")],
            Data::String(csv[1][0].clone())
        );
        assert_eq!(book.responses[1][column("informed")], Data::Float(4.0));
        assert_eq!(
            book.responses[1][column("ways.face_to_face")],
            Data::Float(1.0)
        );
        assert_eq!(
            book.responses[1][column("survey_version")],
            Data::Float(1.0)
        );
        assert_eq!(
            book.responses[1][column("event_date")],
            Data::String("2025-10-04".into())
        );
    }

    let book = fixture.xlsx(ENGAGEMENT, &ExportOptions::default());
    assert_eq!(book.questions[0], ["id", "label", "type", "options"]);
    let survey = example_survey(ENGAGEMENT);
    let asked: Vec<&str> = survey
        .questions()
        .filter(|q| q.is_answerable())
        .map(|q| q.id())
        .collect();
    let listed: Vec<&str> = book.questions[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(listed, asked, "one row per question, in survey order");
    let row = |id: &str| book.questions.iter().find(|r| r[0] == id).unwrap();
    assert_eq!(
        row("locality")[1..3],
        ["Which area do you live in?", "single_choice"]
    );
    let options: Vec<&str> = row("locality")[3].lines().collect();
    assert_eq!(options.len(), 10);
    assert_eq!(options[2], "lochee = Lochee");
    assert!(row("ways")[3].contains("other = Another way"));
    assert_eq!(row("informed")[2], "rating");
    assert_eq!(row("comments")[3], "", "no options for a text question");
}

/// An engagement-2026 version 1 response stored as given (not trimmed by the
/// survey's checks), with the required answers filled in.
fn raw_response(answers: Value, specify: Value) -> StoredResponse {
    let mut all = json!({
        "connection": ["uses_services", "other"],
        "locality": "lochee",
        "ways": ["face_to_face", "other"],
        "heard_back": "sometimes",
        "agree": true
    });
    for (key, value) in answers.as_object().unwrap() {
        all[key] = value.clone();
    }
    StoredResponse {
        receipt: Receipt::generate(),
        survey_id: ENGAGEMENT.to_owned(),
        survey_version: 1,
        submitted_at: time("2026-03-04T08:00:00Z"),
        submission_id: Uuid::new_v4(),
        locale: "en".to_owned(),
        channel: Channel::Online,
        answers: serde_json::from_value(all).unwrap(),
        specify: serde_json::from_value(specify).unwrap(),
        started_at: None,
        withdrawal_hash: None,
        collected_by: None,
    }
}

#[test]
fn formula_payloads_are_neutralised_in_csv_and_plain_strings_in_xlsx() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    let payloads = [
        "=HYPERLINK(\"http://x\")",
        "@SUM(1)",
        "+1",
        "-1+1",
        "\t=1",
        "a\";=1",
    ];
    // Every text cell of the survey carries a payload: free text and specify texts.
    for (i, payload) in payloads.iter().enumerate() {
        let other = payloads[(i + 1) % payloads.len()];
        fixture.insert(raw_response(
            json!({"comments": payload, "face_to_face_where": other, "support": payload}),
            json!({"connection": other, "ways": payload}),
        ));
    }
    let csv = fixture.csv(ENGAGEMENT, &ExportOptions::default());
    let book = fixture.xlsx(ENGAGEMENT, &ExportOptions::default());
    let column = |name: &str| csv[0].iter().position(|h| h == name).unwrap();
    let text_columns = [
        ("comments", 0),
        ("face_to_face_where", 1),
        ("support", 0),
        ("connection.other.specify", 1),
        ("ways.other.specify", 0),
    ];
    for (i, _) in payloads.iter().enumerate() {
        for (name, shift) in text_columns {
            let payload = payloads[(i + shift) % payloads.len()];
            let want = if payload == "a\";=1" {
                payload.to_owned()
            } else {
                format!("'{payload}")
            };
            assert_eq!(csv[i + 1][column(name)], want, "CSV {name} of {payload:?}");
            assert_eq!(
                book.responses[i + 1][column(name)],
                Data::String(payload.to_owned()),
                "XLSX {name} of {payload:?}: the text itself, as a string cell"
            );
        }
    }
    assert!(book.formulas.is_empty(), "no formulas: {:?}", book.formulas);
}

#[test]
fn unicode_survives_csv_and_xlsx() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    engagement_responses(&fixture);
    let csv = fixture.csv(ENGAGEMENT, &ExportOptions::default());
    let book = fixture.xlsx(ENGAGEMENT, &ExportOptions::default());
    let column = |name: &str| csv[0].iter().position(|h| h == name).unwrap();
    for (row, name, text) in [
        (2, "comments", "شكراً لكم على الاستماع إلينا"),
        (2, "face_to_face_where", "مكتبة لوخي"),
        (2, "ways.other.specify", "مجموعة واتساب 👍🏽"),
        (2, "locale", "ar"),
        (
            3,
            "comments",
            "Tha mi a' fuireach ann an Dùn Dè — òran, càirdean, sùilean 🎉👩🏾‍🦽",
        ),
        (3, "ways.other.specify", "Zażółć gęślą jaźń"),
        (3, "connection.other.specify", "Cùramaiche 💬"),
    ] {
        assert_eq!(csv[row][column(name)], text, "CSV {name}");
        assert_eq!(
            book.responses[row][column(name)],
            Data::String(text.to_owned()),
            "XLSX {name}"
        );
    }
}

/// fuzz target `export_cells`, finding 3 in FUZZING.md: rust_xlsxwriter
/// escaped literal `_xHHHH_` before it wrote CR as `_x000D_`, so `_x0041`
/// then CR came out as `_x0041_x000D_`, read as "A" then "x000D_". XLSX now
/// holds line breaks as Excel's own LF; the CSV keeps the text exactly.
#[test]
fn xlsx_keeps_escape_like_text_next_to_line_breaks() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    let texts = [
        (
            "See file_x0041\r\nand the rest",
            "See file_x0041\nand the rest",
        ),
        (
            "_x0041_ literal\rthen a lone CR",
            "_x0041_ literal\nthen a lone CR",
        ),
        ("ends in _x00AF\r", "ends in _x00AF\n"),
        ("_x000D_ is not a line break", "_x000D_ is not a line break"),
    ];
    for (sent, _) in texts {
        fixture.insert(raw_response(json!({"comments": sent}), json!({})));
    }
    let csv = fixture.csv(ENGAGEMENT, &ExportOptions::default());
    let book = fixture.xlsx(ENGAGEMENT, &ExportOptions::default());
    let column = csv[0].iter().position(|h| h == "comments").unwrap();
    for (row, (sent, in_excel)) in texts.into_iter().enumerate() {
        assert_eq!(csv[row + 1][column], sent, "CSV keeps {sent:?}");
        assert_eq!(
            book.responses[row + 1][column],
            Data::String(in_excel.to_owned()),
            "XLSX of {sent:?}"
        );
    }
}

/// A label longer than the 32,767 characters an Excel cell holds made every
/// XLSX download of its survey fail. It is now cut, ending in "…"; the CSV,
/// which has no such limit, keeps it whole.
#[test]
fn an_overlong_label_is_cut_in_xlsx_instead_of_failing_the_download() {
    let fixture = Fixture::new();
    let long = |word: &str| word.repeat(40_000 / word.len());
    fixture.publish_json(small_survey(
        "long",
        1,
        json!({"pages": [{"id": "p1", "questions": [
            {"id": "colour", "type": "single_choice", "label": long("Which colour? "),
             "options": [{"value": "red", "label": long("Scarlet 🔴 ")}, {"value": "blue", "label": "Blue"}]}
        ]}]}),
    ));
    fixture.submit(
        "long",
        json!({"submission_id": Uuid::new_v4(), "survey_version": 1, "locale": "en",
               "answers": {"colour": "red"}}),
        "2026-03-04T08:00:00Z",
    );
    let utf16 = |text: &str| text.encode_utf16().count();
    let book = fixture.xlsx("long", &labelled());
    let label = &book.questions[1][1];
    assert_eq!(utf16(label), 32_767, "the label fills the cell");
    assert!(label.starts_with("Which colour? Which colour?"));
    assert!(label.ends_with('…'), "and says it was cut");
    let Data::String(answer) = &book.responses[1][5] else {
        panic!("the labelled answer is text: {:?}", book.responses[1]);
    };
    assert!(
        utf16(answer) <= 32_767 && answer.ends_with('…'),
        "{}",
        utf16(answer)
    );
    assert!(answer.starts_with("Scarlet 🔴 Scarlet"));
    let csv = fixture.csv("long", &labelled());
    assert_eq!(
        csv[1][5],
        long("Scarlet 🔴 "),
        "the CSV holds the whole label"
    );
}

/// The receipts an export in `format` holds, in order.
fn receipts(fixture: &Fixture, id: &str, format: Format, options: &ExportOptions) -> Vec<String> {
    let (bytes, rows) = fixture.export(id, format, options);
    let receipts: Vec<String> = match format {
        Format::Csv => read_csv(&bytes)[1..].iter().map(|r| r[0].clone()).collect(),
        Format::Xlsx => read_xlsx(bytes).responses[1..]
            .iter()
            .map(|r| text_of(&r[0]))
            .collect(),
        Format::Json => {
            let all: Vec<StoredResponse> = serde_json::from_slice(&bytes).expect("a JSON array");
            all.into_iter().map(|r| r.receipt.to_string()).collect()
        }
        Format::Ndjson => std::str::from_utf8(&bytes)
            .unwrap()
            .lines()
            .map(|line| {
                let response: StoredResponse = serde_json::from_str(line).expect("a line");
                response.receipt.to_string()
            })
            .collect(),
    };
    assert_eq!(
        rows as usize,
        receipts.len(),
        "{format}: the row count returned"
    );
    receipts
}

#[test]
fn from_and_to_take_whole_days_or_exact_times_in_every_format() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    let at = [
        "2026-02-28T23:59:59.999999999Z",
        "2026-03-01T00:00:00Z",
        "2026-03-01T12:00:00Z",
        "2026-03-01T23:59:59.999999999Z",
        // 00:30 on 2 March in UTC, though 1 March in New York.
        "2026-03-01T19:30:00-05:00",
        "2026-03-02T00:00:00Z",
    ];
    let receipt: Vec<String> = at
        .iter()
        .map(|at| {
            fixture
                .submit(ENGAGEMENT, engagement_submission(), at)
                .receipt
                .to_string()
        })
        .collect();
    let pick = |indices: &[usize]| -> Vec<String> {
        indices.iter().map(|&i| receipt[i].clone()).collect()
    };
    let cases = [
        (
            options(Some("2026-03-01"), Some("2026-03-01"), None),
            pick(&[1, 2, 3]),
        ),
        (
            options(Some("2026-03-01"), None, None),
            pick(&[1, 2, 3, 4, 5]),
        ),
        (options(None, Some("2026-03-01"), None), pick(&[0, 1, 2, 3])),
        (
            options(
                Some("2026-03-01T12:00:00Z"),
                Some("2026-03-02T01:00:00+01:00"),
                None,
            ),
            // Both ends included, the same instant in another offset too.
            pick(&[2, 3, 5]),
        ),
        (
            options(
                Some("2026-03-02T00:30:00Z"),
                Some("2026-03-02T00:30:00Z"),
                None,
            ),
            pick(&[4]),
        ),
        (ExportOptions::default(), pick(&[0, 1, 2, 3, 4, 5])),
        (options(Some("2027-01-01"), None, None), vec![]),
    ];
    for (options, want) in cases {
        for format in Format::ALL {
            assert_eq!(
                receipts(&fixture, ENGAGEMENT, format, &options),
                want,
                "{format} with {options:?}"
            );
        }
    }
}

/// Two versions of a survey: v2 reorders, drops `old_only`, adds `new_q`, and
/// changes the options of `pets` (multiple choice) and `colour` (single).
fn two_versions(fixture: &Fixture) {
    fixture.publish_json(small_survey(
        "pets",
        1,
        json!({"pages": [{"id": "p1", "questions": [
            {"id": "colour", "type": "single_choice", "label": "Which colour?",
             "options": [{"value": "red", "label": "Red"}, {"value": "blue", "label": "Blue"}]},
            {"id": "pets", "type": "multiple_choice", "label": "Which pets?",
             "options": [{"value": "cat", "label": "Cat"}, {"value": "dog", "label": "Dog"}]},
            {"id": "old_only", "type": "text", "label": "Anything?"}
        ]}]}),
    ));
    fixture.publish_json(small_survey(
        "pets",
        2,
        json!({"pages": [{"id": "p1", "questions": [
            {"id": "pets", "type": "multiple_choice", "label": "Which pets now?",
             "options": [{"value": "dog", "label": "Dog"}, {"value": "fish", "label": "Fish"},
                         {"value": "other", "label": "Another", "specify": true}]},
            {"id": "intro", "type": "info", "label": "Nearly done", "body": "One more."},
            {"id": "colour", "type": "single_choice", "label": "Which colour?",
             "options": [{"value": "red", "label": "Scarlet"}, {"value": "blue", "label": "Blue"},
                         {"value": "green", "label": "Green"}]},
            {"id": "new_q", "type": "rating", "label": "How much?", "min": 1, "max": 5}
        ]}]}),
    ));
}

fn pets(version: u32, answers: Value, specify: Value) -> Value {
    json!({
        "submission_id": Uuid::new_v4(),
        "survey_version": version,
        "locale": "en",
        "answers": answers,
        "specify": specify,
    })
}

#[test]
fn columns_across_two_versions_are_the_union_newest_order_first() {
    let fixture = Fixture::new();
    two_versions(&fixture);
    fixture.submit(
        "pets",
        pets(
            1,
            json!({"colour": "red", "pets": ["cat"], "old_only": "Yes"}),
            json!({}),
        ),
        "2026-03-01T09:00:00Z",
    );
    fixture.submit(
        "pets",
        pets(
            2,
            json!({"colour": "green", "pets": ["dog", "other"], "new_q": 5}),
            json!({"pets": "A tortoise"}),
        ),
        "2026-03-02T09:00:00Z",
    );

    let table = fixture.csv("pets", &ExportOptions::default());
    let meta = &table[0][..5];
    assert_eq!(meta, export::METADATA_COLUMNS);
    assert_eq!(
        table[0][5..],
        [
            "pets.dog",
            "pets.fish",
            "pets.other",
            "pets.cat",
            "pets.other.specify",
            "colour",
            "new_q",
            "old_only"
        ]
    );
    assert_eq!(table[1][5..], ["0", "0", "0", "1", "", "red", "", "Yes"]);
    assert_eq!(
        table[2][5..],
        ["1", "0", "1", "0", "A tortoise", "green", "5", ""]
    );
    assert_eq!(table[1][2], "1");
    assert_eq!(table[2][2], "2");

    // The same table in the XLSX.
    let book = fixture.xlsx("pets", &ExportOptions::default());
    let header: Vec<String> = book.responses[0].iter().map(text_of).collect();
    assert_eq!(header, table[0]);
    let listed: Vec<&str> = book.questions[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(listed, ["pets", "colour", "new_q", "old_only"]);
    assert_eq!(
        book.questions[1][1], "Which pets now?",
        "the newest wording"
    );

    // One version: its own columns and responses only.
    let v1 = fixture.csv("pets", &options(None, None, Some("1")));
    assert_eq!(v1[0][5..], ["colour", "pets.cat", "pets.dog", "old_only"]);
    assert_eq!(v1.len(), 2);
    assert_eq!(v1[1][5..], ["red", "1", "0", "Yes"]);
    let v2 = receipts(
        &fixture,
        "pets",
        Format::Ndjson,
        &options(None, None, Some("2")),
    );
    assert_eq!(v2, [table[2][0].clone()]);

    // A version the survey never had is refused by name, before anything is written.
    let versions = fixture.versions("pets");
    let surveys: Vec<&Survey> = versions.iter().map(|p| &p.survey).collect();
    for format in Format::ALL {
        let mut out = Vec::new();
        let error = export::write(
            format,
            &mut out,
            &surveys,
            &options(None, None, Some("3")),
            fixture.store.responses("pets"),
        )
        .unwrap_err();
        assert!(
            matches!(error, ExportError::NoSuchVersion { version: 3, .. }),
            "{error}"
        );
        assert_eq!(
            error.to_string(),
            "survey \"pets\" has no version 3; its versions are 1, 2"
        );
        assert!(out.is_empty(), "{format}: nothing written");
    }
}

#[test]
fn labels_show_the_option_labels_in_the_default_locale() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    let response = fixture.submit(ENGAGEMENT, engagement_submission(), "2026-03-01T09:00:00Z");
    let mut echo = engagement_submission();
    // Free text that happens to equal an option value stays as typed.
    echo["answers"]["face_to_face_where"] = json!("lochee");
    fixture.submit(ENGAGEMENT, echo, "2026-03-01T10:00:00Z");

    let values = fixture.csv(ENGAGEMENT, &ExportOptions::default());
    let labels = fixture.csv(ENGAGEMENT, &labelled());
    let column = |name: &str| labels[0].iter().position(|h| h == name).unwrap();
    assert_eq!(labels[0], values[0], "the header keeps the ids");
    // Asked for, the header names the questions in their own words instead, the rows
    // unchanged: for a person reading the sheet, not a script.
    let worded = ExportOptions {
        label_headers: true,
        ..labelled()
    };
    for table in [
        fixture.csv(ENGAGEMENT, &worded),
        fixture
            .xlsx(ENGAGEMENT, &worded)
            .responses
            .iter()
            .map(|row| row.iter().map(text_of).collect::<Vec<_>>())
            .collect(),
    ] {
        assert_eq!(table[0].len(), values[0].len());
        assert_eq!(&table[0][..5], &values[0][..5], "metadata keeps its names");
        assert_eq!(table[0][column("locality")], "Which area do you live in?");
        assert_eq!(
            table[0][column("ways.face_to_face")],
            "How would you prefer to give us your views?: Face to face"
        );
        assert_eq!(
            table[0][column("ways.other.specify")],
            "How would you prefer to give us your views?: Another way (details)"
        );
        assert_eq!(table[1][column("locality")], "Lochee");
    }
    assert_eq!(values[1][column("locality")], "lochee");
    assert_eq!(labels[1][column("locality")], "Lochee");
    assert_eq!(values[1][column("heard_back")], "sometimes");
    assert_eq!(labels[1][column("heard_back")], "Sometimes");
    assert_eq!(
        labels[1][column("ways.face_to_face")],
        "1",
        "options stay 1/0"
    );
    assert_eq!(labels[1][column("informed")], "4");
    assert_eq!(labels[1][column("receipt")], response.receipt.to_string());
    assert_eq!(labels[2][column("face_to_face_where")], "lochee");
    assert_eq!(
        labels[1][column("channel")],
        "online",
        "metadata stays as stored"
    );
    for (r, row) in labels.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !["locality", "heard_back"].contains(&labels[0][c].as_str()) {
                assert_eq!(cell, &values[r][c], "only choice cells change");
            }
        }
    }

    // The default locale's label, whatever language the respondent used; and
    // each version's own wording.
    two_versions(&fixture);
    let gaelic = Fixture::new();
    gaelic.publish_json(small_survey(
        "dath",
        1,
        json!({
            "default_locale": "gd",
            "locales": ["gd", "en"],
            "title": {"gd": "Cunntas-bheachd", "en": "A poll"},
            "privacy": {"text": {"gd": "Prìobhaideachd", "en": "Privacy"}},
            "pages": [{"id": "p1", "questions": [{
                "id": "colour", "type": "single_choice",
                "label": {"gd": "Dè an dath?", "en": "Which colour?"},
                "options": [
                    {"value": "red", "label": {"gd": "Dearg", "en": "Red"}},
                    {"value": "blue", "label": {"gd": "Gorm", "en": "Blue"}}
                ]
            }]}]
        }),
    ));
    let mut english = small_submission(1);
    english["answers"]["colour"] = json!("red");
    gaelic.submit("dath", english, "2026-03-01T09:00:00Z");
    let table = gaelic.csv("dath", &labelled());
    assert_eq!(table[1][5], "Dearg");
    let book = gaelic.xlsx("dath", &labelled());
    assert_eq!(book.responses[1][5], Data::String("Dearg".into()));
    assert_eq!(
        book.questions[1][1..],
        ["Dè an dath?", "single_choice", "red = Dearg\nblue = Gorm"]
    );

    fixture.submit(
        "pets",
        pets(1, json!({"colour": "red"}), json!({})),
        "2026-03-01T09:00:00Z",
    );
    fixture.submit(
        "pets",
        pets(2, json!({"colour": "red", "pets": ["dog"]}), json!({})),
        "2026-03-01T09:00:00Z",
    );
    let table = fixture.csv("pets", &labelled());
    let colour = table[0].iter().position(|h| h == "colour").unwrap();
    assert_eq!(table[1][colour], "Red", "version 1 said Red");
    assert_eq!(table[2][colour], "Scarlet", "version 2 says Scarlet");
}

#[test]
fn json_and_ndjson_are_the_stored_responses() {
    let fixture = Fixture::new();
    fixture.publish(example_survey(ENGAGEMENT));
    engagement_responses(&fixture);
    let stored = fixture.stored(ENGAGEMENT);

    let (bytes, rows) = fixture.export(ENGAGEMENT, Format::Json, &ExportOptions::default());
    let array: Vec<StoredResponse> = serde_json::from_slice(&bytes).expect("a JSON array");
    assert_eq!(array, stored);
    assert_eq!(rows, 4);
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value[1]["locale"], "ar");
    assert!(value[0]["submitted_at"].is_string() && value[0]["receipt"].is_string());

    let (bytes, _) = fixture.export(ENGAGEMENT, Format::Ndjson, &ExportOptions::default());
    let lines: Vec<StoredResponse> = std::str::from_utf8(&bytes)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("one response a line"))
        .collect();
    assert_eq!(lines, stored);

    // Nothing matched: still valid JSON.
    let none = options(Some("2030-01-01"), None, None);
    let (bytes, rows) = fixture.export(ENGAGEMENT, Format::Json, &none);
    assert_eq!(rows, 0);
    assert_eq!(serde_json::from_slice::<Value>(&bytes).unwrap(), json!([]));
    let (bytes, rows) = fixture.export(ENGAGEMENT, Format::Ndjson, &none);
    assert_eq!((rows, bytes.len()), (0, 0));
}
