//! `/api/bookings`: list with filters, cancel with a reason, mark attendance.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use core_logic::booking_list::{self, BookingFilter, BookingRow};
use core_logic::bookings::{self, BookingWithSlot};
use core_logic::models::BookingStatus;
use serde::Deserialize;

use crate::auth::{AnyRole, CurrentAdmin};
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, Id};
use crate::routes::{Page, PageParams, check_range};
use crate::state::AppState;
use core_logic::interviewers;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(list)).route("/{id}/cancel", post(cancel)).route("/{id}/attendance", post(attendance))
}

/// Booking filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BookingParams {
    /// Interviews starting at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Interviews starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub status: Option<BookingStatus>,
    /// Text in the candidate's name, username, Telegram id or the cancel reason.
    pub q: Option<String>,
    pub slot_id: Option<i64>,
    pub candidate_id: Option<i64>,
    /// Interviews of this account (an interviewer always sees only their own).
    pub interviewer_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl BookingParams {
    pub fn filter(&self) -> ApiResult<BookingFilter> {
        check_range(self.from, self.to)?;
        if self.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
            return Err(ApiError::validation("q", "must be at most 200 characters"));
        }
        Ok(BookingFilter {
            from: self.from,
            to: self.to,
            status: self.status,
            text: self.q.clone(),
            slot_id: self.slot_id,
            candidate_id: self.candidate_id,
            interviewer_id: self.interviewer_id,
        })
    }
}

/// Lists bookings, latest interviews first.
#[utoipa::path(operation_id = "bookings_list", get, path = "/api/bookings", tag = "bookings", params(BookingParams),
    responses((status = 200, body = Page<BookingRow>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    account: AnyRole,
    ApiQuery(params): ApiQuery<BookingParams>,
) -> ApiResult<Json<Page<BookingRow>>> {
    let mut filter = params.filter()?;
    if !account.0.is_recruiter() {
        filter.interviewer_id = Some(account.0.id);
    }
    let (limit, offset) = PageParams { limit: params.limit, offset: params.offset }.resolve()?;
    let (items, total) = booking_list::list(&state.pool, &filter, true, limit, offset).await?;
    Ok(Json(Page { items, total, limit, offset }))
}

/// Why the admin cancels.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    pub reason: Option<String>,
}

/// Cancels a booking; the candidate is notified.
#[utoipa::path(operation_id = "bookings_cancel", post, path = "/api/bookings/{id}/cancel", tag = "bookings", params(("id" = i64, Path)), request_body = CancelBody,
    responses((status = 200, body = BookingWithSlot), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<CancelBody>,
) -> ApiResult<Json<BookingWithSlot>> {
    let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(ApiError::validation("reason", "must be at most 500 characters"));
    }
    let cancelled =
        bookings::cancel_by_admin(&state.pool, &state.config.booking, admin.id(), id, reason, Utc::now()).await?;
    // The candidate's notification is in the outbox: publish it now rather than at the next poll.
    state.worker_wakeup.notify_one();
    Ok(Json(cancelled))
}

/// Whether the candidate came.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Attended,
    NoShow,
}

/// The attendance mark.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    pub status: Attendance,
}

/// Marks a booking attended or no-show (once the interview has started).
#[utoipa::path(operation_id = "bookings_attendance", post, path = "/api/bookings/{id}/attendance", tag = "bookings", params(("id" = i64, Path)),
    request_body = AttendanceBody,
    responses((status = 200, body = BookingWithSlot), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    admin: AnyRole,
    Id(id): Id,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> ApiResult<Json<BookingWithSlot>> {
    // An interviewer marks their own interviews only; another's is "not found".
    if !admin.0.is_recruiter() {
        let booking = bookings::get(&state.pool, id).await?;
        if !interviewers::is_interviewer_of(&state.pool, admin.0.id, booking.slot.id).await? {
            return Err(core_logic::Error::not_found("booking", id).into());
        }
    }
    let attended = matches!(body.status, Attendance::Attended);
    Ok(Json(bookings::mark_attendance(&state.pool, admin.id(), id, attended, Utc::now()).await?))
}
