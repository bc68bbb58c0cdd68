//! The `voices-collector` command: parses the command line and hands over to [`voices_collector::cli`].

use std::process::ExitCode;

use clap::Parser;

// Every submission allocates and frees many small buffers on several threads (the body,
// its parsed answers, sled's copied pages); glibc's malloc spent a fifth of the
// collector's CPU on that under load (perf, BENCHMARKS.md), mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    voices_collector::cli::run(voices_collector::cli::Cli::parse())
}
