//! Reminders: rows with a due time, created and cancelled with their booking, claimed by the bot
//! when due and marked sent once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::db::begin_write;
use crate::models::Reminder;
use crate::time::{chrono_dur, unix};

/// How long a claimed reminder may stay `sending` before it is taken to have been lost with a
/// crashed bot and is claimed again.
pub const CLAIM_TIMEOUT: Duration = Duration::from_secs(300);

/// Reminders at least this many minutes ahead of the interview ask "will you come?"; the answer
/// is the reconfirmation (`bookings::confirm`).
pub const ASK_FROM_MINUTES: i64 = 12 * 60;

/// Creates one pending reminder per offset whose due time is still ahead of `now`.
pub async fn create_for_booking(
    conn: &mut SqliteConnection,
    booking_id: i64,
    slot_starts_at: DateTime<Utc>,
    offsets: &[Duration],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for offset in offsets {
        let due_at = slot_starts_at - chrono_dur(*offset);
        if due_at <= now {
            continue;
        }
        sqlx::query(
            "INSERT INTO reminders (booking_id, offset_minutes, due_at) VALUES (?, ?, ?)
             ON CONFLICT (booking_id, offset_minutes) DO UPDATE SET due_at = excluded.due_at, status = 'pending'",
        )
        .bind(booking_id)
        .bind((offset.as_secs() / 60) as i64)
        .bind(unix(due_at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Cancels the pending reminders of a booking that ended.
pub async fn cancel_for_booking(conn: &mut SqliteConnection, booking_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE reminders SET status = 'cancelled' WHERE booking_id = ? AND status = 'pending'")
        .bind(booking_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A reminder the bot must send now, with what it needs to write it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueReminder {
    pub id: i64,
    pub booking_id: i64,
    pub offset_minutes: i64,
    pub candidate_id: i64,
    pub chat_id: i64,
    pub language: String,
    pub slot_id: i64,
    pub slot_starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub format: String,
    pub location: Option<String>,
}

/// Claims up to `limit` due reminders for sending. Reminders that are due but whose interview
/// already started (caught up after downtime) become `skipped`; those of ended bookings,
/// `cancelled`. A reminder claimed longer than [`CLAIM_TIMEOUT`] ago is claimed again.
pub async fn claim_due(pool: &SqlitePool, now: DateTime<Utc>, limit: i64) -> Result<Vec<DueReminder>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let now_s = unix(now);
    let stale = now_s - CLAIM_TIMEOUT.as_secs() as i64;
    // Reminders of bookings that ended are never sent.
    sqlx::query(
        "UPDATE reminders SET status = 'cancelled'
         WHERE status IN ('pending', 'sending') AND due_at <= ?
           AND booking_id IN (SELECT id FROM bookings WHERE status <> 'active')",
    )
    .bind(now_s)
    .execute(&mut *tx)
    .await?;
    // Never remind of an interview that already started.
    sqlx::query(
        "UPDATE reminders SET status = 'skipped'
         WHERE status IN ('pending', 'sending') AND due_at <= ?1
           AND booking_id IN (SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE s.starts_at <= ?1)",
    )
    .bind(now_s)
    .execute(&mut *tx)
    .await?;
    let due: Vec<DueReminder> = sqlx::query_as(
        "SELECT r.id, r.booking_id, r.offset_minutes, c.id AS candidate_id, c.chat_id, c.language,
                s.id AS slot_id, s.starts_at AS slot_starts_at, s.duration_minutes, s.format, s.location
         FROM reminders r
         JOIN bookings b ON b.id = r.booking_id
         JOIN candidates c ON c.id = b.candidate_id
         JOIN slots s ON s.id = b.slot_id
         WHERE r.due_at <= ?1
           AND (r.status = 'pending' OR (r.status = 'sending' AND r.claimed_at <= ?2))
         ORDER BY r.due_at, r.id LIMIT ?3",
    )
    .bind(now_s)
    .bind(stale)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    for r in &due {
        sqlx::query("UPDATE reminders SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id = ?")
            .bind(now_s)
            .bind(r.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(due)
}

/// Marks a claimed reminder sent.
pub async fn mark_sent(pool: &SqlitePool, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE reminders SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'sending'")
            .bind(unix(now))
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Marks a claimed reminder failed for good (the candidate blocked the bot, the chat is gone).
pub async fn mark_failed(pool: &SqlitePool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE reminders SET status = 'failed', last_error = ? WHERE id = ? AND status = 'sending'")
            .bind(error)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Returns a claimed reminder to `pending` after a temporary failure, to be retried.
pub async fn release(pool: &SqlitePool, id: i64, error: &str) -> Result<(), sqlx::Error> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE reminders SET status = 'pending', last_error = ? WHERE id = ? AND status = 'sending'")
            .bind(error)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Every reminder of a booking.
pub async fn for_booking(pool: &SqlitePool, booking_id: i64) -> Result<Vec<Reminder>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM reminders WHERE booking_id = ? ORDER BY due_at")
        .bind(booking_id)
        .fetch_all(pool)
        .await
}
