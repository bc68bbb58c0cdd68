//! Inputs the fuzz targets (fuzz/, `cargo xtask fuzz`) found to break a rule, kept here so each stays fixed.

mod support;

use serde_json::json;
use support::{assert_rejected, one_page, parse_ok, submission, with};
use voices_shared::{Submission, Survey, is_answered};

/// A text question, and a second shown only once the first is answered.
fn answered_condition() -> Survey {
    let definition = one_page(json!([
        {"id": "name", "type": "text", "label": "Name"},
        {"id": "why", "type": "text", "label": "Why?", "visible_if": {"question": "name", "answered": true}}
    ]));
    // Version 3, as in fuzz/surveys/conditions.json, so the body below is the fuzzer's own.
    parse_ok(&with(&definition, "/version", Some(json!(3))))
}

/// A stored response must be accepted again unchanged: it is what was
/// checked, and a response its own survey refuses is not a valid response.
#[track_caller]
fn assert_stable(survey: &Survey, submission: Submission) {
    if let Ok(valid) = survey.accept(submission) {
        assert_eq!(
            survey.accept(valid.submission().clone()).as_ref(),
            Ok(&valid),
            "the stored form is refused"
        );
    }
}

/// fuzz target `submission`, crash-c896425d1019b0d79510336a69b71157fe6f363f:
/// a text of only control characters counted as answered for `visible_if`,
/// but is dropped when stored (control characters are stripped, then blank
/// is unanswered). So "why" was accepted, and the stored response answered a
/// question that its own survey hides.
#[test]
fn control_characters_alone_do_not_answer_a_condition() {
    let survey = answered_condition();
    let body = br#"{"submission_id": "9b2e6c1e-3f0a-4c8e-9d55-0a1b2c3d4e5f", "survey_version": 3, "locale": "en", "answers": {"name": "\u0001", "why":  "no"}}"#;
    let sent: Submission = serde_json::from_slice(body).expect("the fuzzer's body reads");
    assert_stable(&survey, sent.clone());
    assert_rejected(&survey, sent, &[("why", "hidden")]);

    assert!(!is_answered(&json!("\u{1}")));
    assert!(!is_answered(&json!(" \u{0}\u{7f}\t\u{9f} ")));
    assert!(is_answered(&json!("\u{1}a")));
    let typed = serde_json::from_value(json!({"name": "\u{1b}"})).unwrap();
    assert!(
        !survey.is_question_visible("why", &typed),
        "the widget hides it too"
    );
}

/// The same root cause through `equals`: "Ailsa\u{1}" is stored as "Ailsa",
/// so the comparison must see it that way too, or a required question the
/// stored answer shows goes unasked. (Found by reading the fix above, not by the fuzzer.)
#[test]
fn control_characters_do_not_change_what_a_text_equals() {
    let definition = one_page(json!([
        {"id": "name", "type": "text", "label": "Name"},
        {"id": "hi", "type": "text", "label": "Hello", "required": true,
         "visible_if": {"question": "name", "equals": "Ailsa"}}
    ]));
    let survey = parse_ok(&definition);
    let sent = submission(json!({"name": "Ail\u{7}sa\u{1}"}));
    assert_stable(&survey, sent.clone());
    assert_rejected(&survey, sent, &[("hi", "required")]);
}
