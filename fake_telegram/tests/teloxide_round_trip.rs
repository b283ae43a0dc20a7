//! A real `teloxide::Bot` pointed at the fake: every answer must deserialize in teloxide 0.17.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fake_telegram::{FakeTelegram, FakeUser, Limits};
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, KeyboardButton, KeyboardMarkup, MediaKind,
    MessageKind, UpdateKind,
};
use teloxide::{ApiError, RequestError};

const CHAT: i64 = 42;

fn bot_for(fake: &FakeTelegram) -> Bot {
    Bot::new("123:fake").set_api_url(fake.url().parse().unwrap())
}

fn slot_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("10:00", "slot:1")]])
}

#[tokio::test]
async fn get_me_answers_the_fake_bot() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);

    let me = bot.get_me().await.unwrap();

    assert_eq!(me.username(), "fake_booking_bot");
    assert!(me.user.is_bot);
    assert_eq!(fake.stats().methods.get("getMe"), Some(&1));
}

#[tokio::test]
async fn a_message_with_an_inline_keyboard_is_sent_edited_and_its_button_answered() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    let anna = FakeUser::new(CHAT, "Anna").lang("en");

    let sent = bot
        .send_message(ChatId(CHAT), "<b>Pick a slot</b>")
        .parse_mode(teloxide::types::ParseMode::Html)
        .reply_markup(slot_keyboard())
        .await
        .unwrap();
    let callback_id = fake.user_presses_button(&anna, i64::from(sent.id.0), "slot:1");
    let updates = bot.get_updates().timeout(1).await.unwrap();
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else { panic!("not a callback query: {updates:?}") };
    bot.answer_callback_query(query.id.clone()).text("Booked").await.unwrap();
    let edited = bot.edit_message_text(ChatId(CHAT), sent.id, "Booked for 10:00").await.unwrap();
    let same_again = bot.edit_message_text(ChatId(CHAT), sent.id, "Booked for 10:00").await;

    assert_eq!(sent.text(), Some("<b>Pick a slot</b>"));
    assert_eq!(sent.reply_markup(), Some(&slot_keyboard()));
    assert_eq!(fake.sent()[0].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(fake.sent()[0].inline_buttons(), vec![("10:00".to_owned(), Some("slot:1".to_owned()))]);
    assert_eq!(query.id.0, callback_id);
    assert_eq!(query.data.as_deref(), Some("slot:1"));
    assert_eq!(query.from.language_code.as_deref(), Some("en"));
    assert_eq!(query.regular_message().and_then(|message| message.text()), Some("<b>Pick a slot</b>"));
    assert_eq!(fake.callback_answers()[0].text.as_deref(), Some("Booked"));
    assert_eq!(edited.text(), Some("Booked for 10:00"));
    assert!(edited.edit_date().is_some());
    assert_eq!(fake.last_to(CHAT).unwrap().text.as_deref(), Some("Booked for 10:00"));
    assert!(matches!(same_again, Err(RequestError::Api(ApiError::MessageNotModified))), "{same_again:?}");
}

#[tokio::test]
async fn a_reply_keyboard_message_deserializes() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    let keyboard = KeyboardMarkup::new([[KeyboardButton::new("Share phone")]]).resize_keyboard();

    let sent = bot.send_message(ChatId(CHAT), "Your phone?").reply_markup(keyboard).await.unwrap();

    assert_eq!(sent.reply_markup(), None);
    assert!(fake.sent()[0].reply_markup.as_ref().unwrap().get("keyboard").is_some());
}

#[tokio::test]
async fn a_document_from_memory_arrives_with_its_name_and_bytes() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    let file = InputFile::memory(b"date,slot\n2030-01-01,10:00\n".to_vec()).file_name("slots.csv");

    let sent = bot.send_document(ChatId(CHAT), file).caption("Your slots").await.unwrap();

    let document = sent.document().unwrap();
    assert_eq!(document.file_name.as_deref(), Some("slots.csv"));
    assert_eq!(document.mime_type.as_ref().map(ToString::to_string).as_deref(), Some("text/csv"));
    assert_eq!(document.file.size, 27);
    assert_eq!(sent.caption(), Some("Your slots"));
    let recorded = fake.sent_to(CHAT)[0].document.clone().unwrap();
    assert_eq!(recorded.file_name, "slots.csv");
    assert_eq!(recorded.bytes, b"date,slot\n2030-01-01,10:00\n");
}

#[tokio::test]
async fn commands_are_stored_per_language() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);

    bot.set_my_commands([BotCommand::new("start", "Start")]).await.unwrap();
    bot.set_my_commands([BotCommand::new("start", "Начать")]).language_code("ru").await.unwrap();
    let russian = bot.get_my_commands().language_code("ru").await.unwrap();

    assert_eq!(russian, vec![BotCommand::new("start", "Начать")]);
    assert_eq!(fake.commands()[""][0].description, "Start");
}

#[tokio::test]
async fn user_messages_of_every_kind_reach_get_updates() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    let anna = FakeUser::new(CHAT, "Anna").lang("en").username("anna");
    bot.delete_webhook().await.unwrap();
    assert_eq!(bot.get_webhook_info().await.unwrap().url, None);

    let first = fake.user_sends_text(&anna, "hello");
    fake.user_sends_command(&anna, "/start payload");
    fake.user_sends_sticker(&anna);
    fake.user_sends_photo(&anna);
    let updates = bot.get_updates().timeout(1).await.unwrap();

    let messages: Vec<&Message> = updates
        .iter()
        .map(|update| match &update.kind {
            UpdateKind::Message(message) => message,
            other => panic!("not a message: {other:?}"),
        })
        .collect();
    assert_eq!(updates[0].id.0, u32::try_from(first).unwrap());
    assert_eq!(messages[0].text(), Some("hello"));
    assert_eq!(messages[0].from.as_ref().unwrap().username.as_deref(), Some("anna"));
    assert_eq!(messages[0].chat.id, ChatId(CHAT));
    assert_eq!(messages[1].text(), Some("/start payload"));
    assert!(messages[2].sticker().is_some());
    assert!(messages[3].photo().is_some());
    assert!(
        matches!(&messages[3].kind, MessageKind::Common(common) if matches!(common.media_kind, MediaKind::Photo(_)))
    );
}

#[tokio::test]
async fn flood_limits_and_faults_map_to_teloxide_errors() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    fake.set_limits(Some(Limits::default()));
    fake.block_chat(7);
    fake.chat_not_found(8);

    bot.send_message(ChatId(CHAT), "one").await.unwrap();
    let too_fast = bot.send_message(ChatId(CHAT), "two").await;
    let blocked = bot.send_message(ChatId(7), "hi").await;
    let missing = bot.send_message(ChatId(8), "hi").await;

    assert!(matches!(too_fast, Err(RequestError::RetryAfter(wait)) if wait.duration() == Duration::from_secs(1)));
    assert!(matches!(blocked, Err(RequestError::Api(ApiError::BotBlocked))), "{blocked:?}");
    assert!(matches!(missing, Err(RequestError::Api(ApiError::ChatNotFound))), "{missing:?}");
}

#[tokio::test]
async fn chat_actions_and_deletes_answer_true() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    let sent = bot.send_message(ChatId(CHAT), "soon gone").await.unwrap();

    bot.send_chat_action(ChatId(CHAT), teloxide::types::ChatAction::Typing).await.unwrap();
    bot.delete_message(ChatId(CHAT), sent.id).await.unwrap();
    let again = bot.delete_message(ChatId(CHAT), sent.id).await;

    assert!(matches!(again, Err(RequestError::Api(ApiError::MessageToDeleteNotFound))), "{again:?}");
    assert_eq!(fake.last_to(CHAT), None);
    assert_eq!(fake.stats().deletes, 1);
}
