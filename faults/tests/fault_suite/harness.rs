//! What every scenario shares: the system on a seeded database with the private broker or the
//! embedded queue ([`Run`]), the kills that record the deliveries in flight, and the verdict
//! ([`Run::finish`]): the one report line, then a failure naming every broken promise at once
//! (a loss, a wrong final status, a broadcast not finished, duplicates beyond the bound,
//! messages left on the queue).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use test_support::inspect::{self, FINAL_STATUSES};
use test_support::rabbit::{PrivateBroker, QueueDepth, TestQueues};
use test_support::sends::Reach;
use test_support::stack::{QueueBackend, Stack, StackOptions};
use tokio::time::{Instant, sleep};

use super::report::Report;

/// The broadcast's text.
pub const TEXT: &str = "<b>Fault suite</b>: новые слоты";
/// The embedded queue's name (`QUEUE_NAME` unset).
const EMBEDDED_QUEUE: &str = "telegram_broadcast";
/// How long the queue may take to empty once the broadcast is finished (acks of the last
/// messages, redelivered copies skipped).
const DRAIN: Duration = Duration::from_secs(10);

/// Scenarios share one broker node that some of them stop: they must not overlap, whatever
/// `--test-threads` says.
pub fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The suite's broker, running (a scenario before may have stopped it and failed).
pub async fn broker() -> &'static PrivateBroker {
    let broker = PrivateBroker::shared().await;
    broker.start().await;
    broker
}

/// What a scenario sets up.
pub struct Setup {
    pub candidates: i64,
    /// The bot's `BROADCAST_RATE_PER_SEC`.
    pub rate_per_sec: u32,
    /// On the private broker, else the embedded queue.
    pub rabbitmq: bool,
    /// Candidate `i`'s chat answers 403 "blocked" when this says so...
    pub blocked: fn(i64) -> bool,
    /// ...or 400 "chat not found".
    pub not_found: fn(i64) -> bool,
}

impl Setup {
    /// `candidates` reachable candidates on the private broker, the bot sending at `rate_per_sec`.
    pub fn rabbitmq(candidates: i64, rate_per_sec: u32) -> Self {
        Self { candidates, rate_per_sec, rabbitmq: true, blocked: |_| false, not_found: |_| false }
    }

    /// The same on the embedded queue.
    pub fn embedded(candidates: i64, rate_per_sec: u32) -> Self {
        Self { rabbitmq: false, ..Self::rabbitmq(candidates, rate_per_sec) }
    }
}

/// A scenario under way.
pub struct Run {
    // First: the services die before their queue and directory go.
    pub stack: Stack,
    pub name: &'static str,
    pub started: Instant,
    /// Candidates the broadcast goes to.
    pub recipients: i64,
    pub broker: Option<&'static PrivateBroker>,
    pub queues: Option<TestQueues>,
    /// The recipients by fate: chat ids.
    pub reachable: BTreeSet<i64>,
    pub blocked: BTreeSet<i64>,
    pub not_found: BTreeSet<i64>,
    /// Deliveries `sending` after each SIGKILL of the bot (read once it was reaped).
    pub in_flight_at_kills: Vec<i64>,
    /// [`Run::finish`] gives up when no delivery became final for this long.
    pub stall: Duration,
    pub time_to_resume: Option<Duration>,
    /// Broken promises found along the way.
    pub problems: Vec<String>,
    /// More to print under the report line.
    pub details: Vec<String>,
    pub broadcast_id: i64,
}

impl Run {
    /// Starts the system as `setup` says; the broadcast is not created yet.
    pub async fn start(name: &'static str, setup: Setup) -> Self {
        let started = Instant::now();
        let (broker, queues, queue) = if setup.rabbitmq {
            let broker = broker().await;
            let queues = TestQueues::claim(&broker.url(), "faults").await;
            let queue = QueueBackend::RabbitMq { url: broker.url(), queue: queues.name.clone() };
            (Some(broker), Some(queues), queue)
        } else {
            (None, None, QueueBackend::Embedded)
        };
        let first_chat = 9_000_000;
        let stack = Stack::start(StackOptions {
            candidates: setup.candidates,
            first_chat,
            queue,
            rate_per_sec: setup.rate_per_sec,
            bot_env: Vec::new(),
        })
        .await;
        let (mut reachable, mut blocked, mut not_found) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for i in 0..setup.candidates {
            let chat = first_chat + i;
            if (setup.blocked)(i) {
                stack.fake.block_chat(chat);
                blocked.insert(chat);
            } else if (setup.not_found)(i) {
                stack.fake.chat_not_found(chat);
                not_found.insert(chat);
            } else {
                reachable.insert(chat);
            }
        }
        Self {
            name,
            started,
            recipients: setup.candidates,
            broker,
            queues,
            reachable,
            blocked,
            not_found,
            in_flight_at_kills: Vec::new(),
            stall: Duration::from_secs(3600),
            time_to_resume: None,
            problems: Vec::new(),
            details: Vec::new(),
            broadcast_id: 0,
            stack,
        }
    }

    /// Creates the broadcast to everyone through the API.
    pub async fn broadcast(&mut self) {
        self.broadcast_id = self.stack.admin.create_broadcast(TEXT).await;
    }

    /// The deliveries counted by status.
    pub async fn counts(&self) -> BTreeMap<String, i64> {
        self.stack.counts(self.broadcast_id).await
    }

    /// Waits until `n` deliveries are sent (the scenario's cue to strike).
    pub async fn wait_for_sent(&mut self, n: i64, limit: Duration) {
        if let Err(state) = self.stack.wait_for_sent(self.broadcast_id, n, limit).await {
            panic!("{}: {state}", self.name);
        }
    }

    /// SIGKILLs the bot, records the deliveries it left `sending` (read once it is reaped: the
    /// exact set whose message may have reached Telegram unrecorded), and starts it again.
    pub async fn kill_and_restart_bot(&mut self) {
        self.stack.bot.sigkill();
        let counts = self.counts().await;
        let in_flight = counts["sending"];
        self.in_flight_at_kills.push(in_flight);
        let settled: i64 = FINAL_STATUSES.iter().map(|s| counts[*s]).sum();
        self.details.push(format!(
            "bot killed {:.1?} in, {} sent, {in_flight} in flight",
            self.started.elapsed(),
            counts["sent"]
        ));
        if settled >= self.recipients {
            self.problems.push(format!("a kill came after every delivery was final: it tested nothing ({counts:?})"));
        }
        self.stack.restart_bot().await;
    }

    /// With no bot consuming (so the queue's depth is what was published), waits for a batch of
    /// the fan-out just begun: some deliveries marked published and 1 to 16 messages of the next
    /// batch on the queue unmarked. Returns at once so the caller can strike there.
    pub async fn wait_for_a_batch_just_begun(&mut self, depth: &QueueDepth) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let marked = self.counts().await["published"];
            let unmarked_on_the_queue = i64::from(depth.ready().await) - marked;
            if marked > 0 && marked < self.recipients && (1..=16).contains(&unmarked_on_the_queue) {
                return;
            }
            self.stack.api.assert_running("fanning out");
            assert!(
                marked < self.recipients && Instant::now() < deadline,
                "{}: no batch seen just begun before the fan-out ended ({marked} marked)",
                self.name
            );
        }
    }

    /// How many deliveries are marked published, and how many more messages are on the queue
    /// (the copies a republished batch will add).
    pub async fn marked_and_unmarked(&self, depth: &QueueDepth) -> (i64, i64) {
        let marked = self.counts().await["published"];
        (marked, i64::from(depth.ready().await) - marked)
    }

    /// Starts `n` more bot instances beside the stack's (a scaled-out bot): they consume the
    /// same queue, so more messages are in flight at once. Killed when dropped.
    pub async fn more_bots(&mut self, n: u32) -> Vec<test_support::service::Service> {
        let mut bots = Vec::new();
        for i in 0..n {
            let mut bot = self.stack.bot.respawn(&format!("telegram_bot.instance{}", i + 2));
            bot.wait_until_polling(&self.stack.fake, 0).await;
            bots.push(bot);
        }
        bots
    }

    /// The bound on duplicates: what was in flight at the kills.
    pub fn in_flight(&self) -> i64 {
        self.in_flight_at_kills.iter().sum()
    }

    /// Waits for the broadcast to end `status` within `limit`, checks everything, prints the
    /// report line and fails listing every problem. Duplicates may not exceed `allowed`.
    pub async fn finish(mut self, status: &str, limit: Duration, allowed: i64) {
        let ended = self.wait_for_end(status, limit).await;
        if let Err(state) = &ended {
            self.problems.push(state.clone());
        }
        self.check_deliveries(status).await;
        // A broadcast that did not end leaves its messages on the queue anyway: look once.
        self.check_queue_drained(if ended.is_ok() { DRAIN } else { Duration::ZERO }).await;
        let reach = Reach::of(&self.stack.fake, TEXT, &self.reachable);
        let not_final: BTreeSet<i64> = inspect::deliveries(&self.stack.db.pool, self.broadcast_id)
            .await
            .into_iter()
            .filter(|(_, _, status)| !FINAL_STATUSES.contains(&status.as_str()))
            .map(|(_, chat, _)| chat)
            .collect();
        let lost =
            if status == "cancelled" { not_final.clone() } else { reach.missing.union(&not_final).copied().collect() };
        if !lost.is_empty() {
            let first: Vec<_> = lost.iter().take(10).collect();
            self.problems.push(format!(
                "{} lost (first 10 chats: {first:?}): {} never sent to, {} deliveries not final",
                lost.len(),
                if status == "cancelled" { 0 } else { reach.missing.len() },
                not_final.len()
            ));
        }
        if !reach.strangers.is_empty() {
            self.problems.push(format!("{} chats got a message they should not have", reach.strangers.len()));
        }
        let duplicates = i64::try_from(reach.duplicates).unwrap_or(i64::MAX);
        if duplicates > allowed {
            let twice = reach.chats_twice();
            self.problems.push(format!(
                "{duplicates} duplicates, {allowed} allowed (chats {:?}{})",
                &twice[..twice.len().min(10)],
                if twice.len() > 10 { ", ..." } else { "" }
            ));
        }
        let sent = reach.per_chat.len();
        let counts = self.counts().await;
        self.details.push(format!("counts {counts:?}; duplicates allowed {allowed}"));
        let report = Report {
            recipients: Some(self.recipients),
            sent: Some(sent as i64),
            lost: Some(lost.len() as i64),
            duplicates: Some(duplicates),
            in_flight_at_kill: (!self.in_flight_at_kills.is_empty()).then(|| self.in_flight()),
            time_to_resume: self.time_to_resume,
        };
        report.print_and_judge(self.name, self.started, &self.details, &self.problems);
    }

    /// Waits until the broadcast is `status` with every delivery final, within `limit`; gives
    /// up early when a service died or no delivery became final for [`Run::stall`].
    async fn wait_for_end(&mut self, status: &str, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        let (mut settled_before, mut moved_at) = (-1, Instant::now());
        loop {
            let now = inspect::broadcast_status(&self.stack.db.pool, self.broadcast_id).await;
            let counts = self.counts().await;
            let unsettled: i64 = ["pending", "published", "sending"].iter().map(|s| counts[*s]).sum();
            if now == status && unsettled == 0 {
                return Ok(());
            }
            let state = format!("the broadcast is {now}, not {status}: {counts:?}");
            for service in [&mut self.stack.api, &mut self.stack.bot] {
                if let Some(exit) = service.exited() {
                    return Err(format!("{state}; {} exited ({exit})\n{}", service.name, service.log_tail()));
                }
            }
            let settled: i64 = FINAL_STATUSES.iter().map(|s| counts[*s]).sum();
            if settled != settled_before {
                (settled_before, moved_at) = (settled, Instant::now());
            } else if moved_at.elapsed() >= self.stall {
                return Err(format!("{state}; no delivery became final for {:?}", self.stall));
            }
            if Instant::now() >= deadline {
                return Err(format!("{state} after {limit:?}"));
            }
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Every delivery ends in the final status its chat's fate says (or, for a cancelled
    /// broadcast, sent or cancelled).
    async fn check_deliveries(&mut self, status: &str) {
        let mut wrong = Vec::new();
        for (id, chat, got) in inspect::deliveries(&self.stack.db.pool, self.broadcast_id).await {
            let expected: &[&str] = if status == "cancelled" {
                &["sent", "cancelled"]
            } else if self.blocked.contains(&chat) {
                &["blocked"]
            } else if self.not_found.contains(&chat) {
                &["failed"]
            } else {
                &["sent"]
            };
            if !expected.contains(&got.as_str()) {
                wrong.push(format!("delivery {id} (chat {chat}) is {got}, expected {}", expected.join(" or ")));
            }
        }
        if !wrong.is_empty() {
            self.problems.push(format!(
                "{} deliveries in a wrong status: {:?}",
                wrong.len(),
                &wrong[..wrong.len().min(5)]
            ));
        }
    }

    /// Nothing is left on the queue: no message ready, none delivered and unacked.
    async fn check_queue_drained(&mut self, patience: Duration) {
        let deadline = Instant::now() + patience;
        let left = loop {
            let left = match (self.broker, &self.queues) {
                (Some(broker), Some(queues)) => match broker.queue_counts(&queues.name).await {
                    Some(counts) => (counts.ready, counts.unacked),
                    None => (0, 0),
                },
                _ => {
                    let left = inspect::embedded_queue_len(&self.stack.db.pool, EMBEDDED_QUEUE).await;
                    (u64::try_from(left).unwrap_or_default(), 0)
                }
            };
            if left == (0, 0) || Instant::now() >= deadline {
                break left;
            }
            sleep(Duration::from_millis(500)).await;
        };
        self.details.push(format!("left on the queue: {} ready, {} unacked", left.0, left.1));
        if left != (0, 0) {
            self.problems.push(format!(
                "messages left on the queue {patience:?} after the end: {} ready, {} unacked (never settled)",
                left.0, left.1
            ));
        }
    }
}
