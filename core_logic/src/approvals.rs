//! The no-show policy (issue 15): after `NO_SHOW_LIMIT` no-shows (0 = off) a candidate needs a
//! recruiter's approval to book. They ask in the bot; the request waits in the panel; the
//! approval (valid until their next no-show) or the refusal is told to them in Telegram.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::config::BookingRules;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::ApprovalStatus;
use crate::notifications::{self, Notification};
use crate::time::unix;

/// `Some(no-shows)` when the candidate needs an approval to book now: they missed at least
/// `NO_SHOW_LIMIT` interviews and no approval was given since the last one.
pub async fn needs_approval(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    candidate_id: i64,
) -> Result<Option<i64>> {
    let limit = i64::from(rules.waitlist.no_show_limit);
    if limit == 0 {
        return Ok(None);
    }
    let (no_shows, last): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(COALESCE(attendance_marked_at, updated_at)) FROM bookings
         WHERE candidate_id = ? AND status = 'no_show'",
    )
    .bind(candidate_id)
    .fetch_one(&mut *conn)
    .await?;
    if no_shows < limit {
        return Ok(None);
    }
    let approved: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM booking_approvals
                         WHERE candidate_id = ? AND status = 'approved' AND decided_at >= ?)",
    )
    .bind(candidate_id)
    .bind(last.unwrap_or(0))
    .fetch_one(&mut *conn)
    .await?;
    Ok((!approved).then_some(no_shows))
}

/// [`needs_approval`] on the pool.
pub async fn needs_approval_now(pool: &SqlitePool, rules: &BookingRules, candidate_id: i64) -> Result<Option<i64>> {
    let mut conn = pool.acquire().await?;
    needs_approval(&mut conn, rules, candidate_id).await
}

/// A request as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ApprovalView {
    pub id: i64,
    pub candidate_id: i64,
    pub candidate_name: String,
    pub username: Option<String>,
    /// The candidate's no-shows when they asked.
    pub no_shows: i64,
    pub status: ApprovalStatus,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by_name: Option<String>,
}

const VIEW: &str =
    "SELECT r.id, r.candidate_id, TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')) AS candidate_name,
        c.username, r.no_shows, r.status, r.requested_at, r.decided_at,
        COALESCE(a.display_name, a.username) AS decided_by_name
   FROM booking_approvals r
   JOIN candidates c ON c.id = r.candidate_id
   LEFT JOIN admins a ON a.id = r.decided_by";

/// What asking did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// A new request waits for a recruiter; the candidate's no-shows.
    Requested(i64),
    /// A request was already waiting.
    AlreadyWaiting,
    /// No approval is needed (any more).
    NotNeeded,
}

/// The candidate asks a recruiter to let them book.
pub async fn request(pool: &SqlitePool, rules: &BookingRules, candidate_id: i64, now: DateTime<Utc>) -> Result<Asked> {
    let mut tx = begin_write(pool).await?;
    let Some(no_shows) = needs_approval(&mut tx, rules, candidate_id).await? else { return Ok(Asked::NotNeeded) };
    let inserted = sqlx::query(
        "INSERT INTO booking_approvals (candidate_id, no_shows, requested_at) VALUES (?, ?, ?)
         ON CONFLICT (candidate_id) WHERE status = 'requested' DO NOTHING",
    )
    .bind(candidate_id)
    .bind(no_shows)
    .bind(unix(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(if inserted > 0 { Asked::Requested(no_shows) } else { Asked::AlreadyWaiting })
}

/// The requests, newest first; with `status`, only those.
pub async fn list(pool: &SqlitePool, status: Option<ApprovalStatus>) -> Result<Vec<ApprovalView>> {
    let sql = format!("{VIEW} WHERE (?1 IS NULL OR r.status = ?1) ORDER BY r.requested_at DESC, r.id DESC LIMIT 500");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(status).fetch_all(pool).await?)
}

/// One candidate's requests, newest first.
pub async fn of_candidate(pool: &SqlitePool, candidate_id: i64) -> Result<Vec<ApprovalView>> {
    let sql = format!("{VIEW} WHERE r.candidate_id = ? ORDER BY r.requested_at DESC, r.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(candidate_id).fetch_all(pool).await?)
}

/// A recruiter approves or refuses a waiting request (audited); the candidate is told.
pub async fn decide(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    id: i64,
    approve: bool,
    now: DateTime<Utc>,
) -> Result<ApprovalView> {
    let mut tx = begin_write(pool).await?;
    let status = if approve { ApprovalStatus::Approved } else { ApprovalStatus::Refused };
    let current: ApprovalStatus = sqlx::query_scalar("SELECT status FROM booking_approvals WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("approval", id))?;
    if current != ApprovalStatus::Requested {
        return Err(Error::conflict(ConflictKind::ApprovalDecided, format!("the request is already {current}")));
    }
    let candidate_id: i64 = sqlx::query_scalar(
        "UPDATE booking_approvals SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? RETURNING candidate_id",
    )
    .bind(status)
    .bind(unix(now))
    .bind(admin_id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    notifications::queue(&mut tx, candidate_id, &Notification::ApprovalDecided { approved: approve }, now).await?;
    let action = if approve { "approval.approve" } else { "approval.refuse" };
    audit::record(
        &mut tx,
        now,
        admin_id,
        action,
        "approval",
        Some(id),
        serde_json::json!({ "candidate_id": candidate_id }),
    )
    .await?;
    let sql = format!("{VIEW} WHERE r.id = ?");
    let view = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(view)
}
