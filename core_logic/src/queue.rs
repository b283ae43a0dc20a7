//! The queue between the event worker (producer) and the broadcast worker (consumer), with two
//! backends behind one small interface: RabbitMQ when `RABBITMQ_URL` is set, otherwise an
//! embedded queue in the same SQLite database. Both give at-least-once delivery: a message is
//! stored durably before `publish` returns, and it comes back until it is acked or dead-lettered.
//! Both pass the one contract suite in `tests/queue_contract.rs`.

pub mod embedded;
pub mod message;
pub mod rabbitmq;

use std::time::Duration;

use sqlx::SqlitePool;

pub use message::{MESSAGE_VERSION, MessageError, QueueMessage};

/// The queue that carries broadcast deliveries and candidate notifications to the bot.
pub const BROADCAST_QUEUE: &str = "telegram_broadcast";

/// Tuning shared by both backends.
#[derive(Clone, Debug)]
pub struct QueueOptions {
    /// The queue's name; the dead-letter queue is `<queue_name>.dlq`.
    pub queue_name: String,
    /// RabbitMQ: the consumer's `basic_qos` prefetch count. Embedded: how many messages a
    /// consumer claims at once.
    pub prefetch: u16,
    /// Embedded only: how long a received message stays hidden from other consumers once its
    /// consumer stops renewing it (the consumer renews every message it holds three times per
    /// timeout, however long the handling takes). This is how long a dead consumer's messages
    /// wait before they go to another.
    pub visibility_timeout: Duration,
}

impl Default for QueueOptions {
    fn default() -> Self {
        Self { queue_name: BROADCAST_QUEUE.to_owned(), prefetch: 256, visibility_timeout: Duration::from_secs(30) }
    }
}

/// Everything a queue operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The broker connection or channel failed.
    #[error("RabbitMQ error: {0}")]
    Amqp(#[from] lapin::Error),
    /// The embedded queue's database failed.
    #[error("queue database error: {0}")]
    Db(#[from] sqlx::Error),
    /// The embedded queue's database failed for a group-committed batch this call was part of.
    #[error("queue database error: {0}")]
    Shared(std::sync::Arc<sqlx::Error>),
    /// The broker did not confirm a published message (a publisher-confirm nack), so it may not
    /// be stored.
    #[error("the broker did not confirm the message")]
    NotConfirmed,
    /// The broker could not route a published message to the queue (the queue is missing).
    #[error("the broker could not route the message to queue {0}")]
    Unroutable(String),
    /// The broker did not answer in time.
    #[error("timed out while {0}")]
    Timeout(&'static str),
    /// The channel a message came on is closed, so it can no longer be acked, nacked or
    /// dead-lettered; the broker delivers it again.
    #[error("the message's channel is closed; it will be delivered again")]
    Closed,
    /// The embedded lease on a message expired and the message was (or will be) delivered
    /// again, so this consumer can no longer settle it.
    #[error("the lease on the message expired; it will be delivered again")]
    LeaseExpired,
}

/// A handle on the queue; cheap to clone, one per process is enough.
#[derive(Clone)]
pub enum Queue {
    RabbitMq(rabbitmq::RabbitMqQueue),
    Embedded(embedded::EmbeddedQueue),
}

impl Queue {
    /// Connects to RabbitMQ at `url` and declares the queue and its dead-letter queue.
    pub async fn rabbitmq(url: &str, options: QueueOptions) -> Result<Queue, QueueError> {
        Ok(Queue::RabbitMq(rabbitmq::RabbitMqQueue::connect(url, options).await?))
    }

    /// The embedded queue in the SQLite database behind `pool` (migrations already applied).
    pub fn embedded(pool: SqlitePool, options: QueueOptions) -> Queue {
        Queue::Embedded(embedded::EmbeddedQueue::new(pool, options))
    }

    /// The queue the configuration names: RabbitMQ when `RABBITMQ_URL` is set, else the embedded
    /// queue in the database behind `pool`; with the configured name and prefetch. RabbitMQ is
    /// connected on first use, so a service starts while the broker is down; call
    /// [`Queue::wait_until_connected`] to connect (and log the attempts) in the background.
    pub fn from_config(config: &crate::config::Config, pool: &SqlitePool) -> Queue {
        let options = QueueOptions {
            queue_name: config.queue_name.clone(),
            prefetch: config.queue_prefetch,
            ..QueueOptions::default()
        };
        match &config.rabbitmq_url {
            Some(url) => Queue::RabbitMq(rabbitmq::RabbitMqQueue::lazy(url, options)),
            None => Queue::embedded(pool.clone(), options),
        }
    }

    /// RabbitMQ: connects, retrying with backoff and logging each attempt, until the broker
    /// answers. Embedded: returns at once.
    pub async fn wait_until_connected(&self) {
        if let Queue::RabbitMq(queue) = self {
            queue.wait_until_connected().await;
        }
    }

    /// `"rabbitmq"` or `"embedded"`, for logs and metrics.
    pub fn backend(&self) -> &'static str {
        match self {
            Queue::RabbitMq(_) => "rabbitmq",
            Queue::Embedded(_) => "embedded",
        }
    }

    /// Publishes `body`; returns only once the message is durably stored (a broker confirm, or a
    /// committed row).
    pub async fn publish(&self, body: &[u8]) -> Result<(), QueueError> {
        match self {
            Queue::RabbitMq(queue) => queue.publish(body).await,
            Queue::Embedded(queue) => queue.publish(body).await,
        }
    }

    /// Publishes a [`QueueMessage`] as JSON.
    pub async fn publish_message(&self, msg: &QueueMessage) -> Result<(), QueueError> {
        self.publish(&msg.to_bytes()).await
    }

    /// Starts a consumer of the queue.
    pub async fn consumer(&self) -> Result<Consumer, QueueError> {
        Ok(match self {
            Queue::RabbitMq(queue) => Consumer::RabbitMq(queue.consumer().await?),
            Queue::Embedded(queue) => Consumer::Embedded(queue.consumer()),
        })
    }

    /// Checks that the queue is reachable, for a readiness probe.
    pub async fn ping(&self) -> Result<(), QueueError> {
        match self {
            Queue::RabbitMq(queue) => queue.ping().await,
            Queue::Embedded(queue) => queue.ping().await,
        }
    }

    /// How many messages sit in the dead-letter queue.
    pub async fn dead_letter_count(&self) -> Result<u64, QueueError> {
        match self {
            Queue::RabbitMq(queue) => queue.dead_letter_count().await,
            Queue::Embedded(queue) => queue.dead_letter_count().await,
        }
    }
}

/// Receives messages one at a time; each must be settled with [`Received::ack`],
/// [`Received::nack`] or [`Received::dead_letter`].
pub enum Consumer {
    RabbitMq(rabbitmq::RabbitMqConsumer),
    Embedded(embedded::EmbeddedConsumer),
}

impl Consumer {
    /// Waits for the next message. The RabbitMQ consumer reconnects with backoff by itself, so
    /// this can wait through a broker restart; wrap it in a timeout where that matters.
    pub async fn receive(&mut self) -> Result<Received, QueueError> {
        match self {
            Consumer::RabbitMq(consumer) => consumer.receive().await,
            Consumer::Embedded(consumer) => consumer.receive().await,
        }
    }
}

/// A message handed to a consumer and not yet settled. Dropping it unsettled is allowed: the
/// message is delivered again once its channel closes (RabbitMQ) or its lease expires (embedded).
pub struct Received {
    /// The message as published.
    pub body: Vec<u8>,
    /// Whether the message was delivered before (and not acked), so it may have been processed.
    pub redelivered: bool,
    settle: Settle,
}

/// How a received message is settled, per backend.
pub(crate) enum Settle {
    RabbitMq(lapin::Acker),
    Embedded(embedded::Lease),
}

impl Received {
    pub(crate) fn new(body: Vec<u8>, redelivered: bool, settle: Settle) -> Self {
        Self { body, redelivered, settle }
    }

    /// Done with: the message is removed from the queue.
    pub async fn ack(self) -> Result<(), QueueError> {
        match self.settle {
            Settle::RabbitMq(acker) => rabbitmq::ack(acker).await,
            Settle::Embedded(lease) => lease.ack().await,
        }
    }

    /// Not done: the message goes back to the queue to be delivered again.
    pub async fn nack(self) -> Result<(), QueueError> {
        match self.settle {
            Settle::RabbitMq(acker) => rabbitmq::nack(acker).await,
            Settle::Embedded(lease) => lease.nack().await,
        }
    }

    /// A poison message (cannot be parsed or processed, ever): it moves to the dead-letter
    /// queue and is never delivered again.
    pub async fn dead_letter(self, reason: &str) -> Result<(), QueueError> {
        match self.settle {
            Settle::RabbitMq(acker) => rabbitmq::dead_letter(acker, reason).await,
            Settle::Embedded(lease) => lease.dead_letter(reason).await,
        }
    }
}
