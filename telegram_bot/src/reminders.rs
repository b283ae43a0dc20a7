//! The reminder scheduler: claims due reminders (caught up after downtime, skipped once the
//! interview started, never for a cancelled booking) and sends each once. The 24-hour reminder
//! asks "will you come?"; "no" cancels and frees the slot. [`ReminderScheduler::try_execute_next`]
//! is one step at a given time (tests pass their own clock); [`ReminderScheduler::run`] loops.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use core_logic::reminders::{self, DueReminder};
use sqlx::SqlitePool;
use teloxide::prelude::*;
use teloxide::types::{ChatId, ParseMode};
use tokio::sync::watch;

use crate::keyboards;
use crate::sender::{self, Failure, RateLimiter};
use crate::texts::{Lang, fill};

/// How often the scheduler looks for due reminders.
const TICK: Duration = Duration::from_secs(15);

/// The scheduler and what it needs.
#[derive(Clone)]
pub struct ReminderScheduler {
    pub bot: Bot,
    pub pool: SqlitePool,
    pub limiter: Arc<RateLimiter>,
    pub tz: Tz,
    /// With `RELEASE_UNCONFIRMED`: how long before the interview an unanswered booking is
    /// released (`RECONFIRM_DEADLINE`), which the question then says.
    pub release_before: Option<Duration>,
}

/// What one step did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Step {
    pub sent: usize,
    pub failed: usize,
    pub retried: usize,
}

impl ReminderScheduler {
    /// Sends every reminder due at `now`.
    pub async fn try_execute_next(&self, now: DateTime<Utc>) -> anyhow::Result<Step> {
        let mut step = Step::default();
        loop {
            let due = reminders::claim_due(&self.pool, now, 50).await?;
            if due.is_empty() {
                return Ok(step);
            }
            for r in &due {
                match self.send(r).await {
                    Ok(()) => {
                        reminders::mark_sent(&self.pool, r.id, Utc::now()).await?;
                        step.sent += 1;
                    }
                    Err(Failure::Blocked(error)) => {
                        reminders::mark_failed(&self.pool, r.id, &error).await?;
                        core_logic::candidates::mark_unreachable(&self.pool, r.candidate_id).await?;
                        step.failed += 1;
                    }
                    Err(Failure::Permanent(error)) => {
                        reminders::mark_failed(&self.pool, r.id, &error).await?;
                        step.failed += 1;
                    }
                    Err(Failure::Transient(error)) => {
                        // Back to pending: the next tick tries again (until the interview starts).
                        reminders::release(&self.pool, r.id, &error).await?;
                        step.retried += 1;
                    }
                    Err(Failure::RetryAfter(_)) => {
                        reminders::release(&self.pool, r.id, "rate limited").await?;
                        step.retried += 1;
                    }
                }
            }
            if step.retried > 0 {
                return Ok(step);
            }
        }
    }

    async fn send(&self, r: &DueReminder) -> Result<(), Failure> {
        let t = Lang::from_code(&r.language).t();
        let details = t.interview(r.slot_starts_at, self.tz, r.duration_minutes, &r.format, r.location.as_deref());
        let ask = r.offset_minutes >= reminders::ASK_FROM_MINUTES;
        let template = if ask { t.reminder_day } else { t.reminder_soon };
        let mut text = fill(template, &[&details]);
        if ask {
            text.push_str("\n\n");
            text.push_str(t.will_you_come);
            if let Some(before) = self.release_before {
                let by = r.slot_starts_at - core_logic::time::chrono_dur(before);
                text.push('\n');
                text.push_str(&fill(t.answer_by, &[&t.when(by, self.tz)]));
            }
        }
        loop {
            let permit = self.limiter.acquire(r.chat_id).await;
            let mut req = self.bot.send_message(ChatId(r.chat_id), text.clone()).parse_mode(ParseMode::Html);
            if ask {
                req = req.reply_markup(keyboards::will_you_come(t, r.booking_id));
            }
            let answer = req.await;
            drop(permit);
            match answer {
                Ok(_) => return Ok(()),
                Err(err) => match sender::classify(&err) {
                    Failure::RetryAfter(wait) => tokio::time::sleep(wait).await,
                    other => return Err(other),
                },
            }
        }
    }

    /// Runs a step every 15 seconds (the first at once: catch-up after downtime) until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("reminder scheduler started");
        while !*shutdown.borrow() {
            match self.try_execute_next(Utc::now()).await {
                Ok(step) if step != Step::default() => tracing::info!(?step, "reminders processed"),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %format!("{err:#}"), "reminder step failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!("reminder scheduler stopped");
    }
}
