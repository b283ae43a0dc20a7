//! JSON builders for the Bot API objects the fake returns (User, Chat, Message, Update, ...) and
//! the `{"ok":...}` envelope of every answer.
//!
//! The shapes follow <https://core.telegram.org/bots/api#available-types> closely enough that
//! teloxide 0.17 deserializes them; the comments note the fields teloxide insists on.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::state::{SentDocument, SentMessage};

/// The user id of the fake bot (`from.id` of every message it sends).
pub const BOT_USER_ID: i64 = 7_000_000_001;
/// The username of the fake bot, as `getMe` answers it.
pub const BOT_USERNAME: &str = "fake_booking_bot";
/// The first name of the fake bot, as `getMe` answers it.
pub const BOT_FIRST_NAME: &str = "Fake Booking Bot";

/// A Telegram user talking to the bot in a private chat (the chat id is the user id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FakeUser {
    /// User id, also the id of the private chat with the bot.
    pub id: i64,
    /// First name.
    pub first_name: String,
    /// Last name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Username without `@`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// IETF language tag of the user's app (`"en"`, `"ru"`...), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

impl FakeUser {
    /// A user with only an id and a first name.
    pub fn new(id: i64, first_name: impl Into<String>) -> Self {
        Self { id, first_name: first_name.into(), last_name: None, username: None, language_code: None }
    }

    /// Sets the language code of the user's app.
    #[must_use]
    pub fn lang(mut self, language_code: impl Into<String>) -> Self {
        self.language_code = Some(language_code.into());
        self
    }

    /// Sets the last name.
    #[must_use]
    pub fn last_name(mut self, last_name: impl Into<String>) -> Self {
        self.last_name = Some(last_name.into());
        self
    }

    /// Sets the username (without `@`).
    #[must_use]
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }
}

/// What a user puts into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UserContent {
    /// Plain text, without entities.
    Text(String),
    /// Text starting with `/command`, with a `bot_command` entity over the command.
    Command(String),
    /// A regular static sticker.
    Sticker,
    /// A photo in two sizes, with an optional caption.
    Photo { caption: Option<String> },
    /// A document (a file) with its name and an optional caption.
    Document { file_name: String, caption: Option<String> },
    /// A voice message.
    Voice,
    /// A shared contact: the sender's own (from the "share contact" keyboard button) or another
    /// person's.
    Contact { phone_number: String, own: bool },
}

/// An answer to a Bot API call: the HTTP status and the JSON envelope.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiReply {
    pub status: StatusCode,
    pub body: Value,
}

impl ApiReply {
    /// `{"ok":true,"result":...}` with 200.
    pub fn ok(result: Value) -> Self {
        Self { status: StatusCode::OK, body: json!({ "ok": true, "result": result }) }
    }

    /// `{"ok":false,"error_code":N,"description":...}` with status N.
    pub fn error(code: u16, description: impl Into<String>) -> Self {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self { status, body: json!({ "ok": false, "error_code": status.as_u16(), "description": description.into() }) }
    }

    /// 400 Bad Request with the given reason (`"chat not found"`).
    pub fn bad_request(reason: &str) -> Self {
        Self::error(400, format!("Bad Request: {reason}"))
    }

    /// 429 with `retry_after` both in `parameters` (which teloxide reads) and in the description.
    pub fn too_many_requests(retry_after: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            body: json!({
                "ok": false,
                "error_code": 429,
                "description": format!("Too Many Requests: retry after {retry_after}"),
                "parameters": { "retry_after": retry_after },
            }),
        }
    }

    /// Whether this is a success.
    pub fn is_ok(&self) -> bool {
        self.status == StatusCode::OK
    }
}

impl IntoResponse for ApiReply {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// The bot as a `User` object.
pub(crate) fn bot_user() -> Value {
    json!({ "id": BOT_USER_ID, "is_bot": true, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME })
}

/// The answer of `getMe`: teloxide's `Me` requires all four capability flags.
pub(crate) fn me() -> Value {
    let mut me = bot_user();
    if let Value::Object(fields) = &mut me {
        fields.insert("can_join_groups".into(), json!(true));
        fields.insert("can_read_all_group_messages".into(), json!(false));
        fields.insert("supports_inline_queries".into(), json!(false));
        fields.insert("can_connect_to_business".into(), json!(false));
        fields.insert("has_main_web_app".into(), json!(false));
    }
    me
}

/// A user as a `User` object.
pub(crate) fn user_json(user: &FakeUser) -> Value {
    let mut value = json!({ "id": user.id, "is_bot": false, "first_name": user.first_name });
    insert_opt(&mut value, "last_name", user.last_name.as_deref());
    insert_opt(&mut value, "username", user.username.as_deref());
    insert_opt(&mut value, "language_code", user.language_code.as_deref());
    value
}

/// A `Chat` object. Positive ids are private chats (named after the user when known), ids
/// below -10^12 supergroups, other negative ids groups.
pub(crate) fn chat_json(chat_id: i64, user: Option<&FakeUser>) -> Value {
    if chat_id > 0 {
        let mut chat = json!({ "id": chat_id, "type": "private" });
        if let Some(user) = user {
            insert_opt(&mut chat, "first_name", Some(&user.first_name));
            insert_opt(&mut chat, "last_name", user.last_name.as_deref());
            insert_opt(&mut chat, "username", user.username.as_deref());
        }
        chat
    } else if chat_id < -1_000_000_000_000 {
        json!({ "id": chat_id, "type": "supergroup", "title": "Fake supergroup" })
    } else {
        json!({ "id": chat_id, "type": "group", "title": "Fake group" })
    }
}

/// A message the bot sent, in its current state, as a `Message` object.
pub(crate) fn bot_message_json(message: &SentMessage, chat_user: Option<&FakeUser>) -> Value {
    let mut value = json!({
        "message_id": message.message_id,
        "from": bot_user(),
        "chat": chat_json(message.chat_id, chat_user),
        "date": message.date,
    });
    if let Some(edit_date) = message.edit_date {
        insert(&mut value, "edit_date", json!(edit_date));
    }
    if let Some(text) = &message.text {
        insert(&mut value, "text", json!(text));
    }
    if let Some(options) = &message.link_preview_options {
        insert(&mut value, "link_preview_options", options.clone());
    }
    if let Some(document) = &message.document {
        insert(&mut value, "document", document_json(document));
    }
    if let Some(photo) = &message.photo {
        let mut size = document_json(photo);
        insert(&mut size, "width", json!(800));
        insert(&mut size, "height", json!(600));
        if let Value::Object(fields) = &mut size {
            fields.remove("file_name");
            fields.remove("mime_type");
        }
        insert(&mut value, "photo", json!([size]));
    }
    if let Some(caption) = &message.caption {
        insert(&mut value, "caption", json!(caption));
    }
    // Telegram shows only inline keyboards in `Message.reply_markup`, and teloxide's `Message`
    // fails to deserialize any other markup (reply keyboards, remove_keyboard, force_reply).
    if let Some(markup) = message.reply_markup.as_ref().filter(|markup| markup.get("inline_keyboard").is_some()) {
        insert(&mut value, "reply_markup", markup.clone());
    }
    value
}

/// A `Document` object (or the `photo` sizes' common file fields) for a sent file.
pub(crate) fn document_json(document: &SentDocument) -> Value {
    let mut value = json!({
        "file_id": document.file_id,
        "file_unique_id": format!("u{}", document.file_id),
        "file_size": document.bytes.len(),
    });
    if !document.file_name.is_empty() {
        insert(&mut value, "file_name", json!(document.file_name));
    }
    insert_opt(&mut value, "mime_type", document.mime_type.as_deref());
    value
}

/// A `Message` object written by a user in the private chat with the bot.
pub(crate) fn user_message_json(message_id: i64, date: i64, user: &FakeUser, content: &UserContent) -> Value {
    let mut value = json!({
        "message_id": message_id,
        "from": user_json(user),
        "chat": chat_json(user.id, Some(user)),
        "date": date,
    });
    match content {
        UserContent::Text(text) => insert(&mut value, "text", json!(text)),
        UserContent::Command(text) => {
            let command_length = text.split_whitespace().next().map_or(0, |command| command.encode_utf16().count());
            insert(&mut value, "text", json!(text));
            insert(&mut value, "entities", json!([{ "type": "bot_command", "offset": 0, "length": command_length }]));
        }
        UserContent::Sticker => insert(
            &mut value,
            "sticker",
            // teloxide needs `type`, `width`, `height`, `is_animated` and `is_video` here.
            json!({
                "file_id": format!("sticker-{message_id}"),
                "file_unique_id": format!("usticker-{message_id}"),
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": false,
                "is_video": false,
                "emoji": "👍",
                "file_size": 20_480,
            }),
        ),
        UserContent::Photo { caption } => {
            insert(
                &mut value,
                "photo",
                json!([
                    { "file_id": format!("photo-s-{message_id}"), "file_unique_id": format!("uphoto-s-{message_id}"),
                      "width": 90, "height": 60, "file_size": 1_024 },
                    { "file_id": format!("photo-m-{message_id}"), "file_unique_id": format!("uphoto-m-{message_id}"),
                      "width": 800, "height": 533, "file_size": 65_536 },
                ]),
            );
            insert_caption(&mut value, caption.as_deref());
        }
        UserContent::Document { file_name, caption } => {
            insert(
                &mut value,
                "document",
                json!({
                    "file_id": format!("document-{message_id}"),
                    "file_unique_id": format!("udocument-{message_id}"),
                    "file_name": file_name,
                    "mime_type": "application/octet-stream",
                    "file_size": 10_240,
                }),
            );
            insert_caption(&mut value, caption.as_deref());
        }
        UserContent::Contact { phone_number, own } => insert(
            &mut value,
            "contact",
            json!({
                "phone_number": phone_number,
                "first_name": if *own { user.first_name.as_str() } else { "Someone" },
                "user_id": if *own { user.id } else { user.id + 1_000_000 },
            }),
        ),
        UserContent::Voice => insert(
            &mut value,
            "voice",
            json!({
                "file_id": format!("voice-{message_id}"),
                "file_unique_id": format!("uvoice-{message_id}"),
                "duration": 3,
                "mime_type": "audio/ogg",
                "file_size": 4_096,
            }),
        ),
    }
    value
}

/// Sets a media message's caption, when it has one.
fn insert_caption(object: &mut Value, caption: Option<&str>) {
    if let Some(caption) = caption.filter(|c| !c.is_empty()) {
        insert(object, "caption", json!(caption));
    }
}

/// Sets `key` on a JSON object.
fn insert(object: &mut Value, key: &str, value: Value) {
    if let Value::Object(fields) = object {
        fields.insert(key.to_owned(), value);
    }
}

/// Sets `key` on a JSON object when the value is there.
fn insert_opt(object: &mut Value, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        insert(object, key, json!(value));
    }
}
