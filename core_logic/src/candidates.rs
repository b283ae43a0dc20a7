//! Candidates: registered and refreshed by the bot, listed, blocked and unblocked by admins.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::models::{Candidate, CandidateStatus};
use crate::time::unix;

/// What the bot knows of a Telegram user when they write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TelegramProfile {
    pub telegram_user_id: i64,
    pub chat_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    /// The Telegram language code (`ru`, `en`, `en-US`, ...).
    pub language: Option<String>,
    /// The /start deep-link payload, if they came with one.
    pub start_payload: Option<String>,
}

/// The language the bot speaks to a user: English for English-language Telegram users, else Russian.
pub fn language_for(code: Option<&str>) -> &'static str {
    match code {
        Some(c) if c.to_ascii_lowercase().starts_with("en") => "en",
        _ => "ru",
    }
}

/// Registers a candidate on first contact or refreshes their profile. A candidate who had blocked
/// the bot and writes again is reachable again; an admin's block stays. The first deep-link
/// payload is kept.
/// One write, whatever the update: the `/start` path's only one.
pub async fn upsert_from_telegram(pool: &SqlitePool, p: &TelegramProfile, now: DateTime<Utc>) -> Result<Candidate> {
    let mut candidates = upsert_many(pool, std::slice::from_ref(p), now).await?;
    candidates.pop().ok_or_else(|| Error::not_found("candidate", p.telegram_user_id))
}

/// Registers or refreshes several callers in one write transaction (the bot group-commits the
/// registrations of updates handled at the same time); one candidate per profile, in order.
pub async fn upsert_many(
    pool: &SqlitePool,
    profiles: &[TelegramProfile],
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>> {
    let mut tx = begin_write(pool).await?;
    let mut out = Vec::with_capacity(profiles.len());
    for p in profiles {
        out.push(upsert_in(&mut tx, p, now).await?);
    }
    tx.commit().await?;
    Ok(out)
}

async fn upsert_in(conn: &mut SqliteConnection, p: &TelegramProfile, now: DateTime<Utc>) -> Result<Candidate> {
    let candidate = sqlx::query_as(
        "INSERT INTO candidates (telegram_user_id, chat_id, first_name, last_name, username, language,
                                 start_payload, first_seen_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT (telegram_user_id) DO UPDATE SET
             chat_id = excluded.chat_id,
             first_name = excluded.first_name,
             last_name = excluded.last_name,
             username = excluded.username,
             language = excluded.language,
             start_payload = COALESCE(candidates.start_payload, excluded.start_payload),
             status = CASE candidates.status WHEN 'unreachable' THEN 'active' ELSE candidates.status END,
             last_seen_at = excluded.last_seen_at
         RETURNING *",
    )
    .bind(p.telegram_user_id)
    .bind(p.chat_id)
    .bind(&p.first_name)
    .bind(&p.last_name)
    .bind(&p.username)
    .bind(language_for(p.language.as_deref()))
    .bind(&p.start_payload)
    .bind(unix(now))
    .fetch_one(conn)
    .await?;
    Ok(candidate)
}

/// One candidate by id.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Candidate> {
    sqlx::query_as("SELECT * FROM candidates WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("candidate", id))
}

/// One candidate by Telegram user id, if registered.
pub async fn find_by_telegram_user(pool: &SqlitePool, telegram_user_id: i64) -> Result<Option<Candidate>> {
    Ok(sqlx::query_as("SELECT * FROM candidates WHERE telegram_user_id = ?")
        .bind(telegram_user_id)
        .fetch_optional(pool)
        .await?)
}

/// A page of candidates, newest first, with the total that match.
pub async fn list(
    pool: &SqlitePool,
    search: Option<&str>,
    status: Option<CandidateStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Candidate>, i64)> {
    // LIKE wildcards in the search text are matched literally.
    let pattern = search.map(|s| {
        let escaped = s.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let filter = "(?1 IS NULL OR first_name LIKE ?1 ESCAPE '\\' OR last_name LIKE ?1 ESCAPE '\\'
                   OR username LIKE ?1 ESCAPE '\\' OR CAST(telegram_user_id AS TEXT) LIKE ?1 ESCAPE '\\')
                  AND (?2 IS NULL OR status = ?2)";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM candidates WHERE {filter}")))
        .bind(&pattern)
        .bind(status)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM candidates WHERE {filter} ORDER BY first_seen_at DESC, id DESC LIMIT ?3 OFFSET ?4"
    )))
    .bind(&pattern)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// An admin blocks (`Blocked`) or unblocks (`Active`) a candidate. Blocking keeps their bookings;
/// a blocked candidate cannot book and receives no broadcasts.
pub async fn set_blocked(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    id: i64,
    blocked: bool,
    now: DateTime<Utc>,
) -> Result<Candidate> {
    let mut tx = begin_write(pool).await?;
    let status = if blocked { CandidateStatus::Blocked } else { CandidateStatus::Active };
    let candidate: Candidate = sqlx::query_as("UPDATE candidates SET status = ? WHERE id = ? RETURNING *")
        .bind(status)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("candidate", id))?;
    let action = if blocked { "candidate.block" } else { "candidate.unblock" };
    audit::record(&mut tx, now, admin_id, action, "candidate", Some(id), serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(candidate)
}

/// The candidate blocked the bot: they are unreachable until they write again.
pub async fn mark_unreachable(pool: &SqlitePool, id: i64) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    mark_unreachable_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// [`mark_unreachable`] inside the caller's write transaction.
pub(crate) async fn mark_unreachable_in(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<()> {
    sqlx::query("UPDATE candidates SET status = 'unreachable' WHERE id = ? AND status = 'active'")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
