//! Booking under contention through the real booking code (`core_logic::bookings::book`, one
//! `BEGIN IMMEDIATE` transaction each, on a 16-connection pool as the services open): 500
//! candidates at once on 100 slots of 2 places, each trying up to 5 slots until one is booked.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{Duration, Utc};
use core_logic::config::BookingRules;
use core_logic::slots::{self, NewSlot};
use futures_util::future::join_all;
use test_support::seed::SeededDb;

pub const CANDIDATES: i64 = 500;
pub const SLOTS: i64 = 100;
const CAPACITY: i64 = 2;
const TRIES: i64 = 5;

/// What one run saw.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub attempts_per_sec: f64,
    pub attempts: u64,
    pub booked: u64,
    /// Slots holding more active bookings than places (must be 0).
    pub overbooked: i64,
    /// Attempts that failed with SQLITE_BUSY ("database is locked").
    pub busy: u64,
    /// Attempts that failed otherwise than with a booking conflict.
    pub other_errors: u64,
}

#[derive(Default)]
struct Tally {
    attempts: AtomicU64,
    booked: AtomicU64,
    busy: AtomicU64,
    other: AtomicU64,
}

pub async fn run() -> Run {
    let db = SeededDb::new(CANDIDATES, 8_000_000).await;
    let pool = core_logic::db::connect_and_migrate(&db.url, 16).await.expect("open the database");
    let now = Utc::now();
    let mut slot_ids = Vec::new();
    for i in 0..SLOTS {
        let new = NewSlot {
            starts_at: now + Duration::days(3) + Duration::minutes(30 * i),
            duration_minutes: 30,
            capacity: CAPACITY,
            format: "online".into(),
            location: None,
            notes: None,
            vacancy_id: None,
            interviewer_ids: vec![],
        };
        slot_ids.push(slots::create(&pool, &Default::default(), None, &new, now).await.expect("create a slot").id);
    }
    let (slot_ids, tally, rules) = (Arc::new(slot_ids), Arc::new(Tally::default()), Arc::new(BookingRules::default()));
    let started = Instant::now();
    let candidates = db.candidate_ids.iter().enumerate().map(|(n, &candidate)| {
        let (pool, slot_ids, tally, rules) = (pool.clone(), slot_ids.clone(), tally.clone(), rules.clone());
        async move {
            for k in 0..TRIES {
                let slot = slot_ids[((n as i64 * 37 + k * 11) % SLOTS) as usize];
                tally.attempts.fetch_add(1, Ordering::Relaxed);
                match core_logic::bookings::book(&pool, &rules, candidate, slot, Utc::now()).await {
                    Ok(_) => {
                        tally.booked.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    Err(error) if error.conflict_kind().is_some() => {}
                    Err(error) if is_busy(&error.to_string()) => _ = tally.busy.fetch_add(1, Ordering::Relaxed),
                    Err(_) => _ = tally.other.fetch_add(1, Ordering::Relaxed),
                }
            }
        }
    });
    join_all(candidates).await;
    let elapsed = started.elapsed().as_secs_f64();
    let overbooked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM slots s
         WHERE (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active') > s.capacity",
    )
    .fetch_one(&pool)
    .await
    .expect("count overbooked slots");
    pool.close().await;
    let attempts = tally.attempts.load(Ordering::Relaxed);
    Run {
        attempts_per_sec: attempts as f64 / elapsed,
        attempts,
        booked: tally.booked.load(Ordering::Relaxed),
        overbooked,
        busy: tally.busy.load(Ordering::Relaxed),
        other_errors: tally.other.load(Ordering::Relaxed),
    }
}

fn is_busy(message: &str) -> bool {
    let message = message.to_lowercase();
    message.contains("database is locked") || message.contains("busy")
}

/// The bare ceiling: as many single-row insert transactions as the system made attempts, on
/// one connection to a fresh database.
pub async fn ceiling(n: usize) -> f64 {
    let dir = tempfile::tempdir().expect("a temporary directory");
    crate::ceilings::insert_loop(&format!("sqlite:{}", dir.path().join("bare.db").display()), n).await
}
