//! The fan-out end to end through the API: a broadcast created with `POST /api/broadcasts` (or a
//! notification caused by an admin's cancel) ends up as exactly one queue message per recipient,
//! on RabbitMQ and on the embedded queue. The messages are read back with a separate consumer,
//! as the bot would read them.
//!
//! The RabbitMQ half needs a broker at `RABBITMQ_URL` (default
//! `amqp://guest:guest@127.0.0.1:5672/%2f`); without one those tests fail, they never skip.
#![allow(clippy::unwrap_used)]

#[path = "support/app.rs"]
mod app;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use app::{Spawn, TestApp, body, spawn_app, spawn_app_with};
use chrono::{DateTime, SubsecRound, Utc};
use core_logic::config::BookingRules;
use core_logic::queue::{Queue, QueueOptions};
use lapin::options::QueueDeleteOptions;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::time::{Instant, sleep, timeout};

/// How long the queue must stay silent before it counts as drained.
const IDLE: Duration = Duration::from_secs(1);
/// The longest any fan-out, drain or wait in these tests may take.
const PATIENCE: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    RabbitMq,
    Embedded,
}

/// A running app and a handle on its queue to read the messages back with.
struct Harness {
    app: TestApp,
    /// The consuming side: a handle of its own on RabbitMQ, the app's handle when embedded.
    queue: Queue,
    /// RabbitMQ only: the broker URL and the test's queue, deleted at the end.
    rabbitmq: Option<(String, String)>,
}

impl Harness {
    async fn start(backend: Backend) -> Self {
        match backend {
            Backend::RabbitMq => {
                let url = std::env::var("RABBITMQ_URL")
                    .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
                let queue_name = unique_queue_name();
                let options = QueueOptions { queue_name: queue_name.clone(), ..QueueOptions::default() };
                let queue = match timeout(PATIENCE, Queue::rabbitmq(&url, options)).await {
                    Ok(Ok(queue)) => queue,
                    Ok(Err(error)) => panic!(
                        "RabbitMQ at {url} is unreachable ({error}). The RabbitMQ fan-out tests need a broker: \
                         start one (`rabbitmq-server -detached`) or set RABBITMQ_URL."
                    ),
                    Err(_) => panic!("RabbitMQ at {url} did not answer within {PATIENCE:?}"),
                };
                let app = spawn_app_with(Spawn {
                    env: vec![("RABBITMQ_URL", url.clone()), ("QUEUE_NAME", queue_name.clone())],
                })
                .await;
                assert_eq!(app.queue.backend(), "rabbitmq", "the app must publish to RabbitMQ");
                Self { app, queue, rabbitmq: Some((url, queue_name)) }
            }
            Backend::Embedded => {
                let app = spawn_app().await;
                assert_eq!(app.queue.backend(), "embedded", "the app must use the embedded queue");
                let queue = app.queue.clone();
                Self { app, queue, rabbitmq: None }
            }
        }
    }

    /// Receives, parses and acks every message until the queue stays silent for [`IDLE`];
    /// returns the delivery ids in the order received (duplicates kept).
    async fn drain(&self) -> Vec<i64> {
        test_support::queue::drain(&self.queue, IDLE, PATIENCE * 2).await
    }

    /// Stops the app and deletes the test's RabbitMQ queues.
    async fn finish(self) {
        self.app.stop().await;
        drop(self.queue);
        if let Some((url, queue_name)) = self.rabbitmq {
            let connection =
                lapin::Connection::connect(&url, Default::default()).await.expect("connect to delete the test queues");
            let channel = connection.create_channel().await.expect("open a channel");
            for queue in [queue_name.clone(), format!("{queue_name}.dlq")] {
                channel
                    .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
                    .await
                    .expect("delete a test queue");
            }
        }
    }
}

fn unique_queue_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970").subsec_nanos();
    format!("test_fanout_{}_{nanos}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// One delivery row as the tests look at it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    broadcast_id: Option<i64>,
    candidate_id: i64,
    status: String,
    notification: Option<String>,
}

async fn delivery_rows(app: &TestApp, broadcast_id: Option<i64>) -> Vec<Row> {
    sqlx::query_as(
        "SELECT id, kind, broadcast_id, candidate_id, status, notification FROM deliveries
         WHERE (?1 IS NULL AND broadcast_id IS NULL) OR broadcast_id = ?1 ORDER BY id",
    )
    .bind(broadcast_id)
    .fetch_all(&app.pool)
    .await
    .expect("read the deliveries")
}

async fn active_candidates(app: &TestApp) -> BTreeSet<i64> {
    sqlx::query_scalar("SELECT id FROM candidates WHERE status = 'active'")
        .fetch_all(&app.pool)
        .await
        .expect("read the candidates")
        .into_iter()
        .collect()
}

async fn block_through_the_api(app: &TestApp, id: i64) {
    let r = app.post(&format!("/api/users/{id}/block"), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK, "block candidate {id}");
}

async fn mark_unreachable(app: &TestApp, id: i64) {
    sqlx::query("UPDATE candidates SET status = 'unreachable' WHERE id = ?")
        .bind(id)
        .execute(&app.pool)
        .await
        .expect("mark a candidate unreachable");
}

/// Creates a slot three days ahead through the API; returns its id.
async fn create_slot(app: &TestApp, capacity: i64) -> i64 {
    let starts_at = (Utc::now() + chrono::Duration::days(3)).trunc_subsecs(0);
    let r =
        app.post("/api/slots", json!({ "starts_at": starts_at, "duration_minutes": 30, "capacity": capacity })).await;
    assert_eq!(r.status(), StatusCode::CREATED, "create a slot");
    body(r).await["id"].as_i64().expect("a slot id")
}

async fn book(app: &TestApp, candidate_id: i64, slot_id: i64) -> i64 {
    core_logic::bookings::book(&app.pool, &BookingRules::default(), candidate_id, slot_id, Utc::now())
        .await
        .expect("book the slot")
        .booking
        .id
}

async fn create_broadcast(app: &TestApp, request: Value) -> Value {
    let r = app.post("/api/broadcasts", request).await;
    assert_eq!(r.status(), StatusCode::CREATED, "create the broadcast");
    body(r).await
}

async fn broadcast_detail(app: &TestApp, id: i64) -> Value {
    let r = app.get(&format!("/api/broadcasts/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK, "get broadcast {id}");
    body(r).await
}

/// Polls the broadcast until its fan-out is done (status `sending`); returns the detail.
async fn wait_until_sending(app: &TestApp, id: i64) -> Value {
    let waited = async {
        loop {
            let detail = broadcast_detail(app, id).await;
            if detail["status"] == "sending" {
                return detail;
            }
            sleep(Duration::from_millis(50)).await;
        }
    };
    match timeout(PATIENCE, waited).await {
        Ok(detail) => detail,
        Err(_) => panic!("broadcast {id} never reached `sending`: {}", broadcast_detail(app, id).await),
    }
}

/// The multiset of `ids` as id -> times seen.
fn tally(ids: &[i64]) -> BTreeMap<i64, usize> {
    let mut seen = BTreeMap::new();
    for id in ids {
        *seen.entry(*id).or_default() += 1;
    }
    seen
}

/// Sends `segment` through the API, waits for the fan-out and drains the queue, asserting that
/// every expected candidate got exactly one published delivery and one message, and nobody else
/// anything. Returns the broadcast's detail.
async fn broadcast_reaches_exactly(h: &Harness, segment: Value, expected: &BTreeSet<i64>) -> Value {
    let app = &h.app;
    let created = create_broadcast(app, json!({ "text": "<b>Hi</b>", "segment": segment })).await;
    let id = created["id"].as_i64().expect("a broadcast id");

    let detail = wait_until_sending(app, id).await;
    let received = h.drain().await;

    let rows = delivery_rows(app, Some(id)).await;
    let row_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let seen = tally(&received);
    let duplicated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "deliveries on the queue more than once (id, times): {duplicated:?}");
    let missing: Vec<_> = row_ids.iter().filter(|id| !seen.contains_key(id)).collect();
    assert!(missing.is_empty(), "deliveries never put on the queue: {missing:?}");
    let mut received_sorted = received.clone();
    received_sorted.sort_unstable();
    assert_eq!(received_sorted, row_ids, "the queue carries exactly the broadcast's deliveries, each once");

    let candidates: Vec<i64> = rows.iter().map(|r| r.candidate_id).collect();
    let distinct: BTreeSet<i64> = candidates.iter().copied().collect();
    assert_eq!(distinct.len(), candidates.len(), "one delivery per candidate");
    assert_eq!(&distinct, expected, "the recipients are exactly the segment's reachable candidates");
    assert!(rows.iter().all(|r| r.kind == "broadcast"), "every row is a broadcast delivery");
    let not_published: Vec<_> = rows.iter().filter(|r| r.status != "published").collect();
    assert!(not_published.is_empty(), "deliveries not marked published: {not_published:?}");

    let n = i64::try_from(expected.len()).expect("a small count");
    let detail = if detail["counts"]["published"] == n { detail } else { broadcast_detail(app, id).await };
    assert_eq!(detail["total_recipients"], n, "total_recipients: {detail}");
    let counts = detail["counts"].as_object().expect("counts by status");
    for (status, count) in counts {
        let want = if status == "published" { n } else { 0 };
        assert_eq!(count, want, "counts.{status}: {detail}");
    }
    detail
}

async fn a_broadcast_puts_one_message_per_reachable_recipient_on_the_queue(backend: Backend) {
    // Arrange
    let h = Harness::start(backend).await;
    let app = &h.app;
    app.login().await;
    let ids = app.seed_candidates(300).await;
    for id in &ids[10..15] {
        block_through_the_api(app, *id).await;
    }
    for id in &ids[100..107] {
        mark_unreachable(app, *id).await;
    }
    let expected: BTreeSet<i64> =
        ids.iter().copied().filter(|id| !ids[10..15].contains(id) && !ids[100..107].contains(id)).collect();
    assert_eq!(expected.len(), 288);
    assert_eq!(active_candidates(app).await, expected, "the arrangement leaves 288 reachable candidates");

    // Act
    let started = Instant::now();
    let detail = broadcast_reaches_exactly(&h, json!({ "kind": "all" }), &expected).await;

    // Assert
    assert_eq!(detail["status"], "sending");
    let id = detail["id"].as_i64().expect("a broadcast id");
    let r = app.get(&format!("/api/broadcasts/{id}/deliveries?status=published&limit=1")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await["total"], 288, "the deliveries endpoint agrees");
    println!("{backend:?}: 288 recipients fanned out and drained in {:?}", started.elapsed());
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_created_through_the_api_puts_one_message_per_recipient_on_rabbitmq() {
    a_broadcast_puts_one_message_per_reachable_recipient_on_the_queue(Backend::RabbitMq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_created_through_the_api_puts_one_message_per_recipient_on_the_embedded_queue() {
    a_broadcast_puts_one_message_per_reachable_recipient_on_the_queue(Backend::Embedded).await;
}

async fn a_broadcast_to_upcoming_bookings_reaches_only_candidates_with_one(backend: Backend) {
    // Arrange: 0-3 hold an upcoming booking, 4 too but is blocked, 5 cancelled theirs.
    let h = Harness::start(backend).await;
    let app = &h.app;
    app.login().await;
    let ids = app.seed_candidates(30).await;
    let slot = create_slot(app, 10).await;
    for id in &ids[0..6] {
        book(app, *id, slot).await;
    }
    block_through_the_api(app, ids[4]).await;
    let cancelled = book_id_of(app, ids[5]).await;
    core_logic::bookings::cancel_by_candidate(&app.pool, &BookingRules::default(), ids[5], cancelled, Utc::now())
        .await
        .expect("the candidate cancels");
    let expected: BTreeSet<i64> = ids[0..4].iter().copied().collect();

    // Act + Assert
    broadcast_reaches_exactly(&h, json!({ "kind": "upcoming_booking" }), &expected).await;
    h.finish().await;
}

async fn book_id_of(app: &TestApp, candidate_id: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM bookings WHERE candidate_id = ? AND status = 'active'")
        .bind(candidate_id)
        .fetch_one(&app.pool)
        .await
        .expect("the candidate's booking")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_to_upcoming_bookings_reaches_only_reachable_candidates_holding_one_on_rabbitmq() {
    a_broadcast_to_upcoming_bookings_reaches_only_candidates_with_one(Backend::RabbitMq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_to_upcoming_bookings_reaches_only_reachable_candidates_holding_one_on_the_embedded_queue() {
    a_broadcast_to_upcoming_bookings_reaches_only_candidates_with_one(Backend::Embedded).await;
}

async fn a_broadcast_to_never_booked_skips_everyone_who_ever_booked(backend: Backend) {
    // Arrange: 0-2 hold a booking, 3 cancelled theirs (still booked once), 10 is unreachable.
    let h = Harness::start(backend).await;
    let app = &h.app;
    app.login().await;
    let ids = app.seed_candidates(30).await;
    let slot = create_slot(app, 10).await;
    for id in &ids[0..4] {
        book(app, *id, slot).await;
    }
    let cancelled = book_id_of(app, ids[3]).await;
    core_logic::bookings::cancel_by_candidate(&app.pool, &BookingRules::default(), ids[3], cancelled, Utc::now())
        .await
        .expect("the candidate cancels");
    mark_unreachable(app, ids[10]).await;
    let expected: BTreeSet<i64> = ids[4..].iter().copied().filter(|id| *id != ids[10]).collect();
    assert_eq!(expected.len(), 25);

    // Act + Assert
    broadcast_reaches_exactly(&h, json!({ "kind": "never_booked" }), &expected).await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_to_the_never_booked_segment_skips_everyone_who_ever_booked_on_rabbitmq() {
    a_broadcast_to_never_booked_skips_everyone_who_ever_booked(Backend::RabbitMq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_to_the_never_booked_segment_skips_everyone_who_ever_booked_on_the_embedded_queue() {
    a_broadcast_to_never_booked_skips_everyone_who_ever_booked(Backend::Embedded).await;
}

async fn a_scheduled_broadcast_waits_for_its_send_time(backend: Backend) {
    // Arrange: a send time on a whole second (the database keeps seconds), 2-3 s ahead.
    let h = Harness::start(backend).await;
    let app = &h.app;
    app.login().await;
    let ids = app.seed_candidates(20).await;
    let send_at: DateTime<Utc> = (Utc::now() + chrono::Duration::seconds(3)).trunc_subsecs(0);
    let until_send_at = |margin_ms: i64| {
        (send_at - Utc::now() - chrono::Duration::milliseconds(margin_ms)).to_std().unwrap_or(Duration::ZERO)
    };

    // Act
    let created =
        create_broadcast(app, json!({ "text": "Later", "segment": { "kind": "all" }, "send_at": send_at })).await;
    let id = created["id"].as_i64().expect("a broadcast id");

    // Assert: nothing happens before the send time...
    assert_eq!(created["status"], "scheduled");
    let mut checks = 0;
    while until_send_at(300) > Duration::ZERO {
        let detail = broadcast_detail(app, id).await;
        assert_eq!(detail["status"], "scheduled", "fanned out before its send time {send_at}: {detail}");
        assert!(detail["total_recipients"].is_null(), "recipients resolved before the send time: {detail}");
        assert!(delivery_rows(app, Some(id)).await.is_empty(), "deliveries written before the send time");
        checks += 1;
        sleep(Duration::from_millis(100).min(until_send_at(300))).await;
    }
    assert!(checks >= 5, "the broadcast was checked only {checks} times before its send time");
    let mut consumer = h.queue.consumer().await.expect("start a consumer");
    let early = timeout(until_send_at(100), consumer.receive()).await;
    assert!(early.is_err(), "a message was on the queue before the send time");
    drop(consumer);

    // ...and then it goes to everyone.
    let expected: BTreeSet<i64> = ids.iter().copied().collect();
    let detail = wait_until_sending(app, id).await;
    let started_at: DateTime<Utc> =
        serde_json::from_value(detail["started_at"].clone()).expect("a started_at once fanned out");
    assert!(started_at >= send_at, "fanned out at {started_at}, before its send time {send_at}");
    println!("{backend:?}: scheduled for {send_at}, fanned out at {started_at}, sending seen at {}", Utc::now());
    let received = h.drain().await;
    let rows = delivery_rows(app, Some(id)).await;
    let mut received_sorted = received;
    received_sorted.sort_unstable();
    assert_eq!(received_sorted, rows.iter().map(|r| r.id).collect::<Vec<_>>(), "one message per delivery");
    assert_eq!(rows.iter().map(|r| r.candidate_id).collect::<BTreeSet<_>>(), expected, "every candidate");
    assert!(rows.iter().all(|r| r.status == "published"), "every delivery published: {rows:?}");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_broadcast_is_not_fanned_out_before_its_send_time_and_is_afterwards_on_rabbitmq() {
    a_scheduled_broadcast_waits_for_its_send_time(Backend::RabbitMq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_broadcast_is_not_fanned_out_before_its_send_time_and_is_afterwards_on_the_embedded_queue() {
    a_scheduled_broadcast_waits_for_its_send_time(Backend::Embedded).await;
}

async fn an_admin_cancel_notifies_the_candidate_through_the_queue(backend: Backend) {
    // Arrange
    let h = Harness::start(backend).await;
    let app = &h.app;
    app.login().await;
    let ids = app.seed_candidates(3).await;
    let slot = create_slot(app, 3).await;
    let booking = book(app, ids[1], slot).await;
    book(app, ids[2], slot).await;

    // Act
    let r = app.post(&format!("/api/bookings/{booking}/cancel"), json!({ "reason": "The interviewer is ill" })).await;
    assert_eq!(r.status(), StatusCode::OK, "cancel the booking");

    // Assert
    let published = async {
        loop {
            let rows = delivery_rows(app, None).await;
            if rows.iter().any(|r| r.status == "published") {
                return rows;
            }
            sleep(Duration::from_millis(50)).await;
        }
    };
    let rows = timeout(PATIENCE, published).await.expect("the notification was published in time");
    assert_eq!(rows.len(), 1, "one notification, for the cancelled booking only: {rows:?}");
    let row = &rows[0];
    assert_eq!(row.kind, "notification");
    assert_eq!(row.candidate_id, ids[1], "the cancelled candidate is told");
    assert_eq!(row.broadcast_id, None);
    let notification: Value = serde_json::from_str(row.notification.as_deref().expect("the notification JSON"))
        .expect("the notification is JSON");
    assert_eq!(notification["type"], "booking_cancelled", "{notification}");
    assert_eq!(notification["booking_id"], booking, "{notification}");
    assert_eq!(notification["reason"], "The interviewer is ill", "{notification}");
    let received = h.drain().await;
    assert_eq!(received, vec![row.id], "exactly one message, naming the notification's delivery");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_booking_through_the_api_puts_one_notification_for_its_candidate_on_rabbitmq() {
    an_admin_cancel_notifies_the_candidate_through_the_queue(Backend::RabbitMq).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_booking_through_the_api_puts_one_notification_for_its_candidate_on_the_embedded_queue() {
    an_admin_cancel_notifies_the_candidate_through_the_queue(Backend::Embedded).await;
}
