//! End to end, with a crash: the real `telegram_bot` binary is killed with SIGKILL in the middle
//! of a broadcast to 5,000 candidates (created through the real `api_server`, on RabbitMQ and one
//! SQLite file), then started again. Nothing is lost: every reachable candidate gets the message,
//! the blocked ones are recorded, and the only duplicates are messages that were in flight when
//! the bot died (DESIGN.md, "Delivery semantics": at-least-once, duplicates bounded by the
//! messages in flight). Telegram's limits are never hit, and both services stop cleanly.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use fake_telegram::{FakeTelegram, Limits};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use tokio::time::{Instant, sleep};

#[path = "support/e2e.rs"]
mod e2e;
use e2e::*;

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
/// The bot's messages handled at once (`CONCURRENCY` in src/broadcast_worker.rs).
const BOT_CONCURRENCY: i64 = 32;
/// The kill comes once this many deliveries are `sent` (20%)...
const KILL_FROM_SENT: i64 = CANDIDATES / 5;
/// ...and must land before this many are (60%).
const KILL_BEFORE_SENT: i64 = CANDIDATES * 3 / 5;
/// The pause between the kill and the restart. A restarted bot knows nothing of the sends its
/// predecessor made in the last second, so resending an in-flight message at once could
/// (rightly) meet a 429 for that chat; a real restart takes longer than this anyway.
const RESTART_AFTER: Duration = Duration::from_millis(1_500);
const TEXT: &str = "<b>Новые слоты</b> на следующей неделе";
const ADMIN_USERNAME: &str = "e2e_admin";
const ADMIN_PASSWORD: &str = "e2e-crash-password";
/// How long each phase of the broadcast may take (at 500/s it needs about 11 s in all).
const COMPLETION: Duration = Duration::from_secs(120);

fn blocked(i: i64) -> bool {
    i % BLOCKED_EVERY == 0
}

/// `(sent, sending, all)` deliveries of the broadcast now.
async fn progress(pool: &SqlitePool, broadcast_id: i64) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(status = 'sending'), 0), COUNT(*)
         FROM deliveries WHERE broadcast_id = ?",
    )
    .bind(broadcast_id)
    .fetch_one(pool)
    .await
    .expect("read the broadcast's progress")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_bot_mid_broadcast_loses_nothing_and_duplicates_at_most_the_messages_in_flight() {
    // Arrange: a broker, a queue of our own, the fake with limits and 100 blocked chats, a
    // database with 5,000 candidates, and both services on it.
    let rabbitmq_url =
        std::env::var("RABBITMQ_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
    let queues = TestQueues::claim(&rabbitmq_url, "test_e2e_crash").await;
    let api_server = api_server_binary();
    let reachable: BTreeSet<i64> = (0..CANDIDATES).filter(|&i| !blocked(i)).map(|i| FIRST_CHAT + i).collect();
    let blocked_chats: BTreeSet<i64> = (0..CANDIDATES).filter(|&i| blocked(i)).map(|i| FIRST_CHAT + i).collect();
    assert_eq!((reachable.len(), blocked_chats.len()), (4_900, 100));
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits { global_per_sec: RATE, per_chat_per_sec: 1 }));
    for &chat in &blocked_chats {
        fake.block_chat(chat);
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db_url = format!("sqlite:{}", dir.path().join("e2e.db").display());
    let pool = seed(&db_url, CANDIDATES, FIRST_CHAT).await;
    let port = free_port();
    let api_env = [
        ("DATABASE_URL", db_url.clone()),
        ("RABBITMQ_URL", rabbitmq_url.clone()),
        ("QUEUE_NAME", queues.name.clone()),
        ("API_ADDR", format!("127.0.0.1:{port}")),
        ("ADMIN_USERNAME", ADMIN_USERNAME.to_owned()),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    let bot_env = [
        ("DATABASE_URL", db_url.clone()),
        ("RABBITMQ_URL", rabbitmq_url.clone()),
        ("QUEUE_NAME", queues.name.clone()),
        ("TELEGRAM_BOT_TOKEN", "123456:TEST".to_owned()),
        ("TELEGRAM_API_URL", fake.url()),
        ("CONTACT_USERNAME", "hr_team".to_owned()),
        ("BROADCAST_RATE_PER_SEC", RATE.to_string()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    let bot_binary = Path::new(env!("CARGO_BIN_EXE_telegram_bot"));
    let mut api = Service::spawn("api_server", &api_server, dir.path(), &api_env);
    let mut first_bot = Service::spawn("telegram_bot", bot_binary, dir.path(), &bot_env);
    api.wait_until_healthy(port).await;
    first_bot.wait_until_polling(&fake, 0).await;

    // Act 1: broadcast to everyone through the API.
    let base = format!("http://127.0.0.1:{port}");
    let client =
        reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(10)).build().expect("an HTTP client");
    let login = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .expect("POST /api/auth/login");
    assert!(login.status().is_success(), "login answered {}: {}", login.status(), login.text().await.unwrap());
    let started = Instant::now();
    let created = client
        .post(format!("{base}/api/broadcasts"))
        .json(&json!({ "text": TEXT, "segment": { "kind": "all" } }))
        .send()
        .await
        .expect("POST /api/broadcasts");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED, "creating the broadcast");
    let created: Value = created.json().await.expect("the created broadcast as JSON");
    let id = created["id"].as_i64().unwrap_or_else(|| panic!("no id in {created}"));

    // Act 2: SIGKILL the bot once a fifth of the deliveries are sent.
    loop {
        let (sent, _, _) = progress(&pool, id).await;
        if sent >= KILL_FROM_SENT {
            break;
        }
        first_bot.assert_running("sending the broadcast");
        api.assert_running("the broadcast was sending");
        assert!(
            started.elapsed() < COMPLETION,
            "only {sent} deliveries sent within {COMPLETION:?}\n{}\n{}",
            api.log_tail(),
            first_bot.log_tail()
        );
        sleep(Duration::from_millis(5)).await;
    }
    first_bot.sigkill();
    let killed_after = started.elapsed();
    let (sent_at_kill, sending_at_kill, rows_at_kill) = progress(&pool, id).await;
    let fake_sends_at_kill = fake.stats().sends;
    println!(
        "killed the bot {killed_after:.2?} after the broadcast was created ({:.0} deliveries/s so far): \
         {sent_at_kill} sent, {sending_at_kill} sending (in flight), {rows_at_kill} delivery rows; \
         the fake had accepted {fake_sends_at_kill} messages",
        sent_at_kill as f64 / killed_after.as_secs_f64()
    );
    assert!(
        (KILL_FROM_SENT..KILL_BEFORE_SENT).contains(&sent_at_kill),
        "the kill must land mid-broadcast (20% to 60% sent), but {sent_at_kill} of {CANDIDATES} were sent"
    );

    // Act 3: start the bot again on the same database and queue, and let it finish.
    sleep(RESTART_AFTER).await;
    let polls_before = fake.stats().methods.get("getUpdates").copied().unwrap_or(0);
    let mut bot = Service::spawn("telegram_bot_restarted", bot_binary, dir.path(), &bot_env);
    let restarted = Instant::now();
    bot.wait_until_polling(&fake, polls_before).await;
    let finished = loop {
        let view: Value = client
            .get(format!("{base}/api/broadcasts/{id}"))
            .send()
            .await
            .expect("GET /api/broadcasts/{id}")
            .error_for_status()
            .expect("GET /api/broadcasts/{id} succeeds")
            .json()
            .await
            .expect("the broadcast as JSON");
        if view["status"] == "completed" {
            break view;
        }
        api.assert_running("the broadcast was sending");
        bot.assert_running("the broadcast was sending");
        assert!(
            restarted.elapsed() < COMPLETION,
            "the broadcast did not complete within {COMPLETION:?} of the restart; last seen: {view}\n{}\n{}",
            api.log_tail(),
            bot.log_tail()
        );
        sleep(Duration::from_millis(100)).await;
    };
    let elapsed = started.elapsed();

    // Assert: every delivery is accounted for, none lost.
    let counts: BTreeMap<String, i64> =
        serde_json::from_value(finished["counts"].clone()).expect("counts by status in the broadcast view");
    let expected: BTreeMap<String, i64> = [
        ("pending", 0),
        ("published", 0),
        ("sending", 0),
        ("sent", 4_900),
        ("failed", 0),
        ("blocked", 100),
        ("cancelled", 0),
    ]
    .into_iter()
    .map(|(status, n)| (status.to_owned(), n))
    .collect();
    assert_eq!(counts, expected, "delivery counts of the completed broadcast");
    assert_eq!(counts.values().sum::<i64>(), CANDIDATES, "one delivery per candidate");

    // Assert: Telegram got every reachable chat at least once, the blocked ones never, and the
    // duplicates are no more than the messages in flight at the kill.
    let sends = fake.sent();
    let mut per_chat: BTreeMap<i64, i64> = BTreeMap::new();
    for message in &sends {
        assert_eq!(message.method, "sendMessage", "only broadcast messages were expected: {message:?}");
        assert_eq!(message.text.as_deref(), Some(TEXT), "the broadcast text, as HTML: {message:?}");
        *per_chat.entry(message.chat_id).or_default() += 1;
    }
    let received: BTreeSet<i64> = per_chat.keys().copied().collect();
    let missing: Vec<_> = reachable.difference(&received).take(10).collect();
    assert!(missing.is_empty(), "reachable chats that got nothing (first 10): {missing:?}");
    let strangers: Vec<_> = received.difference(&reachable).take(10).collect();
    assert!(strangers.is_empty(), "chats that should have got nothing (first 10): {strangers:?}");
    let duplicates: i64 = per_chat.values().map(|n| n - 1).sum();
    let twice: Vec<_> = per_chat.iter().filter(|&(_, &n)| n > 1).map(|(chat, _)| chat).collect();
    println!(
        "completed {:.1?} after the restart, {elapsed:.1?} in all; {} messages for {} chats: {duplicates} \
         duplicates (chats {twice:?}), {sending_at_kill} deliveries were in flight at the kill",
        restarted.elapsed(),
        sends.len(),
        per_chat.len()
    );
    assert!(
        duplicates <= sending_at_kill + BOT_CONCURRENCY,
        "{duplicates} duplicates, but only {sending_at_kill} deliveries were in flight at the kill \
         (plus the bot's concurrency of {BOT_CONCURRENCY})"
    );
    let stats = fake.stats();
    assert_eq!(stats.too_many_requests_answered, 0, "the bot must stay within Telegram's limits: {stats:?}");

    // Assert: the candidates who blocked the bot are unreachable, and only they.
    let unreachable: BTreeSet<i64> = sqlx::query_scalar("SELECT chat_id FROM candidates WHERE status = 'unreachable'")
        .fetch_all(&pool)
        .await
        .expect("read the unreachable candidates")
        .into_iter()
        .collect();
    assert_eq!(unreachable, blocked_chats, "the unreachable candidates are exactly those who blocked the bot");
    pool.close().await;

    // Assert: both services stop cleanly on SIGTERM, with no error logged.
    let signalled = Instant::now();
    api.sigterm();
    bot.sigterm();
    for service in [&mut api, &mut bot] {
        service.assert_clean_exit(signalled).await;
    }
    drop(first_bot);
}
