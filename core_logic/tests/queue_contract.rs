#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The queue contract: one suite, written once and run against both backends. Each test gets a
//! fresh queue: a uniquely named RabbitMQ queue (deleted at the end) or a new SQLite file.
//!
//! The RabbitMQ half needs a broker at `RABBITMQ_URL` (default
//! `amqp://guest:guest@127.0.0.1:5672/%2f`) and fails, rather than skips, without one.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use core_logic::db;
use core_logic::queue::{Consumer, Queue, QueueError, QueueMessage, QueueOptions, Received};
use lapin::options::QueueDeleteOptions;
use sqlx::SqlitePool;

/// The longest any single receive may take before the test fails instead of hanging.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long "nothing more arrives" is watched for.
const QUIET: Duration = Duration::from_millis(500);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Backend {
    RabbitMq,
    Embedded,
}

/// Instantiates every contract test once per backend, in modules `rabbitmq` and `embedded`.
macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod rabbitmq {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::Backend::RabbitMq).await;
                }
            )*
        }
        mod embedded {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::Backend::Embedded).await;
                }
            )*
        }
    };
}

contract!(
    a_published_message_is_received_once_and_is_gone_once_acked,
    a_nacked_message_is_redelivered,
    a_consumer_that_dies_without_acking_gets_its_messages_redelivered_to_another,
    a_poison_message_is_dead_lettered_and_does_not_block_the_queue,
    ten_thousand_messages_pass_through_none_lost_none_twice,
    messages_survive_a_reconnect,
    a_message_held_longer_than_the_visibility_timeout_stays_with_its_live_consumer,
);

async fn a_published_message_is_received_once_and_is_gone_once_acked(backend: Backend) {
    // Arrange
    let t = TestQueue::new(backend, QueueOptions::default()).await;
    let mut consumer = t.queue.consumer().await.expect("start a consumer");

    // Act
    t.queue.publish_message(&QueueMessage::new(1)).await.expect("publish");
    let received = receive(&mut consumer).await;
    let message = QueueMessage::parse(&received.body).expect("a valid message");
    let redelivered = received.redelivered;
    received.ack().await.expect("ack");

    // Assert
    assert_eq!(message, QueueMessage::new(1));
    assert!(!redelivered, "a first delivery is not flagged redelivered");
    assert_nothing_arrives(&mut consumer).await;
    drop(consumer);
    let mut another = t.queue.consumer().await.expect("start another consumer");
    assert_nothing_arrives(&mut another).await;
    drop(another);
    t.cleanup().await;
}

async fn a_nacked_message_is_redelivered(backend: Backend) {
    // Arrange
    let t = TestQueue::new(backend, QueueOptions::default()).await;
    let mut consumer = t.queue.consumer().await.expect("start a consumer");
    t.queue.publish_message(&QueueMessage::new(7)).await.expect("publish");
    let first = receive(&mut consumer).await;
    assert!(!first.redelivered);

    // Act
    first.nack().await.expect("nack");
    let again = receive(&mut consumer).await;

    // Assert
    assert_eq!(QueueMessage::parse(&again.body).expect("valid"), QueueMessage::new(7));
    assert!(again.redelivered, "a nacked message comes back flagged redelivered");
    again.ack().await.expect("ack");
    assert_nothing_arrives(&mut consumer).await;
    drop(consumer);
    t.cleanup().await;
}

async fn a_consumer_that_dies_without_acking_gets_its_messages_redelivered_to_another(backend: Backend) {
    // Arrange: a short visibility timeout, so the embedded queue gives up on the dead consumer
    // quickly (RabbitMQ notices the closed connection at once).
    let options = QueueOptions { visibility_timeout: Duration::from_millis(300), ..QueueOptions::default() };
    let t = TestQueue::new(backend, options).await;
    let mut doomed = t.queue.consumer().await.expect("start the first consumer");
    t.queue.publish_message(&QueueMessage::new(3)).await.expect("publish");
    let taken = receive(&mut doomed).await;
    assert!(!taken.redelivered);

    // Act: the first consumer dies holding the message, unacked.
    drop(taken);
    drop(doomed);
    let mut survivor = t.queue.consumer().await.expect("start the second consumer");
    let again = receive(&mut survivor).await;

    // Assert
    assert_eq!(QueueMessage::parse(&again.body).expect("valid"), QueueMessage::new(3));
    assert!(again.redelivered, "the message comes again flagged redelivered");
    again.ack().await.expect("ack");
    assert_nothing_arrives(&mut survivor).await;
    drop(survivor);
    t.cleanup().await;
}

async fn a_message_held_longer_than_the_visibility_timeout_stays_with_its_live_consumer(backend: Backend) {
    // Arrange: a short visibility timeout; the handling of the message (a slow Telegram send,
    // a 429's retry_after) takes several times as long.
    let options = QueueOptions { visibility_timeout: Duration::from_millis(300), ..QueueOptions::default() };
    let t = TestQueue::new(backend, options).await;
    let mut busy = t.queue.consumer().await.expect("start the busy consumer");
    t.queue.publish_message(&QueueMessage::new(9)).await.expect("publish");
    let held = receive(&mut busy).await;

    // Act: another consumer looks for work while the first still handles the message.
    let mut other = t.queue.consumer().await.expect("start another consumer");
    let stolen = tokio::time::timeout(Duration::from_millis(1_500), other.receive()).await;

    // Assert: the message stayed with its live consumer, which can still settle it.
    if let Ok(received) = stolen {
        let body = received.map(|r| String::from_utf8_lossy(&r.body).into_owned());
        panic!("a message in progress went to a second consumer: {body:?}");
    }
    held.ack().await.expect("the live consumer still holds its message");
    assert_nothing_arrives(&mut other).await;
    drop((busy, other));
    t.cleanup().await;
}

async fn a_poison_message_is_dead_lettered_and_does_not_block_the_queue(backend: Backend) {
    // Arrange: a body that is not a message, then a valid one.
    let t = TestQueue::new(backend, QueueOptions::default()).await;
    t.queue.publish(b"{this is not json").await.expect("publish the poison");
    t.queue.publish_message(&QueueMessage::new(2)).await.expect("publish a valid message");
    let mut consumer = t.queue.consumer().await.expect("start a consumer");

    // Act: consume as the broadcast worker does: dead-letter what does not parse.
    let mut valid = Vec::new();
    let mut dead_lettered = 0;
    for _ in 0..2 {
        let received = receive(&mut consumer).await;
        match QueueMessage::parse(&received.body) {
            Ok(message) => {
                valid.push(message);
                received.ack().await.expect("ack");
            }
            Err(error) => {
                dead_lettered += 1;
                received.dead_letter(&error.to_string()).await.expect("dead-letter");
            }
        }
    }

    // Assert
    assert_eq!(valid, vec![QueueMessage::new(2)]);
    assert_eq!(dead_lettered, 1);
    // The broker moves a rejected message to the DLQ asynchronously: wait for it.
    let deadline = Instant::now() + RECEIVE_TIMEOUT;
    let mut count = t.queue.dead_letter_count().await.expect("count the DLQ");
    while count != 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        count = t.queue.dead_letter_count().await.expect("count the DLQ");
    }
    assert_eq!(count, 1, "the poison message sits in the dead-letter queue");
    assert_nothing_arrives(&mut consumer).await;
    drop(consumer);
    let mut another = t.queue.consumer().await.expect("start another consumer");
    assert_nothing_arrives(&mut another).await;
    drop(another);
    t.cleanup().await;
}

async fn ten_thousand_messages_pass_through_none_lost_none_twice(backend: Backend) {
    const MESSAGES: i64 = 10_000;
    // Each publish waits for its confirm, so throughput comes from publishing concurrently.
    const PUBLISHERS: i64 = 16;

    // Arrange
    let t = TestQueue::new(backend, QueueOptions::default()).await;
    let budget = Duration::from_secs(50);

    // Act: publish
    let started = Instant::now();
    let mut publishers = Vec::new();
    for publisher in 0..PUBLISHERS {
        let queue = t.queue.clone();
        publishers.push(tokio::spawn(async move {
            for id in (publisher..MESSAGES).step_by(PUBLISHERS as usize) {
                queue.publish_message(&QueueMessage::new(id)).await.expect("publish");
            }
        }));
    }
    for publisher in publishers {
        tokio::time::timeout(budget, publisher).await.expect("publishing took too long").expect("a publisher panicked");
    }
    let publish_time = started.elapsed();

    // Act: consume
    let mut consumer = t.queue.consumer().await.expect("start a consumer");
    let started = Instant::now();
    let mut seen = HashSet::new();
    while seen.len() < MESSAGES as usize {
        let received = receive(&mut consumer).await;
        let message = QueueMessage::parse(&received.body).expect("a valid message");
        assert!(seen.insert(message.delivery_id), "delivery {} came twice", message.delivery_id);
        received.ack().await.expect("ack");
        assert!(started.elapsed() < budget, "consuming took too long");
    }
    let consume_time = started.elapsed();

    // Assert
    println!(
        "queue throughput [{}]: publish {MESSAGES} msgs in {:.2} s = {:.0} msg/s; \
         consume {MESSAGES} msgs in {:.2} s = {:.0} msg/s",
        t.queue.backend(),
        publish_time.as_secs_f64(),
        MESSAGES as f64 / publish_time.as_secs_f64(),
        consume_time.as_secs_f64(),
        MESSAGES as f64 / consume_time.as_secs_f64(),
    );
    assert_eq!(seen, (0..MESSAGES).collect::<HashSet<_>>());
    assert_nothing_arrives(&mut consumer).await;
    drop(consumer);
    t.cleanup().await;
}

async fn messages_survive_a_reconnect(backend: Backend) {
    // Arrange
    let mut t = TestQueue::new(backend, QueueOptions::default()).await;
    t.queue.publish_message(&QueueMessage::new(1)).await.expect("publish before");

    // Act: lose the connection (RabbitMQ: closed under the handle; embedded: the pool is
    // closed and the file opened again), publish again, and consume through a lost
    // consumer connection too.
    t.lose_connection().await;
    t.queue.publish_message(&QueueMessage::new(2)).await.expect("publish after a reconnect");
    let mut consumer = t.queue.consumer().await.expect("start a consumer");
    let mut acked = HashSet::new();
    let mut lost_consumer_connection = false;
    let deadline = Instant::now() + RECEIVE_TIMEOUT;
    while acked.len() < 2 {
        assert!(Instant::now() < deadline, "both messages did not arrive in time");
        let received = receive(&mut consumer).await;
        let message = QueueMessage::parse(&received.body).expect("a valid message");
        match received.ack().await {
            Ok(()) => {
                acked.insert(message.delivery_id);
            }
            // At-least-once: a message whose channel died before the ack comes again.
            Err(QueueError::Closed) => {}
            Err(error) => panic!("ack failed: {error}"),
        }
        if !lost_consumer_connection {
            lost_consumer_connection = true;
            lose_consumer_connection(&consumer).await;
        }
    }

    // Assert
    assert_eq!(acked, HashSet::from([1, 2]));
    assert_nothing_arrives(&mut consumer).await;
    drop(consumer);
    t.cleanup().await;
}

/// A fresh queue on one backend.
struct TestQueue {
    queue: Queue,
    backend: Backend,
    options: QueueOptions,
    /// RabbitMQ: the broker URL. Embedded: the SQLite URL.
    url: String,
    /// Embedded: the pool behind the queue.
    pool: Option<SqlitePool>,
    /// Embedded: the directory of the SQLite file, removed on drop.
    _dir: Option<tempfile::TempDir>,
}

impl TestQueue {
    async fn new(backend: Backend, options: QueueOptions) -> Self {
        // The queue's warnings (reconnects, dead-letters) show up with a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
            .with_test_writer()
            .try_init();
        match backend {
            Backend::RabbitMq => {
                let url = std::env::var("RABBITMQ_URL")
                    .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
                let options = QueueOptions { queue_name: unique_queue_name(), ..options };
                let queue = Queue::rabbitmq(&url, options.clone()).await.unwrap_or_else(|error| {
                    panic!(
                        "RabbitMQ at {url} is unreachable ({error}). The RabbitMQ contract tests \
                         need a broker: start one (`rabbitmq-server -detached`) or set RABBITMQ_URL."
                    )
                });
                Self { queue, backend, options, url, pool: None, _dir: None }
            }
            Backend::Embedded => {
                let dir = tempfile::tempdir().expect("create a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("queue.db").display());
                let pool = db::connect_and_migrate(&url, 4).await.expect("open the database");
                let queue = Queue::embedded(pool.clone(), options.clone());
                Self { queue, backend, options, url, pool: Some(pool), _dir: Some(dir) }
            }
        }
    }

    /// Loses the connection under the queue handle.
    async fn lose_connection(&mut self) {
        match &self.queue {
            Queue::RabbitMq(queue) => {
                queue.break_connection_for_tests().await.expect("close the connection");
            }
            Queue::Embedded(_) => {
                // Closing the pool closes every connection of every handle on it.
                if let Some(pool) = self.pool.take() {
                    pool.close().await;
                }
                let pool = db::connect_and_migrate(&self.url, 4).await.expect("reopen");
                self.queue = Queue::embedded(pool.clone(), self.options.clone());
                self.pool = Some(pool);
            }
        }
    }

    /// Deletes the RabbitMQ queues; the embedded file goes with the temporary directory.
    async fn cleanup(self) {
        if self.backend != Backend::RabbitMq {
            return;
        }
        let connection =
            lapin::Connection::connect(&self.url, Default::default()).await.expect("connect to delete the test queues");
        let channel = connection.create_channel().await.expect("open a channel");
        let name = self.options.queue_name.as_str();
        for queue in [name.to_owned(), format!("{name}.dlq")] {
            channel
                .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
                .await
                .expect("delete a test queue");
        }
    }
}

async fn lose_consumer_connection(consumer: &Consumer) {
    if let Consumer::RabbitMq(consumer) = consumer {
        consumer.break_connection_for_tests().await.expect("close the consumer's connection");
    }
}

fn unique_queue_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970").subsec_nanos();
    format!("queue_contract_{}_{nanos}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

async fn receive(consumer: &mut Consumer) -> Received {
    tokio::time::timeout(RECEIVE_TIMEOUT, consumer.receive())
        .await
        .expect("no message arrived in time")
        .expect("receive failed")
}

async fn assert_nothing_arrives(consumer: &mut Consumer) {
    if let Ok(received) = tokio::time::timeout(QUIET, consumer.receive()).await {
        let body = received.map(|r| String::from_utf8_lossy(&r.body).into_owned());
        panic!("expected no message, got {body:?}");
    }
}
