//! Prometheus metrics: requests and latency by matched route, plus gauges read from the database
//! at scrape time (outbox lag, deliveries by status) and the event worker's counters.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::state::AppState;

/// Upper bounds (seconds) of the latency histogram buckets.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct RouteStats {
    count: u64,
    sum_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The process's metrics.
#[derive(Default)]
pub struct Metrics {
    /// (method, route, status) -> stats.
    requests: Mutex<BTreeMap<(String, String, u16), RouteStats>>,
    /// Deliveries the event worker published.
    pub published: AtomicU64,
    /// Outbox events the event worker processed.
    pub events_processed: AtomicU64,
    /// Outbox events whose processing failed (retried later).
    pub events_failed: AtomicU64,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let stats = map.entry((method.to_owned(), route.to_owned(), status)).or_default();
        stats.count += 1;
        stats.sum_seconds += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                stats.buckets[i] += 1;
            }
        }
    }

    fn render_requests(&self, out: &mut String) {
        let map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        out.push_str("# HELP http_requests_total HTTP requests by matched route and status.\n");
        out.push_str("# TYPE http_requests_total counter\n");
        for ((method, route, status), s) in map.iter() {
            let _ = writeln!(
                out,
                "http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}",
                s.count
            );
        }
        out.push_str("# HELP http_request_duration_seconds HTTP request latency by matched route.\n");
        out.push_str("# TYPE http_request_duration_seconds histogram\n");
        let mut by_route: BTreeMap<(&str, &str), RouteStats> = BTreeMap::new();
        for ((method, route, _), s) in map.iter() {
            let agg = by_route.entry((method, route)).or_default();
            agg.count += s.count;
            agg.sum_seconds += s.sum_seconds;
            for i in 0..BUCKETS.len() {
                agg.buckets[i] += s.buckets[i];
            }
        }
        for ((method, route), s) in by_route {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ =
                    writeln!(out, "http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}", s.buckets[i]);
            }
            let _ = writeln!(out, "http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "http_request_duration_seconds_sum{{{labels}}} {}", s.sum_seconds);
            let _ = writeln!(out, "http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
    }
}

/// Middleware recording every request under its matched route (unmatched ones as `unmatched`,
/// so random paths cannot grow the label set).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe(&method, &route, response.status().as_u16(), start.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: Prometheus text format.
pub async fn render(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    state.metrics.render_requests(&mut out);
    let now = chrono::Utc::now();
    match core_logic::outbox::lag_seconds(&state.pool, now).await {
        Ok(lag) => {
            out.push_str("# HELP outbox_lag_seconds Age of the oldest due, unprocessed outbox event.\n");
            out.push_str("# TYPE outbox_lag_seconds gauge\n");
            let _ = writeln!(out, "outbox_lag_seconds {lag}");
        }
        Err(err) => tracing::warn!(%err, "metrics: cannot read the outbox lag"),
    }
    let counts: Result<Vec<(String, i64)>, _> =
        sqlx::query_as("SELECT status, COUNT(*) FROM deliveries GROUP BY status").fetch_all(&state.pool).await;
    match counts {
        Ok(rows) => {
            out.push_str("# HELP deliveries Deliveries by status.\n# TYPE deliveries gauge\n");
            let mut all: BTreeMap<String, i64> =
                core_logic::models::DeliveryStatus::ALL.iter().map(|s| (s.as_str().to_owned(), 0)).collect();
            all.extend(rows);
            for (status, n) in all {
                let _ = writeln!(out, "deliveries{{status=\"{status}\"}} {n}");
            }
        }
        Err(err) => tracing::warn!(%err, "metrics: cannot count deliveries"),
    }
    for (name, help, value) in [
        ("event_worker_published_total", "Deliveries published by the event worker.", &state.metrics.published),
        ("event_worker_events_total", "Outbox events processed by the event worker.", &state.metrics.events_processed),
        ("event_worker_failures_total", "Outbox event attempts that failed.", &state.metrics.events_failed),
    ] {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}", value.load(Ordering::Relaxed));
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

/// Serves `/metrics` alone on its own listener (`METRICS_ADDR`) until `stop` turns true.
pub async fn serve_separately(listener: TcpListener, state: AppState, mut stop: watch::Receiver<bool>) {
    let app = Router::new().route("/metrics", get(render)).with_state(state);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "metrics listening (only /metrics)");
    }
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        })
        .await;
    if let Err(err) = served {
        tracing::error!(%err, "the metrics listener failed");
    }
}
