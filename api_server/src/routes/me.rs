//! The current admin's own Telegram account: linked through a one-time deep link, so their test
//! sends of a broadcast come to them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use core_logic::telegram_link::{self, LinkOffer};
use serde::Serialize;

use crate::auth::AnyRole;
use crate::error::ApiResult;
use crate::state::AppState;

/// The `/api/me` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/telegram", get(telegram).delete(unlink))
        .route("/telegram/link", post(link))
        .route("/calendar-feed", get(feed_state).post(feed_regenerate).delete(feed_revoke))
        .route("/working-hours", get(my_working_hours).put(set_my_working_hours))
}

/// The current account's working hours (empty: any time); bulk generation keeps within them.
#[utoipa::path(operation_id = "me_working_hours", get, path = "/api/me/working-hours", tag = "auth",
    responses((status = 200, body = Vec<core_logic::interviewers::WorkingWindow>)))]
pub async fn my_working_hours(
    State(state): State<AppState>,
    me: AnyRole,
) -> ApiResult<Json<Vec<core_logic::interviewers::WorkingWindow>>> {
    Ok(Json(core_logic::interviewers::working_hours(&state.pool, me.0.id).await?))
}

/// Replaces the current account's working hours.
#[utoipa::path(operation_id = "me_set_working_hours", put, path = "/api/me/working-hours", tag = "auth",
    request_body = Vec<core_logic::interviewers::WorkingWindow>,
    responses((status = 200, body = Vec<core_logic::interviewers::WorkingWindow>)))]
pub async fn set_my_working_hours(
    State(state): State<AppState>,
    me: AnyRole,
    crate::error::ApiJson(body): crate::error::ApiJson<Vec<core_logic::interviewers::WorkingWindow>>,
) -> ApiResult<Json<Vec<core_logic::interviewers::WorkingWindow>>> {
    Ok(Json(core_logic::interviewers::set_working_hours(&state.pool, me.id(), me.0.id, &body, Utc::now()).await?))
}

/// Whether the current account has a calendar feed.
#[utoipa::path(operation_id = "me_feed", get, path = "/api/me/calendar-feed", tag = "auth",
    responses((status = 200, body = core_logic::feeds::FeedState)))]
pub async fn feed_state(State(state): State<AppState>, me: AnyRole) -> ApiResult<Json<core_logic::feeds::FeedState>> {
    Ok(Json(core_logic::feeds::state(&state.pool, me.0.id).await?))
}

/// A new secret calendar feed address for the current account, shown once (an older one stops
/// working). Subscribe to `<this server><path>` in Google Calendar or Outlook.
#[utoipa::path(operation_id = "me_feed_regenerate", post, path = "/api/me/calendar-feed", tag = "auth",
    responses((status = 200, body = core_logic::feeds::NewFeed)))]
pub async fn feed_regenerate(
    State(state): State<AppState>,
    me: AnyRole,
) -> ApiResult<Json<core_logic::feeds::NewFeed>> {
    Ok(Json(core_logic::feeds::regenerate(&state.pool, me.0.id, Utc::now()).await?))
}

/// Revokes the current account's calendar feed.
#[utoipa::path(operation_id = "me_feed_revoke", delete, path = "/api/me/calendar-feed", tag = "auth",
    responses((status = 204, description = "Revoked")))]
pub async fn feed_revoke(State(state): State<AppState>, me: AnyRole) -> ApiResult<StatusCode> {
    core_logic::feeds::revoke(&state.pool, me.0.id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /calendar/<token>.ics`: a team member's feed, by its secret alone (no session; calendar
/// apps cannot log in). An unknown or revoked address: 404.
pub async fn calendar_feed(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(token) = file.strip_suffix(".ics").filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
    else {
        return crate::error::ApiError::not_found("calendar feed").into_response();
    };
    match core_logic::feeds::events(&state.pool, token, Utc::now()).await {
        Ok(Some((name, events))) => {
            let body = core_logic::ics::feed(&format!("Собеседования: {name}"), &events, Utc::now());
            ([(axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response()
        }
        Ok(None) => crate::error::ApiError::not_found("calendar feed").into_response(),
        Err(err) => crate::error::ApiError::from(err).into_response(),
    }
}

/// The Telegram account an admin linked.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LinkedTelegram {
    /// The account as a candidate of the bot: test sends go to this id.
    pub candidate_id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
}

/// The admin's Telegram link.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TelegramLinkView {
    /// `null` until the admin opens a link in Telegram.
    pub linked: Option<LinkedTelegram>,
    /// The bot's username; `null` until the bot has started once.
    pub bot_username: Option<String>,
}

/// The current admin's linked Telegram account.
#[utoipa::path(operation_id = "me_telegram", get, path = "/api/me/telegram", tag = "auth",
    responses((status = 200, body = TelegramLinkView), (status = 401, body = crate::error::ErrorBody)))]
pub async fn telegram(State(state): State<AppState>, admin: AnyRole) -> ApiResult<Json<TelegramLinkView>> {
    let linked = telegram_link::linked_account(&state.pool, admin.0.id).await?.map(|c| LinkedTelegram {
        candidate_id: c.id,
        first_name: c.first_name,
        last_name: c.last_name,
        username: c.username,
    });
    let bot_username = telegram_link::bot_username(&state.pool).await?;
    Ok(Json(TelegramLinkView { linked, bot_username }))
}

/// A new one-time link (valid 15 minutes; a newer one replaces it): the first Telegram account
/// that opens it becomes the admin's. 409 `bot_not_started` while the bot has never started.
#[utoipa::path(operation_id = "me_telegram_link", post, path = "/api/me/telegram/link", tag = "auth",
    responses((status = 200, body = LinkOffer), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn link(State(state): State<AppState>, admin: AnyRole) -> ApiResult<Json<LinkOffer>> {
    Ok(Json(telegram_link::offer(&state.pool, admin.0.id, Utc::now()).await?))
}

/// Forgets the admin's Telegram account.
#[utoipa::path(operation_id = "me_telegram_unlink", delete, path = "/api/me/telegram", tag = "auth",
    responses((status = 204, description = "Unlinked (or nothing was linked)"), (status = 401, body = crate::error::ErrorBody)))]
pub async fn unlink(State(state): State<AppState>, admin: AnyRole) -> ApiResult<StatusCode> {
    telegram_link::unlink(&state.pool, admin.0.id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
