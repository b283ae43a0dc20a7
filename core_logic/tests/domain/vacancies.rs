//! Vacancies: their fields, archiving (checked inside the booking transaction), and deletion.

use chrono::Duration;
use core_logic::models::VacancyStatus;
use core_logic::vacancies::{self, VacancyFields};
use core_logic::{ConflictKind, Error, bookings, slots};

use super::support::{TestDb, new_slot, rules, t0};

fn courier() -> VacancyFields {
    VacancyFields {
        title: "  Курьер ".into(),
        description: Some("Доставка по городу, график 2/2".into()),
        duration_minutes: 30,
        format: "office".into(),
        location: Some("  ".into()),
        capacity: 3,
        position: 1,
        questions: vec![],
        show_interviewer: false,
    }
}

#[tokio::test]
async fn a_vacancy_is_created_clean_listed_in_order_and_audited() {
    let db = TestDb::new().await;
    let support = VacancyFields { title: "Поддержка".into(), position: 0, ..courier() };

    let c = vacancies::create(&db.pool, None, &courier(), t0()).await.unwrap();
    let s = vacancies::create(&db.pool, None, &support, t0()).await.unwrap();

    assert_eq!((c.title.as_str(), c.location.as_deref(), c.status), ("Курьер", None, VacancyStatus::Active));
    let order: Vec<i64> = vacancies::list(&db.pool, false).await.unwrap().iter().map(|v| v.id).collect();
    assert_eq!(order, vec![s.id, c.id], "by position");
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'vacancy.create'").await, 2);

    let again = vacancies::create(&db.pool, None, &VacancyFields { title: "курьер".into(), ..courier() }, t0()).await;
    assert_eq!(again.unwrap_err().conflict_kind(), Some(ConflictKind::Duplicate));
    for (bad, field) in [
        (VacancyFields { title: " ".into(), ..courier() }, "title"),
        (VacancyFields { title: "x".repeat(65), ..courier() }, "title"),
        (VacancyFields { duration_minutes: 0, ..courier() }, "duration_minutes"),
        (VacancyFields { capacity: 0, ..courier() }, "capacity"),
        (VacancyFields { format: "".into(), ..courier() }, "format"),
    ] {
        let err = vacancies::create(&db.pool, None, &bad, t0()).await.unwrap_err();
        assert!(matches!(err, Error::Validation { field: f, .. } if f == field), "{field}: {err:?}");
    }
}

#[tokio::test]
async fn an_archived_vacancy_hides_its_slots_and_refuses_bookings_but_keeps_the_ones_made() {
    let db = TestDb::new().await;
    let v = vacancies::create(&db.pool, None, &courier(), t0()).await.unwrap();
    let new = |hours| slots::NewSlot { vacancy_id: Some(v.id), ..new_slot(t0() + Duration::hours(hours), 2) };
    let kept = slots::create(&db.pool, &Default::default(), None, &new(48), t0()).await.unwrap();
    let other = slots::create(&db.pool, &Default::default(), None, &new(50), t0()).await.unwrap();
    let any = db.slot(52, 1).await;
    let (anna, boris) = (db.candidate(1).await, db.candidate(2).await);
    let booked = bookings::book(&db.pool, &rules(), anna.id, kept.id, t0()).await.unwrap();

    vacancies::set_status(&db.pool, None, v.id, VacancyStatus::Archived, t0()).await.unwrap();

    let refused = bookings::book(&db.pool, &rules(), boris.id, other.id, t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::VacancyArchived));
    let bookable: Vec<i64> = slots::list_bookable(&db.pool, &rules(), None, t0(), t0() + Duration::days(7))
        .await
        .unwrap()
        .iter()
        .map(|s| s.slot.id)
        .collect();
    assert_eq!(bookable, vec![any.id], "only the slot for any vacancy is offered");
    let still: String = sqlx::query_scalar("SELECT status FROM bookings WHERE id = ?")
        .bind(booked.booking.id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(still, "active");
    // No new slots for an archived vacancy, and none for an unknown one.
    let late = slots::create(&db.pool, &Default::default(), None, &new(60), t0()).await.unwrap_err();
    assert_eq!(late.conflict_kind(), Some(ConflictKind::VacancyArchived));
    let unknown = slots::NewSlot { vacancy_id: Some(999), ..new_slot(t0() + Duration::hours(60), 1) };
    let err = slots::create(&db.pool, &Default::default(), None, &unknown, t0()).await.unwrap_err();
    assert!(matches!(err, Error::Validation { field: "vacancy_id", .. }), "{err:?}");

    vacancies::set_status(&db.pool, None, v.id, VacancyStatus::Active, t0()).await.unwrap();
    bookings::book(&db.pool, &rules(), boris.id, other.id, t0()).await.unwrap();
}

#[tokio::test]
async fn archiving_while_candidates_book_lets_nothing_through_after_the_archive() {
    // Forty candidates book one slot while a recruiter archives its vacancy: each booking is
    // either made (before the archive committed) or refused as archived, never anything else,
    // and the candidate who books right after the archive is refused.
    let db = TestDb::new().await;
    let v = vacancies::create(&db.pool, None, &courier(), t0()).await.unwrap();
    let for_v = slots::NewSlot { vacancy_id: Some(v.id), ..new_slot(t0() + Duration::hours(48), 100) };
    let slot = slots::create(&db.pool, &Default::default(), None, &for_v, t0()).await.unwrap();
    let mut people = Vec::new();
    for n in 0..40 {
        people.push(db.candidate(n).await.id);
    }
    let mut tasks = Vec::new();
    for (i, id) in people.into_iter().enumerate() {
        let pool = db.pool.clone();
        tasks.push(tokio::spawn(async move {
            if i == 20 {
                vacancies::set_status(&pool, None, v.id, VacancyStatus::Archived, t0()).await.unwrap();
            }
            (i, bookings::book(&pool, &rules(), id, slot.id, t0()).await.map(|b| b.booking.id))
        }));
    }
    let mut refused = 0;
    for t in tasks {
        let (i, result) = t.await.unwrap();
        if let Err(e) = result {
            assert_eq!(e.conflict_kind(), Some(ConflictKind::VacancyArchived), "{e:?}");
            refused += 1;
        } else {
            assert_ne!(i, 20, "the booking after the archive went through");
        }
    }
    assert!(refused >= 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM bookings").await + refused, 40);
}

#[tokio::test]
async fn a_vacancy_with_slots_is_archived_not_deleted() {
    let db = TestDb::new().await;
    let used = vacancies::create(&db.pool, None, &courier(), t0()).await.unwrap();
    let unused =
        vacancies::create(&db.pool, None, &VacancyFields { title: "Склад".into(), ..courier() }, t0()).await.unwrap();
    slots::create(
        &db.pool,
        &Default::default(),
        None,
        &slots::NewSlot { vacancy_id: Some(used.id), ..new_slot(t0() + Duration::hours(48), 1) },
        t0(),
    )
    .await
    .unwrap();

    let refused = vacancies::delete(&db.pool, None, used.id, t0()).await.unwrap_err();
    assert_eq!(refused.conflict_kind(), Some(ConflictKind::VacancyInUse));
    vacancies::delete(&db.pool, None, unused.id, t0()).await.unwrap();
    assert!(matches!(vacancies::get(&db.pool, unused.id).await, Err(Error::NotFound { .. })));
    assert!(matches!(vacancies::delete(&db.pool, None, unused.id, t0()).await, Err(Error::NotFound { .. })));
}
