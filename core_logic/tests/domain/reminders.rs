//! Reminders with a controlled clock: claimed once when due, caught up after downtime unless the
//! interview started, never for a cancelled booking, reclaimed after a crash.

use chrono::Duration;
use core_logic::models::ReminderStatus;
use core_logic::{bookings, reminders};

use super::support::{TestDb, rules, t0};

#[tokio::test]
async fn a_due_reminder_is_claimed_once_and_marked_sent() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    let before = reminders::claim_due(&db.pool, t0() + Duration::hours(23), 10).await.unwrap();
    let due = reminders::claim_due(&db.pool, t0() + Duration::hours(24), 10).await.unwrap();
    let again = reminders::claim_due(&db.pool, t0() + Duration::hours(24), 10).await.unwrap();

    assert!(before.is_empty());
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].booking_id, due[0].offset_minutes, due[0].chat_id), (booked.booking.id, 24 * 60, c.chat_id));
    assert!(again.is_empty(), "a claimed reminder is not handed out twice");
    reminders::mark_sent(&db.pool, due[0].id, t0() + Duration::hours(24)).await.unwrap();
    let later = reminders::claim_due(&db.pool, t0() + Duration::hours(30), 10).await.unwrap();
    assert!(later.is_empty(), "a sent reminder is never sent again");
}

#[tokio::test]
async fn after_downtime_due_reminders_are_caught_up_but_not_for_a_started_interview() {
    let db = TestDb::new().await;
    let (a, b) = (db.candidate(1).await, db.candidate(2).await);
    let soon = db.slot(30, 1).await;
    let later = db.slot(60, 1).await;
    bookings::book(&db.pool, &rules(), a.id, soon.id, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), b.id, later.id, t0()).await.unwrap();

    // The bot was down from t0 until 2 hours after `soon` started; `later`'s 24 h reminder
    // (due at t0 + 36 h) is due by then too.
    let back = t0() + Duration::hours(40);
    let due = reminders::claim_due(&db.pool, back, 10).await.unwrap();

    assert_eq!(due.len(), 1);
    assert_eq!(due[0].candidate_id, b.id);
    assert_eq!(db.count("SELECT COUNT(*) FROM reminders WHERE status = 'skipped'").await, 2);
}

#[tokio::test]
async fn a_cancelled_booking_is_never_reminded() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    bookings::cancel_by_candidate(&db.pool, &rules(), c.id, booked.booking.id, t0()).await.unwrap();

    let due = reminders::claim_due(&db.pool, t0() + Duration::hours(47), 10).await.unwrap();

    assert!(due.is_empty());
}

#[tokio::test]
async fn a_reminder_claimed_by_a_crashed_bot_is_claimed_again_after_the_timeout() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    let due_at = t0() + Duration::hours(24);
    let first = reminders::claim_due(&db.pool, due_at, 10).await.unwrap();

    let too_soon = reminders::claim_due(&db.pool, due_at + Duration::seconds(60), 10).await.unwrap();
    let timeout = Duration::from_std(reminders::CLAIM_TIMEOUT).unwrap();
    let reclaimed = reminders::claim_due(&db.pool, due_at + timeout, 10).await.unwrap();

    assert_eq!(first.len(), 1);
    assert!(too_soon.is_empty());
    assert_eq!(reclaimed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![first[0].id]);
    let rs = reminders::for_booking(&db.pool, first[0].booking_id).await.unwrap();
    assert_eq!(rs.iter().find(|r| r.id == first[0].id).unwrap().attempts, 2);
    assert_eq!(rs.iter().find(|r| r.id == first[0].id).unwrap().status, ReminderStatus::Sending);
}

#[tokio::test]
async fn a_reminder_is_written_only_when_it_falls_due_strictly_after_the_booking() {
    let db = TestDb::new().await;
    // An hour's reminder, and a notice short enough to book an hour ahead.
    let hour = core_logic::config::BookingRules {
        min_notice: std::time::Duration::from_secs(60),
        reminder_offsets: vec![std::time::Duration::from_secs(3600)],
        ..rules()
    };
    let mut written = Vec::new();
    for (n, delta) in [(1, -1), (2, 0), (3, 1)] {
        let c = db.candidate(n).await;
        let now = t0() + Duration::days(1);
        let starts_at = now + Duration::hours(1) + Duration::seconds(delta);
        let s = core_logic::slots::create(
            &db.pool,
            &Default::default(),
            None,
            &super::support::new_slot(starts_at, 1),
            t0(),
        )
        .await
        .unwrap();
        let booked = bookings::book(&db.pool, &hour, c.id, s.id, now).await.unwrap();
        written.push(reminders::for_booking(&db.pool, booked.booking.id).await.unwrap().len());
    }

    // Due one second before the booking, at it, one second after it.
    assert_eq!(written, [0, 0, 1]);
}

/// A claimed reminder of a booking two days ahead, and when it was claimed.
async fn claimed_reminder(db: &TestDb) -> (i64, chrono::DateTime<chrono::Utc>) {
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();
    let at = t0() + Duration::hours(24);
    let due = reminders::claim_due(&db.pool, at, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    (due[0].id, at)
}

async fn status_of(db: &TestDb, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM reminders WHERE id = ?").bind(id).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn a_reminder_that_failed_for_good_is_never_claimed_again() {
    let db = TestDb::new().await;
    let (id, at) = claimed_reminder(&db).await;

    reminders::mark_failed(&db.pool, id, "Forbidden: bot was blocked by the user").await.unwrap();

    assert_eq!(status_of(&db, id).await, "failed");
    let timeout = Duration::from_std(reminders::CLAIM_TIMEOUT).unwrap();
    assert!(reminders::claim_due(&db.pool, at + timeout + Duration::hours(1), 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_released_reminder_is_claimed_again_at_once() {
    let db = TestDb::new().await;
    let (id, at) = claimed_reminder(&db).await;

    reminders::release(&db.pool, id, "Bad Gateway").await.unwrap();

    assert_eq!(status_of(&db, id).await, "pending");
    let again = reminders::claim_due(&db.pool, at + Duration::seconds(1), 10).await.unwrap();
    assert_eq!(again.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
}

#[tokio::test]
async fn a_sent_reminder_stays_sent_and_a_late_result_does_not_change_it() {
    let db = TestDb::new().await;
    let (id, at) = claimed_reminder(&db).await;

    reminders::mark_sent(&db.pool, id, at).await.unwrap();
    reminders::release(&db.pool, id, "late").await.unwrap();
    reminders::mark_failed(&db.pool, id, "late").await.unwrap();

    assert_eq!(status_of(&db, id).await, "sent");
}

#[tokio::test]
async fn cancelling_a_booking_cancels_its_pending_reminders_at_once() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let s = db.slot(48, 1).await;
    let booked = bookings::book(&db.pool, &rules(), c.id, s.id, t0()).await.unwrap();

    bookings::cancel_by_candidate(&db.pool, &rules(), c.id, booked.booking.id, t0()).await.unwrap();

    let rs = reminders::for_booking(&db.pool, booked.booking.id).await.unwrap();
    assert_eq!(rs.len(), 2);
    assert!(rs.iter().all(|r| r.status == ReminderStatus::Cancelled), "{rs:?}");
}
