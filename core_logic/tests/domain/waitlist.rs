//! Issue 15: the waitlist, held offers, reconfirmation and the no-show policy, on real SQLite
//! files with a controlled clock: scenarios, a property test over random sequences, and the race
//! of 200 tasks for a held seat.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use core_logic::config::{BookingRules, WaitlistRules};
use core_logic::models::{BookingStatus, OfferStatus, WaitlistStatus};
use core_logic::waitlist::{self, AFTERNOON, EVENING, MORNING, Preferences, WaitlistFilter};
use core_logic::{ConflictKind, Error, approvals, bookings, reminders, slots};
use proptest::prelude::*;
use tokio::sync::Barrier;

use super::support::{TestDb, new_slot, rules, t0};

fn conflict<T: std::fmt::Debug>(r: Result<T, Error>) -> ConflictKind {
    match r {
        Err(Error::Conflict { kind, .. }) => kind,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn held(db: &TestDb) -> Vec<(i64, i64, i64)> {
    sqlx::query_as("SELECT id, candidate_id, slot_id FROM waitlist_offers WHERE status = 'held' ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap()
}

async fn notifications_of(db: &TestDb, candidate: i64, kind: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE candidate_id = ? AND json_extract(notification, '$.type') = ?",
    )
    .bind(candidate)
    .bind(kind)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

const ANY: Preferences = Preferences { days: 0, parts: 0 };

#[tokio::test]
async fn a_freed_seat_is_held_for_the_first_matching_candidate_and_nobody_else_can_book_it() {
    let db = TestDb::new().await;
    let r = rules();
    // 2026-12-03 is a Thursday; t0 + 48 h = 09:00 UTC = 12:00 in Moscow: Thursday afternoon.
    let slot = db.slot(48, 1).await;
    let (anna, boris, vera, gleb) =
        (db.candidate(1).await.id, db.candidate(2).await.id, db.candidate(3).await.id, db.candidate(4).await.id);
    let booked = bookings::book(&db.pool, &r, anna, slot.id, t0()).await.unwrap();
    // Boris wants evenings only, Vera any time; Boris joined first.
    let boris_place = waitlist::join(&db.pool, &r, boris, Preferences::new(0, EVENING), t0()).await.unwrap();
    let vera_place = waitlist::join(&db.pool, &r, vera, ANY, t0() + Duration::minutes(1)).await.unwrap();
    assert_eq!((boris_place.position, vera_place.position), (1, 2));

    let at = t0() + Duration::hours(1);
    bookings::cancel_by_candidate(&db.pool, &r, anna, booked.booking.id, at).await.unwrap();
    let offers = held(&db).await;
    assert_eq!(offers.len(), 1);
    assert_eq!((offers[0].1, offers[0].2), (vera, slot.id), "Boris's evenings do not match 12:00");
    assert_eq!(notifications_of(&db, vera, "offer").await, 1);
    // The held seat is nobody else's: not listed, not bookable.
    let bookable = slots::list_bookable(&db.pool, &r, None, at, r.horizon_end(at)).await.unwrap();
    assert!(bookable.iter().all(|s| s.slot.id != slot.id));
    assert_eq!(conflict(bookings::book(&db.pool, &r, gleb, slot.id, at).await), ConflictKind::SlotFull);
    assert_eq!(slots::get(&db.pool, slot.id).await.unwrap().held, 1);

    let taken = waitlist::accept(&db.pool, &r, vera, offers[0].0, at + Duration::minutes(5)).await.unwrap();
    assert_eq!(taken.slot.id, slot.id);
    let offer = waitlist::get_offer(&db.pool, offers[0].0).await.unwrap();
    assert_eq!((offer.status, offer.booking_id), (OfferStatus::Accepted, Some(taken.booking.id)));
    assert!(waitlist::place(&db.pool, vera).await.unwrap().is_none(), "booking leaves the list");
    let left: WaitlistStatus = sqlx::query_scalar("SELECT status FROM waitlist WHERE candidate_id = ?")
        .bind(vera)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, WaitlistStatus::Booked);
    // Boris still waits, now first.
    assert_eq!(waitlist::place(&db.pool, boris).await.unwrap().unwrap().position, 1);
}

#[tokio::test]
async fn a_decline_and_an_expiry_pass_the_seat_to_the_next_each_once() {
    let db = TestDb::new().await;
    let r = rules();
    let slot = db.slot(48, 1).await;
    let ids: Vec<i64> =
        futures_util::future::join_all((1..=4).map(|n| db.candidate(n))).await.iter().map(|c| c.id).collect();
    let (anna, boris, vera, gleb) = (ids[0], ids[1], ids[2], ids[3]);
    let booked = bookings::book(&db.pool, &r, anna, slot.id, t0()).await.unwrap();
    for (i, c) in [boris, vera, gleb].into_iter().enumerate() {
        waitlist::join(&db.pool, &r, c, ANY, t0() + Duration::minutes(i as i64)).await.unwrap();
    }
    let at = t0() + Duration::hours(1);
    bookings::cancel_by_admin(&db.pool, &r, None, booked.booking.id, None, at).await.unwrap();
    let first = held(&db).await;
    assert_eq!(first.iter().map(|o| o.1).collect::<Vec<_>>(), vec![boris]);

    // Boris declines: Vera gets it; Boris stays in the list.
    waitlist::decline(&db.pool, &r, boris, first[0].0, at + Duration::minutes(1)).await.unwrap();
    let second = held(&db).await;
    assert_eq!(second.iter().map(|o| o.1).collect::<Vec<_>>(), vec![vera]);
    assert!(waitlist::place(&db.pool, boris).await.unwrap().is_some());
    assert_eq!(conflict(waitlist::decline(&db.pool, &r, boris, first[0].0, at).await), ConflictKind::OfferEnded);

    // Vera lets it expire: nothing happens before the hold's end, then Gleb gets it, once.
    let hold = Duration::from_std(r.waitlist.hold).unwrap();
    let before = at + Duration::minutes(1) + hold - Duration::seconds(1);
    assert_eq!(waitlist::expire_due(&db.pool, &r, before).await.unwrap(), 0);
    let after = at + Duration::minutes(1) + hold;
    assert_eq!(waitlist::expire_due(&db.pool, &r, after).await.unwrap(), 1);
    assert_eq!(waitlist::expire_due(&db.pool, &r, after).await.unwrap(), 0, "processed once");
    let third = held(&db).await;
    assert_eq!(third.iter().map(|o| o.1).collect::<Vec<_>>(), vec![gleb]);
    assert_eq!(notifications_of(&db, vera, "offer_ended").await, 1);
    // Vera pressing "take" too late is told it ended.
    assert_eq!(conflict(waitlist::accept(&db.pool, &r, vera, second[0].0, after).await), ConflictKind::OfferEnded);

    // Gleb presses "take" after his hold's end, before the job ran: refused, and the seat goes
    // on (Boris declined this slot and Vera let it expire, so nobody is left for it).
    let late = after + hold;
    assert_eq!(conflict(waitlist::accept(&db.pool, &r, gleb, third[0].0, late).await), ConflictKind::OfferEnded);
    assert!(held(&db).await.is_empty());
    assert_eq!(slots::get(&db.pool, slot.id).await.unwrap().free(), 1);
}

#[tokio::test]
async fn new_slots_raised_capacity_and_a_booking_elsewhere_offer_seats() {
    let db = TestDb::new().await;
    let r = rules();
    let (boris, vera) = (db.candidate(2).await.id, db.candidate(3).await.id);
    waitlist::join(&db.pool, &r, boris, ANY, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, vera, Preferences::new(0, MORNING | AFTERNOON), t0()).await.unwrap();
    // A new slot: offered to Boris at once.
    let slot = db.slot(48, 1).await;
    assert_eq!(held(&db).await.iter().map(|o| (o.1, o.2)).collect::<Vec<_>>(), vec![(boris, slot.id)]);
    // Its capacity raised: the new seat goes to Vera.
    let changes = slots::SlotChanges { capacity: Some(2), ..Default::default() };
    slots::update(&db.pool, &r, None, slot.id, &changes, t0()).await.unwrap();
    assert_eq!(held(&db).await.iter().map(|o| o.1).collect::<Vec<_>>(), vec![boris, vera]);
    // Capacity cannot drop below the held seats.
    let lower = slots::SlotChanges { capacity: Some(1), ..Default::default() };
    assert_eq!(
        conflict(slots::update(&db.pool, &r, None, slot.id, &lower, t0()).await),
        ConflictKind::CapacityBelowBookings
    );
    // Boris books another slot himself: he leaves the list and his held seat is free again
    // (nobody else waits).
    let other = slots::create(&db.pool, &Default::default(), None, &new_slot(t0() + Duration::hours(72), 1), t0())
        .await
        .unwrap();
    bookings::book(&db.pool, &r, boris, other.id, t0()).await.unwrap();
    let boris_offer: OfferStatus = sqlx::query_scalar("SELECT status FROM waitlist_offers WHERE candidate_id = ?")
        .bind(boris)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(boris_offer, OfferStatus::Withdrawn);
    assert_eq!(slots::get(&db.pool, slot.id).await.unwrap().held, 1, "Vera's hold stays");
    // Cancelling the slot withdraws Vera's hold and tells her; she stays in the list.
    slots::cancel(&db.pool, &Default::default(), None, slot.id, None, t0()).await.unwrap();
    assert!(held(&db).await.is_empty());
    assert_eq!(notifications_of(&db, vera, "offer_ended").await, 1);
    assert!(waitlist::place(&db.pool, vera).await.unwrap().is_some());
}

#[tokio::test]
async fn a_recruiter_offers_by_hand_out_of_turn_and_removes_from_the_list() {
    let db = TestDb::new().await;
    let r = rules();
    let (anna, boris, vera) = (db.candidate(1).await.id, db.candidate(2).await.id, db.candidate(3).await.id);
    let slot = db.slot(48, 1).await;
    bookings::book(&db.pool, &r, anna, slot.id, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, boris, ANY, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, vera, ANY, t0()).await.unwrap();
    let list = waitlist::list(&db.pool, &WaitlistFilter::default()).await.unwrap();
    assert_eq!(list.iter().map(|e| (e.candidate_id, e.position)).collect::<Vec<_>>(), vec![(boris, 1), (vera, 2)]);
    let vera_entry = list[1].id;
    // The slot is full: no offer.
    assert_eq!(
        conflict(waitlist::offer_by_hand(&db.pool, &r, None, vera_entry, slot.id, t0()).await),
        ConflictKind::SlotFull
    );
    let free = slots::create(&db.pool, &Default::default(), None, &new_slot(t0() + Duration::hours(50), 1), t0())
        .await
        .unwrap();
    // Created with the default rules, the new slot went to Boris automatically; a second one
    // is offered to Vera by hand.
    assert_eq!(held(&db).await.iter().map(|o| (o.1, o.2)).collect::<Vec<_>>(), vec![(boris, free.id)]);
    let spare = db.slot(52, 1).await;
    let spare_offer = held(&db).await;
    assert_eq!(spare_offer.last().map(|o| (o.1, o.2)), Some((vera, spare.id)));
    assert_eq!(
        conflict(waitlist::offer_by_hand(&db.pool, &r, None, vera_entry, spare.id, t0()).await),
        ConflictKind::OfferPending
    );
    // Removing Vera passes her hold on (nobody else waits), and the audit says who did it.
    waitlist::remove(&db.pool, &r, None, vera_entry, t0()).await.unwrap();
    assert_eq!(held(&db).await.len(), 1);
    assert!(matches!(waitlist::remove(&db.pool, &r, None, vera_entry, t0()).await, Err(Error::NotFound { .. })));
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'waitlist.remove'").await, 1);
    // Now a free seat can be offered by hand to someone who waits.
    let gleb = db.candidate(4).await.id;
    let entry = waitlist::join(&db.pool, &r, gleb, Preferences::new(0b100_0000, 0), t0()).await.unwrap().entry.id;
    let offer = waitlist::offer_by_hand(&db.pool, &r, None, entry, spare.id, t0()).await.unwrap();
    assert_eq!((offer.candidate_id, offer.slot_id, offer.by_admin), (gleb, spare.id, None));
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'waitlist.offer'").await, 1);
}

/// Books a slot 26 h ahead, sends its 24 h reminder (which asks "will you come?").
async fn asked_booking(db: &TestDb, r: &BookingRules, candidate: i64) -> (i64, i64, DateTime<Utc>) {
    let slot = db.slot(26, 1).await;
    let booking = bookings::book(&db.pool, r, candidate, slot.id, t0()).await.unwrap().booking.id;
    let due = t0() + Duration::hours(2);
    for rem in reminders::claim_due(&db.pool, due, 10).await.unwrap() {
        reminders::mark_sent(&db.pool, rem.id, due).await.unwrap();
    }
    (slot.id, booking, slot.starts_at)
}

#[tokio::test]
async fn an_unconfirmed_booking_is_flagged_at_the_deadline_and_a_confirmed_one_is_not() {
    let db = TestDb::new().await;
    let r = rules();
    let (anna, boris) = (db.candidate(1).await.id, db.candidate(2).await.id);
    let (_, silent, starts_at) = asked_booking(&db, &r, anna).await;
    let other = db.slot(26, 1).await;
    let answered = bookings::book(&db.pool, &r, boris, other.id, t0()).await.unwrap().booking.id;
    let due = t0() + Duration::hours(2);
    for rem in reminders::claim_due(&db.pool, due, 10).await.unwrap() {
        reminders::mark_sent(&db.pool, rem.id, due).await.unwrap();
    }
    assert!(bookings::confirm(&db.pool, boris, answered, due).await.unwrap().is_some());
    assert!(bookings::confirm(&db.pool, anna, answered, due).await.unwrap().is_none(), "not Anna's booking");
    let deadline = starts_at - Duration::hours(3);
    let early = bookings::reconfirm_step(&db.pool, &r, deadline - Duration::seconds(1)).await.unwrap();
    assert_eq!(early.flagged, 0);
    let step = bookings::reconfirm_step(&db.pool, &r, deadline).await.unwrap();
    assert_eq!((step.flagged, step.released), (1, 0));
    assert_eq!(bookings::reconfirm_step(&db.pool, &r, deadline).await.unwrap().flagged, 0, "once");
    let (rows, _) = core_logic::booking_list::list(&db.pool, &Default::default(), false, 10, 0).await.unwrap();
    let flags: Vec<(i64, bool, bool)> = rows.iter().map(|b| (b.id, b.unconfirmed, b.confirmed_at.is_some())).collect();
    assert!(flags.contains(&(silent, true, false)));
    assert!(flags.contains(&(answered, false, true)));
    assert_eq!(bookings::get(&db.pool, silent).await.unwrap().booking.status, BookingStatus::Active);
}

#[tokio::test]
async fn with_release_on_an_unconfirmed_booking_goes_to_the_waitlist_politely() {
    let db = TestDb::new().await;
    let r =
        BookingRules { waitlist: WaitlistRules { release_unconfirmed: true, ..WaitlistRules::default() }, ..rules() };
    let (anna, boris) = (db.candidate(1).await.id, db.candidate(2).await.id);
    let (slot, booking, starts_at) = asked_booking(&db, &r, anna).await;
    waitlist::join(&db.pool, &r, boris, ANY, t0() + Duration::hours(3)).await.unwrap();
    let step = bookings::reconfirm_step(&db.pool, &r, starts_at - Duration::hours(3)).await.unwrap();
    assert_eq!((step.flagged, step.released), (1, 1));
    let b = bookings::get(&db.pool, booking).await.unwrap().booking;
    assert_eq!((b.status, b.cancelled_by.as_deref()), (BookingStatus::CancelledByAdmin, Some("system")));
    assert_eq!(notifications_of(&db, anna, "released").await, 1);
    assert_eq!(held(&db).await.iter().map(|o| (o.1, o.2)).collect::<Vec<_>>(), vec![(boris, slot)]);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.release_unconfirmed'").await, 1);
}

#[tokio::test]
async fn after_the_no_show_limit_a_recruiter_must_approve_the_next_booking() {
    let db = TestDb::new().await;
    let r = BookingRules { waitlist: WaitlistRules { no_show_limit: 1, ..WaitlistRules::default() }, ..rules() };
    let anna = db.candidate(1).await.id;
    let missed = db.slot(2, 1).await;
    let b = bookings::book(&db.pool, &r, anna, missed.id, t0()).await.unwrap();
    bookings::mark_attendance(&db.pool, None, b.booking.id, false, t0() + Duration::hours(3)).await.unwrap();
    let now = t0() + Duration::hours(4);
    let next = db.slot(48, 1).await;
    assert_eq!(conflict(bookings::book(&db.pool, &r, anna, next.id, now).await), ConflictKind::ApprovalRequired);
    assert_eq!(conflict(waitlist::join(&db.pool, &r, anna, ANY, now).await), ConflictKind::ApprovalRequired);
    assert_eq!(approvals::request(&db.pool, &r, anna, now).await.unwrap(), approvals::Asked::Requested(1));
    assert_eq!(approvals::request(&db.pool, &r, anna, now).await.unwrap(), approvals::Asked::AlreadyWaiting);
    let waiting = approvals::list(&db.pool, Some(core_logic::models::ApprovalStatus::Requested)).await.unwrap();
    assert_eq!((waiting.len(), waiting[0].no_shows), (1, 1));
    // Refused: still no booking; asking again makes a new request; approved: she books.
    approvals::decide(&db.pool, None, waiting[0].id, false, now).await.unwrap();
    assert_eq!(
        conflict(approvals::decide(&db.pool, None, waiting[0].id, true, now).await),
        ConflictKind::ApprovalDecided
    );
    assert_eq!(conflict(bookings::book(&db.pool, &r, anna, next.id, now).await), ConflictKind::ApprovalRequired);
    approvals::request(&db.pool, &r, anna, now).await.unwrap();
    let again = approvals::list(&db.pool, Some(core_logic::models::ApprovalStatus::Requested)).await.unwrap();
    approvals::decide(&db.pool, None, again[0].id, true, now).await.unwrap();
    assert_eq!(notifications_of(&db, anna, "approval_decided").await, 2);
    bookings::book(&db.pool, &r, anna, next.id, now).await.unwrap();
    assert_eq!(approvals::request(&db.pool, &r, anna, now).await.unwrap(), approvals::Asked::NotNeeded);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'approval.%'").await, 2);
}

#[tokio::test]
async fn the_dashboard_counts_refills_offers_confirmations_and_no_shows() {
    let db = TestDb::new().await;
    let r = rules();
    let (anna, boris, vera) = (db.candidate(1).await.id, db.candidate(2).await.id, db.candidate(3).await.id);
    let slot = db.slot(48, 1).await;
    let b = bookings::book(&db.pool, &r, anna, slot.id, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, boris, ANY, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, vera, ANY, t0()).await.unwrap();
    bookings::cancel_by_candidate(&db.pool, &r, anna, b.booking.id, t0()).await.unwrap();
    let offer = held(&db).await[0].0;
    waitlist::accept(&db.pool, &r, boris, offer, t0()).await.unwrap();
    let stats = waitlist::stats(&db.pool, r.waitlist.timezone, t0()).await.unwrap();
    assert_eq!(stats.refilled, 1);
    assert_eq!((stats.offers.accepted, stats.offers.held), (1, 0));
    assert_eq!(stats.waiting_by_vacancy.iter().map(|w| w.waiting).sum::<i64>(), 1);
    assert_eq!(stats.no_show_by_week.len(), 8);
    assert_eq!(stats.confirmation.rate, None);
}

// ---- the property test ---------------------------------------------------------------------

const CANDIDATES: usize = 5;
const SLOTS: usize = 4;
/// Hours after t0: inside the notice, near the deadline, and comfortably ahead.
const SLOT_HOURS: [i64; SLOTS] = [2, 20, 30, 50];
const PREFS: [Preferences; 4] = [
    Preferences { days: 0, parts: 0 },
    Preferences { days: 0, parts: AFTERNOON },
    Preferences { days: 0, parts: MORNING | EVENING },
    Preferences { days: 0b0011000, parts: 0 },
];

#[derive(Debug, Clone)]
enum Op {
    Book { candidate: usize, slot: usize },
    Cancel { candidate: usize },
    Move { candidate: usize, slot: usize },
    AdminCancel { pick: usize },
    Join { candidate: usize, prefs: usize },
    Leave { candidate: usize },
    Accept { candidate: usize },
    Decline { candidate: usize },
    MoreSeats { slot: usize },
    CancelSlot { slot: usize },
    Wait { minutes: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CANDIDATES;
    let s = 0..SLOTS;
    prop_oneof![
        3 => (c.clone(), s.clone()).prop_map(|(candidate, slot)| Op::Book { candidate, slot }),
        2 => c.clone().prop_map(|candidate| Op::Cancel { candidate }),
        1 => (c.clone(), s.clone()).prop_map(|(candidate, slot)| Op::Move { candidate, slot }),
        1 => (0..8usize).prop_map(|pick| Op::AdminCancel { pick }),
        3 => (c.clone(), 0..PREFS.len()).prop_map(|(candidate, prefs)| Op::Join { candidate, prefs }),
        1 => c.clone().prop_map(|candidate| Op::Leave { candidate }),
        2 => c.clone().prop_map(|candidate| Op::Accept { candidate }),
        1 => c.prop_map(|candidate| Op::Decline { candidate }),
        1 => s.clone().prop_map(|slot| Op::MoreSeats { slot }),
        1 => s.prop_map(|slot| Op::CancelSlot { slot }),
        2 => (1..40i64).prop_map(|minutes| Op::Wait { minutes }),
    ]
}

async fn active_booking(db: &TestDb, candidate: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT id FROM bookings WHERE candidate_id = ? AND status = 'active' ORDER BY id LIMIT 1")
        .bind(candidate)
        .fetch_optional(&db.pool)
        .await
        .unwrap()
}

async fn held_offer(db: &TestDb, candidate: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT id FROM waitlist_offers WHERE candidate_id = ? AND status = 'held'")
        .bind(candidate)
        .fetch_optional(&db.pool)
        .await
        .unwrap()
}

async fn run(capacities: Vec<i64>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let db = TestDb::new().await;
    let r = rules();
    let mut cands = Vec::new();
    for n in 0..CANDIDATES as i64 {
        cands.push(db.candidate(n).await.id);
    }
    let mut slot_ids = Vec::new();
    for (hours, capacity) in SLOT_HOURS.iter().zip(&capacities) {
        slot_ids.push(db.slot(*hours, *capacity).await.id);
    }
    let mut now = t0();
    for op in ops {
        let before: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM waitlist_offers ORDER BY id").fetch_all(&db.pool).await.unwrap();
        // The slots whose seats this step may free.
        let mut freed: Vec<i64> = Vec::new();
        let result: Result<(), Error> = match op {
            Op::Book { candidate, slot } => {
                bookings::book(&db.pool, &r, cands[candidate], slot_ids[slot], now).await.map(drop)
            }
            Op::Cancel { candidate } => match active_booking(&db, cands[candidate]).await {
                Some(b) => {
                    let res = bookings::cancel_by_candidate(&db.pool, &r, cands[candidate], b, now).await;
                    res.map(|b| freed.push(b.slot.id))
                }
                None => Ok(()),
            },
            Op::Move { candidate, slot } => match active_booking(&db, cands[candidate]).await {
                Some(b) => {
                    let old = bookings::get(&db.pool, b).await.unwrap().slot.id;
                    let res = bookings::reschedule(&db.pool, &r, cands[candidate], b, slot_ids[slot], now).await;
                    res.map(|_| freed.push(old))
                }
                None => Ok(()),
            },
            Op::AdminCancel { pick } => {
                let ids: Vec<i64> =
                    sqlx::query_scalar("SELECT id FROM bookings ORDER BY id").fetch_all(&db.pool).await.unwrap();
                match ids.get(pick) {
                    Some(b) => bookings::cancel_by_admin(&db.pool, &r, None, *b, None, now)
                        .await
                        .map(|b| freed.push(b.slot.id)),
                    None => Ok(()),
                }
            }
            Op::Join { candidate, prefs } => {
                waitlist::join(&db.pool, &r, cands[candidate], PREFS[prefs], now).await.map(drop)
            }
            Op::Leave { candidate } => waitlist::leave(&db.pool, &r, cands[candidate], now).await.map(drop),
            Op::Accept { candidate } => match held_offer(&db, cands[candidate]).await {
                Some(o) => waitlist::accept(&db.pool, &r, cands[candidate], o, now).await.map(drop),
                None => Ok(()),
            },
            Op::Decline { candidate } => match held_offer(&db, cands[candidate]).await {
                Some(o) => {
                    waitlist::decline(&db.pool, &r, cands[candidate], o, now).await.map(|o| freed.push(o.slot_id))
                }
                None => Ok(()),
            },
            Op::MoreSeats { slot } => {
                let s = slots::get(&db.pool, slot_ids[slot]).await.unwrap();
                let more = slots::SlotChanges { capacity: Some(s.slot.capacity + 1), ..Default::default() };
                let res = slots::update(&db.pool, &r, None, s.slot.id, &more, now).await;
                res.map(|_| freed.push(s.slot.id))
            }
            Op::CancelSlot { slot } => slots::cancel(&db.pool, &r, None, slot_ids[slot], None, now).await.map(drop),
            Op::Wait { minutes } => {
                now += Duration::minutes(minutes);
                let expiring: Vec<i64> =
                    sqlx::query_scalar("SELECT slot_id FROM waitlist_offers WHERE status = 'held' AND expires_at <= ?")
                        .bind(now.timestamp())
                        .fetch_all(&db.pool)
                        .await
                        .unwrap();
                freed.extend(expiring);
                waitlist::expire_due(&db.pool, &r, now).await.map(drop)
            }
        };
        if let Err(Error::Db(e)) = &result {
            return Err(TestCaseError::fail(format!("database error: {e}")));
        }
        check(&db, &r, now, &before, &freed).await?;
    }
    // Time passes and nobody answers: every hold ends (an expiry offers the seat to the next,
    // whose hold ends in turn; nobody is offered the same slot twice, so this stops).
    for _ in 0..=CANDIDATES * SLOTS {
        if held(&db).await.is_empty() {
            break;
        }
        now += Duration::from_std(r.waitlist.hold).unwrap();
        waitlist::expire_due(&db.pool, &r, now).await.unwrap();
        check(&db, &r, now, &[], &[]).await?;
    }
    prop_assert_eq!(held(&db).await.len(), 0, "a hold outlived its time");
    let unended = db.count("SELECT COUNT(*) FROM waitlist_offers WHERE status <> 'held' AND ended_at IS NULL").await;
    prop_assert_eq!(unended, 0);
    Ok(())
}

/// A waiting candidate who could be offered `slot` now (the rule as the issue states it).
async fn eligible(db: &TestDb, r: &BookingRules, slot: i64, now: DateTime<Utc>) -> Vec<(i64, i64, i64)> {
    let starts_at: DateTime<Utc> =
        sqlx::query_scalar("SELECT starts_at FROM slots WHERE id = ?").bind(slot).fetch_one(&db.pool).await.unwrap();
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT w.id, w.candidate_id, w.joined_at, w.days, w.parts FROM waitlist w
         WHERE w.status = 'waiting'
           AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.candidate_id = w.candidate_id AND o.status = 'held')
           AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.candidate_id = w.candidate_id AND o.slot_id = ?
                             AND o.status IN ('declined', 'expired'))
           AND NOT EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
                            WHERE b.candidate_id = w.candidate_id AND b.status = 'active' AND s.starts_at > ?)
         ORDER BY w.joined_at, w.id",
    )
    .bind(slot)
    .bind(now.timestamp())
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(_, _, _, d, p)| Preferences::new(*d as u8, *p as u8).matches(starts_at, r.waitlist.timezone))
        .map(|(id, c, j, _, _)| (id, c, j))
        .collect()
}

async fn offerable_with_free_seat(db: &TestDb, r: &BookingRules, slot: i64, now: DateTime<Utc>) -> bool {
    let (starts_at, capacity, status, booked, held): (DateTime<Utc>, i64, String, i64, i64) = sqlx::query_as(
        "SELECT s.starts_at, s.capacity, s.status,
                (SELECT COUNT(*) FROM bookings WHERE slot_id = s.id AND status = 'active'),
                (SELECT COUNT(*) FROM waitlist_offers WHERE slot_id = s.id AND status = 'held')
         FROM slots s WHERE s.id = ?",
    )
    .bind(slot)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    status == "open"
        && starts_at > now + Duration::from_std(r.min_notice).unwrap()
        && starts_at < r.horizon_end(now)
        && booked + held < capacity
}

async fn check(
    db: &TestDb,
    r: &BookingRules,
    now: DateTime<Utc>,
    before: &[i64],
    freed: &[i64],
) -> Result<(), TestCaseError> {
    // No slot over capacity, holds counted.
    let over = db
        .count(
            "SELECT COUNT(*) FROM slots s WHERE
               (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active')
             + (SELECT COUNT(*) FROM waitlist_offers o WHERE o.slot_id = s.id AND o.status = 'held') > s.capacity",
        )
        .await;
    prop_assert_eq!(over, 0, "a slot is over capacity counting holds");
    // No hold for someone who has a booking or does not wait; none past its time after a tick.
    let wrong = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM waitlist_offers o WHERE o.status = 'held' AND (
            EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id
                     WHERE b.candidate_id = o.candidate_id AND b.status = 'active' AND s.starts_at > ?)
         OR NOT EXISTS (SELECT 1 FROM waitlist w WHERE w.id = o.entry_id AND w.status = 'waiting'))",
    )
    .bind(now.timestamp())
    .fetch_one(&db.pool)
    .await
    .unwrap();
    prop_assert_eq!(wrong, 0, "an offer is held for a candidate with a booking or out of the list");
    // Each new offer went to the first eligible candidate: nobody ahead of them is still eligible.
    let new: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT o.slot_id, w.joined_at, w.id FROM waitlist_offers o JOIN waitlist w ON w.id = o.entry_id
         WHERE o.status = 'held' ORDER BY o.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let known: std::collections::HashSet<i64> = before.iter().copied().collect();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM waitlist_offers WHERE status = 'held' ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    for ((slot, joined, entry), id) in new.into_iter().zip(ids) {
        if known.contains(&id) {
            continue;
        }
        let skipped = eligible(db, r, slot, now).await.into_iter().find(|(e, _, j)| (*j, *e) < (joined, entry));
        prop_assert!(skipped.is_none(), "offer {} skipped entry {:?}", id, skipped);
    }
    // A freed seat never sits idle while a matching candidate waits.
    for slot in freed {
        if offerable_with_free_seat(db, r, *slot, now).await {
            let waiting = eligible(db, r, *slot, now).await;
            prop_assert!(waiting.is_empty(), "slot {} has a free seat while {:?} wait", slot, waiting);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn the_waitlist_never_overbooks_and_offers_each_freed_seat_to_the_first_in_line(
        capacities in proptest::collection::vec(1i64..=2, SLOTS),
        ops in proptest::collection::vec(op(), 1..45),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(run(capacities, ops))?;
    }
}

// ---- the race ----------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_tasks_race_for_a_held_seat_and_only_its_holder_gets_it() {
    const TASKS: usize = 200;
    for round in 0..3 {
        let db = TestDb::with_connections(TASKS as u32 + 2).await;
        let r = rules();
        let slot = db.slot(48, 1).await;
        let first = db.candidate(10_000).await.id;
        let holder = db.candidate(10_001).await.id;
        let b = bookings::book(&db.pool, &r, first, slot.id, t0()).await.unwrap();
        waitlist::join(&db.pool, &r, holder, ANY, t0()).await.unwrap();
        bookings::cancel_by_candidate(&db.pool, &r, first, b.booking.id, t0()).await.unwrap();
        let offer = held(&db).await[0].0;
        let mut others = Vec::with_capacity(TASKS);
        for n in 0..TASKS as i64 {
            others.push(db.candidate(n).await.id);
        }
        let barrier = Arc::new(Barrier::new(TASKS + 1));
        let mut tasks = Vec::new();
        for (i, candidate) in others.into_iter().enumerate() {
            let (pool, barrier, r) = (db.pool.clone(), Arc::clone(&barrier), r.clone());
            tasks.push(tokio::spawn(async move {
                let conn = pool.acquire().await.unwrap();
                barrier.wait().await;
                drop(conn);
                if i == TASKS / 2 {
                    tokio::task::yield_now().await;
                }
                bookings::book(&pool, &r, candidate, slot.id, t0()).await.map(|b| b.booking.candidate_id)
            }));
        }
        let (pool, r2) = (db.pool.clone(), r.clone());
        let barrier2 = Arc::clone(&barrier);
        let accepting = tokio::spawn(async move {
            let conn = pool.acquire().await.unwrap();
            barrier2.wait().await;
            drop(conn);
            waitlist::accept(&pool, &r2, holder, offer, t0()).await.map(|b| b.booking.candidate_id)
        });
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                Err(Error::Conflict { kind: ConflictKind::SlotFull, .. }) => refused += 1,
                other => panic!("round {round}: another candidate got the held seat: {other:?}"),
            }
        }
        assert_eq!(accepting.await.unwrap().unwrap(), holder, "round {round}");
        assert_eq!(refused, TASKS);
        assert_eq!(db.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
    }
}

#[tokio::test]
async fn waiting_for_a_vacancy_matches_its_slots_and_a_seat_that_cannot_be_taken_goes_on() {
    use core_logic::vacancies::{self, VacancyFields};
    let db = TestDb::new().await;
    let r = rules();
    let fields = |title: &str| VacancyFields {
        title: title.into(),
        description: None,
        duration_minutes: 30,
        format: "office".into(),
        location: None,
        capacity: 1,
        position: 0,
        questions: vec![],
        show_interviewer: false,
    };
    let courier = vacancies::create(&db.pool, None, &fields("Курьер"), t0()).await.unwrap().id;
    let cook = vacancies::create(&db.pool, None, &fields("Повар"), t0()).await.unwrap().id;
    let (anna, boris, vera) = (db.candidate(1).await.id, db.candidate(2).await.id, db.candidate(3).await.id);
    core_logic::invites::choose_vacancy(&db.pool, anna, cook, t0()).await.unwrap();
    core_logic::invites::choose_vacancy(&db.pool, boris, courier, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, anna, ANY, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, boris, ANY, t0()).await.unwrap();
    // A courier slot goes to Boris, though Anna joined first: she waits for the cook's.
    let for_courier =
        core_logic::slots::NewSlot { vacancy_id: Some(courier), ..new_slot(t0() + Duration::hours(48), 1) };
    let slot = slots::create(&db.pool, &r, None, &for_courier, t0()).await.unwrap();
    assert_eq!(held(&db).await.iter().map(|o| (o.1, o.2)).collect::<Vec<_>>(), vec![(boris, slot.id)]);
    // A slot for any vacancy goes to Anna.
    let any = db.slot(50, 1).await;
    assert_eq!(held(&db).await.iter().map(|o| (o.1, o.2)).collect::<Vec<_>>(), vec![(boris, slot.id), (anna, any.id)]);
    core_logic::invites::choose_vacancy(&db.pool, vera, courier, t0()).await.unwrap();
    waitlist::join(&db.pool, &r, vera, ANY, t0()).await.unwrap();
    // The vacancy is archived meanwhile: Boris's hold is withdrawn and he is told.
    let offer = held(&db).await[0].0;
    vacancies::set_status(&db.pool, None, courier, core_logic::models::VacancyStatus::Archived, t0()).await.unwrap();
    assert_eq!(waitlist::get_offer(&db.pool, offer).await.unwrap().status, OfferStatus::Withdrawn);
    assert_eq!(notifications_of(&db, boris, "offer_ended").await, 1);
    assert_eq!(conflict(waitlist::accept(&db.pool, &r, boris, offer, t0()).await), ConflictKind::OfferEnded);
    assert_eq!(held(&db).await.iter().map(|o| o.1).collect::<Vec<_>>(), vec![anna]);
    // Restored, the slot is bookable again but its seat is not Boris's any more: a take the
    // booking rules refuse (the slot now starts too soon) ends the hold at once.
    vacancies::set_status(&db.pool, None, courier, core_logic::models::VacancyStatus::Active, t0()).await.unwrap();
    let (offered_at, soon) = (slot.starts_at - Duration::minutes(61), slot.starts_at - Duration::minutes(59));
    let entry = waitlist::place(&db.pool, boris).await.unwrap().unwrap().entry.id;
    let again = waitlist::offer_by_hand(&db.pool, &r, None, entry, slot.id, offered_at).await.unwrap();
    assert_eq!(conflict(waitlist::accept(&db.pool, &r, boris, again.id, soon).await), ConflictKind::TooLateToBook);
    assert_eq!(waitlist::get_offer(&db.pool, again.id).await.unwrap().status, OfferStatus::Withdrawn);
}
