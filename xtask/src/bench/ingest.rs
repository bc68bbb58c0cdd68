//! The "Collector ingest" section: submissions per second the collector stores, against a do-nothing ceiling.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};

use super::Length;
use super::load::{self, Outcome, Plan};
use super::server::Server;
use super::stats::{Spread, millis, thousands};
use super::submission::{Bodies, SURVEY_ID};
use crate::{Locked, process};

/// Concurrent clients, each on its own keep-alive connection.
const CLIENTS: usize = 64;
/// The aim: durable ingest at least this share of the ceiling.
const AIM: f64 = 0.5;

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
    /// The collector with `--unsafe-no-fsync`: answers before the flush.
    NoFsync,
}

const TARGETS: [Target; 3] = [Target::Ceiling, Target::Durable, Target::NoFsync];

impl Target {
    fn label(self) -> &'static str {
        match self {
            Target::Ceiling => "ceiling: `noop_server`",
            Target::Durable => "collector, durable (default)",
            Target::NoFsync => "collector, `--unsafe-no-fsync`",
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
}

impl Binaries {
    fn start(&self, target: Target) -> Result<Server> {
        match target {
            Target::Ceiling => Server::noop(&self.noop),
            Target::Durable => {
                Server::collector(&self.collector, &self.root, &self.scratch, true)
            }
            Target::NoFsync => {
                Server::collector(&self.collector, &self.root, &self.scratch, false)
            }
        }
    }
}

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    process::run(process::cargo(
        root,
        Locked::No,
        &[
            "build",
            "--release",
            "-p",
            "voices-collector",
            "--bins",
            "--examples",
        ],
    ))?;
    let release = target_dir.join("release");
    let binaries = Binaries {
        root: root.to_path_buf(),
        noop: release.join("examples/noop_server"),
        collector: release.join("voices-collector"),
        scratch: target_dir.join("xtask/bench"),
    };
    let settings = Settings::for_length(length);
    let bodies = Arc::new(Bodies::new());

    // Targets take turns within each repeat, so a slow spell of the machine spreads
    // over all of them instead of landing on one.
    let mut runs: Vec<(Target, Outcome)> = Vec::new();
    let total = settings.repeats * TARGETS.len();
    for repeat in 0..settings.repeats {
        for target in TARGETS {
            let mut server = binaries.start(target)?;
            let plan = Plan {
                addr: server.addr,
                clients: CLIENTS,
                warmup: settings.warmup,
                measure: settings.measure,
            };
            let outcome = load::run(&plan, &bodies)?;
            server.check_running()?;
            drop(server);
            println!(
                "ingest [{}/{total}] {:<32} {:>8.0} submissions/s  p50 {:>9}  p99 {:>9}  max {:>9}  {} errors",
                runs.len() + 1,
                target.label().replace('`', ""),
                outcome.per_second(),
                millis(outcome.latency(50.0)),
                millis(outcome.latency(99.0)),
                millis(outcome.max_latency()),
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
            runs.push((target, outcome));
        }
    }
    markdown(&settings, &bodies, &runs)
}

/// One target's runs, summarised.
struct Summary {
    rate: Spread,
    p50: Spread,
    p99: Spread,
    max: Spread,
}

impl Summary {
    fn of(runs: &[(Target, Outcome)], target: Target) -> Summary {
        let outcomes: Vec<&Outcome> = runs
            .iter()
            .filter(|(t, _)| *t == target)
            .map(|(_, o)| o)
            .collect();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Summary {
            rate: Spread::of(outcomes.iter().map(|o| o.per_second())),
            p50: Spread::of(outcomes.iter().map(|o| ms(o.latency(50.0)))),
            p99: Spread::of(outcomes.iter().map(|o| ms(o.latency(99.0)))),
            max: Spread::of(outcomes.iter().map(|o| ms(o.max_latency()))),
        }
    }
}

fn markdown(settings: &Settings, bodies: &Bodies, runs: &[(Target, Outcome)]) -> Result<String> {
    let seconds = |d: Duration| format!("{} s", d.as_secs_f64());
    let ceiling = Summary::of(runs, Target::Ceiling);
    let durable = Summary::of(runs, Target::Durable);
    let share = |s: &Summary| s.rate.median / ceiling.rate.median;
    let sent: u64 = runs.iter().map(|(_, o)| o.sent).sum();

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
         examples/surveys --rate-limit 0`, logging at its default level to a file. The load \
         generator (in xtask, on tokio and hyper, built optimised) runs on the same machine.",
        bodies.mean_len(),
        seconds(settings.warmup),
        seconds(settings.measure),
        settings.repeats,
        if settings.repeats == 1 { "" } else { "s" },
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| server | submissions/s | p50 latency | p99 latency | max latency | of the ceiling |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |")?;
    for target in TARGETS {
        let summary = Summary::of(runs, target);
        let ms = |v: f64| millis(Duration::from_secs_f64(v / 1000.0));
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.0} % |",
            target.label(),
            summary.rate.show(|v| thousands(v.round() as u64)),
            summary.p50.show(ms),
            summary.p99.show(ms),
            summary.max.show(ms),
            share(&summary) * 100.0
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Errors: none. All {} submissions sent, warm-ups included, were answered 2xx with a receipt.",
        thousands(sent)
    )?;
    writeln!(out)?;
    let durable_share = share(&durable);
    if durable_share >= AIM {
        writeln!(
            out,
            "**Aim met:** durable ingest is {:.0} % of the ceiling (median against median; aim: at least {:.0} %).",
            durable_share * 100.0,
            AIM * 100.0
        )?;
    } else {
        writeln!(
            out,
            "**Aim not met:** durable ingest is {:.0} % of the ceiling (median against median; aim: at least {:.0} %).",
            durable_share * 100.0,
            AIM * 100.0
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Reading the rows: the gap between the ceiling and `--unsafe-no-fsync` is the \
         collector's own work (checking the answers, storing them, logging); the gap between \
         `--unsafe-no-fsync` and durable is waiting for the disk. `--unsafe-no-fsync` can \
         lose acknowledged responses in a crash and is never for real use."
    )?;
    Ok(out)
}
