//! Answers as they travel: question id to JSON value, in the shapes survey-format.md gives.

use std::collections::BTreeMap;

use serde_json::Value;

/// Question id to answer value (`"poster"`, `["a", "b"]`, `4`, `"2024-03-27"`, `true`).
pub type Answers = BTreeMap<String, Value>;

/// Question id to the free text of its chosen "please specify" option.
pub type SpecifyTexts = BTreeMap<String, String>;

/// Whether a choice answer (one value, or a list of values) includes `option`.
pub fn is_chosen(answer: Option<&Value>, option: &str) -> bool {
    match answer {
        Some(Value::String(chosen)) => chosen == option,
        Some(Value::Array(chosen)) => chosen.iter().any(|c| c.as_str() == Some(option)),
        _ => false,
    }
}

/// Whether a value counts as an answer: blank text, an empty selection,
/// an unticked box and `null` count as unanswered.
pub fn is_answered(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(text) => !text.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}
