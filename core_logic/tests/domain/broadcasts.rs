//! Broadcasts: the outbox event in the creating transaction, segments, an idempotent fan-out,
//! the delivery state machine and cancellation.

use chrono::{Duration, NaiveDate};
use core_logic::broadcasts::{self, Content, NewBroadcast};
use core_logic::deliveries::{self, Claim, DeliveryToSend, Recorded, SendOutcome};
use core_logic::models::{BroadcastStatus, DeliveryStatus};
use core_logic::outbox::{self, Event};
use core_logic::segments::Segment;
use core_logic::{Error, bookings, candidates};

use super::support::{TestDb, rules, t0};

const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;

fn new(segment: Segment) -> NewBroadcast {
    NewBroadcast::new("<b>Привет!</b> Открыты новые слоты.", segment)
}

async fn recipients(db: &TestDb, segment: Segment) -> Vec<i64> {
    let b = broadcasts::create(&db.pool, None, &new(segment), t0()).await.unwrap();
    broadcasts::write_deliveries(&db.pool, b.id, TZ, t0()).await.unwrap();
    sqlx::query_scalar("SELECT candidate_id FROM deliveries WHERE broadcast_id = ? ORDER BY candidate_id")
        .bind(b.id)
        .fetch_all(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn creating_a_broadcast_writes_its_event_due_at_the_send_time() {
    let db = TestDb::new().await;
    let at = t0() + Duration::hours(5);

    let now = broadcasts::create(&db.pool, None, &new(Segment::All), t0()).await.unwrap();
    let later = broadcasts::create(&db.pool, None, &NewBroadcast { send_at: Some(at), ..new(Segment::All) }, t0())
        .await
        .unwrap();

    let due = outbox::next_due(&db.pool, t0()).await.unwrap().unwrap();
    assert_eq!(due.event().unwrap(), Event::BroadcastCreated { broadcast_id: now.id });
    outbox::mark_processed(&db.pool, due.id, t0()).await.unwrap();
    assert!(outbox::next_due(&db.pool, t0()).await.unwrap().is_none(), "the scheduled one waits");
    let scheduled = outbox::next_due(&db.pool, at).await.unwrap().unwrap();
    assert_eq!(scheduled.event().unwrap(), Event::BroadcastCreated { broadcast_id: later.id });
    assert_eq!(outbox::lag_seconds(&db.pool, at + Duration::seconds(7)).await.unwrap(), 7);
}

#[tokio::test]
async fn invalid_broadcasts_are_rejected_and_write_nothing() {
    let db = TestDb::new().await;
    let too_long = NewBroadcast { content: Content::text("я".repeat(4097)), ..new(Segment::All) };
    let empty = NewBroadcast { content: Content::text("   "), ..new(Segment::All) };
    let past = NewBroadcast { send_at: Some(t0() - Duration::hours(1)), ..new(Segment::All) };

    for (b, expected) in [(too_long, "text"), (empty, "text"), (past, "send_at")] {
        match broadcasts::create(&db.pool, None, &b, t0()).await {
            Err(Error::Validation { field, .. }) => assert_eq!(field, expected),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert_eq!(db.count("SELECT COUNT(*) FROM broadcasts").await, 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM outbox_events").await, 0);
    let exactly = NewBroadcast { content: Content::text("я".repeat(4096)), ..new(Segment::All) };
    assert!(broadcasts::create(&db.pool, None, &exactly, t0()).await.is_ok());
}

#[tokio::test]
async fn segments_select_their_candidates_and_never_blocked_or_unreachable_ones() {
    let db = TestDb::new().await;
    let mut c = Vec::new();
    for n in 1..=7 {
        c.push(db.candidate(n).await);
    }
    let tomorrow = db.slot(24, 5).await; // 2026-12-02 12:00 Moscow
    let past = db.slot(2, 5).await;
    bookings::book(&db.pool, &rules(), c[0].id, tomorrow.id, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), c[1].id, past.id, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), c[2].id, past.id, t0()).await.unwrap();
    let c3 = bookings::book(&db.pool, &rules(), c[3].id, tomorrow.id, t0()).await.unwrap();
    bookings::cancel_by_candidate(&db.pool, &rules(), c[3].id, c3.booking.id, t0()).await.unwrap();
    let after = t0() + Duration::hours(3);
    let b1 = sqlx::query_scalar::<_, i64>("SELECT id FROM bookings WHERE candidate_id = ?").bind(c[1].id);
    let b1 = b1.fetch_one(&db.pool).await.unwrap();
    let b2 = sqlx::query_scalar::<_, i64>("SELECT id FROM bookings WHERE candidate_id = ?").bind(c[2].id);
    let b2 = b2.fetch_one(&db.pool).await.unwrap();
    bookings::mark_attendance(&db.pool, None, b1, true, after).await.unwrap();
    bookings::mark_attendance(&db.pool, None, b2, false, after).await.unwrap();
    candidates::set_blocked(&db.pool, None, c[5].id, true, t0()).await.unwrap();
    candidates::mark_unreachable(&db.pool, c[6].id).await.unwrap();
    let id = |i: usize| c[i].id;

    assert_eq!(recipients(&db, Segment::All).await, vec![id(0), id(1), id(2), id(3), id(4)]);
    assert_eq!(recipients(&db, Segment::UpcomingBooking).await, vec![id(0)]);
    assert_eq!(recipients(&db, Segment::NeverBooked).await, vec![id(4)]);
    let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    assert_eq!(recipients(&db, Segment::BookedOn { date }).await, vec![id(0)]);
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(recipients(&db, Segment::BookedOn { date: today }).await, vec![id(1), id(2)]);
    assert_eq!(recipients(&db, Segment::Attended).await, vec![id(1)]);
    assert_eq!(recipients(&db, Segment::NoShow).await, vec![id(2)]);
    assert_eq!(broadcasts::count_recipients(&db.pool, &Segment::All, TZ, t0()).await.unwrap(), 5);
}

#[tokio::test]
async fn a_resumed_fan_out_adds_no_delivery_twice() {
    let db = TestDb::new().await;
    for n in 1..=50 {
        db.candidate(n).await;
    }
    let b = broadcasts::create(&db.pool, None, &new(Segment::All), t0()).await.unwrap();

    broadcasts::write_deliveries(&db.pool, b.id, TZ, t0()).await.unwrap();
    db.candidate(51).await; // joined while the worker was down
    broadcasts::write_deliveries(&db.pool, b.id, TZ, t0()).await.unwrap();

    assert_eq!(db.count("SELECT COUNT(*) FROM deliveries").await, 51);
    assert_eq!(db.count("SELECT COUNT(DISTINCT candidate_id) FROM deliveries").await, 51);
    let b = broadcasts::get(&db.pool, b.id).await.unwrap();
    assert_eq!((b.status, b.total_recipients), (BroadcastStatus::FanningOut, Some(51)));
}

#[tokio::test]
async fn deliveries_go_through_their_states_and_complete_the_broadcast() {
    let db = TestDb::new().await;
    let (a, b, c) = (db.candidate(1).await, db.candidate(2).await, db.candidate(3).await);
    let bc = broadcasts::create(&db.pool, None, &new(Segment::All), t0()).await.unwrap();
    broadcasts::write_deliveries(&db.pool, bc.id, TZ, t0()).await.unwrap();
    let ids = deliveries::pending_ids(&db.pool, bc.id, 0, 100).await.unwrap();
    deliveries::mark_published(&db.pool, &ids, t0()).await.unwrap();
    broadcasts::finish_fan_out(&db.pool, bc.id, t0()).await.unwrap();
    assert_eq!(broadcasts::get(&db.pool, bc.id).await.unwrap().status, BroadcastStatus::Sending);

    let mut outcomes = vec![
        SendOutcome::Sent { telegram_message_id: 77 },
        SendOutcome::Blocked { error: "Forbidden: bot was blocked by the user".into() },
        SendOutcome::Failed { error: "Bad Request: chat not found".into() },
    ]
    .into_iter();
    for id in &ids {
        let Claim::Send(to_send) = deliveries::claim(&db.pool, *id, t0()).await.unwrap() else { panic!("claimable") };
        assert_eq!(to_send.text.as_deref(), Some(bc.text.as_str()));
        deliveries::record(&db.pool, *id, &to_send.lease, &outcomes.next().unwrap(), t0()).await.unwrap();
    }

    let counts = broadcasts::delivery_counts(&db.pool, bc.id).await.unwrap();
    assert_eq!((counts["sent"], counts["blocked"], counts["failed"], counts["pending"]), (1, 1, 1, 0));
    assert_eq!(broadcasts::get(&db.pool, bc.id).await.unwrap().status, BroadcastStatus::Completed);
    assert_eq!(candidates::get(&db.pool, b.id).await.unwrap().status.as_str(), "unreachable");
    // A redelivered message of a finished delivery is skipped.
    assert_eq!(deliveries::claim(&db.pool, ids[0], t0()).await.unwrap(), Claim::Skip(DeliveryStatus::Sent));
    // The candidate who blocked the bot is not a recipient of the next broadcast.
    assert_eq!(recipients(&db, Segment::All).await, vec![a.id, c.id]);
}

/// One published delivery of a one-candidate broadcast.
async fn one_published_delivery(db: &TestDb) -> i64 {
    db.candidate(1).await;
    let bc = broadcasts::create(&db.pool, None, &new(Segment::All), t0()).await.unwrap();
    broadcasts::write_deliveries(&db.pool, bc.id, TZ, t0()).await.unwrap();
    let id = deliveries::pending_ids(&db.pool, bc.id, 0, 1).await.unwrap()[0];
    deliveries::mark_published(&db.pool, &[id], t0()).await.unwrap();
    broadcasts::finish_fan_out(&db.pool, bc.id, t0()).await.unwrap();
    id
}

fn claimed(claim: Claim) -> DeliveryToSend {
    match claim {
        Claim::Send(d) => d,
        other => panic!("expected to send, got {other:?}"),
    }
}

fn secs(n: i64) -> Duration {
    Duration::seconds(n)
}

#[tokio::test]
async fn a_delivery_under_a_valid_lease_is_not_claimed_again() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;
    claimed(deliveries::claim(&db.pool, id, t0()).await.unwrap());
    let lease = deliveries::LEASE.as_secs() as i64;

    // A second copy of the message, while the first send is under way, up to the last second
    // of the lease.
    let during = deliveries::claim(&db.pool, id, t0()).await.unwrap();
    let last_second = deliveries::claim(&db.pool, id, t0() + secs(lease - 1)).await.unwrap();

    assert_eq!(during, Claim::Leased { until: t0() + secs(lease) });
    assert_eq!(last_second, Claim::Leased { until: t0() + secs(lease) });
}

#[tokio::test]
async fn two_copies_in_one_claim_are_sent_once() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;

    let claims = deliveries::claim_many(&db.pool, &[id, id], t0()).await.unwrap();

    assert!(matches!(claims[0], Claim::Send(_)), "{claims:?}");
    assert!(matches!(claims[1], Claim::Leased { .. }), "{claims:?}");
}

#[tokio::test]
async fn a_crash_during_the_telegram_call_resends_that_one_message_once_the_lease_expires() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;
    let first = claimed(deliveries::claim(&db.pool, id, t0()).await.unwrap());
    let lease = deliveries::LEASE.as_secs() as i64;

    // The bot died before recording the result; the message comes back from the queue once the
    // lease has run out.
    let again = claimed(deliveries::claim(&db.pool, id, t0() + secs(lease)).await.unwrap());

    assert_eq!(again.attempts, 2);
    assert_ne!(again.lease, first.lease);
    // The dead holder's late record (had it only been slow) is refused; the new holder's is kept.
    let sent = SendOutcome::Sent { telegram_message_id: 5 };
    assert_eq!(deliveries::record(&db.pool, id, &first.lease, &sent, t0()).await.unwrap(), Recorded::LeaseLost);
    assert_eq!(
        deliveries::record(&db.pool, id, &again.lease, &sent, t0()).await.unwrap(),
        Recorded::Done(DeliveryStatus::Sent)
    );
}

#[tokio::test]
async fn a_held_lease_is_extended_and_survives_past_its_first_term() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;
    let d = claimed(deliveries::claim(&db.pool, id, t0()).await.unwrap());
    let lease = deliveries::LEASE.as_secs() as i64;

    let extended = deliveries::extend_leases(&db.pool, std::slice::from_ref(&d.lease), t0() + secs(2 * lease)).await;

    assert_eq!(extended.unwrap(), 1);
    let later = deliveries::claim(&db.pool, id, t0() + secs(lease + 1)).await.unwrap();
    assert_eq!(later, Claim::Leased { until: t0() + secs(2 * lease) });
}

#[tokio::test]
async fn the_sweeper_republishes_a_delivery_whose_lease_ran_out() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;
    let held = claimed(deliveries::claim(&db.pool, id, t0()).await.unwrap());
    let queue = core_logic::queue::Queue::embedded(db.pool.clone(), Default::default());
    let lease = deliveries::LEASE.as_secs() as i64;

    let early = deliveries::sweep_expired(&db.pool, &queue, t0() + secs(lease - 1)).await.unwrap();
    let late = deliveries::sweep_expired(&db.pool, &queue, t0() + secs(lease)).await.unwrap();

    assert_eq!((early, late), (0, 1));
    assert_eq!(deliveries::get(&db.pool, id).await.unwrap().status, DeliveryStatus::Published);
    let mut consumer = queue.consumer().await.unwrap();
    let message = tokio::time::timeout(std::time::Duration::from_secs(5), consumer.receive()).await.unwrap().unwrap();
    assert_eq!(core_logic::queue::QueueMessage::parse(&message.body).unwrap().delivery_id, id);
    // The holder was only slow: its record still lands, as nobody claimed the delivery since.
    let sent = SendOutcome::Sent { telegram_message_id: 5 };
    assert_eq!(
        deliveries::record(&db.pool, id, &held.lease, &sent, t0() + secs(lease)).await.unwrap(),
        Recorded::Done(DeliveryStatus::Sent)
    );
    assert_eq!(deliveries::claim(&db.pool, id, t0() + secs(lease)).await.unwrap(), Claim::Skip(DeliveryStatus::Sent));
}

#[tokio::test]
async fn a_temporary_failure_returns_the_delivery_for_a_retry() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;
    let d = claimed(deliveries::claim(&db.pool, id, t0()).await.unwrap());

    let recorded =
        deliveries::record(&db.pool, id, &d.lease, &SendOutcome::Retry { error: "502 Bad Gateway".into() }, t0())
            .await
            .unwrap();

    assert_eq!(recorded, Recorded::Done(DeliveryStatus::Published));
    assert_eq!(deliveries::get(&db.pool, id).await.unwrap().last_error.as_deref(), Some("502 Bad Gateway"));
    assert!(matches!(deliveries::claim(&db.pool, id, t0()).await.unwrap(), Claim::Send(_)));
}

#[tokio::test]
async fn a_dead_lettered_delivery_is_failed_and_its_broadcast_completes() {
    let db = TestDb::new().await;
    let id = one_published_delivery(&db).await;

    deliveries::fail(&db.pool, id, "gave up: poison", t0()).await.unwrap();

    let d = deliveries::get(&db.pool, id).await.unwrap();
    assert_eq!((d.status, d.last_error.as_deref()), (DeliveryStatus::Failed, Some("gave up: poison")));
    let bc = d.broadcast_id.unwrap();
    assert_eq!(broadcasts::get(&db.pool, bc).await.unwrap().status, BroadcastStatus::Completed);
}

#[tokio::test]
async fn cancelling_a_broadcast_stops_every_delivery_not_yet_sent() {
    let db = TestDb::new().await;
    for n in 1..=10 {
        db.candidate(n).await;
    }
    let bc = broadcasts::create(&db.pool, None, &new(Segment::All), t0()).await.unwrap();
    broadcasts::write_deliveries(&db.pool, bc.id, TZ, t0()).await.unwrap();
    let ids = deliveries::pending_ids(&db.pool, bc.id, 0, 100).await.unwrap();
    deliveries::mark_published(&db.pool, &ids[..5], t0()).await.unwrap();
    let d = claimed(deliveries::claim(&db.pool, ids[0], t0()).await.unwrap());
    deliveries::record(&db.pool, ids[0], &d.lease, &SendOutcome::Sent { telegram_message_id: 1 }, t0()).await.unwrap();

    let cancelled = broadcasts::cancel(&db.pool, None, bc.id, t0()).await.unwrap();

    assert_eq!(cancelled.status, BroadcastStatus::Cancelled);
    let counts = broadcasts::delivery_counts(&db.pool, bc.id).await.unwrap();
    assert_eq!((counts["sent"], counts["cancelled"]), (1, 9));
    assert_eq!(deliveries::claim(&db.pool, ids[3], t0()).await.unwrap(), Claim::Skip(DeliveryStatus::Cancelled));
    assert!(!broadcasts::write_deliveries(&db.pool, bc.id, TZ, t0()).await.unwrap(), "a cancelled fan-out stops");
    let twice = broadcasts::cancel(&db.pool, None, bc.id, t0()).await;
    assert!(matches!(twice, Err(Error::Conflict { .. })), "{twice:?}");
}
