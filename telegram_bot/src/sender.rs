//! Sending within Telegram's limits: a rate limiter (overall messages per window and a minimum
//! interval per chat) and the classification of Bot API errors into what the delivery semantics
//! do with them.
//!
//! Telegram (and the fake) count a send when it *arrives*, in a sliding window: at most `rate`
//! arrivals in any one second overall, one per `per_chat` per chat. The limiter cannot see
//! arrivals, but each lies between the send's departure and its response. So a send occupies
//! its place in the window from departure until one window after its response, and a new send
//! departs only while fewer than `rate` sends are in flight or answered within the last window.
//! Then no window can ever hold more than `rate` arrivals, however the sends are delayed on the
//! way (a loaded host, a slow network), with no fixed margin: a late send simply holds its place
//! longer. The cost is the response time added to each place's second (a few milliseconds here).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex as SyncMutex, PoisonError};
use std::time::Duration;

use teloxide::ApiError;
use teloxide::RequestError;
use tokio::sync::{Mutex, Notify};
use tokio::time::Instant;

/// Telegram's window for both limits.
const WINDOW: Duration = Duration::from_secs(1);
/// Added to every wait: the two clocks (ours, the server's) read instants a little apart.
const GUARD: Duration = Duration::from_millis(2);

/// Keeps sends under `rate` per window overall and one per `per_chat` interval per chat.
pub struct RateLimiter {
    rate: usize,
    per_chat: Duration,
    state: Arc<SyncMutex<State>>,
    /// Taken by one acquirer at a time (fair, first come first served) while it waits for an
    /// overall place, so places go out in order.
    turn: Mutex<()>,
    /// Woken when a send is answered.
    answered: Arc<Notify>,
}

#[derive(Default)]
struct State {
    /// Sends departed and not yet answered.
    in_flight: usize,
    /// Response times of answered sends, oldest first, within the last window.
    answered: VecDeque<Instant>,
    /// Per chat: a send in flight, or the response time of the last one.
    chats: HashMap<i64, Chat>,
}

#[derive(Clone, Copy)]
enum Chat {
    InFlight,
    AnsweredAt(Instant),
}

impl State {
    fn forget_before(&mut self, now: Instant) {
        while self.answered.front().is_some_and(|at| *at + WINDOW + GUARD <= now) {
            self.answered.pop_front();
        }
    }
}

/// A place to send one message; drop it when the answer (or an error) has come back.
pub struct Permit {
    chat_id: i64,
    state: Arc<SyncMutex<State>>,
    answered: Arc<Notify>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.in_flight = state.in_flight.saturating_sub(1);
        state.answered.push_back(now);
        state.chats.insert(self.chat_id, Chat::AnsweredAt(now));
        // Forget chats whose interval has passed, so the map stays small.
        if state.chats.len() > 10_000 {
            state.chats.retain(|_, chat| match chat {
                Chat::InFlight => true,
                Chat::AnsweredAt(at) => *at + WINDOW > now,
            });
        }
        drop(state);
        self.answered.notify_waiters();
    }
}

impl RateLimiter {
    /// `rate` sends per second overall, `per_chat` between two sends to one chat.
    pub fn new(rate: u32, per_chat: Duration) -> Self {
        Self {
            rate: usize::try_from(rate.max(1)).unwrap_or(usize::MAX),
            per_chat,
            state: Arc::default(),
            turn: Mutex::new(()),
            answered: Arc::new(Notify::new()),
        }
    }

    /// Sends allowed per window, overall.
    pub fn rate(&self) -> usize {
        self.rate
    }

    /// Waits until a send to `chat_id` keeps within both limits, and takes its place. Hold the
    /// permit until the send is answered.
    pub async fn acquire(&self, chat_id: i64) -> Permit {
        self.reserve_chat(chat_id).await;
        let _turn = self.turn.lock().await;
        loop {
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let wait_until = {
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                let now = Instant::now();
                state.forget_before(now);
                if state.in_flight + state.answered.len() < self.rate {
                    state.in_flight += 1;
                    return Permit { chat_id, state: Arc::clone(&self.state), answered: Arc::clone(&self.answered) };
                }
                // Full: the oldest answered send leaves the window then (if none is answered,
                // the next answer wakes us).
                state.answered.front().map(|at| *at + WINDOW + GUARD)
            };
            match wait_until {
                Some(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = answered => {}
                    }
                }
                None => answered.await,
            }
        }
    }

    /// Waits until `chat_id` has no send in flight and its last one was answered at least
    /// `per_chat` ago, then marks it busy (the overall place is taken next).
    async fn reserve_chat(&self, chat_id: i64) {
        loop {
            let answered = self.answered.notified();
            tokio::pin!(answered);
            answered.as_mut().enable();
            let wait_until = {
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                let now = Instant::now();
                match state.chats.get(&chat_id).copied() {
                    Some(Chat::InFlight) => None,
                    Some(Chat::AnsweredAt(at)) if at + self.per_chat + GUARD > now => Some(at + self.per_chat + GUARD),
                    _ => {
                        state.chats.insert(chat_id, Chat::InFlight);
                        return;
                    }
                }
            };
            match wait_until {
                Some(at) => tokio::time::sleep_until(at).await,
                None => answered.await,
            }
        }
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

    /// Sends `count` messages (to `chat(i)`) through the limiter, each answered `latency(i)` after
    /// it departs and arriving at the server at a random point in between; returns the arrival
    /// instants, in the server's order, per chat.
    async fn simulate(
        limiter: Arc<RateLimiter>,
        count: usize,
        chat: impl Fn(usize) -> i64,
        latency: impl Fn(usize) -> Duration,
    ) -> Vec<(i64, Instant)> {
        let arrivals = Arc::new(SyncMutex::new(Vec::new()));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..count {
            let (limiter, arrivals, chat, latency) = (Arc::clone(&limiter), Arc::clone(&arrivals), chat(i), latency(i));
            tasks.spawn(async move {
                let permit = limiter.acquire(chat).await;
                // The arrival lands anywhere between departure and response.
                let to_arrival = latency.mul_f64(((i * 7919) % 101) as f64 / 100.0);
                tokio::time::sleep(to_arrival).await;
                arrivals.lock().unwrap_or_else(PoisonError::into_inner).push((chat, Instant::now()));
                tokio::time::sleep(latency - to_arrival).await;
                drop(permit);
            });
        }
        while tasks.join_next().await.is_some() {}
        let mut out = arrivals.lock().unwrap_or_else(PoisonError::into_inner).clone();
        out.sort_by_key(|(_, at)| *at);
        out
    }

    /// The most arrivals in any window of `WINDOW` (the server's sliding-window count).
    fn busiest_window(arrivals: &[Instant]) -> usize {
        let mut busiest = 0;
        let mut start = 0;
        for end in 0..arrivals.len() {
            while arrivals[end] - arrivals[start] >= WINDOW {
                start += 1;
            }
            busiest = busiest.max(end - start + 1);
        }
        busiest
    }

    #[tokio::test(start_paused = true)]
    async fn no_window_holds_more_than_the_rate_however_the_latency_varies() {
        let limiter = Arc::new(RateLimiter::new(30, Duration::from_secs(1)));
        let started = Instant::now();

        // 300 chats; latencies from 1 ms to 400 ms, as on a loaded host.
        let arrivals =
            simulate(Arc::clone(&limiter), 300, |i| i as i64, |i| Duration::from_millis(1 + ((i * 37) % 400) as u64))
                .await;

        let instants: Vec<Instant> = arrivals.iter().map(|(_, at)| *at).collect();
        assert!(busiest_window(&instants) <= 30, "{} arrivals in one window", busiest_window(&instants));
        // Still close to the rate: each place is held for one window plus its latency.
        let rate = 300.0 / started.elapsed().as_secs_f64();
        assert!(rate > 24.0, "{rate:.1}/s");
    }

    #[tokio::test(start_paused = true)]
    async fn with_fast_answers_the_rate_is_nearly_reached() {
        let limiter = Arc::new(RateLimiter::new(30, Duration::from_secs(1)));
        let started = Instant::now();

        simulate(Arc::clone(&limiter), 301, |i| i as i64, |_| Duration::from_millis(3)).await;

        // 301 sends at 30 per (1 s + 5 ms): the last departs after 10 windows.
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_secs(10) && elapsed < Duration::from_millis(10_200), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn one_chat_gets_one_message_per_interval_after_the_previous_answer() {
        let limiter = Arc::new(RateLimiter::new(1000, Duration::from_secs(1)));

        let arrivals = simulate(Arc::clone(&limiter), 5, |_| 42, |_| Duration::from_millis(50)).await;

        let instants: Vec<Instant> = arrivals.iter().map(|(_, at)| *at).collect();
        assert_eq!(busiest_window(&instants), 1);
        assert_eq!(instants.len(), 5);
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
