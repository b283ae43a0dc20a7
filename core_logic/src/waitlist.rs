//! The waitlist (issue 15): candidates who found no suitable time wait in order, with optional
//! preferred days and parts of the day. Whenever a seat frees (a cancellation or a move, an
//! admin's cancellation, a released unconfirmed booking, a raised capacity, a new slot, a
//! declined or expired offer), the first matching waiting candidate is offered it, in the same
//! transaction as the change that freed it: the seat is then *held* for them for
//! `WAITLIST_HOLD` (a row with its due time), and a held seat counts against the slot's capacity
//! in the booking transaction, so nobody else can take it and it is never overbooked. The
//! candidate takes it or declines; the bot's timed job ends the holds that expire, each once
//! across restarts, and offers the seat to the next.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use crate::bookings::{self, BookingWithSlot};
use crate::config::BookingRules;
use crate::db::begin_write;
use crate::error::{ConflictKind, Error, Result};
use crate::models::{OfferStatus, Slot, WaitlistStatus};
use crate::notifications::{self, Notification};
use crate::time::{chrono_dur, unix};
use crate::{approvals, audit};

/// Parts of the day as stored in `waitlist.parts`.
pub const MORNING: u8 = 1;
pub const AFTERNOON: u8 = 2;
pub const EVENING: u8 = 4;

/// A part of the day: morning before 12:00, afternoon 12:00-17:00, evening from 17:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Morning,
    Afternoon,
    Evening,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Morning, Part::Afternoon, Part::Evening];

    pub fn bit(self) -> u8 {
        match self {
            Self::Morning => MORNING,
            Self::Afternoon => AFTERNOON,
            Self::Evening => EVENING,
        }
    }

    /// The part of the day an hour falls in.
    pub fn of_hour(hour: u32) -> Self {
        match hour {
            0..=11 => Self::Morning,
            12..=16 => Self::Afternoon,
            _ => Self::Evening,
        }
    }
}

/// A waiting candidate's preferences: weekdays as bits (bit 0 = Monday) and parts of the day as
/// bits; 0 means any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub days: u8,
    pub parts: u8,
}

impl Preferences {
    /// Keeps only the meaningful bits.
    pub fn new(days: u8, parts: u8) -> Self {
        Self { days: days & 0x7f, parts: parts & 0x07 }
    }

    /// Whether an interview starting at `starts_at` suits them, read in `tz`.
    pub fn matches(self, starts_at: DateTime<Utc>, tz: Tz) -> bool {
        let local = starts_at.with_timezone(&tz);
        let day = 1u8 << local.weekday().num_days_from_monday();
        let part = Part::of_hour(local.hour()).bit();
        (self.days == 0 || self.days & day != 0) && (self.parts == 0 || self.parts & part != 0)
    }

    /// The preferred ISO weekdays (1 = Monday .. 7 = Sunday); empty = any day.
    pub fn weekdays(self) -> Vec<u8> {
        (0..7).filter(|d| self.days & (1 << d) != 0).map(|d| d + 1).collect()
    }

    /// The preferred parts of the day; empty = any time.
    pub fn part_list(self) -> Vec<Part> {
        Part::ALL.into_iter().filter(|p| self.parts & p.bit() != 0).collect()
    }

    fn from_row(days: i64, parts: i64) -> Self {
        Self::new(u8::try_from(days).unwrap_or(0), u8::try_from(parts).unwrap_or(0))
    }
}

/// A waitlist entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WaitlistEntry {
    pub id: i64,
    pub candidate_id: i64,
    pub vacancy_id: Option<i64>,
    pub days: i64,
    pub parts: i64,
    pub status: WaitlistStatus,
    pub joined_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_by_admin: Option<i64>,
}

impl WaitlistEntry {
    pub fn preferences(&self) -> Preferences {
        Preferences::from_row(self.days, self.parts)
    }
}

/// A seat offered to a waiting candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WaitlistOffer {
    pub id: i64,
    pub entry_id: i64,
    pub candidate_id: i64,
    pub slot_id: i64,
    pub status: OfferStatus,
    /// The recruiter who offered it by hand; absent for an automatic offer.
    pub by_admin: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub booking_id: Option<i64>,
}

/// A candidate's place in the list: the entry, its 1-based position among those waiting for the
/// same vacancy, and the offer awaiting their answer, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub entry: WaitlistEntry,
    pub position: i64,
    pub offer: Option<WaitlistOffer>,
}

const OFFER_COLUMNS: &str =
    "id, entry_id, candidate_id, slot_id, status, by_admin, created_at, expires_at, ended_at, booking_id";

/// The candidate joins the waitlist for their current vacancy with `prefs`; joining again only
/// changes the preferences. Refused when they hold every booking allowed, or need a recruiter's
/// approval to book.
pub async fn join(
    pool: &SqlitePool,
    rules: &BookingRules,
    candidate_id: i64,
    prefs: Preferences,
    now: DateTime<Utc>,
) -> Result<Place> {
    let mut tx = begin_write(pool).await?;
    if approvals::needs_approval(&mut tx, rules, candidate_id).await?.is_some() {
        return Err(Error::conflict(ConflictKind::ApprovalRequired, "a recruiter must approve a new booking"));
    }
    let held = upcoming_bookings(&mut tx, candidate_id, now).await?;
    if held >= i64::from(rules.max_active_bookings) {
        return Err(Error::conflict(ConflictKind::BookingLimitReached, "the candidate already holds a booking"));
    }
    let vacancy: Option<i64> = sqlx::query_scalar("SELECT vacancy_id FROM candidates WHERE id = ?")
        .bind(candidate_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("candidate", candidate_id))?;
    let updated = sqlx::query(
        "UPDATE waitlist SET days = ?, parts = ?, vacancy_id = ? WHERE candidate_id = ? AND status = 'waiting'",
    )
    .bind(i64::from(prefs.days))
    .bind(i64::from(prefs.parts))
    .bind(vacancy)
    .bind(candidate_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query("INSERT INTO waitlist (candidate_id, vacancy_id, days, parts, joined_at) VALUES (?, ?, ?, ?, ?)")
            .bind(candidate_id)
            .bind(vacancy)
            .bind(i64::from(prefs.days))
            .bind(i64::from(prefs.parts))
            .bind(unix(now))
            .execute(&mut *tx)
            .await?;
    }
    let place = place_in(&mut tx, candidate_id).await?.ok_or(Error::not_found("waitlist entry", candidate_id))?;
    tx.commit().await?;
    Ok(place)
}

/// The candidate's place in the list, if they are waiting.
pub async fn place(pool: &SqlitePool, candidate_id: i64) -> Result<Option<Place>> {
    let mut conn = pool.acquire().await?;
    place_in(&mut conn, candidate_id).await
}

async fn place_in(conn: &mut SqliteConnection, candidate_id: i64) -> Result<Option<Place>> {
    let Some(entry): Option<WaitlistEntry> =
        sqlx::query_as("SELECT * FROM waitlist WHERE candidate_id = ? AND status = 'waiting'")
            .bind(candidate_id)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let position: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM waitlist WHERE status = 'waiting' AND vacancy_id IS ?
            AND (joined_at, id) <= (?, ?)",
    )
    .bind(entry.vacancy_id)
    .bind(unix(entry.joined_at))
    .bind(entry.id)
    .fetch_one(&mut *conn)
    .await?;
    let offer = held_offer_of(conn, candidate_id).await?;
    Ok(Some(Place { entry, position, offer }))
}

/// The candidate leaves the list; an offer waiting for their answer goes to the next.
pub async fn leave(pool: &SqlitePool, rules: &BookingRules, candidate_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let mut tx = begin_write(pool).await?;
    let left =
        sqlx::query("UPDATE waitlist SET status = 'left', ended_at = ? WHERE candidate_id = ? AND status = 'waiting'")
            .bind(unix(now))
            .bind(candidate_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
    if let Some(offer) = held_offer_of(&mut tx, candidate_id).await? {
        end_offer(&mut tx, offer.id, OfferStatus::Withdrawn, None, now).await?;
        refill_slot(&mut tx, rules, offer.slot_id, now).await?;
    }
    tx.commit().await?;
    Ok(left)
}

/// A recruiter removes a waiting candidate from the list (audited); an offer waiting for their
/// answer goes to the next.
pub async fn remove(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    entry_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let candidate_id: i64 = sqlx::query_scalar(
        "UPDATE waitlist SET status = 'removed', ended_at = ?, ended_by_admin = ?
         WHERE id = ? AND status = 'waiting' RETURNING candidate_id",
    )
    .bind(unix(now))
    .bind(admin_id)
    .bind(entry_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::not_found("waitlist entry", entry_id))?;
    if let Some(offer) = held_offer_of(&mut tx, candidate_id).await? {
        end_offer(&mut tx, offer.id, OfferStatus::Withdrawn, None, now).await?;
        refill_slot(&mut tx, rules, offer.slot_id, now).await?;
    }
    let details = serde_json::json!({ "candidate_id": candidate_id });
    audit::record(&mut tx, now, admin_id, "waitlist.remove", "waitlist", Some(entry_id), details).await?;
    tx.commit().await?;
    Ok(())
}

/// The candidate takes the seat offered: booked under every booking rule (their own hold is the
/// seat they take), in one transaction. An offer found expired is ended (and passed on) instead.
pub async fn accept(
    pool: &SqlitePool,
    rules: &BookingRules,
    candidate_id: i64,
    offer_id: i64,
    now: DateTime<Utc>,
) -> Result<BookingWithSlot> {
    let mut tx = begin_write(pool).await?;
    let offer = own_offer(&mut tx, candidate_id, offer_id).await?;
    if offer.expires_at <= now {
        expire(&mut tx, rules, &offer, now).await?;
        tx.commit().await?;
        return Err(Error::conflict(ConflictKind::OfferEnded, "the offer expired"));
    }
    // Taking a seat offered for a vacancy is choosing that vacancy.
    sqlx::query(
        "UPDATE candidates SET vacancy_id = (SELECT vacancy_id FROM waitlist WHERE id = ?)
         WHERE id = ? AND (SELECT vacancy_id FROM waitlist WHERE id = ?) IS NOT NULL",
    )
    .bind(offer.entry_id)
    .bind(candidate_id)
    .bind(offer.entry_id)
    .execute(&mut *tx)
    .await?;
    let booked = match bookings::book_in(&mut tx, rules, candidate_id, offer.slot_id, None, now).await {
        Ok(booked) => booked,
        Err(err @ Error::Conflict { .. }) => {
            // The seat cannot be theirs after all (the slot starts too soon now, say): the hold
            // ends at once rather than at its time, and the seat goes on.
            drop(tx);
            let mut tx = begin_write(pool).await?;
            if end_offer(&mut tx, offer.id, OfferStatus::Withdrawn, None, now).await.is_ok() {
                refill_slot(&mut tx, rules, offer.slot_id, now).await?;
                refill_wanted(&mut tx, rules, now).await?;
            }
            tx.commit().await?;
            return Err(err);
        }
        Err(err) => return Err(err),
    };
    crate::team::notify(&mut tx, booked.booking.id, crate::team::Change::Booked, None, &[], now).await?;
    tx.commit().await?;
    Ok(booked)
}

/// The candidate declines the seat offered: it goes to the next; they stay in the list (and are
/// not offered this slot again).
pub async fn decline(
    pool: &SqlitePool,
    rules: &BookingRules,
    candidate_id: i64,
    offer_id: i64,
    now: DateTime<Utc>,
) -> Result<WaitlistOffer> {
    let mut tx = begin_write(pool).await?;
    let offer = own_offer(&mut tx, candidate_id, offer_id).await?;
    let ended = end_offer(&mut tx, offer.id, OfferStatus::Declined, None, now).await?;
    refill_slot(&mut tx, rules, offer.slot_id, now).await?;
    refill_wanted(&mut tx, rules, now).await?;
    tx.commit().await?;
    Ok(ended)
}

/// A recruiter offers a seat to a waiting candidate by hand, out of turn (audited).
pub async fn offer_by_hand(
    pool: &SqlitePool,
    rules: &BookingRules,
    admin_id: Option<i64>,
    entry_id: i64,
    slot_id: i64,
    now: DateTime<Utc>,
) -> Result<WaitlistOffer> {
    let mut tx = begin_write(pool).await?;
    let entry: WaitlistEntry = sqlx::query_as("SELECT * FROM waitlist WHERE id = ? AND status = 'waiting'")
        .bind(entry_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::not_found("waitlist entry", entry_id))?;
    if held_offer_of(&mut tx, entry.candidate_id).await?.is_some() {
        return Err(Error::conflict(ConflictKind::OfferPending, "the candidate has an offer waiting for an answer"));
    }
    if upcoming_bookings(&mut tx, entry.candidate_id, now).await? > 0 {
        return Err(Error::conflict(ConflictKind::BookingLimitReached, "the candidate already holds a booking"));
    }
    if approvals::needs_approval(&mut tx, rules, entry.candidate_id).await?.is_some() {
        return Err(Error::conflict(
            ConflictKind::ApprovalRequired,
            "the candidate missed too many interviews: approve their request first",
        ));
    }
    let slot = bookings::load_slot(&mut tx, slot_id).await?;
    check_offerable(&mut tx, rules, &slot, entry.vacancy_id, now).await?;
    let offer = insert_offer(&mut tx, rules, &entry, &slot, admin_id, now).await?;
    let details = serde_json::json!({ "candidate_id": entry.candidate_id, "slot_id": slot_id });
    audit::record(&mut tx, now, admin_id, "waitlist.offer", "waitlist", Some(entry_id), details).await?;
    tx.commit().await?;
    Ok(offer)
}

/// Ends every hold due by `now` (each once, however often this runs or restarts) and offers
/// each seat to the next. Returns how many expired.
pub async fn expire_due(pool: &SqlitePool, rules: &BookingRules, now: DateTime<Utc>) -> Result<usize> {
    let mut tx = begin_write(pool).await?;
    let sql = format!(
        "SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE status = 'held' AND expires_at <= ? ORDER BY expires_at, id"
    );
    let due: Vec<WaitlistOffer> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unix(now)).fetch_all(&mut *tx).await?;
    // Every due hold ends first, so each seat is offered knowing who is free of a hold.
    for offer in &due {
        end_expired(&mut tx, offer, now).await?;
    }
    for offer in &due {
        refill_slot(&mut tx, rules, offer.slot_id, now).await?;
    }
    if !due.is_empty() {
        refill_wanted(&mut tx, rules, now).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

async fn expire(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    offer: &WaitlistOffer,
    now: DateTime<Utc>,
) -> Result<()> {
    end_expired(conn, offer, now).await?;
    refill_slot(conn, rules, offer.slot_id, now).await?;
    refill_wanted(conn, rules, now).await?;
    Ok(())
}

/// Ends a hold that reached its time and tells its candidate; they stay in the list.
async fn end_expired(conn: &mut SqliteConnection, offer: &WaitlistOffer, now: DateTime<Utc>) -> Result<()> {
    end_offer(conn, offer.id, OfferStatus::Expired, None, now).await?;
    let starts_at: DateTime<Utc> = sqlx::query_scalar("SELECT starts_at FROM slots WHERE id = ?")
        .bind(offer.slot_id)
        .fetch_one(&mut *conn)
        .await?;
    notifications::queue(conn, offer.candidate_id, &Notification::OfferEnded { starts_at, expired: true }, now).await?;
    Ok(())
}

/// One offer, if it is the candidate's and still held.
async fn own_offer(conn: &mut SqliteConnection, candidate_id: i64, offer_id: i64) -> Result<WaitlistOffer> {
    let sql = format!("SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE id = ?");
    let offer: WaitlistOffer = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(offer_id)
        .fetch_optional(&mut *conn)
        .await?
        .filter(|o: &WaitlistOffer| o.candidate_id == candidate_id)
        .ok_or(Error::not_found("offer", offer_id))?;
    if offer.status != OfferStatus::Held {
        return Err(Error::conflict(ConflictKind::OfferEnded, format!("the offer is {}", offer.status)));
    }
    Ok(offer)
}

/// One offer.
pub async fn get_offer(pool: &SqlitePool, offer_id: i64) -> Result<WaitlistOffer> {
    let sql = format!("SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE id = ?");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(offer_id)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::not_found("offer", offer_id))
}

async fn held_offer_of(conn: &mut SqliteConnection, candidate_id: i64) -> Result<Option<WaitlistOffer>> {
    let sql = format!("SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE candidate_id = ? AND status = 'held'");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(candidate_id).fetch_optional(conn).await?)
}

async fn end_offer(
    conn: &mut SqliteConnection,
    offer_id: i64,
    status: OfferStatus,
    booking_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<WaitlistOffer> {
    let sql = format!(
        "UPDATE waitlist_offers SET status = ?, ended_at = ?, booking_id = ? WHERE id = ? AND status = 'held'
         RETURNING {OFFER_COLUMNS}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(status)
        .bind(unix(now))
        .bind(booking_id)
        .bind(offer_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::conflict(ConflictKind::OfferEnded, "the offer already ended"))
}

async fn upcoming_bookings(conn: &mut SqliteConnection, candidate_id: i64, now: DateTime<Utc>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.candidate_id = ? AND b.status = 'active' AND s.starts_at > ?",
    )
    .bind(candidate_id)
    .bind(unix(now))
    .fetch_one(conn)
    .await?)
}

/// Seats of a slot held for other candidates than `candidate_id`: the booking transaction counts
/// them against the capacity.
pub(crate) async fn held_for_others(conn: &mut SqliteConnection, slot_id: i64, candidate_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM waitlist_offers WHERE slot_id = ? AND status = 'held' AND candidate_id <> ?",
    )
    .bind(slot_id)
    .bind(candidate_id)
    .fetch_one(conn)
    .await?)
}

/// Inside the booking transaction, once the candidate booked `slot_id`: they leave the list, the
/// offer of this slot is accepted, an offer of another slot goes to the next.
pub(crate) async fn on_booked(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    candidate_id: i64,
    slot_id: i64,
    booking_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE waitlist SET status = 'booked', ended_at = ? WHERE candidate_id = ? AND status = 'waiting'")
        .bind(unix(now))
        .bind(candidate_id)
        .execute(&mut *conn)
        .await?;
    if let Some(offer) = held_offer_of(conn, candidate_id).await? {
        if offer.slot_id == slot_id {
            end_offer(conn, offer.id, OfferStatus::Accepted, Some(booking_id), now).await?;
        } else {
            end_offer(conn, offer.id, OfferStatus::Withdrawn, None, now).await?;
            refill_slot(conn, rules, offer.slot_id, now).await?;
        }
    }
    Ok(())
}

/// Inside the transaction that cancelled, deleted or moved a slot: its held offers end, their
/// candidates are told and stay in the list.
pub(crate) async fn withdraw_for_slot(conn: &mut SqliteConnection, slot: &Slot, now: DateTime<Utc>) -> Result<usize> {
    let sql = format!("SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE slot_id = ? AND status = 'held'");
    let held: Vec<WaitlistOffer> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slot.id).fetch_all(&mut *conn).await?;
    for offer in &held {
        end_offer(conn, offer.id, OfferStatus::Withdrawn, None, now).await?;
        let n = Notification::OfferEnded { starts_at: slot.starts_at, expired: false };
        notifications::queue(conn, offer.candidate_id, &n, now).await?;
    }
    Ok(held.len())
}

/// Offers again the seats that freed while nobody waiting could take them (each had another
/// offer to answer): called when a hold ends, which may free a candidate for them.
pub(crate) async fn refill_wanted(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    now: DateTime<Utc>,
) -> Result<usize> {
    let wanted: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM slots WHERE waitlist_wanted = 1 AND status = 'open' AND starts_at > ? ORDER BY starts_at, id",
    )
    .bind(unix(now))
    .fetch_all(&mut *conn)
    .await?;
    let mut offered = 0;
    for id in wanted {
        offered += refill_slot(conn, rules, id, now).await?;
    }
    Ok(offered)
}

async fn set_wanted(conn: &mut SqliteConnection, slot_id: i64, wanted: bool) -> Result<()> {
    sqlx::query("UPDATE slots SET waitlist_wanted = ? WHERE id = ? AND waitlist_wanted <> ?")
        .bind(wanted)
        .bind(slot_id)
        .bind(wanted)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside the transaction that freed a seat of `slot_id` (or added seats): offers each free seat
/// to the first matching waiting candidate, in order of joining. A candidate matches when they
/// wait for the slot's vacancy (or any), its time suits their preferences, they hold no booking
/// and no other offer, were not offered this slot before and need no approval to book. Returns
/// how many offers were made.
pub(crate) async fn refill_slot(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    slot_id: i64,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut offered = 0;
    loop {
        let sql = format!(
            "SELECT s.* FROM slots s
             WHERE s.id = ?1 AND s.status = 'open' AND s.starts_at > ?2 AND s.starts_at < ?3
               AND (s.vacancy_id IS NULL OR s.vacancy_id IN (SELECT id FROM vacancies WHERE status = 'active'))
               AND NOT {busy}
               AND s.capacity > (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active')
                              + (SELECT COUNT(*) FROM waitlist_offers o WHERE o.slot_id = s.id AND o.status = 'held')",
            busy = crate::interviewers::BUSY
        );
        let Some(slot): Option<Slot> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(slot_id)
            .bind(unix(now + chrono_dur(rules.min_notice)))
            .bind(unix(rules.horizon_end(now)))
            .fetch_optional(&mut *conn)
            .await?
        else {
            // Full, or no longer offerable: nothing waits for a taker.
            set_wanted(conn, slot_id, false).await?;
            return Ok(offered);
        };
        let Some(entry) = first_match(conn, rules, &slot, now).await? else {
            // A free seat nobody waiting can take now; offered again when a hold ends.
            set_wanted(conn, slot_id, true).await?;
            return Ok(offered);
        };
        insert_offer(conn, rules, &entry, &slot, None, now).await?;
        offered += 1;
    }
}

/// The first waiting candidate who may be offered `slot`.
async fn first_match(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    slot: &Slot,
    now: DateTime<Utc>,
) -> Result<Option<WaitlistEntry>> {
    let waiting: Vec<WaitlistEntry> = sqlx::query_as(
        "SELECT w.* FROM waitlist w JOIN candidates c ON c.id = w.candidate_id
         WHERE w.status = 'waiting' AND c.status = 'active'
           AND (?1 IS NULL OR w.vacancy_id IS NULL OR w.vacancy_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.candidate_id = w.candidate_id AND o.status = 'held')
           AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.candidate_id = w.candidate_id AND o.slot_id = ?2
                             AND o.status IN ('declined', 'expired'))
           AND NOT EXISTS (SELECT 1 FROM bookings b JOIN slots bs ON bs.id = b.slot_id
                            WHERE b.candidate_id = w.candidate_id AND b.status = 'active' AND bs.starts_at > ?3)
         ORDER BY w.joined_at, w.id",
    )
    .bind(slot.vacancy_id)
    .bind(slot.id)
    .bind(unix(now))
    .fetch_all(&mut *conn)
    .await?;
    for entry in waiting {
        if !entry.preferences().matches(slot.starts_at, rules.waitlist.timezone) {
            continue;
        }
        if approvals::needs_approval(conn, rules, entry.candidate_id).await?.is_some() {
            continue;
        }
        return Ok(Some(entry));
    }
    Ok(None)
}

/// Checks that `slot` can be offered now to someone waiting for `vacancy`: open, bookable in
/// time, of that vacancy (or any), with a seat neither booked nor held.
async fn check_offerable(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    slot: &Slot,
    vacancy: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    if slot.status != crate::models::SlotStatus::Open {
        return Err(Error::conflict(ConflictKind::SlotNotOpen, format!("the slot is {}", slot.status)));
    }
    if slot.starts_at <= now + chrono_dur(rules.min_notice) {
        return Err(Error::conflict(ConflictKind::TooLateToBook, "the slot starts too soon to be booked"));
    }
    if slot.starts_at >= rules.horizon_end(now) {
        return Err(Error::conflict(ConflictKind::BeyondHorizon, "the slot is beyond the booking horizon"));
    }
    if let (Some(s), Some(v)) = (slot.vacancy_id, vacancy)
        && s != v
    {
        return Err(Error::conflict(ConflictKind::VacancyMismatch, "the slot is for another vacancy"));
    }
    let (booked, held): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM bookings WHERE slot_id = ?1 AND status = 'active'),
                (SELECT COUNT(*) FROM waitlist_offers WHERE slot_id = ?1 AND status = 'held')",
    )
    .bind(slot.id)
    .fetch_one(&mut *conn)
    .await?;
    if booked + held >= slot.capacity {
        return Err(Error::conflict(ConflictKind::SlotFull, "the slot has no free place"));
    }
    Ok(())
}

/// Writes a held offer of `slot` to the entry's candidate and queues its message.
async fn insert_offer(
    conn: &mut SqliteConnection,
    rules: &BookingRules,
    entry: &WaitlistEntry,
    slot: &Slot,
    admin_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<WaitlistOffer> {
    let expires_at = now + chrono_dur(rules.waitlist.hold);
    let sql = format!(
        "INSERT INTO waitlist_offers (entry_id, candidate_id, slot_id, by_admin, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING {OFFER_COLUMNS}"
    );
    let offer: WaitlistOffer = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(entry.id)
        .bind(entry.candidate_id)
        .bind(slot.id)
        .bind(admin_id)
        .bind(unix(now))
        .bind(unix(expires_at))
        .fetch_one(&mut *conn)
        .await?;
    let vacancy: Option<String> = match slot.vacancy_id.or(entry.vacancy_id) {
        Some(id) => {
            sqlx::query_scalar("SELECT title FROM vacancies WHERE id = ?").bind(id).fetch_optional(&mut *conn).await?
        }
        None => None,
    };
    let n = Notification::Offer {
        offer_id: offer.id,
        starts_at: slot.starts_at,
        duration_minutes: slot.duration_minutes,
        format: slot.format.clone(),
        location: slot.location.clone(),
        vacancy,
        expires_at,
    };
    notifications::queue(conn, entry.candidate_id, &n, now).await?;
    Ok(offer)
}

// ---- the panel's views -----------------------------------------------------------------------

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaitlistFilter {
    pub vacancy_id: Option<i64>,
    /// One candidate's entry (their card).
    pub candidate_id: Option<i64>,
    /// Entries whose preferred days include this day's weekday (or any day).
    pub day: Option<NaiveDate>,
}

/// The offer a waiting candidate has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HeldOfferView {
    pub id: i64,
    pub slot_id: i64,
    pub slot_starts_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Offered by a recruiter by hand.
    pub by_admin: bool,
}

/// A waiting candidate as the panel shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WaitlistEntryView {
    pub id: i64,
    pub candidate_id: i64,
    pub candidate_name: String,
    pub username: Option<String>,
    pub vacancy_id: Option<i64>,
    pub vacancy_title: Option<String>,
    /// Preferred ISO weekdays (1 = Monday .. 7 = Sunday); empty = any day.
    pub days: Vec<u8>,
    /// Preferred parts of the day; empty = any time.
    pub parts: Vec<Part>,
    pub joined_at: DateTime<Utc>,
    /// 1-based, among those waiting for the same vacancy.
    pub position: i64,
    pub offer: Option<HeldOfferView>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    candidate_id: i64,
    candidate_name: String,
    username: Option<String>,
    vacancy_id: Option<i64>,
    vacancy_title: Option<String>,
    days: i64,
    parts: i64,
    joined_at: DateTime<Utc>,
    position: i64,
    offer_id: Option<i64>,
    offer_slot_id: Option<i64>,
    offer_starts_at: Option<DateTime<Utc>>,
    offer_expires_at: Option<DateTime<Utc>>,
    offer_by_admin: Option<i64>,
}

/// The waiting candidates in queue order.
pub async fn list(pool: &SqlitePool, filter: &WaitlistFilter) -> Result<Vec<WaitlistEntryView>> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT w.id, w.candidate_id, TRIM(c.first_name || ' ' || COALESCE(c.last_name, '')) AS candidate_name,
                c.username, w.vacancy_id, v.title AS vacancy_title, w.days, w.parts, w.joined_at,
                (SELECT COUNT(*) FROM waitlist x WHERE x.status = 'waiting' AND x.vacancy_id IS w.vacancy_id
                    AND (x.joined_at, x.id) <= (w.joined_at, w.id)) AS position,
                o.id AS offer_id, o.slot_id AS offer_slot_id, s.starts_at AS offer_starts_at,
                o.expires_at AS offer_expires_at, o.by_admin AS offer_by_admin
         FROM waitlist w
         JOIN candidates c ON c.id = w.candidate_id
         LEFT JOIN vacancies v ON v.id = w.vacancy_id
         LEFT JOIN waitlist_offers o ON o.candidate_id = w.candidate_id AND o.status = 'held'
         LEFT JOIN slots s ON s.id = o.slot_id
         WHERE w.status = 'waiting' AND (?1 IS NULL OR w.vacancy_id = ?1) AND (?2 IS NULL OR w.candidate_id = ?2)
         ORDER BY w.joined_at, w.id",
    )
    .bind(filter.vacancy_id)
    .bind(filter.candidate_id)
    .fetch_all(pool)
    .await?;
    let day_bit = filter.day.map(|d| 1u8 << d.weekday().num_days_from_monday());
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let prefs = Preferences::from_row(r.days, r.parts);
            if let Some(bit) = day_bit
                && prefs.days != 0
                && prefs.days & bit == 0
            {
                return None;
            }
            let offer = match (r.offer_id, r.offer_slot_id, r.offer_starts_at, r.offer_expires_at) {
                (Some(id), Some(slot_id), Some(slot_starts_at), Some(expires_at)) => Some(HeldOfferView {
                    id,
                    slot_id,
                    slot_starts_at,
                    expires_at,
                    by_admin: r.offer_by_admin.is_some(),
                }),
                _ => None,
            };
            Some(WaitlistEntryView {
                id: r.id,
                candidate_id: r.candidate_id,
                candidate_name: r.candidate_name,
                username: r.username,
                vacancy_id: r.vacancy_id,
                vacancy_title: r.vacancy_title,
                days: prefs.weekdays(),
                parts: prefs.part_list(),
                joined_at: r.joined_at,
                position: r.position,
                offer,
            })
        })
        .collect())
}

/// How many wait for one vacancy (or for any, `vacancy_id` absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct WaitingCount {
    pub vacancy_id: Option<i64>,
    pub vacancy_title: Option<String>,
    pub waiting: i64,
}

/// Offers by how they ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OfferCounts {
    pub held: i64,
    pub accepted: i64,
    pub declined: i64,
    pub expired: i64,
    pub withdrawn: i64,
}

/// Answers to the reminder's "will you come?".
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ConfirmationStats {
    /// Bookings whose reminder asked.
    pub asked: i64,
    /// Of those, confirmed.
    pub confirmed: i64,
    /// confirmed / asked; absent when nobody was asked.
    pub rate: Option<f64>,
}

/// Attendance of one week's interviews (by the week of the interview, Monday first).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NoShowWeek {
    pub week_start: NaiveDate,
    pub attended: i64,
    pub no_show: i64,
    /// no_show / (attended + no_show); absent when nothing was marked.
    pub rate: Option<f64>,
}

/// The dashboard's waitlist figures.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WaitlistStats {
    pub waiting_by_vacancy: Vec<WaitingCount>,
    pub offers: OfferCounts,
    /// Seats filled from the waitlist (offers taken).
    pub refilled: i64,
    pub confirmation: ConfirmationStats,
    /// The last 8 weeks, oldest first.
    pub no_show_by_week: Vec<NoShowWeek>,
}

/// The figures at `now`, weeks read in `tz`.
pub async fn stats(pool: &SqlitePool, tz: Tz, now: DateTime<Utc>) -> Result<WaitlistStats> {
    let waiting_by_vacancy: Vec<WaitingCount> = sqlx::query_as(
        "SELECT w.vacancy_id, v.title AS vacancy_title, COUNT(*) AS waiting
         FROM waitlist w LEFT JOIN vacancies v ON v.id = w.vacancy_id
         WHERE w.status = 'waiting' GROUP BY w.vacancy_id ORDER BY waiting DESC, v.title",
    )
    .fetch_all(pool)
    .await?;
    let by_status: Vec<(OfferStatus, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM waitlist_offers GROUP BY status").fetch_all(pool).await?;
    let mut offers = OfferCounts::default();
    for (status, n) in by_status {
        *match status {
            OfferStatus::Held => &mut offers.held,
            OfferStatus::Accepted => &mut offers.accepted,
            OfferStatus::Declined => &mut offers.declined,
            OfferStatus::Expired => &mut offers.expired,
            OfferStatus::Withdrawn => &mut offers.withdrawn,
        } = n;
    }
    let (asked, confirmed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(b.confirmed_at IS NOT NULL), 0) FROM bookings b
         WHERE EXISTS (SELECT 1 FROM reminders r WHERE r.booking_id = b.id AND r.status = 'sent'
                         AND r.offset_minutes >= ?)",
    )
    .bind(crate::reminders::ASK_FROM_MINUTES)
    .fetch_one(pool)
    .await?;
    let rate = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
    let today = now.with_timezone(&tz).date_naive();
    let this_week = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first_week = this_week - Duration::weeks(7);
    let marked: Vec<(DateTime<Utc>, crate::models::BookingStatus)> = sqlx::query_as(
        "SELECT s.starts_at, b.status FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.status IN ('attended', 'no_show') AND s.starts_at >= ?",
    )
    .bind(unix(now - Duration::weeks(9)))
    .fetch_all(pool)
    .await?;
    let mut no_show_by_week: Vec<NoShowWeek> = (0..8)
        .map(|i| NoShowWeek { week_start: first_week + Duration::weeks(i), attended: 0, no_show: 0, rate: None })
        .collect();
    for (starts_at, status) in marked {
        let day = starts_at.with_timezone(&tz).date_naive();
        let week = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        if let Some(w) = no_show_by_week.iter_mut().find(|w| w.week_start == week) {
            if status == crate::models::BookingStatus::NoShow {
                w.no_show += 1;
            } else {
                w.attended += 1;
            }
        }
    }
    for w in &mut no_show_by_week {
        w.rate = rate(w.no_show, w.attended + w.no_show);
    }
    Ok(WaitlistStats {
        waiting_by_vacancy,
        refilled: offers.accepted,
        offers,
        confirmation: ConfirmationStats { asked, confirmed, rate: rate(confirmed, asked) },
        no_show_by_week,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_read_the_day_and_part_in_the_zone() {
        let tz = chrono_tz::Europe::Moscow;
        // Monday 2026-12-07 09:00 UTC is 12:00 in Moscow: Monday afternoon.
        let at = "2026-12-07T09:00:00Z".parse().expect("a time");
        assert!(Preferences::default().matches(at, tz));
        assert!(Preferences::new(0b1, 0).matches(at, tz));
        assert!(!Preferences::new(0b10, 0).matches(at, tz));
        assert!(Preferences::new(0, AFTERNOON).matches(at, tz));
        assert!(!Preferences::new(0, MORNING | EVENING).matches(at, tz));
        assert_eq!(Preferences::new(0b101, EVENING).weekdays(), vec![1, 3]);
        assert_eq!(Preferences::new(0, MORNING | EVENING).part_list(), vec![Part::Morning, Part::Evening]);
    }
}
