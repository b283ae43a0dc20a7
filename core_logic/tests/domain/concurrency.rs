//! 200 tasks on separate pool connections book the same slots at once: exactly `capacity` win,
//! the rest get a conflict, and SQLite never answers SQLITE_BUSY.

use std::sync::Arc;

use core_logic::{ConflictKind, Error, bookings};
use tokio::sync::Barrier;

use super::support::{TestDb, rules, t0};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_bookings_fill_each_slot_exactly_to_capacity() {
    const TASKS: usize = 200;
    let db = TestDb::with_connections(TASKS as u32).await;
    let single = db.slot(48, 1).await;
    let triple = db.slot(72, 3).await;
    let mut candidates = Vec::with_capacity(TASKS);
    for n in 0..TASKS as i64 {
        candidates.push(db.candidate(n).await.id);
    }
    let barrier = Arc::new(Barrier::new(TASKS));

    let tasks: Vec<_> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, candidate)| {
            let pool = db.pool.clone();
            let barrier = Arc::clone(&barrier);
            let slot = if i % 2 == 0 { single.id } else { triple.id };
            tokio::spawn(async move {
                // Each task holds its own connection before the race starts.
                let conn = pool.acquire().await.unwrap();
                barrier.wait().await;
                drop(conn);
                (slot, bookings::book(&pool, &rules(), candidate, slot, t0()).await)
            })
        })
        .collect();
    let results = futures_util::future::join_all(tasks).await;

    let mut won = std::collections::HashMap::new();
    for result in results {
        let (slot, outcome) = result.unwrap();
        match outcome {
            Ok(_) => *won.entry(slot).or_insert(0) += 1,
            Err(Error::Conflict { kind: ConflictKind::SlotFull, .. }) => {}
            Err(other) => panic!("expected success or SlotFull, got {other:?}"),
        }
    }
    assert_eq!(won.get(&single.id), Some(&1));
    assert_eq!(won.get(&triple.id), Some(&3));
    assert_eq!(db.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 4);
}
