//! Per-client submission limits: a token bucket per address, kept only in memory.
//!
//! Addresses are never written to disk or logs. IPv6 clients are grouped by
//! their /64, since one household or phone gets a whole /64.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<Buckets>,
}

#[derive(Default)]
struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    last_sweep: Option<Instant>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Buckets {
    /// Forgets the `count` buckets used longest ago: one pass to find them,
    /// one to drop them, once per `count` new addresses.
    fn forget_least_recent(&mut self, count: usize) {
        let mut by_age: Vec<(Instant, IpAddr)> = self
            .by_client
            .iter()
            .map(|(client, bucket)| (bucket.updated, *client))
            .collect();
        if by_age.len() > count {
            by_age.select_nth_unstable_by_key(count, |(updated, _)| *updated);
        }
        for (_, client) in by_age.iter().take(count) {
            self.by_client.remove(client);
        }
    }
}

/// Buckets above this many are swept of the full (idle) ones...
const SWEEP_ABOVE: usize = 10_000;
/// ...at most this often, so that many busy clients cannot make every request pay
/// for a sweep...
const SWEEP_EVERY: Duration = Duration::from_secs(1);
/// ...and never more than this many are kept: past it (a flood from many addresses),
/// the tenth least recently used are forgotten, rather than the table grow without
/// bound or forget everyone (which would free the clients being limited now). Each
/// bucket is a few dozen bytes, so this caps the limiter at a few megabytes.
const MOST_BUCKETS: usize = 100_000;

impl RateLimiter {
    /// `per_minute` submissions a minute, with a burst of the same size; 0 turns limiting off.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(Buckets::default()),
        }
    }

    /// Takes one token for `client`, or says how long until one is free.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let key = group(client);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let due = buckets
            .last_sweep
            .is_none_or(|last| now.saturating_duration_since(last) >= SWEEP_EVERY);
        if buckets.by_client.len() > SWEEP_ABOVE && due {
            buckets.last_sweep = Some(now);
            buckets.by_client.retain(|_, bucket| {
                bucket.tokens
                    + now.saturating_duration_since(bucket.updated).as_secs_f64() * per_second
                    < capacity
            });
        }
        if buckets.by_client.len() >= MOST_BUCKETS && !buckets.by_client.contains_key(&key) {
            tracing::warn!(
                buckets = MOST_BUCKETS,
                "rate limiter: too many client addresses at once; forgetting the tenth least recently seen"
            );
            buckets.forget_least_recent(MOST_BUCKETS / 10);
        }
        let bucket = buckets.by_client.entry(key).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second)
                .max(Duration::from_secs(1)))
        }
    }
}

/// The address a limit counts against: IPv4 as it is, IPv6 by its /64 (one
/// household or phone holds a whole /64, and can pick any address in it).
pub fn group(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_a_burst_then_refuses_then_refills() {
        let limiter = RateLimiter::new(3);
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(client, start).is_ok());
        }
        let wait = limiter.check(client, start).unwrap_err();
        assert!(
            wait >= Duration::from_secs(19) && wait <= Duration::from_secs(21),
            "{wait:?}"
        );
        assert!(
            limiter.check("192.0.2.2".parse().unwrap(), start).is_ok(),
            "another client has its own bucket"
        );
        assert!(
            limiter
                .check(client, start + Duration::from_secs(21))
                .is_ok()
        );
    }

    #[test]
    fn groups_ipv6_by_64() {
        let limiter = RateLimiter::new(1);
        let now = Instant::now();
        assert!(
            limiter
                .check("2001:db8:1:2::1".parse().unwrap(), now)
                .is_ok()
        );
        assert!(
            limiter
                .check("2001:db8:1:2::ffff".parse().unwrap(), now)
                .is_err()
        );
        assert!(
            limiter
                .check("2001:db8:1:3::1".parse().unwrap(), now)
                .is_ok()
        );
    }

    #[test]
    fn a_flood_of_addresses_cannot_grow_the_table_without_bound() {
        let limiter = RateLimiter::new(60);
        let now = Instant::now();
        for n in 0..(MOST_BUCKETS as u32 + 5_000) {
            let address = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            assert!(limiter.check(address, now).is_ok());
        }
        let kept = limiter.buckets.lock().unwrap().by_client.len();
        assert!(kept < MOST_BUCKETS, "{kept} buckets kept");
    }

    #[test]
    fn a_flood_of_addresses_does_not_free_a_client_being_limited() {
        let limiter = RateLimiter::new(2);
        let start = Instant::now();
        let busy: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.check(busy, start).is_ok());
        assert!(limiter.check(busy, start).is_ok());
        assert!(limiter.check(busy, start).is_err());
        // Enough new addresses to fill the table three times over, a microsecond
        // apart, while the busy client keeps trying (and keeps being refused).
        for n in 0..3 * MOST_BUCKETS as u32 {
            let at = start + Duration::from_micros(u64::from(n) + 1);
            let address = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            assert!(limiter.check(address, at).is_ok());
            if n % 1_000 == 0 {
                assert!(
                    limiter.check(busy, at).is_err(),
                    "the busy client is still limited after {n} new addresses"
                );
            }
        }
    }

    #[test]
    fn zero_turns_it_off() {
        let limiter = RateLimiter::new(0);
        let now = Instant::now();
        for _ in 0..1000 {
            assert!(limiter.check("192.0.2.1".parse().unwrap(), now).is_ok());
        }
    }
}
