//! The event worker: reads due outbox events and turns them into queue messages. A
//! `BroadcastCreated` resolves the recipients, writes one delivery per recipient (unique per
//! broadcast and candidate), publishes each with a broker confirm and marks it published; a
//! `DeliveryCreated` (a notification or a test send) publishes its one delivery. Every step is
//! idempotent, so a crash anywhere resumes on restart with no recipient missing and no delivery
//! row twice. [`EventWorker::try_execute_next`] is one step; [`EventWorker::run`] loops over it.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use core_logic::models::BroadcastStatus;
use core_logic::outbox::{self, Event};
use core_logic::queue::{Queue, QueueMessage};
use core_logic::{broadcasts, deliveries};
use sqlx::SqlitePool;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::metrics::Metrics;

/// Pending deliveries read per round trip.
const BATCH: i64 = 500;
/// Publishes awaiting their confirm at once.
const IN_FLIGHT: usize = 64;
/// Confirmed publishes marked `published` per write: after a crash, at most these (and the
/// publishes in flight) are published again.
const MARK_EVERY: usize = 64;
/// How soon an event whose publish failed (the broker is down) is tried again: a broker outage
/// only pauses the fan-out, and it resumes within about a second of the broker's return.
const QUEUE_RETRY: chrono::Duration = chrono::Duration::seconds(1);
/// How often the worker looks for due events when nobody wakes it (scheduled broadcasts).
const POLL: Duration = Duration::from_millis(500);

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No event is due.
    Idle,
    /// An event was processed; `published` deliveries went onto the queue.
    Processed { event_id: i64, published: u64 },
    /// The event failed and will be retried after a backoff.
    Failed { event_id: i64 },
}

/// The worker and what it needs.
#[derive(Clone)]
pub struct EventWorker {
    pub pool: SqlitePool,
    pub queue: Queue,
    pub tz: Tz,
    pub metrics: Arc<Metrics>,
}

impl EventWorker {
    /// Processes the oldest due event, if any.
    pub async fn try_execute_next(&self, now: DateTime<Utc>) -> anyhow::Result<Outcome> {
        let Some(event) = outbox::next_due(&self.pool, now).await.context("read the outbox")? else {
            return Ok(Outcome::Idle);
        };
        let result = match event.event() {
            Ok(Event::BroadcastCreated { broadcast_id }) => self.fan_out(broadcast_id).await,
            Ok(Event::DeliveryCreated { delivery_id }) => self.publish(&[delivery_id]).await,
            Err(err) => {
                // An event this version cannot read would block the outbox forever: log it loudly
                // and set it aside.
                tracing::error!(event_id = event.id, kind = %event.kind, %err, "unreadable outbox event skipped");
                Ok(0)
            }
        };
        match result {
            Ok(published) => {
                outbox::mark_processed(&self.pool, event.id, Utc::now()).await.context("mark the event processed")?;
                self.metrics.events_processed.fetch_add(1, Ordering::Relaxed);
                tracing::info!(event_id = event.id, kind = %event.kind, published, "outbox event processed");
                Ok(Outcome::Processed { event_id: event.id, published })
            }
            Err(err) => {
                let backoff = if err.downcast_ref::<core_logic::queue::QueueError>().is_some() {
                    QUEUE_RETRY
                } else {
                    chrono::Duration::seconds(2_i64.saturating_pow(event.attempts.clamp(0, 8) as u32))
                };
                tracing::warn!(event_id = event.id, kind = %event.kind, error = %format!("{err:#}"), retry_in = %backoff, "outbox event failed");
                outbox::record_failure(&self.pool, event.id, &format!("{err:#}"), Utc::now() + backoff)
                    .await
                    .context("record the failure")?;
                self.metrics.events_failed.fetch_add(1, Ordering::Relaxed);
                Ok(Outcome::Failed { event_id: event.id })
            }
        }
    }

    /// Writes the broadcast's deliveries (skipping those an interrupted run wrote) and publishes
    /// every one still pending, batch by batch, stopping if the broadcast is cancelled meanwhile.
    async fn fan_out(&self, broadcast_id: i64) -> anyhow::Result<u64> {
        if !broadcasts::write_deliveries(&self.pool, broadcast_id, self.tz, Utc::now()).await? {
            return Ok(0);
        }
        let mut published = 0;
        let mut after = 0;
        loop {
            let ids = deliveries::pending_ids(&self.pool, broadcast_id, after, BATCH).await?;
            let Some(last) = ids.last() else { break };
            after = *last;
            published += self.publish(&ids).await?;
            if broadcasts::get(&self.pool, broadcast_id).await?.status == BroadcastStatus::Cancelled {
                tracing::info!(broadcast_id, "broadcast cancelled during its fan-out");
                return Ok(published);
            }
        }
        broadcasts::finish_fan_out(&self.pool, broadcast_id, Utc::now()).await?;
        Ok(published)
    }

    /// Publishes deliveries (each confirmed by the broker), marking them published every
    /// [`MARK_EVERY`] confirms. On a failure no new publish starts; those under way finish and
    /// what was confirmed is marked before the error is returned; the rest stay pending and are
    /// published again on the next try. Publishes run as tasks, so they go on while a mark waits
    /// for the database (the embedded queue publishes through the same pool).
    async fn publish(&self, ids: &[i64]) -> anyhow::Result<u64> {
        let mut pending = ids.iter().copied();
        let mut publishing = JoinSet::new();
        let mut confirmed = Vec::with_capacity(MARK_EVERY);
        let mut published = 0;
        let mut failure: Option<anyhow::Error> = None;
        loop {
            while failure.is_none() && publishing.len() < IN_FLIGHT {
                let Some(id) = pending.next() else { break };
                let queue = self.queue.clone();
                publishing.spawn(async move { queue.publish_message(&QueueMessage::new(id)).await.map(|()| id) });
            }
            let Some(done) = publishing.join_next().await else { break };
            match done {
                Ok(Ok(id)) => confirmed.push(id),
                Ok(Err(err)) => {
                    failure.get_or_insert(anyhow::Error::new(err).context("publish a delivery"));
                }
                Err(err) => {
                    failure.get_or_insert(anyhow::Error::new(err).context("a publish task failed"));
                }
            }
            if confirmed.len() >= MARK_EVERY {
                published += self.mark(&mut confirmed).await?;
            }
        }
        published += self.mark(&mut confirmed).await?;
        match failure {
            Some(err) => Err(err),
            None => Ok(published),
        }
    }

    /// Marks `confirmed` published and empties it.
    async fn mark(&self, confirmed: &mut Vec<i64>) -> anyhow::Result<u64> {
        if confirmed.is_empty() {
            return Ok(0);
        }
        deliveries::mark_published(&self.pool, confirmed, Utc::now()).await?;
        let n = confirmed.len() as u64;
        self.metrics.published.fetch_add(n, Ordering::Relaxed);
        confirmed.clear();
        Ok(n)
    }

    /// Runs steps until `shutdown` turns true; a step under way is finished first. Woken at once
    /// by `wakeup` (a new broadcast), else every half second.
    pub async fn run(self, wakeup: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(queue = self.queue.backend(), "event worker started");
        let mut failures = 0u32;
        while !*shutdown.borrow() {
            match self.try_execute_next(Utc::now()).await {
                Ok(Outcome::Processed { .. }) => {
                    failures = 0;
                    continue;
                }
                Ok(Outcome::Failed { .. } | Outcome::Idle) => failures = 0,
                Err(err) => {
                    failures += 1;
                    tracing::error!(error = %format!("{err:#}"), "event worker step failed");
                }
            }
            let pause = if failures == 0 { POLL } else { POLL * 2_u32.pow(failures.min(5)) };
            tokio::select! {
                () = wakeup.notified() => {}
                () = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!("event worker stopped");
    }
}
