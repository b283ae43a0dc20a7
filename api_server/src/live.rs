//! Live updates for open panels: `GET /api/live`, server-sent events.
//!
//! Bookings are made in the bot, another process, so nothing in this one is told of them: a
//! watcher reads a tiny snapshot of the database four times a second
//! ([`core_logic::live::snapshot`]) and tells every open panel what changed. An event carries no
//! data a panel could not already read, only which lists to fetch again: `calendar` (slots,
//! bookings, dashboard), `candidates`, `broadcast` (with its id), `inbox` (conversations and
//! replies' statuses) and `resync` (this panel fell behind: fetch everything). Browsers reconnect by themselves and fetch everything again then.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use core_logic::live::{self, Change, Snapshot};
use futures_util::Stream;
use serde::Serialize;
use sqlx::SqlitePool;
use tokio::sync::{broadcast, watch};

use crate::auth::AnyRole;
use crate::state::AppState;

/// How often the watcher looks.
const WATCH_EVERY: Duration = Duration::from_millis(250);
/// Events kept for a slow panel before it is told to fetch everything.
const BACKLOG: usize = 256;
/// A comment line this often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn router() -> Router<AppState> {
    Router::new().route("/live", get(live))
}

/// What changed, as an open panel hears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveEvent {
    /// Slots or bookings changed (booked or cancelled in the bot or the panel, a slot edited).
    Calendar,
    /// A candidate registered with the bot.
    Candidates,
    /// A broadcast moved on: more deliveries done, or it finished.
    Broadcast { id: i64 },
    /// The inbox changed: a candidate wrote, a recruiter replied or read a conversation, or a
    /// reply's delivery status moved on.
    Inbox,
}

impl LiveEvent {
    fn name(&self) -> &'static str {
        match self {
            Self::Calendar => "calendar",
            Self::Candidates => "candidates",
            Self::Broadcast { .. } => "broadcast",
            Self::Inbox => "inbox",
        }
    }
}

impl From<Change> for LiveEvent {
    fn from(change: Change) -> Self {
        match change {
            Change::Calendar => Self::Calendar,
            Change::Candidates => Self::Candidates,
            Change::Broadcast { id } => Self::Broadcast { id },
            Change::Inbox => Self::Inbox,
        }
    }
}

/// The open panels' hub: the watcher publishes, each `/api/live` stream listens.
pub struct LiveHub {
    events: broadcast::Sender<LiveEvent>,
    stopped: watch::Sender<bool>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self { events: broadcast::channel(BACKLOG).0, stopped: watch::channel(false).0 }
    }
}

impl LiveHub {
    /// Ends every open stream (the server is shutting down: open streams would hold it up).
    pub fn stop(&self) {
        self.stopped.send_replace(true);
    }

    /// Watches the database until the hub is stopped, publishing what changes.
    pub async fn watch(self: Arc<Self>, pool: SqlitePool) {
        let mut stopped = self.stopped.subscribe();
        let mut last: Option<Snapshot> = None;
        let mut failing = false;
        loop {
            match live::snapshot(&pool).await {
                Ok(now) => {
                    if failing {
                        tracing::info!("live updates: the database answers again");
                        failing = false;
                    }
                    if let Some(before) = &last {
                        for change in live::changes(before, &now) {
                            // No listener is not an error: nobody has the panel open.
                            let _ = self.events.send(change.into());
                        }
                    }
                    last = Some(now);
                }
                Err(err) => {
                    if !failing {
                        tracing::warn!(error = %err, "live updates: cannot read the database; retrying");
                        failing = true;
                    }
                }
            }
            tokio::select! {
                () = tokio::time::sleep(WATCH_EVERY) => {}
                _ = stopped.wait_for(|s| *s) => return,
            }
        }
    }

    fn listen(&self) -> impl Stream<Item = Result<Event, Infallible>> + use<> {
        let events = self.events.subscribe();
        let stopped = self.stopped.subscribe();
        futures_util::stream::unfold((events, stopped), |(mut events, mut stopped)| async move {
            let event = tokio::select! {
                got = events.recv() => match got {
                    Ok(event) => Event::default().event(event.name()).json_data(&event).unwrap_or_default(),
                    Err(broadcast::error::RecvError::Lagged(_)) => Event::default().event("resync").data("{}"),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = stopped.wait_for(|s| *s) => return None,
            };
            Some((Ok(event), (events, stopped)))
        })
    }
}

/// Server-sent events telling an open panel what to fetch again (`calendar`, `candidates`,
/// `broadcast`, `inbox`, `resync`; each `data` is a JSON [`LiveEvent`]).
#[utoipa::path(operation_id = "live_events", get, path = "/api/live", tag = "live",
    responses(
        (status = 200, description = "An endless `text/event-stream`", content_type = "text/event-stream", body = LiveEvent),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn live(State(state): State<AppState>, _admin: AnyRole) -> Response {
    let mut response = Sse::new(state.live.listen()).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // nginx and the like buffer responses unless told not to.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}
