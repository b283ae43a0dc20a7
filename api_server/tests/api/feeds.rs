//! A team member's calendar feed (`/calendar/<token>.ics`), read by an ICS parser as Google
//! Calendar or Outlook would: an interview appears, moves (same UID, higher sequence) when the
//! candidate moves it, and disappears when it is cancelled; the address is secret, revocable
//! and regenerable.

use chrono::{Duration, Utc};
use core_logic::bookings;
use core_logic::config::BookingRules;
use ical::parser::ical::component::IcalEvent;
use reqwest::StatusCode;
use serde_json::json;

use crate::app::{TestApp, body, spawn_app};

fn prop(event: &IcalEvent, name: &str) -> String {
    event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
}

/// The feed's events as `(UID, SEQUENCE, DTSTART, SUMMARY)`.
async fn read(app: &TestApp, path: &str) -> Vec<(String, String, String, String)> {
    let r = app.anonymous().get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let bytes = r.bytes().await.unwrap();
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(&bytes[..]));
    let calendar = parser.next().expect("a calendar").expect("a valid feed");
    calendar
        .events
        .iter()
        .map(|e| (prop(e, "UID"), prop(e, "SEQUENCE"), prop(e, "DTSTART"), prop(e, "SUMMARY")))
        .collect()
}

fn stamp(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

#[tokio::test]
async fn the_feed_follows_bookings_as_they_move_and_end() {
    let app = spawn_app().await;
    app.login().await;
    let me = body(app.get("/api/auth/me").await).await["id"].as_i64().unwrap();
    assert_eq!(body(app.get("/api/me/calendar-feed").await).await["active"], false);
    let feed = body(app.post("/api/me/calendar-feed", json!({})).await).await;
    let path = feed["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/calendar/") && path.ends_with(".ics"), "{path}");
    assert_eq!(read(&app, &path).await, vec![]);

    let start = (Utc::now() + Duration::days(2)).with_nanosecond_zero();
    let mut slot_ids = Vec::new();
    for offset in [0, 3] {
        let created = app
            .post(
                "/api/slots",
                json!({ "starts_at": (start + Duration::hours(offset)).to_rfc3339(), "duration_minutes": 45,
                                         "location": "Офис на Тверской, 5", "interviewer_ids": [me] }),
            )
            .await;
        slot_ids.push(body(created).await["id"].as_i64().unwrap());
    }
    let anna = app.seed_candidates(1).await[0];
    let rules = BookingRules::default();
    let booked = bookings::book(&app.pool, &rules, anna, slot_ids[0], Utc::now()).await.unwrap();

    let events = read(&app, &path).await;
    assert_eq!(events.len(), 1);
    let (uid, sequence, dtstart, summary) = events[0].clone();
    assert_eq!((sequence.as_str(), dtstart.clone()), ("0", stamp(start)));
    assert!(summary.starts_with("Собеседование: "), "{summary}");

    // Moved by the candidate: the same event, later, one sequence higher.
    let moved =
        bookings::reschedule(&app.pool, &rules, anna, booked.booking.id, slot_ids[1], Utc::now()).await.unwrap();
    let events = read(&app, &path).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].0.clone(), events[0].1.clone(), events[0].2.clone()),
        (uid, "1".to_owned(), stamp(start + Duration::hours(3)))
    );
    // Cancelled: gone.
    bookings::cancel_by_candidate(&app.pool, &rules, anna, moved.booking.id, Utc::now()).await.unwrap();
    assert_eq!(read(&app, &path).await, vec![]);

    // Regenerated: the old address is dead; revoked: the new one too.
    let renewed = body(app.post("/api/me/calendar-feed", json!({})).await).await["path"].as_str().unwrap().to_owned();
    assert_eq!(app.anonymous().get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.anonymous().get(app.url(&renewed)).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.delete("/api/me/calendar-feed").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.anonymous().get(app.url(&renewed)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    for bad in ["/calendar/nope.ics", "/calendar/../etc/passwd", "/calendar/00.ics"] {
        assert_eq!(app.anonymous().get(app.url(bad)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(body(app.get("/api/me/calendar-feed").await).await["active"], false);
    app.stop().await;
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl NoNanos for chrono::DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}
