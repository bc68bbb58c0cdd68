//! Responses out: CSV that opens correctly in Excel, JSON and NDJSON, written as they are read.
//!
//! The CSV's columns are the union of every published version's questions,
//! newest version's order first, so one file covers a survey that changed.

use std::io::{self, Write};

use serde_json::Value;
use voices_shared::{QuestionKind, Survey};

use crate::store::{StoreError, StoredResponse};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Ndjson,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export failed: {0}")]
    Write(#[from] io::Error),
    #[error("writing the export failed: {0}")]
    Csv(#[from] csv::Error),
}

/// The metadata columns that open every CSV row.
pub const METADATA_COLUMNS: [&str; 5] = [
    "receipt",
    "submitted_at",
    "survey_version",
    "locale",
    "channel",
];

#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// The answer itself (every type but multiple choice).
    Answer { question: String },
    /// 1/0 for one option of a multiple-choice question.
    Option { question: String, value: String },
    /// The "please specify" text of a question.
    Specify { question: String, option: String },
}

impl Column {
    fn header(&self) -> String {
        match self {
            Column::Answer { question } => question.clone(),
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

/// Makes text safe to open in a spreadsheet: a cell starting with `=`, `+`,
/// `-`, `@`, tab, CR or LF would be read as a formula, so it gets a leading `'`.
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn cell(column: &Column, response: &StoredResponse) -> String {
    match column {
        Column::Answer { question } => match response.answers.get(question) {
            None => String::new(),
            Some(Value::String(text)) => neutralise(text),
            Some(Value::Bool(true)) => "1".to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            Some(other) => neutralise(&other.to_string()),
        },
        Column::Option { question, value } => match response.answers.get(question) {
            Some(answer @ Value::Array(_)) => if voices_shared::is_chosen(Some(answer), value) {
                "1"
            } else {
                "0"
            }
            .to_owned(),
            _ => String::new(),
        },
        Column::Specify { question, .. } => response
            .specify
            .get(question)
            .map(|t| neutralise(t))
            .unwrap_or_default(),
    }
}

/// Writes responses as CSV: UTF-8 with a byte-order mark (so Excel reads it
/// as UTF-8), RFC 4180 quoting, metadata columns first. Returns the row count.
pub fn write_csv<W: Write>(
    out: W,
    versions: &[&Survey],
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let columns = columns(versions);
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let header: Vec<String> = METADATA_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(columns.iter().map(Column::header))
        .collect();
    writer.write_record(&header)?;
    let mut rows = 0;
    for response in responses {
        let response = response?;
        let mut record = vec![
            response.receipt.to_string(),
            response
                .submitted_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            response.survey_version.to_string(),
            response.locale.clone(),
            response.channel.as_str().to_owned(),
        ];
        record.extend(columns.iter().map(|column| cell(column, &response)));
        writer.write_record(&record)?;
        rows += 1;
    }
    writer.flush()?;
    Ok(rows)
}

/// Writes responses as one JSON array, as stored, with their metadata.
pub fn write_json<W: Write>(
    mut out: W,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    out.write_all(b"[")?;
    let mut rows = 0;
    for response in responses {
        let response = response?;
        if rows > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut out, &response).map_err(io::Error::from)?;
        rows += 1;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(rows)
}

/// Writes responses as newline-delimited JSON, one response a line.
pub fn write_ndjson<W: Write>(
    mut out: W,
    responses: impl Iterator<Item = Result<StoredResponse, StoreError>>,
) -> Result<u64, ExportError> {
    let mut rows = 0;
    for response in responses {
        serde_json::to_writer(&mut out, &response?).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
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
}
