//! The calendar's pages: rendered by SQL, they read back as the typed slots the rest of the
//! domain sees, and the cursor walks a range without gaps or repeats.

use chrono::Duration;
use core_logic::bookings;
use core_logic::models::SlotStatus;
use core_logic::slot_calendar::{self, CalendarQuery, CalendarSlot, Cursor, SlotPage};
use core_logic::slots;

use super::support::{TestDb, rules, t0};

fn week(limit: u32) -> CalendarQuery {
    CalendarQuery { from: t0(), to: t0() + Duration::days(7), status: None, after: None, limit, interviewer_id: None }
}

async fn read(db: &TestDb, query: &CalendarQuery) -> SlotPage {
    let page = slot_calendar::page(&db.pool, query).await.unwrap();
    serde_json::from_str(&page.to_json()).unwrap()
}

#[tokio::test]
async fn a_page_holds_each_slot_with_its_active_bookings_as_the_typed_list_does() {
    let db = TestDb::new().await;
    let booked = db.slot(30, 2).await;
    let free = db.slot(5, 1).await;
    let cancelled = db.slot(50, 1).await;
    let deleted = db.slot(60, 1).await;
    let outside = db.slot(24 * 8, 1).await;
    for n in 0..2 {
        let candidate = db.candidate(n).await;
        bookings::book(&db.pool, &rules(), candidate.id, booked.id, t0()).await.unwrap();
    }
    slots::cancel(&db.pool, &Default::default(), None, cancelled.id, None, t0()).await.unwrap();
    slots::delete(&db.pool, &Default::default(), None, deleted.id, None, t0()).await.unwrap();

    let page = read(&db, &week(100)).await;

    let typed = slots::list_range(&db.pool, t0(), t0() + Duration::days(7)).await.unwrap();
    let expected: Vec<CalendarSlot> = typed
        .iter()
        .map(|s| CalendarSlot {
            id: s.slot.id,
            starts_at: s.slot.starts_at,
            duration_minutes: s.slot.duration_minutes,
            capacity: s.slot.capacity,
            booked: s.booked,
            held: s.held,
            status: s.slot.status,
            format: s.slot.format.clone(),
            location: s.slot.location.clone(),
            vacancy_id: s.slot.vacancy_id,
        })
        .collect();
    assert_eq!(page.items, expected);
    let ids: Vec<i64> = page.items.iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![free.id, booked.id, cancelled.id]);
    assert_eq!(page.items[1].booked, 2);
    assert_eq!(page.items[2].status, SlotStatus::Cancelled);
    assert!(!ids.contains(&outside.id) && !ids.contains(&deleted.id));
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn the_cursor_walks_slots_at_the_same_time_without_gaps_or_repeats() {
    let db = TestDb::new().await;
    let mut all = Vec::new();
    for hours in [3, 3, 3, 7, 7, 9, 12] {
        all.push(db.slot(hours, 1).await.id);
    }

    let mut seen = Vec::new();
    let mut query = week(2);
    let mut pages = 0;
    loop {
        let page = read(&db, &query).await;
        pages += 1;
        seen.extend(page.items.iter().map(|s| s.id));
        let Some(next) = page.next else { break };
        query.after = Some(Cursor::parse(&next).unwrap());
    }

    assert_eq!(seen, all);
    assert_eq!(pages, 4);
}

#[tokio::test]
async fn an_empty_range_is_an_empty_last_page_and_a_status_filters() {
    let db = TestDb::new().await;
    let open = db.slot(3, 1).await;
    let cancelled = db.slot(4, 1).await;
    slots::cancel(&db.pool, &Default::default(), None, cancelled.id, None, t0()).await.unwrap();

    let empty = read(&db, &CalendarQuery { from: t0() - Duration::days(30), to: t0(), ..week(10) }).await;
    let only_open = read(&db, &CalendarQuery { status: Some(SlotStatus::Open), ..week(10) }).await;

    assert_eq!(empty, SlotPage { items: Vec::new(), next: None });
    assert_eq!(only_open.items.iter().map(|s| s.id).collect::<Vec<_>>(), vec![open.id]);
    assert_eq!(Cursor::parse("12.x"), None);
    assert_eq!(Cursor::parse(&Cursor { starts_at: -5, id: 7 }.encode()), Some(Cursor { starts_at: -5, id: 7 }));
}
