//! End to end, with a crash: the real `telegram_bot` binary is killed with SIGKILL in the middle
//! of a broadcast to 5,000 candidates (created through the real `api_server`, on RabbitMQ and one
//! SQLite file), then started again. Nothing is lost: every reachable candidate gets the message,
//! the blocked ones are recorded, and the only duplicates are messages that were in flight when
//! the bot died (DESIGN.md, "Delivery semantics": at-least-once, duplicates bounded by the
//! messages in flight). Telegram's limits are never hit, and both services stop cleanly.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.

use std::collections::BTreeSet;
use std::time::Duration;

use fake_telegram::Limits;
use test_support::rabbit::TestQueues;
use test_support::sends::Reach;
use test_support::stack::{QueueBackend, Stack, StackOptions};
use tokio::time::Instant;

/// The audience of the broadcast.
const CANDIDATES: i64 = 5_000;
/// Chat ids (and Telegram user ids) are `FIRST_CHAT + i`.
const FIRST_CHAT: i64 = 5_200_000;
/// Candidate `i` blocked the bot when `i % 50 == 0` (2%, 100 candidates).
const BLOCKED_EVERY: i64 = 50;
/// The send rate of the bot and the fake's overall limit. Telegram's default is 30/s; the
/// semantics under test (the bot's limiter keeping under the fake's sliding-window limit, 1 per
/// second per chat, at-least-once across a crash) are the same at 500/s, which is 16x faster and
/// keeps this 5,000-message test to seconds instead of minutes.
const RATE: u32 = 500;
/// The kill comes once this many deliveries are `sent` (20%).
const KILL_FROM_SENT: i64 = CANDIDATES / 5;
/// How long the fake holds a call once the kill is decided: longer than the test, so the
/// broadcast cannot run on (or finish) between the decision and the kill.
const HOLD: Duration = Duration::from_secs(3_600);
/// The time between the kill and the restart, as the fake's flood limits see it.
const RESTART_AFTER: Duration = Duration::from_millis(1_500);
const TEXT: &str = "<b>Новые слоты</b> на следующей неделе";
/// How long each phase of the broadcast may take (at 500/s it needs about 11 s in all).
const COMPLETION: Duration = Duration::from_secs(120);

fn blocked(i: i64) -> bool {
    i % BLOCKED_EVERY == 0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_bot_mid_broadcast_loses_nothing_and_duplicates_at_most_the_messages_in_flight() {
    // Arrange: a queue of our own on the broker, both services on a database with 5,000
    // candidates, the fake with limits and 100 blocked chats.
    let queues = TestQueues::claim(&test_support::rabbitmq_url(), "test_e2e_crash").await;
    let reachable: BTreeSet<i64> = (0..CANDIDATES).filter(|&i| !blocked(i)).map(|i| FIRST_CHAT + i).collect();
    let blocked_chats: BTreeSet<i64> = (0..CANDIDATES).filter(|&i| blocked(i)).map(|i| FIRST_CHAT + i).collect();
    assert_eq!((reachable.len(), blocked_chats.len()), (4_900, 100));
    let mut stack = Stack::start(StackOptions {
        candidates: CANDIDATES,
        first_chat: FIRST_CHAT,
        queue: QueueBackend::RabbitMq { url: queues.rabbitmq_url.clone(), queue: queues.name.clone() },
        rate_per_sec: RATE,
        bot_env: Vec::new(),
    })
    .await;
    stack.fake.set_limits(Some(Limits { global_per_sec: RATE, per_chat_per_sec: 1, ..Default::default() }));
    for &chat in &blocked_chats {
        stack.fake.block_chat(chat);
    }

    // Act 1: broadcast to everyone through the API; once a fifth is sent, the fake holds every
    // further call (so the messages the bot is sending stay in flight, and the kill lands
    // mid-broadcast by construction, not by timing), and the bot is killed with SIGKILL.
    let started = Instant::now();
    let id = stack.admin.create_broadcast(TEXT).await;
    stack.wait_for_sent(id, KILL_FROM_SENT, COMPLETION).await.expect("a fifth of the broadcast is sent");
    stack.fake.set_delay(HOLD);
    stack.bot.sigkill();
    let killed_after = started.elapsed();
    // Read once the process is gone: a delivery the bot may have handed to Telegram without
    // recording it is exactly one left `sending`, so this is the exact bound on duplicates.
    let at_kill = stack.counts(id).await;
    let (sent_at_kill, in_flight) = (at_kill["sent"], at_kill["sending"]);
    println!(
        "killed the bot {killed_after:.2?} after the broadcast was created ({:.0} deliveries/s so far): \
         {sent_at_kill} sent, {in_flight} sending (in flight); the fake had accepted {} messages",
        sent_at_kill as f64 / killed_after.as_secs_f64(),
        stack.fake.stats().sends
    );
    let reachable_count = i64::try_from(reachable.len()).expect("a count");
    assert!(
        (KILL_FROM_SENT..reachable_count).contains(&sent_at_kill),
        "the kill must land mid-broadcast, but {sent_at_kill} of {reachable_count} were sent"
    );

    // Act 2: start the bot again on the same database and queue, and let it finish. A restarted
    // bot knows nothing of the sends its predecessor made in the last second, so resending at
    // once could (rightly) meet a 429 from the fake's one-second windows; a real restart takes
    // longer than that, so the fake's clock is moved past those windows rather than waited out.
    stack.fake.set_delay(Duration::ZERO);
    stack.fake.advance_limits_clock(RESTART_AFTER);
    let restarted = Instant::now();
    stack.restart_bot().await;
    stack.wait_for_broadcast(id, "completed", COMPLETION).await.expect("the broadcast completes after the restart");

    // Assert: every delivery is accounted for, none lost.
    let counts = stack.counts(id).await;
    let expected = test_support::inspect::counts_of(&[("sent", 4_900), ("blocked", 100)]);
    assert_eq!(counts, expected, "delivery counts of the completed broadcast");

    // Assert: Telegram got every reachable chat at least once, the blocked ones never, and the
    // duplicates are no more than the messages in flight at the kill.
    let reach = Reach::of(&stack.fake, TEXT, &reachable);
    println!(
        "completed {:.1?} after the restart, {:.1?} in all; {} duplicates (chats {:?}), {in_flight} deliveries \
         were in flight at the kill",
        restarted.elapsed(),
        started.elapsed(),
        reach.duplicates,
        reach.chats_twice()
    );
    reach.assert_everyone_and_nobody_else();
    assert!(
        reach.duplicates <= u64::try_from(in_flight).expect("a count"),
        "{} duplicates, but only {in_flight} deliveries were in flight at the kill",
        reach.duplicates
    );
    let stats = stack.fake.stats();
    assert_eq!(stats.too_many_requests_answered, 0, "the bot must stay within Telegram's limits: {stats:?}");

    // Assert: the candidates who blocked the bot are unreachable, and only they.
    let unreachable = test_support::inspect::unreachable_chats(&stack.db.pool).await;
    assert_eq!(unreachable, blocked_chats, "the unreachable candidates are exactly those who blocked the bot");

    // Assert: both services stop cleanly on SIGTERM, with no error logged.
    stack.stop_cleanly().await;
}
