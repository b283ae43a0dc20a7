//! An admin's own Telegram account, so a test send can go to the admin themself. The panel asks
//! for a one-time deep link (`https://t.me/<bot>?start=adm_<code>`); the first Telegram account
//! that opens it before it expires becomes the admin's, and the code is spent. Only the code's
//! SHA-256 is stored. The bot's username comes from its own `getMe` at start.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use crate::error::{ConflictKind, Error, Result};
use crate::models::Candidate;
use crate::time::unix;

/// What starts a link code in a `/start` payload.
pub const CODE_PREFIX: &str = "adm_";
/// How long a link code can be used.
pub const CODE_TTL_MINUTES: i64 = 15;

/// A fresh link for the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkOffer {
    /// `https://t.me/<bot>?start=<code>`.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// Whose link it was, for the bot's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub admin_id: i64,
    pub admin_username: String,
}

fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// Whether a `/start` payload is an admin link code (and so not a candidate's source).
pub fn is_link_code(payload: &str) -> bool {
    payload.starts_with(CODE_PREFIX)
}

/// Records the bot's username (from `getMe`), which t.me links need.
pub async fn set_bot_username(pool: &SqlitePool, username: &str, now: DateTime<Utc>) -> Result<()> {
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO bot_profile (id, username, updated_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET username = excluded.username, updated_at = excluded.updated_at",
    )
    .bind(username)
    .bind(unix(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The bot's username, once the bot has started at least once.
pub async fn bot_username(pool: &SqlitePool) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT username FROM bot_profile WHERE id = 1").fetch_optional(pool).await?)
}

/// A new one-time link for `admin_id`. Refused while the bot's username is unknown (the bot has
/// never started against this database).
pub async fn offer(pool: &SqlitePool, admin_id: i64, now: DateTime<Utc>) -> Result<LinkOffer> {
    let Some(bot) = bot_username(pool).await? else {
        return Err(Error::conflict(
            ConflictKind::BotNotStarted,
            "the bot has not started yet, so its Telegram address is unknown; start the bot and try again",
        ));
    };
    // 128 random bits, URL-safe: 4 + 32 characters, within the 64 of a start payload.
    let code = format!("{CODE_PREFIX}{}", hex::encode(rand::random::<[u8; 16]>()));
    let expires_at = now + Duration::minutes(CODE_TTL_MINUTES);
    let mut tx = crate::db::begin_write(pool).await?;
    // Older unused codes of this admin stop working: only the newest link is live.
    sqlx::query("DELETE FROM admin_link_codes WHERE admin_id = ? AND used_at IS NULL")
        .bind(admin_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO admin_link_codes (code_hash, admin_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(code_hash(&code))
        .bind(admin_id)
        .bind(unix(now))
        .bind(unix(expires_at))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(LinkOffer { url: format!("https://t.me/{bot}?start={code}"), expires_at })
}

/// Spends `code` for the Telegram account of `candidate_id`. `None` when the code is unknown,
/// used or expired.
pub async fn redeem(pool: &SqlitePool, code: &str, candidate_id: i64, now: DateTime<Utc>) -> Result<Option<Linked>> {
    let mut tx = crate::db::begin_write(pool).await?;
    let admin_id: Option<i64> = sqlx::query_scalar(
        "UPDATE admin_link_codes SET used_at = ?
         WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING admin_id",
    )
    .bind(unix(now))
    .bind(code_hash(code))
    .bind(unix(now))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(admin_id) = admin_id else {
        tx.rollback().await?;
        return Ok(None);
    };
    let admin_username: String = sqlx::query_scalar(
        "UPDATE admins SET telegram_candidate_id = ?, updated_at = ? WHERE id = ? RETURNING username",
    )
    .bind(candidate_id)
    .bind(unix(now))
    .bind(admin_id)
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        now,
        Some(admin_id),
        "admin.telegram_link",
        "candidate",
        Some(candidate_id),
        serde_json::json!({ "candidate_id": candidate_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Linked { admin_id, admin_username }))
}

/// The Telegram account linked to `admin_id`, if any.
pub async fn linked_account(pool: &SqlitePool, admin_id: i64) -> Result<Option<Candidate>> {
    Ok(sqlx::query_as("SELECT c.* FROM admins a JOIN candidates c ON c.id = a.telegram_candidate_id WHERE a.id = ?")
        .bind(admin_id)
        .fetch_optional(pool)
        .await?)
}

/// Forgets the admin's Telegram account.
pub async fn unlink(pool: &SqlitePool, admin_id: i64, now: DateTime<Utc>) -> Result<()> {
    let mut tx = crate::db::begin_write(pool).await?;
    let previous: Option<Option<i64>> = sqlx::query_scalar("SELECT telegram_candidate_id FROM admins WHERE id = ?")
        .bind(admin_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(previous) = previous else { return Err(Error::not_found("admin", admin_id)) };
    if let Some(candidate_id) = previous {
        sqlx::query("UPDATE admins SET telegram_candidate_id = NULL, updated_at = ? WHERE id = ?")
            .bind(unix(now))
            .bind(admin_id)
            .execute(&mut *tx)
            .await?;
        crate::audit::record(
            &mut tx,
            now,
            Some(admin_id),
            "admin.telegram_unlink",
            "candidate",
            Some(candidate_id),
            serde_json::json!({ "candidate_id": candidate_id }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
