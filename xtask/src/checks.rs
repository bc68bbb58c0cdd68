//! `test` and `ci`: one table of checks, run in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

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
    /// The collector's tests again, on a throwaway PostgreSQL server they start
    /// themselves (`VOICES_TEST_STORE=postgres`): one suite, both stores.
    CollectorTestsOnPostgres,
    BuildWidget,
    /// The widget's wasm-bindgen tests (widget/tests/), in headless Chromium.
    WidgetBrowserTests,
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
            // The weight bench's floor, otherwise built for wasm only by the bench.
            "-p",
            "yew-floor",
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
        name: "collector on PostgreSQL",
        action: Action::CollectorTestsOnPostgres,
    },
    Step {
        name: "widget tests (wasm)",
        action: Action::WidgetBrowserTests,
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
        Action::CollectorTestsOnPostgres => {
            let mut tests = process::cargo(root, locked, &["test", "-p", "voices-collector"]);
            tests.env("VOICES_TEST_STORE", "postgres");
            process::run(tests)
        }
        Action::BuildWidget => widget::build(root, locked),
        Action::WidgetBrowserTests => widget_browser_tests(root, locked),
        Action::BrowserTests => browser_tests(root),
    }
}

/// Where Debian's chromium-driver package puts the driver (`CHROMEDRIVER` overrides it).
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// widget/tests/*.rs, compiled to wasm and run in headless Chromium by
/// `wasm-bindgen-test-runner`, which cargo calls as the wasm target's runner. The runner
/// must be the very version of the pinned wasm-bindgen, else it cannot read the tests.
fn widget_browser_tests(root: &Path, locked: Locked) -> Result<()> {
    let wanted = pinned_wasm_bindgen(root)?;
    // Like the wasm target, the runner is installed when missing, so that
    // `cargo xtask test` works on a fresh machine. Not `--locked`: the 0.2.130
    // release's own lockfile names a crate version crates.io no longer offers.
    if runner_version()?.as_deref() != Some(wanted.as_str()) {
        println!(
            "installing wasm-bindgen-test-runner {wanted} (it runs the widget's browser tests)"
        );
        let mut install = Command::new("cargo");
        install.args(["install", "wasm-bindgen-cli", "--version", &wanted]);
        process::run(install)
            .with_context(|| format!("installing wasm-bindgen-cli {wanted} failed"))?;
        let found = runner_version()?;
        if found.as_deref() != Some(wanted.as_str()) {
            bail!(
                "wasm-bindgen-test-runner is {} after installing {wanted}: is ~/.cargo/bin first on PATH?",
                found.unwrap_or_else(|| "still missing".into())
            );
        }
    }
    let chromedriver = std::env::var_os("CHROMEDRIVER").unwrap_or_else(|| CHROMEDRIVER.into());
    if !Path::new(&chromedriver).exists() {
        bail!(
            "{} is missing: install Debian's chromium-driver (.ci/run does this), or set CHROMEDRIVER",
            Path::new(&chromedriver).display()
        );
    }
    let mut tests = process::cargo(
        root,
        locked,
        &[
            "test",
            "-p",
            "voices-widget",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "*",
        ],
    );
    tests
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", chromedriver)
        // Debian's Chromium, headless, without the sandbox (CI runs as root) or a GPU.
        // The runner looks for webdriver.json in the current directory unless told.
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            root.join("widget/webdriver.json"),
        );
    process::run(tests)
}

/// What `wasm-bindgen-test-runner --version` says (`wasm-bindgen-test-runner 0.2.130`),
/// or `None` when it is not installed.
fn runner_version() -> Result<Option<String>> {
    let mut version = Command::new("wasm-bindgen-test-runner");
    version.arg("--version");
    Ok(process::output(version)
        .ok()
        .and_then(|out| out.split_whitespace().nth(1).map(str::to_owned)))
}

/// The version in widget/Cargo.toml's `wasm-bindgen = "=X.Y.Z"`.
fn pinned_wasm_bindgen(root: &Path) -> Result<String> {
    let manifest = root.join("widget/Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("could not read {}", manifest.display()))?;
    text.lines()
        .find_map(|line| line.trim().strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .with_context(|| {
            format!(
                "{} has no `wasm-bindgen = \"=X.Y.Z\"` pin",
                manifest.display()
            )
        })
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
