//! Deliveries: one message to one candidate. The event worker publishes them; the broadcast
//! worker claims each under a lease (`sending`), calls Telegram, and records the result. Final
//! states (sent, failed, blocked, cancelled) are never left, so a redelivered queue message is
//! harmless.
//!
//! The rules (docs/decisions.md, "Delivery leases"):
//! - A claim is a lease of [`LEASE`] with a random token. A delivery `sending` under a valid lease
//!   is never claimed again: a second copy of its queue message is answered [`Claim::Leased`] and
//!   not sent. An expired lease is taken over by the next claim.
//! - The holder extends its lease while the send takes ([`extend_leases`]), so a slow send (a
//!   429's `retry_after`, retries after 5xx) keeps it.
//! - A result is recorded only by the lease holder (its token), or on a row the sweeper gave back
//!   to the queue and nobody claimed since; otherwise the record answers [`Recorded::LeaseLost`].
//! - The sweeper ([`sweep_expired`]) republishes deliveries whose lease ran out (the bot died
//!   mid-send, or lost the database for longer than a lease), so no row stays `sending` forever
//!   and every broadcast reaches a final status.

mod claim;
mod lease;
mod record;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

pub use self::claim::{Claim, DeliveryToSend, claim, claim_many};
pub use self::lease::{SweepError, expired_leases, extend_leases, sweep_expired};
pub use self::record::{Record, Recorded, SendOutcome, fail, record, record_many};
use crate::error::{Error, Result};
use crate::models::Delivery;
use crate::time::unix;

/// How long a claim holds a delivery without being extended. The holder extends it every
/// [`LEASE_HEARTBEAT`]; after a crash the delivery is sent again once this has passed.
pub const LEASE: Duration = Duration::from_secs(20);

/// How often the holder of leases extends them.
pub const LEASE_HEARTBEAT: Duration = Duration::from_secs(5);

/// One delivery.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Delivery> {
    sqlx::query_as("SELECT * FROM deliveries WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("delivery", id))
}

/// Ids of a broadcast's deliveries still waiting to be published, after `after_id`, in order.
pub async fn pending_ids(pool: &SqlitePool, broadcast_id: i64, after_id: i64, limit: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM deliveries WHERE broadcast_id = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT ?",
    )
    .bind(broadcast_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records that the broker confirmed these deliveries.
pub async fn mark_published(pool: &SqlitePool, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
    crate::db::write(
        pool,
        sqlx::query(
            "UPDATE deliveries SET status = 'published', published_at = ?1, updated_at = ?1
         WHERE status = 'pending' AND id IN (SELECT value FROM json_each(?2))",
        )
        .bind(unix(now))
        .bind(json_ids(ids)),
    )
    .await?;
    Ok(())
}

/// The latest deliveries to a candidate, newest first.
pub async fn recent_for_candidate(pool: &SqlitePool, candidate_id: i64, limit: i64) -> Result<Vec<Delivery>> {
    Ok(sqlx::query_as("SELECT * FROM deliveries WHERE candidate_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
        .bind(candidate_id)
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

/// A JSON array of ids, for `json_each` in one statement instead of one statement per id.
pub(crate) fn json_ids(ids: &[i64]) -> String {
    let mut out = String::with_capacity(ids.len() * 8 + 2);
    out.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&id.to_string());
    }
    out.push(']');
    out
}

/// A random lease token (128 bits, hex).
pub(crate) fn new_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}
