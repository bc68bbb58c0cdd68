//! Slow and idle clients against the real binary on a real socket: half-sent headers, idle keep-alive connections and half-sent bodies are closed within the configured time, and `/healthz` keeps answering past the connection cap.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Collector;

/// Reads until the server closes the connection; how long that took, or
/// `None` if it was still open after `patience`. What it sent is ignored.
fn closed_within(mut stream: TcpStream, patience: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buffer = [0u8; 4096];
    while started.elapsed() < patience {
        match stream.read(&mut buffer) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // Reset by the server: closed too.
            Err(_) => return Some(started.elapsed()),
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_connections_are_closed_and_healthz_still_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (_collector, base) = Collector::listening(
        dir.path(),
        &[
            "--header-timeout",
            "2",
            "--body-timeout",
            "2",
            "--max-connections",
            "20",
        ],
    );
    let address = base.trim_start_matches("http://").to_owned();
    let open = || TcpStream::connect(&address).unwrap();
    let mut slow = Vec::new();
    // Ten that send half their headers and stop.
    for _ in 0..10 {
        let mut stream = open();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: collector\r\n")
            .unwrap();
        slow.push(stream);
    }
    // Ten that finish a request and then sit idle on keep-alive.
    for _ in 0..10 {
        let mut stream = open();
        stream
            .write_all(b"GET /favicon.ico HTTP/1.1\r\nHost: collector\r\n\r\n")
            .unwrap();
        slow.push(stream);
    }
    // Ten that send a staff form's headers and half its body.
    for _ in 0..10 {
        let mut stream = open();
        stream
            .write_all(
                b"POST /admin/sign-in HTTP/1.1\r\nHost: collector\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=ail",
            )
            .unwrap();
        slow.push(stream);
    }
    // Five that trickle a staff form's body, a byte every 300 ms: a deadline
    // that restarted with every byte would never close them.
    for _ in 0..5 {
        let mut stream = open();
        stream
            .write_all(
                b"POST /admin/sign-in HTTP/1.1\r\nHost: collector\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
            )
            .unwrap();
        let mut trickle = stream.try_clone().unwrap();
        std::thread::spawn(move || {
            while trickle.write_all(b"a").is_ok() {
                std::thread::sleep(Duration::from_millis(300));
            }
        });
        slow.push(stream);
    }
    // Thirty-five open against a cap of twenty: /healthz waits for a slot, which the
    // timeouts free within seconds.
    let started = Instant::now();
    let health = common::client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz answers");
    assert_eq!(health.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "healthz took {:?}",
        started.elapsed()
    );
    for (n, stream) in slow.into_iter().enumerate() {
        let closed = closed_within(stream, Duration::from_secs(8));
        assert!(closed.is_some(), "connection {n} was still open after 8 s");
    }
}
