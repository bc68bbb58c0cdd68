//! The messages a respondent reads about a problem name its question: the author's own
//! `error`, else the catalogue's message after the question's short label or label.

mod support;

use serde_json::{Value, json};
use support::{assert_only_problem, one_page, parse_ok, submission_with};
use voices_shared::{Survey, catalogue};

/// A survey in English and Polish whose questions name themselves in each way there is.
fn survey() -> Survey {
    let mut definition = one_page(json!([
        {"id": "area", "type": "single_choice", "required": true,
         "label": {"en": "Which area do you live in?", "pl": "W jakiej okolicy mieszkasz?"},
         "error": {"en": "Select which area you live in", "pl": "Wybierz, w jakiej okolicy mieszkasz"},
         "options": [
            {"value": "north", "label": "North"},
            {"value": "other", "label": "Somewhere else", "specify": true}
        ]},
        {"id": "visits", "type": "number", "required": true, "min": 0, "max": 50,
         "label": {"en": "How many times in the last year have you seen your GP?",
                   "pl": "Ile razy w ostatnim roku byłeś u lekarza rodzinnego?"},
         "short_label": {"en": "Visits to your GP", "pl": "Wizyty u lekarza rodzinnego"}},
        {"id": "postcode", "type": "text", "format": "uk_postcode",
         "label": {"en": "Your postcode:", "pl": "Twój kod pocztowy:"}},
        {"id": "agree", "type": "consent", "required": true,
         "label": {"en": "I have read how my answers will be used", "pl": "Przeczytałem, jak moje odpowiedzi zostaną wykorzystane"}}
    ]));
    definition["locales"] = json!(["en", "pl"]);
    parse_ok(&definition)
}

/// Every message for `answers` (and `specify`), in survey order, in `locale`.
fn messages(survey: &Survey, answers: Value, specify: Value, locale: &str) -> Vec<String> {
    let problems = survey
        .accept(submission_with(answers, specify))
        .expect_err("the answers have problems");
    let words = catalogue(locale);
    problems
        .iter()
        .map(|problem| {
            let question = survey.question(problem.question().unwrap()).unwrap();
            words.message(question, problem, locale)
        })
        .collect()
}

#[test]
fn each_message_names_its_question() {
    let survey = survey();
    assert_eq!(
        messages(&survey, json!({"postcode": "nowhere"}), json!({}), "en"),
        [
            // The author's own words for the question left unanswered.
            "Select which area you live in",
            // A short label, then the message after a colon.
            "Visits to your GP: enter a number",
            // A label's own colon is not doubled; "UK" keeps its capitals.
            "Your postcode: enter a full UK postcode, like EH1 1YZ",
            "I have read how my answers will be used: tick the box to continue",
        ]
    );
}

#[test]
fn a_question_asked_as_one_reads_on_into_its_message() {
    let survey = survey();
    let found = messages(
        &survey,
        json!({"area": "other", "visits": 51, "agree": true}),
        json!({}),
        "en",
    );
    assert_eq!(
        found,
        [
            // The author's error is for an unanswered question, not for its details.
            "Which area do you live in? Give details for the answer you chose",
            "Visits to your GP: enter a number between 0 and 50",
        ]
    );
}

#[test]
fn messages_are_in_the_readers_language() {
    let survey = survey();
    assert_eq!(
        messages(&survey, json!({"postcode": "x"}), json!({}), "pl"),
        [
            "Wybierz, w jakiej okolicy mieszkasz",
            "Wizyty u lekarza rodzinnego: wpisz liczbę",
            "Twój kod pocztowy: wpisz pełny brytyjski kod pocztowy, np. EH1 1YZ",
            "Przeczytałem, jak moje odpowiedzi zostaną wykorzystane: zaznacz pole, aby kontynuować",
        ]
    );
    // Arabic has no capitals to lower; the name and the message keep their order in the
    // text, and the page's direction shows it right to left.
    let arabic = messages(
        &survey,
        json!({"area": "north", "agree": true}),
        json!({}),
        "ar",
    );
    assert_eq!(arabic, ["Visits to your GP: أدخل رقمًا"]);
}

#[test]
fn an_answered_question_with_an_error_text_still_gets_its_specific_message() {
    let survey = survey();
    let found = messages(
        &survey,
        json!({"area": "south", "visits": 3, "agree": true}),
        json!({}),
        "en",
    );
    assert_eq!(
        found,
        ["Which area do you live in? Select one of the options"]
    );
}

#[test]
fn an_info_block_has_neither_short_label_nor_error() {
    for field in ["short_label", "error"] {
        let definition = one_page(json!([
            {"id": "about", "type": "info", "label": "About", "body": "Read this.", field: "About"}
        ]));
        assert_only_problem(
            &definition,
            &format!("pages[0].questions[0].{field}"),
            "an info block has no answer",
        );
    }
}

#[test]
fn error_and_short_label_are_texts_that_need_translating() {
    let mut definition = one_page(json!([
        {"id": "area", "type": "text", "label": {"en": "Area", "pl": "Okolica"},
         "short_label": "Area", "error": {"en": "Enter your area"}}
    ]));
    definition["locales"] = json!(["en", "pl"]);
    let survey = parse_ok(&definition);
    let gaps = survey.translation_gaps();
    let missing: Vec<&str> = gaps[0]
        .missing
        .iter()
        .map(String::as_str)
        .filter(|at| at.starts_with("questions."))
        .collect();
    assert_eq!(
        missing,
        ["questions.area.short_label", "questions.area.error"]
    );
}
