//! `/api/waitlist` and `/api/approvals` (issue 15): the waiting candidates per vacancy and day, a
//! seat offered by hand, removal from the list, the dashboard's waitlist figures, and the
//! no-show candidates' requests to book with their approval or refusal.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::{NaiveDate, Utc};
use core_logic::approvals::{self, ApprovalView};
use core_logic::models::ApprovalStatus;
use core_logic::waitlist::{self, WaitlistEntryView, WaitlistFilter, WaitlistOffer, WaitlistStats};
use serde::Deserialize;

use crate::auth::CurrentAdmin;
use crate::error::{ApiJson, ApiQuery, ApiResult, Id};
use crate::state::AppState;

/// The waitlist and approval routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/waitlist", get(list))
        .route("/waitlist/stats", get(stats))
        .route("/waitlist/{id}", delete(remove))
        .route("/waitlist/{id}/offer", post(offer))
        .route("/approvals", get(approvals_list))
        .route("/approvals/{id}/approve", post(approve))
        .route("/approvals/{id}/refuse", post(refuse))
}

/// Which waiting candidates.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WaitlistQuery {
    /// Only those waiting for this vacancy.
    pub vacancy_id: Option<i64>,
    /// Only those whose preferred days include this day's weekday (or who have no preference).
    pub day: Option<NaiveDate>,
}

/// The waiting candidates in queue order, each with their place among those waiting for the
/// same vacancy and the offer awaiting their answer.
#[utoipa::path(operation_id = "waitlist_list", get, path = "/api/waitlist", tag = "waitlist", params(WaitlistQuery),
    responses((status = 200, body = Vec<WaitlistEntryView>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(q): ApiQuery<WaitlistQuery>,
) -> ApiResult<Json<Vec<WaitlistEntryView>>> {
    let filter = WaitlistFilter { vacancy_id: q.vacancy_id, day: q.day, candidate_id: None };
    Ok(Json(waitlist::list(&state.pool, &filter).await?))
}

/// Removes a waiting candidate from the list (audited); an offer waiting for their answer goes
/// to the next. 404 when they are not waiting.
#[utoipa::path(operation_id = "waitlist_remove", delete, path = "/api/waitlist/{id}", tag = "waitlist",
    params(("id" = i64, Path)), responses((status = 204)))]
pub async fn remove(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<StatusCode> {
    waitlist::remove(&state.pool, &state.config.booking, admin.id(), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The slot to offer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    pub slot_id: i64,
}

/// Offers a seat of a slot to a waiting candidate by hand, out of turn: held for them for
/// `WAITLIST_HOLD` and sent to them in Telegram with "take it" / "no, thanks" (audited). 409
/// `slot_full` (no seat neither booked nor held), `offer_pending` (they have an offer to answer),
/// `booking_limit_reached` (they hold a booking), `approval_required` (over `NO_SHOW_LIMIT`
/// without an approval), `too_late_to_book`, `beyond_horizon`,
/// `slot_not_open`, `vacancy_mismatch`.
#[utoipa::path(operation_id = "waitlist_offer", post, path = "/api/waitlist/{id}/offer", tag = "waitlist",
    params(("id" = i64, Path)), request_body = OfferRequest,
    responses((status = 201, body = WaitlistOffer), (status = 409, body = crate::error::ErrorBody)))]
pub async fn offer(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<OfferRequest>,
) -> ApiResult<(StatusCode, Json<WaitlistOffer>)> {
    let made =
        waitlist::offer_by_hand(&state.pool, &state.config.booking, admin.id(), id, body.slot_id, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// The dashboard's waitlist figures: who waits per vacancy, seats refilled from the list, offers
/// by outcome, the reminders' confirmation rate and the no-show rate of the last 8 weeks.
#[utoipa::path(operation_id = "waitlist_stats", get, path = "/api/waitlist/stats", tag = "waitlist",
    responses((status = 200, body = WaitlistStats)))]
pub async fn stats(State(state): State<AppState>, _admin: CurrentAdmin) -> ApiResult<Json<WaitlistStats>> {
    Ok(Json(waitlist::stats(&state.pool, state.config.timezone, Utc::now()).await?))
}

/// Which requests.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ApprovalQuery {
    /// `requested`, `approved` or `refused`.
    pub status: Option<ApprovalStatus>,
}

/// Requests to book from candidates over `NO_SHOW_LIMIT`, newest first.
#[utoipa::path(operation_id = "approvals_list", get, path = "/api/approvals", tag = "waitlist",
    params(ApprovalQuery), responses((status = 200, body = Vec<ApprovalView>)))]
pub async fn approvals_list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(q): ApiQuery<ApprovalQuery>,
) -> ApiResult<Json<Vec<ApprovalView>>> {
    Ok(Json(approvals::list(&state.pool, q.status).await?))
}

/// Allows the candidate to book (until their next no-show); they are told in Telegram. 409
/// `approval_decided` when the request was already decided.
#[utoipa::path(operation_id = "approvals_approve", post, path = "/api/approvals/{id}/approve", tag = "waitlist",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApprovalView), (status = 409, body = crate::error::ErrorBody)))]
pub async fn approve(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<ApprovalView>> {
    Ok(Json(approvals::decide(&state.pool, admin.id(), id, true, Utc::now()).await?))
}

/// Refuses the request; the candidate is told in Telegram. 409 `approval_decided` when the
/// request was already decided.
#[utoipa::path(operation_id = "approvals_refuse", post, path = "/api/approvals/{id}/refuse", tag = "waitlist",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApprovalView), (status = 409, body = crate::error::ErrorBody)))]
pub async fn refuse(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<ApprovalView>> {
    Ok(Json(approvals::decide(&state.pool, admin.id(), id, false, Utc::now()).await?))
}
