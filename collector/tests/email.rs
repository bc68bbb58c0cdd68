//! Update emails end to end: a real collector process, a real SMTP server on 127.0.0.1
//! (mailin-embedded) and the messages it received, read back with a mail parser. People
//! who asked get exactly one email per published update, in their language, with a
//! working unsubscribe link; a relay that is down slows no submission, and what it missed
//! goes out once it is back, across a restart; no export holds an address.

mod common;

use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Collector, client, run, small_submission, small_survey, submit};
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server};
use serde_json::{Value, json};

/// One message as the SMTP server received it.
#[derive(Clone)]
struct Received {
    to: Vec<String>,
    data: Vec<u8>,
}

impl std::fmt::Debug for Received {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "to {:?}:\n{}",
            self.to,
            String::from_utf8_lossy(&self.data)
        )
    }
}

/// Keeps every message the server accepts.
#[derive(Clone, Default)]
struct Inbox {
    messages: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            to: to.to_vec(),
            data: Vec::new(),
        });
        OK
    }
    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.extend_from_slice(buf);
        }
        Ok(())
    }
    fn data_end(&mut self) -> Response {
        if let Some(done) = self.current.take() {
            self.messages.lock().unwrap().push(done);
        }
        OK
    }
}

impl Inbox {
    /// Starts a server on `listener` (it serves until the test process ends).
    fn serve(listener: TcpListener) -> Inbox {
        let inbox = Inbox::default();
        let mut server = Server::new(inbox.clone());
        server.with_name("smtp.test").with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        inbox
    }

    fn all(&self) -> Vec<Received> {
        self.messages.lock().unwrap().clone()
    }

    /// Waits (at most 60 s) until `count` messages have arrived.
    fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let all = self.all();
            if all.len() >= count {
                return all;
            }
            assert!(
                Instant::now() < deadline,
                "{count} emails expected, {} arrived: {all:?}",
                all.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A port nothing listens on now, for a relay that is down and comes back later there.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Email {
    to: Vec<String>,
    subject: String,
    text: String,
    list_unsubscribe: String,
    list_unsubscribe_post: String,
    language: String,
}

fn read(received: &Received) -> Email {
    let message = mail_parser::MessageParser::default()
        .parse(&received.data)
        .expect("a message the parser reads");
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    Email {
        to: received.to.clone(),
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message.body_text(0).unwrap_or_default().into_owned(),
        list_unsubscribe: header("List-Unsubscribe"),
        list_unsubscribe_post: header("List-Unsubscribe-Post"),
        language: header("Content-Language"),
    }
}

/// The survey: it offers its updates by email, in English and Gaelic.
fn survey() -> Value {
    small_survey(
        "poll",
        1,
        json!({
            "locales": ["en", "gd"],
            "title": {"en": "A small poll", "gd": "Cunntas beag"},
            "updates_by_email": true
        }),
    )
}

fn update(id: &str, stage: &str, headline: Value) -> Value {
    json!({"id": id, "stage": stage, "date": "2026-12-01", "published": true,
           "headline": headline, "body": {"en": "What happened.", "gd": "Na thachair."}})
}

async fn put_updates(base: &str, token: &str, updates: &[Value]) {
    let response = client()
        .put(format!("{base}/api/admin/surveys/poll/outcomes"))
        .bearer_auth(token)
        .json(&json!({ "updates": updates }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

async fn ask(base: &str, survey: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(format!("{base}/api/surveys/{survey}/subscriptions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A data directory with an admin token, and a surveys directory holding `poll` and `others`.
struct Setup {
    data: tempfile::TempDir,
    surveys: tempfile::TempDir,
    token: String,
}

impl Setup {
    fn new(others: &[Value]) -> Setup {
        let data = tempfile::tempdir().unwrap();
        let surveys = tempfile::tempdir().unwrap();
        for survey in std::iter::once(&survey()).chain(others) {
            let id = survey["id"].as_str().unwrap();
            std::fs::write(
                surveys.path().join(format!("{id}.json")),
                survey.to_string(),
            )
            .unwrap();
        }
        let created = run(&[
            "token",
            "create",
            "comms",
            "--role",
            "admin",
            "--data",
            data.path().to_str().unwrap(),
        ]);
        assert!(created.status.success(), "{}", created.stderr);
        let token = created.stdout.trim().to_owned();
        Setup {
            data,
            surveys,
            token,
        }
    }

    /// `serve` sending through the relay at `smtp_url`, its links to
    /// https://voices.hscp.test, trying again a second after a failure.
    fn serve(&self, smtp_url: &str) -> (Collector, String) {
        Collector::listening(
            self.data.path(),
            &[
                "--surveys",
                self.surveys.path().to_str().unwrap(),
                "--smtp-url",
                smtp_url,
                "--mail-from",
                "Voices <voices@hscp.test>",
                "--public-url",
                "https://voices.hscp.test/",
                "--mail-retry-seconds",
                "1",
            ],
        )
    }
}

#[tokio::test]
async fn people_who_asked_get_each_published_update_once_and_can_stop_them() {
    let setup = Setup::new(&[small_survey("quiet", 1, json!({}))]);
    let token = setup.token.clone();
    let port = free_port();
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let (first, base) = setup.serve(&smtp_url);

    // Asking: 204 once the address is kept; asked again (any case), the same answer and
    // still one address; refused with a reason for a wrong address or a survey that
    // does not offer it.
    for email in ["ana@example.org", "ANA@Example.org"] {
        let (status, body) = ask(&base, "poll", json!({"email": email, "locale": "gd"})).await;
        assert_eq!(status, 204, "{body}");
    }
    assert_eq!(
        ask(
            &base,
            "poll",
            json!({"email": "ben@example.org", "locale": "en"})
        )
        .await
        .0,
        204
    );
    for wrong in ["ana at example", "a<ana@example.org>"] {
        let (status, body) = ask(&base, "poll", json!({"email": wrong})).await;
        assert_eq!(status, 422, "{wrong}: {body}");
    }
    let (status, body) = ask(&base, "poll", json!({"email": "ana at example"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "invalid_email", "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("email: "));
    let (status, _) = ask(&base, "quiet", json!({"email": "ana@example.org"})).await;
    assert_eq!(status, 404);

    // The relay is down: updates are published, and submissions are taken as ever.
    put_updates(
        &base,
        &token,
        &[update(
            "closed",
            "closed",
            json!({"en": "The poll has closed", "gd": "Tha an cunntas dùinte"}),
        )],
    )
    .await;
    let browser = client();
    for _ in 0..3 {
        let started = Instant::now();
        let (status, body) = submit(&browser, &base, "poll", &small_submission(1))
            .await
            .unwrap();
        assert_eq!(status, 201, "{body}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "a submission waited for the relay: {:?}",
            started.elapsed()
        );
    }
    // Tried, refused, waiting: then the collector restarts with the email still queued.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        first
            .stderr()
            .contains("the relay did not take an update email"),
        "{}",
        first.stderr()
    );
    first.terminate();
    let first_log = first.stderr();
    drop(first);
    let (second, base) = setup.serve(&smtp_url);

    // The relay comes back: each person gets the update once, in their own language.
    let inbox = Inbox::serve(TcpListener::bind(("127.0.0.1", port)).unwrap());
    let received = inbox.wait_for(2);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(inbox.all().len(), 2, "one email per person per update");
    let mut emails: Vec<Email> = received.iter().map(read).collect();
    emails.sort_by(|a, b| a.to.cmp(&b.to));
    let (ana, ben) = (&emails[0], &emails[1]);
    assert_eq!(ana.to, ["ana@example.org"]);
    assert_eq!(ben.to, ["ben@example.org"]);
    assert_eq!(ana.subject, "Cunntas beag: Tha an cunntas dùinte");
    assert_eq!(ana.language, "gd");
    assert!(ana.text.contains("Na thachair."), "{}", ana.text);
    assert!(
        ana.text.contains("Airson stad a chur air na puist-d seo"),
        "{}",
        ana.text
    );
    assert!(
        ana.text
            .contains("https://voices.hscp.test/s/poll/updates?lang=gd"),
        "{}",
        ana.text
    );
    assert_eq!(ben.subject, "A small poll: The poll has closed");
    assert!(ben.text.contains("To stop these emails, open this link:"));

    // The unsubscribe link: a page that asks first, then stops them for good.
    let link = ben
        .text
        .lines()
        .find(|l| l.starts_with("https://voices.hscp.test/unsubscribe/"))
        .expect("an unsubscribe link")
        .trim()
        .to_owned();
    assert_eq!(ben.list_unsubscribe, format!("<{link}>"));
    assert_eq!(ben.list_unsubscribe_post, "List-Unsubscribe=One-Click");
    let path = link.trim_start_matches("https://voices.hscp.test");
    let page = browser.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Stop the emails"), "{html}");
    assert!(html.contains("A small poll"), "{html}");
    let form_action = path.split('?').next().unwrap();
    let stopped = browser
        .post(format!("{base}{form_action}"))
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.status(), 200);
    assert!(
        stopped
            .text()
            .await
            .unwrap()
            .contains("We have deleted your email address")
    );
    let again = browser.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(again.status(), 404, "the address is gone");

    // The final update: Ana gets it (and only it), and then her address is deleted.
    put_updates(
        &base,
        &token,
        &[
            update(
                "closed",
                "closed",
                json!({"en": "The poll has closed", "gd": "Tha an cunntas dùinte"}),
            ),
            update(
                "did",
                "what_we_did",
                json!({"en": "What we did", "gd": "Na rinn sinn"}),
            ),
        ],
    )
    .await;
    let received = inbox.wait_for(3);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(inbox.all().len(), 3, "{:?}", inbox.all());
    let last = read(&received[2]);
    assert_eq!(last.to, ["ana@example.org"]);
    assert_eq!(last.subject, "Cunntas beag: Na rinn sinn");
    assert!(
        last.text.contains("Seo am post-d mu dheireadh"),
        "{}",
        last.text
    );
    let ana_link = ana
        .text
        .lines()
        .find(|l| l.starts_with("https://voices.hscp.test/unsubscribe/"))
        .unwrap()
        .trim()
        .trim_start_matches("https://voices.hscp.test")
        .to_owned();
    let gone = browser
        .get(format!("{base}{ana_link}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404, "deleted after the final update");

    // No export holds an address.
    for format in ["csv", "xlsx", "json", "ndjson"] {
        let export = browser
            .get(format!(
                "{base}/api/admin/surveys/poll/responses?format={format}"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(export.status(), 200, "{format}");
        let bytes = export.bytes().await.unwrap();
        assert!(bytes.len() > 100, "{format}: {} bytes", bytes.len());
        for address in ["ana@example.org", "ben@example.org", "example.org"] {
            assert!(
                !bytes
                    .windows(address.len())
                    .any(|w| w == address.as_bytes()),
                "{format} holds {address}"
            );
        }
    }
    // Nothing is kept after the final update: there is nothing more to send.
    let (status, body) = ask(&base, "poll", json!({"email": "dan@example.org"})).await;
    assert_eq!(status, 410, "{body}");
    // No address reached the log.
    let log = second.stderr();
    assert!(
        !log.contains("example.org") && !first_log.contains("example.org"),
        "{first_log}\n{log}"
    );
    drop(second);
}

#[tokio::test]
async fn updates_published_while_the_relay_is_down_all_go_once_it_is_back() {
    let setup = Setup::new(&[]);
    let token = setup.token.clone();
    let port = free_port();
    let (collector, base) = setup.serve(&format!("smtp://127.0.0.1:{port}"));
    assert_eq!(
        ask(&base, "poll", json!({"email": "eve@example.org"}))
            .await
            .0,
        204
    );
    // Two updates while the relay is down, the final one with the id that sorts first.
    let progress = update("progress", "reviewing", json!("Reading your answers"));
    put_updates(&base, &token, std::slice::from_ref(&progress)).await;
    std::thread::sleep(Duration::from_millis(1500));
    put_updates(
        &base,
        &token,
        &[
            progress,
            update("final", "what_we_did", json!("What we did")),
        ],
    )
    .await;
    std::thread::sleep(Duration::from_millis(1500));
    let inbox = Inbox::serve(TcpListener::bind(("127.0.0.1", port)).unwrap());
    inbox.wait_for(2);
    std::thread::sleep(Duration::from_secs(3));
    let mut subjects: Vec<String> = inbox.all().iter().map(|m| read(m).subject).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "A small poll: Reading your answers",
            "A small poll: What we did"
        ]
    );
    // Both gone, the address deleted: the staff page counts no one.
    let page = client()
        .get(format!("{base}/admin/surveys/poll/updates"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("0 people have asked"), "{page}");
    drop(collector);
}

#[tokio::test]
async fn without_a_relay_the_survey_is_served_without_the_offer() {
    let setup = Setup::new(&[]);
    let (collector, base) = Collector::listening(
        setup.data.path(),
        &["--surveys", setup.surveys.path().to_str().unwrap()],
    );
    let served: Value = client()
        .get(format!("{base}/api/surveys/poll"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served["id"], "poll");
    assert_eq!(served.get("updates_by_email"), None);
    assert_eq!(
        ask(&base, "poll", json!({"email": "fay@example.org"}))
            .await
            .0,
        404
    );
    assert!(
        collector.stderr().contains("no --smtp-url is set"),
        "{}",
        collector.stderr()
    );
}

#[tokio::test]
async fn a_mail_program_stops_the_emails_with_one_post() {
    let setup = Setup::new(&[]);
    let token = setup.token.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let smtp_url = format!("smtp://{}", listener.local_addr().unwrap());
    let inbox = Inbox::serve(listener);
    let (_collector, base) = setup.serve(&smtp_url);
    assert_eq!(
        ask(&base, "poll", json!({"email": "cat@example.org"}))
            .await
            .0,
        204
    );
    put_updates(
        &base,
        &token,
        &[update("open", "open", json!("We are listening"))],
    )
    .await;
    let first = read(&inbox.wait_for(1)[0]);
    assert_eq!(first.subject, "A small poll: We are listening");
    // RFC 8058: the mail program posts this body to the List-Unsubscribe address.
    let link = first
        .list_unsubscribe
        .trim_matches(['<', '>'])
        .trim_start_matches("https://voices.hscp.test")
        .to_owned();
    let stopped = client()
        .post(format!("{base}{link}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.status(), 200);
    put_updates(
        &base,
        &token,
        &[
            update("open", "open", json!("We are listening")),
            update("closed", "closed", json!("Closed")),
        ],
    )
    .await;
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(inbox.all().len(), 1, "no email after the one-click stop");
}
