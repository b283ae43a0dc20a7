//! Recipient segments of a broadcast. Blocked and unreachable candidates are never recipients.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::time::unix;

/// Who a broadcast goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    /// Every reachable candidate.
    All,
    /// Candidates with an active booking of a slot that has not started.
    UpcomingBooking,
    /// Candidates who never booked.
    NeverBooked,
    /// Candidates with a booking (not cancelled) of a slot on this date, in the app's time zone.
    BookedOn { date: NaiveDate },
    /// Candidates who attended an interview.
    Attended,
    /// Candidates who did not come to an interview.
    NoShow,
    /// Candidates who entered a vacancy (by its link or in the bot) or booked for it.
    Vacancy { vacancy_id: i64 },
    /// Candidates who came through an invitation link.
    Source { link_id: i64 },
    /// Candidates who completed a vacancy's questionnaire (any vacancy's when absent) but never
    /// booked for it: the classic reminder campaign.
    AnsweredNeverBooked {
        #[serde(default)]
        vacancy_id: Option<i64>,
    },
}

/// The UTC range `[start, end)` of a local date in `tz`.
pub fn local_day_range(date: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let start_of = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        // A day that starts in a DST gap begins at the first instant that exists.
        tz.from_local_datetime(&midnight)
            .earliest()
            .or_else(|| tz.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest())
            .map_or_else(|| Utc.from_utc_datetime(&midnight), |t| t.with_timezone(&Utc))
    };
    let next = date.succ_opt().unwrap_or(date);
    (start_of(date), start_of(next))
}

/// The SQL condition selecting the segment's candidates (alias `c`) and its bound values.
fn condition(segment: &Segment, tz: Tz, now: DateTime<Utc>) -> (&'static str, Vec<i64>) {
    match segment {
        Segment::All => ("1", vec![]),
        Segment::UpcomingBooking => (
            "EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
                     WHERE b.candidate_id = c.id AND b.status = 'active' AND s.starts_at > ?)",
            vec![unix(now)],
        ),
        Segment::NeverBooked => ("NOT EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = c.id)", vec![]),
        Segment::BookedOn { date } => {
            let (start, end) = local_day_range(*date, tz);
            (
                "EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
                         WHERE b.candidate_id = c.id AND b.status IN ('active', 'attended', 'no_show')
                           AND s.starts_at >= ? AND s.starts_at < ?)",
                vec![unix(start), unix(end)],
            )
        }
        Segment::Attended => {
            ("EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = c.id AND b.status = 'attended')", vec![])
        }
        Segment::NoShow => {
            ("EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = c.id AND b.status = 'no_show')", vec![])
        }
        Segment::Vacancy { vacancy_id } => (
            "(EXISTS (SELECT 1 FROM funnel_touches t WHERE t.candidate_id = c.id AND t.vacancy_id = ?)
              OR EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = c.id AND b.vacancy_id = ?))",
            vec![*vacancy_id, *vacancy_id],
        ),
        Segment::Source { link_id } => (
            "(EXISTS (SELECT 1 FROM funnel_touches t WHERE t.candidate_id = c.id AND t.link_id = ?)
              OR c.first_link_id = ? OR c.last_link_id = ?)",
            vec![*link_id, *link_id, *link_id],
        ),
        Segment::AnsweredNeverBooked { vacancy_id } => {
            // 0 stands for "any vacancy" (ids start at 1).
            let v = vacancy_id.unwrap_or(0);
            (
                "EXISTS (SELECT 1 FROM questionnaires q WHERE q.candidate_id = c.id AND q.completed_at IS NOT NULL
                          AND (? = 0 OR q.vacancy_id = ?)
                          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = c.id
                                           AND (? = 0 OR b.vacancy_id = q.vacancy_id)))",
                vec![v, v, v],
            )
        }
    }
}

/// Checks that the vacancy or link a segment names exists (a 422 naming the field otherwise).
pub async fn check_exists(conn: &mut SqliteConnection, segment: &Segment) -> crate::error::Result<()> {
    let (sql, id, field) = match segment {
        Segment::Vacancy { vacancy_id } | Segment::AnsweredNeverBooked { vacancy_id: Some(vacancy_id) } => {
            ("SELECT EXISTS (SELECT 1 FROM vacancies WHERE id = ?)", *vacancy_id, "segment.vacancy_id")
        }
        Segment::Source { link_id } => {
            ("SELECT EXISTS (SELECT 1 FROM invite_links WHERE id = ?)", *link_id, "segment.link_id")
        }
        _ => return Ok(()),
    };
    let found: bool = sqlx::query_scalar(sql).bind(id).fetch_one(conn).await?;
    if found { Ok(()) } else { Err(crate::error::Error::validation(field, "no such one")) }
}

/// How many candidates the segment reaches now.
pub async fn count(
    conn: &mut SqliteConnection,
    segment: &Segment,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let (cond, params) = condition(segment, tz, now);
    let sql = format!("SELECT COUNT(*) FROM candidates c WHERE c.status = 'active' AND {cond}");
    let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
    for p in params {
        query = query.bind(p);
    }
    query.fetch_one(conn).await
}

/// Writes one pending delivery per candidate of the segment for `broadcast_id`, skipping those
/// that already have one (a resumed fan-out). Returns how many rows it added.
pub async fn insert_deliveries(
    conn: &mut SqliteConnection,
    broadcast_id: i64,
    segment: &Segment,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let (cond, params) = condition(segment, tz, now);
    let sql = format!(
        "INSERT OR IGNORE INTO deliveries (kind, broadcast_id, candidate_id, created_at, updated_at)
         SELECT 'broadcast', ?, c.id, ?, ? FROM candidates c WHERE c.status = 'active' AND {cond} ORDER BY c.id"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(broadcast_id).bind(unix(now)).bind(unix(now));
    for p in params {
        query = query.bind(p);
    }
    Ok(query.execute(conn).await?.rows_affected())
}
