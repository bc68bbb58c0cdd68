//! The paper version (`/s/{id}/print`): routing written as instructions, whatever the
//! condition's shape, and a page of its own for an unknown survey.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use voices_collector::Config;

#[tokio::test]
async fn every_condition_is_written_as_an_instruction() {
    let h = Harness::new(Config::default());
    let mut survey = small_survey("routes", 1, json!({}));
    survey["pages"] = json!([
        {"id": "first", "questions": [
            {"id": "a", "type": "single_choice", "label": "Do you drive?", "options": [
                {"value": "x", "label": "Yes"}, {"value": "y", "label": "No"}]},
            {"id": "b", "type": "text", "label": "Where do you live?"},
            {"id": "intro", "type": "info", "label": "About buses", "body": "Some words."},
            {"id": "c", "type": "rating", "min": 1, "max": 3, "label": "How good are the buses?",
             "visible_if": {"not": {"any": [{"question": "a", "equals": "x"}, {"question": "b", "answered": true}]}}}
        ]},
        {"id": "second", "visible_if": {"question": "a", "any_of": ["x", "y"]}, "questions": [
            {"id": "d", "type": "date", "label": "When did you last drive?"},
            {"id": "e", "type": "multiple_choice", "label": "Which days?", "max_selected": 2,
             "options": [{"value": "mon", "label": "Monday"}, {"value": "tue", "label": "Tuesday"}, {"value": "wed", "label": "Wednesday"}],
             "visible_if": {"all": [{"any": [{"question": "a", "equals": "x"}, {"question": "c", "equals": 3}]}, {"question": "b", "answered": true}]}}
        ]}
    ]);
    h.publish(survey);
    let page = call(h.app(), get("/s/routes/print")).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    // Not (either) is neither: both clauses negated, joined by "and".
    assert!(
        text.contains("Answer this question only if you did not answer “Yes” to question 1 and if you left question 2 blank."),
        "{text}"
    );
    assert!(
        text.contains(
            "Answer the questions on this page only if you answered “Yes” or “No” to question 1."
        ),
        "{text}"
    );
    // Information has no number; the rating after it is question 3, the date 4.
    assert!(
        text.contains("<span class=\"paper-number\">3.</span> How good are the buses?"),
        "{text}"
    );
    assert!(
        text.contains("<span class=\"paper-number\">4.</span> When did you last drive?"),
        "{text}"
    );
    // A page's questions not for the reader: where to carry on (here, the end).
    assert!(
        text.contains("If not, go to the end of the form."),
        "{text}"
    );
    // Groups of different kinds are a list, so a reader sees which clauses go together.
    assert!(
        text.contains("<p>Answer this question only if all of these are true.</p><ul role=\"list\"><li><p>if at least one of these is true</p><ul role=\"list\"><li>if you answered “Yes” to question 1</li><li>if you answered “3” to question 3</li></ul></li><li>if you answered question 2</li></ul>"),
        "{text}"
    );
    assert!(text.contains("Tick up to 2 boxes."), "{text}");
    assert!(
        !text.contains("<span class=\"paper-number\">6.</span>"),
        "{text}"
    );

    let missing = call(h.app(), get("/s/nothing-here/print")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_limits_an_answer_must_keep_to_are_printed_before_it_is_written() {
    let h = Harness::new(Config::default());
    let mut survey = small_survey(
        "limits",
        1,
        json!({"locales": ["en", "pl"], "title": {"en": "Limits", "pl": "Limity"}, "privacy": {"text": {"en": "Kept.", "pl": "Trzymane."}}}),
    );
    survey["pages"] = json!([{"id": "p", "questions": [
        {"id": "visits", "type": "number", "label": {"en": "How many visits?", "pl": "Ile wizyt?"}, "min": 0, "max": 12, "integer": true},
        {"id": "when", "type": "date", "label": {"en": "When?", "pl": "Kiedy?"}, "min": "2026-01-01", "max": "2026-12-31"},
        {"id": "email", "type": "text", "label": {"en": "Your email", "pl": "Twój e-mail"}, "format": "email", "max_length": 100},
        {"id": "story", "type": "text", "multiline": true, "label": {"en": "Tell us more", "pl": "Opowiedz więcej"}, "max_length": 2000}
    ]}]);
    h.publish(survey);
    let text = call(h.app(), get("/s/limits/print")).await.text();
    for limit in [
        "Enter a number between 0 and 12",
        "Enter a whole number",
        "The date must be between 1 1 2026 and 31 12 2026",
        "Enter an email address in the correct format, like name@example.com",
        "Enter 100 characters or fewer",
    ] {
        assert!(
            text.contains(&format!("<p class=\"paper-limit\">{limit}</p>")),
            "{limit}: {text}"
        );
    }
    // A comment box's limit is more than a hand writes: not printed.
    assert!(!text.contains("Enter 2000 characters"), "{text}");
    // In the reader's language.
    let polish = call(h.app(), get("/s/limits/print?lang=pl")).await.text();
    assert!(polish.contains("Wpisz liczbę od 0 do 12"), "{polish}");
}
