//! A survey that includes Scotland's equality questions by name: `survey check` explains a
//! wrong reference, the collector serves the set written out (the widget carries no copy),
//! and the set's questions take answers like any other.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use uuid::Uuid;
use voices_collector::Config;

const SET: &str = "equality/scotland-2026";

/// `small_survey` with a second page that includes the set.
fn with_the_set(id: &str, include: Value) -> Value {
    let mut survey = small_survey(id, 1, json!({}));
    survey["pages"].as_array_mut().unwrap().push(include);
    survey
}

#[test]
fn survey_check_explains_a_wrong_reference_and_counts_the_set_s_untranslated_texts() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("wrong.json");
    let definition = with_the_set(
        "wrong",
        json!({"id": "about_you", "include": "equality/scotland", "leave_out": ["religion"]}),
    );
    std::fs::write(&wrong, definition.to_string()).unwrap();
    let checked = run(&["survey", "check", wrong.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(1), "{}", checked.stdout);
    let said = format!("{}{}", checked.stdout, checked.stderr);
    assert!(
        said.contains("pages[1].include: there is no question set \"equality/scotland\"; the sets are \"equality/scotland-2026\""),
        "{said}"
    );

    // Included in a survey offered in Polish too: the set is written in English and Gaelic,
    // so Polish readers see English there, and the check says so without failing.
    let polish = dir.path().join("polish.json");
    let mut definition = with_the_set("polish", json!({"id": "about_you", "include": SET}));
    definition["locales"] = json!(["en", "pl"]);
    definition["title"] = json!({"en": "A small poll", "pl": "Mała ankieta"});
    std::fs::write(&polish, definition.to_string()).unwrap();
    let checked = run(&["survey", "check", polish.to_str().unwrap()]);
    assert!(checked.status.success(), "{}", checked.stderr);
    assert!(
        checked
            .stdout
            .contains("warning: pl: 101 of 102 texts missing; readers of Polish see English there"),
        "{}",
        checked.stdout
    );
}

#[tokio::test]
async fn the_set_is_served_written_out_and_takes_answers() {
    let h = Harness::new(Config::default());
    h.publish(with_the_set(
        "reach",
        json!({"id": "about_you", "include": SET, "leave_out": ["postcode"]}),
    ));

    let served = call(h.app(), get("/api/surveys/reach")).await;
    assert_eq!(served.status, StatusCode::OK);
    let page = &served.json()["pages"][1];
    assert_eq!(page["question_set"], SET);
    assert_eq!(page["title"], json!({"en": "About you"}), "{page}");
    assert!(page.get("include").is_none(), "{page}");
    let ids: Vec<&str> = page["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"ethnic_group_white") && !ids.contains(&"postcode"),
        "{ids:?}"
    );

    // The census's two steps: a section, then that section's option.
    let answers = json!({
        "colour": "red", "age": "25_34", "sex": "female", "trans": "no",
        "ethnic_group": "white", "ethnic_group_white": "polish", "unpaid_care": "20_34"
    });
    let stored = call(h.app(), post_response("reach", &submission(answers))).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());

    // Trans status is not asked of someone under 16, so an answer to it is refused.
    let answers = json!({"colour": "red", "age": "under_16", "trans": "no"});
    let refused = call(h.app(), post_response("reach", &submission(answers))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let details = refused.json()["details"].clone();
    assert_eq!(details[0]["question"], "trans", "{details}");
    assert_eq!(details[0]["code"], "hidden", "{details}");
}

fn submission(answers: Value) -> Value {
    json!({
        "submission_id": Uuid::new_v4(),
        "survey_version": 1,
        "locale": "en",
        "answers": answers
    })
}
