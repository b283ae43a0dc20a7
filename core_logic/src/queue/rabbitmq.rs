//! The RabbitMQ backend (lapin): a durable queue with a dead-letter queue beside it, persistent
//! messages, publisher confirms, manual acks, a prefetch limit, and reconnection with
//! exponential backoff after the connection or a channel is lost (a broker restart, a network
//! cut). Every AMQP option that differs from the protocol default says why.

use std::sync::Arc;
use std::time::Duration;

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties};
use tokio::sync::Mutex;
use tokio::time::timeout;

mod consumer;

pub use self::consumer::RabbitMqConsumer;
pub(crate) use self::consumer::{ack, dead_letter, nack};
use super::{QueueError, QueueOptions};

/// How long connecting and declaring the topology may take before we give up and retry.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a publish may wait for its confirm; a blocked broker (e.g. a disk alarm) would
/// otherwise hang the publisher forever.
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(30);
/// How long `ping` and `dead_letter_count` wait for the broker.
const QUERY_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts of one publish (reconnecting between them) before its error is returned; the
/// caller (the event worker) retries later, so this only rides out a short outage.
const PUBLISH_ATTEMPTS: u32 = 5;
const BACKOFF_MIN: Duration = Duration::from_millis(100);
/// Reconnects are tried at least this often, so sending resumes within about a second of the
/// broker coming back (a retry is one TCP connect: cheap for the broker and for us).
const BACKOFF_MAX: Duration = Duration::from_secs(1);
/// Failed connection attempts logged one by one before only every `LOG_EVERY`th is.
const LOG_FIRST: u32 = 5;
const LOG_EVERY: u32 = 60;
/// AMQP `delivery_mode` 2: the broker writes the message to disk, so it survives a restart.
const PERSISTENT: u8 = 2;

/// The publishing side: one connection with one confirm-mode channel, shared by all clones and
/// reopened on first use after a failure.
#[derive(Clone)]
pub struct RabbitMqQueue {
    shared: Arc<Shared>,
}

struct Shared {
    url: String,
    options: QueueOptions,
    link: Mutex<Option<Arc<Link>>>,
}

/// A connection and the one channel used on it.
struct Link {
    connection: Connection,
    channel: Channel,
}

impl Link {
    fn is_open(&self) -> bool {
        self.connection.status().connected() && self.channel.status().connected()
    }
}

impl RabbitMqQueue {
    /// Connects, declares the topology and opens the publishing channel.
    pub async fn connect(url: &str, options: QueueOptions) -> Result<Self, QueueError> {
        let link = open_publisher(url, &options).await?;
        Ok(Self { shared: Arc::new(Shared { url: url.to_owned(), options, link: Mutex::new(Some(Arc::new(link))) }) })
    }

    /// A handle that connects on first use, so a service can start (and answer its health
    /// checks) while the broker is still down.
    pub fn lazy(url: &str, options: QueueOptions) -> Self {
        Self { shared: Arc::new(Shared { url: url.to_owned(), options, link: Mutex::new(None) }) }
    }

    /// Connects, retrying with backoff and logging the attempts, until the broker answers.
    pub async fn wait_until_connected(&self) {
        let mut backoff = Backoff::new();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.link().await {
                Ok(_) => {
                    if attempt > 1 {
                        tracing::info!(attempt, "connected to RabbitMQ");
                    }
                    return;
                }
                Err(error) => {
                    if attempt <= LOG_FIRST || attempt.is_multiple_of(LOG_EVERY) {
                        tracing::warn!(%error, attempt, "RabbitMQ is not reachable yet; retrying");
                    }
                    backoff.wait().await;
                }
            }
        }
    }

    /// The current publishing link, reconnecting if it is gone or closed.
    async fn link(&self) -> Result<Arc<Link>, QueueError> {
        // Held across the reconnect so that concurrent publishers wait for one new connection
        // instead of each opening their own.
        let mut current = self.shared.link.lock().await;
        if let Some(link) = current.as_ref().filter(|link| link.is_open()) {
            return Ok(Arc::clone(link));
        }
        *current = None;
        let link = Arc::new(open_publisher(&self.shared.url, &self.shared.options).await?);
        *current = Some(Arc::clone(&link));
        Ok(link)
    }

    /// Drops `failed` so the next use reconnects, unless another caller already replaced it.
    async fn forget(&self, failed: &Arc<Link>) {
        let mut current = self.shared.link.lock().await;
        if current.as_ref().is_some_and(|link| Arc::ptr_eq(link, failed)) {
            *current = None;
        }
    }

    /// Publishes `body` and waits for the broker's confirm. A lost connection is retried a few
    /// times on a new one; a nack is returned at once as [`QueueError::NotConfirmed`].
    pub async fn publish(&self, body: &[u8]) -> Result<(), QueueError> {
        let queue = self.shared.options.queue_name.as_str();
        let mut backoff = Backoff::new();
        let mut attempt = 1;
        loop {
            let error = match self.link().await {
                Ok(link) => match publish_on(&link.channel, queue, body).await {
                    Ok(()) => return Ok(()),
                    Err(QueueError::NotConfirmed) => return Err(QueueError::NotConfirmed),
                    Err(error) => {
                        // Unroutable means the queue is gone (deleted by hand): a new link
                        // declares it again. Anything else may have broken the channel.
                        self.forget(&link).await;
                        error
                    }
                },
                Err(error) => error,
            };
            if attempt >= PUBLISH_ATTEMPTS {
                return Err(error);
            }
            tracing::warn!(%error, attempt, queue, "RabbitMQ publish failed; reconnecting");
            backoff.wait().await;
            attempt += 1;
        }
    }

    /// Opens a consumer on its own connection. When the broker cannot be reached now, the
    /// consumer keeps trying (logging its attempts) in [`RabbitMqConsumer::receive`].
    pub async fn consumer(&self) -> Result<RabbitMqConsumer, QueueError> {
        Ok(RabbitMqConsumer::open(&self.shared.url, &self.shared.options).await)
    }

    /// Checks that the broker answers: a passive declare of the queue on a fresh channel.
    pub async fn ping(&self) -> Result<(), QueueError> {
        self.passive_declare(self.shared.options.queue_name.clone()).await.map(|_| ())
    }

    /// The number of messages waiting in the dead-letter queue.
    pub async fn dead_letter_count(&self) -> Result<u64, QueueError> {
        self.passive_declare(dead_letter_queue(&self.shared.options.queue_name)).await
    }

    /// Declares `queue` passively and returns its ready message count. On a throwaway channel,
    /// because a failed passive declare closes the channel it ran on.
    async fn passive_declare(&self, queue: String) -> Result<u64, QueueError> {
        let link = self.link().await?;
        let query = async {
            let channel = link.connection.create_channel().await?;
            let declared = channel
                .queue_declare(
                    queue.as_str().into(),
                    // passive: only look the queue up, never create or change it.
                    QueueDeclareOptions { passive: true, ..QueueDeclareOptions::default() },
                    FieldTable::default(),
                )
                .await?;
            Ok::<_, lapin::Error>(u64::from(declared.message_count()))
        };
        match timeout(QUERY_TIMEOUT, query).await {
            Ok(Ok(count)) => Ok(count),
            Ok(Err(error)) => Err(error.into()),
            Err(_) => Err(QueueError::Timeout("querying RabbitMQ")),
        }
    }

    /// Closes the publishing connection behind this handle's back, as a broker restart would;
    /// the next publish must notice and reconnect. For the contract tests only.
    #[doc(hidden)]
    pub async fn break_connection_for_tests(&self) -> Result<(), QueueError> {
        let link = self.link().await?;
        link.connection.close(200, "closed by a test".into()).await?;
        Ok(())
    }
}

/// Publishes one message on a confirm-mode channel and waits for the broker's confirm.
async fn publish_on(channel: &Channel, queue: &str, body: &[u8]) -> Result<(), QueueError> {
    let publish = async {
        channel
            .basic_publish(
                // The default exchange routes straight to the queue named by the routing key.
                "".into(),
                queue.into(),
                // mandatory: if the queue is missing the broker returns the message instead of
                // dropping it and confirming anyway, so a publish can never vanish silently.
                BasicPublishOptions { mandatory: true, ..BasicPublishOptions::default() },
                body,
                BasicProperties::default().with_delivery_mode(PERSISTENT).with_content_type("application/json".into()),
            )
            .await?
            .await
    };
    let confirmation = match timeout(PUBLISH_TIMEOUT, publish).await {
        Ok(confirmation) => confirmation?,
        Err(_) => return Err(QueueError::Timeout("waiting for the publish confirm")),
    };
    match confirmation {
        Confirmation::Ack(None) => Ok(()),
        Confirmation::Ack(Some(_returned)) => Err(QueueError::Unroutable(queue.to_owned())),
        Confirmation::Nack(_) | Confirmation::NotRequested => Err(QueueError::NotConfirmed),
    }
}

fn dead_letter_queue(queue: &str) -> String {
    format!("{queue}.dlq")
}

async fn connect(url: &str, role: &str, queue: &str) -> Result<Connection, QueueError> {
    // Our own reconnect (drop the link, open a new one with backoff) handles every failure.
    // lapin's `enable_auto_recover` is left off on purpose: a connection it is still
    // recovering is not closed when we drop it, and once recovered it would replay its
    // consumer into a stream nobody reads, holding up to `prefetch` messages unacked forever.
    // The connection name shows which process and role a connection is in the management UI.
    let properties =
        ConnectionProperties::default().with_connection_name(format!("interview-booking {role} {queue}").into());
    Ok(Connection::connect(url, properties).await?)
}

/// Declares the queue and its dead-letter queue (idempotent; both sides do it, so neither
/// depends on the other having started first).
async fn declare_topology(channel: &Channel, queue: &str) -> Result<(), QueueError> {
    let dlq = dead_letter_queue(queue);
    // durable: the queue definition survives a broker restart (persistent messages need it).
    let durable = QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() };
    channel.queue_declare(dlq.as_str().into(), durable, FieldTable::default()).await?;
    let mut arguments = FieldTable::default();
    // A rejected (requeue=false) message goes through the default exchange ("") to the DLQ
    // instead of being discarded, so poison messages can be inspected.
    arguments.insert("x-dead-letter-exchange".into(), AMQPValue::LongString("".into()));
    arguments.insert("x-dead-letter-routing-key".into(), AMQPValue::LongString(dlq.into()));
    channel.queue_declare(queue.into(), durable, arguments).await?;
    Ok(())
}

async fn open_publisher(url: &str, options: &QueueOptions) -> Result<Link, QueueError> {
    let open = async {
        let connection = connect(url, "publisher", &options.queue_name).await?;
        let channel = connection.create_channel().await?;
        declare_topology(&channel, &options.queue_name).await?;
        // Confirm mode: the broker acks each message once it is stored (on disk, for a
        // persistent message on a durable queue), which is what `publish` waits for.
        channel.confirm_select(ConfirmSelectOptions::default()).await?;
        Ok(Link { connection, channel })
    };
    timeout(CONNECT_TIMEOUT, open).await.unwrap_or(Err(QueueError::Timeout("connecting to RabbitMQ")))
}

/// Exponential backoff with jitter between reconnect attempts: 100 ms doubling to 1 s.
struct Backoff {
    next: Duration,
}

impl Backoff {
    fn new() -> Self {
        Self { next: BACKOFF_MIN }
    }

    fn reset(&mut self) {
        self.next = BACKOFF_MIN;
    }

    async fn wait(&mut self) {
        // A random half to all of the step, so that many workers cut off by one broker restart
        // do not all reconnect in the same instant.
        let delay = self.next.mul_f64(rand::random_range(0.5..=1.0));
        self.next = (self.next * 2).min(BACKOFF_MAX);
        tokio::time::sleep(delay).await;
    }
}
