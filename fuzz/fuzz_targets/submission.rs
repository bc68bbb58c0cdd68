//! Fuzz target: a submission body read as `Submission` and checked by `Survey::accept` never panics, and accepting is idempotent.
//!
//! The bytes are what `POST /api/surveys/{id}/responses` receives. The
//! collector's own `parse_submission` is private, so this reads them the two
//! ways it does (plain serde_json, then serde_path_to_error for the message)
//! and checks they agree. Each accepted response is what gets stored, so it
//! must be accepted again unchanged: a stored response that its own survey
//! refuses could not be re-checked or re-imported.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use voices_shared::{Submission, Survey};

/// The example surveys, plus one written for fuzzing that uses every kind of
/// condition (on text, numbers, dates, consent and whole pages).
static SURVEYS: LazyLock<Vec<Survey>> = LazyLock::new(|| {
    [
        include_str!("../../examples/surveys/engagement-2026.json"),
        include_str!("../../examples/surveys/community-transport.json"),
        include_str!("../surveys/conditions.json"),
    ]
    .into_iter()
    .map(|json| Survey::parse(json).expect("the fuzz surveys are valid"))
    .collect()
});

fuzz_target!(|data: &[u8]| {
    let plain = serde_json::from_slice::<Submission>(data);
    // The collector's fallback, which only runs when the plain read failed:
    // if it could succeed where the plain read failed, a body would be
    // refused or taken depending on which read ran.
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    let traced = serde_path_to_error::deserialize::<_, Submission>(&mut deserializer)
        .map_err(|e| e.into_inner())
        .and_then(|s| deserializer.end().map(|()| s));
    match (&plain, &traced) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(_), Err(_)) => {}
        _ => panic!("the two reads disagree: plain {plain:?}, traced {traced:?}"),
    }
    let Ok(submission) = plain else {
        return;
    };
    // What the widget sends back after a retry is the same JSON: it must read the same.
    let written = serde_json::to_vec(&submission).expect("a submission serialises");
    let reread: Submission = serde_json::from_slice(&written).expect("a written submission reads");
    assert_eq!(reread, submission);

    for survey in SURVEYS.iter() {
        check(survey, submission.clone());
        // As sent, the version and locale rarely match; also check it as if
        // they did, so the answers can reach an accepted response.
        let mut matched = submission.clone();
        matched.survey_version = survey.version();
        if !survey.offers_locale(&matched.locale) {
            matched.locale = survey.default_locale().to_owned();
        }
        check(survey, matched);
    }
});

fn check(survey: &Survey, submission: Submission) {
    // The widget's own path: what it would send for these answers, page by page.
    let (to_send, to_send_specify) =
        survey.answers_to_submit(&submission.answers, &submission.specify);
    for page in 0..survey.pages().len() {
        let _ = survey.check_page(page, &submission.answers, &submission.specify);
    }
    match survey.accept(submission.clone()) {
        Ok(valid) => {
            for id in valid.answers().keys() {
                let question = survey
                    .question(id)
                    .expect("an accepted answer has a question");
                assert!(question.is_answerable(), "{id} is not a question");
            }
            // Accepted answers are what the widget would have sent.
            assert_eq!(
                valid.answers(),
                &to_send,
                "accept and answers_to_submit disagree"
            );
            assert_eq!(valid.specify(), &to_send_specify);
            // Normalising is idempotent: the stored form is accepted as it is.
            let again = survey.accept(valid.submission().clone());
            assert_eq!(
                again.as_ref(),
                Ok(&valid),
                "the accepted form of {submission:?} is not accepted unchanged"
            );
            // What is stored (ValidResponse serialised) reads back as the same submission.
            let stored = serde_json::to_vec(&valid).expect("a response serialises");
            let read: Submission =
                serde_json::from_slice(&stored).expect("a stored response reads");
            assert_eq!(&read, valid.submission());
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused with no problem");
            for problem in &problems {
                assert!(!problem.message().is_empty());
                assert!(!problem.code().is_empty());
                assert!(!problem.path().is_empty());
            }
            // The refusal is sent as JSON; it must serialise.
            serde_json::to_string(&problems).expect("problems serialise");
        }
    }
}
