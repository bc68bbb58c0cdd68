//! The "Export" section: responses per second and peak memory of the CSV (and XLSX) export, against a raw scan of the same store; and the staff dashboard's counts and a one-day export, against reading every response.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::Length;
use super::stats::{Spread, thousands};
use crate::process;
use crate::server::{IDLE_CPU, IDLE_POLL, Server, Storage};

/// The aim: the CSV export at least this share of the raw scan's speed.
const AIM_SHARE: f64 = 0.5;
/// The aim: the CSV export's peak resident memory at most this, in bytes (150 MB).
const AIM_PEAK_RSS: u64 = 150_000_000;
/// The aim: the CSV export's peak resident memory at most this much more than sled's own
/// scan of the same store.
const AIM_OVER_FLOOR: f64 = 0.10;
/// The aim: the collector serving the store, idle once started, under this (64 MB).
const AIM_IDLE_RSS: u64 = 64_000_000;

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
                repeats: 3,
            },
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Opens the store and reads nothing: the memory the store needs before any export.
    Open,
    /// sled's own scan: every response's bytes read, nothing decoded.
    Floor,
    Scan,
    Csv,
    Xlsx,
    /// The dashboard's counts, from the store's tallies.
    Dashboard,
    /// The same counts from every response decoded: the dashboard before tallies.
    DashboardScan,
    /// One day's CSV, a range of the store's time-ordered keys.
    DayCsv,
    /// One day's CSV from every response read and filtered: before the index.
    DayCsvScan,
    /// The summary page's counts from every response read: before the kept counts.
    SummaryScan,
    /// Every response counted into the kept counts, as the collector does when it starts.
    SummaryCold,
    /// The reach page's counts, kept up to date, after responses arrived since the last view.
    Reach,
}

const MODES: [Mode; 12] = [
    Mode::Open,
    Mode::Floor,
    Mode::Scan,
    Mode::Csv,
    Mode::Xlsx,
    Mode::Dashboard,
    Mode::DashboardScan,
    Mode::DayCsv,
    Mode::DayCsvScan,
    Mode::SummaryScan,
    Mode::SummaryCold,
    Mode::Reach,
];

/// Responses that arrive between two views of the reach page (`ARRIVING` in export_bench).
const ARRIVING: u64 = 1_000;
/// The aim: the reach page's counts for a million responses within this, in seconds.
const AIM_REACH_SECONDS: f64 = 2.0;

/// Responses in the day the one-day exports ask for: one every 20 s.
const DAY_ROWS: u64 = 24 * 60 * 60 / 20;

impl Mode {
    fn arg(self) -> &'static str {
        match self {
            Mode::Open => "open",
            Mode::Floor => "floor",
            Mode::Scan => "scan",
            Mode::Csv => "csv",
            Mode::Xlsx => "xlsx",
            Mode::Dashboard => "dashboard",
            Mode::DashboardScan => "dashboard-scan",
            Mode::DayCsv => "day-csv",
            Mode::DayCsvScan => "day-csv-scan",
            Mode::SummaryScan => "summary-scan",
            Mode::SummaryCold => "summary-cold",
            Mode::Reach => "reach",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Mode::Open => "open the store, read nothing",
            Mode::Floor => "sled's own scan: bytes, nothing decoded",
            Mode::Scan => "raw scan: read and decode, nothing else",
            Mode::Csv => "CSV export",
            Mode::Xlsx => "XLSX export",
            Mode::Dashboard => "dashboard counts, from the store's tallies",
            Mode::DashboardScan => "dashboard counts, every response decoded",
            Mode::DayCsv => "one day's CSV, by time-ordered keys",
            Mode::DayCsvScan => "one day's CSV, every response read",
            Mode::SummaryScan => "summary from every response read (before)",
            Mode::SummaryCold => "every response counted once (at start-up)",
            Mode::Reach => "reach page's counts, kept up to date",
        }
    }
    /// The rows (responses counted or written) a run must report.
    fn rows(self, responses: u64) -> u64 {
        match self {
            Mode::Open => 0,
            Mode::DayCsv | Mode::DayCsvScan => DAY_ROWS,
            Mode::Reach => ARRIVING,
            _ => responses,
        }
    }
    /// Whether its speed is read per response of the store (not per call).
    fn per_response(self) -> bool {
        matches!(self, Mode::Floor | Mode::Scan | Mode::Csv | Mode::Xlsx)
    }
}

/// One process's measurement.
struct Run {
    mode: Mode,
    seconds: f64,
    /// CPU time, all threads, user and system.
    cpu_seconds: f64,
    peak_rss: u64,
}

impl Run {
    fn rate(&self, responses: u64) -> f64 {
        responses as f64 / self.seconds
    }
    /// Microseconds of CPU per response.
    fn cpu_per_response(&self, responses: u64) -> f64 {
        self.cpu_seconds * 1e6 / responses.max(1) as f64
    }
}

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    let settings = Settings::for_length(length);
    // `bench::run` built it, with the collector's other examples.
    let binary = target_dir.join("release/examples/export_bench");
    // Seeding a million responses takes minutes, so the store is kept between runs
    // (it depends only on N and the example's generator) under target/.
    let data = target_dir
        .join("xtask/bench")
        .join(format!("export-{}", settings.responses));
    let mut seed = Command::new(&binary);
    seed.arg("seed")
        .arg(&data)
        .arg(settings.responses.to_string());
    let seeded = process::output(seed)?;
    print!("{seeded}");
    let seeded = seeding(&seeded)?;
    let store_bytes = size_on_disk(&data)?;
    let load_average = load_average()?;

    // Modes take turns within each repeat, so a slow spell of the machine spreads
    // over all of them instead of landing on one.
    let mut runs = Vec::new();
    let total = settings.repeats * MODES.len();
    for _ in 0..settings.repeats {
        for mode in MODES {
            let run = measure(&binary, &data, mode, settings.responses)?;
            let speed = if mode == Mode::Open {
                String::new()
            } else if !mode.per_response() {
                format!("{:>9.1} ms  ", run.seconds * 1e3)
            } else {
                format!(
                    "{:>9.0} responses/s  {:>7.3} s  CPU/response {:>5.1} µs  ",
                    run.rate(settings.responses),
                    run.seconds,
                    run.cpu_per_response(settings.responses),
                )
            };
            println!(
                "export [{}/{total}] {:<40} {speed}peak RSS {}",
                runs.len() + 1,
                mode.label(),
                megabytes(run.peak_rss as f64),
            );
            runs.push(run);
        }
    }
    let idle = idle_collector(root, target_dir, &data, settings.repeats)?;
    markdown(&settings, store_bytes, &seeded, &load_average, &runs, &idle)
}

/// The collector serving the seeded store, once idle after start-up.
struct Idle {
    runs: usize,
    /// Resident memory once idle (`VmRSS`), in bytes.
    rss: Spread,
    /// The most it had resident while it started (`VmHWM`), in bytes.
    peak: Spread,
    /// Seconds from its start to idle.
    seconds: Spread,
}

/// Starts the release collector on the seeded store `repeats` times, each until it is
/// idle (its CPU time grows by less than [`IDLE_CPU`] in [`IDLE_POLL`]: the store opened
/// and the start-up count done), and reads its memory then.
fn idle_collector(root: &Path, target_dir: &Path, data: &Path, repeats: usize) -> Result<Idle> {
    let binary = target_dir.join("release/voices-collector");
    let log = target_dir.join("xtask/bench/export-idle-collector.log");
    let (mut rss, mut peak, mut seconds) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=repeats {
        let started = std::time::Instant::now();
        let mut server = Server::collector_in(&binary, root, Storage::Directory(data), &log)?;
        server.wait_until_idle()?;
        seconds.push(started.elapsed().as_secs_f64());
        rss.push(server.rss()? as f64);
        peak.push(server.peak_rss()? as f64);
        server.stop()?;
        println!(
            "export [idle {run}/{repeats}] the collector serving the store, idle after {:.1} s: \
             RSS {}, {} at most while starting",
            seconds[seconds.len() - 1],
            megabytes(rss[rss.len() - 1]),
            megabytes(peak[peak.len() - 1]),
        );
    }
    Ok(Idle {
        runs: repeats,
        rss: Spread::of(rss),
        peak: Spread::of(peak),
        seconds: Spread::of(seconds),
    })
}

/// What `export_bench seed` said, for the report: `seeded=N seconds=S` or `reused=N`.
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

/// Runs `export_bench MODE DIR` in its own process and reads its last line,
/// `rows=R seconds=S cpu_seconds=C peak_rss_kib=K`.
fn measure(binary: &Path, data: &Path, mode: Mode, responses: u64) -> Result<Run> {
    let mut cmd = Command::new(binary);
    cmd.arg(mode.arg()).arg(data);
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
    let expected = mode.rows(responses);
    if rows != expected {
        bail!(
            "export_bench {} wrote {rows} rows from a store of {responses} responses",
            mode.arg()
        );
    }
    let seconds: f64 = field("seconds")?.parse()?;
    let cpu_seconds: f64 = field("cpu_seconds")?.parse()?;
    let kib: u64 = field("peak_rss_kib")?.parse()?;
    Ok(Run {
        mode,
        seconds: seconds.max(1e-9),
        cpu_seconds,
        peak_rss: kib * 1024,
    })
}

/// The bytes of every file under `dir`.
fn size_on_disk(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            size_on_disk(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// The 1, 5 and 15 minute load averages, from /proc/loadavg.
fn load_average() -> Result<String> {
    let text = fs::read_to_string("/proc/loadavg").context("reading /proc/loadavg")?;
    let averages: Vec<&str> = text.split_whitespace().take(3).collect();
    if averages.len() != 3 {
        bail!("/proc/loadavg has an unexpected shape: {text:?}");
    }
    Ok(averages.join(", "))
}

/// Bytes as MB of 1,000,000, one decimal.
fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

struct Summary {
    rate: Spread,
    seconds: Spread,
    /// Microseconds of CPU per response.
    cpu: Spread,
    peak_rss: Spread,
}

impl Summary {
    fn of(runs: &[Run], mode: Mode, responses: u64) -> Summary {
        let runs: Vec<&Run> = runs.iter().filter(|run| run.mode == mode).collect();
        Summary {
            rate: Spread::of(runs.iter().map(|r| r.rate(responses))),
            seconds: Spread::of(runs.iter().map(|r| r.seconds)),
            cpu: Spread::of(runs.iter().map(|r| r.cpu_per_response(responses))),
            peak_rss: Spread::of(runs.iter().map(|r| r.peak_rss as f64)),
        }
    }

    /// Speed against the scan's, by CPU time per response (median against median).
    fn share_by_cpu(&self, scan: &Summary) -> f64 {
        scan.cpu.median / self.cpu.median
    }

    /// Speed against the scan's, by wall-clock responses/s (median against median).
    fn share_by_clock(&self, scan: &Summary) -> f64 {
        self.rate.median / scan.rate.median
    }
}

fn markdown(
    settings: &Settings,
    store_bytes: u64,
    seeded: &str,
    load_average: &str,
    runs: &[Run],
    idle: &Idle,
) -> Result<String> {
    let n = settings.responses;
    let scan = Summary::of(runs, Mode::Scan, n);
    let floor = Summary::of(runs, Mode::Floor, n);
    let csv = Summary::of(runs, Mode::Csv, n);
    let xlsx = Summary::of(runs, Mode::Xlsx, n);
    let aim_mb = AIM_PEAK_RSS as f64 / 1e6;

    let mut out = String::new();
    writeln!(out, "## Export")?;
    writeln!(out)?;
    writeln!(
        out,
        "How fast staff get their data out, and with how much memory: {} responses to the \
         reference survey (examples/surveys/engagement-2026.json) exported as CSV, beside a raw \
         scan of the same store in the same run (read and decode every response, nothing \
         else: the floor no export can beat), and sled's own scan of it (every response's \
         bytes read in order, nothing decoded: the floor of the store's layout). Aims: **the \
         CSV export at least half the raw scan's speed, with a peak RSS of at most \
         {aim_mb:.0} MB and within {:.0} % of sled's own scan; the collector serving the \
         store, idle once started, under {:.0} MB**.",
        thousands(n),
        AIM_OVER_FLOOR * 100.0,
        AIM_IDLE_RSS as f64 / 1e6,
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "The store was seeded through the `Store` trait by `collector/examples/export_bench.rs` \
         (generated answers shaped like real ones: every required question, optional ones \
         often, follow-ups and \"please specify\" texts where earlier answers reveal them, \
         comments in English, Polish, Arabic and Gaelic in four responses out of ten), flushed \
         and kept under `target/xtask/bench/` for later runs ({seeded}); it is {} on disk. \
         Each figure is a fresh process (`export_bench open|scan|csv|xlsx DIR`, built \
         `--release`) that opens the store and is timed from the first read to the last byte \
         written to `io::sink()`. Its CPU time is the process's, all threads, user and system; \
         its peak RSS is the kernel's `VmHWM`, everything it ever had resident, the store's \
         page cache included. The modes took turns, {} time{} each, on a machine whose load \
         average (1, 5 and 15 minutes) was {load_average} when this section started; the \
         store's files were in the operating system's cache, so this is the export's own \
         work, not the disk's.",
        megabytes(store_bytes as f64),
        settings.repeats,
        if settings.repeats == 1 { "" } else { "s" },
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| run | responses/s | seconds | CPU per response | peak RSS | of the scan's speed (CPU) |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |")?;
    for mode in MODES
        .into_iter()
        .filter(|m| *m == Mode::Open || m.per_response())
    {
        let summary = Summary::of(runs, mode, n);
        if mode == Mode::Open {
            writeln!(
                out,
                "| {} | — | — | — | {} | — |",
                mode.label(),
                summary.peak_rss.show(megabytes)
            )?;
            continue;
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.0} % |",
            mode.label(),
            summary.rate.show(|v| thousands(v.round() as u64)),
            summary.seconds.show(|v| format!("{v:.3}")),
            summary.cpu.show(|v| format!("{v:.1} µs")),
            summary.peak_rss.show(megabytes),
            summary.share_by_cpu(&scan) * 100.0
        )?;
    }
    writeln!(out)?;
    let csv_share = csv.share_by_cpu(&scan);
    writeln!(
        out,
        "**Speed aim {}:** the CSV export used {:.1} µs of CPU per response against the raw \
         scan's {:.1} µs, so it runs at {:.0} % of the scan's speed (median against median; \
         aim: at least {:.0} %). By wall-clock responses/s it was {:.0} %; CPU time is the \
         figure to trust when the two differ, as other work on the machine slows a run's \
         clock but not its CPU time.",
        if csv_share >= AIM_SHARE {
            "met"
        } else {
            "not met"
        },
        csv.cpu.median,
        scan.cpu.median,
        csv_share * 100.0,
        AIM_SHARE * 100.0,
        csv.share_by_clock(&scan) * 100.0,
    )?;
    writeln!(out)?;
    let worst = csv.peak_rss.max;
    let opened = Summary::of(runs, Mode::Open, n).peak_rss.max;
    let added = megabytes((worst - scan.peak_rss.max).max(0.0));
    let over_floor = worst / floor.peak_rss.max - 1.0;
    writeln!(
        out,
        "**Memory aim {}:** the CSV export's peak RSS was at most {}, {:.1} % over sled's own \
         scan of the same store at {} (aim: at most {aim_mb:.0} MB, and within {:.0} %). \
         Opening the store and reading nothing peaked at {} at most, and the raw scan, which \
         holds one response at a time and writes nothing, at {}: {}",
        if worst <= AIM_PEAK_RSS as f64 && over_floor <= AIM_OVER_FLOOR {
            "met"
        } else {
            "not met"
        },
        megabytes(worst),
        over_floor * 100.0,
        megabytes(floor.peak_rss.max),
        AIM_OVER_FLOOR * 100.0,
        megabytes(opened),
        megabytes(scan.peak_rss.max),
        if floor.peak_rss.max >= AIM_PEAK_RSS as f64 {
            format!(
                "sled's own scan exceeds the aim, so the store's memory (sled's in-memory \
                 page table and its page cache), not the export's, is what to reduce. The \
                 export adds {added} to the raw scan's peak."
            )
        } else {
            format!("the export adds {added} to the raw scan's peak.")
        }
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "**Idle aim {}:** the collector (`voices-collector serve`, release build) started {} \
         time{} on this store held {} once idle (median; {} at most), having peaked at {} \
         at most while it started (opening the store and counting every response once for \
         the summary pages, in the background). Idle means its CPU time grew by less than \
         {} ms in {} ms; it took {} to get there (median).",
        if idle.rss.max < AIM_IDLE_RSS as f64 {
            "met"
        } else {
            "not met"
        },
        idle.runs,
        if idle.runs == 1 { "" } else { "s" },
        megabytes(idle.rss.median),
        megabytes(idle.rss.max),
        megabytes(idle.peak.max),
        IDLE_CPU.as_millis(),
        IDLE_POLL.as_millis(),
        format_args!("{:.1} s", idle.seconds.median),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "The XLSX export is there for comparison, without an aim: it writes its rows through a \
         temporary file (rust_xlsxwriter's constant-memory mode, in `TMPDIR`) and compresses \
         that file into the workbook at the end; it ran at {:.0} % of the scan's speed by CPU \
         time and peaked at {} at most.",
        xlsx.share_by_cpu(&scan) * 100.0,
        megabytes(xlsx.peak_rss.max),
    )?;
    writeln!(out)?;
    dashboard_and_day(&mut out, runs, n)?;
    writeln!(out)?;
    summary_and_reach(&mut out, runs, n)?;
    Ok(out)
}

/// The dashboard's counts and a one-day export, each beside the way it was
/// done before the store kept counts and kept responses in time order (measured in the same run).
fn dashboard_and_day(out: &mut String, runs: &[Run], n: u64) -> Result<()> {
    writeln!(out, "### The dashboard and a one-day export")?;
    writeln!(out)?;
    writeln!(
        out,
        "The staff dashboard shows each survey's counts (in all, in the last 7 days, by channel \
         and version), and staff often download one day's responses. Both read what the store \
         keeps for them: counts per day, version and channel, written in the same atomic batch \
         as each response, and responses kept in time order. Beside each, in the same run and the \
         same store of {} responses, the way it was done before: decoding every response to \
         count it, and reading every response to keep one day's ({} rows, `from=to=2026-01-02`). \
         Times are wall-clock per call, in a fresh process that has opened the store.",
        thousands(n),
        thousands(DAY_ROWS),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| run | milliseconds | CPU seconds | peak RSS | faster than reading every response |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: |")?;
    for (mode, baseline) in [
        (Mode::Dashboard, Mode::DashboardScan),
        (Mode::DayCsv, Mode::DayCsvScan),
    ] {
        for shown in [mode, baseline] {
            let summary = Summary::of(runs, shown, n);
            let cpu = Spread::of(
                runs.iter()
                    .filter(|r| r.mode == shown)
                    .map(|r| r.cpu_seconds),
            );
            let ratio = if shown == mode {
                let base = Summary::of(runs, baseline, n);
                format!("{:.0}×", base.seconds.median / summary.seconds.median)
            } else {
                "(baseline)".to_owned()
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {ratio} |",
                shown.label(),
                summary.seconds.show(|v| format!("{:.1}", v * 1e3)),
                cpu.show(|v| format!("{v:.3}")),
                summary.peak_rss.show(megabytes),
            )?;
        }
    }
    Ok(())
}

/// The summary and reach pages' counts: kept up to date, against counting every response
/// on each view (measured in the same run).
fn summary_and_reach(out: &mut String, runs: &[Run], n: u64) -> Result<()> {
    writeln!(out, "### The summary and reach pages")?;
    writeln!(out)?;
    writeln!(
        out,
        "The staff summary and reach pages count every response's answers, question by \
         question, and protect the counts (small numbers hidden, with whatever would give \
         them away). The collector keeps those counts in memory, split by day, version and \
         channel, and brings them up to date on each view by reading only the responses \
         stored since the last one (`collector/src/running_counts.rs`); it counts every \
         response once in the background when it starts. The reach page's figure is one view \
         after {} new responses arrived: the counts brought up to date, every response's \
         summary, and a filter's (face to face) protected together with it, which is what \
         the page works out before it writes its HTML. Beside it, in the same run and the \
         same store of {} responses: counting them all once, and the summary read from every \
         response, as the pages did before. Times are wall-clock, in a fresh process that has \
         opened the store. Aim: **the reach page for {} responses in under {AIM_REACH_SECONDS:.0} s**.",
        thousands(ARRIVING),
        thousands(n),
        thousands(n),
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| run | seconds | CPU seconds | peak RSS | faster than reading every response |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: |")?;
    let baseline = Summary::of(runs, Mode::SummaryScan, n);
    for mode in [Mode::Reach, Mode::SummaryCold, Mode::SummaryScan] {
        let summary = Summary::of(runs, mode, n);
        let cpu = Spread::of(
            runs.iter()
                .filter(|r| r.mode == mode)
                .map(|r| r.cpu_seconds),
        );
        let ratio = if mode == Mode::SummaryScan {
            "(baseline)".to_owned()
        } else {
            format!("{:.1}×", baseline.seconds.median / summary.seconds.median)
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {ratio} |",
            mode.label(),
            summary.seconds.show(|v| format!("{v:.3}")),
            cpu.show(|v| format!("{v:.3}")),
            summary.peak_rss.show(megabytes),
        )?;
    }
    writeln!(out)?;
    let reach = Summary::of(runs, Mode::Reach, n);
    writeln!(
        out,
        "**Aim {}:** the reach page's counts took {:.3} s at most (aim: under \
         {AIM_REACH_SECONDS:.0} s), against {:.3} s (median) to read every response. The \
         first view after the collector starts waits for the count at start-up if it has not \
         finished.",
        if reach.seconds.max < AIM_REACH_SECONDS {
            "met"
        } else {
            "not met"
        },
        reach.seconds.max,
        baseline.seconds.median,
    )?;
    Ok(())
}
