//! The team's timed messages: after each interview, "did the candidate come?" to its
//! interviewers; each morning at `AGENDA_TIME`, the day's agenda. Both are written by
//! `core_logic::team` as deliveries (sent by the broadcast worker, within Telegram's limits,
//! with their status recorded), each once across restarts.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use sqlx::SqlitePool;
use tokio::sync::watch;

/// How often the jobs look at the clock.
const TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// The team's jobs and what they need.
#[derive(Clone)]
pub struct TeamJobs {
    pub pool: SqlitePool,
    pub tz: Tz,
    pub agenda_time: NaiveTime,
}

impl TeamJobs {
    /// One step at `now` (tests pass their own clock): the feedback questions and agendas due.
    pub async fn step(&self, now: DateTime<Utc>) -> anyhow::Result<(usize, usize)> {
        let asked = core_logic::team::ask_feedback(&self.pool, now).await?;
        let agendas = core_logic::team::send_agendas(&self.pool, self.tz, self.agenda_time, now).await?;
        Ok((asked, agendas))
    }

    /// Runs the steps until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            match self.step(Utc::now()).await {
                Ok((0, 0)) => {}
                Ok((asked, agendas)) => tracing::info!(asked, agendas, "team messages queued"),
                Err(err) => tracing::error!(error = %format!("{err:#}"), "team step failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(TICK) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}
