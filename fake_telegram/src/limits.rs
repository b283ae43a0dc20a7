//! Telegram's flood limits, imitated when a test asks for them: at most `global_per_sec` sends in
//! any one-second window overall and `per_chat_per_sec` per chat; a send over either answers 429
//! with `retry_after`. Paid broadcasts (`allow_paid_broadcast`) count against `paid_per_sec`
//! instead of the overall limit, as Telegram lets them go up to 1,000 per second.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The length of the sliding window both limits count in.
const WINDOW: Duration = Duration::from_secs(1);

/// How many sends (sendMessage, sendDocument, sendPhoto) the fake accepts per second.
///
/// A value of 0 turns that limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Sends accepted in any one-second window, all chats together.
    pub global_per_sec: u32,
    /// Sends accepted in any one-second window to one chat.
    pub per_chat_per_sec: u32,
    /// Paid broadcasts accepted in any one-second window, all chats together.
    #[serde(default = "paid_default")]
    pub paid_per_sec: u32,
}

fn paid_default() -> u32 {
    1000
}

impl Default for Limits {
    /// Telegram's documented limits: 30 messages per second overall, 1 per second per chat.
    fn default() -> Self {
        Self { global_per_sec: 30, per_chat_per_sec: 1, paid_per_sec: paid_default() }
    }
}

/// Remembers when recent sends were accepted and decides whether the next one is.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    limits: Option<Limits>,
    global: VecDeque<Instant>,
    paid: VecDeque<Instant>,
    per_chat: HashMap<i64, VecDeque<Instant>>,
    /// How far a test moved the limiter's clock ahead of the real one ([`RateLimiter::advance`]).
    skew: Duration,
}

impl RateLimiter {
    /// Turns the limits on (`Some`) or off (`None`), forgetting earlier sends.
    pub fn set(&mut self, limits: Option<Limits>) {
        self.limits = limits;
        self.global.clear();
        self.paid.clear();
        self.per_chat.clear();
    }

    /// Moves the clock the limits count by ahead by `by`, so a test sees a window slide without
    /// waiting for it.
    pub fn advance(&mut self, by: Duration) {
        self.skew += by;
    }

    /// Counts a send to `chat_id` at `now` (plus any [`RateLimiter::advance`]; a paid broadcast
    /// when `paid`) if it is within the limits; otherwise returns the whole seconds (at least 1)
    /// to wait, and the send is not counted.
    pub fn try_send(&mut self, chat_id: i64, paid: bool, now: Instant) -> Result<(), u64> {
        let Some(limits) = self.limits else {
            return Ok(());
        };
        let now = now + self.skew;
        let (overall, limit) =
            if paid { (&mut self.paid, limits.paid_per_sec) } else { (&mut self.global, limits.global_per_sec) };
        forget_older(overall, now);
        let chat = self.per_chat.entry(chat_id).or_default();
        forget_older(chat, now);

        let mut wait = None;
        if limits.per_chat_per_sec > 0 && chat.len() >= limits.per_chat_per_sec as usize {
            wait = chat.front().map(|&oldest| retry_after(oldest, now));
        }
        if limit > 0 && overall.len() >= limit as usize {
            let overall_wait = overall.front().map(|&oldest| retry_after(oldest, now));
            wait = wait.max(overall_wait);
        }
        if let Some(seconds) = wait {
            return Err(seconds);
        }
        chat.push_back(now);
        overall.push_back(now);
        Ok(())
    }
}

/// Drops the instants that have left the window ending at `now`.
fn forget_older(instants: &mut VecDeque<Instant>, now: Instant) {
    while instants.front().is_some_and(|&at| now.saturating_duration_since(at) >= WINDOW) {
        instants.pop_front();
    }
}

/// Whole seconds until `oldest` leaves the window, rounded up, at least 1.
fn retry_after(oldest: Instant, now: Instant) -> u64 {
    let wait = (oldest + WINDOW).saturating_duration_since(now);
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    impl RateLimiter {
        fn try_send_free(&mut self, chat_id: i64, now: Instant) -> Result<(), u64> {
            self.try_send(chat_id, false, now)
        }
    }

    #[test]
    fn paid_broadcasts_have_their_own_overall_limit_and_share_the_per_chat_one() {
        // Arrange: 2 free sends per second overall, 5 paid.
        let mut limiter = limiter(2, 1);
        let now = Instant::now();
        assert_eq!(limiter.try_send(1, false, now), Ok(()));
        assert_eq!(limiter.try_send(2, false, now), Ok(()));

        // Act
        let free_over = limiter.try_send(3, false, now);
        let paid: Vec<_> = (10..16).map(|chat| limiter.try_send(chat, true, now)).collect();
        let paid_same_chat = limiter.try_send(1, true, now + Duration::from_millis(500));

        // Assert
        assert_eq!(free_over, Err(1));
        assert_eq!(paid, [Ok(()), Ok(()), Ok(()), Ok(()), Ok(()), Err(1)]);
        assert_eq!(paid_same_chat, Err(1));
    }

    fn limiter(global_per_sec: u32, per_chat_per_sec: u32) -> RateLimiter {
        let mut limiter = RateLimiter::default();
        limiter.set(Some(Limits { global_per_sec, per_chat_per_sec, paid_per_sec: 5 }));
        limiter
    }

    #[test]
    fn without_limits_every_send_is_accepted() {
        let mut limiter = RateLimiter::default();
        let now = Instant::now();

        let results: Vec<_> = (0..100).map(|_| limiter.try_send_free(1, now)).collect();

        assert!(results.iter().all(Result::is_ok));
    }

    #[test]
    fn the_send_over_the_global_limit_waits_one_second() {
        let mut limiter = limiter(3, 0);
        let now = Instant::now();
        for chat in 0..3 {
            assert_eq!(limiter.try_send_free(chat, now), Ok(()));
        }

        let result = limiter.try_send_free(99, now + Duration::from_millis(300));

        assert_eq!(result, Err(1));
    }

    #[test]
    fn the_window_slides_so_sends_are_accepted_again_after_a_second() {
        let mut limiter = limiter(2, 1);
        let start = Instant::now();
        assert_eq!(limiter.try_send_free(1, start), Ok(()));
        assert_eq!(limiter.try_send_free(2, start), Ok(()));

        let later = limiter.try_send_free(1, start + WINDOW);

        assert_eq!(later, Ok(()));
    }

    #[test]
    fn a_second_send_to_one_chat_within_a_second_is_refused() {
        let mut limiter = limiter(30, 1);
        let now = Instant::now();
        assert_eq!(limiter.try_send_free(5, now), Ok(()));

        let same_chat = limiter.try_send_free(5, now + Duration::from_millis(999));
        let other_chat = limiter.try_send_free(6, now + Duration::from_millis(999));

        assert_eq!(same_chat, Err(1));
        assert_eq!(other_chat, Ok(()));
    }

    #[test]
    fn refused_sends_are_not_counted() {
        let mut limiter = limiter(0, 1);
        let now = Instant::now();
        assert_eq!(limiter.try_send_free(5, now), Ok(()));
        assert!(limiter.try_send_free(5, now + Duration::from_millis(500)).is_err());

        let after_window = limiter.try_send_free(5, now + Duration::from_millis(1000));

        assert_eq!(after_window, Ok(()));
    }
}
