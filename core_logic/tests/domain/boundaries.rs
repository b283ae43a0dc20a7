//! Every booking rule at its exact limit, one second (or one booking) inside it and one outside,
//! with the injected clock. A rule that moved by one comparison (`<` for `<=`) fails here.

use chrono::{DateTime, Duration, Utc};
use core_logic::bookings::{self, BookingWithSlot};
use core_logic::config::BookingRules;
use core_logic::models::{BookingStatus, Slot};
use core_logic::slots;
use core_logic::{ConflictKind, Error};

use super::support::{TestDb, new_slot, rules, t0};

/// The instant each case is judged at.
fn now() -> DateTime<Utc> {
    t0() + Duration::days(1)
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

async fn slot_at(db: &TestDb, starts_at: DateTime<Utc>, capacity: i64) -> Slot {
    slots::create(&db.pool, &Default::default(), None, &new_slot(starts_at, capacity), t0()).await.unwrap()
}

/// `Ok` when the action was allowed, else the conflict.
fn outcome<T: std::fmt::Debug>(r: Result<T, Error>) -> Result<(), ConflictKind> {
    match r {
        Ok(_) => Ok(()),
        Err(err) => Err(err.conflict_kind().unwrap_or_else(|| panic!("a conflict, not {err:?}"))),
    }
}

/// For a rule on when a slot starts: books a slot starting at `limit + delta` for each delta,
/// each with a candidate of its own, and returns the outcomes in order.
async fn book_at(
    db: &TestDb,
    rules: &BookingRules,
    limit: DateTime<Utc>,
    deltas: &[i64],
) -> Vec<Result<(), ConflictKind>> {
    let mut out = Vec::new();
    for (n, delta) in (100..).zip(deltas) {
        let c = db.candidate(n).await;
        let s = slot_at(db, limit + secs(*delta), 1).await;
        out.push(outcome(bookings::book(&db.pool, rules, c.id, s.id, now()).await));
    }
    out
}

#[tokio::test]
async fn a_slot_is_bookable_only_when_it_starts_strictly_after_the_minimum_notice() {
    let db = TestDb::new().await;
    let notice = now() + Duration::from_std(rules().min_notice).unwrap();

    let got = book_at(&db, &rules(), notice, &[-1, 0, 1]).await;

    let too_late = Err(ConflictKind::TooLateToBook);
    assert_eq!(got, [too_late, too_late, Ok(())], "one second before, at, one second after the notice");
}

#[tokio::test]
async fn a_slot_is_bookable_only_when_it_starts_strictly_before_the_horizon() {
    let db = TestDb::new().await;
    let horizon = rules().horizon_end(now());
    assert_eq!(horizon, now() + Duration::days(i64::from(rules().horizon_days)));

    let got = book_at(&db, &rules(), horizon, &[-1, 0, 1]).await;

    let beyond = Err(ConflictKind::BeyondHorizon);
    assert_eq!(got, [Ok(()), beyond, beyond], "one second before, at, one second after the horizon");
}

#[tokio::test]
async fn the_horizon_follows_booking_horizon_days() {
    let db = TestDb::new().await;
    let two_days = BookingRules { horizon_days: 2, ..rules() };

    let got = book_at(&db, &two_days, now() + Duration::days(2), &[-1, 0]).await;

    assert_eq!(got, [Ok(()), Err(ConflictKind::BeyondHorizon)]);
}

/// For the cancel and move deadline: per delta, a candidate of its own books (a day early) a slot
/// starting `delta` seconds after `now() + cancel_deadline`; then `act` on that booking at `now()`.
async fn at_deadline<T: std::fmt::Debug>(
    db: &TestDb,
    act: impl AsyncFn(&BookingWithSlot, i64) -> Result<T, Error>,
) -> Vec<Result<(), ConflictKind>> {
    let deadline = now() + Duration::from_std(rules().cancel_deadline).unwrap();
    let mut out = Vec::new();
    for (n, delta) in [(1, -1), (2, 0), (3, 1)] {
        let c = db.candidate(n).await;
        let s = slot_at(db, deadline + secs(delta), 1).await;
        let b = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
        out.push(outcome(act(&b, n).await));
    }
    out
}

#[tokio::test]
async fn a_candidate_may_cancel_only_strictly_before_the_deadline() {
    let db = TestDb::new().await;

    let got = at_deadline(&db, async |b, _| {
        bookings::cancel_by_candidate(&db.pool, &rules(), b.booking.candidate_id, b.booking.id, now()).await
    })
    .await;

    let passed = Err(ConflictKind::DeadlinePassed);
    assert_eq!(got, [passed, passed, Ok(())], "slot one second before, at, one second after now + deadline");
}

#[tokio::test]
async fn a_candidate_may_move_a_booking_only_strictly_before_the_deadline() {
    let db = TestDb::new().await;

    let got = at_deadline(&db, async |b, n| {
        let target = slot_at(&db, now() + Duration::days(3) + secs(n), 1).await;
        bookings::reschedule(&db.pool, &rules(), b.booking.candidate_id, b.booking.id, target.id, now()).await
    })
    .await;

    let passed = Err(ConflictKind::DeadlinePassed);
    assert_eq!(got, [passed, passed, Ok(())], "slot one second before, at, one second after now + deadline");
}

#[tokio::test]
async fn the_last_place_of_a_slot_can_be_taken_and_none_after_it() {
    let db = TestDb::new().await;
    let s = slot_at(&db, now() + Duration::days(2), 3).await;
    let mut got = Vec::new();
    for n in 1..=4 {
        let c = db.candidate(n).await;
        got.push(outcome(bookings::book(&db.pool, &rules(), c.id, s.id, now()).await));
    }

    // Two below capacity, one below (the last place), at capacity.
    assert_eq!(got, [Ok(()), Ok(()), Ok(()), Err(ConflictKind::SlotFull)]);
    assert_eq!(db.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 3);
}

#[tokio::test]
async fn a_freed_place_can_be_taken_again() {
    let db = TestDb::new().await;
    let s = slot_at(&db, now() + Duration::days(2), 1).await;
    let (a, b) = (db.candidate(1).await, db.candidate(2).await);
    let first = bookings::book(&db.pool, &rules(), a.id, s.id, now()).await.unwrap();
    assert_eq!(outcome(bookings::book(&db.pool, &rules(), b.id, s.id, now()).await), Err(ConflictKind::SlotFull));

    bookings::cancel_by_candidate(&db.pool, &rules(), a.id, first.booking.id, now()).await.unwrap();

    assert_eq!(outcome(bookings::book(&db.pool, &rules(), b.id, s.id, now()).await), Ok(()));
}

#[tokio::test]
async fn a_candidate_may_hold_up_to_the_limit_and_not_one_more() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let three = BookingRules { max_active_bookings: 3, ..rules() };
    let mut got = Vec::new();
    for day in 1..=4 {
        let s = slot_at(&db, now() + Duration::days(day), 1).await;
        got.push(outcome(bookings::book(&db.pool, &three, c.id, s.id, now()).await));
    }

    assert_eq!(got, [Ok(()), Ok(()), Ok(()), Err(ConflictKind::BookingLimitReached)]);
}

#[tokio::test]
async fn a_held_booking_counts_against_the_limit_until_the_second_its_interview_starts() {
    let db = TestDb::new().await;
    let held = slot_at(&db, now() + Duration::days(2), 3).await;
    let mut got = Vec::new();
    for (n, delta) in [(1, -1), (2, 0), (3, 1)] {
        let c = db.candidate(n).await;
        bookings::book(&db.pool, &rules(), c.id, held.id, now()).await.unwrap();
        let at = held.starts_at + secs(delta);
        let s = slot_at(&db, at + Duration::days(1), 1).await;
        got.push(outcome(bookings::book(&db.pool, &rules(), c.id, s.id, at).await));
    }

    // One second before the interview it is still upcoming; from its start it no longer counts.
    assert_eq!(got, [Err(ConflictKind::BookingLimitReached), Ok(()), Ok(())]);
}

#[tokio::test]
async fn moving_a_booking_does_not_count_the_booking_being_moved() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let (old, new) =
        (slot_at(&db, now() + Duration::days(2), 1).await, slot_at(&db, now() + Duration::days(3), 1).await);
    let b = bookings::book(&db.pool, &rules(), c.id, old.id, now()).await.unwrap();

    let moved = bookings::reschedule(&db.pool, &rules(), c.id, b.booking.id, new.id, now()).await;

    assert_eq!(outcome(moved), Ok(()));
}

/// Per delta, a candidate of its own with a booking (made a day early) of a slot starting at
/// `now()`; then `act` on it `delta` seconds after the interview's start.
async fn around_the_start<T: std::fmt::Debug>(
    db: &TestDb,
    act: impl AsyncFn(&BookingWithSlot, DateTime<Utc>) -> Result<T, Error>,
) -> Vec<Result<T, Error>> {
    let mut out = Vec::new();
    for (n, delta) in [(1, -1), (2, 0), (3, 1)] {
        let c = db.candidate(n).await;
        let s = slot_at(db, now(), 1).await;
        let b = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
        out.push(act(&b, now() + secs(delta)).await);
    }
    out
}

#[tokio::test]
async fn attendance_can_be_marked_from_the_second_the_interview_starts() {
    let db = TestDb::new().await;

    let got = around_the_start(&db, async |b, at| {
        bookings::mark_attendance(&db.pool, None, b.booking.id, true, at).await.map(|b| b.booking.status)
    })
    .await;

    assert!(matches!(got[0], Err(Error::Validation { field: "attendance", .. })), "one second before: {:?}", got[0]);
    assert_eq!(got[1].as_ref().ok(), Some(&BookingStatus::Attended), "at the start");
    assert_eq!(got[2].as_ref().ok(), Some(&BookingStatus::Attended), "one second after");
}

#[tokio::test]
async fn an_admin_cancellation_notifies_the_candidate_only_while_the_interview_is_ahead() {
    let db = TestDb::new().await;

    let got = around_the_start(&db, async |b, at| {
        bookings::cancel_by_admin(&db.pool, &rules(), None, b.booking.id, Some("ill"), at).await?;
        let notified: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE kind = 'notification' AND candidate_id = ?")
                .bind(b.booking.candidate_id)
                .fetch_one(&db.pool)
                .await?;
        Ok::<_, Error>(notified)
    })
    .await;

    let notified: Vec<i64> = got.into_iter().map(Result::unwrap).collect();
    assert_eq!(notified, [1, 0, 0], "one second before the start, at it, one second after");
}

#[tokio::test]
async fn only_an_active_or_already_marked_booking_gets_an_attendance_mark() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = slot_at(&db, now(), 1).await;
    let b = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    let after = now() + secs(1);

    let first = bookings::mark_attendance(&db.pool, None, b.booking.id, false, after).await.unwrap();
    let corrected = bookings::mark_attendance(&db.pool, None, b.booking.id, true, after).await.unwrap();
    let other = db.candidate(2).await;
    let cancelled =
        bookings::book(&db.pool, &rules(), other.id, slot_at(&db, now() + secs(60), 1).await.id, t0()).await.unwrap();
    bookings::cancel_by_admin(&db.pool, &rules(), None, cancelled.booking.id, None, t0()).await.unwrap();
    let refused = bookings::mark_attendance(&db.pool, None, cancelled.booking.id, true, now() + secs(120)).await;

    assert_eq!((first.booking.status, corrected.booking.status), (BookingStatus::NoShow, BookingStatus::Attended));
    assert_eq!(outcome(refused), Err(ConflictKind::BookingNotActive));
}

#[tokio::test]
async fn a_candidates_upcoming_bookings_are_the_active_ones_not_yet_started_soonest_first() {
    let db = TestDb::new().await;
    let (c, other) = (db.candidate(1).await, db.candidate(2).await);
    let three = BookingRules { max_active_bookings: 3, ..rules() };
    let (later, sooner, starting) = (
        slot_at(&db, now() + Duration::days(3), 2).await,
        slot_at(&db, now() + Duration::days(2), 2).await,
        slot_at(&db, now() + Duration::days(1), 2).await,
    );
    for s in [&later, &sooner, &starting] {
        bookings::book(&db.pool, &three, c.id, s.id, now()).await.unwrap();
    }
    let foreign = bookings::book(&db.pool, &three, other.id, sooner.id, now()).await.unwrap();
    let cancelled = slot_at(&db, now() + Duration::days(4), 1).await;
    let b = bookings::book(&db.pool, &three, other.id, cancelled.id, now()).await.unwrap();
    bookings::cancel_by_candidate(&db.pool, &three, other.id, b.booking.id, now()).await.unwrap();

    // At the second `starting` begins, it is no longer upcoming.
    let upcoming = bookings::active_upcoming_for_candidate(&db.pool, c.id, starting.starts_at).await.unwrap();
    let others = bookings::active_upcoming_for_candidate(&db.pool, other.id, now()).await.unwrap();

    let slots: Vec<i64> = upcoming.iter().map(|b| b.slot.id).collect();
    assert_eq!(slots, [sooner.id, later.id]);
    assert!(upcoming.iter().all(|b| b.booking.candidate_id == c.id));
    assert_eq!(others.iter().map(|b| b.booking.id).collect::<Vec<_>>(), [foreign.booking.id]);
}
