//! A PostgreSQL cluster of the xtask's own for `bench` and `faults`: made with `initdb` in a directory on the build's disk, served on a free port of 127.0.0.1 with fsync and `synchronous_commit` on, stopped by `pg_ctl` when dropped.
//!
//! The settings are the durable ones a real deployment keeps (they are PostgreSQL's
//! defaults, written out so a local configuration cannot change what is measured):
//! `fsync`, `synchronous_commit` and `full_page_writes` on. The directory is on the
//! build's disk, as a real server's would be: a memory-backed temporary directory
//! would make every commit free and prove nothing.
//!
//! `initdb` and the server refuse to run as root, which these tools often are: they
//! then run as the `postgres` system user (or `nobody`), given the cluster's directory.
//! `initdb` and `pg_ctl` are taken from PATH, else from the newest
//! `/usr/lib/postgresql/*/bin` (Debian's layout).

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tempfile::TempDir;

/// The cluster's superuser, trusted on 127.0.0.1 and the cluster's own socket.
const SUPERUSER: &str = "voices";

/// Settings given on the server's command line, over anything in its configuration file.
const DURABLE: &[&str] = &[
    "fsync=on",
    "synchronous_commit=on",
    "full_page_writes=on",
    "listen_addresses=127.0.0.1",
];

/// Where the cluster's files are: a directory removed with the cluster, or one kept for
/// later runs (a seeded database that took minutes to fill).
enum Place {
    Throwaway(TempDir),
    Kept(PathBuf),
}

impl Place {
    fn path(&self) -> &Path {
        match self {
            Place::Throwaway(dir) => dir.path(),
            Place::Kept(dir) => dir,
        }
    }
}

/// A running PostgreSQL server. Dropping it stops it (`pg_ctl stop -m fast`, or
/// `immediate` if that fails), whatever happened before.
pub struct Cluster {
    place: Place,
    bin: PathBuf,
    port: u16,
    /// The unprivileged user (uid, gid) the server runs as when xtask runs as root.
    run_as: Option<(u32, u32)>,
    running: bool,
}

impl Cluster {
    /// A new cluster in a directory of its own under `parent`, removed when it is dropped.
    pub fn throwaway(parent: &Path) -> Result<Cluster> {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix("postgres-")
            .tempdir_in(parent)
            .with_context(|| format!("creating a directory in {}", parent.display()))?;
        Cluster::make(Place::Throwaway(dir))
    }

    /// The cluster in `dir`, made there if it is not there yet, and kept when dropped.
    pub fn kept(dir: &Path) -> Result<Cluster> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        Cluster::make(Place::Kept(dir.to_owned()))
    }

    fn make(place: Place) -> Result<Cluster> {
        let bin = postgres_bin().context(
            "PostgreSQL is not installed: its initdb and pg_ctl are neither on PATH nor in \
             /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)",
        )?;
        let run_as = unprivileged_user()?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(place.path(), Some(uid), Some(gid)).with_context(|| {
                format!("giving {} to the server's user", place.path().display())
            })?;
        }
        let mut cluster = Cluster {
            place,
            bin,
            port: 0,
            run_as,
            running: false,
        };
        if cluster.data_dir().join("PG_VERSION").is_file() {
            // A kept cluster whose last user was stopped before it could stop the server.
            let _ = cluster.pg_ctl(&["-m", "fast", "-w", "stop"]);
        } else {
            let data = cluster.data_dir();
            let mut init = cluster.command("initdb");
            init.args([
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                SUPERUSER.as_ref(),
                "--auth=trust".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--locale=C".as_ref(),
            ]);
            checked(init.output(), "initdb")?;
        }
        // Another program can take a free port before the server binds it: try a few.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            match cluster.try_start() {
                Ok(()) => return Ok(cluster),
                Err(error) => last = format!("{error:#}"),
            }
        }
        bail!("the PostgreSQL server did not start: {last}")
    }

    /// Starts the server on its port (again, after [`Cluster::crash`]).
    pub fn start(&mut self) -> Result<()> {
        self.try_start()
    }

    fn try_start(&mut self) -> Result<()> {
        let mut options = format!(
            "-p {} -c unix_socket_directories={}",
            self.port,
            self.place.path().display()
        );
        for setting in DURABLE {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let data = self.data_dir();
        let log = self.log_file();
        let mut started = self.command("pg_ctl");
        started.args([
            "-D".as_ref(),
            data.as_os_str(),
            "-l".as_ref(),
            log.as_os_str(),
            "-w".as_ref(),
            "-t".as_ref(),
            "120".as_ref(),
            "-o".as_ref(),
            options.as_ref(),
            "start".as_ref(),
        ]);
        match checked(started.output(), "pg_ctl start") {
            Ok(_) => {
                self.running = true;
                Ok(())
            }
            Err(error) => Err(error.context(self.log_tail())),
        }
    }

    /// `pg_ctl stop -m immediate`: the server stops at once, without a checkpoint, as if
    /// its machine had lost power; the next start replays its write-ahead log.
    pub fn crash(&mut self) -> Result<()> {
        self.pg_ctl(&["-m", "immediate", "-w", "stop"])?;
        self.running = false;
        Ok(())
    }

    /// The URL of database `database`, as the superuser.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Makes an empty database (dropping one of that name first).
    pub fn create_database(&self, name: &str) -> Result<String> {
        self.admin(&format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name}"
        ))?;
        Ok(self.url(name))
    }

    /// Whether database `name` exists.
    pub fn has_database(&self, name: &str) -> Result<bool> {
        let url = self.url("postgres");
        let mut client = postgres::Client::connect(&url, postgres::NoTls)
            .with_context(|| format!("connecting to {url}"))?;
        let row = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
                &[&name],
            )
            .context("looking for a database")?;
        Ok(row.get(0))
    }

    /// Runs `sql` (one or more statements) on the maintenance database.
    pub fn admin(&self, sql: &str) -> Result<()> {
        let url = self.url("postgres");
        let mut client = postgres::Client::connect(&url, postgres::NoTls)
            .with_context(|| format!("connecting to {url}"))?;
        // Each statement on its own: CREATE DATABASE cannot run inside the implicit
        // transaction a multi-statement string gets.
        for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            client
                .batch_execute(statement)
                .with_context(|| format!("running `{statement}`"))?;
        }
        Ok(())
    }

    /// The server's version, `PostgreSQL 15.x ...`, for the report.
    pub fn version(&self) -> Result<String> {
        let url = self.url("postgres");
        let mut client = postgres::Client::connect(&url, postgres::NoTls)
            .with_context(|| format!("connecting to {url}"))?;
        let row = client.query_one("SHOW server_version", &[])?;
        let version: String = row.get(0);
        Ok(format!("PostgreSQL {version}"))
    }

    /// The server's main process, whose children are the backends: for CPU time.
    pub fn postmaster_pid(&self) -> Result<u32> {
        let path = self.data_dir().join("postmaster.pid");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        text.lines()
            .next()
            .and_then(|line| line.trim().parse().ok())
            .with_context(|| format!("{} does not start with a PID", path.display()))
    }

    /// CPU time the server has used so far, user and system, in all its processes: the
    /// postmaster's own, its live children's (backends, writers, autovacuum), and those of
    /// its children that have exited, which the kernel adds to it once they are reaped.
    pub fn cpu_time(&self) -> Result<Duration> {
        let postmaster = self.postmaster_pid()?;
        let own = ProcessStat::read(postmaster)?;
        let mut ticks = own.utime + own.stime + own.cutime + own.cstime;
        for child in children_of(postmaster)? {
            // A child may exit between the listing and the read: it is then in `cutime`
            // at the next reading, not this one.
            if let Ok(stat) = ProcessStat::read(child) {
                ticks += stat.utime + stat.stime;
            }
        }
        Ok(Duration::from_secs_f64(
            ticks as f64 / crate::server::clock_ticks_per_second()? as f64,
        ))
    }

    /// Waits (up to 10 s) until no client is connected and every process that ended has
    /// been reaped: from then on, the CPU time of every backend that served a client is
    /// in [`Cluster::cpu_time`].
    pub fn settle(&self) -> Result<()> {
        let postmaster = self.postmaster_pid()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        // A backend's title is "postgres: USER DATABASE ADDRESS ..."; the server's own
        // processes are named for their work ("postgres: checkpointer").
        let client = format!("postgres: {SUPERUSER} ");
        loop {
            let mut busy = false;
            for child in children_of(postmaster)? {
                let title = std::fs::read(format!("/proc/{child}/cmdline")).unwrap_or_default();
                let zombie = ProcessStat::read(child).is_ok_and(|stat| stat.state == 'Z');
                busy |= zombie || title.starts_with(client.as_bytes());
            }
            if !busy || Instant::now() > deadline {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The end of the server's log, to explain a failure.
    pub fn log_tail(&self) -> String {
        crate::server::log_tail(&self.log_file())
    }

    fn data_dir(&self) -> PathBuf {
        self.place.path().join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.place.path().join("server.log")
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<Output> {
        let data = self.data_dir();
        let mut cmd = self.command("pg_ctl");
        cmd.arg("-D").arg(&data).args(args);
        checked(cmd.output(), "pg_ctl")
    }

    /// `program` from PostgreSQL's directory, run as the cluster's user, in its directory.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(program));
        cmd.env("LC_ALL", "C").current_dir(self.place.path());
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if !self.running {
            return;
        }
        // Fast first (a clean shutdown, so a kept cluster starts without recovery); a
        // failure here must not hide the error that may be unwinding.
        if self
            .pg_ctl(&["-m", "fast", "-w", "-t", "60", "stop"])
            .is_err()
        {
            let _ = self.pg_ctl(&["-m", "immediate", "-w", "stop"]);
        }
    }
}

/// The fields of `/proc/PID/stat` this module reads, in clock ticks.
struct ProcessStat {
    /// `R`, `S`, ..., `Z` for a process that has ended and not been reaped yet.
    state: char,
    parent: u32,
    utime: u64,
    stime: u64,
    cutime: u64,
    cstime: u64,
}

impl ProcessStat {
    fn read(pid: u32) -> Result<ProcessStat> {
        let path = format!("/proc/{pid}/stat");
        let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        // The command name, field 2, is in parentheses and may hold spaces: count from
        // after it (field 3, the state, is then the first).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .with_context(|| format!("{path} has no command name"))?;
        let field = |number: usize| -> Result<u64> {
            fields
                .get(number - 3)
                .and_then(|text| text.parse().ok())
                .with_context(|| format!("{path} has no field {number}"))
        };
        Ok(ProcessStat {
            state: fields
                .first()
                .and_then(|state| state.chars().next())
                .with_context(|| format!("{path} has no state"))?,
            parent: u32::try_from(field(4)?).context("a PID out of range")?,
            utime: field(14)?,
            stime: field(15)?,
            cutime: field(16)?,
            cstime: field(17)?,
        })
    }
}

/// The processes whose parent is `pid`.
fn children_of(pid: u32) -> Result<Vec<u32>> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").context("listing /proc")? {
        let Some(candidate) = entry?
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        // Processes come and go while /proc is read: one that has gone is not a child.
        if ProcessStat::read(candidate).is_ok_and(|stat| stat.parent == pid) {
            children.push(candidate);
        }
    }
    Ok(children)
}

/// An `Output` that must be a success, else an error with what the program said.
fn checked(output: std::io::Result<Output>, what: &str) -> Result<Output> {
    let output = output.with_context(|| format!("could not run {what}"))?;
    if !output.status.success() {
        return Err(anyhow!(
            "{what} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout).trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output)
}

/// Where `initdb` and `pg_ctl` are: on PATH, or in Debian's versioned directory (newest).
fn postgres_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
    });
    on_path.or_else(|| {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let version = entry.file_name().to_str()?.parse().ok()?;
                let bin = entry.path().join("bin");
                bin.join("pg_ctl").is_file().then_some((version, bin))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    })
}

/// As root, the user to run PostgreSQL as: `postgres` if there is one, else `nobody`.
fn unprivileged_user() -> Result<Option<(u32, u32)>> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    // `Uid:` lists the real, effective, saved and file-system user ids.
    let effective = status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .context("/proc/self/status has no Uid line")?;
    if effective != "0" {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").context("reading /etc/passwd")?;
    let find = |name: &str| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            if fields.first() != Some(&name) {
                return None;
            }
            Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?))
        })
    };
    find("postgres")
        .or_else(|| find("nobody"))
        .map(Some)
        .context("running as root, PostgreSQL needs a `postgres` or `nobody` user to run as")
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .context("finding a free port on 127.0.0.1")?
        .port())
}
