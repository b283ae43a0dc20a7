//! The booking rules of DESIGN.md, each enforced inside one `BEGIN IMMEDIATE` transaction,
//! whoever calls (a button, forged or not, is only a request): slot status, capacity, at most N
//! active upcoming bookings per candidate, minimum notice, the booking horizon, the cancel /
//! reschedule deadline, reschedule that frees the old slot only once the new one is booked, and
//! admin cancellations that notify the candidate.

use chrono::{DateTime, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::config::BookingRules;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::{Booking, BookingStatus, CandidateStatus, Slot, SlotStatus, VacancyStatus};
use crate::notifications::{self, CalendarEvent, Notification};
use crate::time::{chrono_dur, unix};
use crate::{audit, reminders};

/// A booking together with its slot.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BookingWithSlot {
    pub booking: Booking,
    pub slot: Slot,
}

/// Books `slot_id` for `candidate_id`, creating its reminders.
pub async fn book(
    pool: &SqlitePool,
    rules: &BookingRules,
    candidate_id: i64,
    slot_id: i64,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let mut tx = begin_write(pool).await?;
    let booked = book_in(&mut tx, rules, candidate_id, slot_id, None, now).await?;
    crate::team::notify(&mut tx, booked.booking.id, crate::team::Change::Booked, None, &[], now).await?;
    tx.commit().await?;
    Ok(booked)
}

/// The candidate cancels their own booking, before the deadline.
pub async fn cancel_by_candidate(
    pool: &SqlitePool,
    rules: &BookingRules,
    candidate_id: i64,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let mut tx = begin_write(pool).await?;
    let BookingWithSlot { booking, slot } =
        own_changeable_booking(&mut tx, rules, candidate_id, booking_id, now).await?;
    let booking =
        end_booking(&mut tx, booking.id, BookingStatus::CancelledByCandidate, "candidate", None, None, now).await?;
    crate::team::notify(&mut tx, booking.id, crate::team::Change::Cancelled, None, &[], now).await?;
    crate::waitlist::refill_slot(&mut tx, rules, slot.id, now).await?;
    tx.commit().await?;
    Ok(BookingWithSlot { booking, slot })
}

/// The candidate moves their booking to `new_slot_id`. The new slot is booked first, under every
/// rule (the old booking does not count against the limit); only then is the old one freed, in
/// the same transaction, so a failure leaves the old booking as it was.
pub async fn reschedule(
    pool: &SqlitePool,
    rules: &BookingRules,
    candidate_id: i64,
    booking_id: i64,
    new_slot_id: i64,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let mut tx = begin_write(pool).await?;
    let old = own_changeable_booking(&mut tx, rules, candidate_id, booking_id, now).await?;
    if old.slot.id == new_slot_id {
        return Err(Error::conflict(ConflictKind::AlreadyBooked, "this is already the booked slot"));
    }
    let new = book_in(&mut tx, rules, candidate_id, new_slot_id, Some(old.booking.id), now).await?;
    end_booking(&mut tx, old.booking.id, BookingStatus::Rescheduled, "candidate", None, None, now).await?;
    crate::team::notify_move(&mut tx, old.booking.id, new.booking.id, old.slot.starts_at, now).await?;
    crate::waitlist::refill_slot(&mut tx, rules, old.slot.id, now).await?;
    tx.commit().await?;
    Ok(new)
}

/// An admin cancels a booking; the candidate is notified if the interview is still ahead, and
/// the freed seat is offered to the waitlist.
pub async fn cancel_by_admin(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    booking_id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let mut tx = begin_write(pool).await?;
    let BookingWithSlot { booking, slot } = load(&mut tx, booking_id).await?;
    if booking.status != BookingStatus::Active {
        return Err(Error::conflict(ConflictKind::BookingNotActive, format!("the booking is {}", booking.status)));
    }
    let booking = cancel_and_notify(&mut tx, &booking, &slot, admin_id, reason, now).await?;
    crate::waitlist::refill_slot(&mut tx, rules, slot.id, now).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "booking.cancel",
        "booking",
        Some(booking.id),
        serde_json::json!({ "reason": reason, "slot_id": slot.id, "candidate_id": booking.candidate_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(BookingWithSlot { booking, slot })
}

/// An admin marks whether the candidate came. Allowed once the interview has started; a mark can
/// be corrected (attended <-> no-show).
pub async fn mark_attendance(
    pool: &SqlitePool,
    admin_id: Option<i64>,
    booking_id: i64,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let mut tx = begin_write(pool).await?;
    let BookingWithSlot { booking, slot } = load(&mut tx, booking_id).await?;
    if !matches!(booking.status, BookingStatus::Active | BookingStatus::Attended | BookingStatus::NoShow) {
        return Err(Error::conflict(ConflictKind::BookingNotActive, format!("the booking is {}", booking.status)));
    }
    if slot.starts_at > now {
        return Err(Error::validation("attendance", "the interview has not started yet"));
    }
    let status = if attended { BookingStatus::Attended } else { BookingStatus::NoShow };
    let booking: Booking = sqlx::query_as(
        "UPDATE bookings SET status = ?, attendance_marked_at = ?, updated_at = ? WHERE id = ? RETURNING *",
    )
    .bind(status)
    .bind(unix(now))
    .bind(unix(now))
    .bind(booking_id)
    .fetch_one(&mut *tx)
    .await?;
    reminders::cancel_for_booking(&mut tx, booking_id).await?;
    audit::record(
        &mut tx,
        now,
        admin_id,
        "booking.attendance",
        "booking",
        Some(booking_id),
        serde_json::json!({ "status": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(BookingWithSlot { booking, slot })
}

/// One booking with its slot.
pub async fn get(pool: &SqlitePool, booking_id: i64) -> Result<BookingWithSlot> {
    let mut conn = pool.acquire().await?;
    load(&mut conn, booking_id).await
}

/// The candidate's active bookings of slots that have not started, soonest first.
pub async fn active_upcoming_for_candidate(
    pool: &SqlitePool,
    candidate_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<BookingWithSlot>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.candidate_id = ? AND b.status = 'active' AND s.starts_at > ? ORDER BY s.starts_at",
    )
    .bind(candidate_id)
    .bind(unix(now))
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(load(&mut conn, id).await?);
    }
    Ok(out)
}

/// Books inside the caller's transaction. `replacing` is a booking of the same candidate that
/// is about to be freed (a reschedule) and so does not count against the limit. Seats held for
/// other candidates' waitlist offers count against the capacity; the candidate's own hold of
/// this slot is the seat they take.
pub(crate) async fn book_in(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    candidate_id: i64,
    slot_id: i64,
    replacing: Option<i64>,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let (status, chosen): (CandidateStatus, Option<i64>) =
        sqlx::query_as("SELECT status, vacancy_id FROM candidates WHERE id = ?")
            .bind(candidate_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::not_found("candidate", candidate_id))?;
    // The vacancy the booking is for: a moved booking's own, else the candidate's current choice.
    let replaced_vacancy: Option<i64> = match replacing {
        Some(id) => sqlx::query_scalar("SELECT vacancy_id FROM bookings WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
        None => None,
    };
    let wanted = if replacing.is_some() { replaced_vacancy } else { chosen };
    if status == CandidateStatus::Blocked {
        return Err(Error::conflict(ConflictKind::CandidateNotActive, "the candidate is blocked"));
    }
    if replacing.is_none() && crate::approvals::needs_approval(conn, rules, candidate_id).await?.is_some() {
        return Err(Error::conflict(ConflictKind::ApprovalRequired, "a recruiter must approve a new booking"));
    }
    let slot = load_slot(conn, slot_id).await?;
    if slot.status != SlotStatus::Open {
        return Err(Error::conflict(ConflictKind::SlotNotOpen, format!("the slot is {}", slot.status)));
    }
    if let Some(vacancy_id) = slot.vacancy_id {
        // Read in the same write transaction as the booking: an archive committed before it
        // is seen, one after it finds the booking made.
        let status: Option<VacancyStatus> = sqlx::query_scalar("SELECT status FROM vacancies WHERE id = ?")
            .bind(vacancy_id)
            .fetch_optional(&mut *conn)
            .await?;
        if status != Some(VacancyStatus::Active) {
            return Err(Error::conflict(ConflictKind::VacancyArchived, "the slot's vacancy is archived"));
        }
    }
    if let (Some(slot_vacancy), Some(wanted)) = (slot.vacancy_id, wanted)
        && slot_vacancy != wanted
    {
        return Err(Error::conflict(ConflictKind::VacancyMismatch, "the slot is for another vacancy"));
    }
    let vacancy_id = slot.vacancy_id.or(wanted);
    // Read in the same write transaction: a booking of an overlapping slot of the same
    // interviewer committed before is seen, one after sees this one.
    crate::interviewers::check_free(conn, &slot, replacing).await?;
    if slot.starts_at <= now + chrono_dur(rules.min_notice) {
        return Err(Error::conflict(ConflictKind::TooLateToBook, "the slot starts too soon to be booked"));
    }
    if slot.starts_at >= rules.horizon_end(now) {
        return Err(Error::conflict(
            ConflictKind::BeyondHorizon,
            format!("the slot is more than {} days ahead", rules.horizon_days),
        ));
    }
    let already: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM bookings WHERE slot_id = ? AND candidate_id = ? AND status = 'active')",
    )
    .bind(slot_id)
    .bind(candidate_id)
    .fetch_one(&mut *conn)
    .await?;
    if already {
        return Err(Error::conflict(ConflictKind::AlreadyBooked, "the candidate already booked this slot"));
    }
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE slot_id = ? AND status = 'active'")
        .bind(slot_id)
        .fetch_one(&mut *conn)
        .await?;
    let held_for_others = crate::waitlist::held_for_others(conn, slot_id, candidate_id).await?;
    if taken + held_for_others >= slot.capacity {
        return Err(Error::conflict(ConflictKind::SlotFull, "the slot has no free place"));
    }
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.candidate_id = ? AND b.status = 'active' AND s.starts_at > ? AND b.id IS NOT ?",
    )
    .bind(candidate_id)
    .bind(unix(now))
    .bind(replacing)
    .fetch_one(&mut *conn)
    .await?;
    if held >= i64::from(rules.max_active_bookings) {
        return Err(Error::conflict(
            ConflictKind::BookingLimitReached,
            format!("the candidate already holds {held} active booking(s)"),
        ));
    }
    // A reschedule carries the replaced booking's calendar event on, one sequence higher.
    let booking: Booking = sqlx::query_as(
        "INSERT INTO bookings (slot_id, candidate_id, created_at, updated_at, rescheduled_from,
                               calendar_uid, calendar_sequence, vacancy_id)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 (SELECT COALESCE(calendar_uid, 'booking-' || id || '@interview-booking') FROM bookings WHERE id = ?5),
                 COALESCE((SELECT calendar_sequence + 1 FROM bookings WHERE id = ?5), 0), ?6)
         RETURNING *",
    )
    .bind(slot_id)
    .bind(candidate_id)
    .bind(unix(now))
    .bind(unix(now))
    .bind(replacing)
    .bind(vacancy_id)
    .fetch_one(&mut *conn)
    .await?;
    crate::invites::use_on_booking(conn, candidate_id, vacancy_id, now).await?;
    reminders::create_for_booking(conn, booking.id, slot.starts_at, &rules.reminder_offsets, now).await?;
    crate::waitlist::on_booked(conn, rules, candidate_id, slot_id, booking.id, now).await?;
    Ok(BookingWithSlot { booking, slot })
}

/// The candidate answered "yes" to the reminder's "will you come?": the booking is confirmed
/// (and no longer flagged). Returns the booking, or `None` when it is not theirs or not active.
pub async fn confirm(
    pool: &SqlitePool,
    candidate_id: i64,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<BookingWithSlot>> {
    let mut tx = begin_write(pool).await?;
    let confirmed: Option<i64> = sqlx::query_scalar(
        "UPDATE bookings SET confirmed_at = COALESCE(confirmed_at, ?), updated_at = ?
         WHERE id = ? AND candidate_id = ? AND status = 'active' RETURNING id",
    )
    .bind(unix(now))
    .bind(unix(now))
    .bind(booking_id)
    .bind(candidate_id)
    .fetch_optional(&mut *tx)
    .await?;
    let found = match confirmed {
        Some(id) => Some(load(&mut tx, id).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(found)
}

/// What one reconfirmation step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reconfirmation {
    /// Bookings found unconfirmed at the deadline (flagged in the panel).
    pub flagged: usize,
    /// Of those, released to the waitlist (`RELEASE_UNCONFIRMED`).
    pub released: usize,
}

/// At `RECONFIRM_DEADLINE` before each interview: an active booking whose reminder asked "will
/// you come?" without an answer is flagged, once; with `RELEASE_UNCONFIRMED` it is cancelled,
/// the candidate told politely, and the seat offered to the waitlist.
pub async fn reconfirm_step(pool: &SqlitePool, rules: &BookingRules, now: DateTime<Utc>) -> Result<Reconfirmation> {
    let mut tx = begin_write(pool).await?;
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT b.id FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.status = 'active' AND b.confirmed_at IS NULL AND b.reconfirm_flagged_at IS NULL
           AND s.starts_at > ?1 AND s.starts_at <= ?1 + ?2
           AND EXISTS (SELECT 1 FROM reminders r WHERE r.booking_id = b.id AND r.status = 'sent'
                         AND r.offset_minutes >= ?3)
         ORDER BY s.starts_at, b.id",
    )
    .bind(unix(now))
    .bind(rules.waitlist.reconfirm_deadline.as_secs() as i64)
    .bind(reminders::ASK_FROM_MINUTES)
    .fetch_all(&mut *tx)
    .await?;
    let mut done = Reconfirmation::default();
    for id in due {
        sqlx::query("UPDATE bookings SET reconfirm_flagged_at = ? WHERE id = ?")
            .bind(unix(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        done.flagged += 1;
        if !rules.waitlist.release_unconfirmed {
            continue;
        }
        let BookingWithSlot { booking, slot } = load(&mut tx, id).await?;
        end_booking(&mut tx, id, BookingStatus::CancelledByAdmin, "system", None, None, now).await?;
        let notification = Notification::Released {
            booking_id: id,
            slot_starts_at: slot.starts_at,
            calendar: Some(calendar_event(&mut tx, id, &slot).await?),
        };
        notifications::queue(&mut tx, booking.candidate_id, &notification, now).await?;
        crate::team::notify(&mut tx, id, crate::team::Change::Cancelled, None, &[], now).await?;
        crate::waitlist::refill_slot(&mut tx, rules, slot.id, now).await?;
        let details = serde_json::json!({ "slot_id": slot.id, "candidate_id": booking.candidate_id });
        audit::record(&mut tx, now, None, "booking.release_unconfirmed", "booking", Some(id), details).await?;
        done.released += 1;
    }
    tx.commit().await?;
    Ok(done)
}

/// The candidate's own active booking that may still be cancelled or moved. Another candidate's
/// booking answers "not found", so a forged id reveals nothing.
async fn own_changeable_booking(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    candidate_id: i64,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let found = load(conn, booking_id).await?;
    if found.booking.candidate_id != candidate_id {
        return Err(Error::not_found("booking", booking_id));
    }
    if found.booking.status != BookingStatus::Active {
        return Err(Error::conflict(
            ConflictKind::BookingNotActive,
            format!("the booking is {}", found.booking.status),
        ));
    }
    if found.slot.starts_at - chrono_dur(rules.cancel_deadline) <= now {
        return Err(Error::conflict(ConflictKind::DeadlinePassed, "too close to the interview to change it"));
    }
    Ok(found)
}

/// Cancels an active booking on an admin's behalf and, when the interview is still ahead, queues
/// a notification to the candidate. Used by booking, slot cancel and slot delete.
pub(crate) async fn cancel_and_notify(
    conn: &mut SqliteConnection,
    booking: &Booking,
    slot: &Slot,
    admin_id: Option<i64>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Booking> {
    let cancelled =
        end_booking(conn, booking.id, BookingStatus::CancelledByAdmin, "admin", admin_id, reason, now).await?;
    if slot.starts_at > now {
        let notification = Notification::BookingCancelled {
            booking_id: booking.id,
            slot_starts_at: slot.starts_at,
            reason: reason.map(str::to_owned),
            calendar: Some(calendar_event(conn, booking.id, slot).await?),
        };
        notifications::queue(conn, booking.candidate_id, &notification, now).await?;
        crate::team::notify(conn, booking.id, crate::team::Change::Cancelled, None, &[], now).await?;
    }
    Ok(cancelled)
}

async fn end_booking(
    conn: &mut SqliteConnection,
    booking_id: i64,
    status: BookingStatus,
    by: &str,
    admin_id: Option<i64>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Booking> {
    let booking = sqlx::query_as(
        "UPDATE bookings SET status = ?, cancelled_at = ?, cancelled_by = ?, cancelled_by_admin = ?,
                             cancel_reason = ?, updated_at = ?
         WHERE id = ? RETURNING *",
    )
    .bind(status)
    .bind(unix(now))
    .bind(by)
    .bind(admin_id)
    .bind(reason)
    .bind(unix(now))
    .bind(booking_id)
    .fetch_one(&mut *conn)
    .await?;
    reminders::cancel_for_booking(conn, booking_id).await?;
    Ok(booking)
}

/// The candidate's calendar event of a booking: its UID for the booking's whole life (a
/// reschedule keeps the one of the booking it replaced) and its current SEQUENCE.
pub async fn calendar_identity(conn: &mut SqliteConnection, booking_id: i64) -> Result<(String, i64)> {
    sqlx::query_as(
        "SELECT COALESCE(calendar_uid, 'booking-' || id || '@interview-booking'), calendar_sequence
         FROM bookings WHERE id = ?",
    )
    .bind(booking_id)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::not_found("booking", booking_id))
}

/// The calendar event of a booking, as it now stands.
pub async fn calendar_event_of(pool: &SqlitePool, booked: &BookingWithSlot) -> Result<CalendarEvent> {
    let mut conn = pool.acquire().await?;
    calendar_event(&mut conn, booked.booking.id, &booked.slot).await
}

/// The calendar event of a booking of `slot`, as it now stands.
pub(crate) async fn calendar_event(conn: &mut SqliteConnection, booking_id: i64, slot: &Slot) -> Result<CalendarEvent> {
    let (uid, sequence) = calendar_identity(conn, booking_id).await?;
    Ok(CalendarEvent {
        uid,
        sequence,
        starts_at: slot.starts_at,
        duration_minutes: slot.duration_minutes,
        location: slot.location.clone(),
    })
}

pub(crate) async fn load(conn: &mut SqliteConnection, booking_id: i64) -> Result<BookingWithSlot> {
    let booking: Booking = sqlx::query_as("SELECT * FROM bookings WHERE id = ?")
        .bind(booking_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::not_found("booking", booking_id))?;
    let slot = sqlx::query_as("SELECT * FROM slots WHERE id = ?").bind(booking.slot_id).fetch_one(&mut *conn).await?;
    Ok(BookingWithSlot { booking, slot })
}

/// A slot that exists and is not deleted.
pub(crate) async fn load_slot(conn: &mut SqliteConnection, slot_id: i64) -> Result<Slot> {
    sqlx::query_as("SELECT * FROM slots WHERE id = ? AND status <> 'deleted'")
        .bind(slot_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::not_found("slot", slot_id))
}
