//! The inbox through the real bot and the fake Bot API server: a candidate's free text, photos
//! and documents are stored as conversation messages and answered in their language with the
//! menu, and `ADMIN_CHAT_ID` is told who wrote and how the message begins.
#![allow(clippy::unwrap_used)]

#[path = "support/harness.rs"]
mod harness;

use core_logic::inbox;
use core_logic::models::{AttachmentKind, MessageDirection};
use fake_telegram::FakeUser;
use harness::{TestBot, WAIT, start_bot};
use telegram_bot::texts::{EN, RU};

/// The harness's `ADMIN_CHAT_ID`.
const ADMIN_CHAT: i64 = -100_500;

fn anna() -> FakeUser {
    FakeUser::new(1001, "Анна").last_name("Петрова").username("anna_k").lang("ru")
}

fn john() -> FakeUser {
    FakeUser::new(2002, "John").lang("en-US")
}

/// The stored messages of the candidate with this Telegram id, oldest first:
/// (direction, text, attachment kind, file id, file name).
async fn stored(
    bot: &TestBot,
    telegram_user_id: i64,
) -> Vec<(String, Option<String>, Option<String>, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT m.direction, m.text, m.attachment_kind, m.file_id, m.file_name
           FROM conversation_messages m JOIN candidates c ON c.id = m.candidate_id
          WHERE c.telegram_user_id = ? ORDER BY m.id",
    )
    .bind(telegram_user_id)
    .fetch_all(&bot.pool)
    .await
    .unwrap()
}

/// Waits for the note to `ADMIN_CHAT_ID` that contains `needle`.
async fn admin_note(bot: &TestBot, needle: &str) -> fake_telegram::SentMessage {
    let needle_owned = needle.to_owned();
    bot.fake
        .wait_for(move |m| m.chat_id == ADMIN_CHAT && m.body().contains(&needle_owned), WAIT)
        .await
        .unwrap_or_else(|e| panic!("waiting for the admin note {needle:?}: {e}"))
}

#[tokio::test]
async fn free_text_photos_and_documents_are_stored_answered_in_russian_and_told_to_the_admins() {
    let bot = start_bot().await;
    let user = anna();

    // Free text: stored, answered with the menu, and the admins told (HTML-escaped).
    let u = user.clone();
    let answer = bot
        .expect(
            &user,
            move |f| f.user_sends_text(&u, "Можно перенести на четверг? <срочно> & спасибо"),
            RU.inbox_received,
        )
        .await;
    assert_eq!(answer.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(answer.reply_markup.clone().unwrap()["keyboard"][0][0]["text"], RU.menu_book);
    let note = admin_note(&bot, "Новое сообщение").await;
    assert_eq!(
        note.body(),
        "Новое сообщение от Анна Петрова (@anna_k): Можно перенести на четверг? &lt;срочно&gt; &amp; спасибо"
    );
    assert_eq!(note.parse_mode.as_deref(), Some("HTML"));

    // A photo with a caption: the largest size's file id and the caption.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_photo_with_caption(&u, "мой диплом"), RU.inbox_received).await;
    admin_note(&bot, "📷 Фото мой диплом").await;

    // A document without a caption.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_document(&u, "Резюме Петровой.pdf", None), RU.inbox_received).await;
    admin_note(&bot, "📎 Резюме Петровой.pdf").await;

    let rows = stored(&bot, 1001).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0], ("in".into(), Some("Можно перенести на четверг? <срочно> & спасибо".into()), None, None, None));
    let (_, caption, kind, file_id, _) = &rows[1];
    assert_eq!((caption.as_deref(), kind.as_deref()), (Some("мой диплом"), Some("photo")));
    assert!(file_id.as_deref().unwrap().starts_with("photo-m-"), "the largest size is kept: {file_id:?}");
    let (_, caption, kind, file_id, file_name) = &rows[2];
    assert_eq!(
        (caption, kind.as_deref(), file_name.as_deref()),
        (&None, Some("document"), Some("Резюме Петровой.pdf"))
    );
    assert!(file_id.as_deref().unwrap().starts_with("document-"));

    // The recruiters see one conversation with three unread messages.
    let list = inbox::conversations(&bot.pool, 50, 0).await.unwrap();
    assert_eq!((list.total, list.total_unread), (1, 3));
    assert_eq!(list.items[0].username.as_deref(), Some("anna_k"));
    assert_eq!(list.items[0].last_attachment_kind, Some(AttachmentKind::Document));
    bot.stop().await;
}

#[tokio::test]
async fn an_english_speaking_candidate_is_answered_in_english_and_menu_buttons_and_commands_stay_out() {
    let bot = start_bot().await;
    let user = john();

    let u = user.clone();
    let answer =
        bot.expect(&user, move |f| f.user_sends_text(&u, "Is there parking at the office?"), EN.inbox_received).await;
    assert_eq!(answer.reply_markup.unwrap()["keyboard"][0][0]["text"], EN.menu_book);
    admin_note(&bot, "Новое сообщение от John: Is there parking at the office?").await;
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_photo(&u), EN.inbox_received).await;
    admin_note(&bot, "Новое сообщение от John: 📷 Фото").await;

    // A menu button and an unknown command are not messages for the recruiters.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, EN.menu_help), EN.help.split('\n').next().unwrap()).await;
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_command(&u, "/whatever"), EN.not_understood).await;
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_sticker(&u), EN.not_understood).await;

    let rows = stored(&bot, 2002).await;
    let kinds: Vec<_> = rows.iter().map(|r| (r.0.as_str(), r.1.as_deref(), r.2.as_deref())).collect();
    assert_eq!(kinds, vec![("in", Some("Is there parking at the office?"), None), ("in", None, Some("photo"))]);
    let conversation = inbox::conversation(&bot.pool, list_first(&bot).await, 50, None).await.unwrap();
    assert!(conversation.items.iter().all(|m| m.direction == MessageDirection::In && m.read_at.is_none()));
    bot.stop().await;
}

/// The candidate id of the newest conversation.
async fn list_first(bot: &TestBot) -> i64 {
    inbox::conversations(&bot.pool, 1, 0).await.unwrap().items[0].candidate_id
}
