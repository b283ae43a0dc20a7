//! Settling one received message of the embedded queue: ack (group-committed), nack or
//! dead-letter, each only while the lease on it is still this consumer's.

use std::sync::Arc;

use sqlx::SqlitePool;
use tokio::sync::Notify;

use super::{Acker, Held, batch_error, begin_write, now_millis};
use crate::queue::QueueError;

/// The claim on one received message. Dropped unsettled, it stops being kept alive, so the
/// message comes back within one visibility timeout.
pub(crate) struct Lease {
    pub(super) pool: SqlitePool,
    pub(super) acker: Acker,
    pub(super) wake: Arc<Notify>,
    pub(super) held: Arc<Held>,
    pub(super) id: i64,
    pub(super) token: Arc<str>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.held.release(self.id);
    }
}

impl Lease {
    pub(crate) async fn ack(self) -> Result<(), QueueError> {
        let ours = self.acker.submit((self.id, Arc::clone(&self.token))).await.map_err(batch_error)?;
        still_held(u64::from(ours))
    }

    pub(crate) async fn nack(self) -> Result<(), QueueError> {
        let done = crate::db::write(
            &self.pool,
            sqlx::query("UPDATE queue_messages SET visible_at = ?1, lease = NULL WHERE id = ?2 AND lease = ?3")
                .bind(now_millis())
                .bind(self.id)
                .bind(&*self.token),
        )
        .await?;
        self.wake.notify_waiters();
        still_held(done)
    }

    pub(crate) async fn dead_letter(self, reason: &str) -> Result<(), QueueError> {
        tracing::warn!(reason, id = self.id, "dead-lettering a queue message");
        let done = crate::db::write(
            &self.pool,
            sqlx::query(
                "UPDATE queue_messages SET dead_at = ?1, dead_reason = ?2, lease = NULL
             WHERE id = ?3 AND lease = ?4",
            )
            .bind(now_millis())
            .bind(reason)
            .bind(self.id)
            .bind(&*self.token),
        )
        .await?;
        still_held(done)
    }
}

/// Deletes acked messages still held under their leases, in one statement; answers per message
/// whether it was still ours.
pub(super) async fn delete_all(pool: SqlitePool, leases: Vec<(i64, Arc<str>)>) -> Result<Vec<bool>, sqlx::Error> {
    let pairs: Vec<(i64, &str)> = leases.iter().map(|(id, token)| (*id, &**token)).collect();
    let pairs = serde_json::to_string(&pairs).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = begin_write(&pool).await?;
    let deleted: Vec<i64> = sqlx::query_scalar(
        "DELETE FROM queue_messages
         WHERE (id, lease) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))
         RETURNING id",
    )
    .bind(pairs)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let deleted: std::collections::HashSet<i64> = deleted.into_iter().collect();
    Ok(leases.iter().map(|(id, _)| deleted.contains(id)).collect())
}

/// No row changed: another claim took the message after our lease ran out.
fn still_held(rows_affected: u64) -> Result<(), QueueError> {
    if rows_affected == 1 { Ok(()) } else { Err(QueueError::LeaseExpired) }
}
