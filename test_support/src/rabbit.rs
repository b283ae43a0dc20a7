//! RabbitMQ for tests: [`TestQueues`], a queue (and its dead-letter queue) of one test's own on a
//! broker that others use too, deleted when dropped; and [`PrivateBroker`], a whole RabbitMQ node
//! of the test's own that it may stop, start and cut connections on.

mod private;

use std::time::Duration;

use core_logic::queue::{Queue, QueueOptions};
use lapin::options::QueueDeleteOptions;
use tokio::time::timeout;

pub use private::{PrivateBroker, QueueCounts};

/// A queue (and its `.dlq`) private to one test, deleted when dropped, even if the test fails.
pub struct TestQueues {
    pub rabbitmq_url: String,
    pub name: String,
}

impl TestQueues {
    /// Checks the broker answers (failing the test with a clear message if not) and names a
    /// fresh queue `<prefix>_<pid>_<n>_<nanos>`; the services declare it when they connect.
    pub async fn claim(rabbitmq_url: &str, prefix: &str) -> Self {
        match timeout(Duration::from_secs(15), lapin::Connection::connect(rabbitmq_url, Default::default())).await {
            Ok(Ok(connection)) => {
                let _ = connection.close(200, "bye".into()).await;
            }
            Ok(Err(error)) => panic!(
                "RabbitMQ at {rabbitmq_url} is unreachable ({error}). This test needs a broker: \
                 start one (`rabbitmq-server -detached`) or set RABBITMQ_URL."
            ),
            Err(_) => panic!("RabbitMQ at {rabbitmq_url} did not answer within 15 s"),
        }
        Self { rabbitmq_url: rabbitmq_url.to_owned(), name: crate::unique_name(prefix) }
    }

    /// The dead-letter queue's name.
    pub fn dead_letter_name(&self) -> String {
        format!("{}.dlq", self.name)
    }

    /// A `core_logic` handle on the queue (declaring it), to publish or drain as the services do.
    pub async fn connect(&self) -> Queue {
        let options = QueueOptions { queue_name: self.name.clone(), ..QueueOptions::default() };
        match timeout(Duration::from_secs(60), Queue::rabbitmq(&self.rabbitmq_url, options)).await {
            Ok(Ok(queue)) => queue,
            Ok(Err(error)) => panic!("connect to the queue {} at {}: {error}", self.name, self.rabbitmq_url),
            Err(_) => panic!("RabbitMQ at {} did not answer within 60 s", self.rabbitmq_url),
        }
    }
}

/// Reads a queue's ready-message count over AMQP (a passive declare: about a millisecond), to
/// poll for a state such as "the broker holds messages the database does not mark yet".
pub struct QueueDepth {
    _connection: lapin::Connection,
    channel: lapin::Channel,
    queue: String,
}

impl QueueDepth {
    /// Messages in the queue waiting for a consumer.
    pub async fn ready(&self) -> u32 {
        let passive = lapin::options::QueueDeclareOptions { passive: true, ..Default::default() };
        self.channel
            .queue_declare(self.queue.as_str().into(), passive, Default::default())
            .await
            .unwrap_or_else(|error| panic!("look up the queue {}: {error}", self.queue))
            .message_count()
    }
}

impl TestQueues {
    /// A [`QueueDepth`] of the queue, which must exist (declared by [`TestQueues::connect`] or a
    /// service).
    pub async fn depth(&self) -> QueueDepth {
        let connection = lapin::Connection::connect(&self.rabbitmq_url, Default::default())
            .await
            .unwrap_or_else(|error| panic!("connect to {}: {error}", self.rabbitmq_url));
        let channel = connection.create_channel().await.expect("open a channel");
        QueueDepth { _connection: connection, channel, queue: self.name.clone() }
    }
}

impl Drop for TestQueues {
    fn drop(&mut self) {
        let url = self.rabbitmq_url.clone();
        let queues = [self.name.clone(), self.dead_letter_name()];
        // Drop cannot await, and the test's runtime may be gone: delete on a runtime of our own.
        let deleted = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let connect = lapin::Connection::connect(&url, Default::default());
                let connection = timeout(Duration::from_secs(10), connect).await??;
                let channel = connection.create_channel().await?;
                for queue in queues {
                    channel.queue_delete(queue.as_str().into(), QueueDeleteOptions::default()).await?;
                }
                connection.close(200, "bye".into()).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        match deleted {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not delete the test queue {}: {error}", self.name),
            Err(_) => eprintln!("deleting the test queue {} panicked", self.name),
        }
    }
}
