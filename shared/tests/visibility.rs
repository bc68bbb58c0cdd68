//! Which pages and questions `Survey::visibility` shows for given answers: every kind of condition, page conditions, and hidden questions counting as unanswered.

mod support;

use serde_json::{Value, json};
use support::{one_page, pages, parse_ok};
use voices_shared::{Answers, Survey};

fn answers(value: Value) -> Answers {
    serde_json::from_value(value).expect("answers are an object")
}

/// The ids of the questions visible for `value`, in survey order.
fn visible(survey: &Survey, value: Value) -> Vec<String> {
    let answers = answers(value);
    let visibility = survey.visibility(&answers);
    let mut ids = Vec::new();
    for (p, page) in survey.pages().iter().enumerate() {
        for (q, question) in page.questions().iter().enumerate() {
            let shown = visibility.question_visible(p, q);
            assert_eq!(shown, survey.is_question_visible(question.id(), &answers));
            if shown {
                ids.push(question.id().to_owned());
            }
        }
    }
    ids
}

/// Earlier questions of every kind, then "t" shown when `condition` holds.
fn target_after(condition: Value) -> Survey {
    parse_ok(&one_page(json!([
        {"id": "single", "type": "single_choice", "label": "L", "options": [
            {"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}, {"value": "maybe", "label": "Maybe"}
        ]},
        {"id": "multi", "type": "multiple_choice", "label": "L", "options": [
            {"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}
        ]},
        {"id": "rating", "type": "rating", "label": "L", "min": 0, "max": 10},
        {"id": "number", "type": "number", "label": "L"},
        {"id": "text", "type": "text", "label": "L"},
        {"id": "date", "type": "date", "label": "L"},
        {"id": "consent", "type": "consent", "label": "L"},
        {"id": "t", "type": "text", "label": "Target", "visible_if": condition}
    ])))
}

/// Whether the target question is shown for `value`.
#[track_caller]
fn shown(survey: &Survey, value: Value) -> bool {
    survey.is_question_visible("t", &answers(value))
}

#[test]
fn questions_without_conditions_are_always_visible() {
    let survey = target_after(json!({"question": "single", "answered": true}));
    assert_eq!(
        visible(&survey, json!({})),
        [
            "single", "multi", "rating", "number", "text", "date", "consent"
        ]
    );
}

#[test]
fn equals_on_a_single_choice() {
    let survey = target_after(json!({"question": "single", "equals": "yes"}));
    assert!(shown(&survey, json!({"single": "yes"})));
    assert!(!shown(&survey, json!({"single": "no"})));
    assert!(!shown(&survey, json!({})));
}

#[test]
fn equals_on_ratings_and_numbers_compares_values() {
    let survey = target_after(json!({"question": "rating", "equals": 7}));
    assert!(shown(&survey, json!({"rating": 7})));
    assert!(shown(&survey, json!({"rating": 7.0})));
    assert!(!shown(&survey, json!({"rating": 6})));
    assert!(!shown(&survey, json!({"rating": "7"})));
    let survey = target_after(json!({"question": "number", "equals": 2.5}));
    assert!(shown(&survey, json!({"number": 2.5})));
    assert!(!shown(&survey, json!({"number": 2})));
    let survey = target_after(json!({"question": "number", "equals": 0}));
    assert!(shown(&survey, json!({"number": 0})), "0 is an answer");
    assert!(!shown(&survey, json!({})));
}

#[test]
fn equals_on_text_dates_and_consent() {
    let survey = target_after(json!({"question": "text", "equals": "yes"}));
    assert!(shown(&survey, json!({"text": "yes"})));
    assert!(shown(&survey, json!({"text": "  yes "})), "text is trimmed");
    assert!(!shown(&survey, json!({"text": "Yes"})));
    let survey = target_after(json!({"question": "date", "equals": "2024-03-27"}));
    assert!(shown(&survey, json!({"date": "2024-03-27"})));
    assert!(!shown(&survey, json!({"date": "2024-03-28"})));
    let survey = target_after(json!({"question": "consent", "equals": true}));
    assert!(shown(&survey, json!({"consent": true})));
    assert!(!shown(&survey, json!({"consent": false})));
    assert!(!shown(&survey, json!({})));
}

#[test]
fn any_of_on_a_single_choice_is_one_of() {
    let survey = target_after(json!({"question": "single", "any_of": ["yes", "maybe"]}));
    assert!(shown(&survey, json!({"single": "yes"})));
    assert!(shown(&survey, json!({"single": "maybe"})));
    assert!(!shown(&survey, json!({"single": "no"})));
    assert!(!shown(&survey, json!({})));
}

#[test]
fn any_of_on_a_multiple_choice_is_any_selected() {
    let survey = target_after(json!({"question": "multi", "any_of": ["a", "c"]}));
    assert!(shown(&survey, json!({"multi": ["a"]})));
    assert!(shown(&survey, json!({"multi": ["b", "c"]})));
    assert!(shown(&survey, json!({"multi": ["a", "b", "c"]})));
    assert!(!shown(&survey, json!({"multi": ["b"]})));
    assert!(!shown(&survey, json!({"multi": []})));
    assert!(!shown(&survey, json!({})));
}

#[test]
fn answered_true_and_false() {
    let yes = target_after(json!({"question": "text", "answered": true}));
    let no = target_after(json!({"question": "text", "answered": false}));
    for (value, answered) in [
        (json!({"text": "x"}), true),
        (json!({"text": "   "}), false),
        (json!({"text": null}), false),
        (json!({}), false),
    ] {
        assert_eq!(shown(&yes, value.clone()), answered, "{value}");
        assert_eq!(shown(&no, value.clone()), !answered, "{value}");
    }
    let multi = target_after(json!({"question": "multi", "answered": true}));
    assert!(shown(&multi, json!({"multi": ["a"]})));
    assert!(!shown(&multi, json!({"multi": []})));
    let consent = target_after(json!({"question": "consent", "answered": true}));
    assert!(shown(&consent, json!({"consent": true})));
    assert!(
        !shown(&consent, json!({"consent": false})),
        "an unticked box is unanswered"
    );
    let rating = target_after(json!({"question": "rating", "answered": true}));
    assert!(shown(&rating, json!({"rating": 0})), "0 is an answer");
}

#[test]
fn all_any_and_not() {
    let a = json!({"question": "single", "equals": "yes"});
    let b = json!({"question": "multi", "any_of": ["b"]});
    let all = target_after(json!({"all": [a.clone(), b.clone()]}));
    let any = target_after(json!({"any": [a.clone(), b.clone()]}));
    let not = target_after(json!({"not": a.clone()}));
    let nested = target_after(
        json!({"all": [{"not": a.clone()}, {"any": [b.clone(), {"question": "text", "answered": true}]}]}),
    );
    for (value, expect_all, expect_any, expect_not, expect_nested) in [
        (
            json!({"single": "yes", "multi": ["b"]}),
            true,
            true,
            false,
            false,
        ),
        (
            json!({"single": "yes", "multi": ["a"]}),
            false,
            true,
            false,
            false,
        ),
        (
            json!({"single": "no", "multi": ["b"]}),
            false,
            true,
            true,
            true,
        ),
        (
            json!({"single": "no", "text": "x"}),
            false,
            false,
            true,
            true,
        ),
        (json!({}), false, false, true, false),
    ] {
        assert_eq!(shown(&all, value.clone()), expect_all, "all {value}");
        assert_eq!(shown(&any, value.clone()), expect_any, "any {value}");
        assert_eq!(shown(&not, value.clone()), expect_not, "not {value}");
        assert_eq!(
            shown(&nested, value.clone()),
            expect_nested,
            "nested {value}"
        );
    }
}

#[test]
fn a_page_condition_hides_the_whole_page() {
    let survey = parse_ok(&pages(json!([
        {"id": "p1", "questions": [
            {"id": "carer", "type": "single_choice", "label": "Are you a carer?", "options": [
                {"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}
            ]}
        ]},
        {"id": "caring", "visible_if": {"question": "carer", "equals": "yes"}, "questions": [
            {"id": "hours", "type": "number", "label": "Hours a week"},
            {"id": "support", "type": "text", "label": "Support"}
        ]},
        {"id": "end", "questions": [{"id": "comments", "type": "text", "label": "Anything else?"}]}
    ])));
    let hidden = survey.visibility(&answers(json!({"carer": "no", "hours": 10})));
    assert_eq!(hidden.visible_pages(), [0, 2]);
    assert!(!hidden.page_visible(1));
    assert!(hidden.visible_questions(1).is_empty());
    assert_eq!(
        visible(&survey, json!({"carer": "no", "hours": 10})),
        ["carer", "comments"]
    );
    let shown = survey.visibility(&answers(json!({"carer": "yes"})));
    assert_eq!(shown.visible_pages(), [0, 1, 2]);
    assert_eq!(shown.visible_questions(1), [0, 1]);
    // Indexes beyond the survey are simply not visible.
    assert!(!shown.page_visible(3));
    assert!(!shown.question_visible(1, 2));
    assert!(!survey.is_question_visible("nope", &answers(json!({}))));
}

#[test]
fn a_hidden_question_counts_as_unanswered_for_every_later_condition() {
    // q2 needs q1 = yes; q3 needs q2 answered; q4 needs q3 unanswered.
    let survey = parse_ok(&pages(json!([
        {"id": "p1", "questions": [
            {"id": "q1", "type": "single_choice", "label": "L", "options": [
                {"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}
            ]},
            {"id": "q2", "type": "text", "label": "L", "visible_if": {"question": "q1", "equals": "yes"}}
        ]},
        {"id": "p2", "questions": [
            {"id": "q3", "type": "text", "label": "L", "visible_if": {"question": "q2", "answered": true}},
            {"id": "q4", "type": "text", "label": "L", "visible_if": {"question": "q3", "answered": false}}
        ]},
        {"id": "p3", "visible_if": {"question": "q3", "answered": true}, "questions": [
            {"id": "q5", "type": "text", "label": "L"}
        ]}
    ])));
    let all_answered = json!({"q1": "yes", "q2": "x", "q3": "y", "q4": "z", "q5": "w"});
    assert_eq!(
        visible(&survey, all_answered.clone()),
        ["q1", "q2", "q3", "q5"]
    );
    // Changing q1 hides q2; its stale answer no longer shows q3, whose own
    // stale answer no longer hides q4 or shows page 3.
    let mut changed = all_answered;
    changed["q1"] = json!("no");
    assert_eq!(visible(&survey, changed.clone()), ["q1", "q4"]);
    assert_eq!(survey.visibility(&answers(changed)).visible_pages(), [0, 1]);
}

#[test]
fn conditions_name_the_questions_they_read() {
    let survey = target_after(json!({"all": [
        {"question": "single", "equals": "yes"},
        {"not": {"any": [{"question": "multi", "any_of": ["a"]}, {"question": "text", "answered": true}]}}
    ]}));
    let condition = survey.question("t").unwrap().visible_if().unwrap();
    assert_eq!(condition.questions(), ["single", "multi", "text"]);
    assert!(condition.holds(&answers(json!({"single": "yes"}))));
    assert!(!condition.holds(&answers(json!({"single": "yes", "text": "x"}))));
}
