//! `/api/slots`: create, list, bulk (dry run and real), get, update, cancel, delete.

use chrono::{Datelike, Duration, Utc};
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::app::{TestApp, assert_error, body, spawn_app};

fn at(days: i64, hour: u32) -> String {
    let d = (Utc::now() + Duration::days(days)).date_naive();
    format!("{}T{hour:02}:00:00Z", d)
}

pub async fn create_slot(app: &TestApp, days: i64, hour: u32, capacity: i64) -> Value {
    let r = app
        .post(
            "/api/slots",
            json!({ "starts_at": at(days, hour), "duration_minutes": 45, "capacity": capacity, "format": "online" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await
}

#[tokio::test]
async fn a_created_slot_is_listed_with_its_booked_count_and_audited() {
    let app = spawn_app().await;
    app.login().await;

    let slot = create_slot(&app, 3, 10, 2).await;
    let list = body(app.get(&format!("/api/slots?from={}&to={}", at(2, 0), at(5, 0))).await).await;
    let audit = body(app.get("/api/audit?entity_type=slot").await).await;

    assert_eq!(slot["capacity"], 2);
    assert_eq!(slot["status"], "open");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["booked"], 0);
    assert_eq!(list["next"], Value::Null);
    assert_eq!(audit["items"][0]["action"], "slot.create");
    assert_eq!(audit["items"][0]["admin_id"], 1);
    app.stop().await;
}

#[tokio::test]
async fn invalid_slots_are_422_naming_the_field_and_nothing_is_written() {
    let app = spawn_app().await;
    app.login().await;

    for (payload, field) in [
        (json!({ "starts_at": at(-1, 10), "duration_minutes": 30 }), "starts_at"),
        (json!({ "starts_at": at(2, 10), "duration_minutes": 0 }), "duration_minutes"),
        (json!({ "starts_at": at(2, 10), "duration_minutes": 30, "capacity": 0 }), "capacity"),
        (json!({ "starts_at": at(2, 10), "duration_minutes": 30, "capacity": 100000 }), "capacity"),
        (json!({ "starts_at": at(2, 10), "duration_minutes": 30, "format": "  " }), "format"),
    ] {
        let b =
            assert_error(app.post("/api/slots", payload).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
                .await;
        assert!(b["error"]["message"].as_str().unwrap().starts_with(field), "{b}");
    }
    assert_eq!(body(app.get("/api/slots").await).await, json!({ "items": [], "next": null }));
    app.stop().await;
}

#[tokio::test]
async fn bulk_generation_previews_then_creates_and_skips_overlaps() {
    let app = spawn_app().await;
    app.login().await;
    let monday = {
        let d = (Utc::now() + Duration::days(8)).date_naive();
        d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
    };
    // An existing slot at 10:00 Moscow (07:00 UTC) on Monday overlaps the plan's first slot.
    let r = app.post("/api/slots", json!({ "starts_at": format!("{monday}T07:00:00Z"), "duration_minutes": 30 })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan = json!({
        "from_date": monday.to_string(),
        "to_date": (monday + Duration::days(6)).to_string(),
        "weekdays": [1, 3, 5],
        "windows": [{ "start": "10:00:00", "end": "12:00:00" }, { "start": "14:00:00", "end": "15:00:00" }],
        "duration_minutes": 45,
        "gap_minutes": 15,
        "capacity": 1,
        "format": "online",
    });

    let mut dry = plan.clone();
    dry["dry_run"] = json!(true);
    let preview = body(app.post("/api/slots/bulk", dry).await).await;
    let listed_after_preview =
        body(app.get(&format!("/api/slots?from={monday}T00:00:00Z&to={}T00:00:00Z", monday + Duration::days(7))).await)
            .await;
    let done = body(app.post("/api/slots/bulk", plan).await).await;

    // Per day: 10:00, 11:00 (window 1) and 14:00 (window 2) = 3; 3 days = 9; Monday 10:00 overlaps.
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["created"].as_array().unwrap().len(), 8);
    assert_eq!(preview["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(preview["skipped"][0]["reason"], "overlap");
    assert_eq!(listed_after_preview["items"].as_array().unwrap().len(), 1, "a dry run writes nothing");
    assert_eq!(done["created"].as_array().unwrap().len(), 8);
    assert!(done["created"].as_array().unwrap().iter().all(|s| s["id"].as_i64().unwrap() > 0));
    let again = body(
        app.post(
            "/api/slots/bulk",
            json!({
                "from_date": monday.to_string(), "to_date": monday.to_string(), "weekdays": [1],
                "windows": [{ "start": "10:00:00", "end": "12:00:00" }], "duration_minutes": 45, "gap_minutes": 15,
                "capacity": 1, "format": "online"
            }),
        )
        .await,
    )
    .await;
    assert_eq!(again["created"], json!([]), "running the same plan twice creates nothing new");
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_bulk_plan_is_422() {
    let app = spawn_app().await;
    app.login().await;
    let base = json!({
        "from_date": "2027-03-10", "to_date": "2027-03-01", "weekdays": [1],
        "windows": [{ "start": "10:00:00", "end": "12:00:00" }], "duration_minutes": 45, "gap_minutes": 0,
        "capacity": 1, "format": "online"
    });

    let reversed = app.post("/api/slots/bulk", base.clone()).await;
    let mut bad_day = base.clone();
    bad_day["to_date"] = json!("2027-03-20");
    bad_day["weekdays"] = json!([8]);
    let mut bad_window = base;
    bad_window["to_date"] = json!("2027-03-20");
    bad_window["windows"] = json!([{ "start": "12:00:00", "end": "10:00:00" }]);

    assert_error(reversed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(app.post("/api/slots/bulk", bad_day).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
    assert_error(app.post("/api/slots/bulk", bad_window).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
    app.stop().await;
}

#[tokio::test]
async fn a_slot_cannot_shrink_below_its_bookings_and_cancelling_it_notifies_each_candidate() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 3).await;
    let id = slot["id"].as_i64().unwrap();
    let candidates = app.seed_candidates(2).await;
    for c in &candidates {
        bookings::book(&app.pool, &BookingRules::default(), *c, id, Utc::now()).await.unwrap();
    }

    let shrink = app.patch(&format!("/api/slots/{id}"), json!({ "capacity": 1 })).await;
    let detail = body(app.get(&format!("/api/slots/{id}")).await).await;
    let notes = body(app.patch(&format!("/api/slots/{id}"), json!({ "notes": "Room 4" })).await).await;
    let cancelled =
        body(app.post(&format!("/api/slots/{id}/cancel"), json!({ "reason": "Интервьюер заболел" })).await).await;
    let twice = app.post(&format!("/api/slots/{id}/cancel"), json!({})).await;

    assert_error(shrink, StatusCode::CONFLICT, "capacity_below_bookings").await;
    assert_eq!(detail["bookings"].as_array().unwrap().len(), 2, "the detail names who would be notified");
    assert_eq!(notes["notes"], "Room 4");
    assert_eq!(cancelled["cancelled_bookings"].as_array().unwrap().len(), 2);
    assert_error(twice, StatusCode::CONFLICT, "slot_not_open").await;
    let notified: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE kind = 'notification'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(notified, 2);
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_slot_hides_it_and_unknown_slots_are_404() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 1).await;
    let id = slot["id"].as_i64().unwrap();

    let deleted = body(app.delete(&format!("/api/slots/{id}?reason=duplicate")).await).await;

    assert_eq!(deleted["deleted_row"], true);
    assert_error(app.get(&format!("/api/slots/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.delete(&format!("/api/slots/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.patch("/api/slots/999", json!({ "notes": "x" })).await, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

#[tokio::test]
async fn moving_a_booked_slot_notifies_the_candidate() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 1).await;
    let id = slot["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    bookings::book(&app.pool, &BookingRules::default(), c, id, Utc::now()).await.unwrap();

    let moved = body(app.patch(&format!("/api/slots/{id}"), json!({ "starts_at": at(4, 12) })).await).await;

    assert_eq!(moved["starts_at"], at(4, 12));
    let kind: String = sqlx::query_scalar("SELECT json_extract(notification, '$.type') FROM deliveries")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kind, "slot_changed");
    app.stop().await;
}
