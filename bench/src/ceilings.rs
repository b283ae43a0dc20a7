//! The bare ceilings: the same work done by the simplest loop that could do it, on the same
//! machine in the same run, so that a system figure reads as a share of what is possible.

use std::time::{Duration, Instant};

use fake_telegram::{FakeTelegram, FakeUser};
use futures_util::StreamExt;
use futures_util::future::join_all;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions};
use lapin::options::{ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Connection};
use serde_json::{Value, json};
use telegram_bot::keyboards;
use telegram_bot::texts::{Lang, escape, fill};
use test_support::rabbit::TestQueues;

/// Confirms awaited together by the bare publisher: a pipeline, as a fast publisher would run.
const CONFIRM_WINDOW: usize = 256;

/// Bare AMQP: `n` persistent messages published with confirms to a durable queue while one
/// consumer (prefetch 50, as the bot) acks each; messages per second from the first publish
/// to the last ack.
pub async fn amqp_round_trip(rabbitmq_url: &str, n: usize) -> f64 {
    let queues = TestQueues::claim(rabbitmq_url, "bench_bare").await;
    let connection = Connection::connect(rabbitmq_url, Default::default()).await.expect("connect to RabbitMQ");
    let publisher = connection.create_channel().await.expect("a channel");
    let durable = QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() };
    publisher.queue_declare(queues.name.as_str().into(), durable, FieldTable::default()).await.expect("declare");
    publisher.confirm_select(ConfirmSelectOptions::default()).await.expect("confirm mode");
    let consumer_channel = connection.create_channel().await.expect("a channel");
    consumer_channel.basic_qos(50, BasicQosOptions::default()).await.expect("prefetch");
    let mut consumer = consumer_channel
        .basic_consume(
            queues.name.as_str().into(),
            "bench".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .expect("consume");
    let started = Instant::now();
    let consume = tokio::spawn(async move {
        for _ in 0..n {
            let delivery = consumer.next().await.expect("a delivery").expect("a delivery, not an error");
            delivery.ack(BasicAckOptions::default()).await.expect("ack");
        }
    });
    let mut confirms = Vec::with_capacity(CONFIRM_WINDOW);
    for i in 0..n {
        let body = format!("{{\"v\":1,\"delivery_id\":{i}}}");
        let properties = BasicProperties::default().with_delivery_mode(2);
        let confirm = publisher
            .basic_publish(
                "".into(),
                queues.name.as_str().into(),
                BasicPublishOptions::default(),
                body.as_bytes(),
                properties,
            )
            .await
            .expect("publish");
        confirms.push(confirm);
        if confirms.len() == CONFIRM_WINDOW {
            for confirm in join_all(confirms.drain(..)).await {
                confirm.expect("a confirm");
            }
        }
    }
    for confirm in join_all(confirms).await {
        confirm.expect("a confirm");
    }
    consume.await.expect("the consumer");
    let rate = n as f64 / started.elapsed().as_secs_f64();
    let _ = connection.close(200, "bye".into()).await;
    rate
}

/// Bare HTTP: `n` sendMessage calls to a fresh fake Telegram from `parallel` loops sharing one
/// client, as a sender with that many messages in flight; messages per second.
pub async fn send_message_loop(n: usize, parallel: usize) -> f64 {
    let fake = FakeTelegram::start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/bot{}/sendMessage", fake.url(), test_support::stack::BOT_TOKEN);
    let started = Instant::now();
    let loops = (0..parallel).map(|p| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            for i in (p..n).step_by(parallel) {
                let body = json!({ "chat_id": 1_000_000 + i, "text": "Hello", "parse_mode": "HTML" });
                let answer = client.post(&url).json(&body).send().await.expect("sendMessage");
                assert!(answer.status().is_success(), "the fake refused a send: {}", answer.status());
                answer.bytes().await.expect("the answer");
            }
        }
    });
    join_all(loops).await;
    n as f64 / started.elapsed().as_secs_f64()
}

/// Bare echo bot: `n` users write `/start` to a fresh fake; one loop takes updates with
/// getUpdates (100 at a time) and answers each with one sendMessage carrying the bot's own answer
/// (greeting and menu), the answers of a batch in parallel; updates answered per second, from the
/// first update injected to the last answer.
pub async fn echo_bot(n: usize) -> f64 {
    let fake = FakeTelegram::start().await;
    let client = reqwest::Client::new();
    let base = format!("{}/bot{}", fake.url(), test_support::stack::BOT_TOKEN);
    // Timed from the first update injected, as the system is (crate::updates).
    // The bot's own answer to `/start` (its greeting, HTML, the menu keyboard), so the ceiling
    // moves the same bytes and differs only by having no logic.
    let t = Lang::Ru.t();
    let menu = serde_json::to_value(keyboards::main_menu(t)).expect("the menu serialises");
    let started = Instant::now();
    for i in 0..n {
        fake.user_sends_command(&FakeUser::new(2_000_000 + i as i64, "User"), "/start");
    }
    let (mut answered, mut offset) = (0, 0_i64);
    while answered < n {
        let body = json!({ "offset": offset, "limit": 100, "timeout": 1 });
        let updates: Value = client
            .post(format!("{base}/getUpdates"))
            .json(&body)
            .send()
            .await
            .expect("getUpdates")
            .json()
            .await
            .expect("JSON");
        let updates = updates["result"].as_array().cloned().unwrap_or_default();
        let sends = updates.iter().map(|update| {
            let chat = update["message"]["chat"]["id"].as_i64().unwrap_or_default();
            let name = update["message"]["from"]["first_name"].as_str().unwrap_or_default();
            let client = client.clone();
            let url = format!("{base}/sendMessage");
            let answer = json!({
                "chat_id": chat,
                "text": fill(t.welcome, &[&escape(name)]),
                "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
                "reply_markup": &menu,
            });
            async move { client.post(url).json(&answer).send().await.expect("send") }
        });
        join_all(sends).await;
        answered += updates.len();
        offset = updates.last().and_then(|u| u["update_id"].as_i64()).map_or(offset, |id| id + 1);
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// Bare SQLite: `n` single-row INSERTs, each its own `BEGIN IMMEDIATE` transaction, on one
/// connection of a pool opened as the services open theirs; inserts per second.
pub async fn insert_loop(url: &str, n: usize) -> f64 {
    let pool = core_logic::db::connect_and_migrate(url, 1).await.expect("open the database");
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, slot INTEGER, candidate INTEGER)")
        .execute(&pool)
        .await
        .expect("create the table");
    let started = Instant::now();
    for i in 0..n {
        // The pool's one connection, one write transaction per insert.
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
        sqlx::query("INSERT INTO bench_bare (slot, candidate) VALUES (?, ?)")
            .bind((i % 100) as i64)
            .bind(i as i64)
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    pool.close().await;
    rate
}

/// Waits for `condition`, checking every 2 ms, at most `limit`; whether it held.
pub async fn poll_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    condition()
}
