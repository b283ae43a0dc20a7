//! The whole system for an end-to-end test: a seeded SQLite file, the fake Telegram Bot API in
//! this process, the real `api_server` (with its event worker) and `telegram_bot` (with its
//! broadcast worker) sharing one queue (a RabbitMQ queue or the embedded one), and an admin
//! logged in to the API. Also the services' environments alone, for tests that start them
//! their own way.

use std::collections::BTreeMap;
use std::time::Duration;

use fake_telegram::FakeTelegram;
use tokio::time::{Instant, sleep};

use crate::admin::AdminClient;
use crate::binaries::Binary;
use crate::inspect;
use crate::seed::SeededDb;
use crate::service::{self, Service};

/// The first admin both services are started with.
pub const ADMIN_USERNAME: &str = "e2e_admin";
pub const ADMIN_PASSWORD: &str = "e2e-admin-password";
/// The bot's token; the fake accepts any.
pub const BOT_TOKEN: &str = "123456:TEST";

/// The queue the services share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueBackend {
    /// `RABBITMQ_URL` and `QUEUE_NAME` set.
    RabbitMq { url: String, queue: String },
    /// Neither set: the embedded queue in the SQLite file.
    Embedded,
}

impl QueueBackend {
    fn env(&self) -> Vec<(&'static str, String)> {
        match self {
            QueueBackend::RabbitMq { url, queue } => vec![("RABBITMQ_URL", url.clone()), ("QUEUE_NAME", queue.clone())],
            QueueBackend::Embedded => Vec::new(),
        }
    }
}

/// `api_server`'s environment: the database, the queue, the address, the first admin, plain logs.
pub fn api_env(db_url: &str, port: u16, queue: &QueueBackend) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("DATABASE_URL", db_url.to_owned()),
        ("API_ADDR", format!("127.0.0.1:{port}")),
        ("ADMIN_USERNAME", ADMIN_USERNAME.to_owned()),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    env.extend(queue.env());
    env
}

/// `telegram_bot`'s environment: the database, the queue, the fake Bot API, the send rate.
pub fn bot_env(
    db_url: &str,
    telegram_url: &str,
    queue: &QueueBackend,
    rate_per_sec: u32,
) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("DATABASE_URL", db_url.to_owned()),
        ("TELEGRAM_BOT_TOKEN", BOT_TOKEN.to_owned()),
        ("TELEGRAM_API_URL", telegram_url.to_owned()),
        ("CONTACT_USERNAME", "hr_team".to_owned()),
        ("BROADCAST_RATE_PER_SEC", rate_per_sec.to_string()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    env.extend(queue.env());
    env
}

/// What to start.
#[derive(Debug, Clone)]
pub struct StackOptions {
    /// Active candidates in the database, with chat ids from `first_chat`.
    pub candidates: i64,
    pub first_chat: i64,
    pub queue: QueueBackend,
    /// The bot's `BROADCAST_RATE_PER_SEC`.
    pub rate_per_sec: u32,
    /// More environment for the bot (it wins over the defaults).
    pub bot_env: Vec<(&'static str, String)>,
}

/// The running system. Dropping it kills what still runs.
pub struct Stack {
    pub fake: FakeTelegram,
    pub api_port: u16,
    pub api: Service,
    pub bot: Service,
    pub admin: AdminClient,
    pub queue: QueueBackend,
    bots: u32,
    apis: u32,
    // Last: the services are killed before their directory goes.
    pub db: SeededDb,
}

impl Stack {
    /// Seeds the database, starts the fake, both services at once, waits until the API serves
    /// and the bot polls, and logs in.
    pub async fn start(options: StackOptions) -> Self {
        let db = SeededDb::new(options.candidates, options.first_chat).await;
        let fake = FakeTelegram::start().await;
        let api_port = crate::free_port();
        let mut bot_env = bot_env(&db.url, &fake.url(), &options.queue, options.rate_per_sec);
        bot_env.retain(|(name, _)| !options.bot_env.iter().any(|(extra, _)| extra == name));
        bot_env.extend(options.bot_env.iter().cloned());
        let mut api = Service::spawn(
            "api_server",
            &Binary::ApiServer.path(),
            db.path(),
            &api_env(&db.url, api_port, &options.queue),
        );
        let mut bot = Service::spawn("telegram_bot", &Binary::TelegramBot.path(), db.path(), &bot_env);
        api.wait_until_healthy(api_port).await;
        bot.wait_until_polling(&fake, 0).await;
        let admin = AdminClient::login(api_port, ADMIN_USERNAME, ADMIN_PASSWORD).await;
        Self { fake, api_port, api, bot, admin, queue: options.queue, bots: 1, apis: 1, db }
    }

    /// Starts another bot like the first (the previous one should be dead) and waits until it
    /// polls; its log is `telegram_bot.<n>`.
    pub async fn restart_bot(&mut self) {
        self.bots += 1;
        let polls = service::polls(&self.fake);
        self.bot = self.bot.respawn(&format!("telegram_bot.{}", self.bots));
        self.bot.wait_until_polling(&self.fake, polls).await;
    }

    /// Starts another API server like the first (the previous one should be dead) and waits
    /// until it serves; its log is `api_server.<n>`.
    pub async fn restart_api(&mut self) {
        self.apis += 1;
        self.api = self.api.respawn(&format!("api_server.{}", self.apis));
        self.api.wait_until_healthy(self.api_port).await;
    }

    /// The broadcast's deliveries counted by status.
    pub async fn counts(&self, broadcast_id: i64) -> BTreeMap<String, i64> {
        inspect::delivery_counts(&self.db.pool, broadcast_id).await
    }

    /// Fails the test with the logs if either service has ended.
    pub fn assert_running(&mut self, while_: &str) {
        self.api.assert_running(while_);
        self.bot.assert_running(while_);
    }

    /// Waits until the broadcast's status is `status` and none of its deliveries is waiting or
    /// in flight, failing early if a service dies; on timeout returns what was seen last.
    pub async fn wait_for_broadcast(&mut self, broadcast_id: i64, status: &str, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            let now = inspect::broadcast_status(&self.db.pool, broadcast_id).await;
            let counts = self.counts(broadcast_id).await;
            let unsettled: i64 = ["pending", "published", "sending"].iter().map(|s| counts[*s]).sum();
            if now == status && unsettled == 0 {
                return Ok(());
            }
            self.assert_running(&format!("broadcast {broadcast_id} was {now}"));
            if Instant::now() >= deadline {
                return Err(format!("broadcast {broadcast_id} not {status} within {limit:?}: it is {now}, {counts:?}"));
            }
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until at least `n` deliveries of the broadcast are sent (a state to act at, e.g.
    /// a kill mid-broadcast); on timeout returns what was seen last.
    pub async fn wait_for_sent(&mut self, broadcast_id: i64, n: i64, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        loop {
            let counts = self.counts(broadcast_id).await;
            if counts["sent"] >= n {
                return Ok(());
            }
            self.assert_running("waiting for deliveries to be sent");
            if Instant::now() >= deadline {
                return Err(format!("fewer than {n} deliveries sent within {limit:?}: {counts:?}"));
            }
            sleep(Duration::from_millis(5)).await;
        }
    }

    /// SIGTERM to both; both exit 0 with no error logged.
    pub async fn stop_cleanly(&mut self) {
        let signalled = Instant::now();
        self.api.sigterm();
        self.bot.sigterm();
        self.api.assert_clean_exit(signalled).await;
        self.bot.assert_clean_exit(signalled).await;
    }
}
