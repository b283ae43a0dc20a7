//! The database under the services: write-locked for a minute mid-broadcast, and created by
//! both services at once.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use test_support::binaries::Binary;
use test_support::service::{self, Service};
use test_support::stack::{QueueBackend, api_env, bot_env};
use tokio::time::{Instant, sleep, timeout};

use super::harness::{Run, Setup};
use super::report::Report;

/// How long the database stays write-locked.
const LOCKED: Duration = Duration::from_secs(60);

/// Scenario 10: a connection of the test holds `BEGIN IMMEDIATE` (the write lock) for 60 s, far
/// past the services' 10 s busy timeout, during a 2,000-recipient broadcast: every message is
/// settled (none left unacked), and the broadcast completes once the lock is gone. The messages
/// the bot handed to Telegram but could not record (left `sending`) may be sent again: they are
/// the duplicates allowed.
pub async fn write_locked_for_a_minute() {
    const RECIPIENTS: i64 = 2_000;
    let mut run = Run::start("s10_database_locked_60s", Setup::rabbitmq(RECIPIENTS, 300)).await;
    run.stall = Duration::from_secs(45);
    run.broadcast().await;
    run.wait_for_sent(RECIPIENTS / 10, Duration::from_secs(60)).await;
    let options = SqliteConnectOptions::from_str(&run.stack.db.url)
        .expect("the database URL")
        .busy_timeout(Duration::from_secs(30));
    let mut lock: SqliteConnection = options.connect().await.expect("open a connection of the test's own");
    sqlx::query("BEGIN IMMEDIATE").execute(&mut lock).await.expect("take the write lock");
    let sent_at_lock = run.counts().await["sent"];
    // The fault itself: the lock held this long.
    sleep(LOCKED).await;
    let at_release = run.counts().await;
    sqlx::query("ROLLBACK").execute(&mut lock).await.expect("release the write lock");
    drop(lock);
    let in_flight = at_release["sending"];
    run.details.push(format!(
        "sent when locked {sent_at_lock}; when released {} sent, {in_flight} sending",
        at_release["sent"]
    ));
    run.finish("completed", Duration::from_secs(90), in_flight).await;
}

/// Scenario 12: `api_server` and `telegram_bot` started at the same instant on a database that
/// does not exist yet, 20 times (as `make run` starts them): both come up every time, the API
/// ready and the bot polling.
pub async fn started_together_on_fresh_databases() {
    const TRIES: usize = 20;
    let name = "s12_started_together_fresh_db_20x";
    let started = Instant::now();
    let fake = fake_telegram::FakeTelegram::start().await;
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    for attempt in 1..=TRIES {
        let try_started = Instant::now();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db_url = format!("sqlite:{}", dir.path().join("fresh.db").display());
        let port = test_support::free_port();
        let queue = QueueBackend::Embedded;
        // No first admin: hashing its password would only slow each start down.
        let mut api_env = api_env(&db_url, port, &queue);
        api_env.retain(|(name, _)| !name.starts_with("ADMIN_"));
        let bot_env = bot_env(&db_url, &fake.url(), &queue, 30);
        let polls = service::polls(&fake);
        let mut api = Service::spawn("api_server", &Binary::ApiServer.path(), dir.path(), &api_env);
        let mut bot = Service::spawn("telegram_bot", &Binary::TelegramBot.path(), dir.path(), &bot_env);
        let up = timeout(Duration::from_secs(60), async {
            loop {
                for service in [&mut api, &mut bot] {
                    if let Some(status) = service.exited() {
                        let error = service.error_lines().into_iter().next().unwrap_or_else(|| service.log_tail());
                        return Err(format!("{} exited ({status}): {error}", service.name));
                    }
                }
                let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
                    .await
                    .is_ok_and(|response| response.status().is_success());
                if ready && service::polls(&fake) > polls && bot.log().contains("broadcast worker started") {
                    return Ok(());
                }
                sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .unwrap_or_else(|_| Err("not both up within 60 s".to_owned()));
        slowest = slowest.max(try_started.elapsed());
        if let Err(error) = up {
            failures.push(format!("try {attempt}: {error}"));
        }
        // Killed (on drop): how they stop is not what this scenario is about.
        drop((api, bot));
    }
    let details =
        vec![format!("both up in {} of {TRIES} tries (the slowest try took {slowest:.1?})", TRIES - failures.len())];
    Report::default().print_and_judge(name, started, &details, &failures);
}
