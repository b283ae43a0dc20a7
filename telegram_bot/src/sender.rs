//! Sending within Telegram's limits: a reservation-based rate limiter (overall messages per
//! second and a minimum interval per chat) and the classification of Bot API errors into what
//! the delivery semantics do with them.

use std::collections::HashMap;
use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Keeps sends under `rate` per second overall and one per `per_chat` interval per chat.
pub struct RateLimiter {
    spacing: Duration,
    per_chat: Duration,
    state: Mutex<LimiterState>,
}

struct LimiterState {
    next_global: Instant,
    next_per_chat: HashMap<i64, Instant>,
}

impl RateLimiter {
    /// `rate` messages per second overall, `per_chat` between two messages to one chat. A 5%
    /// margin keeps jitter on the way to Telegram from ever crossing the limit.
    pub fn new(rate: u32, per_chat: Duration) -> Self {
        let spacing = Duration::from_secs_f64(1.05 / f64::from(rate.max(1)));
        let per_chat = per_chat.mul_f64(1.05);
        Self {
            spacing,
            per_chat,
            state: Mutex::new(LimiterState { next_global: Instant::now(), next_per_chat: HashMap::new() }),
        }
    }

    /// Waits for this chat's next permitted send. Reservations are taken under a lock, so
    /// concurrent senders never share a slot.
    pub async fn acquire(&self, chat_id: i64) {
        let at = {
            let mut s = self.state.lock().await;
            let now = Instant::now();
            let chat_ready = s.next_per_chat.get(&chat_id).copied().unwrap_or(now);
            let at = now.max(s.next_global).max(chat_ready);
            s.next_global = at + self.spacing;
            s.next_per_chat.insert(chat_id, at + self.per_chat);
            // Forget chats whose interval has passed, so the map stays small.
            if s.next_per_chat.len() > 10_000 {
                s.next_per_chat.retain(|_, t| *t > now);
            }
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// What to do after a failed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 429: wait this long and send again (not counted as an attempt).
    RetryAfter(Duration),
    /// The user blocked the bot (or deleted their account): never send again.
    Blocked(String),
    /// A permanent refusal (chat not found, bad request): no retry.
    Permanent(String),
    /// A network error or a 5xx: retry with backoff, then fail.
    Transient(String),
}

/// Classifies a Bot API error.
pub fn classify(err: &RequestError) -> Failure {
    match err {
        RequestError::RetryAfter(secs) => RetryAfter(secs.duration().max(Duration::from_secs(1))),
        RequestError::Api(api) => match api {
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup => Failure::Blocked(api.to_string()),
            ApiError::Unknown(description) => {
                if description.starts_with("Bad Request") || description.starts_with("Forbidden") {
                    Failure::Permanent(description.clone())
                } else {
                    // Telegram's 5xx answers ("Bad Gateway", "Internal Server Error") land here.
                    Failure::Transient(description.clone())
                }
            }
            other => Failure::Permanent(other.to_string()),
        },
        RequestError::MigrateToChatId(_) => Failure::Permanent(err.to_string()),
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
            Failure::Transient(err.to_string())
        }
    }
}

use Failure::RetryAfter;

/// The backoff before transient retry `attempt` (1-based): 0.5 s, 1 s, 2 s, 4 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * 2_u64.pow(attempt.saturating_sub(1).min(4)))
}

/// Transient failures tried before a delivery fails for good.
pub const MAX_ATTEMPTS: u32 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_limiter_spaces_sends_overall_and_per_chat() {
        let limiter = RateLimiter::new(10, Duration::from_secs(1));
        let start = Instant::now();

        for chat in 0..10 {
            limiter.acquire(chat).await;
        }
        let ten_chats = start.elapsed();
        limiter.acquire(0).await;
        let same_chat_again = start.elapsed();

        // 10 per second with a 5% margin: the 10th send starts after about 0.945 s.
        assert!(ten_chats >= Duration::from_millis(940) && ten_chats < Duration::from_millis(1000), "{ten_chats:?}");
        // Chat 0 went first at t=0; its next send waits for the 1.05 s per-chat interval.
        assert!(same_chat_again >= Duration::from_millis(1050), "{same_chat_again:?}");
    }

    #[test]
    fn errors_are_classified_as_the_delivery_semantics_need() {
        assert_eq!(
            classify(&RequestError::Api(ApiError::BotBlocked)),
            Failure::Blocked(ApiError::BotBlocked.to_string())
        );
        assert!(matches!(classify(&RequestError::Api(ApiError::ChatNotFound)), Failure::Permanent(_)));
        assert!(matches!(classify(&RequestError::Api(ApiError::Unknown("Bad Gateway".into()))), Failure::Transient(_)));
        assert!(matches!(
            classify(&RequestError::Api(ApiError::Unknown("Bad Request: can't parse entities".into()))),
            Failure::Permanent(_)
        ));
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(4), Duration::from_secs(4));
    }
}
