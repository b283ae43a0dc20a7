//! `/api/users`: candidates: search and paginate, detail with booking history and the messages
//! they received, block and unblock.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use core_logic::booking_list::{self, BookingFilter, BookingRow};
use core_logic::candidates;
use core_logic::models::{Candidate, CandidateStatus, Delivery};
use serde::{Deserialize, Serialize};

use crate::auth::{AnyRole, CurrentAdmin};
use crate::error::{ApiError, ApiQuery, ApiResult, Id};
use crate::routes::{Page, PageParams};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/{id}", get(get_one))
        .route("/{id}/block", post(block))
        .route("/{id}/unblock", post(unblock))
        .merge(super::inbox::user_routes())
}

/// Candidate search.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserParams {
    /// Text in the name, username or Telegram id.
    pub q: Option<String>,
    pub status: Option<CandidateStatus>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Lists candidates, newest first.
#[utoipa::path(operation_id = "users_list", get, path = "/api/users", tag = "users", params(UserParams),
    responses((status = 200, body = Page<Candidate>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(params): ApiQuery<UserParams>,
) -> ApiResult<Json<Page<Candidate>>> {
    let (limit, offset) = PageParams { limit: params.limit, offset: params.offset }.resolve()?;
    if params.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::validation("q", "must be at most 200 characters"));
    }
    let q = params.q.as_deref().filter(|q| !q.trim().is_empty());
    let (items, total) = candidates::list(&state.pool, q, params.status, limit, offset).await?;
    Ok(Json(Page { items, total, limit, offset }))
}

/// A candidate with their bookings and the messages sent to them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserDetail {
    #[serde(flatten)]
    pub candidate: Candidate,
    pub bookings: Vec<BookingRow>,
    /// The latest 100 broadcasts, notifications and test sends to them.
    pub deliveries: Vec<Delivery>,
    /// Their questionnaires, newest first.
    pub answers: Vec<core_logic::questionnaire::VacancyAnswers>,
    /// The invitation link they first came through (first touch), and the latest (last touch).
    pub first_source: Option<String>,
    pub last_source: Option<String>,
    /// The interviewers' marks after interviews (came or not, a 1-5 score, a note), newest first.
    pub feedback: Vec<core_logic::team::FeedbackRow>,
    /// Their place in the waitlist, if they wait (absent for an interviewer).
    pub waitlist: Option<core_logic::waitlist::WaitlistEntryView>,
    /// Their requests to book after no-shows, newest first (empty for an interviewer).
    pub approvals: Vec<core_logic::approvals::ApprovalView>,
}

/// One candidate with their history.
#[utoipa::path(operation_id = "users_get_one", get, path = "/api/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(State(state): State<AppState>, account: AnyRole, Id(id): Id) -> ApiResult<Json<UserDetail>> {
    // An interviewer sees the candidates of their own interviews only, and those bookings.
    let interviewer = (!account.0.is_recruiter()).then_some(account.0.id);
    if let Some(me) = interviewer
        && !core_logic::interviewers::interviews_candidate(&state.pool, me, id).await?
    {
        return Err(core_logic::Error::not_found("candidate", id).into());
    }
    let candidate = candidates::get(&state.pool, id).await?;
    let filter = BookingFilter { candidate_id: Some(id), interviewer_id: interviewer, ..Default::default() };
    let (bookings, _) = booking_list::list(&state.pool, &filter, true, 500, 0).await?;
    // The broadcasts and notifications a candidate got are the recruiters' business.
    let deliveries = match interviewer {
        Some(_) => vec![],
        None => core_logic::deliveries::recent_for_candidate(&state.pool, id, 100).await?,
    };
    let answers = core_logic::questionnaire::of_candidate(&state.pool, id).await?;
    let (first_source, last_source) = core_logic::invites::sources_of(&state.pool, id).await?;
    let feedback = core_logic::team::of_candidate(&state.pool, id).await?;
    let (waitlist, approvals) = match interviewer {
        Some(_) => (None, vec![]),
        None => {
            let filter = core_logic::waitlist::WaitlistFilter { candidate_id: Some(id), ..Default::default() };
            let entry = core_logic::waitlist::list(&state.pool, &filter).await?.into_iter().next();
            (entry, core_logic::approvals::of_candidate(&state.pool, id).await?)
        }
    };
    Ok(Json(UserDetail {
        candidate,
        bookings,
        deliveries,
        answers,
        first_source,
        last_source,
        feedback,
        waitlist,
        approvals,
    }))
}

/// Blocks a candidate: no booking, no broadcasts.
#[utoipa::path(operation_id = "users_block", post, path = "/api/users/{id}/block", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = Candidate), (status = 404, body = crate::error::ErrorBody)))]
pub async fn block(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<Candidate>> {
    Ok(Json(candidates::set_blocked(&state.pool, admin.id(), id, true, Utc::now()).await?))
}

/// Unblocks a candidate.
#[utoipa::path(operation_id = "users_unblock", post, path = "/api/users/{id}/unblock", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = Candidate), (status = 404, body = crate::error::ErrorBody)))]
pub async fn unblock(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<Candidate>> {
    Ok(Json(candidates::set_blocked(&state.pool, admin.id(), id, false, Utc::now()).await?))
}
