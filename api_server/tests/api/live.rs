//! `GET /api/live`: server-sent events telling an open panel what changed, including what
//! another process (the bot) wrote to the database.

use std::time::{Duration, Instant};

use chrono::Utc;
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::api::slots::create_slot;
use crate::app::{assert_error, spawn_app};

/// Reads the stream until an event named `name` arrives; returns its data line, or panics after
/// `limit` with what was read.
async fn next_event(stream: &mut Response, name: &str, limit: Duration) -> String {
    let deadline = Instant::now() + limit;
    let mut read = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, stream.chunk()).await;
        match chunk {
            Ok(Ok(Some(bytes))) => read.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(Ok(None)) => panic!("the stream ended before `{name}`; read: {read:?}"),
            Ok(Err(err)) => panic!("the stream failed before `{name}`: {err}; read: {read:?}"),
            Err(_) => panic!("no `{name}` event within {limit:?}; read: {read:?}"),
        }
        // Events are separated by a blank line; look at the complete ones.
        while let Some(end) = read.find("\n\n") {
            let event: String = read.drain(..end + 2).collect();
            if event.lines().any(|l| l == format!("event: {name}")) {
                return event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or_default().to_owned();
            }
        }
    }
}

#[tokio::test]
async fn a_booking_another_process_writes_reaches_an_open_panel_within_a_second() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 3, 10, 2).await["id"].as_i64().unwrap();
    let mut stream = app.get("/api/live").await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    // The bot's own connection to the same file: nothing in this process is told of the write.
    let bot = core_logic::db::connect_and_migrate(&app.db_url, 1).await.unwrap();
    let candidate = app.seed_candidates(1).await[0];
    assert_eq!(next_event(&mut stream, "candidates", Duration::from_secs(1)).await, r#"{"kind":"candidates"}"#);

    bookings::book(&bot, &BookingRules::default(), candidate, slot, Utc::now()).await.unwrap();

    assert_eq!(next_event(&mut stream, "calendar", Duration::from_secs(1)).await, r#"{"kind":"calendar"}"#);
    app.stop().await;
}

#[tokio::test]
async fn a_broadcast_moving_on_is_told_with_its_id() {
    let app = spawn_app().await;
    app.login().await;
    app.seed_candidates(2).await;
    let mut stream = app.get("/api/live").await;

    let created = app.post("/api/broadcasts", json!({ "text": "Новые слоты", "segment": { "kind": "all" } })).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();

    assert_eq!(
        next_event(&mut stream, "broadcast", Duration::from_secs(2)).await,
        format!(r#"{{"kind":"broadcast","id":{id}}}"#)
    );
    app.stop().await;
}

#[tokio::test]
async fn a_message_from_the_bot_and_a_reply_moving_on_are_told_as_inbox_events() {
    let app = spawn_app().await;
    app.login().await;
    let candidate = app.seed_candidates(1).await[0];
    let mut stream = app.get("/api/live").await;
    assert_eq!(stream.status(), StatusCode::OK);
    // The bot's own connection to the same file: nothing in this process is told of the write.
    let bot = core_logic::db::connect_and_migrate(&app.db_url, 1).await.unwrap();

    let incoming = core_logic::inbox::Incoming { text: Some("Здравствуйте!".into()), attachment: None };
    core_logic::inbox::record_incoming(&bot, candidate, &incoming, Utc::now()).await.unwrap();
    assert_eq!(next_event(&mut stream, "inbox", Duration::from_secs(1)).await, r#"{"kind":"inbox"}"#);

    // A reply is written (and its delivery published by the event worker)...
    let reply = app.post(&format!("/api/users/{candidate}/messages"), json!({ "text": "Добрый день!" })).await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    let delivery = reply.json::<serde_json::Value>().await.unwrap()["delivery_id"].as_i64().unwrap();
    assert_eq!(next_event(&mut stream, "inbox", Duration::from_secs(1)).await, r#"{"kind":"inbox"}"#);
    // ...and the bot sending it changes its status: the open conversation is told again.
    let deadline = Instant::now() + Duration::from_secs(5);
    let claim = loop {
        match core_logic::deliveries::claim(&bot, delivery, Utc::now()).await.unwrap() {
            core_logic::deliveries::Claim::Send(d) => break d,
            other => assert!(Instant::now() < deadline, "the reply's delivery was never claimable: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let sent = core_logic::deliveries::SendOutcome::Sent { telegram_message_id: 5 };
    core_logic::deliveries::record(&bot, delivery, &claim.lease, &sent, Utc::now()).await.unwrap();
    assert_eq!(next_event(&mut stream, "inbox", Duration::from_secs(1)).await, r#"{"kind":"inbox"}"#);
    app.stop().await;
}

#[tokio::test]
async fn the_stream_needs_a_session() {
    let app = spawn_app().await;
    let anonymous = app.anonymous().get(app.url("/api/live")).send().await.unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.stop().await;
}

#[tokio::test]
async fn an_open_stream_does_not_hold_up_the_shutdown() {
    let app = spawn_app().await;
    app.login().await;
    let mut stream = app.get("/api/live").await;
    assert_eq!(stream.status(), StatusCode::OK);

    tokio::time::timeout(Duration::from_secs(5), app.stop()).await.expect("the server stopped with a stream open");
    // The stream was ended by the server, not cut by a timeout.
    assert!(matches!(tokio::time::timeout(Duration::from_secs(1), stream.chunk()).await, Ok(Ok(None) | Err(_))));
}
