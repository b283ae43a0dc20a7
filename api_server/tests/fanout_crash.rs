//! The real `api_server` binary is killed with SIGKILL in the middle of fanning a broadcast out to
//! 5,000 candidates on RabbitMQ, then started again on the same database: the fan-out resumes
//! with no recipient missing and no delivery row twice, every delivery reaches the queue at least
//! once, and the restarted server stops cleanly on SIGTERM.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use chrono::Utc;
use core_logic::broadcasts::NewBroadcast;
use core_logic::queue::{Queue, QueueMessage, QueueOptions};
use core_logic::segments::Segment;
use lapin::options::QueueDeleteOptions;
use sqlx::SqlitePool;
use tokio::time::{Instant, sleep, timeout};

/// The fan-out size the issue asks for.
const RECIPIENTS: i64 = 5_000;
/// Fresh scenarios to try when the kill lands after the fan-out has already finished.
const ATTEMPTS: u32 = 3;
/// How long a server may take to start and fan out, and the restarted one to finish.
const PATIENCE: Duration = Duration::from_secs(60);
/// How long the queue must stay silent before it counts as drained.
const IDLE: Duration = Duration::from_secs(2);
/// How long after the first batch is marked published the kill waits: about half a batch of
/// publishes here (a 500-message batch takes ~65 ms), so the kill lands while messages are
/// confirmed by the broker but not yet marked published, the case that makes duplicates.
const INTO_THE_NEXT_BATCH: Duration = Duration::from_millis(30);

/// A temporary database holding 5,000 active candidates and one broadcast to all of them (with
/// its outbox event), and a fresh RabbitMQ queue for it.
struct Scenario {
    dir: tempfile::TempDir,
    db_url: String,
    pool: SqlitePool,
    broadcast_id: i64,
    candidates: BTreeSet<i64>,
    rabbitmq_url: String,
    queue_name: String,
    /// A handle on the test's queue, to drain it.
    queue: Queue,
}

impl Scenario {
    async fn prepare(rabbitmq_url: &str) -> Self {
        let queue_name = unique_queue_name();
        let options = QueueOptions { queue_name: queue_name.clone(), ..QueueOptions::default() };
        let queue = match timeout(PATIENCE, Queue::rabbitmq(rabbitmq_url, options)).await {
            Ok(Ok(queue)) => queue,
            Ok(Err(error)) => panic!(
                "RabbitMQ at {rabbitmq_url} is unreachable ({error}). The crash test needs a broker: \
                 start one (`rabbitmq-server -detached`) or set RABBITMQ_URL."
            ),
            Err(_) => panic!("RabbitMQ at {rabbitmq_url} did not answer within {PATIENCE:?}"),
        };
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db_url = format!("sqlite:{}", dir.path().join("crash.db").display());
        let pool = core_logic::db::connect_and_migrate(&db_url, 4).await.expect("create the database");
        let now = Utc::now();
        let mut tx = pool.begin().await.expect("begin");
        let mut candidates = BTreeSet::new();
        for i in 0..RECIPIENTS {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO candidates (telegram_user_id, chat_id, first_name, username, language, first_seen_at, last_seen_at)
                 VALUES (?1, ?1, ?2, ?3, 'ru', ?4, ?4) RETURNING id",
            )
            .bind(700_000 + i)
            .bind(format!("Candidate {i}"))
            .bind(format!("crash_{i}"))
            .bind(now.timestamp())
            .fetch_one(&mut *tx)
            .await
            .expect("insert a candidate");
            candidates.insert(id);
        }
        tx.commit().await.expect("commit the candidates");
        let new = NewBroadcast { text: "<b>Hello</b> everyone".into(), segment: Segment::All, send_at: None };
        let broadcast =
            core_logic::broadcasts::create(&pool, None, &new, Utc::now()).await.expect("create the broadcast");
        Self {
            dir,
            db_url,
            pool,
            broadcast_id: broadcast.id,
            candidates,
            rabbitmq_url: rabbitmq_url.to_owned(),
            queue_name,
            queue,
        }
    }

    /// `(delivery rows, of which published, of which pending)` of the broadcast now.
    async fn progress(&self) -> (i64, i64, i64) {
        sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(status = 'published'), 0), COALESCE(SUM(status = 'pending'), 0)
             FROM deliveries WHERE broadcast_id = ?",
        )
        .bind(self.broadcast_id)
        .fetch_one(&self.pool)
        .await
        .expect("read the fan-out's progress")
    }

    async fn broadcast_status(&self) -> String {
        sqlx::query_scalar("SELECT status FROM broadcasts WHERE id = ?")
            .bind(self.broadcast_id)
            .fetch_one(&self.pool)
            .await
            .expect("read the broadcast's status")
    }

    async fn published_ids(&self) -> BTreeSet<i64> {
        sqlx::query_scalar("SELECT id FROM deliveries WHERE broadcast_id = ? AND status = 'published'")
            .bind(self.broadcast_id)
            .fetch_all(&self.pool)
            .await
            .expect("read the published deliveries")
            .into_iter()
            .collect()
    }

    /// Starts the real binary on this scenario's database and queue.
    fn start_server(&self, name: &str) -> Server {
        let port = free_port();
        let stdout = self.dir.path().join(format!("{name}.stdout.log"));
        let stderr = self.dir.path().join(format!("{name}.stderr.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_api_server"))
            // Only what the test sets, and no `.env` to find from the temporary directory.
            .env_clear()
            .current_dir(self.dir.path())
            .env("DATABASE_URL", &self.db_url)
            .env("API_ADDR", format!("127.0.0.1:{port}"))
            .env("RABBITMQ_URL", &self.rabbitmq_url)
            .env("QUEUE_NAME", &self.queue_name)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("create the stdout log"))
            .stderr(File::create(&stderr).expect("create the stderr log"))
            .spawn()
            .expect("start the api_server binary");
        Server { child, port, logs: [stdout, stderr] }
    }

    /// Receives and acks every message until the queue stays silent for [`IDLE`]; returns how
    /// many times each delivery id arrived.
    async fn drain(&self) -> BTreeMap<i64, usize> {
        let drained = async {
            let mut consumer = self.queue.consumer().await.expect("start a consumer");
            let mut seen = BTreeMap::new();
            while let Ok(received) = timeout(IDLE, consumer.receive()).await {
                let received = received.expect("receive a message");
                let message = QueueMessage::parse(&received.body).unwrap_or_else(|error| {
                    panic!("unparsable message {:?}: {error}", String::from_utf8_lossy(&received.body))
                });
                received.ack().await.expect("ack a message");
                *seen.entry(message.delivery_id).or_default() += 1;
            }
            seen
        };
        timeout(PATIENCE * 2, drained).await.expect("the queue was drained in time")
    }

    /// Deletes the scenario's RabbitMQ queues; the database goes with the temporary directory.
    async fn cleanup(self) {
        self.pool.close().await;
        drop(self.queue);
        let connection = lapin::Connection::connect(&self.rabbitmq_url, Default::default())
            .await
            .expect("connect to delete the test queues");
        let channel = connection.create_channel().await.expect("open a channel");
        for queue in [self.queue_name.clone(), format!("{}.dlq", self.queue_name)] {
            channel
                .queue_delete(queue.as_str().into(), QueueDeleteOptions::default())
                .await
                .expect("delete a test queue");
        }
    }
}

/// A running `api_server` process; killed if the test ends (or fails) while it runs.
struct Server {
    child: Child,
    port: u16,
    logs: [PathBuf; 2],
}

impl Server {
    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("check the server process")
    }

    /// Its stdout and stderr so far, without colour codes.
    fn log(&self) -> String {
        self.logs.iter().map(|path| strip_ansi(&std::fs::read_to_string(path).unwrap_or_default())).collect()
    }

    /// Fails the test with the log if the process has ended.
    fn assert_running(&mut self, while_: &str) {
        if let Some(status) = self.exited() {
            panic!("api_server exited ({status}) while {while_}; its log:\n{}", self.log());
        }
    }

    fn sigkill(&mut self) {
        // On Unix `Child::kill` sends SIGKILL.
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the killed server");
    }

    fn sigterm(&self) {
        let status =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("run kill -TERM");
        assert!(status.success(), "kill -TERM failed: {status}");
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

    /// Waits until `/healthz` answers, so the server is serving (and listening for SIGTERM).
    async fn wait_until_healthy(&mut self) {
        let url = format!("http://127.0.0.1:{}/healthz", self.port);
        let client = reqwest::Client::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.assert_running("waiting for /healthz");
            if let Ok(Ok(r)) = timeout(Duration::from_secs(2), client.get(&url).send()).await
                && r.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "{url} never answered; the log:\n{}", self.log());
            sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("the bound address").port()
}

fn unique_queue_name() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970").subsec_nanos();
    format!("test_fanout_crash_{}_{nanos}", std::process::id())
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

/// What the poller saw when it pulled the trigger, and the database right after the kill.
struct Kill {
    /// Since the server was started: when the delivery rows appeared, and when it was killed.
    rows_seen_after: Duration,
    killed_after: Duration,
    /// `(rows, published)` as last read before the kill (and [`INTO_THE_NEXT_BATCH`]).
    seen: (i64, i64),
    /// `(rows, published)` in the database once the process was dead.
    at_kill: (i64, i64),
    /// The deliveries marked published when the process died.
    published_ids: BTreeSet<i64>,
    /// Every change the poller saw: (time since start, rows, published).
    trace: Vec<(Duration, i64, i64)>,
}

/// Starts the first server and SIGKILLs it once the fan-out is seen under way: delivery rows
/// written and at least one batch, but not all, marked published (plus [`INTO_THE_NEXT_BATCH`]).
async fn kill_during_the_fan_out(scenario: &Scenario) -> Kill {
    let mut server = scenario.start_server("first");
    let started = Instant::now();
    let mut trace: Vec<(Duration, i64, i64)> = Vec::new();
    let mut rows_seen_after = None;
    loop {
        let (rows, published, _) = scenario.progress().await;
        let elapsed = started.elapsed();
        if trace.last().is_none_or(|&(_, r, p)| (r, p) != (rows, published)) {
            trace.push((elapsed, rows, published));
        }
        if rows > 0 {
            rows_seen_after.get_or_insert(elapsed);
        }
        let mid_fan_out = rows > 0 && published > 0 && published < RECIPIENTS;
        if mid_fan_out || published >= RECIPIENTS {
            if mid_fan_out {
                sleep(INTO_THE_NEXT_BATCH).await;
            }
            server.sigkill();
            let killed_after = started.elapsed();
            let (rows_at_kill, published_at_kill, _) = scenario.progress().await;
            return Kill {
                rows_seen_after: rows_seen_after.unwrap_or_default(),
                killed_after,
                seen: (rows, published),
                at_kill: (rows_at_kill, published_at_kill),
                published_ids: scenario.published_ids().await,
                trace,
            };
        }
        server.assert_running("fanning out");
        assert!(elapsed < PATIENCE, "no fan-out within {PATIENCE:?}: {trace:?}; the log:\n{}", server.log());
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_to_5000_candidates_killed_midway_resumes_on_restart_with_no_recipient_missing_or_doubled() {
    // Arrange + Act 1: SIGKILL the first server while it fans out; retry with a fresh scenario
    // if the kill landed after the fan-out had already finished.
    let rabbitmq_url =
        std::env::var("RABBITMQ_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
    let mut caught = None;
    for attempt in 1..=ATTEMPTS {
        let scenario = Scenario::prepare(&rabbitmq_url).await;
        let kill = kill_during_the_fan_out(&scenario).await;
        println!(
            "attempt {attempt}: delivery rows seen {:?} after start; killed {:?} after start; \
             seen (rows, published) = {:?}; in the DB after the kill = {:?}; progress trace: {:?}",
            kill.rows_seen_after, kill.killed_after, kill.seen, kill.at_kill, kill.trace
        );
        if kill.at_kill.1 < RECIPIENTS {
            caught = Some((scenario, kill));
            break;
        }
        println!("attempt {attempt}: the fan-out had finished before the kill; trying a fresh scenario");
        scenario.cleanup().await;
    }
    let (scenario, kill) =
        caught.unwrap_or_else(|| panic!("the fan-out finished before the kill in all {ATTEMPTS} attempts"));
    let (rows_at_kill, published_at_kill) = kill.at_kill;
    assert!(
        (0 < published_at_kill && published_at_kill < RECIPIENTS) || rows_at_kill < RECIPIENTS,
        "the kill must land mid fan-out: {rows_at_kill} rows, {published_at_kill} published"
    );

    // Act 2: start again on the same database and let it finish.
    let mut second = scenario.start_server("second");
    let restarted = Instant::now();
    loop {
        let (_, _, pending) = scenario.progress().await;
        let status = scenario.broadcast_status().await;
        if matches!(status.as_str(), "sending" | "completed") && pending == 0 {
            break;
        }
        second.assert_running("resuming the fan-out");
        assert!(
            restarted.elapsed() < PATIENCE,
            "the resumed fan-out did not finish in {PATIENCE:?} (status {status}, {pending} pending); the log:\n{}",
            second.log()
        );
        sleep(Duration::from_millis(10)).await;
    }
    let resumed_in = restarted.elapsed();

    // Assert: the database holds every recipient exactly once, all published.
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, candidate_id, status FROM deliveries WHERE broadcast_id = ? ORDER BY id")
            .bind(scenario.broadcast_id)
            .fetch_all(&scenario.pool)
            .await
            .expect("read the deliveries");
    assert_eq!(rows.len(), 5_000, "exactly one delivery row per recipient");
    let recipients: BTreeSet<i64> = rows.iter().map(|(_, candidate, _)| *candidate).collect();
    assert_eq!(recipients.len(), 5_000, "5,000 distinct candidates");
    assert_eq!(recipients, scenario.candidates, "the recipients are exactly the candidates");
    let unpublished: Vec<_> = rows.iter().filter(|(_, _, status)| status != "published").take(10).collect();
    assert!(unpublished.is_empty(), "deliveries not published after the restart (first 10): {unpublished:?}");

    // Assert: every delivery reached the queue; only those unmarked at the kill may come twice.
    let seen = scenario.drain().await;
    let delivery_ids: BTreeSet<i64> = rows.iter().map(|(id, _, _)| *id).collect();
    let missing: Vec<_> = delivery_ids.iter().filter(|id| !seen.contains_key(id)).take(10).collect();
    assert!(missing.is_empty(), "deliveries never put on the queue (first 10): {missing:?}");
    let strangers: Vec<_> = seen.keys().filter(|id| !delivery_ids.contains(id)).take(10).collect();
    assert!(strangers.is_empty(), "messages naming no delivery of the broadcast: {strangers:?}");
    let republished: Vec<_> =
        kill.published_ids.iter().filter(|id| seen.get(id).copied().unwrap_or_default() != 1).take(10).collect();
    assert!(
        republished.is_empty(),
        "deliveries marked published before the kill must not be published again: {republished:?}"
    );
    let messages: usize = seen.values().sum();
    let duplicates = messages - delivery_ids.len();
    println!(
        "killed at {published_at_kill}/{RECIPIENTS} published; the restart finished the fan-out in {resumed_in:?}; \
         {messages} messages drained, {duplicates} duplicates"
    );
    let unmarked_at_kill = usize::try_from(RECIPIENTS - published_at_kill).expect("a count");
    assert!(duplicates <= unmarked_at_kill, "{duplicates} duplicates, but only {unmarked_at_kill} were unmarked");

    // Assert: the restarted server stops cleanly on SIGTERM.
    second.wait_until_healthy().await;
    second.sigterm();
    let status = second.wait_for_exit(Duration::from_secs(10)).await;
    let log = second.log();
    let status = status.unwrap_or_else(|| panic!("no exit within 10 s of SIGTERM; the log:\n{log}"));
    assert!(status.success(), "exit status {status} after SIGTERM; the log:\n{log}");
    assert!(log.lines().any(|line| line.contains(" INFO ")), "the log is not in the expected text format:\n{log}");
    let errors: Vec<&str> = log.lines().filter(|line| line.contains(" ERROR ")).collect();
    assert!(errors.is_empty(), "the restarted server logged errors: {errors:#?}");
    drop(second);
    scenario.cleanup().await;
}
