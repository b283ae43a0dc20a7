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
    Router::new().route("/telegram", get(telegram).delete(unlink)).route("/telegram/link", post(link))
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
