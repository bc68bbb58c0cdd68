//! Every rule of survey-format.md for definitions: a good case that parses and a bad case with its exact path and message.

mod support;

use serde_json::{Value, json};
use support::{
    assert_has_problem, assert_only_problem, minimal, one_page, pages, parse_ok, problems, with,
};
use voices_shared::{
    DEFAULT_MAX_LENGTH, DEFAULT_MAX_LENGTH_MULTILINE, QuestionKind, Survey, TextFormat,
};

/// A survey whose only question is `question`.
fn question(question: Value) -> Value {
    one_page(json!([question]))
}

/// A survey whose questions are `earlier` followed by a text question with `condition`.
fn condition_after(earlier: Value, condition: Value) -> Value {
    let mut questions = earlier.as_array().unwrap().clone();
    questions
        .push(json!({"id": "later", "type": "text", "label": "Later", "visible_if": condition}));
    one_page(Value::Array(questions))
}

fn choice(id: &str, kind: &str, values: &[&str]) -> Value {
    let options: Vec<Value> = values
        .iter()
        .map(|v| json!({"value": v, "label": v.to_uppercase()}))
        .collect();
    json!({"id": id, "type": kind, "label": "Choose", "options": options})
}

// ---------------------------------------------------------------- the survey

#[test]
fn format_must_be_1() {
    parse_ok(&minimal());
    // The message quotes what was written, as JSON.
    assert_only_problem(
        &with(&minimal(), "/format", Some(json!(2))),
        "format",
        "must be 1: this version of Voices reads survey format 1 only, not 2",
    );
    assert_only_problem(
        &with(&minimal(), "/format", Some(json!("1"))),
        "format",
        "only, not \"1\"",
    );
    assert_only_problem(
        &with(
            &minimal(),
            "/format",
            Some(json!({"v": [1.5, "two", null]})),
        ),
        "format",
        "only, not {\"v\":[1.5,\"two\",null]}",
    );
    assert_only_problem(&with(&minimal(), "/format", None), "format", "required");
}

#[test]
fn retention_days_is_optional_and_a_whole_number_of_days() {
    assert_eq!(parse_ok(&minimal()).retention_days(), None);
    let kept = parse_ok(&with(&minimal(), "/retention_days", Some(json!(365))));
    assert_eq!(kept.retention_days(), Some(365));
    // It survives the round trip through the canonical JSON the collector stores.
    let again = Survey::parse(&kept.to_json()).expect("canonical JSON parses");
    assert_eq!(again.retention_days(), Some(365));
    for bad in [json!(0), json!(3661), json!(-1), json!(1.5)] {
        assert_only_problem(
            &with(&minimal(), "/retention_days", Some(bad)),
            "retention_days",
            "from 1 to 3660",
        );
    }
    assert_only_problem(
        &with(&minimal(), "/retention_days", Some(json!("90"))),
        "retention_days",
        "not a string",
    );
}

#[test]
fn suppress_below_is_optional_and_never_below_3() {
    assert_eq!(parse_ok(&minimal()).suppress_below(), None);
    let set = parse_ok(&with(&minimal(), "/suppress_below", Some(json!(10))));
    assert_eq!(set.suppress_below(), Some(10));
    let again = Survey::parse(&set.to_json()).expect("canonical JSON parses");
    assert_eq!(again.suppress_below(), Some(10));
    for bad in [json!(2), json!(0), json!(101), json!(4.5)] {
        assert_only_problem(
            &with(&minimal(), "/suppress_below", Some(bad)),
            "suppress_below",
            "from 3 to 100",
        );
    }
}

#[test]
fn the_organisation_is_optional_text_and_round_trips() {
    assert_eq!(parse_ok(&minimal()).organisation(), None);
    let named = parse_ok(&with(
        &minimal(),
        "/organisation",
        Some(json!({"en": "Westfield HSCP"})),
    ));
    assert_eq!(named.organisation().unwrap().get("en"), "Westfield HSCP");
    let again = Survey::parse(&named.to_json()).expect("canonical JSON parses");
    assert_eq!(again.organisation(), named.organisation());
    assert_only_problem(
        &with(&minimal(), "/organisation", Some(json!(7))),
        "organisation",
        "",
    );
}

#[test]
fn updates_by_email_is_offered_only_when_asked_for() {
    let plain = parse_ok(&minimal());
    assert!(!plain.updates_by_email());
    assert!(!plain.to_json().contains("updates_by_email"));
    let offered = parse_ok(&with(&minimal(), "/updates_by_email", Some(json!(true))));
    assert!(offered.updates_by_email());
    let again = Survey::parse(&offered.to_json()).expect("canonical JSON parses");
    assert!(again.updates_by_email());
    assert_only_problem(
        &with(&minimal(), "/updates_by_email", Some(json!("yes"))),
        "updates_by_email",
        "must be true or false",
    );
}

#[test]
fn survey_id_has_the_url_safe_shape() {
    for good in ["engagement-2026", "a", "2026", &"a".repeat(64), "a-"] {
        parse_ok(&with(&minimal(), "/id", Some(json!(good))));
    }
    for bad in [
        "Engagement",
        "-engagement",
        "engagement_2026",
        "",
        &"a".repeat(65),
        "has space",
        "é",
    ] {
        assert_only_problem(
            &with(&minimal(), "/id", Some(json!(bad))),
            "id",
            "is not a survey id",
        );
    }
    assert_only_problem(
        &with(&minimal(), "/id", Some(json!(7))),
        "id",
        "must be a string",
    );
    assert_only_problem(&with(&minimal(), "/id", None), "id", "required");
}

#[test]
fn version_is_at_least_1() {
    for good in [1, 2, 4_000_000_000u32] {
        assert_eq!(
            parse_ok(&with(&minimal(), "/version", Some(json!(good)))).version(),
            good
        );
    }
    assert_only_problem(
        &with(&minimal(), "/version", Some(json!(0))),
        "version",
        "from 1",
    );
    assert_only_problem(
        &with(&minimal(), "/version", Some(json!(-3))),
        "version",
        "whole number",
    );
    assert_only_problem(
        &with(&minimal(), "/version", Some(json!(1.5))),
        "version",
        "whole number",
    );
    assert_only_problem(
        &with(&minimal(), "/version", Some(json!("1"))),
        "version",
        "whole number",
    );
    assert_only_problem(&with(&minimal(), "/version", None), "version", "required");
}

#[test]
fn default_locale_is_a_language_tag() {
    for good in ["en", "gd", "zh-Hans", "pt-BR"] {
        let survey = parse_ok(&with(&minimal(), "/default_locale", Some(json!(good))));
        assert_eq!(survey.default_locale(), good);
        assert_eq!(
            survey.locales(),
            [good.to_owned()],
            "locales default to [default_locale]"
        );
    }
    for bad in ["english", "en_GB", "e", ""] {
        assert_only_problem(
            &with(&minimal(), "/default_locale", Some(json!(bad))),
            "default_locale",
            "is not a language tag",
        );
    }
    assert_has_problem(
        &with(&minimal(), "/default_locale", None),
        "default_locale",
        "required",
    );
}

#[test]
fn locales_include_the_default() {
    let good = with(&minimal(), "/locales", Some(json!(["pl", "en"])));
    assert_eq!(
        parse_ok(&good).locales(),
        ["pl".to_owned(), "en".to_owned()]
    );
    assert_only_problem(
        &with(&minimal(), "/locales", Some(json!(["pl", "gd"]))),
        "locales",
        "must include the default locale \"en\"",
    );
    assert_only_problem(
        &with(&minimal(), "/locales", Some(json!([]))),
        "locales",
        "at least",
    );
    assert_only_problem(
        &with(&minimal(), "/locales", Some(json!("en"))),
        "locales",
        "must be a list",
    );
}

#[test]
fn locales_are_unique() {
    parse_ok(&with(&minimal(), "/locales", Some(json!(["en", "pl"]))));
    assert_only_problem(
        &with(&minimal(), "/locales", Some(json!(["en", "pl", "en"]))),
        "locales[2]",
        "listed twice",
    );
}

#[test]
fn locales_are_language_tags() {
    parse_ok(&with(
        &minimal(),
        "/locales",
        Some(json!(["en", "zh-Hans"])),
    ));
    assert_only_problem(
        &with(&minimal(), "/locales", Some(json!(["en", "en_GB"]))),
        "locales[1]",
        "\"en_GB\" is not a language tag",
    );
    assert_only_problem(
        &with(&minimal(), "/locales", Some(json!(["en", 4]))),
        "locales[1]",
        "must be a string",
    );
}

/// Every place that takes Text, as (JSON pointer, JSON path) in `every_text()`.
const TEXT_PLACES: &[(&str, &str)] = &[
    ("/title", "title"),
    ("/intro", "intro"),
    ("/privacy/text", "privacy.text"),
    ("/what_happens_next", "what_happens_next"),
    ("/pages/0/title", "pages[0].title"),
    ("/pages/0/questions/0/label", "pages[0].questions[0].label"),
    ("/pages/0/questions/0/hint", "pages[0].questions[0].hint"),
    (
        "/pages/0/questions/0/options/0/label",
        "pages[0].questions[0].options[0].label",
    ),
    (
        "/pages/0/questions/0/options/0/hint",
        "pages[0].questions[0].options[0].hint",
    ),
    (
        "/pages/0/questions/1/min_label",
        "pages[0].questions[1].min_label",
    ),
    (
        "/pages/0/questions/1/max_label",
        "pages[0].questions[1].max_label",
    ),
    ("/pages/0/questions/2/unit", "pages[0].questions[2].unit"),
    ("/pages/0/questions/3/body", "pages[0].questions[3].body"),
];

/// A survey in en and pl with text in every place that takes it.
fn every_text() -> Value {
    let definition = json!({
        "format": 1,
        "id": "texts",
        "version": 1,
        "default_locale": "en",
        "locales": ["en", "pl"],
        "title": "t",
        "intro": "t",
        "privacy": {"text": "t", "url": "https://example.org/privacy"},
        "what_happens_next": "t",
        "allowed_origins": ["*"],
        "pages": [{
            "id": "p",
            "title": "t",
            "questions": [
                {"id": "a", "type": "single_choice", "label": "t", "hint": "t",
                 "options": [{"value": "x", "label": "t", "hint": "t"}, {"value": "y", "label": "t"}]},
                {"id": "b", "type": "rating", "label": "t", "min": 1, "max": 5, "min_label": "t", "max_label": "t"},
                {"id": "c", "type": "number", "label": "t", "unit": "t"},
                {"id": "d", "type": "info", "label": "t", "body": "t"}
            ]
        }]
    });
    let survey = parse_ok(&definition);
    assert_eq!(survey.questions().count(), 4);
    definition
}

#[test]
fn the_default_locale_text_is_required_everywhere() {
    let base = every_text();
    for (pointer, path) in TEXT_PLACES {
        let translated = with(&base, pointer, Some(json!({"en": "Hello", "pl": "Cześć"})));
        parse_ok(&translated);
        let only_polish = with(&base, pointer, Some(json!({"pl": "Cześć"})));
        assert_only_problem(&only_polish, path, "has no \"en\" text");
        let empty = with(&base, pointer, Some(json!("  ")));
        assert_only_problem(&empty, path, "must not be empty");
        let empty_translation = with(&base, pointer, Some(json!({"en": "Hello", "pl": ""})));
        assert_only_problem(
            &empty_translation,
            &format!("{path}.pl"),
            "must not be empty",
        );
        let number = with(&base, pointer, Some(json!(3)));
        assert_only_problem(
            &number,
            path,
            "must be a string or an object from locale to string",
        );
    }
}

#[test]
fn translations_are_only_in_declared_locales() {
    let base = every_text();
    for (pointer, path) in TEXT_PLACES {
        let gaelic = with(&base, pointer, Some(json!({"en": "Hello", "gd": "Halò"})));
        assert_only_problem(
            &gaelic,
            &format!("{path}.gd"),
            "\"gd\" is not one of the survey's locales",
        );
        let not_a_tag = with(
            &base,
            pointer,
            Some(json!({"en": "Hello", "polish": "Cześć"})),
        );
        assert_only_problem(
            &not_a_tag,
            &format!("{path}.polish"),
            "is not a language tag",
        );
    }
    // Without "locales", only the default locale is declared.
    let without_locales = with(
        &minimal(),
        "/title",
        Some(json!({"en": "Hi", "pl": "Cześć"})),
    );
    assert_only_problem(
        &without_locales,
        "title.pl",
        "not one of the survey's locales",
    );
    // A translation may be missing: it falls back to the default.
    let survey = parse_ok(&with(&base, "/title", Some(json!({"en": "Hi"}))));
    assert_eq!(survey.title().get("pl"), "Hi");
}

#[test]
fn privacy_is_required_with_text() {
    let survey = parse_ok(&minimal());
    assert_eq!(
        survey.privacy().text().default_text(),
        "We keep answers for a year."
    );
    assert_eq!(survey.privacy().url(), None);
    assert_only_problem(&with(&minimal(), "/privacy", None), "privacy", "required");
    assert_only_problem(
        &with(&minimal(), "/privacy", Some(json!({}))),
        "privacy.text",
        "required",
    );
    assert_only_problem(
        &with(&minimal(), "/privacy", Some(json!("We keep answers"))),
        "privacy",
        "must be an object",
    );
}

#[test]
fn privacy_url_is_a_web_address() {
    for good in [
        "https://partnership.example/privacy",
        "http://localhost:8080/privacy",
    ] {
        let survey = parse_ok(&with(&minimal(), "/privacy/url", Some(json!(good))));
        assert_eq!(survey.privacy().url(), Some(good));
    }
    for bad in [
        "partnership.example/privacy",
        "mailto:dpo@example.org",
        "https://",
        "https://a b",
    ] {
        assert_only_problem(
            &with(&minimal(), "/privacy/url", Some(json!(bad))),
            "privacy.url",
            "is not a web address",
        );
    }
}

#[test]
fn opening_and_closing_times_are_rfc_3339() {
    let good = with(&minimal(), "/opens_at", Some(json!("2026-11-22T09:00:00Z")));
    let good = with(
        &good,
        "/closes_at",
        Some(json!("2026-12-01T17:00:00+01:00")),
    );
    let survey = parse_ok(&good);
    assert!(survey.opens_at().unwrap() < survey.closes_at().unwrap());
    for (pointer, path) in [("/opens_at", "opens_at"), ("/closes_at", "closes_at")] {
        for bad in [
            "2026-11-22",
            "2026-11-22 09:00",
            "22/11/2026 09:00",
            "2026-11-22T09:00:00",
        ] {
            assert_only_problem(
                &with(&minimal(), pointer, Some(json!(bad))),
                path,
                "is not an RFC 3339 date and time",
            );
        }
        assert_only_problem(
            &with(&minimal(), pointer, Some(json!(20261122))),
            path,
            "must be a string",
        );
    }
}

/// Staff pages show these times in UTC (`to_offset`, which panics past the
/// year 9999), and the collector stores every time in UTC as RFC 3339, which
/// has four-digit years: a time written within 0000 to 9999 can leave them
/// once its offset is taken away, so it is refused where it is written.
#[test]
fn opening_and_closing_times_are_within_the_years_0000_to_9999_in_utc() {
    for (pointer, path) in [("/opens_at", "opens_at"), ("/closes_at", "closes_at")] {
        for bad in [
            "9999-12-31T23:59:59-01:00",
            "9999-12-31T23:00:00-23:59",
            "0000-01-01T00:00:00+01:00",
        ] {
            assert_only_problem(
                &with(&minimal(), pointer, Some(json!(bad))),
                path,
                "is outside the years 0000 to 9999 when written in UTC",
            );
        }
        for good in [
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59+01:00",
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:00:00-01:00",
        ] {
            let survey = parse_ok(&with(&minimal(), pointer, Some(json!(good))));
            let at = survey.opens_at().or(survey.closes_at()).unwrap();
            let utc = at.to_offset(time::UtcOffset::UTC);
            assert!((0..=9999).contains(&utc.year()), "{good}");
        }
    }
}

#[test]
fn closing_comes_after_opening() {
    let opens = with(&minimal(), "/opens_at", Some(json!("2026-12-01T09:00:00Z")));
    assert_only_problem(
        &with(&opens, "/closes_at", Some(json!("2026-11-01T09:00:00Z"))),
        "closes_at",
        "must be later than opens_at",
    );
    assert_only_problem(
        &with(
            &opens,
            "/closes_at",
            Some(json!("2026-12-01T10:00:00+01:00")),
        ),
        "closes_at",
        "must be later than opens_at",
    );
    parse_ok(&with(
        &opens,
        "/closes_at",
        Some(json!("2026-12-01T09:00:01Z")),
    ));
}

#[test]
fn allowed_origins_are_origins_or_star() {
    for good in [
        json!(["*"]),
        json!([
            "https://partner.example",
            "http://localhost:8080",
            "https://a-b.example.org:443"
        ]),
        json!(["http://[::1]:3000", "http://[::1]", "http://127.0.0.1"]),
    ] {
        let survey = parse_ok(&with(&minimal(), "/allowed_origins", Some(good.clone())));
        assert_eq!(
            survey.allowed_origins().len(),
            good.as_array().unwrap().len()
        );
    }
    for bad in [
        "partner.example",
        "https://partner.example/",
        "https://partner.example/survey",
        "ftp://partner.example",
        "https://partner.example:port",
        "https://",
        "**",
    ] {
        assert_only_problem(
            &with(
                &minimal(),
                "/allowed_origins",
                Some(json!(["https://ok.example", bad])),
            ),
            "allowed_origins[1]",
            "is not an origin",
        );
    }
    assert_only_problem(
        &with(&minimal(), "/allowed_origins", Some(json!("*"))),
        "allowed_origins",
        "must be a list of origins",
    );
    assert_only_problem(
        &with(&minimal(), "/allowed_origins", None),
        "allowed_origins",
        "required",
    );
}

#[test]
fn a_survey_has_pages_and_pages_have_questions() {
    assert_only_problem(&pages(json!([])), "pages", "at least one page");
    assert_only_problem(&pages(json!({})), "pages", "must be a list of pages");
    assert_only_problem(&with(&minimal(), "/pages", None), "pages", "required");
    assert_only_problem(
        &pages(json!([{"id": "p", "questions": []}])),
        "pages[0].questions",
        "at least one question",
    );
    assert_only_problem(
        &pages(json!([{"id": "p"}])),
        "pages[0].questions",
        "required",
    );
    assert_only_problem(&pages(json!(["p"])), "pages[0]", "must be an object");
}

#[test]
fn page_ids_have_the_id_shape_and_are_unique() {
    let two = |a: &str, b: &str| {
        pages(json!([
            {"id": a, "questions": [{"id": "q1", "type": "consent", "label": "OK"}]},
            {"id": b, "questions": [{"id": "q2", "type": "consent", "label": "OK"}]}
        ]))
    };
    let survey = parse_ok(&two("about_you", "p_2"));
    assert_eq!(survey.pages()[1].id(), "p_2");
    for bad in ["About", "about-you", "", &"p".repeat(65)] {
        assert_only_problem(&two("p1", bad), "pages[1].id", "is not a valid id");
    }
    assert_only_problem(&two("p", "p"), "pages[1].id", "already the id of pages[0]");
    assert_only_problem(
        &pages(json!([{"questions": [{"id": "q", "type": "consent", "label": "OK"}]}])),
        "pages[0].id",
        "required",
    );
}

#[test]
fn question_ids_have_the_id_shape_and_are_unique_across_the_survey() {
    let two = |a: &str, b: &str| {
        pages(json!([
            {"id": "p1", "questions": [{"id": a, "type": "consent", "label": "OK"}]},
            {"id": "p2", "questions": [{"id": "x", "type": "consent", "label": "OK"}, {"id": b, "type": "consent", "label": "OK"}]}
        ]))
    };
    let survey = parse_ok(&two("face_to_face", "q_2"));
    assert_eq!(survey.page_of("q_2"), Some(1));
    for bad in ["Face", "face-to-face", "", &"q".repeat(65)] {
        assert_only_problem(
            &two("q1", bad),
            "pages[1].questions[1].id",
            "is not a valid id",
        );
    }
    assert_only_problem(
        &two("same", "same"),
        "pages[1].questions[1].id",
        "already the id of pages[0].questions[0]",
    );
    assert_only_problem(
        &question(json!({"type": "consent", "label": "OK"})),
        "pages[0].questions[0].id",
        "required",
    );
}

#[test]
fn question_types_are_known() {
    assert_only_problem(
        &question(json!({"id": "q", "type": "single-choice", "label": "L", "options": []})),
        "pages[0].questions[0].type",
        "did you mean \"single_choice\"?",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "slider", "label": "L"})),
        "pages[0].questions[0].type",
        "\"slider\" is not a question type; use one of \"single_choice\"",
    );
    assert_only_problem(
        &question(json!({"id": "q", "label": "L"})),
        "pages[0].questions[0].type",
        "required",
    );
}

#[test]
fn questions_need_a_label_and_required_is_a_bool() {
    assert_only_problem(
        &question(json!({"id": "q", "type": "consent"})),
        "pages[0].questions[0].label",
        "required",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "consent", "label": "L", "required": "yes"})),
        "pages[0].questions[0].required",
        "must be true or false",
    );
    let survey = parse_ok(&question(
        json!({"id": "q", "type": "consent", "label": "L", "required": true}),
    ));
    assert!(survey.question("q").unwrap().required());
    let survey = parse_ok(&question(
        json!({"id": "q", "type": "consent", "label": "L"}),
    ));
    assert!(
        !survey.question("q").unwrap().required(),
        "required defaults to false"
    );
}

// ---------------------------------------------------------------- choice questions

#[test]
fn single_choice_has_at_least_two_options() {
    parse_ok(&question(choice("q", "single_choice", &["yes", "no"])));
    assert_only_problem(
        &question(choice("q", "single_choice", &["yes"])),
        "pages[0].questions[0].options",
        "a single choice question needs at least 2 options",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "single_choice", "label": "L"})),
        "pages[0].questions[0].options",
        "required",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "single_choice", "label": "L", "options": "yes,no"})),
        "pages[0].questions[0].options",
        "must be a list of options",
    );
}

#[test]
fn multiple_choice_has_at_least_one_option() {
    parse_ok(&question(choice("q", "multiple_choice", &["agree"])));
    assert_only_problem(
        &question(choice("q", "multiple_choice", &[])),
        "pages[0].questions[0].options",
        "a multiple choice question needs at least 1 option",
    );
}

#[test]
fn option_values_have_the_id_shape_and_are_unique_in_their_question() {
    // The same value in two questions is fine.
    parse_ok(&one_page(json!([
        choice("a", "single_choice", &["yes", "no"]),
        choice("b", "single_choice", &["yes", "no"])
    ])));
    assert_only_problem(
        &question(choice("q", "single_choice", &["yes", "no", "yes"])),
        "pages[0].questions[0].options[2].value",
        "\"yes\" is already the value of options[0]",
    );
    assert_only_problem(
        &question(choice("q", "single_choice", &["yes", "Not sure"])),
        "pages[0].questions[0].options[1].value",
        "\"Not sure\" is not a valid id",
    );
    assert_only_problem(
        &question(
            json!({"id": "q", "type": "single_choice", "label": "L", "options": [{"value": "a", "label": "A"}, {"label": "B"}]}),
        ),
        "pages[0].questions[0].options[1].value",
        "required",
    );
    assert_only_problem(
        &question(
            json!({"id": "q", "type": "single_choice", "label": "L", "options": [{"value": "a", "label": "A"}, {"value": "b"}]}),
        ),
        "pages[0].questions[0].options[1].label",
        "required",
    );
}

#[test]
fn at_most_one_option_asks_to_specify() {
    let base = question(choice("q", "multiple_choice", &["a", "b", "c"]));
    let one = with(
        &base,
        "/pages/0/questions/0/options/2/specify",
        Some(json!(true)),
    );
    let survey = parse_ok(&one);
    assert_eq!(
        survey
            .question("q")
            .unwrap()
            .specify_option()
            .unwrap()
            .value(),
        "c"
    );
    let two = with(
        &one,
        "/pages/0/questions/0/options/0/specify",
        Some(json!(true)),
    );
    assert_only_problem(
        &two,
        "pages[0].questions[0].options[2].specify",
        "only one option per question may ask to specify, and options[0] already does",
    );
    assert_only_problem(
        &with(
            &base,
            "/pages/0/questions/0/options/1/specify",
            Some(json!("yes")),
        ),
        "pages[0].questions[0].options[1].specify",
        "must be true or false",
    );
}

#[test]
fn exclusive_options_are_for_multiple_choice_only() {
    let multiple = question(choice("q", "multiple_choice", &["a", "none"]));
    let survey = parse_ok(&with(
        &multiple,
        "/pages/0/questions/0/options/1/exclusive",
        Some(json!(true)),
    ));
    assert!(
        survey
            .question("q")
            .unwrap()
            .option("none")
            .unwrap()
            .exclusive()
    );
    let single = question(choice("q", "single_choice", &["a", "none"]));
    assert_only_problem(
        &with(
            &single,
            "/pages/0/questions/0/options/1/exclusive",
            Some(json!(true)),
        ),
        "pages[0].questions[0].options[1].exclusive",
        "is only for multiple_choice questions",
    );
    // `false` says nothing, so it is harmless anywhere.
    parse_ok(&with(
        &single,
        "/pages/0/questions/0/options/1/exclusive",
        Some(json!(false)),
    ));
}

#[test]
fn min_and_max_selected_are_coherent() {
    let base = question(choice("q", "multiple_choice", &["a", "b", "c"]));
    let set = |min: Option<Value>, max: Option<Value>| {
        let d = with(&base, "/pages/0/questions/0/min_selected", min);
        with(&d, "/pages/0/questions/0/max_selected", max)
    };
    let survey = parse_ok(&set(Some(json!(1)), Some(json!(3))));
    assert!(matches!(
        survey.question("q").unwrap().kind(),
        QuestionKind::MultipleChoice {
            min_selected: Some(1),
            max_selected: Some(3),
            ..
        }
    ));
    parse_ok(&set(Some(json!(2)), Some(json!(2))));
    parse_ok(&set(Some(json!(0)), None));
    assert_only_problem(
        &set(Some(json!(3)), Some(json!(2))),
        "pages[0].questions[0].min_selected",
        "is 3, more than max_selected (2)",
    );
    assert_only_problem(
        &set(None, Some(json!(4))),
        "pages[0].questions[0].max_selected",
        "is 4, but the question has only 3 options",
    );
    assert_only_problem(
        &set(Some(json!(4)), None),
        "pages[0].questions[0].min_selected",
        "is 4, but the question has only 3 options",
    );
    assert_only_problem(
        &set(None, Some(json!(0))),
        "pages[0].questions[0].max_selected",
        "from 1",
    );
    assert_only_problem(
        &set(Some(json!(-1)), None),
        "pages[0].questions[0].min_selected",
        "whole number",
    );
    assert_only_problem(
        &set(Some(json!(1.5)), None),
        "pages[0].questions[0].min_selected",
        "whole number",
    );
    // Single choice questions do not take them.
    assert_only_problem(
        &with(
            &question(choice("q", "single_choice", &["a", "b"])),
            "/pages/0/questions/0/max_selected",
            Some(json!(1)),
        ),
        "pages[0].questions[0].max_selected",
        "single_choice questions do not take \"max_selected\"",
    );
}

// ---------------------------------------------------------------- text, rating, number, date, consent, info

fn text_kind(definition: &Value) -> (bool, u32, Option<TextFormat>) {
    match parse_ok(definition).question("q").unwrap().kind() {
        QuestionKind::Text {
            multiline,
            max_length,
            format,
        } => (*multiline, *max_length, *format),
        other => panic!("not a text question: {other:?}"),
    }
}

#[test]
fn text_max_length_is_1_to_10000_with_defaults_200_and_2000() {
    let text = question(json!({"id": "q", "type": "text", "label": "L"}));
    assert_eq!(DEFAULT_MAX_LENGTH, 200);
    assert_eq!(DEFAULT_MAX_LENGTH_MULTILINE, 2000);
    assert_eq!(text_kind(&text), (false, 200, None));
    let multiline = with(&text, "/pages/0/questions/0/multiline", Some(json!(true)));
    assert_eq!(text_kind(&multiline), (true, 2000, None));
    for good in [1, 500, 10_000] {
        let set = with(
            &multiline,
            "/pages/0/questions/0/max_length",
            Some(json!(good)),
        );
        assert_eq!(text_kind(&set).1, good);
    }
    for bad in [json!(0), json!(10_001)] {
        assert_only_problem(
            &with(&text, "/pages/0/questions/0/max_length", Some(bad)),
            "pages[0].questions[0].max_length",
            "must be from 1 to 10000",
        );
    }
    assert_only_problem(
        &with(&text, "/pages/0/questions/0/max_length", Some(json!("200"))),
        "pages[0].questions[0].max_length",
        "must be a whole number from 1 to 10000, not a string",
    );
    assert_only_problem(
        &with(&text, "/pages/0/questions/0/max_length", Some(json!(2.5))),
        "pages[0].questions[0].max_length",
        "must be a whole number from 1 to 10000, not 2.5",
    );
    assert_only_problem(
        &with(&text, "/pages/0/questions/0/multiline", Some(json!(1))),
        "pages[0].questions[0].multiline",
        "must be true or false",
    );
}

#[test]
fn text_formats_are_email_phone_or_uk_postcode() {
    let text = question(json!({"id": "q", "type": "text", "label": "L"}));
    for (name, format) in [
        ("email", TextFormat::Email),
        ("phone", TextFormat::Phone),
        ("uk_postcode", TextFormat::UkPostcode),
    ] {
        let set = with(&text, "/pages/0/questions/0/format", Some(json!(name)));
        assert_eq!(text_kind(&set).2, Some(format));
    }
    assert_only_problem(
        &with(
            &text,
            "/pages/0/questions/0/format",
            Some(json!("postcode")),
        ),
        "pages[0].questions[0].format",
        "\"postcode\" is not a text format",
    );
}

#[test]
fn multiline_text_has_no_format() {
    let text = question(json!({"id": "q", "type": "text", "label": "L", "format": "email"}));
    parse_ok(&with(
        &text,
        "/pages/0/questions/0/multiline",
        Some(json!(false)),
    ));
    assert_only_problem(
        &with(&text, "/pages/0/questions/0/multiline", Some(json!(true))),
        "pages[0].questions[0].format",
        "a multiline text cannot have a format",
    );
}

#[test]
fn rating_min_is_0_or_1_and_max_at_most_10_and_above_min() {
    let rating = |min: Value, max: Value| {
        question(json!({"id": "q", "type": "rating", "label": "L", "min": min, "max": max}))
    };
    for (min, max) in [(0, 1), (1, 2), (0, 10), (1, 5)] {
        let survey = parse_ok(&rating(json!(min), json!(max)));
        assert!(
            matches!(survey.question("q").unwrap().kind(), QuestionKind::Rating { min: a, max: b, .. } if u32::from(*a) == min && u32::from(*b) == max)
        );
    }
    assert_only_problem(
        &rating(json!(2), json!(5)),
        "pages[0].questions[0].min",
        "must be from 0 to 1",
    );
    assert_only_problem(
        &rating(json!(1), json!(11)),
        "pages[0].questions[0].max",
        "must be from 1 to 10",
    );
    assert_only_problem(
        &rating(json!(1), json!(1)),
        "pages[0].questions[0].max",
        "must be more than min (1)",
    );
    assert_only_problem(
        &rating(json!(0), json!(0)),
        "pages[0].questions[0].max",
        "from 1 to 10",
    );
    assert_only_problem(
        &rating(json!(1), json!(4.5)),
        "pages[0].questions[0].max",
        "whole number",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "rating", "label": "L", "max": 5})),
        "pages[0].questions[0].min",
        "required",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "rating", "label": "L", "min": 1})),
        "pages[0].questions[0].max",
        "required",
    );
}

#[test]
fn number_min_is_not_above_max() {
    let number = |min: Value, max: Value| {
        question(json!({"id": "q", "type": "number", "label": "L", "min": min, "max": max}))
    };
    parse_ok(&number(json!(0), json!(100)));
    parse_ok(&number(json!(-2.5), json!(-2.5)));
    parse_ok(&question(
        json!({"id": "q", "type": "number", "label": "L"}),
    ));
    assert_only_problem(
        &number(json!(5), json!(1)),
        "pages[0].questions[0].max",
        "must not be less than min (5)",
    );
    assert_only_problem(
        &number(json!("0"), json!(1)),
        "pages[0].questions[0].min",
        "must be a number",
    );
    assert_only_problem(
        &question(json!({"id": "q", "type": "number", "label": "L", "integer": "yes"})),
        "pages[0].questions[0].integer",
        "must be true or false",
    );
}

#[test]
fn date_limits_are_real_dates_in_order() {
    let date = |min: Value, max: Value| {
        question(json!({"id": "q", "type": "date", "label": "L", "min": min, "max": max}))
    };
    let survey = parse_ok(&date(json!("2024-02-29"), json!("2026-12-31")));
    assert!(
        matches!(survey.question("q").unwrap().kind(), QuestionKind::Date { min: Some(m), .. } if m.to_string() == "2024-02-29")
    );
    parse_ok(&date(json!("2024-01-01"), json!("2024-01-01")));
    assert_only_problem(
        &date(json!("2025-01-01"), json!("2024-12-31")),
        "pages[0].questions[0].max",
        "must not be before min (2025-01-01)",
    );
    for bad in [
        "2023-02-29",
        "2024-04-31",
        "2024-3-1",
        "01/03/2024",
        "2024-03-01T00:00:00Z",
    ] {
        assert_only_problem(
            &date(json!(bad), json!("2030-01-01")),
            "pages[0].questions[0].min",
            "is not a real date written YYYY-MM-DD",
        );
    }
}

#[test]
fn consent_takes_no_fields_of_its_own() {
    parse_ok(&question(
        json!({"id": "q", "type": "consent", "label": "I agree", "required": true}),
    ));
    assert_only_problem(
        &question(json!({"id": "q", "type": "consent", "label": "I agree", "options": []})),
        "pages[0].questions[0].options",
        "consent questions do not take \"options\"",
    );
}

#[test]
fn info_needs_a_body_and_cannot_be_required() {
    let survey = parse_ok(&question(
        json!({"id": "q", "type": "info", "label": "About", "body": "Some text."}),
    ));
    assert!(!survey.question("q").unwrap().is_answerable());
    assert_only_problem(
        &question(json!({"id": "q", "type": "info", "label": "About"})),
        "pages[0].questions[0].body",
        "required",
    );
    assert_only_problem(
        &question(
            json!({"id": "q", "type": "info", "label": "About", "body": "Text", "required": true}),
        ),
        "pages[0].questions[0].required",
        "an info block has no answer, so it cannot be required",
    );
    parse_ok(&question(
        json!({"id": "q", "type": "info", "label": "About", "body": "Text", "required": false}),
    ));
}

// ---------------------------------------------------------------- conditions

#[test]
fn conditions_refer_only_to_earlier_questions() {
    let good = condition_after(
        json!([choice("a", "single_choice", &["yes", "no"])]),
        json!({"question": "a", "equals": "yes"}),
    );
    parse_ok(&good);
    // Later on the same page.
    let later = one_page(json!([
        {"id": "first", "type": "text", "label": "L", "visible_if": {"question": "second", "answered": true}},
        {"id": "second", "type": "text", "label": "L"}
    ]));
    assert_only_problem(
        &later,
        "pages[0].questions[0].visible_if.question",
        "refers to \"second\", which comes later in the survey",
    );
    // Later on a later page.
    let later_page = pages(json!([
        {"id": "p1", "questions": [{"id": "first", "type": "text", "label": "L", "visible_if": {"question": "second", "answered": true}}]},
        {"id": "p2", "questions": [{"id": "second", "type": "text", "label": "L"}]}
    ]));
    assert_only_problem(
        &later_page,
        "pages[0].questions[0].visible_if.question",
        "comes later",
    );
    // Itself.
    let itself = question(
        json!({"id": "q", "type": "text", "label": "L", "visible_if": {"question": "q", "answered": true}}),
    );
    assert_only_problem(
        &itself,
        "pages[0].questions[0].visible_if.question",
        "refers to \"q\" itself",
    );
    // Missing.
    let missing = condition_after(json!([]), json!({"question": "nowhere", "answered": true}));
    assert_only_problem(
        &missing,
        "pages[0].questions[0].visible_if.question",
        "\"nowhere\", which is not a question in this survey",
    );
    // An info block is never answered.
    let info = condition_after(
        json!([{"id": "about", "type": "info", "label": "L", "body": "B"}]),
        json!({"question": "about", "answered": true}),
    );
    assert_only_problem(
        &info,
        "pages[0].questions[1].visible_if.question",
        "which is an info block and is never answered",
    );
    // Deep inside combinators, the path says where.
    let nested = condition_after(
        json!([choice("a", "single_choice", &["yes", "no"])]),
        json!({"all": [{"question": "a", "answered": true}, {"not": {"any": [{"question": "later", "answered": true}]}}]}),
    );
    assert_only_problem(
        &nested,
        "pages[0].questions[1].visible_if.all[1].not.any[0].question",
        "refers to \"later\" itself",
    );
}

#[test]
fn page_conditions_refer_only_to_questions_on_earlier_pages() {
    let good = pages(json!([
        {"id": "p1", "questions": [choice("a", "single_choice", &["yes", "no"])]},
        {"id": "p2", "visible_if": {"question": "a", "equals": "yes"}, "questions": [{"id": "b", "type": "text", "label": "L"}]}
    ]));
    let survey = parse_ok(&good);
    assert!(survey.pages()[1].visible_if().is_some());
    for target in ["b", "c"] {
        let own_page = pages(json!([
            {"id": "p1", "questions": [choice("a", "single_choice", &["yes", "no"])]},
            {"id": "p2", "visible_if": {"question": target, "answered": true}, "questions": [
                {"id": "b", "type": "text", "label": "L"}, {"id": "c", "type": "text", "label": "L"}
            ]}
        ]));
        assert_only_problem(
            &own_page,
            "pages[1].visible_if.question",
            &format!(
                "refers to \"{target}\", which is on this page; a page's condition may only refer to questions on earlier pages"
            ),
        );
    }
    let later_page = pages(json!([
        {"id": "p1", "visible_if": {"question": "b", "answered": true}, "questions": [choice("a", "single_choice", &["yes", "no"])]},
        {"id": "p2", "questions": [{"id": "b", "type": "text", "label": "L"}]}
    ]));
    assert_only_problem(
        &later_page,
        "pages[0].visible_if.question",
        "refers to \"b\", which comes later in the survey",
    );
}

#[test]
fn condition_option_values_exist() {
    let earlier = json!([
        choice("a", "single_choice", &["yes", "no"]),
        choice("m", "multiple_choice", &["x", "y"])
    ]);
    parse_ok(&condition_after(
        earlier.clone(),
        json!({"question": "a", "any_of": ["yes", "no"]}),
    ));
    parse_ok(&condition_after(
        earlier.clone(),
        json!({"question": "m", "any_of": ["y"]}),
    ));
    assert_only_problem(
        &condition_after(earlier.clone(), json!({"question": "a", "equals": "maybe"})),
        "pages[0].questions[2].visible_if.equals",
        "\"maybe\" is not an option of \"a\" (its options are \"yes\", \"no\")",
    );
    assert_only_problem(
        &condition_after(
            earlier.clone(),
            json!({"question": "a", "any_of": ["yes", "maybe"]}),
        ),
        "pages[0].questions[2].visible_if.any_of[1]",
        "\"maybe\" is not an option of \"a\"",
    );
    assert_only_problem(
        &condition_after(earlier, json!({"question": "m", "any_of": ["z"]})),
        "pages[0].questions[2].visible_if.any_of[0]",
        "\"z\" is not an option of \"m\"",
    );
}

#[test]
fn equals_matches_the_type_of_its_question() {
    let earlier = json!([
        choice("single", "single_choice", &["yes", "no"]),
        choice("multiple", "multiple_choice", &["x", "y"]),
        {"id": "rating", "type": "rating", "label": "L", "min": 1, "max": 5},
        {"id": "number", "type": "number", "label": "L"},
        {"id": "text", "type": "text", "label": "L"},
        {"id": "date", "type": "date", "label": "L"},
        {"id": "consent", "type": "consent", "label": "L"}
    ]);
    let path = "pages[0].questions[7].visible_if.equals";
    let cases: &[(&str, Value, Value, &str)] = &[
        (
            "single",
            json!("yes"),
            json!(1),
            "must be one of the option values of \"single\"",
        ),
        ("multiple", json!(null), json!("x"), "use \"any_of\""),
        (
            "rating",
            json!(5),
            json!(6),
            "must be a whole number from 1 to 5",
        ),
        (
            "rating",
            json!(1),
            json!(2.5),
            "must be a whole number from 1 to 5",
        ),
        ("number", json!(-2.5), json!("3"), "must be a number"),
        (
            "text",
            json!("yes"),
            json!(" "),
            "must be a non-empty string",
        ),
        ("text", json!("yes"), json!(3), "must be a non-empty string"),
        (
            "date",
            json!("2024-02-29"),
            json!("2023-02-29"),
            "must be a date written YYYY-MM-DD",
        ),
        ("consent", json!(true), json!(false), "must be true"),
    ];
    for (question, good, bad, fragment) in cases {
        if !good.is_null() {
            parse_ok(&condition_after(
                earlier.clone(),
                json!({"question": question, "equals": good}),
            ));
        }
        assert_only_problem(
            &condition_after(
                earlier.clone(),
                json!({"question": question, "equals": bad}),
            ),
            path,
            fragment,
        );
    }
}

#[test]
fn any_of_is_only_for_choice_questions() {
    let earlier = json!([
        {"id": "rating", "type": "rating", "label": "L", "min": 1, "max": 5},
        choice("single", "single_choice", &["yes", "no"])
    ]);
    parse_ok(&condition_after(
        earlier.clone(),
        json!({"question": "single", "any_of": ["no"]}),
    ));
    assert_only_problem(
        &condition_after(
            earlier.clone(),
            json!({"question": "rating", "any_of": ["1", "2"]}),
        ),
        "pages[0].questions[2].visible_if.any_of",
        "any_of needs a choice question, but \"rating\" is a rating question",
    );
    assert_only_problem(
        &condition_after(earlier.clone(), json!({"question": "single", "any_of": []})),
        "pages[0].questions[2].visible_if.any_of",
        "must list at least one option value",
    );
    assert_only_problem(
        &condition_after(
            earlier.clone(),
            json!({"question": "single", "any_of": "yes"}),
        ),
        "pages[0].questions[2].visible_if.any_of",
        "must be a list of option values",
    );
    assert_only_problem(
        &condition_after(earlier, json!({"question": "single", "any_of": [true]})),
        "pages[0].questions[2].visible_if.any_of[0]",
        "must be a string",
    );
}

#[test]
fn answered_is_true_or_false() {
    let earlier = json!([{"id": "a", "type": "text", "label": "L"}]);
    parse_ok(&condition_after(
        earlier.clone(),
        json!({"question": "a", "answered": true}),
    ));
    parse_ok(&condition_after(
        earlier.clone(),
        json!({"question": "a", "answered": false}),
    ));
    assert_only_problem(
        &condition_after(earlier, json!({"question": "a", "answered": "yes"})),
        "pages[0].questions[1].visible_if.answered",
        "must be true or false",
    );
}

#[test]
fn all_and_any_list_at_least_one_condition() {
    let earlier = json!([{"id": "a", "type": "text", "label": "L"}]);
    let leaf = json!({"question": "a", "answered": true});
    for combinator in ["all", "any"] {
        parse_ok(&condition_after(
            earlier.clone(),
            json!({combinator: [leaf.clone()]}),
        ));
        let path = format!("pages[0].questions[1].visible_if.{combinator}");
        assert_only_problem(
            &condition_after(earlier.clone(), json!({combinator: []})),
            &path,
            "must list at least one condition",
        );
        assert_only_problem(
            &condition_after(earlier.clone(), json!({combinator: leaf.clone()})),
            &path,
            "must be a list of conditions",
        );
        assert_only_problem(
            &condition_after(earlier.clone(), json!({combinator: [leaf.clone(), "a"]})),
            &format!("{path}[1]"),
            "must be a condition object",
        );
    }
}

#[test]
fn not_holds_one_condition() {
    let earlier = json!([{"id": "a", "type": "text", "label": "L"}]);
    parse_ok(&condition_after(
        earlier.clone(),
        json!({"not": {"question": "a", "answered": true}}),
    ));
    assert_only_problem(
        &condition_after(
            earlier.clone(),
            json!({"not": [{"question": "a", "answered": true}]}),
        ),
        "pages[0].questions[1].visible_if.not",
        "must be a condition object, not a list",
    );
    assert_only_problem(
        &condition_after(earlier, json!({"not": {"question": "a", "answered": 1}})),
        "pages[0].questions[1].visible_if.not.answered",
        "must be true or false",
    );
}

#[test]
fn mixed_condition_shapes_are_refused() {
    let earlier = json!([choice("a", "single_choice", &["yes", "no"])]);
    let path = "pages[0].questions[1].visible_if";
    let leaf = json!({"question": "a", "answered": true});
    for mixed in [
        json!({"question": "a", "equals": "yes", "all": [leaf.clone()]}),
        json!({"all": [leaf.clone()], "any": [leaf.clone()]}),
        json!({"not": leaf.clone(), "any_of": ["yes"]}),
        json!({}),
    ] {
        assert_only_problem(
            &condition_after(earlier.clone(), mixed),
            path,
            "must be exactly one of",
        );
    }
    for mixed in [
        json!({"question": "a", "equals": "yes", "answered": true}),
        json!({"question": "a", "equals": "yes", "any_of": ["yes"]}),
        json!({"question": "a"}),
    ] {
        assert_only_problem(
            &condition_after(earlier.clone(), mixed),
            path,
            "needs exactly one of \"equals\", \"any_of\" or \"answered\"",
        );
    }
    assert_only_problem(
        &condition_after(earlier.clone(), json!({"equals": "yes"})),
        &format!("{path}.question"),
        "required",
    );
    assert_only_problem(
        &condition_after(earlier, json!("a == yes")),
        path,
        "must be a condition object",
    );
}

#[test]
fn conditions_nest_at_most_16_deep() {
    let earlier = json!([{"id": "a", "type": "text", "label": "L"}]);
    let nest = |depth: usize| {
        let mut condition = json!({"question": "a", "answered": true});
        for _ in 0..depth {
            condition = json!({"not": condition});
        }
        condition
    };
    parse_ok(&condition_after(earlier.clone(), nest(16)));
    let deep = condition_after(earlier, nest(17));
    let path = format!("pages[0].questions[1].visible_if{}", ".not".repeat(17));
    assert_only_problem(&deep, &path, "nested at most 16 deep");
}

// ---------------------------------------------------------------- unknown fields

#[test]
fn unknown_fields_are_rejected_everywhere_with_suggestions() {
    let base = pages(json!([{
        "id": "p",
        "questions": [
            choice("a", "single_choice", &["yes", "no"]),
            {"id": "b", "type": "text", "label": "L", "visible_if": {"question": "a", "equals": "yes"}}
        ]
    }]));
    parse_ok(&base);
    let cases = [
        ("/titel", "titel", "did you mean \"title\"?"),
        (
            "/default_local",
            "default_local",
            "did you mean \"default_locale\"?",
        ),
        (
            "/colour",
            "colour",
            "unknown field; expected \"format\", \"id\"",
        ),
        ("/privacy/ulr", "privacy.ulr", "did you mean \"url\"?"),
        (
            "/privacy/contact",
            "privacy.contact",
            "unknown field; expected \"text\", \"url\"",
        ),
        (
            "/pages/0/tilte",
            "pages[0].tilte",
            "did you mean \"title\"?",
        ),
        (
            "/pages/0/questions/0/lable",
            "pages[0].questions[0].lable",
            "did you mean \"label\"?",
        ),
        (
            "/pages/0/questions/0/requried",
            "pages[0].questions[0].requried",
            "did you mean \"required\"?",
        ),
        (
            "/pages/0/questions/0/colour",
            "pages[0].questions[0].colour",
            "unknown field; a single_choice question takes \"id\", \"type\"",
        ),
        (
            "/pages/0/questions/1/max_lenght",
            "pages[0].questions[1].max_lenght",
            "did you mean \"max_length\"?",
        ),
        (
            "/pages/0/questions/1/min",
            "pages[0].questions[1].min",
            "text questions do not take \"min\"",
        ),
        (
            "/pages/0/questions/0/options/1/exclusve",
            "pages[0].questions[0].options[1].exclusve",
            "did you mean \"exclusive\"?",
        ),
        (
            "/pages/0/questions/1/visible_if/equal",
            "pages[0].questions[1].visible_if.equal",
            "did you mean \"equals\"?",
        ),
    ];
    for (pointer, path, fragment) in cases {
        // Beside a valid "equals", the misspelt "equal" is the only problem.
        assert_only_problem(&with(&base, pointer, Some(json!(true))), path, fragment);
    }
    // A misspelt test alone also leaves the condition without a test.
    let only_misspelt = with(
        &base,
        "/pages/0/questions/1/visible_if",
        Some(json!({"question": "a", "equal": "yes"})),
    );
    assert_has_problem(
        &only_misspelt,
        "pages[0].questions[1].visible_if.equal",
        "did you mean \"equals\"?",
    );
    assert_has_problem(
        &only_misspelt,
        "pages[0].questions[1].visible_if",
        "needs exactly one of",
    );
}

// ---------------------------------------------------------------- all problems at once

#[test]
fn every_mistake_is_reported_at_once() {
    let definition = json!({
        "format": 2,
        "id": "Bad Id",
        "version": 0,
        "default_locale": "en",
        "title": {"en": "Title", "fr": "Titre"},
        "privacy": {"text": ""},
        "allowed_origins": ["https://partner.example/"],
        "pages": [
            {"id": "p1", "questions": [
                {"id": "a", "type": "single_choice", "label": "A", "options": [{"value": "x", "label": "X"}]},
                {"id": "b", "type": "text", "lable": "B", "visible_if": {"question": "c", "answered": true}},
                {"id": "c", "type": "rating", "label": "C", "min": 1, "max": 1}
            ]},
            {"id": "p1", "questions": [
                {"id": "a", "type": "info", "label": "Info", "body": "Body", "required": true}
            ]}
        ]
    });
    let found = problems(&definition);
    let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "format",
            "id",
            "version",
            "title.fr",
            "privacy.text",
            "allowed_origins[0]",
            "pages[1].id",
            "pages[1].questions[0].id",
            "pages[0].questions[0].options",
            "pages[0].questions[1].lable",
            "pages[0].questions[1].label",
            "pages[0].questions[1].visible_if.question",
            "pages[0].questions[2].max",
            "pages[1].questions[0].required",
        ],
        "{found:#?}"
    );
    assert_eq!(found.len(), 14);
}

#[test]
fn non_json_input_gives_one_problem_with_line_and_column() {
    let problems = Survey::parse("{\n  \"format\": 1,\n  \"id\": \n}").unwrap_err();
    assert_eq!(problems.len(), 1);
    let problem = &problems.problems()[0];
    assert_eq!(problem.path(), "");
    assert!(problem.message().starts_with("not valid JSON"), "{problem}");
    assert!(problem.message().contains("line 4 column 1"), "{problem}");
    assert_eq!(problems.to_string(), problem.message());

    let trailing = Survey::parse("{} {}").unwrap_err();
    assert_eq!(trailing.len(), 1);
    assert!(
        trailing.problems()[0].message().contains("line 1 column 4"),
        "{trailing}"
    );

    let not_an_object = Survey::parse("[1, 2]").unwrap_err();
    assert_eq!(not_an_object.len(), 1);
    assert_eq!(not_an_object.problems()[0].path(), "");
    assert!(
        not_an_object.problems()[0]
            .message()
            .contains("must be a JSON object")
    );

    assert!(Survey::parse(&minimal().to_string()).is_ok());
}

#[test]
fn problems_display_with_their_paths() {
    let problems = Survey::from_value(&with(&minimal(), "/version", Some(json!(0)))).unwrap_err();
    assert_eq!(
        problems.to_string(),
        "version: must be from 1 to 4294967295, not 0"
    );
}

/// Easy Read shows one question to a screen: the same questions, in the same order, each
/// on a page of its own under its page's title and condition, found by the same ids.
#[test]
fn easy_read_lays_each_question_on_a_page_of_its_own() {
    let survey =
        voices_shared::Survey::parse(include_str!("../../examples/surveys/engagement-2026.json"))
            .unwrap();
    let easy = survey.one_question_per_page();
    let questions = |s: &voices_shared::Survey| -> Vec<String> {
        s.pages()
            .iter()
            .flat_map(|p| p.questions().iter().map(|q| q.id().to_owned()))
            .collect()
    };
    assert_eq!(questions(&easy), questions(&survey));
    assert_eq!(easy.pages().len(), questions(&survey).len());
    assert!(easy.pages().iter().all(|p| p.questions().len() == 1));
    for (at, page) in easy.pages().iter().enumerate() {
        let id = page.questions()[0].id();
        assert_eq!(easy.page_of(id), Some(at));
        let original = &survey.pages()[survey.page_of(id).unwrap()];
        assert_eq!(page.title(), original.title());
    }
    assert_eq!((easy.id(), easy.version()), (survey.id(), survey.version()));

    // A question hidden by its own condition has no screen: without "Face to face", the
    // question about where to meet in person is not a page of its own to stop at.
    let hidden = "face_to_face_where";
    let condition = survey
        .question(hidden)
        .unwrap()
        .visible_if()
        .expect("it is conditional");
    let page = easy.page_of(hidden).unwrap();
    assert_eq!(easy.pages()[page].visible_if(), Some(condition));
    let answers = voices_shared::Answers::new();
    assert!(!easy.visibility(&answers).visible_pages().contains(&page));
    let questions_shown = |s: &voices_shared::Survey| {
        let visibility = s.visibility(&answers);
        visibility
            .visible_pages()
            .into_iter()
            .flat_map(|p| {
                visibility
                    .visible_questions(p)
                    .into_iter()
                    .map(move |q| s.pages()[p].questions()[q].id().to_owned())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(questions_shown(&easy), questions_shown(&survey));
}

/// A question and an option may carry a picture: a file of the survey's own pictures
/// folder, by a name that cannot leave it, with its text alternative; it round-trips.
#[test]
fn pictures_name_a_file_of_the_survey_and_say_what_they_show() {
    let survey = parse_ok(&question(json!({
        "id": "mode", "type": "single_choice", "label": "How?",
        "picture": {"file": "travel.svg", "alt": "A bus and a car"},
        "options": [
            {"value": "bus", "label": "Bus", "picture": {"file": "bus-2.png", "alt": {"en": "A bus"}}},
            {"value": "car", "label": "Car"}
        ]
    })));
    let mode = survey.question("mode").unwrap();
    assert_eq!(mode.picture().unwrap().file(), "travel.svg");
    assert_eq!(mode.picture().unwrap().alt().get("en"), "A bus and a car");
    assert_eq!(mode.options()[0].picture().unwrap().file(), "bus-2.png");
    assert!(mode.options()[1].picture().is_none());
    assert_eq!(survey.pictures().len(), 2);
    let again = Survey::parse(&survey.to_json()).expect("canonical JSON parses");
    assert_eq!(again.pictures(), survey.pictures());
    assert!(
        survey
            .texts()
            .iter()
            .any(|(path, _)| path == "questions.mode.options.bus.picture.alt")
    );

    let with_picture = |picture: Value| {
        question(json!({"id": "q", "type": "consent", "label": "OK", "picture": picture}))
    };
    for file in [
        "../secret.svg",
        "Bus.svg",
        "bus.gif",
        "bus",
        ".svg",
        "-bus.svg",
        "a/b.svg",
    ] {
        assert_only_problem(
            &with_picture(json!({"file": file, "alt": "A bus"})),
            "pages[0].questions[0].picture.file",
            "is not a picture's file name",
        );
    }
    assert_only_problem(
        &with_picture(json!({"file": "bus.svg"})),
        "pages[0].questions[0].picture.alt",
        "required",
    );
    assert_only_problem(
        &with_picture(json!({"file": "bus.svg", "alt": "A bus", "src": "https://x"})),
        "pages[0].questions[0].picture.src",
        "unknown field",
    );
    assert!(voices_shared::is_picture_file("bus_stop-2.webp"));
    assert_eq!(
        voices_shared::picture_content_type("a.svg"),
        Some("image/svg+xml")
    );
}
