//! The "Soak" section: the collector under a steady 200 submissions a second for ten
//! minutes, to show that latency holds and memory levels off instead of growing.
//!
//! Unlike the ingest section's closed loop (every client as fast as it can), this load
//! is open-loop: submissions are sent on a fixed schedule whatever the answers take, as
//! a steady stream of real people would.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::Length;
use super::server::Server;
use super::stats::{millis, percentile, thousands};
use super::submission::{Bodies, SURVEY_ID};

/// Submissions per second, in total.
const RATE: u32 = 200;
/// Keep-alive connections the rate is spread over: enough that one slow answer does
/// not hold up the schedule.
const CONNECTIONS: u32 = 20;
/// How often the server's memory is read.
const SAMPLE_EVERY: Duration = Duration::from_secs(5);
/// Memory may grow by at most this much from the second fifth of the run to the last
/// fifth (caches filling up), or it counts as growing without bound.
const ALLOWED_GROWTH: f64 = 0.10;

struct Plan {
    duration: Duration,
}

impl Plan {
    fn for_length(length: Length) -> Plan {
        Plan {
            duration: match length {
                Length::Full => Duration::from_secs(600),
                Length::Quick => Duration::from_secs(30),
            },
        }
    }
}

/// One answered submission: when it was sent (from the start) and how long it took.
struct Answer {
    at: Duration,
    latency: Duration,
}

#[derive(Default)]
struct Log {
    answers: Vec<Answer>,
    errors: u64,
    first_error: Option<String>,
}

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    let plan = Plan::for_length(length);
    // The ingest section built the release collector just before.
    let binary = target_dir.join("release/voices-collector");
    let mut server = Server::collector(&binary, root, &target_dir.join("xtask/bench"), true)?;
    let bodies = Arc::new(Bodies::new());
    println!(
        "soak: {RATE} submissions/s for {} s",
        plan.duration.as_secs()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the soak's runtime")?;
    let start = Instant::now();
    let addr = server.addr;
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|index| {
            let bodies = Arc::clone(&bodies);
            runtime.spawn(client(addr, bodies, index, start, plan.duration))
        })
        .collect();
    // Memory, every few seconds, from this thread while the clients run.
    let mut memory: Vec<(Duration, u64)> = Vec::new();
    while start.elapsed() < plan.duration {
        std::thread::sleep(SAMPLE_EVERY.min(plan.duration.saturating_sub(start.elapsed())));
        server.check_running()?;
        memory.push((start.elapsed(), server.rss()?));
    }
    let mut log = Log::default();
    for task in clients {
        let part = runtime
            .block_on(task)
            .map_err(|e| anyhow!("a soak client stopped: {e}"))??;
        log.errors += part.errors;
        log.first_error = log.first_error.or(part.first_error);
        log.answers.extend(part.answers);
    }
    drop(server);
    if log.answers.is_empty() {
        bail!(
            "no submission succeeded during the soak: {:?}",
            log.first_error
        );
    }
    markdown(&plan, &log, &memory)
}

/// One connection sending its share of the rate on schedule, for `duration`.
async fn client(
    addr: std::net::SocketAddr,
    bodies: Arc<Bodies>,
    index: u32,
    start: Instant,
    duration: Duration,
) -> Result<Log> {
    let stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_nodelay(true)?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    let connection = tokio::spawn(connection);
    let every = Duration::from_secs(1) * CONNECTIONS / RATE;
    // Clients start staggered, so the 200 a second arrive evenly, not in bursts.
    let offset = every * index / CONNECTIONS;
    let mut ticks = tokio::time::interval_at((start + offset).into(), every);
    // A late answer delays this connection's next send; it does not make it send a
    // burst to catch up (the other connections keep the rate).
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let path = format!("/api/surveys/{SURVEY_ID}/responses");
    let host = addr.to_string();
    let mut log = Log::default();
    let mut n = index as usize;
    loop {
        ticks.tick().await;
        let sent = Instant::now();
        if sent.duration_since(start) >= duration {
            break;
        }
        let request = Request::post(path.as_str())
            .header(HOST, host.as_str())
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(bodies.body(n))))?;
        n += CONNECTIONS as usize;
        sender.ready().await.context("the connection closed")?;
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        if status.is_success() {
            log.answers.push(Answer {
                at: sent.duration_since(start),
                latency: sent.elapsed(),
            });
        } else {
            log.errors += 1;
            log.first_error.get_or_insert_with(|| {
                format!("HTTP {status}: {}", String::from_utf8_lossy(&body))
            });
        }
    }
    drop(sender);
    let _ = connection.await;
    Ok(log)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn markdown(plan: &Plan, log: &Log, memory: &[(Duration, u64)]) -> Result<String> {
    let seconds = plan.duration.as_secs();
    let mut latencies: Vec<Duration> = log.answers.iter().map(|a| a.latency).collect();
    latencies.sort_unstable();
    // Latency over time: the p99 of each fifth of the run.
    let fifths: Vec<String> = (0..5u32)
        .map(|fifth| {
            let from = plan.duration * fifth / 5;
            let to = plan.duration * (fifth + 1) / 5;
            let mut part: Vec<Duration> = log
                .answers
                .iter()
                .filter(|a| a.at >= from && a.at < to)
                .map(|a| a.latency)
                .collect();
            part.sort_unstable();
            if part.is_empty() {
                "—".to_owned()
            } else {
                millis(percentile(&part, 99.0))
            }
        })
        .collect();
    let peak = memory.iter().map(|(_, bytes)| *bytes).max().unwrap_or(0);
    let fifth_max = |fifth: u32| {
        memory
            .iter()
            .filter(|(at, _)| {
                *at >= plan.duration * fifth / 5 && *at <= plan.duration * (fifth + 1) / 5
            })
            .map(|(_, bytes)| *bytes)
            .max()
            .unwrap_or(0)
    };
    let (early, late) = (fifth_max(1), fifth_max(4));
    let growth = late as f64 / early.max(1) as f64 - 1.0;
    let achieved = log.answers.len() as f64 / plan.duration.as_secs_f64();

    let mut out = String::new();
    writeln!(out, "## Soak")?;
    writeln!(out)?;
    writeln!(
        out,
        "The collector (built `--release`, durable, as in the ingest section) under a steady \
         {RATE} submissions a second for {seconds} s: an open-loop load sent on a fixed \
         schedule over {CONNECTIONS} keep-alive connections, whatever the answers take. \
         Memory is the server's resident set (`VmRSS`), read every {} s. Aim: **latency holds \
         and memory levels off**: the peak resident memory of the last fifth of the run at \
         most {:.0} % above that of the second fifth (the first is start-up and caches \
         filling).",
        SAMPLE_EVERY.as_secs(),
        ALLOWED_GROWTH * 100.0
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| submissions answered 2xx | rate | errors | p50 | p99 | max | p99 by fifth of the run | memory: start, second fifth, last fifth, peak |"
    )?;
    writeln!(
        out,
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    )?;
    writeln!(
        out,
        "| {} | {achieved:.1}/s | {} | {} | {} | {} | {} | {}, {}, {}, {} |",
        thousands(log.answers.len() as u64),
        thousands(log.errors),
        millis(percentile(&latencies, 50.0)),
        millis(percentile(&latencies, 99.0)),
        millis(*latencies.last().unwrap_or(&Duration::ZERO)),
        fifths.join(" · "),
        mb(memory.first().map_or(0, |(_, b)| *b)),
        mb(early),
        mb(late),
        mb(peak),
    )?;
    writeln!(out)?;
    if let Some(error) = &log.first_error {
        writeln!(out, "The first error: `{error}`.")?;
        writeln!(out)?;
    }
    let verdict = if growth <= ALLOWED_GROWTH && log.errors == 0 {
        format!(
            "**Met:** memory grew {:.1} % from the second fifth to the last, with no errors.",
            growth * 100.0
        )
    } else if log.errors > 0 {
        format!(
            "**Not met:** {} submissions were not answered 2xx.",
            thousands(log.errors)
        )
    } else {
        format!(
            "**Not met:** memory grew {:.1} % from the second fifth to the last (allowed {:.0} %).",
            growth * 100.0,
            ALLOWED_GROWTH * 100.0
        )
    };
    writeln!(out, "{verdict}")?;
    Ok(out)
}
