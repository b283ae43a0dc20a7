//! [`FakeTelegram`]: starts the server and is the Rust test API over its state: users write and
//! press buttons, the test reads what the bot sent and switches faults and limits on.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, ToSocketAddrs};

use crate::limits::Limits;
use crate::ratio::TooManyRequestsRatio;
use crate::state::{CallbackAnswer, FailNext, RegisteredCommand, SentMessage, Shared, Stats};
use crate::types::{FakeUser, UserContent};

/// A running fake Telegram Bot API server, and the handle tests drive it with.
///
/// Cloning gives another handle to the same server. The server runs on the Tokio runtime that
/// started it, until that runtime shuts down.
#[derive(Debug, Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl FakeTelegram {
    /// Starts a fake on 127.0.0.1 on a free port.
    ///
    /// # Panics
    /// If no port on 127.0.0.1 can be bound.
    pub async fn start() -> Self {
        match Self::start_on("127.0.0.1:0").await {
            Ok(fake) => fake,
            Err(error) => panic!("can't bind 127.0.0.1:0 for the fake Telegram: {error}"),
        }
    }

    /// Starts a fake on `addr`.
    pub async fn start_on(addr: impl ToSocketAddrs) -> io::Result<Self> {
        Self::serve(TcpListener::bind(addr).await?)
    }

    /// Starts a fake on a listener already bound.
    pub fn serve(listener: TcpListener) -> io::Result<Self> {
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new());
        let app = crate::server::router(shared.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "the fake Telegram server stopped");
            }
        });
        Ok(Self { shared, addr })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give teloxide (`Bot::set_api_url`) or `TELEGRAM_API_URL`, without a
    /// trailing slash: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `user` writes `text` in the private chat with the bot; returns the update id.
    pub fn user_sends_text(&self, user: &FakeUser, text: impl Into<String>) -> i64 {
        self.shared.user_sends(user, &UserContent::Text(text.into()))
    }

    /// `user` sends a command such as `"/start payload"`, with its `bot_command` entity;
    /// returns the update id.
    pub fn user_sends_command(&self, user: &FakeUser, text: impl Into<String>) -> i64 {
        self.shared.user_sends(user, &UserContent::Command(text.into()))
    }

    /// `user` sends a sticker; returns the update id.
    pub fn user_sends_sticker(&self, user: &FakeUser) -> i64 {
        self.shared.user_sends(user, &UserContent::Sticker)
    }

    /// `user` sends a photo; returns the update id.
    pub fn user_sends_photo(&self, user: &FakeUser) -> i64 {
        self.shared.user_sends(user, &UserContent::Photo { caption: None })
    }

    /// `user` sends a photo with a caption; returns the update id. Its sizes' file ids are
    /// `photo-s-<message id>` and `photo-m-<message id>` (the larger).
    pub fn user_sends_photo_with_caption(&self, user: &FakeUser, caption: impl Into<String>) -> i64 {
        self.shared.user_sends(user, &UserContent::Photo { caption: Some(caption.into()) })
    }

    /// `user` sends a document named `file_name` (file id `document-<message id>`), with an
    /// optional caption; returns the update id.
    pub fn user_sends_document(&self, user: &FakeUser, file_name: impl Into<String>, caption: Option<&str>) -> i64 {
        let content = UserContent::Document { file_name: file_name.into(), caption: caption.map(str::to_owned) };
        self.shared.user_sends(user, &content)
    }

    /// `user` sends a voice message; returns the update id.
    pub fn user_sends_voice(&self, user: &FakeUser) -> i64 {
        self.shared.user_sends(user, &UserContent::Voice)
    }

    /// `user` shares a contact: their own (`own`, as the "share contact" button sends it) or
    /// someone else's; returns the update id.
    pub fn user_shares_contact(&self, user: &FakeUser, phone_number: impl Into<String>, own: bool) -> i64 {
        self.shared.user_sends(user, &UserContent::Contact { phone_number: phone_number.into(), own })
    }

    /// `user` presses the inline button with `data` under the bot's message `message_id` in
    /// their private chat; returns the callback query id. The update carries the message as
    /// stored (or an inaccessible message if there is none).
    pub fn user_presses_button(&self, user: &FakeUser, message_id: i64, data: &str) -> String {
        self.shared.user_presses_button(user, message_id, data)
    }

    /// Every message the bot sent or edited, in order; an edit is logged with the message's
    /// state after it.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.shared.lock().sent.clone()
    }

    /// The sends and edits in one chat, in order.
    pub fn sent_to(&self, chat_id: i64) -> Vec<SentMessage> {
        self.shared.lock().sent.iter().filter(|message| message.chat_id == chat_id).cloned().collect()
    }

    /// The current state (edits applied) of the bot's latest message in a chat that is not
    /// deleted.
    pub fn last_to(&self, chat_id: i64) -> Option<SentMessage> {
        last_in_chat(&self.shared, chat_id)
    }

    /// Waits until a sent or edited message matches `predicate` (the log so far included) and
    /// returns the first that does; on timeout, the error lists what was sent.
    pub async fn wait_for(
        &self,
        predicate: impl Fn(&SentMessage) -> bool,
        timeout: Duration,
    ) -> Result<SentMessage, String> {
        self.shared.wait_for(predicate, timeout).await
    }

    /// Every answerCallbackQuery call, in order.
    pub fn callback_answers(&self) -> Vec<CallbackAnswer> {
        self.shared.lock().callback_answers.clone()
    }

    /// The commands set with setMyCommands, by language code (`""` for the default list).
    pub fn commands(&self) -> BTreeMap<String, Vec<RegisteredCommand>> {
        self.shared.lock().commands.clone()
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Empties the sent log.
    pub fn clear_sent(&self) {
        self.shared.lock().sent.clear();
    }

    /// Turns flood limits on (`Some`) or off (`None`, the default).
    pub fn set_limits(&self, limits: Option<Limits>) {
        self.shared.lock().limiter.set(limits);
    }

    /// Moves the clock the flood limits count by ahead by `by`: a test of the limits sees the
    /// one-second window pass without sleeping through it.
    pub fn advance_limits_clock(&self, by: std::time::Duration) {
        self.shared.lock().limiter.advance(by);
    }

    /// Calls to the chat answer 403 "Forbidden: bot was blocked by the user".
    pub fn block_chat(&self, chat_id: i64) {
        self.shared.lock().faults.blocked.insert(chat_id);
    }

    /// Calls to the chat answer 400 "Bad Request: chat not found".
    pub fn chat_not_found(&self, chat_id: i64) {
        self.shared.lock().faults.not_found.insert(chat_id);
    }

    /// The next `n` sends (sendMessage, sendDocument, sendPhoto) answer `status`, e.g. 502
    /// `{"ok":false,"error_code":502,"description":"Bad Gateway"}`.
    pub fn fail_next(&self, n: u32, status: u16) {
        self.shared.lock().faults.fail_next = Some(FailNext { n, status });
    }

    /// Every Bot API call answers after `delay`.
    pub fn set_delay(&self, delay: Duration) {
        self.shared.lock().faults.delay = delay;
    }

    /// A fraction of sends answers 429 Too Many Requests with `retry_after`, chosen by a seeded
    /// hash of the chat and the attempt so that a run is repeatable; `None` (or a ratio of 0)
    /// switches it off. Refused sends do not count toward the flood limits.
    pub fn set_too_many_requests_ratio(&self, fault: Option<TooManyRequestsRatio>) {
        self.shared.lock().faults.ratio.set(fault);
    }

    /// Switches every fault off (limits stay).
    pub fn reset_faults(&self) {
        self.shared.lock().faults = Default::default();
    }

    /// Clears the sent log, callback answers, faults, limits and counters; pending updates,
    /// stored messages and commands stay.
    pub fn reset(&self) {
        self.shared.reset();
    }
}

/// The current state of the latest undeleted bot message in a chat.
pub(crate) fn last_in_chat(shared: &Shared, chat_id: i64) -> Option<SentMessage> {
    let state = shared.lock();
    let in_chat = state.messages.values().filter(|message| message.chat_id == chat_id);
    in_chat.max_by_key(|message| message.message_id).cloned()
}
