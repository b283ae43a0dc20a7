//! Interviewers of slots: a panel interview is offered only while all its interviewers are free,
//! and no interviewer is ever booked twice at overlapping times (a property test over random
//! slot sets, interviewer sets, bookings, cancellations and moves).

use chrono::Duration;
use core_logic::accounts::{self, NewAccount};
use core_logic::models::Role;
use core_logic::slots::{self, NewSlot};
use core_logic::{ConflictKind, bookings};
use proptest::prelude::*;

use super::support::{TestDb, new_slot, rules, t0};

async fn interviewer(db: &TestDb, login: &str) -> i64 {
    let new = NewAccount { username: login.into(), display_name: login.into(), role: Role::Interviewer };
    accounts::invite(&db.pool, None, &new, t0()).await.unwrap().account.id
}

/// A slot `hours` after t0, `minutes` long, with these interviewers.
async fn slot(db: &TestDb, hours: i64, minutes: i64, capacity: i64, interviewer_ids: Vec<i64>) -> i64 {
    let new =
        NewSlot { duration_minutes: minutes, interviewer_ids, ..new_slot(t0() + Duration::hours(hours), capacity) };
    slots::create(&db.pool, &Default::default(), None, &new, t0()).await.unwrap().id
}

async fn bookable(db: &TestDb) -> Vec<i64> {
    slots::list_bookable(&db.pool, &rules(), None, t0(), t0() + Duration::days(14))
        .await
        .unwrap()
        .iter()
        .map(|s| s.slot.id)
        .collect()
}

#[tokio::test]
async fn a_panel_interview_is_offered_only_while_all_its_interviewers_are_free() {
    let db = TestDb::new().await;
    let (olga, ivan) = (interviewer(&db, "olga").await, interviewer(&db, "ivan").await);
    let panel = slot(&db, 48, 60, 1, vec![olga, ivan]).await;
    // Ivan's own interview overlaps the panel's second half; Olga's is later.
    let ivan_alone = slot(&db, 48, 90, 1, vec![ivan]).await;
    let olga_later = slot(&db, 50, 60, 1, vec![olga]).await;
    assert_eq!(bookable(&db).await, vec![panel, ivan_alone, olga_later]);

    let (anna, boris) = (db.candidate(1).await, db.candidate(2).await);
    bookings::book(&db.pool, &rules(), anna.id, ivan_alone, t0()).await.unwrap();
    assert_eq!(bookable(&db).await, vec![olga_later], "Ivan is busy, so the panel is not offered");
    let refused = bookings::book(&db.pool, &rules(), boris.id, panel, t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::InterviewerBusy));

    // Freed: offered again.
    let booking: i64 = sqlx::query_scalar("SELECT id FROM bookings").fetch_one(&db.pool).await.unwrap();
    bookings::cancel_by_candidate(&db.pool, &rules(), anna.id, booking, t0()).await.unwrap();
    assert_eq!(bookable(&db).await, vec![panel, ivan_alone, olga_later]);
    // A group interview (capacity 2) takes two candidates with the same interviewer.
    let group = slot(&db, 72, 60, 2, vec![olga]).await;
    bookings::book(&db.pool, &rules(), anna.id, group, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), boris.id, group, t0()).await.unwrap();
}

#[tokio::test]
async fn a_candidate_moves_to_an_overlapping_slot_of_the_same_interviewer() {
    let db = TestDb::new().await;
    let olga = interviewer(&db, "olga").await;
    let first = slot(&db, 48, 60, 1, vec![olga]).await;
    let half_later = slot(&db, 48, 90, 1, vec![olga]).await;
    let anna = db.candidate(1).await;
    let booked = bookings::book(&db.pool, &rules(), anna.id, first, t0()).await.unwrap();
    // The move frees the first slot in the same transaction, so Olga is not double-booked.
    bookings::reschedule(&db.pool, &rules(), anna.id, booked.booking.id, half_later, t0()).await.unwrap();
}

#[tokio::test]
async fn interviewers_are_checked_when_slots_are_created_and_changed() {
    let db = TestDb::new().await;
    let olga = interviewer(&db, "olga").await;
    let ivan = interviewer(&db, "ivan").await;
    let bad = NewSlot { interviewer_ids: vec![olga, olga], ..new_slot(t0() + Duration::hours(48), 1) };
    assert!(slots::create(&db.pool, &Default::default(), None, &bad, t0()).await.is_err());
    let unknown = NewSlot { interviewer_ids: vec![999], ..new_slot(t0() + Duration::hours(48), 1) };
    assert!(slots::create(&db.pool, &Default::default(), None, &unknown, t0()).await.is_err());
    accounts::set_active(&db.pool, None, ivan, false, t0()).await.unwrap();
    let inactive = NewSlot { interviewer_ids: vec![ivan], ..new_slot(t0() + Duration::hours(48), 1) };
    assert!(slots::create(&db.pool, &Default::default(), None, &inactive, t0()).await.is_err());
    accounts::set_active(&db.pool, None, ivan, true, t0()).await.unwrap();

    // Giving a booked slot an interviewer who is busy then is refused.
    let ivan_busy = slot(&db, 48, 60, 1, vec![ivan]).await;
    let olgas = slot(&db, 48, 60, 1, vec![olga]).await;
    let (anna, boris) = (db.candidate(1).await, db.candidate(2).await);
    bookings::book(&db.pool, &rules(), anna.id, ivan_busy, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), boris.id, olgas, t0()).await.unwrap();
    let add_ivan = slots::SlotChanges { interviewer_ids: Some(vec![olga, ivan]), ..Default::default() };
    let refused = slots::update(&db.pool, &rules(), None, olgas, &add_ivan, t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::InterviewerBusy));
    let names: Vec<String> =
        core_logic::interviewers::of_slot(&db.pool, olgas).await.unwrap().into_iter().map(|i| i.name).collect();
    assert_eq!(names, vec!["olga"], "the refused change left the slot as it was");
}

#[derive(Debug, Clone)]
enum Op {
    Book { candidate: usize, slot: usize },
    Cancel { candidate: usize },
    Move { candidate: usize, slot: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..6usize, 0..8usize).prop_map(|(candidate, slot)| Op::Book { candidate, slot }),
        1 => (0..6usize).prop_map(|candidate| Op::Cancel { candidate }),
        2 => (0..6usize, 0..8usize).prop_map(|(candidate, slot)| Op::Move { candidate, slot }),
    ]
}

/// A random slot: start (in half hours after 48 h), length (30 to 120 minutes), capacity, and a
/// non-empty subset of three interviewers (bit mask).
fn slot_spec() -> impl Strategy<Value = (i64, i64, i64, u8)> {
    (0i64..12, 1i64..=4, 1i64..=2, 1u8..8)
}

async fn run(specs: Vec<(i64, i64, i64, u8)>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let db = TestDb::with_connections(2).await;
    let team = [interviewer(&db, "olga").await, interviewer(&db, "ivan").await, interviewer(&db, "petr").await];
    let mut slot_ids = Vec::new();
    for (half_hours, length, capacity, mask) in specs {
        let ids: Vec<i64> = (0..3).filter(|i| mask & (1 << i) != 0).map(|i| team[i]).collect();
        let new = NewSlot {
            duration_minutes: length * 30,
            interviewer_ids: ids,
            ..new_slot(t0() + Duration::hours(48) + Duration::minutes(half_hours * 30), capacity)
        };
        slot_ids.push(slots::create(&db.pool, &Default::default(), None, &new, t0()).await.unwrap().id);
    }
    let mut candidates = Vec::new();
    for n in 0..6 {
        candidates.push(db.candidate(n).await.id);
    }
    let rules = rules();
    for op in ops {
        let active = |c: i64| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM bookings WHERE candidate_id = ? AND status = 'active'")
                    .bind(c)
                    .fetch_optional(&pool)
                    .await
                    .unwrap()
            }
        };
        match op {
            Op::Book { candidate, slot } => {
                let offered = bookable(&db).await.contains(&slot_ids[slot % slot_ids.len()]);
                let result =
                    bookings::book(&db.pool, &rules, candidates[candidate], slot_ids[slot % slot_ids.len()], t0())
                        .await;
                // Whatever is offered and refused is refused for a reason other than a busy interviewer.
                if offered && let Err(err) = &result {
                    prop_assert_ne!(err.conflict_kind(), Some(ConflictKind::InterviewerBusy), "offered, yet busy");
                }
            }
            Op::Cancel { candidate } => {
                if let Some(b) = active(candidates[candidate]).await {
                    bookings::cancel_by_candidate(&db.pool, &rules, candidates[candidate], b, t0()).await.unwrap();
                }
            }
            Op::Move { candidate, slot } => {
                if let Some(b) = active(candidates[candidate]).await {
                    let _ = bookings::reschedule(
                        &db.pool,
                        &rules,
                        candidates[candidate],
                        b,
                        slot_ids[slot % slot_ids.len()],
                        t0(),
                    )
                    .await;
                }
            }
        }
        // No interviewer holds active bookings in two different overlapping slots.
        let clashes: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM slot_interviewers a JOIN slot_interviewers b ON a.admin_id = b.admin_id AND a.slot_id < b.slot_id
               JOIN slots sa ON sa.id = a.slot_id JOIN slots sb ON sb.id = b.slot_id
              WHERE sa.starts_at < sb.starts_at + sb.duration_minutes * 60 AND sb.starts_at < sa.starts_at + sa.duration_minutes * 60
                AND EXISTS (SELECT 1 FROM bookings x WHERE x.slot_id = sa.id AND x.status = 'active')
                AND EXISTS (SELECT 1 FROM bookings y WHERE y.slot_id = sb.id AND y.status = 'active')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        prop_assert_eq!(clashes, 0, "an interviewer is double-booked");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn no_interviewer_is_ever_double_booked(
        specs in proptest::collection::vec(slot_spec(), 2..8),
        ops in proptest::collection::vec(op(), 1..30),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(run(specs, ops))?;
    }
}

mod plans {
    use std::collections::HashMap;

    use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
    use core_logic::interviewers::{self, WorkingWindow};
    use core_logic::slot_plan::{self, Assignment, SkipReason, SlotPlan, TimeWindow};
    use proptest::prelude::*;

    use super::super::support::{TestDb, t0};
    use super::interviewer;

    const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;

    fn monday() -> NaiveDate {
        let d = (t0() + Duration::days(7)).date_naive();
        d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn plan(ids: Vec<i64>, assignment: Assignment, days: i64, slots_a_day: u32) -> SlotPlan {
        SlotPlan {
            from_date: monday(),
            to_date: monday() + Duration::days(days - 1),
            weekdays: vec![1, 2, 3, 4, 5, 6, 7],
            windows: vec![TimeWindow {
                start: hm(9, 0),
                end: hm(9, 0) + Duration::minutes(i64::from(slots_a_day) * 30),
            }],
            duration_minutes: 30,
            gap_minutes: 0,
            capacity: 1,
            format: "online".into(),
            location: None,
            notes: None,
            vacancy_id: None,
            interviewer_ids: ids,
            assignment,
            daily_cap: None,
            buffer_minutes: 0,
        }
    }

    /// Slots created per (interviewer, local day).
    async fn per_day(db: &TestDb) -> HashMap<(i64, NaiveDate), u32> {
        let rows: Vec<(i64, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
            "SELECT si.admin_id, s.starts_at FROM slot_interviewers si JOIN slots s ON s.id = si.slot_id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let mut out = HashMap::new();
        for (id, at) in rows {
            *out.entry((id, at.with_timezone(&TZ).date_naive())).or_default() += 1;
        }
        out
    }

    async fn run_round_robin(team_size: usize, slots_a_day: u32, cap: Option<u32>) -> Result<(), TestCaseError> {
        let db = TestDb::with_connections(2).await;
        let mut team = Vec::new();
        for i in 0..team_size {
            team.push(interviewer(&db, &format!("interviewer{i}")).await);
        }
        let p = SlotPlan { daily_cap: cap, ..plan(team.clone(), Assignment::RoundRobin, 2, slots_a_day) };
        let outcome = slot_plan::generate(&db.pool, &Default::default(), None, &p, TZ, t0(), false).await.unwrap();
        let counts = per_day(&db).await;
        for day in [monday(), monday() + Duration::days(1)] {
            let loads: Vec<u32> = team.iter().map(|id| counts.get(&(*id, day)).copied().unwrap_or(0)).collect();
            let (max, min) = (*loads.iter().max().unwrap(), *loads.iter().min().unwrap());
            prop_assert!(max - min <= 1, "uneven {loads:?}");
            if let Some(cap) = cap {
                prop_assert!(max <= cap, "over the cap {loads:?}");
            }
            let possible = cap.map_or(slots_a_day, |c| slots_a_day.min(c * team_size as u32));
            prop_assert_eq!(loads.iter().sum::<u32>(), possible);
        }
        let unplaced = outcome.skipped.iter().filter(|s| s.reason == SkipReason::NoInterviewerFree).count();
        prop_assert_eq!(outcome.created.len() + unplaced, 2 * slots_a_day as usize);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn round_robin_respects_caps_and_spreads_evenly(
            team_size in 1usize..=4,
            slots_a_day in 1u32..=12,
            cap in proptest::option::of(1u32..=5),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(run_round_robin(team_size, slots_a_day, cap))?;
        }
    }

    #[tokio::test]
    async fn each_interviewer_gets_the_same_hours_within_their_working_hours() {
        let db = TestDb::new().await;
        let (olga, ivan) = (interviewer(&db, "olga").await, interviewer(&db, "ivan").await);
        // Ivan works Mondays 10:00-11:00 only.
        let monday_hours = WorkingWindow { weekday: 1, start: hm(10, 0), end: hm(11, 0) };
        interviewers::set_working_hours(&db.pool, None, ivan, &[monday_hours], t0()).await.unwrap();
        let p = SlotPlan {
            windows: vec![TimeWindow { start: hm(9, 0), end: hm(12, 0) }],
            ..plan(vec![olga, ivan], Assignment::Each, 1, 0)
        };
        let outcome = slot_plan::generate(&db.pool, &Default::default(), None, &p, TZ, t0(), false).await.unwrap();
        let counts = per_day(&db).await;
        assert_eq!(counts.get(&(olga, monday())), Some(&6));
        assert_eq!(counts.get(&(ivan, monday())), Some(&2), "10:00 and 10:30 only");
        let outside = outcome.skipped.iter().filter(|s| s.reason == SkipReason::OutsideWorkingHours).count();
        assert_eq!(outside, 4);
        assert!(outcome.skipped.iter().all(|s| s.interviewer_id == Some(ivan)));
        // The same plan again: everything overlaps their own slots now.
        let again = slot_plan::generate(&db.pool, &Default::default(), None, &p, TZ, t0(), true).await.unwrap();
        assert!(again.created.is_empty());
    }

    #[tokio::test]
    async fn a_buffer_keeps_free_minutes_between_an_interviewers_interviews() {
        let db = TestDb::new().await;
        let olga = interviewer(&db, "olga").await;
        let p = SlotPlan { buffer_minutes: 15, ..plan(vec![olga], Assignment::RoundRobin, 1, 6) };
        let outcome = slot_plan::generate(&db.pool, &Default::default(), None, &p, TZ, t0(), false).await.unwrap();
        let starts: Vec<String> =
            outcome.created.iter().map(|s| s.starts_at.with_timezone(&TZ).format("%H:%M").to_string()).collect();
        assert_eq!(starts, vec!["09:00", "10:00", "11:00"]);
    }
}
