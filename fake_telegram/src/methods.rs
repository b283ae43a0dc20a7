//! The Bot API methods the fake implements, with the faults and flood limits a test switched on
//! applied before a method runs.
//!
//! Each method answers what Telegram answers for the same call (shapes from
//! <https://core.telegram.org/bots/api#available-methods>), including the error descriptions
//! teloxide maps to its `ApiError` variants.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::params::{FileParam, Params};
use crate::state::{CallbackAnswer, RegisteredCommand, SentDocument, SentMessage, Shared, State};
use crate::types::{self, ApiReply};

/// Every method the fake knows, as Telegram spells it.
const METHODS: &[&str] = &[
    "getMe",
    "getWebhookInfo",
    "deleteWebhook",
    "getUpdates",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "deleteMessage",
    "sendChatAction",
];

/// The methods that send a message: flood limits and `fail_next` apply to them.
const SENDS: &[&str] = &["sendMessage", "sendDocument", "sendPhoto"];

/// The methods besides the sends that act on one chat: blocked and not-found chats apply to
/// them and to the sends ([`acts_on_chat`]).
const OTHER_CHAT_METHODS: &[&str] =
    &["editMessageText", "editMessageCaption", "editMessageReplyMarkup", "deleteMessage", "sendChatAction"];

fn acts_on_chat(method: &str) -> bool {
    SENDS.contains(&method) || OTHER_CHAT_METHODS.contains(&method)
}

/// teloxide matches this whole text to recognise `ApiError::MessageNotModified`.
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly \
                            the same as a current content and reply markup of the message";

/// The official spelling of a method name matched case-insensitively, if the fake knows it.
pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|known| known.eq_ignore_ascii_case(name))
}

/// Counts the request (when it arrives, so a long poll counts while it waits), runs the method
/// and counts the answer in the stats.
pub(crate) async fn call(shared: &Shared, method: &'static str, params: &Params) -> ApiReply {
    {
        let mut state = shared.lock();
        state.stats.requests += 1;
        *state.stats.methods.entry(method.to_owned()).or_default() += 1;
    }
    let reply =
        if method == "getUpdates" { get_updates(shared, params).await } else { call_sync(shared, method, params) };
    let mut state = shared.lock();
    if !reply.is_ok() {
        state.stats.errors_answered += 1;
    }
    if reply.status == StatusCode::TOO_MANY_REQUESTS {
        state.stats.too_many_requests_answered += 1;
    }
    reply
}

/// Every method but the long poll: one critical section each.
fn call_sync(shared: &Shared, method: &'static str, params: &Params) -> ApiReply {
    let mut state = shared.lock();
    if let Some(refusal) = refuse(&mut state, method, params) {
        return refusal;
    }
    let reply = match method {
        "getMe" => ApiReply::ok(types::me()),
        "getWebhookInfo" => ApiReply::ok(json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": state.updates.len(),
        })),
        "deleteWebhook" => {
            if params.bool("drop_pending_updates") == Some(true) {
                state.updates.clear();
            }
            ApiReply::ok(json!(true))
        }
        "setMyCommands" => set_my_commands(&mut state, params),
        "getMyCommands" => {
            let commands = state.commands.get(&language(params)).cloned().unwrap_or_default();
            ApiReply::ok(json!(commands))
        }
        "deleteMyCommands" => {
            state.commands.remove(&language(params));
            ApiReply::ok(json!(true))
        }
        "sendMessage" => send_message(&mut state, params),
        "sendDocument" | "sendPhoto" => send_file(&mut state, method, params),
        "editMessageText" | "editMessageCaption" | "editMessageReplyMarkup" => edit(&mut state, method, params),
        "answerCallbackQuery" => answer_callback_query(&mut state, params),
        "deleteMessage" => delete_message(&mut state, params),
        "sendChatAction" => ApiReply::ok(json!(true)),
        _ => ApiReply::error(404, "Not Found: method not found"),
    };
    if reply.is_ok() && (SENDS.contains(&method) || method.starts_with("edit")) {
        drop(state);
        shared.notify_sent();
    }
    reply
}

/// The answer for a call refused by a fault or a flood limit, if it is refused.
fn refuse(state: &mut State, method: &str, params: &Params) -> Option<ApiReply> {
    if !acts_on_chat(method) {
        return None;
    }
    let Some(chat_id) = params.i64("chat_id") else {
        let reason = if params.has("chat_id") { "chat not found" } else { "chat_id is empty" };
        return Some(ApiReply::bad_request(reason));
    };
    if state.faults.blocked.contains(&chat_id) {
        return Some(ApiReply::error(403, "Forbidden: bot was blocked by the user"));
    }
    if state.faults.not_found.contains(&chat_id) {
        return Some(ApiReply::bad_request("chat not found"));
    }
    if !SENDS.contains(&method) {
        return None;
    }
    if let Some(fail) = state.faults.fail_next.as_mut().filter(|fail| fail.n > 0) {
        fail.n -= 1;
        let status = StatusCode::from_u16(fail.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Some(ApiReply::error(status.as_u16(), status.canonical_reason().unwrap_or("Server Error")));
    }
    if let Some(retry_after) = state.faults.ratio.refuse(chat_id) {
        state.stats.too_many_requests_injected += 1;
        return Some(ApiReply::too_many_requests(retry_after));
    }
    let paid = params.bool("allow_paid_broadcast") == Some(true);
    let refused = state.limiter.try_send(chat_id, paid, Instant::now()).err().map(ApiReply::too_many_requests);
    if paid && refused.is_none() {
        state.stats.paid_sends += 1;
    }
    refused
}

/// `getUpdates`: drops the updates confirmed by `offset`, then answers at most `limit` pending
/// ones, waiting up to `timeout` seconds for the first.
async fn get_updates(shared: &Shared, params: &Params) -> ApiReply {
    let offset = params.i64("offset").unwrap_or(0);
    let limit = usize::try_from(params.i64("limit").unwrap_or(100).clamp(1, 100)).unwrap_or(100);
    let timeout = Duration::from_secs(params.i64("timeout").unwrap_or(0).clamp(0, 3600).unsigned_abs());
    let deadline = tokio::time::Instant::now() + timeout;
    let mut changed = shared.subscribe_updates();
    loop {
        changed.borrow_and_update();
        {
            let mut state = shared.lock();
            if offset > 0 {
                state.updates.retain(|(id, _)| *id >= offset);
            } else if offset < 0 {
                // A negative offset keeps only the last -offset updates.
                let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
                let drop = state.updates.len().saturating_sub(keep);
                state.updates.drain(..drop);
            }
            let batch: Vec<Value> = state.updates.iter().take(limit).map(|(_, update)| update.clone()).collect();
            if !batch.is_empty() {
                state.stats.updates_delivered += batch.len() as u64;
                return ApiReply::ok(Value::Array(batch));
            }
        }
        if tokio::time::timeout_at(deadline, changed.changed()).await.is_err() {
            return ApiReply::ok(json!([]));
        }
    }
}

/// The `language_code` parameter, `""` for the default command list.
fn language(params: &Params) -> String {
    params.str("language_code").unwrap_or_default()
}

fn set_my_commands(state: &mut State, params: &Params) -> ApiReply {
    let commands =
        params.json("commands").and_then(|value| serde_json::from_value::<Vec<RegisteredCommand>>(value).ok());
    let Some(commands) = commands else {
        return ApiReply::bad_request("can't parse commands JSON object");
    };
    state.commands.insert(language(params), commands);
    ApiReply::ok(json!(true))
}

/// A new message of the bot in `chat_id`, before its content is filled in.
fn new_message(state: &mut State, method: &str, chat_id: i64, params: &Params) -> SentMessage {
    SentMessage {
        method: method.to_owned(),
        chat_id,
        message_id: state.next_message_id(chat_id),
        text: None,
        caption: None,
        parse_mode: params.str("parse_mode"),
        reply_markup: params.json("reply_markup"),
        link_preview_options: params.json("link_preview_options"),
        document: None,
        photo: None,
        date: chrono::Utc::now().timestamp(),
        edit_date: None,
    }
}

/// Logs an accepted send and answers the new message.
fn accept_send(state: &mut State, message: SentMessage) -> ApiReply {
    let reply = ApiReply::ok(state.message_json(&message));
    state.stats.sends += 1;
    state.record(message);
    reply
}

fn send_message(state: &mut State, params: &Params) -> ApiReply {
    let (Some(chat_id), Some(text)) = (params.i64("chat_id"), params.str("text").filter(|text| !text.is_empty()))
    else {
        return ApiReply::bad_request("message text is empty");
    };
    let mut message = new_message(state, "sendMessage", chat_id, params);
    message.text = Some(text);
    accept_send(state, message)
}

/// `sendDocument` (`document` parameter) and `sendPhoto` (`photo` parameter).
fn send_file(state: &mut State, method: &str, params: &Params) -> ApiReply {
    let field = if method == "sendPhoto" { "photo" } else { "document" };
    let (Some(chat_id), Some(file)) = (params.i64("chat_id"), params.file(field)) else {
        return ApiReply::bad_request(&format!("there is no {field} in the request"));
    };
    let mut message = new_message(state, method, chat_id, params);
    let file = match file {
        FileParam::Upload(upload) => SentDocument {
            file_id: format!("{field}-{chat_id}-{}", message.message_id),
            mime_type: upload
                .content_type
                .filter(|content_type| content_type != "application/octet-stream")
                .or_else(|| guess_mime(&upload.file_name).map(str::to_owned)),
            file_name: upload.file_name,
            bytes: upload.bytes,
        },
        FileParam::Reference(file_id) => {
            SentDocument { file_id, file_name: String::new(), mime_type: None, bytes: Vec::new() }
        }
    };
    if field == "photo" {
        message.photo = Some(file);
    } else {
        message.document = Some(file);
    }
    message.caption = params.str("caption");
    accept_send(state, message)
}

/// `editMessageText`, `editMessageCaption` and `editMessageReplyMarkup`. As in Telegram, an edit
/// without `reply_markup` removes the inline keyboard.
fn edit(state: &mut State, method: &str, params: &Params) -> ApiReply {
    let key = (params.i64("chat_id").unwrap_or_default(), params.i64("message_id").unwrap_or_default());
    let Some(current) = state.messages.get(&key) else {
        return ApiReply::bad_request("message to edit not found");
    };
    let mut edited = current.clone();
    edited.reply_markup = params.json("reply_markup");
    match method {
        "editMessageText" => {
            if current.text.is_none() {
                return ApiReply::bad_request("there is no text in the message to edit");
            }
            let Some(text) = params.str("text").filter(|text| !text.is_empty()) else {
                return ApiReply::bad_request("message text is empty");
            };
            edited.text = Some(text);
            edited.parse_mode = params.str("parse_mode");
            edited.link_preview_options = params.json("link_preview_options");
        }
        "editMessageCaption" => {
            edited.caption = params.str("caption");
            edited.parse_mode = params.str("parse_mode");
        }
        _ => {}
    }
    if edited.text == current.text && edited.caption == current.caption && edited.reply_markup == current.reply_markup {
        return ApiReply::bad_request(NOT_MODIFIED);
    }
    edited.method = method.to_owned();
    edited.edit_date = Some(chrono::Utc::now().timestamp());
    let reply = ApiReply::ok(state.message_json(&edited));
    state.stats.edits += 1;
    state.record(edited);
    reply
}

fn answer_callback_query(state: &mut State, params: &Params) -> ApiReply {
    let id = params.str("callback_query_id").unwrap_or_default();
    if !state.open_callbacks.remove(&id) {
        return ApiReply::bad_request("query is too old and response timeout expired or query id is invalid");
    }
    state.callback_answers.push(CallbackAnswer {
        callback_query_id: id,
        text: params.str("text"),
        show_alert: params.bool("show_alert").unwrap_or(false),
        url: params.str("url"),
    });
    ApiReply::ok(json!(true))
}

fn delete_message(state: &mut State, params: &Params) -> ApiReply {
    let key = (params.i64("chat_id").unwrap_or_default(), params.i64("message_id").unwrap_or_default());
    if state.messages.remove(&key).is_none() {
        return ApiReply::bad_request("message to delete not found");
    }
    state.stats.deletes += 1;
    ApiReply::ok(json!(true))
}

/// The MIME type of a few file kinds a bot sends, by extension.
fn guess_mime(file_name: &str) -> Option<&'static str> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "ics" => "text/calendar",
        "json" => "application/json",
        "html" | "htm" => "text/html",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return None,
    })
}
