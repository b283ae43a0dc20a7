//! Listing a broadcast's deliveries for admins, each with its candidate's name and username, so
//! the panel shows people rather than ids.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::Result;
use crate::models::{Delivery, DeliveryStatus};

/// A delivery with whom it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DeliveryRow {
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub delivery: Delivery,
    pub first_name: String,
    pub last_name: Option<String>,
    /// Telegram username without `@` (`None` when the candidate has none).
    pub username: Option<String>,
}

/// A page of a broadcast's deliveries, optionally of one status, with the total.
pub async fn list_for_broadcast(
    pool: &SqlitePool,
    broadcast_id: i64,
    status: Option<DeliveryStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DeliveryRow>, i64)> {
    let total =
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE broadcast_id = ?1 AND (?2 IS NULL OR status = ?2)")
            .bind(broadcast_id)
            .bind(status)
            .fetch_one(pool)
            .await?;
    let rows = sqlx::query_as(
        "SELECT d.*, c.first_name, c.last_name, c.username FROM deliveries d JOIN candidates c ON c.id = d.candidate_id
         WHERE d.broadcast_id = ?1 AND (?2 IS NULL OR d.status = ?2) ORDER BY d.id LIMIT ?3 OFFSET ?4",
    )
    .bind(broadcast_id)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}
