//! A 2xx means the response is on disk: SIGKILL the real collector mid-flight, restart it on the same directory, and every acknowledged receipt is there exactly once, and retries of what was in flight store nothing twice.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::JoinSet;

const ROUNDS: usize = 3;
const WRITERS: usize = 8;
/// Acknowledged responses per round before the kill.
const KILL_AFTER: usize = 150;

/// What the writers learn during one round.
#[derive(Default)]
struct Round {
    /// receipt → submission id, for every 2xx.
    acknowledged: Mutex<Vec<(String, String)>>,
    /// Submissions whose request failed (in flight at the kill, or after it).
    unanswered: Mutex<Vec<Value>>,
    count: AtomicUsize,
    enough: Notify,
}

async fn writer(client: reqwest::Client, base: String, round: Arc<Round>) {
    // Bounded: the kill comes after KILL_AFTER acknowledgements in all.
    for _ in 0..KILL_AFTER * 4 {
        let submission = engagement_submission();
        match submit(&client, &base, ENGAGEMENT, &submission).await {
            Ok((status, body)) => {
                assert!(
                    status == 200 || status == 201,
                    "unexpected {status}: {body}"
                );
                let receipt = body["receipt"].as_str().expect("a receipt").to_owned();
                let id = submission["submission_id"].as_str().unwrap().to_owned();
                round.acknowledged.lock().unwrap().push((receipt, id));
                if round.count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                    round.enough.notify_one();
                }
            }
            Err(_) => {
                // The collector is gone; this one may or may not have been stored.
                round.unanswered.lock().unwrap().push(submission);
                return;
            }
        }
    }
    panic!(
        "the collector was not killed after {} submissions",
        KILL_AFTER * 4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_responses_survive_sigkill_exactly_once() {
    let data = tempfile::tempdir().unwrap();
    let examples = examples_dir();
    // Every receipt ever acknowledged, with its submission id.
    let mut acknowledged: HashMap<String, String> = HashMap::new();
    // Submissions that never got an answer, to send again after the restart.
    let mut unanswered: Vec<Value> = Vec::new();
    // The store's content as of the last export.
    let mut exported_before: HashMap<String, String> = HashMap::new();

    for round_number in 0..ROUNDS {
        let mut args = vec!["--rate-limit", "0"];
        if round_number == 0 {
            args.extend(["--surveys", examples.to_str().unwrap()]);
        }
        let (mut collector, base) = Collector::listening(data.path(), &args);
        let client = client();

        // The widget retries what got no answer, with the same submission id.
        let mut retried = 0;
        for submission in unanswered.drain(..) {
            let id = submission["submission_id"].as_str().unwrap().to_owned();
            let (status, body) = submit(&client, &base, ENGAGEMENT, &submission)
                .await
                .expect("the restarted collector answers");
            let receipt = body["receipt"]
                .as_str()
                .unwrap_or_else(|| panic!("{status}: {body}"))
                .to_owned();
            let stored_before = exported_before
                .iter()
                .find(|(_, sid)| **sid == id)
                .map(|(r, _)| r.clone());
            match (status, stored_before) {
                (200, Some(before)) => assert_eq!(
                    receipt, before,
                    "a retry of a stored response gets its receipt"
                ),
                (201, None) => {}
                (status, before) => {
                    panic!("retry of {id}: {status}, stored before the crash as {before:?}")
                }
            }
            assert!(acknowledged.insert(receipt, id).is_none(), "a new receipt");
            retried += 1;
        }

        let round = Arc::new(Round::default());
        let mut writers = JoinSet::new();
        for _ in 0..WRITERS {
            writers.spawn(writer(client.clone(), base.clone(), Arc::clone(&round)));
        }
        tokio::time::timeout(Duration::from_secs(120), round.enough.notified())
            .await
            .expect("150 responses acknowledged within 120 s");
        collector.kill();
        collector.wait_exit(Duration::from_secs(10));
        tokio::time::timeout(Duration::from_secs(60), writers.join_all())
            .await
            .expect("the writers notice the kill");
        drop(collector);

        let round = Arc::into_inner(round).expect("the writers are done");
        let this_round = round.acknowledged.into_inner().unwrap();
        assert!(this_round.len() >= KILL_AFTER);
        for (receipt, id) in this_round {
            assert!(
                acknowledged.insert(receipt.clone(), id).is_none(),
                "receipt {receipt} acknowledged twice"
            );
        }
        unanswered = round.unanswered.into_inner().unwrap();
        assert_eq!(
            unanswered.len(),
            WRITERS,
            "each writer stops at its first failed request"
        );

        // Restarting the store on the crashed directory: everything acknowledged is there, once.
        let exported = export_ndjson(data.path(), ENGAGEMENT);
        assert_no_duplicates(&exported);
        let stored: HashMap<String, String> = exported
            .iter()
            .map(|r| {
                (
                    r["receipt"].as_str().unwrap().to_owned(),
                    r["submission_id"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for (receipt, id) in &acknowledged {
            assert_eq!(
                stored.get(receipt),
                Some(id),
                "acknowledged receipt {receipt} (round {round_number}) survived the kill"
            );
        }
        // Nothing is stored that was neither acknowledged nor in flight.
        let in_flight: HashSet<&str> = unanswered
            .iter()
            .map(|s| s["submission_id"].as_str().unwrap())
            .collect();
        for (receipt, id) in &stored {
            assert!(
                acknowledged.contains_key(receipt) || in_flight.contains(id.as_str()),
                "{receipt} was never sent"
            );
        }
        assert!(stored.len() <= acknowledged.len() + in_flight.len());
        eprintln!(
            "round {round_number}: {retried} retried, {} acknowledged in all, {} stored, {} in flight at the kill",
            acknowledged.len(),
            stored.len(),
            in_flight.len()
        );
        exported_before = stored;
    }
}
