//! Control over HTTP, for tests that run the real bot binary in another process: the
//! `/_control/...` routes mirror the Rust test API of [`crate::FakeTelegram`], and
//! [`ControlClient`] calls them.
//!
//! | route | body / query | answer |
//! | --- | --- | --- |
//! | `POST /_control/message` | `{user, text, kind?, file_name?}` | `{update_id}` |
//! | `POST /_control/callback` | `{user, message_id, data}` | `{callback_query_id}` |
//! | `GET /_control/sent` | `?chat_id=` (optional) | `[SentMessage]` |
//! | `GET /_control/last` | `?chat_id=` | `SentMessage` or `null` |
//! | `GET /_control/stats` | | `Stats` |
//! | `GET /_control/callback_answers` | | `[CallbackAnswer]` |
//! | `GET /_control/commands` | | `{language_code: [command]}` |
//! | `POST /_control/limits` | `{global_per_sec, per_chat_per_sec, paid_per_sec?}` or `null` | `{}` |
//! | `POST /_control/faults` | `{blocked?, not_found?, fail_next?, delay_ms?, too_many_requests?}` | `{}` |
//! | `POST /_control/clear_sent` | | `{}` |
//! | `POST /_control/reset` | | `{}` |

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::limits::Limits;
use crate::ratio::TooManyRequestsRatio;
use crate::state::{CallbackAnswer, FailNext, RegisteredCommand, SentMessage, Shared, Stats};
use crate::types::{FakeUser, UserContent};

/// The body of `POST /_control/message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMessage {
    /// Who writes.
    pub user: FakeUser,
    /// The text; the caption of a photo or a document; ignored for stickers and voice.
    #[serde(default)]
    pub text: String,
    /// `"text"`, `"command"`, `"sticker"`, `"photo"`, `"document"`, `"voice"` or `"contact"` (the
    /// sender's own, `text` being the phone number); by default a
    /// text starting with `/` is a command (with a `bot_command` entity) and any other a plain
    /// text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A document's file name (`"document.pdf"` when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// The body of `POST /_control/callback`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ButtonPress {
    /// Who presses.
    pub user: FakeUser,
    /// The bot's message carrying the button.
    pub message_id: i64,
    /// The button's `callback_data`.
    pub data: String,
}

/// The body of `POST /_control/faults`: each field given replaces that fault, the others stay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultsRequest {
    /// Chats whose sends answer 403 "Forbidden: bot was blocked by the user".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Vec<i64>>,
    /// Chats whose sends answer 400 "Bad Request: chat not found".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_found: Option<Vec<i64>>,
    /// The next `n` sends answer `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_next: Option<FailNext>,
    /// Every Bot API call answers after this many milliseconds (0: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// A fraction of sends answers 429 (a ratio of 0 switches it off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub too_many_requests: Option<TooManyRequestsRatio>,
}

#[derive(Debug, Deserialize)]
struct ChatQuery {
    chat_id: Option<i64>,
}

/// The `/_control` routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_control/message", post(message))
        .route("/_control/callback", post(callback))
        .route("/_control/sent", get(sent))
        .route("/_control/last", get(last))
        .route("/_control/stats", get(|State(shared): State<Arc<Shared>>| async move { Json(shared.stats()) }))
        .route(
            "/_control/callback_answers",
            get(|State(shared): State<Arc<Shared>>| async move { Json(shared.lock().callback_answers.clone()) }),
        )
        .route(
            "/_control/commands",
            get(|State(shared): State<Arc<Shared>>| async move { Json(shared.lock().commands.clone()) }),
        )
        .route("/_control/limits", post(limits))
        .route("/_control/faults", post(faults))
        .route("/_control/clear_sent", post(clear_sent))
        .route("/_control/reset", post(reset))
}

async fn message(State(shared): State<Arc<Shared>>, Json(body): Json<UserMessage>) -> Json<Value> {
    let content = match body.kind.as_deref() {
        Some("sticker") => UserContent::Sticker,
        Some("photo") => UserContent::Photo { caption: Some(body.text).filter(|c| !c.is_empty()) },
        Some("document") => UserContent::Document {
            file_name: body.file_name.unwrap_or_else(|| "document.pdf".to_owned()),
            caption: Some(body.text).filter(|c| !c.is_empty()),
        },
        Some("voice") => UserContent::Voice,
        Some("contact") => UserContent::Contact { phone_number: body.text, own: true },
        Some("command") => UserContent::Command(body.text),
        Some("text") => UserContent::Text(body.text),
        _ if body.text.starts_with('/') => UserContent::Command(body.text),
        _ => UserContent::Text(body.text),
    };
    Json(json!({ "update_id": shared.user_sends(&body.user, &content) }))
}

async fn callback(State(shared): State<Arc<Shared>>, Json(body): Json<ButtonPress>) -> Json<Value> {
    let id = shared.user_presses_button(&body.user, body.message_id, &body.data);
    Json(json!({ "callback_query_id": id }))
}

async fn sent(State(shared): State<Arc<Shared>>, Query(query): Query<ChatQuery>) -> Json<Vec<SentMessage>> {
    let state = shared.lock();
    let all = state.sent.iter().filter(|message| query.chat_id.is_none_or(|chat_id| message.chat_id == chat_id));
    Json(all.cloned().collect())
}

async fn last(State(shared): State<Arc<Shared>>, Query(query): Query<ChatQuery>) -> Json<Option<SentMessage>> {
    Json(query.chat_id.and_then(|chat_id| crate::fake::last_in_chat(&shared, chat_id)))
}

async fn limits(State(shared): State<Arc<Shared>>, Json(limits): Json<Option<Limits>>) -> Json<Value> {
    shared.lock().limiter.set(limits);
    Json(json!({}))
}

async fn faults(State(shared): State<Arc<Shared>>, Json(body): Json<FaultsRequest>) -> Json<Value> {
    let mut state = shared.lock();
    if let Some(blocked) = body.blocked {
        state.faults.blocked = blocked.into_iter().collect();
    }
    if let Some(not_found) = body.not_found {
        state.faults.not_found = not_found.into_iter().collect();
    }
    if let Some(fail_next) = body.fail_next {
        state.faults.fail_next = Some(fail_next);
    }
    if let Some(delay_ms) = body.delay_ms {
        state.faults.delay = Duration::from_millis(delay_ms);
    }
    if let Some(too_many_requests) = body.too_many_requests {
        state.faults.ratio.set(Some(too_many_requests));
    }
    Json(json!({}))
}

async fn clear_sent(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.lock().sent.clear();
    Json(json!({}))
}

async fn reset(State(shared): State<Arc<Shared>>) -> Json<Value> {
    shared.reset();
    Json(json!({}))
}

/// Drives a fake running in another process through its `/_control` routes.
#[derive(Debug, Clone)]
pub struct ControlClient {
    base_url: String,
    http: reqwest::Client,
}

impl ControlClient {
    /// A client for the fake at `base_url` (what the fake printed, e.g. `http://127.0.0.1:8081`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self { base_url: base_url.into().trim_end_matches('/').to_owned(), http: reqwest::Client::new() }
    }

    /// `user` writes `text` (a command when it starts with `/`); returns the update id.
    pub async fn user_sends_text(&self, user: &FakeUser, text: &str) -> reqwest::Result<i64> {
        self.user_message(UserMessage { user: user.clone(), text: text.to_owned(), kind: None, file_name: None }).await
    }

    /// `user` sends a sticker; returns the update id.
    pub async fn user_sends_sticker(&self, user: &FakeUser) -> reqwest::Result<i64> {
        self.user_message(UserMessage {
            user: user.clone(),
            text: String::new(),
            kind: Some("sticker".into()),
            file_name: None,
        })
        .await
    }

    /// `user` sends a photo; returns the update id.
    pub async fn user_sends_photo(&self, user: &FakeUser) -> reqwest::Result<i64> {
        self.user_message(UserMessage {
            user: user.clone(),
            text: String::new(),
            kind: Some("photo".into()),
            file_name: None,
        })
        .await
    }

    /// Sends any [`UserMessage`]; returns the update id.
    pub async fn user_message(&self, message: UserMessage) -> reqwest::Result<i64> {
        let answer: Value = self.post("message", &message).await?;
        Ok(answer.get("update_id").and_then(Value::as_i64).unwrap_or_default())
    }

    /// `user` presses the button with `data` under the bot's message; returns the callback id.
    pub async fn user_presses_button(&self, user: &FakeUser, message_id: i64, data: &str) -> reqwest::Result<String> {
        let press = ButtonPress { user: user.clone(), message_id, data: data.to_owned() };
        let answer: Value = self.post("callback", &press).await?;
        Ok(answer.get("callback_query_id").and_then(Value::as_str).unwrap_or_default().to_owned())
    }

    /// Every message the bot sent or edited, in order.
    pub async fn sent(&self) -> reqwest::Result<Vec<SentMessage>> {
        self.get("sent").await
    }

    /// The sends and edits in one chat, in order.
    pub async fn sent_to(&self, chat_id: i64) -> reqwest::Result<Vec<SentMessage>> {
        self.get(&format!("sent?chat_id={chat_id}")).await
    }

    /// The current state of the bot's latest message in a chat.
    pub async fn last_to(&self, chat_id: i64) -> reqwest::Result<Option<SentMessage>> {
        self.get(&format!("last?chat_id={chat_id}")).await
    }

    /// Polls the sent log until a message matches or `timeout` passes.
    pub async fn wait_for(
        &self,
        predicate: impl Fn(&SentMessage) -> bool,
        timeout: Duration,
    ) -> Result<SentMessage, String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let sent = self.sent().await.map_err(|e| format!("can't read the sent log: {e}"))?;
            if let Some(found) = sent.iter().find(|message| predicate(message)) {
                return Ok(found.clone());
            }
            if tokio::time::Instant::now() >= deadline {
                let bodies: Vec<&str> = sent.iter().map(SentMessage::body).collect();
                return Err(format!("no sent message matched within {timeout:?}; sent: {bodies:?}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The counters.
    pub async fn stats(&self) -> reqwest::Result<Stats> {
        self.get("stats").await
    }

    /// Every answerCallbackQuery call, in order.
    pub async fn callback_answers(&self) -> reqwest::Result<Vec<CallbackAnswer>> {
        self.get("callback_answers").await
    }

    /// The commands set with setMyCommands, by language code (`""` for the default list).
    pub async fn commands(&self) -> reqwest::Result<BTreeMap<String, Vec<RegisteredCommand>>> {
        self.get("commands").await
    }

    /// Turns flood limits on or off.
    pub async fn set_limits(&self, limits: Option<Limits>) -> reqwest::Result<()> {
        self.post::<_, Value>("limits", &limits).await.map(drop)
    }

    /// Replaces the faults given in `faults`.
    pub async fn set_faults(&self, faults: &FaultsRequest) -> reqwest::Result<()> {
        self.post::<_, Value>("faults", faults).await.map(drop)
    }

    /// Switches every fault off.
    pub async fn reset_faults(&self) -> reqwest::Result<()> {
        let none = FaultsRequest {
            blocked: Some(Vec::new()),
            not_found: Some(Vec::new()),
            fail_next: Some(FailNext { n: 0, status: 502 }),
            delay_ms: Some(0),
            too_many_requests: Some(TooManyRequestsRatio::new(0.0, 0)),
        };
        self.set_faults(&none).await
    }

    /// Empties the sent log.
    pub async fn clear_sent(&self) -> reqwest::Result<()> {
        self.post::<_, Value>("clear_sent", &json!({})).await.map(drop)
    }

    /// Clears the sent log, callback answers, faults, limits and counters.
    pub async fn reset(&self) -> reqwest::Result<()> {
        self.post::<_, Value>("reset", &json!({})).await.map(drop)
    }

    async fn get<T: DeserializeOwned>(&self, route: &str) -> reqwest::Result<T> {
        let url = format!("{}/_control/{route}", self.base_url);
        self.http.get(url).send().await?.error_for_status()?.json().await
    }

    async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(&self, route: &str, body: &B) -> reqwest::Result<T> {
        let url = format!("{}/_control/{route}", self.base_url);
        self.http.post(url).json(body).send().await?.error_for_status()?.json().await
    }
}
