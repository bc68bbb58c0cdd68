//! Helpers shared by the integration tests: small survey definitions, submissions and assertions.
#![allow(dead_code)]

use serde_json::{Value, json};
use voices_shared::uuid::Uuid;
use voices_shared::{AnswerProblem, Channel, SpecifyTexts, Submission, Survey};

/// A valid survey with one page holding `questions`.
pub fn one_page(questions: Value) -> Value {
    pages(json!([{"id": "p1", "questions": questions}]))
}

/// A valid survey around `pages`.
pub fn pages(pages: Value) -> Value {
    json!({
        "format": 1,
        "id": "test-survey",
        "version": 1,
        "default_locale": "en",
        "title": "Test survey",
        "privacy": {"text": "We keep answers for a year."},
        "allowed_origins": ["*"],
        "pages": pages,
    })
}

/// The smallest valid survey: one page, one optional text question.
pub fn minimal() -> Value {
    one_page(json!([{"id": "q", "type": "text", "label": "Anything?"}]))
}

/// `definition` with `value` put at `pointer` (a JSON pointer such as
/// `/pages/0/questions/0/label`); `None` removes the field.
pub fn with(definition: &Value, pointer: &str, value: Option<Value>) -> Value {
    let mut definition = definition.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let target = definition
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{parent} is not in the definition"));
    match (target, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_owned(), value);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), Some(value)) => {
            let i: usize = key.parse().expect("an index");
            if i == items.len() {
                items.push(value);
            } else {
                items[i] = value;
            }
        }
        (Value::Array(items), None) => {
            items.remove(key.parse::<usize>().expect("an index"));
        }
        _ => panic!("{parent} is neither an object nor a list"),
    }
    definition
}

/// Parses `definition`, panicking with every problem if it is not valid.
#[track_caller]
pub fn parse_ok(definition: &Value) -> Survey {
    match Survey::from_value(definition) {
        Ok(survey) => survey,
        Err(problems) => panic!("expected a valid survey, got:\n{problems}\n\n{definition:#}"),
    }
}

/// The (path, message) of every problem in `definition`; panics if it is valid.
#[track_caller]
pub fn problems(definition: &Value) -> Vec<(String, String)> {
    match Survey::from_value(definition) {
        Ok(_) => panic!("expected problems, but the survey is valid:\n{definition:#}"),
        Err(problems) => problems
            .iter()
            .map(|p| (p.path().to_owned(), p.message().to_owned()))
            .collect(),
    }
}

/// Asserts that `definition` has exactly one problem, at `path`, whose message contains `fragment`.
#[track_caller]
pub fn assert_only_problem(definition: &Value, path: &str, fragment: &str) {
    let found = problems(definition);
    assert_eq!(
        found.len(),
        1,
        "expected one problem at {path:?}, got {found:#?}"
    );
    let (found_path, message) = &found[0];
    assert_eq!(found_path, path, "wrong path; message: {message}");
    assert!(
        message.contains(fragment),
        "message at {path} is {message:?}, which does not contain {fragment:?}"
    );
}

/// Asserts that one of `definition`'s problems is at `path` with `fragment` in its message.
#[track_caller]
pub fn assert_has_problem(definition: &Value, path: &str, fragment: &str) {
    let found = problems(definition);
    assert!(
        found
            .iter()
            .any(|(p, message)| p == path && message.contains(fragment)),
        "expected a problem at {path:?} containing {fragment:?}, got {found:#?}"
    );
}

/// A submission for version 1 in English.
pub fn submission(answers: Value) -> Submission {
    submission_with(answers, json!({}))
}

/// A submission for version 1 in English, with specify texts.
pub fn submission_with(answers: Value, specify: Value) -> Submission {
    Submission {
        submission_id: Uuid::from_u128(0x6f1c2f1e_9a43_4b7e_9e0b_2f7f0e6b5a11),
        survey_version: 1,
        locale: "en".to_owned(),
        channel: Channel::Online,
        answers: serde_json::from_value(answers).expect("answers are an object"),
        specify: serde_json::from_value::<SpecifyTexts>(specify).expect("specify is an object"),
        started_at: None,
        withdrawal_key: None,
    }
}

/// (question, code) of every problem, in the order given.
pub fn codes(problems: &[AnswerProblem]) -> Vec<(Option<&str>, &'static str)> {
    problems.iter().map(|p| (p.question(), p.code())).collect()
}

/// Asserts that `survey` rejects `submission` with exactly the problems `expected` (question, code).
#[track_caller]
pub fn assert_rejected(survey: &Survey, submission: Submission, expected: &[(&str, &str)]) {
    match survey.accept(submission) {
        Ok(valid) => panic!("expected {expected:?}, but it was accepted: {valid:?}"),
        Err(problems) => {
            let found: Vec<(&str, &str)> = problems
                .iter()
                .map(|p| (p.question().unwrap_or(""), p.code()))
                .collect();
            assert_eq!(found, expected, "problems: {problems:#?}");
        }
    }
}

/// Asserts that `survey` accepts `submission`, and returns the normalised answers as JSON.
#[track_caller]
pub fn assert_accepted(survey: &Survey, submission: Submission) -> Value {
    match survey.accept(submission) {
        Ok(valid) => serde_json::to_value(valid.answers()).unwrap(),
        Err(problems) => panic!("expected acceptance, got {problems:#?}"),
    }
}
