//! The interviewers of slots. A slot has none, one, or several (a panel interview). An
//! interviewer is busy during every slot of theirs that holds an active booking; a slot is
//! bookable only while none of its interviewers is busy at an overlapping time in another slot,
//! and the booking transaction checks it again, so no interviewer is ever double-booked.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::error::{ConflictKind, Error, Result};
use crate::models::Slot;
use crate::time::unix;

/// The most interviewers one slot may have.
pub const MAX_PER_SLOT: usize = 10;

/// An interviewer as a slot shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Interviewer {
    pub id: i64,
    /// The display name, or the login.
    pub name: String,
}

/// Checks, inside the caller's transaction, that `ids` are distinct active accounts.
pub(crate) async fn check(conn: &mut SqliteConnection, ids: &[i64]) -> Result<()> {
    if ids.len() > MAX_PER_SLOT {
        return Err(Error::validation("interviewer_ids", format!("at most {MAX_PER_SLOT} interviewers per slot")));
    }
    let mut seen = ids.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != ids.len() {
        return Err(Error::validation("interviewer_ids", "an interviewer is listed twice"));
    }
    for id in ids {
        let active: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM admins WHERE id = ? AND deactivated_at IS NULL)")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if !active {
            return Err(Error::validation("interviewer_ids", format!("no active account {id}")));
        }
    }
    Ok(())
}

/// Gives a slot its interviewers (replacing any), inside the caller's transaction.
pub(crate) async fn set(conn: &mut SqliteConnection, slot_id: i64, ids: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM slot_interviewers WHERE slot_id = ?").bind(slot_id).execute(&mut *conn).await?;
    for id in ids {
        sqlx::query("INSERT INTO slot_interviewers (slot_id, admin_id) VALUES (?, ?)")
            .bind(slot_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The SQL condition, on a slot aliased `s`, that one of its interviewers is busy: they are an
/// interviewer of another slot overlapping it that holds an active booking.
pub(crate) const BUSY: &str = "EXISTS (
    SELECT 1 FROM slot_interviewers mine
      JOIN slot_interviewers theirs ON theirs.admin_id = mine.admin_id AND theirs.slot_id != mine.slot_id
      JOIN slots o ON o.id = theirs.slot_id
     WHERE mine.slot_id = s.id AND o.status = 'open'
       AND o.starts_at < s.starts_at + s.duration_minutes * 60
       AND s.starts_at < o.starts_at + o.duration_minutes * 60
       AND EXISTS (SELECT 1 FROM bookings ob WHERE ob.slot_id = o.id AND ob.status = 'active'))";

/// Inside the booking transaction: refuses `slot` when one of its interviewers is busy, not
/// counting `replacing` (the booking a move is about to free).
pub(crate) async fn check_free(conn: &mut SqliteConnection, slot: &Slot, replacing: Option<i64>) -> Result<()> {
    let sql = format!(
        "SELECT {} FROM slots s WHERE s.id = ?",
        BUSY.replace("ob.status = 'active'", "ob.status = 'active' AND ob.id IS NOT ?")
    );
    let busy: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(replacing).bind(slot.id).fetch_one(conn).await?;
    if busy {
        return Err(Error::conflict(
            ConflictKind::InterviewerBusy,
            "an interviewer of the slot has another interview then",
        ));
    }
    Ok(())
}

/// The interviewers of a slot, by name.
pub async fn of_slot(pool: &SqlitePool, slot_id: i64) -> Result<Vec<Interviewer>> {
    Ok(sqlx::query_as(
        "SELECT a.id, COALESCE(a.display_name, a.username) AS name
           FROM slot_interviewers si JOIN admins a ON a.id = si.admin_id
          WHERE si.slot_id = ? ORDER BY name COLLATE NOCASE, a.id",
    )
    .bind(slot_id)
    .fetch_all(pool)
    .await?)
}

/// Whether `admin_id` is an interviewer of `slot_id`.
pub async fn is_interviewer_of(pool: &SqlitePool, admin_id: i64, slot_id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM slot_interviewers WHERE slot_id = ? AND admin_id = ?)")
        .bind(slot_id)
        .bind(admin_id)
        .fetch_one(pool)
        .await?)
}

/// Whether `admin_id` interviews (or interviewed) `candidate_id`: one of their slots holds a
/// booking of the candidate.
pub async fn interviews_candidate(pool: &SqlitePool, admin_id: i64, candidate_id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM bookings b JOIN slot_interviewers si ON si.slot_id = b.slot_id
                         WHERE b.candidate_id = ? AND si.admin_id = ?)",
    )
    .bind(candidate_id)
    .bind(admin_id)
    .fetch_one(pool)
    .await?)
}

/// Accounts that can interview (every active one), for the slot forms.
pub async fn candidates_for_panel(pool: &SqlitePool) -> Result<Vec<Interviewer>> {
    Ok(sqlx::query_as(
        "SELECT id, COALESCE(display_name, username) AS name FROM admins WHERE deactivated_at IS NULL
          ORDER BY role != 'interviewer', name COLLATE NOCASE, id",
    )
    .fetch_all(pool)
    .await?)
}

/// The upcoming interviews of an interviewer, `[from, to)`, soonest first: the ids of their
/// slots.
pub async fn slots_of(pool: &SqlitePool, admin_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM slots s JOIN slot_interviewers si ON si.slot_id = s.id
          WHERE si.admin_id = ? AND s.status <> 'deleted' AND s.starts_at >= ? AND s.starts_at < ?
          ORDER BY s.starts_at, s.id",
    )
    .bind(admin_id)
    .bind(unix(from))
    .bind(unix(to))
    .fetch_all(pool)
    .await?)
}
