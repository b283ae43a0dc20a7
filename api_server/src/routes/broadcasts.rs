//! `/api/broadcasts`: list, create (with a segment and an optional send time), detail with
//! delivery counts and progress, cancel, deliveries, the recipient count of a segment, and a
//! test send to one candidate.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use core_logic::broadcasts::{self, NewBroadcast};
use core_logic::delivery_list::{self, DeliveryRow};
use core_logic::models::{Broadcast, DeliveryStatus};
use core_logic::segments::Segment;
use serde::{Deserialize, Serialize};

use crate::auth::CurrentAdmin;
use crate::error::{ApiJson, ApiQuery, ApiResult, Id};
use crate::routes::{Page, PageParams};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/recipients", post(recipients))
        .route("/test", post(test_send))
        .route("/{id}", get(get_one))
        .route("/{id}/cancel", post(cancel))
        .route("/{id}/deliveries", get(list_deliveries))
}

/// A broadcast with its delivery counts and progress.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BroadcastView {
    #[serde(flatten)]
    pub broadcast: Broadcast,
    /// Deliveries by status (every status present, 0 when none).
    pub counts: BTreeMap<String, i64>,
    /// Deliveries in a final state / all deliveries, 0 to 1.
    pub progress: f64,
}

async fn view(state: &AppState, broadcast: Broadcast) -> ApiResult<BroadcastView> {
    let counts = broadcasts::delivery_counts(&state.pool, broadcast.id).await?;
    let total: i64 = counts.values().sum();
    let done: i64 = DeliveryStatus::ALL.iter().filter(|s| s.is_final()).map(|s| counts[s.as_str()]).sum();
    let progress = if total == 0 {
        if matches!(broadcast.status, core_logic::models::BroadcastStatus::Completed) { 1.0 } else { 0.0 }
    } else {
        done as f64 / total as f64
    };
    Ok(BroadcastView { broadcast, counts, progress })
}

/// Lists broadcasts, newest first.
#[utoipa::path(operation_id = "broadcasts_list", get, path = "/api/broadcasts", tag = "broadcasts", params(PageParams),
    responses((status = 200, body = Page<BroadcastView>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<Page<BroadcastView>>> {
    let (limit, offset) = page.resolve()?;
    let (rows, total) = broadcasts::list(&state.pool, limit, offset).await?;
    let mut items = Vec::with_capacity(rows.len());
    for b in rows {
        items.push(view(&state, b).await?);
    }
    Ok(Json(Page { items, total, limit, offset }))
}

/// A broadcast to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBroadcast {
    /// Telegram HTML, at most 4096 visible characters.
    pub text: String,
    pub segment: Segment,
    /// When to send; absent for at once.
    pub send_at: Option<DateTime<Utc>>,
}

/// Creates a broadcast; the event worker fans it out at its send time.
#[utoipa::path(operation_id = "broadcasts_create", post, path = "/api/broadcasts", tag = "broadcasts", request_body = CreateBroadcast,
    responses((status = 201, body = BroadcastView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<CreateBroadcast>,
) -> ApiResult<(StatusCode, Json<BroadcastView>)> {
    let new = NewBroadcast { text: body.text, segment: body.segment, send_at: body.send_at };
    let broadcast = broadcasts::create(&state.pool, admin.id(), &new, Utc::now()).await?;
    state.worker_wakeup.notify_one();
    Ok((StatusCode::CREATED, Json(view(&state, broadcast).await?)))
}

/// One broadcast with its counts and progress.
#[utoipa::path(operation_id = "broadcasts_get_one", get, path = "/api/broadcasts/{id}", tag = "broadcasts", params(("id" = i64, Path)),
    responses((status = 200, body = BroadcastView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    Id(id): Id,
) -> ApiResult<Json<BroadcastView>> {
    let broadcast = broadcasts::get(&state.pool, id).await?;
    Ok(Json(view(&state, broadcast).await?))
}

/// Cancels a broadcast: what is not yet sent is never sent.
#[utoipa::path(operation_id = "broadcasts_cancel", post, path = "/api/broadcasts/{id}/cancel", tag = "broadcasts", params(("id" = i64, Path)),
    responses((status = 200, body = BroadcastView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
pub async fn cancel(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<BroadcastView>> {
    let broadcast = broadcasts::cancel(&state.pool, admin.id(), id, Utc::now()).await?;
    Ok(Json(view(&state, broadcast).await?))
}

/// Delivery filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryParams {
    pub status: Option<DeliveryStatus>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The deliveries of a broadcast.
#[utoipa::path(operation_id = "broadcasts_list_deliveries", get, path = "/api/broadcasts/{id}/deliveries", tag = "broadcasts", params(("id" = i64, Path), DeliveryParams),
    responses((status = 200, body = Page<DeliveryRow>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    Id(id): Id,
    ApiQuery(params): ApiQuery<DeliveryParams>,
) -> ApiResult<Json<Page<DeliveryRow>>> {
    broadcasts::get(&state.pool, id).await?;
    let (limit, offset) = PageParams { limit: params.limit, offset: params.offset }.resolve()?;
    let (items, total) = delivery_list::list_for_broadcast(&state.pool, id, params.status, limit, offset).await?;
    Ok(Json(Page { items, total, limit, offset }))
}

/// A segment to count.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentBody {
    pub segment: Segment,
}

/// How many candidates a segment reaches.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecipientCount {
    pub count: i64,
}

/// Counts a segment's recipients now (shown before sending).
#[utoipa::path(operation_id = "broadcasts_recipients", post, path = "/api/broadcasts/recipients", tag = "broadcasts", request_body = SegmentBody,
    responses((status = 200, body = RecipientCount)))]
pub async fn recipients(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiJson(body): ApiJson<SegmentBody>,
) -> ApiResult<Json<RecipientCount>> {
    let count = broadcasts::count_recipients(&state.pool, &body.segment, state.config.timezone, Utc::now()).await?;
    Ok(Json(RecipientCount { count }))
}

/// A test send.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSend {
    pub candidate_id: i64,
    pub text: String,
}

/// The delivery of a test send, to follow its status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TestSent {
    pub delivery_id: i64,
}

/// Sends a broadcast text to one candidate before sending it to everyone.
#[utoipa::path(operation_id = "broadcasts_test_send", post, path = "/api/broadcasts/test", tag = "broadcasts", request_body = TestSend,
    responses((status = 202, body = TestSent), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn test_send(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<TestSend>,
) -> ApiResult<(StatusCode, Json<TestSent>)> {
    let delivery_id = broadcasts::test_send(&state.pool, admin.id(), body.candidate_id, &body.text, Utc::now()).await?;
    state.worker_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(TestSent { delivery_id })))
}
