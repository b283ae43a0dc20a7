//! Claiming deliveries for sending, under a lease.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use super::{LEASE, json_ids, new_token};
use crate::broadcasts;
use crate::error::Result;
use crate::models::{DeliveryKind, DeliveryStatus};
use crate::time::{chrono_dur, unix};

/// What the broadcast worker needs to send one delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryToSend {
    pub id: i64,
    pub kind: DeliveryKind,
    pub broadcast_id: Option<i64>,
    pub candidate_id: i64,
    pub chat_id: i64,
    pub language: String,
    /// The broadcast's HTML for broadcasts, in the candidate's language: English when the
    /// candidate speaks English and the broadcast has an English text, else Russian.
    pub text: Option<String>,
    /// The broadcast's button, as JSON (`core_logic::broadcasts::BroadcastButton`).
    pub button: Option<String>,
    /// The broadcast's photo (`core_logic::broadcast_photos`), sent with the text as caption.
    pub photo_id: Option<i64>,
    /// The notification JSON for notifications.
    pub notification: Option<String>,
    pub attempts: i64,
    /// The claim's token: recording the result and extending the lease need it.
    pub lease: String,
}

/// The outcome of trying to claim a delivery for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Send it now; the lease is ours.
    Send(DeliveryToSend),
    /// Nothing to do: already final, or its broadcast was cancelled (now marked `cancelled`).
    Skip(DeliveryStatus),
    /// Another claim holds a valid lease on it: that holder sends it, or the sweeper republishes
    /// it once the lease runs out. This copy must not be sent.
    Leased { until: DateTime<Utc> },
    /// No such delivery (a message from another deployment's queue?): nothing can ever send it.
    NotFound,
}

/// Claims one delivery; see [`claim_many`].
pub async fn claim(pool: &SqlitePool, id: i64, now: DateTime<Utc>) -> Result<Claim> {
    let mut claims = claim_many(pool, &[id], now).await?;
    Ok(claims.pop().unwrap_or(Claim::NotFound))
}

/// The state of a delivery at claim time.
#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    status: DeliveryStatus,
    lease_until: Option<i64>,
    broadcast_id: Option<i64>,
    stopped: bool,
}

/// Claims deliveries for sending, in one transaction, answering one [`Claim`] per id in the
/// order given: final states are skipped; a delivery whose broadcast was cancelled or whose
/// candidate can no longer be reached is cancelled; one `sending` under a valid lease is
/// [`Claim::Leased`]; every other one becomes `sending` under a new lease of [`LEASE`].
pub async fn claim_many(pool: &SqlitePool, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<Claim>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = crate::db::begin_write(pool).await?;
    let rows: Vec<ClaimRow> = sqlx::query_as(
        "SELECT d.id, d.status, d.lease_until, d.broadcast_id,
                COALESCE(b.status = 'cancelled', 0) OR c.status <> 'active' AS stopped
         FROM deliveries d
         JOIN candidates c ON c.id = d.candidate_id
         LEFT JOIN broadcasts b ON b.id = d.broadcast_id
         WHERE d.id IN (SELECT value FROM json_each(?1))",
    )
    .bind(json_ids(ids))
    .fetch_all(&mut *tx)
    .await?;
    let mut sorted = Sorted::default();
    for row in rows {
        sorted.add(row, now);
    }
    cancel_stopped(&mut tx, &sorted, now).await?;
    let lease_until = now + chrono_dur(LEASE);
    for d in take_leases(&mut tx, &sorted.to_claim, lease_until, now).await? {
        sorted.found.insert(d.id, Some(Claim::Send(d)));
    }
    tx.commit().await?;
    Ok(answer(ids, &sorted.found, lease_until))
}

/// The rows of one claim, sorted by what happens to them.
#[derive(Default)]
struct Sorted {
    /// Every row found: its answer, or `None` while it waits to be claimed.
    found: HashMap<i64, Option<Claim>>,
    /// To mark `cancelled` (their broadcast was cancelled or the candidate is unreachable).
    to_cancel: Vec<i64>,
    /// Broadcasts of those, to complete if nothing else is left.
    stopped_broadcasts: BTreeSet<i64>,
    /// To claim under a new lease.
    to_claim: Vec<i64>,
}

impl Sorted {
    fn add(&mut self, row: ClaimRow, now: DateTime<Utc>) {
        let claim = if row.status.is_final() {
            Some(Claim::Skip(row.status))
        } else if row.stopped {
            self.to_cancel.push(row.id);
            self.stopped_broadcasts.extend(row.broadcast_id);
            Some(Claim::Skip(DeliveryStatus::Cancelled))
        } else if row.status == DeliveryStatus::Sending
            && let Some(until) = row.lease_until.filter(|until| *until > unix(now))
        {
            Some(Claim::Leased { until: DateTime::from_timestamp(until, 0).unwrap_or(now) })
        } else {
            self.to_claim.push(row.id);
            None
        };
        self.found.insert(row.id, claim);
    }
}

/// Cancels the deliveries nobody should receive any more, completing their broadcasts.
async fn cancel_stopped(conn: &mut SqliteConnection, sorted: &Sorted, now: DateTime<Utc>) -> Result<()> {
    if !sorted.to_cancel.is_empty() {
        sqlx::query(
            "UPDATE deliveries SET status = 'cancelled', lease_token = NULL, lease_until = NULL, updated_at = ?1
             WHERE id IN (SELECT value FROM json_each(?2))",
        )
        .bind(unix(now))
        .bind(json_ids(&sorted.to_cancel))
        .execute(&mut *conn)
        .await?;
    }
    for b in &sorted.stopped_broadcasts {
        broadcasts::complete_if_done(conn, *b, now).await?;
    }
    Ok(())
}

/// Marks `ids` `sending` under one new lease, answering what sending each needs.
async fn take_leases(
    conn: &mut SqliteConnection,
    ids: &[i64],
    lease_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<DeliveryToSend>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(
        "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, lease_token = ?1, lease_until = ?2,
                               updated_at = ?3
         WHERE id IN (SELECT value FROM json_each(?4))
         RETURNING id, kind, broadcast_id, candidate_id,
                   (SELECT chat_id FROM candidates WHERE id = candidate_id) AS chat_id,
                   (SELECT language FROM candidates WHERE id = candidate_id) AS language,
                   (SELECT CASE WHEN c.language = 'en' AND b.text_en IS NOT NULL THEN b.text_en ELSE b.text END
                    FROM broadcasts b, candidates c WHERE b.id = broadcast_id AND c.id = candidate_id) AS text,
                   (SELECT button FROM broadcasts WHERE id = broadcast_id) AS button,
                   (SELECT photo_id FROM broadcasts WHERE id = broadcast_id) AS photo_id,
                   notification, attempts, lease_token AS lease",
    )
    .bind(new_token())
    .bind(unix(lease_until))
    .bind(unix(now))
    .bind(json_ids(ids))
    .fetch_all(&mut *conn)
    .await?)
}

/// One answer per id asked, in order. Two copies of one message in one batch: only the first is
/// sent; the second is told the delivery is leased.
fn answer(ids: &[i64], found: &HashMap<i64, Option<Claim>>, lease_until: DateTime<Utc>) -> Vec<Claim> {
    let mut handed_out = BTreeSet::new();
    ids.iter()
        .map(|id| match found.get(id) {
            Some(Some(Claim::Send(d))) => {
                if handed_out.insert(*id) {
                    Claim::Send(d.clone())
                } else {
                    Claim::Leased { until: lease_until }
                }
            }
            Some(Some(claim)) => claim.clone(),
            Some(None) | None => Claim::NotFound,
        })
        .collect()
}
