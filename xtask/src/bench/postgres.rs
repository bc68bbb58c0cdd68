//! The "Collector ingest on PostgreSQL" section: durable ingest through the collector on PostgreSQL, beside the floor of a plain SQL client inserting the same rows, and two collectors sharing one database.
//!
//! Every run gets a new database on one throwaway cluster ([`crate::postgres`]), so no
//! run finds another's rows. The collector runs are the ingest section's load (64
//! keep-alive HTTP clients, each sending the next new submission when its answer
//! comes); the floor is [`super::sql_floor`] at the same concurrency; for two collectors
//! the clients are shared out between them, as a round-robin balancer in front of them
//! would share its connections. After each run the database must hold exactly one row
//! per submission answered.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::Length;
use super::ingest::{fsync_latency, load_average, own_cpu_time};
use super::load::{self, Outcome, Plan};
use super::sql_floor;
use super::stats::{Spread, millis, thousands};
use super::submission::{Bodies, SURVEY_ID};
use crate::postgres::Cluster;
use crate::server::{self, Server, Storage};

/// Concurrent clients, as in the ingest section.
const CLIENTS: usize = 64;
/// The aim (issue 14): durable ingest through the collector at least this share of the floor.
const AIM: f64 = 0.8;

struct Settings {
    warmup: Duration,
    measure: Duration,
    repeats: usize,
}

impl Settings {
    fn for_length(length: Length) -> Settings {
        match length {
            Length::Full => Settings {
                warmup: Duration::from_secs(2),
                measure: Duration::from_secs(20),
                repeats: 3,
            },
            Length::Quick => Settings {
                warmup: Duration::from_millis(500),
                measure: Duration::from_secs(3),
                repeats: 1,
            },
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A plain client's `INSERT ... ON CONFLICT DO NOTHING`, one commit per submission.
    Floor,
    /// One collector, `--store postgres://...`, durable (its only way on PostgreSQL).
    Collector,
    /// Two collectors on the same database, the clients shared between them.
    TwoCollectors,
}

const TARGETS: [Target; 3] = [Target::Floor, Target::Collector, Target::TwoCollectors];

impl Target {
    fn label(self) -> &'static str {
        match self {
            Target::Floor => "floor: plain client, `INSERT ... ON CONFLICT DO NOTHING`",
            Target::Collector => "collector on PostgreSQL, durable",
            Target::TwoCollectors => "two collectors on one database",
        }
    }
}

struct Run {
    target: Target,
    outcome: Outcome,
    /// CPU per submission answered: the collectors' (none for the floor), the database
    /// server's, and the client's (the load generator or the floor's threads).
    collector_cpu: Duration,
    database_cpu: Duration,
    client_cpu: Duration,
}

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    let settings = Settings::for_length(length);
    let collector = target_dir.join("release/voices-collector");
    // On the build's disk, as a real database's files would be.
    let scratch = target_dir.join("xtask/bench");
    let cluster = Cluster::throwaway(&scratch)?;
    let version = cluster.version()?;
    let bodies = Arc::new(Bodies::new());
    let load_average = load_average()?;
    let fsync = fsync_latency(&scratch)?;
    let logs = tempfile::Builder::new()
        .prefix("postgres-logs-")
        .tempdir_in(&scratch)
        .context("a directory for the collectors' logs")?;

    let mut runs: Vec<Run> = Vec::new();
    let total = settings.repeats * TARGETS.len();
    for repeat in 0..settings.repeats {
        for target in TARGETS {
            let database = format!("ingest_{}", runs.len());
            let url = cluster.create_database(&database)?;
            cluster.settle()?;
            let log = logs.path().join(format!("{database}.log"));
            let run = measure(&Measure {
                root,
                collector: &collector,
                cluster: &cluster,
                url: &url,
                log: &log,
                settings: &settings,
                bodies: &bodies,
                target,
            })
            .with_context(|| format!("{} (repeat {})", target.label(), repeat + 1))?;
            let outcome = &run.outcome;
            println!(
                "postgres [{}/{total}] {:<40} {:>8.0} submissions/s  p50 {:>9}  p99 {:>9}  max {:>9}  \
                 CPU/submission: collector {:>4} µs, database {:>4} µs, client {:>4} µs",
                runs.len() + 1,
                target.label().replace('`', ""),
                outcome.per_second(),
                millis(outcome.latency(50.0)),
                millis(outcome.latency(99.0)),
                millis(outcome.max_latency()),
                run.collector_cpu.as_micros(),
                run.database_cpu.as_micros(),
                run.client_cpu.as_micros(),
            );
            cluster.admin(&format!("DROP DATABASE {database} WITH (FORCE)"))?;
            runs.push(run);
        }
    }
    markdown(&settings, &bodies, &load_average, &version, &fsync, &runs)
}

/// What one run needs.
struct Measure<'a> {
    root: &'a Path,
    collector: &'a Path,
    cluster: &'a Cluster,
    url: &'a str,
    log: &'a PathBuf,
    settings: &'a Settings,
    bodies: &'a Arc<Bodies>,
    target: Target,
}

fn measure(m: &Measure<'_>) -> Result<Run> {
    let database_before = m.cluster.cpu_time()?;
    let client_before = own_cpu_time()?;
    let (outcome, collector_cpu) = match m.target {
        Target::Floor => {
            // The collector's own tables, made as it makes them.
            publish(m.collector, m.root, m.url)?;
            let plan = sql_floor::Plan {
                url: m.url,
                clients: CLIENTS,
                warmup: m.settings.warmup,
                measure: m.settings.measure,
            };
            (sql_floor::run(&plan, m.bodies)?, Duration::ZERO)
        }
        Target::Collector | Target::TwoCollectors => {
            let count = if m.target == Target::Collector { 1 } else { 2 };
            let mut servers = Vec::with_capacity(count);
            for _ in 0..count {
                servers.push(Server::collector_in(
                    m.collector,
                    m.root,
                    Storage::Database(m.url),
                    m.log,
                )?);
            }
            let plan = Plan {
                addrs: servers.iter().map(|server| server.addr).collect(),
                clients: CLIENTS,
                warmup: m.settings.warmup,
                measure: m.settings.measure,
            };
            let before = cpu_of(&servers)?;
            let outcome = load::run(&plan, m.bodies)?;
            let after = cpu_of(&servers)?;
            for server in &mut servers {
                server.check_running()?;
            }
            (outcome, after - before)
        }
    };
    let client_cpu = own_cpu_time()? - client_before;
    // The backends of the closed connections exit, and their CPU time is counted.
    m.cluster.settle()?;
    let database_cpu = m.cluster.cpu_time()? - database_before;

    if outcome.error_count() > 0 {
        let mut report = String::new();
        for (what, count) in &outcome.errors {
            let _ = writeln!(report, "  {count} × {what}");
        }
        bail!(
            "{} of {} submissions failed:\n{report}{}",
            outcome.error_count(),
            outcome.sent,
            server::log_tail(m.log)
        );
    }
    // Every submission answered was new: each must be there, once.
    let stored = stored_responses(m.url)?;
    if stored != outcome.sent {
        bail!(
            "{} submissions were answered, but the database holds {stored} responses",
            outcome.sent
        );
    }
    let answered = outcome.sent.max(1) as u32;
    Ok(Run {
        target: m.target,
        collector_cpu: collector_cpu / answered,
        database_cpu: database_cpu / answered,
        client_cpu: client_cpu / answered,
        outcome,
    })
}

fn cpu_of(servers: &[Server]) -> Result<Duration> {
    servers.iter().map(Server::cpu_time).sum()
}

/// `voices-collector survey publish --store URL`: makes the collector's tables.
pub(super) fn publish(collector: &Path, root: &Path, url: &str) -> Result<()> {
    let mut cmd = Command::new(collector);
    cmd.current_dir(root)
        .args(["survey", "publish", "--store", url])
        .arg(root.join(format!("examples/surveys/{SURVEY_ID}.json")));
    server::clear_voices_env(&mut cmd);
    crate::process::output(cmd)?;
    Ok(())
}

fn stored_responses(url: &str) -> Result<u64> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .with_context(|| format!("connecting to {url}"))?;
    let row = client.query_one("SELECT count(*) FROM responses", &[])?;
    let count: i64 = row.get(0);
    Ok(u64::try_from(count).unwrap_or(0))
}

/// One target's runs, summarised.
struct Summary {
    rate: Spread,
    p50: Spread,
    p99: Spread,
    max: Spread,
    collector_cpu: Spread,
    database_cpu: Spread,
    client_cpu: Spread,
}

impl Summary {
    fn of(runs: &[Run], target: Target) -> Summary {
        let runs: Vec<&Run> = runs.iter().filter(|run| run.target == target).collect();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let us = |d: Duration| d.as_secs_f64() * 1_000_000.0;
        Summary {
            rate: Spread::of(runs.iter().map(|r| r.outcome.per_second())),
            p50: Spread::of(runs.iter().map(|r| ms(r.outcome.latency(50.0)))),
            p99: Spread::of(runs.iter().map(|r| ms(r.outcome.latency(99.0)))),
            max: Spread::of(runs.iter().map(|r| ms(r.outcome.max_latency()))),
            collector_cpu: Spread::of(runs.iter().map(|r| us(r.collector_cpu))),
            database_cpu: Spread::of(runs.iter().map(|r| us(r.database_cpu))),
            client_cpu: Spread::of(runs.iter().map(|r| us(r.client_cpu))),
        }
    }
}

fn markdown(
    settings: &Settings,
    bodies: &Bodies,
    load_average: &str,
    version: &str,
    fsync: &[Duration],
    runs: &[Run],
) -> Result<String> {
    let seconds = |d: Duration| format!("{} s", d.as_secs_f64());
    let ms = |v: f64| millis(Duration::from_secs_f64(v / 1000.0));
    let us = |v: f64| format!("{v:.0} µs");
    let floor = Summary::of(runs, Target::Floor);
    let one = Summary::of(runs, Target::Collector);
    let two = Summary::of(runs, Target::TwoCollectors);
    let share = |s: &Summary| s.rate.median / floor.rate.median;
    let sent: u64 = runs.iter().map(|run| run.outcome.sent).sum();

    let mut out = String::new();
    writeln!(out, "## Collector ingest on PostgreSQL")?;
    writeln!(out)?;
    writeln!(
        out,
        "How many survey responses per second the collector stores on PostgreSQL \
         (`serve --store postgres://...`), against a floor: a plain client inserting the same \
         rows into the same tables with `INSERT ... ON CONFLICT DO NOTHING`, one durable \
         transaction per submission, at the same concurrency, which is the least any \
         SQL-backed collector has to do. Aim (issue 14): **durable ingest through the \
         collector at least {:.0} % of the floor**.",
        AIM * 100.0
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "The database server is {version}, a cluster made for the run by \
         `xtask/src/postgres.rs` (`initdb --locale=C`, PostgreSQL's default settings, with \
         `fsync`, `synchronous_commit` and `full_page_writes` on) on the build's disk, on the \
         same machine, listening on 127.0.0.1; every run gets a new database. The collector \
         runs get the ingest section's load: {CLIENTS} clients, each on its own keep-alive \
         HTTP/1.1 connection, sending a new, valid response ({} bytes on average) as soon as \
         the last one is answered; only a 2xx answer with a receipt counts. The floor's \
         {CLIENTS} clients are threads, each on its own connection (the `postgres` crate), \
         each running one statement per submission: its id claimed in `submissions` and its \
         response (the JSON the collector stores for the same body) inserted into \
         `responses`, in autocommit; the collector does that and more (it checks the \
         answers, keeps the counts by day, draws positions under a per-survey lock). For two \
         collectors, both serve the same database and the clients are shared out between \
         them, half each, as a round-robin balancer shares its connections. Each run has a {} \
         warm-up, then a {} window, and counts the submissions started in the window; the \
         three took turns, {} time{}. Afterwards the database must hold exactly one response \
         per submission answered. The load average (1, 5 and 15 minutes) was {load_average} \
         when this section started.",
        bodies.mean_len(),
        seconds(settings.warmup),
        seconds(settings.measure),
        settings.repeats,
        if settings.repeats == 1 { "" } else { "s" },
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| run | submissions/s | p50 latency | p99 latency | max latency | collector CPU per submission | database CPU per submission | of the floor |"
    )?;
    writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for target in TARGETS {
        let summary = Summary::of(runs, target);
        let collector_cpu = if target == Target::Floor {
            "—".to_owned()
        } else {
            summary.collector_cpu.show(us)
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {collector_cpu} | {} | {:.0} % |",
            target.label(),
            summary.rate.show(|v| thousands(v.round() as u64)),
            summary.p50.show(ms),
            summary.p99.show(ms),
            summary.max.show(ms),
            summary.database_cpu.show(us),
            share(&summary) * 100.0
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Errors: none. All {} submissions sent, warm-ups included, were answered (2xx with a \
         receipt, or committed) and each was in its database once.",
        thousands(sent)
    )?;
    writeln!(out)?;
    let ratio = share(&one);
    writeln!(
        out,
        "**Aim {}:** durable ingest through the collector on PostgreSQL is {:.2}× the floor \
         (median against median; aim: at least {AIM}×). Two collectors on one database \
         together took {} submissions/s, {:.2}× one collector.",
        if ratio >= AIM { "met" } else { "not met" },
        ratio,
        thousands(two.rate.median.round() as u64),
        two.rate.median / one.rate.median,
    )?;
    writeln!(out)?;
    let median_fsync = fsync[fsync.len() / 2];
    writeln!(
        out,
        "Reading the rows: CPU per submission is each process's user and system time over \
         the run, warm-up included, divided by the submissions answered; the database's is \
         every process of the server (backends, WAL writer, checkpointer, autovacuum). The \
         machine's CPUs are shared by the load, the collectors and the database, so where \
         the CPU goes says more than the rate alone. The collector stores what its clients \
         have sent in one transaction per batch and answers them after its commit (group \
         commit), with two batches on their way at once (one inserted while the other waits \
         for its commit), where the floor commits once per submission and relies on the \
         server to share its WAL flushes between the backends waiting on them. The load generator used {} of CPU per submission against one collector; the floor's \
         client threads used {}. The disk under the cluster took {} per fsync of a 4 KiB \
         write (median of 21).",
        one.client_cpu.show(us),
        floor.client_cpu.show(us),
        millis(median_fsync),
    )?;
    writeln!(out)?;
    Ok(out)
}
