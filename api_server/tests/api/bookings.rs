//! `/api/bookings`: list and filter, cancel, attendance.

use chrono::Utc;
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::StatusCode;
use serde_json::json;

use crate::api::slots::create_slot;
use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn bookings_are_listed_filtered_and_paginated() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 5).await["id"].as_i64().unwrap();
    let candidates = app.seed_candidates(3).await;
    for c in &candidates {
        bookings::book(&app.pool, &BookingRules::default(), *c, slot, Utc::now()).await.unwrap();
    }

    let all = body(app.get("/api/bookings").await).await;
    let page = body(app.get("/api/bookings?limit=2&offset=2").await).await;
    let by_text = body(app.get("/api/bookings?q=cand_1").await).await;
    let active = body(app.get("/api/bookings?status=active").await).await;
    let none = body(app.get("/api/bookings?status=no_show").await).await;

    assert_eq!(all["total"], 3);
    assert_eq!(all["items"][0]["slot_id"], slot);
    assert_eq!((page["items"].as_array().unwrap().len(), page["total"].as_i64()), (1, Some(3)));
    assert_eq!(by_text["total"], 1);
    assert_eq!(by_text["items"][0]["username"], "cand_1");
    assert_eq!(active["total"], 3);
    assert_eq!(none["total"], 0);
    app.stop().await;
}

#[tokio::test]
async fn an_admin_cancels_a_booking_once_and_the_candidate_is_notified() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    let booked = bookings::book(&app.pool, &BookingRules::default(), c, slot, Utc::now()).await.unwrap();
    let id = booked.booking.id;

    let cancelled =
        body(app.post(&format!("/api/bookings/{id}/cancel"), json!({ "reason": "Позиция закрыта" })).await).await;
    let again = app.post(&format!("/api/bookings/{id}/cancel"), json!({})).await;
    let missing = app.post("/api/bookings/424242/cancel", json!({})).await;

    assert_eq!(cancelled["booking"]["status"], "cancelled_by_admin");
    assert_eq!(cancelled["booking"]["cancel_reason"], "Позиция закрыта");
    assert_error(again, StatusCode::CONFLICT, "booking_not_active").await;
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let delivery: (String, i64) =
        sqlx::query_as("SELECT kind, candidate_id FROM deliveries").fetch_one(&app.pool).await.unwrap();
    assert_eq!(delivery, ("notification".to_owned(), c));
    app.stop().await;
}

#[tokio::test]
async fn attendance_waits_for_the_interview_and_accepts_only_known_values() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    let id = bookings::book(&app.pool, &BookingRules::default(), c, slot, Utc::now()).await.unwrap().booking.id;

    let early = app.post(&format!("/api/bookings/{id}/attendance"), json!({ "status": "attended" })).await;
    let unknown = app.post(&format!("/api/bookings/{id}/attendance"), json!({ "status": "maybe" })).await;
    // The interview happened: move the slot into the past directly.
    sqlx::query("UPDATE slots SET starts_at = ? WHERE id = ?")
        .bind(Utc::now().timestamp() - 7200)
        .bind(slot)
        .execute(&app.pool)
        .await
        .unwrap();
    let marked = body(app.post(&format!("/api/bookings/{id}/attendance"), json!({ "status": "no_show" })).await).await;

    assert_error(early, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(unknown, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(marked["booking"]["status"], "no_show");
    app.stop().await;
}
