//! Bulk slot generation: a date range, weekdays, several time windows a day, a duration and a gap
//! become slots in the app's time zone. Overlaps with existing slots (and with each other), times
//! in the past and local times that do not exist (a DST gap) are skipped and reported. A dry run
//! answers the same without writing.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
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
    /// The interviewers: each slot gets all of them (`panel`), each gets their own slots at the
    /// same hours (`each`), or each time goes to one of them in turn (`round_robin`).
    #[serde(default)]
    pub interviewer_ids: Vec<i64>,
    #[serde(default)]
    pub assignment: Assignment,
    /// `each` and `round_robin`: at most this many interviews per interviewer a day (counting
    /// their slots already there).
    #[serde(default)]
    pub daily_cap: Option<u32>,
    /// Free minutes an interviewer keeps between two interviews (0 to 240).
    #[serde(default)]
    pub buffer_minutes: i64,
}

/// How a plan's interviewers share its slots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assignment {
    /// Every slot has all the interviewers (a panel interview).
    #[default]
    Panel,
    /// The same hours for each interviewer: one slot each.
    Each,
    /// Each time goes to one interviewer: the least busy that day who is free, within their
    /// working hours and under the daily cap.
    RoundRobin,
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
    /// Outside the interviewer's working hours.
    OutsideWorkingHours,
    /// The interviewer already has the daily cap of interviews that day.
    DailyCap,
    /// Round robin: no interviewer of the pool is free then.
    NoInterviewerFree,
}

/// A planned slot that was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    pub starts_at: Option<DateTime<Utc>>,
    pub local: String,
    pub reason: SkipReason,
    /// The interviewer it was planned for (`each`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviewer_id: Option<i64>,
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
    if !(0..=240).contains(&plan.buffer_minutes) {
        return Err(Error::validation("buffer_minutes", "between 0 and 240"));
    }
    if plan.daily_cap.is_some_and(|c| !(1..=100).contains(&c)) {
        return Err(Error::validation("daily_cap", "between 1 and 100"));
    }
    if plan.assignment != Assignment::Panel && plan.interviewer_ids.is_empty() {
        return Err(Error::validation("interviewer_ids", "name the interviewers to share the slots among"));
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
    rules: &crate::config::BookingRules,
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
    let mut book = Lanes {
        taken: live_slots_around(&mut tx, plan, now).await?,
        hours: working_hours(&mut tx, &plan.interviewer_ids).await?,
        buffer: plan.buffer_minutes * 60,
        tz,
        per_day: std::collections::HashMap::new(),
    };
    book.count_existing();
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    for local in starts {
        let start = match place(local, tz, now) {
            Ok(start) => start,
            Err(skip) => {
                skipped.push(skip);
                continue;
            }
        };
        let (s, e) = (unix(start), unix(start + length));
        let skip = |reason, interviewer_id| Skipped {
            starts_at: Some(start),
            local: local.format("%Y-%m-%d %H:%M").to_string(),
            reason,
            interviewer_id,
        };
        // Each group of interviewers that gets a slot at this time.
        let groups: Vec<Vec<i64>> = match plan.assignment {
            Assignment::Panel => match book.refusal(&plan.interviewer_ids, s, e, None) {
                Some(reason) => {
                    skipped.push(skip(reason, None));
                    vec![]
                }
                None => vec![plan.interviewer_ids.clone()],
            },
            Assignment::Each => plan
                .interviewer_ids
                .iter()
                .filter_map(|id| match book.refusal(&[*id], s, e, plan.daily_cap) {
                    Some(reason) => {
                        skipped.push(skip(reason, Some(*id)));
                        None
                    }
                    None => Some(vec![*id]),
                })
                .collect(),
            Assignment::RoundRobin => {
                let day = local.date();
                let pick = plan
                    .interviewer_ids
                    .iter()
                    .enumerate()
                    .filter(|(_, id)| book.refusal(&[**id], s, e, plan.daily_cap).is_none())
                    .min_by_key(|(order, id)| (book.count(**id, day), *order))
                    .map(|(_, id)| *id);
                match pick {
                    Some(id) => vec![vec![id]],
                    None => {
                        skipped.push(skip(SkipReason::NoInterviewerFree, None));
                        vec![]
                    }
                }
            }
        };
        for interviewer_ids in groups {
            book.take(s, e, &interviewer_ids, local.date());
            let new = NewSlot {
                starts_at: start,
                duration_minutes: plan.duration_minutes,
                capacity: plan.capacity,
                format: plan.format.clone(),
                location: plan.location.clone(),
                notes: plan.notes.clone(),
                vacancy_id: plan.vacancy_id,
                interviewer_ids,
            };
            slots::validate(&new, now)?;
            created.push(if dry_run {
                preview(new, admin_id, now)
            } else {
                slots::insert(&mut tx, admin_id, &new, now).await?
            });
        }
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        let details =
            serde_json::json!({ "plan": audit::details(plan)?, "created": created.len(), "skipped": skipped.len() });
        audit::record(&mut tx, now, admin_id, "slot.bulk_create", "slot", None, details).await?;
        for slot in &created {
            crate::waitlist::refill_slot(&mut tx, rules, slot.id, now).await?;
        }
        tx.commit().await?;
    }
    Ok(PlanOutcome { dry_run, created, skipped })
}

/// A live or planned slot: (start, end) in Unix seconds and its interviewers.
type Taken = (i64, i64, Vec<i64>);

/// The live slots that may overlap the plan's, with their interviewers.
async fn live_slots_around(conn: &mut SqliteConnection, plan: &SlotPlan, now: DateTime<Utc>) -> Result<Vec<Taken>> {
    let span_start = unix(now.min(Utc.from_utc_datetime(&plan.from_date.and_time(NaiveTime::MIN)))) - 2 * 86_400;
    let span_end = unix(Utc.from_utc_datetime(&plan.to_date.and_time(NaiveTime::MIN))) + 3 * 86_400;
    let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT starts_at, starts_at + duration_minutes * 60,
                (SELECT group_concat(admin_id) FROM slot_interviewers si WHERE si.slot_id = slots.id)
           FROM slots
          WHERE status = 'open' AND starts_at < ? AND starts_at + duration_minutes * 60 > ?",
    )
    .bind(span_end)
    .bind(span_start)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(s, e, ids)| (s, e, ids.unwrap_or_default().split(',').filter_map(|i| i.parse().ok()).collect()))
        .collect())
}

/// The recorded working hours of the plan's interviewers: weekday (1 = Monday) and minutes of
/// the day `[start, end)`. An interviewer with none recorded works any time.
async fn working_hours(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<(u8, i64, i64)>>> {
    let mut out: std::collections::HashMap<i64, Vec<(u8, i64, i64)>> = std::collections::HashMap::new();
    for id in ids {
        let rows: Vec<(i64, i64, i64)> =
            sqlx::query_as("SELECT weekday, start_minute, end_minute FROM working_hours WHERE admin_id = ?")
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
        if !rows.is_empty() {
            out.insert(*id, rows.into_iter().map(|(d, s, e)| (u8::try_from(d).unwrap_or(0), s, e)).collect());
        }
    }
    Ok(out)
}

/// What the plan has to respect while it places slots: the slots taken (live and planned), the
/// interviewers' working hours, the buffer, and each interviewer's interviews per local day.
struct Lanes {
    taken: Vec<Taken>,
    hours: std::collections::HashMap<i64, Vec<(u8, i64, i64)>>,
    buffer: i64,
    tz: Tz,
    per_day: std::collections::HashMap<(i64, NaiveDate), u32>,
}

impl Lanes {
    fn day_of(&self, unix_start: i64) -> NaiveDate {
        Utc.timestamp_opt(unix_start, 0).single().unwrap_or_default().with_timezone(&self.tz).date_naive()
    }

    fn count_existing(&mut self) {
        let existing: Vec<(i64, NaiveDate)> = self
            .taken
            .iter()
            .flat_map(|(s, _, ids)| ids.iter().map(move |id| (*id, *s)))
            .map(|(id, s)| (id, self.day_of(s)))
            .collect();
        for key in existing {
            *self.per_day.entry(key).or_default() += 1;
        }
    }

    fn count(&self, id: i64, day: NaiveDate) -> u32 {
        self.per_day.get(&(id, day)).copied().unwrap_or(0)
    }

    /// Why a slot `[s, e)` for `ids` cannot be placed, if it cannot. Without interviewers it must
    /// not overlap any slot (one calendar, as before interviewers); with them, no slot of theirs
    /// within the buffer.
    fn refusal(&self, ids: &[i64], s: i64, e: i64, cap: Option<u32>) -> Option<SkipReason> {
        let clash = self.taken.iter().any(|(ts, te, tids)| {
            if ids.is_empty() {
                *ts < e && s < *te
            } else {
                *ts < e + self.buffer && s < *te + self.buffer && tids.iter().any(|t| ids.contains(t))
            }
        });
        if clash {
            return Some(SkipReason::Overlap);
        }
        let local = Utc.timestamp_opt(s, 0).single().unwrap_or_default().with_timezone(&self.tz);
        let (weekday, minute) = (
            u8::try_from(local.weekday().number_from_monday()).unwrap_or(0),
            i64::from(local.hour() * 60 + local.minute()),
        );
        let length = (e - s) / 60;
        for id in ids {
            if let Some(windows) = self.hours.get(id)
                && !windows.iter().any(|(d, ws, we)| *d == weekday && *ws <= minute && minute + length <= *we)
            {
                return Some(SkipReason::OutsideWorkingHours);
            }
            if cap.is_some_and(|c| self.count(*id, local.date_naive()) >= c) {
                return Some(SkipReason::DailyCap);
            }
        }
        None
    }

    fn take(&mut self, s: i64, e: i64, ids: &[i64], day: NaiveDate) {
        self.taken.push((s, e, ids.to_vec()));
        for id in ids {
            *self.per_day.entry((*id, day)).or_default() += 1;
        }
    }
}

/// The instant a planned local start time falls on, or why it is skipped: it does not exist
/// (a clock change) or it is past.
fn place(local: NaiveDateTime, tz: Tz, now: DateTime<Utc>) -> std::result::Result<DateTime<Utc>, Skipped> {
    let local_text = local.format("%Y-%m-%d %H:%M").to_string();
    let Some(start) = tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)) else {
        return Err(Skipped {
            starts_at: None,
            local: local_text,
            reason: SkipReason::NonexistentLocalTime,
            interviewer_id: None,
        });
    };
    if start <= now {
        return Err(Skipped {
            starts_at: Some(start),
            local: local_text,
            reason: SkipReason::InThePast,
            interviewer_id: None,
        });
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
