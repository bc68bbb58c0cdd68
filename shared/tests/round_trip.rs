//! A parsed survey serialises (`to_json`) to a definition that parses back to an equal survey.

mod generator;
mod support;

use proptest::prelude::*;
use serde_json::{Value, json};
use voices_shared::Survey;

#[track_caller]
fn round_trip(json: &str) -> Survey {
    let survey = Survey::parse(json).unwrap_or_else(|problems| panic!("{problems}"));
    let written = survey.to_json();
    let again = Survey::parse(&written).unwrap_or_else(|problems| {
        panic!("the written form does not parse:\n{problems}\n{written}")
    });
    assert_eq!(again, survey, "written as {written}");
    assert_eq!(again.to_json(), written, "writing is a fixed point");
    survey
}

#[test]
fn engagement_2026_round_trips() {
    round_trip(include_str!("../../examples/surveys/engagement-2026.json"));
}

#[test]
fn community_transport_round_trips() {
    round_trip(include_str!(
        "../../examples/surveys/community-transport.json"
    ));
}

#[test]
fn every_field_round_trips_as_written() {
    let definition = json!({
        "format": 1,
        "id": "every-field",
        "version": 7,
        "default_locale": "en",
        "locales": ["gd", "en"],
        "title": {"en": "Title", "gd": "Tiotal"},
        "intro": "Plain intro\n\nin two paragraphs",
        "privacy": {"text": "Privacy", "url": "https://council.example/privacy"},
        "what_happens_next": {"en": "Next"},
        "opens_at": "2026-01-02T09:00:00+01:00",
        "closes_at": "2026-02-03T17:30:00.5Z",
        "allowed_origins": ["https://partner.example", "http://[::1]:3000"],
        "pages": [
            {"id": "p1", "title": "Page one", "questions": [
                {"id": "single", "type": "single_choice", "label": "L", "hint": "H", "required": true, "options": [
                    {"value": "a", "label": "A", "hint": "HA"}, {"value": "b", "label": "B", "specify": true}
                ]},
                {"id": "multi", "type": "multiple_choice", "label": "L", "min_selected": 0, "max_selected": 2,
                 "visible_if": {"question": "single", "any_of": ["a"]}, "options": [
                    {"value": "a", "label": "A"}, {"value": "none", "label": "None", "exclusive": true}
                ]},
                {"id": "text", "type": "text", "label": "L", "multiline": true, "max_length": 3000},
                {"id": "email", "type": "text", "label": "L", "format": "email"},
                {"id": "rating", "type": "rating", "label": "L", "min": 0, "max": 10, "min_label": "Low", "max_label": {"en": "High", "gd": "Àrd"}},
                {"id": "number", "type": "number", "label": "L", "min": -1.5, "max": 1e6, "integer": false, "unit": "kg"},
                {"id": "whole", "type": "number", "label": "L", "integer": true},
                {"id": "date", "type": "date", "label": "L", "min": "2024-02-29", "max": "2024-03-01"},
                {"id": "consent", "type": "consent", "label": "L"},
                {"id": "info", "type": "info", "label": "L", "body": "B"}
            ]},
            {"id": "p2", "visible_if": {"any": [
                {"question": "number", "equals": 2.5},
                {"not": {"question": "consent", "equals": true}},
                {"all": [{"question": "date", "equals": "2024-03-01"}, {"question": "text", "answered": false}, {"question": "rating", "equals": 3}]}
            ]}, "questions": [{"id": "last", "type": "text", "label": "L", "visible_if": {"question": "email", "equals": "a@b.example"}}]}
        ]
    });
    let survey = round_trip(&definition.to_string());
    let written: Value = serde_json::from_str(&survey.to_json()).unwrap();
    // Optional fields stay as they were written: plain text plain, translations as objects.
    assert_eq!(written["locales"], json!(["gd", "en"]));
    assert_eq!(written["intro"], definition["intro"]);
    assert_eq!(written["what_happens_next"], json!({"en": "Next"}));
    assert_eq!(written["opens_at"], json!("2026-01-02T09:00:00+01:00"));
    assert_eq!(written["closes_at"], json!("2026-02-03T17:30:00.5Z"));
    assert_eq!(
        written["pages"][1]["visible_if"],
        definition["pages"][1]["visible_if"]
    );
    assert_eq!(
        written["pages"][0]["questions"][1]["visible_if"],
        json!({"question": "single", "any_of": ["a"]})
    );
    // Defaults are written out, so the written form says what the survey does.
    assert_eq!(
        written["pages"][0]["questions"][3]["max_length"],
        json!(200)
    );
    assert_eq!(
        written["pages"][0]["questions"][8],
        json!({"id": "consent", "type": "consent", "label": "L"})
    );
    // Without "locales", none is written.
    let plain = support::minimal();
    let survey = round_trip(&plain.to_string());
    let written: Value = serde_json::from_str(&survey.to_json()).unwrap();
    assert!(written.get("locales").is_none());
    assert_eq!(survey.locales(), ["en"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_surveys_round_trip(definition in generator::survey_definition()) {
        let survey = Survey::from_value(&definition).map_err(|problems| TestCaseError::fail(format!("{problems}\n{definition:#}")))?;
        let written = survey.to_json();
        let again = Survey::parse(&written).map_err(|problems| TestCaseError::fail(format!("{problems}\n{written}")))?;
        prop_assert_eq!(&again, &survey);
        prop_assert_eq!(again.to_json(), written);
    }
}
