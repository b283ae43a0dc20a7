//! The state every handler shares.

use std::sync::Arc;

use core_logic::admins::SessionPolicy;
use core_logic::config::Config;
use core_logic::queue::Queue;
use sqlx::SqlitePool;

use crate::login_throttle::LoginThrottle;
use crate::metrics::Metrics;

/// Cloned into every handler; everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    pub config: Arc<Config>,
    pub queue: Queue,
    pub metrics: Arc<Metrics>,
    pub sessions: SessionPolicy,
    pub login_throttle: Arc<LoginThrottle>,
    /// Wakes the event worker when a new event is written.
    pub worker_wakeup: Arc<tokio::sync::Notify>,
    /// Rendered calendar pages, kept while slots and bookings are unchanged.
    pub calendar: Arc<crate::calendar_cache::CalendarCache>,
    /// Tells open panels what changed (`GET /api/live`).
    pub live: Arc<crate::live::LiveHub>,
}
