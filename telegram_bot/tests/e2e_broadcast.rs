//! End to end: the real `api_server` and `telegram_bot` binaries on one SQLite file and a real
//! RabbitMQ queue, the fake Telegram Bot API (hosted in this test process) enforcing Telegram's
//! flood limits. An admin logs in over HTTP and broadcasts to 1,000 candidates, some of whom
//! blocked the bot or no longer exist: every reachable candidate gets the message exactly once,
//! within the limits, and both services stop cleanly on SIGTERM.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use fake_telegram::{FakeTelegram, Limits};
use serde_json::{Value, json};
use tokio::time::{Instant, sleep};

#[path = "support/e2e.rs"]
mod e2e;
use e2e::*;

/// The audience of the broadcast.
const CANDIDATES: i64 = 1_000;
/// Chat ids (and Telegram user ids) are `FIRST_CHAT + i`.
const FIRST_CHAT: i64 = 5_100_000;
/// Candidate `i` blocked the bot when `i % 100` is below this (3%).
const BLOCKED_PER_100: i64 = 3;
/// Candidate `i`'s chat no longer exists when `i % 100` is from `BLOCKED_PER_100` up to this (2%).
const GONE_BELOW_PER_100: i64 = 5;
const TEXT: &str = "<b>Новые слоты</b>";
const ADMIN_USERNAME: &str = "e2e_admin";
const ADMIN_PASSWORD: &str = "e2e-broadcast-password";
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
    // Arrange: a broker, a queue of our own, the fake with Telegram's limits and faulty chats, a
    // database with 1,000 candidates, and both services on it.
    let rabbitmq_url =
        std::env::var("RABBITMQ_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
    let queues = TestQueues::claim(&rabbitmq_url, "test_e2e_broadcast").await;
    let api_server = api_server_binary();
    let (reachable, blocked, gone) = (chats(Fate::Reachable), chats(Fate::Blocked), chats(Fate::Gone));
    assert_eq!((reachable.len(), blocked.len(), gone.len()), (950, 30, 20));
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits { global_per_sec: 30, per_chat_per_sec: 1 }));
    for &chat in &blocked {
        fake.block_chat(chat);
    }
    for &chat in &gone {
        fake.chat_not_found(chat);
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
        ("BROADCAST_RATE_PER_SEC", "30".to_owned()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    let mut api = Service::spawn("api_server", &api_server, dir.path(), &api_env);
    let mut bot = Service::spawn("telegram_bot", Path::new(env!("CARGO_BIN_EXE_telegram_bot")), dir.path(), &bot_env);
    api.wait_until_healthy(port).await;
    bot.wait_until_polling(&fake, 0).await;

    // Act: log in and broadcast to everyone, then watch it through the API until it completes.
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
            started.elapsed() < COMPLETION,
            "the broadcast did not complete within {COMPLETION:?}; last seen: {view}\n{}\n{}",
            api.log_tail(),
            bot.log_tail()
        );
        sleep(Duration::from_millis(200)).await;
    };
    let elapsed = started.elapsed();
    let sends = fake.sent();
    println!(
        "{CANDIDATES} deliveries ({} messages accepted by the fake) completed in {elapsed:.1?}: \
         {:.1} deliveries/s, {:.1} messages/s",
        sends.len(),
        CANDIDATES as f64 / elapsed.as_secs_f64(),
        sends.len() as f64 / elapsed.as_secs_f64()
    );

    // Assert: the counts the admin sees.
    let counts: BTreeMap<String, i64> =
        serde_json::from_value(finished["counts"].clone()).expect("counts by status in the broadcast view");
    let expected: BTreeMap<String, i64> = [
        ("pending", 0),
        ("published", 0),
        ("sending", 0),
        ("sent", 950),
        ("failed", 20),
        ("blocked", 30),
        ("cancelled", 0),
    ]
    .into_iter()
    .map(|(status, n)| (status.to_owned(), n))
    .collect();
    assert_eq!(counts, expected, "delivery counts of the completed broadcast");
    assert_eq!(finished["total_recipients"], 1_000, "recipients of the broadcast: {finished}");

    // Assert: what Telegram received: one message to each reachable chat, none elsewhere, and
    // never a 429.
    let mut per_chat: BTreeMap<i64, usize> = BTreeMap::new();
    for message in &sends {
        assert_eq!(message.method, "sendMessage", "only broadcast messages were expected: {message:?}");
        assert_eq!(message.text.as_deref(), Some(TEXT), "the broadcast text, as HTML: {message:?}");
        assert_eq!(message.parse_mode.as_deref(), Some("HTML"), "sent as HTML: {message:?}");
        *per_chat.entry(message.chat_id).or_default() += 1;
    }
    assert_eq!(sends.len(), 950, "messages accepted by the fake Telegram");
    let received: BTreeSet<i64> = per_chat.keys().copied().collect();
    let missing: Vec<_> = reachable.difference(&received).take(10).collect();
    assert!(missing.is_empty(), "reachable chats that got nothing (first 10): {missing:?}");
    let strangers: Vec<_> = received.difference(&reachable).take(10).collect();
    assert!(strangers.is_empty(), "chats that should have got nothing (first 10): {strangers:?}");
    let twice: Vec<_> = per_chat.iter().filter(|&(_, &n)| n != 1).take(10).collect();
    assert!(twice.is_empty(), "chats that got more than one message (first 10): {twice:?}");
    let stats = fake.stats();
    assert_eq!(stats.too_many_requests_answered, 0, "the bot must stay within Telegram's limits: {stats:?}");

    // Assert: the candidates who blocked the bot are unreachable, and only they.
    let unreachable: BTreeSet<i64> = sqlx::query_scalar("SELECT chat_id FROM candidates WHERE status = 'unreachable'")
        .fetch_all(&pool)
        .await
        .expect("read the unreachable candidates")
        .into_iter()
        .collect();
    assert_eq!(unreachable, blocked, "the unreachable candidates are exactly those who blocked the bot");
    pool.close().await;

    // Assert: both services stop cleanly on SIGTERM, with no error logged.
    let signalled = Instant::now();
    api.sigterm();
    bot.sigterm();
    for service in [&mut api, &mut bot] {
        service.assert_clean_exit(signalled).await;
    }
}
