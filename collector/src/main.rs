//! The `voices-collector` command: parses the command line and hands over to [`voices_collector::cli`].

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    voices_collector::cli::run(voices_collector::cli::Cli::parse())
}
