//! The calendar: `GET /api/slots` for a week holding 1,001 slots (10,001 in the database, some
//! booked) from the real `api_server`, alone and under 64 connections, beside `/healthz`.

use std::time::Duration;

use chrono::{Datelike, Duration as Days, Utc};
use reqwest::header::{ACCEPT_ENCODING, HeaderMap, HeaderValue};
use serde_json::json;
use test_support::binaries::Binary;
use test_support::seed::SeededDb;
use test_support::service::Service;
use test_support::stack::{ADMIN_PASSWORD, ADMIN_USERNAME, QueueBackend, api_env};

use crate::load::{self, Load};

/// Weeks of slots in the database, 1,000 a week, plus one in the week measured.
const WEEKS: i64 = 10;
const PER_WEEK: i64 = 1000;
/// Booked slots of the week measured.
const BOOKED: i64 = 300;
pub const CONNECTIONS: usize = 64;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Run {
    pub single: Load,
    /// One request at a time, each missing the page cache: the render itself.
    pub uncached: Load,
    pub busy: Load,
    pub healthz: Load,
    /// Bytes of the week without compression.
    pub plain_bytes: usize,
}

/// Seeds, starts the API, measures, stops. `encoding` is sent as Accept-Encoding, if any.
pub async fn run(encoding: Option<&str>, busy_for: Duration) -> Run {
    let db = SeededDb::new(BOOKED, 7_000_000).await;
    let (from, to) = seed(&db).await;
    let port = test_support::free_port();
    let mut api = Service::spawn(
        "api_server",
        &Binary::ApiServer.path(),
        db.path(),
        &api_env(&db.url, port, &QueueBackend::Embedded),
    );
    api.wait_until_healthy(port).await;
    let client = reqwest::Client::builder().cookie_store(true).build().expect("a client");
    let base = format!("http://127.0.0.1:{port}");
    let login = json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD });
    let answer = client.post(format!("{base}/api/auth/login")).json(&login).send().await.expect("login");
    assert!(answer.status().is_success(), "login: {}", answer.status());

    let week = format!("{base}/api/slots?from={from}&to={to}");
    let plain: serde_json::Value = client.get(&week).send().await.expect("GET").json().await.expect("JSON");
    let items = plain["items"].as_array().map_or(0, Vec::len);
    assert_eq!(items, PER_WEEK as usize + 1, "the week holds 1,001 slots");
    let plain_bytes = serde_json::to_string(&plain).map_or(0, |s| s.len());
    let mut headers = HeaderMap::new();
    if let Some(encoding) = encoding {
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(encoding).expect("a header value"));
    }
    let single = load::sequential(&client, &week, &headers, 200).await;
    let uncached =
        load::sequential_each(&client, &headers, (0..100).map(|i| format!("{week}&limit={}", 1900 + i))).await;
    let busy = load::closed_loop(&client, &week, &headers, CONNECTIONS, busy_for).await;
    let healthz =
        load::closed_loop(&client, &format!("{base}/healthz"), &HeaderMap::new(), CONNECTIONS, busy_for).await;
    assert_eq!(busy.failures + healthz.failures, 0, "every request answered 2xx");
    drop(api);
    Run { single, uncached, busy, healthz, plain_bytes }
}

/// 10 weeks of slots from next Monday, 1,000 a week, one more in the first, the first
/// `BOOKED` of it booked; returns the first week's range.
async fn seed(db: &SeededDb) -> (String, String) {
    let today = Utc::now().date_naive();
    let monday = today + Days::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let start = monday.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp();
    let now = Utc::now().timestamp();
    let mut tx = db.pool.begin().await.expect("begin");
    let step = 7 * 86_400 / PER_WEEK;
    let times = (0..WEEKS * PER_WEEK).map(|i| start + (i / PER_WEEK) * 7 * 86_400 + (i % PER_WEEK) * step);
    for starts_at in times.chain([start + 30]) {
        sqlx::query(
            "INSERT INTO slots (starts_at, duration_minutes, capacity, format, location, created_at, updated_at)
             VALUES (?, 45, 2, 'online', 'https://meet.example/room', ?, ?)",
        )
        .bind(starts_at)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .expect("insert a slot");
    }
    for (i, candidate) in db.candidate_ids.iter().enumerate() {
        sqlx::query("INSERT INTO bookings (slot_id, candidate_id, status, created_at, updated_at) VALUES (?, ?, 'active', ?, ?)")
            .bind(i as i64 + 1)
            .bind(candidate)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("insert a booking");
    }
    tx.commit().await.expect("commit the slots");
    let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).expect("a time").format("%Y-%m-%dT%H:%M:%SZ").to_string();
    (day(start), day(start + 7 * 86_400))
}
