//! The real binary on a PostgreSQL database (`--store postgres://...`, see `common::pg`):
//! every command that takes `--data` takes it too, two collectors serving one database
//! store a submission sent to both once, and a URL that cannot be used is refused without
//! its password being repeated.

#![cfg(unix)]

mod common;

use common::pg::TestDatabase;
use common::{
    Collector, ENGAGEMENT, Started, client, engagement_submission, example_file, run, submit,
    user_add_in,
};
use serde_json::Value;

fn on_database(url: &str) -> (Collector, String) {
    match Collector::start_on_database(url, &[]) {
        Started::Listening { collector, addr } => (collector, format!("http://{addr}")),
        Started::Exited { status, stderr, .. } => panic!("serve exited with {status}:\n{stderr}"),
    }
}

fn publish_examples(url: &str) {
    let files = [example_file(ENGAGEMENT), example_file(common::TRANSPORT)];
    let published = run(&[
        "survey",
        "publish",
        files[0].to_str().unwrap(),
        files[1].to_str().unwrap(),
        "--store",
        url,
    ]);
    assert!(published.status.success(), "{}", published.stderr);
    assert!(
        published
            .stdout
            .contains("published survey \"engagement-2026\" version 1"),
        "{}",
        published.stdout
    );
}

#[tokio::test]
async fn every_command_takes_a_database() {
    let database = TestDatabase::new();
    let url = database.url.as_str();
    // Commands that read or add to a store do not make a database's tables.
    let empty = run(&["export", "--survey", ENGAGEMENT, "--store", url]);
    assert_eq!(empty.status.code(), Some(2), "{}", empty.stderr);
    assert!(
        empty.stderr.contains("no Voices tables yet"),
        "{}",
        empty.stderr
    );

    publish_examples(url);
    let added = user_add_in(&["--store", url], "ailsa", "admin", "correct horse battery");
    assert!(added.status.success(), "{}", added.stderr);
    let created = run(&[
        "token", "create", "nightly", "--role", "admin", "--store", url,
    ]);
    assert!(created.status.success(), "{}", created.stderr);
    let token = created.stdout.trim().to_owned();

    let (collector, base) = on_database(url);
    let http = client();
    let body = engagement_submission();
    let (status, first) = submit(&http, &base, ENGAGEMENT, &body).await.unwrap();
    assert_eq!(status, 201, "{first}");
    let (status, again) = submit(&http, &base, ENGAGEMENT, &body).await.unwrap();
    assert_eq!((status, &again["receipt"]), (200, &first["receipt"]));
    let receipt = first["receipt"].as_str().unwrap().to_owned();
    // The token made on the command line works on the collector, and its export has the response.
    let download = http
        .get(format!(
            "{base}/api/admin/surveys/{ENGAGEMENT}/responses?format=ndjson"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert!(download.text().await.unwrap().contains(&receipt));
    collector.terminate();
    drop(collector);

    let exported = run(&[
        "export", "--survey", ENGAGEMENT, "--format", "ndjson", "--store", url,
    ]);
    assert!(exported.status.success(), "{}", exported.stderr);
    let rows: Vec<Value> = exported
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["receipt"], receipt.as_str());
    let missing = run(&["export", "--survey", "no-such-survey", "--store", url]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        missing
            .stderr
            .contains("there is no survey \"no-such-survey\" in the database postgres://"),
        "{}",
        missing.stderr
    );
    let revoked = run(&["token", "revoke", "nightly", "--store", url]);
    assert!(revoked.status.success(), "{}", revoked.stderr);
}

/// What is published on the command line, or through one collector, is served by every
/// collector on the database within seconds, without a restart.
#[tokio::test]
async fn collectors_on_one_database_serve_what_is_published_elsewhere() {
    let database = TestDatabase::new();
    let url = database.url.as_str();
    let published = run(&[
        "survey",
        "publish",
        example_file(ENGAGEMENT).to_str().unwrap(),
        "--store",
        url,
    ]);
    assert!(published.status.success(), "{}", published.stderr);
    let (one, first_base) = on_database(url);
    let (two, second_base) = on_database(url);
    let http = client();
    let transport = format!("/api/surveys/{}", common::TRANSPORT);
    for base in [&first_base, &second_base] {
        let before = http.get(format!("{base}{transport}")).send().await.unwrap();
        assert_eq!(before.status(), 404);
    }
    let published = run(&[
        "survey",
        "publish",
        example_file(common::TRANSPORT).to_str().unwrap(),
        "--store",
        url,
    ]);
    assert!(published.status.success(), "{}", published.stderr);
    let started = std::time::Instant::now();
    for base in [&first_base, &second_base] {
        loop {
            let now = http.get(format!("{base}{transport}")).send().await.unwrap();
            if now.status() == 200 {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(15),
                "{base} does not serve the survey published on the command line"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
    drop((one, two));
}

/// Each submission sent to both collectors at the same moment: stored once, and both
/// answer with its one receipt.
#[tokio::test]
async fn two_collectors_on_one_database_store_a_submission_sent_to_both_once() {
    const SUBMISSIONS: usize = 24;
    let database = TestDatabase::new();
    publish_examples(&database.url);
    let (one, first_base) = on_database(&database.url);
    let (two, second_base) = on_database(&database.url);
    let http = client();
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..SUBMISSIONS {
        let body = engagement_submission();
        for base in [&first_base, &second_base] {
            let (http, base, body) = (http.clone(), base.clone(), body.clone());
            sends.spawn(async move {
                let (status, answer) = submit(&http, &base, ENGAGEMENT, &body).await.unwrap();
                assert!(status == 201 || status == 200, "{status} {answer}");
                (
                    body["submission_id"].as_str().unwrap().to_owned(),
                    answer["receipt"].clone(),
                )
            });
        }
    }
    let mut receipts = std::collections::HashMap::<String, Vec<Value>>::new();
    while let Some(answer) = sends.join_next().await {
        let (id, receipt) = answer.unwrap();
        receipts.entry(id).or_default().push(receipt);
    }
    assert_eq!(receipts.len(), SUBMISSIONS);
    for (id, answers) in &receipts {
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0], answers[1], "one receipt for {id}");
    }
    drop((one, two));
    let exported = run(&[
        "export",
        "--survey",
        ENGAGEMENT,
        "--format",
        "ndjson",
        "--store",
        &database.url,
    ]);
    assert!(exported.status.success(), "{}", exported.stderr);
    assert_eq!(exported.stdout.lines().count(), SUBMISSIONS);
}

#[test]
fn a_database_that_cannot_be_used_is_refused_without_repeating_its_password() {
    let url = "postgres://voices:s3cret@127.0.0.1:5432/voices?sslrootcert=/etc/voices-ca.pem";
    match Collector::start_on_database(url, &[]) {
        Started::Exited { status, stderr, .. } => {
            assert_eq!(status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("--store (VOICES_STORE)"), "{stderr}");
            assert!(stderr.contains("not sslmode=require"), "{stderr}");
            assert!(!stderr.contains("s3cret"), "{stderr}");
        }
        Started::Listening { .. } => panic!("served on a URL it cannot use"),
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("postgres://voices:s3cret@127.0.0.1:{port}/voices");
    match Collector::start_on_database(&unreachable, &[]) {
        Started::Exited { status, stderr, .. } => {
            assert_eq!(status.code(), Some(2), "{stderr}");
            assert!(stderr.contains("cannot be reached"), "{stderr}");
            assert!(
                stderr.contains(&format!("postgres://voices@127.0.0.1:{port}/voices")),
                "{stderr}"
            );
            assert!(!stderr.contains("s3cret"), "{stderr}");
        }
        Started::Listening { .. } => panic!("served without its database"),
    }
    // One place for the data: a directory or a database, not both.
    let both = run(&[
        "export",
        "--survey",
        ENGAGEMENT,
        "--data",
        "/tmp",
        "--store",
        "postgres://voices@127.0.0.1/voices",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
}
