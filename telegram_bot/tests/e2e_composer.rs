//! End to end, the broadcast composer: the real `api_server` and `telegram_bot` binaries on one
//! SQLite file (embedded queue) and the fake Telegram Bot API. An admin uploads a photo and
//! broadcasts a Russian and an English text with the "Записаться" button: each candidate gets
//! the photo with the text in their language as its caption and the button in their language;
//! the photo is uploaded once and then sent by Telegram's file id; pressing the button opens the
//! day picker in a new message while the broadcast stays. A link button reaches Telegram as a
//! URL button.

use std::time::Duration;

use chrono::Utc;
use core_logic::slots::{self, NewSlot};
use fake_telegram::{FakeUser, SentMessage};
use serde_json::json;
use test_support::stack::{QueueBackend, Stack, StackOptions};

const FIRST_CHAT: i64 = 7_300_000;
/// Candidates 0 and 2 speak Russian, 1 English.
const CANDIDATES: i64 = 3;
const ENGLISH: i64 = FIRST_CHAT + 1;
/// A JPEG as far as anyone reading its first bytes can tell.
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
const RU: &str = "<b>Новые слоты</b>\n  на <i>неделе</i>";
const EN: &str = "<b>New slots</b>\n  this <i>week</i>";
const LIMIT: Duration = Duration::from_secs(60);

fn photos(sent: &[SentMessage]) -> Vec<SentMessage> {
    sent.iter().filter(|m| m.method == "sendPhoto").cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_broadcast_reaches_each_candidate_in_their_language_with_the_button_and_the_photo() {
    // Arrange: three candidates (one English), a bookable slot tomorrow, the system running.
    let mut stack = Stack::start(StackOptions {
        candidates: CANDIDATES,
        first_chat: FIRST_CHAT,
        queue: QueueBackend::Embedded,
        rate_per_sec: 30,
        bot_env: Vec::new(),
    })
    .await;
    sqlx::query("UPDATE candidates SET language = 'en' WHERE chat_id = ?")
        .bind(ENGLISH)
        .execute(&stack.db.pool)
        .await
        .expect("make a candidate English");
    let tomorrow = Utc::now() + chrono::Duration::days(1);
    let slot = NewSlot {
        starts_at: tomorrow,
        duration_minutes: 30,
        capacity: 1,
        format: "online".into(),
        location: None,
        notes: None,
        vacancy_id: None,
        interviewer_ids: vec![],
    };
    slots::create(&stack.db.pool, &Default::default(), None, &slot, Utc::now()).await.expect("a bookable slot");

    // Act: upload the photo and broadcast with both texts and the booking button.
    let photo = stack.admin.upload_photo(JPEG, "image/jpeg").await;
    let id = stack
        .admin
        .create_broadcast_with(&json!({
            "text": RU,
            "text_en": EN,
            "button": { "kind": "book" },
            "photo_id": photo,
            "segment": { "kind": "all" },
        }))
        .await;
    stack.wait_for_broadcast(id, "completed", LIMIT).await.expect("the broadcast completes");

    // Assert: one sendPhoto per candidate, the caption in their language as HTML, the button in
    // their language.
    let sent = photos(&stack.fake.sent());
    assert_eq!(sent.len(), 3, "one photo per candidate: {sent:#?}");
    for chat in FIRST_CHAT..FIRST_CHAT + CANDIDATES {
        let message = sent.iter().find(|m| m.chat_id == chat).unwrap_or_else(|| panic!("nothing sent to {chat}"));
        let (caption, label) = if chat == ENGLISH { (EN, "📅 Book") } else { (RU, "📅 Записаться") };
        assert_eq!(message.caption.as_deref(), Some(caption), "the caption of {chat}");
        assert_eq!(message.parse_mode.as_deref(), Some("HTML"));
        assert_eq!(message.inline_buttons(), vec![(label.to_owned(), Some("B".to_owned()))], "the button of {chat}");
    }
    // The photo was uploaded once; the other sends reused Telegram's file id, which is stored.
    let uploads: Vec<&SentMessage> =
        sent.iter().filter(|m| m.photo.as_ref().is_some_and(|p| !p.bytes.is_empty())).collect();
    assert_eq!(uploads.len(), 1, "exactly one upload: {sent:#?}");
    let uploaded = uploads[0].photo.as_ref().expect("a photo");
    assert_eq!(uploaded.bytes, JPEG, "the uploaded bytes are the photo's");
    for message in &sent {
        assert_eq!(message.photo.as_ref().map(|p| p.file_id.as_str()), Some(uploaded.file_id.as_str()));
    }
    let stored: Option<String> = sqlx::query_scalar("SELECT telegram_file_id FROM broadcast_photos WHERE id = ?")
        .bind(photo)
        .fetch_one(&stack.db.pool)
        .await
        .expect("the photo row");
    assert_eq!(stored.as_deref(), Some(uploaded.file_id.as_str()));

    // Act: a Russian candidate presses "Записаться".
    let chat = FIRST_CHAT;
    let broadcast_message = sent.iter().find(|m| m.chat_id == chat).expect("the broadcast").message_id;
    let user = FakeUser::new(chat, "Candidate 0").lang("ru");
    stack.fake.user_presses_button(&user, broadcast_message, "B");

    // Assert: the day picker comes as a new message; the broadcast is left as it was.
    let picker = stack
        .fake
        .wait_for(
            |m| {
                m.chat_id == chat
                    && m.method == "sendMessage"
                    && m.inline_buttons().iter().any(|(_, data)| data.as_deref().is_some_and(|d| d.starts_with("d:")))
            },
            Duration::from_secs(20),
        )
        .await
        .expect("the day picker");
    assert_ne!(picker.message_id, broadcast_message);
    assert!(
        stack.fake.sent_to(chat).iter().all(|m| !m.method.starts_with("edit") || m.message_id != broadcast_message),
        "the broadcast message is not edited"
    );

    // Act + assert: a later broadcast with the same photo sends it by file id only, and a link
    // button reaches Telegram as a URL button.
    stack.fake.clear_sent();
    let link = json!({ "kind": "url", "text": "Вакансии", "url": "https://example.com/jobs" });
    let again = stack
        .admin
        .create_broadcast_with(
            &json!({ "text": "Ещё раз", "button": link, "photo_id": photo, "segment": { "kind": "all" } }),
        )
        .await;
    stack.wait_for_broadcast(again, "completed", LIMIT).await.expect("the second broadcast completes");
    let sent = photos(&stack.fake.sent());
    assert_eq!(sent.len(), 3);
    for message in &sent {
        let p = message.photo.as_ref().expect("a photo");
        assert!(p.bytes.is_empty() && p.file_id == uploaded.file_id, "sent by file id: {message:?}");
        // No English text: everyone gets the Russian one.
        assert_eq!(message.caption.as_deref(), Some("Ещё раз"));
        let button = &message.reply_markup.as_ref().expect("a keyboard")["inline_keyboard"][0][0];
        assert_eq!(
            (button["text"].as_str(), button["url"].as_str()),
            (Some("Вакансии"), Some("https://example.com/jobs"))
        );
    }

    stack.stop_cleanly().await;
}
