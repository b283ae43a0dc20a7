//! `/api/waitlist` and `/api/approvals` (issue 15): the list with held offers, a recruiter's
//! offer by hand and removal (each audited), the dashboard's figures, and approvals after
//! no-shows, with their errors.

use chrono::{Datelike, Duration, Utc};
use core_logic::config::{BookingRules, WaitlistRules};
use core_logic::waitlist::{self, EVENING, Preferences};
use core_logic::{approvals, bookings};
use reqwest::StatusCode;
use serde_json::json;

use crate::api::slots::create_slot;
use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn a_cancelled_booking_is_offered_to_the_waitlist_and_a_recruiter_offers_or_removes_by_hand() {
    let app = spawn_app().await;
    assert_eq!(app.anonymous().get(app.url("/api/waitlist")).send().await.unwrap().status(), 401);
    app.login().await;
    let r = BookingRules::default();
    let slot = create_slot(&app, 2, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(4).await;
    let b = bookings::book(&app.pool, &r, c[0], slot, Utc::now()).await.unwrap();
    // Boris waits for Monday and Wednesday evenings only (the slots here are afternoons), Vera
    // for any time.
    waitlist::join(&app.pool, &r, c[1], Preferences::new(0b101, EVENING), Utc::now()).await.unwrap();
    waitlist::join(&app.pool, &r, c[2], Preferences::default(), Utc::now()).await.unwrap();
    let listed = body(app.get("/api/waitlist").await).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        (listed[0]["position"].clone(), listed[0]["days"].clone(), listed[0]["parts"].clone()),
        (json!(1), json!([1, 3]), json!(["evening"]))
    );
    assert_eq!(
        (listed[1]["days"].clone(), listed[1]["parts"].clone(), listed[1]["offer"].clone()),
        (json!([]), json!([]), json!(null))
    );
    let (boris_entry, vera_entry) = (listed[0]["id"].as_i64().unwrap(), listed[1]["id"].as_i64().unwrap());
    // A Tuesday keeps only those who may come on Tuesdays.
    let mut tuesday = Utc::now().date_naive();
    while tuesday.weekday() != chrono::Weekday::Tue {
        tuesday += Duration::days(1);
    }
    let on_tuesday = body(app.get(&format!("/api/waitlist?day={tuesday}")).await).await;
    assert_eq!(
        on_tuesday.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect::<Vec<_>>(),
        vec![vera_entry]
    );
    assert_error(app.get("/api/waitlist?day=someday").await, StatusCode::BAD_REQUEST, "bad_request").await;

    // The recruiter cancels: the seat is held for Vera, the first who may take it.
    let cancelled = app.post(&format!("/api/bookings/{}/cancel", b.booking.id), json!({})).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let listed = body(app.get("/api/waitlist").await).await;
    assert_eq!(listed[0]["offer"], json!(null));
    assert_eq!(
        (listed[1]["offer"]["slot_id"].clone(), listed[1]["offer"]["by_admin"].clone()),
        (json!(slot), json!(false))
    );
    let shown = body(app.get(&format!("/api/slots/{slot}")).await).await;
    assert_eq!((shown["booked"].clone(), shown["held"].clone()), (json!(0), json!(1)));
    // The candidate's card says where they wait and what they were offered.
    let card = body(app.get(&format!("/api/users/{}", c[2])).await).await;
    assert_eq!(
        (card["waitlist"]["position"].clone(), card["waitlist"]["offer"]["slot_id"].clone()),
        (json!(2), json!(slot))
    );
    assert_eq!(body(app.get(&format!("/api/users/{}", c[0])).await).await["waitlist"], json!(null));

    // By hand: the slot's only seat is held, so no; Vera cannot get a second offer.
    let offer_to = |entry: i64, body: serde_json::Value| {
        let path = format!("/api/waitlist/{entry}/offer");
        let app = &app;
        async move { app.post(&path, body).await }
    };
    assert_error(offer_to(boris_entry, json!({ "slot_id": slot })).await, StatusCode::CONFLICT, "slot_full").await;
    // A new afternoon slot is not Boris's time: nobody is offered it.
    let spare = create_slot(&app, 3, 12, 1).await["id"].as_i64().unwrap();
    assert_eq!(body(app.get(&format!("/api/slots/{spare}")).await).await["held"], json!(0));
    assert_error(offer_to(vera_entry, json!({ "slot_id": spare })).await, StatusCode::CONFLICT, "offer_pending").await;
    assert_error(offer_to(999_999, json!({ "slot_id": spare })).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(
        offer_to(boris_entry, json!({ "slot": spare })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    // The recruiter offers it to Boris anyway.
    let made = offer_to(boris_entry, json!({ "slot_id": spare })).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made = body(made).await;
    assert_eq!((made["status"].clone(), made["slot_id"].clone()), (json!("held"), json!(spare)));
    assert!(made["by_admin"].is_i64());

    // Removing Vera withdraws her hold (Boris has his own offer to answer); twice is a 404.
    assert_eq!(app.delete(&format!("/api/waitlist/{vera_entry}")).await.status(), StatusCode::NO_CONTENT);
    assert_error(app.delete(&format!("/api/waitlist/{vera_entry}")).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body(app.get(&format!("/api/slots/{slot}")).await).await["held"], json!(0));
    let audit = body(app.get("/api/audit?entity_type=waitlist").await).await;
    let entries = audit["items"].as_array().unwrap();
    let named: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["candidate_name"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(
        named,
        vec![
            ("waitlist.remove".to_owned(), "Кандидат 2".to_owned()),
            ("waitlist.offer".to_owned(), "Кандидат 1".to_owned())
        ]
    );
    assert!(entries[1]["slot_starts_at"].is_string(), "the offer names the slot: {}", entries[1]);

    // Boris takes his seat: the dashboard counts one refilled, one withdrawn.
    waitlist::accept(&app.pool, &r, c[1], made["id"].as_i64().unwrap(), Utc::now()).await.unwrap();
    let stats = body(app.get("/api/waitlist/stats").await).await;
    assert_eq!(stats["refilled"], json!(1));
    assert_eq!((stats["offers"]["accepted"].clone(), stats["offers"]["withdrawn"].clone()), (json!(1), json!(1)));
    assert_eq!(stats["waiting_by_vacancy"], json!([]));
    assert_eq!(stats["no_show_by_week"].as_array().unwrap().len(), 8);
    app.stop().await;
}

#[tokio::test]
async fn a_recruiter_approves_or_refuses_a_no_show_candidates_request() {
    let app = spawn_app().await;
    app.login().await;
    let r = BookingRules {
        waitlist: WaitlistRules { no_show_limit: 1, ..WaitlistRules::default() },
        ..BookingRules::default()
    };
    let c = app.seed_candidates(2).await;
    for cand in &c {
        let past: i64 = sqlx::query_scalar(
            "INSERT INTO slots (starts_at, duration_minutes, capacity, created_at, updated_at)
             VALUES (?1, 30, 1, ?1, ?1) RETURNING id",
        )
        .bind(Utc::now().timestamp() - 7200 - cand)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO bookings (slot_id, candidate_id, status, created_at, updated_at, attendance_marked_at)
             VALUES (?1, ?2, 'no_show', ?3, ?3, ?3)",
        )
        .bind(past)
        .bind(cand)
        .bind(Utc::now().timestamp() - 3600)
        .execute(&app.pool)
        .await
        .unwrap();
        assert_eq!(approvals::request(&app.pool, &r, *cand, Utc::now()).await.unwrap(), approvals::Asked::Requested(1));
    }
    let waiting = body(app.get("/api/approvals?status=requested").await).await;
    assert_eq!(waiting.as_array().unwrap().len(), 2);
    assert_eq!(waiting[0]["no_shows"], json!(1));
    let (first, second) = (waiting[0]["id"].as_i64().unwrap(), waiting[1]["id"].as_i64().unwrap());
    let approved = body(app.post(&format!("/api/approvals/{first}/approve"), json!({})).await).await;
    assert_eq!((approved["status"].clone(), approved["decided_by_name"].is_string()), (json!("approved"), true));
    let refused = body(app.post(&format!("/api/approvals/{second}/refuse"), json!({})).await).await;
    assert_eq!(refused["status"], json!("refused"));
    let card = body(app.get(&format!("/api/users/{}", refused["candidate_id"])).await).await;
    assert_eq!(
        card["approvals"].as_array().map(|a| a.iter().map(|r| r["status"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("refused")])
    );
    assert_error(
        app.post(&format!("/api/approvals/{first}/refuse"), json!({})).await,
        StatusCode::CONFLICT,
        "approval_decided",
    )
    .await;
    assert_error(app.post("/api/approvals/999999/approve", json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get("/api/approvals?status=maybe").await, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_eq!(body(app.get("/api/approvals?status=requested").await).await, json!([]));
    assert_eq!(body(app.get("/api/approvals").await).await.as_array().unwrap().len(), 2);
    // The approved candidate may book; the refused one may not.
    let slot = create_slot(&app, 2, 10, 2).await["id"].as_i64().unwrap();
    let approved_candidate = approved["candidate_id"].as_i64().unwrap();
    let refused_candidate = refused["candidate_id"].as_i64().unwrap();
    bookings::book(&app.pool, &r, approved_candidate, slot, Utc::now()).await.unwrap();
    assert!(bookings::book(&app.pool, &r, refused_candidate, slot, Utc::now()).await.is_err());
    app.stop().await;
}

#[tokio::test]
async fn a_released_booking_reads_as_released_in_the_csv_export() {
    let app = spawn_app().await;
    app.login().await;
    let r = BookingRules {
        waitlist: WaitlistRules { release_unconfirmed: true, ..WaitlistRules::default() },
        ..BookingRules::default()
    };
    let slot = create_slot(&app, 2, 10, 1).await;
    let c = app.seed_candidates(1).await;
    let b = bookings::book(&app.pool, &r, c[0], slot["id"].as_i64().unwrap(), Utc::now()).await.unwrap();
    // The day-before reminder asked and got no answer.
    sqlx::query("UPDATE reminders SET status = 'sent' WHERE booking_id = ? AND offset_minutes = 1440")
        .bind(b.booking.id)
        .execute(&app.pool)
        .await
        .unwrap();
    let deadline = b.slot.starts_at - Duration::hours(3);
    assert_eq!(bookings::reconfirm_step(&app.pool, &r, deadline).await.unwrap().released, 1);
    let csv = app.get("/api/export/bookings.csv").await.text().await.unwrap();
    assert!(csv.contains("снята: нет подтверждения"), "{csv}");
    let en = app.get("/api/export/bookings.csv?lang=en").await.text().await.unwrap();
    assert!(en.contains("released: not confirmed"), "{en}");
    app.stop().await;
}
