//! The waitlist's timed work: holds that reach their end are expired (and their seats offered
//! to the next), and bookings still unconfirmed at `RECONFIRM_DEADLINE` before the interview are
//! flagged, or released with `RELEASE_UNCONFIRMED`. Both are rows with due times in
//! `core_logic`, so each happens once across restarts; the messages they write go out through
//! the queue like every other notification.

use chrono::{DateTime, Utc};
use core_logic::bookings::{self, Reconfirmation};
use core_logic::config::BookingRules;
use core_logic::waitlist;
use sqlx::SqlitePool;
use tokio::sync::watch;

/// How often the jobs look at the clock.
const TICK: std::time::Duration = std::time::Duration::from_secs(10);

/// The waitlist's jobs and what they need.
#[derive(Clone)]
pub struct WaitlistJobs {
    pub pool: SqlitePool,
    pub rules: BookingRules,
}

impl WaitlistJobs {
    /// One step at `now` (tests pass their own clock): the holds expired, the bookings flagged
    /// or released.
    pub async fn step(&self, now: DateTime<Utc>) -> anyhow::Result<(usize, Reconfirmation)> {
        let expired = waitlist::expire_due(&self.pool, &self.rules, now).await?;
        let reconfirmed = bookings::reconfirm_step(&self.pool, &self.rules, now).await?;
        Ok((expired, reconfirmed))
    }

    /// Runs the steps until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            match self.step(Utc::now()).await {
                Ok((0, r)) if r == Reconfirmation::default() => {}
                Ok((expired, r)) => {
                    tracing::info!(expired, flagged = r.flagged, released = r.released, "waitlist step");
                }
                Err(err) => tracing::error!(error = %format!("{err:#}"), "waitlist step failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}
