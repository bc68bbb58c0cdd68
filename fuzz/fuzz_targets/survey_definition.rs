//! Fuzz target: survey definition parsing (`Survey::parse`) never panics, refuses with reasons, and round-trips.
//!
//! A definition arrives from staff (`survey publish`, the admin page) and is
//! parsed again every time the collector starts, so a definition that parses
//! must write back as one that parses to the same survey; otherwise a
//! published survey could fail to load after a restart. Its times then go
//! where the collector takes them: the staff pages show `opens_at` and
//! `closes_at` in UTC (converting a time written in the year 9999 with a
//! negative offset panicked there), and retention counts `retention_days`
//! back from now. A definition seldom mutates into such a time, so each
//! `opens_at` and `closes_at` is also tried at both ends of the years RFC
//! 3339 writes, at the widest offsets (see `edge_times`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use time::OffsetDateTime;
use voices_shared::{Answers, SpecifyTexts, Survey};

mod edge_times;

fuzz_target!(|data: &[u8]| {
    // Definitions are text; the collector refuses non-UTF-8 before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Survey::parse(text) {
        Ok(survey) => {
            let json = survey.to_json();
            let again = match Survey::parse(&json) {
                Ok(again) => again,
                Err(problems) => {
                    panic!("the written form of a valid survey does not parse: {problems}\n{json}")
                }
            };
            assert_eq!(again, survey, "round trip changed the survey\n{json}");
            // The written form is a fixed point, so publishing it twice is "already published".
            assert_eq!(again.to_json(), json);
            // Reading from a parsed value agrees with reading from text.
            let value: serde_json::Value = serde_json::from_str(text).expect("it parsed as JSON");
            assert_eq!(Survey::from_value(&value).as_ref(), Ok(&survey));

            // What the widget and collector do first with any survey must not panic.
            assert!(survey.offers_locale(survey.default_locale()));
            use_times(&survey);
            for (field, at) in [
                ("opens_at", survey.opens_at()),
                ("closes_at", survey.closes_at()),
            ] {
                for edge in at.into_iter().flat_map(edge_times::edge_times) {
                    let mut moved = value.clone();
                    moved[field] = Value::String(edge);
                    if let Ok(moved) = Survey::from_value(&moved) {
                        use_times(&moved);
                    }
                }
            }
            let nothing = Answers::new();
            let visibility = survey.visibility(&nothing);
            for page in 0..survey.pages().len() {
                let _ = visibility.visible_questions(page);
                let _ = survey.check_page(page, &nothing, &SpecifyTexts::new());
            }
            for locale in survey.locales() {
                let _ = survey.title().get(locale);
                if let Some(intro) = survey.intro() {
                    let _ = intro.paragraphs(locale).count();
                }
            }
            for question in survey.questions() {
                assert_eq!(
                    survey.question(question.id()).map(|q| q.id()),
                    Some(question.id())
                );
                let _ = question.label().default_text();
            }
        }
        Err(problems) => {
            // Every refusal says what was wrong (and where, except for the document as a whole).
            assert!(!problems.is_empty(), "refused with no problem");
            for problem in problems.iter() {
                assert!(
                    !problem.message().trim().is_empty(),
                    "a problem without a message at {:?}",
                    problem.path()
                );
            }
            let _ = problems.to_string();
        }
    }
});

/// What the collector does with a survey's times: the staff pages show
/// `opens_at` and `closes_at` in UTC, submissions are checked against the
/// window, and retention counts `retention_days` back from now.
fn use_times(survey: &Survey) {
    for at in [survey.opens_at(), survey.closes_at()]
        .into_iter()
        .flatten()
    {
        let shown = voices_collector::staff::html::when(at);
        assert!(shown.ends_with(" UTC"), "{shown}");
        let _ = survey.window_at(at);
    }
    if let Some(days) = survey.retention_days() {
        // From the earliest clock the collector could read.
        let _ = OffsetDateTime::UNIX_EPOCH - time::Duration::days(i64::from(days));
    }
}
