//! The sled store under its trait: one response per submission id, unique receipts, one collector per directory, and everything still there after reopening.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use time::OffsetDateTime;
use voices_collector::receipt::Receipt;
use voices_collector::store::{
    self, InsertOutcome, MailJob, PublishOutcome, Role, Settled, SledStore, StaffToken, Store,
    StoreError, StoredResponse, Submitted, Subscribed, Subscription, Tally,
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

#[test]
fn counts_are_kept_with_the_responses_through_erasure_retention_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let engagement = example_survey(ENGAGEMENT);
    let day = utc(2026, time::Month::March, 1, 10);
    let (next_day, later) = (
        day + time::Duration::days(1),
        day + time::Duration::days(10),
    );
    let (phone_call, purged_one, kept_one);
    {
        let store = store::open(dir.path()).unwrap();
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
    let store = reopen(dir.path());
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

#[test]
fn a_time_range_reads_just_the_responses_sent_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(dir.path()).unwrap();
    let engagement = example_survey(ENGAGEMENT);
    let start = utc(2026, time::Month::May, 4, 0);
    let hour = |n: i64| start + time::Duration::hours(n);
    // Stored out of time order, as a device with a wrong clock never could,
    // but a server whose clock was corrected can.
    // Another survey whose id sorts after this one's, with responses of its own.
    let other =
        voices_shared::Survey::from_value(&small_survey("poll", 1, serde_json::json!({}))).unwrap();
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

#[test]
fn a_token_is_found_by_its_digest_and_only_while_it_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(dir.path()).unwrap();
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

#[test]
fn a_surveys_updates_are_replaced_whole_and_kept_when_reopened() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = store::open(dir.path()).unwrap();
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
    let store = reopen(dir.path());
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

#[test]
fn each_published_update_is_queued_once_per_address_and_stopping_clears_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let now = utc(2026, time::Month::December, 6, 10);
    let today = now.date();
    {
        let store = store::open(dir.path()).unwrap();
        let ana = subscription("a1", "engagement-2026", "ana@example.org", today);
        assert_eq!(store.subscribe(&ana).unwrap(), Subscribed::Added);
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
        store.flush().unwrap();
    }
    let store = reopen(dir.path());
    let later = utc(2026, time::Month::December, 6, 11);
    let due = store.due_mail(later, 10).unwrap();
    let mut tokens: Vec<&str> = due.iter().map(|j| j.token.as_str()).collect();
    tokens.sort_unstable();
    assert_eq!(tokens, ["a1", "b1"]);
    assert!(
        due.iter()
            .all(|j| j.update_id == "closed" && j.attempts == 0)
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

#[test]
fn the_final_email_ends_a_subscription_only_once_nothing_else_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(dir.path()).unwrap();
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

#[test]
fn an_update_taken_back_before_its_email_went_goes_when_published_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(dir.path()).unwrap();
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

#[test]
fn a_survey_s_population_figures_are_replaced_whole_and_kept_when_reopened() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = store::open(dir.path()).unwrap();
        assert_eq!(store.population("reach").unwrap(), None);
        store
            .put_population("reach", "question,answer,people\nage,16_24,1\n")
            .unwrap();
        store
            .put_population("reach", "question,answer,people\nage,25_34,2\n")
            .unwrap();
        store.flush().unwrap();
    }
    let store = reopen(dir.path());
    assert_eq!(
        store.population("reach").unwrap().as_deref(),
        Some("question,answer,people\nage,25_34,2\n")
    );
    assert_eq!(store.population("other").unwrap(), None);
}

#[test]
fn positions_grow_and_read_only_what_came_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(dir.path()).unwrap();
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
    assert_eq!(store.responses_after(ENGAGEMENT, Some(u64::MAX)).count(), 0);
    // Another survey's responses are not read with this one's.
    assert_eq!(store.responses_after(TRANSPORT, None).count(), 0);
}
