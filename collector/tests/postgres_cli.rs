//! The real binary on a PostgreSQL database (`--store postgres://...`, see `common::pg`):
//! every command that takes `--data` takes it too, two collectors serving one database
//! store a submission sent to both once and share staff sessions and the sign-in brakes,
//! and a URL that cannot be used is refused without its password being repeated.

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

const PASSWORD: &str = "correct horse battery";

/// A browser that does not follow redirects (a sign-in answers 303 with its cookie).
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// The value of the cookie `name` a reply sets.
fn cookie_set(reply: &reqwest::Response, name: &str) -> Option<String> {
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| value.strip_prefix(&format!("{name}=")))
        .and_then(|value| value.split(';').next())
        .map(str::to_owned)
}

/// The `csrf` hidden field of a page.
fn csrf_of(page: &str) -> String {
    const FIELD: &str = "name=\"csrf\" value=\"";
    let at = page.find(FIELD).expect("a CSRF field") + FIELD.len();
    page[at..at + 64].to_owned()
}

/// Opens the sign-in form on `base` and posts it: the reply.
async fn sign_in(http: &reqwest::Client, base: &str, password: &str) -> reqwest::Response {
    let form = http
        .get(format!("{base}/admin/sign-in"))
        .send()
        .await
        .unwrap();
    let token = cookie_set(&form, "voices-sign-in").expect("a sign-in cookie");
    let csrf = csrf_of(&form.text().await.unwrap());
    http.post(format!("{base}/admin/sign-in"))
        .header("cookie", format!("voices-sign-in={token}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "ailsa"),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// Signed in on one collector, a member of staff downloads through the other; signed out
/// on one, the other refuses the cookie; and failed guesses on one brake the other.
#[tokio::test]
async fn two_collectors_on_one_database_share_sessions_and_the_sign_in_brake() {
    let database = TestDatabase::new();
    publish_examples(&database.url);
    let added = user_add_in(&["--store", &database.url], "ailsa", "admin", PASSWORD);
    assert!(added.status.success(), "{}", added.stderr);
    let (_one, first) = on_database(&database.url);
    let (_two, second) = on_database(&database.url);
    let http = browser();
    let (status, stored) = submit(&http, &first, ENGAGEMENT, &engagement_submission())
        .await
        .unwrap();
    assert_eq!(status, 201, "{stored}");
    let receipt = stored["receipt"].as_str().unwrap().to_owned();

    let signed_in = sign_in(&http, &first, PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
    let session = cookie_set(&signed_in, "voices-session").expect("a session cookie");
    let cookie = format!("voices-session={session}");

    let download = http
        .get(format!(
            "{second}/api/admin/surveys/{ENGAGEMENT}/responses?format=csv"
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        download.status(),
        200,
        "the other collector knows the session"
    );
    assert!(download.text().await.unwrap().contains(&receipt));
    let dashboard = http
        .get(format!("{second}/admin"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 200);
    let csrf = csrf_of(&dashboard.text().await.unwrap());

    let signed_out = http
        .post(format!("{first}/admin/sign-out"))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 303);
    let refused = http
        .get(format!("{second}/admin"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 303, "signed out everywhere");
    assert_eq!(refused.headers()["location"], "/admin/sign-in");
    let refused = http
        .get(format!(
            "{second}/api/admin/surveys/{ENGAGEMENT}/responses?format=csv"
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    // Five free wrong guesses for one account from one address, on the first collector;
    // the sixth, on the second, must wait.
    for _ in 0..5 {
        assert_eq!(
            sign_in(&http, &first, "not the password").await.status(),
            401
        );
    }
    assert_eq!(sign_in(&http, &second, PASSWORD).await.status(), 429);
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
