//! `test` and `ci`: one table of checks, run in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::{Locked, process, widget};

struct Step {
    name: &'static str,
    action: Action,
}

enum Action {
    /// A cargo command run from the workspace root.
    Cargo {
        args: &'static [&'static str],
        /// Whether the subcommand accepts `--locked` (`cargo fmt` does not).
        lockable: bool,
    },
    BuildWidget,
    BrowserTests,
}

const fn cargo(args: &'static [&'static str]) -> Action {
    Action::Cargo {
        args,
        lockable: true,
    }
}

/// Every check, in order: cheap ones first so a typo fails in seconds, and the widget
/// built before anything that compiles the collector, which embeds widget/dist/.
const STEPS: &[Step] = &[
    Step {
        name: "format",
        action: Action::Cargo {
            args: &["fmt", "--all", "--", "--check"],
            lockable: false,
        },
    },
    Step {
        name: "build widget",
        action: Action::BuildWidget,
    },
    Step {
        name: "clippy (native)",
        action: cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    },
    Step {
        name: "clippy (widget, wasm)",
        action: cargo(&[
            "clippy",
            "-p",
            "voices-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    },
    // The widget links the shared crate into wasm; catch a native-only dependency here
    // rather than deep inside the widget build.
    Step {
        name: "build shared (wasm)",
        action: cargo(&[
            "build",
            "-p",
            "voices-shared",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    },
    Step {
        name: "unit tests",
        action: cargo(&["test", "--workspace"]),
    },
    Step {
        name: "browser tests",
        action: Action::BrowserTests,
    },
];

pub fn run(root: &Path, locked: Locked) -> Result<()> {
    let started = Instant::now();
    let mut timings = Vec::new();
    for (index, step) in STEPS.iter().enumerate() {
        println!("\n==> [{}/{}] {}", index + 1, STEPS.len(), step.name);
        let step_started = Instant::now();
        let result = run_step(root, locked, &step.action);
        let seconds = step_started.elapsed().as_secs_f64();
        result.with_context(|| format!("step `{}` failed after {seconds:.1} s", step.name))?;
        println!("==> {} ok ({seconds:.1} s)", step.name);
        timings.push((step.name, seconds));
    }

    println!("\nStep timings:");
    for (name, seconds) in timings {
        println!("  {name:<24} {seconds:>7.1} s");
    }
    println!(
        "All {} checks passed in {:.1} s.",
        STEPS.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn run_step(root: &Path, locked: Locked, action: &Action) -> Result<()> {
    match *action {
        Action::Cargo { args, lockable } => {
            let locked = if lockable { locked } else { Locked::No };
            process::run(process::cargo(root, locked, args))
        }
        Action::BuildWidget => widget::build(root, locked),
        Action::BrowserTests => browser_tests(root),
    }
}

/// Playwright tests in tests/e2e, once they exist. `npm ci` runs only when node_modules is
/// missing (.ci/run installs it up front); browsers come from the system (Debian's
/// chromium), never from Playwright's own download, which cannot be reached here.
fn browser_tests(root: &Path) -> Result<()> {
    let e2e = root.join("tests/e2e");
    if !e2e.join("package.json").exists() {
        println!("skipped: no browser tests yet (tests/e2e/package.json is missing)");
        return Ok(());
    }
    if !e2e.join("node_modules").exists() {
        let mut install = Command::new("npm");
        install
            .current_dir(&e2e)
            .arg("ci")
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        process::run(install)?;
    }
    let mut playwright = Command::new("npx");
    playwright.current_dir(&e2e).args(["playwright", "test"]);
    process::run(playwright)
}
