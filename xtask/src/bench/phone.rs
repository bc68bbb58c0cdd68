//! The "Phone profile" section: how long a first-time visitor on a slow phone and a
//! poor connection waits before they can answer the first question, beside a plain
//! static page of the same question (the floor), measured in one run.
//!
//! The browser side is tests/e2e/bench/phone.mjs (Playwright driving Debian's Chromium
//! through the DevTools protocol); this module starts the collector, runs the script,
//! and writes the figures.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::Length;
use super::stats::{Spread, kb};
use crate::process;
use crate::server::Server;

/// The survey every page shows: the reference survey.
const SURVEY: &str = "engagement-2026";

#[derive(Deserialize)]
struct Report {
    device: String,
    viewport: Viewport,
    cpu_slowdown: u32,
    network: Network,
    results: BTreeMap<String, Vec<Visit>>,
}

#[derive(Deserialize)]
struct Viewport {
    width: u32,
    height: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Network {
    latency: f64,
    download_throughput: f64,
    upload_throughput: f64,
}

#[derive(Deserialize)]
struct Visit {
    /// Milliseconds from navigation until the first question's first input is usable.
    ms: f64,
    /// When "Start now" could be pressed (the widget shows the privacy notice first).
    start_ms: Option<f64>,
    /// Bytes on the wire (headers and compressed bodies) by DevTools resource type.
    bytes: BTreeMap<String, u64>,
    encodings: Vec<String>,
}

/// The pages, in the order the table shows them, with what each one is.
const PAGES: [(&str, &str); 3] = [
    ("hosted", "hosted page `/s/engagement-2026`"),
    ("demo", "demo partner page `/demo`"),
    ("floor", "floor: static HTML of the same first question"),
];

pub fn section(root: &Path, target_dir: &Path, length: Length) -> Result<String> {
    let runs = match length {
        Length::Full => 5,
        Length::Quick => 1,
    };
    let e2e = root.join("tests/e2e");
    if !e2e.join("node_modules/playwright-core").is_dir() {
        bail!(
            "the phone profile drives Chromium with Playwright: run `npm ci` in {} first (.ci/run does)",
            e2e.display()
        );
    }
    // `bench::run` built the release collector and its examples.
    let binary = target_dir.join("release/voices-collector");
    let server = Server::collector_with(
        &binary,
        root,
        &target_dir.join("xtask/bench"),
        true,
        &["--demo"],
    )?;
    let url = format!("http://{}", server.addr);
    let mut node = Command::new("node");
    node.current_dir(&e2e)
        .arg("bench/phone.mjs")
        .arg(&url)
        .arg(SURVEY)
        .arg(runs.to_string());
    let output = process::output(node).context("running tests/e2e/bench/phone.mjs")?;
    drop(server);
    let report: Report = serde_json::from_str(output.trim())
        .context("reading the phone profile's report from phone.mjs")?;
    markdown(&report, runs)
}

fn markdown(report: &Report, runs: usize) -> Result<String> {
    let mut out = String::new();
    writeln!(out, "## Phone profile")?;
    writeln!(out)?;
    writeln!(
        out,
        "How long someone on a slow phone with a poor connection waits, on a first visit, \
         before they can answer the first question: milliseconds from navigation until the \
         first question's first input is visible and enabled. The widget shows the privacy \
         notice first, so the measurement presses \"Start now\" the moment it can be pressed \
         (the \"Start now\" column), wherever it is first: the screen the collector rendered \
         into the page, or the widget once it has taken over. A press before the takeover shows \
         the first page, which came with the first screen (a browser without JavaScript would \
         post the form instead); the measurement follows a posted form to the next page too. \
         The demo page loads `embed.js?survey=`, as the documented snippet does. The floor is \
         a plain static HTML page with the same first question, served under the same \
         conditions: no page can be quicker. Aims (#21): the hosted page at most 1.5× the \
         floor, the partner page at most 2×."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Headless Chromium (Debian's) through the DevTools protocol: CPU slowed {}×, {} ms \
         latency, {:.1} Mbit/s down and {:.0} kbit/s up, cache disabled, a {} viewport \
         ({}×{}); each visit a fresh browser context; the three pages took turns, in {runs} \
         rounds; the collector built `--release`, started with `--demo`, over plain HTTP on \
         127.0.0.1.",
        report.cpu_slowdown,
        report.network.latency,
        report.network.download_throughput * 8.0 / 1e6,
        report.network.upload_throughput * 8.0 / 1e3,
        report.device,
        report.viewport.width,
        report.viewport.height,
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "| page | first input usable | \"Start now\" usable | bytes on the wire | of which script + wasm | encodings | vs the floor |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | --- | ---: |")?;
    let floor = report
        .results
        .get("floor")
        .map(|visits| Spread::of(visits.iter().map(|v| v.ms)).median)
        .context("the report has no floor page")?;
    for (name, what) in PAGES {
        let Some(visits) = report.results.get(name) else {
            bail!("the report has no {name} page");
        };
        let ready = Spread::of(visits.iter().map(|v| v.ms));
        let starts: Vec<f64> = visits.iter().filter_map(|v| v.start_ms).collect();
        let start = if starts.is_empty() {
            "—".to_owned()
        } else {
            Spread::of(starts).show(|ms| format!("{ms:.0} ms"))
        };
        let total = Spread::of(visits.iter().map(|v| v.bytes.values().sum::<u64>() as f64));
        let code = Spread::of(visits.iter().map(|v| {
            v.bytes
                .iter()
                .filter(|(kind, _)| matches!(kind.as_str(), "Script" | "Fetch"))
                .map(|(_, bytes)| *bytes)
                .sum::<u64>() as f64
        }));
        let mut encodings: Vec<&str> = visits
            .iter()
            .flat_map(|v| v.encodings.iter().map(String::as_str))
            .collect();
        encodings.sort_unstable();
        encodings.dedup();
        writeln!(
            out,
            "| {what} | {} | {start} | {} | {} | {} | {:.1}× |",
            ready.show(|ms| format!("{ms:.0} ms")),
            kb(total.median as u64),
            kb(code.median as u64),
            encodings.join(", "),
            ready.median / floor
        )?;
    }
    writeln!(out)?;
    let brotli = report
        .results
        .values()
        .flatten()
        .any(|v| v.encodings.iter().any(|e| e == "br"));
    writeln!(
        out,
        "Bytes on the wire are DevTools' encoded lengths (headers included) summed over every \
         response of a visit; \"script + wasm\" is the Script and Fetch types (embed.js, the \
         JS glue, the survey definition and the wasm, which is fetched). {}",
        if brotli {
            "Chromium asked for brotli even over plain HTTP on 127.0.0.1, so these are the \
             bytes a partner site over HTTPS would send."
        } else {
            "Chromium did not ask for brotli over plain HTTP here, so these are gzip sizes; \
             over HTTPS the widget would be smaller (see Widget weight)."
        }
    )?;
    Ok(out)
}
