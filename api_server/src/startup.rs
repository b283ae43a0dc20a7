//! Building and running the server: `Application::build` opens the database, applies the
//! migrations, creates the first admin, connects the queue and binds the socket (port 0 in
//! tests); `run_until_stopped` serves the API and runs the event worker until the shutdown
//! signal, then stops accepting, finishes requests and stops the worker cleanly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::routing::get;
use chrono::Utc;
use core_logic::admins::SessionPolicy;
use core_logic::config::Config;
use core_logic::queue::Queue;
use futures_util::future::OptionFuture;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::event_worker::EventWorker;
use crate::login_throttle::{LoginThrottle, ThrottlePolicy};
use crate::metrics::Metrics;
use crate::security_headers;
use crate::state::AppState;

/// The largest request body accepted (a broadcast is at most a few KiB).
const BODY_LIMIT: usize = 256 * 1024;

/// A built, bound, not yet running server.
pub struct Application {
    listener: TcpListener,
    /// `/metrics` alone, when `METRICS_ADDR` is set.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    panel_dir: PathBuf,
}

impl Application {
    /// Opens everything and binds `config.api_addr`.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let pool = core_logic::db::connect_and_migrate(&config.database_url, 16)
            .await
            .with_context(|| format!("cannot open the database {}", config.database_url))?;
        if let (Some(user), Some(password)) = (&config.admin_username, &config.admin_password)
            && let Some(admin) = core_logic::admins::ensure_first(&pool, user, password, Utc::now()).await?
        {
            tracing::info!(admin = %admin.username, "first admin created from ADMIN_USERNAME");
        }
        // RabbitMQ is connected in the background: the API serves (and /readyz answers 503)
        // while the broker is still coming up.
        let queue = Queue::from_config(&config, &pool);
        tokio::spawn({
            let queue = queue.clone();
            async move { queue.wait_until_connected().await }
        });
        let listener = TcpListener::bind(config.api_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.api_addr))?;
        let metrics_listener = match config.metrics_addr {
            Some(addr) => Some(TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?),
            None => None,
        };
        let state = AppState {
            pool,
            config: Arc::new(config),
            queue,
            metrics: Arc::new(Metrics::default()),
            sessions: SessionPolicy::default(),
            login_throttle: Arc::new(LoginThrottle::new(ThrottlePolicy::default())),
            worker_wakeup: Arc::new(Notify::new()),
            calendar: Arc::default(),
            live: Arc::default(),
        };
        let panel_dir = state.config.panel_dir.clone();
        Ok(Self { listener, metrics_listener, state, panel_dir })
    }

    /// The bound address (the real port when built with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The shared state (tests reach the pool and the queue through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then shuts down gracefully.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = EventWorker {
            pool: self.state.pool.clone(),
            queue: self.state.queue.clone(),
            tz: self.state.config.timezone,
            metrics: Arc::clone(&self.state.metrics),
        };
        let addr = self.local_addr();
        let state = self.state.clone();
        let metrics = self
            .metrics_listener
            .map(|listener| tokio::spawn(crate::metrics::serve_separately(listener, state, stop_rx.clone())));
        let worker = tokio::spawn(worker.run(Arc::clone(&self.state.worker_wakeup), stop_rx));
        let live = Arc::clone(&self.state.live);
        let watcher = tokio::spawn(Arc::clone(&live).watch(self.state.pool.clone()));
        let app = router(self.state.clone(), &self.panel_dir, metrics.is_some());
        tracing::info!(%addr, queue = self.state.queue.backend(), "api_server listening");
        let served = axum::serve(self.listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = stop_tx.send(true);
                // Open event streams never end by themselves: the graceful shutdown waits for them.
                live.stop();
            })
            .await;
        if let Some(Err(err)) = OptionFuture::from(metrics).await {
            tracing::error!(%err, "the metrics listener task ended abnormally");
        }
        if let Err(err) = worker.await {
            tracing::error!(%err, "event worker task ended abnormally");
        }
        if let Err(err) = watcher.await {
            tracing::error!(%err, "live updates task ended abnormally");
        }
        self.state.pool.close().await;
        served.context("the server failed")?;
        tracing::info!("api_server stopped cleanly");
        Ok(())
    }
}

/// The whole HTTP surface; `/metrics` answers 404 here when it has its own listener.
pub fn router(state: AppState, panel_dir: &std::path::Path, metrics_elsewhere: bool) -> Router {
    let api =
        crate::routes::router().fallback(|| async { ApiError::not_found("route") }).layer(security_headers::no_store());
    let docs = Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", crate::openapi::ApiDoc::openapi()))
        .layer(security_headers::docs_policy())
        .layer(security_headers::no_store());
    let [frame, sniff, referrer] = security_headers::browser_headers();
    let index = panel_dir.join("index.html");
    let panel = if index.exists() {
        // Client-side routes (/slots, /broadcasts/7, ...) get the SPA's index.html.
        Router::new().fallback_service(ServeDir::new(panel_dir).fallback(ServeFile::new(index)))
    } else {
        Router::new().fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                axum::response::Html(
                    "<h1>Admin panel not built</h1><p>Run <code>make run</code> (it builds admin-panel/dist), \
                     or use the API at <a href=\"/api/docs\">/api/docs</a>.</p>",
                ),
            )
        })
    };
    Router::new()
        .merge(docs)
        .nest("/api", api)
        .route("/calendar/{file}", get(crate::routes::me::calendar_feed).layer(security_headers::no_store()))
        .route("/healthz", get(crate::health::healthz))
        .route("/readyz", get(crate::health::readyz))
        .route(
            "/metrics",
            if metrics_elsewhere {
                get(|| async { ApiError::not_found("route") })
            } else {
                get(crate::metrics::render)
            },
        )
        .merge(panel)
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::metrics::track))
        // gzip or brotli as the client accepts (brotli at quality 4, gzip at 6); bodies under
        // 32 bytes, images and event streams are left alone. A busy week of slots goes from
        // ~150 KB to ~15 KB, and the panel's scripts shrink alike.
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let route = req.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
            tracing::info_span!("request", method = %req.method(), route = %route)
        }))
        .layer(security_headers::panel_policy())
        .layer(frame)
        .layer(sniff)
        .layer(referrer)
        .with_state(state)
}
