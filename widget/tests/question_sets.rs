//! The widget carries no question set: it reads a survey with its set written out, as
//! the collector serves it, and refuses one that only names a set, saying why.
#![cfg(target_arch = "wasm32")]

use voices_shared::Survey;
use voices_shared::serde_json::json;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn with_page(page: voices_shared::serde_json::Value) -> voices_shared::serde_json::Value {
    json!({
        "format": 1, "id": "sets", "version": 1, "default_locale": "en",
        "title": "Sets", "privacy": {"text": "Kept a year."}, "allowed_origins": ["*"],
        "pages": [page]
    })
}

#[wasm_bindgen_test]
fn a_set_written_out_is_read_and_keeps_its_name() {
    let served = with_page(json!({
        "id": "about_you", "title": {"en": "About you"}, "question_set": "equality/scotland-2026",
        "questions": [{"id": "sex", "type": "single_choice", "label": {"en": "What is your sex?"},
            "options": [{"value": "female", "label": {"en": "Female"}}, {"value": "male", "label": {"en": "Male"}}]}]
    }));
    let survey = Survey::from_value(&served).expect("the served form parses in the widget");
    assert_eq!(
        survey.pages()[0].question_set(),
        Some("equality/scotland-2026")
    );
    assert!(
        voices_shared::question_set_names().next().is_none(),
        "no set is compiled into the widget"
    );
}

#[wasm_bindgen_test]
fn a_set_only_named_is_refused_with_the_reason() {
    let named = with_page(json!({"id": "about_you", "include": "equality/scotland-2026"}));
    let problems = Survey::from_value(&named).expect_err("the widget cannot write a set out");
    let text = problems.to_string();
    assert!(text.contains("pages[0].include"), "{text}");
    assert!(text.contains("written out by the collector"), "{text}");
}
