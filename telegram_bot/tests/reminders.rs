//! Reminders with a controlled clock against the fake Bot API: each sent exactly once, caught up
//! after downtime unless the interview started, never for a cancelled booking; "will you come?"
//! answered "no" cancels and frees the slot.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use core_logic::bookings;
use core_logic::candidates::{self, TelegramProfile};
use core_logic::config::BookingRules;
use fake_telegram::{FakeTelegram, FakeUser};
use telegram_bot::reminders::ReminderScheduler;
use telegram_bot::sender::RateLimiter;
use telegram_bot::texts::RU;
use teloxide::Bot;

struct Setup {
    fake: FakeTelegram,
    pool: sqlx::SqlitePool,
    booking: i64,
    starts_at: DateTime<Utc>,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let pool =
        core_logic::db::connect_and_migrate(&format!("sqlite:{}", dir.path().join("r.db").display()), 4).await.unwrap();
    let now = Utc::now();
    let slot = core_logic::slots::create(
        &pool,
        &Default::default(),
        None,
        &core_logic::slots::NewSlot {
            starts_at: now + chrono::Duration::hours(48),
            duration_minutes: 30,
            capacity: 1,
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
    let c = candidates::upsert_from_telegram(
        &pool,
        &TelegramProfile { telegram_user_id: 1001, chat_id: 1001, first_name: "Анна".into(), ..Default::default() },
        now,
    )
    .await
    .unwrap();
    let booking = bookings::book(&pool, &BookingRules::default(), c.id, slot.id, now).await.unwrap().booking.id;
    Setup { fake, pool, booking, starts_at: slot.starts_at, _dir: dir }
}

/// A fresh scheduler (as after a restart of the bot).
fn scheduler(s: &Setup) -> ReminderScheduler {
    let bot = Bot::new("1:T").set_api_url(url::Url::parse(&s.fake.url()).unwrap());
    ReminderScheduler {
        bot,
        pool: s.pool.clone(),
        limiter: Arc::new(RateLimiter::new(30, Duration::from_millis(10))),
        tz: chrono_tz::Europe::Moscow,
        release_before: None,
    }
}

fn reminders_sent(fake: &FakeTelegram) -> Vec<fake_telegram::SentMessage> {
    fake.sent().into_iter().filter(|m| m.body().starts_with("Напоминание")).collect()
}

#[tokio::test]
async fn each_reminder_is_sent_once_when_due_and_the_day_before_asks_will_you_come() {
    let s = setup().await;
    let day_before = s.starts_at - chrono::Duration::hours(24);
    let hour_before = s.starts_at - chrono::Duration::hours(1);

    let early = scheduler(&s).try_execute_next(day_before - chrono::Duration::minutes(1)).await.unwrap();
    let due = scheduler(&s).try_execute_next(day_before).await.unwrap();
    let again = scheduler(&s).try_execute_next(day_before + chrono::Duration::minutes(5)).await.unwrap();
    let second = scheduler(&s).try_execute_next(hour_before).await.unwrap();

    assert_eq!((early.sent, due.sent, again.sent, second.sent), (0, 1, 0, 1));
    let sent = reminders_sent(&s.fake);
    assert_eq!(sent.len(), 2);
    assert!(sent[0].body().starts_with("Напоминание: завтра") && sent[0].body().contains(RU.will_you_come));
    assert!(!sent[0].inline_buttons().is_empty());
    assert!(sent[1].body().starts_with("Напоминание: скоро") && sent[1].inline_buttons().is_empty());
}

#[tokio::test]
async fn a_restart_spanning_the_due_time_catches_up_once_but_never_after_the_start() {
    let s = setup().await;
    let before = s.starts_at - chrono::Duration::hours(30);
    scheduler(&s).try_execute_next(before).await.unwrap();

    // The bot was down from 30 h to 23 h before the interview: the 24 h reminder is caught up.
    let back = scheduler(&s).try_execute_next(s.starts_at - chrono::Duration::hours(23)).await.unwrap();
    // Down again until after the interview started: the 1 h reminder is never sent.
    let late = scheduler(&s).try_execute_next(s.starts_at + chrono::Duration::minutes(5)).await.unwrap();

    assert_eq!((back.sent, late.sent), (1, 0));
    assert_eq!(reminders_sent(&s.fake).len(), 1);
    let skipped: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reminders WHERE status = 'skipped'").fetch_one(&s.pool).await.unwrap();
    assert_eq!(skipped, 1);
}

#[tokio::test]
async fn a_cancelled_booking_is_never_reminded_and_a_blocked_chat_fails_the_reminder() {
    let s = setup().await;
    s.fake.block_chat(1001);
    let day_before = s.starts_at - chrono::Duration::hours(24);

    let blocked = scheduler(&s).try_execute_next(day_before).await.unwrap();
    s.fake.reset_faults();
    bookings::cancel_by_admin(&s.pool, &BookingRules::default(), None, s.booking, None, Utc::now()).await.unwrap();
    let after_cancel = scheduler(&s).try_execute_next(s.starts_at - chrono::Duration::hours(1)).await.unwrap();

    assert_eq!((blocked.sent, blocked.failed, after_cancel.sent), (0, 1, 0));
    assert!(reminders_sent(&s.fake).is_empty());
    let status: String = sqlx::query_scalar("SELECT status FROM candidates").fetch_one(&s.pool).await.unwrap();
    assert_eq!(status, "unreachable");
}

#[tokio::test]
async fn answering_no_to_will_you_come_cancels_and_frees_the_slot() {
    let s = setup().await;
    let cfg = {
        let url = s.fake.url();
        let db = s.pool.connect_options().get_filename().display().to_string();
        harness_config(&url, &db)
    };
    let app = telegram_bot::app::BotApp::build(cfg).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    scheduler(&s).try_execute_next(s.starts_at - chrono::Duration::hours(24)).await.unwrap();
    let reminder = reminders_sent(&s.fake).remove(0);
    let no = reminder.inline_buttons().into_iter().find(|b| b.0 == RU.coming_no).unwrap().1.unwrap();

    s.fake.user_presses_button(&FakeUser::new(1001, "Анна"), reminder.message_id, &no);
    s.fake.wait_for(|m| m.body().contains(RU.cancelled), Duration::from_secs(10)).await.unwrap();

    let status: String = sqlx::query_scalar("SELECT status FROM bookings").fetch_one(&s.pool).await.unwrap();
    assert_eq!(status, "cancelled_by_candidate");
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

fn harness_config(api: &str, db_file: &str) -> core_logic::config::Config {
    let env = std::collections::HashMap::from([
        ("DATABASE_URL", format!("sqlite:{db_file}")),
        ("TELEGRAM_BOT_TOKEN", "1:T".to_owned()),
        ("TELEGRAM_API_URL", api.to_owned()),
        ("CONTACT_USERNAME", "hr_team".to_owned()),
    ]);
    core_logic::config::Config::from_lookup(|k| env.get(k).cloned()).unwrap()
}
