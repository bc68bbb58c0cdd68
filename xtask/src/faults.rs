//! `faults`: crash consistency. Trials of SIGKILL at a random moment under concurrent submissions; every acknowledged receipt must be exported exactly once.
//!
//! One data directory serves every trial, so each trial also restarts the
//! collector on a directory the previous trial killed it on. A trial starts
//! the release collector, checks `/healthz`, drives concurrent submissions
//! from keep-alive connections, SIGKILLs the collector at a random moment,
//! and reopens the directory with `voices-collector export --format ndjson`
//! (which needs the collector stopped: the directory is locked while it
//! runs). Everything acknowledged so far must be there once, with its own
//! submission id; nothing may be there that was never sent.
//!
//! The same trials then run on PostgreSQL, with the database's own faults
//! beside them ([`postgres`]).

mod postgres;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::Value;

// The bench's realistic engagement-2026 bodies, each with a fresh submission id.
use crate::bench::submission::{Bodies, SURVEY_ID};
use crate::http_client::{ANSWER_TIMEOUT, Connection};
use crate::server::{self, Server, Storage, log_tail};
use crate::{Locked, process};

/// Concurrent submitters, each on its own keep-alive connection.
const CLIENTS: usize = 16;
/// The kill comes this long after the load starts, drawn uniformly: early
/// kills land mid-start-up of the load, late ones among long queues.
const KILL_AFTER_MS: std::ops::Range<u64> = 20..1500;

/// Which stores the faults run on.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Stores {
    Sled,
    Postgres,
    Both,
}

pub fn run(root: &Path, trials: usize, postgres_trials: usize, stores: Stores) -> Result<()> {
    if trials == 0 && stores != Stores::Postgres {
        bail!("--trials must be at least 1");
    }
    process::run(process::cargo(
        root,
        Locked::No,
        &["build", "--release", "-p", "voices-collector", "--bins"],
    ))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let binary = target.join("release/voices-collector");
    // On the disk the build is on, as a real data directory would be: a
    // memory-backed /tmp would make every fsync free and prove nothing.
    let scratch_parent = target.join("xtask/faults");
    fs::create_dir_all(&scratch_parent)
        .with_context(|| format!("creating {}", scratch_parent.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the load generator's runtime")?;
    let bodies = Arc::new(Bodies::new());
    let harness = Harness {
        root,
        binary: &binary,
        runtime: &runtime,
        bodies: &bodies,
    };

    if stores != Stores::Postgres {
        let scratch = tempfile::Builder::new()
            .prefix("faults-")
            .tempdir_in(&scratch_parent)
            .with_context(|| format!("creating a directory in {}", scratch_parent.display()))?;
        let data = scratch.path().join("data");
        let log = scratch.path().join("collector.log");
        if let Err(error) = harness.kill_trials(Storage::Directory(&data), &log, trials) {
            return Err(error.context(format!("data kept in {}", scratch.keep().display())));
        }
    }
    if stores != Stores::Sled {
        postgres::run(&harness, &scratch_parent, postgres_trials)?;
    }
    Ok(())
}

/// What every fault needs: the release collector, a runtime for the clients, and bodies.
struct Harness<'a> {
    root: &'a Path,
    binary: &'a Path,
    runtime: &'a tokio::runtime::Runtime,
    bodies: &'a Arc<Bodies>,
}

impl Harness<'_> {
    /// `trials` times: the collector on `storage` (kept across trials) under load,
    /// SIGKILLed at a random moment; every acknowledged receipt so far must be exported
    /// once.
    fn kill_trials(&self, storage: Storage<'_>, log: &Path, trials: usize) -> Result<()> {
        let (binary, root, runtime) = (self.binary, self.root, self.runtime);
        // Everything acknowledged in any trial: submission id → receipt.
        let mut acknowledged: HashMap<String, String> = HashMap::new();
        // Submissions sent but never answered (in flight at a kill): they may be stored.
        let mut in_flight: HashSet<String> = HashSet::new();
        let mut totals = Totals::default();
        let place = match storage {
            Storage::Directory(data) => format!("data in {}", data.display()),
            Storage::Database(url) => format!("database {url}"),
        };
        println!(
            "faults: {trials} trials, {CLIENTS} clients, SIGKILL {}–{} ms into each; {place}",
            KILL_AFTER_MS.start, KILL_AFTER_MS.end,
        );
        for trial in 1..=trials {
            let mut collector = Server::collector_in(binary, root, storage, log)?;
            runtime.block_on(healthy(collector.addr)).with_context(|| {
                format!(
                    "trial {trial}: the collector restarted after a kill is not healthy{}",
                    log_tail(log)
                )
            })?;

            let kill_after = Duration::from_millis(random_in(KILL_AFTER_MS));
            let load = runtime.block_on(drive(
                collector.addr,
                self.bodies,
                kill_after,
                &mut collector,
            ))?;
            if !load.refused.is_empty() {
                bail!(
                    "trial {trial}: the collector refused submissions before the kill: {:?}{}",
                    load.refused,
                    log_tail(log)
                );
            }
            for (id, receipt) in &load.acknowledged {
                if let Some(before) = acknowledged.insert(id.clone(), receipt.clone()) {
                    bail!("trial {trial}: {id} was acknowledged twice, as {before} and {receipt}");
                }
            }
            in_flight.extend(load.unanswered.iter().cloned());

            let exported = export(binary, storage).with_context(|| {
                format!("trial {trial}: the store did not open cleanly after SIGKILL")
            })?;
            let check = Check::of(&acknowledged, &in_flight, &exported);
            println!(
                "trial {trial:>2}: killed after {:>4} ms; {:>5} acknowledged this trial, {:>2} in flight; \
                 {} acknowledged in all: found {}, lost {}, doubled {}, never sent {}",
                kill_after.as_millis(),
                load.acknowledged.len(),
                load.unanswered.len(),
                acknowledged.len(),
                check.found,
                check.lost.len(),
                check.doubled,
                check.never_sent,
            );
            for (id, receipt) in check.lost.iter().take(10) {
                println!("    lost: receipt {receipt} (submission {id})");
            }
            totals = Totals {
                acknowledged: acknowledged.len(),
                found: check.found,
                lost: check.lost.len(),
                doubled: check.doubled,
                never_sent: check.never_sent,
            };
            if check.failed() {
                break;
            }
        }

        // The last kill's store opens for serving too, and stops cleanly.
        if !totals.failed() {
            let mut collector = Server::collector_in(binary, root, storage, log)?;
            runtime.block_on(healthy(collector.addr)).with_context(|| {
                format!(
                    "the collector restarted after the last trial is not healthy{}",
                    log_tail(log)
                )
            })?;
            let status = collector.terminate()?;
            if !status.success() {
                bail!(
                    "the collector stopped with {status} after SIGTERM{}",
                    log_tail(log)
                );
            }
        }

        println!(
            "\nfaults: trials {trials}, acknowledged {}, found {}, lost {}, doubled {}",
            totals.acknowledged, totals.found, totals.lost, totals.doubled
        );
        if totals.failed() {
            bail!(
                "crash consistency broken: {} acknowledged responses lost, {} stored twice, {} stored but never sent",
                totals.lost,
                totals.doubled,
                totals.never_sent,
            );
        }
        if totals.acknowledged == 0 {
            bail!("no submission was acknowledged in any trial, so nothing was tested");
        }
        Ok(())
    }
}

#[derive(Default)]
struct Totals {
    acknowledged: usize,
    found: usize,
    lost: usize,
    doubled: usize,
    never_sent: usize,
}

impl Totals {
    fn failed(&self) -> bool {
        self.lost > 0 || self.doubled > 0 || self.never_sent > 0
    }
}

/// What the export holds against what was acknowledged.
struct Check {
    /// Acknowledged and there once, with the receipt it was acknowledged with.
    found: usize,
    /// Acknowledged and missing (or there under another receipt): submission id, receipt.
    lost: Vec<(String, String)>,
    /// Extra copies: a receipt or a submission id more than once.
    doubled: usize,
    /// Stored although neither acknowledged nor in flight at a kill.
    never_sent: usize,
}

impl Check {
    fn of(
        acknowledged: &HashMap<String, String>,
        in_flight: &HashSet<String>,
        exported: &[(String, String)],
    ) -> Check {
        let mut by_submission: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut receipts: HashMap<&str, usize> = HashMap::new();
        for (id, receipt) in exported {
            by_submission.entry(id).or_default().push(receipt);
            *receipts.entry(receipt).or_default() += 1;
        }
        let doubled = by_submission
            .values()
            .map(|r| r.len() - 1)
            .chain(receipts.values().map(|n| n - 1))
            .sum();
        let mut found = 0;
        let mut lost = Vec::new();
        for (id, receipt) in acknowledged {
            match by_submission.get(id.as_str()) {
                Some(stored) if stored.contains(&receipt.as_str()) => found += 1,
                _ => lost.push((id.clone(), receipt.clone())),
            }
        }
        let never_sent = by_submission
            .keys()
            .filter(|id| !acknowledged.contains_key(**id) && !in_flight.contains(**id))
            .count();
        Check {
            found,
            lost,
            doubled,
            never_sent,
        }
    }

    fn failed(&self) -> bool {
        !self.lost.is_empty() || self.doubled > 0 || self.never_sent > 0
    }

    /// An error naming what broke, `when`, if anything did.
    fn fail_if_broken(&self, when: &str) -> Result<()> {
        if self.failed() {
            let lost: Vec<String> = self
                .lost
                .iter()
                .take(5)
                .map(|(id, receipt)| format!("{receipt} (submission {id})"))
                .collect();
            bail!(
                "crash consistency broken {when}: {} acknowledged responses lost ({}), {} stored \
                 twice, {} stored but never sent",
                self.lost.len(),
                lost.join(", "),
                self.doubled,
                self.never_sent
            );
        }
        Ok(())
    }
}

/// What the clients saw in one trial.
#[derive(Default)]
struct Load {
    /// Submission id → receipt, for every 2xx.
    acknowledged: Vec<(String, String)>,
    /// Sent, and the connection died before an answer.
    unanswered: Vec<String>,
    /// Anything but a 2xx before the kill: status and body.
    refused: Vec<String>,
}

/// Runs the clients, SIGKILLs the collector `kill_after` in, and waits for
/// every client to notice.
async fn drive(
    addr: SocketAddr,
    bodies: &Arc<Bodies>,
    kill_after: Duration,
    collector: &mut Server,
) -> Result<Load> {
    let load = Arc::new(Mutex::new(Load::default()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|first| {
            let bodies = Arc::clone(bodies);
            let load = Arc::clone(&load);
            tokio::spawn(async move { submit_until_gone(addr, &bodies, first, &load).await })
        })
        .collect();
    tokio::time::sleep(kill_after).await;
    collector.kill()?;
    for client in clients {
        tokio::time::timeout(ANSWER_TIMEOUT, client)
            .await
            .map_err(|_| {
                anyhow!(
                    "a client did not notice the kill within {} s",
                    ANSWER_TIMEOUT.as_secs()
                )
            })?
            .map_err(|e| anyhow!("a client stopped: {e}"))?;
    }
    let load = Arc::into_inner(load).expect("the clients are done");
    Ok(load
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// Sends submissions one after another on one connection until it breaks.
async fn submit_until_gone(addr: SocketAddr, bodies: &Bodies, first: usize, load: &Mutex<Load>) {
    let record = |f: &dyn Fn(&mut Load)| f(&mut load.lock().unwrap_or_else(|p| p.into_inner()));
    let Ok(mut connection) = Connection::open(addr).await else {
        return;
    };
    let path = format!("/api/surveys/{SURVEY_ID}/responses");
    for n in (first..).step_by(CLIENTS) {
        let body = bodies.body(n);
        let id = submission_id(&body);
        let Ok(request) = connection
            .post_json(&path)
            .body(Full::new(Bytes::from(body)))
        else {
            return;
        };
        if connection.ready().await.is_err() {
            return;
        }
        match connection.exchange(request).await {
            Ok((status, body)) if status.is_success() => {
                let receipt = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|v| v["receipt"].as_str().map(str::to_owned));
                match receipt {
                    Some(receipt) => {
                        record(&|l| l.acknowledged.push((id.clone(), receipt.clone())))
                    }
                    None => record(&|l| l.refused.push(format!("{status} without a receipt"))),
                }
            }
            Ok((status, body)) => {
                let text: String = String::from_utf8_lossy(&body).chars().take(200).collect();
                record(&|l| l.refused.push(format!("{status}: {text}")));
                return;
            }
            // The collector is gone: this one may or may not have been stored.
            Err(_) => {
                record(&|l| l.unanswered.push(id.clone()));
                return;
            }
        }
    }
}

fn submission_id(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["submission_id"].as_str().map(str::to_owned))
        .expect("the bench's bodies carry a submission_id")
}

/// `GET /healthz` must answer 200: the store opened, took a write and flushed it.
async fn healthy(addr: SocketAddr) -> Result<()> {
    let mut connection = Connection::open(addr).await?;
    let request = connection.get("/healthz").body(Full::default())?;
    let (status, body) = connection
        .exchange(request)
        .await
        .context("/healthz did not answer")?;
    connection.close().await;
    if !status.is_success() {
        bail!(
            "/healthz answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    Ok(())
}

/// `voices-collector export --format ndjson` of the survey: (submission id, receipt) per row.
fn export(binary: &Path, storage: Storage<'_>) -> Result<Vec<(String, String)>> {
    let mut cmd = Command::new(binary);
    cmd.args(["export", "--survey", SURVEY_ID, "--format", "ndjson"]);
    match storage {
        Storage::Directory(data) => cmd.arg("--data").arg(data),
        Storage::Database(url) => cmd.args(["--store", url]),
    };
    server::clear_voices_env(&mut cmd);
    let out = cmd
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    if !out.status.success() {
        bail!(
            "`voices-collector export` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = String::from_utf8(out.stdout).context("the export is not UTF-8")?;
    text.lines()
        .map(|line| {
            let row: Value = serde_json::from_str(line)
                .with_context(|| format!("an export line is not JSON: {line}"))?;
            let field = |name: &str| {
                row[name]
                    .as_str()
                    .map(str::to_owned)
                    .with_context(|| format!("an exported response has no {name}: {line}"))
            };
            Ok((field("submission_id")?, field("receipt")?))
        })
        .collect()
}

/// A number in `range`, from the operating system's random source (through uuid's v4).
fn random_in(range: std::ops::Range<u64>) -> u64 {
    let random = uuid::Uuid::new_v4().as_u128() as u64;
    range.start + random % (range.end - range.start)
}
