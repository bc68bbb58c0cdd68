//! The store's promises under its trait, on both stores (sled, and a real PostgreSQL server):
//! one response per submission id (also when sent at once from many threads, alone or in
//! batches), unique
//! receipts, counts kept with the responses, tombstones, the time index, positions, long reads
//! past a page, updates, subscriptions and their emails, staff records, the audit log, staff
//! sessions and the sign-in brakes (also when attempts arrive at once from many threads),
//! and everything still there when the store is opened again. Then what only one store does:
//! sled's one collector per directory and the upgrade of an older data directory;
//! PostgreSQL's URLs, schema versions, several handles on one database (sharing responses,
//! sessions and brakes), and taking writes again, without a restart, once a database that
//! went away is back.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use tempfile::TempDir;
use time::OffsetDateTime;
use voices_collector::receipt::Receipt;
use voices_collector::store::{
    self, AuditEntry, AuditEvent, BRAKE_MEMORY, Brake, Collection, InsertOutcome, MailJob,
    PublishOutcome, Role, SESSION_SEEN_EVERY, Settled, SignInBegun, SledStore, StaffSession,
    StaffToken, StaffUser, Store, StoreError, StoredResponse, Submitted, Subscribed, Subscription,
    Tally,
};
use voices_shared::{Channel, Submission};

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

/// A store under test, and how to open it again.
trait Backend {
    /// A handle on the store's data: a new one each time (on sled, once the last is dropped).
    fn open(&self) -> Box<dyn Store>;
}

/// A sled data directory of its own.
struct OnSled(TempDir);

impl OnSled {
    fn new() -> OnSled {
        OnSled(tempfile::tempdir().expect("a temporary directory"))
    }
}

impl Backend for OnSled {
    fn open(&self) -> Box<dyn Store> {
        Box::new(reopen(self.0.path()))
    }
}

/// A PostgreSQL database of its own, on the test server (see `common::pg`).
struct OnPostgres(pg::TestDatabase);

impl OnPostgres {
    fn new() -> OnPostgres {
        OnPostgres(pg::TestDatabase::new())
    }
}

impl Backend for OnPostgres {
    fn open(&self) -> Box<dyn Store> {
        Box::new(store::open_url(&self.0.url).expect("the database opens"))
    }
}

/// Each contract test, once per store: `on_sled::NAME` and `on_postgres::NAME`. Tests in
/// `store` take the store itself; those in `reopening` open it again as they go.
macro_rules! on_both_stores {
    (store: [$($store_test:ident),* $(,)?], reopening: [$($reopening_test:ident),* $(,)?] $(,)?) => {
        mod on_sled {
            use super::{Backend, OnSled};
            $(#[test]
            fn $store_test() {
                let backend = OnSled::new();
                super::$store_test(&*backend.open());
            })*
            $(#[test]
            fn $reopening_test() {
                super::$reopening_test(&OnSled::new());
            })*
        }
        mod on_postgres {
            use super::{Backend, OnPostgres};
            $(#[test]
            fn $store_test() {
                let backend = OnPostgres::new();
                super::$store_test(&*backend.open());
            })*
            $(#[test]
            fn $reopening_test() {
                super::$reopening_test(&OnPostgres::new());
            })*
        }
    };
}

on_both_stores! {
    store: [
        one_response_per_submission_id_and_per_receipt,
        a_submission_sent_at_once_from_many_threads_is_stored_once,
        a_time_range_reads_just_the_responses_sent_in_it,
        a_token_is_found_by_its_digest_and_only_while_it_is_valid,
        the_final_email_ends_a_subscription_only_once_nothing_else_is_queued,
        an_update_taken_back_before_its_email_went_goes_when_published_again,
        positions_grow_and_read_only_what_came_after,
        a_reader_following_positions_misses_nothing_stored_at_once,
        long_reads_go_on_past_a_page_and_a_purge_past_a_chunk,
        an_erased_response_is_gone_and_the_store_says_it_takes_writes,
        erasures_move_the_survey_s_mark_and_a_lease_has_one_holder,
        a_batch_has_each_response_s_own_outcome_in_order,
        batches_sent_at_once_from_many_threads_store_each_submission_once,
        a_session_is_found_by_its_digest_until_it_idles_expires_or_is_ended,
        a_brake_counts_failures_then_doubles_its_wait_and_forgets,
        eight_attempts_at_once_let_exactly_the_free_failures_through,
        sweeping_deletes_ended_sessions_and_forgotten_brakes,
    ],
    reopening: [
        a_submission_is_found_by_its_first_receipt_or_whatever_receipt_it_got,
        a_published_survey_and_its_responses_are_kept_when_reopened,
        counts_are_kept_with_the_responses_through_erasure_retention_and_reopening,
        a_clock_set_back_loses_nothing_from_time_ranges_positions_or_a_purge,
        a_surveys_updates_are_replaced_whole_and_kept_when_reopened,
        each_published_update_is_queued_once_per_address_and_stopping_clears_the_queue,
        a_survey_s_population_figures_are_replaced_whole_and_kept_when_reopened,
        a_survey_s_pictures_are_kept_by_file_replaced_and_kept_when_reopened,
        staff_accounts_collection_credentials_and_the_audit_log_are_kept,
        sessions_and_brakes_are_kept_when_reopened,
    ],
}

fn one_response_per_submission_id_and_per_receipt(store: &dyn Store) {
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

    // The same submission id with other answers: the stored one comes back, and it is
    // not the same answers (the writer answers that with a conflict).
    let mut body = engagement_submission();
    body["submission_id"] = json!(first.submission_id);
    body["answers"]["informed"] = json!(2);
    let different = valid(&engagement, body);
    match store.insert_response(&different).unwrap() {
        InsertOutcome::AlreadyStored(existing) => {
            assert_eq!(*existing, first);
            assert!(!existing.same_answers(&different));
        }
        other => panic!("{other:?}"),
    }

    // Another submission drawing a receipt already given out is told to draw again.
    let mut clash = valid(&engagement, engagement_submission());
    clash.receipt = first.receipt.clone();
    assert_eq!(
        store.insert_response(&clash).unwrap(),
        InsertOutcome::ReceiptTaken
    );
    // And nothing of it was kept: with a fresh receipt it is stored.
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, clash.submission_id)
            .unwrap(),
        Submitted::Unknown
    );
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 1);
    clash.receipt = Receipt::generate();
    assert_eq!(
        store.insert_response(&clash).unwrap(),
        InsertOutcome::Inserted
    );
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 2);

    // Submission ids are per survey.
    let transport = example_survey(TRANSPORT);
    let body = json!({
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
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 2);
    assert_eq!(
        store.find_receipt(first.receipt.as_str()).unwrap(),
        Some(first)
    );
}

fn a_submission_is_found_by_its_first_receipt_or_whatever_receipt_it_got(backend: &dyn Backend) {
    let store = backend.open();
    let engagement = example_survey(ENGAGEMENT);
    // With the receipt the store offers first, as nearly every response is stored.
    let mut first = valid(&engagement, engagement_submission());
    first.receipt = store.first_receipt(ENGAGEMENT, first.submission_id);
    assert_eq!(
        store.insert_response(&first).unwrap(),
        InsertOutcome::Inserted
    );
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, first.submission_id)
            .unwrap(),
        Submitted::Stored(Box::new(first.clone()))
    );
    let mut retry = first.clone();
    retry.receipt = store.first_receipt(ENGAGEMENT, first.submission_id);
    assert_eq!(
        store.insert_response(&retry).unwrap(),
        InsertOutcome::AlreadyStored(Box::new(first.clone()))
    );
    assert_eq!(
        store.erase_response(first.receipt.as_str()).unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store.insert_response(&retry).unwrap(),
        InsertOutcome::Erased
    );
    let mut kept = valid(&engagement, engagement_submission());
    kept.receipt = store.first_receipt(ENGAGEMENT, kept.submission_id);
    assert_eq!(
        store.insert_response(&kept).unwrap(),
        InsertOutcome::Inserted
    );

    // Someone else's response holds the receipt offered to ours, so ours gets another.
    let mut ours = valid(&engagement, engagement_submission());
    let offered = store.first_receipt(ENGAGEMENT, ours.submission_id);
    let mut theirs = valid(&engagement, engagement_submission());
    theirs.receipt = offered.clone();
    assert_eq!(
        store.insert_response(&theirs).unwrap(),
        InsertOutcome::Inserted
    );
    ours.receipt = offered;
    assert_eq!(
        store.insert_response(&ours).unwrap(),
        InsertOutcome::ReceiptTaken
    );
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, ours.submission_id)
            .unwrap(),
        Submitted::Unknown
    );
    ours.receipt = Receipt::generate();
    assert_eq!(
        store.insert_response(&ours).unwrap(),
        InsertOutcome::Inserted
    );
    // A retry is offered the first receipt again, and finds ours stored.
    let mut retry = ours.clone();
    retry.receipt = store.first_receipt(ENGAGEMENT, ours.submission_id);
    let stored_already = InsertOutcome::AlreadyStored(Box::new(ours.clone()));
    assert_eq!(store.insert_response(&retry).unwrap(), stored_already);

    // Theirs is erased; ours is still found, also once the store is opened again.
    assert_eq!(
        store.erase_response(theirs.receipt.as_str()).unwrap(),
        Some(theirs.clone())
    );
    assert_eq!(store.find_receipt(theirs.receipt.as_str()).unwrap(), None);
    drop(store);
    let store = backend.open();
    retry.receipt = store.first_receipt(ENGAGEMENT, ours.submission_id);
    // And a retry of one stored with its first receipt is offered one that finds it.
    let mut kept_retry = kept.clone();
    kept_retry.receipt = store.first_receipt(ENGAGEMENT, kept.submission_id);
    assert_eq!(
        store.insert_response(&kept_retry).unwrap(),
        InsertOutcome::AlreadyStored(Box::new(kept.clone()))
    );
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, ours.submission_id)
            .unwrap(),
        Submitted::Stored(Box::new(ours.clone()))
    );
    assert_eq!(store.insert_response(&retry).unwrap(), stored_already);
    for erased in [&first, &theirs] {
        assert_eq!(
            store
                .find_submission(ENGAGEMENT, erased.submission_id)
                .unwrap(),
            Submitted::Erased
        );
    }
    assert_eq!(
        store.erase_response(ours.receipt.as_str()).unwrap(),
        Some(ours.clone())
    );
    assert_eq!(
        store.insert_response(&retry).unwrap(),
        InsertOutcome::Erased
    );
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 1);
}

fn a_submission_sent_at_once_from_many_threads_is_stored_once(store: &dyn Store) {
    let engagement = example_survey(ENGAGEMENT);
    let response = valid(&engagement, engagement_submission());
    let outcomes: Vec<(Receipt, InsertOutcome)> = std::thread::scope(|scope| {
        let senders: Vec<_> = (0..8)
            .map(|sender| {
                let mut copy = response.clone();
                // Half with the receipt the store offers first, as the writer sends
                // them, half with one drawn at random, as after that one was taken.
                copy.receipt = if sender % 2 == 0 {
                    store.first_receipt(ENGAGEMENT, copy.submission_id)
                } else {
                    Receipt::generate()
                };
                scope.spawn(move || {
                    let outcome = store.insert_response(&copy).expect("stored or found");
                    (copy.receipt, outcome)
                })
            })
            .collect();
        senders.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let stored: Vec<&Receipt> = outcomes
        .iter()
        .filter(|(_, outcome)| *outcome == InsertOutcome::Inserted)
        .map(|(receipt, _)| receipt)
        .collect();
    assert_eq!(stored.len(), 1, "{outcomes:?}");
    for (_, outcome) in &outcomes {
        match outcome {
            InsertOutcome::Inserted => {}
            InsertOutcome::AlreadyStored(existing) => assert_eq!(&existing.receipt, stored[0]),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 1);
    assert_eq!(store.responses(ENGAGEMENT).count(), 1);
}

/// A transport survey response with a fresh submission id.
fn transport_response(transport: &voices_shared::Survey) -> StoredResponse {
    let body = json!({
        "submission_id": uuid::Uuid::new_v4(),
        "survey_version": 1,
        "locale": "en",
        "answers": {"mode": "walk", "missed_any": "no"}
    });
    valid(transport, body)
}

fn a_batch_has_each_response_s_own_outcome_in_order(store: &dyn Store) {
    let engagement = example_survey(ENGAGEMENT);
    let transport = example_survey(TRANSPORT);
    assert!(store.insert_responses(&[]).is_empty());
    let known = valid(&engagement, engagement_submission());
    let erased = valid(&engagement, engagement_submission());
    for response in [&known, &erased] {
        assert_eq!(
            store.insert_response(response).unwrap(),
            InsertOutcome::Inserted
        );
    }
    store.erase_response(erased.receipt.as_str()).unwrap();

    let new = valid(&engagement, engagement_submission());
    let mut new_again = new.clone();
    new_again.receipt = Receipt::generate();
    let mut clash = valid(&engagement, engagement_submission());
    clash.receipt = known.receipt.clone();
    let mut erased_again = erased.clone();
    erased_again.receipt = Receipt::generate();
    let mut known_again = known.clone();
    known_again.receipt = Receipt::generate();
    let elsewhere = transport_response(&transport);
    let last = valid(&engagement, engagement_submission());
    // New too, but with the receipt just given to `last` in this very batch.
    let mut twin = valid(&engagement, engagement_submission());
    twin.receipt = last.receipt.clone();
    let batch = [
        new.clone(),
        new_again,
        clash.clone(),
        erased_again,
        known_again,
        elsewhere.clone(),
        last.clone(),
        twin.clone(),
    ];
    let outcomes: Vec<InsertOutcome> = store
        .insert_responses(&batch)
        .into_iter()
        .map(|outcome| outcome.expect("an outcome"))
        .collect();
    assert_eq!(
        outcomes,
        [
            InsertOutcome::Inserted,
            // A copy later in the same batch finds the first, as a later call would.
            InsertOutcome::AlreadyStored(Box::new(new.clone())),
            InsertOutcome::ReceiptTaken,
            InsertOutcome::Erased,
            InsertOutcome::AlreadyStored(Box::new(known.clone())),
            InsertOutcome::Inserted,
            InsertOutcome::Inserted,
            InsertOutcome::ReceiptTaken,
        ]
    );
    store.flush().unwrap();

    // The clashes kept nothing: their submission ids are free for their next receipts.
    for clashed in [&clash, &twin] {
        assert_eq!(
            store
                .find_submission(ENGAGEMENT, clashed.submission_id)
                .unwrap(),
            Submitted::Unknown
        );
    }
    clash.receipt = Receipt::generate();
    let outcomes: Vec<InsertOutcome> = store
        .insert_responses(std::slice::from_ref(&clash))
        .into_iter()
        .map(|outcome| outcome.expect("an outcome"))
        .collect();
    assert_eq!(outcomes, [InsertOutcome::Inserted]);
    // Counted, and in the order given: known, new, last, clash.
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 4);
    assert_eq!(store.response_count(TRANSPORT).unwrap(), 1);
    let order: Vec<Receipt> = store
        .responses_after(ENGAGEMENT, None)
        .map(|item| item.unwrap().1.receipt)
        .collect();
    assert_eq!(
        order,
        [known.receipt, new.receipt, last.receipt, clash.receipt]
    );
    assert_eq!(
        store.find_receipt(elsewhere.receipt.as_str()).unwrap(),
        Some(elsewhere)
    );
}

/// Several writers (collectors) storing overlapping batches of two surveys at once, each
/// in its own order: every submission is stored once, and every copy finds that one.
fn batches_sent_at_once_from_many_threads_store_each_submission_once(store: &dyn Store) {
    let engagement = example_survey(ENGAGEMENT);
    let transport = example_survey(TRANSPORT);
    let responses: Vec<StoredResponse> = (0..40)
        .map(|i| {
            if i % 2 == 0 {
                valid(&engagement, engagement_submission())
            } else {
                transport_response(&transport)
            }
        })
        .collect();
    let outcomes: Vec<(StoredResponse, InsertOutcome)> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let mut batch: Vec<StoredResponse> = responses
                    .iter()
                    .map(|response| {
                        let mut copy = response.clone();
                        // Half the writers with the receipts the store offers first.
                        copy.receipt = if writer % 2 == 0 {
                            store.first_receipt(&copy.survey_id, copy.submission_id)
                        } else {
                            Receipt::generate()
                        };
                        copy
                    })
                    .collect();
                // Each its own order: the same surveys' locks wanted first or last.
                batch.rotate_left(writer * 7);
                if writer % 2 == 1 {
                    batch.reverse();
                }
                scope.spawn(move || {
                    let outcomes = store.insert_responses(&batch);
                    batch
                        .into_iter()
                        .zip(outcomes)
                        .map(|(copy, outcome)| (copy, outcome.expect("stored or found")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        writers
            .into_iter()
            .flat_map(|writer| writer.join().unwrap())
            .collect()
    });
    for response in &responses {
        let copies: Vec<&(StoredResponse, InsertOutcome)> = outcomes
            .iter()
            .filter(|(copy, _)| copy.submission_id == response.submission_id)
            .collect();
        let inserted: Vec<&StoredResponse> = copies
            .iter()
            .filter(|(_, outcome)| *outcome == InsertOutcome::Inserted)
            .map(|(copy, _)| copy)
            .collect();
        assert_eq!(inserted.len(), 1, "{copies:?}");
        for (_, outcome) in &copies {
            match outcome {
                InsertOutcome::Inserted => {}
                InsertOutcome::AlreadyStored(existing) => assert_eq!(**existing, *inserted[0]),
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 20);
    assert_eq!(store.response_count(TRANSPORT).unwrap(), 20);
    assert_eq!(store.responses(ENGAGEMENT).count(), 20);
}

fn erasures_move_the_survey_s_mark_and_a_lease_has_one_holder(store: &dyn Store) {
    let engagement = example_survey(ENGAGEMENT);
    let responses: Vec<StoredResponse> = (0..3)
        .map(|_| valid(&engagement, engagement_submission()))
        .collect();
    let before = store.erasure_mark(ENGAGEMENT).unwrap();
    for response in &responses {
        assert_eq!(
            store.insert_response(response).unwrap(),
            InsertOutcome::Inserted
        );
    }
    // Storing moves nothing: only what may take away something counted does.
    assert_eq!(store.erasure_mark(ENGAGEMENT).unwrap(), before);
    store
        .erase_response(responses[0].receipt.as_str())
        .unwrap()
        .expect("erased");
    assert_eq!(store.erasure_mark(ENGAGEMENT).unwrap(), before + 1);
    // Erasing what is not there moves nothing, and other surveys keep their marks.
    assert_eq!(
        store.erase_response(responses[0].receipt.as_str()).unwrap(),
        None
    );
    assert_eq!(store.erasure_mark(ENGAGEMENT).unwrap(), before + 1);
    let transport = store.erasure_mark(TRANSPORT).unwrap();
    let later = OffsetDateTime::now_utc() + time::Duration::days(1);
    assert_eq!(
        store.purge_chunk_before(ENGAGEMENT, later).unwrap(),
        Some(2)
    );
    assert_eq!(store.erasure_mark(ENGAGEMENT).unwrap(), before + 3);
    assert_eq!(store.erasure_mark(TRANSPORT).unwrap(), transport);

    let hold = Duration::from_millis(400);
    assert!(store.claim_lease("retention", "one", hold).unwrap());
    assert!(!store.claim_lease("retention", "two", hold).unwrap());
    // Its holder renews it; another lease is another matter.
    assert!(store.claim_lease("retention", "one", hold).unwrap());
    assert!(store.claim_lease("update emails", "two", hold).unwrap());
    // Once it has run out, another may take it, and then the first may not.
    std::thread::sleep(hold + Duration::from_millis(100));
    assert!(store.claim_lease("retention", "two", hold).unwrap());
    assert!(!store.claim_lease("retention", "one", hold).unwrap());
}

fn a_published_survey_and_its_responses_are_kept_when_reopened(backend: &dyn Backend) {
    let engagement = example_survey(ENGAGEMENT);
    let mut stored = Vec::new();
    {
        let store = backend.open();
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
    // Opened again: the data is all there, oldest first.
    let store = backend.open();
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
    // Versions and surveys in order of id, then version.
    store.publish(ENGAGEMENT, 2, &engagement.to_json()).unwrap();
    store.publish("a-first", 1, &engagement.to_json()).unwrap();
    let order: Vec<(String, u32)> = store
        .surveys()
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.version))
        .collect();
    assert_eq!(
        order,
        [
            ("a-first".to_owned(), 1),
            (ENGAGEMENT.to_owned(), 1),
            (ENGAGEMENT.to_owned(), 2)
        ]
    );
}

/// A valid response to the engagement survey, as if sent by `channel` at `at`.
fn sent(survey: &voices_shared::Survey, at: OffsetDateTime, channel: Channel) -> StoredResponse {
    let mut response = valid(survey, engagement_submission());
    response.submitted_at = at;
    response.channel = channel;
    response
}

fn utc(year: i32, month: time::Month, day: u8, hour: u8) -> OffsetDateTime {
    time::Date::from_calendar_date(year, month, day)
        .unwrap()
        .with_hms(hour, 0, 0)
        .unwrap()
        .assume_utc()
}

fn tally(day: OffsetDateTime, channel: Channel, count: u64) -> Tally {
    Tally {
        day: day.date(),
        version: 1,
        channel,
        count,
    }
}

fn counts_are_kept_with_the_responses_through_erasure_retention_and_reopening(
    backend: &dyn Backend,
) {
    let engagement = example_survey(ENGAGEMENT);
    let day = utc(2026, time::Month::March, 1, 10);
    let (next_day, later) = (
        day + time::Duration::days(1),
        day + time::Duration::days(10),
    );
    let (phone_call, purged_one, kept_one);
    {
        let store = backend.open();
        let sent_now = |at, channel| {
            let response = sent(&engagement, at, channel);
            assert_eq!(
                store.insert_response(&response).unwrap(),
                InsertOutcome::Inserted
            );
            response
        };
        purged_one = sent_now(day, Channel::Online);
        sent_now(day, Channel::Online);
        sent_now(day + time::Duration::hours(13), Channel::Online);
        phone_call = sent_now(day, Channel::Phone);
        sent_now(day, Channel::Phone);
        sent_now(next_day, Channel::Online);
        for _ in 0..3 {
            sent_now(later, Channel::Online);
        }
        kept_one = sent_now(later, Channel::Online);
        assert_eq!(
            store.tallies(ENGAGEMENT).unwrap(),
            vec![
                tally(day, Channel::Online, 3),
                tally(day, Channel::Phone, 2),
                tally(next_day, Channel::Online, 1),
                tally(later, Channel::Online, 4),
            ]
        );
        assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 10);

        store
            .erase_response(phone_call.receipt.as_str())
            .unwrap()
            .expect("it was stored");
        assert_eq!(
            store.tallies(ENGAGEMENT).unwrap()[1],
            tally(day, Channel::Phone, 1)
        );
        // Chunk by chunk, as retention does, until none are left.
        let cutoff = day + time::Duration::days(5);
        let mut purged = 0;
        while let Some(erased) = store.purge_chunk_before(ENGAGEMENT, cutoff).unwrap() {
            purged += erased;
        }
        assert_eq!(purged, 5);
        assert_eq!(
            store.tallies(ENGAGEMENT).unwrap(),
            vec![tally(later, Channel::Online, 4)]
        );
        store.flush().unwrap();
    }
    let store = backend.open();
    assert_eq!(
        store.tallies(ENGAGEMENT).unwrap(),
        vec![tally(later, Channel::Online, 4)]
    );
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 4);
    assert_eq!(store.tallies("no-such-survey").unwrap(), vec![]);

    // Erased and purged submissions stay erased after reopening: a retry
    // finds a tombstone, with neither answers nor a receipt.
    for gone in [&phone_call, &purged_one] {
        assert_eq!(store.insert_response(gone).unwrap(), InsertOutcome::Erased);
        assert_eq!(
            store
                .find_submission(ENGAGEMENT, gone.submission_id)
                .unwrap(),
            Submitted::Erased
        );
        assert_eq!(store.find_receipt(gone.receipt.as_str()).unwrap(), None);
    }
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, kept_one.submission_id)
            .unwrap(),
        Submitted::Stored(Box::new(kept_one))
    );
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 4);
}

fn a_time_range_reads_just_the_responses_sent_in_it(store: &dyn Store) {
    let engagement = example_survey(ENGAGEMENT);
    let start = utc(2026, time::Month::May, 4, 0);
    let hour = |n: i64| start + time::Duration::hours(n);
    // Stored out of time order, as a device with a wrong clock never could,
    // but a server whose clock was corrected can.
    // Another survey whose id sorts after this one's, with responses of its own.
    let other = voices_shared::Survey::from_value(&small_survey("poll", 1, json!({}))).unwrap();
    for n in [0, 4, 20] {
        let mut response = valid(&other, small_submission(1));
        response.submitted_at = hour(n);
        store.insert_response(&response).unwrap();
    }
    let mut all = Vec::new();
    for n in [5, 1, 9, 0, 3, 7, 2, 8, 4, 6] {
        let response = sent(&engagement, hour(n), Channel::Online);
        store.insert_response(&response).unwrap();
        all.push(response);
    }
    let read = |from, to| -> Vec<OffsetDateTime> {
        store
            .responses_submitted(ENGAGEMENT, from, to)
            .map(|r| r.unwrap())
            .inspect(|r| assert_eq!(r.survey_id, ENGAGEMENT))
            .map(|r| r.submitted_at)
            .collect()
    };
    assert_eq!(
        read(Some(hour(2)), Some(hour(5))),
        (2..=5).map(hour).collect::<Vec<_>>(),
        "both ends are included, in time order"
    );
    assert_eq!(read(Some(hour(8)), None), vec![hour(8), hour(9)]);
    assert_eq!(read(None, Some(hour(1))), vec![hour(0), hour(1)]);
    assert_eq!(read(None, None), (0..=9).map(hour).collect::<Vec<_>>());
    assert!(read(Some(hour(10)), None).is_empty());
    assert!(read(Some(hour(5)), Some(hour(4))).is_empty());
    // A nanosecond either side of a response's time: exact, not rounded to what a
    // database column keeps.
    let nanosecond = time::Duration::nanoseconds(1);
    assert_eq!(
        read(Some(hour(3) + nanosecond), Some(hour(4))),
        vec![hour(4)]
    );
    assert_eq!(
        read(Some(hour(3)), Some(hour(4) - nanosecond)),
        vec![hour(3)]
    );
    assert!(
        store
            .responses_submitted("no-such-survey", None, None)
            .next()
            .is_none()
    );
    // An erased response leaves the range too.
    store.erase_response(all[0].receipt.as_str()).unwrap();
    assert_eq!(read(Some(hour(4)), Some(hour(6))), vec![hour(4), hour(6)]);
}

fn a_token_is_found_by_its_digest_and_only_while_it_is_valid(store: &dyn Store) {
    let created_at = utc(2026, time::Month::June, 1, 9);
    let token = |name: &str, hash: &str| StaffToken {
        name: name.into(),
        role: Role::Analyst,
        token_hash: hash.into(),
        created_at,
    };
    store.put_token(&token("nightly", "aa11")).unwrap();
    store.put_token(&token("weekly", "bb22")).unwrap();
    assert_eq!(
        store.token_by_hash("aa11").unwrap(),
        Some(token("nightly", "aa11"))
    );
    // Created again under the same name: the old secret stops working.
    store.put_token(&token("nightly", "cc33")).unwrap();
    assert_eq!(store.token_by_hash("aa11").unwrap(), None);
    assert_eq!(
        store.token_by_hash("cc33").unwrap().map(|t| t.name),
        Some("nightly".to_owned())
    );
    assert!(store.revoke_token("nightly").unwrap());
    assert!(!store.revoke_token("nightly").unwrap());
    assert_eq!(store.token_by_hash("cc33").unwrap(), None);
    assert_eq!(store.token_by_hash("").unwrap(), None);
    let names: Vec<String> = store
        .tokens()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, vec!["weekly"]);
}

fn a_surveys_updates_are_replaced_whole_and_kept_when_reopened(backend: &dyn Backend) {
    {
        let store = backend.open();
        assert_eq!(store.outcomes("engagement-2026").unwrap(), None);
        store
            .put_outcomes("engagement-2026", r#"{"updates":[]}"#)
            .unwrap();
        store
            .put_outcomes("engagement-2026", r#"{"updates":[{"id":"a"}]}"#)
            .unwrap();
        store
            .put_outcomes("transport", r#"{"updates":[]}"#)
            .unwrap();
        store.flush().unwrap();
    }
    let store = backend.open();
    assert_eq!(
        store.outcomes("engagement-2026").unwrap().as_deref(),
        Some(r#"{"updates":[{"id":"a"}]}"#)
    );
    assert_eq!(
        store.all_outcomes().unwrap(),
        vec![
            (
                "engagement-2026".to_owned(),
                r#"{"updates":[{"id":"a"}]}"#.to_owned()
            ),
            ("transport".to_owned(), r#"{"updates":[]}"#.to_owned()),
        ]
    );
    // Replaced only from what is there: a change begun from something else is refused.
    let (a, b) = (r#"{"updates":[{"id":"a"}]}"#, r#"{"updates":[{"id":"b"}]}"#);
    assert!(!store.replace_outcomes("engagement-2026", None, b).unwrap());
    assert!(
        !store
            .replace_outcomes("engagement-2026", Some(b), b)
            .unwrap()
    );
    assert!(
        store
            .replace_outcomes("engagement-2026", Some(a), b)
            .unwrap()
    );
    assert_eq!(
        store.outcomes("engagement-2026").unwrap().as_deref(),
        Some(b)
    );
    assert!(store.replace_outcomes("lunch-clubs", None, a).unwrap());
    assert!(!store.replace_outcomes("lunch-clubs", None, b).unwrap());
    assert_eq!(store.outcomes("lunch-clubs").unwrap().as_deref(), Some(a));
}

fn subscription(token: &str, survey: &str, email: &str, since: time::Date) -> Subscription {
    Subscription {
        token: token.to_owned(),
        survey_id: survey.to_owned(),
        email: email.to_owned(),
        locale: "gd".to_owned(),
        since,
        told: vec!["opened".to_owned()],
        ended: false,
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn each_published_update_is_queued_once_per_address_and_stopping_clears_the_queue(
    backend: &dyn Backend,
) {
    let now = utc(2026, time::Month::December, 6, 10);
    let today = now.date();
    {
        let store = backend.open();
        let ana = subscription("a1", "engagement-2026", "ana@example.org", today);
        assert_eq!(store.subscribe(&ana).unwrap(), Subscribed::Added);
        assert_eq!(store.subscription("a1").unwrap(), Some(ana));
        // The same address, whatever its case, gets one subscription per survey.
        let again = subscription("a2", "engagement-2026", "ANA@Example.org", today);
        assert_eq!(
            store.subscribe(&again).unwrap(),
            Subscribed::AlreadySubscribed
        );
        assert_eq!(store.subscription("a2").unwrap(), None);
        let ben = subscription("b1", "engagement-2026", "ben@example.org", today);
        store.subscribe(&ben).unwrap();
        store
            .subscribe(&subscription("c1", "transport", "ana@example.org", today))
            .unwrap();
        assert_eq!(store.subscription_count("engagement-2026").unwrap(), 2);
        assert_eq!(store.subscription_count("transport").unwrap(), 1);

        let published = ids(&["opened", "closed"]);
        // "opened" was published before they asked: only "closed" goes, once to each.
        assert_eq!(
            store
                .queue_updates("engagement-2026", &published, now)
                .unwrap(),
            2
        );
        assert_eq!(
            store
                .queue_updates("engagement-2026", &published, now)
                .unwrap(),
            0
        );
        assert_eq!(
            store.subscription("b1").unwrap().map(|s| s.told),
            Some(ids(&["opened", "closed"]))
        );
        store.flush().unwrap();
    }
    let store = backend.open();
    let later = utc(2026, time::Month::December, 6, 11);
    let due = store.due_mail(later, 10).unwrap();
    let mut tokens: Vec<&str> = due.iter().map(|j| j.token.as_str()).collect();
    tokens.sort_unstable();
    assert_eq!(tokens, ["a1", "b1"]);
    assert!(
        due.iter()
            .all(|j| j.update_id == "closed" && j.attempts == 0)
    );
    assert_eq!(
        store.due_mail(later, 1).unwrap().len(),
        1,
        "at most the limit"
    );
    assert!(
        store
            .due_mail(utc(2026, time::Month::December, 6, 9), 10)
            .unwrap()
            .is_empty()
    );

    // A failed attempt waits until its new due time, or until the relay is back.
    let ana_job = due.iter().find(|j| j.token == "a1").unwrap();
    let retry = MailJob {
        attempts: 1,
        due: utc(2026, time::Month::December, 6, 12),
        ..ana_job.clone()
    };
    store.reschedule_mail(ana_job, &retry).unwrap();
    let now_due = store.due_mail(later, 10).unwrap();
    assert_eq!(now_due.len(), 1);
    assert_eq!(now_due[0].token, "b1");
    assert_eq!(
        store
            .due_mail(utc(2026, time::Month::December, 6, 13), 10)
            .unwrap()[1],
        retry
    );
    assert_eq!(store.hurry_mail(later).unwrap(), 1);
    let hurried = store.due_mail(later, 10).unwrap();
    assert_eq!(hurried.len(), 2);
    let retry = hurried.iter().find(|j| j.token == "a1").unwrap().clone();
    assert_eq!((retry.attempts, retry.due), (1, later));

    // Sent: off the queue.
    store
        .settle_mail(&now_due[0], Settled::Done { last: false })
        .unwrap();
    assert_eq!(
        store
            .due_mail(utc(2026, time::Month::December, 7, 0), 10)
            .unwrap(),
        vec![retry.clone()]
    );
    // Stopped: the address, its index and its queued email go; the address may ask again.
    assert!(store.unsubscribe("a1").unwrap());
    assert!(!store.unsubscribe("a1").unwrap());
    assert_eq!(store.subscription("a1").unwrap(), None);
    assert!(
        store
            .due_mail(utc(2026, time::Month::December, 7, 0), 10)
            .unwrap()
            .is_empty()
    );
    // A reschedule of an email whose person stopped them puts nothing back.
    store.reschedule_mail(&retry, &retry).unwrap();
    assert!(
        store
            .due_mail(utc(2026, time::Month::December, 8, 0), 10)
            .unwrap()
            .is_empty()
    );
    let back = subscription("a3", "engagement-2026", "ana@example.org", today);
    assert_eq!(store.subscribe(&back).unwrap(), Subscribed::Added);

    // Retention: subscriptions made before the day go, those of the day stay.
    assert_eq!(
        store
            .purge_subscriptions_before("engagement-2026", today)
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .purge_subscriptions_before("engagement-2026", today.next_day().unwrap())
            .unwrap(),
        2
    );
    assert_eq!(store.subscription_count("engagement-2026").unwrap(), 0);
    assert_eq!(store.subscription_count("transport").unwrap(), 1);
}

fn the_final_email_ends_a_subscription_only_once_nothing_else_is_queued(store: &dyn Store) {
    let now = utc(2026, time::Month::December, 6, 10);
    store
        .subscribe(&subscription("a1", "s", "ana@example.org", now.date()))
        .unwrap();
    store
        .queue_updates("s", &ids(&["opened", "progress", "did"]), now)
        .unwrap();
    let due = store.due_mail(now, 10).unwrap();
    assert_eq!(due.len(), 2);
    let (did, progress) = match due[0].update_id.as_str() {
        "did" => (&due[0], &due[1]),
        _ => (&due[1], &due[0]),
    };
    // The final update went first: the address stays until the earlier one has gone.
    store
        .settle_mail(did, Settled::Done { last: true })
        .unwrap();
    let kept = store.subscription("a1").unwrap().expect("still there");
    assert!(kept.ended);
    store
        .settle_mail(progress, Settled::Done { last: false })
        .unwrap();
    assert_eq!(store.subscription("a1").unwrap(), None);
    assert_eq!(store.subscription_count("s").unwrap(), 0);
    // An ended subscription is queued nothing more, and an address refused by the relay
    // goes at once with everything queued for it.
    store
        .subscribe(&subscription("b1", "s", "ben@example.org", now.date()))
        .unwrap();
    store.queue_updates("s", &ids(&["x", "y"]), now).unwrap();
    let first = store.due_mail(now, 10).unwrap()[0].clone();
    store.settle_mail(&first, Settled::Undeliverable).unwrap();
    assert_eq!(store.subscription("b1").unwrap(), None);
    assert!(store.due_mail(now, 10).unwrap().is_empty());
}

fn an_update_taken_back_before_its_email_went_goes_when_published_again(store: &dyn Store) {
    let now = utc(2026, time::Month::December, 6, 10);
    store
        .subscribe(&subscription("a1", "s", "ana@example.org", now.date()))
        .unwrap();
    store.queue_updates("s", &ids(&["closed"]), now).unwrap();
    // Unpublished before its email went: unqueued, and not counted as told.
    store
        .take_back_updates("s", &[], &ids(&["closed"]))
        .unwrap();
    assert!(store.due_mail(now, 10).unwrap().is_empty());
    assert_eq!(store.queue_updates("s", &ids(&["closed"]), now).unwrap(), 1);
    // Sent, then unpublished and published again: not sent twice.
    let job = store.due_mail(now, 10).unwrap()[0].clone();
    store
        .settle_mail(&job, Settled::Done { last: false })
        .unwrap();
    store
        .take_back_updates("s", &[], &ids(&["closed"]))
        .unwrap();
    assert_eq!(store.queue_updates("s", &ids(&["closed"]), now).unwrap(), 0);
    // Deleted: its id is free, and a new update under it is news.
    store
        .take_back_updates("s", &ids(&["closed"]), &[])
        .unwrap();
    assert_eq!(store.queue_updates("s", &ids(&["closed"]), now).unwrap(), 1);
    // Found taken back only when sending: the same.
    let job = store.due_mail(now, 10).unwrap()[0].clone();
    store
        .settle_mail(&job, Settled::TakenBack { last: false })
        .unwrap();
    assert_eq!(store.queue_updates("s", &ids(&["closed"]), now).unwrap(), 1);
}

fn a_survey_s_population_figures_are_replaced_whole_and_kept_when_reopened(backend: &dyn Backend) {
    {
        let store = backend.open();
        assert_eq!(store.population("reach").unwrap(), None);
        store
            .put_population("reach", "question,answer,people\nage,16_24,1\n")
            .unwrap();
        store
            .put_population("reach", "question,answer,people\nage,25_34,2\n")
            .unwrap();
        // Kept as uploaded, whatever is in it.
        store
            .put_population("odd", "question,answer,people\nage,\u{0}é,2\n")
            .unwrap();
        store.flush().unwrap();
    }
    let store = backend.open();
    assert_eq!(
        store.population("reach").unwrap().as_deref(),
        Some("question,answer,people\nage,25_34,2\n")
    );
    assert_eq!(
        store.population("odd").unwrap().as_deref(),
        Some("question,answer,people\nage,\u{0}é,2\n")
    );
    assert_eq!(store.population("other").unwrap(), None);
}

fn a_survey_s_pictures_are_kept_by_file_replaced_and_kept_when_reopened(backend: &dyn Backend) {
    let svg =
        |colour: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" fill=\"{colour}\"/>");
    let bytes = [0u8, 0x89, b'P', b'N', b'G', 0, 255];
    {
        let store = backend.open();
        assert_eq!(store.picture("easy", "bus.svg").unwrap(), None);
        store
            .put_picture("easy", "bus.svg", svg("red").as_bytes())
            .unwrap();
        store
            .put_picture("easy", "bus.svg", svg("blue").as_bytes())
            .unwrap();
        store.put_picture("easy", "car.png", &bytes).unwrap();
        // Another survey's picture of the same name is its own.
        store
            .put_picture("other", "bus.svg", svg("green").as_bytes())
            .unwrap();
        store.flush().unwrap();
    }
    let store = backend.open();
    assert_eq!(
        store.picture("easy", "bus.svg").unwrap(),
        Some(svg("blue").into_bytes())
    );
    assert_eq!(
        store.picture("easy", "car.png").unwrap(),
        Some(bytes.to_vec())
    );
    assert_eq!(
        store.picture("other", "bus.svg").unwrap(),
        Some(svg("green").into_bytes())
    );
    assert_eq!(store.picture("easy", "other.svg").unwrap(), None);
    assert_eq!(store.picture("nobody", "bus.svg").unwrap(), None);
}

fn positions_grow_and_read_only_what_came_after(store: &dyn Store) {
    let engagement = example_survey(ENGAGEMENT);
    let first: Vec<StoredResponse> = (0..3)
        .map(|_| valid(&engagement, engagement_submission()))
        .collect();
    for response in &first {
        store.insert_response(response).unwrap();
    }
    let all: Vec<(u64, StoredResponse)> = store
        .responses_after(ENGAGEMENT, None)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "positions grow");
    for (position, response) in &all {
        assert_eq!(
            store
                .position_of_receipt(response.receipt.as_str())
                .unwrap(),
            Some(*position)
        );
    }
    let last = all.last().unwrap().0;
    assert_eq!(store.responses_after(ENGAGEMENT, Some(last)).count(), 0);
    let later = valid(&engagement, engagement_submission());
    store.insert_response(&later).unwrap();
    let after: Vec<(u64, StoredResponse)> = store
        .responses_after(ENGAGEMENT, Some(last))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(after.len(), 1);
    assert!(after[0].0 > last);
    assert_eq!(after[0].1, later);
    // From the middle, only what follows; erased ones are gone, with no position.
    store.erase_response(first[1].receipt.as_str()).unwrap();
    let from_first: Vec<StoredResponse> = store
        .responses_after(ENGAGEMENT, Some(all[0].0))
        .map(|r| r.unwrap().1)
        .collect();
    assert_eq!(from_first, [first[2].clone(), later]);
    assert_eq!(
        store
            .position_of_receipt(first[1].receipt.as_str())
            .unwrap(),
        None
    );
    assert_eq!(store.position_of_receipt("NONE-SUCH").unwrap(), None);
    assert_eq!(store.responses_after(ENGAGEMENT, Some(u64::MAX)).count(), 0);
    // Another survey's responses are not read with this one's.
    assert_eq!(store.responses_after(TRANSPORT, None).count(), 0);
}

/// What the running counts do (remember the last position read, then read what came after)
/// while four threads store batches at once: every response stored is read exactly once,
/// none missed for having drawn its position before another batch that committed first.
fn a_reader_following_positions_misses_nothing_stored_at_once(store: &dyn Store) {
    const WRITERS: usize = 4;
    const BATCHES: usize = 40;
    const BATCH: usize = 6;
    let engagement = example_survey(ENGAGEMENT);
    let transport = example_survey(TRANSPORT);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let (stored, read) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let (engagement, transport, done) = (&engagement, &transport, &done);
                scope.spawn(move || {
                    // Counted as done however the thread ends, so the reader stops even
                    // if a writer panics (and the test fails instead of hanging).
                    struct Done<'d>(&'d std::sync::atomic::AtomicUsize);
                    impl Drop for Done<'_> {
                        fn drop(&mut self) {
                            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                    let _done = Done(done);
                    let mut receipts = Vec::new();
                    for n in 0..BATCHES {
                        let mut batch: Vec<StoredResponse> = (0..BATCH)
                            .map(|_| valid(engagement, engagement_submission()))
                            .collect();
                        // Every other batch also holds another survey's response, so it
                        // takes two surveys' locks.
                        if n % 2 == 1 {
                            batch.insert(BATCH / 2, transport_response(transport));
                        }
                        for outcome in store.insert_responses(&batch) {
                            assert_eq!(outcome.expect("stored"), InsertOutcome::Inserted);
                        }
                        receipts.extend(
                            batch
                                .into_iter()
                                .filter(|r| r.survey_id == ENGAGEMENT)
                                .map(|r| r.receipt.as_str().to_owned()),
                        );
                    }
                    receipts
                })
            })
            .collect();
        let reader = scope.spawn(|| {
            let mut after = None;
            let mut read: Vec<String> = Vec::new();
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst) == WRITERS;
                for item in store.responses_after(ENGAGEMENT, after) {
                    let (position, response) = item.expect("read");
                    assert!(after.is_none_or(|after| position > after));
                    after = Some(position);
                    read.push(response.receipt.as_str().to_owned());
                }
                // One more read after the last writer finished, then nothing can come.
                if finished {
                    return read;
                }
            }
        });
        let stored: Vec<String> = writers
            .into_iter()
            .flat_map(|writer| writer.join().unwrap())
            .collect();
        (stored, reader.join().unwrap())
    });
    assert_eq!(stored.len(), WRITERS * BATCHES * BATCH);
    let mut stored_sorted = stored.clone();
    stored_sorted.sort();
    let mut read_sorted = read.clone();
    read_sorted.sort();
    let missed: Vec<&String> = stored_sorted
        .iter()
        .filter(|receipt| read_sorted.binary_search(receipt).is_err())
        .collect();
    assert!(
        missed.is_empty(),
        "the reader missed {} of {}: {missed:?}",
        missed.len(),
        stored.len()
    );
    assert_eq!(read_sorted, stored_sorted, "each read once");
}

/// More responses than a page of a database's reads (256) and a chunk of a purge (500).
/// A server whose clock is set back stores responses with times before those it stored
/// already: time ranges, purges and readers following positions find them all the same,
/// also once the store is opened again.
fn a_clock_set_back_loses_nothing_from_time_ranges_positions_or_a_purge(backend: &dyn Backend) {
    let engagement = example_survey(ENGAGEMENT);
    let hour = |n: i64| utc(2026, time::Month::June, 1, 0) + time::Duration::hours(n);
    let read = |store: &dyn Store, from, to| -> Vec<OffsetDateTime> {
        store
            .responses_submitted(ENGAGEMENT, from, to)
            .map(|r| r.unwrap().submitted_at)
            .collect()
    };
    let last_position;
    {
        let store = backend.open();
        for n in [10, 11, 2, 3] {
            store
                .insert_response(&sent(&engagement, hour(n), Channel::Online))
                .unwrap();
        }
        assert_eq!(
            read(&*store, Some(hour(2)), Some(hour(3))),
            [hour(2), hour(3)]
        );
        last_position = store
            .responses_after(ENGAGEMENT, None)
            .map(|r| r.unwrap().0)
            .max()
            .unwrap();
        store.flush().unwrap();
    }
    let store = backend.open();
    assert_eq!(
        read(&*store, Some(hour(2)), Some(hour(3))),
        [hour(2), hour(3)]
    );
    assert_eq!(read(&*store, None, Some(hour(2))), [hour(2)]);
    // Still behind: stored after the rest, whatever its time.
    let late = sent(&engagement, hour(4), Channel::Online);
    store.insert_response(&late).unwrap();
    let after: Vec<StoredResponse> = store
        .responses_after(ENGAGEMENT, Some(last_position))
        .map(|r| r.unwrap().1)
        .collect();
    assert_eq!(after, [late]);
    assert_eq!(read(&*store, Some(hour(4)), Some(hour(4))), [hour(4)]);
    // The purge passes over what came later, and stops.
    let purged: Vec<u64> =
        std::iter::from_fn(|| store.purge_chunk_before(ENGAGEMENT, hour(3)).unwrap()).collect();
    assert_eq!(purged, [1]);
    assert_eq!(
        read(&*store, None, None),
        [hour(3), hour(4), hour(10), hour(11)]
    );
}

fn long_reads_go_on_past_a_page_and_a_purge_past_a_chunk(store: &dyn Store) {
    const MANY: usize = 700;
    let engagement = example_survey(ENGAGEMENT);
    let start = utc(2026, time::Month::January, 5, 0);
    let mut stored = Vec::with_capacity(MANY);
    for n in 0..MANY {
        // Stored newest first: the time index's order is the reverse of the positions'.
        let at = start + time::Duration::minutes(i64::try_from(MANY - n).unwrap());
        let response = sent(&engagement, at, Channel::Online);
        assert_eq!(
            store.insert_response(&response).unwrap(),
            InsertOutcome::Inserted
        );
        stored.push(response);
    }
    let in_order: Vec<StoredResponse> = store
        .responses(ENGAGEMENT)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(in_order, stored, "every response, in the order stored");
    let in_time: Vec<StoredResponse> = store
        .responses_submitted(ENGAGEMENT, None, None)
        .collect::<Result<_, _>>()
        .unwrap();
    let mut by_time = stored.clone();
    by_time.reverse();
    assert_eq!(in_time, by_time, "every response, in time order");
    let positions: Vec<u64> = store
        .responses_after(ENGAGEMENT, None)
        .map(|r| r.unwrap().0)
        .collect();
    assert_eq!(positions.len(), MANY);
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        store
            .responses_after(ENGAGEMENT, Some(positions[299]))
            .count(),
        MANY - 300
    );
    // Dropped halfway: nothing else is read.
    assert_eq!(store.responses(ENGAGEMENT).take(300).count(), 300);

    let chunks: Vec<u64> = std::iter::from_fn(|| {
        store
            .purge_chunk_before(ENGAGEMENT, start + time::Duration::days(1))
            .unwrap()
    })
    .collect();
    assert_eq!(chunks, [500, 200], "a purge goes chunk by chunk");
    assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 0);
    assert_eq!(store.responses(ENGAGEMENT).count(), 0);
    assert_eq!(
        store.insert_response(&stored[0]).unwrap(),
        InsertOutcome::Erased
    );
}

fn an_erased_response_is_gone_and_the_store_says_it_takes_writes(store: &dyn Store) {
    store.check_writable().unwrap();
    store.flush().unwrap();
    let engagement = example_survey(ENGAGEMENT);
    let response = valid(&engagement, engagement_submission());
    store.insert_response(&response).unwrap();
    assert_eq!(
        store.find_receipt(response.receipt.as_str()).unwrap(),
        Some(response.clone())
    );
    assert_eq!(
        store.erase_response(response.receipt.as_str()).unwrap(),
        Some(response.clone())
    );
    assert_eq!(
        store.erase_response(response.receipt.as_str()).unwrap(),
        None
    );
    assert_eq!(store.erase_response("NONE-SUCH").unwrap(), None);
    assert_eq!(store.find_receipt(response.receipt.as_str()).unwrap(), None);
    assert_eq!(store.tallies(ENGAGEMENT).unwrap(), vec![]);
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, response.submission_id)
            .unwrap(),
        Submitted::Erased
    );
    assert_eq!(
        store
            .find_submission(ENGAGEMENT, uuid::Uuid::new_v4())
            .unwrap(),
        Submitted::Unknown
    );
    assert_eq!(
        store
            .purge_chunk_before(ENGAGEMENT, OffsetDateTime::now_utc())
            .unwrap(),
        None
    );
    store.check_writable().unwrap();
}

fn staff_accounts_collection_credentials_and_the_audit_log_are_kept(backend: &dyn Backend) {
    let at = utc(2026, time::Month::June, 1, 9);
    let user = |name: &str, role: Role, surveys: &[&str]| StaffUser {
        name: name.to_owned(),
        role,
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$for-{name}"),
        created_at: at,
        surveys: ids(surveys),
    };
    let credential = |id: &str, hash: &str| Collection {
        id: id.to_owned(),
        user: "iona".to_owned(),
        survey_id: ENGAGEMENT.to_owned(),
        channel: Channel::FaceToFace,
        secret_hash: hash.to_owned(),
        private_key: "00".repeat(32),
        issued_at: at,
        expires_at: at + time::Duration::days(4),
        revoked_at: None,
    };
    let entry = |n: u64| AuditEntry {
        at: at + time::Duration::seconds(i64::try_from(n).unwrap()),
        actor: "ana".to_owned(),
        event: AuditEvent::Downloaded {
            survey: ENGAGEMENT.to_owned(),
            format: "csv".to_owned(),
            rows: n,
        },
    };
    {
        let store = backend.open();
        assert_eq!(store.user("ana").unwrap(), None);
        store.put_user(&user("zoe", Role::Analyst, &[])).unwrap();
        store.put_user(&user("ana", Role::Analyst, &[])).unwrap();
        // Replaced whole.
        store.put_user(&user("ana", Role::Admin, &[])).unwrap();
        store
            .put_user(&user("iona", Role::Interviewer, &[ENGAGEMENT]))
            .unwrap();
        store.put_user(&user("gone", Role::Analyst, &[])).unwrap();
        assert!(store.remove_user("gone").unwrap());
        assert!(!store.remove_user("gone").unwrap());

        store.put_collection(&credential("k1", "h1")).unwrap();
        store.put_collection(&credential("k2", "h2")).unwrap();
        let revoked = Collection {
            revoked_at: Some(at + time::Duration::hours(1)),
            ..credential("k1", "h1")
        };
        store.put_collection(&revoked).unwrap();

        for n in 0..5 {
            store.append_audit(&entry(n)).unwrap();
        }
        store.flush().unwrap();
    }
    let store = backend.open();
    assert_eq!(
        store.users().unwrap(),
        vec![
            user("ana", Role::Admin, &[]),
            user("iona", Role::Interviewer, &[ENGAGEMENT]),
            user("zoe", Role::Analyst, &[]),
        ]
    );
    assert_eq!(
        store.user("iona").unwrap(),
        Some(user("iona", Role::Interviewer, &[ENGAGEMENT]))
    );
    let revoked = Collection {
        revoked_at: Some(at + time::Duration::hours(1)),
        ..credential("k1", "h1")
    };
    assert_eq!(store.collection("k1").unwrap(), Some(revoked.clone()));
    // Found by its digest, revoked or not.
    assert_eq!(
        store.collection_by_hash("h1").unwrap(),
        Some(revoked.clone())
    );
    assert_eq!(store.collection_by_hash("h3").unwrap(), None);
    assert_eq!(store.collection("k3").unwrap(), None);
    assert_eq!(
        store.collections().unwrap(),
        vec![revoked, credential("k2", "h2")]
    );
    // The newest first, as many as asked.
    assert_eq!(store.audit(3).unwrap(), vec![entry(4), entry(3), entry(2)]);
    assert_eq!(store.audit(100).unwrap().len(), 5);
    assert_eq!(store.audit(0).unwrap(), vec![]);
}

/// A whole-second time, `seconds` after a fixed moment: exact on every store.
fn moment(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds).unwrap()
}

const HOUR: i64 = 60 * 60;

/// A session of `user` started at `moment(start)`: idle after an hour, over after 12.
fn session_of(user: &str, start: i64) -> StaffSession {
    StaffSession {
        user: user.to_owned(),
        role: Role::Analyst,
        csrf: format!("csrf of {user} at {start}"),
        started_at: moment(start),
        last_seen: moment(start),
        idle_seconds: 3600,
        expires_at: moment(start + 12 * HOUR),
    }
}

fn a_session_is_found_by_its_digest_until_it_idles_expires_or_is_ended(store: &dyn Store) {
    let ailsa = session_of("ailsa", 0);
    store.start_session("digest-1", &ailsa).unwrap();
    assert_eq!(
        store.session("digest-1", moment(0)).unwrap(),
        Some(ailsa.clone())
    );
    assert_eq!(store.session("digest-2", moment(0)).unwrap(), None);
    // Used within a minute of the last time written: nothing is written.
    let seen_every = i64::try_from(SESSION_SEEN_EVERY.as_secs()).unwrap();
    assert_eq!(
        store.session("digest-1", moment(seen_every)).unwrap(),
        Some(ailsa.clone())
    );
    // Later: it was used then.
    let used = StaffSession {
        last_seen: moment(seen_every + 1),
        ..ailsa.clone()
    };
    assert_eq!(
        store.session("digest-1", moment(seen_every + 1)).unwrap(),
        Some(used.clone())
    );
    assert_eq!(
        store.session("digest-1", moment(seen_every + 2)).unwrap(),
        Some(used)
    );
    // An hour after its last use it is still live (and used again); an hour and a second
    // after, it has ended, for good.
    let idle_end = seen_every + 1 + HOUR;
    assert!(
        store
            .session("digest-1", moment(idle_end))
            .unwrap()
            .is_some()
    );
    let idle_end = idle_end + HOUR;
    assert_eq!(
        store.session("digest-1", moment(idle_end + 1)).unwrap(),
        None
    );
    assert_eq!(store.session("digest-1", moment(idle_end)).unwrap(), None);

    // Used every 50 minutes, it still ends 12 hours after it started.
    store
        .start_session("digest-3", &session_of("ailsa", 0))
        .unwrap();
    for n in 1..=15 {
        let now = n * 50 * 60;
        let found = store.session("digest-3", moment(now)).unwrap();
        assert_eq!(found.is_some(), now <= 12 * HOUR, "after {now} s");
    }

    // Ended one at a time, or every one of an account's at once.
    store
        .start_session("digest-4", &session_of("ailsa", 0))
        .unwrap();
    store
        .start_session("digest-5", &session_of("morag", 0))
        .unwrap();
    store
        .start_session("digest-6", &session_of("ailsa", 0))
        .unwrap();
    store
        .start_session("digest-7", &session_of("ailsa", 0))
        .unwrap();
    assert!(store.end_session("digest-4").unwrap());
    assert!(!store.end_session("digest-4").unwrap());
    assert_eq!(store.session("digest-4", moment(1)).unwrap(), None);
    assert_eq!(store.end_sessions_of("ailsa").unwrap(), 2);
    assert_eq!(store.end_sessions_of("ailsa").unwrap(), 0);
    for gone in ["digest-6", "digest-7"] {
        assert_eq!(store.session(gone, moment(1)).unwrap(), None);
    }
    assert_eq!(
        store
            .session("digest-5", moment(1))
            .unwrap()
            .map(|s| s.user),
        Some("morag".to_owned())
    );
}

fn brake(who: &str, free_failures: u32) -> Brake {
    Brake {
        who: who.to_owned(),
        free_failures,
    }
}

/// Whether an attempt at `moment(now)` was counted; its wait when not.
fn attempt(store: &dyn Store, brakes: &[Brake], now: i64) -> Result<(), Duration> {
    match store.begin_sign_in(brakes, moment(now)).unwrap() {
        SignInBegun::Counted => Ok(()),
        SignInBegun::Wait(wait) => Err(wait),
    }
}

fn a_brake_counts_failures_then_doubles_its_wait_and_forgets(store: &dyn Store) {
    let both = [brake("ailsa from 192.0.2.1", 2), brake("192.0.2.1", 4)];
    assert_eq!(attempt(store, &both, 0), Ok(()));
    assert_eq!(attempt(store, &both, 0), Ok(()));
    // Two free failures spent on the first brake: 1 s after the last, then 2, 4, ...
    assert_eq!(attempt(store, &both, 0), Err(Duration::from_secs(1)));
    // A refused attempt is not counted: the wait does not grow.
    assert_eq!(attempt(store, &both, 0), Err(Duration::from_secs(1)));
    assert_eq!(attempt(store, &both, 1), Ok(()));
    assert_eq!(attempt(store, &both, 1), Err(Duration::from_secs(2)));
    assert_eq!(attempt(store, &both, 2), Err(Duration::from_secs(1)));
    assert_eq!(attempt(store, &both, 3), Ok(()));
    // The second brake has had four failures now: the longer wait of the two counts.
    assert_eq!(attempt(store, &both, 3), Err(Duration::from_secs(4)));
    // Each brake counts on its own: the second alone, with another first, waits 1 s.
    let elsewhere = [brake("ailsa from 198.51.100.7", 2), brake("192.0.2.1", 4)];
    assert_eq!(attempt(store, &elsewhere, 3), Err(Duration::from_secs(1)));
    let other = [brake("morag from 198.51.100.7", 2)];
    assert_eq!(attempt(store, &other, 3), Ok(()));

    // However many failures, a wait is at most 15 minutes.
    let mut now = 10;
    let mut longest = Duration::ZERO;
    let alone = [brake("iona from 203.0.113.9", 0)];
    for _ in 0..30 {
        match attempt(store, &alone, now) {
            Ok(()) => {}
            Err(wait) => {
                longest = longest.max(wait);
                now += i64::try_from(wait.as_secs()).unwrap();
            }
        }
    }
    assert_eq!(longest, BRAKE_MEMORY);
    // A quiet spell of 15 minutes forgets them: free failures again.
    let memory = i64::try_from(BRAKE_MEMORY.as_secs()).unwrap();
    let quiet = now + memory + 1;
    assert_eq!(attempt(store, &both, quiet), Ok(()));
    assert_eq!(attempt(store, &both, quiet), Ok(()));
    assert_eq!(attempt(store, &both, quiet), Err(Duration::from_secs(1)));

    // A success takes the failures back: the free ones are free again.
    store.sign_in_succeeded(&both).unwrap();
    assert_eq!(attempt(store, &both, quiet), Ok(()));
    assert_eq!(attempt(store, &both, quiet), Ok(()));
    assert_eq!(attempt(store, &both, quiet), Err(Duration::from_secs(1)));
}

/// Eight attempts at the same moment, from `stores` in turn (each a handle on the same data):
/// how many were counted.
fn eight_at_once(stores: &[&dyn Store], brakes: &[Brake], now: i64) -> usize {
    let start = std::sync::Barrier::new(8);
    std::thread::scope(|scope| {
        let attempts: Vec<_> = (0..8)
            .map(|n| {
                let (store, start) = (stores[n % stores.len()], &start);
                scope.spawn(move || {
                    start.wait();
                    store.begin_sign_in(brakes, moment(now)).unwrap()
                })
            })
            .collect();
        attempts
            .into_iter()
            .map(|attempt| attempt.join().unwrap())
            .filter(|begun| *begun == SignInBegun::Counted)
            .count()
    })
}

fn eight_attempts_at_once_let_exactly_the_free_failures_through(store: &dyn Store) {
    for round in 0..4 {
        let brakes = [
            brake(&format!("ailsa from 192.0.2.{round}"), 5),
            brake(&format!("192.0.2.{round}"), 20),
            brake("ailsa", 100),
        ];
        // The first attempts ever for the first two brakes: their rows are made as they go.
        assert_eq!(eight_at_once(&[store], &brakes, round), 5, "round {round}");
    }
}

fn sweeping_deletes_ended_sessions_and_forgotten_brakes(store: &dyn Store) {
    store
        .start_session("ends-early", &session_of("ailsa", 0))
        .unwrap();
    store
        .start_session("ends-later", &session_of("ailsa", HOUR))
        .unwrap();
    let braked = [brake("ailsa from 192.0.2.1", 0)];
    assert_eq!(attempt(store, &braked, 0), Ok(()));
    assert_eq!(attempt(store, &braked, 0), Err(Duration::from_secs(2)));
    let memory = i64::try_from(BRAKE_MEMORY.as_secs()).unwrap();
    // Nothing has ended yet.
    assert_eq!(store.sweep_sign_ins(moment(memory)).unwrap(), 0);
    assert_eq!(attempt(store, &braked, memory), Ok(()));
    // 15 minutes after its last failure the brake goes; an hour idle, the first session.
    assert_eq!(store.sweep_sign_ins(moment(HOUR + 1)).unwrap(), 2);
    assert_eq!(store.session("ends-early", moment(0)).unwrap(), None);
    assert!(store.session("ends-later", moment(HOUR)).unwrap().is_some());
    // Its brake was forgotten: the attempt is free again, even at its old time.
    assert_eq!(attempt(store, &braked, memory), Ok(()));
    assert_eq!(store.sweep_sign_ins(moment(3 * HOUR)).unwrap(), 2);
    assert_eq!(store.sweep_sign_ins(moment(3 * HOUR)).unwrap(), 0);
}

fn sessions_and_brakes_are_kept_when_reopened(backend: &dyn Backend) {
    let braked = [brake("ailsa from 192.0.2.1", 1)];
    {
        let store = backend.open();
        store
            .start_session("digest-1", &session_of("ailsa", 0))
            .unwrap();
        assert_eq!(attempt(store.as_ref(), &braked, 0), Ok(()));
        store.flush().unwrap();
    }
    // A restart signs no one out, and forgets no failure (the brakes' secret is kept too).
    let store = backend.open();
    assert_eq!(
        store.session("digest-1", moment(1)).unwrap(),
        Some(session_of("ailsa", 0))
    );
    assert_eq!(
        attempt(store.as_ref(), &braked, 0),
        Err(Duration::from_secs(1))
    );
}

/// What only the sled store does.
mod sled_only {
    use super::*;

    #[test]
    fn a_directory_serves_one_collector_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::open(dir.path()).unwrap();
        let error = store::open(dir.path())
            .err()
            .expect("a second open is refused");
        assert!(matches!(error, StoreError::Locked { .. }), "{error}");
        assert!(error.to_string().contains("in use"), "{error}");
        drop(store);
        drop(reopen(dir.path()));
    }

    /// Copies a directory tree (the fixture is opened, so changed, in a copy).
    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    /// After long reads, and once nothing has been written for a moment and no read is
    /// going on, the store reopens its database to let go of the memory they used:
    /// nothing stored is lost, positions go on from where they were, and the erasure
    /// mark stays where it was (the counts kept from it are still right).
    #[test]
    fn after_long_reads_the_store_lets_go_of_their_memory_and_keeps_everything() {
        let dir = tempfile::tempdir().unwrap();
        let store = store::open(dir.path()).unwrap();
        let engagement = example_survey(ENGAGEMENT);
        let batch: Vec<StoredResponse> = (0..1_000)
            .map(|_| valid(&engagement, engagement_submission()))
            .collect();
        for outcome in store.insert_responses(&batch) {
            assert_eq!(outcome.unwrap(), InsertOutcome::Inserted);
        }
        assert!(!store.shed_memory().unwrap(), "nothing has been read yet");
        for _ in 0..50 {
            assert_eq!(store.responses(ENGAGEMENT).count(), 1_000);
        }
        // The newest response is erased: the last position given is no longer in the tree.
        let newest = valid(&engagement, engagement_submission());
        store.insert_response(&newest).unwrap();
        assert!(!store.shed_memory().unwrap(), "it wrote a moment ago");
        let last = store
            .responses_after(ENGAGEMENT, None)
            .map(|r| r.unwrap().0)
            .max()
            .unwrap();
        store
            .erase_response(newest.receipt.as_str())
            .unwrap()
            .expect("it was stored");
        std::thread::sleep(Duration::from_millis(2_100));
        let mark = store.erasure_mark(ENGAGEMENT).unwrap();
        {
            let mut reading = store.responses(ENGAGEMENT);
            reading.next().unwrap().unwrap();
            assert!(!store.shed_memory().unwrap(), "a read is going on");
        }
        assert!(store.shed_memory().unwrap());
        assert!(!store.shed_memory().unwrap(), "nothing read since");
        assert_eq!(store.erasure_mark(ENGAGEMENT).unwrap(), mark);
        let stored: Vec<StoredResponse> = store
            .responses(ENGAGEMENT)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored, batch);
        assert_eq!(
            store.insert_response(&batch[10]).unwrap(),
            InsertOutcome::AlreadyStored(Box::new(batch[10].clone()))
        );
        // Sent while the clock is an hour behind: still after the last position given,
        // so a reader that had read up to it does not miss it.
        let mut next = valid(&engagement, engagement_submission());
        next.submitted_at -= time::Duration::hours(1);
        store.insert_response(&next).unwrap();
        let after: Vec<StoredResponse> = store
            .responses_after(ENGAGEMENT, Some(last))
            .map(|r| r.unwrap().1)
            .collect();
        assert_eq!(after, [next]);
    }

    /// `tests/fixtures/format-1` was written by the collector as it was before
    /// the store kept counts, a time index and a token index (commit 7ef37fb):
    /// engagement-2026 published, a token "nightly" created, and three responses
    /// submitted over HTTP on 2026-12-04 (two online, one by phone).
    #[test]
    fn a_data_directory_from_an_earlier_collector_gets_its_indexes_when_opened() {
        const SECRET: &str = "979b65c302ba2c94bd7caf5643dbee2fb24067ce5817c81e95422f8c9cdec790";
        let dir = tempfile::tempdir().unwrap();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format-1"),
            dir.path(),
        );
        let day = utc(2026, time::Month::December, 4, 0);
        let expected = vec![
            tally(day, Channel::Online, 2),
            tally(day, Channel::Phone, 1),
        ];
        for _ in 0..2 {
            // Twice: building the indexes again on the second opening would double the counts.
            let store = reopen(dir.path());
            assert_eq!(store.tallies(ENGAGEMENT).unwrap(), expected);
            let in_time_order: Vec<StoredResponse> = store
                .responses_submitted(ENGAGEMENT, Some(day), None)
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(in_time_order.len(), 3);
            let stored: Vec<StoredResponse> = store
                .responses(ENGAGEMENT)
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(stored, in_time_order);
            // Their receipts were drawn at random, not derived from their submissions:
            // each is still found by its submission, and a retry is told it is stored.
            for response in &stored {
                assert_ne!(
                    response.receipt,
                    store.first_receipt(ENGAGEMENT, response.submission_id)
                );
                assert_eq!(
                    store
                        .find_submission(ENGAGEMENT, response.submission_id)
                        .unwrap(),
                    Submitted::Stored(Box::new(response.clone()))
                );
                let mut retry = response.clone();
                retry.receipt = store.first_receipt(ENGAGEMENT, response.submission_id);
                assert_eq!(
                    store.insert_response(&retry).unwrap(),
                    InsertOutcome::AlreadyStored(Box::new(response.clone()))
                );
            }
            assert_eq!(
                store
                    .token_by_hash(&voices_collector::staff::credentials::digest(SECRET))
                    .unwrap()
                    .map(|t| t.name),
                Some("nightly".to_owned())
            );
            // And a new response is counted on top.
            let response = valid(&example_survey(ENGAGEMENT), engagement_submission());
            store.insert_response(&response).unwrap();
            store.erase_response(response.receipt.as_str()).unwrap();
            assert_eq!(store.tallies(ENGAGEMENT).unwrap(), expected);
            store.flush().unwrap();
        }
    }

    /// A copy of `tests/fixtures/NAME` (opening it changes it).
    fn fixture(name: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            dir.path(),
        );
        dir
    }

    /// The submission ids of the three responses the format-2 and format-3 fixtures hold.
    fn fixture_submissions() -> Vec<uuid::Uuid> {
        [
            "11111111-1111-4111-8111-111111111111",
            "22222222-2222-4222-8222-222222222222",
            "33333333-3333-4333-8333-333333333333",
        ]
        .iter()
        .map(|id| id.parse().unwrap())
        .collect()
    }

    /// `tests/fixtures/format-2` was written by the collector as it was before receipts
    /// were derived from submissions (commit b6e2d72): engagement-2026 published, and three
    /// responses submitted over HTTP on 2026-12-06, the third then withdrawn.
    #[test]
    fn a_data_directory_of_format_2_keeps_finding_its_responses_by_submission() {
        let dir = fixture("format-2");
        let ids = fixture_submissions();
        let mut new = valid(&example_survey(ENGAGEMENT), engagement_submission());
        for opening in 0..3 {
            let store = reopen(dir.path());
            for (id, receipt) in ids[..2].iter().zip(["3XRW-WPDX", "NGEB-37GY"]) {
                let Submitted::Stored(stored) = store.find_submission(ENGAGEMENT, *id).unwrap()
                else {
                    panic!("{id} is stored");
                };
                assert_eq!(stored.receipt.as_str(), receipt);
                // A retry is offered the receipt derived now, and is told it is stored.
                let mut retry = (*stored).clone();
                retry.receipt = store.first_receipt(ENGAGEMENT, *id);
                assert_ne!(retry.receipt, stored.receipt);
                assert_eq!(
                    store.insert_response(&retry).unwrap(),
                    InsertOutcome::AlreadyStored(stored)
                );
            }
            assert_eq!(
                store.find_submission(ENGAGEMENT, ids[2]).unwrap(),
                Submitted::Erased
            );
            assert_eq!(store.find_receipt("KFYD-AMRR").unwrap(), None);
            // A new response, stored with its derived receipt at the first opening, is
            // found by it at the later ones: the secret is made once and kept.
            new.receipt = store.first_receipt(ENGAGEMENT, new.submission_id);
            let expected = if opening == 0 {
                InsertOutcome::Inserted
            } else {
                InsertOutcome::AlreadyStored(Box::new(new.clone()))
            };
            assert_eq!(store.insert_response(&new).unwrap(), expected);
            assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 3);
            store.flush().unwrap();
        }
    }

    /// `tests/fixtures/format-3` was written by the collector as it was before responses
    /// were keyed by time (commit e0d9de3): engagement-2026 published, and three responses
    /// submitted over HTTP on 2026-12-07, the third then withdrawn.
    #[test]
    fn a_data_directory_of_format_3_keeps_its_responses_in_order_and_by_time() {
        let dir = fixture("format-3");
        let ids = fixture_submissions();
        let day = utc(2026, time::Month::December, 7, 0);
        for opening in 0..3 {
            let store = reopen(dir.path());
            let stored: Vec<StoredResponse> = store
                .responses(ENGAGEMENT)
                .collect::<Result<_, _>>()
                .unwrap();
            let receipts: Vec<&str> = stored.iter().map(|r| r.receipt.as_str()).collect();
            let mut expected = vec!["WEEA-7A38", "REXT-RNHT"];
            if opening > 0 {
                expected.push("NEXT-4NEW");
            }
            assert_eq!(receipts, expected, "in the order stored");
            for (response, id) in stored.iter().zip(&ids[..2]) {
                assert_eq!(response.submission_id, *id);
                // Derived: a retry is offered the same receipt, and told it is stored.
                assert_eq!(response.receipt, store.first_receipt(ENGAGEMENT, *id));
                assert_eq!(
                    store.insert_response(response).unwrap(),
                    InsertOutcome::AlreadyStored(Box::new(response.clone()))
                );
                assert_eq!(
                    store
                        .find_receipt(response.receipt.as_str())
                        .unwrap()
                        .as_ref(),
                    Some(response)
                );
            }
            assert_eq!(
                store.find_submission(ENGAGEMENT, ids[2]).unwrap(),
                Submitted::Erased
            );
            assert_eq!(store.find_receipt("DXCM-TKTG").unwrap(), None);
            assert_eq!(
                store.tallies(ENGAGEMENT).unwrap(),
                vec![tally(day, Channel::Online, expected.len() as u64)]
            );
            let that_day: Vec<StoredResponse> = store
                .responses_submitted(ENGAGEMENT, Some(day), Some(day + time::Duration::days(1)))
                .collect::<Result<_, _>>()
                .unwrap();
            // The new response was given a time before the others (a clock set back).
            let mut by_time = stored.clone();
            by_time.sort_by_key(|r| r.submitted_at);
            assert_eq!(that_day, by_time);
            // A new response comes after the positions there are.
            let positions: Vec<u64> = store
                .responses_after(ENGAGEMENT, None)
                .map(|r| r.unwrap().0)
                .collect();
            if opening == 0 {
                let mut new = sent(&example_survey(ENGAGEMENT), day, Channel::Online);
                new.receipt = Receipt::parse("NEXT-4NEW").unwrap();
                assert_eq!(
                    store.insert_response(&new).unwrap(),
                    InsertOutcome::Inserted
                );
                let after: Vec<String> = store
                    .responses_after(ENGAGEMENT, positions.last().copied())
                    .map(|r| r.unwrap().1.receipt.as_str().to_owned())
                    .collect();
                assert_eq!(after, ["NEXT-4NEW"]);
            }
            store.flush().unwrap();
        }
    }
}

/// What only the PostgreSQL store does.
mod postgres_only {
    use super::*;
    use voices_collector::store::StoreLocation;

    #[test]
    fn a_database_url_is_checked_and_its_password_never_shown() {
        let location = StoreLocation::postgres("postgres://voices:s3cret@db.example:6432/voices")
            .expect("a good URL");
        assert_eq!(
            location.to_string(),
            "the database postgres://voices@db.example:6432/voices"
        );
        assert!(!format!("{location}").contains("s3cret"));
        for (url, says) in [
            (
                "mysql://voices@db/voices",
                "postgres://USER@HOST:PORT/DATABASE",
            ),
            ("/var/lib/voices", "postgres://USER@HOST:PORT/DATABASE"),
            ("postgres://db.example/voices", "no user"),
            (
                "postgres://voices:s3cret@db.example/voices?sslrootcert=/etc/ca.pem",
                "not sslmode=require",
            ),
            (
                "postgres://voices:s3cret@db.example/voices?sslmode=require&sslrootcert=/no/ca.pem",
                "sslrootcert=/no/ca.pem cannot be read",
            ),
            (
                "postgres://voices@db.example/voices?nonsense=1",
                "cannot be read",
            ),
        ] {
            let error = StoreLocation::postgres(url).expect_err(url);
            assert!(error.contains(says), "{url}: {error}");
            assert!(!error.contains("s3cret"), "{url}: {error}");
        }
    }

    #[test]
    fn an_unreachable_database_is_unavailable_and_says_where_and_why() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("postgres://voices:s3cret@127.0.0.1:{port}/voices");
        let error = store::open_url(&url).err().expect("nothing listens there");
        let StoreError::Unavailable(message) = &error else {
            panic!("{error:?}");
        };
        assert!(
            message.contains(&format!("postgres://voices@127.0.0.1:{port}/voices")),
            "{message}"
        );
        assert!(message.contains("cannot be reached"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }

    #[test]
    fn a_schema_is_made_once_and_a_newer_one_is_refused() {
        let database = pg::TestDatabase::new();
        // Commands that only read or add to a store do not make its tables.
        let error = store::open_existing_url(&database.url)
            .err()
            .expect("no tables yet");
        assert!(matches!(error, StoreError::Database { .. }), "{error:?}");
        assert!(error.to_string().contains("no Voices tables"), "{error}");
        // Made once, by the first, however many open it at once.
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| drop(store::open_url(&database.url).expect("it opens")));
            }
        });
        drop(store::open_existing_url(&database.url).expect("it has tables now"));
        pg::admin(
            &database.url,
            "INSERT INTO schema_version (version, collector) VALUES (999, 'a newer collector')",
        )
        .unwrap();
        for opened in [
            store::open_url(&database.url),
            store::open_existing_url(&database.url),
        ] {
            let error = opened.err().expect("a newer schema is refused");
            assert!(matches!(error, StoreError::Database { .. }), "{error:?}");
            let message = error.to_string();
            assert!(message.contains("newer collector"), "{message}");
            assert!(message.contains("schema version 999"), "{message}");
            assert!(
                message.contains("cannot use the database postgres://voices@127.0.0.1:"),
                "names the database, without a password: {message}"
            );
        }
    }

    /// A database not in UTF-8 would refuse answers in other scripts for ever: it is
    /// refused at once, saying how to make one that is.
    #[test]
    fn a_database_not_in_utf8_is_refused_saying_how_to_make_one() {
        let database = pg::TestDatabase::new();
        let latin1 = format!("{}_latin1", database.url.rsplit('/').next().unwrap());
        let server = pg::with_database(&database.url, "postgres");
        pg::admin(
            &server,
            &format!("CREATE DATABASE {latin1} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"),
        )
        .unwrap();
        let opened = store::open_url(&pg::with_database(&database.url, &latin1));
        pg::admin(&server, &format!("DROP DATABASE {latin1} WITH (FORCE)")).unwrap();
        let said = opened
            .err()
            .expect("a LATIN1 database is refused")
            .to_string();
        assert!(
            said.contains("encoding is LATIN1") && said.contains("createdb -E UTF8"),
            "{said}"
        );
    }

    /// `sslmode=require`: the connection is encrypted, and the server's certificate is
    /// checked against the authority in `sslrootcert` (or the Mozilla roots, which do not
    /// know a council's own authority, so that fails, saying why).
    #[test]
    fn sslmode_require_encrypts_and_checks_the_server_s_certificate() {
        let (cluster, ca) = pg::Cluster::start_with_tls();
        let server = cluster.url("postgres");
        let database = pg::TestDatabase::on(&server);
        let ca = ca.display().to_string();
        let url = format!("{}?sslmode=require&sslrootcert={ca}", database.url);
        let store = store::open_url(&url).expect("a TLS connection with the CA's certificate");
        let engagement = example_survey(ENGAGEMENT);
        let response = valid(&engagement, engagement_submission());
        assert_eq!(
            store.insert_response(&response).unwrap(),
            InsertOutcome::Inserted
        );
        // The server says the collector's connections are encrypted.
        let encrypted = pg::query_count(
            &server,
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = 'voices-collector' AND s.ssl",
        );
        assert!(encrypted >= 1, "no encrypted connection from the collector");
        drop(store);

        let unchecked = store::open_url(&format!("{}?sslmode=require", database.url))
            .err()
            .expect("a certificate from an unknown authority is refused");
        let said = unchecked.to_string();
        assert!(
            said.contains("certificate is not trusted") && said.contains("sslrootcert="),
            "{said}"
        );
        for (url, says) in [
            (
                format!(
                    "{}?sslmode=require&sslrootcert=/no/such/ca.pem",
                    database.url
                ),
                "sslrootcert=/no/such/ca.pem cannot be read",
            ),
            (
                format!("{}?sslrootcert={ca}", database.url),
                "not sslmode=require",
            ),
        ] {
            let error = store::open_url(&url).err().expect(&url);
            assert!(error.to_string().contains(says), "{url}: {error}");
        }
        drop(database);
        drop(cluster);
    }

    /// Two collectors on one database: what one publishes, erases or changes, the other
    /// sees; a lease one holds, the other cannot take.
    #[test]
    fn a_second_collector_follows_publishing_updates_erasures_and_leases() {
        use voices_collector::catalog::Catalog;
        let database = pg::TestDatabase::new();
        let (one, two) = (
            store::open_url(&database.url).unwrap(),
            store::open_url(&database.url).unwrap(),
        );
        let (here, there) = (Catalog::load(&one).unwrap(), Catalog::load(&two).unwrap());
        let mark = two
            .catalog_mark()
            .unwrap()
            .expect("a shared store has a mark");
        here.publish(&one, example_survey(ENGAGEMENT)).unwrap();
        assert_ne!(two.catalog_mark().unwrap(), Some(mark));
        assert!(there.latest(ENGAGEMENT).is_none());
        there.refresh(&two).unwrap();
        assert_eq!(there.latest(ENGAGEMENT).unwrap().survey.version(), 1);

        // Updates saved through one collector are served by the other once it refreshes,
        // and a change through the other begins from them, not from what it last saw.
        let first = json!({"updates": [{"id": "closed", "stage": "closed",
            "date": "2026-12-01", "published": true,
            "headline": "The survey has closed", "body": "Thank you."}]});
        here.change_updates(&one, ENGAGEMENT, |_| {
            voices_shared::outcomes::Outcomes::from_value(&first, &example_survey(ENGAGEMENT))
        })
        .unwrap();
        there.refresh(&two).unwrap();
        assert_eq!(there.told(ENGAGEMENT).outcomes.updates().len(), 1);
        let seen = std::cell::Cell::new(0);
        there
            .change_updates(&two, ENGAGEMENT, |outcomes| {
                seen.set(outcomes.updates().len());
                Ok::<_, ()>(outcomes.clone())
            })
            .unwrap();
        assert_eq!(seen.get(), 1);

        // Both save at the same moment: the second collector's change began from what it
        // read, and the first's was saved meanwhile (inside the change, here). Neither is
        // lost: the change begins again from the first's.
        let second = json!({"id": "second", "stage": "closed", "date": "2026-12-02",
            "published": true, "headline": "Second", "body": "Second."});
        let third = json!({"id": "third", "stage": "closed", "date": "2026-12-03",
            "published": true, "headline": "Third", "body": "Third."});
        let calls = std::cell::Cell::new(0);
        let survey = example_survey(ENGAGEMENT);
        let with = |outcomes: &voices_shared::outcomes::Outcomes, update: &serde_json::Value| {
            let mut document = serde_json::to_value(outcomes).unwrap();
            document["updates"]
                .as_array_mut()
                .unwrap()
                .push(update.clone());
            voices_shared::outcomes::Outcomes::from_value(&document, &survey)
        };
        there
            .change_updates(&two, ENGAGEMENT, |outcomes| {
                calls.set(calls.get() + 1);
                if calls.get() == 1 {
                    here.change_updates(&one, ENGAGEMENT, |theirs| with(theirs, &second))
                        .unwrap();
                }
                with(outcomes, &third)
            })
            .unwrap();
        assert_eq!(calls.get(), 2, "the change began again once");
        here.refresh(&one).unwrap();
        let ids: Vec<String> = here
            .told(ENGAGEMENT)
            .outcomes
            .updates()
            .iter()
            .map(|u| u.id().to_owned())
            .collect();
        assert_eq!(ids, ["closed", "second", "third"]);

        // An erasure through one moves the survey's mark as the other sees it.
        let engagement = example_survey(ENGAGEMENT);
        let response = valid(&engagement, engagement_submission());
        one.insert_response(&response).unwrap();
        let before = two.erasure_mark(ENGAGEMENT).unwrap();
        one.erase_response(response.receipt.as_str()).unwrap();
        assert_eq!(two.erasure_mark(ENGAGEMENT).unwrap(), before + 1);

        let day = Duration::from_secs(24 * 60 * 60);
        assert!(one.claim_lease("retention", "one", day).unwrap());
        assert!(!two.claim_lease("retention", "two", day).unwrap());
    }

    /// Two handles on one database, as two collectors would have: each submission, sent
    /// to both at once, is stored once and answered with one receipt.
    #[test]
    fn two_collectors_on_one_database_store_each_submission_once() {
        let database = pg::TestDatabase::new();
        let (one, two) = (
            store::open_url(&database.url).unwrap(),
            store::open_url(&database.url).unwrap(),
        );
        let engagement = example_survey(ENGAGEMENT);
        let responses: Vec<StoredResponse> = (0..40)
            .map(|_| valid(&engagement, engagement_submission()))
            .collect();
        let answers: Vec<Vec<Receipt>> = std::thread::scope(|scope| {
            let senders: Vec<_> = [&one, &two, &one, &two]
                .into_iter()
                .map(|store| {
                    let responses = &responses;
                    scope.spawn(move || {
                        responses
                            .iter()
                            .map(|response| {
                                let mut copy = response.clone();
                                copy.receipt = Receipt::generate();
                                match store.insert_response(&copy).unwrap() {
                                    InsertOutcome::Inserted => copy.receipt,
                                    InsertOutcome::AlreadyStored(first) => first.receipt,
                                    other => panic!("{other:?}"),
                                }
                            })
                            .collect()
                    })
                })
                .collect();
            senders.into_iter().map(|s| s.join().unwrap()).collect()
        });
        for n in 0..responses.len() {
            let receipts: Vec<&Receipt> = answers.iter().map(|a| &a[n]).collect();
            assert!(
                receipts.iter().all(|r| *r == receipts[0]),
                "one receipt for each submission: {receipts:?}"
            );
        }
        assert_eq!(one.response_count(ENGAGEMENT).unwrap(), 40);
        assert_eq!(two.responses(ENGAGEMENT).count(), 40);
        let positions: Vec<u64> = two
            .responses_after(ENGAGEMENT, None)
            .map(|r| r.unwrap().0)
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }

    /// Two handles on one database, as two collectors would have: a session started on one
    /// is found, used and ended on the other; attempts to sign in through both at once are
    /// counted one by one; and neither keeps the address a brake counts, only its digest.
    #[test]
    fn two_collectors_on_one_database_share_sessions_and_sign_in_brakes() {
        let database = pg::TestDatabase::new();
        let (one, two) = (
            store::open_url(&database.url).unwrap(),
            store::open_url(&database.url).unwrap(),
        );
        one.start_session("digest-1", &session_of("ailsa", 0))
            .unwrap();
        assert_eq!(
            two.session("digest-1", moment(0)).unwrap(),
            Some(session_of("ailsa", 0))
        );
        // Used through the second: the first sees it used.
        let used = two.session("digest-1", moment(HOUR / 2)).unwrap().unwrap();
        assert_eq!(used.last_seen, moment(HOUR / 2));
        assert!(
            one.session("digest-1", moment(HOUR + 60))
                .unwrap()
                .is_some()
        );
        assert!(one.end_session("digest-1").unwrap());
        assert_eq!(two.session("digest-1", moment(HOUR)).unwrap(), None);
        one.start_session("digest-2", &session_of("morag", 0))
            .unwrap();
        assert_eq!(two.end_sessions_of("morag").unwrap(), 1);
        assert_eq!(one.session("digest-2", moment(0)).unwrap(), None);

        let brakes = [
            brake("ailsa from 192.0.2.1", 5),
            brake("192.0.2.1", 20),
            brake("ailsa", 100),
        ];
        assert_eq!(eight_at_once(&[&one, &two], &brakes, 0), 5);
        assert_eq!(
            attempt(&two, &brakes, 0),
            Err(Duration::from_secs(1)),
            "the second sees the first's failures"
        );
        one.sign_in_succeeded(&brakes).unwrap();
        assert_eq!(attempt(&two, &brakes, 0), Ok(()));

        let mut client = postgres::Client::connect(&database.url, postgres::NoTls).unwrap();
        let keys: Vec<String> = client
            .query("SELECT key FROM sign_in_brakes", &[])
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert_eq!(keys.len(), 3, "{keys:?}");
        for key in &keys {
            assert!(
                key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
                "a brake is kept by a digest, not by whom it counts: {key}"
            );
        }
        let secrets: i64 = client
            .query_one("SELECT count(*) FROM store_secrets", &[])
            .unwrap()
            .get(0);
        assert_eq!(secrets, 1, "one secret for the brakes, shared by both");
    }

    /// The database stops (as in a crash), then comes back: meanwhile every call is
    /// refused at once with why, and then the same store takes writes again, without a
    /// restart, with everything acknowledged before still there once.
    #[test]
    fn a_database_that_goes_away_is_unavailable_then_used_again_without_a_restart() {
        let cluster = pg::Cluster::start();
        pg::admin(&cluster.url("postgres"), "CREATE DATABASE voices").unwrap();
        let store = store::open_url(&cluster.url("voices")).unwrap();
        let engagement = example_survey(ENGAGEMENT);
        let before = valid(&engagement, engagement_submission());
        assert_eq!(
            store.insert_response(&before).unwrap(),
            InsertOutcome::Inserted
        );

        cluster.stop(true);
        let during = valid(&engagement, engagement_submission());
        let error = store.insert_response(&during).unwrap_err();
        let StoreError::Unavailable(message) = &error else {
            panic!("{error:?}");
        };
        assert!(message.contains("database"), "{message}");
        // While it is down, at once: no waiting for a connection on every call.
        let asked = Instant::now();
        assert!(matches!(
            store.find_receipt(before.receipt.as_str()),
            Err(StoreError::Unavailable(_))
        ));
        assert!(matches!(store.recover(), Err(StoreError::Unavailable(_))));
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "{:?}",
            asked.elapsed()
        );

        cluster.try_start().expect("the server starts again");
        pg::eventually(
            Duration::from_secs(20),
            "the store takes writes again",
            || store.recover().is_ok() && store.insert_response(&during).is_ok(),
        );
        assert_eq!(
            store.find_receipt(before.receipt.as_str()).unwrap(),
            Some(before.clone())
        );
        match store.insert_response(&during).unwrap() {
            InsertOutcome::AlreadyStored(stored) => assert!(stored.same_answers(&during)),
            other => panic!("{other:?}"),
        }
        assert_eq!(store.response_count(ENGAGEMENT).unwrap(), 2);
        drop(store);
    }
}
