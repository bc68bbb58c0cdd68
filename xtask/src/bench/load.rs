//! The load generator: closed-loop HTTP/1.1 clients on keep-alive connections, timing every submission.
//!
//! Each client opens one connection and sends the next submission as soon as the
//! answer to the last one has been read, like a crowd of phones each waiting for
//! its receipt. Everything sent during the warm-up is checked but not timed; the
//! measured window counts the requests that *start* inside it, and runs until the
//! last of them is answered, so no request is cut off half-way.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::ORIGIN;

use super::stats::percentile;
use super::submission::{Bodies, SURVEY_ID};
use crate::http_client::Connection;

/// The page the widget is embedded in; engagement-2026 allows any origin.
const PARTNER_ORIGIN: &str = "https://partner.example";

pub struct Plan {
    /// The servers to send to: client `i` connects to the `i mod n`th, so several servers
    /// share the clients as a round-robin balancer in front of them would share connections.
    pub addrs: Vec<SocketAddr>,
    pub clients: usize,
    pub warmup: Duration,
    pub measure: Duration,
}

/// What one run measured.
pub struct Outcome {
    /// Submissions started in the measured window and answered with a 2xx.
    pub successes: u64,
    /// From the start of the window to the last of those answers.
    pub elapsed: Duration,
    /// Their latencies, sorted.
    latencies: Vec<Duration>,
    /// Every request sent, warm-up included.
    pub sent: u64,
    /// Everything that was not a 2xx with a receipt, warm-up included: what, and how often.
    pub errors: BTreeMap<String, u64>,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.successes as f64 / self.elapsed.as_secs_f64()
    }
    pub fn latency(&self, p: f64) -> Duration {
        percentile(&self.latencies, p)
    }
    pub fn max_latency(&self) -> Duration {
        *self.latencies.last().expect("checked in run")
    }
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Drives `plan.clients` clients against `plan.addrs` for the warm-up and the window.
pub fn run(plan: &Plan, bodies: &Arc<Bodies>) -> Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    if plan.addrs.is_empty() {
        return Err(anyhow!("no server to send to"));
    }
    let window = Window::from_now(plan.warmup, plan.measure);
    let logs = runtime.block_on(async {
        let tasks: Vec<_> = (0..plan.clients)
            .map(|index| {
                let client = Client {
                    addr: plan.addrs[index % plan.addrs.len()],
                    bodies: Arc::clone(bodies),
                    first: index,
                    step: plan.clients,
                    window,
                };
                tokio::spawn(client.run())
            })
            .collect();
        let mut logs = Vec::with_capacity(tasks.len());
        for task in tasks {
            logs.push(
                task.await
                    .map_err(|e| anyhow!("a load client stopped: {e}"))?,
            );
        }
        anyhow::Ok(logs)
    })?;

    Outcome::of(window, plan.measure, logs)
}

impl Outcome {
    /// What the clients' logs add up to, for the window they were timed in.
    pub fn of(window: Window, measure: Duration, logs: Vec<ClientLog>) -> Result<Outcome> {
        let mut outcome = Outcome {
            successes: 0,
            elapsed: measure,
            latencies: Vec::new(),
            sent: 0,
            errors: BTreeMap::new(),
        };
        let mut last_answer = None;
        for log in logs {
            outcome.sent += log.sent;
            outcome.latencies.extend(log.latencies);
            for (what, count) in log.errors {
                *outcome.errors.entry(what).or_default() += count;
            }
            last_answer = last_answer.max(log.last_answer);
        }
        outcome.successes = outcome.latencies.len() as u64;
        if outcome.successes == 0 {
            return Err(anyhow!(
                "no submission succeeded in the measured window; errors: {:?}",
                outcome.errors
            ));
        }
        outcome.latencies.sort_unstable();
        if let Some(last) = last_answer {
            outcome.elapsed = last.duration_since(window.start).max(measure);
        }
        Ok(outcome)
    }
}

/// The measured window: requests that start inside it are timed.
#[derive(Clone, Copy)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

impl Window {
    /// A window that opens after `warmup` from now and lasts `measure`.
    pub fn from_now(warmup: Duration, measure: Duration) -> Window {
        let start = Instant::now() + warmup;
        Window {
            start,
            end: start + measure,
        }
    }
}

struct Client {
    addr: SocketAddr,
    bodies: Arc<Bodies>,
    /// This client sends bodies `first`, `first + step`, ...: the answer sets are
    /// spread across clients rather than all clients sending the same one at once.
    first: usize,
    step: usize,
    window: Window,
}

/// What one client saw.
#[derive(Default)]
pub struct ClientLog {
    /// Requests sent and answered, warm-up included.
    pub sent: u64,
    /// Latencies of the successes started in the window.
    pub latencies: Vec<Duration>,
    pub last_answer: Option<Instant>,
    /// Everything that was not a success: what, and how often.
    pub errors: BTreeMap<String, u64>,
}

impl Client {
    async fn run(self) -> ClientLog {
        let mut log = ClientLog::default();
        if let Err(error) = self.drive(&mut log).await {
            *log.errors.entry(format!("{error:#}")).or_default() += 1;
        }
        log
    }

    /// Sends submissions until the window closes; a transport error ends the client
    /// (and, being an error, fails the benchmark).
    async fn drive(&self, log: &mut ClientLog) -> Result<()> {
        let mut connection = Connection::open(self.addr).await?;
        let path = format!("/api/surveys/{SURVEY_ID}/responses");
        let mut n = self.first;
        loop {
            let request = connection
                .post_json(&path)
                .header(ORIGIN, PARTNER_ORIGIN)
                .body(Full::new(Bytes::from(self.bodies.body(n))))?;
            n += self.step;
            connection.ready().await?;
            let sent = Instant::now();
            if sent >= self.window.end {
                break;
            }
            let (status, body) = connection
                .exchange(request)
                .await
                .context("sending a submission")?;
            let answered = Instant::now();
            log.sent += 1;

            let receipt = body.windows(9).any(|w| w == b"\"receipt\"");
            if !status.is_success() || !receipt {
                let text = String::from_utf8_lossy(&body);
                let text: String = text.chars().take(200).collect();
                *log.errors
                    .entry(format!("HTTP {status}: {text}"))
                    .or_default() += 1;
            } else if sent >= self.window.start {
                log.latencies.push(answered - sent);
                log.last_answer = Some(answered);
            }
        }
        connection.close().await;
        Ok(())
    }
}
