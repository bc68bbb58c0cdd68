//! `bench`: measure the widget's weight, the phone profile, the collector's ingest
//! rate, a soak at a steady rate, exports, and ingest and export on PostgreSQL, and
//! rewrite BENCHMARKS.md.
//!
//! Each part of the report is a section: a function that measures and returns its
//! markdown, from its `## ` heading down. [`run`] puts a header (when, on what,
//! from which commit) above the sections and writes the file whole, so the file
//! only ever holds figures from one run. To add a section, write the function and
//! list it in [`run`].

mod export;
mod ingest;
mod load;
mod phone;
mod postgres;
mod postgres_export;
mod soak;
mod sql_floor;
mod stats;
pub(crate) mod submission;
mod weight;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use time::OffsetDateTime;

use crate::{Locked, process, widget};

/// How long to measure: the full run is what BENCHMARKS.md should hold; `--quick`
/// checks that the benchmark itself works.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Length {
    Full,
    Quick,
}

/// One section of the report, for `--only`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    Weight,
    Ingest,
    Phone,
    Soak,
    Export,
    Postgres,
    PostgresExport,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::Weight,
        Section::Ingest,
        Section::Phone,
        Section::Soak,
        Section::Export,
        Section::Postgres,
        Section::PostgresExport,
    ];

    fn name(self) -> &'static str {
        match self {
            Section::Weight => "weight",
            Section::Ingest => "ingest",
            Section::Phone => "phone",
            Section::Soak => "soak",
            Section::Export => "export",
            Section::Postgres => "postgres",
            Section::PostgresExport => "postgres-export",
        }
    }

    fn measure(self, root: &Path, length: Length) -> Result<String> {
        match self {
            Section::Weight => weight::section(root),
            Section::Ingest => ingest::section(root, &target_dir(root), length),
            Section::Phone => phone::section(root, &target_dir(root), length),
            Section::Soak => soak::section(root, &target_dir(root), length),
            Section::Export => export::section(root, &target_dir(root), length),
            Section::Postgres => postgres::section(root, &target_dir(root), length),
            Section::PostgresExport => postgres_export::section(&target_dir(root), length),
        }
    }
}

pub fn run(root: &Path, length: Length, only: Option<Section>) -> Result<()> {
    // Unoptimised tokio and hyper would make the load generator the bottleneck, and
    // the workspace's dev profile is not ours to change: run the bench from an
    // optimised build of xtask instead. The release build is not a debug build, so
    // this happens once.
    if cfg!(debug_assertions) {
        println!("bench: running from an optimised build of xtask, so the load generator keeps up");
        let mut args = vec!["run", "--release", "-p", "xtask", "--", "bench"];
        if length == Length::Quick {
            args.push("--quick");
        }
        if let Some(section) = only {
            args.extend(["--only", section.name()]);
        }
        return process::run(process::cargo(root, Locked::No, &args));
    }

    let started = OffsetDateTime::now_utc();
    // The weight is of the widget as it is now, and the collector embeds it.
    widget::build(root, Locked::No)?;
    // The release collector, for every section that runs it; cargo makes this a
    // no-op when it is up to date.
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
    if let Some(section) = only {
        let markdown = section.measure(root, length)?;
        println!("\n{markdown}");
        println!("(--only {}: BENCHMARKS.md left as it was)", section.name());
        return Ok(());
    }
    let sections = Section::ALL
        .into_iter()
        .map(|section| section.measure(root, length))
        .collect::<Result<Vec<String>>>()?;

    let mut markdown = header(root, length, started)?;
    for section in sections {
        markdown.push('\n');
        markdown.push_str(&section);
    }
    let path = root.join("BENCHMARKS.md");
    fs::write(&path, &markdown).with_context(|| format!("writing {}", path.display()))?;
    println!("\n{markdown}");
    println!("wrote {}", path.display());
    Ok(())
}

/// What the figures below were measured on, and how to read them.
fn header(root: &Path, length: Length, started: OffsetDateTime) -> Result<String> {
    let date = format!(
        "{}-{:02}-{:02} {:02}:{:02} UTC",
        started.year(),
        u8::from(started.month()),
        started.day(),
        started.hour(),
        started.minute()
    );
    let command = match length {
        Length::Full => "cargo xtask bench",
        Length::Quick => "cargo xtask bench --quick",
    };
    let machine = machine()?;
    let rustc = process::output(rustc_version(root))?;
    let commit = commit(root)?;

    let mut out = String::new();
    writeln!(out, "# Benchmarks")?;
    writeln!(out)?;
    writeln!(
        out,
        "Written by `cargo xtask bench`, which rewrites this whole file on every run: \
         every figure below comes from the one run described here."
    )?;
    writeln!(out)?;
    writeln!(out, "| | |")?;
    writeln!(out, "| --- | --- |")?;
    writeln!(out, "| date | {date} |")?;
    writeln!(out, "| command | `{command}` |")?;
    writeln!(out, "| commit | {commit} |")?;
    writeln!(out, "| machine | {machine} |")?;
    writeln!(out, "| compiler | {} |", rustc.trim())?;
    writeln!(out)?;
    writeln!(out, "## How to read this")?;
    writeln!(out)?;
    writeln!(
        out,
        "Each section says what it measures, the aim it is measured against, and whether \
         this run met it. Sizes are in kB of 1,000 bytes. Timings come from one small \
         machine, with the load generator sharing its CPUs with the server under test, so \
         compare figures within a run (the collector against the ceiling beside it) rather \
         than with another machine's. A figure written `median (min–max)` is the median of \
         the repeated runs, with the lowest and highest in brackets; a wide range means a \
         noisy machine, so run again before drawing conclusions from a small difference."
    )?;
    Ok(out)
}

/// `rustc --version`, for the toolchain rust-toolchain.toml picks in the workspace.
fn rustc_version(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    cmd.current_dir(root).arg("--version");
    cmd
}

/// CPU count (what `nproc` says), CPU model and memory.
fn machine() -> Result<String> {
    let cpus = std::thread::available_parallelism()
        .context("counting the CPUs")?
        .get();
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").context("reading /proc/cpuinfo")?;
    let model = cpuinfo
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == "model name").then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| "CPU model not given by /proc/cpuinfo".to_owned());
    let meminfo = fs::read_to_string("/proc/meminfo").context("reading /proc/meminfo")?;
    let mem_kib: u64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("/proc/meminfo has no MemTotal")?;
    Ok(format!(
        "{} Linux, {cpus} CPUs (`nproc`), {model}, {:.1} GiB memory",
        std::env::consts::ARCH,
        mem_kib as f64 / (1024.0 * 1024.0)
    ))
}

/// The commit measured, and whether the work tree differed from it.
fn commit(root: &Path) -> Result<String> {
    let mut rev = Command::new("git");
    rev.current_dir(root)
        .args(["rev-parse", "--short=12", "HEAD"]);
    let hash = process::output(rev)?.trim().to_owned();
    let mut status = Command::new("git");
    status.current_dir(root).args(["status", "--porcelain"]);
    let dirty = !process::output(status)?.trim().is_empty();
    Ok(if dirty {
        format!("`{hash}`, with uncommitted changes")
    } else {
        format!("`{hash}`")
    })
}

/// Cargo's target directory; honours CARGO_TARGET_DIR as widget.rs does.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}
