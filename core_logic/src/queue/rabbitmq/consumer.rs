//! The consuming side of the RabbitMQ backend, and settling what it received.

use futures_util::StreamExt;
use lapin::options::{BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions, BasicRejectOptions};
use lapin::types::FieldTable;
use lapin::{Acker, Channel, Connection};
use tokio::time::timeout;

use super::{Backoff, CONNECT_TIMEOUT, LOG_EVERY, LOG_FIRST, connect, declare_topology};
use crate::queue::{QueueError, QueueOptions, Received, Settle};

/// The consuming side: its own connection, so that a publisher blocked by the broker's flow
/// control never stalls acks, and so that dropping the consumer closes it and the broker puts
/// its unacked messages back in the queue.
pub struct RabbitMqConsumer {
    url: String,
    options: QueueOptions,
    // Boxed: a link is large, and a `Consumer` would otherwise carry its size in every variant.
    link: Option<Box<ConsumerLink>>,
    backoff: Backoff,
    /// Connection attempts failed in a row, for the log.
    failed_connects: u32,
}

struct ConsumerLink {
    connection: Connection,
    // Kept so the channel stays open as long as the consumer does.
    _channel: Channel,
    deliveries: lapin::Consumer,
}

impl RabbitMqConsumer {
    /// Opens a consumer on its own connection, or one that keeps trying (logging its attempts)
    /// in [`RabbitMqConsumer::receive`] when the broker cannot be reached now.
    pub(super) async fn open(url: &str, options: &QueueOptions) -> Self {
        let link = match open_consumer(url, options).await {
            Ok(link) => Some(Box::new(link)),
            Err(error) => {
                tracing::warn!(%error, "RabbitMQ is not reachable yet; the consumer will keep trying");
                None
            }
        };
        Self { url: url.to_owned(), options: options.clone(), link, backoff: Backoff::new(), failed_connects: 0 }
    }

    /// Waits for the next delivery. A lost connection or a cancelled consumer is reopened
    /// with backoff here, so this only returns with a message.
    pub async fn receive(&mut self) -> Result<Received, QueueError> {
        loop {
            let link = match &mut self.link {
                Some(link) => link,
                None => match open_consumer(&self.url, &self.options).await {
                    Ok(link) => {
                        if self.failed_connects > 0 {
                            tracing::info!(attempts = self.failed_connects + 1, "RabbitMQ consumer connected");
                        }
                        self.failed_connects = 0;
                        self.link.insert(Box::new(link))
                    }
                    Err(error) => {
                        self.failed_connects += 1;
                        let attempt = self.failed_connects;
                        if attempt <= LOG_FIRST || attempt.is_multiple_of(LOG_EVERY) {
                            tracing::warn!(%error, attempt, "RabbitMQ consumer cannot connect; retrying");
                        }
                        self.backoff.wait().await;
                        continue;
                    }
                },
            };
            match link.deliveries.next().await {
                // Left in the stream by a channel that has closed since: it can no longer be
                // acked, and the broker has put it back for the next link.
                Some(Ok(delivery)) if !delivery.acker.usable() => continue,
                Some(Ok(delivery)) => {
                    self.backoff.reset();
                    return Ok(Received::new(delivery.data, delivery.redelivered, Settle::RabbitMq(delivery.acker)));
                }
                Some(Err(error)) => {
                    tracing::warn!(%error, "RabbitMQ consumer lost its channel; reconnecting");
                }
                None => tracing::warn!("RabbitMQ cancelled the consumer; reconnecting"),
            }
            // Dropping the link closes what is left of it; its unacked messages go back to
            // the queue and come again on the new link, flagged redelivered.
            self.link = None;
            self.backoff.wait().await;
        }
    }

    /// Closes the consumer's connection behind its back, as a broker restart would; the next
    /// receive must notice and reconnect. For the contract tests only.
    #[doc(hidden)]
    pub async fn break_connection_for_tests(&self) -> Result<(), QueueError> {
        if let Some(link) = &self.link {
            link.connection.close(200, "closed by a test".into()).await?;
        }
        Ok(())
    }
}

pub(crate) async fn ack(acker: Acker) -> Result<(), QueueError> {
    settled(acker.ack(BasicAckOptions::default()).await)
}

pub(crate) async fn nack(acker: Acker) -> Result<(), QueueError> {
    // requeue: back to the queue for another delivery (the default would drop it).
    settled(acker.nack(BasicNackOptions { requeue: true, ..BasicNackOptions::default() }).await)
}

pub(crate) async fn dead_letter(acker: Acker, reason: &str) -> Result<(), QueueError> {
    // AMQP carries no reason with a reject (the broker records "rejected" in the x-death
    // header), so the reason goes to the log.
    tracing::warn!(reason, "dead-lettering a queue message");
    // requeue false: the queue's dead-letter arguments move the message to the DLQ.
    settled(acker.reject(BasicRejectOptions { requeue: false }).await)
}

/// lapin answers `false` when the delivery's channel is already closed, and an error when the
/// channel or connection closed under it (a broker restart, a dropped socket): either way the
/// broker delivers the message again, so the caller learns that this settle did not happen.
fn settled(result: Result<bool, lapin::Error>) -> Result<(), QueueError> {
    match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(QueueError::Closed),
        Err(error) if channel_gone(&error) => {
            tracing::debug!(%error, "settling a message on a closed channel");
            Err(QueueError::Closed)
        }
        Err(error) => Err(error.into()),
    }
}

/// Whether a lapin error means the channel or its connection is gone (so its unacked messages
/// return to the queue).
fn channel_gone(error: &lapin::Error) -> bool {
    use lapin::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::InvalidChannel(_)
            | ErrorKind::InvalidChannelState(..)
            | ErrorKind::InvalidConnectionState(_)
            | ErrorKind::IOError(_)
            | ErrorKind::MissingHeartbeatError
    )
}

async fn open_consumer(url: &str, options: &QueueOptions) -> Result<ConsumerLink, QueueError> {
    let queue = options.queue_name.as_str();
    let open = async {
        let connection = connect(url, "consumer", queue).await?;
        let channel = connection.create_channel().await?;
        declare_topology(&channel, queue).await?;
        // prefetch: at most this many unacked messages are in flight to this consumer, which
        // bounds both its memory and the messages a crash sends back for redelivery.
        channel.basic_qos(options.prefetch, BasicQosOptions::default()).await?;
        let deliveries = channel
            .basic_consume(
                queue.into(),
                // An empty tag lets the broker name the consumer.
                "".into(),
                // no_ack stays false: manual acks, sent only after the work is done.
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        Ok(ConsumerLink { connection, _channel: channel, deliveries })
    };
    timeout(CONNECT_TIMEOUT, open).await.unwrap_or(Err(QueueError::Timeout("connecting to RabbitMQ")))
}
