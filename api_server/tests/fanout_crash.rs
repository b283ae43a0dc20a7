//! The real `api_server` binary is killed with SIGKILL in the middle of fanning a broadcast out to
//! 5,000 candidates on RabbitMQ, then started again on the same database: the fan-out resumes
//! with no recipient missing and no delivery row twice, every delivery reaches the queue at least
//! once, and the restarted server stops cleanly on SIGTERM.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::Utc;
use core_logic::broadcasts::NewBroadcast;
use core_logic::queue::Queue;
use core_logic::segments::Segment;
use test_support::binaries::Binary;
use test_support::rabbit::TestQueues;
use test_support::seed::SeededDb;
use test_support::service::Service;
use test_support::stack::{QueueBackend, api_env};
use tokio::time::{Instant, sleep};

/// The fan-out size the issue asks for.
const RECIPIENTS: i64 = 5_000;
/// Fresh scenarios to try when the kill lands after the fan-out has already finished.
const ATTEMPTS: u32 = 3;
/// How long a server may take to start and fan out, and the restarted one to finish.
const PATIENCE: Duration = Duration::from_secs(60);
/// How long the queue must stay silent before it counts as drained.
const IDLE: Duration = Duration::from_secs(2);
/// A temporary database holding 5,000 active candidates and one broadcast to all of them (with
/// its outbox event), and a fresh RabbitMQ queue for it.
struct Scenario {
    broadcast_id: i64,
    candidates: BTreeSet<i64>,
    port: u16,
    /// A handle on the test's queue, to drain it.
    queue: Queue,
    // Dropped last: the queues are deleted, the directory removed.
    queues: TestQueues,
    db: SeededDb,
}

impl Scenario {
    async fn prepare() -> Self {
        let queues = TestQueues::claim(&test_support::rabbitmq_url(), "test_fanout_crash").await;
        let queue = queues.connect().await;
        let db = SeededDb::new(RECIPIENTS, 700_000).await;
        let new = NewBroadcast::new("<b>Hello</b> everyone", Segment::All);
        let broadcast =
            core_logic::broadcasts::create(&db.pool, None, &new, Utc::now()).await.expect("create the broadcast");
        let candidates = db.candidate_ids.iter().copied().collect();
        Self { broadcast_id: broadcast.id, candidates, port: test_support::free_port(), queue, queues, db }
    }

    /// `(delivery rows, of which published, of which pending)` of the broadcast now.
    async fn progress(&self) -> (i64, i64, i64) {
        let counts = test_support::inspect::delivery_counts(&self.db.pool, self.broadcast_id).await;
        (counts.values().sum(), counts["published"], counts["pending"])
    }

    async fn published_ids(&self) -> BTreeSet<i64> {
        test_support::inspect::delivery_ids_in(&self.db.pool, self.broadcast_id, &["published"]).await
    }

    /// Starts the real binary on this scenario's database and queue.
    fn start_server(&self, name: &str) -> Service {
        let queue = QueueBackend::RabbitMq { url: self.queues.rabbitmq_url.clone(), queue: self.queues.name.clone() };
        let env = api_env(&self.db.url, self.port, &queue);
        Service::spawn(name, &Binary::ApiServer.path(), self.db.path(), &env)
    }

    /// Receives and acks every message until the queue stays silent for [`IDLE`]; returns how
    /// many times each delivery id arrived.
    async fn drain(&self) -> BTreeMap<i64, usize> {
        let mut seen = BTreeMap::new();
        for id in test_support::queue::drain(&self.queue, IDLE, PATIENCE * 2).await {
            *seen.entry(id).or_default() += 1;
        }
        seen
    }
}

/// What the poller saw when it pulled the trigger, and the database right after the kill.
struct Kill {
    /// Since the server was started: when the delivery rows appeared, and when it was killed.
    rows_seen_after: Duration,
    killed_after: Duration,
    /// `(rows, published, messages on the queue)` as last read before the kill.
    seen: (i64, i64, u32),
    /// `(rows, published)` in the database once the process was dead.
    at_kill: (i64, i64),
    /// The deliveries marked published when the process died.
    published_ids: BTreeSet<i64>,
    /// Every change the poller saw: (time since start, rows, published).
    trace: Vec<(Duration, i64, i64)>,
}

/// Starts the first server and SIGKILLs it once the fan-out is seen under way with a batch in
/// flight: at least one batch, but not all, marked published, and more messages on the queue
/// than deliveries marked published (the broker confirmed messages the database does not mark
/// yet: the case that makes duplicates). Nobody consumes the queue, so its depth is what was
/// published.
async fn kill_during_the_fan_out(scenario: &Scenario) -> Kill {
    let depth = scenario.queues.depth().await;
    let mut server = scenario.start_server("first");
    let started = Instant::now();
    let mut trace: Vec<(Duration, i64, i64)> = Vec::new();
    let mut rows_seen_after = None;
    loop {
        let (rows, published, _) = scenario.progress().await;
        let enqueued = depth.ready().await;
        let elapsed = started.elapsed();
        if trace.last().is_none_or(|&(_, r, p)| (r, p) != (rows, published)) {
            trace.push((elapsed, rows, published));
        }
        if rows > 0 {
            rows_seen_after.get_or_insert(elapsed);
        }
        let batch_in_flight = 0 < published && published < RECIPIENTS && i64::from(enqueued) > published;
        if batch_in_flight || published >= RECIPIENTS {
            server.sigkill();
            let killed_after = started.elapsed();
            let (rows_at_kill, published_at_kill, _) = scenario.progress().await;
            return Kill {
                rows_seen_after: rows_seen_after.unwrap_or_default(),
                killed_after,
                seen: (rows, published, enqueued),
                at_kill: (rows_at_kill, published_at_kill),
                published_ids: scenario.published_ids().await,
                trace,
            };
        }
        server.assert_running("fanning out");
        assert!(elapsed < PATIENCE, "no fan-out within {PATIENCE:?}: {trace:?}\n{}", server.log_tail());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_to_5000_candidates_killed_midway_resumes_on_restart_with_no_recipient_missing_or_doubled() {
    // Arrange + Act 1: SIGKILL the first server while it fans out; retry with a fresh scenario
    // if the kill landed after the fan-out had already finished.
    let mut caught = None;
    for attempt in 1..=ATTEMPTS {
        let scenario = Scenario::prepare().await;
        let kill = kill_during_the_fan_out(&scenario).await;
        println!(
            "attempt {attempt}: delivery rows seen {:?} after start; killed {:?} after start; \
             seen (rows, published, on the queue) = {:?}; in the DB after the kill = {:?}; progress trace: {:?}",
            kill.rows_seen_after, kill.killed_after, kill.seen, kill.at_kill, kill.trace
        );
        if kill.at_kill.1 < RECIPIENTS {
            caught = Some((scenario, kill));
            break;
        }
        println!("attempt {attempt}: the fan-out had finished before the kill; trying a fresh scenario");
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
        let status = test_support::inspect::broadcast_status(&scenario.db.pool, scenario.broadcast_id).await;
        if matches!(status.as_str(), "sending" | "completed") && pending == 0 {
            break;
        }
        second.assert_running("resuming the fan-out");
        assert!(
            restarted.elapsed() < PATIENCE,
            "the resumed fan-out did not finish in {PATIENCE:?} (status {status}, {pending} pending)\n{}",
            second.log_tail()
        );
        sleep(Duration::from_millis(10)).await;
    }
    let resumed_in = restarted.elapsed();

    // Assert: the database holds every recipient exactly once, all published.
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, candidate_id, status FROM deliveries WHERE broadcast_id = ? ORDER BY id")
            .bind(scenario.broadcast_id)
            .fetch_all(&scenario.db.pool)
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
    second.wait_until_healthy(scenario.port).await;
    second.stop_cleanly().await;
}
