//! `cargo xtask`: the workspace's build, demo and test automation, in Rust so it runs the same everywhere.

mod bench;
mod checks;
mod demo_mailbox;
mod dist;
mod faults;
mod fuzz;
mod http_client;
mod minify;
mod postgres;
mod process;
mod server;
mod widget;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Build, demo and test automation for Voices")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile the widget to wasm and write hashed, precompressed assets to widget/dist/.
    BuildWidget,
    /// Build everything and run the collector with the demo page on http://127.0.0.1:8080/demo.
    Demo,
    /// Run every check: formatting, lints, builds, unit tests and browser tests.
    Test,
    /// The same checks as `test`, with `--locked` so CI fails on an out-of-date Cargo.lock.
    Ci,
    /// Run each cargo-fuzz target in fuzz/ in turn (needs nightly and cargo-fuzz); print executions and findings.
    Fuzz {
        /// How long each target runs.
        #[arg(long, default_value_t = fuzz::DEFAULT_SECONDS)]
        seconds: u64,
        /// Run only this target (survey_definition, submission, export_cells).
        target: Option<String>,
    },
    /// SIGKILL the release collector at random moments under load, on sled and on PostgreSQL; crash PostgreSQL under load; SIGKILL one of two collectors on one database: every acknowledged receipt must survive, once.
    Faults {
        /// How many kill-and-restart trials to run on sled.
        #[arg(long, default_value_t = 20)]
        trials: usize,
        /// How many kill-and-restart trials to run on PostgreSQL (before its crash and
        /// the two collectors, which run once each).
        #[arg(long, default_value_t = 8)]
        postgres_trials: usize,
        /// Which stores to run the faults on.
        #[arg(long, value_enum, default_value = "both")]
        stores: faults::Stores,
    },
    /// Run every benchmark (widget weight, phone profile, ingest, soak, export, PostgreSQL); rewrite BENCHMARKS.md.
    Bench {
        /// A short single run, to check the benchmark works; not figures to keep.
        #[arg(long)]
        quick: bool,
        /// Run this one section and print it; BENCHMARKS.md is left as it is.
        #[arg(long, value_enum)]
        only: Option<bench::Section>,
    },
}

fn main() -> Result<()> {
    let root = workspace_root();
    match Cli::parse().command {
        Command::BuildWidget => widget::build(&root, Locked::No),
        Command::Demo => demo(&root),
        Command::Test => checks::run(&root, Locked::No),
        Command::Ci => checks::run(&root, Locked::Yes),
        Command::Fuzz { seconds, target } => fuzz::run(&root, seconds, target.as_deref()),
        Command::Faults {
            trials,
            postgres_trials,
            stores,
        } => faults::run(&root, trials, postgres_trials, stores),
        Command::Bench { quick, only } => bench::run(
            &root,
            if quick {
                bench::Length::Quick
            } else {
                bench::Length::Full
            },
            only,
        ),
    }
}

/// Whether cargo may update Cargo.lock; CI must not, so a stale lock fails loudly.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    No,
    Yes,
}

/// The workspace root: xtask lives one level below it, so every path is resolved from
/// here and the commands work from any current directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// The collector embeds widget/dist/ at compile time, so the widget is built first.
fn demo(root: &Path) -> Result<()> {
    widget::build(root, Locked::No)?;
    process::run(process::cargo(
        root,
        Locked::No,
        &["build", "--release", "-p", "voices-collector"],
    ))?;
    let relay = demo_mailbox::start()?;
    println!("\nVoices demo: http://127.0.0.1:8080/demo");
    println!("Update emails people ask for are printed here (a mail relay at {relay}).\n");
    let mut server = std::process::Command::new(root.join("target/release/voices-collector"));
    server.current_dir(root).args([
        "serve",
        "--addr",
        "127.0.0.1:8080",
        "--data",
        "voices-data",
        "--surveys",
        "examples/surveys",
        "--demo",
        "--smtp-url",
        &relay,
        "--mail-from",
        "Voices demo <voices@demo.invalid>",
        "--public-url",
        "http://127.0.0.1:8080",
    ]);
    // Run, not exec: the relay lives in this process. Ctrl-C reaches both.
    process::run(server).context(
        "the demo collector stopped; if it said an example survey is already published with \
         different content, this voices-data was made from older examples: it is the demo's \
         own, so remove it and run the demo again",
    )
}
