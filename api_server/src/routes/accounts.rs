//! `/api/accounts` (admins only): the team's accounts. Invite a member (the one-time
//! set-password link is in the answer, shown once), rename, change a role, deactivate (sessions
//! end at once) or reactivate, reset a password. `/api/auth/password-link` and
//! `/api/auth/set-password` (no session) are the invited member's side of the link.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use chrono::Utc;
use core_logic::accounts::{self, AccountRow, NewAccount, SetPasswordLink, TokenInfo};
use core_logic::admins::Admin;
use core_logic::models::Role;
use serde::Deserialize;

use crate::auth::AdminRole;
use crate::error::{ApiJson, ApiResult, Id};
use crate::state::AppState;

/// The `/api/accounts` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(invite))
        .route("/{id}", patch(change))
        .route("/{id}/deactivate", post(deactivate))
        .route("/{id}/reactivate", post(reactivate))
        .route("/{id}/reset-password", post(reset_password))
}

/// `GET /api/interviewers`: who can be given interviews (recruiters and admins).
pub fn interviewers_router() -> Router<AppState> {
    Router::new()
        .route("/interviewers", get(interviewers))
        .route("/interviewers/{id}/working-hours", get(working_hours).put(set_working_hours))
}

/// An interviewer's working hours (empty: any time); bulk generation keeps within them.
#[utoipa::path(operation_id = "accounts_working_hours", get, path = "/api/interviewers/{id}/working-hours", tag = "accounts",
    params(("id" = i64, Path)), responses((status = 200, body = Vec<core_logic::interviewers::WorkingWindow>)))]
pub async fn working_hours(
    State(state): State<AppState>,
    _admin: crate::auth::CurrentAdmin,
    Id(id): Id,
) -> ApiResult<Json<Vec<core_logic::interviewers::WorkingWindow>>> {
    core_logic::admins::get(&state.pool, id).await?;
    Ok(Json(core_logic::interviewers::working_hours(&state.pool, id).await?))
}

/// Replaces an interviewer's working hours.
#[utoipa::path(operation_id = "accounts_set_working_hours", put, path = "/api/interviewers/{id}/working-hours", tag = "accounts",
    params(("id" = i64, Path)), request_body = Vec<core_logic::interviewers::WorkingWindow>,
    responses((status = 200, body = Vec<core_logic::interviewers::WorkingWindow>)))]
pub async fn set_working_hours(
    State(state): State<AppState>,
    admin: crate::auth::CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<Vec<core_logic::interviewers::WorkingWindow>>,
) -> ApiResult<Json<Vec<core_logic::interviewers::WorkingWindow>>> {
    Ok(Json(core_logic::interviewers::set_working_hours(&state.pool, admin.id(), id, &body, Utc::now()).await?))
}

/// The active accounts that can interview, interviewers first, for the slot forms.
#[utoipa::path(operation_id = "accounts_interviewers", get, path = "/api/interviewers", tag = "accounts",
    responses((status = 200, body = Vec<core_logic::interviewers::Interviewer>)))]
pub async fn interviewers(
    State(state): State<AppState>,
    _admin: crate::auth::CurrentAdmin,
) -> ApiResult<Json<Vec<core_logic::interviewers::Interviewer>>> {
    Ok(Json(core_logic::interviewers::candidates_for_panel(&state.pool).await?))
}

/// The routes of a set-password link, under `/api/auth` (no session).
pub fn link_router() -> Router<AppState> {
    Router::new().route("/password-link", post(link_info)).route("/set-password", post(set_password))
}

/// Every account, active ones first.
#[utoipa::path(operation_id = "accounts_list", get, path = "/api/accounts", tag = "accounts",
    responses((status = 200, body = Vec<AccountRow>)))]
pub async fn list(State(state): State<AppState>, _admin: AdminRole) -> ApiResult<Json<Vec<AccountRow>>> {
    Ok(Json(accounts::list(&state.pool).await?))
}

/// Invites a team member. The answer holds the one-time set-password link's secret (valid 72
/// hours); it is not shown again. A taken login: 409 `duplicate`.
#[utoipa::path(operation_id = "accounts_invite", post, path = "/api/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = SetPasswordLink), (status = 409, body = crate::error::ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    admin: AdminRole,
    ApiJson(body): ApiJson<NewAccount>,
) -> ApiResult<(StatusCode, Json<SetPasswordLink>)> {
    Ok((StatusCode::CREATED, Json(accounts::invite(&state.pool, admin.id(), &body, Utc::now()).await?)))
}

/// What to change of an account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountChanges {
    pub display_name: Option<String>,
    pub role: Option<Role>,
}

/// Renames an account or changes its role; the last active admin keeps the admin role (409
/// `last_admin`).
#[utoipa::path(operation_id = "accounts_change", patch, path = "/api/accounts/{id}", tag = "accounts", params(("id" = i64, Path)),
    request_body = AccountChanges,
    responses((status = 200, body = Admin), (status = 409, body = crate::error::ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    admin: AdminRole,
    Id(id): Id,
    ApiJson(body): ApiJson<AccountChanges>,
) -> ApiResult<Json<Admin>> {
    let now = Utc::now();
    let mut account = core_logic::admins::get(&state.pool, id).await?;
    if let Some(name) = &body.display_name {
        account = accounts::rename(&state.pool, admin.id(), id, name, now).await?;
    }
    if let Some(role) = body.role
        && role != account.role
    {
        account = accounts::set_role(&state.pool, admin.id(), id, role, now).await?;
    }
    Ok(Json(account))
}

/// Deactivates an account: it cannot log in and its sessions end at once. Yourself: 409
/// `own_account`; the last active admin: 409 `last_admin`.
#[utoipa::path(operation_id = "accounts_deactivate", post, path = "/api/accounts/{id}/deactivate", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = Admin), (status = 409, body = crate::error::ErrorBody)))]
pub async fn deactivate(State(state): State<AppState>, admin: AdminRole, Id(id): Id) -> ApiResult<Json<Admin>> {
    Ok(Json(accounts::set_active(&state.pool, admin.id(), id, false, Utc::now()).await?))
}

/// Reactivates an account.
#[utoipa::path(operation_id = "accounts_reactivate", post, path = "/api/accounts/{id}/reactivate", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = Admin)))]
pub async fn reactivate(State(state): State<AppState>, admin: AdminRole, Id(id): Id) -> ApiResult<Json<Admin>> {
    Ok(Json(accounts::set_active(&state.pool, admin.id(), id, true, Utc::now()).await?))
}

/// A new one-time set-password link for an account (its sessions end); shown once.
#[utoipa::path(operation_id = "accounts_reset_password", post, path = "/api/accounts/{id}/reset-password", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = SetPasswordLink)))]
pub async fn reset_password(
    State(state): State<AppState>,
    admin: AdminRole,
    Id(id): Id,
) -> ApiResult<Json<SetPasswordLink>> {
    Ok(Json(accounts::reset_password(&state.pool, admin.id(), id, Utc::now()).await?))
}

/// A set-password link's secret.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkToken {
    pub token: String,
}

/// Whose a set-password link is, for the page that asks for the password. Unknown, used,
/// expired or of a deactivated account: 404.
#[utoipa::path(operation_id = "auth_password_link", post, path = "/api/auth/password-link", tag = "auth", request_body = LinkToken,
    responses((status = 200, body = TokenInfo), (status = 404, body = crate::error::ErrorBody)))]
pub async fn link_info(State(state): State<AppState>, ApiJson(body): ApiJson<LinkToken>) -> ApiResult<Json<TokenInfo>> {
    Ok(Json(accounts::token_info(&state.pool, &body.token, Utc::now()).await?))
}

/// A password for the account of a set-password link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    pub token: String,
    pub password: String,
}

/// Sets the password through a one-time link, which is then spent; log in afterwards. A weak
/// password: 422 saying why; a dead link: 404.
#[utoipa::path(operation_id = "auth_set_password", post, path = "/api/auth/set-password", tag = "auth", request_body = SetPassword,
    responses((status = 204, description = "The password is set"), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_password(State(state): State<AppState>, ApiJson(body): ApiJson<SetPassword>) -> ApiResult<StatusCode> {
    accounts::set_password(&state.pool, &body.token, &body.password, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
