//! Signed-in staff, kept in memory, and the brake on guessing passwords.
//!
//! Sessions live only in memory: a restart signs everyone out, which is a
//! small cost for never writing a session secret to disk. Only digests of
//! session ids are held, so a memory dump does not hand out live sessions.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::credentials::{digest, new_secret};
use crate::store::Role;

/// A session ends after this long without a request...
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// ...and after this long in any case.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);

/// Failed sign-ins allowed before each further attempt must wait.
const FREE_FAILURES: u32 = 5;
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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Attempter {
    Account(String),
    Client(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// How long after the last failure the next attempt may be made.
    fn wait(&self) -> Duration {
        if self.count < FREE_FAILURES {
            return Duration::ZERO;
        }
        // 1 s, 2 s, 4 s, ... doubling with every failure past the free ones.
        let doublings = (self.count - FREE_FAILURES).min(16);
        Duration::from_secs(1u64 << doublings).min(MAX_WAIT)
    }
}

#[derive(Default)]
pub struct Sessions {
    live: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<Attempter, Failures>>,
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

    /// Whether a sign-in may be tried now for this account from this client;
    /// if not, how long until it may.
    pub fn may_try(&self, account: &str, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let wait = [attempter_account(account), Attempter::Client(client)]
            .iter()
            .filter_map(|who| failures.get(who))
            .map(|f| (f.last + f.wait()).saturating_duration_since(now))
            .max()
            .unwrap_or_default();
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    pub fn failed(&self, account: &str, client: IpAddr, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, f| now.saturating_duration_since(f.last) < MAX_WAIT);
        }
        for who in [attempter_account(account), Attempter::Client(client)] {
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
    }

    pub fn succeeded(&self, account: &str, client: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&attempter_account(account));
        failures.remove(&Attempter::Client(client));
    }
}

fn attempter_account(account: &str) -> Attempter {
    Attempter::Account(account.trim().to_lowercase())
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
    fn repeated_failures_slow_down_the_account_and_the_client() {
        let sessions = Sessions::default();
        let t0 = Instant::now();
        let (here, elsewhere): (IpAddr, IpAddr) = (
            "192.0.2.1".parse().unwrap(),
            "198.51.100.7".parse().unwrap(),
        );
        for _ in 0..FREE_FAILURES {
            assert!(sessions.may_try("ailsa", here, t0).is_ok());
            sessions.failed("ailsa", here, t0);
        }
        // The account is slowed from anywhere, and this client for any account.
        assert!(sessions.may_try("Ailsa", elsewhere, t0).is_err());
        assert!(sessions.may_try("morag", here, t0).is_err());
        assert!(sessions.may_try("morag", elsewhere, t0).is_ok());
        assert!(
            sessions
                .may_try("ailsa", here, t0 + Duration::from_secs(2))
                .is_ok()
        );
        sessions.failed("ailsa", here, t0);
        let wait = sessions.may_try("ailsa", here, t0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(2));
        sessions.succeeded("ailsa", here);
        assert!(sessions.may_try("ailsa", here, t0).is_ok());
    }
}
