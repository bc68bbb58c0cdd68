//! A real PostgreSQL server for tests, and a fresh database on it for each test: the server
//! `VOICES_TEST_POSTGRES` names (a URL whose user may create databases), or else a
//! throwaway cluster this process starts in a temporary directory (`initdb`, `pg_ctl`, a
//! free port on 127.0.0.1) and stops when its tests end. No mocks.
//!
//! As root, `initdb` and the server refuse to run: they then run as the `postgres` system
//! user (or `nobody`), owner of the temporary directory.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The user the throwaway clusters are made with (trusted on 127.0.0.1, superuser).
const SUPERUSER: &str = "voices";

/// A PostgreSQL cluster in a temporary directory, on 127.0.0.1; stopped (and deleted) when dropped.
pub struct Cluster {
    dir: TempDir,
    port: u16,
    bin: PathBuf,
    /// The unprivileged user (uid, gid) it runs as when the tests run as root.
    run_as: Option<(u32, u32)>,
    /// Server settings beyond the test defaults (`-c name=value ...`).
    settings: String,
}

impl Cluster {
    /// Makes and starts a cluster. Panics, saying what to do, when PostgreSQL is not installed.
    pub fn start() -> Cluster {
        Cluster::start_with(|_| String::new())
    }

    /// A cluster that takes TLS connections (and plain ones), with a server certificate for
    /// 127.0.0.1 and localhost from a certificate authority of its own; returns the path of
    /// that authority's certificate (PEM).
    pub fn start_with_tls() -> (Cluster, PathBuf) {
        let mut ca_file = PathBuf::new();
        let cluster = Cluster::start_with(|cluster| {
            let ca_key = rcgen::KeyPair::generate().expect("a CA key");
            let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
            ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            ca.distinguished_name
                .push(rcgen::DnType::CommonName, "Voices test CA");
            let ca_cert = ca.self_signed(&ca_key).expect("a CA certificate");
            let issuer = rcgen::Issuer::new(ca, ca_key);
            let server_key = rcgen::KeyPair::generate().expect("a server key");
            let server =
                rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                    .expect("server params");
            let server_cert = server
                .signed_by(&server_key, &issuer)
                .expect("a server certificate");
            let dir = cluster.dir.path();
            let (crt, key) = (dir.join("server.crt"), dir.join("server.key"));
            ca_file = dir.join("ca.pem");
            std::fs::write(&ca_file, ca_cert.pem()).expect("the CA certificate is written");
            std::fs::write(&crt, server_cert.pem()).expect("the certificate is written");
            std::fs::write(&key, server_key.serialize_pem()).expect("the key is written");
            use std::os::unix::fs::PermissionsExt;
            // PostgreSQL refuses a key others may read.
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
                .expect("the key is made private");
            if let Some((uid, gid)) = cluster.run_as {
                for file in [&crt, &key] {
                    std::os::unix::fs::chown(file, Some(uid), Some(gid))
                        .expect("the server's files are given to its user");
                }
            }
            format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                crt.display(),
                key.display()
            )
        });
        (cluster, ca_file)
    }

    fn start_with(settings: impl FnOnce(&Cluster) -> String) -> Cluster {
        let bin = postgres_bin().unwrap_or_else(|| {
            panic!(
                "the PostgreSQL tests need a server: install PostgreSQL (Debian: apt-get install \
                 postgresql; its initdb and pg_ctl are found on PATH or in /usr/lib/postgresql/*/bin), \
                 or set VOICES_TEST_POSTGRES=postgres://USER@HOST:PORT/postgres to a server whose \
                 user may create databases"
            )
        });
        let dir = tempfile::Builder::new()
            .prefix("voices-pg-")
            .tempdir()
            .expect("a temporary directory");
        let run_as = unprivileged_user();
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .expect("the cluster's directory is given to the user that runs it");
        }
        let mut cluster = Cluster {
            dir,
            port: 0,
            bin,
            run_as,
            settings: String::new(),
        };
        cluster.settings = settings(&cluster);
        let init = cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data_dir(),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        assert!(
            init.status.success(),
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&init.stdout),
            String::from_utf8_lossy(&init.stderr)
        );
        // A free port can be taken by someone else before the server binds it: try a few.
        for attempt in 1..=5 {
            cluster.port = free_port();
            match cluster.try_start() {
                Ok(()) => return cluster,
                Err(log) if attempt == 5 => panic!("the PostgreSQL server did not start:\n{log}"),
                Err(_) => {}
            }
        }
        unreachable!("the loop returns or panics")
    }

    /// Starts the server again on its port (after [`Cluster::stop`]).
    pub fn try_start(&self) -> Result<(), String> {
        // fsync off: the tests check what the store does, not the disk under it, and
        // 100,000 commits each waiting for the disk would take minutes. Durability on a
        // real disk is what `cargo xtask faults` checks, on a server with fsync on.
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off{}",
            self.port,
            self.dir.path().display(),
            self.settings
        );
        let started = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data_dir(),
                "-l",
                &self.log_file(),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        );
        if started.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{}{}{}",
                String::from_utf8_lossy(&started.stdout),
                String::from_utf8_lossy(&started.stderr),
                std::fs::read_to_string(self.log_file()).unwrap_or_default()
            ))
        }
    }

    /// Stops the server: `immediate` is a crash (no checkpoint), as a power cut would be.
    pub fn stop(&self, immediate: bool) {
        let mode = if immediate { "immediate" } else { "fast" };
        let stopped = self.run(
            "pg_ctl",
            &["-D", &self.data_dir(), "-m", mode, "-w", "stop"],
        );
        assert!(
            stopped.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&stopped.stderr)
        );
    }

    /// The URL of one of its databases, as the superuser.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn log_file(&self) -> String {
        self.dir.path().join("server.log").display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let mut command = Command::new(self.bin.join(program));
        command
            .args(args)
            .env("LC_ALL", "C")
            .current_dir(self.dir.path());
        if let Some((uid, gid)) = self.run_as {
            use std::os::unix::process::CommandExt;
            command.uid(uid).gid(gid);
        }
        command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Stopped whether or not it is running; a failure here must not hide the test's.
        let _ = self.run(
            "pg_ctl",
            &["-D", &self.data_dir(), "-m", "immediate", "-w", "stop"],
        );
    }
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
                bin.join("initdb").is_file().then_some((version, bin))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    })
}

/// As root, the user to run PostgreSQL as: `postgres` if there is one, else `nobody`.
fn unprivileged_user() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("/etc/passwd is readable");
    let find = |name: &str| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&name) && fields.len() > 3)
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        })
    };
    Some(
        find("postgres")
            .or_else(|| find("nobody"))
            .expect("running as root, the PostgreSQL tests need a `postgres` or `nobody` user to run the server as"),
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// The throwaway cluster this test process shares between its tests, stopped at exit.
static SHARED: Mutex<Option<Cluster>> = Mutex::new(None);
/// The URL of the server's maintenance database, where test databases are made.
static SERVER: OnceLock<String> = OnceLock::new();

extern "C" fn stop_shared_cluster() {
    if let Ok(mut shared) = SHARED.lock() {
        drop(shared.take());
    }
}

/// The server to make test databases on: `VOICES_TEST_POSTGRES`, or the shared cluster.
fn server() -> &'static str {
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("VOICES_TEST_POSTGRES")
            && !url.is_empty()
        {
            return url;
        }
        let cluster = Cluster::start();
        let url = cluster.url("postgres");
        *SHARED.lock().unwrap_or_else(|p| p.into_inner()) = Some(cluster);
        // Statics are never dropped: the cluster is stopped when the process exits.
        // SAFETY: registers a function that takes no arguments and does not unwind
        // (it only drops the cluster, whose drop ignores failures).
        unsafe { libc::atexit(stop_shared_cluster) };
        url
    })
}

/// `url` with its database replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let query = path.find('?').map_or("", |at| &path[at..]);
    format!("{scheme}://{authority}/{database}{query}")
}

/// Runs SQL on the server's maintenance database, on a thread of its own (the synchronous
/// client cannot run on an async runtime's thread, which a test may be on).
pub fn admin(url: &str, sql: &str) -> Result<(), String> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls)
            .map_err(|e| format!("cannot connect to {url}: {e:?}"))?;
        client
            .batch_execute(&sql)
            .map_err(|e| format!("{sql}: {e:?}"))
    })
    .join()
    .expect("the admin thread does not panic")
}

/// The first column of the first row of `sql` (a count), run on `url`.
pub fn query_count(url: &str, sql: &str) -> i64 {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    // The client library blocks on a runtime of its own: off any test's runtime.
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("a connection");
        client.query_one(&sql, &[]).expect(&sql).get(0)
    })
    .join()
    .expect("the query thread does not panic")
}

/// A database of its own for one test, on the test server; dropped with it.
pub struct TestDatabase {
    pub url: String,
    name: String,
    server: String,
}

impl TestDatabase {
    pub fn new() -> TestDatabase {
        TestDatabase::on(server())
    }

    /// A new database on the server whose maintenance database is at `server`.
    pub fn on(server: &str) -> TestDatabase {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "voices_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        admin(server, &format!("CREATE DATABASE {name}")).expect("a test database is created");
        TestDatabase {
            url: with_database(server, &name),
            name,
            server: server.to_owned(),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = admin(
            &self.server,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Waits until `check` holds, or panics after `limit`.
pub fn eventually(limit: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(
            Instant::now() < deadline,
            "{what} did not happen within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
