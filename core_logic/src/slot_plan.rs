//! Bulk slot generation: a date range, weekdays, several time windows a day, a duration and a gap
//! become slots in the app's time zone. Overlaps with existing slots (and with each other), times
//! in the past and local times that do not exist (a DST gap) are skipped and reported. A dry run
//! answers the same without writing.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use crate::audit;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::models::Slot;
use crate::slots::{self, NewSlot};
use crate::time::unix;

/// The most days one request may span.
pub const MAX_DAYS: i64 = 92;
/// The most slots one request may create.
pub const MAX_SLOTS: usize = 2000;

/// A daily time window, local time: slots start at `start` and end by `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimeWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlotPlan {
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    /// ISO weekdays: 1 = Monday ... 7 = Sunday.
    pub weekdays: Vec<u8>,
    pub windows: Vec<TimeWindow>,
    pub duration_minutes: i64,
    pub gap_minutes: i64,
    pub capacity: i64,
    pub format: String,
    pub location: Option<String>,
    pub notes: Option<String>,
    /// The vacancy every generated slot is for (an active one); absent: any vacancy.
    #[serde(default)]
    pub vacancy_id: Option<i64>,
    /// The interviewers of every generated slot (several: a panel interview).
    #[serde(default)]
    pub interviewer_ids: Vec<i64>,
}

/// Why a planned slot was not created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// It overlaps an existing slot (or another planned one).
    Overlap,
    /// It would start in the past.
    InThePast,
    /// The local time does not exist that day (clocks moved forward).
    NonexistentLocalTime,
}

/// A planned slot that was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    pub starts_at: Option<DateTime<Utc>>,
    pub local: String,
    pub reason: SkipReason,
}

/// What a generation did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanOutcome {
    pub dry_run: bool,
    /// The slots to create, with ids 0 in a dry run.
    pub created: Vec<Slot>,
    pub skipped: Vec<Skipped>,
}

fn validate(plan: &SlotPlan) -> Result<()> {
    if plan.to_date < plan.from_date {
        return Err(Error::validation("to_date", "must not be before from_date"));
    }
    if (plan.to_date - plan.from_date).num_days() >= MAX_DAYS {
        return Err(Error::validation("to_date", format!("the range may span at most {MAX_DAYS} days")));
    }
    if plan.weekdays.is_empty() || plan.weekdays.iter().any(|d| !(1..=7).contains(d)) {
        return Err(Error::validation("weekdays", "one or more of 1 (Monday) to 7 (Sunday)"));
    }
    if plan.windows.is_empty() || plan.windows.len() > 12 {
        return Err(Error::validation("windows", "between 1 and 12 time windows"));
    }
    if plan.windows.iter().any(|w| w.end <= w.start) {
        return Err(Error::validation("windows", "each window must end after it starts"));
    }
    if !(5..=slots::MAX_DURATION_MINUTES).contains(&plan.duration_minutes) {
        return Err(Error::validation("duration_minutes", format!("between 5 and {}", slots::MAX_DURATION_MINUTES)));
    }
    if !(0..=480).contains(&plan.gap_minutes) {
        return Err(Error::validation("gap_minutes", "between 0 and 480"));
    }
    Ok(())
}

/// The local start times the plan describes, in order.
fn local_starts(plan: &SlotPlan) -> Vec<NaiveDateTime> {
    let step = chrono::Duration::minutes(plan.duration_minutes + plan.gap_minutes);
    let length = chrono::Duration::minutes(plan.duration_minutes);
    let mut out = Vec::new();
    let mut day = plan.from_date;
    while day <= plan.to_date {
        if plan.weekdays.contains(&(day.weekday().number_from_monday() as u8)) {
            for w in &plan.windows {
                let end = day.and_time(w.end);
                let mut t = day.and_time(w.start);
                while t + length <= end {
                    out.push(t);
                    t += step;
                }
            }
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    out.sort();
    out
}

/// Generates the plan's slots (or previews them with `dry_run`).
pub async fn generate(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    plan: &SlotPlan,
    tz: Tz,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<PlanOutcome> {
    validate(plan)?;
    let starts = local_starts(plan);
    if starts.len() > MAX_SLOTS {
        return Err(Error::validation(
            "windows",
            format!("the plan makes {} slots; at most {MAX_SLOTS}", starts.len()),
        ));
    }
    let mut tx = begin_write(pool).await?;
    crate::vacancies::check_for_slots(&mut tx, plan.vacancy_id).await?;
    crate::interviewers::check(&mut tx, &plan.interviewer_ids).await?;
    let length = chrono::Duration::minutes(plan.duration_minutes);
    let mut taken = live_slots_around(&mut tx, plan, now).await?;
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    for local in starts {
        let start = match place(local, tz, now, length, &taken) {
            Ok(start) => start,
            Err(skip) => {
                skipped.push(skip);
                continue;
            }
        };
        taken.push((unix(start), unix(start + length)));
        let new = NewSlot {
            starts_at: start,
            duration_minutes: plan.duration_minutes,
            capacity: plan.capacity,
            format: plan.format.clone(),
            location: plan.location.clone(),
            notes: plan.notes.clone(),
            vacancy_id: plan.vacancy_id,
            interviewer_ids: plan.interviewer_ids.clone(),
        };
        slots::validate(&new, now)?;
        created.push(if dry_run {
            preview(new, admin_id, now)
        } else {
            slots::insert(&mut tx, admin_id, &new, now).await?
        });
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        let details =
            serde_json::json!({ "plan": audit::details(plan)?, "created": created.len(), "skipped": skipped.len() });
        audit::record(&mut tx, now, admin_id, "slot.bulk_create", "slot", None, details).await?;
        tx.commit().await?;
    }
    Ok(PlanOutcome { dry_run, created, skipped })
}

/// The live slots that may overlap the plan's, as (start, end) in Unix seconds.
async fn live_slots_around(
    conn: &mut SqliteConnection,
    plan: &SlotPlan,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>> {
    let span_start = unix(now.min(Utc.from_utc_datetime(&plan.from_date.and_time(NaiveTime::MIN)))) - 2 * 86_400;
    let span_end = unix(Utc.from_utc_datetime(&plan.to_date.and_time(NaiveTime::MIN))) + 3 * 86_400;
    Ok(sqlx::query_as(
        "SELECT starts_at, starts_at + duration_minutes * 60 FROM slots
         WHERE status = 'open' AND starts_at < ? AND starts_at + duration_minutes * 60 > ?",
    )
    .bind(span_end)
    .bind(span_start)
    .fetch_all(conn)
    .await?)
}

/// The instant a planned local start time falls on, or why it is skipped: it does not exist
/// (a clock change), it is past, or it overlaps a slot in `taken`.
fn place(
    local: NaiveDateTime,
    tz: Tz,
    now: DateTime<Utc>,
    length: chrono::Duration,
    taken: &[(i64, i64)],
) -> std::result::Result<DateTime<Utc>, Skipped> {
    let local_text = local.format("%Y-%m-%d %H:%M").to_string();
    let Some(start) = tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)) else {
        return Err(Skipped { starts_at: None, local: local_text, reason: SkipReason::NonexistentLocalTime });
    };
    if start <= now {
        return Err(Skipped { starts_at: Some(start), local: local_text, reason: SkipReason::InThePast });
    }
    let (s, e) = (unix(start), unix(start + length));
    if taken.iter().any(|(ts, te)| *ts < e && s < *te) {
        return Err(Skipped { starts_at: Some(start), local: local_text, reason: SkipReason::Overlap });
    }
    Ok(start)
}

/// What a dry run shows for a slot it would create.
fn preview(new: NewSlot, admin_id: Option<i64>, now: DateTime<Utc>) -> Slot {
    Slot {
        id: 0,
        starts_at: new.starts_at,
        duration_minutes: new.duration_minutes,
        capacity: new.capacity,
        format: new.format.trim().to_owned(),
        location: new.location,
        notes: new.notes,
        status: crate::models::SlotStatus::Open,
        vacancy_id: new.vacancy_id,
        created_by: admin_id,
        created_at: now,
        updated_at: now,
    }
}
