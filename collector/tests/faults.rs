//! A full or read-only disk under the real collector: submissions get 503 saying why, `/healthz` says why, nothing acknowledged is lost, and once space returns the collector takes responses again without a restart.
//!
//! The disk is real: a small tmpfs for "full", and an ext4 image on a loop
//! device that the kernel turns read-only (as it does on a disk error) for
//! "read-only". Mounting needs root, as CI has; without it these tests fail
//! saying so rather than pass without testing anything. Every mount is
//! undone by a guard, whatever happens.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use voices_collector::store::RECOVERY_PAUSE;

const FULL: &str = "the disk holding the data directory is full";
const READ_ONLY: &str = "the data directory is on a read-only file system";

/// Runs a system command that must succeed; panics with its output and a
/// hint about root when it does not.
fn system(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    if !output.status.success() {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let euid = unsafe { libc::geteuid() };
        panic!(
            "`{program} {}` failed ({}): {}\n\
             These tests mount file systems, which needs root (CAP_SYS_ADMIN, loop devices); \
             this process runs with effective uid {euid}. Run them as root, as CI does.",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Unmounts `dir`, waiting for a process that is still closing its files,
/// and detaching it lazily as a last resort, so that no mount outlives a test.
fn unmount(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = Command::new("umount").arg(dir).status();
        if matches!(status, Ok(s) if s.success()) {
            return;
        }
        if Instant::now() > deadline {
            eprintln!("{} is still busy; detaching it lazily", dir.display());
            let _ = Command::new("umount").arg("-l").arg(dir).status();
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A tmpfs of a given size, unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let parent = tempfile::tempdir().expect("a temporary directory");
        let dir = parent.path().join("disk");
        fs::create_dir(&dir).expect("a mount point");
        let path = dir.to_str().expect("a UTF-8 path");
        system(
            "mount",
            &["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", path],
        );
        Tmpfs {
            dir,
            _parent: parent,
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        unmount(&self.dir);
    }
}

/// An ext4 file system in an image on a loop device, mounted with
/// `errors=remount-ro`; unmounted and detached on drop.
struct Ext4 {
    dir: PathBuf,
    device: String,
    mounted: bool,
    _parent: tempfile::TempDir,
}

impl Ext4 {
    fn mount() -> Ext4 {
        let parent = tempfile::tempdir().expect("a temporary directory");
        let image = parent.path().join("disk.img");
        fs::File::create(&image)
            .and_then(|f| f.set_len(64 * 1024 * 1024))
            .expect("an image file");
        let image = image.to_str().expect("a UTF-8 path").to_owned();
        system("mkfs.ext4", &["-q", "-F", &image]);
        let device = system("losetup", &["--find", "--show", &image]);
        let dir = parent.path().join("disk");
        fs::create_dir(&dir).expect("a mount point");
        let mut disk = Ext4 {
            dir,
            device,
            mounted: false,
            _parent: parent,
        };
        disk.mount_again();
        disk
    }

    fn mount_again(&mut self) {
        let dir = self.dir.to_str().expect("a UTF-8 path");
        system("mount", &["-o", "errors=remount-ro", &self.device, dir]);
        self.mounted = true;
    }

    fn unmount(&mut self) {
        if self.mounted {
            unmount(&self.dir);
            self.mounted = false;
        }
    }

    /// What the kernel does when the disk reports an error: the whole file
    /// system turns read-only under the running collector, open files included.
    /// (A tmpfs cannot be remounted read-only while a file is open for writing.)
    fn turn_read_only(&self) {
        let name = Path::new(&self.device)
            .file_name()
            .expect("a device name")
            .to_string_lossy();
        let trigger = format!("/sys/fs/ext4/{name}/trigger_fs_error");
        fs::write(&trigger, "1").unwrap_or_else(|e| panic!("cannot write {trigger}: {e}"));
        let read_only = fs::File::create(self.dir.join("probe"));
        assert!(
            read_only.is_err(),
            "{} is still writable after an ext4 error",
            self.dir.display()
        );
    }
}

impl Drop for Ext4 {
    fn drop(&mut self) {
        self.unmount();
        let _ = Command::new("losetup").args(["-d", &self.device]).status();
    }
}

/// Fills the file system holding `dir` with a file, to the last byte it takes.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = fs::File::create(&path).expect("a filler file");
    for chunk in [1024 * 1024, 4096, 1] {
        let bytes = vec![0u8; chunk];
        loop {
            match file.write_all(&bytes) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling {}: {e}", dir.display()),
            }
        }
    }
    path
}

struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: Value,
}

async fn post(client: &reqwest::Client, base: &str, submission: &Value) -> Answer {
    let response = client
        .post(format!("{base}/api/surveys/{ENGAGEMENT}/responses"))
        .json(submission)
        .send()
        .await
        .expect("the collector answers");
    answer(response).await
}

async fn health(client: &reqwest::Client, base: &str) -> Answer {
    let response = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("the collector answers");
    answer(response).await
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = response.json().await.expect("a JSON body");
    Answer {
        status,
        retry_after,
        body,
    }
}

/// A 503 `unavailable` whose message says `why`, with `Retry-After`.
fn assert_unavailable(answer: &Answer, why: &str) {
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_error_body(&answer.body, "unavailable");
    let message = answer.body["message"].as_str().unwrap();
    assert!(message.contains(why), "the message says {why:?}: {message}");
    assert!(answer.retry_after.is_some(), "Retry-After is set");
}

/// What the collector acknowledged: submission id → receipt.
#[derive(Default)]
struct Acknowledged(HashMap<String, String>);

impl Acknowledged {
    fn record(&mut self, submission: &Value, answer: &Answer) {
        assert!(
            answer.status == 200 || answer.status == 201,
            "{}: {}",
            answer.status,
            answer.body
        );
        let id = submission["submission_id"].as_str().unwrap().to_owned();
        let receipt = answer.body["receipt"]
            .as_str()
            .expect("a receipt")
            .to_owned();
        if let Some(before) = self.0.insert(id.clone(), receipt.clone()) {
            assert_eq!(before, receipt, "{id} was acknowledged with two receipts");
        }
    }

    /// Every acknowledged response is in the export, once, and nothing else is.
    fn assert_exported(&self, data: &Path) {
        let exported = export_ndjson(data, ENGAGEMENT);
        assert_no_duplicates(&exported);
        let stored: HashMap<&str, &str> = exported
            .iter()
            .map(|r| {
                (
                    r["submission_id"].as_str().unwrap(),
                    r["receipt"].as_str().unwrap(),
                )
            })
            .collect();
        for (id, receipt) in &self.0 {
            assert_eq!(
                stored.get(id.as_str()),
                Some(&receipt.as_str()),
                "acknowledged {receipt} ({id}) is stored"
            );
        }
        assert_eq!(
            stored.len(),
            self.0.len(),
            "nothing unacknowledged is stored"
        );
    }
}

fn assert_no_panic(collector: &Collector) {
    let log = collector.stderr();
    assert!(!log.contains("panicked"), "the collector panicked:\n{log}");
}

fn serve_args() -> Vec<String> {
    vec![
        "--surveys".into(),
        examples_dir().to_str().unwrap().into(),
        "--rate-limit".into(),
        "0".into(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gets_503_saying_so_and_the_collector_recovers_when_space_returns() {
    let disk = Tmpfs::mount("32m");
    let data = disk.dir.join("data");
    let args = serve_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let token = staff_token(&data, &args);
    let (mut collector, base) = Collector::listening(&data, &args);
    let client = client();
    let mut acknowledged = Acknowledged::default();

    for _ in 0..10 {
        let submission = engagement_submission();
        let answer = post(&client, &base, &submission).await;
        acknowledged.record(&submission, &answer);
    }

    // Fill the disk. What sled still fits into pages it already has is stored
    // and acknowledged; the first write that needs a new page fails.
    let filler = fill(&disk.dir);
    let mut refused = Vec::new();
    for _ in 0..2000 {
        let submission = engagement_submission();
        let answer = post(&client, &base, &submission).await;
        if answer.status == 503 {
            assert_unavailable(&answer, FULL);
            refused.push(submission);
            break;
        }
        acknowledged.record(&submission, &answer);
    }
    assert_eq!(
        refused.len(),
        1,
        "a submission was refused on the full disk"
    );

    // While it stays full: every submission, new or a retry, gets the same 503.
    for _ in 0..3 {
        let submission = engagement_submission();
        assert_unavailable(&post(&client, &base, &submission).await, FULL);
        refused.push(submission);
    }
    tokio::time::sleep(RECOVERY_PAUSE + Duration::from_millis(200)).await;
    assert_unavailable(&post(&client, &base, &refused[0]).await, FULL);
    assert_unavailable(&health(&client, &base).await, FULL);
    // Reads still work, and the writer thread is alive to answer.
    let survey = client
        .get(format!("{base}/api/surveys/{ENGAGEMENT}"))
        .send()
        .await
        .unwrap();
    assert_eq!(survey.status(), 200);
    // The summary's counts read the store now: they answer, or say why not. (A read
    // through a node sled has still to split is a write to sled, and fails like one.)
    let summary = client
        .get(format!(
            "{base}/api/admin/surveys/{ENGAGEMENT}/summary?format=csv"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the collector answers");
    if summary.status() == 200 {
        let csv = summary.text().await.unwrap();
        assert!(csv.contains("Everyone who responded"), "a summary: {csv}");
    } else {
        assert_unavailable(&answer(summary).await, FULL);
    }
    assert_no_panic(&collector);

    // Space returns: within RECOVERY_PAUSE the next submission is stored,
    // without a restart, and the refused ones are taken when sent again.
    fs::remove_file(&filler).expect("the filler is removed");
    tokio::time::sleep(RECOVERY_PAUSE + Duration::from_millis(200)).await;
    let submission = engagement_submission();
    let answer = post(&client, &base, &submission).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    acknowledged.record(&submission, &answer);
    assert_eq!(health(&client, &base).await.status, 200);
    for submission in &refused {
        let answer = post(&client, &base, submission).await;
        acknowledged.record(submission, &answer);
    }
    for _ in 0..10 {
        let submission = engagement_submission();
        let answer = post(&client, &base, &submission).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        acknowledged.record(&submission, &answer);
    }
    assert_no_panic(&collector);
    // The store was reopened, dropping what never reached the disk, and the refused
    // responses were sent again: the summary counts each response once.
    assert_eq!(
        everyone_in_summary(&client, &base, &token).await,
        acknowledged.0.len() as u64
    );

    collector.terminate();
    let status = collector.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "{status}:\n{}", collector.stderr());
    drop(collector);
    acknowledged.assert_exported(&data);
}

/// A token for the staff API, made while the collector is stopped (it locks the data
/// directory while it runs).
fn staff_token(data: &Path, args: &[&str]) -> String {
    {
        let (mut collector, _) = Collector::listening(data, args);
        collector.terminate();
        let status = collector.wait_exit(Duration::from_secs(30));
        assert!(status.success(), "{status}:\n{}", collector.stderr());
    }
    let made = run(&[
        "token",
        "create",
        "ops",
        "--role",
        "admin",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", made.stderr);
    made.stdout.trim().to_owned()
}

/// How many responded, as the summary of engagement-2026 says.
async fn everyone_in_summary(client: &reqwest::Client, base: &str, token: &str) -> u64 {
    let csv = client
        .get(format!(
            "{base}/api/admin/surveys/{ENGAGEMENT}/summary?format=csv"
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("the collector answers")
        .text()
        .await
        .unwrap();
    let row = csv
        .lines()
        .find(|line| line.contains("Everyone who responded"))
        .unwrap_or_else(|| panic!("a summary: {csv}"));
    row.split(',').nth(4).unwrap().parse().unwrap()
}

/// After a failed write sled refuses every write until it is reopened, and
/// the first write once the disk has space again may well be a member of
/// staff's (a survey closed, nobody submitting). That write recovers the
/// store itself, with no submission or `/healthz` to do it first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_write_once_space_returns_recovers_the_store_by_itself() {
    let disk = Tmpfs::mount("32m");
    let data = disk.dir.join("data");
    let args = serve_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let token = staff_token(&data, &args);
    let (mut collector, base) = Collector::listening(&data, &args);
    let client = client();
    let publish = |version: u32| {
        client
            .put(format!("{base}/api/admin/surveys/poll"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(small_survey("poll", version, serde_json::json!({})).to_string())
            .send()
    };

    // Publish versions onto the full disk until one is refused for it.
    let filler = fill(&disk.dir);
    let mut refused = None;
    for version in 1..=3000 {
        let answer = answer(publish(version).await.expect("the collector answers")).await;
        if answer.status == 503 {
            assert_unavailable(&answer, FULL);
            // Advice for a staff action, not for someone sending a response.
            let message = answer.body["message"].as_str().unwrap();
            assert!(message.contains("not confirmed as done"), "{message}");
            assert!(!message.contains("submission_id"), "{message}");
            refused = Some(version);
            break;
        }
        assert_eq!(answer.status, 201, "version {version}: {}", answer.body);
    }
    let refused = refused.expect("a publish was refused on the full disk");
    assert_no_panic(&collector);

    // Space returns. The refused version is published again (the definition
    // may have been stored before the audit entry failed: 200 then), with no
    // submission or health check in between to recover the store.
    fs::remove_file(&filler).expect("the filler is removed");
    tokio::time::sleep(RECOVERY_PAUSE + Duration::from_millis(200)).await;
    let again = answer(publish(refused).await.expect("the collector answers")).await;
    assert!(
        again.status == 201 || again.status == 200,
        "the publish once space returned: {} {}",
        again.status,
        again.body
    );
    let next = answer(publish(refused + 1).await.expect("the collector answers")).await;
    assert_eq!(next.status, 201, "{}", next.body);
    let submission = engagement_submission();
    let stored = post(&client, &base, &submission).await;
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert_no_panic(&collector);
    collector.terminate();
    let status = collector.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "{status}:\n{}", collector.stderr());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_file_system_gets_503_saying_so_and_loses_nothing() {
    let mut disk = Ext4::mount();
    let data = disk.dir.join("data");
    let args = serve_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (mut collector, base) = Collector::listening(&data, &args);
    let client = client();
    let mut acknowledged = Acknowledged::default();
    for _ in 0..10 {
        let submission = engagement_submission();
        let answer = post(&client, &base, &submission).await;
        acknowledged.record(&submission, &answer);
    }

    disk.turn_read_only();
    assert_unavailable(&health(&client, &base).await, READ_ONLY);
    for _ in 0..3 {
        assert_unavailable(
            &post(&client, &base, &engagement_submission()).await,
            READ_ONLY,
        );
    }
    // A retry of a stored response is not acknowledged either: the flush behind it fails.
    let (stored, _) = acknowledged.0.iter().next().unwrap();
    let mut retry = engagement_submission();
    retry["submission_id"] = Value::String(stored.clone());
    assert_unavailable(&post(&client, &base, &retry).await, READ_ONLY);
    tokio::time::sleep(RECOVERY_PAUSE + Duration::from_millis(200)).await;
    assert_unavailable(&health(&client, &base).await, READ_ONLY);
    let survey = client
        .get(format!("{base}/api/surveys/{ENGAGEMENT}"))
        .send()
        .await
        .unwrap();
    assert_eq!(survey.status(), 200, "reads still work");

    // Stopping cannot flush to a read-only disk: it says so and exits 2, without a panic.
    collector.terminate();
    let status = collector.wait_exit(Duration::from_secs(30));
    assert_no_panic(&collector);
    assert_eq!(status.code(), Some(2), "{}", collector.stderr());
    assert!(
        collector.stderr().contains(READ_ONLY),
        "{}",
        collector.stderr()
    );
    drop(collector);

    // Mounted again (as after a repair), everything acknowledged is there, once.
    disk.unmount();
    disk.mount_again();
    acknowledged.assert_exported(&data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_system_that_turns_read_only_while_idle_does_not_panic_the_collector_at_shutdown() {
    let mut disk = Ext4::mount();
    let data = disk.dir.join("data");
    let args = serve_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (mut collector, base) = Collector::listening(&data, &args);
    let client = client();
    let mut acknowledged = Acknowledged::default();
    let submission = engagement_submission();
    let answer = post(&client, &base, &submission).await;
    acknowledged.record(&submission, &answer);

    // No write reaches sled after this: its own Drop would meet the error first.
    disk.turn_read_only();
    collector.terminate();
    let status = collector.wait_exit(Duration::from_secs(30));
    assert_no_panic(&collector);
    assert_eq!(status.code(), Some(2), "{}", collector.stderr());
    drop(collector);

    disk.unmount();
    disk.mount_again();
    acknowledged.assert_exported(&data);
}

fn flaky_harness() -> (Harness, Arc<Faulty>) {
    let mut flaky = None;
    let config = voices_collector::Config {
        rate_limit: 0,
        ..voices_collector::Config::default()
    };
    let h = Harness::with_store(config, |inner| {
        let store = Arc::new(Faulty::around(inner));
        flaky = Some(Arc::clone(&store));
        store
    });
    (h, flaky.expect("the harness wrapped the store"))
}

#[tokio::test]
async fn a_panic_in_the_store_fails_one_batch_with_503_and_the_writer_carries_on() {
    let (h, flaky) = flaky_harness();
    flaky.panic_next_insert.store(true, Ordering::SeqCst);
    let submission = engagement_submission();
    let reply = call(h.app(), post_response(ENGAGEMENT, &submission)).await;
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert_error_body(&reply.json(), "unavailable");

    // The writer thread is still there: the same response, sent again, is stored.
    let reply = call(h.app(), post_response(ENGAGEMENT, &submission)).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(call(h.app(), get("/healthz")).await.status, 200);
    assert_eq!(h.count(ENGAGEMENT), 1);
}

#[tokio::test]
async fn healthz_goes_through_the_writer_and_says_when_it_does_not_answer() {
    let (h, flaky) = flaky_harness();
    assert_eq!(call(h.app(), get("/healthz")).await.status, 200);
    // A submission stuck in a flush that never returns holds up the writer,
    // and so every later submission: the health check must say so.
    flaky.hang_flush.store(true, Ordering::SeqCst);
    let app = h.app();
    let stuck = tokio::spawn(async move {
        call(app, post_response(ENGAGEMENT, &engagement_submission())).await
    });
    let reply = tokio::time::timeout(Duration::from_secs(30), call(h.app(), get("/healthz")))
        .await
        .expect("/healthz answers even when the writer does not");
    assert_eq!(reply.status, 503, "{}", reply.text());
    let body = reply.json();
    assert_error_body(&body, "unavailable");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("did not store a health check"),
        "{body}"
    );
    flaky.hang_flush.store(false, Ordering::SeqCst);
    assert_eq!(stuck.await.unwrap().status, 201);
    assert_eq!(call(h.app(), get("/healthz")).await.status, 200);
}
