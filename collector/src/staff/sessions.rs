//! Signed-in staff, kept in memory, and the brake on guessing passwords.
//!
//! Sessions live only in memory: a restart signs everyone out, which is a
//! small cost for never writing a session secret to disk. Only digests of
//! session ids are held, so a memory dump does not hand out live sessions.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::credentials::{digest, new_secret};
use crate::store::Role;

/// A session ends after this long without a request...
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// ...and after this long in any case.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);

/// The longest wait between attempts.
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Tracked names and addresses above this many are swept of stale ones.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    pub role: Role,
    /// The token every form of this session must send back.
    pub csrf: String,
    started: Instant,
    last_seen: Instant,
}

/// Whom a sign-in attempt counts against. Three brakes, each with its own
/// allowance of failures before attempts must wait:
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Attempter {
    /// One account from one client (IPv6 by /64): strict, so guessing one
    /// person's password from one place soon slows to a crawl.
    AccountFrom(String, IpAddr),
    /// One client, whichever accounts it tries: one address cannot spray
    /// guesses across every account. Looser, as an office shares an address.
    Client(IpAddr),
    /// One account from anywhere: loosest, so that someone elsewhere cannot
    /// lock a colleague out with a few wrong guesses, while guesses spread over
    /// many addresses still slow down.
    Account(String),
}

impl Attempter {
    /// Failures allowed before each further attempt must wait.
    fn free_failures(&self) -> u32 {
        match self {
            Attempter::AccountFrom(..) => 5,
            Attempter::Client(_) => 20,
            Attempter::Account(_) => 100,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// How long after the last failure the next attempt may be made.
    fn wait(&self, free: u32) -> Duration {
        if self.count < free {
            return Duration::ZERO;
        }
        // 1 s, 2 s, 4 s, ... doubling with every failure past the free ones.
        let doublings = (self.count - free).min(16);
        Duration::from_secs(1u64 << doublings).min(MAX_WAIT)
    }
}

/// A sign-in attempt under way, already counted as a failure against each of
/// its brakes: attempts sent at the same moment are counted one by one, so
/// the brake holds however many arrive together. [`Sessions::succeeded`]
/// takes it back.
#[derive(Debug)]
pub struct Attempt {
    account: String,
    client: IpAddr,
}

impl Attempt {
    fn attempters(&self) -> [Attempter; 3] {
        [
            Attempter::AccountFrom(self.account.clone(), self.client),
            Attempter::Client(self.client),
            Attempter::Account(self.account.clone()),
        ]
    }
}

pub struct Sessions {
    live: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<Attempter, Failures>>,
    password_checks: PasswordChecks,
}

impl Default for Sessions {
    fn default() -> Sessions {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        Sessions {
            live: Mutex::default(),
            failures: Mutex::default(),
            password_checks: PasswordChecks::start(cpus, 4 * cpus),
        }
    }
}

type Check = Box<dyn FnOnce() + Send>;

/// Password checks, on a few threads of their own with a short queue. Each
/// check holds about 19 MiB (argon2id's memory cost) while it runs, and the
/// allocator keeps that memory per thread once freed: on tokio's blocking
/// pool, whose threads multiply under load, a crowd of sign-ins would take
/// 19 MiB a thread for good. Here memory stays at one check per CPU, and a
/// sign-in that finds the queue full is told to come back (503).
struct PasswordChecks {
    queue: std::sync::mpsc::SyncSender<Check>,
}

impl PasswordChecks {
    fn start(threads: usize, waiting: usize) -> PasswordChecks {
        let (queue, checks) = std::sync::mpsc::sync_channel::<Check>(waiting);
        let checks = Arc::new(Mutex::new(checks));
        for n in 0..threads {
            let checks = Arc::clone(&checks);
            let started = std::thread::Builder::new()
                .name(format!("voices-password-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only to take the next check, not to run it.
                        let next = checks.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        match next {
                            Ok(check) => check(),
                            // The collector's state is gone: so is this thread.
                            Err(_) => return,
                        }
                    }
                });
            if let Err(error) = started {
                tracing::error!(%error, "could not start a password-checking thread");
            }
        }
        PasswordChecks { queue }
    }
}

impl Sessions {
    /// Starts a session; returns the secret for the cookie and the session.
    pub fn start(&self, user: &str, role: Role, now: Instant) -> (String, Session) {
        let secret = new_secret();
        let session = Session {
            user: user.to_owned(),
            role,
            csrf: new_secret(),
            started: now,
            last_seen: now,
        };
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.retain(|_, s| !expired(s, now));
        live.insert(digest(&secret), session.clone());
        (secret, session)
    }

    /// The live session for a cookie's secret, marked as just used.
    pub fn find(&self, secret: &str, now: Instant) -> Option<Session> {
        let key = digest(secret);
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        let session = live.get_mut(&key)?;
        if expired(session, now) {
            live.remove(&key);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    pub fn end(&self, secret: &str) {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.remove(&digest(secret));
    }

    /// Ends every session of a user: after a password or role change.
    pub fn end_all_for(&self, user: &str) {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.retain(|_, s| s.user != user);
    }

    /// Begins a sign-in attempt for this account from this client, counting it
    /// against every brake at once (under one lock); or, when a brake is on,
    /// how long until it may be tried.
    pub fn begin(&self, account: &str, client: IpAddr, now: Instant) -> Result<Attempt, Duration> {
        let attempt = Attempt {
            account: account.trim().to_lowercase(),
            client: crate::rate_limit::group(client),
        };
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let wait = attempt
            .attempters()
            .iter()
            .filter_map(|who| {
                let f = failures.get(who)?;
                Some((f.last + f.wait(who.free_failures())).saturating_duration_since(now))
            })
            .max()
            .unwrap_or_default();
        if !wait.is_zero() {
            return Err(wait);
        }
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, f| now.saturating_duration_since(f.last) < MAX_WAIT);
        }
        for who in attempt.attempters() {
            let entry = failures.entry(who).or_insert(Failures {
                count: 0,
                last: now,
            });
            // A long quiet spell forgives old failures.
            if now.saturating_duration_since(entry.last) > MAX_WAIT {
                entry.count = 0;
            }
            entry.count += 1;
            entry.last = now;
        }
        Ok(attempt)
    }

    /// Runs `check` (a password hash) on the password-checking threads and
    /// returns what it found; `None` when too many are waiting already.
    pub async fn check_password<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Check = Box::new(move || {
            // The sign-in may have given up (its client hung up): nothing to tell.
            let _ = answer.send(check());
        });
        self.password_checks.queue.try_send(job).ok()?;
        answered.await.ok()
    }

    /// The attempt signed in: its account and client start afresh.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for who in attempt.attempters() {
            failures.remove(&who);
        }
    }
}

fn expired(session: &Session, now: Instant) -> bool {
    now.saturating_duration_since(session.last_seen) > IDLE_TIMEOUT
        || now.saturating_duration_since(session.started) > ABSOLUTE_TIMEOUT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_when_idle_and_end_on_sign_out() {
        let sessions = Sessions::default();
        let t0 = Instant::now();
        let (secret, session) = sessions.start("ailsa", Role::Admin, t0);
        assert_eq!(sessions.find(&secret, t0).unwrap().csrf, session.csrf);
        assert!(sessions.find("not the secret", t0).is_none());
        let later = t0 + IDLE_TIMEOUT - Duration::from_secs(1);
        assert!(sessions.find(&secret, later).is_some());
        assert!(
            sessions
                .find(&secret, later + IDLE_TIMEOUT + Duration::from_secs(2))
                .is_none()
        );
        let (secret, _) = sessions.start("ailsa", Role::Admin, t0);
        sessions.end(&secret);
        assert!(sessions.find(&secret, t0).is_none());
    }

    #[test]
    fn repeated_failures_slow_down_the_account_from_that_client_not_elsewhere() {
        let sessions = Sessions::default();
        let t0 = Instant::now();
        let (here, elsewhere): (IpAddr, IpAddr) = (
            "192.0.2.1".parse().unwrap(),
            "198.51.100.7".parse().unwrap(),
        );
        for _ in 0..5 {
            assert!(sessions.begin("ailsa", here, t0).is_ok());
        }
        // This account from this client waits; the same account from elsewhere,
        // and other accounts from here, do not.
        assert_eq!(
            sessions.begin("Ailsa", here, t0).unwrap_err(),
            Duration::from_secs(1)
        );
        assert!(sessions.begin("ailsa", elsewhere, t0).is_ok());
        assert!(sessions.begin("morag", here, t0).is_ok());
        let attempt = sessions
            .begin("ailsa", here, t0 + Duration::from_secs(2))
            .unwrap();
        sessions.succeeded(attempt);
        assert!(sessions.begin("ailsa", here, t0).is_ok());
    }

    #[test]
    fn an_ipv6_client_is_braked_by_its_64() {
        let sessions = Sessions::default();
        let t0 = Instant::now();
        for n in 0..5u16 {
            let address = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, n));
            assert!(sessions.begin("ailsa", address, t0).is_ok());
        }
        let next: IpAddr = "2001:db8:0:1::ffff".parse().unwrap();
        assert!(sessions.begin("ailsa", next, t0).is_err());
        let other_64: IpAddr = "2001:db8:0:2::1".parse().unwrap();
        assert!(sessions.begin("ailsa", other_64, t0).is_ok());
    }

    #[test]
    fn one_client_spraying_accounts_and_many_clients_on_one_account_are_braked() {
        let sessions = Sessions::default();
        let t0 = Instant::now();
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        for n in 0..20 {
            assert!(sessions.begin(&format!("user{n}"), here, t0).is_ok());
        }
        assert!(sessions.begin("user-new", here, t0).is_err());
        for n in 0..100u8 {
            let client = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, n));
            assert!(sessions.begin("ailsa", client, t0).is_ok());
        }
        let another: IpAddr = "10.0.1.1".parse().unwrap();
        assert!(sessions.begin("ailsa", another, t0).is_err());
    }
}
