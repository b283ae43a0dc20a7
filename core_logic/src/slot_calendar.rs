//! The calendar's view of the slots: a compact list of a date range, one page at a time.
//!
//! A busy week holds a thousand slots, and the panel asks for it every 15 seconds per open tab.
//! The page is rendered to JSON by SQLite in one statement (`json_group_array`), so it crosses
//! from SQLite to Rust as one text value: no row per slot through sqlx's worker channel, no
//! allocation per slot, no parse-and-serialize on the way out. Each slot carries only what the
//! calendar draws; the rest (notes, its bookings) is fetched when the admin opens the slot.
//! Pages follow a keyset cursor on `(starts_at, id)`, which the `slots_starts_at` index (with
//! the rowid) serves in order.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::error::Result;
use crate::models::SlotStatus;
use crate::time::unix;

/// Slots per page unless the caller asks for another size: a full week fits in one page.
pub const DEFAULT_PAGE: u32 = 2000;
/// The largest page a caller may ask for.
pub const MAX_PAGE: u32 = 5000;

/// A slot as the calendar shows it; its notes and bookings are at `GET /api/slots/{id}`.
// The pages are rendered by SQL (`page`); this type describes them (OpenAPI) and reads them
// back (tests, Rust clients).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalendarSlot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub capacity: i64,
    /// Active bookings of the slot.
    pub booked: i64,
    /// Places held for waitlist offers awaiting an answer.
    pub held: i64,
    pub status: SlotStatus,
    pub format: String,
    pub location: Option<String>,
    /// The vacancy the interview is for; `None`: any vacancy.
    #[serde(default)]
    pub vacancy_id: Option<i64>,
}

/// One page of slots, by start time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlotPage {
    pub items: Vec<CalendarSlot>,
    /// Pass it as `after` for the next page; `null` on the last page.
    pub next: Option<String>,
}

/// Where a page starts: after the slot `(starts_at, id)`, in start order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub starts_at: i64,
    pub id: i64,
}

impl Cursor {
    /// The cursor as the API hands it out: `<unix start>.<id>`.
    pub fn encode(self) -> String {
        format!("{}.{}", self.starts_at, self.id)
    }

    /// Reads what [`Cursor::encode`] wrote; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (starts_at, id) = text.split_once('.')?;
        Some(Self { starts_at: starts_at.parse().ok()?, id: id.parse().ok()? })
    }
}

/// What to list: slots (not deleted) starting in `[from, to)`, optionally of one status, after a
/// cursor, at most `limit` (clamped to `1..=MAX_PAGE`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CalendarQuery {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub status: Option<SlotStatus>,
    pub after: Option<Cursor>,
    pub limit: u32,
    /// Only the slots this account interviews in.
    pub interviewer_id: Option<i64>,
}

/// A page rendered by SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarPage {
    /// A JSON array of [`CalendarSlot`]s.
    pub items_json: String,
    /// How many slots the array holds.
    pub count: u32,
    /// Where the next page starts; `None` when this page was not full (the last one). A full
    /// last page is followed by an empty one.
    pub next: Option<Cursor>,
}

impl CalendarPage {
    /// The page as the API serves it: a [`SlotPage`] in JSON.
    pub fn to_json(&self) -> String {
        let next = self.next.map_or_else(|| "null".to_owned(), |cursor| format!("\"{}\"", cursor.encode()));
        format!("{{\"items\":{},\"next\":{next}}}", self.items_json)
    }
}

// `MATERIALIZED`: the page is read twice (the array and the last row) but computed once.
// GROUP BY in the index's order, so grouping needs no temporary tree; the LEFT JOIN counts
// active bookings through `bookings_slot_status`, covering (the booking id is its rowid).
const PAGE_SQL: &str = "
WITH page AS MATERIALIZED (
    SELECT s.id, s.starts_at, s.duration_minutes, s.capacity, s.status, s.format, s.location, s.vacancy_id,
           COUNT(b.id) AS booked,
           (SELECT COUNT(*) FROM waitlist_offers wo WHERE wo.slot_id = s.id AND wo.status = 'held') AS held
    FROM slots s
    LEFT JOIN bookings b ON b.slot_id = s.id AND b.status = 'active'
    WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND s.status <> 'deleted'
      AND (?3 IS NULL OR s.status = ?3)
      AND (s.starts_at, s.id) > (?4, ?5)
      AND (?7 IS NULL OR EXISTS (SELECT 1 FROM slot_interviewers si WHERE si.slot_id = s.id AND si.admin_id = ?7))
    GROUP BY s.starts_at, s.id
    ORDER BY s.starts_at, s.id
    LIMIT ?6
)
SELECT json_group_array(json_object(
           'id', id,
           'starts_at', strftime('%Y-%m-%dT%H:%M:%SZ', starts_at, 'unixepoch'),
           'duration_minutes', duration_minutes,
           'capacity', capacity,
           'booked', booked,
           'held', held,
           'status', status,
           'format', format,
           'location', location,
           'vacancy_id', vacancy_id
       ) ORDER BY starts_at, id),
       COUNT(*),
       (SELECT starts_at FROM page ORDER BY starts_at DESC, id DESC LIMIT 1),
       (SELECT id FROM page ORDER BY starts_at DESC, id DESC LIMIT 1)
FROM page";

/// One page of the calendar, rendered to JSON by SQLite.
pub async fn page(pool: &SqlitePool, query: &CalendarQuery) -> Result<CalendarPage> {
    let limit = query.limit.clamp(1, MAX_PAGE);
    let after = query.after.unwrap_or(Cursor { starts_at: i64::MIN, id: i64::MIN });
    let (items_json, count, last_start, last_id): (String, u32, Option<i64>, Option<i64>) = sqlx::query_as(PAGE_SQL)
        .bind(unix(query.from))
        .bind(unix(query.to))
        .bind(query.status.map(SlotStatus::as_str))
        .bind(after.starts_at)
        .bind(after.id)
        .bind(limit)
        .bind(query.interviewer_id)
        .fetch_one(pool)
        .await?;
    let next = match (last_start, last_id) {
        (Some(starts_at), Some(id)) if count == limit => Some(Cursor { starts_at, id }),
        _ => None,
    };
    Ok(CalendarPage { items_json, count, next })
}

/// The calendar's version: a counter that triggers bump on every change to `slots` or
/// `bookings`. A page rendered after reading version `v` is current while the version is `v`.
pub async fn version(pool: &SqlitePool) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT version FROM calendar_version WHERE id = 1").fetch_one(pool).await?)
}
