//! `/api/users`: search, pagination, detail with history, block and unblock.

use chrono::Utc;
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::StatusCode;
use serde_json::json;

use crate::api::slots::create_slot;
use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn candidates_are_searched_and_paginated() {
    let app = spawn_app().await;
    app.login().await;
    app.seed_candidates(12).await;

    let first = body(app.get("/api/users?limit=5").await).await;
    let last = body(app.get("/api/users?limit=5&offset=10").await).await;
    let found = body(app.get("/api/users?q=%D0%9A%D0%B0%D0%BD%D0%B4%D0%B8%D0%B4%D0%B0%D1%82%2011").await).await;
    let by_status = body(app.get("/api/users?status=blocked").await).await;

    assert_eq!((first["items"].as_array().unwrap().len(), first["total"].as_i64()), (5, Some(12)));
    assert_eq!(last["items"].as_array().unwrap().len(), 2);
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["first_name"], "Кандидат 11");
    assert_eq!(by_status["total"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_candidate_detail_shows_bookings_and_messages_and_blocking_round_trips() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    let booking = bookings::book(&app.pool, &BookingRules::default(), c, slot, Utc::now()).await.unwrap();
    app.post(&format!("/api/bookings/{}/cancel", booking.booking.id), json!({})).await;

    let detail = body(app.get(&format!("/api/users/{c}")).await).await;
    let blocked = body(app.post(&format!("/api/users/{c}/block"), json!({})).await).await;
    let unblocked = body(app.post(&format!("/api/users/{c}/unblock"), json!({})).await).await;

    assert_eq!(detail["bookings"].as_array().unwrap().len(), 1);
    assert_eq!(detail["bookings"][0]["status"], "cancelled_by_admin");
    assert_eq!(detail["deliveries"][0]["kind"], "notification");
    assert_eq!(blocked["status"], "blocked");
    assert_eq!(unblocked["status"], "active");
    assert_error(app.get("/api/users/77777").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.post("/api/users/77777/block", json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}
