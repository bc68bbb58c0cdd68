//! The staff commands of the real binary: `user add` (password on stdin),
//! `token create|revoke`, and exports to XLSX with filters from the command line.

mod common;

use std::time::Duration;

use common::{
    Collector, ENGAGEMENT, client, engagement_submission, examples_dir, run, run_bytes, submit,
};

fn data_with_surveys() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let examples = examples_dir();
    let files: Vec<String> = ["engagement-2026.json", "community-transport.json"]
        .iter()
        .map(|f| examples.join(f).to_string_lossy().into_owned())
        .collect();
    let dir = data.path().to_str().unwrap();
    let published = run(&["survey", "publish", &files[0], &files[1], "--data", dir]);
    assert!(published.status.success(), "{}", published.stderr);
    data
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_short_ones() {
    let data = data_with_surveys();
    let dir = data.path().to_str().unwrap();
    let short = common::user_add(dir, "ailsa", "admin", "too short");
    assert_eq!(short.status.code(), Some(1), "{}", short.stderr);
    assert!(
        short.stderr.contains("at least 12 characters"),
        "{}",
        short.stderr
    );
    let added = common::user_add(dir, "ailsa", "admin", "correct horse battery");
    assert!(added.status.success(), "{}", added.stderr);
    assert!(
        added
            .stdout
            .contains("added user \"ailsa\" with the admin role")
    );
    let again = common::user_add(dir, "ailsa", "analyst", "another long password");
    assert!(
        again
            .stdout
            .contains("updated user \"ailsa\" with the analyst role")
    );
    let bad_name = common::user_add(dir, "a b", "admin", "correct horse battery");
    assert_eq!(bad_name.status.code(), Some(1));
    assert!(
        bad_name.stderr.contains("not a usable name"),
        "{}",
        bad_name.stderr
    );
    let no_data = common::user_add(
        "/nonexistent/voices",
        "ailsa",
        "admin",
        "correct horse battery",
    );
    assert_eq!(no_data.status.code(), Some(1));
    assert!(no_data.stderr.contains("there is no data directory"));
}

#[tokio::test]
async fn a_token_is_printed_once_works_and_stops_working_when_revoked() {
    let data = data_with_surveys();
    let dir = data.path().to_str().unwrap();
    let created = run(&["token", "create", "nightly", "--data", dir]);
    assert!(created.status.success(), "{}", created.stderr);
    let token = created.stdout.trim().to_owned();
    assert_eq!(
        token.len(),
        64,
        "only the token is on stdout: {:?}",
        created.stdout
    );
    assert!(created.stderr.contains("shown once"));
    // Only a hash is kept: the token itself is nowhere in the data directory.
    let mut found = false;
    for entry in walk(data.path()) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        found |= bytes.windows(token.len()).any(|w| w == token.as_bytes());
    }
    assert!(!found, "the token is not stored in the clear");

    let (collector, base) = Collector::listening(data.path(), &[]);
    let client = client();
    let (status, _) = submit(&client, &base, ENGAGEMENT, &engagement_submission())
        .await
        .unwrap();
    assert_eq!(status, 201);
    let csv = client
        .get(format!(
            "{base}/api/admin/surveys/{ENGAGEMENT}/responses?format=csv"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    let text = csv.text().await.unwrap();
    assert_eq!(
        text.lines().count(),
        2,
        "a header and one response:\n{text}"
    );
    collector.terminate();
    drop(collector);
    std::thread::sleep(Duration::from_millis(200));

    let revoked = run(&["token", "revoke", "nightly", "--data", dir]);
    assert!(revoked.status.success(), "{}", revoked.stderr);
    let twice = run(&["token", "revoke", "nightly", "--data", dir]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(
        twice
            .stderr
            .contains("there is no token called \"nightly\"")
    );

    let (_collector, base) = Collector::listening(data.path(), &[]);
    let refused = client
        .get(format!("{base}/api/admin/surveys"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn export_writes_xlsx_and_refuses_a_bad_date_naming_the_flag() {
    let data = data_with_surveys();
    let dir = data.path().to_str().unwrap();
    {
        let (collector, base) = Collector::listening(data.path(), &[]);
        let client = client();
        for _ in 0..2 {
            let (status, _) = submit(&client, &base, ENGAGEMENT, &engagement_submission())
                .await
                .unwrap();
            assert_eq!(status, 201);
        }
        collector.terminate();
        drop(collector);
    }
    std::thread::sleep(Duration::from_millis(200));
    let (status, bytes, stderr) = run_bytes(&[
        "export", "--data", dir, "--survey", ENGAGEMENT, "--format", "xlsx",
    ]);
    assert!(status.success(), "{stderr}");
    assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip");
    let bad = run(&[
        "export",
        "--data",
        dir,
        "--survey",
        ENGAGEMENT,
        "--from",
        "2026-13-01",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stderr.starts_with("from:"), "{}", bad.stderr);
    let (status, bytes, _) = run_bytes(&[
        "export",
        "--data",
        dir,
        "--survey",
        ENGAGEMENT,
        "--to",
        "2000-01-01",
    ]);
    assert!(status.success());
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 1, "only the header row before 2000");
}
