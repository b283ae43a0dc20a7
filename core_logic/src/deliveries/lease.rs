//! Keeping leases alive, and giving back the deliveries whose lease ran out.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::error::{Error, Result};
use crate::queue::{Queue, QueueError, QueueMessage};
use crate::time::unix;

/// Extends the leases of these claims (their tokens) to `until`, for deliveries still
/// `sending` under them. Returns how many rows were extended.
pub async fn extend_leases(pool: &SqlitePool, tokens: &[String], until: DateTime<Utc>) -> Result<u64> {
    if tokens.is_empty() {
        return Ok(0);
    }
    let tokens = serde_json::to_string(tokens).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    Ok(crate::db::write(
        pool,
        sqlx::query(
            "UPDATE deliveries SET lease_until = ?1
         WHERE status = 'sending' AND lease_token IN (SELECT value FROM json_each(?2))",
        )
        .bind(unix(until))
        .bind(tokens),
    )
    .await?)
}

/// Deliveries left `sending` whose lease ran out by `now` (or that carry none, from before
/// leases existed): `(id, lease token)`, oldest lease first.
pub async fn expired_leases(pool: &SqlitePool, now: DateTime<Utc>, limit: i64) -> Result<Vec<(i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT id, lease_token FROM deliveries
         WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= ?1)
         ORDER BY lease_until, id LIMIT ?2",
    )
    .bind(unix(now))
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Gives expired leases back to the queue: `sending` -> `published`, unless the delivery was
/// claimed again (a new token) or finished meanwhile. Call only once the deliveries' messages
/// are published again.
async fn release_expired(
    conn: &mut SqliteConnection,
    expired: &[(i64, Option<String>)],
    now: DateTime<Utc>,
) -> Result<()> {
    for (id, token) in expired {
        sqlx::query(
            "UPDATE deliveries SET status = 'published', lease_token = NULL, lease_until = NULL, updated_at = ?1
             WHERE id = ?2 AND status = 'sending' AND lease_token IS ?3
               AND (lease_until IS NULL OR lease_until <= ?1)",
        )
        .bind(unix(now))
        .bind(id)
        .bind(token)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deliveries swept per round.
const SWEEP_BATCH: i64 = 500;

/// Why a sweep failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Db(#[from] Error),
    #[error("could not republish an expired delivery: {0}")]
    Queue(#[from] QueueError),
}

/// Republishes every delivery whose lease ran out by `now` (a consumer died mid-send, or lost the
/// database for longer than a lease), then gives it back to the queue (`published`). The
/// message goes out first, so a crash in between leaves the delivery `sending` with an expired
/// lease (swept again, or taken over by the claim of the new message), never `published` with
/// no message. Returns how many deliveries were republished.
pub async fn sweep_expired(pool: &SqlitePool, queue: &Queue, now: DateTime<Utc>) -> Result<usize, SweepError> {
    let mut total = 0;
    loop {
        let expired = expired_leases(pool, now, SWEEP_BATCH).await?;
        if expired.is_empty() {
            return Ok(total);
        }
        for (id, _) in &expired {
            queue.publish_message(&QueueMessage::new(*id)).await?;
        }
        let mut tx = crate::db::begin_write(pool).await.map_err(Error::from)?;
        release_expired(&mut tx, &expired, now).await?;
        tx.commit().await.map_err(Error::from)?;
        tracing::warn!(count = expired.len(), "republished deliveries whose lease ran out");
        total += expired.len();
        if expired.len() < usize::try_from(SWEEP_BATCH).unwrap_or(usize::MAX) {
            return Ok(total);
        }
    }
}
