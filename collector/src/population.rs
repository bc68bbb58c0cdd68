//! The area's people, to compare whom a survey heard from with: an operator's CSV of how
//! many people in the area are in each group of a survey's questions (from Scotland's
//! Census 2022, say), read against the survey so every row is known to mean something.
//!
//! The columns (docs/reach.md): `question` (a single choice or rating of the survey),
//! `answer` (one of its answers, or several joined by `+`, as `25_34+35_49` for the
//! census's 25 to 49), and `people` (a whole number). A question's groups need not cover
//! every answer; "Prefer not to say" is never one.

use voices_shared::Survey;

/// The most people a row may count: more than Scotland's, by far.
pub const MAX_PEOPLE: u64 = 100_000_000;

/// One group of the area's people: those who would give any of `answers` to `question`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub question: String,
    pub answers: Vec<String>,
    pub people: u64,
}

/// The area's groups, in the order the file gives them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Population {
    pub groups: Vec<Group>,
}

impl Population {
    /// Reads `csv` against `survey`: every problem, each with its row and column.
    pub fn read(csv: &str, survey: &Survey) -> Result<Population, Vec<String>> {
        let mut problems = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let expected = ["question", "answer", "people"];
        match reader.headers() {
            Ok(headers) if headers.iter().eq(expected) => {}
            Ok(headers) => {
                let found: Vec<&str> = headers.iter().collect();
                return Err(vec![format!(
                    "row 1: the columns must be question,answer,people, not {}",
                    found.join(",")
                )]);
            }
            Err(error) => return Err(vec![format!("row 1: {error}")]),
        }
        let mut groups: Vec<Group> = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(format!("row {row}: {error}"));
                    continue;
                }
            };
            if record.len() != 3 {
                problems.push(format!("row {row}: has {} columns, not 3", record.len()));
                continue;
            }
            let (question_id, answer, people) = (&record[0], &record[1], &record[2]);
            let Some(question) = survey.question(question_id) else {
                problems.push(format!(
                    "row {row}, question: the survey has no question \"{question_id}\""
                ));
                continue;
            };
            if !crate::summary::one_answer(question) {
                problems.push(format!(
                    "row {row}, question: \"{question_id}\" is not a single choice or a rating, so it does not split people into groups"
                ));
                continue;
            }
            let offered: Vec<String> = crate::summary::answer_values(question)
                .into_iter()
                .map(|(value, _)| value)
                .collect();
            let answers: Vec<String> = answer.split('+').map(|a| a.trim().to_owned()).collect();
            let mut fine = true;
            for (k, answer) in answers.iter().enumerate() {
                if answers[..k].contains(answer) {
                    problems.push(format!(
                        "row {row}, answer: \"{answer}\" is in this row twice"
                    ));
                    fine = false;
                } else if answer == "prefer_not_to_say" {
                    problems.push(format!(
                        "row {row}, answer: \"prefer_not_to_say\" is not a group of the area's people"
                    ));
                    fine = false;
                } else if !offered.contains(answer) {
                    problems.push(format!(
                        "row {row}, answer: \"{answer}\" is not an answer to \"{question_id}\"; its answers are {}",
                        offered.join(", ")
                    ));
                    fine = false;
                } else if groups
                    .iter()
                    .any(|g| g.question == question_id && g.answers.contains(answer))
                {
                    problems.push(format!(
                        "row {row}, answer: \"{answer}\" of \"{question_id}\" is in an earlier row already"
                    ));
                    fine = false;
                }
            }
            // More than anywhere holds is a slip of the keyboard, and would overflow sums.
            let people = match people.parse::<u64>() {
                Ok(n) if n <= MAX_PEOPLE => n,
                Ok(_) => {
                    problems.push(format!(
                        "row {row}, people: {people} is more people than any area holds (at most {MAX_PEOPLE})"
                    ));
                    continue;
                }
                Err(_) => {
                    problems.push(format!(
                        "row {row}, people: must be a whole number of people, not \"{people}\""
                    ));
                    continue;
                }
            };
            if fine {
                groups.push(Group {
                    question: question_id.to_owned(),
                    answers,
                    people,
                });
            }
        }
        if groups.is_empty() && problems.is_empty() {
            problems.push("the file has no rows of figures under its header".to_owned());
        }
        if problems.is_empty() {
            Ok(Population { groups })
        } else {
            Err(problems)
        }
    }

    /// The questions with figures, in the order the file first names them.
    pub fn questions(&self) -> Vec<&str> {
        let mut questions: Vec<&str> = Vec::new();
        for group in &self.groups {
            if !questions.contains(&group.question.as_str()) {
                questions.push(&group.question);
            }
        }
        questions
    }
}
