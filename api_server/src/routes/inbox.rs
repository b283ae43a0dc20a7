//! The inbox: `/api/inbox` (every conversation, newest first, with the unread counts) and each
//! candidate's conversation under `/api/users/{id}/messages`: read it, mark it read, reply.
//! A reply goes to the candidate through the queue like every other message.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use core_logic::inbox::{self, ConversationMessage, ConversationPage, ConversationSummary};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, Id};
use crate::routes::PageParams;
use crate::state::AppState;

/// `/api/inbox`.
pub fn router() -> Router<AppState> {
    Router::new().route("/inbox", get(list))
}

/// The conversation routes, merged into `/api/users`.
pub fn user_routes() -> Router<AppState> {
    Router::new().route("/{id}/messages", get(conversation).post(reply)).route("/{id}/messages/read", post(read))
}

/// The inbox list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InboxPage {
    /// One per candidate who wrote or was replied to; the newest last message first.
    pub items: Vec<ConversationSummary>,
    /// Conversations in all.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    /// Unread incoming messages in all conversations.
    pub total_unread: i64,
}

/// Every conversation, the one with the newest message first, with unread counts.
#[utoipa::path(operation_id = "inbox_list", get, path = "/api/inbox", tag = "inbox", params(PageParams),
    responses((status = 200, body = InboxPage)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(page): ApiQuery<PageParams>,
) -> ApiResult<Json<InboxPage>> {
    let (limit, offset) = page.resolve()?;
    let found = inbox::conversations(&state.pool, limit, offset).await?;
    Ok(Json(InboxPage { items: found.items, total: found.total, limit, offset, total_unread: found.total_unread }))
}

/// Which page of a conversation.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConversationParams {
    /// 1 to 200, default 50.
    pub limit: Option<i64>,
    /// Messages older than this message id; without it, the newest.
    pub before: Option<i64>,
}

/// A candidate's conversation: the newest messages (or those before `before`), oldest first,
/// each reply with its delivery status.
#[utoipa::path(operation_id = "users_messages", get, path = "/api/users/{id}/messages", tag = "inbox",
    params(("id" = i64, Path), ConversationParams),
    responses((status = 200, body = ConversationPage), (status = 404, body = crate::error::ErrorBody)))]
pub async fn conversation(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    Id(id): Id,
    ApiQuery(params): ApiQuery<ConversationParams>,
) -> ApiResult<Json<ConversationPage>> {
    let limit = params.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::validation("limit", "must be between 1 and 200"));
    }
    if params.before.is_some_and(|b| b < 1) {
        return Err(ApiError::validation("before", "must be a message id (1 or more)"));
    }
    Ok(Json(inbox::conversation(&state.pool, id, limit, params.before).await?))
}

/// A recruiter's reply.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    /// Plain text (not HTML), 1 to 4096 characters.
    pub text: String,
}

/// Replies to a candidate: the message is stored and queued for the bot at once; its
/// `delivery_status` follows it to the candidate. 409 when the candidate blocked the bot or is
/// blocked.
#[utoipa::path(operation_id = "users_reply", post, path = "/api/users/{id}/messages", tag = "inbox",
    params(("id" = i64, Path)), request_body = NewReply,
    responses((status = 201, body = ConversationMessage), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<NewReply>,
) -> ApiResult<(StatusCode, Json<ConversationMessage>)> {
    let message = inbox::reply(&state.pool, admin.id(), id, &body.text, Utc::now()).await?;
    // The event worker puts the delivery on the queue now rather than at its next poll.
    state.worker_wakeup.notify_one();
    Ok((StatusCode::CREATED, Json(message)))
}

/// What marking a conversation read did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MarkedRead {
    /// Messages that were unread.
    pub read: u64,
}

/// Marks a candidate's incoming messages read (the panel does it on opening the conversation).
#[utoipa::path(operation_id = "users_messages_read", post, path = "/api/users/{id}/messages/read", tag = "inbox",
    params(("id" = i64, Path)),
    responses((status = 200, body = MarkedRead), (status = 404, body = crate::error::ErrorBody)))]
pub async fn read(State(state): State<AppState>, _admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<MarkedRead>> {
    Ok(Json(MarkedRead { read: inbox::mark_read(&state.pool, id, Utc::now()).await? }))
}
