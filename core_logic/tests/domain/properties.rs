//! Property tests of the booking rules over random sequences of book, cancel, reschedule, admin
//! cancel, slot cancel, slot delete and the passing of time (which sends due reminders). After
//! every step: no slot over capacity, no candidate over the limit, and pending reminders exactly
//! for active upcoming bookings, one per configured offset still ahead.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use core_logic::config::BookingRules;
use core_logic::{Error, bookings, reminders, slots};
use proptest::prelude::*;

use super::support::{TestDb, t0};

const CANDIDATES: usize = 4;
const SLOTS: usize = 6;

#[derive(Debug, Clone)]
enum Op {
    Book {
        candidate: usize,
        slot: usize,
    },
    Cancel {
        candidate: usize,
        pick: usize,
    },
    Reschedule {
        candidate: usize,
        pick: usize,
        slot: usize,
    },
    AdminCancel {
        pick: usize,
    },
    CancelSlot {
        slot: usize,
    },
    DeleteSlot {
        slot: usize,
    },
    /// Time passes and the reminder scheduler sends what is due.
    Wait {
        minutes: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CANDIDATES;
    let s = 0..SLOTS;
    prop_oneof![
        4 => (c.clone(), s.clone()).prop_map(|(candidate, slot)| Op::Book { candidate, slot }),
        2 => (c.clone(), 0..3usize).prop_map(|(candidate, pick)| Op::Cancel { candidate, pick }),
        2 => (c, 0..3usize, s.clone()).prop_map(|(candidate, pick, slot)| Op::Reschedule { candidate, pick, slot }),
        1 => (0..8usize).prop_map(|pick| Op::AdminCancel { pick }),
        1 => s.clone().prop_map(|slot| Op::CancelSlot { slot }),
        1 => s.prop_map(|slot| Op::DeleteSlot { slot }),
        2 => (1..600i64).prop_map(|minutes| Op::Wait { minutes }),
    ]
}

/// Slot start times (hours after t0) chosen to straddle the notice, deadline and reminder offsets.
const SLOT_HOURS: [i64; SLOTS] = [2, 5, 20, 26, 30, 50];

async fn run(max_active: u32, capacities: Vec<i64>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let db = TestDb::new().await;
    let rules = BookingRules { max_active_bookings: max_active, ..BookingRules::default() };
    let mut candidates = Vec::new();
    for n in 0..CANDIDATES as i64 {
        candidates.push(db.candidate(n).await.id);
    }
    let mut slot_ids = Vec::new();
    for (hours, capacity) in SLOT_HOURS.iter().zip(&capacities) {
        slot_ids.push(db.slot(*hours, *capacity).await.id);
    }
    let mut now = t0();

    for op in ops {
        let result: Result<(), Error> = match op {
            Op::Book { candidate, slot } => {
                bookings::book(&db.pool, &rules, candidates[candidate], slot_ids[slot], now).await.map(drop)
            }
            Op::Cancel { candidate, pick } => match own_booking(&db, candidates[candidate], pick).await {
                Some(b) => {
                    bookings::cancel_by_candidate(&db.pool, &rules, candidates[candidate], b, now).await.map(drop)
                }
                None => Ok(()),
            },
            Op::Reschedule { candidate, pick, slot } => match own_booking(&db, candidates[candidate], pick).await {
                Some(b) => bookings::reschedule(&db.pool, &rules, candidates[candidate], b, slot_ids[slot], now)
                    .await
                    .map(drop),
                None => Ok(()),
            },
            Op::AdminCancel { pick } => {
                let ids: Vec<i64> =
                    sqlx::query_scalar("SELECT id FROM bookings ORDER BY id").fetch_all(&db.pool).await.unwrap();
                match ids.get(pick) {
                    Some(b) => bookings::cancel_by_admin(&db.pool, &rules, None, *b, Some("test"), now).await.map(drop),
                    None => Ok(()),
                }
            }
            Op::CancelSlot { slot } => {
                slots::cancel(&db.pool, &Default::default(), None, slot_ids[slot], None, now).await.map(drop)
            }
            Op::DeleteSlot { slot } => {
                slots::delete(&db.pool, &Default::default(), None, slot_ids[slot], None, now).await.map(drop)
            }
            Op::Wait { minutes } => {
                now += Duration::minutes(minutes);
                for r in reminders::claim_due(&db.pool, now, 1000).await.unwrap() {
                    reminders::mark_sent(&db.pool, r.id, now).await.unwrap();
                }
                Ok(())
            }
        };
        // Refusals are typed domain errors; a database error is a bug.
        if let Err(Error::Db(e)) = &result {
            return Err(TestCaseError::fail(format!("database error: {e}")));
        }
        check_invariants(&db, &rules, now).await?;
    }
    Ok(())
}

async fn own_booking(db: &TestDb, candidate: i64, pick: usize) -> Option<i64> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM bookings WHERE candidate_id = ? ORDER BY id")
        .bind(candidate)
        .fetch_all(&db.pool)
        .await
        .unwrap();
    ids.get(pick).copied()
}

async fn check_invariants(db: &TestDb, rules: &BookingRules, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let now_s = now.timestamp();
    let over_capacity: i64 = db
        .count(
            "SELECT COUNT(*) FROM slots s WHERE
               (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') > s.capacity",
        )
        .await;
    prop_assert_eq!(over_capacity, 0, "a slot is over capacity");
    let active_on_closed = db
        .count("SELECT COUNT(*) FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.status = 'active' AND s.status <> 'open'")
        .await;
    prop_assert_eq!(active_on_closed, 0, "a cancelled or deleted slot kept an active booking");
    let most_held: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM bookings b JOIN slots s ON s.id = b.slot_id
         WHERE b.status = 'active' AND s.starts_at > ? GROUP BY b.candidate_id)",
    )
    .bind(now_s)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    prop_assert!(most_held <= i64::from(rules.max_active_bookings), "a candidate holds {most_held} bookings");

    // Every pending reminder is ahead and belongs to an active upcoming booking.
    let stray: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reminders r JOIN bookings b ON b.id = r.booking_id JOIN slots s ON s.id = b.slot_id
         WHERE r.status = 'pending' AND (b.status <> 'active' OR s.starts_at <= ?1 OR r.due_at <= ?1)",
    )
    .bind(now_s)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    prop_assert_eq!(stray, 0, "a pending reminder of an ended, started or past-due booking");
    // Every active upcoming booking has exactly one pending reminder per offset still ahead.
    let upcoming: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT b.id, s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.status = 'active' AND s.starts_at > ?",
    )
    .bind(now_s)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for (booking, starts_at) in upcoming {
        let mut expected: Vec<i64> = rules
            .reminder_offsets
            .iter()
            .filter(|o| starts_at - Duration::from_std(**o).unwrap() > now)
            .map(|o: &StdDuration| (o.as_secs() / 60) as i64)
            .collect();
        expected.sort_unstable();
        let pending: Vec<i64> = sqlx::query_scalar(
            "SELECT offset_minutes FROM reminders WHERE booking_id = ? AND status = 'pending' ORDER BY offset_minutes",
        )
        .bind(booking)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        prop_assert_eq!(pending, expected, "reminders of booking {}", booking);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn booking_rules_hold_over_random_sequences(
        max_active in 1u32..=2,
        capacities in proptest::collection::vec(1i64..=3, SLOTS),
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(run(max_active, capacities, ops))?;
    }
}
