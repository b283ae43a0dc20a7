//! The fake's memory, shared by the HTTP handlers, the Rust test API and the control routes:
//! pending updates, the messages the bot sent, callback answers, commands, faults, limits and
//! counters, behind one mutex, plus watch channels that wake long polls and `wait_for`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::limits::RateLimiter;
use crate::ratio::RatioFaults;
use crate::types::{self, FakeUser, UserContent};

/// A message the bot sent or edited, as one entry of [`crate::FakeTelegram::sent`], or the
/// current state of a message ([`crate::FakeTelegram::last_to`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentMessage {
    /// The Bot API method, as Telegram spells it (`sendMessage`, `editMessageText`...).
    pub method: String,
    /// The chat the message is in.
    pub chat_id: i64,
    /// The message id inside that chat.
    pub message_id: i64,
    /// Text of a text message.
    pub text: Option<String>,
    /// Caption of a document or photo.
    pub caption: Option<String>,
    /// `parse_mode` as the bot gave it (`HTML`, `MarkdownV2`...).
    pub parse_mode: Option<String>,
    /// `reply_markup` as the bot gave it (inline or reply keyboard, remove_keyboard...).
    pub reply_markup: Option<Value>,
    /// `link_preview_options` as the bot gave it.
    pub link_preview_options: Option<Value>,
    /// The uploaded document of a `sendDocument`.
    pub document: Option<SentDocument>,
    /// The uploaded photo of a `sendPhoto`.
    pub photo: Option<SentDocument>,
    /// Unix time the message was sent.
    pub date: i64,
    /// Unix time of the last edit, if edited.
    pub edit_date: Option<i64>,
}

impl SentMessage {
    /// The text, else the caption, else `""`.
    pub fn body(&self) -> &str {
        self.text.as_deref().or(self.caption.as_deref()).unwrap_or_default()
    }

    /// `(text, callback_data)` of every inline keyboard button, row by row.
    pub fn inline_buttons(&self) -> Vec<(String, Option<String>)> {
        let rows = self.reply_markup.as_ref().and_then(|markup| markup.get("inline_keyboard"));
        rows.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|button| {
                let text = button.get("text").and_then(Value::as_str).unwrap_or_default().to_owned();
                let data = button.get("callback_data").and_then(Value::as_str).map(str::to_owned);
                (text, data)
            })
            .collect()
    }
}

/// A file the bot uploaded (or referred to by file id / URL, then with no bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentDocument {
    /// The file id the fake gave it (or the one the bot sent).
    pub file_id: String,
    /// The file name of the multipart part (`""` when the bot gave none).
    pub file_name: String,
    /// The part's content type, else a guess from the file name.
    pub mime_type: Option<String>,
    /// The uploaded bytes.
    pub bytes: Vec<u8>,
}

/// One `answerCallbackQuery` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackAnswer {
    /// The id of the answered callback query.
    pub callback_query_id: String,
    /// The notification text, if any.
    pub text: Option<String>,
    /// Whether an alert was asked for instead of a notification.
    pub show_alert: bool,
    /// The URL to open, if any.
    pub url: Option<String>,
}

/// One command of `setMyCommands`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredCommand {
    /// The command without `/`.
    pub command: String,
    /// Its description.
    pub description: String,
}

/// Makes the next `n` sends answer the HTTP status `status` (a 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailNext {
    /// How many sends fail.
    pub n: u32,
    /// The status they answer, e.g. 502.
    pub status: u16,
}

/// Counters of what the bot did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Bot API requests received (control routes not counted), counted when they arrive: a
    /// long poll counts while it waits.
    pub requests: u64,
    /// Requests per method, keyed by the method name as Telegram spells it.
    pub methods: BTreeMap<String, u64>,
    /// Accepted sends (sendMessage, sendDocument, sendPhoto).
    pub sends: u64,
    /// Of those, paid broadcasts (sent with `allow_paid_broadcast`).
    #[serde(default)]
    pub paid_sends: u64,
    /// Accepted edits (editMessageText, editMessageReplyMarkup, editMessageCaption).
    pub edits: u64,
    /// Accepted deleteMessage calls.
    pub deletes: u64,
    /// Updates handed out by getUpdates.
    pub updates_delivered: u64,
    /// Answers 429 Too Many Requests.
    pub too_many_requests_answered: u64,
    /// Of those, the ones the 429 ratio fault made (the rest hit a flood limit).
    #[serde(default)]
    pub too_many_requests_injected: u64,
    /// Answers with `"ok":false`, 429 included.
    pub errors_answered: u64,
    /// Updates injected but not confirmed yet.
    pub pending_updates: usize,
}

/// Faults a test switched on.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pub blocked: BTreeSet<i64>,
    pub not_found: BTreeSet<i64>,
    pub fail_next: Option<FailNext>,
    pub delay: Duration,
    pub ratio: RatioFaults,
}

/// Everything behind the mutex.
#[derive(Debug)]
pub(crate) struct State {
    pub next_update_id: i64,
    /// Updates not yet confirmed by an offset, oldest first, as `(update_id, Update JSON)`.
    pub updates: Vec<(i64, Value)>,
    pub last_message_id: HashMap<i64, i64>,
    /// The current state of every message the bot sent and has not deleted.
    pub messages: HashMap<(i64, i64), SentMessage>,
    /// Users seen, by id, to name their private chats.
    pub users: HashMap<i64, FakeUser>,
    pub sent: Vec<SentMessage>,
    pub next_callback_id: u64,
    pub open_callbacks: HashSet<String>,
    pub callback_answers: Vec<CallbackAnswer>,
    /// Commands by language code (`""` for the default list).
    pub commands: BTreeMap<String, Vec<RegisteredCommand>>,
    pub stats: Stats,
    pub limiter: RateLimiter,
    pub faults: Faults,
}

impl Default for State {
    fn default() -> Self {
        Self {
            next_update_id: 1,
            updates: Vec::new(),
            last_message_id: HashMap::new(),
            messages: HashMap::new(),
            users: HashMap::new(),
            sent: Vec::new(),
            next_callback_id: 1,
            open_callbacks: HashSet::new(),
            callback_answers: Vec::new(),
            commands: BTreeMap::new(),
            stats: Stats::default(),
            limiter: RateLimiter::default(),
            faults: Faults::default(),
        }
    }
}

impl State {
    /// The next message id in a chat (shared by the user's and the bot's messages).
    pub fn next_message_id(&mut self, chat_id: i64) -> i64 {
        let last = self.last_message_id.entry(chat_id).or_insert(0);
        *last += 1;
        *last
    }

    /// Queues an update built from its payload (`"message"`, `"callback_query"`...).
    fn push_update(&mut self, kind: &str, payload: Value) -> i64 {
        let update_id = self.next_update_id;
        self.next_update_id += 1;
        let mut update = json!({ "update_id": update_id });
        if let Value::Object(fields) = &mut update {
            fields.insert(kind.to_owned(), payload);
        }
        self.updates.push((update_id, update));
        update_id
    }

    /// Logs a send or an edit and makes it the current state of the message.
    pub fn record(&mut self, message: SentMessage) {
        self.messages.insert((message.chat_id, message.message_id), message.clone());
        self.sent.push(message);
    }

    /// The `Message` JSON of the bot's message in its current state.
    pub fn message_json(&self, message: &SentMessage) -> Value {
        types::bot_message_json(message, self.users.get(&message.chat_id))
    }
}

/// The state and the channels that announce changes to it.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Bumped when an update is queued: wakes long polls.
    updates_changed: watch::Sender<u64>,
    /// Bumped when a message is sent or edited: wakes `wait_for`.
    sent_changed: watch::Sender<u64>,
}

impl Shared {
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State::default()),
            updates_changed: watch::channel(0).0,
            sent_changed: watch::channel(0).0,
        }
    }

    /// Locks the state. A panic while locked leaves plain data behind, so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn subscribe_updates(&self) -> watch::Receiver<u64> {
        self.updates_changed.subscribe()
    }

    pub fn notify_sent(&self) {
        self.sent_changed.send_modify(|version| *version += 1);
    }

    fn notify_updates(&self) {
        self.updates_changed.send_modify(|version| *version += 1);
    }

    /// Queues a message from `user` in the private chat with the bot; returns the update id.
    pub fn user_sends(&self, user: &FakeUser, content: &UserContent) -> i64 {
        let update_id = {
            let mut state = self.lock();
            state.users.insert(user.id, user.clone());
            let message_id = state.next_message_id(user.id);
            let message = types::user_message_json(message_id, chrono::Utc::now().timestamp(), user, content);
            state.push_update("message", message)
        };
        self.notify_updates();
        update_id
    }

    /// Queues a callback query from `user` pressing a button under the bot's message
    /// `message_id` in the private chat; returns the callback query id.
    pub fn user_presses_button(&self, user: &FakeUser, message_id: i64, data: &str) -> String {
        let id = {
            let mut state = self.lock();
            state.users.insert(user.id, user.clone());
            let id = format!("cbq-{}", state.next_callback_id);
            state.next_callback_id += 1;
            state.open_callbacks.insert(id.clone());
            let message = match state.messages.get(&(user.id, message_id)) {
                Some(message) => state.message_json(message),
                // An InaccessibleMessage: what Telegram sends for deleted or very old messages.
                None => json!({ "chat": types::chat_json(user.id, Some(user)), "message_id": message_id, "date": 0 }),
            };
            let query = json!({
                "id": id,
                "from": types::user_json(user),
                "message": message,
                "chat_instance": format!("ci-{}", user.id),
                "data": data,
            });
            state.push_update("callback_query", query);
            id
        };
        self.notify_updates();
        id
    }

    /// Waits until a logged send or edit matches, checking the whole log first.
    pub async fn wait_for(
        &self,
        predicate: impl Fn(&SentMessage) -> bool,
        timeout: Duration,
    ) -> Result<SentMessage, String> {
        let mut changed = self.sent_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            changed.borrow_and_update();
            {
                let state = self.lock();
                if let Some(found) = state.sent.iter().find(|message| predicate(message)) {
                    return Ok(found.clone());
                }
            }
            if tokio::time::timeout_at(deadline, changed.changed()).await.is_err() {
                let state = self.lock();
                let bodies: Vec<String> = state
                    .sent
                    .iter()
                    .map(|m| format!("{} {}#{}: {:?}", m.method, m.chat_id, m.message_id, m.body()))
                    .collect();
                return Err(format!(
                    "no sent message matched within {timeout:?}; {} sent: [{}]",
                    bodies.len(),
                    bodies.join("; ")
                ));
            }
        }
    }

    /// Clears everything a test observes or switched on: sent log, callback answers, faults,
    /// limits and counters. Pending updates, stored messages and commands stay.
    pub fn reset(&self) {
        let mut state = self.lock();
        state.sent.clear();
        state.callback_answers.clear();
        state.faults = Faults::default();
        state.limiter.set(None);
        state.stats = Stats::default();
    }

    /// The counters, with the number of pending updates filled in.
    pub fn stats(&self) -> Stats {
        let state = self.lock();
        Stats { pending_updates: state.updates.len(), ..state.stats.clone() }
    }
}
