//! The "Export from PostgreSQL" section: the CSV export of a million responses from a PostgreSQL store, its speed beside a raw scan of the same database and its peak memory.
//!
//! The cluster and its seeded database are kept under the target directory between
//! runs (seeding a million responses takes minutes); the cluster is started for the
//! section and stopped at its end. Each figure is a fresh `export_bench` process, as in
//! the sled export section, given the database's URL instead of a data directory.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::Length;
use super::ingest::load_average;
use super::stats::{Spread, thousands};
use crate::postgres::Cluster;
use crate::process;

/// The aim (issue 14): the CSV export's peak resident memory under this, in bytes (64 MB).
const AIM_PEAK_RSS: u64 = 64_000_000;

/// The database the responses are seeded into, in the kept cluster.
const DATABASE: &str = "export";

struct Settings {
    responses: u64,
    repeats: usize,
}

impl Settings {
    fn for_length(length: Length) -> Settings {
        match length {
            Length::Full => Settings {
                responses: 1_000_000,
                repeats: 3,
            },
            Length::Quick => Settings {
                responses: 20_000,
                repeats: 1,
            },
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Opens the store and reads nothing: what the process needs before any export.
    Open,
    /// Reads and decodes every response, nothing else: the floor.
    Scan,
    Csv,
}

const MODES: [Mode; 3] = [Mode::Open, Mode::Scan, Mode::Csv];

impl Mode {
    fn arg(self) -> &'static str {
        match self {
            Mode::Open => "open",
            Mode::Scan => "scan",
            Mode::Csv => "csv",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Mode::Open => "open the store, read nothing",
            Mode::Scan => "raw scan: read and decode, nothing else",
            Mode::Csv => "CSV export",
        }
    }
}

struct Run {
    mode: Mode,
    seconds: f64,
    /// The exporting process's CPU time, all threads, user and system.
    cpu_seconds: f64,
    /// The database server's CPU time over the same run.
    database_cpu_seconds: f64,
    peak_rss: u64,
}

pub fn section(target_dir: &Path, length: Length) -> Result<String> {
    let settings = Settings::for_length(length);
    let binary = target_dir.join("release/examples/export_bench");
    let cluster = Cluster::kept(
        &target_dir
            .join("xtask/bench")
            .join(format!("postgres-export-{}", settings.responses)),
    )?;
    let version = cluster.version()?;
    if !cluster.has_database(DATABASE)? {
        cluster.create_database(DATABASE)?;
    }
    let url = cluster.url(DATABASE);
    let mut seed = Command::new(&binary);
    seed.arg("seed")
        .arg(&url)
        .arg(settings.responses.to_string());
    let seeded = process::output(seed)?;
    print!("{seeded}");
    let seeded = seeding(&seeded)?;
    let database_bytes = database_size(&url)?;
    let load_average = load_average()?;
    cluster.settle()?;

    let mut runs = Vec::new();
    let total = settings.repeats * MODES.len();
    for _ in 0..settings.repeats {
        for mode in MODES {
            let database_before = cluster.cpu_time()?;
            let mut run = measure(&binary, &url, mode, settings.responses)?;
            // The exporter's backend exits after it, and its CPU time is counted.
            cluster.settle()?;
            run.database_cpu_seconds = (cluster.cpu_time()? - database_before).as_secs_f64();
            let speed = if mode == Mode::Open {
                String::new()
            } else {
                format!(
                    "{:>9.0} responses/s  {:>7.3} s  CPU/response {:>5.1} µs (database {:>5.1} µs)  ",
                    settings.responses as f64 / run.seconds,
                    run.seconds,
                    run.cpu_seconds * 1e6 / settings.responses as f64,
                    run.database_cpu_seconds * 1e6 / settings.responses as f64,
                )
            };
            println!(
                "postgres-export [{}/{total}] {:<40} {speed}peak RSS {}",
                runs.len() + 1,
                mode.label(),
                megabytes(run.peak_rss as f64),
            );
            runs.push(run);
        }
    }
    markdown(
        &settings,
        &version,
        database_bytes,
        &seeded,
        &load_average,
        &runs,
    )
}

/// What `export_bench seed` said: `seeded=N seconds=S` or `reused=N`.
fn seeding(output: &str) -> Result<String> {
    let line = output.lines().last().unwrap_or_default();
    if line.starts_with("reused=") {
        return Ok("reused from an earlier run".to_owned());
    }
    let seconds = line
        .split_whitespace()
        .find_map(|part| part.strip_prefix("seconds="))
        .with_context(|| format!("export_bench seed printed {line:?}"))?;
    Ok(format!("seeded in this run, in {seconds} s"))
}

/// Runs `export_bench MODE URL` in its own process and reads its last line.
fn measure(binary: &Path, url: &str, mode: Mode, responses: u64) -> Result<Run> {
    let mut cmd = Command::new(binary);
    cmd.arg(mode.arg()).arg(url);
    let out = process::output(cmd)?;
    let line = out
        .lines()
        .last()
        .with_context(|| format!("export_bench {} printed nothing", mode.arg()))?;
    let field = |name: &str| -> Result<&str> {
        line.split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
            .with_context(|| format!("export_bench {} printed {line:?}", mode.arg()))
    };
    let rows: u64 = field("rows")?.parse()?;
    let expected = if mode == Mode::Open { 0 } else { responses };
    if rows != expected {
        bail!(
            "export_bench {} wrote {rows} rows from a database of {responses} responses",
            mode.arg()
        );
    }
    Ok(Run {
        mode,
        seconds: field("seconds")?.parse::<f64>()?.max(1e-9),
        cpu_seconds: field("cpu_seconds")?.parse()?,
        database_cpu_seconds: 0.0,
        peak_rss: field("peak_rss_kib")?.parse::<u64>()? * 1024,
    })
}

fn database_size(url: &str) -> Result<u64> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .with_context(|| format!("connecting to {url}"))?;
    let row = client.query_one("SELECT pg_database_size(current_database())", &[])?;
    let bytes: i64 = row.get(0);
    Ok(u64::try_from(bytes).unwrap_or(0))
}

/// Bytes as MB of 1,000,000, one decimal.
fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

struct Summary {
    rate: Spread,
    seconds: Spread,
    /// Microseconds of CPU per response: the exporting process's, and the database's.
    cpu: Spread,
    database_cpu: Spread,
    peak_rss: Spread,
}

impl Summary {
    fn of(runs: &[Run], mode: Mode, responses: u64) -> Summary {
        let runs: Vec<&Run> = runs.iter().filter(|run| run.mode == mode).collect();
        let per_response = |seconds: f64| seconds * 1e6 / responses.max(1) as f64;
        Summary {
            rate: Spread::of(runs.iter().map(|r| responses as f64 / r.seconds)),
            seconds: Spread::of(runs.iter().map(|r| r.seconds)),
            cpu: Spread::of(runs.iter().map(|r| per_response(r.cpu_seconds))),
            database_cpu: Spread::of(runs.iter().map(|r| per_response(r.database_cpu_seconds))),
            peak_rss: Spread::of(runs.iter().map(|r| r.peak_rss as f64)),
        }
    }
}

fn markdown(
    settings: &Settings,
    version: &str,
    database_bytes: u64,
    seeded: &str,
    load_average: &str,
    runs: &[Run],
) -> Result<String> {
    let n = settings.responses;
    let scan = Summary::of(runs, Mode::Scan, n);
    let csv = Summary::of(runs, Mode::Csv, n);
    let aim_mb = AIM_PEAK_RSS as f64 / 1e6;
    let us = |v: f64| format!("{v:.1} µs");

    let mut out = String::new();
    writeln!(out, "## Export from PostgreSQL")?;
    writeln!(out)?;
    writeln!(
        out,
        "The export section's CSV export, from a collector's PostgreSQL database instead of a \
         data directory: {} responses to the reference survey, beside a raw scan of the same \
         database in the same run (read and decode every response, nothing else). Aim (issue \
         14): **the export in constant memory, its peak RSS under {aim_mb:.0} MB**. The store \
         reads the responses in keyset pages of 256 (by position), one query each, holding \
         no connection or transaction between two pages.",
        thousands(n),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "The database server is {version}, a cluster of the bench's own (PostgreSQL's default \
         settings, with `fsync` and `synchronous_commit` on) kept under `target/xtask/bench/` \
         with its database between runs ({seeded}; seeded through the `Store` trait by \
         `collector/examples/export_bench.rs` with the export section's generated answers, a \
         thousand responses per transaction); the database is {} on disk. Each figure is a \
         fresh process (`export_bench open|scan|csv postgres://...`, built `--release`) \
         that connects, reads the definitions and is timed from the first read to the last \
         byte written to `io::sink()`; its peak RSS is the kernel's `VmHWM` for that process. \
         The database server's CPU time (all its processes) over each run is given \
         beside the exporter's; its own memory is its shared buffers (128 MB by default), \
         which do not grow with an export. The modes took turns, {} time{} each; the load \
         average (1, 5 and 15 minutes) was {load_average} when this section started.",
        megabytes(database_bytes as f64),
        settings.repeats,
        if settings.repeats == 1 { "" } else { "s" },
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| run | responses/s | seconds | exporter CPU per response | database CPU per response | peak RSS | of the scan's speed (clock) |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")?;
    for mode in MODES {
        let summary = Summary::of(runs, mode, n);
        if mode == Mode::Open {
            writeln!(
                out,
                "| {} | — | — | — | — | {} | — |",
                mode.label(),
                summary.peak_rss.show(megabytes)
            )?;
            continue;
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.0} % |",
            mode.label(),
            summary.rate.show(|v| thousands(v.round() as u64)),
            summary.seconds.show(|v| format!("{v:.3}")),
            summary.cpu.show(us),
            summary.database_cpu.show(us),
            summary.peak_rss.show(megabytes),
            summary.rate.median / scan.rate.median * 100.0
        )?;
    }
    writeln!(out)?;
    let worst = csv.peak_rss.max;
    writeln!(
        out,
        "**Memory aim {}:** the CSV export of {} responses peaked at {} at most (aim: under \
         {aim_mb:.0} MB); the raw scan at {}, and opening the store at {}. It took {} s \
         (median), {:.0} % of the raw scan's speed by the clock.",
        if worst < AIM_PEAK_RSS as f64 {
            "met"
        } else {
            "not met"
        },
        thousands(n),
        megabytes(worst),
        megabytes(scan.peak_rss.max),
        megabytes(Summary::of(runs, Mode::Open, n).peak_rss.max),
        format_args!("{:.1}", csv.seconds.median),
        csv.rate.median / scan.rate.median * 100.0,
    )?;
    writeln!(out)?;
    Ok(out)
}
