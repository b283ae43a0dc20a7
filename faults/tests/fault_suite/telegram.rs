//! Telegram answering with errors: a tenth of the sends refused with 429 under Telegram's real
//! limits, and chats that blocked the bot or no longer exist.

use std::time::Duration;

use fake_telegram::{Limits, TooManyRequestsRatio};
use test_support::inspect;

use super::harness::{Run, Setup};

/// Scenario 7: 10% of the sends answered 429 `retry_after` 1 (seeded, so every run refuses the
/// same attempts), with Telegram's limits (30/s overall, 1/s per chat) in the fake and the bot:
/// each waits and retries, everyone gets the message once, and no other 429 is provoked.
pub async fn a_tenth_answered_429() {
    const RECIPIENTS: i64 = 300;
    let mut run = Run::start("s07_ten_percent_429", Setup::rabbitmq(RECIPIENTS, 30)).await;
    run.stack.fake.set_limits(Some(Limits::default()));
    run.stack.fake.set_too_many_requests_ratio(Some(TooManyRequestsRatio { ratio: 0.1, retry_after: 1, seed: 2026 }));
    run.broadcast().await;
    run.stack.wait_for_broadcast(run.broadcast_id, "completed", Duration::from_secs(120)).await.ok();
    let stats = run.stack.fake.stats();
    let over_the_limits = stats.too_many_requests_answered - stats.too_many_requests_injected;
    run.details.push(format!(
        "429s injected: {}, 429s for going over Telegram's limits: {over_the_limits}",
        stats.too_many_requests_injected
    ));
    if stats.too_many_requests_injected == 0 {
        run.problems.push("no 429 was injected: the scenario tested nothing".to_owned());
    }
    if over_the_limits > 0 {
        run.problems.push(format!("{over_the_limits} sends went over Telegram's limits (30/s, 1/s per chat)"));
    }
    run.finish("completed", Duration::from_secs(10), 0).await;
}

/// Scenario 8: 5% of the chats blocked the bot (403) and 2% no longer exist (400 chat not
/// found): those end `blocked` (the candidate unreachable) and `failed`, the rest `sent` once.
pub async fn blocked_and_missing_chats() {
    let setup =
        Setup { blocked: |i| i % 100 < 5, not_found: |i| (5..7).contains(&(i % 100)), ..Setup::rabbitmq(2_000, 1_000) };
    let mut run = Run::start("s08_blocked_and_missing_chats", setup).await;
    run.broadcast().await;
    run.stack.wait_for_broadcast(run.broadcast_id, "completed", Duration::from_secs(120)).await.ok();
    let unreachable = inspect::unreachable_chats(&run.stack.db.pool).await;
    if unreachable != run.blocked {
        run.problems.push(format!(
            "{} candidates unreachable, expected exactly the {} who blocked the bot",
            unreachable.len(),
            run.blocked.len()
        ));
    }
    run.finish("completed", Duration::from_secs(10), 0).await;
}
