//! The candidate-facing dialogue: `schema()` routes messages and button presses to short handlers
//! that call `core_logic`. Every message gets an answer; every button is checked against the
//! database and the caller.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use core_logic::bookings::{self, BookingWithSlot};
use core_logic::candidates::{self, TelegramProfile};
use core_logic::config::Config;
use core_logic::models::{Candidate, CandidateStatus};
use core_logic::{ConflictKind, Error, slots};
use sqlx::SqlitePool;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{
    ChatId, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, MessageId, ParseMode, ReplyMarkup, User,
};

use crate::callback::Callback;
use crate::keyboards;
use crate::texts::{Lang, Texts, fill};

/// What the handlers share.
#[derive(Clone)]
pub struct BotState {
    pub pool: SqlitePool,
    pub config: Arc<Config>,
}

type HandlerResult = anyhow::Result<()>;

/// The update routing: messages and button presses; everything else is ignored.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
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

/// The command in a message text (`/start@my_bot payload` -> `("start", "payload")`).
fn command(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix('/')?;
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let name = head.split('@').next().unwrap_or(head).to_ascii_lowercase();
    Some((name, args.trim().to_owned()))
}

async fn on_message(bot: Bot, msg: Message, state: BotState) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    if !msg.chat.is_private() {
        return Ok(());
    }
    let text = msg.text().unwrap_or_default().trim().to_owned();
    let parsed = command(&text);
    let payload = match &parsed {
        Some((name, args)) if name == "start" && !args.is_empty() => Some(args.chars().take(64).collect()),
        _ => None,
    };
    let candidate =
        candidates::upsert_from_telegram(&state.pool, &profile(user, msg.chat.id, payload), Utc::now()).await?;
    let t = Lang::from_code(&candidate.language).t();
    let chat = msg.chat.id;
    let is = |f: fn(&Texts) -> &'static str| text == f(Lang::Ru.t()) || text == f(Lang::En.t());
    match parsed.as_ref().map(|(name, _)| name.as_str()) {
        Some("start") => {
            let hello = fill(t.welcome, &[&crate::texts::escape(&candidate.first_name)]);
            send(&bot, chat, hello, keyboards::main_menu(t).into()).await
        }
        Some("help") => send(&bot, chat, t.help.to_owned(), keyboards::main_menu(t).into()).await,
        Some("book") => show_days(&bot, &state, &candidate, chat, None, 0, None).await,
        Some("my") => show_my(&bot, &state, &candidate, chat, None).await,
        Some("cancel") => ask_cancel_first(&bot, &state, &candidate, chat).await,
        _ if is(|t| t.menu_book) => show_days(&bot, &state, &candidate, chat, None, 0, None).await,
        _ if is(|t| t.menu_my) => show_my(&bot, &state, &candidate, chat, None).await,
        _ if is(|t| t.menu_contact) => show_contact(&bot, &state, t, chat).await,
        _ if is(|t| t.menu_help) => send(&bot, chat, t.help.to_owned(), keyboards::main_menu(t).into()).await,
        // Free text, unknown commands, stickers, photos: say what works.
        _ => send(&bot, chat, t.not_understood.to_owned(), keyboards::main_menu(t).into()).await,
    }
}

async fn on_callback(bot: Bot, q: CallbackQuery, state: BotState) -> HandlerResult {
    // Always answer, so the button stops spinning, whatever happens next.
    let answered = bot.answer_callback_query(q.id.clone()).await;
    if let Err(err) = answered {
        tracing::debug!(%err, "answerCallbackQuery failed");
    }
    let chat = q.message.as_ref().map_or(ChatId(i64::try_from(q.from.id.0).unwrap_or_default()), |m| m.chat().id);
    let message_id = q.message.as_ref().map(|m| m.id());
    let candidate = candidates::upsert_from_telegram(&state.pool, &profile(&q.from, chat, None), Utc::now()).await?;
    let t = Lang::from_code(&candidate.language).t();
    let Some(cb) = q.data.as_deref().and_then(Callback::parse) else {
        return send(&bot, chat, t.stale_button.to_owned(), keyboards::main_menu(t).into()).await;
    };
    match cb {
        Callback::Menu => send(&bot, chat, t.help.to_owned(), keyboards::main_menu(t).into()).await,
        Callback::Help => send(&bot, chat, t.help.to_owned(), keyboards::main_menu(t).into()).await,
        Callback::Contact => show_contact(&bot, &state, t, chat).await,
        Callback::My => show_my(&bot, &state, &candidate, chat, message_id).await,
        Callback::Days { page, moving } => show_days(&bot, &state, &candidate, chat, message_id, page, moving).await,
        Callback::Day { date, moving } => {
            show_times(&bot, &state, &candidate, chat, message_id, date, moving, None).await
        }
        Callback::Pick { slot, moving } => pick(&bot, &state, &candidate, chat, message_id, slot, moving).await,
        Callback::Confirm { slot, moving } => confirm(&bot, &state, &candidate, chat, message_id, slot, moving).await,
        Callback::AskCancel { booking } => ask_cancel(&bot, &state, &candidate, chat, message_id, booking).await,
        Callback::Cancel { booking } => cancel(&bot, &state, &candidate, chat, message_id, booking).await,
        Callback::Coming { booking, yes: true } => match own_active_booking(&state, &candidate, booking).await? {
            Some(_) => edit_or_send(&bot, chat, message_id, t.thanks_coming.to_owned(), None).await,
            None => stale(&bot, t, chat).await,
        },
        Callback::Coming { booking, yes: false } => cancel(&bot, &state, &candidate, chat, message_id, booking).await,
    }
}

fn lang(c: &Candidate) -> &'static Texts {
    Lang::from_code(&c.language).t()
}

fn contact_name(state: &BotState) -> &str {
    state.config.contact_username.as_deref().unwrap_or("")
}

async fn show_contact(bot: &Bot, state: &BotState, t: &Texts, chat: ChatId) -> HandlerResult {
    let name = contact_name(state);
    send(bot, chat, fill(t.contact, &[name]), keyboards::contact(t, name).into()).await
}

async fn stale(bot: &Bot, t: &Texts, chat: ChatId) -> HandlerResult {
    send(bot, chat, t.stale_button.to_owned(), keyboards::main_menu(t).into()).await
}

/// A blocked candidate cannot book: say so and where to write.
async fn refuse_blocked(bot: &Bot, state: &BotState, c: &Candidate, chat: ChatId) -> anyhow::Result<bool> {
    if c.status == CandidateStatus::Blocked {
        send(bot, chat, fill(lang(c).blocked, &[contact_name(state)]), keyboards::main_menu(lang(c)).into()).await?;
        return Ok(true);
    }
    Ok(false)
}

async fn bookable(state: &BotState) -> anyhow::Result<Vec<core_logic::models::SlotWithCounts>> {
    let now = Utc::now();
    let until = state.config.booking.horizon_end(now);
    Ok(slots::list_bookable(&state.pool, &state.config.booking, now, until).await?)
}

async fn show_days(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
    page: u8,
    moving: Option<i64>,
) -> HandlerResult {
    if refuse_blocked(bot, state, c, chat).await? {
        return Ok(());
    }
    let t = lang(c);
    let tz = state.config.timezone;
    let slots = bookable(state).await?;
    let days: Vec<NaiveDate> = keyboards::by_day(&slots, tz).into_keys().collect();
    if days.is_empty() {
        return edit_or_send(
            bot,
            chat,
            message_id,
            t.no_days.to_owned(),
            Some(keyboards::contact(t, contact_name(state))),
        )
        .await;
    }
    let title = if moving.is_some() { t.reschedule_choose_day.to_owned() } else { fill(t.choose_day, &[tz.name()]) };
    edit_or_send(bot, chat, message_id, title, Some(keyboards::days(t, &days, page, moving))).await
}

#[allow(clippy::too_many_arguments)]
async fn show_times(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
    date: NaiveDate,
    moving: Option<i64>,
    notice: Option<&str>,
) -> HandlerResult {
    let t = lang(c);
    let tz = state.config.timezone;
    let slots = bookable(state).await?;
    let by_day = keyboards::by_day(&slots, tz);
    match by_day.get(&date) {
        Some(day) => {
            let mut text = fill(t.choose_time, &[&t.day(date), tz.name()]);
            if let Some(notice) = notice {
                text = format!("{notice}\n\n{text}");
            }
            edit_or_send(bot, chat, message_id, text, Some(keyboards::times(t, day, tz, moving))).await
        }
        None => {
            let days: Vec<NaiveDate> = by_day.into_keys().collect();
            if days.is_empty() {
                return edit_or_send(bot, chat, message_id, t.no_days.to_owned(), None).await;
            }
            let text = notice.map_or_else(|| t.day_full.to_owned(), |n| format!("{n}\n\n{}", t.day_full));
            edit_or_send(bot, chat, message_id, text, Some(keyboards::days(t, &days, 0, moving))).await
        }
    }
}

async fn pick(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
    slot_id: i64,
    moving: Option<i64>,
) -> HandlerResult {
    if refuse_blocked(bot, state, c, chat).await? {
        return Ok(());
    }
    let t = lang(c);
    let tz = state.config.timezone;
    let slot = bookable(state).await?.into_iter().find(|s| s.slot.id == slot_id);
    let Some(slot) = slot else {
        let date = match slots::get(&state.pool, slot_id).await {
            Ok(s) => s.slot.starts_at.with_timezone(&tz).date_naive(),
            Err(_) => return show_days(bot, state, c, chat, message_id, 0, moving).await,
        };
        return show_times(bot, state, c, chat, message_id, date, moving, Some(t.slot_taken)).await;
    };
    let s = &slot.slot;
    let details = t.interview(s.starts_at, tz, s.duration_minutes, &s.format, s.location.as_deref());
    let text = fill(t.confirm_question, &[&details]);
    edit_or_send(bot, chat, message_id, text, Some(keyboards::confirm(t, slot_id, moving))).await
}

async fn confirm(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
    slot_id: i64,
    moving: Option<i64>,
) -> HandlerResult {
    if refuse_blocked(bot, state, c, chat).await? {
        return Ok(());
    }
    let t = lang(c);
    let tz = state.config.timezone;
    let rules = &state.config.booking;
    let now = Utc::now();
    let result = match moving {
        None => bookings::book(&state.pool, rules, c.id, slot_id, now).await,
        Some(old) => bookings::reschedule(&state.pool, rules, c.id, old, slot_id, now).await,
    };
    match result {
        Ok(booked) => {
            let s = &booked.slot;
            let details = t.interview(s.starts_at, tz, s.duration_minutes, &s.format, s.location.as_deref());
            let template = if moving.is_some() { t.rescheduled } else { t.booked };
            edit_or_send(bot, chat, message_id, fill(template, &[&details]), None).await?;
            send_calendar(bot, &state.pool, t, chat, &booked).await;
            notify_admins(bot, state, c, &booked, false).await;
            Ok(())
        }
        Err(err) => {
            let date =
                slots::get(&state.pool, slot_id).await.ok().map(|s| s.slot.starts_at.with_timezone(&tz).date_naive());
            match err.conflict_kind() {
                Some(ConflictKind::BookingLimitReached) => {
                    edit_or_send(bot, chat, message_id, t.limit_reached.to_owned(), None).await?;
                    show_my(bot, state, c, chat, None).await
                }
                Some(ConflictKind::DeadlinePassed) => {
                    let name = contact_name(state);
                    edit_or_send(
                        bot,
                        chat,
                        message_id,
                        fill(t.deadline_passed, &[name]),
                        Some(keyboards::contact(t, name)),
                    )
                    .await
                }
                Some(ConflictKind::CandidateNotActive) => refuse_blocked(bot, state, c, chat).await.map(drop),
                // Not offered by any button the bot showed: forged, or stale by now.
                Some(ConflictKind::BookingNotActive | ConflictKind::BeyondHorizon | ConflictKind::TooLateToBook) => {
                    stale(bot, t, chat).await
                }
                Some(_) | None if !matches!(err, Error::Db(_)) => match (date, &err) {
                    (_, Error::NotFound { entity: "booking", .. }) => stale(bot, t, chat).await,
                    (Some(date), _) => {
                        show_times(bot, state, c, chat, message_id, date, moving, Some(t.slot_taken)).await
                    }
                    (None, _) => show_days(bot, state, c, chat, message_id, 0, moving).await,
                },
                _ => Err(err.into()),
            }
        }
    }
}

async fn send_calendar(bot: &Bot, pool: &sqlx::SqlitePool, t: &Texts, chat: ChatId, booked: &BookingWithSlot) {
    let event = match bookings::calendar_event_of(pool, booked).await {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(%err, "could not read the booking's calendar event");
            return;
        }
    };
    let ics = crate::ics::file(crate::ics::Method::Publish, &event, t.calendar_summary, Utc::now());
    let file = InputFile::memory(ics.into_bytes()).file_name("interview.ics");
    if let Err(err) = bot.send_document(chat, file).caption(t.calendar_file).await {
        tracing::warn!(%err, "could not send the calendar file");
    }
}

/// Tells `ADMIN_CHAT_ID` (when set) about a booking or a cancellation. Never fails the user's action.
async fn notify_admins(bot: &Bot, state: &BotState, c: &Candidate, b: &BookingWithSlot, cancelled: bool) {
    let Some(admin_chat) = state.config.admin_chat_id else { return };
    let t = Lang::Ru.t();
    let who = match &c.username {
        Some(u) => format!("{} (@{u})", c.first_name),
        None => c.first_name.clone(),
    };
    let template = if cancelled { t.admin_cancelled_booking } else { t.admin_new_booking };
    let text = fill(template, &[&who, &t.when(b.slot.starts_at, state.config.timezone)]);
    if let Err(err) = bot.send_message(ChatId(admin_chat), text).await {
        tracing::warn!(%err, "could not notify ADMIN_CHAT_ID");
    }
}

async fn show_my(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
) -> HandlerResult {
    let t = lang(c);
    let tz = state.config.timezone;
    let upcoming = bookings::active_upcoming_for_candidate(&state.pool, c.id, Utc::now()).await?;
    if upcoming.is_empty() {
        return edit_or_send(bot, chat, message_id, t.no_booking.to_owned(), None).await;
    }
    for (i, b) in upcoming.iter().enumerate() {
        let s = &b.slot;
        let details = t.interview(s.starts_at, tz, s.duration_minutes, &s.format, s.location.as_deref());
        let text = fill(t.your_booking, &[&details]);
        let target = if i == 0 { message_id } else { None };
        edit_or_send(bot, chat, target, text, Some(keyboards::booking_actions(t, b.booking.id))).await?;
    }
    Ok(())
}

async fn own_active_booking(
    state: &BotState,
    c: &Candidate,
    booking_id: i64,
) -> anyhow::Result<Option<BookingWithSlot>> {
    match bookings::get(&state.pool, booking_id).await {
        Ok(b) if b.booking.candidate_id == c.id && b.booking.status == core_logic::models::BookingStatus::Active => {
            Ok(Some(b))
        }
        Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn ask_cancel_first(bot: &Bot, state: &BotState, c: &Candidate, chat: ChatId) -> HandlerResult {
    match bookings::active_upcoming_for_candidate(&state.pool, c.id, Utc::now()).await?.first() {
        Some(b) => ask_cancel(bot, state, c, chat, None, b.booking.id).await,
        None => send(bot, chat, lang(c).no_booking.to_owned(), keyboards::main_menu(lang(c)).into()).await,
    }
}

async fn ask_cancel(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
    booking_id: i64,
) -> HandlerResult {
    let t = lang(c);
    let Some(b) = own_active_booking(state, c, booking_id).await? else { return stale(bot, t, chat).await };
    let s = &b.slot;
    let details = t.interview(s.starts_at, state.config.timezone, s.duration_minutes, &s.format, s.location.as_deref());
    edit_or_send(
        bot,
        chat,
        message_id,
        fill(t.cancel_question, &[&details]),
        Some(keyboards::confirm_cancel(t, booking_id)),
    )
    .await
}

async fn cancel(
    bot: &Bot,
    state: &BotState,
    c: &Candidate,
    chat: ChatId,
    message_id: Option<MessageId>,
    booking_id: i64,
) -> HandlerResult {
    let t = lang(c);
    match bookings::cancel_by_candidate(&state.pool, &state.config.booking, c.id, booking_id, Utc::now()).await {
        Ok(b) => {
            edit_or_send(bot, chat, message_id, t.cancelled.to_owned(), None).await?;
            notify_admins(bot, state, c, &b, true).await;
            Ok(())
        }
        Err(err) => match err.conflict_kind() {
            Some(ConflictKind::DeadlinePassed) => {
                let name = contact_name(state);
                edit_or_send(bot, chat, message_id, fill(t.deadline_passed, &[name]), Some(keyboards::contact(t, name)))
                    .await
            }
            Some(_) => stale(bot, t, chat).await,
            None if matches!(err, Error::NotFound { .. }) => stale(bot, t, chat).await,
            None => Err(err.into()),
        },
    }
}

/// Sends an HTML message with a keyboard.
pub async fn send(bot: &Bot, chat: ChatId, text: String, markup: ReplyMarkup) -> HandlerResult {
    bot.send_message(chat, text)
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview())
        .reply_markup(markup)
        .await?;
    Ok(())
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Replaces the message a button was on (a step of the same flow), or sends a new one.
async fn edit_or_send(
    bot: &Bot,
    chat: ChatId,
    message_id: Option<MessageId>,
    text: String,
    markup: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    if let Some(id) = message_id {
        let mut edit = bot.edit_message_text(chat, id, text.clone()).parse_mode(ParseMode::Html);
        edit = edit.link_preview_options(no_preview());
        if let Some(m) = markup.clone() {
            edit = edit.reply_markup(m);
        }
        match edit.await {
            Ok(_) => return Ok(()),
            Err(err) if err.to_string().contains("message is not modified") => return Ok(()),
            Err(err) => tracing::debug!(%err, "edit failed; sending a new message instead"),
        }
    }
    let mut send = bot.send_message(chat, text).parse_mode(ParseMode::Html).link_preview_options(no_preview());
    if let Some(m) = markup {
        send = send.reply_markup(m);
    }
    send.await?;
    Ok(())
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
