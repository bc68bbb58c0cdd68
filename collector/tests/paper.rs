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
            {"id": "d", "type": "date", "label": "When did you last drive?"}
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
    assert!(
        !text.contains("<span class=\"paper-number\">5.</span>"),
        "{text}"
    );

    let missing = call(h.app(), get("/s/nothing-here/print")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
