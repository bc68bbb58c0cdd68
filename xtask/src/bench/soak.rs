//! The "Soak" section: the collector under a steady 200 submissions a second for ten
//! minutes, to show that latency holds and memory does not grow without bound.
//!
//! Unlike the ingest section's closed loop (every client as fast as it can), this load
//! is open-loop: submissions are sent on a fixed schedule whatever the answers take, as
//! a steady stream of real people would.
//!
//! A collector's memory has two parts that grow for different reasons: what the
//! stored data costs (sled keeps an entry per page of the store in memory, so a
//! store with more responses needs more), and anything requests leave behind (a
//! leak). The section tells them apart three ways: the memory per stored response
//! late in the run; a second phase that resends submissions already stored (every
//! request does the full work of parsing, checking and looking up, but nothing new
//! is stored); and a collector restarted on the same data, whose memory is what
//! the data itself costs.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::StatusCode;
use hyper::body::Bytes;
use hyper::header::AUTHORIZATION;
use serde_json::Value;

use super::Length;
use super::stats::{millis, percentile, thousands};
use super::submission::{Bodies, SURVEY_ID};
use crate::http_client::Connection;
use crate::process;
use crate::server::{self, Server};

/// Submissions per second, in total.
const RATE: u32 = 200;
/// Keep-alive connections the rate is spread over: enough that one slow answer does
/// not hold up the schedule.
const CONNECTIONS: u32 = 20;
/// How often the server's memory is read.
const SAMPLE_EVERY: Duration = Duration::from_secs(5);
/// Each connection keeps its last this many submissions, to resend in the retry
/// phase: 20 × 50 = 1,000 different stored responses, looked up again and again.
const KEPT: usize = 50;
/// The running collector may hold at most this much more memory than one restarted
/// on the same data that has read every response once: anything beyond what the
/// data and a full cache explain is growth from time or requests.
const ALLOWED_OVER_RESTARTED: f64 = 0.10;
/// In the retry phase, which stores nothing, memory may grow by at most this much.
const ALLOWED_RETRY_GROWTH: f64 = 0.02;
/// The rate achieved must be at least this share of [`RATE`].
const MIN_RATE_SHARE: f64 = 0.95;
/// Latency holds: the p99 of the last fifth of the run at most this many times the
/// p99 of the first fifth...
const ALLOWED_P99_GROWTH: f64 = 2.0;
/// ... and the p99 of the whole run under this: a person pressing "Send" should not
/// wait for the collector.
const MAX_P99: Duration = Duration::from_millis(100);
/// Longest the restarted collector's full download may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(300);
/// How long after start-up the collector's memory is read: the catalog is loaded
/// and the first flush done by then.
const SETTLE: Duration = Duration::from_secs(2);

struct Plan {
    soak: Duration,
    retries: Duration,
}

impl Plan {
    fn for_length(length: Length) -> Plan {
        match length {
            Length::Full => Plan {
                soak: Duration::from_secs(600),
                retries: Duration::from_secs(120),
            },
            Length::Quick => Plan {
                soak: Duration::from_secs(30),
                retries: Duration::from_secs(10),
            },
        }
    }
}

/// What the clients send.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// A new submission each time: a new response is stored (201).
    New,
    /// A submission already stored, again: it must be answered 200 with its receipt.
    Retry,
}

/// One submission that was stored, and the receipt it got.
#[derive(Clone)]
struct Sent {
    body: String,
    receipt: String,
}

/// One answered request: when it was due to be sent (from the phase's start) and how
/// long after that its answer came.
struct Answer {
    at: Duration,
    latency: Duration,
}

#[derive(Default)]
struct Log {
    answers: Vec<Answer>,
    errors: u64,
    first_error: Option<String>,
    /// This connection's latest stored submissions (the new phase), for the retry phase.
    kept: VecDeque<Sent>,
}

impl Log {
    fn merge(&mut self, part: Log) {
        self.errors += part.errors;
        self.first_error = self.first_error.take().or(part.first_error);
        self.answers.extend(part.answers);
    }

    fn refuse(&mut self, why: String) {
        self.errors += 1;
        self.first_error.get_or_insert(why);
    }
}

/// Memory at one moment of a phase: when, the resident set, and how many responses
/// the phase had stored by then.
#[derive(Clone, Copy)]
struct Sample {
    at: Duration,
    rss: u64,
    stored: u64,
}

struct Measured {
    log: Log,
    memory: Vec<Sample>,
}

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    let plan = Plan::for_length(length);
    // `bench::run` built the release collector and its examples.
    let binary = target_dir.join("release/voices-collector");
    let mut server = Server::collector(&binary, root, &target_dir.join("xtask/bench"), true)?;
    // Read as the restarted one is below: once start-up has settled.
    std::thread::sleep(SETTLE);
    let empty = server.rss()?;
    let bodies = Arc::new(Bodies::new());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the soak's runtime")?;

    println!(
        "soak: {RATE} new submissions/s for {} s",
        plan.soak.as_secs()
    );
    let (soak, kept) = run_phase(
        &runtime,
        &mut server,
        Phase::New,
        plan.soak,
        &bodies,
        vec![Vec::new(); CONNECTIONS as usize],
    )?;
    if soak.log.answers.is_empty() {
        bail!(
            "no submission succeeded during the soak: {:?}",
            soak.log.first_error
        );
    }
    println!(
        "soak: {RATE} retries/s of {} stored submissions for {} s",
        kept.iter().map(Vec::len).sum::<usize>(),
        plan.retries.as_secs()
    );
    let (retries, _) = run_phase(
        &runtime,
        &mut server,
        Phase::Retry,
        plan.retries,
        &bodies,
        kept,
    )?;
    let before_restart = server.rss()?;
    server.stop()?;
    // A token for the download below; the command line needs the collector stopped.
    let data = server
        .data_dir()
        .context("the collector has a data directory")?
        .to_owned();
    let token = create_token(&binary, &data)?;
    server.start_again()?;
    std::thread::sleep(SETTLE);
    let reopened = server.rss()?;
    let rows = runtime
        .block_on(async {
            tokio::time::timeout(DOWNLOAD_TIMEOUT, download(server.addr, &token)).await
        })
        .map_err(|_| {
            anyhow!(
                "the download did not finish within {} s",
                DOWNLOAD_TIMEOUT.as_secs()
            )
        })??;
    let read_once = server.rss()?;
    drop(server);
    markdown(
        &plan,
        &soak,
        &retries,
        Baseline {
            empty,
            before_restart,
            reopened,
            read_once,
            exported: rows,
        },
    )
}

/// Memory outside the phases: the empty collector; the one that ran both phases,
/// just before it was stopped; and the one restarted on the same data, just after
/// it opened it and again once it had read every response (a download), which
/// fills its cache as the running one's was.
struct Baseline {
    empty: u64,
    before_restart: u64,
    reopened: u64,
    read_once: u64,
    /// Rows in the restarted collector's download: every stored response, once.
    exported: u64,
}

/// `voices-collector token create`: a bearer token for the staff API.
fn create_token(binary: &Path, data: &Path) -> Result<String> {
    let mut cmd = Command::new(binary);
    cmd.args(["token", "create", "soak-download", "--data"])
        .arg(data);
    server::clear_voices_env(&mut cmd);
    let token = process::output(cmd)?;
    let token = token.trim();
    if token.is_empty() {
        bail!("`voices-collector token create` printed no token");
    }
    Ok(token.to_owned())
}

/// Downloads every response as NDJSON through the staff API; the number of rows.
async fn download(addr: std::net::SocketAddr, token: &str) -> Result<u64> {
    let mut connection = Connection::open(addr).await?;
    let request = connection
        .get(&format!(
            "/api/admin/surveys/{SURVEY_ID}/responses?format=ndjson"
        ))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(Full::default())?;
    let response = connection.send(request).await?;
    let status = response.status();
    let mut body = response.into_body();
    if status != StatusCode::OK {
        let text = body.collect().await?.to_bytes();
        bail!(
            "the download was answered {status}: {}",
            String::from_utf8_lossy(&text)
        );
    }
    let mut rows = 0;
    while let Some(frame) = body.frame().await {
        if let Some(chunk) = frame?.data_ref() {
            rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        }
    }
    connection.close().await;
    Ok(rows)
}

/// Runs `CONNECTIONS` clients for `duration`, reading the server's memory meanwhile.
/// `kept` holds each client's submissions to resend (the retry phase). Returns what
/// was measured and each client's latest stored submissions.
fn run_phase(
    runtime: &tokio::runtime::Runtime,
    server: &mut Server,
    phase: Phase,
    duration: Duration,
    bodies: &Arc<Bodies>,
    kept: Vec<Vec<Sent>>,
) -> Result<(Measured, Vec<Vec<Sent>>)> {
    let stored = Arc::new(AtomicU64::new(0));
    let at_start = server.rss()?;
    let start = Instant::now();
    let addr = server.addr;
    let clients: Vec<_> = kept
        .into_iter()
        .enumerate()
        .map(|(index, resend)| {
            let client = Client {
                addr,
                bodies: Arc::clone(bodies),
                index: index as u32,
                start,
                duration,
                phase,
                resend,
                stored: Arc::clone(&stored),
            };
            runtime.spawn(client.run())
        })
        .collect();
    // Memory as the phase starts, then every few seconds while the clients run.
    let mut memory = vec![Sample {
        at: Duration::ZERO,
        rss: at_start,
        stored: 0,
    }];
    while start.elapsed() < duration {
        std::thread::sleep(SAMPLE_EVERY.min(duration.saturating_sub(start.elapsed())));
        server.check_running()?;
        memory.push(Sample {
            at: start.elapsed(),
            rss: server.rss()?,
            stored: stored.load(Ordering::Relaxed),
        });
    }
    let mut log = Log::default();
    let mut kept = Vec::new();
    for task in clients {
        let mut part = runtime
            .block_on(task)
            .map_err(|e| anyhow!("a soak client stopped: {e}"))??;
        kept.push(std::mem::take(&mut part.kept).into());
        log.merge(part);
    }
    Ok((Measured { log, memory }, kept))
}

/// One connection sending its share of the rate on schedule, for `duration`.
struct Client {
    addr: std::net::SocketAddr,
    bodies: Arc<Bodies>,
    index: u32,
    start: Instant,
    duration: Duration,
    phase: Phase,
    /// The submissions this connection resends, in turn (the retry phase).
    resend: Vec<Sent>,
    /// Responses stored so far by every connection (the new phase).
    stored: Arc<AtomicU64>,
}

impl Client {
    async fn run(self) -> Result<Log> {
        let mut connection = Connection::open(self.addr).await?;
        let every = Duration::from_secs(1) * CONNECTIONS / RATE;
        // Clients start staggered, so the 200 a second arrive evenly, not in bursts.
        let offset = every * self.index / CONNECTIONS;
        let mut ticks = tokio::time::interval_at((self.start + offset).into(), every);
        // A late answer does not thin the schedule: the sends it held up go at once
        // after it, and each is timed from when it was due, not from when it could go
        // (otherwise a stall would hide the very waits it caused).
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        let path = format!("/api/surveys/{SURVEY_ID}/responses");
        let mut log = Log::default();
        let mut n = self.index as usize;
        let mut turn = 0;
        loop {
            let due = ticks.tick().await.into_std();
            if due.duration_since(self.start) >= self.duration {
                break;
            }
            let (body, want) = match self.phase {
                Phase::New => {
                    n += CONNECTIONS as usize;
                    (self.bodies.body(n), None)
                }
                Phase::Retry => {
                    let Some(again) = self.resend.get(turn % self.resend.len().max(1)) else {
                        break;
                    };
                    turn += 1;
                    (again.body.clone(), Some(again.receipt.as_str()))
                }
            };
            let request = connection
                .post_json(&path)
                .body(Full::new(Bytes::from(body.clone())))?;
            connection.ready().await?;
            let (status, answer) = connection
                .exchange(request)
                .await
                .context("the collector is stuck")?;
            let receipt = serde_json::from_slice::<Value>(&answer)
                .ok()
                .and_then(|v| v["receipt"].as_str().map(str::to_owned));
            let expected = match self.phase {
                Phase::New => StatusCode::CREATED,
                Phase::Retry => StatusCode::OK,
            };
            match receipt {
                Some(receipt) if status == expected && want.is_none_or(|w| w == receipt) => {
                    log.answers.push(Answer {
                        at: due.duration_since(self.start),
                        latency: due.elapsed(),
                    });
                    if self.phase == Phase::New {
                        self.stored.fetch_add(1, Ordering::Relaxed);
                        if log.kept.len() == KEPT {
                            log.kept.pop_front();
                        }
                        log.kept.push_back(Sent { body, receipt });
                    }
                }
                _ => log.refuse(format!(
                    "HTTP {status} where {expected} was due{}: {}",
                    want.map(|w| format!(" with receipt {w}"))
                        .unwrap_or_default(),
                    String::from_utf8_lossy(&answer)
                )),
            }
        }
        connection.close().await;
        Ok(log)
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn kb(bytes: f64) -> String {
    format!("{:.2} kB", bytes / 1e3)
}

/// Growth of the resident set per response stored between two samples, in bytes.
fn per_response(from: Sample, to: Sample) -> Option<f64> {
    let stored = to.stored.checked_sub(from.stored).filter(|n| *n > 0)?;
    Some((to.rss as f64 - from.rss as f64) / stored as f64)
}

/// The sample nearest `fraction` of the way through the phase.
fn sample_at(memory: &[Sample], duration: Duration, fraction: f64) -> Option<Sample> {
    let at = duration.mul_f64(fraction);
    memory
        .iter()
        .min_by_key(|sample| sample.at.abs_diff(at))
        .copied()
}

fn latencies(log: &Log) -> Vec<Duration> {
    let mut latencies: Vec<Duration> = log.answers.iter().map(|a| a.latency).collect();
    latencies.sort_unstable();
    latencies
}

fn markdown(plan: &Plan, soak: &Measured, retries: &Measured, base: Baseline) -> Result<String> {
    let seconds = plan.soak.as_secs();
    let latency = latencies(&soak.log);
    // Latency over time: the p99 of each fifth of the run.
    let fifth_p99: Vec<Option<Duration>> = (0..5u32)
        .map(|fifth| {
            let from = plan.soak * fifth / 5;
            let to = plan.soak * (fifth + 1) / 5;
            let mut part: Vec<Duration> = soak
                .log
                .answers
                .iter()
                .filter(|a| a.at >= from && a.at < to)
                .map(|a| a.latency)
                .collect();
            part.sort_unstable();
            (!part.is_empty()).then(|| percentile(&part, 99.0))
        })
        .collect();
    let fifths: Vec<String> = fifth_p99
        .iter()
        .map(|p99| p99.map_or("—".to_owned(), millis))
        .collect();
    let peak = soak.memory.iter().map(|s| s.rss).max().unwrap_or(0);
    // Memory per stored response over each fifth of the run: what it falls to late
    // in the run is the cost of the data, if nothing else grows.
    let marks: Vec<Option<Sample>> = (0..=5)
        .map(|fifth| sample_at(&soak.memory, plan.soak, f64::from(fifth) / 5.0))
        .collect();
    let by_fifth: Vec<String> = marks
        .windows(2)
        .skip(1)
        .map(|pair| match (pair[0], pair[1]) {
            (Some(from), Some(to)) => per_response(from, to).map_or("—".to_owned(), kb),
            _ => "—".to_owned(),
        })
        .collect();
    let stored = soak.log.answers.len() as u64;
    let late = match (
        sample_at(&soak.memory, plan.soak, 0.5),
        soak.memory.last().copied(),
    ) {
        (Some(from), Some(to)) => per_response(from, to),
        _ => None,
    };
    let data_cost = (base.reopened as f64 - base.empty as f64) / stored.max(1) as f64;
    let achieved = stored as f64 / plan.soak.as_secs_f64();

    let retry_latency = latencies(&retries.log);
    // The first reading is taken as the phase starts.
    let (retry_first, retry_last) = (
        retries.memory.first().map_or(0, |s| s.rss),
        retries.memory.last().map_or(0, |s| s.rss),
    );
    let retry_readings = retries.memory.len();
    let retry_growth = retry_last as f64 / retry_first.max(1) as f64 - 1.0;

    let mut out = String::new();
    writeln!(out, "## Soak")?;
    writeln!(out)?;
    writeln!(
        out,
        "The collector (built `--release`, durable, as in the ingest section) under a steady \
         {RATE} new submissions a second for {seconds} s: an open-loop load sent on a fixed \
         schedule over {CONNECTIONS} keep-alive connections, whatever the answers take. \
         Memory is the server's resident set (`VmRSS`), read every {} s. Then {} s at the \
         same rate of **retries**: each connection resends its last {KEPT} stored submissions \
         in turn, each of which must be answered 200 with the receipt it got first. A retry \
         does all of a request's work (parse, check, look up, compare) but stores nothing. \
         Last, the collector is stopped (SIGTERM) and **restarted on the same data**, and \
         its memory read once it has opened the store (what the stored responses \
         themselves cost, since sled 0.34 keeps an entry per page of its store in memory) \
         and again after it has sent every response once, as an NDJSON download through \
         the staff API (which fills its cache as the running collector's was; the row \
         count must equal the responses stored).",
        SAMPLE_EVERY.as_secs(),
        plan.retries.as_secs(),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Aim: **latency holds and memory does not grow without bound**. Memory must grow \
         with the stored data, since sled keeps a page table in memory, and up to its \
         cache's cap (16 MiB of sled's accounting). The section reads the aim as: no \
         errors; at least {:.0} % of the rate kept up; a p99 latency under {} over the \
         run, and in its last fifth at most {ALLOWED_P99_GROWTH:.0}× that of its first; \
         the running collector holding at most {:.0} % more memory than the restarted one \
         after it has read every response once (so everything it holds is explained by the \
         data and a full cache, not by time or requests); and the retries, which store \
         nothing, growing memory by at most {:.0} %. Latency is timed from when a request \
         was due to be sent: a connection whose answer comes late sends the requests it \
         owes at once after it, so a stall shows in the figures instead of thinning the \
         load.",
        MIN_RATE_SHARE * 100.0,
        millis(MAX_P99),
        ALLOWED_OVER_RESTARTED * 100.0,
        ALLOWED_RETRY_GROWTH * 100.0
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| new submissions answered 201 | rate | errors | p50 | p99 | max | p99 by fifth of the run | memory: empty, second fifth, last fifth, peak |"
    )?;
    writeln!(
        out,
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    )?;
    writeln!(
        out,
        "| {} | {achieved:.1}/s | {} | {} | {} | {} | {} | {}, {}, {}, {} |",
        thousands(stored),
        thousands(soak.log.errors),
        millis(percentile(&latency, 50.0)),
        millis(percentile(&latency, 99.0)),
        millis(*latency.last().unwrap_or(&Duration::ZERO)),
        fifths.join(" · "),
        mb(base.empty),
        mb(marks[2].map_or(0, |s| s.rss)),
        mb(marks[5].map_or(0, |s| s.rss)),
        mb(peak),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| memory per stored response, by fifth (second to last) | second half | the running collector, before its stop | restarted on the same data: opened · every response read once |"
    )?;
    writeln!(out, "| --- | ---: | ---: | --- |")?;
    writeln!(
        out,
        "| {} | {} | {} | {} ({} per stored response) · {} |",
        by_fifth.join(" · "),
        late.map_or("—".to_owned(), kb),
        mb(base.before_restart),
        mb(base.reopened),
        kb(data_cost),
        mb(base.read_once),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| retries answered 200 with their receipt | errors | p50 | p99 | memory: first and last reading | growth |"
    )?;
    writeln!(out, "| ---: | ---: | ---: | ---: | --- | ---: |")?;
    writeln!(
        out,
        "| {} | {} | {} | {} | {}, {} | {:+.1} % |",
        thousands(retries.log.answers.len() as u64),
        thousands(retries.log.errors),
        retry_latency
            .first()
            .map_or("—".to_owned(), |_| millis(percentile(
                &retry_latency,
                50.0
            ))),
        retry_latency
            .first()
            .map_or("—".to_owned(), |_| millis(percentile(
                &retry_latency,
                99.0
            ))),
        mb(retry_first),
        mb(retry_last),
        retry_growth * 100.0,
    )?;
    writeln!(out)?;
    for (what, log) in [("soak", &soak.log), ("retries", &retries.log)] {
        if let Some(error) = &log.first_error {
            writeln!(out, "The first error of the {what}: `{error}`.")?;
            writeln!(out)?;
        }
    }
    let errors = soak.log.errors + retries.log.errors;
    let mut unmet = Vec::new();
    if achieved < MIN_RATE_SHARE * f64::from(RATE) {
        unmet.push(format!(
            "it kept up {achieved:.1} submissions/s of the {RATE} due (at least {:.0} % must be)",
            MIN_RATE_SHARE * 100.0
        ));
    }
    let whole_p99 = (!latency.is_empty()).then(|| percentile(&latency, 99.0));
    if whole_p99.is_none_or(|p99| p99 > MAX_P99) {
        unmet.push(format!(
            "the p99 latency was {} (at most {} allowed)",
            whole_p99.map_or("—".to_owned(), millis),
            millis(MAX_P99)
        ));
    }
    match (fifth_p99[0], fifth_p99[4]) {
        (Some(first), Some(last))
            if last.as_secs_f64() <= ALLOWED_P99_GROWTH * first.as_secs_f64() => {}
        (first, last) => unmet.push(format!(
            "latency did not hold: the p99 of the last fifth was {} against {} in the first \
             (at most {ALLOWED_P99_GROWTH:.0}× allowed)",
            last.map_or("—".to_owned(), millis),
            first.map_or("—".to_owned(), millis)
        )),
    }
    if base.exported != stored {
        unmet.push(format!(
            "the restarted collector exported {} responses where {} were stored",
            thousands(base.exported),
            thousands(stored)
        ));
    }
    if errors > 0 {
        unmet.push(format!(
            "{} requests were not answered as due",
            thousands(errors)
        ));
    }
    let over_restarted = base.before_restart as f64 / base.read_once.max(1) as f64 - 1.0;
    if over_restarted > ALLOWED_OVER_RESTARTED {
        unmet.push(format!(
            "the running collector held {} ({:+.1} %) against {} for the restarted one that \
             had read every response",
            mb(base.before_restart),
            over_restarted * 100.0,
            mb(base.read_once)
        ));
    }
    if retry_readings < 2 {
        unmet.push("too few memory readings during the retries to judge them".to_owned());
    } else if retry_growth > ALLOWED_RETRY_GROWTH {
        unmet.push(format!(
            "memory grew {:.1} % during the retries, which store nothing",
            retry_growth * 100.0
        ));
    }
    if unmet.is_empty() {
        writeln!(
            out,
            "**Met:** no errors; {achieved:.1} submissions/s kept up; p99 {} overall and {} in \
             the last fifth against {} in the first; the running collector held {} ({:+.1} %) \
             against {} for one restarted on the same data that had read every response once, \
             and its memory changed {:+.1} % during the retries.",
            whole_p99.map_or("—".to_owned(), millis),
            fifth_p99[4].map_or("—".to_owned(), millis),
            fifth_p99[0].map_or("—".to_owned(), millis),
            mb(base.before_restart),
            over_restarted * 100.0,
            mb(base.read_once),
            retry_growth * 100.0
        )?;
    } else {
        writeln!(out, "**Not met:** {}.", unmet.join("; "))?;
    }
    Ok(out)
}
