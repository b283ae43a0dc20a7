//! Reading a queue the way the bot would, without the bot: every message received, parsed and
//! acked until the queue stays silent (either backend).

use std::time::Duration;

use core_logic::queue::{Queue, QueueMessage};
use tokio::time::timeout;

/// Receives, parses and acks every message until none comes for `idle`; returns the delivery
/// ids in the order received (duplicates kept). Fails after `limit` or on an unparsable message.
pub async fn drain(queue: &Queue, idle: Duration, limit: Duration) -> Vec<i64> {
    let drained = async {
        let mut consumer = queue.consumer().await.expect("start a consumer");
        let mut ids = Vec::new();
        while let Ok(received) = timeout(idle, consumer.receive()).await {
            let received = received.expect("receive a message");
            let message = QueueMessage::parse(&received.body).unwrap_or_else(|error| {
                panic!("unparsable message {:?}: {error}", String::from_utf8_lossy(&received.body))
            });
            received.ack().await.expect("ack a message");
            ids.push(message.delivery_id);
        }
        ids
    };
    timeout(limit, drained).await.expect("the queue was drained in time")
}
