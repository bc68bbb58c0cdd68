//! A retention purge of a large survey, with submissions arriving meanwhile over a real socket: every one is answered as quickly as usual.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Server, client, small_submission, small_survey, submit};
use serde_json::json;
use time::OffsetDateTime;
use voices_collector::Config;
use voices_collector::receipt::Receipt;
use voices_collector::retention::purge_expired;
use voices_collector::store::{InsertOutcome, StoredResponse};

/// Responses past their retention period when the purge starts: fewer on PostgreSQL,
/// where filling the store one committed row at a time takes most of the test's time, and
/// where a purge past a few chunks (of 500) already shows whether submissions wait for it.
fn expired() -> usize {
    if common::on_postgres() {
        20_000
    } else {
        100_000
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_are_answered_while_a_large_purge_runs() {
    let server = Server::start(Config {
        rate_limit: 0,
        ..Config::default()
    })
    .await;
    let h = &server.harness;
    h.publish(small_survey("poll", 1, json!({"retention_days": 30})));
    let survey = h.state.catalog().latest("poll").unwrap();
    let store = Arc::clone(&h.store);
    let a_year_ago = OffsetDateTime::now_utc() - time::Duration::days(365);
    tokio::task::spawn_blocking(move || {
        for _ in 0..expired() {
            let submission = serde_json::from_value(small_submission(1)).unwrap();
            let valid = survey.survey.accept(submission).unwrap();
            let mut response = StoredResponse::new("poll", valid, Receipt::generate(), a_year_ago);
            // Receipts are 8 letters from 25: among 100,000 of them a clash
            // happens in about one run in thirty. Draw again, as the writer does.
            loop {
                match store.insert_response(&response).unwrap() {
                    InsertOutcome::Inserted => break,
                    InsertOutcome::ReceiptTaken => response.receipt = Receipt::generate(),
                    other => panic!("a fresh submission was not stored: {other:?}"),
                }
            }
        }
        store.flush().unwrap();
    })
    .await
    .unwrap();

    let (catalog_state, store) = (h.state.clone(), Arc::clone(&h.store));
    let purge = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let purged = purge_expired(
            catalog_state.catalog(),
            store.as_ref(),
            OffsetDateTime::now_utc(),
        );
        (purged, started.elapsed())
    });
    let client = client();
    let mut waits = Vec::new();
    while !purge.is_finished() {
        let started = Instant::now();
        let (status, body) = submit(&client, &server.base, "poll", &small_submission(1))
            .await
            .unwrap();
        assert_eq!(status, 201, "{body}");
        waits.push(started.elapsed());
    }
    let (purged, took) = purge.await.unwrap();
    let purged = purged.unwrap();
    assert_eq!(purged[0].rows, expired() as u64);
    let worst = waits.iter().max().copied().unwrap_or_default();
    assert!(
        waits.len() >= 5,
        "only {} submissions were answered during a purge of {took:?} (the slowest waited {worst:?})",
        waits.len()
    );
    assert!(
        worst < Duration::from_secs(1),
        "a submission waited {worst:?} during a purge of {took:?}"
    );
    assert_eq!(h.count("poll"), waits.len() as u64);
}
