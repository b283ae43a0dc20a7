//! `/api/slots`: list by date range, create one, generate many, get, update, cancel, delete.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use core_logic::booking_list::{self, BookingFilter, BookingRow};
use core_logic::models::{Slot, SlotWithCounts};
use core_logic::slot_calendar::{self, CalendarQuery, Cursor, SlotPage};
use core_logic::slot_plan::{self, PlanOutcome, SlotPlan};
use core_logic::slots::{self, NewSlot, SlotChanges, SlotRemoval};
use serde::{Deserialize, Serialize};

use crate::auth::{AnyRole, CurrentAdmin};
use crate::calendar_cache::accepts_gzip;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, Id};
use crate::routes::check_range;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/bulk", post(bulk))
        .route("/{id}", get(get_one).patch(update).delete(delete))
        .route("/{id}/cancel", post(cancel))
}

/// The date range of a slot list, and the page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeParams {
    /// Slots starting at or after this instant (RFC 3339); default: 1 day ago.
    pub from: Option<DateTime<Utc>>,
    /// Slots starting before this instant; default: 28 days after `from`.
    pub to: Option<DateTime<Utc>>,
    /// Only slots in this status (`open` or `cancelled`).
    pub status: Option<core_logic::models::SlotStatus>,
    /// The `next` of the previous page; default: the first page.
    pub after: Option<String>,
    /// Slots per page, 1 to 5000; default 2000 (a busy week in one page).
    pub limit: Option<u32>,
    /// Only the slots this account interviews in (an interviewer always sees only their own).
    pub interviewer_id: Option<i64>,
}

impl RangeParams {
    fn query(&self) -> ApiResult<CalendarQuery> {
        check_range(self.from, self.to)?;
        let from = self.from.unwrap_or_else(|| Utc::now() - Duration::days(1));
        let to = self.to.unwrap_or(from + Duration::days(28));
        check_range(Some(from), Some(to))?;
        let limit = self.limit.unwrap_or(slot_calendar::DEFAULT_PAGE);
        if !(1..=slot_calendar::MAX_PAGE).contains(&limit) {
            return Err(ApiError::validation("limit", format!("must be between 1 and {}", slot_calendar::MAX_PAGE)));
        }
        let after = match self.after.as_deref() {
            None => None,
            Some(text) => Some(
                Cursor::parse(text)
                    .ok_or_else(|| ApiError::bad_request("after must be the `next` of a previous page"))?,
            ),
        };
        Ok(CalendarQuery { from, to, status: self.status, after, limit, interviewer_id: self.interviewer_id })
    }
}

/// Lists slots (not deleted) starting in a range, by start time, with their active booking
/// counts: what the calendar draws, one page at a time (follow `next` until it is `null`).
/// A slot's notes and bookings are at `/api/slots/{id}`.
#[utoipa::path(operation_id = "slots_list", get, path = "/api/slots", tag = "slots", params(RangeParams),
    responses((status = 200, body = SlotPage), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    account: AnyRole,
    headers: HeaderMap,
    ApiQuery(range): ApiQuery<RangeParams>,
) -> ApiResult<Response> {
    let mut query = range.query()?;
    if !account.0.is_recruiter() {
        query.interviewer_id = Some(account.0.id);
    }
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let gzip = accepts_gzip(accept);
    // Already JSON (rendered by SQLite, kept while the calendar is unchanged): served as it is,
    // gzipped here when the client takes gzip (the compression layer leaves it alone then).
    let body = state.calendar.page(&state.pool, &query, gzip).await?;
    let json = (header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        Ok(([json, vary, (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))], body).into_response())
    } else {
        Ok(([json, vary], body).into_response())
    }
}

/// A slot to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSlot {
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    /// Default 1.
    pub capacity: Option<i64>,
    /// Default "online".
    pub format: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
    /// The vacancy the interview is for (an active one); absent: any vacancy.
    pub vacancy_id: Option<i64>,
    /// The interviewers (team accounts); several make a panel interview.
    #[serde(default)]
    pub interviewer_ids: Vec<i64>,
}

/// Creates one slot.
#[utoipa::path(operation_id = "slots_create", post, path = "/api/slots", tag = "slots", request_body = CreateSlot,
    responses((status = 201, body = Slot), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<CreateSlot>,
) -> ApiResult<(StatusCode, Json<Slot>)> {
    let new = NewSlot {
        starts_at: body.starts_at,
        duration_minutes: body.duration_minutes,
        capacity: body.capacity.unwrap_or(1),
        format: body.format.unwrap_or_else(|| "online".into()),
        location: body.location.filter(|l| !l.trim().is_empty()),
        notes: body.notes.filter(|n| !n.trim().is_empty()),
        vacancy_id: body.vacancy_id,
        interviewer_ids: body.interviewer_ids,
    };
    let slot = slots::create(&state.pool, &state.config.booking, admin.id(), &new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(slot)))
}

/// Bulk generation: the plan, and whether to only preview it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BulkRequest {
    #[serde(flatten)]
    pub plan: SlotPlan,
    /// Preview without writing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Generates many slots from a date range, weekdays, time windows, duration, gap and capacity;
/// skips overlaps and past times; `dry_run` previews.
#[utoipa::path(operation_id = "slots_bulk", post, path = "/api/slots/bulk", tag = "slots", request_body = BulkRequest,
    responses((status = 200, body = PlanOutcome), (status = 422, body = crate::error::ErrorBody)))]
pub async fn bulk(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<BulkRequest>,
) -> ApiResult<Json<PlanOutcome>> {
    let tz = state.config.timezone;
    Ok(Json(
        slot_plan::generate(&state.pool, &state.config.booking, admin.id(), &body.plan, tz, Utc::now(), body.dry_run)
            .await?,
    ))
}

/// A slot with its active bookings (who would be notified by a cancel).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SlotDetail {
    #[serde(flatten)]
    pub slot: SlotWithCounts,
    pub bookings: Vec<BookingRow>,
    pub interviewers: Vec<core_logic::interviewers::Interviewer>,
}

/// One slot with its active bookings.
#[utoipa::path(operation_id = "slots_get_one", get, path = "/api/slots/{id}", tag = "slots", params(("id" = i64, Path)),
    responses((status = 200, body = SlotDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(State(state): State<AppState>, account: AnyRole, Id(id): Id) -> ApiResult<Json<SlotDetail>> {
    // An interviewer sees their own slots only; another's is "not found".
    if !account.0.is_recruiter() && !core_logic::interviewers::is_interviewer_of(&state.pool, account.0.id, id).await? {
        return Err(core_logic::Error::not_found("slot", id).into());
    }
    Ok(Json(detail(&state, id).await?))
}

async fn detail(state: &AppState, id: i64) -> ApiResult<SlotDetail> {
    let slot = slots::get(&state.pool, id).await?;
    let filter = BookingFilter {
        slot_id: Some(id),
        status: Some(core_logic::models::BookingStatus::Active),
        ..Default::default()
    };
    let (bookings, _) = booking_list::list(&state.pool, &filter, false, 1000, 0).await?;
    let interviewers = core_logic::interviewers::of_slot(&state.pool, id).await?;
    Ok(SlotDetail { slot, bookings, interviewers })
}

/// Changes a slot; candidates are told when the time or place of their interview changes.
#[utoipa::path(operation_id = "slots_update", patch, path = "/api/slots/{id}", tag = "slots", params(("id" = i64, Path)), request_body = SlotChanges,
    responses((status = 200, body = SlotDetail), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(changes): ApiJson<SlotChanges>,
) -> ApiResult<Json<SlotDetail>> {
    slots::update(&state.pool, &state.config.booking, admin.id(), id, &changes, Utc::now()).await?;
    state.worker_wakeup.notify_one();
    Ok(Json(detail(&state, id).await?))
}

/// Why a slot is cancelled or deleted (told to the candidates).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

fn reason(body: &ReasonBody) -> ApiResult<Option<&str>> {
    match body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if r.chars().count() > 500 => Err(ApiError::validation("reason", "must be at most 500 characters")),
        other => Ok(other),
    }
}

/// Cancels a slot: its bookings are cancelled and each candidate notified.
#[utoipa::path(operation_id = "slots_cancel", post, path = "/api/slots/{id}/cancel", tag = "slots", params(("id" = i64, Path)), request_body = ReasonBody,
    responses((status = 200, body = SlotRemoval), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<ReasonBody>,
) -> ApiResult<Json<SlotRemoval>> {
    let removal = slots::cancel(&state.pool, &state.config.booking, admin.id(), id, reason(&body)?, Utc::now()).await?;
    state.worker_wakeup.notify_one();
    Ok(Json(removal))
}

/// Deletes a slot; its bookings are cancelled and each candidate notified. `reason` may be given
/// as a query parameter.
#[utoipa::path(operation_id = "slots_delete", delete, path = "/api/slots/{id}", tag = "slots", params(("id" = i64, Path), ("reason" = Option<String>, Query)),
    responses((status = 200, body = SlotRemoval), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiQuery(body): ApiQuery<ReasonBody>,
) -> ApiResult<Json<SlotRemoval>> {
    let removal = slots::delete(&state.pool, &state.config.booking, admin.id(), id, reason(&body)?, Utc::now()).await?;
    state.worker_wakeup.notify_one();
    Ok(Json(removal))
}
