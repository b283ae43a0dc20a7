//! Broadcasts: created with their `BroadcastCreated` outbox event in one transaction, fanned out
//! by the event worker into one delivery per recipient, cancelled by admins.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::{Broadcast, BroadcastStatus, DeliveryStatus};
use crate::outbox::{self, Event};
use crate::segments::{self, Segment};
use crate::time::unix;

/// Sends a broadcast text to one candidate before the broadcast goes to everyone. Returns the
/// delivery id, whose status the panel can follow.
pub async fn test_send(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    candidate_id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let text = validate_text(text)?;
    let mut tx = begin_write(pool).await?;
    let status: Option<crate::models::CandidateStatus> =
        sqlx::query_scalar("SELECT status FROM candidates WHERE id = ?")
            .bind(candidate_id)
            .fetch_optional(&mut *tx)
            .await?;
    match status {
        None => return Err(Error::not_found("candidate", candidate_id)),
        Some(crate::models::CandidateStatus::Active) => {}
        Some(other) => {
            return Err(Error::conflict(ConflictKind::CandidateNotActive, format!("the candidate is {other}")));
        }
    }
    let notification = crate::notifications::Notification::TestMessage { text: text.to_owned() };
    let delivery_id = crate::notifications::queue(&mut tx, candidate_id, &notification, now).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "broadcast.test_send",
        "candidate",
        Some(candidate_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(delivery_id)
}

fn validate_text(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::validation("text", "must not be empty"));
    }
    crate::telegram_html::validate(text).map_err(|e| Error::validation("text", e))?;
    Ok(text)
}

/// Telegram's limit on a message's length.
pub const MAX_TEXT_CHARS: usize = 4096;

/// A broadcast to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewBroadcast {
    /// Telegram HTML.
    pub text: String,
    pub segment: Segment,
    /// When to start; `None` for at once.
    pub send_at: Option<DateTime<Utc>>,
}

/// Creates a broadcast and its `BroadcastCreated` event in one transaction, so the event worker
/// can never miss it. A scheduled broadcast's event becomes due at its send time.
pub async fn create(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    new: &NewBroadcast,
    now: DateTime<Utc>,
) -> Result<Broadcast> {
    let text = validate_text(&new.text)?;
    if new.send_at.is_some_and(|t| t < now - chrono::Duration::minutes(1)) {
        return Err(Error::validation("send_at", "must not be in the past"));
    }
    let segment = serde_json::to_string(&new.segment).map_err(|e| Error::validation("segment", e.to_string()))?;
    let mut tx = begin_write(pool).await?;
    let broadcast: Broadcast = sqlx::query_as(
        "INSERT INTO broadcasts (text, segment, send_at, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(text)
    .bind(segment)
    .bind(new.send_at.map(unix))
    .bind(admin_id)
    .bind(unix(now))
    .fetch_one(&mut *tx)
    .await?;
    let due = new.send_at.unwrap_or(now).max(now);
    outbox::insert(&mut tx, &Event::BroadcastCreated { broadcast_id: broadcast.id }, now, due).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "broadcast.create",
        "broadcast",
        Some(broadcast.id),
        serde_json::json!({ "segment": new.segment, "send_at": new.send_at }),
    )
    .await?;
    tx.commit().await?;
    Ok(broadcast)
}

/// One broadcast.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Broadcast> {
    sqlx::query_as("SELECT * FROM broadcasts WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("broadcast", id))
}

/// A page of broadcasts, newest first, and the total.
pub async fn list(pool: &SqlitePool, limit: i64, offset: i64) -> Result<(Vec<Broadcast>, i64)> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM broadcasts").fetch_one(pool).await?;
    let rows = sqlx::query_as("SELECT * FROM broadcasts ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok((rows, total))
}

/// How many of the broadcast's deliveries are in each status.
pub async fn delivery_counts(pool: &SqlitePool, id: i64) -> Result<BTreeMap<String, i64>> {
    let rows: Vec<(DeliveryStatus, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? AND kind = 'broadcast' GROUP BY status",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut counts: BTreeMap<String, i64> = DeliveryStatus::ALL.iter().map(|s| (s.as_str().to_owned(), 0)).collect();
    for (status, n) in rows {
        counts.insert(status.as_str().to_owned(), n);
    }
    Ok(counts)
}

/// Cancels a broadcast: deliveries not yet handed to Telegram become `cancelled` and are never sent.
pub async fn cancel(pool: &SqlitePool, admin_id: Option<i64>, id: i64, now: DateTime<Utc>) -> Result<Broadcast> {
    let mut tx = begin_write(pool).await?;
    let broadcast = load(&mut tx, id).await?;
    if matches!(broadcast.status, BroadcastStatus::Completed | BroadcastStatus::Cancelled) {
        return Err(Error::conflict(ConflictKind::BroadcastFinished, format!("the broadcast is {}", broadcast.status)));
    }
    let cancelled = sqlx::query(
        "UPDATE deliveries SET status = 'cancelled', updated_at = ?
         WHERE broadcast_id = ? AND status IN ('pending', 'published')",
    )
    .bind(unix(now))
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let broadcast = sqlx::query_as(
        "UPDATE broadcasts SET status = 'cancelled', cancelled_at = ?, finished_at = ? WHERE id = ? RETURNING *",
    )
    .bind(unix(now))
    .bind(unix(now))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "broadcast.cancel",
        "broadcast",
        Some(id),
        serde_json::json!({ "cancelled_deliveries": cancelled }),
    )
    .await?;
    tx.commit().await?;
    Ok(broadcast)
}

/// One broadcast, read inside the caller's write transaction.
async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Broadcast> {
    sqlx::query_as("SELECT * FROM broadcasts WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::not_found("broadcast", id))
}

/// How many candidates a segment reaches now (shown before sending).
pub async fn count_recipients(pool: &SqlitePool, segment: &Segment, tz: Tz, now: DateTime<Utc>) -> Result<i64> {
    let mut conn = pool.acquire().await?;
    Ok(segments::count(&mut conn, segment, tz, now).await?)
}

/// Step one of the fan-out (the event worker): resolves the recipients and writes their
/// deliveries, skipping any already written by an earlier, interrupted run. Returns `false` when
/// the broadcast was cancelled and there is nothing to do.
pub async fn write_deliveries(pool: &SqlitePool, id: i64, tz: Tz, now: DateTime<Utc>) -> Result<bool> {
    let mut tx = begin_write(pool).await?;
    let broadcast = load(&mut tx, id).await?;
    match broadcast.status {
        BroadcastStatus::Scheduled | BroadcastStatus::FanningOut => {}
        BroadcastStatus::Sending | BroadcastStatus::Completed => return Ok(true),
        BroadcastStatus::Cancelled => return Ok(false),
    }
    segments::insert_deliveries(&mut tx, id, &broadcast.segment, tz, now).await?;
    sqlx::query(
        "UPDATE broadcasts SET status = 'fanning_out', started_at = COALESCE(started_at, ?1),
             total_recipients = (SELECT COUNT(*) FROM deliveries WHERE broadcast_id = ?2 AND kind = 'broadcast')
         WHERE id = ?2",
    )
    .bind(unix(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Last step of the fan-out: every delivery is published, the bot is sending. A broadcast with
/// nothing left to send is completed at once.
pub async fn finish_fan_out(pool: &SqlitePool, id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE broadcasts SET status = 'sending' WHERE id = ? AND status = 'fanning_out'")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    complete_if_done(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a sending broadcast completed once none of its deliveries is left to send. Runs inside
/// the caller's transaction, after the change that may have finished the last delivery.
pub async fn complete_if_done(conn: &mut SqliteConnection, id: i64, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE broadcasts SET status = 'completed', finished_at = ?1
         WHERE id = ?2 AND status = 'sending'
           AND NOT EXISTS (SELECT 1 FROM deliveries WHERE broadcast_id = ?2 AND status IN ('pending', 'published', 'sending'))",
    )
    .bind(unix(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
