//! Broadcasts through the whole system: the real `api_server` (event worker) and
//! `telegram_bot` (broadcast worker) on release binaries, a fresh SQLite file each run, the fake
//! Telegram in this process. The rate is the recipients over the time from the admin's POST to
//! the broadcast completed with every delivery final.

use std::time::{Duration, Instant};

use fake_telegram::Limits;
use test_support::binaries::Binary;
use test_support::rabbit::TestQueues;
use test_support::stack::{QueueBackend, Stack, StackOptions};

use crate::procstat::{self, CpuHog};

/// One broadcast to measure.
#[derive(Debug, Clone)]
pub struct Spec {
    pub recipients: i64,
    pub rabbitmq: bool,
    /// `BROADCAST_RATE_PER_SEC`.
    pub rate: u32,
    /// The fake's flood limits; `None`: none.
    pub limits: Option<Limits>,
    /// More environment for the bot (e.g. `BROADCAST_PAID`).
    pub bot_env: Vec<(&'static str, String)>,
    /// Whether busy loops load every core meanwhile.
    pub loaded: bool,
}

/// What one broadcast showed.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Deliveries per second.
    pub rate: f64,
    /// The bot's CPU seconds (user + system) during the broadcast.
    pub bot_cpu: f64,
    pub api_rss_mib: f64,
    pub bot_rss_mib: f64,
    /// Answers 429 from the fake.
    pub too_many: u64,
}

/// Runs one broadcast on a fresh system.
pub async fn run(spec: &Spec) -> Run {
    let queues =
        if spec.rabbitmq { Some(TestQueues::claim(&test_support::rabbitmq_url(), "bench").await) } else { None };
    let queue = queues.as_ref().map_or(QueueBackend::Embedded, |q| QueueBackend::RabbitMq {
        url: q.rabbitmq_url.clone(),
        queue: q.name.clone(),
    });
    let options = StackOptions {
        candidates: spec.recipients,
        first_chat: 5_000_000,
        queue,
        rate_per_sec: spec.rate,
        bot_env: spec.bot_env.clone(),
    };
    let mut stack = Stack::start(options).await;
    stack.fake.set_limits(spec.limits);
    let hog = spec.loaded.then(CpuHog::start);
    let cpu_before = procstat::cpu_seconds(stack.bot.pid());
    let started = Instant::now();
    let id = stack.admin.create_broadcast("Bench: <b>news</b> for everyone").await;
    let limit = Duration::from_secs(60 + 3 * u64::try_from(spec.recipients).unwrap_or(0) / u64::from(spec.rate.max(1)));
    if let Err(error) = stack.wait_for_broadcast(id, "completed", limit).await {
        panic!("the broadcast did not complete: {error}\n{}\n{}", stack.bot.log_tail(), stack.api.log_tail());
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(hog);
    let stats = stack.fake.stats();
    let sent = stack.counts(id).await["sent"];
    assert_eq!(sent, spec.recipients, "every recipient is sent the broadcast");
    Run {
        rate: spec.recipients as f64 / elapsed,
        bot_cpu: procstat::cpu_seconds(stack.bot.pid()) - cpu_before,
        api_rss_mib: procstat::rss_mib(stack.api.pid()),
        bot_rss_mib: procstat::rss_mib(stack.bot.pid()),
        too_many: stats.too_many_requests_answered,
    }
}

/// Whether the bot binary accepts `env` added: a setting it rejects stops it at once with exit
/// code 2 (any other end, such as no Bot API to answer getMe here, is not about the settings);
/// `Err` holds what it printed.
pub async fn bot_accepts(env: &[(&'static str, String)]) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut full = vec![
        ("DATABASE_URL", format!("sqlite:{}", dir.path().join("probe.db").display())),
        ("TELEGRAM_BOT_TOKEN", test_support::stack::BOT_TOKEN.to_owned()),
        // Nothing listens there: a bot that accepted its settings keeps retrying.
        ("TELEGRAM_API_URL", "http://127.0.0.1:9".to_owned()),
        ("CONTACT_USERNAME", "hr_team".to_owned()),
    ];
    full.extend(env.iter().cloned());
    let mut bot = test_support::service::Service::spawn("probe", &Binary::TelegramBot.path(), dir.path(), &full);
    match bot.wait_for_exit(Duration::from_secs(2)).await {
        Some(status) if status.code() == Some(2) => Err(bot.log().trim().to_owned()),
        _ => Ok(()),
    }
}

/// Whether the bot binary mentions `name` at all (a setting it does not know is ignored, not
/// rejected).
pub fn bot_knows(name: &str) -> bool {
    let bytes = std::fs::read(Binary::TelegramBot.path()).unwrap_or_default();
    bytes.windows(name.len()).any(|window| window == name.as_bytes())
}
