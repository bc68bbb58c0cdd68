//! Question sets a survey includes by name (`"include": "equality/scotland-2026"`): pages of
//! questions written once, here, and never edited: a change is a set with a new name.
//!
//! The sets are compiled in with the `question-sets` feature, which the collector turns on.
//! The widget goes without them: the collector serves every survey with its sets already
//! expanded, so the wasm carries none of their text.

use serde_json::Value;

/// Each set's name and its definition: a title and questions, as in a survey's page, with
/// every text in each language the set is written in.
#[cfg(feature = "question-sets")]
const SETS: &[(&str, &str)] = &[(
    "equality/scotland-2026",
    include_str!("../question_sets/equality-scotland-2026.json"),
)];
#[cfg(not(feature = "question-sets"))]
const SETS: &[(&str, &str)] = &[];

/// The names of the sets a survey can include.
pub fn question_set_names() -> impl Iterator<Item = &'static str> {
    SETS.iter().map(|(name, _)| *name)
}

/// The set called `name`, as JSON: `{"title", "questions"}`.
pub(crate) fn question_set(name: &str) -> Option<Value> {
    let (_, json) = SETS.iter().find(|(known, _)| *known == name)?;
    // The sets are fixed and tested; a set that did not parse would fail every test.
    serde_json::from_str(json).ok()
}

/// Whether this program has the sets compiled in.
pub(crate) fn has_question_sets() -> bool {
    !SETS.is_empty()
}

/// The fields of a question or option that hold Text.
pub(crate) const TEXT_FIELDS: &[&str] = &[
    "label",
    "hint",
    "body",
    "short_label",
    "error",
    "min_label",
    "max_label",
    "unit",
];

/// Every question id a condition refers to.
pub(crate) fn condition_refers_to(condition: &Value, out: &mut Vec<String>) {
    match condition {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("question") {
                out.push(id.clone());
            }
            for key in ["all", "any", "not"] {
                if let Some(inner) = map.get(key) {
                    condition_refers_to(inner, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                condition_refers_to(item, out);
            }
        }
        _ => {}
    }
}

/// A set's text kept to the languages a survey offers.
pub(crate) fn keep_locales(text: &mut Value, locales: &[String]) {
    if let Value::Object(strings) = text {
        strings.retain(|locale, _| locales.iter().any(|l| l == locale));
    }
}

/// A set question with its texts (and its options' texts) kept to `locales`.
pub(crate) fn question_in(question: &Value, locales: &[String]) -> Value {
    let mut question = question.clone();
    if let Value::Object(fields) = &mut question {
        for key in TEXT_FIELDS {
            if let Some(text) = fields.get_mut(*key) {
                keep_locales(text, locales);
            }
        }
        if let Some(Value::Array(options)) = fields.get_mut("options") {
            for option in options {
                if let Value::Object(option) = option {
                    for key in ["label", "hint"] {
                        if let Some(text) = option.get_mut(key) {
                            keep_locales(text, locales);
                        }
                    }
                }
            }
        }
    }
    question
}
