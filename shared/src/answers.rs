//! Answers as they travel: question id to JSON value, in the shapes survey-format.md gives.

use std::collections::BTreeMap;

use serde_json::Value;

/// Question id to answer value (`"poster"`, `["a", "b"]`, `4`, `"2024-03-27"`, `true`).
pub type Answers = BTreeMap<String, Value>;

/// Question id to the free text of its chosen "please specify" option.
pub type SpecifyTexts = crate::SortedMap<String>;

/// Whether a choice answer (one value, or a list of values) includes `option`.
pub fn is_chosen(answer: Option<&Value>, option: &str) -> bool {
    match answer {
        Some(Value::String(chosen)) => chosen == option,
        Some(Value::Array(chosen)) => chosen.iter().any(|c| c.as_str() == Some(option)),
        _ => false,
    }
}

/// Whether a value counts as an answer: blank text, an empty selection,
/// an unticked box and `null` count as unanswered. Text of only control
/// characters is blank too: it is stored without them, so a condition must
/// not see it as answered when the stored response does not.
pub fn is_answered(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(text) => !without_controls(text).trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// Free text without control characters (NUL, escape, C1 codes...), which
/// no keyboard types and which break spreadsheets and terminals; tabs and
/// line breaks stay.
pub(crate) fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if text.contains(unwanted) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !unwanted(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}
