//! `voices-collector migrate --from DIR --to postgres://...`, the real binary: a data
//! directory with everything a collector keeps (responses with their receipts, times to
//! the nanosecond, channels, who collected them, withdrawal keys; erased ones; staff,
//! tokens, collection credentials, updates, population figures, subscriptions, queued
//! emails, the audit log) moves whole; a collector serving from the database then exports
//! the same bytes, lets staff sign in with their old passwords and scripts use their old
//! tokens, and refuses an erased submission as erased. A rerun moves nothing twice, and
//! brings back nothing removed in the database since. A database holding other data under
//! the same keys is refused record by record, never overwritten; a directory a collector
//! serves from, and a database of a newer schema, are refused as a whole.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::pg::TestDatabase;
use common::{
    Collector, ENGAGEMENT, Output, Started, TRANSPORT, client, engagement_submission,
    example_survey, run, submit,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use voices_collector::catalog::Catalog;
use voices_collector::receipt::Receipt;
use voices_collector::staff::actions;
use voices_collector::store::{
    self, AuditEntry, AuditEvent, Collection, Role, SledStore, Store, StoreError, StoredResponse,
    Submitted, Subscription,
};
use voices_shared::{Channel, Submission};

const PASSWORD: &str = "correct horse battery staple";
const WITHDRAWAL_KEY: &str = "0123456789abcdef0123456789abcdef";
/// The first response's time: 2026-01-01T00:00:00.123456789Z, nanoseconds and all.
const FIRST_NANOS: i128 = 1_767_225_600_123_456_789;

/// Opens a sled store just dropped in this process, once sled has let go of its file
/// (spacejam/sled#1234: it does so from a background thread).
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

/// `migrate --from DIR --to URL`, tried again while sled still holds the file of a store
/// this test process just dropped.
fn migrate(dir: &Path, url: &str) -> Output {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let output = run(&["migrate", "--from", dir.to_str().unwrap(), "--to", url]);
        if output.stderr.contains("could not acquire lock") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        return output;
    }
}

/// A response to engagement-2026 from `body`, stored at `at`.
fn response(body: &Value, at: OffsetDateTime) -> StoredResponse {
    let survey = example_survey(ENGAGEMENT);
    let submission: Submission = serde_json::from_value(body.clone()).unwrap();
    let valid = survey.accept(submission).expect("a valid submission");
    StoredResponse::new(ENGAGEMENT, valid, Receipt::generate(), at)
}

/// What the data directory was given, to check against the database.
struct Seeded {
    /// The body of a response erased in the directory: sent again, it is refused.
    erased_body: Value,
    /// The body of a response kept: sent again, it gets its receipt back.
    kept_body: Value,
    kept_receipt: String,
    /// The receipt of the response sent with [`WITHDRAWAL_KEY`].
    withdrawable: String,
    token: String,
    subscription: String,
    responses: u64,
}

/// A data directory with something of every kind a collector keeps.
fn seed(dir: &Path) -> Seeded {
    let store = store::open(dir).unwrap();
    let catalog = Catalog::load(&store).unwrap();
    for id in [ENGAGEMENT, TRANSPORT] {
        catalog.publish(&store, example_survey(id)).unwrap();
    }
    let first = OffsetDateTime::from_unix_timestamp_nanos(FIRST_NANOS).unwrap();
    let (mut erased_body, mut kept, mut withdrawable) = (None, None, None);
    let mut receipts = Vec::new();
    for i in 0..30i64 {
        let mut body = engagement_submission();
        if i == 7 {
            body["withdrawal_key"] = json!(WITHDRAWAL_KEY);
        }
        // Over three days, a few nanoseconds apart from any whole microsecond.
        let at = first + time::Duration::new(i * 7_211, i32::try_from(i * 1_001).unwrap());
        let mut stored = response(&body, at);
        if i % 5 == 0 {
            stored.channel = Channel::FaceToFace;
            stored.collected_by = Some("ines".into());
        }
        assert_eq!(
            store.insert_response(&stored).unwrap(),
            store::InsertOutcome::Inserted
        );
        receipts.push(stored.receipt.as_str().to_owned());
        match i {
            3 => erased_body = Some(body),
            4 => kept = Some((body, stored.receipt.as_str().to_owned())),
            7 => withdrawable = Some(stored.receipt.as_str().to_owned()),
            _ => {}
        }
    }
    for erased in [&receipts[3], &receipts[11]] {
        assert!(store.erase_response(erased).unwrap().is_some());
    }
    actions::add_user(&store, "command line", "ailsa", Role::Admin, &[], PASSWORD).unwrap();
    actions::add_user(
        &store,
        "command line",
        "brodie",
        Role::Interviewer,
        &[ENGAGEMENT.to_owned()],
        PASSWORD,
    )
    .unwrap();
    let token = actions::create_token(&store, "command line", "nightly", Role::Admin).unwrap();
    store
        .put_collection(&Collection {
            id: "c0llect10n-credential".into(),
            user: "brodie".into(),
            survey_id: ENGAGEMENT.into(),
            channel: Channel::Phone,
            secret_hash: "ab".repeat(32),
            private_key: "cd".repeat(32),
            issued_at: first,
            expires_at: first + time::Duration::days(3),
            revoked_at: Some(first + time::Duration::hours(2)),
        })
        .unwrap();
    store
        .append_audit(&AuditEntry {
            at: first,
            actor: "ailsa".into(),
            event: AuditEvent::Downloaded {
                survey: ENGAGEMENT.into(),
                format: "csv".into(),
                rows: 28,
            },
        })
        .unwrap();
    store
        .put_outcomes(
            TRANSPORT,
            &json!({"updates": [
                {"id": "closed", "stage": "closed", "date": "2026-10-01", "published": true,
                 "headline": "The survey has closed", "body": "Thank you."},
                {"id": "draft", "stage": "what_we_did", "date": "2026-12-01",
                 "headline": "Not ready yet", "body": "Secret plans."}
            ]})
            .to_string(),
        )
        .unwrap();
    store
        .put_population(ENGAGEMENT, "group,people\nlochee,1200\n")
        .unwrap();
    store
        .put_picture(
            ENGAGEMENT,
            "bus.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .unwrap();
    let subscription = "5e".repeat(32);
    store
        .subscribe(&Subscription {
            token: subscription.clone(),
            survey_id: TRANSPORT.into(),
            email: "Someone@Example.org".into(),
            locale: "gd".into(),
            since: first.date(),
            told: Vec::new(),
            ended: false,
        })
        .unwrap();
    assert_eq!(
        store
            .queue_updates(TRANSPORT, &["closed".to_owned()], first)
            .unwrap(),
        1
    );
    store.flush().unwrap();
    let (kept_body, kept_receipt) = kept.unwrap();
    Seeded {
        erased_body: erased_body.unwrap(),
        kept_body,
        kept_receipt,
        withdrawable: withdrawable.unwrap(),
        token,
        subscription,
        responses: 28,
    }
}

/// Every response to a survey, in the order stored (positions aside).
fn all_responses(store: &dyn Store, survey: &str) -> Vec<StoredResponse> {
    store.responses(survey).map(Result::unwrap).collect()
}

/// Asserts the database holds what the directory does, kind by kind.
fn assert_same_data(sled: &dyn Store, pg: &dyn Store, seeded: &Seeded) {
    assert_eq!(sled.surveys().unwrap(), pg.surveys().unwrap());
    for survey in [ENGAGEMENT, TRANSPORT] {
        assert_eq!(
            all_responses(sled, survey),
            all_responses(pg, survey),
            "{survey}"
        );
        assert_eq!(
            sled.tallies(survey).unwrap(),
            pg.tallies(survey).unwrap(),
            "{survey}"
        );
        assert_eq!(
            sled.population(survey).unwrap(),
            pg.population(survey).unwrap()
        );
        assert_eq!(
            sled.picture(survey, "bus.svg").unwrap(),
            pg.picture(survey, "bus.svg").unwrap()
        );
        assert_eq!(
            sled.subscription_count(survey).unwrap(),
            pg.subscription_count(survey).unwrap()
        );
    }
    assert_eq!(pg.response_count(ENGAGEMENT).unwrap(), seeded.responses);
    assert_eq!(sled.users().unwrap(), pg.users().unwrap());
    assert_eq!(sled.tokens().unwrap(), pg.tokens().unwrap());
    assert_eq!(sled.collections().unwrap(), pg.collections().unwrap());
    assert_eq!(sled.all_outcomes().unwrap(), pg.all_outcomes().unwrap());
    assert_eq!(
        sled.subscription(&seeded.subscription).unwrap(),
        pg.subscription(&seeded.subscription).unwrap()
    );
    let later = OffsetDateTime::now_utc() + time::Duration::days(3650);
    assert_eq!(
        sled.due_mail(later, 100).unwrap(),
        pg.due_mail(later, 100).unwrap()
    );
    assert_eq!(pg.due_mail(later, 100).unwrap().len(), 1);
    assert_eq!(sled.audit(1000).unwrap(), pg.audit(1000).unwrap());
    let erased: StoredResponse = response(&seeded.erased_body, OffsetDateTime::now_utc());
    assert_eq!(
        pg.find_submission(ENGAGEMENT, erased.submission_id)
            .unwrap(),
        Submitted::Erased
    );
}

/// `export --format FORMAT` of a survey from `place` (`--data DIR` or `--store URL`).
fn exported(place: [&str; 2], survey: &str, format: &str) -> String {
    let output = run(&[
        "export", place[0], place[1], "--survey", survey, "--format", format,
    ]);
    assert!(output.status.success(), "{}", output.stderr);
    output.stdout
}

/// Signs in on `/admin/sign-in` as a browser does: the status of the answer (303 when in).
async fn sign_in(http: &reqwest::Client, base: &str, name: &str, password: &str) -> u16 {
    let form = http
        .get(format!("{base}/admin/sign-in"))
        .send()
        .await
        .unwrap();
    let cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("voices-sign-in="))
        .and_then(|v| v.split(';').next())
        .expect("a sign-in cookie")
        .to_owned();
    let page = form.text().await.unwrap();
    let at = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = page[at..at + 64].to_owned();
    http.post(format!("{base}/admin/sign-in"))
        .header("cookie", format!("voices-sign-in={cookie}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn line_with<'a>(stdout: &'a str, kind: &str) -> &'a str {
    stdout
        .lines()
        .find(|line| line.starts_with("moved ") && line.contains(&format!(" {kind} (")))
        .unwrap_or_else(|| panic!("no line for {kind} in:\n{stdout}"))
}

/// A collector serving from the database at `url`: staff sign in with their old passwords,
/// scripts use their old tokens, an erased submission is refused as erased, a kept one
/// sent again gets its receipt back, and a device can still withdraw what it sent.
async fn served_as_before(url: &str, seeded: &Seeded) {
    let (collector, base) = match Collector::start_on_database(url, &["--rate-limit", "0"]) {
        Started::Listening { collector, addr } => (collector, format!("http://{addr}")),
        Started::Exited { status, stderr, .. } => panic!("serve exited with {status}:\n{stderr}"),
    };
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(sign_in(&browser, &base, "ailsa", PASSWORD).await, 303);
    assert_ne!(
        sign_in(&browser, &base, "ailsa", "not the password").await,
        303
    );
    let http = client();
    let download = http
        .get(format!(
            "{base}/api/admin/surveys/{ENGAGEMENT}/responses?format=ndjson"
        ))
        .bearer_auth(&seeded.token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.text().await.unwrap().lines().count(), 28);
    let (status, answer) = submit(&http, &base, ENGAGEMENT, &seeded.erased_body)
        .await
        .unwrap();
    assert_eq!(status, 410, "{answer}");
    assert_eq!(answer["error"], "erased", "{answer}");
    let (status, answer) = submit(&http, &base, ENGAGEMENT, &seeded.kept_body)
        .await
        .unwrap();
    assert_eq!(
        (status, answer["receipt"].as_str()),
        (200, Some(seeded.kept_receipt.as_str()))
    );
    let withdrawn = http
        .post(format!("{base}/api/surveys/{ENGAGEMENT}/withdrawals"))
        .json(&json!({"receipt": seeded.withdrawable, "key": WITHDRAWAL_KEY}))
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 204);
    collector.terminate();
}

#[test]
fn a_data_directory_moves_whole_and_a_rerun_moves_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seed(dir.path());
    let database = TestDatabase::new();
    let url = database.url.as_str();

    let moved = migrate(dir.path(), url);
    assert!(moved.status.success(), "{}\n{}", moved.stderr, moved.stdout);
    for (kind, line) in [
        (
            "survey versions",
            "moved 2 survey versions (0 already there)",
        ),
        ("responses", "moved 28 responses (0 already there)"),
        (
            "erased submission ids",
            "moved 2 erased submission ids (0 already there)",
        ),
        (
            "surveys' updates",
            "moved 1 surveys' updates (0 already there)",
        ),
        (
            "surveys' population figures",
            "moved 1 surveys' population figures (0 already there)",
        ),
        (
            "surveys' pictures",
            "moved 1 surveys' pictures (0 already there)",
        ),
        ("users", "moved 2 users (0 already there)"),
        ("tokens", "moved 1 tokens (0 already there)"),
        (
            "collection credentials",
            "moved 1 collection credentials (0 already there)",
        ),
        (
            "subscriptions to updates",
            "moved 1 subscriptions to updates (0 already there)",
        ),
        ("queued emails", "moved 1 queued emails (0 already there)"),
    ] {
        assert_eq!(line_with(&moved.stdout, kind), line, "{}", moved.stdout);
    }
    let audit = line_with(&moved.stdout, "audit entries");
    assert!(audit.ends_with("(0 already there)"), "{audit}");
    assert!(
        moved.stdout.contains(&format!(
            "survey \"{ENGAGEMENT}\": 28 responses in the data directory, 28 in the database"
        )),
        "{}",
        moved.stdout
    );

    {
        let sled = reopen(dir.path());
        let pg = store::open_url(url).unwrap();
        assert_same_data(&sled, &pg, &seeded);
    }
    // The exports are the same bytes, in every format that is text.
    let data = dir.path().to_str().unwrap();
    for survey in [ENGAGEMENT, TRANSPORT] {
        for format in ["ndjson", "csv", "json"] {
            let (from_dir, from_db) = (
                exported(["--data", data], survey, format),
                exported(["--store", url], survey, format),
            );
            assert_eq!(from_dir, from_db, "{survey} as {format}");
        }
    }
    assert_eq!(
        exported(["--store", url], ENGAGEMENT, "ndjson")
            .lines()
            .count(),
        28
    );

    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(served_as_before(url, &seeded));

    // Removed in the database since the move: a rerun must not bring them back.
    let pg = store::open_url(url).unwrap();
    assert!(pg.remove_user("brodie").unwrap());
    assert!(pg.revoke_token("nightly").unwrap());
    assert!(pg.unsubscribe(&seeded.subscription).unwrap());
    let audit_before = pg.audit(10_000).unwrap().len();
    let again = migrate(dir.path(), url);
    assert!(again.status.success(), "{}\n{}", again.stderr, again.stdout);
    for line in again.stdout.lines().filter(|l| l.starts_with("moved ")) {
        assert!(line.starts_with("moved 0 "), "{line}\n{}", again.stdout);
    }
    assert_eq!(
        line_with(&again.stdout, "responses"),
        "moved 0 responses (28 already there)"
    );
    assert_eq!(
        line_with(&again.stdout, "users"),
        "moved 0 users (2 already there)"
    );
    assert_eq!(pg.user("brodie").unwrap(), None);
    assert_eq!(pg.tokens().unwrap(), Vec::new());
    assert_eq!(pg.subscription(&seeded.subscription).unwrap(), None);
    let later = OffsetDateTime::now_utc() + time::Duration::days(3650);
    assert_eq!(pg.due_mail(later, 100).unwrap(), Vec::new());
    assert_eq!(pg.audit(10_000).unwrap().len(), audit_before);
    // The withdrawn response stays withdrawn.
    assert_eq!(pg.response_count(ENGAGEMENT).unwrap(), 27);
    assert_eq!(pg.find_receipt(&seeded.withdrawable).unwrap(), None);

    // Changed in the directory after it was moved: said, and the database keeps its own.
    {
        let sled = reopen(dir.path());
        sled.put_population(ENGAGEMENT, "group,people\nlochee,1300\n")
            .unwrap();
        sled.flush().unwrap();
    }
    let changed = migrate(dir.path(), url);
    assert_eq!(changed.status.code(), Some(1), "{}", changed.stderr);
    assert!(
        changed.stderr.contains(
            "conflict: the population figures of survey \"engagement-2026\": changed in the data directory since an earlier run moved it"
        ),
        "{}",
        changed.stderr
    );
    assert_eq!(
        pg.population(ENGAGEMENT).unwrap().as_deref(),
        Some("group,people\nlochee,1200\n")
    );
}

/// A survey version the database holds with another definition keeps its responses
/// behind: moved, they would be read against the other definition's questions.
#[test]
fn the_responses_of_a_survey_version_defined_otherwise_in_the_database_stay_behind() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let database = TestDatabase::new();
    {
        let pg = store::open_url(&database.url).unwrap();
        let mut other: Value = serde_json::from_str(
            &std::fs::read_to_string(common::example_file(ENGAGEMENT)).unwrap(),
        )
        .unwrap();
        other["title"] = json!("Another survey by the same id");
        pg.publish(ENGAGEMENT, 1, &other.to_string()).unwrap();
    }
    let refused = migrate(dir.path(), &database.url);
    assert_eq!(refused.status.code(), Some(1), "{}", refused.stderr);
    assert!(
        line_with(&refused.stdout, "responses")
            .starts_with("moved 0 responses (0 already there, 28 in conflict)"),
        "{}",
        refused.stdout
    );
    assert!(
        refused
            .stderr
            .contains("the database has another definition of that version, so it is not moved"),
        "{}",
        refused.stderr
    );
    let pg = store::open_url(&database.url).unwrap();
    assert_eq!(pg.response_count(ENGAGEMENT).unwrap(), 0);
}

#[test]
fn a_database_holding_other_data_under_the_same_keys_is_refused_record_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let seeded = seed(dir.path());
    let database = TestDatabase::new();
    let kept_submission = response(&seeded.kept_body, OffsetDateTime::now_utc()).submission_id;
    let theirs = {
        let pg = store::open_url(&database.url).unwrap();
        // Another definition under community-transport's version 1.
        let mut other: Value = serde_json::from_str(
            &std::fs::read_to_string(common::example_file(common::TRANSPORT)).unwrap(),
        )
        .unwrap();
        other["title"] = json!("Another survey by the same id");
        let other = other.to_string();
        pg.publish(common::TRANSPORT, 1, &other).unwrap();
        // An account of the same name with another password.
        actions::add_user(
            &pg,
            "command line",
            "ailsa",
            Role::Analyst,
            &[],
            "another password entirely",
        )
        .unwrap();
        // Another response under a submission id the directory has.
        let mut body = engagement_submission();
        body["submission_id"] = json!(kept_submission);
        body["answers"]["informed"] = json!(1);
        let clash = response(&body, OffsetDateTime::now_utc());
        assert_eq!(
            pg.insert_response(&clash).unwrap(),
            store::InsertOutcome::Inserted
        );
        (other, pg.user("ailsa").unwrap(), clash)
    };

    let refused = migrate(dir.path(), &database.url);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "{}\n{}",
        refused.stderr,
        refused.stdout
    );
    for said in [
        "conflict: survey \"community-transport\" version 1: the database has a different definition",
        "conflict: user \"ailsa\": the database has an account of this name",
        &format!(
            "conflict: survey \"engagement-2026\", submission id {kept_submission} (receipt {}): the database holds a different response",
            seeded.kept_receipt
        ),
        "3 records were not moved",
        "nothing in it was overwritten",
    ] {
        assert!(refused.stderr.contains(said), "{said}\n{}", refused.stderr);
    }
    assert!(
        line_with(&refused.stdout, "responses")
            .starts_with("moved 27 responses (0 already there, 1 in conflict)"),
        "{}",
        refused.stdout
    );
    // Nothing of the database's was overwritten; everything else moved.
    let pg = store::open_url(&database.url).unwrap();
    let engagement_v1 = pg
        .surveys()
        .unwrap()
        .into_iter()
        .find(|s| s.id == common::TRANSPORT && s.version == 1)
        .unwrap();
    assert_eq!(engagement_v1.definition, theirs.0);
    assert_eq!(pg.user("ailsa").unwrap(), theirs.1);
    assert_eq!(
        pg.find_receipt(theirs.2.receipt.as_str()).unwrap(),
        Some(theirs.2.clone())
    );
    assert!(pg.user("brodie").unwrap().is_some());
    // Run again, it says the same, and moves nothing twice.
    let again = migrate(dir.path(), &database.url);
    assert_eq!(again.status.code(), Some(1), "{}", again.stderr);
    assert!(
        line_with(&again.stdout, "responses")
            .starts_with("moved 0 responses (27 already there, 1 in conflict)"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_directory_a_collector_serves_from_and_a_newer_database_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(seed(dir.path()));
    let database = TestDatabase::new();

    // The directory is in use: said, with what to do.
    let deadline = Instant::now() + Duration::from_secs(10);
    let collector = loop {
        match Collector::start(dir.path(), &[]) {
            Started::Listening { collector, .. } => break collector,
            // sled lets go of a store this process dropped from a thread of its own.
            Started::Exited { stderr, .. }
                if stderr.contains("could not acquire lock") && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            Started::Exited { status, stderr, .. } => {
                panic!("serve exited with {status}:\n{stderr}")
            }
        }
    };
    let locked = run(&[
        "migrate",
        "--from",
        dir.path().to_str().unwrap(),
        "--to",
        &database.url,
    ]);
    assert_eq!(locked.status.code(), Some(2), "{}", locked.stderr);
    assert!(
        locked
            .stderr
            .contains("in use by another running collector")
            && locked.stderr.contains("stop the collector, migrate"),
        "{}",
        locked.stderr
    );
    drop(collector);

    // A database set up by a newer collector.
    common::pg::admin(
        &database.url,
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), collector TEXT NOT NULL);
         INSERT INTO schema_version (version, collector) VALUES (999, 'a newer collector')",
    )
    .unwrap();
    let newer = migrate(dir.path(), &database.url);
    assert_eq!(newer.status.code(), Some(2), "{}", newer.stderr);
    assert!(newer.stderr.contains("newer collector"), "{}", newer.stderr);

    // No data directory there, and no database URL: bad input.
    let missing = run(&[
        "migrate",
        "--from",
        dir.path().join("not-here").to_str().unwrap(),
        "--to",
        &database.url,
    ]);
    assert_eq!(missing.status.code(), Some(1), "{}", missing.stderr);
    assert!(
        missing.stderr.contains("there is no collector's data in"),
        "{}",
        missing.stderr
    );
    let not_a_url = run(&[
        "migrate",
        "--from",
        dir.path().to_str().unwrap(),
        "--to",
        "/var/lib/voices",
    ]);
    assert_eq!(not_a_url.status.code(), Some(1), "{}", not_a_url.stderr);
    assert!(
        not_a_url.stderr.contains("--to (VOICES_STORE)"),
        "{}",
        not_a_url.stderr
    );
}
