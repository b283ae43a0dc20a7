//! Listing bookings for admins: filters by interview date range, status, text, slot and
//! candidate; used by the bookings page, the CSV export and a candidate's history.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::Result;
use crate::models::BookingStatus;
use crate::time::unix;

/// Which bookings to list; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookingFilter {
    /// Interviews starting at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Interviews starting before this time.
    pub to: Option<DateTime<Utc>>,
    pub status: Option<BookingStatus>,
    /// Text in the candidate's name, username or Telegram id, or the cancel reason.
    pub text: Option<String>,
    pub slot_id: Option<i64>,
    pub candidate_id: Option<i64>,
    /// Interviews of this account.
    pub interviewer_id: Option<i64>,
}

/// A booking with its slot and candidate, flat, as the panel and the CSV show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct BookingRow {
    pub id: i64,
    pub status: BookingStatus,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<String>,
    pub cancel_reason: Option<String>,
    pub attendance_marked_at: Option<DateTime<Utc>>,
    pub slot_id: i64,
    pub slot_starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub format: String,
    pub location: Option<String>,
    pub candidate_id: i64,
    pub telegram_user_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    /// The vacancy the booking is for.
    pub vacancy_id: Option<i64>,
    pub vacancy_title: Option<String>,
    /// The candidate's answers to that vacancy's questionnaire.
    #[schema(value_type = Option<Vec<crate::questionnaire::Answer>>)]
    pub answers: Option<sqlx::types::Json<Vec<crate::questionnaire::Answer>>>,
    /// When the candidate answered "yes" to the reminder's "will you come?".
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Asked, not answered, and `RECONFIRM_DEADLINE` before the interview came (still active).
    pub unconfirmed: bool,
}

const FROM: &str = "FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN candidates c ON c.id = b.candidate_id
     WHERE (?1 IS NULL OR s.starts_at >= ?1) AND (?2 IS NULL OR s.starts_at < ?2)
       AND (?3 IS NULL OR b.status = ?3)
       AND (?4 IS NULL OR c.first_name LIKE ?4 ESCAPE '\\' OR c.last_name LIKE ?4 ESCAPE '\\'
            OR c.username LIKE ?4 ESCAPE '\\' OR CAST(c.telegram_user_id AS TEXT) LIKE ?4 ESCAPE '\\'
            OR b.cancel_reason LIKE ?4 ESCAPE '\\')
       AND (?5 IS NULL OR b.slot_id = ?5) AND (?6 IS NULL OR b.candidate_id = ?6)
       AND (?7 IS NULL OR EXISTS (SELECT 1 FROM slot_interviewers si WHERE si.slot_id = b.slot_id AND si.admin_id = ?7))";

/// A LIKE pattern matching `text` anywhere, its wildcards taken literally.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped = text.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A page of bookings by interview time (latest first when `newest_first`), and the total.
pub async fn list(
    pool: &SqlitePool,
    filter: &BookingFilter,
    newest_first: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<BookingRow>, i64)> {
    let text = filter.text.as_deref().filter(|t| !t.trim().is_empty()).map(contains_pattern);
    let bind = |sql: String| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(filter.from.map(unix))
            .bind(filter.to.map(unix))
            .bind(filter.status)
            .bind(text.clone())
            .bind(filter.slot_id)
            .bind(filter.candidate_id)
            .bind(filter.interviewer_id)
    };
    let total: i64 = sqlx::Row::try_get(&bind(format!("SELECT COUNT(*) {FROM}")).fetch_one(pool).await?, 0)?;
    let order = if newest_first { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT b.id, b.status, b.created_at, b.cancelled_at, b.cancelled_by, b.cancel_reason, b.attendance_marked_at,
                s.id AS slot_id, s.starts_at AS slot_starts_at, s.duration_minutes, s.format, s.location,
                c.id AS candidate_id, c.telegram_user_id, c.first_name, c.last_name, c.username,
                b.vacancy_id, (SELECT v.title FROM vacancies v WHERE v.id = b.vacancy_id) AS vacancy_title,
                (SELECT q.answers FROM questionnaires q WHERE q.candidate_id = b.candidate_id
                    AND q.vacancy_id = b.vacancy_id AND q.completed_at IS NOT NULL) AS answers,
                b.confirmed_at,
                (b.status = 'active' AND b.confirmed_at IS NULL AND b.reconfirm_flagged_at IS NOT NULL) AS unconfirmed
         {FROM} ORDER BY s.starts_at {order}, b.id {order} LIMIT ?8 OFFSET ?9"
    );
    let rows = bind(sql).bind(limit).bind(offset).fetch_all(pool).await?;
    let rows = rows.iter().map(<BookingRow as sqlx::FromRow<_>>::from_row).collect::<Result<Vec<_>, _>>()?;
    Ok((rows, total))
}
