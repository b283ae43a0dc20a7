//! A team member's calendar feed: a secret address (`/calendar/<token>.ics`) serving their
//! upcoming interviews (and the last week's) as iCalendar, for Google Calendar or Outlook to
//! subscribe to. Each booked interview is one event with the booking's own UID, kept through
//! moves, and its sequence; a cancelled booking leaves the feed, so it leaves the calendar.
//! The address is shown once when made; only its hash is stored; it can be regenerated (the old
//! one stops working) or revoked.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use crate::audit;
use crate::db::begin_write;
use crate::error::Result;
use crate::ics::FeedEvent;
use crate::notifications::CalendarEvent;
use crate::time::unix;

/// Whether an account has a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FeedState {
    pub active: bool,
    pub created_at: Option<DateTime<Utc>>,
}

/// A new feed address's secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NewFeed {
    /// The feed's path on this server: `/calendar/<token>.ics`.
    pub path: String,
    pub created_at: DateTime<Utc>,
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The account's feed state.
pub async fn state(pool: &SqlitePool, admin_id: i64) -> Result<FeedState> {
    let row: Option<(Option<String>, Option<DateTime<Utc>>)> =
        sqlx::query_as("SELECT feed_token_hash, feed_created_at FROM admins WHERE id = ?")
            .bind(admin_id)
            .fetch_optional(pool)
            .await?;
    let (hash, created_at) = row.unwrap_or_default();
    Ok(FeedState { active: hash.is_some(), created_at: created_at.filter(|_| hash.is_some()) })
}

/// Makes a new feed address for the account; an older one stops working.
pub async fn regenerate(pool: &SqlitePool, admin_id: i64, now: DateTime<Utc>) -> Result<NewFeed> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE admins SET feed_token_hash = ?, feed_created_at = ? WHERE id = ?")
        .bind(hash(&token))
        .bind(unix(now))
        .bind(admin_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        now,
        Some(admin_id),
        "account.feed_regenerate",
        "admin",
        Some(admin_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(NewFeed { path: format!("/calendar/{token}.ics"), created_at: now })
}

/// Revokes the account's feed: the address stops working.
pub async fn revoke(pool: &SqlitePool, admin_id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE admins SET feed_token_hash = NULL, feed_created_at = NULL WHERE id = ?")
        .bind(admin_id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, now, Some(admin_id), "account.feed_revoke", "admin", Some(admin_id), serde_json::json!({}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The feed behind a token: the account's name and its interviews from a week ago on, or
/// `None` for an unknown or revoked token or a deactivated account.
pub async fn events(pool: &SqlitePool, token: &str, now: DateTime<Utc>) -> Result<Option<(String, Vec<FeedEvent>)>> {
    let Some((admin_id, name)): Option<(i64, String)> = sqlx::query_as(
        "SELECT id, COALESCE(display_name, username) FROM admins WHERE feed_token_hash = ? AND deactivated_at IS NULL",
    )
    .bind(hash(token))
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct Row {
        uid: String,
        sequence: i64,
        starts_at: DateTime<Utc>,
        duration_minutes: i64,
        location: Option<String>,
        format: String,
        candidate: String,
        username: Option<String>,
        vacancy: Option<String>,
        answers: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT COALESCE(b.calendar_uid, 'booking-' || b.id || '@interview-booking') AS uid,
                b.calendar_sequence AS sequence, s.starts_at, s.duration_minutes, s.location, s.format,
                TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')) AS candidate, c.username,
                (SELECT v.title FROM vacancies v WHERE v.id = b.vacancy_id) AS vacancy,
                (SELECT q.answers FROM questionnaires q WHERE q.candidate_id = b.candidate_id
                    AND q.vacancy_id = b.vacancy_id AND q.completed_at IS NOT NULL) AS answers
           FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN candidates c ON c.id = b.candidate_id
          WHERE b.status IN ('active', 'attended', 'no_show') AND s.status = 'open' AND s.starts_at >= ?
            AND EXISTS (SELECT 1 FROM slot_interviewers si WHERE si.slot_id = s.id AND si.admin_id = ?)
          ORDER BY s.starts_at, b.id",
    )
    .bind(unix(now - Duration::days(7)))
    .bind(admin_id)
    .fetch_all(pool)
    .await?;
    let events = rows
        .into_iter()
        .map(|r| {
            let summary = match &r.vacancy {
                Some(v) => format!("Собеседование: {} ({v})", r.candidate),
                None => format!("Собеседование: {}", r.candidate),
            };
            let mut description = vec![format!("Формат: {}", r.format)];
            if let Some(u) = &r.username {
                description.push(format!("Telegram: @{u}"));
            }
            let answers: Vec<crate::questionnaire::Answer> =
                r.answers.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
            if !answers.is_empty() {
                description.push(crate::questionnaire::summary(&answers));
            }
            FeedEvent {
                event: CalendarEvent {
                    uid: r.uid,
                    sequence: r.sequence,
                    starts_at: r.starts_at,
                    duration_minutes: r.duration_minutes,
                    location: r.location,
                },
                summary,
                description: Some(description.join("\n")),
            }
        })
        .collect();
    Ok(Some((name, events)))
}
