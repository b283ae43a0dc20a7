//! `/start` from 5,000 users at once, injected into the fake Telegram and answered by the real
//! bot (release binary, embedded queue): updates answered per second.

use std::time::{Duration, Instant};

use fake_telegram::FakeUser;
use test_support::stack::{QueueBackend, Stack, StackOptions};

use crate::ceilings::poll_until;

pub const USERS: i64 = 5000;

/// Updates answered per second, from the first update injected to the last answer (as the echo
/// bot of [`crate::ceilings::echo_bot`] is timed).
pub async fn run() -> f64 {
    let options = StackOptions {
        candidates: 0,
        first_chat: 9_000_000,
        queue: QueueBackend::Embedded,
        rate_per_sec: 30,
        bot_env: Vec::new(),
    };
    let mut stack = Stack::start(options).await;
    // One user first, to learn how many messages a /start is answered with.
    let before = stack.fake.stats().sends;
    stack.fake.user_sends_command(&FakeUser::new(8_999_999, "Warm"), "/start");
    let fake = stack.fake.clone();
    assert!(poll_until(Duration::from_secs(30), || fake.stats().sends > before).await, "the bot never answered /start");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let per_start = stack.fake.stats().sends - before;

    let before = stack.fake.stats().sends;
    let started = Instant::now();
    for i in 0..USERS {
        stack.fake.user_sends_command(&FakeUser::new(9_000_000 + i, format!("User {i}")), "/start");
    }
    let want = before + per_start * USERS as u64;
    let answered = poll_until(Duration::from_secs(300), || fake.stats().sends >= want).await;
    let elapsed = started.elapsed().as_secs_f64();
    stack.assert_running("answering /start");
    assert!(answered, "the bot answered {} of {want} messages", stack.fake.stats().sends);
    USERS as f64 / elapsed
}
