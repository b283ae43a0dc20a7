//! `/api/broadcasts`: list, create (a title, the Russian and English texts, a button, a photo,
//! a segment and an optional send time), detail with delivery counts and progress, rename,
//! cancel, deliveries, the recipient count of a segment, a test send to one candidate, and the
//! photos (upload, and fetch for the preview).

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use core_logic::broadcast_photos::{self, PhotoInfo};
use core_logic::broadcasts::{self, BroadcastButton, Content, NewBroadcast};
use core_logic::delivery_list::{self, DeliveryRow};
use core_logic::models::{Broadcast, DeliveryStatus};
use core_logic::segments::Segment;
use serde::{Deserialize, Serialize};

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, Id};
use crate::routes::{Page, PageParams};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/recipients", post(recipients))
        .route("/test", post(test_send))
        // A photo may be up to 10 MB: this route alone takes more than the 256 KiB of the rest.
        .route("/photos", post(upload_photo).layer(DefaultBodyLimit::max(PHOTO_BODY_LIMIT)))
        .route("/photos/{id}", get(get_photo))
        .route("/{id}", get(get_one).patch(rename))
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
    /// What the panel calls it, at most 80 characters; absent for the first line of the text.
    pub title: Option<String>,
    /// Telegram HTML, at most 4096 visible characters (1024 with a photo: it is the caption).
    pub text: String,
    /// Telegram HTML for English-speaking candidates (the others get `text`); absent or empty
    /// for none.
    pub text_en: Option<String>,
    /// The inline button under the message.
    pub button: Option<BroadcastButton>,
    /// A photo uploaded with `POST /api/broadcasts/photos`, sent above the text.
    pub photo_id: Option<i64>,
    pub segment: Segment,
    /// When to send; absent for at once.
    pub send_at: Option<DateTime<Utc>>,
}

/// Creates a broadcast; the event worker fans it out at its send time.
#[utoipa::path(operation_id = "broadcasts_create", post, path = "/api/broadcasts", tag = "broadcasts", request_body = CreateBroadcast,
    responses((status = 201, body = BroadcastView), (status = 404, body = crate::error::ErrorBody, description = "No such photo"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<CreateBroadcast>,
) -> ApiResult<(StatusCode, Json<BroadcastView>)> {
    let new = NewBroadcast {
        title: body.title,
        content: Content { text: body.text, text_en: body.text_en, button: body.button, photo_id: body.photo_id },
        segment: body.segment,
        send_at: body.send_at,
    };
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

/// A new title.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameBroadcast {
    /// At most 80 characters, not blank.
    pub title: String,
}

/// Renames a broadcast (the title is the panel's only; nothing is sent).
#[utoipa::path(operation_id = "broadcasts_rename", patch, path = "/api/broadcasts/{id}", tag = "broadcasts", params(("id" = i64, Path)),
    request_body = RenameBroadcast,
    responses((status = 200, body = BroadcastView), (status = 404, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<RenameBroadcast>,
) -> ApiResult<Json<BroadcastView>> {
    let broadcast = broadcasts::rename(&state.pool, admin.id(), id, &body.title, Utc::now()).await?;
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

/// A test send: what the broadcast would send, to one candidate.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestSend {
    pub candidate_id: i64,
    /// Telegram HTML, as for a broadcast.
    pub text: String,
    /// The English text; an English-speaking candidate gets it.
    pub text_en: Option<String>,
    pub button: Option<BroadcastButton>,
    pub photo_id: Option<i64>,
}

/// The delivery of a test send, to follow its status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TestSent {
    pub delivery_id: i64,
}

/// Sends what a broadcast would send (the text in the candidate's language, the button, the
/// photo) to one candidate before sending it to everyone.
#[utoipa::path(operation_id = "broadcasts_test_send", post, path = "/api/broadcasts/test", tag = "broadcasts", request_body = TestSend,
    responses((status = 202, body = TestSent), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn test_send(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<TestSend>,
) -> ApiResult<(StatusCode, Json<TestSent>)> {
    let content = Content { text: body.text, text_en: body.text_en, button: body.button, photo_id: body.photo_id };
    let delivery_id = broadcasts::test_send(&state.pool, admin.id(), body.candidate_id, &content, Utc::now()).await?;
    state.worker_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(TestSent { delivery_id })))
}

/// The body limit of a photo upload: the largest photo and a little more, so that a photo just
/// over 10 MB is answered by the photo rule (422) rather than cut off.
const PHOTO_BODY_LIMIT: usize = broadcast_photos::MAX_BYTES + 64 * 1024;

/// Uploads a broadcast's photo: the image's bytes as the body, with its `Content-Type`
/// (`image/jpeg`, `image/png` or `image/webp`; the type is read from the bytes all the same).
#[utoipa::path(operation_id = "broadcasts_upload_photo", post, path = "/api/broadcasts/photos", tag = "broadcasts",
    request_body(content = Vec<u8>, content_type = "image/*", description = "The image's bytes: JPEG, PNG or WebP, at most 10 MB"),
    responses((status = 201, body = PhotoInfo),
              (status = 413, body = crate::error::ErrorBody, description = "The body is over 10 MB"),
              (status = 415, body = crate::error::ErrorBody, description = "The Content-Type is not an image type"),
              (status = 422, body = crate::error::ErrorBody, description = "Not a JPEG, PNG or WebP image, empty, or over 10 MB")))]
pub async fn upload_photo(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    request: Request,
) -> ApiResult<(StatusCode, Json<PhotoInfo>)> {
    let declared = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !declared.trim_start().to_ascii_lowercase().starts_with("image/") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the photo's bytes with its Content-Type: image/jpeg, image/png or image/webp",
        ));
    }
    let bytes = axum::body::to_bytes(request.into_body(), PHOTO_BODY_LIMIT).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the photo is larger than 10 MB")
    })?;
    let info = broadcast_photos::store(&state.pool, admin.id(), &bytes, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// A broadcast's photo, for the panel's preview.
#[utoipa::path(operation_id = "broadcasts_get_photo", get, path = "/api/broadcasts/photos/{id}", tag = "broadcasts", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/*", body = Vec<u8>, description = "The image, with its type"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_photo(State(state): State<AppState>, _admin: CurrentAdmin, Id(id): Id) -> ApiResult<Response> {
    let photo = broadcast_photos::get(&state.pool, id).await?;
    let content_type = HeaderValue::from_str(&photo.content_type).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, content_type)], Body::from(photo.bytes)).into_response())
}
