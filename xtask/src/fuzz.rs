//! `fuzz`: run each cargo-fuzz target in fuzz/ for a fixed time, one after another, and report executions and findings.
//!
//! Installs nothing: it says what is missing (the nightly toolchain,
//! cargo-fuzz) and stops. Each run starts from the committed seeds
//! (fuzz/corpus/<target>) copied into a scratch corpus under fuzz/target, so
//! the seeds stay small and two runs of the same length are comparable. A
//! target runs in one libFuzzer process (no `-jobs`): the machine is shared.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The default length of each target's run: the ten minutes issue 6 asks for.
pub const DEFAULT_SECONDS: u64 = 600;

/// cargo-fuzz's build options, the same for `build` and `run` so `run` does
/// not rebuild. No sanitizer: the code fuzzed is safe Rust, and AddressSanitizer
/// cut the XLSX target from about 160 to 55 executions a second; debug
/// assertions and overflow checks stay on (cargo-fuzz's default).
const BUILD_OPTIONS: &[&str] = &["--sanitizer", "none"];

/// A single input slower than this is a finding (a hang), not a slow run.
const TIMEOUT_SECONDS: u64 = 10;

/// What one target's run found, from libFuzzer's final statistics.
struct Outcome {
    target: String,
    wall: Duration,
    executions: Option<u64>,
    per_second: Option<u64>,
    corpus_files: usize,
    /// libFuzzer's last `corp: N/size` and `cov:` figures.
    corpus: Option<String>,
    coverage: Option<String>,
    peak_rss_mb: Option<u64>,
    /// Crash, timeout or out-of-memory inputs written by this run.
    artifacts: Vec<PathBuf>,
    success: bool,
}

pub fn run(root: &Path, seconds: u64, only: Option<&str>) -> Result<()> {
    let fuzz_dir = root.join("fuzz");
    require_tools()?;
    let targets = targets(&fuzz_dir)?;
    let chosen: Vec<String> = match only {
        Some(name) if targets.iter().any(|t| t == name) => vec![name.to_owned()],
        Some(name) => bail!(
            "no fuzz target named {name:?}; the targets are {}",
            targets.join(", ")
        ),
        None => targets,
    };

    // Build every target first, so the build is not counted in any run's time.
    let mut build = nightly_cargo(root);
    build
        .args(["fuzz", "build"])
        .args(BUILD_OPTIONS)
        .arg("--fuzz-dir")
        .arg(&fuzz_dir);
    echo(&build);
    let status = build
        .status()
        .context("could not start `cargo +nightly fuzz build`")?;
    if !status.success() {
        bail!("`cargo +nightly fuzz build` failed ({status})");
    }

    let mut outcomes = Vec::new();
    for target in &chosen {
        outcomes.push(run_target(root, &fuzz_dir, target, seconds)?);
    }
    print_summary(&outcomes, seconds);
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.success)
        .map(|o| o.target.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "fuzzing found problems in {}: reproduce with `cargo +nightly fuzz run TARGET ARTIFACT`, minimise with `cargo +nightly fuzz tmin TARGET ARTIFACT`",
            failed.join(", ")
        );
    }
    Ok(())
}

/// `cargo` through the rustup proxy with `+nightly`: the `CARGO` running xtask
/// is the pinned stable one, and cargo-fuzz needs nightly-only rustc flags.
fn nightly_cargo(root: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root).arg("+nightly");
    cmd
}

/// Says exactly what is missing rather than installing anything.
fn require_tools() -> Result<()> {
    let works = |args: &[&str]| {
        Command::new("cargo")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !works(&["+nightly", "--version"]) {
        bail!(
            "fuzzing needs the nightly toolchain (cargo-fuzz passes nightly-only flags to rustc), and `cargo +nightly` does not run; install it with `rustup toolchain install nightly`"
        );
    }
    if !works(&["+nightly", "fuzz", "--version"]) {
        bail!(
            "fuzzing needs cargo-fuzz, which is not installed; install it with `cargo install cargo-fuzz`"
        );
    }
    Ok(())
}

/// The targets: one file each in fuzz/fuzz_targets/, by name.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>> {
    let dir = fuzz_dir.join("fuzz_targets");
    let mut names = Vec::new();
    for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            names.push(stem.to_owned());
        }
    }
    names.sort();
    if names.is_empty() {
        bail!("no fuzz targets in {}", dir.display());
    }
    Ok(names)
}

/// A fresh scratch corpus holding a copy of the committed seeds.
fn scratch_corpus(fuzz_dir: &Path, target: &str) -> Result<PathBuf> {
    let scratch = fuzz_dir.join("target/corpus").join(target);
    if scratch.exists() {
        fs::remove_dir_all(&scratch).with_context(|| format!("clearing {}", scratch.display()))?;
    }
    fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let seeds = fuzz_dir.join("corpus").join(target);
    if seeds.is_dir() {
        for entry in fs::read_dir(&seeds)? {
            let path = entry?.path();
            if path.is_file() {
                fs::copy(&path, scratch.join(path.file_name().expect("a file name")))?;
            }
        }
    }
    Ok(scratch)
}

fn artifacts(fuzz_dir: &Path, target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir.join("artifacts").join(target);
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    found.sort();
    found
}

fn run_target(root: &Path, fuzz_dir: &Path, target: &str, seconds: u64) -> Result<Outcome> {
    let scratch = scratch_corpus(fuzz_dir, target)?;
    let before = artifacts(fuzz_dir, target);
    let mut cmd = nightly_cargo(root);
    cmd.args(["fuzz", "run"])
        .args(BUILD_OPTIONS)
        .arg("--fuzz-dir")
        .arg(fuzz_dir)
        .arg(target)
        .arg(&scratch)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1");
    let dict = fuzz_dir.join("dict").join(format!("{target}.dict"));
    if dict.is_file() {
        cmd.arg(format!("-dict={}", dict.display()));
    }
    println!("\n== fuzz {target}: {seconds} s ==");
    echo(&cmd);
    let started = Instant::now();
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .context("could not start `cargo +nightly fuzz run`")?;
    let mut executions = None;
    let mut per_second = None;
    let mut peak_rss_mb = None;
    let (mut corpus, mut coverage) = (None, None);
    // libFuzzer reports on stderr: pass every line on, and keep the figures.
    let stderr = child.stderr.take().expect("stderr is piped");
    for line in BufReader::new(stderr).lines() {
        let line = line.context("reading libFuzzer's output")?;
        eprintln!("{line}");
        if let Some(n) = stat(&line, "stat::number_of_executed_units:") {
            executions = Some(n);
        } else if let Some(n) = stat(&line, "stat::average_exec_per_sec:") {
            per_second = Some(n);
        } else if let Some(n) = stat(&line, "stat::peak_rss_mb:") {
            peak_rss_mb = Some(n);
        }
        if let Some(c) = field(&line, "corp:") {
            corpus = Some(c);
        }
        if let Some(c) = field(&line, "cov:") {
            coverage = Some(c);
        }
    }
    let status = child.wait().context("waiting for `cargo fuzz run`")?;
    let wall = started.elapsed();
    let new_artifacts: Vec<PathBuf> = artifacts(fuzz_dir, target)
        .into_iter()
        .filter(|a| !before.contains(a))
        .collect();
    let corpus_files = fs::read_dir(&scratch).map_or(0, |d| d.count());
    Ok(Outcome {
        target: target.to_owned(),
        wall,
        executions,
        per_second,
        corpus_files,
        corpus,
        coverage,
        peak_rss_mb,
        success: status.success() && new_artifacts.is_empty(),
        artifacts: new_artifacts,
    })
}

/// `stat::name: 123` from libFuzzer's final statistics.
fn stat(line: &str, name: &str) -> Option<u64> {
    line.trim().strip_prefix(name)?.trim().parse().ok()
}

/// The word after `name` in a status line (`#1024 pulse cov: 812 ft: 1900 corp: 40/3Kb ...`).
fn field(line: &str, name: &str) -> Option<String> {
    if !line.starts_with('#') {
        return None;
    }
    let mut words = line.split_whitespace();
    words.find(|w| *w == name)?;
    words.next().map(str::to_owned)
}

fn print_summary(outcomes: &[Outcome], seconds: u64) {
    let show = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
    println!("\n== fuzzing: {seconds} s a target ==\n");
    println!(
        "| target | wall time | executions | exec/s | corpus (files; libFuzzer entries/size) | coverage | peak RSS | findings |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    for o in outcomes {
        let findings = if o.artifacts.is_empty() && o.success {
            "none".to_owned()
        } else if o.artifacts.is_empty() {
            "the run failed; see its output above".to_owned()
        } else {
            o.artifacts
                .iter()
                .map(|a| a.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "| {} | {:.0} s | {} | {} | {}; {} | {} | {} MB | {} |",
            o.target,
            o.wall.as_secs_f64(),
            show(o.executions),
            show(o.per_second),
            o.corpus_files,
            o.corpus.as_deref().unwrap_or("?"),
            o.coverage.as_deref().unwrap_or("?"),
            show(o.peak_rss_mb),
            findings
        );
    }
}

/// Prints the command as a shell line before it runs.
fn echo(cmd: &Command) {
    let line: Vec<String> = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    println!("$ {}", line.join(" "));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_figures() {
        assert_eq!(
            stat(
                "stat::number_of_executed_units: 123456",
                "stat::number_of_executed_units:"
            ),
            Some(123456)
        );
        assert_eq!(
            stat("stat::peak_rss_mb: 88", "stat::average_exec_per_sec:"),
            None
        );
        let line =
            "#65536\tpulse  cov: 2310 ft: 8123 corp: 412/96Kb lim: 4096 exec/s: 1820 rss: 120Mb";
        assert_eq!(field(line, "corp:").as_deref(), Some("412/96Kb"));
        assert_eq!(field(line, "cov:").as_deref(), Some("2310"));
        assert_eq!(field("INFO: corp: 1/1b", "corp:"), None);
    }
}
