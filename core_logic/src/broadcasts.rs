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

/// Sends what a broadcast would send to one candidate (the text in their language, the button,
/// the photo) before the broadcast goes to everyone. Returns the delivery id, whose status the
/// panel can follow.
pub async fn test_send(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    candidate_id: i64,
    content: &Content,
    now: DateTime<Utc>,
) -> Result<i64> {
    let content = content.validated()?;
    let mut tx = begin_write(pool).await?;
    if let Some(photo_id) = content.photo_id {
        crate::broadcast_photos::check_exists(&mut tx, photo_id).await?;
    }
    let candidate: Option<(crate::models::CandidateStatus, String)> =
        sqlx::query_as("SELECT status, language FROM candidates WHERE id = ?")
            .bind(candidate_id)
            .fetch_optional(&mut *tx)
            .await?;
    let language = match candidate {
        None => return Err(Error::not_found("candidate", candidate_id)),
        Some((crate::models::CandidateStatus::Active, language)) => language,
        Some((other, _)) => {
            return Err(Error::conflict(ConflictKind::CandidateNotActive, format!("the candidate is {other}")));
        }
    };
    let notification = crate::notifications::Notification::TestMessage {
        text: content.text_for(&language).to_owned(),
        button: content.button.clone(),
        photo_id: content.photo_id,
    };
    let delivery_id = crate::notifications::queue(&mut tx, candidate_id, &notification, now).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "broadcast.test_send",
        "candidate",
        Some(candidate_id),
        serde_json::json!({ "language": language, "photo": content.photo_id.is_some(), "button": content.button.is_some() }),
    )
    .await?;
    tx.commit().await?;
    Ok(delivery_id)
}

/// Telegram's limit on a message's length.
pub const MAX_TEXT_CHARS: usize = crate::telegram_html::MAX_VISIBLE_LEN;
/// Telegram's limit on a photo's caption: a broadcast with a photo sends its text as the caption.
pub const MAX_CAPTION_CHARS: usize = crate::telegram_html::MAX_CAPTION_LEN;
/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 80;
/// The longest label of a link button, in characters.
pub const MAX_BUTTON_TEXT_CHARS: usize = 64;

/// The inline button under a broadcast's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BroadcastButton {
    /// Opens a link: `url` is http, https or tg; `text` is the label (at most 64 characters).
    Url { text: String, url: String },
    /// "Записаться" ("Book an interview" in English): opens the booking flow in the bot.
    Book,
}

/// What a broadcast sends: the Russian text, the English one for English-speaking candidates,
/// an optional button and an optional photo (the text then goes as its caption).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Content {
    /// Telegram HTML, sent to candidates whose language is not English or when there is no
    /// English text: at most 4096 visible characters, 1024 with a photo.
    pub text: String,
    /// Telegram HTML for English-speaking candidates; absent or empty for none.
    #[serde(default)]
    pub text_en: Option<String>,
    #[serde(default)]
    pub button: Option<BroadcastButton>,
    /// An uploaded photo (`broadcast_photos`), sent above the text.
    #[serde(default)]
    pub photo_id: Option<i64>,
}

impl Content {
    /// Only a text, as most broadcasts are.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), text_en: None, button: None, photo_id: None }
    }

    /// The text a candidate speaking `language` gets: English when there is an English text.
    pub fn text_for(&self, language: &str) -> &str {
        match &self.text_en {
            Some(en) if language == "en" => en,
            _ => &self.text,
        }
    }

    /// The content checked and normalized (texts trimmed, an empty English text dropped), or a
    /// validation error naming the field.
    pub fn validated(&self) -> Result<Self> {
        let limit = if self.photo_id.is_some() { MAX_CAPTION_CHARS } else { MAX_TEXT_CHARS };
        let text = validate_text("text", &self.text, limit)?.to_owned();
        let text_en = match self.text_en.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(en) => Some(validate_text("text_en", en, limit)?.to_owned()),
            None => None,
        };
        let button = self.button.as_ref().map(validate_button).transpose()?;
        Ok(Self { text, text_en, button, photo_id: self.photo_id })
    }
}

fn validate_text<'a>(field: &'static str, text: &'a str, limit: usize) -> Result<&'a str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    crate::telegram_html::validate_within(text, limit).map_err(|e| {
        if limit == MAX_CAPTION_CHARS && e.contains("Telegram allows at most") {
            Error::validation(field, format!("{e} in the caption of a photo"))
        } else {
            Error::validation(field, e)
        }
    })?;
    Ok(text)
}

fn validate_button(button: &BroadcastButton) -> Result<BroadcastButton> {
    match button {
        BroadcastButton::Book => Ok(BroadcastButton::Book),
        BroadcastButton::Url { text, url } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(Error::validation("button.text", "the button needs a label"));
            }
            if text.chars().count() > MAX_BUTTON_TEXT_CHARS {
                return Err(Error::validation(
                    "button.text",
                    format!("must be at most {MAX_BUTTON_TEXT_CHARS} characters"),
                ));
            }
            let url = url.trim();
            let parsed = url::Url::parse(url)
                .map_err(|_| Error::validation("button.url", "must be a full link such as https://example.com"))?;
            match parsed.scheme() {
                "http" | "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => {}
                "tg" => {}
                "http" | "https" => return Err(Error::validation("button.url", "the link has no host")),
                _ => return Err(Error::validation("button.url", "must start with http://, https:// or tg://")),
            }
            Ok(BroadcastButton::Url { text: text.to_owned(), url: url.to_owned() })
        }
    }
}

/// The title a broadcast gets when the admin gives none: the first non-empty line of its
/// visible text (tags dropped, entities decoded), trimmed, at most [`MAX_TITLE_CHARS`]
/// characters. The migration that introduced titles gave existing broadcasts the same.
pub fn default_title(html: &str) -> String {
    let visible = crate::telegram_html::visible_text(html);
    let line = visible.trim_start().lines().next().unwrap_or_default().trim();
    line.chars().take(MAX_TITLE_CHARS).collect::<String>().trim_end().to_owned()
}

fn validate_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::validation("title", "must not be empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::validation("title", format!("must be at most {MAX_TITLE_CHARS} characters")));
    }
    Ok(title.to_owned())
}

/// A broadcast to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewBroadcast {
    /// What the panel calls it; absent for the first line of the text.
    pub title: Option<String>,
    #[serde(flatten)]
    pub content: Content,
    pub segment: Segment,
    /// When to start; `None` for at once.
    pub send_at: Option<DateTime<Utc>>,
}

impl NewBroadcast {
    /// A text to `segment` at once, titled by its first line.
    pub fn new(text: impl Into<String>, segment: Segment) -> Self {
        Self { title: None, content: Content::text(text), segment, send_at: None }
    }
}

/// Creates a broadcast and its `BroadcastCreated` event in one transaction, so the event worker
/// can never miss it. A scheduled broadcast's event becomes due at its send time.
pub async fn create(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    new: &NewBroadcast,
    now: DateTime<Utc>,
) -> Result<Broadcast> {
    let content = new.content.validated()?;
    let title = match new.title.as_deref() {
        Some(title) => validate_title(title)?,
        None => default_title(&content.text),
    };
    if new.send_at.is_some_and(|t| t < now - chrono::Duration::minutes(1)) {
        return Err(Error::validation("send_at", "must not be in the past"));
    }
    let segment = serde_json::to_string(&new.segment).map_err(|e| Error::validation("segment", e.to_string()))?;
    let button = content
        .button
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::validation("button", e.to_string()))?;
    let mut tx = begin_write(pool).await?;
    if let Some(photo_id) = content.photo_id {
        crate::broadcast_photos::check_exists(&mut tx, photo_id).await?;
    }
    segments::check_exists(&mut tx, &new.segment).await?;
    let broadcast: Broadcast = sqlx::query_as(
        "INSERT INTO broadcasts (title, text, text_en, button, photo_id, segment, send_at, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(&title)
    .bind(&content.text)
    .bind(&content.text_en)
    .bind(button)
    .bind(content.photo_id)
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
        serde_json::json!({
            "title": title,
            "segment": new.segment,
            "send_at": new.send_at,
            "english": content.text_en.is_some(),
            "button": content.button,
            "photo_id": content.photo_id,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(broadcast)
}

/// Renames a broadcast (the title is the panel's only; nothing is sent).
pub async fn rename(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    id: i64,
    title: &str,
    now: DateTime<Utc>,
) -> Result<Broadcast> {
    let title = validate_title(title)?;
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    let broadcast = sqlx::query_as("UPDATE broadcasts SET title = ? WHERE id = ? RETURNING *")
        .bind(&title)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "broadcast.rename",
        "broadcast",
        Some(id),
        serde_json::json!({ "from": before.title, "to": title }),
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
