//! Dashboard figures: interviews today and this week, fill rate, bookings per day, no-show rate,
//! broadcasts.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::Result;
use crate::segments::local_day_range;
use crate::time::unix;

/// The dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub time_zone: String,
    /// Active or held bookings of interviews today / this week (Monday to Sunday), local time.
    pub interviews_today: i64,
    pub interviews_this_week: i64,
    /// Open slots starting in the range, and their places.
    pub slots: i64,
    pub places: i64,
    /// Places taken (active, attended or no-show bookings) of those slots.
    pub booked: i64,
    /// booked / places, 0 when there is no place.
    pub fill_rate: f64,
    /// no-show / (attended + no-show), 0 when nothing was marked.
    pub no_show_rate: f64,
    pub attended: i64,
    pub no_show: i64,
    pub cancelled: i64,
    /// Bookings (not cancelled) per local interview day in the range.
    pub bookings_per_day: BTreeMap<NaiveDate, i64>,
    pub candidates: i64,
    pub broadcasts: i64,
}

/// Figures for interviews on the local dates `from..=to`.
pub async fn dashboard(
    pool: &SqlitePool,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Dashboard> {
    let (start, _) = local_day_range(from, tz);
    let (_, end) = local_day_range(to, tz);
    let (s, e) = (unix(start), unix(end));
    let (slots, places): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(capacity), 0) FROM slots WHERE status = 'open' AND starts_at >= ? AND starts_at < ?",
    )
    .bind(s)
    .bind(e)
    .fetch_one(pool)
    .await?;
    let by_status: Vec<(String, i64)> = sqlx::query_as(
        "SELECT b.status, COUNT(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE s.starts_at >= ? AND s.starts_at < ? GROUP BY b.status",
    )
    .bind(s)
    .bind(e)
    .fetch_all(pool)
    .await?;
    let count =
        |names: &[&str]| by_status.iter().filter(|(st, _)| names.contains(&st.as_str())).map(|(_, n)| n).sum::<i64>();
    let booked = count(&["active", "attended", "no_show"]);
    let (attended, no_show) = (count(&["attended"]), count(&["no_show"]));
    let cancelled = count(&["cancelled_by_candidate", "cancelled_by_admin"]);

    let today = now.with_timezone(&tz).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let candidates = sqlx::query_scalar("SELECT COUNT(*) FROM candidates").fetch_one(pool).await?;
    let broadcasts = sqlx::query_scalar("SELECT COUNT(*) FROM broadcasts WHERE created_at >= ? AND created_at < ?")
        .bind(s)
        .bind(e)
        .fetch_one(pool)
        .await?;
    let ratio = |a: i64, b: i64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Ok(Dashboard {
        from,
        to,
        time_zone: tz.name().to_owned(),
        interviews_today: interviews_between(pool, tz, today, today).await?,
        interviews_this_week: interviews_between(pool, tz, monday, monday + Duration::days(6)).await?,
        slots,
        places,
        booked,
        fill_rate: ratio(booked, places),
        no_show_rate: ratio(no_show, attended + no_show),
        attended,
        no_show,
        cancelled,
        bookings_per_day: bookings_per_day(pool, tz, from, to).await?,
        candidates,
        broadcasts,
    })
}

/// Bookings that were not cancelled, of interviews on the local dates `from..=to`.
async fn interviews_between(pool: &SqlitePool, tz: Tz, from: NaiveDate, to: NaiveDate) -> Result<i64> {
    let (start, _) = local_day_range(from, tz);
    let (_, end) = local_day_range(to, tz);
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE s.starts_at >= ? AND s.starts_at < ? AND b.status IN ('active', 'attended', 'no_show')",
    )
    .bind(unix(start))
    .bind(unix(end))
    .fetch_one(pool)
    .await?)
}

/// The same bookings per local interview day, every day of `from..=to` present (0 when none).
async fn bookings_per_day(
    pool: &SqlitePool,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, i64>> {
    let (start, _) = local_day_range(from, tz);
    let (_, end) = local_day_range(to, tz);
    let starts: Vec<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE s.starts_at >= ? AND s.starts_at < ? AND b.status IN ('active', 'attended', 'no_show')",
    )
    .bind(unix(start))
    .bind(unix(end))
    .fetch_all(pool)
    .await?;
    let mut per_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut day = from;
    while day <= to {
        per_day.insert(day, 0);
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    for t in starts {
        *per_day.entry(t.with_timezone(&tz).date_naive()).or_default() += 1;
    }
    Ok(per_day)
}
