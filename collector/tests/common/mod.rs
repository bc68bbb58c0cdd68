//! Shared helpers for the collector's integration tests: a collector built in
//! process on a temporary sled directory, a real server on 127.0.0.1:0, the
//! real binary as a child process, and valid submissions to send them.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

pub mod exact;
pub mod pg;

use std::collections::HashSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;
use uuid::Uuid;
use voices_collector::assets::Assets;
use voices_collector::catalog::Catalog;
use voices_collector::receipt::Receipt;
use voices_collector::store::{self, Store};
use voices_collector::{AppState, Config, app};
use voices_shared::Survey;

pub const ENGAGEMENT: &str = "engagement-2026";
pub const TRANSPORT: &str = "community-transport";

/// The repository's `examples/surveys` directory.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/surveys")
}

/// An example survey's file.
pub fn example_file(id: &str) -> PathBuf {
    examples_dir().join(format!("{id}.json"))
}

pub fn example_survey(id: &str) -> Survey {
    let text = fs::read_to_string(example_file(id)).expect("the example survey is readable");
    Survey::parse(&text).unwrap_or_else(|problems| panic!("example {id} is valid:\n{problems}"))
}

/// A small valid survey definition: one required single-choice question
/// `colour` (red, blue). `extra` fields are merged in at the top level.
pub fn small_survey(id: &str, version: u32, extra: Value) -> Value {
    let mut survey = json!({
        "format": 1,
        "id": id,
        "version": version,
        "default_locale": "en",
        "title": "A small poll",
        "privacy": {"text": "Kept for a month."},
        "allowed_origins": ["*"],
        "pages": [{
            "id": "p1",
            "questions": [{
                "id": "colour",
                "type": "single_choice",
                "label": "Which colour?",
                "required": true,
                "options": [{"value": "red", "label": "Red"}, {"value": "blue", "label": "Blue"}]
            }]
        }]
    });
    if let Value::Object(extra) = extra {
        for (key, value) in extra {
            survey[key] = value;
        }
    }
    survey
}

/// A valid answer to [`small_survey`].
pub fn small_submission(version: u32) -> Value {
    json!({
        "submission_id": Uuid::new_v4(),
        "survey_version": version,
        "locale": "en",
        "answers": {"colour": "blue"}
    })
}

/// A valid response to `engagement-2026` version 1, with a fresh
/// `submission_id`: multiple choice with an "other, please specify", a
/// conditional text question, a rating and the required consent.
pub fn engagement_submission() -> Value {
    json!({
        "submission_id": Uuid::new_v4(),
        "survey_version": 1,
        "locale": "en",
        "channel": "online",
        "answers": {
            "connection": ["carer", "resident"],
            "locality": "lochee",
            "ways": ["face_to_face", "other"],
            "face_to_face_where": "The library on the high street",
            "heard_back": "sometimes",
            "informed": 4,
            "times_taken_part": 2,
            "agree": true
        },
        "specify": {"ways": "At the carers centre coffee morning"},
        "started_at": "2026-11-22T10:15:00Z"
    })
}

/// Whether `text` is a receipt as the collector makes them (`K7QF-3MXD`).
pub fn is_receipt(text: &str) -> bool {
    Receipt::parse(text).is_some_and(|r| r.as_str() == text)
}

/// Asserts an error body has the documented shape and code.
pub fn assert_error_body(body: &Value, code: &str) {
    assert_eq!(body["error"], code, "error code in {body}");
    let message = body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("message is a string in {body}"));
    assert!(!message.trim().is_empty(), "message is not empty in {body}");
    assert!(body["details"].is_array(), "details is an array in {body}");
}

/// A collector built in process: its state, its store, and the temporary
/// directory the store lives in.
pub struct Harness {
    pub state: AppState,
    pub store: Arc<dyn Store>,
    pub dir: TempDir,
    /// The test's own PostgreSQL database, when the tests run on PostgreSQL; dropped
    /// after the store above (fields drop in order).
    pub database: Option<pg::TestDatabase>,
}

/// Whether the in-process tests run on PostgreSQL (`VOICES_TEST_STORE=postgres`, as the
/// second pass of `cargo xtask test` does) rather than on sled in a temporary directory.
pub fn on_postgres() -> bool {
    match std::env::var("VOICES_TEST_STORE").as_deref() {
        Ok("postgres") => true,
        Ok("sled") | Ok("") | Err(_) => false,
        Ok(other) => panic!("VOICES_TEST_STORE is sled or postgres, not {other:?}"),
    }
}

/// The store an in-process test runs on: sled in `dir`, or a database of the test's own
/// on the test PostgreSQL server.
pub fn test_store(dir: &Path) -> (Arc<dyn Store>, Option<pg::TestDatabase>) {
    if on_postgres() {
        let database = pg::TestDatabase::new();
        let store = store::open_url(&database.url).expect("the test database opens");
        (Arc::new(store), Some(database))
    } else {
        let store = store::open(dir).expect("the store opens");
        (Arc::new(store), None)
    }
}

impl Harness {
    /// A collector with both example surveys published. Must be called inside a tokio runtime.
    pub fn new(config: Config) -> Harness {
        Harness::with_store(config, |store| store)
    }

    /// Like [`Harness::new`], with the store wrapped by `wrap` (to inject failures).
    pub fn with_store(
        config: Config,
        wrap: impl FnOnce(Arc<dyn Store>) -> Arc<dyn Store>,
    ) -> Harness {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (inner, database) = test_store(dir.path());
        let store = wrap(inner);
        let catalog = Catalog::load(store.as_ref()).expect("the empty store loads");
        for id in [ENGAGEMENT, TRANSPORT] {
            catalog
                .publish(store.as_ref(), example_survey(id))
                .expect("the example publishes");
        }
        let state = AppState::new(config, Arc::clone(&store), catalog, Assets::default());
        Harness {
            state,
            store,
            dir,
            database,
        }
    }

    /// Like [`Harness::new`], around a [`Faulty`] store the test can break.
    pub fn faulty(config: Config) -> (Harness, Arc<Faulty>) {
        let mut faulty = None;
        let h = Harness::with_store(config, |inner| {
            let store = Arc::new(Faulty::around(inner));
            faulty = Some(Arc::clone(&store));
            store
        });
        (h, faulty.expect("with_store calls wrap"))
    }

    /// Publishes a definition given as JSON (panics if it is invalid).
    pub fn publish(&self, definition: Value) {
        let survey = Survey::from_value(&definition)
            .unwrap_or_else(|problems| panic!("a valid test survey:\n{problems}"));
        self.state
            .catalog()
            .publish(self.store.as_ref(), survey)
            .expect("the test survey publishes");
    }

    pub fn app(&self) -> Router {
        app(self.state.clone())
    }

    pub fn count(&self, survey: &str) -> u64 {
        self.store.response_count(survey).expect("the store counts")
    }
}

/// Creates a staff token in `h`'s store and returns its secret.
pub fn add_token(h: &Harness, name: &str, role: voices_collector::store::Role) -> String {
    use voices_collector::staff::credentials::{digest, new_secret};
    let secret = new_secret();
    h.store
        .put_token(&voices_collector::store::StaffToken {
            name: name.to_owned(),
            role,
            token_hash: digest(&secret),
            created_at: time::OffsetDateTime::now_utc(),
        })
        .expect("the token is stored");
    secret
}

/// A response read whole: status, headers and body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("a JSON body ({e}): {}", String::from_utf8_lossy(&self.body))
        })
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("a UTF-8 body")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header"))
    }
}

/// Sends one request through the router, without a socket.
pub async fn call(app: Router, request: Request<Body>) -> Reply {
    use http_body_util::BodyExt;
    let response = app
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .expect("the body is readable")
        .to_bytes();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// `POST /api/surveys/{survey}/responses` with a JSON body.
pub fn post_response(survey: &str, body: &Value) -> Request<Body> {
    Request::post(format!("/api/surveys/{survey}/responses"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).expect("JSON")))
        .expect("a request")
}

pub fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).expect("a request")
}

/// An in-process collector on a real socket (127.0.0.1, a free port), with
/// the client address taken from the connection as `serve` does.
pub struct Server {
    pub harness: Harness,
    pub base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    pub async fn start(config: Config) -> Server {
        let harness = Harness::new(config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("an address");
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let service = harness
            .app()
            .into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move {
            axum::serve(listener, service)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
                .expect("the server runs");
        });
        Server {
            harness,
            base: format!("http://{addr}"),
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    /// Stops accepting, finishes requests in flight.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("the server stops within 10 s")
                .expect("the server task ends cleanly");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A plain-HTTP client with a bounded timeout.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client")
}

/// Posts a response; the status and the JSON body.
pub async fn submit(
    client: &reqwest::Client,
    base: &str,
    survey: &str,
    body: &Value,
) -> reqwest::Result<(u16, Value)> {
    let response = client
        .post(format!("{base}/api/surveys/{survey}/responses"))
        .json(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let body = response.json::<Value>().await?;
    Ok((status, body))
}

// ---------------------------------------------------------------------------
// The real binary as a child process.

/// The `voices-collector` binary cargo built for these tests.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_voices-collector")
}

/// A command for the binary, without any `VOICES_*` variables of the
/// environment leaking into its flags.
pub fn command() -> Command {
    let mut command = Command::new(bin());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("VOICES_") {
            command.env_remove(name);
        }
    }
    command.env("VOICES_LOG", "warn").stdin(Stdio::null());
    command
}

/// The finished output of a one-shot command.
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary to completion (commands that do not serve).
pub fn run(args: &[&str]) -> Output {
    let output = command().args(args).output().expect("the binary runs");
    Output {
        status: output.status,
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs the binary and returns raw stdout bytes (for exports).
pub fn run_bytes(args: &[&str]) -> (ExitStatus, Vec<u8>, String) {
    let output = command().args(args).output().expect("the binary runs");
    (
        output.status,
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `user add` with `password` written to its standard input.
pub fn user_add(dir: &str, name: &str, role: &str, password: &str) -> Output {
    user_add_in(&["--data", dir], name, role, password)
}

/// [`user_add`] with `place` (`--data DIR` or `--store URL`) for where the data is.
pub fn user_add_in(place: &[&str], name: &str, role: &str, password: &str) -> Output {
    let mut child = command()
        .args(["user", "add", name, "--role", role])
        .args(place)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A command refused before it reads (no data directory) may already have
    // exited: a broken pipe here is its answer, not a failure of the test.
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes());
    let output = child.wait_with_output().unwrap();
    Output {
        status: output.status,
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A `voices-collector serve` child process. Killed (and reaped) on drop.
pub struct Collector {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Stdout lines read so far.
    pub stdout: Vec<String>,
    pub stderr_path: PathBuf,
    _stderr_dir: TempDir,
}

/// What became of a started `serve`.
pub enum Started {
    Listening {
        collector: Collector,
        addr: SocketAddr,
    },
    Exited {
        status: ExitStatus,
        stdout: Vec<String>,
        stderr: String,
    },
}

impl Collector {
    /// Starts `serve --addr 127.0.0.1:0 --data DATA EXTRA...` and waits (at
    /// most 60 s) until it says where it listens, or exits.
    pub fn start(data: &Path, extra: &[&str]) -> Started {
        Collector::start_with_env(data, extra, &[])
    }

    /// [`Collector::start`] with environment variables set for the child.
    pub fn start_with_env(data: &Path, extra: &[&str], env: &[(&str, &str)]) -> Started {
        Collector::start_on(&["--data".as_ref(), data.as_os_str()], extra, env)
    }

    /// Starts `serve --addr 127.0.0.1:0 --store URL EXTRA...`, on a PostgreSQL database.
    pub fn start_on_database(url: &str, extra: &[&str]) -> Started {
        Collector::start_on(&["--store".as_ref(), url.as_ref()], extra, &[])
    }

    /// [`Collector::start`] with `store` (`--data DIR` or `--store URL`) for where the data is.
    fn start_on(store: &[&std::ffi::OsStr], extra: &[&str], env: &[(&str, &str)]) -> Started {
        let stderr_dir = tempfile::tempdir().expect("a temporary directory");
        let stderr_path = stderr_dir.path().join("stderr.log");
        let stderr = fs::File::create(&stderr_path).expect("a stderr file");
        let mut child = command()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(store)
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut collector = Collector {
            child,
            lines,
            stdout: Vec::new(),
            stderr_path,
            _stderr_dir: stderr_dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "serve neither listened nor exited within 60 s"
            );
            match collector.lines.recv_timeout(left) {
                Ok(line) => {
                    let address = line.strip_prefix("listening on http://").map(str::to_owned);
                    collector.stdout.push(line);
                    if let Some(address) = address {
                        let addr = address
                            .parse()
                            .expect("a socket address after `listening on http://`");
                        return Started::Listening { collector, addr };
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // Stdout closed: the process is ending.
                    let status = collector.wait_exit(Duration::from_secs(30));
                    let stderr = collector.stderr();
                    let stdout = std::mem::take(&mut collector.stdout);
                    return Started::Exited {
                        status,
                        stdout,
                        stderr,
                    };
                }
            }
        }
    }

    /// Starts `serve` and expects it to listen.
    pub fn listening(data: &Path, extra: &[&str]) -> (Collector, String) {
        match Collector::start(data, extra) {
            Started::Listening { collector, addr } => (collector, format!("http://{addr}")),
            Started::Exited { status, stderr, .. } => {
                panic!("serve exited with {status}:\n{stderr}")
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Sends SIGTERM, as a service manager stopping it would.
    #[cfg(unix)]
    pub fn terminate(&self) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a pid fits pid_t");
        // SAFETY: kill(2) with a pid we started and have not reaped.
        let result = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(result, 0, "SIGTERM was delivered");
    }

    /// SIGKILL: the process stops at once, mid-write.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL was delivered");
    }

    /// Waits at most `timeout` for the process to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the collector did not exit within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// `export --format FORMAT` of a survey, checked to succeed; raw bytes.
pub fn export(data: &Path, survey: &str, format: &str) -> Vec<u8> {
    let data = data.to_str().expect("a UTF-8 path");
    let (status, stdout, stderr) = run_bytes(&[
        "export", "--data", data, "--survey", survey, "--format", format,
    ]);
    assert!(
        status.success(),
        "export --format {format} failed with {status}:\n{stderr}"
    );
    stdout
}

/// The NDJSON export as JSON values, one a response.
pub fn export_ndjson(data: &Path, survey: &str) -> Vec<Value> {
    let bytes = export(data, survey, "ndjson");
    let text = String::from_utf8(bytes).expect("UTF-8 NDJSON");
    text.lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("an NDJSON line ({e}): {line}"))
        })
        .collect()
}

/// Asserts no two responses share a receipt or a submission id.
pub fn assert_no_duplicates(responses: &[Value]) {
    let mut receipts = HashSet::new();
    let mut submissions = HashSet::new();
    for response in responses {
        let receipt = response["receipt"].as_str().expect("a receipt");
        let submission = response["submission_id"].as_str().expect("a submission id");
        assert!(
            receipts.insert(receipt.to_owned()),
            "receipt {receipt} is stored twice"
        );
        assert!(
            submissions.insert(submission.to_owned()),
            "submission {submission} is stored twice"
        );
    }
}

// ---------------------------------------------------------------------------
// A store that fails on demand.

/// The real store, wrapped so that a test can make it fail as a full, broken
/// or hung disk would, or panic as a bug in it would.
pub struct Faulty {
    pub inner: Arc<dyn Store>,
    /// Writes fail with "no space left on device".
    pub fail_writes: std::sync::atomic::AtomicBool,
    /// Flushes fail with "fsync failed".
    pub fail_flush: std::sync::atomic::AtomicBool,
    /// The next insert panics.
    pub panic_next_insert: std::sync::atomic::AtomicBool,
    /// Flushes wait until this is cleared.
    pub hang_flush: std::sync::atomic::AtomicBool,
    /// Retention's chunks fail with "no space left on device" once this many
    /// more have been erased (`u32::MAX`: never).
    pub purge_chunks_left: std::sync::atomic::AtomicU32,
    /// Changes to staff accounts and tokens fail with "no space left on device".
    pub fail_staff_writes: std::sync::atomic::AtomicBool,
    /// Looking up a staff user or token takes a second, as on a disk that
    /// has stopped answering quickly.
    pub slow_staff_reads: std::sync::atomic::AtomicBool,
    /// Sessions and the sign-in brakes cannot be read or written: the database is down.
    pub fail_sessions: std::sync::atomic::AtomicBool,
}

impl Faulty {
    pub fn around(inner: Arc<dyn Store>) -> Faulty {
        use std::sync::atomic::AtomicBool;
        Faulty {
            inner,
            fail_writes: AtomicBool::new(false),
            fail_flush: AtomicBool::new(false),
            panic_next_insert: AtomicBool::new(false),
            hang_flush: AtomicBool::new(false),
            slow_staff_reads: AtomicBool::new(false),
            fail_staff_writes: AtomicBool::new(false),
            fail_sessions: AtomicBool::new(false),
            purge_chunks_left: std::sync::atomic::AtomicU32::new(u32::MAX),
        }
    }

    fn refuse_staff_write(&self) -> Result<(), store::StoreError> {
        if self
            .fail_staff_writes
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            return Err(store::StoreError::Unavailable(
                "the disk holding the data directory is full (no space left on device)".into(),
            ));
        }
        Ok(())
    }

    fn refuse_sessions(&self) -> Result<(), store::StoreError> {
        if self.fail_sessions.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(store::StoreError::Unavailable(
                "the database cannot be reached: connection refused".into(),
            ));
        }
        Ok(())
    }

    fn stall_if_slow(&self) {
        if self
            .slow_staff_reads
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

impl Store for Faulty {
    fn publish(
        &self,
        id: &str,
        version: u32,
        definition: &str,
    ) -> Result<store::PublishOutcome, store::StoreError> {
        self.inner.publish(id, version, definition)
    }
    fn surveys(&self) -> Result<Vec<store::StoredSurvey>, store::StoreError> {
        self.inner.surveys()
    }
    // The writer runs as many threads around this store as around the real one.
    fn batches_at_once(&self) -> usize {
        self.inner.batches_at_once()
    }
    fn insert_response(
        &self,
        response: &store::StoredResponse,
    ) -> Result<store::InsertOutcome, store::StoreError> {
        use std::sync::atomic::Ordering;
        if self.panic_next_insert.swap(false, Ordering::SeqCst) {
            panic!("a bug in the store");
        }
        if self.fail_writes.load(Ordering::SeqCst) {
            return Err(store::StoreError::Unavailable(
                "no space left on device".into(),
            ));
        }
        self.inner.insert_response(response)
    }
    fn first_receipt(&self, survey_id: &str, submission_id: Uuid) -> Receipt {
        self.inner.first_receipt(survey_id, submission_id)
    }
    fn find_submission(
        &self,
        survey_id: &str,
        submission_id: Uuid,
    ) -> Result<store::Submitted, store::StoreError> {
        self.inner.find_submission(survey_id, submission_id)
    }
    fn responses<'a>(
        &'a self,
        survey_id: &str,
    ) -> Box<dyn Iterator<Item = Result<store::StoredResponse, store::StoreError>> + Send + 'a>
    {
        self.inner.responses(survey_id)
    }
    fn responses_submitted<'a>(
        &'a self,
        survey_id: &str,
        from: Option<time::OffsetDateTime>,
        to: Option<time::OffsetDateTime>,
    ) -> Box<dyn Iterator<Item = Result<store::StoredResponse, store::StoreError>> + Send + 'a>
    {
        self.inner.responses_submitted(survey_id, from, to)
    }
    fn responses_after<'a>(
        &'a self,
        survey_id: &str,
        after: Option<u64>,
    ) -> Box<dyn Iterator<Item = Result<(u64, store::StoredResponse), store::StoreError>> + Send + 'a>
    {
        self.inner.responses_after(survey_id, after)
    }
    fn replace_outcomes(
        &self,
        survey_id: &str,
        expected: Option<&str>,
        json: &str,
    ) -> Result<bool, store::StoreError> {
        self.inner.replace_outcomes(survey_id, expected, json)
    }
    fn erasure_mark(&self, survey_id: &str) -> Result<u64, store::StoreError> {
        self.inner.erasure_mark(survey_id)
    }
    fn catalog_mark(&self) -> Result<Option<u64>, store::StoreError> {
        self.inner.catalog_mark()
    }
    fn claim_lease(
        &self,
        name: &str,
        holder: &str,
        hold_for: Duration,
    ) -> Result<bool, store::StoreError> {
        self.inner.claim_lease(name, holder, hold_for)
    }
    fn position_of_receipt(&self, receipt: &str) -> Result<Option<u64>, store::StoreError> {
        self.inner.position_of_receipt(receipt)
    }
    fn tallies(&self, survey_id: &str) -> Result<Vec<store::Tally>, store::StoreError> {
        self.inner.tallies(survey_id)
    }
    fn find_receipt(
        &self,
        receipt: &str,
    ) -> Result<Option<store::StoredResponse>, store::StoreError> {
        self.inner.find_receipt(receipt)
    }
    fn erase_response(
        &self,
        receipt: &str,
    ) -> Result<Option<store::StoredResponse>, store::StoreError> {
        self.inner.erase_response(receipt)
    }
    fn purge_chunk_before(
        &self,
        survey_id: &str,
        cutoff: time::OffsetDateTime,
    ) -> Result<Option<u64>, store::StoreError> {
        use std::sync::atomic::Ordering;
        let left = self.purge_chunks_left.load(Ordering::SeqCst);
        if left == 0 {
            return Err(store::StoreError::Unavailable(
                "no space left on device".into(),
            ));
        }
        if left != u32::MAX {
            self.purge_chunks_left.store(left - 1, Ordering::SeqCst);
        }
        self.inner.purge_chunk_before(survey_id, cutoff)
    }
    fn outcomes(&self, survey_id: &str) -> Result<Option<String>, store::StoreError> {
        self.inner.outcomes(survey_id)
    }
    fn all_outcomes(&self) -> Result<Vec<(String, String)>, store::StoreError> {
        self.inner.all_outcomes()
    }
    fn put_outcomes(&self, survey_id: &str, json: &str) -> Result<(), store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.put_outcomes(survey_id, json)
    }
    fn picture(&self, survey_id: &str, file: &str) -> Result<Option<Vec<u8>>, store::StoreError> {
        self.inner.picture(survey_id, file)
    }
    fn put_picture(
        &self,
        survey_id: &str,
        file: &str,
        bytes: &[u8],
    ) -> Result<(), store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.put_picture(survey_id, file, bytes)
    }
    fn population(&self, survey_id: &str) -> Result<Option<String>, store::StoreError> {
        self.inner.population(survey_id)
    }
    fn put_population(&self, survey_id: &str, csv: &str) -> Result<(), store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.put_population(survey_id, csv)
    }
    fn subscribe(
        &self,
        subscription: &store::Subscription,
    ) -> Result<store::Subscribed, store::StoreError> {
        self.inner.subscribe(subscription)
    }
    fn subscription(&self, token: &str) -> Result<Option<store::Subscription>, store::StoreError> {
        self.inner.subscription(token)
    }
    fn unsubscribe(&self, token: &str) -> Result<bool, store::StoreError> {
        self.inner.unsubscribe(token)
    }
    fn subscription_count(&self, survey_id: &str) -> Result<u64, store::StoreError> {
        self.inner.subscription_count(survey_id)
    }
    fn queue_updates(
        &self,
        survey_id: &str,
        published: &[String],
        now: time::OffsetDateTime,
    ) -> Result<u64, store::StoreError> {
        self.inner.queue_updates(survey_id, published, now)
    }
    fn take_back_updates(
        &self,
        survey_id: &str,
        deleted: &[String],
        unpublished: &[String],
    ) -> Result<(), store::StoreError> {
        self.inner
            .take_back_updates(survey_id, deleted, unpublished)
    }
    fn due_mail(
        &self,
        now: time::OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<store::MailJob>, store::StoreError> {
        self.inner.due_mail(now, limit)
    }
    fn reschedule_mail(
        &self,
        job: &store::MailJob,
        retry: &store::MailJob,
    ) -> Result<(), store::StoreError> {
        self.inner.reschedule_mail(job, retry)
    }
    fn hurry_mail(&self, now: time::OffsetDateTime) -> Result<u64, store::StoreError> {
        self.inner.hurry_mail(now)
    }
    fn settle_mail(
        &self,
        job: &store::MailJob,
        how: store::Settled,
    ) -> Result<(), store::StoreError> {
        self.inner.settle_mail(job, how)
    }
    fn purge_subscriptions_before(
        &self,
        survey_id: &str,
        day: time::Date,
    ) -> Result<u64, store::StoreError> {
        self.inner.purge_subscriptions_before(survey_id, day)
    }
    fn put_user(&self, user: &store::StaffUser) -> Result<(), store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.put_user(user)
    }
    fn user(&self, name: &str) -> Result<Option<store::StaffUser>, store::StoreError> {
        self.stall_if_slow();
        self.inner.user(name)
    }
    fn users(&self) -> Result<Vec<store::StaffUser>, store::StoreError> {
        self.inner.users()
    }
    fn remove_user(&self, name: &str) -> Result<bool, store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.remove_user(name)
    }
    fn put_token(&self, token: &store::StaffToken) -> Result<(), store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.put_token(token)
    }
    fn tokens(&self) -> Result<Vec<store::StaffToken>, store::StoreError> {
        self.stall_if_slow();
        self.inner.tokens()
    }
    fn token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<store::StaffToken>, store::StoreError> {
        self.stall_if_slow();
        self.inner.token_by_hash(token_hash)
    }
    fn revoke_token(&self, name: &str) -> Result<bool, store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.revoke_token(name)
    }
    fn put_collection(&self, collection: &store::Collection) -> Result<(), store::StoreError> {
        self.refuse_staff_write()?;
        self.inner.put_collection(collection)
    }
    fn collection(&self, id: &str) -> Result<Option<store::Collection>, store::StoreError> {
        self.inner.collection(id)
    }
    fn collection_by_hash(
        &self,
        secret_hash: &str,
    ) -> Result<Option<store::Collection>, store::StoreError> {
        self.inner.collection_by_hash(secret_hash)
    }
    fn collections(&self) -> Result<Vec<store::Collection>, store::StoreError> {
        self.inner.collections()
    }
    fn start_session(
        &self,
        secret_hash: &str,
        session: &store::StaffSession,
    ) -> Result<(), store::StoreError> {
        self.refuse_sessions()?;
        self.inner.start_session(secret_hash, session)
    }
    fn session(
        &self,
        secret_hash: &str,
        now: time::OffsetDateTime,
    ) -> Result<Option<store::StaffSession>, store::StoreError> {
        self.refuse_sessions()?;
        self.inner.session(secret_hash, now)
    }
    fn end_session(&self, secret_hash: &str) -> Result<bool, store::StoreError> {
        self.refuse_sessions()?;
        self.inner.end_session(secret_hash)
    }
    fn end_sessions_of(&self, user: &str) -> Result<u64, store::StoreError> {
        self.refuse_sessions()?;
        self.inner.end_sessions_of(user)
    }
    fn begin_sign_in(
        &self,
        brakes: &[store::Brake],
        now: time::OffsetDateTime,
    ) -> Result<store::SignInBegun, store::StoreError> {
        self.refuse_sessions()?;
        self.inner.begin_sign_in(brakes, now)
    }
    fn sign_in_succeeded(&self, brakes: &[store::Brake]) -> Result<(), store::StoreError> {
        self.refuse_sessions()?;
        self.inner.sign_in_succeeded(brakes)
    }
    fn sweep_sign_ins(&self, now: time::OffsetDateTime) -> Result<u64, store::StoreError> {
        self.refuse_sessions()?;
        self.inner.sweep_sign_ins(now)
    }
    fn append_audit(&self, entry: &store::AuditEntry) -> Result<(), store::StoreError> {
        self.inner.append_audit(entry)
    }
    fn audit(&self, limit: usize) -> Result<Vec<store::AuditEntry>, store::StoreError> {
        self.inner.audit(limit)
    }
    fn flush(&self) -> Result<(), store::StoreError> {
        use std::sync::atomic::Ordering;
        while self.hang_flush.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
        }
        if self.fail_flush.load(Ordering::SeqCst) {
            return Err(store::StoreError::Unavailable("fsync failed".into()));
        }
        self.inner.flush()
    }
    fn shed_memory(&self) -> Result<bool, store::StoreError> {
        self.inner.shed_memory()
    }
    fn check_writable(&self) -> Result<(), store::StoreError> {
        if self.fail_writes.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(store::StoreError::Unavailable(
                "no space left on device".into(),
            ));
        }
        self.inner.check_writable()?;
        self.flush()
    }
    fn recover(&self) -> Result<(), store::StoreError> {
        self.inner.recover()
    }
}
