//! The embedded backend: the queue as rows of `queue_messages` in the domain's own SQLite
//! database, so a single host needs no broker. A consumer claims a batch of visible messages
//! under a random lease token and hides them for the visibility timeout; an ack deletes the row,
//! a nack makes it visible again, a dead-letter marks it dead. A consumer that dies without
//! settling loses its messages to the next one once the timeout passes.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::SqlitePool;
use tokio::sync::Notify;

use super::{QueueError, QueueOptions, Received, Settle};
use crate::db::begin_write;

/// How often an idle consumer looks for new messages. A publish in the same process wakes it
/// at once; this bounds the delay for one published by another process (the API server).
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The publishing side and the factory of consumers; cheap to clone.
#[derive(Clone)]
pub struct EmbeddedQueue {
    pool: SqlitePool,
    options: QueueOptions,
    /// Wakes this handle's idle consumers when a message is published or nacked.
    wake: Arc<Notify>,
}

impl EmbeddedQueue {
    /// The queue in the database behind `pool`, whose migrations must be applied.
    pub fn new(pool: SqlitePool, options: QueueOptions) -> Self {
        Self { pool, options, wake: Arc::new(Notify::new()) }
    }

    /// Inserts the message; it is durable once this returns (the insert has committed).
    pub async fn publish(&self, body: &[u8]) -> Result<(), QueueError> {
        let now = now_millis();
        sqlx::query("INSERT INTO queue_messages (queue, body, enqueued_at, visible_at) VALUES (?1, ?2, ?3, ?3)")
            .bind(&self.options.queue_name)
            .bind(body)
            .bind(now)
            .execute(&self.pool)
            .await?;
        self.wake.notify_waiters();
        Ok(())
    }

    /// A consumer of this queue.
    pub fn consumer(&self) -> EmbeddedConsumer {
        EmbeddedConsumer { queue: self.clone(), claimed: VecDeque::new() }
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
    /// Claimed but not yet handed out, oldest first; all of one claim.
    claimed: VecDeque<Claimed>,
}

struct Claimed {
    id: i64,
    body: Vec<u8>,
    receives: i64,
    lease: Arc<str>,
    /// When the claim runs out and the message may go to another consumer.
    lease_until: i64,
}

impl EmbeddedConsumer {
    /// Waits for the next message.
    pub async fn receive(&mut self) -> Result<Received, QueueError> {
        loop {
            while let Some(message) = self.claimed.pop_front() {
                // A message whose lease ran out while it waited in the buffer may be with
                // another consumer already; handing it out too would send it twice.
                if message.lease_until <= now_millis() {
                    continue;
                }
                let lease = Lease {
                    pool: self.queue.pool.clone(),
                    wake: Arc::clone(&self.queue.wake),
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
        self.claimed.extend(rows.into_iter().map(|(id, body, receives)| Claimed {
            id,
            body,
            receives,
            lease: Arc::clone(&token),
            lease_until,
        }));
        Ok(())
    }
}

impl Drop for EmbeddedConsumer {
    /// Gives back the claimed messages never handed out, so they need not wait for the
    /// visibility timeout. Best effort: outside a runtime they simply wait.
    fn drop(&mut self) {
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
            let released = sqlx::query(
                "UPDATE queue_messages SET visible_at = ?1, lease = NULL
                 WHERE lease = ?2 AND id IN (SELECT value FROM json_each(?3))",
            )
            .bind(now_millis())
            .bind(&*token)
            .bind(ids)
            .execute(&pool)
            .await;
            match released {
                Ok(_) => wake.notify_waiters(),
                Err(error) => tracing::warn!(%error, "could not give back unreceived messages"),
            }
        });
    }
}

/// The claim on one received message.
pub(crate) struct Lease {
    pool: SqlitePool,
    wake: Arc<Notify>,
    id: i64,
    token: Arc<str>,
}

impl Lease {
    pub(crate) async fn ack(self) -> Result<(), QueueError> {
        let done = sqlx::query("DELETE FROM queue_messages WHERE id = ?1 AND lease = ?2")
            .bind(self.id)
            .bind(&*self.token)
            .execute(&self.pool)
            .await?;
        still_held(done.rows_affected())
    }

    pub(crate) async fn nack(self) -> Result<(), QueueError> {
        let done = sqlx::query("UPDATE queue_messages SET visible_at = ?1, lease = NULL WHERE id = ?2 AND lease = ?3")
            .bind(now_millis())
            .bind(self.id)
            .bind(&*self.token)
            .execute(&self.pool)
            .await?;
        self.wake.notify_waiters();
        still_held(done.rows_affected())
    }

    pub(crate) async fn dead_letter(self, reason: &str) -> Result<(), QueueError> {
        tracing::warn!(reason, id = self.id, "dead-lettering a queue message");
        let done = sqlx::query(
            "UPDATE queue_messages SET dead_at = ?1, dead_reason = ?2, lease = NULL
             WHERE id = ?3 AND lease = ?4",
        )
        .bind(now_millis())
        .bind(reason)
        .bind(self.id)
        .bind(&*self.token)
        .execute(&self.pool)
        .await?;
        still_held(done.rows_affected())
    }
}

/// No row changed: another claim took the message after our lease ran out.
fn still_held(rows_affected: u64) -> Result<(), QueueError> {
    if rows_affected == 1 { Ok(()) } else { Err(QueueError::LeaseExpired) }
}

fn now_millis() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    millis(since_epoch)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
