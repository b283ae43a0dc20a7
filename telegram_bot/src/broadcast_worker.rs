//! The broadcast worker: consumes `telegram_broadcast` (either queue backend) and follows the
//! delivery semantics of DESIGN.md: skip final states, claim the delivery under a lease
//! (`sending`), send within the rate limits, record the result, then ack. A second copy of a
//! message whose delivery is leased by another send is acked without sending. 429 waits
//! `retry_after`; 403 "blocked" marks the delivery blocked and the candidate unreachable; other
//! 4xx fail at once; network errors and 5xx retry with backoff, then fail. Notifications from the
//! API side (slot cancelled, booking cancelled by an admin, test sends) travel the same way.
//!
//! Every received message is settled: acked once its delivery is final or leased elsewhere;
//! nacked after a backoff when its claim failed (redelivered); dead-lettered when it cannot be
//! parsed, names no delivery, or failed [`POISON_AFTER`] times for a reason other than a busy
//! database. A result that cannot be written yet is retried in place (the message was sent).
//!
//! [`BroadcastWorker::handle`] processes one message; [`BroadcastWorker::run`] consumes until
//! shutdown, finishing what is in flight, while a heartbeat keeps the leases of sends in
//! progress and a sweeper republishes deliveries whose lease ran out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use chrono_tz::Tz;
use core_logic::deliveries::{self, Claim, DeliveryToSend, Recorded, SendOutcome};
use core_logic::models::{DeliveryKind, DeliveryStatus};
use core_logic::notifications::Notification;
use core_logic::queue::{Queue, QueueMessage, Received};
use sqlx::SqlitePool;
use teloxide::prelude::*;
use teloxide::types::{ChatId, ParseMode};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::sender::{self, Failure, RateLimiter};
use crate::texts::{Lang, fill};

/// Messages handled at once (each waits for its rate-limit slot, so this bounds latency, not rate).
const CONCURRENCY: usize = 32;
/// Failures of one message, for a reason other than a busy database, before it is dead-lettered.
pub const POISON_AFTER: u32 = 5;
/// The longest pause before a failed message is given back or a record retried.
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How often the sweeper looks for deliveries whose lease ran out.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// What handling one queue message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The message could not be parsed, named no delivery, or kept failing: dead-lettered.
    DeadLettered,
    /// The delivery was already final (or its broadcast cancelled): acked without sending.
    Skipped,
    /// Another claim holds the delivery's lease (a second copy of its message): acked without
    /// sending.
    Leased,
    /// The claim failed; the message went back to the queue for another try.
    Requeued,
    /// Sent, blocked or failed: recorded and acked.
    Recorded(DeliveryStatus),
    /// Sent, but the lease ran out meanwhile and another claim took the delivery; acked.
    LeaseLost,
    /// The worker stopped while the result could not be written; the message is left to the
    /// queue, and the delivery to the sweeper once its lease runs out.
    Abandoned,
}

/// The worker and what it needs; cheap to clone (one clone per message in flight).
#[derive(Clone)]
pub struct BroadcastWorker {
    pub bot: Bot,
    pub pool: SqlitePool,
    pub queue: Queue,
    pub limiter: Arc<RateLimiter>,
    pub tz: Tz,
    /// Leases of the sends in progress (token -> sends under it), kept alive by the heartbeat.
    leases: Arc<Mutex<HashMap<String, usize>>>,
    /// Failures per delivery, for the poison rule.
    failures: Arc<Mutex<HashMap<i64, u32>>>,
    /// Turns true when the worker is asked to stop.
    stopping: watch::Receiver<bool>,
}

impl BroadcastWorker {
    pub fn new(bot: Bot, pool: SqlitePool, queue: Queue, limiter: Arc<RateLimiter>, tz: Tz) -> Self {
        Self {
            bot,
            pool,
            queue,
            limiter,
            tz,
            leases: Arc::default(),
            failures: Arc::default(),
            stopping: watch::channel(false).1,
        }
    }

    /// Handles one received message and settles it.
    pub async fn handle(&self, received: Received) -> Outcome {
        let message = match QueueMessage::parse(&received.body) {
            Ok(m) => m,
            Err(err) => {
                tracing::error!(%err, body = %String::from_utf8_lossy(&received.body), "unparsable queue message dead-lettered");
                settle("dead-letter", received.dead_letter(&err.to_string()).await);
                return Outcome::DeadLettered;
            }
        };
        let id = message.delivery_id;
        let claim = match deliveries::claim(&self.pool, id, Utc::now()).await {
            Ok(claim) => claim,
            Err(err) => return self.give_back(received, id, &err).await,
        };
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
        let outcome = match claim {
            Claim::NotFound => {
                // A message for a delivery this database does not have (another deployment's
                // queue?): nothing can ever send it.
                tracing::error!(delivery_id = id, "queue message for an unknown delivery dead-lettered");
                settle("dead-letter", received.dead_letter("unknown delivery").await);
                return Outcome::DeadLettered;
            }
            Claim::Skip(status) => {
                tracing::debug!(delivery_id = id, %status, "delivery already settled; skipped");
                Outcome::Skipped
            }
            Claim::Leased { until } => {
                tracing::info!(delivery_id = id, %until, "delivery is being sent under another lease; this copy is dropped");
                Outcome::Leased
            }
            Claim::Send(delivery) => {
                self.hold(&delivery.lease);
                let outcome = self.send(&delivery).await;
                self.release(&delivery.lease);
                match outcome {
                    Some(Recorded::Done(status)) => Outcome::Recorded(status),
                    Some(Recorded::LeaseLost) => {
                        tracing::warn!(delivery_id = id, "the lease ran out during the send; another claim has it");
                        Outcome::LeaseLost
                    }
                    None => return Outcome::Abandoned,
                }
            }
        };
        settle("ack", received.ack().await);
        outcome
    }

    /// A claim failed: after a backoff, the message goes back to the queue, or to the
    /// dead-letter queue once it has failed [`POISON_AFTER`] times for a reason other than a busy
    /// database (its delivery is then marked failed, so its broadcast can complete).
    async fn give_back(&self, received: Received, id: i64, err: &core_logic::Error) -> Outcome {
        let failures = {
            let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let n = map.entry(id).or_default();
            if !err.is_transient() {
                *n += 1;
            }
            *n
        };
        if failures >= POISON_AFTER {
            tracing::error!(delivery_id = id, error = %err, failures, "a queue message keeps failing; dead-lettered");
            self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
            settle("dead-letter", received.dead_letter(&err.to_string()).await);
            if let Err(err) = deliveries::fail(&self.pool, id, &format!("gave up: {err}"), Utc::now()).await {
                tracing::error!(delivery_id = id, error = %err, "could not mark the dead-lettered delivery failed");
            }
            return Outcome::DeadLettered;
        }
        let pause = backoff(failures.max(1));
        tracing::warn!(delivery_id = id, error = %err, retry_in = ?pause, "could not claim the delivery; requeueing it");
        self.pause(pause).await;
        settle("nack", received.nack().await);
        Outcome::Requeued
    }

    /// Sends one claimed delivery, retrying as the error says, and records the result (retrying
    /// the record in place until it is written). `None` when the worker stopped first.
    async fn send(&self, d: &DeliveryToSend) -> Option<Recorded> {
        let outcome = match render(d, self.tz) {
            Ok(text) => self.deliver(d, text).await,
            Err(err) => SendOutcome::Failed { error: format!("cannot render: {err}") },
        };
        let mut attempt = 0;
        loop {
            match deliveries::record(&self.pool, d.id, &d.lease, &outcome, Utc::now()).await {
                Ok(recorded) => {
                    tracing::debug!(delivery_id = d.id, ?recorded, "delivery recorded");
                    return Some(recorded);
                }
                Err(err) => {
                    attempt += 1;
                    if *self.stopping.borrow() {
                        tracing::error!(delivery_id = d.id, error = %err, "stopping before the result could be recorded; the delivery will be sent again");
                        return None;
                    }
                    tracing::warn!(delivery_id = d.id, error = %err, attempt, "could not record the result; retrying");
                    self.pause(backoff(attempt)).await;
                }
            }
        }
    }

    /// Calls Telegram until the message is sent or fails for good.
    async fn deliver(&self, d: &DeliveryToSend, text: String) -> SendOutcome {
        let mut transient = 0;
        loop {
            let permit = self.limiter.acquire(d.chat_id).await;
            let answer = self.bot.send_message(ChatId(d.chat_id), text.clone()).parse_mode(ParseMode::Html).await;
            // The answer is in: the send's place in the window counts from now.
            drop(permit);
            match answer {
                Ok(sent) => return SendOutcome::Sent { telegram_message_id: i64::from(sent.id.0) },
                Err(err) => match sender::classify(&err) {
                    Failure::RetryAfter(wait) => {
                        tracing::warn!(delivery_id = d.id, ?wait, "Telegram answered 429; waiting retry_after");
                        tokio::time::sleep(wait).await;
                    }
                    Failure::Blocked(error) => return SendOutcome::Blocked { error },
                    Failure::Permanent(error) => return SendOutcome::Failed { error },
                    Failure::Transient(error) => {
                        transient += 1;
                        if transient >= sender::MAX_ATTEMPTS {
                            return SendOutcome::Failed {
                                error: format!("gave up after {transient} attempts: {error}"),
                            };
                        }
                        tracing::warn!(delivery_id = d.id, attempt = transient, %error, "transient send failure; retrying");
                        tokio::time::sleep(sender::backoff(transient)).await;
                    }
                },
            }
        }
    }

    fn hold(&self, lease: &str) {
        *self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner).entry(lease.to_owned()).or_default() +=
            1;
    }

    fn release(&self, lease: &str) {
        let mut leases = self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = leases.get_mut(lease) {
            *n -= 1;
            if *n == 0 {
                leases.remove(lease);
            }
        }
    }

    /// Sleeps `pause`, or less if the worker is asked to stop.
    async fn pause(&self, pause: Duration) {
        let mut stopping = self.stopping.clone();
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = stopping.wait_for(|stop| *stop) => {}
        }
    }

    /// Consumes until `shutdown` turns true. Messages in flight are finished (each within its
    /// retries) before returning; unacked ones are redelivered after a crash.
    pub async fn run(mut self, shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
        self.stopping = shutdown.clone();
        let mut consumer = self.queue.consumer().await.context("start consuming the queue")?;
        tracing::info!(queue = self.queue.backend(), "broadcast worker started");
        let heartbeat = tokio::spawn(self.clone().heartbeat());
        let sweeper = tokio::spawn(self.clone().sweeper());
        let permits = Arc::new(Semaphore::new(CONCURRENCY));
        let mut tasks = JoinSet::new();
        let mut stop = shutdown;
        loop {
            let permit = tokio::select! {
                p = Arc::clone(&permits).acquire_owned() => p.context("semaphore closed")?,
                _ = stop.changed() => break,
            };
            let received = tokio::select! {
                r = consumer.receive() => r,
                _ = stop.changed() => break,
            };
            let received = match received {
                Ok(r) => r,
                Err(err) => {
                    tracing::error!(%err, "queue receive failed; retrying");
                    self.pause(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let worker = self.clone();
            tasks.spawn(async move {
                let _permit = permit;
                worker.handle(received).await;
            });
            while tasks.try_join_next().is_some() {}
        }
        tracing::info!(in_flight = tasks.len(), "broadcast worker stopping; finishing messages in flight");
        while tasks.join_next().await.is_some() {}
        heartbeat.abort();
        sweeper.abort();
        drop(consumer);
        tracing::info!("broadcast worker stopped");
        Ok(())
    }

    /// Extends the leases of the sends in progress, so a slow send (a long `retry_after`, 5xx
    /// retries) keeps its delivery.
    async fn heartbeat(self) {
        loop {
            tokio::time::sleep(deliveries::LEASE_HEARTBEAT).await;
            let tokens: Vec<String> =
                self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner).keys().cloned().collect();
            let until = Utc::now() + core_logic::time::chrono_dur(deliveries::LEASE);
            if let Err(err) = deliveries::extend_leases(&self.pool, &tokens, until).await {
                tracing::warn!(error = %err, "could not extend the leases of sends in progress");
            }
        }
    }

    /// Republishes deliveries whose lease ran out (their sender died), every [`SWEEP_EVERY`].
    async fn sweeper(self) {
        loop {
            match deliveries::sweep_expired(&self.pool, &self.queue, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(republished = n, "swept deliveries with expired leases"),
                Err(err) => tracing::warn!(error = %err, "could not sweep expired leases"),
            }
            tokio::time::sleep(SWEEP_EVERY).await;
        }
    }
}

/// The pause before try `attempt` (1-based): 0.5 s doubling up to [`MAX_BACKOFF`].
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * 2_u64.pow(attempt.saturating_sub(1).min(5))).min(MAX_BACKOFF)
}

/// Logs a settle that did not happen: the queue delivers the message again (the channel closed,
/// or the embedded lease ran out), which the delivery's state makes harmless.
fn settle(what: &str, result: Result<(), core_logic::queue::QueueError>) {
    if let Err(err) = result {
        tracing::warn!(%err, "could not {what} a queue message; it will be delivered again");
    }
}

/// The HTML text of a delivery, in the candidate's language.
pub fn render(d: &DeliveryToSend, tz: Tz) -> anyhow::Result<String> {
    let t = Lang::from_code(&d.language).t();
    match d.kind {
        DeliveryKind::Broadcast => d.text.clone().context("a broadcast delivery without text"),
        DeliveryKind::Test | DeliveryKind::Notification => {
            let json = d.notification.as_deref().context("a notification without content")?;
            Ok(match serde_json::from_str::<Notification>(json)? {
                Notification::TestMessage { text } => text,
                Notification::BookingCancelled { slot_starts_at, reason, .. } => {
                    let mut s = fill(t.admin_cancelled, &[&t.when(slot_starts_at, tz)]);
                    if let Some(reason) = reason {
                        s.push_str(&format!("\n{}: {}", t.reason, crate::texts::escape(&reason)));
                    }
                    s
                }
                Notification::SlotChanged { new_starts_at, format, location, .. } => {
                    // The duration is not part of the notification; show time and place.
                    let mut details = format!(
                        "🗓 <b>{}:</b> {}\n💻 <b>{}:</b> {}",
                        t.when,
                        t.when(new_starts_at, tz),
                        t.format,
                        crate::texts::escape(&format)
                    );
                    if let Some(place) = location {
                        details.push_str(&format!("\n📍 <b>{}:</b> {}", t.place, crate::texts::escape(&place)));
                    }
                    fill(t.slot_changed, &[&details])
                }
            })
        }
    }
}
