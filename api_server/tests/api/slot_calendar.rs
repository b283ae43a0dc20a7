//! `GET /api/slots` as the calendar uses it: a compact page per request (what the calendar
//! draws, no notes, no bookings), followed by `next`, and compressed when the client accepts it.

use chrono::{Duration, Utc};
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::app::{TestApp, assert_error, body, spawn_app};

/// Slots for the next `n` hours, one an hour from tomorrow; returns their ids in start order.
async fn hourly_slots(app: &TestApp, n: i64) -> (String, String, Vec<i64>) {
    let first = (Utc::now() + Duration::days(1)).date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let mut ids = Vec::new();
    for h in 0..n {
        let starts_at = (first + Duration::hours(h)).to_rfc3339();
        let slot = body(
            app.post("/api/slots", json!({ "starts_at": starts_at, "duration_minutes": 30, "notes": "secret" })).await,
        )
        .await;
        ids.push(slot["id"].as_i64().unwrap());
    }
    let range = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    (range(first), range(first + Duration::days(7)), ids)
}

#[tokio::test]
async fn a_page_carries_what_the_calendar_draws_and_the_booked_count() {
    let app = spawn_app().await;
    app.login().await;
    let (from, to, ids) = hourly_slots(&app, 2).await;
    let candidate = app.seed_candidates(1).await[0];
    bookings::book(&app.pool, &BookingRules::default(), candidate, ids[1], Utc::now()).await.unwrap();

    let page = body(app.get(&format!("/api/slots?from={from}&to={to}")).await).await;

    let first = page["items"][0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "booked",
            "capacity",
            "duration_minutes",
            "format",
            "held",
            "id",
            "location",
            "starts_at",
            "status",
            "vacancy_id"
        ]
    );
    assert_eq!(page["items"][0]["held"], 0);
    assert_eq!(page["items"][0]["id"], ids[0]);
    assert_eq!(page["items"][0]["starts_at"], from.as_str());
    assert_eq!(page["items"][0]["booked"], 0);
    assert_eq!(page["items"][1]["booked"], 1);
    assert_eq!(page["items"][1]["location"], Value::Null);
    assert_eq!(page["next"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn following_next_lists_every_slot_once_in_start_order() {
    let app = spawn_app().await;
    app.login().await;
    let (from, to, ids) = hourly_slots(&app, 5).await;

    let mut seen = Vec::new();
    let mut path = format!("/api/slots?from={from}&to={to}&limit=2");
    loop {
        let page = body(app.get(&path).await).await;
        seen.extend(page["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(next) => path = format!("/api/slots?from={from}&to={to}&limit=2&after={next}"),
            None => break,
        }
    }

    assert_eq!(seen, ids);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_cursor_is_400_and_a_page_size_out_of_range_is_422() {
    let app = spawn_app().await;
    app.login().await;

    let cursor = app.get("/api/slots?after=yesterday").await;
    let too_big = app.get("/api/slots?limit=5001").await;
    let zero = app.get("/api/slots?limit=0").await;

    assert_error(cursor, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_error(too_big, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(zero, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn the_list_is_compressed_for_clients_that_accept_gzip_or_brotli() {
    let app = spawn_app().await;
    app.login().await;
    let (from, to, _) = hourly_slots(&app, 24).await;
    let url = app.url(&format!("/api/slots?from={from}&to={to}"));

    let plain = app.client.get(&url).send().await.unwrap();
    let gzip = app.client.get(&url).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
    let brotli = app.client.get(&url).header(ACCEPT_ENCODING, "br").send().await.unwrap();

    assert_eq!(plain.headers().get(CONTENT_ENCODING), None);
    assert_eq!(plain.headers()[CONTENT_TYPE], "application/json");
    let plain_len = plain.bytes().await.unwrap().len();
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(brotli.headers()[CONTENT_ENCODING], "br");
    let gzipped = gzip.bytes().await.unwrap();
    assert!(gzipped.len() * 3 < plain_len, "gzip: {} bytes of {plain_len}", gzipped.len());
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzipped[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped.len(), plain_len);
    assert!(brotli.bytes().await.unwrap().len() < plain_len);
    app.stop().await;
}

#[tokio::test]
async fn a_kept_page_is_rendered_again_once_a_slot_or_a_booking_changes() {
    let app = spawn_app().await;
    app.login().await;
    let (from, to, ids) = hourly_slots(&app, 2).await;
    let week = format!("/api/slots?from={from}&to={to}");
    let before = body(app.get(&week).await).await;
    let candidate = app.seed_candidates(1).await[0];

    // Booked the way the bot books: in the database, not through this API.
    bookings::book(&app.pool, &BookingRules::default(), candidate, ids[0], Utc::now()).await.unwrap();
    let after_booking = body(app.get(&week).await).await;
    app.patch(&format!("/api/slots/{}", ids[1]), json!({ "capacity": 3 })).await;
    let after_edit = body(app.get(&week).await).await;

    assert_eq!(before["items"][0]["booked"], 0);
    assert_eq!(after_booking["items"][0]["booked"], 1);
    assert_eq!(after_booking["items"][1]["capacity"], 1);
    assert_eq!(after_edit["items"][1]["capacity"], 3);
    app.stop().await;
}
