//! Signed-in staff and the brake on guessing passwords: their rules here, their state in the store; and password checks on threads of their own.
//!
//! Sessions and the brakes' counts are kept in the store ([`Store::start_session`],
//! [`Store::begin_sign_in`], ...), not in one collector's memory: several collectors on
//! one database share them, so signing in on one works on every other, signing out ends
//! the session on all of them, and the brakes count every collector's attempts. A session
//! is kept under the SHA-256 digest of its cookie's secret, never the secret, so reading
//! the store does not hand out live sessions; a brake under a keyed digest of whom it
//! counts, never an address (see `store::Brake`). Both are swept once a minute
//! ([`sweep_every_minute`]) when they end.
//!
//! Every function here reads or writes the store: call it off the async runtime
//! (`AppState::with_store`).

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

use super::credentials::{digest, new_secret};
use crate::AppState;
use crate::error::ApiError;
use crate::store::{Brake, Role, SignInBegun, StaffSession, Store, StoreError};

/// A session ends after this long without a request...
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60 * 60);
/// ...and after this long in any case.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);

/// How often ended sessions and quiet brakes are deleted from the store.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

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

    /// Its brake in the store. The text names the address, and the store keeps only a
    /// keyed digest of it. Account names hold no spaces, so no two attempters share a text.
    fn brake(&self) -> Brake {
        let who = match self {
            Attempter::AccountFrom(account, client) => format!("account from {account} {client}"),
            Attempter::Client(client) => format!("client {client}"),
            Attempter::Account(account) => format!("account {account}"),
        };
        Brake {
            who,
            free_failures: self.free_failures(),
        }
    }
}

/// A sign-in attempt under way, already counted as a failure against each of
/// its brakes: attempts sent at the same moment are counted one by one, so
/// the brake holds however many arrive together (on however many collectors).
/// [`succeeded`] takes it back.
#[derive(Debug)]
pub struct Attempt {
    account: String,
    client: IpAddr,
}

impl Attempt {
    fn brakes(&self) -> [Brake; 3] {
        [
            Attempter::AccountFrom(self.account.clone(), self.client),
            Attempter::Client(self.client),
            Attempter::Account(self.account.clone()),
        ]
        .map(|who| who.brake())
    }
}

/// Whether a sign-in attempt may go on.
#[derive(Debug)]
pub enum Begun {
    /// Counted: check its password.
    Counted(Attempt),
    /// A brake is on: try again after this long.
    Wait(Duration),
}

/// Starts a session; returns the secret for the cookie and the session.
pub fn start(
    store: &dyn Store,
    user: &str,
    role: Role,
    now: OffsetDateTime,
) -> Result<(String, StaffSession), StoreError> {
    let secret = new_secret();
    let session = StaffSession {
        user: user.to_owned(),
        role,
        csrf: new_secret(),
        started_at: now,
        last_seen: now,
        idle_seconds: IDLE_TIMEOUT.as_secs(),
        expires_at: now + ABSOLUTE_TIMEOUT,
    };
    store.start_session(&digest(&secret), &session)?;
    Ok((secret, session))
}

/// The live session for a cookie's secret, marked as used (see [`Store::session`]).
pub fn find(
    store: &dyn Store,
    secret: &str,
    now: OffsetDateTime,
) -> Result<Option<StaffSession>, StoreError> {
    store.session(&digest(secret), now)
}

/// Ends the session with this cookie's secret, on every collector.
pub fn end(store: &dyn Store, secret: &str) -> Result<(), StoreError> {
    store.end_session(&digest(secret))?;
    Ok(())
}

/// Begins a sign-in attempt for this account from this client, counting it
/// against every brake at once; or, when a brake is on, how long until it may be tried.
pub fn begin(
    store: &dyn Store,
    account: &str,
    client: IpAddr,
    now: OffsetDateTime,
) -> Result<Begun, StoreError> {
    let attempt = Attempt {
        account: account.trim().to_lowercase(),
        client: crate::rate_limit::group(client),
    };
    Ok(match store.begin_sign_in(&attempt.brakes(), now)? {
        SignInBegun::Counted => Begun::Counted(attempt),
        SignInBegun::Wait(wait) => Begun::Wait(wait),
    })
}

/// The attempt signed in: its account and client start afresh.
pub fn succeeded(store: &dyn Store, attempt: &Attempt) -> Result<(), StoreError> {
    store.sign_in_succeeded(&attempt.brakes())
}

/// Deletes ended sessions and quiet brakes, at start-up (what a stopped collector left)
/// and then every minute: an address's brake is gone from the store within a minute of
/// being forgotten. Several collectors on one database each sweep; that costs nothing.
pub async fn sweep_every_minute(state: AppState) {
    let mut ticks = tokio::time::interval(SWEEP_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let swept = state
            .with_store(|store| Ok(store.sweep_sign_ins(OffsetDateTime::now_utc())?))
            .await;
        match swept {
            Ok(0) => {}
            Ok(rows) => tracing::debug!(rows, "swept ended sessions and forgotten sign-in brakes"),
            // The store has said why already; the next minute tries again.
            Err(error) => tracing::debug!(%error, "could not sweep sessions and sign-in brakes"),
        }
    }
}

/// What each collector does for sign-ins itself, bounded so that a crowd of them costs
/// waiting, not memory: password checks (see [`PasswordChecks`]), and trips to the store,
/// a few at a time. Each trip would otherwise hold a thread of tokio's blocking pool (and
/// the memory its allocator keeps per thread) while the store counts attempts one by one
/// anyway (sled under a lock, PostgreSQL on a few connections and locked rows).
pub struct SignIns {
    password_checks: PasswordChecks,
    store_trips: tokio::sync::Semaphore,
}

impl Default for SignIns {
    fn default() -> SignIns {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        SignIns {
            password_checks: PasswordChecks::start(cpus, 4 * cpus),
            store_trips: tokio::sync::Semaphore::new(cpus.max(2)),
        }
    }
}

impl SignIns {
    /// Runs a sign-in's store work off the async threads, as `AppState::with_store` does,
    /// once fewer than a few others are in the store.
    pub async fn with_store<T: Send + 'static>(
        &self,
        state: &AppState,
        work: impl FnOnce(Arc<dyn Store>) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _turn = self.store_trips.acquire().await.map_err(|_| {
            ApiError::Internal("the collector is stopping: sign-ins are closed".into())
        })?;
        state.with_store(work).await
    }

    /// Runs `check` (a password hash) on the password-checking threads and
    /// returns what it found; `None` when too many are waiting already.
    pub async fn check_password<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        self.password_checks.check(check).await
    }
}

type Check = Box<dyn FnOnce() + Send>;

/// Password checks, on a few threads of their own with a short queue. Each
/// check holds about 19 MiB (argon2id's memory cost) while it runs, and the
/// allocator keeps that memory per thread once freed: on tokio's blocking
/// pool, whose threads multiply under load, a crowd of sign-ins would take
/// 19 MiB a thread for good. Here memory stays at one check per CPU, and a
/// sign-in that finds the queue full is told to come back (503). This is each
/// collector's own CPU work, so it stays in memory.
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

    async fn check<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Check = Box::new(move || {
            // The sign-in may have given up (its client hung up): nothing to tell.
            let _ = answer.send(check());
        });
        self.queue.try_send(job).ok()?;
        answered.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledStore;

    /// A store of its own, in a temporary directory removed afterwards.
    fn store() -> (SledStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (SledStore::open(dir.path()).unwrap(), dir)
    }

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds).unwrap()
    }

    fn begins(store: &dyn Store, account: &str, client: IpAddr, now: OffsetDateTime) -> bool {
        matches!(
            begin(store, account, client, now).unwrap(),
            Begun::Counted(_)
        )
    }

    #[test]
    fn sessions_expire_when_idle_and_end_on_sign_out() {
        let (store, _dir) = store();
        let t0 = at(0);
        let (secret, session) = start(&store, "ailsa", Role::Admin, t0).unwrap();
        assert_eq!(
            find(&store, &secret, t0).unwrap().unwrap().csrf,
            session.csrf
        );
        assert!(find(&store, "not the secret", t0).unwrap().is_none());
        let idle = time::Duration::try_from(IDLE_TIMEOUT).unwrap();
        let later = t0 + idle - time::Duration::seconds(1);
        assert!(find(&store, &secret, later).unwrap().is_some());
        let long_after = later + idle + time::Duration::seconds(2);
        assert!(find(&store, &secret, long_after).unwrap().is_none());
        let (secret, _) = start(&store, "ailsa", Role::Admin, t0).unwrap();
        end(&store, &secret).unwrap();
        assert!(find(&store, &secret, t0).unwrap().is_none());
    }

    #[test]
    fn repeated_failures_slow_down_the_account_from_that_client_not_elsewhere() {
        let (store, _dir) = store();
        let t0 = at(0);
        let (here, elsewhere): (IpAddr, IpAddr) = (
            "192.0.2.1".parse().unwrap(),
            "198.51.100.7".parse().unwrap(),
        );
        for _ in 0..5 {
            assert!(begins(&store, "ailsa", here, t0));
        }
        // This account from this client waits; the same account from elsewhere,
        // and other accounts from here, do not.
        assert!(matches!(
            begin(&store, "Ailsa", here, t0).unwrap(),
            Begun::Wait(wait) if wait == Duration::from_secs(1)
        ));
        assert!(begins(&store, "ailsa", elsewhere, t0));
        assert!(begins(&store, "morag", here, t0));
        let Begun::Counted(attempt) = begin(&store, "ailsa", here, at(2)).unwrap() else {
            panic!("the wait is over");
        };
        succeeded(&store, &attempt).unwrap();
        assert!(begins(&store, "ailsa", here, at(2)));
    }

    #[test]
    fn an_ipv6_client_is_braked_by_its_64() {
        let (store, _dir) = store();
        let t0 = at(0);
        for n in 0..5u16 {
            let address = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, n));
            assert!(begins(&store, "ailsa", address, t0));
        }
        let next: IpAddr = "2001:db8:0:1::ffff".parse().unwrap();
        assert!(!begins(&store, "ailsa", next, t0));
        let other_64: IpAddr = "2001:db8:0:2::1".parse().unwrap();
        assert!(begins(&store, "ailsa", other_64, t0));
    }

    #[test]
    fn one_client_spraying_accounts_and_many_clients_on_one_account_are_braked() {
        let (store, _dir) = store();
        let t0 = at(0);
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        for n in 0..20 {
            assert!(begins(&store, &format!("user{n}"), here, t0));
        }
        assert!(!begins(&store, "user-new", here, t0));
        for n in 0..100u8 {
            let client = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, n));
            assert!(begins(&store, "ailsa", client, t0));
        }
        let another: IpAddr = "10.0.1.1".parse().unwrap();
        assert!(!begins(&store, "ailsa", another, t0));
    }

    #[test]
    fn no_address_or_session_secret_is_kept_in_the_store() {
        let (store, dir) = store();
        let client: IpAddr = "192.0.2.77".parse().unwrap();
        assert!(begins(&store, "ailsa", client, at(0)));
        let (secret, _) = start(&store, "ailsa", Role::Admin, at(0)).unwrap();
        store.flush().unwrap();
        drop(store);
        let mut kept = Vec::new();
        let mut folders = vec![dir.path().to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    kept.extend(std::fs::read(path).unwrap());
                }
            }
        }
        let contains = |needle: &str| kept.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(!contains("192.0.2.77"), "no address");
        assert!(!contains("192.0.2.0"), "no address group");
        assert!(!contains(&secret), "no session secret");
        assert!(
            contains(&digest(&secret)),
            "the session is kept by its digest"
        );
    }
}
