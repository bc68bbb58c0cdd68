//! The real `voices-collector` binary as staff run it: serve, its refusals at start-up, SIGTERM and restart, `survey check`/`publish`, and `export` in CSV, JSON and NDJSON.

mod common;

use std::collections::HashMap;
use std::fs;
use std::time::Duration;

use common::*;
use serde_json::{Value, json};

/// Submits and expects a 201; returns the receipt.
async fn submit_ok(client: &reqwest::Client, base: &str, survey: &str, body: &Value) -> String {
    let (status, reply) = submit(client, base, survey, body)
        .await
        .expect("the request completes");
    assert_eq!(status, 201, "{reply}");
    reply["receipt"].as_str().expect("a receipt").to_owned()
}

/// SIGTERM, then the exit status (at most 30 s later).
fn terminate(mut collector: Collector) -> (std::process::ExitStatus, String) {
    collector.terminate();
    let status = collector.wait_exit(Duration::from_secs(30));
    (status, collector.stderr())
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// A survey file with three problems, each at its own JSON path.
const BAD_SURVEY: &str = r#"{
  "format": 1, "id": "Not An Id", "version": 0, "default_locale": "en", "title": "Bad",
  "privacy": {"text": "p"}, "allowed_origins": ["*"],
  "pages": [{"id": "p1", "questions": [
    {"id": "q1", "type": "single_choice", "label": "Q", "options": [{"value": "a", "label": "A"}]}
  ]}]
}"#;

fn assert_lists_bad_survey_problems(stderr: &str, file: &std::path::Path) {
    assert!(stderr.contains(path(file)), "the file is named:\n{stderr}");
    assert!(stderr.contains("3 problems"), "{stderr}");
    for at in ["id:", "version:", "pages[0].questions[0].options:"] {
        assert!(
            stderr.lines().any(|line| line.trim_start().starts_with(at)),
            "a problem at {at}:\n{stderr}"
        );
    }
}

#[tokio::test]
async fn serve_publishes_its_surveys_and_serves_them() {
    let data = tempfile::tempdir().unwrap();
    let (collector, base) =
        Collector::listening(data.path(), &["--surveys", path(&examples_dir())]);
    for id in [ENGAGEMENT, TRANSPORT] {
        let said = format!("published survey \"{id}\" version 1");
        assert!(
            collector.stdout.iter().any(|l| l.contains(&said)),
            "{:?}",
            collector.stdout
        );
    }
    let client = client();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let definition: Value = client
        .get(format!("{base}/api/surveys/{TRANSPORT}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(definition["id"], TRANSPORT);
    let page = client
        .get(format!("{base}/s/{ENGAGEMENT}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("survey=\"engagement-2026\"")
    );
    let receipt = submit_ok(&client, &base, ENGAGEMENT, &engagement_submission()).await;
    assert!(is_receipt(&receipt));
    // The client still holds an idle keep-alive connection: SIGTERM does not wait for it.
    let (status, stderr) = terminate(collector);
    assert_eq!(status.code(), Some(0), "{stderr}");
    drop(client);
}

#[test]
fn an_invalid_survey_stops_serve_before_it_listens() {
    let surveys = tempfile::tempdir().unwrap();
    fs::copy(
        example_file(ENGAGEMENT),
        surveys.path().join("engagement-2026.json"),
    )
    .unwrap();
    let bad = surveys.path().join("broken.json");
    fs::write(&bad, BAD_SURVEY).unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = data.path().join("store");

    match Collector::start(&store, &["--surveys", path(surveys.path())]) {
        Started::Listening { .. } => panic!("serve listened with an invalid survey"),
        Started::Exited {
            status,
            stdout,
            stderr,
        } => {
            assert_eq!(status.code(), Some(1), "bad input exits 1:\n{stderr}");
            assert!(
                stdout.iter().all(|l| !l.contains("listening")),
                "{stdout:?}"
            );
            assert_lists_bad_survey_problems(&stderr, &bad);
            assert!(
                !stderr.contains("engagement-2026.json"),
                "the valid file is not blamed:\n{stderr}"
            );
        }
    }
    assert!(
        !store.exists(),
        "nothing was written before the surveys were checked"
    );

    // A directory without any definition is a mistake too.
    let empty = tempfile::tempdir().unwrap();
    match Collector::start(&store, &["--surveys", path(empty.path())]) {
        Started::Listening { .. } => panic!("serve listened with no surveys to publish"),
        Started::Exited { status, stderr, .. } => {
            assert_eq!(status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("no *.json"), "{stderr}");
        }
    }
}

#[tokio::test]
async fn a_second_collector_on_the_same_data_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let (first, base) = Collector::listening(data.path(), &["--surveys", path(&examples_dir())]);
    match Collector::start(data.path(), &[]) {
        Started::Listening { .. } => panic!("two collectors share one data directory"),
        Started::Exited { status, stderr, .. } => {
            assert!(!status.success(), "{status}");
            assert_eq!(status.code(), Some(2), "could not run: exit 2:\n{stderr}");
            assert!(
                stderr.contains("in use"),
                "says the directory is in use:\n{stderr}"
            );
            assert!(
                stderr.contains(path(data.path())),
                "names the directory:\n{stderr}"
            );
        }
    }
    // The CLI commands that open the store are refused the same way.
    let export = run(&[
        "export",
        "--data",
        path(data.path()),
        "--survey",
        ENGAGEMENT,
    ]);
    assert_eq!(export.status.code(), Some(2));
    assert!(export.stderr.contains("in use"), "{}", export.stderr);

    // The first one is unharmed.
    let health = client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let (status, stderr) = terminate(first);
    assert_eq!(status.code(), Some(0), "{stderr}");
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    let output = run(&["serve", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2), "clap's usage error");
    assert!(
        output.stderr.contains("--no-such-flag"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("Usage"), "{}", output.stderr);
    assert!(output.stdout.is_empty());

    let output = run(&["serve", "--addr", "not-an-address"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stderr.contains("--addr"), "{}", output.stderr);

    let output = run(&["export", "--data", "/nonexistent"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        output.stderr.contains("--survey"),
        "the missing flag is named: {}",
        output.stderr
    );

    let output = run(&["export", "--survey", "x", "--format", "pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        output.stderr.contains("csv"),
        "the formats are listed: {}",
        output.stderr
    );
}

/// A service manager, or a script, may stop the collector the moment it says
/// it is listening: the signal must already be caught then, so it still
/// stops gracefully instead of being ended by the signal.
#[cfg(unix)]
#[test]
fn sigterm_the_moment_it_listens_still_stops_it_gracefully() {
    for _ in 0..5 {
        let data = tempfile::tempdir().unwrap();
        let (collector, _) = Collector::listening(data.path(), &[]);
        let (status, stderr) = terminate(collector);
        // An uncaught SIGTERM would end it with "signal: 15", not exit 0.
        assert!(status.success(), "{status}:\n{stderr}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_cleanly_and_a_restart_keeps_surveys_and_responses() {
    let data = tempfile::tempdir().unwrap();
    let (collector, base) = Collector::listening(
        data.path(),
        &["--surveys", path(&examples_dir()), "--rate-limit", "0"],
    );
    let client = client();
    let mut sent = Vec::new();
    for _ in 0..3 {
        let submission = engagement_submission();
        let receipt = submit_ok(&client, &base, ENGAGEMENT, &submission).await;
        sent.push((submission, receipt));
    }
    drop(client);
    let (status, stderr) = terminate(collector);
    assert_eq!(status.code(), Some(0), "SIGTERM is a clean stop:\n{stderr}");

    // Restarted without --surveys: what was published and stored is still there.
    let (collector, base) = Collector::listening(data.path(), &[]);
    let client = common::client();
    for id in [ENGAGEMENT, TRANSPORT] {
        let response = client
            .get(format!("{base}/api/surveys/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{id} is still published");
    }
    let (first, first_receipt) = &sent[0];
    let (status, reply) = submit(&client, &base, ENGAGEMENT, first).await.unwrap();
    assert_eq!(
        (status, reply["receipt"].as_str().unwrap()),
        (200, first_receipt.as_str()),
        "a retry after the restart"
    );
    let fourth = submit_ok(&client, &base, ENGAGEMENT, &engagement_submission()).await;
    drop(client);
    let (status, stderr) = terminate(collector);
    assert_eq!(status.code(), Some(0), "{stderr}");

    let exported = export_ndjson(data.path(), ENGAGEMENT);
    assert_no_duplicates(&exported);
    let receipts: Vec<&str> = exported
        .iter()
        .map(|r| r["receipt"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = sent.iter().map(|(_, r)| r.as_str()).collect();
    expected.push(&fourth);
    assert_eq!(receipts, expected, "oldest first, none lost, none doubled");
}

#[test]
fn survey_check_reports_ok_or_every_problem() {
    let ok = run(&[
        "survey",
        "check",
        path(&example_file(ENGAGEMENT)),
        path(&example_file(TRANSPORT)),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", ok.stderr);
    assert!(
        ok.stdout
            .contains("ok: survey \"engagement-2026\" version 1, 4 pages, 14 questions"),
        "{}",
        ok.stdout
    );
    assert!(
        ok.stdout
            .contains("ok: survey \"community-transport\" version 1"),
        "{}",
        ok.stdout
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    fs::write(&bad, BAD_SURVEY).unwrap();
    let not_json = dir.path().join("not-json.json");
    fs::write(&not_json, "{\"format\": 1,").unwrap();
    let missing = dir.path().join("missing.json");
    let output = run(&[
        "survey",
        "check",
        path(&example_file(ENGAGEMENT)),
        path(&bad),
        path(&not_json),
        path(&missing),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", output.stderr);
    // The good file is said to be good even though others fail.
    assert!(
        output
            .stdout
            .contains("ok: survey \"engagement-2026\" version 1"),
        "{}",
        output.stdout
    );
    assert_lists_bad_survey_problems(&output.stderr, &bad);
    assert!(output.stderr.contains(path(&not_json)), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains(&format!("{}: cannot read", path(&missing))),
        "{}",
        output.stderr
    );
}

/// Three responses that exercise the CSV: options, specify texts, formulas, quoting, locales and channels.
fn export_fixtures() -> Vec<Value> {
    let plain = engagement_submission();
    let mut tricky = engagement_submission();
    tricky["locale"] = json!("pl");
    tricky["channel"] = json!("qr");
    tricky["answers"] = json!({
        "connection": ["other"],
        "locality": "the_ferry",
        "ways": ["online"],
        "heard_back": "not_given",
        "comments": "=HYPERLINK(\"http://evil.example\",\"click\")",
        "age_band": "65_74",
        "agree": true
    });
    tricky["specify"] = json!({"connection": "-1+1, a \"quoted\" carer\nwith a new line"});
    let mut none = engagement_submission();
    none["channel"] = json!("online");
    none["answers"] = json!({
        "connection": ["uses_services"],
        "locality": "coldside",
        "ways": ["email", "other"],
        "barriers": ["none"],
        "heard_back": "always",
        "informed": 5,
        "event_date": "2024-03-27",
        "comments": "@SUM(A1) and Zażółć gęślą jaźń",
        "agree": true
    });
    none["specify"] = json!({"ways": "+44 7700 900982, by text"});
    vec![plain, tricky, none]
}

#[cfg(unix)]
#[tokio::test]
async fn survey_publish_then_export_as_csv_json_and_ndjson() {
    let data = tempfile::tempdir().unwrap();
    let data_path = path(data.path());

    let published = run(&[
        "survey",
        "publish",
        path(&example_file(ENGAGEMENT)),
        path(&example_file(TRANSPORT)),
        "--data",
        data_path,
    ]);
    assert_eq!(published.status.code(), Some(0), "{}", published.stderr);
    assert!(
        published
            .stdout
            .contains("published survey \"engagement-2026\" version 1"),
        "{}",
        published.stdout
    );
    let again = run(&[
        "survey",
        "publish",
        path(&example_file(ENGAGEMENT)),
        "--data",
        data_path,
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", again.stderr);
    assert!(
        again.stdout.contains("already published"),
        "{}",
        again.stdout
    );
    // Changing a published version is refused: responses already name it.
    let changed_dir = tempfile::tempdir().unwrap();
    let changed = changed_dir.path().join("engagement-2026.json");
    let text = fs::read_to_string(example_file(ENGAGEMENT)).unwrap();
    fs::write(
        &changed,
        text.replace("Have your say on how we involve you", "A new title"),
    )
    .unwrap();
    let conflict = run(&["survey", "publish", path(&changed), "--data", data_path]);
    assert_eq!(conflict.status.code(), Some(1), "{}", conflict.stderr);
    assert!(
        conflict.stderr.contains("new version"),
        "{}",
        conflict.stderr
    );

    // Responses arrive through a collector serving that directory.
    let (collector, base) = Collector::listening(data.path(), &["--rate-limit", "0"]);
    let client = client();
    let fixtures = export_fixtures();
    let mut by_receipt: HashMap<String, Value> = HashMap::new();
    let mut order = Vec::new();
    for fixture in &fixtures {
        let receipt = submit_ok(&client, &base, ENGAGEMENT, fixture).await;
        order.push(receipt.clone());
        by_receipt.insert(receipt, fixture.clone());
    }
    drop(client);
    let (status, stderr) = terminate(collector);
    assert_eq!(status.code(), Some(0), "{stderr}");

    // CSV.
    let csv_bytes = export(data.path(), ENGAGEMENT, "csv");
    assert!(
        csv_bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte-order mark for Excel"
    );
    let text = std::str::from_utf8(&csv_bytes[3..]).expect("UTF-8");
    assert!(
        text.starts_with("receipt,submitted_at,survey_version,locale,channel,"),
        "{text}"
    );
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "connection.carer",
        "connection.other",
        "connection.other.specify",
        "locality",
        "ways.face_to_face",
        "ways.other",
        "ways.other.specify",
        "face_to_face_where",
        "barriers.none",
        "informed",
        "event_date",
        "hear_back_how.no_thanks",
        "comments",
        "agree",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "column {column} in {header:?}"
        );
    }
    assert!(
        !header.iter().any(|h| h == "ways"),
        "a multiple choice is one column per option"
    );
    let rows: Vec<HashMap<String, String>> = reader
        .records()
        .map(|record| {
            header
                .iter()
                .cloned()
                .zip(record.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 3);
    let receipts: Vec<&str> = rows.iter().map(|r| r["receipt"].as_str()).collect();
    assert_eq!(
        receipts,
        order.iter().map(String::as_str).collect::<Vec<_>>(),
        "oldest first"
    );
    for row in &rows {
        let sent = &by_receipt[&row["receipt"]];
        let answers = &sent["answers"];
        assert_eq!(row["survey_version"], "1");
        assert_eq!(row["locale"], sent["locale"].as_str().unwrap());
        assert_eq!(row["channel"], sent["channel"].as_str().unwrap());
        assert!(
            time::OffsetDateTime::parse(
                &row["submitted_at"],
                &time::format_description::well_known::Rfc3339
            )
            .is_ok(),
            "{}",
            row["submitted_at"]
        );
        assert_eq!(row["locality"], answers["locality"].as_str().unwrap());
        assert_eq!(row["agree"], "1");
        // One 1/0 column per option of an answered multiple choice.
        for option in [
            "face_to_face",
            "phone",
            "online",
            "email",
            "letter",
            "group",
            "other",
        ] {
            let chosen = answers["ways"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| v == option);
            assert_eq!(
                row[&format!("ways.{option}")],
                if chosen { "1" } else { "0" },
                "ways.{option}"
            );
        }
        // An unanswered multiple choice is blank, not "none chosen".
        assert_eq!(row["hear_back_how.letter"], "");
        let specify = |q: &str| sent["specify"][q].as_str().unwrap_or("").to_owned();
        let neutral = |text: String| match text.chars().next() {
            Some('=' | '+' | '-' | '@') => format!("'{text}"),
            _ => text,
        };
        assert_eq!(row["ways.other.specify"], neutral(specify("ways")));
        assert_eq!(
            row["connection.other.specify"],
            neutral(specify("connection"))
        );
        assert_eq!(
            row["comments"],
            neutral(answers["comments"].as_str().unwrap_or("").to_owned())
        );
        let number = |q: &str| {
            answers[q]
                .as_i64()
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        assert_eq!(row["informed"], number("informed"));
        assert_eq!(
            row["event_date"],
            answers["event_date"].as_str().unwrap_or("")
        );
    }
    // The formulas, spelled out.
    let tricky = &rows[1];
    assert_eq!(
        tricky["comments"],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(
        tricky["connection.other.specify"],
        "'-1+1, a \"quoted\" carer\nwith a new line"
    );
    assert_eq!(rows[2]["comments"], "'@SUM(A1) and Zażółć gęślą jaźń");
    assert_eq!(rows[2]["ways.other.specify"], "'+44 7700 900982, by text");
    assert_eq!(rows[2]["barriers.none"], "1");
    assert_eq!(rows[2]["barriers.cost"], "0");

    // --out writes the same file.
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("responses.csv");
    let written = run(&[
        "export",
        "--data",
        data_path,
        "--survey",
        ENGAGEMENT,
        "--out",
        path(&out),
    ]);
    assert_eq!(written.status.code(), Some(0), "{}", written.stderr);
    assert!(
        written.stderr.contains("wrote 3 responses"),
        "{}",
        written.stderr
    );
    assert_eq!(fs::read(&out).unwrap(), csv_bytes);

    // JSON: the responses as stored, with their metadata.
    let json_bytes = export(data.path(), ENGAGEMENT, "json");
    let array: Vec<Value> = serde_json::from_slice(&json_bytes).expect("a JSON array");
    assert_eq!(array.len(), 3);
    for stored in &array {
        let sent = &by_receipt[stored["receipt"].as_str().unwrap()];
        for field in [
            "submission_id",
            "survey_version",
            "locale",
            "channel",
            "answers",
            "started_at",
        ] {
            assert_eq!(stored[field], sent[field], "{field}");
        }
        assert_eq!(stored["specify"], sent["specify"]);
        assert_eq!(stored["survey_id"], ENGAGEMENT);
        assert!(stored["submitted_at"].is_string());
        let keys: Vec<&str> = stored
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "answers",
                "channel",
                "locale",
                "receipt",
                "specify",
                "started_at",
                "submission_id",
                "submitted_at",
                "survey_id",
                "survey_version"
            ],
            "the response and its metadata, nothing about the respondent's device"
        );
    }

    // NDJSON: the same, a line each.
    assert_eq!(export_ndjson(data.path(), ENGAGEMENT), array);

    // A survey without responses exports its header; info blocks have no column.
    let empty = export(data.path(), TRANSPORT, "csv");
    let text = std::str::from_utf8(&empty[3..]).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains(",mode,mode.other.specify,minutes,"), "{text}");
    assert!(!text.contains(",about,"), "{text}");

    // A mistyped data directory is reported, not created.
    let typo = data.path().join("no-such-dir");
    let output = run(&["export", "--data", path(&typo), "--survey", ENGAGEMENT]);
    assert_eq!(output.status.code(), Some(1), "{}", output.stderr);
    assert!(
        output.stderr.contains("no data directory"),
        "{}",
        output.stderr
    );
    assert!(!typo.exists(), "export created {}", typo.display());

    let unknown = run(&["export", "--data", data_path, "--survey", "no-such-survey"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        unknown.stderr.contains("no survey \"no-such-survey\""),
        "{}",
        unknown.stderr
    );
}

#[tokio::test]
async fn flags_have_environment_twins() {
    let data = tempfile::tempdir().unwrap();
    let output = command()
        .env("VOICES_DATA", data.path())
        .args(["survey", "publish", path(&example_file(TRANSPORT))])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(data.path().join("store").is_dir(), "VOICES_DATA was used");
    let output = command()
        .env("VOICES_DATA", data.path())
        .args(["export", "--survey", TRANSPORT, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&output.stdout).unwrap(),
        json!([])
    );

    let examples = examples_dir();
    let env = [
        ("VOICES_SURVEYS", path(&examples)),
        ("VOICES_RATE_LIMIT", "1"),
    ];
    let (collector, base) = match Collector::start_with_env(data.path(), &[], &env) {
        Started::Listening { collector, addr } => (collector, format!("http://{addr}")),
        Started::Exited { status, stderr, .. } => panic!("serve exited with {status}:\n{stderr}"),
    };
    let client = client();
    assert_eq!(
        submit(&client, &base, ENGAGEMENT, &engagement_submission())
            .await
            .unwrap()
            .0,
        201
    );
    assert_eq!(
        submit(&client, &base, ENGAGEMENT, &engagement_submission())
            .await
            .unwrap()
            .0,
        429,
        "VOICES_RATE_LIMIT=1 was used"
    );
    drop((client, collector));

    match Collector::start_with_env(data.path(), &[], &[("VOICES_RATE_LIMIT", "lots")]) {
        Started::Listening { .. } => panic!("serve took a rate limit of \"lots\""),
        Started::Exited { status, stderr, .. } => {
            assert_eq!(status.code(), Some(2), "{stderr}");
            assert!(stderr.contains("lots"), "the bad value is named: {stderr}");
        }
    }
}

#[test]
fn behind_tls_without_behind_proxy_warns_that_every_client_shares_one_address() {
    let dir = tempfile::tempdir().unwrap();
    let (collector, _) = Collector::listening(dir.path(), &["--behind-tls"]);
    let (_, stderr) = terminate(collector);
    assert!(
        stderr.contains("--behind-tls without --behind-proxy"),
        "{stderr}"
    );
    let (collector, _) = Collector::listening(dir.path(), &["--behind-tls", "--behind-proxy"]);
    let (_, stderr) = terminate(collector);
    assert!(!stderr.contains("without --behind-proxy"), "{stderr}");
}
