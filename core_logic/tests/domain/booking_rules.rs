//! The booking rules of DESIGN.md, one behaviour per test.

use chrono::Duration;
use core_logic::bookings;
use core_logic::config::BookingRules;
use core_logic::models::{BookingStatus, ReminderStatus, SlotStatus};
use core_logic::notifications::Notification;
use core_logic::slots::{self, SlotChanges};
use core_logic::{ConflictKind, Error, reminders};

use super::support::{TestDb, rules, t0};

fn conflict<T: std::fmt::Debug>(r: Result<T, Error>) -> ConflictKind {
    r.expect_err("expected a conflict").conflict_kind().expect("a conflict, not another error")
}

#[tokio::test]
async fn booking_a_free_slot_creates_the_booking_and_a_reminder_per_offset_ahead() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;

    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    assert_eq!(booked.booking.status, BookingStatus::Active);
    assert_eq!(booked.slot.id, s.id);
    let rs = reminders::for_booking(&db.pool, booked.booking.id).await.unwrap();
    let offsets: Vec<i64> = rs.iter().map(|r| r.offset_minutes).collect();
    assert_eq!(offsets, vec![24 * 60, 60]);
    assert!(rs.iter().all(|r| r.status == ReminderStatus::Pending));
    assert_eq!(rs[0].due_at, s.starts_at - Duration::hours(24));
}

#[tokio::test]
async fn a_booking_made_late_gets_only_the_reminders_still_ahead() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(3, 1).await;

    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    let rs = reminders::for_booking(&db.pool, booked.booking.id).await.unwrap();
    assert_eq!(rs.iter().map(|r| r.offset_minutes).collect::<Vec<_>>(), vec![60]);
}

#[tokio::test]
async fn booking_a_full_slot_is_rejected_as_slot_full() {
    let db = TestDb::new().await;
    let (a, b) = (db.candidate(1).await, db.candidate(2).await);
    let s = db.slot(48, 1).await;
    bookings::book(&db.pool, &rules(), a.id, s.id, t0()).await.unwrap();

    let result = bookings::book(&db.pool, &rules(), b.id, s.id, t0()).await;

    assert_eq!(conflict(result), ConflictKind::SlotFull);
}

#[tokio::test]
async fn a_candidate_cannot_hold_more_active_upcoming_bookings_than_the_limit() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let (s1, s2, s3) = (db.slot(48, 1).await, db.slot(72, 1).await, db.slot(96, 1).await);
    let two = BookingRules { max_active_bookings: 2, ..rules() };

    bookings::book(&db.pool, &two, c.id, s1.id, t0()).await.unwrap();
    bookings::book(&db.pool, &two, c.id, s2.id, t0()).await.unwrap();
    let third = bookings::book(&db.pool, &two, c.id, s3.id, t0()).await;

    assert_eq!(conflict(third), ConflictKind::BookingLimitReached);
}

#[tokio::test]
async fn a_past_interview_does_not_count_against_the_limit() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let (early, later) = (db.slot(2, 1).await, db.slot(72, 1).await);
    bookings::book(&db.pool, &rules(), c.id, early.id, t0()).await.unwrap();

    let after_the_first = t0() + Duration::hours(3);
    let second = bookings::book(&db.pool, &rules(), c.id, later.id, after_the_first).await;

    assert!(second.is_ok(), "{second:?}");
}

#[tokio::test]
async fn booking_within_the_minimum_notice_or_after_the_start_is_rejected() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(2, 1).await;

    let within_notice = bookings::book(&db.pool, &rules(), c.id, s.id, t0() + Duration::minutes(61)).await;
    let started = bookings::book(&db.pool, &rules(), c.id, s.id, t0() + Duration::hours(3)).await;

    assert_eq!(conflict(within_notice), ConflictKind::TooLateToBook);
    assert_eq!(conflict(started), ConflictKind::TooLateToBook);
}

#[tokio::test]
async fn a_cancelled_slot_cannot_be_booked_and_a_deleted_one_is_not_found() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let (s1, s2) = (db.slot(48, 1).await, db.slot(72, 1).await);
    slots::cancel(&db.pool, &Default::default(), None, s1.id, None, t0()).await.unwrap();
    slots::delete(&db.pool, &Default::default(), None, s2.id, None, t0()).await.unwrap();

    assert_eq!(conflict(bookings::book(&db.pool, &rules(), c.id, s1.id, t0()).await), ConflictKind::SlotNotOpen);
    let missing = bookings::book(&db.pool, &rules(), c.id, s2.id, t0()).await;
    assert!(matches!(missing, Err(Error::NotFound { entity: "slot", .. })), "{missing:?}");
}

#[tokio::test]
async fn a_blocked_candidate_cannot_book() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    core_logic::candidates::set_blocked(&db.pool, None, c.id, true, t0()).await.unwrap();

    let result = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await;

    assert_eq!(conflict(result), ConflictKind::CandidateNotActive);
}

#[tokio::test]
async fn one_candidate_cannot_take_two_places_of_one_slot() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 3).await;
    let many = BookingRules { max_active_bookings: 5, ..rules() };
    bookings::book(&db.pool, &many, c.id, s.id, t0()).await.unwrap();

    assert_eq!(conflict(bookings::book(&db.pool, &many, c.id, s.id, t0()).await), ConflictKind::AlreadyBooked);
}

#[tokio::test]
async fn cancelling_frees_the_place_and_cancels_the_reminders() {
    let db = TestDb::new().await;
    let (a, b) = (db.candidate(1).await, db.candidate(2).await);
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), a.id, s.id, t0()).await.unwrap();

    let cancelled = bookings::cancel_by_candidate(&db.pool, &rules(), a.id, booked.booking.id, t0()).await.unwrap();

    assert_eq!(cancelled.booking.status, BookingStatus::CancelledByCandidate);
    assert_eq!(cancelled.booking.cancelled_by.as_deref(), Some("candidate"));
    let rs = reminders::for_booking(&db.pool, booked.booking.id).await.unwrap();
    assert!(rs.iter().all(|r| r.status == ReminderStatus::Cancelled));
    assert!(bookings::book(&db.pool, &rules(), b.id, s.id, t0()).await.is_ok());
    // Cancelling twice is a conflict, not a second cancellation.
    let again = bookings::cancel_by_candidate(&db.pool, &rules(), a.id, booked.booking.id, t0()).await;
    assert_eq!(conflict(again), ConflictKind::BookingNotActive);
}

#[tokio::test]
async fn cancelling_after_the_deadline_is_rejected_and_keeps_the_booking() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(5, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    let late = t0() + Duration::hours(3) + Duration::minutes(1);
    let result = bookings::cancel_by_candidate(&db.pool, &rules(), c.id, booked.booking.id, late).await;

    assert_eq!(conflict(result), ConflictKind::DeadlinePassed);
    let still = bookings::get(&db.pool, booked.booking.id).await.unwrap();
    assert_eq!(still.booking.status, BookingStatus::Active);
}

#[tokio::test]
async fn nobody_can_cancel_or_move_another_candidates_booking() {
    let db = TestDb::new().await;
    let (owner, other) = (db.candidate(1).await, db.candidate(2).await);
    let (s1, s2) = (db.slot(48, 1).await, db.slot(72, 1).await);
    let booked = bookings::book(&db.pool, &rules(), owner.id, s1.id, t0()).await.unwrap();

    let cancel = bookings::cancel_by_candidate(&db.pool, &rules(), other.id, booked.booking.id, t0()).await;
    let moved = bookings::reschedule(&db.pool, &rules(), other.id, booked.booking.id, s2.id, t0()).await;

    assert!(matches!(cancel, Err(Error::NotFound { entity: "booking", .. })), "{cancel:?}");
    assert!(matches!(moved, Err(Error::NotFound { entity: "booking", .. })), "{moved:?}");
    assert_eq!(bookings::get(&db.pool, booked.booking.id).await.unwrap().booking.status, BookingStatus::Active);
}

#[tokio::test]
async fn rescheduling_books_the_new_slot_then_frees_the_old_one() {
    let db = TestDb::new().await;
    let (a, b) = (db.candidate(1).await, db.candidate(2).await);
    let (s1, s2) = (db.slot(48, 1).await, db.slot(72, 1).await);
    let old = bookings::book(&db.pool, &rules(), a.id, s1.id, t0()).await.unwrap();

    let new = bookings::reschedule(&db.pool, &rules(), a.id, old.booking.id, s2.id, t0()).await.unwrap();

    assert_eq!(new.slot.id, s2.id);
    assert_eq!(new.booking.rescheduled_from, Some(old.booking.id));
    assert_eq!(bookings::get(&db.pool, old.booking.id).await.unwrap().booking.status, BookingStatus::Rescheduled);
    assert_eq!(reminders::for_booking(&db.pool, new.booking.id).await.unwrap().len(), 2);
    assert!(bookings::book(&db.pool, &rules(), b.id, s1.id, t0()).await.is_ok(), "the old slot is free again");
}

#[tokio::test]
async fn a_reschedule_to_a_full_slot_fails_and_keeps_the_old_booking() {
    let db = TestDb::new().await;
    let (a, b) = (db.candidate(1).await, db.candidate(2).await);
    let (s1, s2) = (db.slot(48, 1).await, db.slot(72, 1).await);
    let old = bookings::book(&db.pool, &rules(), a.id, s1.id, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), b.id, s2.id, t0()).await.unwrap();

    let result = bookings::reschedule(&db.pool, &rules(), a.id, old.booking.id, s2.id, t0()).await;

    assert_eq!(conflict(result), ConflictKind::SlotFull);
    let kept = bookings::get(&db.pool, old.booking.id).await.unwrap();
    assert_eq!(kept.booking.status, BookingStatus::Active);
    let pending = reminders::for_booking(&db.pool, old.booking.id).await.unwrap();
    assert!(pending.iter().all(|r| r.status == ReminderStatus::Pending));
}

#[tokio::test]
async fn an_admin_cancelling_a_booking_notifies_the_candidate() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    let done = bookings::cancel_by_admin(&db.pool, &rules(), None, booked.booking.id, Some("Вакансия закрыта"), t0())
        .await
        .unwrap();

    assert_eq!(done.booking.status, BookingStatus::CancelledByAdmin);
    assert_eq!(done.booking.cancel_reason.as_deref(), Some("Вакансия закрыта"));
    let json: String =
        sqlx::query_scalar("SELECT notification FROM deliveries WHERE candidate_id = ? AND kind = 'notification'")
            .bind(c.id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let notification: Notification = serde_json::from_str(&json).unwrap();
    assert_eq!(
        notification,
        Notification::BookingCancelled {
            booking_id: booked.booking.id,
            slot_starts_at: s.starts_at,
            reason: Some("Вакансия закрыта".into()),
            calendar: Some(core_logic::notifications::CalendarEvent {
                uid: format!("booking-{}@interview-booking", booked.booking.id),
                sequence: 0,
                starts_at: s.starts_at,
                duration_minutes: s.duration_minutes,
                location: s.location.clone(),
            }),
        }
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM outbox_events WHERE kind = 'delivery_created'").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.cancel'").await, 1);
}

#[tokio::test]
async fn cancelling_a_slot_cancels_its_bookings_and_notifies_each_candidate() {
    let db = TestDb::new().await;
    let s = db.slot(48, 3).await;
    for n in 1..=3 {
        let c = db.candidate(n).await;
        bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    }

    let removal =
        slots::cancel(&db.pool, &Default::default(), None, s.id, Some("interviewer ill"), t0()).await.unwrap();

    assert_eq!(removal.cancelled_bookings.len(), 3);
    assert!(removal.cancelled_bookings.iter().all(|b| b.status == BookingStatus::CancelledByAdmin));
    assert_eq!(slots::get(&db.pool, s.id).await.unwrap().slot.status, SlotStatus::Cancelled);
    assert_eq!(db.count("SELECT COUNT(*) FROM deliveries WHERE kind = 'notification'").await, 3);
    assert_eq!(db.count("SELECT COUNT(*) FROM reminders WHERE status = 'pending'").await, 0);
}

#[tokio::test]
async fn deleting_a_slot_removes_it_when_never_booked_and_hides_it_otherwise() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let (unused, booked) = (db.slot(48, 1).await, db.slot(72, 1).await);
    bookings::book(&db.pool, &rules(), c.id, booked.id, t0()).await.unwrap();

    let a = slots::delete(&db.pool, &Default::default(), None, unused.id, None, t0()).await.unwrap();
    let b = slots::delete(&db.pool, &Default::default(), None, booked.id, None, t0()).await.unwrap();

    assert!(a.deleted_row && a.cancelled_bookings.is_empty());
    assert!(!b.deleted_row && b.cancelled_bookings.len() == 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM slots").await, 1);
    assert!(matches!(slots::get(&db.pool, booked.id).await, Err(Error::NotFound { .. })));
    assert_eq!(db.count("SELECT COUNT(*) FROM deliveries WHERE kind = 'notification'").await, 1);
}

#[tokio::test]
async fn a_slot_cannot_shrink_below_its_active_bookings() {
    let db = TestDb::new().await;
    let s = db.slot(48, 3).await;
    for n in 1..=2 {
        let c = db.candidate(n).await;
        bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    }
    let shrink = |capacity| SlotChanges { capacity: Some(capacity), ..Default::default() };

    let too_small = slots::update(&db.pool, &rules(), None, s.id, &shrink(1), t0()).await;
    let enough = slots::update(&db.pool, &rules(), None, s.id, &shrink(2), t0()).await.unwrap();

    assert_eq!(conflict(too_small), ConflictKind::CapacityBelowBookings);
    assert_eq!(enough.capacity, 2);
    assert_eq!(db.count("SELECT COUNT(*) FROM deliveries").await, 0, "a capacity change tells nobody");
}

#[tokio::test]
async fn moving_a_booked_slot_moves_its_reminders_and_notifies_the_candidate() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    let later = s.starts_at + Duration::hours(2);

    slots::update(&db.pool, &rules(), None, s.id, &SlotChanges { starts_at: Some(later), ..Default::default() }, t0())
        .await
        .unwrap();

    let rs = reminders::for_booking(&db.pool, booked.booking.id).await.unwrap();
    assert_eq!(rs.len(), 2);
    assert!(rs.iter().all(|r| r.status == ReminderStatus::Pending));
    assert_eq!(rs[0].due_at, later - Duration::hours(24));
    let json: String = sqlx::query_scalar("SELECT notification FROM deliveries").fetch_one(&db.pool).await.unwrap();
    assert!(matches!(
        serde_json::from_str::<Notification>(&json).unwrap(),
        Notification::SlotChanged { new_starts_at, .. } if new_starts_at == later
    ));
}

#[tokio::test]
async fn attendance_can_be_marked_only_once_the_interview_started() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    let early = bookings::mark_attendance(&db.pool, None, booked.booking.id, true, t0()).await;
    let after = s.starts_at + Duration::minutes(40);
    let no_show = bookings::mark_attendance(&db.pool, None, booked.booking.id, false, after).await.unwrap();
    let corrected = bookings::mark_attendance(&db.pool, None, booked.booking.id, true, after).await.unwrap();

    assert!(matches!(early, Err(Error::Validation { field: "attendance", .. })), "{early:?}");
    assert_eq!(no_show.booking.status, BookingStatus::NoShow);
    assert_eq!(corrected.booking.status, BookingStatus::Attended);
}

#[tokio::test]
async fn invalid_slots_are_rejected_naming_the_field() {
    let db = TestDb::new().await;
    let mut bad = super::support::new_slot(t0() - Duration::hours(1), 1);
    let field = |r: Result<_, Error>| match r {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    };

    assert_eq!(field(slots::create(&db.pool, &Default::default(), None, &bad, t0()).await), "starts_at");
    bad.starts_at = t0() + Duration::hours(1);
    bad.capacity = 0;
    assert_eq!(field(slots::create(&db.pool, &Default::default(), None, &bad, t0()).await), "capacity");
    bad.capacity = 1;
    bad.duration_minutes = -5;
    assert_eq!(field(slots::create(&db.pool, &Default::default(), None, &bad, t0()).await), "duration_minutes");
    assert_eq!(db.count("SELECT COUNT(*) FROM slots").await, 0);
}

#[tokio::test]
async fn a_slot_beyond_the_booking_horizon_is_refused_and_nothing_is_written() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let far = db.slot(60 * 24, 1).await;
    let just_inside = db.slot(21 * 24 - 1, 1).await;
    let just_outside = db.slot(21 * 24 + 1, 1).await;

    let forged = bookings::book(&db.pool, &rules(), c.id, far.id, t0()).await;
    let outside = bookings::book(&db.pool, &rules(), c.id, just_outside.id, t0()).await;

    assert_eq!(conflict(forged), ConflictKind::BeyondHorizon);
    assert_eq!(conflict(outside), ConflictKind::BeyondHorizon);
    assert_eq!(db.count("SELECT COUNT(*) FROM bookings").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM reminders").await, 0);
    assert!(bookings::book(&db.pool, &rules(), c.id, just_inside.id, t0()).await.is_ok());
}

#[tokio::test]
async fn a_reschedule_beyond_the_horizon_or_inside_the_notice_keeps_the_old_booking() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let (current, far, soon) = (db.slot(48, 1).await, db.slot(60 * 24, 1).await, db.slot(3, 1).await);
    let booked = bookings::book(&db.pool, &rules(), c.id, current.id, t0()).await.unwrap();

    let to_far = bookings::reschedule(&db.pool, &rules(), c.id, booked.booking.id, far.id, t0()).await;
    let later = t0() + Duration::hours(2) + Duration::minutes(30);
    let to_soon = bookings::reschedule(&db.pool, &rules(), c.id, booked.booking.id, soon.id, later).await;

    assert_eq!(conflict(to_far), ConflictKind::BeyondHorizon);
    assert_eq!(conflict(to_soon), ConflictKind::TooLateToBook);
    assert_eq!(db.count("SELECT COUNT(*) FROM bookings").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
}

#[tokio::test]
async fn a_rescheduled_booking_keeps_its_calendar_event_one_sequence_higher() {
    // Arrange
    let db = TestDb::new().await;
    let first = db.slot(48, 1).await;
    let second = db.slot(72, 1).await;
    let third = db.slot(96, 1).await;
    let c = db.candidate(1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, first.id, t0()).await.unwrap();

    // Act: moved twice.
    let moved = bookings::reschedule(&db.pool, &rules(), c.id, booked.booking.id, second.id, t0()).await.unwrap();
    let again = bookings::reschedule(&db.pool, &rules(), c.id, moved.booking.id, third.id, t0()).await.unwrap();

    // Assert: one UID, the first booking's, with the sequence counting the moves.
    let mut conn = db.pool.acquire().await.unwrap();
    let uid = format!("booking-{}@interview-booking", booked.booking.id);
    assert_eq!(bookings::calendar_identity(&mut conn, booked.booking.id).await.unwrap(), (uid.clone(), 0));
    assert_eq!(bookings::calendar_identity(&mut conn, moved.booking.id).await.unwrap(), (uid.clone(), 1));
    assert_eq!(bookings::calendar_identity(&mut conn, again.booking.id).await.unwrap(), (uid, 2));
}
