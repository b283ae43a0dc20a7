//! `/healthz` (the process is alive) and `/readyz` (the database and the queue answer).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::state::AppState;

/// A health answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub queue: &'static str,
    /// `rabbitmq` or `embedded`.
    pub queue_backend: &'static str,
}

/// Alive.
#[utoipa::path(operation_id = "health_healthz", get, path = "/healthz", tag = "health", responses((status = 200)))]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database and the queue answer; 503 otherwise.
#[utoipa::path(operation_id = "health_readyz", get, path = "/readyz", tag = "health", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let db_ok = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.pool).await.is_ok();
    let queue_ok = match tokio::time::timeout(std::time::Duration::from_secs(3), state.queue.ping()).await {
        Ok(Ok(())) => true,
        Ok(Err(err)) => {
            tracing::warn!(%err, "readiness: queue unreachable");
            false
        }
        Err(_) => false,
    };
    let word = |ok| if ok { "ok" } else { "unavailable" };
    let status = if db_ok && queue_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Health {
        status: word(db_ok && queue_ok),
        database: word(db_ok),
        queue: word(queue_ok),
        queue_backend: state.queue.backend(),
    };
    (status, Json(body))
}
