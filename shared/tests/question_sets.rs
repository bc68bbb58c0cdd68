//! Including a built-in question set: what it expands to, what an author may leave out,
//! and every wrong reference explained where it is.

mod support;

use serde_json::{Value, json};
use support::{assert_has_problem, assert_only_problem, pages, parse_ok, problems};
use voices_shared::{QuestionKind, Survey, question_set_names};

const SET: &str = "equality/scotland-2026";

/// A survey in `locales` with a page of its own and then `include` as its second page.
fn with_include(locales: &[&str], include: Value) -> Value {
    let mut definition = pages(json!([
        {"id": "views", "questions": [
            {"id": "views", "type": "text", "label": "What do you think?"}
        ]},
        include
    ]));
    definition["default_locale"] = json!(locales[0]);
    definition["locales"] = json!(locales);
    definition
}

fn question_ids(survey: &Survey, page: usize) -> Vec<&str> {
    survey.pages()[page]
        .questions()
        .iter()
        .map(|q| q.id())
        .collect()
}

#[test]
fn the_scottish_set_is_included_as_a_page_of_optional_questions() {
    let survey = parse_ok(&with_include(
        &["en", "gd"],
        json!({"id": "about_you", "include": SET}),
    ));
    let page = &survey.pages()[1];
    assert_eq!(page.id(), "about_you");
    assert_eq!(page.question_set(), Some(SET));
    assert_eq!(page.title().unwrap().get("en"), "About you");
    assert!(!page.title().unwrap().get("gd").is_empty());
    let ids = question_ids(&survey, 1);
    for id in [
        "why_we_ask",
        "age",
        "sex",
        "trans",
        "sexual_orientation",
        "long_term_condition",
        "day_to_day",
        "ethnic_group",
        "religion",
        "unpaid_care",
        "postcode",
    ] {
        assert!(ids.contains(&id), "{id} is in the set");
    }
    for question in page.questions() {
        assert!(!question.required(), "{} is optional", question.id());
        if let QuestionKind::SingleChoice { .. } = question.kind() {
            assert!(
                question
                    .options()
                    .iter()
                    .any(|o| o.value() == "prefer_not_to_say"),
                "{} offers Prefer not to say",
                question.id()
            );
        }
        // Written in Gaelic as well as English: no gaps for a survey in both.
        assert!(
            question.label().has_translation("gd"),
            "{} in Gaelic",
            question.id()
        );
    }
    let gaps = survey.translation_gaps();
    let set_gaps: Vec<&String> = gaps
        .iter()
        .flat_map(|gap| &gap.missing)
        .filter(|at| {
            at.starts_with("pages.about_you")
                || (at.starts_with("questions.") && !at.starts_with("questions.views."))
        })
        .collect();
    assert!(set_gaps.is_empty(), "{set_gaps:?}");
    assert_eq!(question_set_names().collect::<Vec<_>>(), [SET]);
}

#[test]
fn trans_status_and_sexual_orientation_are_asked_only_of_people_16_or_over() {
    let survey = parse_ok(&with_include(
        &["en"],
        json!({"id": "about_you", "include": SET}),
    ));
    let asked = |age: &str| {
        let answers = serde_json::from_value(json!({"age": age})).unwrap();
        let visibility = survey.visibility(&answers);
        let ids = question_ids(&survey, 1);
        ["trans", "sexual_orientation"]
            .map(|id| visibility.question_visible(1, ids.iter().position(|q| *q == id).unwrap()))
    };
    assert_eq!(asked("under_16"), [false, false]);
    assert_eq!(asked("16_24"), [true, true]);
    assert_eq!(asked("prefer_not_to_say"), [true, true]);
}

#[test]
fn a_survey_offering_other_languages_sees_english_there_and_is_told() {
    let survey = parse_ok(&with_include(
        &["en", "pl"],
        json!({"id": "about_you", "include": SET}),
    ));
    let gaps = survey.translation_gaps();
    assert_eq!(gaps[0].locale, "pl");
    assert!(
        gaps[0]
            .missing
            .iter()
            .any(|at| at == "questions.ethnic_group.label")
    );
    // Texts in languages the survey does not offer are not carried into it.
    let served = survey.to_json();
    assert!(!served.contains("\"gd\""), "{served}");
}

#[test]
fn an_author_leaves_questions_out() {
    let survey = parse_ok(&with_include(
        &["en"],
        json!({"id": "about_you", "include": SET, "leave_out": ["religion", "religion_other_christian", "religion_another", "postcode"]}),
    ));
    let ids = question_ids(&survey, 1);
    assert!(!ids.contains(&"religion") && !ids.contains(&"postcode"));
    assert!(ids.contains(&"age"));
}

#[test]
fn a_question_shown_by_one_left_out_must_go_too() {
    assert_has_problem(
        &with_include(
            &["en"],
            json!({"id": "about_you", "include": SET, "leave_out": ["religion"]}),
        ),
        "pages[1].leave_out",
        "leaves out \"religion\", but whether \"religion_other_christian\" is asked depends on its answer",
    );
}

#[test]
fn wrong_references_are_explained_where_they_are() {
    assert_only_problem(
        &with_include(
            &["en"],
            json!({"id": "about_you", "include": "equality/scotland-2022"}),
        ),
        "pages[1].include",
        "there is no question set \"equality/scotland-2022\"; the sets are \"equality/scotland-2026\"",
    );
    assert_only_problem(
        &with_include(
            &["en"],
            json!({"id": "about_you", "include": SET, "leave_out": ["gender"]}),
        ),
        "pages[1].leave_out[0]",
        "\"gender\" is not a question of \"equality/scotland-2026\"; its questions are why_we_ask, age,",
    );
    assert_only_problem(
        &with_include(
            &["en"],
            json!({"id": "about_you", "include": SET, "questions": []}),
        ),
        "pages[1].include",
        "either includes a question set or lists its own questions",
    );
    assert_only_problem(
        &with_include(&["pl", "en"], json!({"id": "about_you", "include": SET})),
        "pages[1].include",
        "is written in en and gd; a survey whose default_locale is \"pl\" cannot include it",
    );
    // A misspelt field is caught with a suggestion, as everywhere.
    assert_has_problem(
        &with_include(&["en"], json!({"id": "about_you", "inclde": SET})),
        "pages[1].inclde",
        "did you mean \"include\"",
    );
}

#[test]
fn a_set_question_with_an_id_the_survey_already_uses_is_refused() {
    let mut definition = with_include(&["en"], json!({"id": "about_you", "include": SET}));
    definition["pages"][0]["questions"][0]["id"] = json!("postcode");
    let found = problems(&definition);
    assert!(
        found
            .iter()
            .any(|(path, message)| path.starts_with("pages[1].questions[")
                && message.contains("\"postcode\" is already the id of pages[0].questions[0]")),
        "{found:?}"
    );
}

#[test]
fn the_served_survey_reads_back_the_same_and_keeps_the_set_s_name() {
    let survey = parse_ok(&with_include(
        &["en", "gd"],
        json!({"id": "about_you", "include": SET, "leave_out": ["postcode"]}),
    ));
    let again = Survey::parse(&survey.to_json()).expect("the served form parses");
    assert_eq!(again, survey);
    assert_eq!(again.pages()[1].question_set(), Some(SET));
}

/// A set is never edited once published: surveys that include it would change under
/// the people answering them. A change is a new set with a new name.
#[test]
fn the_scottish_set_is_never_edited() {
    let text = include_str!("../question_sets/equality-scotland-2026.json");
    // FNV-1a, 64 bits: enough to notice an edit.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    assert_eq!(
        hash, 16872153111169416330,
        "equality/scotland-2026 has changed: publish a new set instead"
    );
}

/// A page whose inclusion fails does not shift the pages after it: their problems are
/// still reported at their own numbers.
#[test]
fn problems_after_a_failed_include_are_reported_where_they_are() {
    let mut definition = with_include(
        &["en"],
        json!({"id": "about_you", "include": "nothing/here"}),
    );
    definition["pages"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "last", "questions": [{"id": "bad", "type": "text", "lable": "x"}]}));
    let found = problems(&definition);
    assert!(
        found.iter().any(|(path, _)| path == "pages[1].include"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(path, _)| path == "pages[2].questions[0].lable"),
        "{found:?}"
    );
}
