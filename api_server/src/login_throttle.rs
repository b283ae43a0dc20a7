//! Login throttling that an attacker cannot turn against the admins (OWASP Authentication Cheat
//! Sheet, "Login Throttling"): failed logins are counted per (username, client address) and per
//! client address, and past a few failures each further one makes that client wait longer
//! (1 min, 2, 4, 8, then 15 min at most). Nothing is counted per username alone, so failures from
//! one address never lock out an admin who logs in from another; usernames are compared without
//! case or surrounding spaces. A success clears that username's count for that client only, so a
//! client holding one valid account cannot reset its budget for guessing others.
//!
//! The state lives in memory (a restart forgets it) and is bounded: entries are forgotten an hour
//! after their last failure, and past [`MAX_ENTRIES`] the least useful are dropped first.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most (username, client) and client entries kept at once.
pub const MAX_ENTRIES: usize = 100_000;
/// Usernames are at most 64 characters; longer input is cut for the key.
const MAX_USERNAME_KEY: usize = 64;

/// How many failures are free and how the delays grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures for one username from one client before that pair must wait.
    pub per_username_and_client: u32,
    /// Failures from one client, whatever the usernames, before that client must wait.
    pub per_client: u32,
    /// The wait after the last free failure; it doubles with each further failure.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// Failures older than this (since the last one) are forgotten.
    pub forget_after: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            per_username_and_client: 5,
            per_client: 20,
            first_delay: Duration::from_secs(60),
            max_delay: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(3600),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair(IpAddr, String),
    Client(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    blocked_until: Option<Instant>,
}

/// The failure counts of recent login attempts.
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    entries: Mutex<HashMap<Key, Failures>>,
}

/// The username as the counters see it: trimmed, lowercased, at most 64 characters.
pub fn normalize(username: &str) -> String {
    username.trim().to_lowercase().chars().take(MAX_USERNAME_KEY).collect()
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self { policy, entries: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Err(wait)` while `client` must wait before trying `username` again (its own failures for
    /// that username, or for all usernames, are past the free ones).
    pub fn check(&self, client: IpAddr, username: &str, now: Instant) -> Result<(), Duration> {
        let entries = self.lock();
        let wait = [Key::Pair(client, normalize(username)), Key::Client(client)]
            .iter()
            .filter_map(|key| entries.get(key)?.blocked_until)
            .filter_map(|until| until.checked_duration_since(now).filter(|d| !d.is_zero()))
            .max();
        wait.map_or(Ok(()), Err)
    }

    /// Starts a login attempt: refused (`Err(wait)`) while `client` must wait; otherwise the
    /// attempt is counted as a failure at once, before the password is checked, so many attempts
    /// sent in parallel cannot all pass the check; [`Self::succeeded`] takes it back.
    pub fn begin(&self, client: IpAddr, username: &str, now: Instant) -> Result<(), Duration> {
        self.check(client, username, now)?;
        self.record_failure(client, username, now);
        Ok(())
    }

    /// The attempt begun with [`Self::begin`] logged in: `client`'s failures for `username` are
    /// forgotten, and the attempt no longer counts against the client (its failures for other
    /// usernames still do).
    pub fn succeeded(&self, client: IpAddr, username: &str) {
        let mut entries = self.lock();
        entries.remove(&Key::Pair(client, normalize(username)));
        if let Some(f) = entries.get_mut(&Key::Client(client)) {
            f.count = f.count.saturating_sub(1);
            if f.count < self.policy.per_client {
                f.blocked_until = None;
            }
        }
    }

    /// Counts a failed login of `username` from `client`; returns how long the client must now
    /// wait for it, if at all.
    pub fn record_failure(&self, client: IpAddr, username: &str, now: Instant) -> Option<Duration> {
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            self.shrink(&mut entries, now);
        }
        let limits = [
            (Key::Pair(client, normalize(username)), self.policy.per_username_and_client),
            (Key::Client(client), self.policy.per_client),
        ];
        let mut longest: Option<Duration> = None;
        for (key, free) in limits {
            let forget_after = self.policy.forget_after;
            let entry = entries.entry(key).or_insert(Failures { count: 0, last: now, blocked_until: None });
            if now.saturating_duration_since(entry.last) > forget_after {
                *entry = Failures { count: 0, last: now, blocked_until: None };
            }
            entry.count = entry.count.saturating_add(1);
            entry.last = now;
            if entry.count >= free {
                let delay = self.delay(entry.count - free);
                entry.blocked_until = Some(now + delay);
                longest = longest.max(Some(delay));
            }
        }
        longest
    }

    /// The wait after `extra` failures past the free ones: doubling from the first delay, capped.
    fn delay(&self, extra: u32) -> Duration {
        let factor = 2u32.checked_pow(extra).unwrap_or(u32::MAX);
        self.policy.first_delay.checked_mul(factor).unwrap_or(self.policy.max_delay).min(self.policy.max_delay)
    }

    /// Drops forgotten entries; if that is not enough, keeps only clients that must wait.
    fn shrink(&self, entries: &mut HashMap<Key, Failures>, now: Instant) {
        let forget_after = self.policy.forget_after;
        entries.retain(|_, f| {
            now.saturating_duration_since(f.last) <= forget_after || f.blocked_until.is_some_and(|u| u > now)
        });
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, f| f.blocked_until.is_some_and(|u| u > now));
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
    }

    /// How many entries are kept (for tests).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 2));

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottlePolicy::default())
    }

    #[test]
    fn five_failures_make_that_client_wait_for_that_username_only() {
        let t = throttle();
        let now = Instant::now();
        for i in 0..4 {
            assert_eq!(t.record_failure(A, "admin", now), None, "failure {i} is free");
            assert_eq!(t.check(A, "admin", now), Ok(()));
        }

        assert_eq!(t.record_failure(A, " ADMIN ", now), Some(Duration::from_secs(60)));

        assert_eq!(t.check(A, "Admin", now), Err(Duration::from_secs(60)));
        assert_eq!(t.check(B, "admin", now), Ok(()), "another client is not affected");
        assert_eq!(t.check(A, "olga", now), Ok(()), "nor another username from this client");
        assert_eq!(t.check(A, "admin", now + Duration::from_secs(61)), Ok(()), "the wait ends");
    }

    #[test]
    fn each_further_failure_doubles_the_wait_up_to_fifteen_minutes() {
        let t = throttle();
        let mut now = Instant::now();
        let mut waits = Vec::new();
        for _ in 0..10 {
            if let Some(wait) = t.record_failure(A, "admin", now) {
                waits.push(wait.as_secs() / 60);
                now += wait;
            }
        }

        assert_eq!(waits, vec![1, 2, 4, 8, 15, 15]);
    }

    #[test]
    fn many_usernames_from_one_client_make_it_wait_for_all_of_them() {
        let t = throttle();
        let now = Instant::now();
        for i in 0..19 {
            assert_eq!(t.record_failure(A, &format!("user{i}"), now), None);
        }

        assert_eq!(t.record_failure(A, "user19", now), Some(Duration::from_secs(60)));

        assert!(t.check(A, "admin", now).is_err());
        assert_eq!(t.check(B, "admin", now), Ok(()));
    }

    #[test]
    fn a_success_clears_only_that_username_and_old_failures_are_forgotten() {
        let t = throttle();
        let now = Instant::now();
        for _ in 0..4 {
            t.record_failure(A, "admin", now);
        }
        assert_eq!(t.begin(A, "ADMIN", now), Ok(()));
        t.succeeded(A, "ADMIN");
        assert_eq!(t.record_failure(A, "admin", now), None, "the count restarted");

        let later = now + Duration::from_secs(3601);
        for _ in 0..3 {
            t.record_failure(A, "olga", now);
        }
        assert_eq!(t.record_failure(A, "olga", later), None, "an hour later the count restarts");
    }

    #[test]
    fn attempts_in_parallel_count_before_their_passwords_are_checked() {
        let t = throttle();
        let now = Instant::now();

        let started: Vec<bool> = (0..10).map(|_| t.begin(A, "admin", now).is_ok()).collect();

        assert_eq!(started.iter().filter(|ok| **ok).count(), 5, "only 5 guesses get through: {started:?}");
        t.succeeded(A, "admin");
        assert_eq!(t.begin(A, "admin", now), Ok(()), "a success clears that username's count");
    }

    #[test]
    fn a_success_is_not_counted_against_the_client() {
        let t = throttle();
        let now = Instant::now();
        for i in 0..19 {
            t.record_failure(A, &format!("user{i}"), now);
        }

        assert_eq!(t.begin(A, "admin", now), Ok(()));
        t.succeeded(A, "admin");

        assert_eq!(t.check(A, "olga", now), Ok(()), "19 failures and a success: not throttled");
    }

    #[test]
    fn the_state_stays_bounded() {
        let t = throttle();
        let now = Instant::now();
        for i in 0..(MAX_ENTRIES as u32 / 2 + 10) {
            let ip = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            t.record_failure(ip, "admin", now);
        }
        assert!(t.len() <= MAX_ENTRIES, "{}", t.len());
        assert!(!t.is_empty());
    }
}
