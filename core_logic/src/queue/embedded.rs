//! The embedded backend: the queue as rows of `queue_messages` in the domain's own SQLite
//! database, so a single host needs no broker. A consumer claims a batch of visible messages
//! under a random lease token and hides them for the visibility timeout; while it holds them (in
//! its buffer or handed out and not yet settled) a heartbeat pushes the timeout on, so a slow
//! handling never loses its message to another consumer. An ack deletes the row, a nack makes it
//! visible again, a dead-letter marks it dead. A consumer that dies stops its heartbeat, and its
//! messages go to the next one within one visibility timeout.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::SqlitePool;
use tokio::sync::Notify;

mod lease;

pub(crate) use self::lease::Lease;
use self::lease::delete_all;
use super::{QueueError, QueueOptions, Received, Settle};
use crate::batch::{BatchError, Batcher};
use crate::db::begin_write;

/// How often an idle consumer looks for new messages. A publish in the same process wakes it
/// at once; this bounds the delay for one published by another process (the API server).
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// The most publishes or acks written in one transaction.
const GROUP_COMMIT: usize = 256;

/// Publishes group-committed: message bodies in, nothing out.
type Publisher = Batcher<Vec<u8>, (), sqlx::Error>;
/// Acks group-committed: (message id, lease token) in, whether the row was still ours out.
type Acker = Batcher<(i64, Arc<str>), bool, sqlx::Error>;

/// The publishing side and the factory of consumers; cheap to clone.
#[derive(Clone)]
pub struct EmbeddedQueue {
    pool: SqlitePool,
    options: QueueOptions,
    /// Wakes this handle's idle consumers when a message is published or nacked.
    wake: Arc<Notify>,
    /// Started on first use, inside the runtime, and shared by every clone.
    publisher: Arc<OnceLock<Publisher>>,
    acker: Arc<OnceLock<Acker>>,
}

impl EmbeddedQueue {
    /// The queue in the database behind `pool`, whose migrations must be applied.
    pub fn new(pool: SqlitePool, options: QueueOptions) -> Self {
        Self { pool, options, wake: Arc::new(Notify::new()), publisher: Arc::default(), acker: Arc::default() }
    }

    /// Inserts the message; it is durable once this returns (the insert has committed).
    pub async fn publish(&self, body: &[u8]) -> Result<(), QueueError> {
        let publisher = self.publisher.get_or_init(|| {
            let (pool, queue) = (self.pool.clone(), self.options.queue_name.clone());
            Batcher::spawn(GROUP_COMMIT, isolate, move |bodies| insert_all(pool.clone(), queue.clone(), bodies))
        });
        publisher.submit(body.to_vec()).await.map_err(batch_error)?;
        self.wake.notify_waiters();
        Ok(())
    }

    fn acker(&self) -> Acker {
        self.acker
            .get_or_init(|| {
                let pool = self.pool.clone();
                Batcher::spawn(GROUP_COMMIT, isolate, move |leases| delete_all(pool.clone(), leases))
            })
            .clone()
    }

    /// A consumer of this queue, with its lease heartbeat running (call inside a Tokio runtime).
    pub fn consumer(&self) -> EmbeddedConsumer {
        let held = Arc::new(Held::default());
        let heartbeat = tokio::spawn(heartbeat(self.clone(), Arc::downgrade(&held)));
        let acker = self.acker();
        EmbeddedConsumer { queue: self.clone(), acker, claimed: VecDeque::new(), held, heartbeat }
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), QueueError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The number of dead-lettered messages of this queue.
    pub async fn dead_letter_count(&self) -> Result<u64, QueueError> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM queue_messages WHERE queue = ?1 AND dead_at IS NOT NULL")
                .bind(&self.options.queue_name)
                .fetch_one(&self.pool)
                .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }
}

/// Receives messages, claiming up to `prefetch` at a time.
pub struct EmbeddedConsumer {
    queue: EmbeddedQueue,
    acker: Acker,
    /// Claimed but not yet handed out, oldest first.
    claimed: VecDeque<Claimed>,
    /// Every message this consumer holds (buffered or handed out and not settled), whose lease
    /// the heartbeat keeps alive.
    held: Arc<Held>,
    heartbeat: tokio::task::JoinHandle<()>,
}

struct Claimed {
    id: i64,
    body: Vec<u8>,
    receives: i64,
    lease: Arc<str>,
}

/// The messages a consumer holds: id -> (lease token, when the lease runs out, Unix ms).
#[derive(Default)]
struct Held {
    messages: Mutex<HashMap<i64, (Arc<str>, i64)>>,
}

impl Held {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (Arc<str>, i64)>> {
        // A panic while holding this lock cannot leave the map inconsistent: take it anyway.
        self.messages.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// When the lease on `id` runs out, if it is still held.
    fn lease_until(&self, id: i64) -> Option<i64> {
        self.lock().get(&id).map(|(_, until)| *until)
    }

    fn release(&self, id: i64) {
        self.lock().remove(&id);
    }
}

/// Pushes the leases of every held message one visibility timeout ahead, three times per
/// timeout, until the consumer is gone.
async fn heartbeat(queue: EmbeddedQueue, held: Weak<Held>) {
    let every = queue.options.visibility_timeout / 3;
    loop {
        tokio::time::sleep(every).await;
        let Some(held) = held.upgrade() else { return };
        let leases: Vec<(i64, Arc<str>)> =
            held.lock().iter().map(|(id, (token, _))| (*id, Arc::clone(token))).collect();
        if leases.is_empty() {
            continue;
        }
        let until = now_millis().saturating_add(millis(queue.options.visibility_timeout));
        match extend(&queue, &leases, until).await {
            Ok(extended) => {
                let mut map = held.lock();
                for id in extended {
                    if let Some(entry) = map.get_mut(&id) {
                        entry.1 = until;
                    }
                }
            }
            // The leases run out if this keeps failing; the messages then go to another consumer.
            Err(error) => tracing::warn!(%error, "could not extend the leases of queue messages in progress"),
        }
    }
}

/// Extends the leases still ours; returns the ids extended.
async fn extend(queue: &EmbeddedQueue, leases: &[(i64, Arc<str>)], until: i64) -> Result<Vec<i64>, sqlx::Error> {
    let pairs: Vec<(i64, &str)> = leases.iter().map(|(id, token)| (*id, &**token)).collect();
    let pairs = serde_json::to_string(&pairs).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = begin_write(&queue.pool).await?;
    let extended = sqlx::query_scalar(
        "UPDATE queue_messages SET visible_at = ?1
         WHERE (id, lease) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?2))
         RETURNING id",
    )
    .bind(until)
    .bind(pairs)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(extended)
}

impl EmbeddedConsumer {
    /// Waits for the next message.
    pub async fn receive(&mut self) -> Result<Received, QueueError> {
        loop {
            while let Some(message) = self.claimed.pop_front() {
                // A message whose lease ran out while it waited in the buffer (the heartbeat
                // could not reach the database) may be with another consumer already; handing
                // it out too would process it twice.
                if self.held.lease_until(message.id).is_none_or(|until| until <= now_millis()) {
                    self.held.release(message.id);
                    continue;
                }
                let lease = Lease {
                    pool: self.queue.pool.clone(),
                    acker: self.acker.clone(),
                    wake: Arc::clone(&self.queue.wake),
                    held: Arc::clone(&self.held),
                    id: message.id,
                    token: message.lease,
                };
                return Ok(Received::new(message.body, message.receives > 1, Settle::Embedded(lease)));
            }
            // Registered before looking, so a publish between the look and the wait still
            // wakes us.
            let wake = Arc::clone(&self.queue.wake);
            let published = wake.notified();
            tokio::pin!(published);
            published.as_mut().enable();
            self.claim().await?;
            if self.claimed.is_empty() {
                let _ = tokio::time::timeout(POLL_INTERVAL, published).await;
            }
        }
    }

    /// Claims up to `prefetch` visible messages into the buffer.
    async fn claim(&mut self) -> Result<(), QueueError> {
        let queue = &self.queue;
        // A plain read first, so an idle consumer never takes the database's write lock.
        let ready: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM queue_messages
                            WHERE queue = ?1 AND dead_at IS NULL AND visible_at <= ?2)",
        )
        .bind(&queue.options.queue_name)
        .bind(now_millis())
        .fetch_one(&queue.pool)
        .await?;
        if !ready {
            return Ok(());
        }
        let token: Arc<str> = format!("{:016x}", rand::random::<u64>()).into();
        let mut tx = begin_write(&queue.pool).await?;
        // Read the clock after the write lock is ours: the wait for it may have been long.
        let now = now_millis();
        let lease_until = now.saturating_add(millis(queue.options.visibility_timeout));
        let mut rows: Vec<(i64, Vec<u8>, i64)> = sqlx::query_as(
            "UPDATE queue_messages SET visible_at = ?2, receives = receives + 1, lease = ?3
             WHERE id IN (SELECT id FROM queue_messages
                          WHERE queue = ?4 AND dead_at IS NULL AND visible_at <= ?1
                          ORDER BY visible_at, id LIMIT ?5)
             RETURNING id, body, receives",
        )
        .bind(now)
        .bind(lease_until)
        .bind(&*token)
        .bind(&queue.options.queue_name)
        .bind(i64::from(queue.options.prefetch.max(1)))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        // RETURNING gives no order; hand them out oldest first.
        rows.sort_unstable_by_key(|(id, _, _)| *id);
        let mut held = self.held.lock();
        for (id, body, receives) in rows {
            held.insert(id, (Arc::clone(&token), lease_until));
            self.claimed.push_back(Claimed { id, body, receives, lease: Arc::clone(&token) });
        }
        Ok(())
    }
}

impl Drop for EmbeddedConsumer {
    /// Gives back the claimed messages never handed out, so they need not wait for the
    /// visibility timeout. Best effort: outside a runtime they simply wait.
    fn drop(&mut self) {
        self.heartbeat.abort();
        let Some(first) = self.claimed.front() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let token = Arc::clone(&first.lease);
        let ids: Vec<i64> = self.claimed.iter().map(|message| message.id).collect();
        let Ok(ids) = serde_json::to_string(&ids) else {
            return;
        };
        let pool = self.queue.pool.clone();
        let wake = Arc::clone(&self.queue.wake);
        runtime.spawn(async move {
            let released = crate::db::write(
                &pool,
                sqlx::query(
                    "UPDATE queue_messages SET visible_at = ?1, lease = NULL
                 WHERE lease = ?2 AND id IN (SELECT value FROM json_each(?3))",
                )
                .bind(now_millis())
                .bind(&*token)
                .bind(ids),
            )
            .await;
            match released {
                Ok(_) => wake.notify_waiters(),
                Err(error) => tracing::warn!(%error, "could not give back unreceived messages"),
            }
        });
    }
}

/// Inserts messages in one transaction.
async fn insert_all(pool: SqlitePool, queue: String, bodies: Vec<Vec<u8>>) -> Result<Vec<()>, sqlx::Error> {
    let mut tx = begin_write(&pool).await?;
    let now = now_millis();
    for body in &bodies {
        sqlx::query("INSERT INTO queue_messages (queue, body, enqueued_at, visible_at) VALUES (?1, ?2, ?3, ?3)")
            .bind(&queue)
            .bind(body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(vec![(); bodies.len()])
}

/// A batch failed for one of its messages, not because the database is busy.
fn isolate(error: &sqlx::Error) -> bool {
    !crate::db::is_transient(error)
}

fn batch_error(error: BatchError<sqlx::Error>) -> QueueError {
    match error {
        BatchError::Failed(error) => QueueError::Shared(error),
        BatchError::Stopped => QueueError::Timeout("writing to the embedded queue (its writer stopped)"),
    }
}

fn now_millis() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    millis(since_epoch)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
