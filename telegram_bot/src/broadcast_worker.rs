//! The broadcast worker: consumes `telegram_broadcast` (either queue backend) and follows the
//! delivery semantics of DESIGN.md: skip final states, mark `sending`, send within the rate
//! limits, record the result, then ack. 429 waits `retry_after`; 403 "blocked" marks the delivery
//! blocked and the candidate unreachable; other 4xx fail at once; network errors and 5xx retry
//! with backoff, then fail. Notifications from the API side (slot cancelled, booking cancelled by
//! an admin, test sends) travel the same way. [`BroadcastWorker::handle`] processes one message;
//! [`BroadcastWorker::run`] consumes until shutdown, finishing what is in flight.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use chrono_tz::Tz;
use core_logic::deliveries::{self, Claim, DeliveryToSend, SendOutcome};
use core_logic::models::DeliveryKind;
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

/// What handling one queue message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The message could not be parsed and went to the dead-letter queue.
    DeadLettered,
    /// The delivery was already final (or its broadcast cancelled): acked without sending.
    Skipped,
    /// Sent, blocked or failed: recorded and acked.
    Recorded(core_logic::models::DeliveryStatus),
}

/// The worker and what it needs.
#[derive(Clone)]
pub struct BroadcastWorker {
    pub bot: Bot,
    pub pool: SqlitePool,
    pub queue: Queue,
    pub limiter: Arc<RateLimiter>,
    pub tz: Tz,
}

impl BroadcastWorker {
    /// Handles one received message and settles it (ack, or dead-letter when unparsable).
    pub async fn handle(&self, received: Received) -> anyhow::Result<Outcome> {
        let message = match QueueMessage::parse(&received.body) {
            Ok(m) => m,
            Err(err) => {
                tracing::error!(%err, body = %String::from_utf8_lossy(&received.body), "unparsable queue message dead-lettered");
                received.dead_letter(&err.to_string()).await?;
                return Ok(Outcome::DeadLettered);
            }
        };
        let outcome = match deliveries::claim(&self.pool, message.delivery_id, Utc::now()).await {
            Ok(Claim::Skip(status)) => {
                tracing::debug!(delivery_id = message.delivery_id, %status, "delivery already settled; skipped");
                Outcome::Skipped
            }
            Ok(Claim::Send(delivery)) => Outcome::Recorded(self.send(&delivery).await?),
            Err(core_logic::Error::NotFound { .. }) => {
                // A message for a delivery this database does not have (another deployment's
                // queue?): nothing can ever send it.
                tracing::error!(
                    delivery_id = message.delivery_id,
                    "queue message for an unknown delivery dead-lettered"
                );
                received.dead_letter("unknown delivery").await?;
                return Ok(Outcome::DeadLettered);
            }
            Err(err) => return Err(err).context("claim the delivery"),
        };
        received.ack().await?;
        Ok(outcome)
    }

    /// Sends one claimed delivery, retrying as the error says, and records the result.
    async fn send(&self, d: &DeliveryToSend) -> anyhow::Result<core_logic::models::DeliveryStatus> {
        let text = match render(d, self.tz) {
            Ok(text) => text,
            Err(err) => {
                let outcome = SendOutcome::Failed { error: format!("cannot render: {err}") };
                return Ok(deliveries::record(&self.pool, d.id, &outcome, Utc::now()).await?.status);
            }
        };
        let mut transient = 0;
        let outcome = loop {
            self.limiter.acquire(d.chat_id).await;
            match self.bot.send_message(ChatId(d.chat_id), text.clone()).parse_mode(ParseMode::Html).await {
                Ok(sent) => break SendOutcome::Sent { telegram_message_id: i64::from(sent.id.0) },
                Err(err) => match sender::classify(&err) {
                    Failure::RetryAfter(wait) => {
                        tracing::warn!(delivery_id = d.id, ?wait, "Telegram answered 429; waiting retry_after");
                        tokio::time::sleep(wait).await;
                    }
                    Failure::Blocked(error) => break SendOutcome::Blocked { error },
                    Failure::Permanent(error) => break SendOutcome::Failed { error },
                    Failure::Transient(error) => {
                        transient += 1;
                        if transient >= sender::MAX_ATTEMPTS {
                            break SendOutcome::Failed {
                                error: format!("gave up after {transient} attempts: {error}"),
                            };
                        }
                        tracing::warn!(delivery_id = d.id, attempt = transient, %error, "transient send failure; retrying");
                        tokio::time::sleep(sender::backoff(transient)).await;
                    }
                },
            }
        };
        let recorded = deliveries::record(&self.pool, d.id, &outcome, Utc::now()).await?;
        tracing::debug!(delivery_id = d.id, status = %recorded.status, "delivery recorded");
        Ok(recorded.status)
    }

    /// Consumes until `shutdown` turns true. Messages in flight are finished (each within its
    /// retries) before returning; unacked ones are redelivered after a crash.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
        let mut consumer = self.queue.consumer().await.context("start consuming the queue")?;
        tracing::info!(queue = self.queue.backend(), "broadcast worker started");
        let permits = Arc::new(Semaphore::new(CONCURRENCY));
        let mut tasks = JoinSet::new();
        loop {
            let permit = tokio::select! {
                p = Arc::clone(&permits).acquire_owned() => p.context("semaphore closed")?,
                _ = shutdown.changed() => break,
            };
            let received = tokio::select! {
                r = consumer.receive() => r,
                _ = shutdown.changed() => break,
            };
            let received = match received {
                Ok(r) => r,
                Err(err) => {
                    tracing::error!(%err, "queue receive failed; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            let worker = self.clone();
            tasks.spawn(async move {
                let _permit = permit;
                if let Err(err) = worker.handle(received).await {
                    // Not acked: the queue redelivers it.
                    tracing::error!(error = %format!("{err:#}"), "delivery handling failed");
                }
            });
            while tasks.try_join_next().is_some() {}
        }
        tracing::info!(in_flight = tasks.len(), "broadcast worker stopping; finishing messages in flight");
        while tasks.join_next().await.is_some() {}
        drop(consumer);
        tracing::info!("broadcast worker stopped");
        Ok(())
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
