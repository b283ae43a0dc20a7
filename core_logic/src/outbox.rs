//! The transactional outbox: an event is written in the same transaction as the change it
//! announces, and the event worker in `api_server` processes it later, at least once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use crate::time::unix;

/// What happened, for the event worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A broadcast was created: resolve its recipients, write and publish their deliveries.
    BroadcastCreated { broadcast_id: i64 },
    /// One delivery (a notification or a test send) was written: publish it.
    DeliveryCreated { delivery_id: i64 },
}

impl Event {
    fn kind(&self) -> &'static str {
        match self {
            Self::BroadcastCreated { .. } => "broadcast_created",
            Self::DeliveryCreated { .. } => "delivery_created",
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxEvent {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub created_at: DateTime<Utc>,
    pub available_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

impl OutboxEvent {
    /// The event, or why its payload does not parse.
    pub fn event(&self) -> Result<Event, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// Writes `event`, to be processed not before `available_at`. Call inside the transaction of the
/// change the event announces.
pub async fn insert(
    conn: &mut SqliteConnection,
    event: &Event,
    now: DateTime<Utc>,
    available_at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let payload = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let id = sqlx::query_scalar(
        "INSERT INTO outbox_events (kind, payload, created_at, available_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(event.kind())
    .bind(payload)
    .bind(unix(now))
    .bind(unix(available_at))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The oldest unprocessed event that is due, if any.
pub async fn next_due(pool: &SqlitePool, now: DateTime<Utc>) -> Result<Option<OutboxEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM outbox_events WHERE processed_at IS NULL AND available_at <= ?
         ORDER BY available_at, id LIMIT 1",
    )
    .bind(unix(now))
    .fetch_optional(pool)
    .await
}

/// Marks an event done.
pub async fn mark_processed(pool: &SqlitePool, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE outbox_events SET processed_at = ? WHERE id = ?").bind(unix(now)).bind(id),
    )
    .await?;
    Ok(())
}

/// Records a failed attempt and postpones the event until `retry_at`.
pub async fn record_failure(
    pool: &SqlitePool,
    id: i64,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::write(
        pool,
        sqlx::query("UPDATE outbox_events SET attempts = attempts + 1, last_error = ?, available_at = ? WHERE id = ?")
            .bind(error)
            .bind(unix(retry_at))
            .bind(id),
    )
    .await?;
    Ok(())
}

/// Seconds since the oldest due, unprocessed event became due (0 when there is none): the lag.
pub async fn lag_seconds(pool: &SqlitePool, now: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    let oldest: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(available_at) FROM outbox_events WHERE processed_at IS NULL AND available_at <= ?",
    )
    .bind(unix(now))
    .fetch_one(pool)
    .await?;
    Ok(oldest.map_or(0, |t| (unix(now) - t).max(0)))
}
