//! Photos of broadcasts: uploaded by an admin before the broadcast is created, shown in the
//! panel's preview, sent above the broadcast's text. The type is read from the bytes (JPEG, PNG
//! or WebP), never from what the upload declared. The first send uploads the bytes to Telegram
//! and stores the `file_id` Telegram answers, so every later send reuses it instead of
//! uploading the bytes again.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::time::unix;

/// The largest photo accepted (Telegram accepts photos up to 10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A stored photo, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PhotoInfo {
    pub id: i64,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

/// A stored photo with its bytes.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Photo {
    pub id: i64,
    pub bytes: Vec<u8>,
    pub content_type: String,
    /// Telegram's id of the photo once a send uploaded it.
    pub telegram_file_id: Option<String>,
}

/// The image type of `bytes`, by their first bytes (magic numbers); `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Stores an uploaded photo (at most [`MAX_BYTES`], JPEG, PNG or WebP by its bytes); audited.
pub async fn store(pool: &SqlitePool, admin_id: Option<i64>, bytes: &[u8], now: DateTime<Utc>) -> Result<PhotoInfo> {
    if bytes.is_empty() {
        return Err(Error::validation("photo", "the file is empty"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Error::validation("photo", "the photo is larger than 10 MB"));
    }
    let content_type = sniff(bytes).ok_or_else(|| Error::validation("photo", "must be a JPEG, PNG or WebP image"))?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let mut tx = begin_write(pool).await?;
    let info: PhotoInfo = sqlx::query_as(
        "INSERT INTO broadcast_photos (bytes, content_type, size, created_at) VALUES (?, ?, ?, ?)
         RETURNING id, content_type, size, created_at",
    )
    .bind(bytes)
    .bind(content_type)
    .bind(size)
    .bind(unix(now))
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "broadcast.photo_upload",
        "broadcast",
        None,
        serde_json::json!({ "photo_id": info.id, "content_type": content_type, "size": size }),
    )
    .await?;
    tx.commit().await?;
    Ok(info)
}

/// A photo with its bytes.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Photo> {
    sqlx::query_as("SELECT id, bytes, content_type, telegram_file_id FROM broadcast_photos WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("photo", id))
}

/// Telegram's id of the photo, once a send uploaded it.
pub async fn telegram_file_id(pool: &SqlitePool, id: i64) -> Result<Option<String>> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT telegram_file_id FROM broadcast_photos WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    found.ok_or(Error::not_found("photo", id))
}

/// Keeps Telegram's id of the photo after its first upload (the first one written stays).
pub async fn set_telegram_file_id(pool: &SqlitePool, id: i64, file_id: &str) -> Result<()> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE broadcast_photos SET telegram_file_id = ? WHERE id = ? AND telegram_file_id IS NULL")
            .bind(file_id)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// `NotFound` unless the photo exists (inside the caller's transaction).
pub(crate) async fn check_exists(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM broadcast_photos WHERE id = ?").bind(id).fetch_optional(conn).await?;
    found.map(|_| ()).ok_or(Error::not_found("photo", id))
}
