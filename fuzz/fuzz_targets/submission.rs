//! Fuzz target: a submission body read as `Submission` and checked by `Survey::accept` never panics, accepting is idempotent, and what is accepted can be stored.
//!
//! The bytes are what `POST /api/surveys/{id}/responses` receives. The
//! collector's own `parse_submission` is private, so this reads them the two
//! ways it does (plain serde_json, then serde_path_to_error for the message)
//! and checks they agree. Each accepted response is what gets stored, so it
//! must be accepted again unchanged: a stored response that its own survey
//! refuses could not be re-checked or re-imported. It then goes where the
//! collector sends it next: into the collector's own `StoredResponse`,
//! written and read back as the store does (serde_json, times as RFC 3339 in
//! UTC). An accepted response that cannot be written there was a 500 after
//! `accept` had said yes (a `started_at` in the year -1 in UTC), and
//! converting a time to UTC can itself panic (the year 10000). A body seldom
//! mutates into such a time (60 s from the seeds never did), so a body's
//! `started_at` is also tried at both ends of the years RFC 3339 writes, at
//! the widest offsets: see `edge_times`.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use voices_collector::receipt::Receipt;
use voices_collector::store::StoredResponse;
use voices_shared::{Submission, Survey};

mod edge_times;

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

/// A fixed receipt and arrival time: the target must be deterministic, and
/// neither comes from the body.
static RECEIPT: LazyLock<Receipt> =
    LazyLock::new(|| Receipt::parse("K7QF-3MXD").expect("a valid receipt"));
static NOW: LazyLock<OffsetDateTime> = LazyLock::new(|| {
    OffsetDateTime::parse("2026-11-22T10:30:00Z", &Rfc3339).expect("a valid time")
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
        if let Some(at) = submission.started_at {
            for text in edge_times::edge_times(at) {
                // Only what the collector could read: written as RFC 3339 and read back.
                let edge = OffsetDateTime::parse(&text, &Rfc3339).expect("RFC 3339 reads back");
                let mut moved = matched.clone();
                moved.started_at = Some(edge);
                check_started_at(survey, moved);
            }
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
            store(survey, valid, &submission);
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

/// What the collector does with an accepted response: `StoredResponse::new`,
/// then the store's own serde_json write, and the read that a retry, an
/// export and a restart go through.
fn store(survey: &Survey, valid: voices_shared::ValidResponse, sent: &Submission) {
    let stored = StoredResponse::new(survey.id(), valid, RECEIPT.clone(), *NOW);
    if let Some(at) = stored.started_at {
        assert_eq!(at.offset(), UtcOffset::UTC, "started_at is kept in UTC");
        // What time::serde::rfc3339 writes; only years 0000 to 9999 can be written.
        at.format(&Rfc3339).unwrap_or_else(|e| {
            panic!("started_at {at} of the accepted {sent:?} cannot be written as RFC 3339: {e}")
        });
    }
    let written = serde_json::to_vec(&stored).unwrap_or_else(|e| {
        panic!("the stored form of the accepted {sent:?} cannot be written: {e}")
    });
    let read: StoredResponse =
        serde_json::from_slice(&written).expect("a written stored response reads back");
    assert_eq!(read, stored, "the stored response reads back changed");
    // The collector compares a retry with what it read from disk.
    assert!(
        read.same_answers(&stored),
        "a retry of {sent:?} would be a conflict"
    );
}

/// A submission that differs from a checked one only in `started_at`:
/// accepted and stored, or refused with problems that serialise.
fn check_started_at(survey: &Survey, moved: Submission) {
    match survey.accept(moved.clone()) {
        Ok(valid) => {
            let again = survey.accept(valid.submission().clone());
            assert_eq!(
                again.as_ref(),
                Ok(&valid),
                "the accepted form of {moved:?} is refused"
            );
            store(survey, valid, &moved);
        }
        Err(problems) => {
            serde_json::to_string(&problems).expect("problems serialise");
        }
    }
}
