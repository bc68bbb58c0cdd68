//! The `voices-collector` command: parses the command line and hands over to [`voices_collector::cli`].

use std::process::ExitCode;

use clap::Parser;

// Every submission allocates and frees many small buffers on several threads (the body,
// its parsed answers, sled's copied pages); under the ingest bench's load, `perf` found
// glibc's malloc and free among the collector's largest costs, and mimalloc took about
// a sixth less CPU per submission (commit b1540e7).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    voices_collector::cli::run(voices_collector::cli::Cli::parse())
}
