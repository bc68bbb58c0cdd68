//! What an operator meets at the terminal: the password asked twice and never shown, a
//! busy address said plainly with nothing created, a data directory in use answered with
//! what to do meanwhile, and logs without colour codes that say each thing once.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Collector, command, examples_dir, run, user_add};

/// Runs `user add` on a pseudo-terminal of its own (its controlling terminal, as a person's
/// shell gives it), types `lines` when asked, and returns its exit status and everything
/// it wrote to the terminal.
fn user_add_at_a_terminal(dir: &str, lines: &[&str]) -> (std::process::ExitStatus, String) {
    let (mut controller, device) = {
        let (mut controller, mut device) = (0, 0);
        // SAFETY: openpty writes two new file descriptors, which are owned from here on.
        let made = unsafe {
            libc::openpty(
                &mut controller,
                &mut device,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(made, 0, "a pseudo-terminal");
        // SAFETY: both descriptors were just opened and are not owned elsewhere.
        unsafe {
            (
                std::fs::File::from(OwnedFd::from_raw_fd(controller)),
                OwnedFd::from_raw_fd(device),
            )
        }
    };
    let raw = device.as_raw_fd();
    let mut user_add = command();
    user_add
        .args(["user", "add", "ailsa", "--role", "admin", "--data", dir])
        .stdin(Stdio::from(device.try_clone().unwrap()))
        .stdout(Stdio::from(device.try_clone().unwrap()))
        .stderr(Stdio::from(device));
    // SAFETY: only async-signal-safe calls between fork and exec: a session of its own,
    // with the pseudo-terminal as its controlling terminal.
    unsafe {
        user_add.pre_exec(move || {
            if libc::setsid() < 0 || libc::ioctl(raw, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = user_add.spawn().expect("the binary starts");
    // The command holds our copies of the terminal's device end: closed, the controller
    // end reads the end of output once the child has gone.
    drop(user_add);
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    for line in lines {
        // Typed only once asked, as a person would.
        let asked = seen.iter().filter(|b| **b == b':').count();
        let deadline = Instant::now() + Duration::from_secs(30);
        while seen.iter().filter(|b| **b == b':').count() == asked {
            assert!(
                Instant::now() < deadline,
                "not asked: {}",
                String::from_utf8_lossy(&seen)
            );
            let n = controller.read(&mut buffer).unwrap();
            seen.extend_from_slice(&buffer[..n]);
        }
        // And only once the terminal has stopped echoing (the prompt is printed a moment
        // before): a person is never that quick, a test is.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            // SAFETY: termios is plain data, filled in by tcgetattr on an open descriptor.
            let echoing = unsafe {
                let mut settings: libc::termios = std::mem::zeroed();
                libc::tcgetattr(controller.as_raw_fd(), &mut settings) == 0
                    && settings.c_lflag & libc::ECHO != 0
            };
            if !echoing {
                break;
            }
            assert!(Instant::now() < deadline, "the terminal kept echoing");
            std::thread::sleep(Duration::from_millis(5));
        }
        controller
            .write_all(format!("{line}\n").as_bytes())
            .unwrap();
    }
    let status = child.wait().unwrap();
    // What is left on the terminal after it exited (EIO once the other end is closed).
    while let Ok(n) = controller.read(&mut buffer) {
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buffer[..n]);
    }
    (status, String::from_utf8_lossy(&seen).into_owned())
}

#[test]
fn at_a_terminal_the_password_is_asked_twice_and_never_shown() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    // The directory exists once a survey is published into it.
    let published = run(&[
        "survey",
        "publish",
        examples_dir()
            .join("engagement-2026.json")
            .to_str()
            .unwrap(),
        "--data",
        dir,
    ]);
    assert!(published.status.success(), "{}", published.stderr);

    let (status, screen) =
        user_add_at_a_terminal(dir, &["correct horse battery", "correct horse battry"]);
    assert_eq!(status.code(), Some(1), "{screen}");
    assert!(screen.contains("it is not shown as you type"), "{screen}");
    assert!(screen.contains("The same password again"), "{screen}");
    assert!(
        screen.contains("the two passwords differ; nothing changed"),
        "{screen}"
    );
    assert!(
        !screen.contains("correct horse"),
        "the password was shown: {screen}"
    );

    let (status, screen) =
        user_add_at_a_terminal(dir, &["correct horse battery", "correct horse battery"]);
    assert!(status.success(), "{screen}");
    assert!(screen.contains("added user \"ailsa\""), "{screen}");
    assert!(
        !screen.contains("correct horse"),
        "the password was shown: {screen}"
    );
}

#[test]
fn a_busy_address_is_said_plainly_and_nothing_is_created() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("new-data");
    let output = command()
        .args(["serve", "--addr", &address, "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot listen on {address}: the address is in use"
        )) && stderr.contains("--addr"),
        "{stderr}"
    );
    assert!(!data.exists(), "a data directory was left behind");
}

#[test]
fn commands_on_a_directory_in_use_say_what_to_do_while_it_runs() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap();
    let surveys = examples_dir();
    let (_collector, _) =
        Collector::listening(data.path(), &["--surveys", surveys.to_str().unwrap()]);
    let export = run(&["export", "--data", dir, "--survey", "engagement-2026"]);
    assert_eq!(export.status.code(), Some(2));
    assert!(
        export
            .stderr
            .contains("in use by another running collector")
            && export
                .stderr
                .contains("/api/admin/surveys/ID/responses?format=csv"),
        "{}",
        export.stderr
    );
    let token = run(&["token", "create", "nightly", "--data", dir]);
    assert_eq!(token.status.code(), Some(2));
    assert!(token.stderr.contains("/admin/accounts"), "{}", token.stderr);
    let user = user_add(dir, "ailsa", "admin", "correct horse battery");
    assert!(user.stderr.contains("/admin/accounts"), "{}", user.stderr);
    let publish = run(&[
        "survey",
        "publish",
        surveys.join("engagement-2026.json").to_str().unwrap(),
        "--data",
        dir,
    ]);
    assert!(
        publish.stderr.contains("/admin/publish"),
        "{}",
        publish.stderr
    );
}

#[test]
fn logs_in_a_file_have_no_colour_codes_and_say_each_thing_once() {
    let data = tempfile::tempdir().unwrap();
    let surveys = examples_dir();
    let (collector, _) = Collector::listening(
        data.path(),
        &["--surveys", surveys.to_str().unwrap(), "--behind-tls"],
    );
    // The warning --behind-tls gives without --behind-proxy: a log line to look at.
    let log = collector.stderr();
    assert!(log.contains("--behind-tls without --behind-proxy"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log file: {log:?}"
    );
    let both = format!("{}\n{log}", collector.stdout.join("\n"));
    assert_eq!(
        both.matches("published survey \"engagement-2026\"").count(),
        1,
        "{both}"
    );
    assert_eq!(both.matches("listening on").count(), 1, "{both}");
}

#[tokio::test]
async fn survey_check_counts_what_is_missing_in_each_language_and_strict_fails_on_it() {
    use common::{Harness, add_token, call, small_survey};
    let dir = tempfile::tempdir().unwrap();
    // Offered in English and Gaelic; the title and the question's label in both, the
    // privacy text and the two option labels in English only.
    let half = small_survey(
        "half",
        1,
        serde_json::json!({
            "locales": ["en", "gd"],
            "title": {"en": "A small poll", "gd": "Cunntas beag"},
        }),
    );
    let mut half = half;
    half["pages"][0]["questions"][0]["label"] =
        serde_json::json!({"en": "Which colour?", "gd": "Dè an dath?"});
    let file = dir.path().join("half.json");
    std::fs::write(&file, half.to_string()).unwrap();
    let file = file.to_str().unwrap();

    let checked = run(&["survey", "check", file]);
    assert!(
        checked.status.success(),
        "a warning does not fail the check: {}",
        checked.stderr
    );
    assert!(
        checked.stdout.contains(
            "warning: gd: 3 of 5 texts missing; readers of Gaelic see English there: privacy.text, questions.colour.options.red.label, questions.colour.options.blue.label"
        ),
        "{}",
        checked.stdout
    );
    let strict = run(&["survey", "check", "--strict", file]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        strict
            .stderr
            .contains("--strict: 1 survey lacks texts in a language offered"),
        "{}",
        strict.stderr
    );
    // A survey in one language has nothing missing: --strict passes it.
    let english = dir.path().join("english.json");
    std::fs::write(
        &english,
        small_survey("english", 1, serde_json::json!({})).to_string(),
    )
    .unwrap();
    assert!(
        run(&["survey", "check", "--strict", english.to_str().unwrap()])
            .status
            .success()
    );

    // Publishing says so too, and so does the survey's staff page.
    let published = run(&[
        "survey",
        "publish",
        file,
        "--data",
        dir.path().join("data").to_str().unwrap(),
    ]);
    assert!(
        published
            .stdout
            .contains("warning: gd: 3 of 5 texts missing"),
        "{}",
        published.stdout
    );
    let h = Harness::new(voices_collector::Config::default());
    h.publish(half);
    let token = add_token(&h, "comms", voices_collector::store::Role::Analyst);
    let page = call(
        h.app(),
        axum::http::Request::get("/admin/surveys/half")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .text();
    assert!(
        page.contains("Gaelic: <strong>3 of 5 texts missing</strong> (readers see English there)"),
        "{page}"
    );
}
