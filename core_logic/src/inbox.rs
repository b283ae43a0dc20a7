//! The inbox: what candidates write to the bot (free text, photos, documents) is stored as
//! conversation messages, one conversation per candidate; recruiters read them in the panel and
//! reply. A reply is a notification delivery ([`Notification::Reply`]) written in the same
//! transaction as the message and its audit entry, so it travels the queue like every other
//! message, and the reply's status is its delivery's status.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use crate::audit;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::{AttachmentKind, CandidateStatus, DeliveryStatus, MessageDirection};
use crate::notifications::{self, Notification};
use crate::time::unix;

/// Telegram's limit on a message's visible length, in characters: the longest reply.
pub const MAX_REPLY_CHARS: usize = 4096;

/// The most of an incoming text that is kept. Telegram sends at most 4096 characters in a
/// message (1024 in a caption); anything longer is cut, never refused.
const MAX_INCOMING_CHARS: usize = 4096;

/// What a candidate sent the bot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Incoming {
    /// The text, or the caption of the attachment.
    pub text: Option<String>,
    pub attachment: Option<Attachment>,
}

/// A photo or a document a candidate sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub kind: AttachmentKind,
    /// Telegram's file_id (of a photo's largest size).
    pub file_id: String,
    /// A document's file name.
    pub file_name: Option<String>,
}

/// One message of a conversation, as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ConversationMessage {
    pub id: i64,
    pub candidate_id: i64,
    /// `in`: the candidate wrote it; `out`: a recruiter's reply.
    pub direction: MessageDirection,
    /// The text, or the caption of the attachment.
    pub text: Option<String>,
    pub attachment_kind: Option<AttachmentKind>,
    /// A document's file name.
    pub file_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Incoming: when a recruiter opened the conversation; `None` while unread.
    pub read_at: Option<DateTime<Utc>>,
    /// A reply's delivery.
    pub delivery_id: Option<i64>,
    /// A reply's delivery status: where it is on its way to the candidate.
    pub delivery_status: Option<DeliveryStatus>,
    /// The recruiter who replied (`None` for incoming messages, or a deleted admin).
    pub admin_username: Option<String>,
}

/// One candidate's conversation in the inbox list: who, the last message, how many unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ConversationSummary {
    pub candidate_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    /// The Telegram username, without `@`.
    pub username: Option<String>,
    pub candidate_status: CandidateStatus,
    pub last_message_id: i64,
    pub last_direction: MessageDirection,
    pub last_text: Option<String>,
    pub last_attachment_kind: Option<AttachmentKind>,
    pub last_file_name: Option<String>,
    pub last_at: DateTime<Utc>,
    /// Incoming messages not read yet.
    pub unread: i64,
}

/// A page of the inbox list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversations {
    /// Newest conversation (by its last message) first.
    pub items: Vec<ConversationSummary>,
    /// Conversations in all.
    pub total: i64,
    /// Unread incoming messages in all conversations.
    pub total_unread: i64,
}

/// A page of one candidate's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConversationPage {
    /// Oldest to newest.
    pub items: Vec<ConversationMessage>,
    /// Messages in the conversation in all.
    pub total: i64,
    /// Whether messages older than the first of `items` exist (ask with `before` = its id).
    pub has_older: bool,
    /// Incoming messages not read yet.
    pub unread: i64,
}

const MESSAGE_SELECT: &str = "SELECT m.id, m.candidate_id, m.direction, m.text, m.attachment_kind, m.file_name,
        m.created_at, m.read_at, m.delivery_id, d.status AS delivery_status, a.username AS admin_username
   FROM conversation_messages m
   LEFT JOIN deliveries d ON d.id = m.delivery_id
   LEFT JOIN admins a ON a.id = m.admin_id";

/// Stores what a candidate wrote; unread until a recruiter opens the conversation.
pub async fn record_incoming(
    pool: &SqlitePool,
    candidate_id: i64,
    incoming: &Incoming,
    now: DateTime<Utc>,
) -> Result<ConversationMessage> {
    let text = incoming
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(MAX_INCOMING_CHARS).collect::<String>());
    if text.is_none() && incoming.attachment.is_none() {
        return Err(Error::validation("text", "a message needs a text or an attachment"));
    }
    let attachment = incoming.attachment.as_ref();
    let mut tx = begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversation_messages (candidate_id, direction, text, attachment_kind, file_id, file_name, created_at)
         VALUES (?, 'in', ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(candidate_id)
    .bind(&text)
    .bind(attachment.map(|a| a.kind))
    .bind(attachment.map(|a| a.file_id.as_str()))
    .bind(attachment.and_then(|a| a.file_name.as_deref()))
    .bind(unix(now))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    message(pool, id).await
}

/// One message by id.
pub async fn message(pool: &SqlitePool, id: i64) -> Result<ConversationMessage> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{MESSAGE_SELECT} WHERE m.id = ?")))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("message", id))
}

/// The conversations, the one with the newest message first, with how many conversations and
/// unread messages there are in all.
pub async fn conversations(pool: &SqlitePool, limit: i64, offset: i64) -> Result<Conversations> {
    let (total, total_unread): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(DISTINCT candidate_id) FROM conversation_messages),
                (SELECT COUNT(*) FROM conversation_messages WHERE direction = 'in' AND read_at IS NULL)",
    )
    .fetch_one(pool)
    .await?;
    let items = sqlx::query_as(
        "SELECT c.id AS candidate_id, c.first_name, c.last_name, c.username, c.status AS candidate_status,
                m.id AS last_message_id, m.direction AS last_direction, m.text AS last_text,
                m.attachment_kind AS last_attachment_kind, m.file_name AS last_file_name, m.created_at AS last_at,
                (SELECT COUNT(*) FROM conversation_messages u
                  WHERE u.candidate_id = c.id AND u.direction = 'in' AND u.read_at IS NULL) AS unread
           FROM (SELECT candidate_id, MAX(id) AS last_id FROM conversation_messages GROUP BY candidate_id) l
           JOIN conversation_messages m ON m.id = l.last_id
           JOIN candidates c ON c.id = l.candidate_id
          ORDER BY m.id DESC
          LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok(Conversations { items, total, total_unread })
}

/// A page of a candidate's conversation: the newest `limit` messages, or the `limit` before
/// the message `before`, oldest to newest.
pub async fn conversation(
    pool: &SqlitePool,
    candidate_id: i64,
    limit: i64,
    before: Option<i64>,
) -> Result<ConversationPage> {
    let (exists, total, unread): (bool, i64, i64) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM candidates WHERE id = ?1),
                (SELECT COUNT(*) FROM conversation_messages WHERE candidate_id = ?1),
                (SELECT COUNT(*) FROM conversation_messages
                  WHERE candidate_id = ?1 AND direction = 'in' AND read_at IS NULL)",
    )
    .bind(candidate_id)
    .fetch_one(pool)
    .await?;
    if !exists {
        return Err(Error::not_found("candidate", candidate_id));
    }
    let mut items: Vec<ConversationMessage> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MESSAGE_SELECT} WHERE m.candidate_id = ?1 AND (?2 IS NULL OR m.id < ?2) ORDER BY m.id DESC LIMIT ?3"
    )))
    .bind(candidate_id)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    let has_older = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    items.reverse();
    Ok(ConversationPage { items, total, has_older, unread })
}

/// A recruiter opened the conversation: its incoming messages are read. Returns how many were
/// unread.
pub async fn mark_read(pool: &SqlitePool, candidate_id: i64, now: DateTime<Utc>) -> Result<u64> {
    let mut tx = begin_write(pool).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM candidates WHERE id = ?)")
        .bind(candidate_id)
        .fetch_one(&mut *tx)
        .await?;
    if !exists {
        return Err(Error::not_found("candidate", candidate_id));
    }
    let read = sqlx::query(
        "UPDATE conversation_messages SET read_at = ?
          WHERE candidate_id = ? AND direction = 'in' AND read_at IS NULL",
    )
    .bind(unix(now))
    .bind(candidate_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(read)
}

/// The text of a reply, trimmed, or why it cannot be sent.
pub fn validate_reply(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::validation("text", "the reply is empty: write something to send"));
    }
    let chars = text.chars().count();
    if chars > MAX_REPLY_CHARS {
        return Err(Error::validation(
            "text",
            format!("the reply is {chars} characters long; Telegram takes at most {MAX_REPLY_CHARS}"),
        ));
    }
    Ok(text)
}

/// A recruiter replies to a candidate: in one transaction the outgoing message, its
/// notification delivery (with the outbox event that puts it on the queue) and the audit entry.
/// A candidate who blocked the bot, or whom an admin blocked, cannot be sent anything: 409.
pub async fn reply(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    candidate_id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ConversationMessage> {
    let text = validate_reply(text)?;
    let mut tx = begin_write(pool).await?;
    let status: Option<CandidateStatus> = sqlx::query_scalar("SELECT status FROM candidates WHERE id = ?")
        .bind(candidate_id)
        .fetch_optional(&mut *tx)
        .await?;
    match status {
        None => return Err(Error::not_found("candidate", candidate_id)),
        Some(CandidateStatus::Active) => {}
        Some(CandidateStatus::Unreachable) => {
            return Err(Error::conflict(
                ConflictKind::CandidateNotActive,
                "the candidate blocked the bot: nothing reaches them until they write to it again",
            ));
        }
        Some(CandidateStatus::Blocked) => {
            return Err(Error::conflict(
                ConflictKind::CandidateNotActive,
                "the candidate is blocked: unblock them to reply",
            ));
        }
    }
    let notification = Notification::Reply { text: text.to_owned() };
    let delivery_id = notifications::queue(&mut tx, candidate_id, &notification, now).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversation_messages (candidate_id, direction, text, created_at, delivery_id, admin_id)
         VALUES (?, 'out', ?, ?, ?, ?) RETURNING id",
    )
    .bind(candidate_id)
    .bind(text)
    .bind(unix(now))
    .bind(delivery_id)
    .bind(admin_id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "inbox.reply",
        "candidate",
        Some(candidate_id),
        serde_json::json!({ "message_id": id, "delivery_id": delivery_id, "chars": text.chars().count() }),
    )
    .await?;
    tx.commit().await?;
    message(pool, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_trimmed_and_held_to_telegrams_limit() {
        assert!(matches!(validate_reply("  привет \n"), Ok("привет")));
        assert!(matches!(validate_reply(" \n\t"), Err(Error::Validation { field: "text", .. })));
        // Characters, not bytes: 4096 Cyrillic letters are 8192 bytes and still fit.
        assert!(validate_reply(&"я".repeat(MAX_REPLY_CHARS)).is_ok());
        assert!(matches!(validate_reply(&"я".repeat(MAX_REPLY_CHARS + 1)), Err(Error::Validation { .. })));
    }
}
