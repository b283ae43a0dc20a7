//! Runs the real bot (dispatcher, reminders, broadcast worker) against the fake Bot API server,
//! with its own SQLite file, and helpers to act as a candidate.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use core_logic::config::Config;
use core_logic::models::Slot;
use core_logic::slots::{self, NewSlot};
use fake_telegram::{FakeTelegram, FakeUser, SentMessage};
use sqlx::SqlitePool;
use telegram_bot::app::BotApp;
use tokio::sync::oneshot;

pub const WAIT: Duration = Duration::from_secs(10);

pub struct TestBot {
    pub fake: FakeTelegram,
    pub pool: SqlitePool,
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    dir: Option<tempfile::TempDir>,
}

pub fn config(fake: &FakeTelegram, db_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut env: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), db_url.to_owned()),
        ("TELEGRAM_BOT_TOKEN".into(), "123456:TEST".into()),
        ("TELEGRAM_API_URL".into(), fake.url()),
        ("CONTACT_USERNAME".into(), "hr_team".into()),
        ("ADMIN_CHAT_ID".into(), "-100500".into()),
    ]);
    env.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    Config::from_lookup(|k| env.get(k).cloned()).expect("valid bot configuration")
}

pub async fn start_bot() -> TestBot {
    start_bot_with(&[]).await
}

pub async fn start_bot_with(extra: &[(&str, &str)]) -> TestBot {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = format!("sqlite:{}", dir.path().join("bot.db").display());
    let config = config(&fake, &db_url, extra);
    launch(fake, config, Some(dir)).await
}

fn registrations(fake: &FakeTelegram) -> u64 {
    fake.stats().methods.get("setMyCommands").copied().unwrap_or(0)
}

async fn launch(fake: FakeTelegram, config: Config, dir: Option<tempfile::TempDir>) -> TestBot {
    let before = registrations(&fake);
    let app = BotApp::build(config.clone()).await.expect("build the bot");
    let pool = app.pool.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    // Ready once it has registered its commands (both languages).
    let deadline = tokio::time::Instant::now() + WAIT;
    while registrations(&fake) < before + 2 {
        assert!(tokio::time::Instant::now() < deadline, "the bot did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    TestBot { fake, pool, config, stop: Some(stop), task: Some(task), dir }
}

impl TestBot {
    /// Stops the bot cleanly and asserts it stopped without error.
    pub async fn stop(mut self) -> (FakeTelegram, Config, Option<tempfile::TempDir>) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(WAIT, task).await.expect("stops in time").expect("task").expect("clean stop");
        }
        (self.fake.clone(), self.config.clone(), self.dir.take())
    }

    /// Stops the bot and starts a new one on the same database and fake server.
    pub async fn restart(self) -> TestBot {
        let (fake, config, dir) = self.stop().await;
        launch(fake, config, dir).await
    }

    /// An open slot starting `hours` from now.
    pub async fn slot(&self, hours: i64, capacity: i64) -> Slot {
        let new = NewSlot {
            starts_at: Utc::now() + chrono::Duration::hours(hours),
            duration_minutes: 45,
            capacity,
            format: "Zoom".into(),
            location: Some("https://zoom.example/j/1".into()),
            notes: None,
            vacancy_id: None,
            interviewer_ids: vec![],
        };
        slots::create(&self.pool, &Default::default(), None, &new, Utc::now()).await.expect("slot")
    }

    /// Clears the log, runs `act`, and waits for a message to `user` whose text contains `needle`.
    pub async fn expect<R>(&self, user: &FakeUser, act: impl FnOnce(&FakeTelegram) -> R, needle: &str) -> SentMessage {
        self.fake.clear_sent();
        let _ = act(&self.fake);
        let chat = user.id;
        let needle_owned = needle.to_owned();
        self.fake
            .wait_for(move |m| m.chat_id == chat && m.body().contains(&needle_owned), WAIT)
            .await
            .unwrap_or_else(|e| panic!("waiting for {needle:?}: {e}"))
    }

    /// The callback data of the button whose label contains `label`.
    pub fn button(msg: &SentMessage, label: &str) -> String {
        msg.inline_buttons()
            .into_iter()
            .find(|(text, _)| text.contains(label))
            .and_then(|(_, data)| data)
            .unwrap_or_else(|| panic!("no button {label:?} in {:?}", msg.inline_buttons()))
    }

    /// Presses the button labelled `label` on `msg` and waits for `needle`.
    pub async fn press(&self, user: &FakeUser, msg: &SentMessage, label: &str, needle: &str) -> SentMessage {
        let data = Self::button(msg, label);
        let (u, id) = (user.clone(), msg.message_id);
        self.expect(user, move |f| f.user_presses_button(&u, id, &data), needle).await
    }

    /// What api_server's event worker does for notifications: publishes the deliveries written
    /// since (their outbox events) to the queue the bot's broadcast worker consumes; events
    /// written at a test's own clock (which may run ahead) included.
    pub async fn relay(&self) {
        let queue = core_logic::queue::Queue::embedded(self.pool.clone(), core_logic::queue::QueueOptions::default());
        let ahead = Utc::now() + chrono::Duration::days(400);
        while let Some(e) = core_logic::outbox::next_due(&self.pool, ahead).await.expect("outbox") {
            if let Ok(core_logic::outbox::Event::DeliveryCreated { delivery_id }) = e.event() {
                queue.publish_message(&core_logic::queue::QueueMessage::new(delivery_id)).await.expect("publish");
                core_logic::deliveries::mark_published(&self.pool, &[delivery_id], Utc::now())
                    .await
                    .expect("published");
            }
            core_logic::outbox::mark_processed(&self.pool, e.id, Utc::now()).await.expect("processed");
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(&self.pool).await.expect("count")
    }
}
