//! Servers under test as child processes: started on a free port, killed by PID when dropped.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use tempfile::TempDir;

/// How long a server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server. Dropping it kills the process (by its PID, through [`Child`]),
/// waits for it, and then removes its scratch directory.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// The collector's data directory and log. Fields drop after `Drop::drop` has run,
    /// so it is removed only once the process is gone.
    scratch: Option<TempDir>,
}

impl Server {
    /// `noop_server`: binds 127.0.0.1:0 by itself and takes no arguments.
    pub fn noop(binary: &Path) -> Result<Server> {
        let mut cmd = Command::new(binary);
        cmd.stderr(Stdio::inherit());
        Server::start(cmd, None)
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
        let log = File::create(scratch.path().join("collector.log"))
            .context("creating the collector's log file")?;
        let mut cmd = Command::new(binary);
        cmd.current_dir(root)
            .arg("serve")
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--data")
            .arg(scratch.path().join("data"))
            .arg("--surveys")
            .arg(root.join("examples/surveys"))
            .args(["--rate-limit", "0"])
            .args(extra)
            .stderr(log);
        // Only the flags above decide how it runs: a VOICES_UNSAFE_NO_FSYNC or VOICES_LOG
        // left in the caller's environment would otherwise change what is measured.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("VOICES_") {
                cmd.env_remove(key);
            }
        }
        if !durable {
            cmd.arg("--unsafe-no-fsync");
        }
        Server::start(cmd, Some(scratch))
    }

    fn start(mut cmd: Command, scratch: Option<TempDir>) -> Result<Server> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        cmd.stdin(Stdio::null()).stdout(Stdio::piped());
        let mut child = cmd
            .spawn()
            .with_context(|| format!("could not start {program}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            scratch,
        };

        // Read stdout on a thread until the address appears, then keep draining it so
        // the server can never block on a full pipe.
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
            Ok(addr) => {
                server.addr = addr
                    .parse()
                    .with_context(|| format!("{program} printed a bad address: {addr}"))?;
                Ok(server)
            }
            Err(_) => {
                let status = server.child.try_wait().ok().flatten();
                Err(anyhow!(
                    "{program} did not print `listening on http://ADDR` ({}){}",
                    status.map_or_else(
                        || format!("still running after {} s", START_TIMEOUT.as_secs()),
                        |status| format!("exited: {status}"),
                    ),
                    server.log_tail()
                ))
            }
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

    /// The server's resident memory now, in bytes (`VmRSS`).
    pub fn rss(&self) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .and_then(|kib| kib.trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
            .with_context(|| format!("{path} has no VmRSS line"))
    }

    /// The last lines of the collector's log, to explain a failure.
    fn log_tail(&self) -> String {
        let Some(scratch) = &self.scratch else {
            return String::new();
        };
        let text = fs::read_to_string(scratch.path().join("collector.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        if tail.is_empty() {
            String::new()
        } else {
            format!("; the end of its log:\n{tail}")
        }
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
fn clock_ticks_per_second() -> Result<u64> {
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
