//! End to end: the real `api_server` and `telegram_bot` binaries on one SQLite file and a real
//! RabbitMQ queue, the fake Telegram Bot API (hosted in this test process) enforcing Telegram's
//! flood limits. An admin logs in over HTTP and broadcasts to 1,000 candidates, some of whom
//! blocked the bot or no longer exist: every reachable candidate gets the message exactly once,
//! within the limits, and both services stop cleanly on SIGTERM.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use fake_telegram::Limits;
use test_support::rabbit::TestQueues;
use test_support::sends::Reach;
use test_support::stack::{QueueBackend, Stack, StackOptions};
use tokio::time::Instant;

/// The audience of the broadcast.
const CANDIDATES: i64 = 1_000;
/// Chat ids (and Telegram user ids) are `FIRST_CHAT + i`.
const FIRST_CHAT: i64 = 5_100_000;
/// Candidate `i` blocked the bot when `i % 100` is below this (3%).
const BLOCKED_PER_100: i64 = 3;
/// Candidate `i`'s chat no longer exists when `i % 100` is from `BLOCKED_PER_100` up to this (2%).
const GONE_BELOW_PER_100: i64 = 5;
const TEXT: &str = "<b>Новые слоты</b>";
/// How long the broadcast may take: at 30 messages/s 1,000 sends need about 35 s.
const COMPLETION: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Reachable,
    Blocked,
    Gone,
}

fn fate(i: i64) -> Fate {
    match i % 100 {
        n if n < BLOCKED_PER_100 => Fate::Blocked,
        n if n < GONE_BELOW_PER_100 => Fate::Gone,
        _ => Fate::Reachable,
    }
}

fn chats(which: Fate) -> BTreeSet<i64> {
    (0..CANDIDATES).filter(|&i| fate(i) == which).map(|i| FIRST_CHAT + i).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_to_1000_candidates_through_the_api_reaches_every_reachable_one_exactly_once() {
    // Arrange: a queue of our own on the broker, both services on a database with 1,000
    // candidates, and the fake with Telegram's limits and faulty chats.
    let queues = TestQueues::claim(&test_support::rabbitmq_url(), "test_e2e_broadcast").await;
    let (reachable, blocked, gone) = (chats(Fate::Reachable), chats(Fate::Blocked), chats(Fate::Gone));
    assert_eq!((reachable.len(), blocked.len(), gone.len()), (950, 30, 20));
    let mut stack = Stack::start(StackOptions {
        candidates: CANDIDATES,
        first_chat: FIRST_CHAT,
        queue: QueueBackend::RabbitMq { url: queues.rabbitmq_url.clone(), queue: queues.name.clone() },
        rate_per_sec: 30,
        bot_env: Vec::new(),
    })
    .await;
    stack.fake.set_limits(Some(Limits { global_per_sec: 30, per_chat_per_sec: 1, ..Default::default() }));
    for &chat in &blocked {
        stack.fake.block_chat(chat);
    }
    for &chat in &gone {
        stack.fake.chat_not_found(chat);
    }

    // Act: broadcast to everyone through the API and wait until it completes.
    let started = Instant::now();
    let id = stack.admin.create_broadcast(TEXT).await;
    stack.wait_for_broadcast(id, "completed", COMPLETION).await.expect("the broadcast completes");
    let elapsed = started.elapsed();
    let reach = Reach::of(&stack.fake, TEXT, &reachable);
    let messages: u64 = reach.per_chat.values().sum();
    println!(
        "{CANDIDATES} deliveries ({messages} messages accepted by the fake) completed in {elapsed:.1?}: \
         {:.1} deliveries/s, {:.1} messages/s",
        CANDIDATES as f64 / elapsed.as_secs_f64(),
        messages as f64 / elapsed.as_secs_f64()
    );

    // Assert: the counts the admin sees.
    let finished = stack.admin.broadcast(id).await;
    let counts: BTreeMap<String, i64> =
        serde_json::from_value(finished["counts"].clone()).expect("counts by status in the broadcast view");
    let expected = test_support::inspect::counts_of(&[("sent", 950), ("failed", 20), ("blocked", 30)]);
    assert_eq!(counts, expected, "delivery counts of the completed broadcast");
    assert_eq!(finished["total_recipients"], 1_000, "recipients of the broadcast: {finished}");

    // Assert: what Telegram received: one message to each reachable chat, none elsewhere, and
    // never a 429.
    reach.assert_exactly_once();
    let stats = stack.fake.stats();
    assert_eq!(stats.too_many_requests_answered, 0, "the bot must stay within Telegram's limits: {stats:?}");

    // Assert: the candidates who blocked the bot are unreachable, and only they.
    let unreachable = test_support::inspect::unreachable_chats(&stack.db.pool).await;
    assert_eq!(unreachable, blocked, "the unreachable candidates are exactly those who blocked the bot");

    // Assert: both services stop cleanly on SIGTERM, with no error logged.
    stack.stop_cleanly().await;
}
