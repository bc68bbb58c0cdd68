//! The sled store under its trait: one response per submission id, unique receipts, one collector per directory, and everything still there after reopening.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use time::OffsetDateTime;
use voices_collector::receipt::Receipt;
use voices_collector::store::{
    self, InsertOutcome, PublishOutcome, SledStore, Store, StoreError, StoredResponse,
};
use voices_shared::Submission;

fn valid(survey: &voices_shared::Survey, body: serde_json::Value) -> StoredResponse {
    let submission: Submission = serde_json::from_value(body).expect("a submission");
    let valid = survey.accept(submission).expect("valid answers");
    StoredResponse::new(
        survey.id(),
        valid,
        Receipt::generate(),
        OffsetDateTime::now_utc(),
    )
}

/// Opens a store just dropped in this process. sled 0.34 releases its own
/// file lock from a background thread after the last handle is dropped
/// (spacejam/sled#1234), so the first attempts may find it still held.
fn reopen(dir: &Path) -> SledStore {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match store::open(dir) {
            Err(StoreError::Open { reason, .. })
                if reason.contains("could not acquire lock") && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other.expect("the store reopens"),
        }
    }
}

#[test]
fn one_response_per_submission_id_and_per_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(dir.path()).unwrap();
    let engagement = example_survey(ENGAGEMENT);
    let first = valid(&engagement, engagement_submission());
    assert_eq!(
        store.insert_response(&first).unwrap(),
        InsertOutcome::Inserted
    );

    // The same submission id again, with a fresh receipt: the stored one comes back.
    let mut again = first.clone();
    again.receipt = Receipt::generate();
    match store.insert_response(&again).unwrap() {
        InsertOutcome::AlreadyStored(existing) => assert_eq!(*existing, first),
        other => panic!("{other:?}"),
    }

    // Another submission drawing a receipt already given out is told to draw again.
    let mut clash = valid(&engagement, engagement_submission());
    clash.receipt = first.receipt.clone();
    assert_eq!(
        store.insert_response(&clash).unwrap(),
        InsertOutcome::ReceiptTaken
    );
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 1);

    // Submission ids are per survey.
    let transport = example_survey(TRANSPORT);
    let body = serde_json::json!({
        "submission_id": first.submission_id,
        "survey_version": 1,
        "locale": "en",
        "answers": {"mode": "walk", "missed_any": "no"}
    });
    let elsewhere = valid(&transport, body);
    assert_eq!(
        store.insert_response(&elsewhere).unwrap(),
        InsertOutcome::Inserted
    );
    assert_eq!(store.response_count(TRANSPORT).unwrap(), 1);
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 1);
}

#[test]
fn a_directory_serves_one_collector_and_keeps_everything_when_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let engagement = example_survey(ENGAGEMENT);
    let mut stored = Vec::new();
    {
        let store = store::open(dir.path()).unwrap();
        let error = store::open(dir.path())
            .err()
            .expect("a second open is refused");
        assert!(matches!(error, StoreError::Locked { .. }), "{error}");
        assert!(error.to_string().contains("in use"), "{error}");

        let json = engagement.to_json();
        assert_eq!(
            store.publish(ENGAGEMENT, 1, &json).unwrap(),
            PublishOutcome::Published
        );
        assert_eq!(
            store.publish(ENGAGEMENT, 1, &json).unwrap(),
            PublishOutcome::AlreadyPublished
        );
        let error = store.publish(ENGAGEMENT, 1, "{}").unwrap_err();
        assert!(
            matches!(error, StoreError::VersionConflict { .. }),
            "{error}"
        );
        assert!(
            error.to_string().contains("new version (for example 2)"),
            "suggests the next version: {error}"
        );

        for _ in 0..5 {
            let response = valid(&engagement, engagement_submission());
            assert_eq!(
                store.insert_response(&response).unwrap(),
                InsertOutcome::Inserted
            );
            stored.push(response);
        }
        store.flush().unwrap();
        store.check_writable().unwrap();
    }
    // Dropped: the lock is released and the data is all there, oldest first.
    let store = reopen(dir.path());
    let surveys = store.surveys().unwrap();
    assert_eq!(surveys.len(), 1);
    assert_eq!(
        (surveys[0].id.as_str(), surveys[0].version),
        (ENGAGEMENT, 1)
    );
    assert_eq!(surveys[0].definition, engagement.to_json());
    let read: Vec<StoredResponse> = store
        .responses(ENGAGEMENT)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(read, stored);
    // The submission index survived too.
    match store.insert_response(&stored[2]).unwrap() {
        InsertOutcome::AlreadyStored(existing) => assert_eq!(*existing, stored[2]),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 5);
    assert_eq!(store.response_count("no-such-survey").unwrap(), 0);
}
