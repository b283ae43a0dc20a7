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
//!
//! The bookkeeping is group-committed ([`core_logic::batch`]): the claims of the messages
//! handled at the same time share one transaction, and so do their records, each checking its
//! broadcasts' completion once. Each message still goes claim, send, record, ack in that order,
//! so the delivery guarantees are those of one message at a time.

mod leases;
mod render;

pub use render::{Rendered, render};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use chrono_tz::Tz;
use core_logic::batch::{BatchError, Batcher};
use core_logic::broadcast_photos as photos;
use core_logic::deliveries::{self, Claim, DeliveryToSend, Record, Recorded, SendOutcome};
use core_logic::models::DeliveryStatus;
use core_logic::queue::{Queue, QueueMessage, Received};
use sqlx::SqlitePool;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InputFile, Message, ParseMode};
use tokio::sync::{OnceCell, Semaphore, watch};
use tokio::task::JoinSet;

use crate::sender::{self, Failure, RateLimiter};

/// Messages handled at once: a quarter second of the configured rate, between these bounds (the
/// queue's prefetch bounds it too). That is what the rate needs at Telegram's answer time (~100
/// ms; 1,000 paid sends per second need about 100 in flight), and no more, because a message
/// sent but not yet recorded when the bot is killed is sent again: the sends in flight bound the
/// duplicates a crash can cause.
const CONCURRENCY: (usize, usize) = (16, 256);

/// Messages handled at once at `rate` sends per second; see [`CONCURRENCY`].
pub fn concurrency(rate: usize) -> usize {
    (rate / 4).clamp(CONCURRENCY.0, CONCURRENCY.1)
}
/// The most claims or records written in one transaction.
const BATCH: usize = 128;
/// Failures of one message, for a reason other than a busy database, before it is dead-lettered.
pub const POISON_AFTER: u32 = 5;
/// The longest pause before a failed message is given back or a record retried.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

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
    /// Sends are paid broadcasts (`allow_paid_broadcast`).
    paid: bool,
    /// Group commit of claims and of records.
    claims: Batcher<i64, Claim, core_logic::Error>,
    records: Batcher<Record, Recorded, core_logic::Error>,
    /// Leases of the sends in progress (token -> sends under it), kept alive by the heartbeat.
    leases: Arc<Mutex<HashMap<String, usize>>>,
    /// Failures per delivery, for the poison rule.
    failures: Arc<Mutex<HashMap<i64, u32>>>,
    /// Telegram's file id of each broadcast photo, once known: the first send of a photo uploads
    /// its bytes while the other sends of it wait, then every send reuses the id.
    photos: Arc<Mutex<HashMap<i64, Arc<OnceCell<String>>>>>,
    /// Turns true when the worker is asked to stop.
    stopping: watch::Receiver<bool>,
}

impl BroadcastWorker {
    /// A worker; call inside a Tokio runtime (its batching tasks are spawned here).
    pub fn new(bot: Bot, pool: SqlitePool, queue: Queue, limiter: Arc<RateLimiter>, tz: Tz) -> Self {
        let claim_pool = pool.clone();
        let claims = Batcher::spawn(BATCH, isolate, move |ids: Vec<i64>| {
            let pool = claim_pool.clone();
            async move { deliveries::claim_many(&pool, &ids, Utc::now()).await }
        });
        let record_pool = pool.clone();
        let records = Batcher::spawn(BATCH, isolate, move |records: Vec<Record>| {
            let pool = record_pool.clone();
            async move { deliveries::record_many(&pool, &records, Utc::now()).await }
        });
        Self {
            bot,
            pool,
            queue,
            limiter,
            tz,
            paid: false,
            claims,
            records,
            leases: Arc::default(),
            failures: Arc::default(),
            photos: Arc::default(),
            stopping: watch::channel(false).1,
        }
    }

    /// Sends as paid broadcasts (`BROADCAST_PAID`): Telegram accepts up to 1,000 per second
    /// and charges 0.1 Star for each.
    #[must_use]
    pub fn paid(mut self, paid: bool) -> Self {
        self.paid = paid;
        self
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
        let claim = match self.claims.submit(id).await {
            Ok(claim) => claim,
            Err(BatchError::Failed(err)) => return self.give_back(received, id, &err).await,
            Err(BatchError::Stopped) => {
                settle("nack", received.nack().await);
                return Outcome::Requeued;
            }
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
            Ok(message) => self.deliver(d, &message).await,
            Err(err) => SendOutcome::Failed { error: format!("cannot render: {err}") },
        };
        let record = Record { id: d.id, lease: d.lease.clone(), outcome };
        let mut attempt = 0;
        loop {
            match self.records.submit(record.clone()).await {
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
    async fn deliver(&self, d: &DeliveryToSend, message: &Rendered) -> SendOutcome {
        let mut transient = 0;
        loop {
            let permit = self.limiter.acquire(d.chat_id).await;
            let answer = self.send_once(ChatId(d.chat_id), message).await;
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

    /// One call to Telegram: the text as a message, or as the caption of the calendar file or of
    /// the broadcast's photo.
    async fn send_once(&self, chat: ChatId, message: &Rendered) -> Result<Message, teloxide::RequestError> {
        if let Some(photo) = message.photo {
            return self.send_photo(chat, photo, message).await;
        }
        match &message.calendar {
            None => {
                let mut request = self
                    .bot
                    .send_message(chat, message.text.clone())
                    .parse_mode(ParseMode::Html)
                    .allow_paid_broadcast(self.paid);
                if let Some(keyboard) = &message.keyboard {
                    request = request.reply_markup(keyboard.clone());
                }
                request.await
            }
            Some(ics) => {
                let file = InputFile::memory(ics.clone().into_bytes()).file_name("interview.ics");
                let mut request = self
                    .bot
                    .send_document(chat, file)
                    .caption(message.text.clone())
                    .parse_mode(ParseMode::Html)
                    .allow_paid_broadcast(self.paid);
                if let Some(keyboard) = &message.keyboard {
                    request = request.reply_markup(keyboard.clone());
                }
                request.await
            }
        }
    }

    /// Sends the broadcast's photo with the text as its caption. The photo's first send (in this
    /// process, unless an earlier one stored Telegram's file id) uploads the bytes and stores
    /// the file id Telegram answers; the sends of the same photo meanwhile wait for it, and every
    /// later send reuses the id. An upload that fails (a blocked chat...) leaves the next send to
    /// upload.
    async fn send_photo(
        &self,
        chat: ChatId,
        photo: i64,
        message: &Rendered,
    ) -> Result<Message, teloxide::RequestError> {
        let cell = {
            let mut photos = self.photos.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(photos.entry(photo).or_default())
        };
        let mut uploaded = None;
        let file_id = cell
            .get_or_try_init(|| async {
                if let Some(file_id) = photos::telegram_file_id(&self.pool, photo).await.map_err(database)? {
                    return Ok::<_, teloxide::RequestError>(file_id);
                }
                let stored = photos::get(&self.pool, photo).await.map_err(database)?;
                let file = InputFile::memory(stored.bytes).file_name(photo_file_name(&stored.content_type));
                let sent = self.photo_request(chat, file, message).await?;
                let file_id = sent
                    .photo()
                    .and_then(|sizes| sizes.iter().max_by_key(|size| size.width * size.height))
                    .map(|size| size.file.id.to_string())
                    .ok_or_else(|| database(anyhow::anyhow!("Telegram answered a photo without a file id")))?;
                if let Err(err) = photos::set_telegram_file_id(&self.pool, photo, &file_id).await {
                    // Kept in memory all the same; a later process uploads once more.
                    tracing::warn!(photo, error = %err, "could not store the photo's Telegram file id");
                }
                uploaded = Some(sent);
                Ok(file_id)
            })
            .await?;
        match uploaded {
            Some(sent) => Ok(sent),
            None => self.photo_request(chat, InputFile::file_id(file_id.clone().into()), message).await,
        }
    }

    async fn photo_request(
        &self,
        chat: ChatId,
        file: InputFile,
        message: &Rendered,
    ) -> Result<Message, teloxide::RequestError> {
        let mut request = self
            .bot
            .send_photo(chat, file)
            .caption(message.text.clone())
            .parse_mode(ParseMode::Html)
            .allow_paid_broadcast(self.paid);
        if let Some(keyboard) = &message.keyboard {
            request = request.reply_markup(keyboard.clone());
        }
        request.await
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
        let permits = Arc::new(Semaphore::new(concurrency(self.limiter.rate())));
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
}

/// A database failure while preparing a photo send, as a transient send failure: retried with
/// backoff, then the delivery fails.
fn database(err: impl std::fmt::Display) -> teloxide::RequestError {
    teloxide::RequestError::Io(Arc::new(std::io::Error::other(format!("the photo could not be read: {err}"))))
}

/// A file name for an upload, so Telegram knows the image's type.
fn photo_file_name(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "photo.png",
        "image/webp" => "photo.webp",
        _ => "photo.jpg",
    }
}

/// A failed batch is run again message by message unless the database was only busy.
fn isolate(err: &core_logic::Error) -> bool {
    !err.is_transient()
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
