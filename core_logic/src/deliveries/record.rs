//! Recording the results of sends, and failing a delivery that can never be sent.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::error::Result;
use crate::models::DeliveryStatus;
use crate::time::unix;
use crate::{broadcasts, candidates};

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
    /// A temporary failure: back to `published` (the lease given up) to be retried.
    Retry {
        error: String,
    },
}

impl SendOutcome {
    fn status(&self) -> DeliveryStatus {
        match self {
            Self::Sent { .. } => DeliveryStatus::Sent,
            Self::Blocked { .. } => DeliveryStatus::Blocked,
            Self::Failed { .. } => DeliveryStatus::Failed,
            Self::Retry { .. } => DeliveryStatus::Published,
        }
    }

    fn parts(&self) -> (Option<&str>, Option<i64>) {
        match self {
            Self::Sent { telegram_message_id } => (None, Some(*telegram_message_id)),
            Self::Blocked { error } | Self::Failed { error } | Self::Retry { error } => (Some(error.as_str()), None),
        }
    }
}

/// The result of one send, to record: the delivery, its claim's lease token, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: i64,
    pub lease: String,
    pub outcome: SendOutcome,
}

/// What recording a result did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// The delivery is now in this status.
    Done(DeliveryStatus),
    /// The lease was lost (it ran out and another claim took the delivery): the result was not
    /// written; the other claim's holder records its own.
    LeaseLost,
}

/// Records one result; see [`record_many`].
pub async fn record(
    pool: &SqlitePool,
    id: i64,
    lease: &str,
    outcome: &SendOutcome,
    now: DateTime<Utc>,
) -> Result<Recorded> {
    let record = Record { id, lease: lease.to_owned(), outcome: outcome.clone() };
    let mut recorded = record_many(pool, std::slice::from_ref(&record), now).await?;
    Ok(recorded.pop().unwrap_or(Recorded::LeaseLost))
}

/// Records results of claimed deliveries in one transaction, answering one [`Recorded`] per
/// record in order. Blocked candidates become unreachable; each broadcast touched is completed
/// once, at the end, when nothing of it is left to send.
pub async fn record_many(pool: &SqlitePool, records: &[Record], now: DateTime<Utc>) -> Result<Vec<Recorded>> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = crate::db::begin_write(pool).await?;
    let mut out = Vec::with_capacity(records.len());
    let mut finished_broadcasts = BTreeSet::new();
    for r in records {
        let status = r.outcome.status();
        let (error, message_id) = r.outcome.parts();
        // The holder's own lease, or a row the sweeper gave back to the queue that no other
        // claim has taken since (the holder was only slow): either way no one else is sending it.
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "UPDATE deliveries SET status = ?1, last_error = COALESCE(?2, last_error),
                 telegram_message_id = COALESCE(?3, telegram_message_id),
                 sent_at = CASE WHEN ?1 = 'sent' THEN ?4 ELSE sent_at END, updated_at = ?4,
                 lease_token = NULL, lease_until = NULL
             WHERE id = ?5 AND ((status = 'sending' AND lease_token = ?6)
                                OR (status = 'published' AND lease_token IS NULL))
             RETURNING candidate_id, broadcast_id",
        )
        .bind(status)
        .bind(error)
        .bind(message_id)
        .bind(unix(now))
        .bind(r.id)
        .bind(&r.lease)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((candidate_id, broadcast_id)) = row else {
            out.push(Recorded::LeaseLost);
            continue;
        };
        if status == DeliveryStatus::Blocked {
            candidates::mark_unreachable_in(&mut tx, candidate_id).await?;
        }
        if status.is_final() {
            finished_broadcasts.extend(broadcast_id);
        }
        out.push(Recorded::Done(status));
    }
    for b in finished_broadcasts {
        broadcasts::complete_if_done(&mut tx, b, now).await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// Marks a delivery `failed` with `error` unless it is already final: for a queue message
/// dead-lettered after failing again and again, so its broadcast can still complete.
pub async fn fail(pool: &SqlitePool, id: i64, error: &str, now: DateTime<Utc>) -> Result<()> {
    let mut tx = crate::db::begin_write(pool).await?;
    let broadcast_id: Option<Option<i64>> = sqlx::query_scalar(
        "UPDATE deliveries SET status = 'failed', last_error = ?1, lease_token = NULL, lease_until = NULL,
                               updated_at = ?2
         WHERE id = ?3 AND status NOT IN ('sent', 'failed', 'blocked', 'cancelled')
         RETURNING broadcast_id",
    )
    .bind(error)
    .bind(unix(now))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(Some(b)) = broadcast_id {
        broadcasts::complete_if_done(&mut tx, b, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
