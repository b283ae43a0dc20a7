//! Reading back what the services did, straight from the database: deliveries by status, the
//! broadcast's status, who became unreachable, what is left on the embedded queue.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::SqlitePool;

/// Every delivery status, so that counts show the zeros too.
pub const DELIVERY_STATUSES: [&str; 7] = ["pending", "published", "sending", "sent", "failed", "blocked", "cancelled"];
/// The statuses a delivery never leaves.
pub const FINAL_STATUSES: [&str; 4] = ["sent", "failed", "blocked", "cancelled"];

/// Counts by status with every status present: those given, zero for the others.
pub fn counts_of(given: &[(&str, i64)]) -> BTreeMap<String, i64> {
    let mut counts: BTreeMap<String, i64> = DELIVERY_STATUSES.iter().map(|s| ((*s).to_owned(), 0)).collect();
    counts.extend(given.iter().map(|(status, n)| ((*status).to_owned(), *n)));
    counts
}

/// A broadcast's deliveries counted by status (every status present, zeros included).
pub async fn delivery_counts(pool: &SqlitePool, broadcast_id: i64) -> BTreeMap<String, i64> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status")
            .bind(broadcast_id)
            .fetch_all(pool)
            .await
            .expect("count the deliveries by status");
    let mut counts = counts_of(&[]);
    counts.extend(rows);
    counts
}

/// `(delivery id, chat id, status)` of every delivery of a broadcast, by id.
pub async fn deliveries(pool: &SqlitePool, broadcast_id: i64) -> Vec<(i64, i64, String)> {
    sqlx::query_as(
        "SELECT d.id, c.chat_id, d.status FROM deliveries d JOIN candidates c ON c.id = d.candidate_id
         WHERE d.broadcast_id = ? ORDER BY d.id",
    )
    .bind(broadcast_id)
    .fetch_all(pool)
    .await
    .expect("read the deliveries")
}

/// The ids of a broadcast's deliveries in one of `statuses`.
pub async fn delivery_ids_in(pool: &SqlitePool, broadcast_id: i64, statuses: &[&str]) -> BTreeSet<i64> {
    deliveries(pool, broadcast_id)
        .await
        .into_iter()
        .filter(|(_, _, status)| statuses.contains(&status.as_str()))
        .map(|(id, _, _)| id)
        .collect()
}

/// The broadcast's status (`scheduled`, `sending`, `completed`, `cancelled`...).
pub async fn broadcast_status(pool: &SqlitePool, broadcast_id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM broadcasts WHERE id = ?")
        .bind(broadcast_id)
        .fetch_one(pool)
        .await
        .expect("read the broadcast's status")
}

/// The chat ids of candidates marked unreachable (they blocked the bot).
pub async fn unreachable_chats(pool: &SqlitePool) -> BTreeSet<i64> {
    sqlx::query_scalar("SELECT chat_id FROM candidates WHERE status = 'unreachable'")
        .fetch_all(pool)
        .await
        .expect("read the unreachable candidates")
        .into_iter()
        .collect()
}

/// Messages of the embedded queue `queue` not yet acked or dead-lettered (ready or leased).
pub async fn embedded_queue_len(pool: &SqlitePool, queue: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM queue_messages WHERE queue = ? AND dead_at IS NULL")
        .bind(queue)
        .fetch_one(pool)
        .await
        .expect("count the embedded queue's messages")
}
