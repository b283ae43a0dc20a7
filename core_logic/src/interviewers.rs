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

/// One window of an interviewer's working week, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkingWindow {
    /// 1 = Monday ... 7 = Sunday.
    pub weekday: u8,
    pub start: chrono::NaiveTime,
    pub end: chrono::NaiveTime,
}

fn minute(t: chrono::NaiveTime) -> i64 {
    use chrono::Timelike;
    i64::from(t.hour() * 60 + t.minute())
}

/// An interviewer's working hours (empty: any time).
pub async fn working_hours(pool: &SqlitePool, admin_id: i64) -> Result<Vec<WorkingWindow>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT weekday, start_minute, end_minute FROM working_hours WHERE admin_id = ? ORDER BY weekday, start_minute",
    )
    .bind(admin_id)
    .fetch_all(pool)
    .await?;
    let at = |m: i64| {
        let m = u32::try_from(m.clamp(0, 1439)).unwrap_or(0);
        chrono::NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|(d, s, e)| WorkingWindow {
            weekday: u8::try_from(d).unwrap_or(1),
            start: at(s),
            // 24:00 reads back as 23:59.
            end: if e >= 1440 { at(1439) } else { at(e) },
        })
        .collect())
}

/// Replaces an interviewer's working hours; audited.
pub async fn set_working_hours(
    pool: &SqlitePool,
    by: Option<i64>,
    admin_id: i64,
    windows: &[WorkingWindow],
    now: DateTime<Utc>,
) -> Result<Vec<WorkingWindow>> {
    if windows.len() > 50 {
        return Err(Error::validation("windows", "at most 50 windows"));
    }
    for w in windows {
        if !(1..=7).contains(&w.weekday) {
            return Err(Error::validation("weekday", "1 (Monday) to 7 (Sunday)"));
        }
        if w.end <= w.start {
            return Err(Error::validation("end", "each window must end after it starts"));
        }
    }
    let mut tx = crate::db::begin_write(pool).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM admins WHERE id = ?)")
        .bind(admin_id)
        .fetch_one(&mut *tx)
        .await?;
    if !exists {
        return Err(Error::not_found("account", admin_id));
    }
    sqlx::query("DELETE FROM working_hours WHERE admin_id = ?").bind(admin_id).execute(&mut *tx).await?;
    for w in windows {
        sqlx::query("INSERT INTO working_hours (admin_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)")
            .bind(admin_id)
            .bind(w.weekday)
            .bind(minute(w.start))
            .bind(minute(w.end))
            .execute(&mut *tx)
            .await?;
    }
    crate::audit::record(
        &mut tx,
        now,
        by,
        "account.working_hours",
        "admin",
        Some(admin_id),
        crate::audit::details(windows)?,
    )
    .await?;
    tx.commit().await?;
    working_hours(pool, admin_id).await
}
