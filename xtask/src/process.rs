//! Running child processes: echo the command, inherit stdio, and turn failure into an error naming it.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::Locked;

/// A `cargo` command run from the workspace root.
///
/// Uses the `CARGO` that runs xtask, so the toolchain chosen by rust-toolchain.toml (or a
/// `+toolchain` override) is the one every step uses. `--locked` goes straight after the
/// subcommand because cargo rejects it after a `--` separator.
pub fn cargo(root: &Path, locked: Locked, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    if let Some((subcommand, rest)) = args.split_first() {
        cmd.arg(subcommand);
        if locked == Locked::Yes {
            cmd.arg("--locked");
        }
        cmd.args(rest);
    }
    cmd
}

/// Runs `cmd` to completion with inherited stdio; a non-zero exit is an error.
pub fn run(mut cmd: Command) -> Result<()> {
    let line = describe(&cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its standard output; for queries such as `rustup target list`.
pub fn output(mut cmd: Command) -> Result<String> {
    let line = describe(&cmd);
    let out = cmd
        .output()
        .with_context(|| format!("could not start `{line}`"))?;
    if !out.status.success() {
        bail!(
            "`{line}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).with_context(|| format!("`{line}` printed non-UTF-8 output"))
}

/// The command as a shell line, with the program's directory left out: `CARGO` is a long
/// toolchain path that says nothing useful in a log.
fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program());
    std::iter::once(program.file_name().unwrap_or(program.as_os_str()))
        .chain(cmd.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
