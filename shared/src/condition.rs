//! Conditions (`visible_if`) and which pages and questions they leave visible.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::answers::{Answers, is_answered, is_chosen, without_controls};
use crate::survey::Survey;

/// A condition on earlier answers. Built only by the parser, which checks that
/// it refers to earlier questions and to values they can take.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The answer equals this value (numbers compare by value).
    Equals {
        question: String,
        value: Value,
    },
    /// Single choice: the answer is one of these; multiple choice: any of these is selected.
    AnyOf {
        question: String,
        values: Vec<String>,
    },
    /// The question is answered (`true`) or not (`false`).
    Answered {
        question: String,
        answered: bool,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    /// Whether the condition holds for `answers`. Answers of hidden questions
    /// must already have been left out: see [`Survey::visibility`].
    pub fn holds(&self, answers: &Answers) -> bool {
        self.holds_for(&|id| answers.get(id))
    }

    /// Whether the condition holds, with `answer` giving each question's answer (none for a
    /// hidden question). A function rather than a map, so that [`Survey::visibility`], run
    /// for every submission, need not copy the answers it has into a map of its own.
    fn holds_for<'a>(&self, answer: &dyn Fn(&str) -> Option<&'a Value>) -> bool {
        match self {
            Condition::Equals { question, value } => answer(question)
                .filter(|answer| is_answered(answer))
                .is_some_and(|answer| same_value(answer, value)),
            Condition::AnyOf { question, values } => {
                let chosen = answer(question);
                values.iter().any(|v| is_chosen(chosen, v))
            }
            Condition::Answered { question, answered } => {
                answer(question).is_some_and(is_answered) == *answered
            }
            Condition::All(conditions) => conditions.iter().all(|c| c.holds_for(answer)),
            Condition::Any(conditions) => conditions.iter().any(|c| c.holds_for(answer)),
            Condition::Not(condition) => !condition.holds_for(answer),
        }
    }

    /// Every question id this condition reads.
    pub fn questions(&self) -> Vec<&str> {
        let mut ids = Vec::new();
        self.collect_questions(&mut ids);
        ids
    }

    fn collect_questions<'a>(&'a self, ids: &mut Vec<&'a str>) {
        match self {
            Condition::Equals { question, .. }
            | Condition::AnyOf { question, .. }
            | Condition::Answered { question, .. } => ids.push(question),
            Condition::All(conditions) | Condition::Any(conditions) => {
                conditions.iter().for_each(|c| c.collect_questions(ids))
            }
            Condition::Not(condition) => condition.collect_questions(ids),
        }
    }
}

fn same_value(answer: &Value, expected: &Value) -> bool {
    match (answer, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        // Both sides trimmed: the answer is stored trimmed, and a stray space in the
        // definition must not make a condition that can never hold. The answer also
        // loses its control characters, as it does when stored, so the answer as
        // sent and the stored one meet the same conditions.
        (Value::String(a), Value::String(b)) => without_controls(a).trim() == b.trim(),
        _ => answer == expected,
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Condition::Equals { question, value } => {
                map.serialize_entry("question", question)?;
                map.serialize_entry("equals", value)?;
            }
            Condition::AnyOf { question, values } => {
                map.serialize_entry("question", question)?;
                map.serialize_entry("any_of", values)?;
            }
            Condition::Answered { question, answered } => {
                map.serialize_entry("question", question)?;
                map.serialize_entry("answered", answered)?;
            }
            Condition::All(conditions) => map.serialize_entry("all", conditions)?,
            Condition::Any(conditions) => map.serialize_entry("any", conditions)?,
            Condition::Not(condition) => map.serialize_entry("not", condition)?,
        }
        map.end()
    }
}

/// Which pages and questions are shown for a set of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visibility {
    pages: Vec<bool>,
    questions: Vec<Vec<bool>>,
}

impl Visibility {
    pub fn page_visible(&self, page: usize) -> bool {
        self.pages.get(page).copied().unwrap_or(false)
    }
    pub fn question_visible(&self, page: usize, question: usize) -> bool {
        self.questions
            .get(page)
            .and_then(|qs| qs.get(question))
            .copied()
            .unwrap_or(false)
    }
    /// Indexes of the visible pages, in order.
    pub fn visible_pages(&self) -> Vec<usize> {
        (0..self.pages.len()).filter(|&p| self.pages[p]).collect()
    }
    /// Indexes of the visible questions on `page`.
    pub fn visible_questions(&self, page: usize) -> Vec<usize> {
        self.questions
            .get(page)
            .map(|qs| (0..qs.len()).filter(|&q| qs[q]).collect())
            .unwrap_or_default()
    }
}

impl Survey {
    /// Works out, in survey order, which pages and questions are visible.
    ///
    /// A hidden question counts as unanswered for every later condition, even
    /// if `answers` still holds an answer for it (someone answered, went back
    /// and changed an earlier answer).
    pub fn visibility<'a>(&self, answers: &'a Answers) -> Visibility {
        // The answers of the questions found visible so far, borrowed from `answers`, in id
        // order: a sorted list rather than a map, which would be one more map type in the
        // widget's wasm. Each insertion moves the later entries up, so n answered questions
        // cost up to n²/2 moves of two pointers: nothing for tens of questions, about what
        // the copied map cost for hundreds.
        let mut effective: Vec<(&str, &Value)> = Vec::new();
        let seen = |effective: &[(&str, &'a Value)], id: &str| -> Option<&'a Value> {
            effective
                .binary_search_by(|(known, _)| (*known).cmp(id))
                .ok()
                .map(|at| effective[at].1)
        };
        let mut pages = Vec::with_capacity(self.pages.len());
        let mut questions = Vec::with_capacity(self.pages.len());
        for page in &self.pages {
            let page_shown = page
                .visible_if
                .as_ref()
                .is_none_or(|c| c.holds_for(&|id| seen(&effective, id)));
            let mut shown = Vec::with_capacity(page.questions.len());
            for question in &page.questions {
                let visible = page_shown
                    && question
                        .visible_if
                        .as_ref()
                        .is_none_or(|c| c.holds_for(&|id| seen(&effective, id)));
                if visible && let Some((id, answer)) = answers.get_key_value(&question.id) {
                    let at = effective.partition_point(|(known, _)| *known < id.as_str());
                    effective.insert(at, (id, answer));
                }
                shown.push(visible);
            }
            pages.push(page_shown);
            questions.push(shown);
        }
        Visibility { pages, questions }
    }

    /// Whether question `id` is visible for `answers`.
    pub fn is_question_visible(&self, id: &str, answers: &Answers) -> bool {
        let Some((page, question)) = self.place_of(id) else {
            return false;
        };
        self.visibility(answers).question_visible(page, question)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_equals_ignores_spaces_around_either_side() {
        let condition = Condition::Equals {
            question: "where".into(),
            value: json!(" the library "),
        };
        let answers: Answers = [("where".to_owned(), json!("the library  "))].into();
        assert!(condition.holds(&answers));
        let other: Answers = [("where".to_owned(), json!("the park"))].into();
        assert!(!condition.holds(&other));
    }
}
