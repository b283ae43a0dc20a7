//! What every handler starts from: the message or button press parsed, the caller registered
//! (one write), and a [`Ctx`] with what the flows share.

use std::sync::Arc;

use chrono::Utc;
use chrono_tz::Tz;
use core_logic::batch::Batcher;
use core_logic::bookings::BookingWithSlot;
use core_logic::candidates::{self, TelegramProfile};
use core_logic::config::Config;
use core_logic::models::{Candidate, CandidateStatus};
use core_logic::telegram_link;
use sqlx::SqlitePool;
use teloxide::prelude::*;
use teloxide::types::{ChatId, InlineKeyboardMarkup, MessageId, ReplyMarkup, User};

use super::HandlerResult;
use super::reply::{edit_or_send, send};
use crate::keyboards;
use crate::texts::{Lang, Texts, fill};

/// What the handlers share across updates.
#[derive(Clone)]
pub struct BotState {
    pub pool: SqlitePool,
    pub config: Arc<Config>,
    /// Registrations of callers, group-committed: the updates handled at the same moment
    /// register their callers in one write transaction.
    registrar: Batcher<TelegramProfile, Candidate, core_logic::Error>,
}

impl BotState {
    /// The handlers' state; call inside a Tokio runtime (the registrar's task is spawned here).
    pub fn new(pool: SqlitePool, config: Arc<Config>) -> Self {
        let registrar_pool = pool.clone();
        let registrar = Batcher::spawn(
            REGISTER_BATCH,
            |err: &core_logic::Error| !err.is_transient(),
            move |profiles: Vec<TelegramProfile>| {
                let pool = registrar_pool.clone();
                async move { candidates::upsert_many(&pool, &profiles, Utc::now()).await }
            },
        );
        Self { pool, config, registrar }
    }
}

/// The most registrations written in one transaction.
const REGISTER_BATCH: usize = 128;

/// A text message from a private chat, with its command when it is one.
#[derive(Clone, Debug)]
pub struct Incoming {
    text: String,
    /// `/start@my_bot payload` -> `("start", "payload")`.
    command: Option<(String, String)>,
    /// The phone number of a contact the sender shared: their own only.
    own_phone: Option<String>,
}

impl Incoming {
    /// The message, if it is one the bot answers: sent by a user in a private chat.
    pub fn parse(msg: Message) -> Option<Self> {
        let from = msg.from.as_ref()?;
        if !msg.chat.is_private() {
            return None;
        }
        let text = msg.text().unwrap_or_default().trim().to_owned();
        let command = command(&text);
        let own_phone = msg.contact().filter(|c| c.user_id == Some(from.id)).map(|c| c.phone_number.clone());
        Some(Self { text, command, own_phone })
    }

    /// The sender's own phone number, when the message shares their contact.
    pub fn own_phone(&self) -> Option<&str> {
        self.own_phone.as_deref()
    }

    /// Whether this is the command `/name`.
    pub fn is_command(&self, name: &str) -> bool {
        self.command.as_ref().is_some_and(|(n, _)| n == name)
    }

    /// Whether this is a command, known or not.
    pub fn is_any_command(&self) -> bool {
        self.command.is_some()
    }

    /// The message's text, trimmed (empty for a photo, a sticker...).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether this is the menu button `label`, in either language.
    pub fn is_button(&self, label: fn(&Texts) -> &'static str) -> bool {
        self.text == label(Lang::Ru.t()) || self.text == label(Lang::En.t())
    }

    /// The payload of `/start payload` (an invitation link), cut to Telegram's 64 characters.
    pub fn start_payload(&self) -> Option<String> {
        match &self.command {
            Some((name, args)) if name == "start" && !args.is_empty() => Some(args.chars().take(64).collect()),
            _ => None,
        }
    }
}

/// The command in a message text (`/start@my_bot payload` -> `("start", "payload")`).
fn command(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix('/')?;
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let name = head.split('@').next().unwrap_or(head).to_ascii_lowercase();
    Some((name, args.trim().to_owned()))
}

/// One update's context: the caller (registered or refreshed), their texts, the chat, and the
/// message a pressed button was on.
#[derive(Clone)]
pub struct Ctx {
    pub bot: Bot,
    pub state: BotState,
    pub candidate: Candidate,
    pub t: &'static Texts,
    pub chat: ChatId,
    /// The message the pressed button was on: the next step of the flow replaces it. `None` for
    /// a message, which is answered with a new one.
    pub message_id: Option<MessageId>,
}

impl Ctx {
    /// The context of a message; registers the sender (their one database write).
    pub async fn for_message(bot: Bot, msg: Message, state: BotState, incoming: Incoming) -> Option<Self> {
        let user = msg.from.as_ref()?;
        // An admin's one-time link code is no candidate's source.
        let source = incoming.start_payload().filter(|p| !telegram_link::is_link_code(p));
        let profile = profile(user, msg.chat.id, source);
        Self::register(bot, state, &profile, msg.chat.id, None).await
    }

    /// The context of a button press: answers the press first, so the button stops spinning
    /// whatever happens next, then registers the caller.
    pub async fn for_button(bot: Bot, q: CallbackQuery, state: BotState) -> Option<Self> {
        if let Err(err) = bot.answer_callback_query(q.id.clone()).await {
            tracing::debug!(%err, "answerCallbackQuery failed");
        }
        let chat = q.message.as_ref().map_or(ChatId(i64::try_from(q.from.id.0).unwrap_or_default()), |m| m.chat().id);
        let message_id = q.message.as_ref().map(|m| m.id());
        Self::register(bot, state, &profile(&q.from, chat, None), chat, message_id).await
    }

    /// Registers or refreshes the caller. A database failure is logged and the update dropped
    /// (there is nothing useful to answer without the candidate row).
    async fn register(
        bot: Bot,
        state: BotState,
        profile: &TelegramProfile,
        chat: ChatId,
        message_id: Option<MessageId>,
    ) -> Option<Self> {
        match state.registrar.submit(profile.clone()).await {
            Ok(candidate) => {
                let t = Lang::from_code(&candidate.language).t();
                Some(Self { bot, state, candidate, t, chat, message_id })
            }
            Err(err) => {
                tracing::error!(error = %err, "update handling failed: cannot register the caller");
                None
            }
        }
    }

    /// The same context, answering with a new message instead of replacing the button's.
    pub fn in_new_message(&self) -> Self {
        Self { message_id: None, ..self.clone() }
    }

    pub fn tz(&self) -> Tz {
        self.state.config.timezone
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.state.pool
    }

    /// The Telegram username candidates are sent to for help.
    pub fn contact_name(&self) -> &str {
        self.state.config.contact_username.as_deref().unwrap_or("")
    }

    /// Sends a new message with a keyboard.
    pub async fn send(&self, text: String, markup: ReplyMarkup) -> HandlerResult {
        send(&self.bot, self.chat, text, markup).await
    }

    /// Sends `text` with the main menu.
    pub async fn send_with_menu(&self, text: &str) -> HandlerResult {
        self.send(text.to_owned(), keyboards::main_menu(self.t).into()).await
    }

    /// Replaces the message the button was on, or sends a new one.
    pub async fn reply(&self, text: String, markup: Option<InlineKeyboardMarkup>) -> HandlerResult {
        edit_or_send(&self.bot, self.chat, self.message_id, text, markup).await
    }

    /// A button that no longer applies (or never did): say so and show the menu.
    pub async fn stale(&self) -> HandlerResult {
        self.send_with_menu(self.t.stale_button).await
    }

    /// Too late to cancel or move: point to the contact instead.
    pub async fn deadline_passed(&self) -> HandlerResult {
        let name = self.contact_name();
        self.reply(fill(self.t.deadline_passed, &[name]), Some(keyboards::contact(self.t, name))).await
    }

    /// A blocked candidate cannot book: says so and where to write, and returns `true`.
    pub async fn refuse_blocked(&self) -> anyhow::Result<bool> {
        if self.candidate.status == CandidateStatus::Blocked {
            self.send_with_menu(&fill(self.t.blocked, &[self.contact_name()])).await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Tells `ADMIN_CHAT_ID` (when set) about a booking or a cancellation. Never fails the
    /// user's action.
    pub async fn notify_admins(&self, b: &BookingWithSlot, cancelled: bool) {
        let t = Lang::Ru.t();
        let template = if cancelled { t.admin_cancelled_booking } else { t.admin_new_booking };
        self.tell_admins(fill(template, &[&self.who(), &t.when(b.slot.starts_at, self.tz())])).await;
    }

    /// Tells `ADMIN_CHAT_ID` (when set) that the candidate asks to book after `no_shows`
    /// no-shows. Never fails the user's action.
    pub async fn notify_admins_of_request(&self, no_shows: i64) {
        self.tell_admins(fill(Lang::Ru.t().admin_approval_request, &[&self.who(), &no_shows.to_string()])).await;
    }

    /// The candidate as the recruiters' chat names them: "Анна (@anna)".
    fn who(&self) -> String {
        let c = &self.candidate;
        match &c.username {
            Some(u) => format!("{} (@{u})", c.first_name),
            None => c.first_name.clone(),
        }
    }

    async fn tell_admins(&self, text: String) {
        let Some(admin_chat) = self.state.config.admin_chat_id else { return };
        if let Err(err) = self.bot.send_message(ChatId(admin_chat), text).await {
            tracing::warn!(%err, "could not notify ADMIN_CHAT_ID");
        }
    }
}

fn profile(user: &User, chat_id: ChatId, start_payload: Option<String>) -> TelegramProfile {
    TelegramProfile {
        telegram_user_id: i64::try_from(user.id.0).unwrap_or(i64::MAX),
        chat_id: chat_id.0,
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        username: user.username.clone(),
        language: user.language_code.clone(),
        start_payload,
    }
}

#[cfg(test)]
mod tests {
    use super::command;

    #[test]
    fn commands_are_parsed_with_bot_names_and_payloads() {
        assert_eq!(command("/start"), Some(("start".into(), String::new())));
        assert_eq!(command("/start@booking_bot campaign_7"), Some(("start".into(), "campaign_7".into())));
        assert_eq!(command("/HELP"), Some(("help".into(), String::new())));
        assert_eq!(command("hello"), None);
    }
}
