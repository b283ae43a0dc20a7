//! Deliveries: one message to one candidate. The event worker publishes them; the broadcast
//! worker claims each under a lease (`sending`), calls Telegram, and records the result. Final
//! states (sent, failed, blocked, cancelled) are never left, so a redelivered queue message is
//! harmless.
//!
//! The rules (docs/decisions.md, "Delivery leases"):
//! - A claim is a lease of [`LEASE`] with a random token. A delivery `sending` under a valid lease
//!   is never claimed again: a second copy of its queue message is answered [`Claim::Leased`] and
//!   not sent. An expired lease is taken over by the next claim.
//! - The holder extends its lease while the send takes ([`extend_leases`]), so a slow send (a
//!   429's `retry_after`, retries after 5xx) keeps it.
//! - A result is recorded only by the lease holder (its token), or on a row the sweeper gave back
//!   to the queue and nobody claimed since; otherwise the record answers [`Recorded::LeaseLost`].
//! - The sweeper ([`sweep_expired`]) republishes deliveries whose lease ran out (the bot died
//!   mid-send, or lost the database for longer than a lease), so no row stays `sending` forever
//!   and every broadcast reaches a final status.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::error::{Error, Result};
use crate::models::{Delivery, DeliveryKind, DeliveryStatus};
use crate::queue::{Queue, QueueError, QueueMessage};
use crate::time::{chrono_dur, unix};
use crate::{broadcasts, candidates};

/// How long a claim holds a delivery without being extended. The holder extends it every
/// [`LEASE_HEARTBEAT`]; after a crash the delivery is sent again once this has passed.
pub const LEASE: Duration = Duration::from_secs(20);

/// How often the holder of leases extends them.
pub const LEASE_HEARTBEAT: Duration = Duration::from_secs(5);

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
    crate::db::write(
        pool,
        sqlx::query(
            "UPDATE deliveries SET status = 'published', published_at = ?1, updated_at = ?1
         WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?2))",
        )
        .bind(unix(now))
        .bind(json_ids(ids)),
    )
    .await?;
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
    /// The claim's token: recording the result and extending the lease need it.
    pub lease: String,
}

/// The outcome of trying to claim a delivery for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Send it now; the lease is ours.
    Send(DeliveryToSend),
    /// Nothing to do: already final, or its broadcast was cancelled (now marked `cancelled`).
    Skip(DeliveryStatus),
    /// Another claim holds a valid lease on it: that holder sends it, or the sweeper republishes
    /// it once the lease runs out. This copy must not be sent.
    Leased { until: DateTime<Utc> },
    /// No such delivery (a message from another deployment's queue?): nothing can ever send it.
    NotFound,
}

/// Claims one delivery; see [`claim_many`].
pub async fn claim(pool: &SqlitePool, id: i64, now: DateTime<Utc>) -> Result<Claim> {
    let mut claims = claim_many(pool, &[id], now).await?;
    Ok(claims.pop().unwrap_or(Claim::NotFound))
}

/// The state of a delivery at claim time.
#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    status: DeliveryStatus,
    lease_until: Option<i64>,
    broadcast_id: Option<i64>,
    stopped: bool,
}

/// Claims deliveries for sending, in one transaction, answering one [`Claim`] per id in the
/// order given: final states are skipped; a delivery whose broadcast was cancelled or whose
/// candidate can no longer be reached is cancelled; one `sending` under a valid lease is
/// [`Claim::Leased`]; every other one becomes `sending` under a new lease of [`LEASE`].
pub async fn claim_many(pool: &SqlitePool, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<Claim>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = crate::db::begin_write(pool).await?;
    let rows: Vec<ClaimRow> = sqlx::query_as(
        "SELECT d.id, d.status, d.lease_until, d.broadcast_id,
                COALESCE(b.status = 'cancelled', 0) OR c.status <> 'active' AS stopped
         FROM deliveries d
         JOIN candidates c ON c.id = d.candidate_id
         LEFT JOIN broadcasts b ON b.id = d.broadcast_id
         WHERE d.id IN (SELECT value FROM json_each(?1))",
    )
    .bind(json_ids(ids))
    .fetch_all(&mut *tx)
    .await?;
    let lease_until = now + chrono_dur(LEASE);
    let mut to_cancel = Vec::new();
    let mut to_claim = Vec::new();
    let mut stopped_broadcasts = BTreeSet::new();
    let mut found = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        let claim = if row.status.is_final() {
            Some(Claim::Skip(row.status))
        } else if row.stopped {
            to_cancel.push(row.id);
            stopped_broadcasts.extend(row.broadcast_id);
            Some(Claim::Skip(DeliveryStatus::Cancelled))
        } else if row.status == DeliveryStatus::Sending
            && let Some(until) = row.lease_until.filter(|until| *until > unix(now))
        {
            Some(Claim::Leased { until: DateTime::from_timestamp(until, 0).unwrap_or(now) })
        } else {
            to_claim.push(row.id);
            None
        };
        found.insert(row.id, claim);
    }
    if !to_cancel.is_empty() {
        sqlx::query(
            "UPDATE deliveries SET status = 'cancelled', lease_token = NULL, lease_until = NULL, updated_at = ?1
             WHERE id IN (SELECT value FROM json_each(?2))",
        )
        .bind(unix(now))
        .bind(json_ids(&to_cancel))
        .execute(&mut *tx)
        .await?;
    }
    let token = new_token();
    let claimed: Vec<DeliveryToSend> = if to_claim.is_empty() {
        Vec::new()
    } else {
        sqlx::query_as(
            "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, lease_token = ?1, lease_until = ?2,
                                   updated_at = ?3
             WHERE id IN (SELECT value FROM json_each(?4))
             RETURNING id, kind, broadcast_id, candidate_id,
                       (SELECT chat_id FROM candidates WHERE id = candidate_id) AS chat_id,
                       (SELECT language FROM candidates WHERE id = candidate_id) AS language,
                       (SELECT text FROM broadcasts WHERE id = broadcast_id) AS text,
                       notification, attempts, lease_token AS lease",
        )
        .bind(&token)
        .bind(unix(lease_until))
        .bind(unix(now))
        .bind(json_ids(&to_claim))
        .fetch_all(&mut *tx)
        .await?
    };
    for b in stopped_broadcasts {
        broadcasts::complete_if_done(&mut tx, b, now).await?;
    }
    tx.commit().await?;
    for d in claimed {
        found.insert(d.id, Some(Claim::Send(d)));
    }
    // Two copies of one message in one batch: only the first is sent.
    let mut handed_out = BTreeSet::new();
    Ok(ids
        .iter()
        .map(|id| match found.get(id) {
            Some(Some(Claim::Send(d))) => {
                if handed_out.insert(*id) {
                    Claim::Send(d.clone())
                } else {
                    Claim::Leased { until: lease_until }
                }
            }
            Some(Some(claim)) => claim.clone(),
            Some(None) | None => Claim::NotFound,
        })
        .collect())
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
) -> Result<u64> {
    let mut released = 0;
    for (id, token) in expired {
        released += sqlx::query(
            "UPDATE deliveries SET status = 'published', lease_token = NULL, lease_until = NULL, updated_at = ?1
             WHERE id = ?2 AND status = 'sending' AND lease_token IS ?3
               AND (lease_until IS NULL OR lease_until <= ?1)",
        )
        .bind(unix(now))
        .bind(id)
        .bind(token)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(released)
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

/// The latest deliveries to a candidate, newest first.
pub async fn recent_for_candidate(pool: &SqlitePool, candidate_id: i64, limit: i64) -> Result<Vec<Delivery>> {
    Ok(sqlx::query_as("SELECT * FROM deliveries WHERE candidate_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
        .bind(candidate_id)
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

/// A JSON array of ids, for `json_each` in one statement instead of one statement per id.
fn json_ids(ids: &[i64]) -> String {
    let mut out = String::with_capacity(ids.len() * 8 + 2);
    out.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&id.to_string());
    }
    out.push(']');
    out
}

/// A random lease token (128 bits, hex).
fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}
