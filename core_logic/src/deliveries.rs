//! Deliveries: one message to one candidate. The event worker publishes them; the broadcast
//! worker claims each (`sending`), calls Telegram, and records the result. Final states (sent,
//! failed, blocked, cancelled) are never left, so a redelivered queue message is harmless.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::error::{Error, Result};
use crate::models::{Delivery, DeliveryKind, DeliveryStatus};
use crate::time::unix;
use crate::{broadcasts, candidates};

/// One delivery.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Delivery> {
    sqlx::query_as("SELECT * FROM deliveries WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("delivery", id))
}

/// Ids of a broadcast's deliveries still waiting to be published, after `after_id`, in order.
pub async fn pending_ids(pool: &SqlitePool, broadcast_id: i64, after_id: i64, limit: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM deliveries WHERE broadcast_id = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?",
    )
    .bind(broadcast_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records that the broker confirmed these deliveries.
pub async fn mark_published(pool: &SqlitePool, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
    let mut tx = pool.begin().await?;
    for id in ids {
        sqlx::query("UPDATE deliveries SET status = 'published', published_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'")
            .bind(unix(now))
            .bind(unix(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What the broadcast worker needs to send one delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryToSend {
    pub id: i64,
    pub kind: DeliveryKind,
    pub broadcast_id: Option<i64>,
    pub candidate_id: i64,
    pub chat_id: i64,
    pub language: String,
    /// The broadcast's HTML for broadcasts and test sends.
    pub text: Option<String>,
    /// The notification JSON for notifications.
    pub notification: Option<String>,
    pub attempts: i64,
}

/// The outcome of trying to claim a delivery for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Send it now.
    Send(DeliveryToSend),
    /// Nothing to do: already final, or its broadcast was cancelled (now marked `cancelled`).
    Skip(DeliveryStatus),
}

/// Claims a delivery for sending: skips final states, cancels it if its broadcast was cancelled
/// or the candidate can no longer be reached, else marks it `sending`. A delivery found
/// `sending` (the bot died during the Telegram call) is claimed again: at-least-once.
pub async fn claim(pool: &SqlitePool, id: i64, now: DateTime<Utc>) -> Result<Claim> {
    let mut tx = crate::db::begin_write(pool).await?;
    let delivery: Delivery = sqlx::query_as("SELECT * FROM deliveries WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("delivery", id))?;
    if delivery.status.is_final() {
        return Ok(Claim::Skip(delivery.status));
    }
    let stopped: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM broadcasts WHERE id = ? AND status = 'cancelled')
             OR EXISTS (SELECT 1 FROM candidates WHERE id = ? AND status <> 'active')",
    )
    .bind(delivery.broadcast_id)
    .bind(delivery.candidate_id)
    .fetch_one(&mut *tx)
    .await?;
    if stopped {
        sqlx::query("UPDATE deliveries SET status = 'cancelled', updated_at = ? WHERE id = ?")
            .bind(unix(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if let Some(b) = delivery.broadcast_id {
            broadcasts::complete_if_done(pool, b, now).await?;
        }
        return Ok(Claim::Skip(DeliveryStatus::Cancelled));
    }
    let to_send: DeliveryToSend = sqlx::query_as(
        "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = ?1 WHERE id = ?2
         RETURNING id, kind, broadcast_id, candidate_id,
                   (SELECT chat_id FROM candidates WHERE id = candidate_id) AS chat_id,
                   (SELECT language FROM candidates WHERE id = candidate_id) AS language,
                   (SELECT text FROM broadcasts WHERE id = broadcast_id) AS text,
                   notification, attempts",
    )
    .bind(unix(now))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Claim::Send(to_send))
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Sent {
        telegram_message_id: i64,
    },
    /// The candidate blocked the bot: the delivery is `blocked`, the candidate `unreachable`.
    Blocked {
        error: String,
    },
    /// A permanent failure (chat not found, bad request): no retry.
    Failed {
        error: String,
    },
    /// A temporary failure: back to `published` to be retried.
    Retry {
        error: String,
    },
}

/// Records the outcome of a claimed delivery, and completes its broadcast when it was the last.
pub async fn record(pool: &SqlitePool, id: i64, outcome: &SendOutcome, now: DateTime<Utc>) -> Result<Delivery> {
    let (status, error, message_id) = match outcome {
        SendOutcome::Sent { telegram_message_id } => (DeliveryStatus::Sent, None, Some(*telegram_message_id)),
        SendOutcome::Blocked { error } => (DeliveryStatus::Blocked, Some(error.as_str()), None),
        SendOutcome::Failed { error } => (DeliveryStatus::Failed, Some(error.as_str()), None),
        SendOutcome::Retry { error } => (DeliveryStatus::Published, Some(error.as_str()), None),
    };
    let delivery: Delivery = sqlx::query_as(
        "UPDATE deliveries SET status = ?1, last_error = COALESCE(?2, last_error),
             telegram_message_id = COALESCE(?3, telegram_message_id),
             sent_at = CASE WHEN ?1 = 'sent' THEN ?4 ELSE sent_at END, updated_at = ?4
         WHERE id = ?5 AND status = 'sending' RETURNING *",
    )
    .bind(status)
    .bind(error)
    .bind(message_id)
    .bind(unix(now))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(Error::not_found("delivery in sending state", id))?;
    if status == DeliveryStatus::Blocked {
        candidates::mark_unreachable(pool, delivery.candidate_id).await?;
    }
    if let Some(b) = delivery.broadcast_id
        && status.is_final()
    {
        broadcasts::complete_if_done(pool, b, now).await?;
    }
    Ok(delivery)
}

/// A page of a broadcast's deliveries, optionally of one status, with the total.
pub async fn list_for_broadcast(
    pool: &SqlitePool,
    broadcast_id: i64,
    status: Option<DeliveryStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Delivery>, i64)> {
    let total =
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE broadcast_id = ?1 AND (?2 IS NULL OR status = ?2)")
            .bind(broadcast_id)
            .bind(status)
            .fetch_one(pool)
            .await?;
    let rows = sqlx::query_as(
        "SELECT * FROM deliveries WHERE broadcast_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY id LIMIT ?3 OFFSET ?4",
    )
    .bind(broadcast_id)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// The latest deliveries to a candidate, newest first.
pub async fn recent_for_candidate(pool: &SqlitePool, candidate_id: i64, limit: i64) -> Result<Vec<Delivery>> {
    Ok(sqlx::query_as("SELECT * FROM deliveries WHERE candidate_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
        .bind(candidate_id)
        .bind(limit)
        .fetch_all(pool)
        .await?)
}
