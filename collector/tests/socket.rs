//! Exactly-once under concurrency, over a real socket: many copies of one submission store one response, many distinct submissions store one each.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::Value;
use tokio::task::JoinSet;
use voices_collector::Config;

fn no_limit() -> Config {
    Config {
        rate_limit: 0,
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_copies_of_one_submission_store_one_response() {
    let server = Server::start(no_limit()).await;
    let client = client();
    let submission = engagement_submission();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(50));
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let (client, base, submission, barrier) = (
            client.clone(),
            server.base.clone(),
            submission.clone(),
            barrier.clone(),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            submit(&client, &base, ENGAGEMENT, &submission)
                .await
                .expect("the request completes")
        });
    }
    let replies: Vec<(u16, Value)> = tasks.join_all().await;

    let created = replies.iter().filter(|(status, _)| *status == 201).count();
    let retried = replies.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(
        (created, retried),
        (1, 49),
        "one 201, the rest 200: {replies:?}"
    );
    let receipts: HashSet<&str> = replies
        .iter()
        .map(|(_, body)| body["receipt"].as_str().expect("a receipt"))
        .collect();
    assert_eq!(
        receipts.len(),
        1,
        "every copy gets the same receipt: {receipts:?}"
    );
    assert!(is_receipt(receipts.iter().next().unwrap()));

    assert_eq!(server.harness.count(ENGAGEMENT), 1);
    let stored: Vec<_> = server
        .harness
        .store
        .responses(ENGAGEMENT)
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored[0].receipt.as_str(), *receipts.iter().next().unwrap());
    assert_eq!(
        stored[0].submission_id.to_string(),
        submission["submission_id"].as_str().unwrap()
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_distinct_submissions_store_two_hundred() {
    let server = Server::start(no_limit()).await;
    let client = client();
    let mut tasks = JoinSet::new();
    for i in 0..200 {
        let (client, base) = (client.clone(), server.base.clone());
        tasks.spawn(async move {
            let mut submission = engagement_submission();
            submission["answers"]["times_taken_part"] = serde_json::json!(i % 101);
            let reply = submit(&client, &base, ENGAGEMENT, &submission)
                .await
                .expect("the request completes");
            (submission, reply)
        });
    }
    let results = tasks.join_all().await;

    let mut receipts = HashSet::new();
    for (_, (status, body)) in &results {
        assert_eq!(*status, 201, "{body}");
        let receipt = body["receipt"].as_str().expect("a receipt");
        assert!(is_receipt(receipt), "{receipt}");
        assert!(
            receipts.insert(receipt.to_owned()),
            "receipt {receipt} was given twice"
        );
    }
    assert_eq!(receipts.len(), 200);
    assert_eq!(server.harness.count(ENGAGEMENT), 200);

    // Each stored response is the one its receipt was given for.
    let stored: Vec<_> = server
        .harness
        .store
        .responses(ENGAGEMENT)
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored.len(), 200);
    for (submission, (_, body)) in &results {
        let receipt = body["receipt"].as_str().unwrap();
        let response = stored
            .iter()
            .find(|r| r.receipt.as_str() == receipt)
            .unwrap_or_else(|| panic!("receipt {receipt} is stored"));
        assert_eq!(
            response.submission_id.to_string(),
            submission["submission_id"].as_str().unwrap()
        );
        assert_eq!(
            response.answers["times_taken_part"],
            submission["answers"]["times_taken_part"]
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_counts_the_socket_peer() {
    let server = Server::start(Config {
        rate_limit: 3,
        ..Config::default()
    })
    .await;
    let client = client();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (status, body) = submit(&client, &server.base, ENGAGEMENT, &engagement_submission())
            .await
            .unwrap();
        if status == 429 {
            assert_error_body(&body, "rate_limited");
        }
        statuses.push(status);
    }
    assert_eq!(statuses, vec![201, 201, 201, 429]);
    // X-Forwarded-For is not trusted unless behind_proxy is set.
    let response = client
        .post(format!(
            "{}/api/surveys/{ENGAGEMENT}/responses",
            server.base
        ))
        .header("x-forwarded-for", "192.0.2.77")
        .json(&engagement_submission())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().get("retry-after").is_some());
    assert_eq!(server.harness.count(ENGAGEMENT), 3);
    server.stop().await;
}
