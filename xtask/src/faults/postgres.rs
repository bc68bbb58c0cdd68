//! `faults` on PostgreSQL: the collector SIGKILLed under load; the database crashed (`pg_ctl stop -m immediate`) and started again under load; and two collectors on one database, each sent every submission at the same moment, one of them SIGKILLed. Every acknowledged response must be stored once, with the receipt it was acknowledged with.
//!
//! All three run on one throwaway cluster ([`crate::postgres`], with fsync and
//! `synchronous_commit` on), each on a database of its own.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use http_body_util::Full;
use hyper::StatusCode;
use hyper::body::Bytes;
use serde_json::Value;

use super::{Check, Harness, export, healthy, random_in, submission_id};
use crate::bench::submission::SURVEY_ID;
use crate::http_client::Connection;
use crate::postgres::Cluster;
use crate::server::{Server, Storage, log_tail};

/// Clients of the database crash, each on its own keep-alive connection.
const OUTAGE_CLIENTS: usize = 16;
/// The crash comes this long after the load starts.
const CRASH_AFTER_MS: std::ops::Range<u64> = 200..1200;
/// How long the database stays down.
const OUTAGE: Duration = Duration::from_secs(2);
/// After the database is back, the load goes on until this many more submissions
/// are acknowledged (the collector has recovered by itself), or fails after [`RECOVERY`].
const AFTER_RECOVERY: u64 = 200;
const RECOVERY: Duration = Duration::from_secs(30);
/// A client waits this long between two tries of a submission answered 503.
const RETRY_PAUSE: Duration = Duration::from_millis(50);

/// Clients of the two collectors, each with a connection to both (issue 14: 64).
const PAIR_CLIENTS: usize = 64;
/// One of the two is killed this long after the load starts...
const PAIR_KILL_AFTER_MS: std::ops::Range<u64> = 500..1500;
/// ... and started again; the load goes on this long after that.
const PAIR_AFTER_RESTART: Duration = Duration::from_millis(1500);

pub fn run(harness: &Harness<'_>, scratch: &Path, trials: usize) -> Result<()> {
    let mut cluster = Cluster::throwaway(scratch)?;
    println!(
        "\nfaults on PostgreSQL ({}, fsync and synchronous_commit on)",
        cluster.version()?
    );
    let logs = tempfile::Builder::new()
        .prefix("postgres-logs-")
        .tempdir_in(scratch)
        .context("a directory for the collectors' logs")?;

    if trials > 0 {
        let url = cluster.create_database("kills")?;
        println!("\nSIGKILL of the collector on PostgreSQL: {trials} trials");
        harness.kill_trials(
            Storage::Database(&url),
            &logs.path().join("kills.log"),
            trials,
        )?;
    }

    let url = cluster.create_database("outage")?;
    outage(harness, &mut cluster, &url, &logs.path().join("outage.log"))?;

    let url = cluster.create_database("pair")?;
    pair(harness, &url, &logs.path().join("pair.log"))?;
    Ok(())
}

/// What the clients of the database crash saw.
#[derive(Default)]
struct Outage {
    /// Submission id → receipt, for every 2xx.
    acknowledged: HashMap<String, String>,
    /// Sent, and never answered 2xx before the clients stopped.
    unanswered: HashSet<String>,
    /// Answers other than 2xx and 503: status and body.
    refused: Vec<String>,
    /// 503s, each followed by a retry of the same submission.
    unavailable: u64,
}

/// One collector under load; the database is crashed and started again; the collector
/// must answer 503 meanwhile (clients send the same submission again) and recover by
/// itself, without a restart.
fn outage(harness: &Harness<'_>, cluster: &mut Cluster, url: &str, log: &Path) -> Result<()> {
    let mut collector =
        Server::collector_in(harness.binary, harness.root, Storage::Database(url), log)?;
    harness
        .runtime
        .block_on(healthy(collector.addr))
        .with_context(|| {
            format!(
                "the collector on PostgreSQL is not healthy{}",
                log_tail(log)
            )
        })?;
    let seen = Arc::new(Mutex::new(Outage::default()));
    let acknowledged = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..OUTAGE_CLIENTS)
        .map(|first| {
            let client = OutageClient {
                addr: collector.addr,
                bodies: Arc::clone(harness.bodies),
                first,
                seen: Arc::clone(&seen),
                acknowledged: Arc::clone(&acknowledged),
                stop: Arc::clone(&stop),
            };
            harness.runtime.spawn(client.run())
        })
        .collect();

    let crash_after = Duration::from_millis(random_in(CRASH_AFTER_MS));
    std::thread::sleep(crash_after);
    cluster.crash()?;
    // Counted from when the server is gone: only a batch whose commit came before that
    // may still be answered 2xx.
    let before_crash = acknowledged.load(Ordering::SeqCst);
    std::thread::sleep(OUTAGE);
    let during = acknowledged.load(Ordering::SeqCst) - before_crash;
    cluster.start()?;
    let restarted = Instant::now();
    let at_restart = acknowledged.load(Ordering::SeqCst);
    while acknowledged.load(Ordering::SeqCst) < at_restart + AFTER_RECOVERY {
        if restarted.elapsed() > RECOVERY {
            stop.store(true, Ordering::SeqCst);
            bail!(
                "the collector did not take submissions again within {} s of the database's restart{}",
                RECOVERY.as_secs(),
                log_tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let recovered_in = restarted.elapsed();
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        harness
            .runtime
            .block_on(client)
            .context("an outage client stopped")?;
    }
    collector.check_running()?;
    let seen = Arc::into_inner(seen)
        .context("the outage clients are done")?
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());

    let exported = export(harness.binary, Storage::Database(url))?;
    let acknowledged: HashMap<String, String> = seen.acknowledged;
    let check = Check::of(&acknowledged, &seen.unanswered, &exported);
    println!(
        "database crashed {} ms into the load, down for {} s: {} acknowledged while it was down, \
         {} answers 503 (each sent again); the collector took submissions again {} ms after the \
         restart. {} acknowledged in all: found {}, lost {}, doubled {}, never sent {}",
        crash_after.as_millis(),
        OUTAGE.as_secs(),
        during,
        seen.unavailable,
        recovered_in.as_millis(),
        acknowledged.len(),
        check.found,
        check.lost.len(),
        check.doubled,
        check.never_sent,
    );
    if !seen.refused.is_empty() {
        bail!(
            "the collector refused submissions around the database's crash: {:?}{}",
            &seen.refused[..seen.refused.len().min(5)],
            log_tail(log)
        );
    }
    if seen.unavailable == 0 {
        bail!(
            "no submission was answered 503 while the database was down: the crash missed the load"
        );
    }
    if during > OUTAGE_CLIENTS as u64 {
        bail!(
            "{during} submissions were acknowledged while the database was down (at most the \
             {OUTAGE_CLIENTS} in flight at the crash may be)"
        );
    }
    check.fail_if_broken("across the database's crash")?;
    collector.stop()
}

struct OutageClient {
    addr: SocketAddr,
    bodies: Arc<crate::bench::submission::Bodies>,
    first: usize,
    seen: Arc<Mutex<Outage>>,
    acknowledged: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl OutageClient {
    /// New submissions one after another until told to stop; each is sent again after a
    /// 503 (or a lost connection) until it is acknowledged.
    async fn run(self) {
        let record = |f: &mut dyn FnMut(&mut Outage)| {
            f(&mut self.seen.lock().unwrap_or_else(|p| p.into_inner()))
        };
        let path = format!("/api/surveys/{SURVEY_ID}/responses");
        let mut connection: Option<Connection> = None;
        for n in (self.first..).step_by(OUTAGE_CLIENTS) {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let body = self.bodies.body(n);
            let id = submission_id(&body);
            let deadline = Instant::now() + RECOVERY;
            loop {
                if Instant::now() > deadline {
                    record(&mut |o| {
                        o.unanswered.insert(id.clone());
                    });
                    return;
                }
                let answer = match connection.as_mut() {
                    Some(open) => send(open, &path, &body).await,
                    None => match Connection::open(self.addr).await {
                        Ok(open) => send(connection.insert(open), &path, &body).await,
                        Err(error) => Err(error),
                    },
                };
                match answer {
                    Ok((status, Some(receipt))) if status.is_success() => {
                        record(&mut |o| {
                            o.acknowledged.insert(id.clone(), receipt.clone());
                        });
                        self.acknowledged.fetch_add(1, Ordering::SeqCst);
                        break;
                    }
                    Ok((StatusCode::SERVICE_UNAVAILABLE, _)) => {
                        record(&mut |o| o.unavailable += 1);
                        tokio::time::sleep(RETRY_PAUSE).await;
                    }
                    Ok((status, _)) => {
                        record(&mut |o| {
                            o.refused.push(format!("{status}"));
                            o.unanswered.insert(id.clone());
                        });
                        return;
                    }
                    // The connection closed (an idle one timed out): the same again on a new one.
                    Err(_) => {
                        connection = None;
                        tokio::time::sleep(RETRY_PAUSE).await;
                    }
                }
            }
        }
    }
}

/// Sends one submission and reads the answer: its status, and its receipt if it has one.
async fn send(
    connection: &mut Connection,
    path: &str,
    body: &str,
) -> Result<(StatusCode, Option<String>)> {
    let request = connection
        .post_json(path)
        .body(Full::new(Bytes::from(body.to_owned())))?;
    connection.ready().await?;
    let (status, answer) = connection.exchange(request).await?;
    let receipt = serde_json::from_slice::<Value>(&answer)
        .ok()
        .and_then(|v| v["receipt"].as_str().map(str::to_owned));
    Ok((status, receipt))
}

/// What one collector answered a submission: its status and receipt, or nothing (its
/// connection broke, or it was down).
type Answer = Option<(StatusCode, Option<String>)>;

/// What the pair's clients saw: per submission id, the two collectors' answers.
#[derive(Default)]
struct PairLog {
    answers: HashMap<String, [Answer; 2]>,
}

/// Two collectors on one database; every submission is sent to both at the same moment;
/// one of them is SIGKILLed mid-run and started again.
fn pair(harness: &Harness<'_>, url: &str, log: &Path) -> Result<()> {
    let mut servers = Vec::with_capacity(2);
    for _ in 0..2 {
        let server =
            Server::collector_in(harness.binary, harness.root, Storage::Database(url), log)?;
        harness
            .runtime
            .block_on(healthy(server.addr))
            .with_context(|| format!("a collector of the pair is not healthy{}", log_tail(log)))?;
        servers.push(server);
    }
    let addresses: Arc<[RwLock<SocketAddr>; 2]> =
        Arc::new([RwLock::new(servers[0].addr), RwLock::new(servers[1].addr)]);
    let seen = Arc::new(Mutex::new(PairLog::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..PAIR_CLIENTS)
        .map(|first| {
            let client = PairClient {
                addresses: Arc::clone(&addresses),
                bodies: Arc::clone(harness.bodies),
                first,
                seen: Arc::clone(&seen),
                stop: Arc::clone(&stop),
            };
            harness.runtime.spawn(client.run())
        })
        .collect();

    let kill_after = Duration::from_millis(random_in(PAIR_KILL_AFTER_MS));
    let victim = usize::from(random_in(0..2) == 1);
    std::thread::sleep(kill_after);
    servers[victim].kill()?;
    // Clients meet the dead one while it is down, then find it again on its new port.
    servers[victim].start_again()?;
    *addresses[victim].write().unwrap_or_else(|p| p.into_inner()) = servers[victim].addr;
    std::thread::sleep(PAIR_AFTER_RESTART);
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        harness
            .runtime
            .block_on(client)
            .context("a client of the pair stopped")?;
    }
    for server in &mut servers {
        server.check_running()?;
    }
    let seen = Arc::into_inner(seen)
        .context("the pair's clients are done")?
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());

    // What the clients were told: one receipt per submission, however many answered.
    let mut acknowledged = HashMap::new();
    let mut unanswered = HashSet::new();
    let (mut both, mut one, mut created_twice, mut two_receipts) = (0, 0, 0, 0);
    let mut refused = Vec::new();
    for (id, answers) in &seen.answers {
        let mut receipts: Vec<&String> = Vec::new();
        let mut created = 0;
        for (side, answer) in answers.iter().enumerate() {
            match answer {
                Some((status, Some(receipt))) if status.is_success() => {
                    receipts.push(receipt);
                    if *status == StatusCode::CREATED {
                        created += 1;
                    }
                }
                Some((status, _)) => refused.push(format!("collector {}: {status}", side + 1)),
                None => {}
            }
        }
        match receipts.as_slice() {
            [] => {
                unanswered.insert(id.clone());
            }
            [receipt] => {
                one += 1;
                acknowledged.insert(id.clone(), (*receipt).clone());
            }
            [first, second, ..] => {
                both += 1;
                if first != second {
                    two_receipts += 1;
                }
                acknowledged.insert(id.clone(), (*first).clone());
            }
        }
        if created > 1 {
            created_twice += 1;
        }
    }
    let exported = export(harness.binary, Storage::Database(url))?;
    let check = Check::of(&acknowledged, &unanswered, &exported);
    println!(
        "two collectors on one database, {PAIR_CLIENTS} clients each sending every submission \
         to both at once; collector {} SIGKILLed {} ms in and started again: {} submissions, \
         {both} answered by both, {one} by one, {} by neither; {two_receipts} given two \
         receipts, {created_twice} stored by both; found {}, lost {}, doubled {}, never sent {}",
        victim + 1,
        kill_after.as_millis(),
        seen.answers.len(),
        unanswered.len(),
        check.found,
        check.lost.len(),
        check.doubled,
        check.never_sent,
    );
    if !refused.is_empty() {
        bail!(
            "the pair refused submissions: {:?}{}",
            &refused[..refused.len().min(5)],
            log_tail(log)
        );
    }
    if two_receipts > 0 || created_twice > 0 {
        bail!(
            "{two_receipts} submissions got two different receipts and {created_twice} were \
             answered 201 (stored) by both collectors"
        );
    }
    if both == 0 {
        bail!("no submission was answered by both collectors, so nothing was tested");
    }
    check.fail_if_broken("across a SIGKILL of one of two collectors")?;
    for server in &mut servers {
        server.stop()?;
    }
    Ok(())
}

struct PairClient {
    addresses: Arc<[RwLock<SocketAddr>; 2]>,
    bodies: Arc<crate::bench::submission::Bodies>,
    first: usize,
    seen: Arc<Mutex<PairLog>>,
    stop: Arc<AtomicBool>,
}

impl PairClient {
    /// New submissions one after another until told to stop, each sent to both
    /// collectors at the same moment; a collector whose connection broke is connected
    /// to again (at its address then) for the next submission.
    async fn run(self) {
        let path = format!("/api/surveys/{SURVEY_ID}/responses");
        let mut connections: [Option<Connection>; 2] = [None, None];
        for n in (self.first..).step_by(PAIR_CLIENTS) {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            for (side, connection) in connections.iter_mut().enumerate() {
                if connection.is_none() {
                    let addr = *self.addresses[side]
                        .read()
                        .unwrap_or_else(|p| p.into_inner());
                    *connection = Connection::open(addr).await.ok();
                }
            }
            let body = self.bodies.body(n);
            let id = submission_id(&body);
            let [first, second] = &mut connections;
            let (a, b) = tokio::join!(
                send_if_open(first, &path, &body),
                send_if_open(second, &path, &body)
            );
            self.seen
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .answers
                .insert(id, [a, b]);
        }
    }
}

/// Sends on `connection` if there is one; a transport error closes it (`None`).
async fn send_if_open(connection: &mut Option<Connection>, path: &str, body: &str) -> Answer {
    let open = connection.as_mut()?;
    match send(open, path, body).await {
        Ok(answer) => Some(answer),
        Err(_) => {
            *connection = None;
            None
        }
    }
}
