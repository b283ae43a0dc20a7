//! Slots: created by admins (one or many), listed, changed, cancelled and deleted. Changing or
//! cancelling a booked slot tells its candidates through notifications.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::bookings::{self, load_slot};
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::{Booking, HELD, Slot, SlotStatus, SlotWithCounts};
use crate::notifications::{self, Notification};
use crate::time::{chrono_dur, unix};
use crate::{audit, config::BookingRules, reminders};

/// The longest interview a slot may hold.
pub const MAX_DURATION_MINUTES: i64 = 24 * 60;
/// The most candidates one slot may hold.
pub const MAX_CAPACITY: i64 = 1000;
/// The longest free-text field (format, location, notes).
pub const MAX_TEXT_LEN: usize = 1000;

/// A slot to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewSlot {
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub capacity: i64,
    pub format: String,
    pub location: Option<String>,
    pub notes: Option<String>,
    /// The vacancy the interview is for (an active one); absent: any vacancy.
    #[serde(default)]
    pub vacancy_id: Option<i64>,
    /// The interviewers (team accounts); several make a panel interview, offered only when all
    /// of them are free.
    #[serde(default)]
    pub interviewer_ids: Vec<i64>,
}

/// The fields of a slot an admin may change; `None` keeps the value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlotChanges {
    pub starts_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    pub capacity: Option<i64>,
    pub format: Option<String>,
    /// `Some(None)` clears the location.
    pub location: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    /// Another vacancy for the slot; `null` makes it a slot for any vacancy; absent keeps it.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub vacancy_id: Option<Option<i64>>,
    /// The slot's interviewers, all of them (absent keeps them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interviewer_ids: Option<Vec<i64>>,
}

/// A field that is present (even `null`) becomes `Some`, so `null` can clear a value.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub(crate) fn validate(s: &NewSlot, now: DateTime<Utc>) -> Result<()> {
    if s.starts_at <= now {
        return Err(Error::validation("starts_at", "must be in the future"));
    }
    if !(1..=MAX_DURATION_MINUTES).contains(&s.duration_minutes) {
        return Err(Error::validation("duration_minutes", format!("must be between 1 and {MAX_DURATION_MINUTES}")));
    }
    if !(1..=MAX_CAPACITY).contains(&s.capacity) {
        return Err(Error::validation("capacity", format!("must be between 1 and {MAX_CAPACITY}")));
    }
    if s.format.trim().is_empty() {
        return Err(Error::validation("format", "must not be empty"));
    }
    for (field, value) in [("format", Some(&s.format)), ("location", s.location.as_ref()), ("notes", s.notes.as_ref())]
    {
        if value.is_some_and(|v| v.chars().count() > MAX_TEXT_LEN) {
            return Err(Error::validation(field, format!("must be at most {MAX_TEXT_LEN} characters")));
        }
    }
    Ok(())
}

/// Creates one slot; its seats are offered to the waitlist first.
pub async fn create(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    new: &NewSlot,
    now: DateTime<Utc>,
) -> Result<Slot> {
    validate(new, now)?;
    let mut tx = begin_write(pool).await?;
    crate::vacancies::check_for_slots(&mut tx, new.vacancy_id).await?;
    crate::interviewers::check(&mut tx, &new.interviewer_ids).await?;
    let slot = insert(&mut tx, admin_id, new, now).await?;
    audit::record(&mut tx, now, admin_id, "slot.create", "slot", Some(slot.id), audit::details(new)?).await?;
    crate::waitlist::refill_slot(&mut tx, rules, slot.id, now).await?;
    tx.commit().await?;
    Ok(slot)
}

/// Inserts a validated slot and its interviewers inside the caller's transaction (bulk
/// generation uses it too).
pub(crate) async fn insert(
    conn: &mut sqlx::SqliteConnection,
    admin_id: Option<i64>,
    new: &NewSlot,
    now: DateTime<Utc>,
) -> Result<Slot> {
    let slot: Slot = sqlx::query_as(
        "INSERT INTO slots (starts_at, duration_minutes, capacity, format, location, notes, vacancy_id, created_by,
                            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
    )
    .bind(unix(new.starts_at))
    .bind(new.duration_minutes)
    .bind(new.capacity)
    .bind(new.format.trim())
    .bind(&new.location)
    .bind(&new.notes)
    .bind(new.vacancy_id)
    .bind(admin_id)
    .bind(unix(now))
    .bind(unix(now))
    .fetch_one(&mut *conn)
    .await?;
    crate::interviewers::set(conn, slot.id, &new.interviewer_ids).await?;
    Ok(slot)
}

/// One slot (not deleted) with its booked count.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<SlotWithCounts> {
    let sql = format!(
        "SELECT s.*, (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') AS booked, {HELD}
         FROM slots s WHERE s.id = ? AND s.status <> 'deleted'"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?.ok_or(Error::not_found("slot", id))
}

/// Slots starting in `[from, to)`, not deleted, by start time.
pub async fn list_range(pool: &SqlitePool, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<SlotWithCounts>> {
    let sql = format!(
        "SELECT s.*, (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') AS booked, {HELD}
         FROM slots s WHERE s.starts_at >= ? AND s.starts_at < ? AND s.status <> 'deleted'
         ORDER BY s.starts_at, s.id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unix(from)).bind(unix(to)).fetch_all(pool).await?)
}

/// Open slots a candidate can book now: starting after the minimum notice and before `until`,
/// with a free place; with `vacancy_id`, only that vacancy's slots and the "any vacancy" ones.
pub async fn list_bookable(
    pool: &SqlitePool,
    rules: &BookingRules,
    vacancy_id: Option<i64>,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<SlotWithCounts>> {
    let earliest = now + chrono_dur(rules.min_notice);
    let sql = format!(
        "SELECT * FROM (
            SELECT s.*, (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') AS booked,
                   {HELD}
            FROM slots s WHERE s.status = 'open' AND s.starts_at > ?1 AND s.starts_at < ?2
              AND (s.vacancy_id IS NULL OR s.vacancy_id IN (SELECT id FROM vacancies WHERE status = 'active'))
              AND (?3 IS NULL OR s.vacancy_id IS NULL OR s.vacancy_id = ?3)
              AND NOT {busy}
         ) WHERE booked + held < capacity ORDER BY starts_at, id",
        busy = crate::interviewers::BUSY
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(unix(earliest))
        .bind(unix(until))
        .bind(vacancy_id)
        .fetch_all(pool)
        .await?)
}

/// Changes a slot. Capacity cannot go below the active bookings. When the time or place of a
/// booked slot changes, its candidates are notified and their reminders moved.
pub async fn update(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    id: i64,
    changes: &SlotChanges,
    now: DateTime<Utc>,
) -> Result<Slot> {
    let mut tx = begin_write(pool).await?;
    let old = load_slot(&mut tx, id).await?;
    let new = changes.applied_to(&old);
    if changes.starts_at.is_some_and(|t| t != old.starts_at) {
        validate(&new, now)?;
    } else {
        // A slot already under way may still get notes or capacity fixed.
        validate(&NewSlot { starts_at: now + chrono::Duration::seconds(1), ..new.clone() }, now)?;
    }
    let active: Vec<Booking> = sqlx::query_as("SELECT * FROM bookings WHERE slot_id = ? AND status = 'active'")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    if new.vacancy_id != old.vacancy_id {
        crate::vacancies::check_for_slots(&mut tx, new.vacancy_id).await?;
        if let Some(vacancy_id) = new.vacancy_id
            && active.iter().any(|b| b.vacancy_id.is_some_and(|v| v != vacancy_id))
        {
            return Err(Error::conflict(
                ConflictKind::VacancyMismatch,
                "the slot has bookings for another vacancy; cancel or move them first",
            ));
        }
    }
    if let Some(ids) = &changes.interviewer_ids {
        crate::interviewers::check(&mut tx, ids).await?;
        crate::interviewers::set(&mut tx, id, ids).await?;
        if !active.is_empty() {
            // The new interviewers must be free for the interviews already booked.
            crate::interviewers::check_free(&mut tx, &old, None).await?;
        }
    }
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM waitlist_offers WHERE slot_id = ? AND status = 'held'")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if new.capacity < active.len() as i64 + held {
        return Err(Error::conflict(
            ConflictKind::CapacityBelowBookings,
            format!(
                "the slot has {} active booking(s) and {held} place(s) held for the waitlist; capacity cannot be {}",
                active.len(),
                new.capacity
            ),
        ));
    }
    let slot: Slot = sqlx::query_as(
        "UPDATE slots SET starts_at = ?, duration_minutes = ?, capacity = ?, format = ?, location = ?, notes = ?,
                          vacancy_id = ?, updated_at = ?
         WHERE id = ? RETURNING *",
    )
    .bind(unix(new.starts_at))
    .bind(new.duration_minutes)
    .bind(new.capacity)
    .bind(new.format.trim())
    .bind(&new.location)
    .bind(&new.notes)
    .bind(new.vacancy_id)
    .bind(unix(now))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let notified = follow_changed_slot(&mut tx, rules, &old, &slot, &active, now).await?;
    // A moved slot's holds were offered for the old time; raised capacity or a new time frees
    // seats for the waitlist.
    let moved = slot.starts_at != old.starts_at;
    if moved && crate::waitlist::withdraw_for_slot(&mut tx, &slot, now).await? > 0 {
        crate::waitlist::refill_wanted(&mut tx, rules, now).await?;
    }
    if moved || slot.capacity > old.capacity || slot.vacancy_id != old.vacancy_id {
        crate::waitlist::refill_slot(&mut tx, rules, id, now).await?;
    }
    let details = serde_json::json!({ "changes": audit::details(changes)?, "notified": notified });
    audit::record(&mut tx, now, admin_id, "slot.update", "slot", Some(id), details).await?;
    tx.commit().await?;
    Ok(slot)
}

impl SlotChanges {
    /// The slot `old` with these changes made.
    fn applied_to(&self, old: &Slot) -> NewSlot {
        NewSlot {
            starts_at: self.starts_at.unwrap_or(old.starts_at),
            duration_minutes: self.duration_minutes.unwrap_or(old.duration_minutes),
            capacity: self.capacity.unwrap_or(old.capacity),
            format: self.format.clone().unwrap_or_else(|| old.format.clone()),
            location: self.location.clone().unwrap_or_else(|| old.location.clone()),
            notes: self.notes.clone().unwrap_or_else(|| old.notes.clone()),
            vacancy_id: self.vacancy_id.unwrap_or(old.vacancy_id),
            // Checked and written by `update` itself.
            interviewer_ids: vec![],
        }
    }
}

/// After a slot changed from `old` to `slot`: moves the reminders of its `active` bookings when
/// it moved, and tells their candidates when its time or place changed and it is still ahead.
/// Returns how many bookings' candidates had to be told (0 when nothing they see changed).
async fn follow_changed_slot(
    tx: &mut sqlx::SqliteConnection,
    rules: &BookingRules,
    old: &Slot,
    slot: &Slot,
    active: &[Booking],
    now: DateTime<Utc>,
) -> Result<usize> {
    let moved = slot.starts_at != old.starts_at;
    let candidates_must_know = moved || slot.format != old.format || slot.location != old.location;
    for booking in active {
        if moved {
            reminders::cancel_for_booking(tx, booking.id).await?;
            sqlx::query("DELETE FROM reminders WHERE booking_id = ? AND status = 'cancelled'")
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            reminders::create_for_booking(tx, booking.id, slot.starts_at, &rules.reminder_offsets, now).await?;
        }
        if candidates_must_know && slot.starts_at > now {
            // The event in the candidate's calendar changes: same UID, one sequence higher.
            sqlx::query("UPDATE bookings SET calendar_sequence = calendar_sequence + 1 WHERE id = ?")
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            let notification = Notification::SlotChanged {
                booking_id: booking.id,
                old_starts_at: old.starts_at,
                new_starts_at: slot.starts_at,
                format: slot.format.clone(),
                location: slot.location.clone(),
                calendar: Some(crate::bookings::calendar_event(tx, booking.id, slot).await?),
            };
            notifications::queue(tx, booking.candidate_id, &notification, now).await?;
            if moved {
                crate::team::notify(tx, booking.id, crate::team::Change::Moved, Some(old.starts_at), &[], now).await?;
            }
        }
    }
    Ok(if candidates_must_know { active.len() } else { 0 })
}

/// What cancelling or deleting a slot did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SlotRemoval {
    /// The bookings that were cancelled (their candidates are notified if the slot was ahead).
    pub cancelled_bookings: Vec<Booking>,
    /// Whether the row itself is gone (no booking ever referenced it).
    pub deleted_row: bool,
}

/// Cancels a slot: it stays visible as cancelled, its active bookings are cancelled and their
/// candidates notified.
pub async fn cancel(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SlotRemoval> {
    remove(pool, rules, admin_id, id, reason, now, false).await
}

/// Deletes a slot: its active bookings are cancelled and notified as for [`cancel`]; the row is
/// removed when no booking ever referenced it, else hidden (status `deleted`) to keep history.
pub async fn delete(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SlotRemoval> {
    remove(pool, rules, admin_id, id, reason, now, true).await
}

async fn remove(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
    delete: bool,
) -> Result<SlotRemoval> {
    let mut tx = begin_write(pool).await?;
    let slot = load_slot(&mut tx, id).await?;
    if !delete && slot.status == SlotStatus::Cancelled {
        return Err(Error::conflict(ConflictKind::SlotNotOpen, "the slot is already cancelled"));
    }
    let active: Vec<Booking> = sqlx::query_as("SELECT * FROM bookings WHERE slot_id = ? AND status = 'active'")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let mut cancelled_bookings = Vec::with_capacity(active.len());
    for booking in &active {
        cancelled_bookings.push(bookings::cancel_and_notify(&mut tx, booking, &slot, admin_id, reason, now).await?);
    }
    crate::waitlist::withdraw_for_slot(&mut tx, &slot, now).await?;
    let mut deleted_row = false;
    if delete {
        let any_booking: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bookings WHERE slot_id = ?)")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if any_booking {
            sqlx::query("UPDATE slots SET status = 'deleted', updated_at = ? WHERE id = ?")
                .bind(unix(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("DELETE FROM slots WHERE id = ?").bind(id).execute(&mut *tx).await?;
            deleted_row = true;
        }
    } else {
        sqlx::query("UPDATE slots SET status = 'cancelled', updated_at = ? WHERE id = ?")
            .bind(unix(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    // Those whose offers of this slot were withdrawn may take seats freed meanwhile.
    crate::waitlist::refill_wanted(&mut tx, rules, now).await?;
    let action = if delete { "slot.delete" } else { "slot.cancel" };
    let details = serde_json::json!({
        "reason": reason,
        "cancelled_booking_ids": cancelled_bookings.iter().map(|b| b.id).collect::<Vec<_>>(),
    });
    audit::record(&mut tx, now, admin_id, action, "slot", Some(id), details).await?;
    tx.commit().await?;
    Ok(SlotRemoval { cancelled_bookings, deleted_row })
}
