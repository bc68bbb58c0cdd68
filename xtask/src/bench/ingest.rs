//! The "Collector ingest" section: submissions per second the collector stores, against a do-nothing ceiling and a plain PostgreSQL client's floor.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};

use super::Length;
use super::load::{self, Outcome, Plan};
use super::sql_floor;
use super::stats::{Spread, millis, thousands};
use super::submission::{Bodies, SURVEY_ID};
use crate::postgres::Cluster;
use crate::server::{self, Server};

/// Concurrent clients, each on its own keep-alive connection.
const CLIENTS: usize = 64;
/// The aim: durable ingest at least this share of the ceiling.
const AIM: f64 = 0.5;
/// Issue 20's aim: durable ingest at least this many times the PostgreSQL floor.
const FLOOR_AIM: f64 = 1.5;

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

/// What a run is measured against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// collector/examples/noop_server.rs: reads the body, answers 201.
    Ceiling,
    /// The collector as it ships: answers once the response is flushed to disk.
    Durable,
    /// The same, on a copy of the export section's store of a million responses: what
    /// a store with a history costs each submission (its receipt index, sled's cache).
    DurableFull,
    /// The collector with `--unsafe-no-fsync`: answers before the flush.
    NoFsync,
    /// No collector: a plain client's durable `INSERT`s into PostgreSQL (see
    /// [`sql_floor`]), the least a SQL-backed peer does per submission.
    SqlFloor,
}

const TARGETS: [Target; 5] = [
    Target::Ceiling,
    Target::Durable,
    Target::DurableFull,
    Target::NoFsync,
    Target::SqlFloor,
];

impl Target {
    fn label(self) -> &'static str {
        match self {
            Target::Ceiling => "ceiling: `noop_server`",
            Target::Durable => "collector, durable (default)",
            Target::DurableFull => "collector, durable, holding 1,000,000 responses",
            Target::NoFsync => "collector, `--unsafe-no-fsync`",
            Target::SqlFloor => {
                "PostgreSQL floor: plain client, durable `INSERT ... ON CONFLICT DO NOTHING`"
            }
        }
    }
}

struct Binaries {
    root: PathBuf,
    noop: PathBuf,
    collector: PathBuf,
    /// Where the collector's throwaway data directories go: on the same disk as the
    /// build, as a real one would be (a temp dir may be in memory, where fsync is free).
    scratch: PathBuf,
    /// The export section's store of a million responses, copied for each run.
    full_store: PathBuf,
}

/// Copies a directory tree (a data directory, to serve a copy of it).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

impl Binaries {
    fn start(&self, target: Target) -> Result<Server> {
        match target {
            Target::DurableFull => {
                let copy = self.scratch.join("ingest-full");
                if copy.exists() {
                    std::fs::remove_dir_all(&copy)?;
                }
                copy_tree(&self.full_store, &copy)?;
                Server::collector_in(
                    &self.collector,
                    &self.root,
                    server::Storage::Directory(&copy),
                    &self.scratch.join("ingest-full.log"),
                )
            }
            Target::Ceiling => Server::noop(&self.noop),
            Target::Durable => Server::collector(&self.collector, &self.root, &self.scratch, true),
            Target::NoFsync => Server::collector(&self.collector, &self.root, &self.scratch, false),
            Target::SqlFloor => bail!("the PostgreSQL floor has no HTTP server"),
        }
    }
}

/// One run of the PostgreSQL floor in a new database on `cluster`: the outcome, with the
/// database server's CPU time and this process's (the clients') over it.
fn floor_run(
    binaries: &Binaries,
    cluster: &Cluster,
    name: &str,
    settings: &Settings,
    bodies: &Arc<Bodies>,
) -> Result<(Outcome, Duration, Duration)> {
    let url = cluster.create_database(name)?;
    cluster.settle()?;
    // The collector's own tables, made as it makes them.
    super::postgres::publish(&binaries.collector, &binaries.root, &url)?;
    let plan = sql_floor::Plan {
        url: &url,
        clients: CLIENTS,
        warmup: settings.warmup,
        measure: settings.measure,
    };
    let (database_before, client_before) = (cluster.cpu_time()?, own_cpu_time()?);
    let outcome = sql_floor::run(&plan, bodies)?;
    let client_after = own_cpu_time()?;
    // Once the clients' backends have exited, so their last work is counted.
    cluster.settle()?;
    let database_after = cluster.cpu_time()?;
    cluster.admin(&format!("DROP DATABASE {name} WITH (FORCE)"))?;
    Ok((
        outcome,
        database_after.saturating_sub(database_before),
        client_after.saturating_sub(client_before),
    ))
}

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    let release = target_dir.join("release");
    let binaries = Binaries {
        root: root.to_path_buf(),
        noop: release.join("examples/noop_server"),
        collector: release.join("voices-collector"),
        scratch: target_dir.join("xtask/bench"),
        full_store: target_dir.join("xtask/bench/export-1000000"),
    };
    // The export section's store, seeded (or found seeded) as that section does.
    let mut seed = std::process::Command::new(release.join("examples/export_bench"));
    seed.arg("seed").arg(&binaries.full_store).arg("1000000");
    print!("{}", crate::process::output(seed)?);
    let settings = Settings::for_length(length);
    let bodies = Arc::new(Bodies::new());
    let load_average = load_average()?;
    let fsync = fsync_latency(&binaries.scratch)?;
    // On the build's disk, as the collector's data directories are.
    let cluster = Cluster::throwaway(&binaries.scratch)?;
    let postgres_version = cluster.version()?;

    // Targets take turns within each repeat, so a slow spell of the machine spreads
    // over all of them instead of landing on one.
    let mut runs: Vec<Run> = Vec::new();
    let total = settings.repeats * TARGETS.len();
    for repeat in 0..settings.repeats {
        for target in TARGETS {
            let (outcome, server_cpu, client_cpu) = if target == Target::SqlFloor {
                let name = format!("ingest_floor_{}", runs.len());
                floor_run(&binaries, &cluster, &name, &settings, &bodies)?
            } else {
                let mut server = binaries.start(target)?;
                // Once it has counted what it holds (in the background, at start-up).
                server.wait_until_idle()?;
                let plan = Plan {
                    addrs: vec![server.addr],
                    clients: CLIENTS,
                    warmup: settings.warmup,
                    measure: settings.measure,
                };
                let (server_before, client_before) = (server.cpu_time()?, own_cpu_time()?);
                let outcome = load::run(&plan, &bodies)?;
                let (server_after, client_after) = (server.cpu_time()?, own_cpu_time()?);
                server.check_running()?;
                drop(server);
                if target == Target::DurableFull {
                    std::fs::remove_dir_all(binaries.scratch.join("ingest-full"))?;
                }
                (
                    outcome,
                    server_after - server_before,
                    client_after - client_before,
                )
            };
            // Per submission answered, warm-up included, as the CPU times cover both.
            let answered = outcome.sent.max(1) as u32;
            let run = Run {
                target,
                server_cpu: server_cpu / answered,
                client_cpu: client_cpu / answered,
                outcome,
            };
            let outcome = &run.outcome;
            println!(
                "ingest [{}/{total}] {:<32} {:>8.0} submissions/s  p50 {:>9}  p99 {:>9}  max {:>9}  \
                 CPU/submission: server {:>4} µs, load generator {:>4} µs  {} errors",
                runs.len() + 1,
                target.label().replace('`', ""),
                outcome.per_second(),
                millis(outcome.latency(50.0)),
                millis(outcome.latency(99.0)),
                millis(outcome.max_latency()),
                run.server_cpu.as_micros(),
                run.client_cpu.as_micros(),
                outcome.error_count(),
            );
            if outcome.error_count() > 0 {
                let mut report = String::new();
                for (what, count) in &outcome.errors {
                    let _ = writeln!(report, "  {count} × {what}");
                }
                bail!(
                    "{} answered {} of {} submissions with an error (repeat {}):\n{report}",
                    target.label().replace('`', ""),
                    outcome.error_count(),
                    outcome.sent,
                    repeat + 1
                );
            }
            runs.push(run);
        }
    }
    let mut out = markdown(&settings, &bodies, &load_average, &postgres_version, &runs)?;
    out.push_str(&fsync_markdown(&fsync, &runs)?);
    Ok(out)
}

/// How long the disk under the data directories takes to make a small write
/// durable: 21 rounds of a 4 KiB write and an fsync, sorted.
pub(super) fn fsync_latency(scratch: &Path) -> Result<Vec<Duration>> {
    use std::io::Write as _;
    std::fs::create_dir_all(scratch)?;
    let path = scratch.join("fsync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = [0x55u8; 4096];
    let mut times = Vec::with_capacity(21);
    for _ in 0..21 {
        let started = std::time::Instant::now();
        file.write_all(&block)?;
        file.sync_all()?;
        times.push(started.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    times.sort();
    Ok(times)
}

/// The bound the disk sets: with group commit, one fsync releases every
/// client that was waiting, so `CLIENTS` clients can get at most `CLIENTS`
/// acknowledgements per fsync.
fn fsync_markdown(fsync: &[Duration], runs: &[Run]) -> Result<String> {
    let median = fsync[fsync.len() / 2];
    let (min, max) = (fsync[0], fsync[fsync.len() - 1]);
    let bound = CLIENTS as f64 / median.as_secs_f64();
    let durable = Summary::of(runs, Target::Durable);
    let mut out = String::new();
    writeln!(out)?;
    writeln!(
        out,
        "The disk under the data directory took {} per fsync of a 4 KiB write in this run \
         (median of 21; {}–{}). One group-commit flush releases every client waiting on it, \
         so with {CLIENTS} clients the disk alone would allow about {} durable submissions/s; \
         durable ingest reached {:.0} % of that: {}",
        millis(median),
        millis(min),
        millis(max),
        thousands(bound.round() as u64),
        durable.rate.median / bound * 100.0,
        if durable.rate.median / bound >= 0.5 {
            "the disk is what limits durable ingest here."
        } else {
            "the limit is the server's own work per submission (the CPU column above), not the disk."
        },
    )?;
    writeln!(out)?;
    Ok(out)
}

/// One run against one target.
struct Run {
    target: Target,
    outcome: Outcome,
    /// CPU time the server used per submission answered.
    server_cpu: Duration,
    /// CPU time the load generator (this process) used per submission answered.
    client_cpu: Duration,
}

/// The 1, 5 and 15 minute load averages, from /proc/loadavg.
pub(super) fn load_average() -> Result<String> {
    let text = std::fs::read_to_string("/proc/loadavg")?;
    let averages: Vec<&str> = text.split_whitespace().take(3).collect();
    if averages.len() != 3 {
        bail!("/proc/loadavg has an unexpected shape: {text:?}");
    }
    Ok(averages.join(", "))
}

pub(super) fn own_cpu_time() -> Result<Duration> {
    server::cpu_time("/proc/self/stat")
}

/// One target's runs, summarised.
struct Summary {
    rate: Spread,
    /// Latencies in milliseconds.
    p50: Spread,
    p99: Spread,
    max: Spread,
    /// CPU time per submission in microseconds.
    server_cpu: Spread,
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
            server_cpu: Spread::of(runs.iter().map(|r| us(r.server_cpu))),
            client_cpu: Spread::of(runs.iter().map(|r| us(r.client_cpu))),
        }
    }
}

fn markdown(
    settings: &Settings,
    bodies: &Bodies,
    load_average: &str,
    postgres_version: &str,
    runs: &[Run],
) -> Result<String> {
    let seconds = |d: Duration| format!("{} s", d.as_secs_f64());
    let ms = |v: f64| millis(Duration::from_secs_f64(v / 1000.0));
    let us = |v: f64| format!("{v:.0} µs");
    let ceiling = Summary::of(runs, Target::Ceiling);
    let durable = Summary::of(runs, Target::Durable);
    let share = |s: &Summary| s.rate.median / ceiling.rate.median;
    let sent: u64 = runs.iter().map(|run| run.outcome.sent).sum();

    let mut out = String::new();
    writeln!(out, "## Collector ingest")?;
    writeln!(out)?;
    writeln!(
        out,
        "How many survey responses per second the collector takes in, against a ceiling: \
         `collector/examples/noop_server.rs`, the same framework and runtime answering the \
         same route with a fixed receipt after reading the body, and doing nothing else. \
         Aim: **durable ingest at least half the ceiling**."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{CLIENTS} clients, each on its own keep-alive HTTP/1.1 connection, send \
         `POST /api/surveys/{SURVEY_ID}/responses` and the next one as soon as the answer \
         arrives. Every body is a new, valid response (a fresh `submission_id`; every page \
         answered, \"Something else\" with its specify text, a multi-line comment; {} bytes \
         on average) and only a 2xx answer with a receipt counts. Each run has a {} warm-up, \
         then a {} window; it counts the submissions started in the window and lasts until \
         the last of them is answered. Each server ran {} time{}, taking turns, each time \
         freshly started; the collector (built `--release`) on a new data directory on the \
         build's disk, as `voices-collector serve --addr 127.0.0.1:0 --surveys \
         examples/surveys --rate-limit 0` with no `VOICES_*` settings, logging at its \
         default level to a file. The load generator (in xtask, on tokio and hyper, built \
         optimised) runs on the same machine, whose load average (1, 5 and 15 minutes) was \
         {load_average} when this section started.",
        bodies.mean_len(),
        seconds(settings.warmup),
        seconds(settings.measure),
        settings.repeats,
        if settings.repeats == 1 { "" } else { "s" },
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| server | submissions/s | p50 latency | p99 latency | max latency | server CPU per submission | of the ceiling |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")?;
    for target in TARGETS {
        let summary = Summary::of(runs, target);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.0} % |",
            target.label(),
            summary.rate.show(|v| thousands(v.round() as u64)),
            summary.p50.show(ms),
            summary.p99.show(ms),
            summary.max.show(ms),
            summary.server_cpu.show(us),
            share(&summary) * 100.0
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Errors: none. All {} submissions sent, warm-ups included, were answered (2xx with a receipt, or committed by the floor).",
        thousands(sent)
    )?;
    writeln!(out)?;
    let durable_share = share(&durable);
    writeln!(
        out,
        "**Aim {}:** durable ingest is {:.0} % of the ceiling (median against median; aim: at least {:.0} %).",
        if durable_share >= AIM {
            "met"
        } else {
            "not met"
        },
        durable_share * 100.0,
        AIM * 100.0
    )?;
    writeln!(out)?;
    let floor = Summary::of(runs, Target::SqlFloor);
    let against_floor = durable.rate.median / floor.rate.median;
    writeln!(
        out,
        "**Against PostgreSQL (issue 20's aim) {}:** durable ingest is {:.2}× the PostgreSQL \
         floor (median against median; aim: at least {FLOOR_AIM}×). The floor is no collector \
         at all: {CLIENTS} client threads, each on its own connection to {postgres_version}, \
         a throwaway cluster the bench starts on the build's disk (default settings, \
         `fsync` and `synchronous_commit` on), each inserting the same responses into the \
         collector's own tables with one durable `INSERT ... ON CONFLICT DO NOTHING` per \
         submission (`xtask/src/bench/sql_floor.rs`), no HTTP. Its CPU column is the database \
         server's (every process of it); its clients used {} per submission.",
        if against_floor >= FLOOR_AIM {
            "met"
        } else {
            "not met"
        },
        against_floor,
        floor.client_cpu.show(us)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Reading the rows: the gap between the ceiling and `--unsafe-no-fsync` is the \
         collector's own work (checking the answers, storing them, logging); the gap between \
         `--unsafe-no-fsync` and durable is what waiting for the flush before answering \
         costs; the gap between durable and durable holding 1,000,000 responses (a copy of \
         the export section's store, seeded by `collector/examples/export_bench.rs`) is what \
         a store with a history costs: each submission's receipt is looked up among a \
         million, mostly outside sled's 16 MiB cache. `--unsafe-no-fsync` can \
         lose acknowledged responses in a crash and is never for real use. Server CPU per \
         submission is the server process's user and system time over the run, warm-up \
         included, divided by the submissions it answered: it depends much less than \
         submissions/s on what else the machine is doing. Against the ceiling the load generator \
         used {} of CPU per submission; it shares the CPUs with the server, so the ceiling is \
         what the two together reach.",
        ceiling.client_cpu.show(us)
    )?;
    Ok(out)
}
