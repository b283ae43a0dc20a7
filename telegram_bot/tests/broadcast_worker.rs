//! The broadcast worker against the fake Bot API with Telegram's limits enforced: every reachable
//! candidate reached once within the limits, blocked chats end `blocked` (and the candidate
//! unreachable), "chat not found" ends `failed` without retry, 5xx retried, 429 waited out,
//! cancelled broadcasts not sent, poison messages dead-lettered, notifications rendered.
#![allow(clippy::unwrap_used)]

#[path = "support/ics.rs"]
mod ics;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use core_logic::broadcasts::{self, NewBroadcast};
use core_logic::deliveries;
use core_logic::queue::{Queue, QueueMessage, QueueOptions};
use core_logic::segments::Segment;
use fake_telegram::{FakeTelegram, Limits};
use telegram_bot::broadcast_worker::{BroadcastWorker, Outcome};
use telegram_bot::sender::RateLimiter;
use teloxide::Bot;

struct Setup {
    fake: FakeTelegram,
    pool: sqlx::SqlitePool,
    queue: Queue,
    url: String,
    _dir: tempfile::TempDir,
}

async fn setup(candidates: i64) -> Setup {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("b.db").display());
    let pool = core_logic::db::connect_and_migrate(&url, 8).await.unwrap();
    let now = Utc::now().timestamp();
    for i in 0..candidates {
        sqlx::query(
            "INSERT INTO candidates (telegram_user_id, chat_id, first_name, language, first_seen_at, last_seen_at)
             VALUES (?1, ?1, 'C', ?2, ?3, ?3)",
        )
        .bind(10_000 + i)
        .bind(if i % 2 == 0 { "ru" } else { "en" })
        .bind(now)
        .execute(&pool)
        .await
        .unwrap();
    }
    let queue = Queue::embedded(pool.clone(), QueueOptions::default());
    Setup { fake, pool, queue, url, _dir: dir }
}

fn worker(s: &Setup, rate: u32) -> BroadcastWorker {
    BroadcastWorker::new(
        Bot::new("1:T").set_api_url(url::Url::parse(&s.fake.url()).unwrap()),
        s.pool.clone(),
        s.queue.clone(),
        Arc::new(RateLimiter::new(rate, Duration::from_secs(1))),
        chrono_tz::Europe::Moscow,
    )
}

/// What the event worker does: write the deliveries and publish them.
async fn broadcast(s: &Setup, text: &str) -> i64 {
    let b = broadcasts::create(&s.pool, None, &NewBroadcast::new(text, Segment::All), Utc::now()).await.unwrap();
    broadcasts::write_deliveries(&s.pool, b.id, chrono_tz::Europe::Moscow, Utc::now()).await.unwrap();
    let ids = deliveries::pending_ids(&s.pool, b.id, 0, 100_000).await.unwrap();
    for id in &ids {
        s.queue.publish_message(&QueueMessage::new(*id)).await.unwrap();
    }
    deliveries::mark_published(&s.pool, &ids, Utc::now()).await.unwrap();
    broadcasts::finish_fan_out(&s.pool, b.id, Utc::now()).await.unwrap();
    b.id
}

async fn run_until_completed(s: &Setup, w: BroadcastWorker, broadcast_id: i64, within: Duration) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(w.run(stopped));
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let b = broadcasts::get(&s.pool, broadcast_id).await.unwrap();
        if b.status == core_logic::models::BroadcastStatus::Completed {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "broadcast not completed in {within:?}: {:?}",
            broadcasts::delivery_counts(&s.pool, broadcast_id).await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), task).await.unwrap().unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_reaches_everyone_reachable_once_within_telegrams_limits() {
    let s = setup(60).await;
    s.fake.set_limits(Some(Limits { global_per_sec: 30, per_chat_per_sec: 1, ..Default::default() }));
    s.fake.block_chat(10_003);
    s.fake.chat_not_found(10_007);
    let id = broadcast(&s, "<b>Новые слоты</b>").await;

    let started = std::time::Instant::now();
    run_until_completed(&s, worker(&s, 30), id, Duration::from_secs(30)).await;
    let elapsed = started.elapsed();

    let counts = broadcasts::delivery_counts(&s.pool, id).await.unwrap();
    assert_eq!((counts["sent"], counts["blocked"], counts["failed"]), (58, 1, 1));
    let stats = s.fake.stats();
    assert_eq!(stats.too_many_requests_answered, 0, "the worker keeps under the limits");
    let mut chats: Vec<i64> = s.fake.sent().iter().map(|m| m.chat_id).collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(chats.len(), 58, "each reachable candidate exactly once");
    assert_eq!(s.fake.sent().len(), 58);
    // 60 sends at 30 per sliding second: the first 30 at once, the other 30 one window after
    // the first ones were answered; any sooner would break the limit (and the fake answer 429).
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    let unreachable: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM candidates WHERE status = 'unreachable'")
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(unreachable, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paid_broadcasts_go_past_the_free_limit_without_a_429() {
    // Arrange: Telegram's limits, 30 free messages per second; 200 recipients.
    let s = setup(200).await;
    s.fake.set_limits(Some(Limits::default()));
    let id = broadcast(&s, "paid").await;

    // Act: paid broadcasts at Telegram's paid rate.
    let started = std::time::Instant::now();
    run_until_completed(&s, worker(&s, 1000).paid(true), id, Duration::from_secs(30)).await;
    let elapsed = started.elapsed();

    // Assert: all 200 sent as paid broadcasts, none refused; the free limit would have taken
    // over 6 s.
    let stats = s.fake.stats();
    assert_eq!(stats.paid_sends, 200);
    assert_eq!(stats.too_many_requests_answered, 0);
    assert!(elapsed < Duration::from_secs(6), "200 paid sends took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_and_5xx_are_retried() {
    let s = setup(5).await;
    // The worker is configured too fast on purpose: Telegram answers 429 and it must wait.
    s.fake.set_limits(Some(Limits { global_per_sec: 2, per_chat_per_sec: 1, ..Default::default() }));
    s.fake.fail_next(2, 502);
    let id = broadcast(&s, "hello").await;

    run_until_completed(&s, worker(&s, 100), id, Duration::from_secs(30)).await;

    let counts = broadcasts::delivery_counts(&s.pool, id).await.unwrap();
    assert_eq!(counts["sent"], 5);
    assert!(s.fake.stats().too_many_requests_answered > 0);
    assert_eq!(s.fake.sent().len(), 5);
}

#[tokio::test]
async fn a_cancelled_broadcast_is_not_sent_and_poison_is_dead_lettered() {
    let s = setup(3).await;
    let id = broadcast(&s, "never").await;
    broadcasts::cancel(&s.pool, None, id, Utc::now()).await.unwrap();
    s.queue.publish(b"{not json").await.unwrap();
    let w = worker(&s, 30);
    let mut consumer = s.queue.consumer().await.unwrap();

    let mut outcomes = Vec::new();
    for _ in 0..4 {
        let received = tokio::time::timeout(Duration::from_secs(5), consumer.receive()).await.unwrap().unwrap();
        outcomes.push(w.handle(received).await);
    }

    assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Skipped).count(), 3);
    assert_eq!(outcomes.iter().filter(|o| **o == Outcome::DeadLettered).count(), 1);
    assert!(s.fake.sent().is_empty());
    assert_eq!(s.queue.dead_letter_count().await.unwrap(), 1);
}

#[tokio::test]
async fn an_admin_cancellation_reaches_the_candidate_in_their_language() {
    let s = setup(2).await;
    let now = Utc::now();
    let slot = core_logic::slots::create(
        &s.pool,
        &Default::default(),
        None,
        &core_logic::slots::NewSlot {
            starts_at: now + chrono::Duration::hours(48),
            duration_minutes: 30,
            capacity: 2,
            format: "Zoom".into(),
            location: None,
            notes: None,
            vacancy_id: None,
            interviewer_ids: vec![],
        },
        now,
    )
    .await
    .unwrap();
    for c in [1, 2] {
        core_logic::bookings::book(&s.pool, &core_logic::config::BookingRules::default(), c, slot.id, now)
            .await
            .unwrap();
    }
    core_logic::slots::cancel(&s.pool, &Default::default(), None, slot.id, Some("Интервьюер заболел"), now)
        .await
        .unwrap();
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM deliveries ORDER BY candidate_id").fetch_all(&s.pool).await.unwrap();
    for id in &ids {
        s.queue.publish_message(&QueueMessage::new(*id)).await.unwrap();
    }
    let w = worker(&s, 30);
    let mut consumer = s.queue.consumer().await.unwrap();

    for _ in 0..2 {
        let received = tokio::time::timeout(Duration::from_secs(5), consumer.receive()).await.unwrap().unwrap();
        w.handle(received).await;
    }

    let ru = s.fake.sent_to(10_000);
    let en = s.fake.sent_to(10_001);
    assert!(
        ru[0].body().starts_with("К сожалению, ваше собеседование") && ru[0].body().contains("Интервьюер заболел"),
        "{ru:?}"
    );
    assert!(en[0].body().starts_with("Unfortunately, your interview"), "{en:?}");
    // Each notice is the caption of a CANCEL file for the booking's calendar event, with a
    // button to book again.
    for (message, booking_id) in [(&ru[0], 1), (&en[0], 2)] {
        assert_eq!(message.method, "sendDocument");
        let file = message.document.as_ref().unwrap();
        assert_eq!(file.file_name, "interview.ics");
        let (method, uid, sequence) = ics::identity(&file.bytes);
        assert_eq!((method.as_str(), sequence.as_str()), ("CANCEL", "1"));
        assert_eq!(uid, format!("booking-{booking_id}@interview-booking"));
        let calendar = ics::parse(&file.bytes);
        assert_eq!(ics::property(&calendar.events[0].properties, "STATUS"), "CANCELLED");
        assert_eq!(message.inline_buttons()[0].1.as_deref(), Some("D:0:0"));
    }
    assert_eq!(ru[0].inline_buttons()[0].0, "📅 Записаться снова");
    assert_eq!(en[0].inline_buttons()[0].0, "📅 Book again");
    let sent: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'").fetch_one(&s.pool).await.unwrap();
    assert_eq!(sent, 2);
}

#[tokio::test]
async fn an_admin_moving_a_slot_sends_the_updated_calendar_event_in_place_of_the_old() {
    let s = setup(1).await;
    let now = Utc::now();
    let rules = core_logic::config::BookingRules::default();
    let slot = core_logic::slots::create(
        &s.pool,
        &Default::default(),
        None,
        &core_logic::slots::NewSlot {
            starts_at: now + chrono::Duration::hours(48),
            duration_minutes: 30,
            capacity: 1,
            format: "online".into(),
            location: None,
            notes: None,
            vacancy_id: None,
            interviewer_ids: vec![],
        },
        now,
    )
    .await
    .unwrap();
    let booking = core_logic::bookings::book(&s.pool, &rules, 1, slot.id, now).await.unwrap();
    let later = slot.starts_at + chrono::Duration::hours(3);
    let changes = core_logic::slots::SlotChanges { starts_at: Some(later), ..Default::default() };
    core_logic::slots::update(&s.pool, &rules, None, slot.id, &changes, now).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM deliveries").fetch_all(&s.pool).await.unwrap();
    for id in &ids {
        s.queue.publish_message(&QueueMessage::new(*id)).await.unwrap();
    }
    let w = worker(&s, 30);
    let mut consumer = s.queue.consumer().await.unwrap();
    let received = tokio::time::timeout(Duration::from_secs(5), consumer.receive()).await.unwrap().unwrap();
    w.handle(received).await;

    // The notice is the caption of the booking's event, same UID, one sequence higher, at the
    // new time: a calendar that imported the first file moves the event.
    let sent = s.fake.sent_to(10_000);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].method, "sendDocument");
    assert!(sent[0].body().starts_with("Ваше собеседование перенесено."), "{:?}", sent[0].body());
    let file = sent[0].document.as_ref().unwrap();
    let (method, uid, sequence) = ics::identity(&file.bytes);
    assert_eq!((method.as_str(), sequence.as_str()), ("PUBLISH", "1"));
    assert_eq!(uid, format!("booking-{}@interview-booking", booking.booking.id));
    let calendar = ics::parse(&file.bytes);
    assert_eq!(ics::property(&calendar.events[0].properties, "DTSTART"), later.format("%Y%m%dT%H%M%SZ").to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_copies_of_one_delivery_consumed_at_once_are_sent_once() {
    // Arrange: one delivery whose queue message was published twice (a fan-out batch published
    // again after a crash), and a slow Telegram, so both copies are in flight at once.
    let s = setup(1).await;
    s.fake.set_delay(Duration::from_millis(500));
    let id = broadcast(&s, "only once").await;
    let delivery: i64 = sqlx::query_scalar("SELECT id FROM deliveries").fetch_one(&s.pool).await.unwrap();
    s.queue.publish_message(&QueueMessage::new(delivery)).await.unwrap();

    // Act
    run_until_completed(&s, worker(&s, 100), id, Duration::from_secs(30)).await;

    // Assert: one sendMessage, and both copies settled.
    assert_eq!(s.fake.sent().len(), 1, "the second copy was sent too");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM queue_messages").fetch_one(&s.pool).await.unwrap();
    assert_eq!(left, 0, "a copy was left unsettled on the queue");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_locked_past_the_busy_timeout_delays_the_broadcast_but_it_completes() {
    // Arrange: deliveries in flight when another process write-locks the database for longer
    // than the busy timeout (10 s), so claims and records fail.
    let s = setup(20).await;
    s.fake.set_delay(Duration::from_millis(300));
    let id = broadcast(&s, "patience").await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(worker(&s, 100).run(stopped));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while count(&s, "SELECT COUNT(*) FROM deliveries WHERE status = 'sending'").await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "nothing was being sent");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Act: hold the write lock for 13 s.
    let locker = core_logic::db::connect(&s.url, 1).await.unwrap();
    let mut conn = locker.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.unwrap();
    tokio::time::sleep(Duration::from_secs(13)).await;
    sqlx::query("COMMIT").execute(&mut *conn).await.unwrap();
    drop(conn);

    // Assert: the broadcast completes, every delivery final, every message settled.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let b = broadcasts::get(&s.pool, id).await.unwrap();
        if b.status == core_logic::models::BroadcastStatus::Completed {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the broadcast never completed: {:?}",
            broadcasts::delivery_counts(&s.pool, id).await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(20), task).await.unwrap().unwrap().unwrap();
    assert_eq!(count(&s, "SELECT COUNT(*) FROM deliveries WHERE status <> 'sent'").await, 0);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM queue_messages").await, 0, "a message was left unsettled");
    let mut chats: Vec<i64> = s.fake.sent().iter().map(|m| m.chat_id).collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(chats.len(), 20, "everyone reached");
}

async fn count(s: &Setup, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(&s.pool).await.unwrap()
}
