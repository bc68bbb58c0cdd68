//! What people said, counted: each question's answers with their counts and shares, small
//! numbers hidden (see `disclosure`), for the staff summary page and its download.
//!
//! Counts are over every response to the survey, all versions, against the questions of
//! the newest version (an answer to an option it no longer has is not counted). A share is
//! of everyone who responded, so the rows of a question add up to 100 % with "Not
//! answered" among them.

use std::collections::BTreeMap;

use voices_shared::serde_json::Value;
use voices_shared::{QuestionKind, Survey};

use crate::disclosure::{Counts, DEFAULT_THRESHOLD, MIN_THRESHOLD, one_way};
use crate::store::{Store, StoreError};

/// A count as a summary shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    /// Too small to show, or would reveal one that is.
    Hidden,
}

impl Shown {
    /// The share of `of` this is, in per cent, when both show and `of` is not zero.
    pub fn percent_of(self, of: Shown) -> Option<f64> {
        match (self, of) {
            (Shown::Count(n), Shown::Count(of)) if of > 0 => Some(n as f64 * 100.0 / of as f64),
            _ => None,
        }
    }
}

/// One answer of a question (an option, a point of a rating, or "Not answered").
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerCount {
    /// The option's value, the rating's number, or empty for "Not answered".
    pub value: String,
    pub label: String,
    pub count: Shown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    pub id: String,
    pub label: String,
    /// Several answers may be chosen, so the rows do not add up to everyone.
    pub multiple: bool,
    /// For choices and ratings: each answer. Empty for other questions.
    pub answers: Vec<AnswerCount>,
    /// How many answered it.
    pub answered: Shown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub respondents: Shown,
    pub threshold: u64,
    pub questions: Vec<QuestionSummary>,
}

/// Counts `survey`'s responses (blocking: call off the async threads).
pub fn summarise(store: &dyn Store, survey: &Survey) -> Result<Summary, StoreError> {
    let mut tally = Tally::default();
    for response in store.responses(survey.id()) {
        tally.add(survey, &response?.answers);
    }
    Ok(tally.summary(survey))
}

/// Raw counts, before anything is hidden.
#[derive(Debug, Default)]
struct Tally {
    respondents: u64,
    /// Question id → answer value → count.
    chosen: BTreeMap<String, BTreeMap<String, u64>>,
    answered: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, survey: &Survey, answers: &voices_shared::Answers) {
        self.respondents += 1;
        for question in survey.questions() {
            let Some(answer) = answers.get(question.id()) else {
                continue;
            };
            *self.answered.entry(question.id().to_owned()).or_default() += 1;
            let chosen = self.chosen.entry(question.id().to_owned()).or_default();
            match answer {
                Value::String(value) => *chosen.entry(value.clone()).or_default() += 1,
                Value::Number(n) => *chosen.entry(n.to_string()).or_default() += 1,
                Value::Array(values) => {
                    for value in values.iter().filter_map(Value::as_str) {
                        *chosen.entry(value.to_owned()).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
    }

    fn summary(&self, survey: &Survey) -> Summary {
        let threshold = survey
            .suppress_below()
            .map_or(DEFAULT_THRESHOLD, u64::from)
            .max(MIN_THRESHOLD);
        let everyone = self.respondents;
        // How many responded is shown on its own, so every table below has it as a total
        // that is either shown everywhere or hidden everywhere.
        let everyone_shown = everyone == 0 || everyone >= threshold;
        let respondents = if everyone_shown {
            Shown::Count(everyone)
        } else {
            Shown::Hidden
        };
        let questions = survey
            .questions()
            .filter(|q| !matches!(q.kind(), QuestionKind::Info { .. }))
            .map(|question| {
                let id = question.id();
                let counted = self.chosen.get(id);
                let count_of =
                    |value: &str| counted.and_then(|c| c.get(value)).copied().unwrap_or(0);
                let answered = self.answered.get(id).copied().unwrap_or(0);
                let mut answers: Vec<(String, String, u64)> = match question.kind() {
                    QuestionKind::Rating { min, max, .. } => (*min..=*max)
                        .map(|n| (n.to_string(), n.to_string(), count_of(&n.to_string())))
                        .collect(),
                    _ => question
                        .options()
                        .iter()
                        .map(|o| {
                            (
                                o.value().to_owned(),
                                o.label().default_text().to_owned(),
                                count_of(o.value()),
                            )
                        })
                        .collect(),
                };
                let multiple = matches!(question.kind(), QuestionKind::MultipleChoice { .. });
                let shown_if = |hidden: bool, n: u64| {
                    if hidden {
                        Shown::Hidden
                    } else {
                        Shown::Count(n)
                    }
                };
                let (answered_shown, shown): (Shown, Vec<Shown>) = if answers.is_empty() || multiple
                {
                    // Answered or not: a table of two that adds up to everyone.
                    let (counts, total) = one_way(&[answered, everyone - answered]);
                    let hidden = protect(&counts, total, everyone_shown, threshold);
                    // Each option on its own: chosen, or not (by everyone else).
                    let options = answers
                        .iter()
                        .map(|(_, _, n)| {
                            let (counts, total) = one_way(&[*n, everyone - n]);
                            shown_if(protect(&counts, total, everyone_shown, threshold)[0], *n)
                        })
                        .collect();
                    (shown_if(hidden[0], answered), options)
                } else {
                    // The answers add up to those who answered; they and "Not answered" add
                    // up to everyone: one table, so neither total gives away the other.
                    let mut counts = Counts::new();
                    let parts: Vec<usize> =
                        answers.iter().map(|(_, _, n)| counts.count(*n)).collect();
                    let answered_at = counts.count(answered);
                    counts.sum(answered_at, &parts);
                    let not_answered_at = counts.count(everyone - answered);
                    let everyone_at = counts.count(everyone);
                    counts.sum(everyone_at, &[answered_at, not_answered_at]);
                    let hidden = protect(&counts, everyone_at, everyone_shown, threshold);
                    answers.push((
                        String::new(),
                        "Not answered".to_owned(),
                        everyone - answered,
                    ));
                    let shown = parts
                        .iter()
                        .chain([&not_answered_at])
                        .map(|&i| shown_if(hidden[i], counts.value(i)))
                        .collect();
                    (shown_if(hidden[answered_at], answered), shown)
                };
                QuestionSummary {
                    id: id.to_owned(),
                    label: question.label().default_text().to_owned(),
                    multiple,
                    answers: answers
                        .into_iter()
                        .zip(shown)
                        .map(|((value, label, _), count)| AnswerCount {
                            value,
                            label,
                            count,
                        })
                        .collect(),
                    answered: answered_shown,
                }
            })
            .collect();
        Summary {
            respondents,
            threshold,
            questions,
        }
    }
}

/// Which of `counts` to hide, its total (everyone) shown or hidden as everywhere else.
fn protect(counts: &Counts, total: usize, total_shown: bool, threshold: u64) -> Vec<bool> {
    if total_shown {
        counts.protect(threshold, &[total], &[])
    } else {
        counts.protect(threshold, &[], &[total])
    }
}

/// A count for a file: the number, or `*` when hidden.
fn cell(count: Shown) -> String {
    match count {
        Shown::Count(n) => n.to_string(),
        Shown::Hidden => "*".to_owned(),
    }
}

/// A share for a file: one decimal place, or `*` when hidden.
fn share(count: Shown, of: Shown) -> String {
    match count.percent_of(of) {
        Some(p) => format!("{p:.1}"),
        None if count == Shown::Hidden || of == Shown::Hidden => "*".to_owned(),
        None => String::new(),
    }
}

/// The summary's rows as a file has them: question id, question, answer value, answer,
/// count, per cent of everyone who responded.
fn rows(summary: &Summary) -> Vec<[String; 6]> {
    let mut rows = vec![[
        String::new(),
        "Everyone who responded".to_owned(),
        String::new(),
        String::new(),
        cell(summary.respondents),
        share(summary.respondents, summary.respondents),
    ]];
    for question in &summary.questions {
        rows.push([
            question.id.clone(),
            question.label.clone(),
            String::new(),
            "Answered".to_owned(),
            cell(question.answered),
            share(question.answered, summary.respondents),
        ]);
        for answer in &question.answers {
            rows.push([
                question.id.clone(),
                question.label.clone(),
                answer.value.clone(),
                answer.label.clone(),
                cell(answer.count),
                share(answer.count, summary.respondents),
            ]);
        }
    }
    rows
}

const HEADERS: [&str; 6] = [
    "question_id",
    "question",
    "answer_value",
    "answer",
    "count",
    "percent_of_everyone",
];

/// The summary as CSV for Excel: a byte-order mark (so Excel reads UTF-8), and no cell
/// that Excel would take for a formula.
pub fn write_csv(summary: &Summary) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(HEADERS)?;
        for row in rows(summary) {
            writer.write_record(
                row.iter()
                    .map(|c| crate::export::neutralise(c).into_owned()),
            )?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// The summary as an XLSX workbook: counts as numbers, hidden ones as `*`.
pub fn write_xlsx(summary: &Summary) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Summary")?;
    for (column, header) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *header, &bold)?;
    }
    for (r, row) in rows(summary).iter().enumerate() {
        let r = r as u32 + 1;
        for (column, text) in row.iter().enumerate() {
            let column = column as u16;
            match text.parse::<f64>() {
                Ok(n) if column >= 4 => sheet.write_number(r, column, n)?,
                _ => sheet.write_string(r, column, crate::export::excel_text(text))?,
            };
        }
    }
    workbook.save_to_buffer()
}
