//! Faults by ratio: a fraction of sends answered 429 Too Many Requests. Which sends are refused
//! is decided by a seeded hash of the chat and the number of the attempt to that chat, not by
//! the order sends arrive in, so a run with the same seed refuses the same attempts however the
//! bot's concurrent sends interleave.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A fraction of sends (sendMessage, sendDocument, sendPhoto) answered 429 with `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TooManyRequestsRatio {
    /// The fraction of sends refused, from 0.0 (none, the default) to 1.0 (all).
    pub ratio: f64,
    /// The `retry_after` the refusals carry, in whole seconds (at least 1).
    #[serde(default = "one_second")]
    pub retry_after: u64,
    /// Seeds the choice: the same seed refuses the same attempts to the same chats.
    #[serde(default)]
    pub seed: u64,
}

impl TooManyRequestsRatio {
    /// `ratio` of sends refused with `retry_after` 1 s, chosen with `seed`.
    pub fn new(ratio: f64, seed: u64) -> Self {
        Self { ratio, retry_after: 1, seed }
    }
}

fn one_second() -> u64 {
    1
}

/// The ratio fault a test switched on, and how many sends each chat has attempted under it.
#[derive(Debug, Default)]
pub(crate) struct RatioFaults {
    too_many_requests: Option<TooManyRequestsRatio>,
    attempts: HashMap<i64, u64>,
}

impl RatioFaults {
    /// Switches the 429 ratio on (`Some`, counting attempts afresh) or off.
    pub fn set(&mut self, fault: Option<TooManyRequestsRatio>) {
        self.too_many_requests = fault.filter(|fault| fault.ratio > 0.0);
        self.attempts.clear();
    }

    /// Counts an attempt to send to `chat_id`; `Some(retry_after)` when it is to be refused.
    pub fn refuse(&mut self, chat_id: i64) -> Option<u64> {
        let fault = self.too_many_requests?;
        let attempt = self.attempts.entry(chat_id).or_insert(0);
        let n = *attempt;
        *attempt += 1;
        (unit_interval(fault.seed, chat_id, n) < fault.ratio).then_some(fault.retry_after.max(1))
    }
}

/// A number in [0, 1) that depends only on the seed, the chat and the attempt.
fn unit_interval(seed: u64, chat_id: i64, attempt: u64) -> f64 {
    let mixed = splitmix64(seed ^ splitmix64(chat_id as u64 ^ splitmix64(attempt.wrapping_add(0x5eed))));
    // The top 53 bits fill an f64 mantissa exactly.
    (mixed >> 11) as f64 / (1_u64 << 53) as f64
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(fault: TooManyRequestsRatio, chats: std::ops::Range<i64>) -> Vec<i64> {
        let mut faults = RatioFaults::default();
        faults.set(Some(fault));
        chats.filter(|&chat| faults.refuse(chat).is_some()).collect()
    }

    #[test]
    fn about_the_ratio_of_first_attempts_is_refused() {
        let refused = refused(TooManyRequestsRatio::new(0.1, 42), 0..10_000);

        assert!((900..1_100).contains(&refused.len()), "{} of 10,000 refused", refused.len());
    }

    #[test]
    fn the_same_seed_refuses_the_same_chats_and_another_seed_others() {
        let first = refused(TooManyRequestsRatio::new(0.1, 7), 0..1_000);
        let again = refused(TooManyRequestsRatio::new(0.1, 7), 0..1_000);
        let other = refused(TooManyRequestsRatio::new(0.1, 8), 0..1_000);

        assert_eq!(first, again);
        assert_ne!(first, other);
    }

    #[test]
    fn a_retry_is_decided_afresh() {
        let mut faults = RatioFaults::default();
        faults.set(Some(TooManyRequestsRatio::new(0.5, 1)));

        let attempts: Vec<bool> = (0..64).map(|_| faults.refuse(3).is_some()).collect();

        assert!(attempts.contains(&true) && attempts.contains(&false), "{attempts:?}");
    }

    #[test]
    fn ratio_zero_refuses_nothing_and_one_everything() {
        assert!(refused(TooManyRequestsRatio::new(0.0, 1), 0..1_000).is_empty());
        assert_eq!(refused(TooManyRequestsRatio::new(1.0, 1), 0..1_000).len(), 1_000);
    }
}
