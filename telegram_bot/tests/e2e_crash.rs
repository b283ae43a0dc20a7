//! End to end, with a crash: the real `telegram_bot` binary is killed with SIGKILL in the middle
//! of a broadcast to 5,000 candidates (created through the real `api_server`, on RabbitMQ and one
//! SQLite file), then started again. Nothing is lost: every reachable candidate gets the message,
//! the blocked ones are recorded, and the only duplicates are messages that were in flight when
//! the bot died (DESIGN.md, "Delivery semantics": at-least-once, duplicates bounded by the
//! messages in flight). Telegram's limits are never hit, and both services stop cleanly.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use chrono::Utc;
use fake_telegram::{FakeTelegram, Limits};
use lapin::options::QueueDeleteOptions;
use serde_json::{Value, json};
use sqlx::SqlitePool;
use tokio::time::{Instant, sleep, timeout};

/// The audience of the broadcast.
const CANDIDATES: i64 = 5_000;
/// Chat ids (and Telegram user ids) are `FIRST_CHAT + i`.
const FIRST_CHAT: i64 = 5_200_000;
/// Candidate `i` blocked the bot when `i % 50 == 0` (2%, 100 candidates).
const BLOCKED_EVERY: i64 = 50;
/// The send rate of the bot and the fake's overall limit. Telegram's default is 30/s; the
/// semantics under test (the bot's limiter keeping under the fake's sliding-window limit, 1 per
/// second per chat, at-least-once across a crash) are the same at 500/s, which is 16x faster and
/// keeps this 5,000-message test to seconds instead of minutes.
const RATE: u32 = 500;
/// The bot's messages handled at once (`CONCURRENCY` in src/broadcast_worker.rs).
const BOT_CONCURRENCY: i64 = 32;
/// The kill comes once this many deliveries are `sent` (20%)...
const KILL_FROM_SENT: i64 = CANDIDATES / 5;
/// ...and must land before this many are (60%).
const KILL_BEFORE_SENT: i64 = CANDIDATES * 3 / 5;
/// The pause between the kill and the restart. A restarted bot knows nothing of the sends its
/// predecessor made in the last second, so resending an in-flight message at once could
/// (rightly) meet a 429 for that chat; a real restart takes longer than this anyway.
const RESTART_AFTER: Duration = Duration::from_millis(1_500);
const TEXT: &str = "<b>Новые слоты</b> на следующей неделе";
const ADMIN_USERNAME: &str = "e2e_admin";
const ADMIN_PASSWORD: &str = "e2e-crash-password";
/// How long a service may take to start.
const STARTUP: Duration = Duration::from_secs(60);
/// How long each phase of the broadcast may take (at 500/s it needs about 11 s in all).
const COMPLETION: Duration = Duration::from_secs(120);
/// How long a service may take to exit after SIGTERM.
const STOP: Duration = Duration::from_secs(10);
/// How long building `api_server` may take (a no-op when it is fresh).
const BUILD: Duration = Duration::from_secs(900);

fn blocked(i: i64) -> bool {
    i % BLOCKED_EVERY == 0
}

/// `(sent, sending, all)` deliveries of the broadcast now.
async fn progress(pool: &SqlitePool, broadcast_id: i64) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(status = 'sending'), 0), COUNT(*)
         FROM deliveries WHERE broadcast_id = ?",
    )
    .bind(broadcast_id)
    .fetch_one(pool)
    .await
    .expect("read the broadcast's progress")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_bot_mid_broadcast_loses_nothing_and_duplicates_at_most_the_messages_in_flight() {
    // Arrange: a broker, a queue of our own, the fake with limits and 100 blocked chats, a
    // database with 5,000 candidates, and both services on it.
    let rabbitmq_url =
        std::env::var("RABBITMQ_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
    let queues = TestQueues::claim(&rabbitmq_url, "test_e2e_crash").await;
    let api_server = api_server_binary();
    let reachable: BTreeSet<i64> = (0..CANDIDATES).filter(|&i| !blocked(i)).map(|i| FIRST_CHAT + i).collect();
    let blocked_chats: BTreeSet<i64> = (0..CANDIDATES).filter(|&i| blocked(i)).map(|i| FIRST_CHAT + i).collect();
    assert_eq!((reachable.len(), blocked_chats.len()), (4_900, 100));
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits { global_per_sec: RATE, per_chat_per_sec: 1 }));
    for &chat in &blocked_chats {
        fake.block_chat(chat);
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db_url = format!("sqlite:{}", dir.path().join("e2e.db").display());
    let pool = seed(&db_url, CANDIDATES, FIRST_CHAT).await;
    let port = free_port();
    let api_env = [
        ("DATABASE_URL", db_url.clone()),
        ("RABBITMQ_URL", rabbitmq_url.clone()),
        ("QUEUE_NAME", queues.name.clone()),
        ("API_ADDR", format!("127.0.0.1:{port}")),
        ("ADMIN_USERNAME", ADMIN_USERNAME.to_owned()),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    let bot_env = [
        ("DATABASE_URL", db_url.clone()),
        ("RABBITMQ_URL", rabbitmq_url.clone()),
        ("QUEUE_NAME", queues.name.clone()),
        ("TELEGRAM_BOT_TOKEN", "123456:TEST".to_owned()),
        ("TELEGRAM_API_URL", fake.url()),
        ("CONTACT_USERNAME", "hr_team".to_owned()),
        ("BROADCAST_RATE_PER_SEC", RATE.to_string()),
        ("RUST_LOG", "info".to_owned()),
        ("NO_COLOR", "1".to_owned()),
    ];
    let bot_binary = Path::new(env!("CARGO_BIN_EXE_telegram_bot"));
    let mut api = Service::spawn("api_server", &api_server, dir.path(), &api_env);
    let mut first_bot = Service::spawn("telegram_bot", bot_binary, dir.path(), &bot_env);
    api.wait_until_healthy(port).await;
    first_bot.wait_until_polling(&fake, 0).await;

    // Act 1: broadcast to everyone through the API.
    let base = format!("http://127.0.0.1:{port}");
    let client =
        reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(10)).build().expect("an HTTP client");
    let login = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .expect("POST /api/auth/login");
    assert!(login.status().is_success(), "login answered {}: {}", login.status(), login.text().await.unwrap());
    let started = Instant::now();
    let created = client
        .post(format!("{base}/api/broadcasts"))
        .json(&json!({ "text": TEXT, "segment": { "kind": "all" } }))
        .send()
        .await
        .expect("POST /api/broadcasts");
    assert_eq!(created.status(), reqwest::StatusCode::CREATED, "creating the broadcast");
    let created: Value = created.json().await.expect("the created broadcast as JSON");
    let id = created["id"].as_i64().unwrap_or_else(|| panic!("no id in {created}"));

    // Act 2: SIGKILL the bot once a fifth of the deliveries are sent.
    loop {
        let (sent, _, _) = progress(&pool, id).await;
        if sent >= KILL_FROM_SENT {
            break;
        }
        first_bot.assert_running("sending the broadcast");
        api.assert_running("the broadcast was sending");
        assert!(
            started.elapsed() < COMPLETION,
            "only {sent} deliveries sent within {COMPLETION:?}\n{}\n{}",
            api.log_tail(),
            first_bot.log_tail()
        );
        sleep(Duration::from_millis(5)).await;
    }
    first_bot.sigkill();
    let killed_after = started.elapsed();
    let (sent_at_kill, sending_at_kill, rows_at_kill) = progress(&pool, id).await;
    let fake_sends_at_kill = fake.stats().sends;
    println!(
        "killed the bot {killed_after:.2?} after the broadcast was created ({:.0} deliveries/s so far): \
         {sent_at_kill} sent, {sending_at_kill} sending (in flight), {rows_at_kill} delivery rows; \
         the fake had accepted {fake_sends_at_kill} messages",
        sent_at_kill as f64 / killed_after.as_secs_f64()
    );
    assert!(
        (KILL_FROM_SENT..KILL_BEFORE_SENT).contains(&sent_at_kill),
        "the kill must land mid-broadcast (20% to 60% sent), but {sent_at_kill} of {CANDIDATES} were sent"
    );

    // Act 3: start the bot again on the same database and queue, and let it finish.
    sleep(RESTART_AFTER).await;
    let polls_before = fake.stats().methods.get("getUpdates").copied().unwrap_or(0);
    let mut bot = Service::spawn("telegram_bot_restarted", bot_binary, dir.path(), &bot_env);
    let restarted = Instant::now();
    bot.wait_until_polling(&fake, polls_before).await;
    let finished = loop {
        let view: Value = client
            .get(format!("{base}/api/broadcasts/{id}"))
            .send()
            .await
            .expect("GET /api/broadcasts/{id}")
            .error_for_status()
            .expect("GET /api/broadcasts/{id} succeeds")
            .json()
            .await
            .expect("the broadcast as JSON");
        if view["status"] == "completed" {
            break view;
        }
        api.assert_running("the broadcast was sending");
        bot.assert_running("the broadcast was sending");
        assert!(
            restarted.elapsed() < COMPLETION,
            "the broadcast did not complete within {COMPLETION:?} of the restart; last seen: {view}\n{}\n{}",
            api.log_tail(),
            bot.log_tail()
        );
        sleep(Duration::from_millis(100)).await;
    };
    let elapsed = started.elapsed();

    // Assert: every delivery is accounted for, none lost.
    let counts: BTreeMap<String, i64> =
        serde_json::from_value(finished["counts"].clone()).expect("counts by status in the broadcast view");
    let expected: BTreeMap<String, i64> = [
        ("pending", 0),
        ("published", 0),
        ("sending", 0),
        ("sent", 4_900),
        ("failed", 0),
        ("blocked", 100),
        ("cancelled", 0),
    ]
    .into_iter()
    .map(|(status, n)| (status.to_owned(), n))
    .collect();
    assert_eq!(counts, expected, "delivery counts of the completed broadcast");
    assert_eq!(counts.values().sum::<i64>(), CANDIDATES, "one delivery per candidate");

    // Assert: Telegram got every reachable chat at least once, the blocked ones never, and the
    // duplicates are no more than the messages in flight at the kill.
    let sends = fake.sent();
    let mut per_chat: BTreeMap<i64, i64> = BTreeMap::new();
    for message in &sends {
        assert_eq!(message.method, "sendMessage", "only broadcast messages were expected: {message:?}");
        assert_eq!(message.text.as_deref(), Some(TEXT), "the broadcast text, as HTML: {message:?}");
        *per_chat.entry(message.chat_id).or_default() += 1;
    }
    let received: BTreeSet<i64> = per_chat.keys().copied().collect();
    let missing: Vec<_> = reachable.difference(&received).take(10).collect();
    assert!(missing.is_empty(), "reachable chats that got nothing (first 10): {missing:?}");
    let strangers: Vec<_> = received.difference(&reachable).take(10).collect();
    assert!(strangers.is_empty(), "chats that should have got nothing (first 10): {strangers:?}");
    let duplicates: i64 = per_chat.values().map(|n| n - 1).sum();
    let twice: Vec<_> = per_chat.iter().filter(|&(_, &n)| n > 1).map(|(chat, _)| chat).collect();
    println!(
        "completed {:.1?} after the restart, {elapsed:.1?} in all; {} messages for {} chats: {duplicates} \
         duplicates (chats {twice:?}), {sending_at_kill} deliveries were in flight at the kill",
        restarted.elapsed(),
        sends.len(),
        per_chat.len()
    );
    assert!(
        duplicates <= sending_at_kill + BOT_CONCURRENCY,
        "{duplicates} duplicates, but only {sending_at_kill} deliveries were in flight at the kill \
         (plus the bot's concurrency of {BOT_CONCURRENCY})"
    );
    let stats = fake.stats();
    assert_eq!(stats.too_many_requests_answered, 0, "the bot must stay within Telegram's limits: {stats:?}");

    // Assert: the candidates who blocked the bot are unreachable, and only they.
    let unreachable: BTreeSet<i64> = sqlx::query_scalar("SELECT chat_id FROM candidates WHERE status = 'unreachable'")
        .fetch_all(&pool)
        .await
        .expect("read the unreachable candidates")
        .into_iter()
        .collect();
    assert_eq!(unreachable, blocked_chats, "the unreachable candidates are exactly those who blocked the bot");
    pool.close().await;

    // Assert: both services stop cleanly on SIGTERM, with no error logged.
    let signalled = Instant::now();
    api.sigterm();
    bot.sigterm();
    for service in [&mut api, &mut bot] {
        service.assert_clean_exit(signalled).await;
    }
    drop(first_bot);
}

/// Applies the migrations and inserts `count` active candidates with chat ids from `first_chat`.
async fn seed(db_url: &str, count: i64, first_chat: i64) -> SqlitePool {
    let pool = core_logic::db::connect_and_migrate(db_url, 4).await.expect("create the database");
    let now = Utc::now().timestamp();
    let mut tx = pool.begin().await.expect("begin");
    for i in 0..count {
        sqlx::query(
            "INSERT INTO candidates (telegram_user_id, chat_id, first_name, language, first_seen_at, last_seen_at)
             VALUES (?1, ?1, ?2, 'ru', ?3, ?3)",
        )
        .bind(first_chat + i)
        .bind(format!("Candidate {i}"))
        .bind(now)
        .execute(&mut *tx)
        .await
        .expect("insert a candidate");
    }
    tx.commit().await.expect("commit the candidates");
    pool
}

/// A queue (and its `.dlq`) private to one test, deleted when dropped, even if the test fails.
struct TestQueues {
    rabbitmq_url: String,
    name: String,
}

impl TestQueues {
    /// Checks the broker answers (failing the test with a clear message if not) and names a
    /// fresh queue.
    async fn claim(rabbitmq_url: &str, prefix: &str) -> Self {
        match timeout(Duration::from_secs(15), lapin::Connection::connect(rabbitmq_url, Default::default())).await {
            Ok(Ok(connection)) => {
                let _ = connection.close(200, "bye".into()).await;
            }
            Ok(Err(error)) => panic!(
                "RabbitMQ at {rabbitmq_url} is unreachable ({error}). This end-to-end test needs a broker: \
                 start one (`rabbitmq-server -detached`) or set RABBITMQ_URL."
            ),
            Err(_) => panic!("RabbitMQ at {rabbitmq_url} did not answer within 15 s"),
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        Self { rabbitmq_url: rabbitmq_url.to_owned(), name: format!("{prefix}_{}_{nanos}", std::process::id()) }
    }
}

impl Drop for TestQueues {
    fn drop(&mut self) {
        let url = self.rabbitmq_url.clone();
        let queues = [self.name.clone(), format!("{}.dlq", self.name)];
        // Drop cannot await, and the test's runtime may be gone: delete on a runtime of our own.
        let deleted = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let connection = lapin::Connection::connect(&url, Default::default()).await?;
                let channel = connection.create_channel().await?;
                for queue in queues {
                    channel.queue_delete(queue.as_str().into(), QueueDeleteOptions::default()).await?;
                }
                connection.close(200, "bye".into()).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        match deleted {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not delete the test queue {}: {error}", self.name),
            Err(_) => eprintln!("deleting the test queue {} panicked", self.name),
        }
    }
}

/// A running service binary whose stdout and stderr go to files; killed if the test ends (or
/// fails) while it runs.
struct Service {
    name: &'static str,
    child: Child,
    logs: [PathBuf; 2],
}

impl Service {
    fn spawn(name: &'static str, program: &Path, dir: &Path, env: &[(&str, String)]) -> Self {
        let stdout = dir.join(format!("{name}.stdout.log"));
        let stderr = dir.join(format!("{name}.stderr.log"));
        let child = Command::new(program)
            // Only what the test sets, and no `.env` to find from the temporary directory.
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("create the stdout log"))
            .stderr(File::create(&stderr).expect("create the stderr log"))
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", program.display()));
        Self { name, child, logs: [stdout, stderr] }
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("check the process")
    }

    /// Its stdout and stderr so far, without colour codes.
    fn log(&self) -> String {
        self.logs.iter().map(|path| strip_ansi(&std::fs::read_to_string(path).unwrap_or_default())).collect()
    }

    /// The last lines of its log, for failure messages.
    fn log_tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(60)..].join("\n");
        format!("--- the last lines of {}'s log ---\n{tail}", self.name)
    }

    /// Fails the test with the log if the process has ended.
    fn assert_running(&mut self, while_: &str) {
        if let Some(status) = self.exited() {
            panic!("{} exited ({status}) while {while_}\n{}", self.name, self.log_tail());
        }
    }

    fn sigkill(&mut self) {
        // On Unix `Child::kill` sends SIGKILL.
        self.child.kill().expect("SIGKILL the process");
        self.child.wait().expect("reap the killed process");
    }

    fn sigterm(&self) {
        let status =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("run kill -TERM");
        assert!(status.success(), "kill -TERM {} failed: {status}", self.name);
    }

    async fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// After SIGTERM (sent at `signalled`): exits 0 within [`STOP`] and logged no error.
    async fn assert_clean_exit(&mut self, signalled: Instant) {
        let status = self.wait_for_exit(STOP.saturating_sub(signalled.elapsed())).await;
        println!("{} exited {:.2?} after SIGTERM", self.name, signalled.elapsed());
        let status = status
            .unwrap_or_else(|| panic!("{} did not exit within {STOP:?} of SIGTERM\n{}", self.name, self.log_tail()));
        assert!(status.success(), "{} exited with {status} after SIGTERM\n{}", self.name, self.log_tail());
        let log = self.log();
        assert!(
            log.lines().any(|line| line.contains(" INFO ")),
            "{}'s log is not in the expected text format:\n{log}",
            self.name
        );
        let errors: Vec<&str> = log.lines().filter(|line| line.contains(" ERROR ")).collect();
        assert!(errors.is_empty(), "{} logged errors: {errors:#?}", self.name);
    }

    /// Waits until the API answers `/healthz`.
    async fn wait_until_healthy(&mut self, port: u16) {
        let url = format!("http://127.0.0.1:{port}/healthz");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + STARTUP;
        loop {
            self.assert_running("starting");
            if let Ok(Ok(r)) = timeout(Duration::from_secs(2), client.get(&url).send()).await
                && r.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "{url} never answered\n{}", self.log_tail());
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the bot polls the fake for updates (more than `before` times): by then its
    /// worker consumes and its SIGTERM handler is installed.
    async fn wait_until_polling(&mut self, fake: &FakeTelegram, before: u64) {
        let deadline = Instant::now() + STARTUP;
        loop {
            self.assert_running("starting");
            let polls = fake.stats().methods.get("getUpdates").copied().unwrap_or(0);
            if polls > before && self.log().contains("broadcast worker started") {
                return;
            }
            assert!(Instant::now() < deadline, "the bot never started polling\n{}", self.log_tail());
            sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `api_server` binary, built if it is missing or stale: Cargo builds only this crate's own
/// binaries for its tests. It lands next to ours: `target/debug/api_server`.
fn api_server_binary() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace directory");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(&cargo)
        .args(["build", "-p", "api_server", "--quiet"])
        .current_dir(workspace)
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("run `{cargo} build -p api_server`: {error}"));
    let deadline = std::time::Instant::now() + BUILD;
    let status = loop {
        if let Some(status) = build.try_wait().expect("wait for cargo build") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = build.kill();
            panic!("`cargo build -p api_server` took longer than {BUILD:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "`cargo build -p api_server` failed: {status}");
    // This test runs as target/debug/deps/<name>-<hash>.
    let exe = std::env::current_exe().expect("the test executable's path");
    let binary = exe.parent().and_then(Path::parent).expect("target/debug").join("api_server");
    assert!(binary.exists(), "no api_server binary at {}", binary.display());
    binary
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("the bound address").port()
}

/// Removes terminal colour sequences (`ESC [ ... letter`), in case the logger writes them.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
