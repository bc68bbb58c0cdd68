//! Servers under test as child processes (the no-op server, the collector): started on a free port, stopped by PID.
//!
//! `bench` and `faults` both start the release collector through here, so both
//! run it the same way: only the flags given decide how it runs.

use std::ffi::OsString;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tempfile::TempDir;

use crate::process;

/// How often [`Server::wait_until_idle`] reads the server's CPU time, and how little it
/// may grow between two reads for the server to count as idle (its start-up count done).
pub const IDLE_POLL: Duration = Duration::from_millis(500);
pub const IDLE_CPU: Duration = Duration::from_millis(20);

/// How long a server may take to print its address (a collector replaying a
/// long log after SIGKILL included).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a collector may take to finish and flush after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// How to start the server: kept, so that [`Server::start_again`] can.
struct Launch {
    program: PathBuf,
    cwd: Option<PathBuf>,
    args: Vec<OsString>,
    /// Where the server's stderr goes, appended to; `None` inherits ours.
    log: Option<PathBuf>,
}

impl Launch {
    fn command(&self) -> Result<Command> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args);
        if let Some(cwd) = &self.cwd {
            cmd.current_dir(cwd);
        }
        match &self.log {
            Some(log) => {
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(log)
                    .with_context(|| format!("opening {}", log.display()))?;
                cmd.stderr(file);
            }
            None => {
                cmd.stderr(Stdio::inherit());
            }
        }
        clear_voices_env(&mut cmd);
        Ok(cmd)
    }
}

/// A running server. Dropping it kills the process (SIGKILL, by its PID, through
/// [`Child`]), waits for it, and then removes its scratch directory, if it has one.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    launch: Launch,
    /// The collector's data directory and log. Fields drop after `Drop::drop` has run,
    /// so it is removed only once the process is gone.
    _scratch: Option<TempDir>,
}

impl Server {
    /// `noop_server`: binds 127.0.0.1:0 by itself and takes no arguments.
    pub fn noop(binary: &Path) -> Result<Server> {
        Server::start(
            Launch {
                program: binary.to_owned(),
                cwd: None,
                args: Vec::new(),
                log: None,
            },
            None,
        )
    }

    /// `voices-collector serve` on a fresh data directory under `scratch_parent`,
    /// publishing examples/surveys, with rate limiting off. `durable: false` adds
    /// `--unsafe-no-fsync`. Its log goes to a file beside the data, read back if it fails.
    pub fn collector(
        binary: &Path,
        root: &Path,
        scratch_parent: &Path,
        durable: bool,
    ) -> Result<Server> {
        Server::collector_with(binary, root, scratch_parent, durable, &[])
    }

    /// [`Server::collector`] with more `serve` flags (`--demo`).
    pub fn collector_with(
        binary: &Path,
        root: &Path,
        scratch_parent: &Path,
        durable: bool,
        extra: &[&str],
    ) -> Result<Server> {
        fs::create_dir_all(scratch_parent)
            .with_context(|| format!("creating {}", scratch_parent.display()))?;
        let scratch = tempfile::Builder::new()
            .prefix("bench-")
            .tempdir_in(scratch_parent)
            .with_context(|| {
                format!("creating a data directory in {}", scratch_parent.display())
            })?;
        let data = scratch.path().join("data");
        let launch = collector_launch(
            binary,
            root,
            Storage::Directory(&data),
            &scratch.path().join("collector.log"),
            durable,
            extra,
        );
        Server::start(launch, Some(scratch))
    }

    /// The durable collector on `storage`, which it keeps (a killed one is reopened as
    /// it was left); its stderr is appended to `log`. Several may serve one database at once.
    pub fn collector_in(
        binary: &Path,
        root: &Path,
        storage: Storage<'_>,
        log: &Path,
    ) -> Result<Server> {
        Server::start(
            collector_launch(binary, root, storage, log, true, &[]),
            None,
        )
    }

    fn start(launch: Launch, scratch: Option<TempDir>) -> Result<Server> {
        let child = spawn(&launch)?;
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            launch,
            _scratch: scratch,
        };
        server.addr = server.wait_for_address()?;
        Ok(server)
    }

    /// Stops the server with SIGTERM, as an operator's restart does, and
    /// requires a clean exit.
    pub fn stop(&mut self) -> Result<()> {
        let status = self.terminate()?;
        if !status.success() {
            bail!(
                "the server stopped with {status} after SIGTERM{}",
                self.log_tail()
            );
        }
        Ok(())
    }

    /// Starts the server again as it was first started, on the same data (after
    /// [`Server::stop`] or [`Server::kill`]).
    pub fn start_again(&mut self) -> Result<()> {
        // Replacing a running child would leave it running, unowned, holding the data.
        if self
            .child
            .try_wait()
            .context("checking the server")?
            .is_none()
        {
            bail!("the server is still running; stop it before starting it again");
        }
        self.child = spawn(&self.launch)?;
        self.addr = self.wait_for_address()?;
        Ok(())
    }

    /// The collector's data directory (its `--data`); `None` for other servers.
    pub fn data_dir(&self) -> Option<&Path> {
        let at = self.launch.args.iter().position(|arg| arg == "--data")?;
        self.launch.args.get(at + 1).map(Path::new)
    }

    /// Reads stdout on a thread until the address appears, then keeps draining it
    /// so the server can never block on a full pipe.
    fn wait_for_address(&mut self) -> Result<SocketAddr> {
        let program = self.launch.program.display().to_string();
        let stdout = self.child.stdout.take().context("stdout is piped")?;
        let (found, address) = mpsc::channel();
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("listening on http://")
                    && let Some(found) = found.take()
                {
                    let _ = found.send(addr.trim().to_owned());
                }
            }
        });
        match address.recv_timeout(START_TIMEOUT) {
            Ok(addr) => addr
                .parse()
                .with_context(|| format!("{program} printed a bad address: {addr}")),
            Err(_) => {
                let status = self.child.try_wait().ok().flatten();
                Err(anyhow!(
                    "{program} did not print `listening on http://ADDR` ({}){}",
                    status.map_or_else(
                        || format!("still running after {} s", START_TIMEOUT.as_secs()),
                        |status| format!("exited: {status}"),
                    ),
                    self.log_tail()
                ))
            }
        }
    }

    /// SIGKILL: the process stops wherever it is, mid-write or mid-fsync.
    pub fn kill(&mut self) -> Result<ExitStatus> {
        self.child.kill().context("sending SIGKILL to the server")?;
        self.child.wait().context("waiting for the killed server")
    }

    /// SIGTERM, as a service manager stops it: it finishes, flushes and exits.
    pub fn terminate(&mut self) -> Result<ExitStatus> {
        // Once reaped, its PID may belong to another process by now: signal only a
        // child that has not exited.
        if let Some(status) = self.child.try_wait().context("checking the server")? {
            return Ok(status);
        }
        let pid = self.child.id().to_string();
        process::output({
            let mut cmd = Command::new("kill");
            cmd.args(["-TERM", &pid]);
            cmd
        })?;
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().context("waiting for the server")? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                bail!(
                    "the server did not stop within {} s of SIGTERM",
                    STOP_TIMEOUT.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Fails if the server has exited, as it must stay up through a run.
    pub fn check_running(&mut self) -> Result<()> {
        if let Some(status) = self.child.try_wait().context("checking the server")? {
            bail!(
                "the server exited during the run ({status}){}",
                self.log_tail()
            );
        }
        Ok(())
    }

    /// CPU time the server has used so far, user and system, all threads.
    pub fn cpu_time(&self) -> Result<Duration> {
        cpu_time(&format!("/proc/{}/stat", self.child.id()))
    }

    /// Waits until the server is idle: its CPU time grows by less than [`IDLE_CPU`] in
    /// [`IDLE_POLL`] (a collector has opened its store and counted its responses), for at
    /// most ten minutes.
    pub fn wait_until_idle(&mut self) -> Result<()> {
        let limit = Duration::from_secs(600);
        let started = std::time::Instant::now();
        let mut before = self.cpu_time()?;
        loop {
            std::thread::sleep(IDLE_POLL);
            self.check_running()?;
            let now = self.cpu_time()?;
            if now.saturating_sub(before) < IDLE_CPU {
                return Ok(());
            }
            if started.elapsed() > limit {
                bail!(
                    "the server was still busy {} s after it started",
                    limit.as_secs()
                );
            }
            before = now;
        }
    }

    /// The server's resident memory now, in bytes (`VmRSS`).
    pub fn rss(&self) -> Result<u64> {
        self.memory("VmRSS:")
    }

    /// The most the server has had resident so far, in bytes (`VmHWM`).
    pub fn peak_rss(&self) -> Result<u64> {
        self.memory("VmHWM:")
    }

    /// One of the kernel's memory figures for the server (`field` of `/proc/PID/status`).
    fn memory(&self, field: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .and_then(|kib| kib.trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
            .with_context(|| format!("{path} has no {field} line"))
    }

    /// The last lines of the server's log, to explain a failure.
    pub fn log_tail(&self) -> String {
        self.launch.log.as_deref().map(log_tail).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // `Child::kill` sends SIGKILL to this child's PID only; `wait` reaps it, so no
        // zombie outlives the benchmark and the data directory is closed before removal.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a collector keeps its data: `--data DIR` or `--store URL`.
#[derive(Clone, Copy)]
pub enum Storage<'a> {
    Directory(&'a Path),
    Database(&'a str),
}

fn collector_launch(
    binary: &Path,
    root: &Path,
    storage: Storage<'_>,
    log: &Path,
    durable: bool,
    extra: &[&str],
) -> Launch {
    let mut args: Vec<OsString> = ["serve", "--addr", "127.0.0.1:0"]
        .map(OsString::from)
        .into();
    match storage {
        Storage::Directory(data) => {
            args.push("--data".into());
            args.push(data.into());
        }
        Storage::Database(url) => {
            args.push("--store".into());
            args.push(url.into());
        }
    }
    args.push("--surveys".into());
    args.push(root.join("examples/surveys").into());
    args.extend(["--rate-limit", "0"].map(OsString::from));
    args.extend(extra.iter().map(OsString::from));
    if !durable {
        args.push("--unsafe-no-fsync".into());
    }
    Launch {
        program: binary.to_owned(),
        cwd: Some(root.to_owned()),
        args,
        log: Some(log.to_owned()),
    }
}

fn spawn(launch: &Launch) -> Result<Child> {
    let mut cmd = launch.command()?;
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    cmd.spawn()
        .with_context(|| format!("could not start {}", launch.program.display()))
}

/// Only the flags given decide how the collector runs: a `VOICES_UNSAFE_NO_FSYNC`
/// or `VOICES_LOG` left in the caller's environment would otherwise change what is
/// measured.
pub fn clear_voices_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("VOICES_") {
            cmd.env_remove(key);
        }
    }
}

/// The end of a server's log file, to explain a failure; empty if there is none.
pub fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(20)..].join("\n");
    if tail.is_empty() {
        String::new()
    } else {
        format!("; the end of its log:\n{tail}")
    }
}

/// User plus system CPU time of a process, from its `/proc/PID/stat` (or `/proc/self/stat`).
pub fn cpu_time(stat_path: &str) -> Result<Duration> {
    let stat = fs::read_to_string(stat_path).with_context(|| format!("reading {stat_path}"))?;
    // The command name, field 2, is in parentheses and may hold spaces; utime and stime
    // are fields 14 and 15, so the 12th and 13th after it.
    let after_name = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .with_context(|| format!("{stat_path} has no command name"))?;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| -> Result<u64> {
        fields
            .get(index)
            .and_then(|field| field.parse().ok())
            .with_context(|| format!("{stat_path} has no field {}", index + 3))
    };
    let total = ticks(11)? + ticks(12)?;
    Ok(Duration::from_secs_f64(
        total as f64 / clock_ticks_per_second()? as f64,
    ))
}

/// The unit of the CPU times in /proc (`getconf CLK_TCK`, 100 on every common Linux).
pub(crate) fn clock_ticks_per_second() -> Result<u64> {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    if let Some(ticks) = TICKS.get() {
        return Ok(*ticks);
    }
    let out = crate::process::output({
        let mut cmd = Command::new("getconf");
        cmd.arg("CLK_TCK");
        cmd
    })?;
    let ticks: u64 = out
        .trim()
        .parse()
        .with_context(|| format!("`getconf CLK_TCK` printed {out:?}"))?;
    Ok(*TICKS.get_or_init(|| ticks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_cpu_time() {
        let before = cpu_time("/proc/self/stat").unwrap();
        let mut x = 0u64;
        let spin = std::time::Instant::now();
        while spin.elapsed() < Duration::from_millis(100) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let after = cpu_time("/proc/self/stat").unwrap();
        assert!(after > before, "{before:?} then {after:?}");
    }
}
