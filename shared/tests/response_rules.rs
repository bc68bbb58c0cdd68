//! Every response rule and problem code of survey-format.md: a good and a bad submission for each, on small inline surveys.

mod support;

use serde_json::{Value, json};
use support::{
    assert_accepted, assert_rejected, codes, one_page, pages, parse_ok, submission, submission_with,
};
use voices_shared::{Answers, Channel, MAX_SPECIFY_LENGTH, SpecifyTexts, Submission, Survey};

/// One page with one question of every kind, none required.
fn every_kind() -> Survey {
    parse_ok(&one_page(json!([
        {"id": "single", "type": "single_choice", "label": "One", "options": [
            {"value": "yes", "label": "Yes"},
            {"value": "no", "label": "No"},
            {"value": "other", "label": "Other", "specify": true}
        ]},
        {"id": "multi", "type": "multiple_choice", "label": "Many", "options": [
            {"value": "a", "label": "A"},
            {"value": "b", "label": "B"},
            {"value": "other", "label": "Other", "specify": true},
            {"value": "none", "label": "None of these", "exclusive": true}
        ]},
        {"id": "limited", "type": "multiple_choice", "label": "Two or three", "min_selected": 2, "max_selected": 3, "options": [
            {"value": "a", "label": "A"},
            {"value": "b", "label": "B"},
            {"value": "c", "label": "C"},
            {"value": "d", "label": "D"}
        ]},
        {"id": "short", "type": "text", "label": "Short"},
        {"id": "long", "type": "text", "label": "Long", "multiline": true},
        {"id": "tiny", "type": "text", "label": "Tiny", "max_length": 5},
        {"id": "email", "type": "text", "label": "Email", "format": "email"},
        {"id": "phone", "type": "text", "label": "Phone", "format": "phone"},
        {"id": "postcode", "type": "text", "label": "Postcode", "format": "uk_postcode"},
        {"id": "rating", "type": "rating", "label": "Rate", "min": 1, "max": 5},
        {"id": "count", "type": "number", "label": "Count", "integer": true, "min": 0, "max": 10},
        {"id": "amount", "type": "number", "label": "Amount", "min": -1.5, "max": 2.5},
        {"id": "free", "type": "number", "label": "Any number"},
        {"id": "when", "type": "date", "label": "When", "min": "2024-01-01", "max": "2024-12-31"},
        {"id": "agree", "type": "consent", "label": "I agree"},
        {"id": "about", "type": "info", "label": "About", "body": "Read this."}
    ])))
}

/// Checks one answer: accepted (and stored as `stored`) or rejected with `code`.
#[track_caller]
fn accepts(survey: &Survey, id: &str, value: Value, stored: Value) {
    let answers = assert_accepted(survey, submission(json!({id: value})));
    assert_eq!(answers, json!({id: stored}), "stored answers");
}

#[track_caller]
fn rejects(survey: &Survey, id: &str, value: Value, code: &str) {
    assert_rejected(survey, submission(json!({id: value})), &[(id, code)]);
}

#[test]
fn required_questions_must_be_answered() {
    let survey = parse_ok(&one_page(json!([
        {"id": "q", "type": "single_choice", "label": "L", "required": true, "options": [
            {"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}
        ]},
        {"id": "t", "type": "text", "label": "L", "required": true},
        {"id": "m", "type": "multiple_choice", "label": "L", "required": true, "options": [{"value": "a", "label": "A"}]},
        {"id": "c", "type": "consent", "label": "L", "required": true}
    ])));
    assert_accepted(
        &survey,
        submission(json!({"q": "no", "t": "x", "m": ["a"], "c": true})),
    );
    assert_rejected(
        &survey,
        submission(json!({})),
        &[
            ("q", "required"),
            ("t", "required"),
            ("m", "required"),
            ("c", "required"),
        ],
    );
    // Blank text, an empty selection, an unticked box and null are all unanswered.
    assert_rejected(
        &survey,
        submission(json!({"q": null, "t": " \n\t ", "m": [], "c": false})),
        &[
            ("q", "required"),
            ("t", "required"),
            ("m", "required"),
            ("c", "required"),
        ],
    );
    let problems = survey
        .accept(submission(json!({"q": "no", "m": ["a"], "c": true})))
        .unwrap_err();
    assert_eq!(problems[0].path(), "answers.t");
    assert_eq!(problems[0].message(), "Answer this question");
    assert!(!problems[0].in_specify());
}

#[test]
fn answers_have_their_types_shape() {
    let survey = every_kind();
    let cases = [
        ("single", json!(["yes"]), "one option value"),
        ("single", json!(1), "one option value"),
        ("multi", json!("a"), "a list of option values"),
        ("multi", json!(["a", 2]), "a list of option values"),
        ("short", json!(5), "a string"),
        ("short", json!(["x"]), "a string"),
        ("rating", json!("4"), "a whole number"),
        ("count", json!("4"), "a number"),
        ("count", json!(true), "a number"),
        ("when", json!(20240101), "a date written YYYY-MM-DD"),
        ("agree", json!("yes"), "true (ticked)"),
        ("agree", json!(1), "true (ticked)"),
    ];
    for (id, value, expected) in cases {
        let problems = survey.accept(submission(json!({id: value}))).unwrap_err();
        assert_eq!(
            codes(&problems),
            [(Some(id), "wrong_type")],
            "{id} = {value}"
        );
        let message = problems[0].message();
        assert!(
            message.starts_with(&format!("The answer must be {expected}")),
            "{message}"
        );
    }
}

#[test]
fn choices_are_options_of_their_question() {
    let survey = every_kind();
    accepts(&survey, "single", json!("no"), json!("no"));
    accepts(&survey, "multi", json!(["b", "a"]), json!(["b", "a"]));
    rejects(&survey, "single", json!("maybe"), "not_an_option");
    rejects(&survey, "single", json!("Yes"), "not_an_option");
    rejects(&survey, "multi", json!(["a", "c"]), "not_an_option");
    let problems = survey
        .accept(submission(json!({"single": "maybe"})))
        .unwrap_err();
    assert_eq!(problems[0].message(), "\"maybe\" is not one of the options");
}

#[test]
fn a_choice_is_selected_once() {
    let survey = every_kind();
    accepts(&survey, "multi", json!(["a", "b"]), json!(["a", "b"]));
    rejects(&survey, "multi", json!(["a", "b", "a"]), "duplicate");
}

#[test]
fn exclusive_options_stand_alone() {
    let survey = every_kind();
    accepts(&survey, "multi", json!(["none"]), json!(["none"]));
    rejects(&survey, "multi", json!(["none", "a"]), "exclusive");
    rejects(&survey, "multi", json!(["a", "none"]), "exclusive");
    let problems = survey
        .accept(submission(json!({"multi": ["a", "none"]})))
        .unwrap_err();
    assert_eq!(
        problems[0].message(),
        "\"None of these\" cannot be selected together with other options"
    );
}

#[test]
fn two_exclusive_options_name_the_first_by_value_whatever_the_order_chosen() {
    let survey = parse_ok(&one_page(json!([
        {"id": "m", "type": "multiple_choice", "label": "Pick", "options": [
            {"value": "a", "label": "A"},
            {"value": "zz_none", "label": "None of these", "exclusive": true},
            {"value": "prefer_not", "label": "Prefer not to say", "exclusive": true}
        ]}
    ])));
    for chosen in [
        json!(["zz_none", "prefer_not"]),
        json!(["prefer_not", "a", "zz_none"]),
    ] {
        let problems = survey
            .accept(submission(json!({ "m": chosen })))
            .unwrap_err();
        assert_eq!(
            problems[0].message(),
            "\"Prefer not to say\" cannot be selected together with other options"
        );
    }
}

#[test]
fn an_exclusive_option_alone_satisfies_min_selected() {
    let survey = parse_ok(&one_page(json!([
        {"id": "m", "type": "multiple_choice", "label": "Pick two", "required": true, "min_selected": 2, "options": [
            {"value": "a", "label": "A"},
            {"value": "b", "label": "B"},
            {"value": "prefer_not", "label": "Prefer not to say", "exclusive": true}
        ]}
    ])));
    accepts(&survey, "m", json!(["prefer_not"]), json!(["prefer_not"]));
    accepts(&survey, "m", json!(["a", "b"]), json!(["a", "b"]));
    rejects(&survey, "m", json!(["a"]), "too_few");
}

#[test]
fn selections_respect_max_selected() {
    let survey = every_kind();
    accepts(
        &survey,
        "limited",
        json!(["a", "b", "c"]),
        json!(["a", "b", "c"]),
    );
    rejects(&survey, "limited", json!(["a", "b", "c", "d"]), "too_many");
    let problems = survey
        .accept(submission(json!({"limited": ["a", "b", "c", "d"]})))
        .unwrap_err();
    assert_eq!(problems[0].message(), "Select no more than 3 options");
}

#[test]
fn selections_respect_min_selected() {
    let survey = every_kind();
    accepts(&survey, "limited", json!(["d", "a"]), json!(["d", "a"]));
    rejects(&survey, "limited", json!(["a"]), "too_few");
    // min_selected applies to answers: an optional question may be left empty.
    let answers = assert_accepted(&survey, submission(json!({"limited": []})));
    assert_eq!(answers, json!({}));
}

#[test]
fn text_is_at_most_max_length_characters() {
    let survey = every_kind();
    accepts(&survey, "tiny", json!("abcde"), json!("abcde"));
    accepts(&survey, "tiny", json!("  abcde \n"), json!("abcde"));
    accepts(&survey, "tiny", json!("ŁódźĘ"), json!("ŁódźĘ"));
    rejects(&survey, "tiny", json!("abcdef"), "too_long");
    accepts(
        &survey,
        "short",
        json!("x".repeat(200)),
        json!("x".repeat(200)),
    );
    rejects(&survey, "short", json!("x".repeat(201)), "too_long");
    accepts(
        &survey,
        "long",
        json!("x".repeat(2000)),
        json!("x".repeat(2000)),
    );
    rejects(&survey, "long", json!("x".repeat(2001)), "too_long");
    let problems = survey
        .accept(submission(json!({"tiny": "abcdef"})))
        .unwrap_err();
    assert_eq!(problems[0].message(), "Enter 5 characters or fewer");
}

#[test]
fn text_is_trimmed_and_blank_text_is_unanswered() {
    let survey = every_kind();
    accepts(
        &survey,
        "short",
        json!("  hello there \n"),
        json!("hello there"),
    );
    let answers = assert_accepted(&survey, submission(json!({"short": "   ", "long": ""})));
    assert_eq!(answers, json!({}), "blank answers are dropped");
}

#[test]
fn ratings_and_numbers_are_in_range() {
    let survey = every_kind();
    for good in [1, 5] {
        accepts(&survey, "rating", json!(good), json!(good));
    }
    for bad in [json!(0), json!(6), json!(-1), json!(u64::MAX)] {
        rejects(&survey, "rating", bad, "out_of_range");
    }
    accepts(&survey, "count", json!(0), json!(0));
    accepts(&survey, "count", json!(10), json!(10));
    rejects(&survey, "count", json!(-1), "out_of_range");
    rejects(&survey, "count", json!(11), "out_of_range");
    accepts(&survey, "amount", json!(-1.5), json!(-1.5));
    accepts(&survey, "amount", json!(2.5), json!(2.5));
    rejects(&survey, "amount", json!(-1.6), "out_of_range");
    rejects(&survey, "amount", json!(2.51), "out_of_range");
    accepts(&survey, "free", json!(-1e9), json!(-1_000_000_000));
    accepts(&survey, "free", json!(1e300), json!(1e300));
    let problems = survey
        .accept(submission(json!({"rating": 6, "amount": 3})))
        .unwrap_err();
    assert_eq!(problems[0].message(), "Enter a number between 1 and 5");
    assert_eq!(problems[1].message(), "Enter a number between -1.5 and 2.5");
}

#[test]
fn dates_are_in_range() {
    let survey = every_kind();
    accepts(&survey, "when", json!("2024-01-01"), json!("2024-01-01"));
    accepts(&survey, "when", json!(" 2024-12-31 "), json!("2024-12-31"));
    rejects(&survey, "when", json!("2023-12-31"), "out_of_range");
    rejects(&survey, "when", json!("2025-01-01"), "out_of_range");
    let problems = survey
        .accept(submission(json!({"when": "2025-01-01"})))
        .unwrap_err();
    assert_eq!(
        problems[0].message(),
        "The date must be between 1 January 2024 and 31 December 2024"
    );
}

#[test]
fn integer_numbers_are_whole() {
    let survey = every_kind();
    accepts(&survey, "count", json!(3), json!(3));
    // A whole number is whole however it is written, and is stored the one way.
    accepts(&survey, "count", json!(3.0), json!(3));
    accepts(&survey, "rating", json!(4.0), json!(4));
    accepts(&survey, "free", json!(2.0), json!(2));
    rejects(&survey, "count", json!(2.5), "not_integer");
    rejects(&survey, "rating", json!(3.5), "not_integer");
    accepts(&survey, "amount", json!(0.25), json!(0.25));
}

#[test]
fn dates_are_real_dates() {
    let survey = every_kind();
    accepts(&survey, "when", json!("2024-02-29"), json!("2024-02-29"));
    for bad in [
        "2024-02-30",
        "30/01/2024",
        "2024-1-5",
        "tomorrow",
        "2024-06-01T10:00:00Z",
    ] {
        rejects(&survey, "when", json!(bad), "bad_date");
    }
    let answers = assert_accepted(&survey, submission(json!({"when": "  "})));
    assert_eq!(answers, json!({}), "a blank date is unanswered");
}

#[test]
fn email_answers_look_like_email_addresses() {
    let survey = every_kind();
    accepts(
        &survey,
        "email",
        json!(" name@example.com "),
        json!("name@example.com"),
    );
    for bad in [
        "name@example",
        "name.example.com",
        "na me@example.com",
        "@example.com",
        "a@b@example.com",
    ] {
        rejects(&survey, "email", json!(bad), "bad_email");
    }
}

#[test]
fn phone_answers_look_like_phone_numbers() {
    let survey = every_kind();
    for good in ["01632 960 001", "+44 7700 900982", "(01632) 960-001"] {
        accepts(&survey, "phone", json!(good), json!(good));
    }
    for bad in [
        "call me",
        "12345",
        "+44 7700 900982 ext 4",
        "1234567890123456",
    ] {
        rejects(&survey, "phone", json!(bad), "bad_phone");
    }
}

#[test]
fn postcode_answers_are_full_uk_postcodes() {
    let survey = every_kind();
    for good in ["EH1 1YZ", "eh1 1yz", "G2 3AA", "DD11AB", "SW1A 1AA"] {
        accepts(&survey, "postcode", json!(good), json!(good));
    }
    for bad in ["EH1", "EH1  1YZ", "12345", "EH1 YZ1", "ABCDE 1YZ"] {
        rejects(&survey, "postcode", json!(bad), "bad_postcode");
    }
}

/// "gate" decides whether "follow_up" and the second page are shown.
fn gated() -> Survey {
    parse_ok(&pages(json!([
        {"id": "p1", "questions": [
            {"id": "gate", "type": "single_choice", "label": "Go on?", "options": [
                {"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}
            ]},
            {"id": "follow_up", "type": "multiple_choice", "label": "Which?", "required": true,
             "visible_if": {"question": "gate", "equals": "yes"},
             "options": [{"value": "a", "label": "A"}, {"value": "other", "label": "Other", "specify": true}]}
        ]},
        {"id": "p2", "visible_if": {"question": "gate", "answered": true}, "questions": [
            {"id": "last", "type": "text", "label": "Last", "required": true}
        ]}
    ])))
}

#[test]
fn hidden_questions_are_not_answered() {
    let survey = gated();
    assert_accepted(
        &survey,
        submission(json!({"gate": "yes", "follow_up": ["a"], "last": "x"})),
    );
    assert_rejected(
        &survey,
        submission(json!({"gate": "no", "follow_up": ["a"], "last": "x"})),
        &[("follow_up", "hidden")],
    );
    // Even an invalid answer to a hidden question is reported as hidden.
    assert_rejected(
        &survey,
        submission(json!({"gate": "no", "follow_up": 7, "last": "x"})),
        &[("follow_up", "hidden")],
    );
    // A hidden page's questions too; and its required questions are not required.
    assert_rejected(
        &survey,
        submission(json!({"last": "x"})),
        &[("last", "hidden")],
    );
    assert_accepted(&survey, submission(json!({})));
    // A blank answer to a hidden question says nothing, so it is no problem.
    assert_accepted(
        &survey,
        submission(json!({"gate": "no", "follow_up": [], "last": "x"})),
    );
    let problems = survey.accept(submission(json!({"last": "x"}))).unwrap_err();
    assert!(
        problems[0].message().contains("not asked"),
        "{}",
        problems[0]
    );
}

#[test]
fn answers_are_only_for_questions_of_the_survey() {
    let survey = every_kind();
    assert_rejected(
        &survey,
        submission(json!({"nope": 1, "short": "x"})),
        &[("nope", "unknown_question")],
    );
    let problems = survey
        .accept(submission(json!({"nope": null})))
        .unwrap_err();
    assert_eq!(problems[0].path(), "answers.nope");
}

#[test]
fn info_blocks_take_no_answer() {
    let survey = every_kind();
    rejects(&survey, "about", json!("read it"), "not_a_question");
    rejects(&survey, "about", json!(true), "not_a_question");
    assert_accepted(&survey, submission(json!({"single": "yes"})));
}

#[test]
fn specify_text_is_required_when_the_specify_option_is_chosen() {
    let survey = every_kind();
    let valid = survey
        .accept(submission_with(
            json!({"single": "other", "multi": ["a", "other"]}),
            json!({"single": "  By boat ", "multi": "Kayak"}),
        ))
        .unwrap();
    assert_eq!(
        serde_json::to_value(valid.specify()).unwrap(),
        json!({"single": "By boat", "multi": "Kayak"})
    );
    assert_rejected(
        &survey,
        submission(json!({"single": "other", "multi": ["other"]})),
        &[("single", "specify_missing"), ("multi", "specify_missing")],
    );
    assert_rejected(
        &survey,
        submission_with(json!({"single": "other"}), json!({"single": " \n "})),
        &[("single", "specify_missing")],
    );
    let problems = survey
        .accept(submission(json!({"single": "other"})))
        .unwrap_err();
    assert!(problems[0].in_specify());
    assert_eq!(problems[0].path(), "specify.single");
}

#[test]
fn specify_text_is_given_only_where_needed() {
    let survey = every_kind();
    // The specify option is not chosen.
    assert_rejected(
        &survey,
        submission_with(
            json!({"single": "yes", "multi": ["a"]}),
            json!({"single": "x", "multi": "y"}),
        ),
        &[
            ("single", "specify_unexpected"),
            ("multi", "specify_unexpected"),
        ],
    );
    // The question is not answered.
    assert_rejected(
        &survey,
        submission_with(json!({}), json!({"single": "x"})),
        &[("single", "specify_unexpected")],
    );
    // The question has no specify option: reported once, not twice.
    assert_rejected(
        &survey,
        submission_with(json!({"short": "x"}), json!({"short": "x"})),
        &[("short", "specify_unexpected")],
    );
    assert_rejected(
        &survey,
        submission_with(json!({}), json!({"about": "x"})),
        &[("about", "specify_unexpected")],
    );
    // ... even when the answer itself is wrong.
    assert_rejected(
        &survey,
        submission_with(json!({"short": 5}), json!({"short": "x"})),
        &[("short", "wrong_type"), ("short", "specify_unexpected")],
    );
    // No such question.
    assert_rejected(
        &survey,
        submission_with(json!({}), json!({"nope": "x"})),
        &[("nope", "specify_unexpected")],
    );
    // Blank text where none is needed says nothing, and is dropped.
    let valid = survey
        .accept(submission_with(
            json!({"single": "yes"}),
            json!({"single": "  "}),
        ))
        .unwrap();
    assert!(valid.specify().is_empty());
    let problems = survey
        .accept(submission_with(json!({}), json!({"single": "x"})))
        .unwrap_err();
    assert_eq!(problems[0].path(), "specify.single");
}

/// Each question's problems come in one order: its answer's, then its specify text's; a
/// question with a wrong answer says nothing of its specify text when it has a specify
/// option (what the text is for depends on an answer it cannot read); a hidden question
/// is only "hidden", whatever its answer and text.
#[test]
fn a_question_s_problems_come_in_one_order() {
    let survey = gated();
    assert_rejected(
        &survey,
        submission_with(json!({"gate": "yes"}), json!({"follow_up": "x"})),
        &[
            ("follow_up", "required"),
            ("follow_up", "specify_unexpected"),
            ("last", "required"),
        ],
    );
    assert_rejected(
        &survey,
        submission_with(
            json!({"gate": "yes", "follow_up": ["nope"], "last": "x"}),
            json!({"follow_up": "x"}),
        ),
        &[("follow_up", "not_an_option")],
    );
    for follow_up in [json!(["a"]), json!(["other"]), json!(5)] {
        assert_rejected(
            &survey,
            submission_with(
                json!({"gate": "no", "follow_up": follow_up, "last": "x"}),
                json!({"follow_up": "x"}),
            ),
            &[("follow_up", "hidden")],
        );
    }
}

#[test]
fn specify_text_of_a_hidden_question_is_unexpected() {
    let survey = gated();
    assert_rejected(
        &survey,
        submission_with(
            json!({"gate": "no", "last": "x"}),
            json!({"follow_up": "x"}),
        ),
        &[("follow_up", "specify_unexpected")],
    );
    assert_accepted(
        &survey,
        submission_with(
            json!({"gate": "yes", "follow_up": ["other"], "last": "x"}),
            json!({"follow_up": "x"}),
        ),
    );
}

#[test]
fn specify_text_is_at_most_500_characters() {
    let survey = every_kind();
    assert_eq!(MAX_SPECIFY_LENGTH, 500);
    let ok = "ż".repeat(500);
    let valid = survey
        .accept(submission_with(
            json!({"single": "other"}),
            json!({"single": format!("  {ok}  ")}),
        ))
        .unwrap();
    assert_eq!(*valid.specify().get("single").unwrap(), ok);
    let problems = survey
        .accept(submission_with(
            json!({"single": "other"}),
            json!({"single": "ż".repeat(501)}),
        ))
        .unwrap_err();
    assert_eq!(codes(&problems), [(Some("single"), "too_long")]);
    assert!(problems[0].in_specify());
    assert_eq!(problems[0].path(), "specify.single");
    assert_eq!(problems[0].message(), "Enter 500 characters or fewer");
}

#[test]
fn consent_is_ticked_or_unanswered() {
    let survey = every_kind();
    accepts(&survey, "agree", json!(true), json!(true));
    let answers = assert_accepted(&survey, submission(json!({"agree": false})));
    assert_eq!(answers, json!({}), "an unticked box is unanswered");
}

#[test]
fn the_response_names_the_survey_version() {
    let survey = every_kind();
    let mut wrong = submission(json!({}));
    wrong.survey_version = 2;
    let problems = survey.accept(wrong).unwrap_err();
    assert_eq!(codes(&problems), [(None, "wrong_version")]);
    assert_eq!(problems[0].path(), "survey_version");
    assert!(
        problems[0].message().contains("version 2"),
        "{}",
        problems[0]
    );
    assert_accepted(&survey, submission(json!({})));
}

#[test]
fn the_response_locale_is_offered_by_the_survey() {
    let survey = parse_ok(&support::with(
        &support::minimal(),
        "/locales",
        Some(json!(["en", "pl"])),
    ));
    for good in ["en", "pl"] {
        let mut ok = submission(json!({}));
        ok.locale = good.to_owned();
        assert_accepted(&survey, ok);
    }
    for bad in ["fr", "EN", ""] {
        let mut wrong = submission(json!({}));
        wrong.locale = bad.to_owned();
        let problems = survey.accept(wrong).unwrap_err();
        assert_eq!(codes(&problems), [(None, "unknown_locale")], "{bad}");
        assert_eq!(problems[0].path(), "locale");
    }
}

#[test]
fn every_problem_is_reported_at_once_in_survey_order() {
    let survey = every_kind();
    let mut bad = submission_with(
        json!({"when": "2024-02-30", "single": "maybe", "nope": 1, "about": "x", "rating": 9, "multi": ["other"]}),
        json!({"ghost": "x"}),
    );
    bad.survey_version = 3;
    bad.locale = "xx".into();
    let problems = survey.accept(bad).unwrap_err();
    assert_eq!(
        codes(&problems),
        [
            (None, "wrong_version"),
            (None, "unknown_locale"),
            (Some("about"), "not_a_question"),
            (Some("nope"), "unknown_question"),
            (Some("ghost"), "specify_unexpected"),
            (Some("single"), "not_an_option"),
            (Some("multi"), "specify_missing"),
            (Some("rating"), "out_of_range"),
            (Some("when"), "bad_date"),
        ]
    );
    let json = serde_json::to_value(&problems[5]).unwrap();
    assert_eq!(
        json,
        json!({"question": "single", "path": "answers.single", "code": "not_an_option", "message": "\"maybe\" is not one of the options"})
    );
}

#[test]
fn an_accepted_response_is_normalised() {
    let survey = every_kind();
    let valid = survey
        .accept(submission(json!({
            "short": "  hi ", "long": "", "when": "2024-03-05 ", "multi": [], "agree": false, "rating": 3, "free": null
        })))
        .unwrap();
    assert_eq!(
        serde_json::to_value(valid.answers()).unwrap(),
        json!({"short": "hi", "when": "2024-03-05", "rating": 3})
    );
    assert_eq!(valid.submission_id(), submission(json!({})).submission_id);
    let stored = serde_json::to_value(&valid).unwrap();
    assert_eq!(stored["channel"], "online");
    assert_eq!(stored["answers"]["short"], "hi");
}

/// Two pages; the second has a question shown only when "pets" includes "dog".
fn two_pages() -> Survey {
    parse_ok(&pages(json!([
        {"id": "p1", "questions": [
            {"id": "name", "type": "text", "label": "Name", "required": true},
            {"id": "pets", "type": "multiple_choice", "label": "Pets", "options": [
                {"value": "dog", "label": "Dog"}, {"value": "cat", "label": "Cat"}, {"value": "other", "label": "Other", "specify": true}
            ]}
        ]},
        {"id": "p2", "questions": [
            {"id": "dog_name", "type": "text", "label": "Dog's name", "required": true, "max_length": 10,
             "visible_if": {"question": "pets", "any_of": ["dog"]}},
            {"id": "age", "type": "number", "label": "Age", "required": true, "min": 0}
        ]}
    ])))
}

#[test]
fn check_page_checks_only_that_pages_visible_questions() {
    let survey = two_pages();
    let none = SpecifyTexts::new();
    let answers = |value: Value| -> Answers { serde_json::from_value(value).unwrap() };
    // Page 1 alone: page 2's missing answers are not its business.
    assert_eq!(
        codes(&survey.check_page(0, &answers(json!({})), &none)),
        [(Some("name"), "required")]
    );
    assert!(
        survey
            .check_page(0, &answers(json!({"name": "Ann"})), &none)
            .is_empty()
    );
    // Page 2: the answers on page 1 decide what is visible there.
    assert_eq!(
        codes(&survey.check_page(1, &answers(json!({"pets": ["dog"]})), &none)),
        [(Some("dog_name"), "required"), (Some("age"), "required")]
    );
    assert_eq!(
        codes(&survey.check_page(1, &answers(json!({"pets": ["cat"]})), &none)),
        [(Some("age"), "required")]
    );
    // A hidden question's answer is kept by the widget, not checked.
    assert!(
        survey
            .check_page(
                1,
                &answers(json!({"pets": ["cat"], "dog_name": "x".repeat(50), "age": 3})),
                &none
            )
            .is_empty()
    );
    assert_eq!(
        codes(&survey.check_page(
            1,
            &answers(json!({"pets": ["dog"], "dog_name": "x".repeat(50), "age": -1})),
            &none
        )),
        [
            (Some("dog_name"), "too_long"),
            (Some("age"), "out_of_range")
        ]
    );
    // Specify problems belong to their question's page.
    let specify: SpecifyTexts = [("pets".to_owned(), "x".to_owned())].into();
    assert!(
        survey
            .check_page(1, &answers(json!({"age": 3})), &specify)
            .is_empty()
    );
    assert_eq!(
        codes(&survey.check_page(0, &answers(json!({"name": "A"})), &specify)),
        [(Some("pets"), "specify_unexpected")]
    );
    assert_eq!(
        codes(&survey.check_page(0, &answers(json!({"name": "A", "pets": ["other"]})), &none)),
        [(Some("pets"), "specify_missing")]
    );
}

#[test]
fn answers_to_submit_drops_hidden_and_unanswered_answers() {
    let survey = two_pages();
    let answers: Answers = serde_json::from_value(json!({
        "name": " Ann ", "pets": ["cat", "other"], "dog_name": "Rex", "age": 40, "unknown": 1
    }))
    .unwrap();
    let specify: SpecifyTexts = [("pets".to_owned(), " Snake ".to_owned())].into();
    let (kept, kept_specify) = survey.answers_to_submit(&answers, &specify);
    assert_eq!(
        serde_json::to_value(&kept).unwrap(),
        json!({"name": "Ann", "pets": ["cat", "other"], "age": 40})
    );
    assert_eq!(
        kept_specify,
        [("pets".to_owned(), "Snake".to_owned())].into()
    );
    // When the question asking for specify text is hidden or changed, its text goes too.
    let changed: Answers = serde_json::from_value(
        json!({"name": "Ann", "pets": ["dog"], "dog_name": "Rex", "age": 40}),
    )
    .unwrap();
    let (kept, kept_specify) = survey.answers_to_submit(&changed, &specify);
    assert_eq!(
        serde_json::to_value(&kept).unwrap(),
        json!({"name": "Ann", "pets": ["dog"], "dog_name": "Rex", "age": 40})
    );
    assert!(kept_specify.is_empty());
    // What it keeps is accepted.
    let mut sub = submission(json!({}));
    sub.answers = kept;
    sub.specify = kept_specify;
    assert_accepted(&survey, sub);
}

// ---------------------------------------------------------------- the submission's shape

const GOOD: &str = r#"{
    "submission_id": "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11",
    "survey_version": 3,
    "locale": "en",
    "channel": "face_to_face",
    "answers": {"how_heard": "poster", "ways": ["face_to_face", "other"], "rating_info": 4},
    "specify": {"ways": "At the carers centre coffee morning"},
    "started_at": "2026-11-22T10:15:00Z"
}"#;

fn read(json: &str) -> Result<Submission, serde_json::Error> {
    serde_json::from_str(json)
}

#[test]
fn submissions_deserialise_from_the_documented_shape() {
    let submission = read(GOOD).unwrap();
    assert_eq!(
        submission.submission_id.to_string(),
        "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11"
    );
    assert_eq!(submission.survey_version, 3);
    assert_eq!(submission.channel, Channel::FaceToFace);
    assert_eq!(submission.answers["rating_info"], json!(4));
    assert_eq!(
        *submission.specify.get("ways").unwrap(),
        "At the carers centre coffee morning"
    );
    assert_eq!(
        submission.started_at.unwrap().unix_timestamp(),
        1_795_342_500
    );
    // And back.
    let again: Submission =
        serde_json::from_value(serde_json::to_value(&submission).unwrap()).unwrap();
    assert_eq!(again, submission);
}

#[test]
fn channel_defaults_to_online_and_optional_fields_may_be_left_out() {
    let minimal = r#"{"submission_id": "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11", "survey_version": 1, "locale": "en", "answers": {}}"#;
    let submission = read(minimal).unwrap();
    assert_eq!(submission.channel, Channel::Online);
    assert!(submission.specify.is_empty());
    assert_eq!(submission.started_at, None);
    for channel in Channel::ALL {
        let json = GOOD.replace("face_to_face\",\n", &format!("{}\",\n", channel.as_str()));
        assert_eq!(read(&json).unwrap().channel, channel);
        assert_eq!(Channel::parse(channel.as_str()), Some(channel));
    }
}

#[test]
fn submissions_of_the_wrong_shape_are_refused() {
    let unknown = GOOD.replace("\"locale\"", "\"ip_address\": \"1.2.3.4\", \"locale\"");
    assert!(
        read(&unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown field `ip_address`")
    );
    for bad_id in ["not-a-uuid", "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a1", ""] {
        let json = GOOD.replace("6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11", bad_id);
        assert!(read(&json).is_err(), "{bad_id}");
    }
    let bad_channel = GOOD.replace("\"face_to_face\",\n", "\"fax\",\n");
    assert!(
        read(&bad_channel)
            .unwrap_err()
            .to_string()
            .contains("unknown variant `fax`")
    );
    let missing_answers = r#"{"submission_id": "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11", "survey_version": 1, "locale": "en"}"#;
    assert!(
        read(missing_answers)
            .unwrap_err()
            .to_string()
            .contains("missing field `answers`")
    );
    assert!(read(&GOOD.replace("\"survey_version\": 3", "\"survey_version\": -1")).is_err());
    assert!(read(&GOOD.replace("2026-11-22T10:15:00Z", "yesterday")).is_err());
    assert!(read(&GOOD.replace("\"At the carers centre coffee morning\"", "7")).is_err());
    assert!(
        read(GOOD).is_ok(),
        "the replacements above must have changed something"
    );
}

#[test]
fn started_at_is_kept_in_utc() {
    let survey = support::parse_ok(&support::minimal());
    let mut sent = support::submission(json!({"q": "hello"}));
    sent.started_at = Some(
        time::OffsetDateTime::parse(
            "2026-11-22T11:15:00+01:00",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap(),
    );
    let kept = survey.accept(sent).unwrap().into_submission();
    let at = kept.started_at.unwrap();
    assert_eq!(at.offset(), time::UtcOffset::UTC);
    assert_eq!(
        (at.hour(), at.minute()),
        (10, 15),
        "the same moment, written in UTC"
    );
}

/// A body as the collector reads it, started at `started_at` (as written by the sender).
fn started(started_at: &str) -> Submission {
    read(&format!(
        r#"{{"submission_id": "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11", "survey_version": 1, "locale": "en", "answers": {{"q": "hello"}}, "started_at": "{started_at}"}}"#
    ))
    .unwrap_or_else(|e| panic!("{started_at} is RFC 3339: {e}"))
}

/// Asserts that `survey` refuses a body started at `at` with one problem, at `started_at`.
#[track_caller]
fn assert_started_at_refused(survey: &Survey, at: &str) {
    let problems = match survey.accept(started(at)) {
        Ok(valid) => panic!(
            "{at} was accepted; its stored form serialises as {:?}",
            serde_json::to_string(&valid).map_err(|e| e.to_string())
        ),
        Err(problems) => problems,
    };
    assert_eq!(codes(&problems), [(None, "bad_started_at")], "{at}");
    assert_eq!(problems[0].path(), "started_at", "{at}");
    assert_eq!(
        problems[0].message(),
        "started_at must be a real time between the years 0000 and 9999 when written in UTC"
    );
    let json = serde_json::to_value(&problems).unwrap();
    assert_eq!(json[0]["path"], "started_at", "{json}");
}

/// RFC 3339 writes years 0000 to 9999 only, and the collector stores
/// started_at in UTC as RFC 3339. A time the sender wrote within those years
/// can leave them once its offset is taken away: `9999-12-31T23:59:59-01:00`
/// is in the year 10000 in UTC, past what `time` holds, so converting it
/// panicked and the collector dropped the connection without an answer.
#[test]
fn a_started_at_in_the_year_10000_in_utc_is_refused() {
    let survey = support::parse_ok(&support::minimal());
    for at in ["9999-12-31T23:59:59-01:00", "9999-12-31T23:00:00-23:59"] {
        assert_started_at_refused(&survey, at);
    }
    // Reported with every other problem, not instead of them.
    let mut several = started("9999-12-31T23:59:59-01:00");
    several.locale = "xx".to_owned();
    several.answers.insert("nope".to_owned(), json!(1));
    let problems = survey.accept(several).unwrap_err();
    assert_eq!(
        codes(&problems),
        [
            (None, "unknown_locale"),
            (None, "bad_started_at"),
            (Some("nope"), "unknown_question"),
        ]
    );
}

/// `0000-01-01T00:00:00+01:00` is in the year -1 in UTC: `time` holds it, so
/// it was accepted, and then its stored form could not be written.
#[test]
fn a_started_at_before_the_year_0000_in_utc_is_refused() {
    let survey = support::parse_ok(&support::minimal());
    for at in [
        "0000-01-01T00:00:00+01:00",
        "0000-01-01T00:59:59+01:00",
        "0000-01-01T23:58:59+23:59",
    ] {
        assert_started_at_refused(&survey, at);
    }
}

#[test]
fn a_started_at_at_the_edges_of_the_storable_years_is_accepted_and_stored() {
    let survey = support::parse_ok(&support::minimal());
    for (at, utc) in [
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("9999-12-31T23:59:60Z", "9999-12-31T23:59:59.999999999Z"),
        ("9999-12-31T23:59:59+01:00", "9999-12-31T22:59:59Z"),
        ("9999-12-31T22:59:59-01:00", "9999-12-31T23:59:59Z"),
        ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
        ("0000-01-01T00:00:00-01:00", "0000-01-01T01:00:00Z"),
        ("0000-01-01T01:00:00+01:00", "0000-01-01T00:00:00Z"),
    ] {
        let valid = survey
            .accept(started(at))
            .unwrap_or_else(|p| panic!("{at} is refused: {p:?}"));
        // Stored as the collector stores it, and read back as the same moment.
        let stored = serde_json::to_value(&valid).unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(stored["started_at"], utc, "{at}");
        let read: Submission = serde_json::from_value(stored).unwrap();
        assert_eq!(&read, valid.submission(), "{at}");
    }
}

#[test]
fn an_answer_written_twice_is_refused() {
    let body = r#"{"submission_id": "6f1c2f1e-9a43-4b7e-9e0b-2f7f0e6b5a11", "survey_version": 1, "locale": "en", "answers": {"q": "a", "q": "b"}}"#;
    let error = serde_json::from_str::<voices_shared::Submission>(body).unwrap_err();
    assert!(
        error.to_string().contains("\"q\" is written twice"),
        "{error}"
    );
}
