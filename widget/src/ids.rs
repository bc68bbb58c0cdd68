//! Element ids inside one widget's shadow root, in one place so links and labels always agree.

/// The first input of a question: labels point here, and so do error-summary links.
pub fn field(question: &str) -> String {
    format!("q-{question}")
}

/// The input for one option (the first option uses [`field`]). Under `opt-`,
/// so that an option valued `hint`, `error` or `specify` cannot take the id
/// of the question's hint, error or specify box.
pub fn option(question: &str, index: usize, value: &str) -> String {
    if index == 0 {
        field(question)
    } else {
        format!("q-{question}-opt-{value}")
    }
}

pub fn option_hint(question: &str, value: &str) -> String {
    format!("q-{question}-opt-{value}-hint")
}

pub fn hint(question: &str) -> String {
    format!("q-{question}-hint")
}

pub fn error(question: &str) -> String {
    format!("q-{question}-error")
}

/// The "please specify" block revealed under its option, and its input.
pub fn specify_block(question: &str) -> String {
    format!("q-{question}-specify-block")
}

pub fn specify(question: &str) -> String {
    format!("q-{question}-specify")
}

pub fn specify_error(question: &str) -> String {
    format!("q-{question}-specify-error")
}

pub fn count_hint(question: &str) -> String {
    format!("q-{question}-count-hint")
}

/// The character count's live region, which speaks only when typing pauses.
pub fn count_status(question: &str) -> String {
    format!("q-{question}-count-status")
}

/// A question's Change link on check-your-answers.
pub fn change(question: &str) -> String {
    format!("change-{question}")
}

/// The heading of whatever screen is showing; focus lands here on every move.
pub const HEADING: &str = "voices-heading";
pub const ERROR_SUMMARY: &str = "voices-error-summary";
/// The widget's one live region for what happens while focus is elsewhere.
pub const ANNOUNCER: &str = "voices-announcer";

/// `aria-describedby` from the ids that exist, in order (hint, then error).
pub fn described_by(ids: &[Option<String>]) -> Option<yew::AttrValue> {
    let joined = ids.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then(|| joined.into())
}
