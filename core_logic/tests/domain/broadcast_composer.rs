//! The broadcast composer's rules: the title (given or taken from the first line, renamed and
//! audited), the English text and who gets it, the button, the photo (its type read from the
//! bytes, the caption limit) and the test send carrying all of it.

use core_logic::Error;
use core_logic::broadcast_photos;
use core_logic::broadcasts::{self, BroadcastButton, Content, NewBroadcast};
use core_logic::deliveries::{self, Claim};
use core_logic::notifications::Notification;
use core_logic::segments::Segment;

use super::support::{TestDb, t0};

const TZ: chrono_tz::Tz = chrono_tz::Europe::Moscow;
/// The smallest JPEG header the sniffer recognises, with some bytes after it.
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 2, 3];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const WEBP: &[u8] = b"RIFF\x10\0\0\0WEBPVP8 ";

fn field_of<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation { field, .. }) => field.to_owned(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn with(content: Content) -> NewBroadcast {
    NewBroadcast { content, ..NewBroadcast::new("", Segment::All) }
}

#[test]
fn the_default_title_is_the_first_visible_line_without_tags_within_80_characters() {
    assert_eq!(
        broadcasts::default_title("<b>Новые слоты</b> на &lt;неделе&gt;\nвторая строка"),
        "Новые слоты на <неделе>"
    );
    assert_eq!(broadcasts::default_title("\n\n  <i>  hi &amp; bye </i>  "), "hi & bye");
    assert_eq!(broadcasts::default_title(&"я".repeat(100)).chars().count(), 80);
    assert_eq!(broadcasts::default_title("<a href=\"https://x.y/?a=1&amp;b=2\">link</a> tail"), "link tail");
}

#[tokio::test]
async fn a_broadcast_is_titled_by_its_first_line_unless_given_one_and_can_be_renamed() {
    let db = TestDb::new().await;

    let untitled = broadcasts::create(
        &db.pool,
        None,
        &NewBroadcast::new("<b>Слоты</b> на декабрь\nПодробности", Segment::All),
        t0(),
    )
    .await
    .unwrap();
    let titled =
        NewBroadcast { title: Some("  Декабрь  ".into()), ..NewBroadcast::new("Текст", Segment::All) };
    let titled = broadcasts::create(&db.pool, None, &titled, t0()).await.unwrap();
    let renamed = broadcasts::rename(&db.pool, None, untitled.id, " Итоги недели ", t0()).await.unwrap();

    assert_eq!(untitled.title, "Слоты на декабрь");
    assert_eq!(titled.title, "Декабрь");
    assert_eq!(renamed.title, "Итоги недели");
    assert_eq!(broadcasts::get(&db.pool, untitled.id).await.unwrap().title, "Итоги недели");
    let audited: String =
        sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'broadcast.rename' AND entity_id = ?")
            .bind(untitled.id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let details: serde_json::Value = serde_json::from_str(&audited).unwrap();
    assert_eq!(details, serde_json::json!({ "from": "Слоты на декабрь", "to": "Итоги недели" }));
    // A title too long or blank is refused; an unknown broadcast is not found.
    assert_eq!(field_of(broadcasts::rename(&db.pool, None, untitled.id, &"я".repeat(81), t0()).await), "title");
    assert_eq!(field_of(broadcasts::rename(&db.pool, None, untitled.id, "   ", t0()).await), "title");
    let too_long = NewBroadcast { title: Some("x".repeat(81)), ..NewBroadcast::new("Текст", Segment::All) };
    assert_eq!(field_of(broadcasts::create(&db.pool, None, &too_long, t0()).await), "title");
    assert!(matches!(broadcasts::rename(&db.pool, None, 999, "Название", t0()).await, Err(Error::NotFound { .. })));
    assert!(broadcasts::rename(&db.pool, None, untitled.id, &"я".repeat(80), t0()).await.is_ok());
}

#[tokio::test]
async fn texts_buttons_and_photos_are_validated_and_nothing_is_written_when_refused() {
    let db = TestDb::new().await;
    let photo = broadcast_photos::store(&db.pool, None, JPEG, t0()).await.unwrap();
    let url = |text: &str, url: &str| Some(BroadcastButton::Url { text: text.into(), url: url.into() });
    let cases = [
        (Content { text_en: Some("<b>unclosed".into()), ..Content::text("Привет") }, "text_en"),
        (Content { button: url("", "https://example.com"), ..Content::text("Привет") }, "button.text"),
        (Content { button: url(&"я".repeat(65), "https://example.com"), ..Content::text("Привет") }, "button.text"),
        (Content { button: url("Сайт", "javascript:alert(1)"), ..Content::text("Привет") }, "button.url"),
        (Content { button: url("Сайт", "example.com"), ..Content::text("Привет") }, "button.url"),
        (Content { button: url("Сайт", "ftp://example.com"), ..Content::text("Привет") }, "button.url"),
        // With a photo the text is a caption: 1024 characters at most, in either language.
        (Content { photo_id: Some(photo.id), ..Content::text("я".repeat(1025)) }, "text"),
        (Content { photo_id: Some(photo.id), text_en: Some("e".repeat(1025)), ..Content::text("я") }, "text_en"),
    ];
    for (content, field) in cases {
        assert_eq!(
            field_of(broadcasts::create(&db.pool, None, &with(content.clone()), t0()).await),
            field,
            "{content:?}"
        );
    }
    let unknown_photo = Content { photo_id: Some(photo.id + 100), ..Content::text("Привет") };
    assert!(matches!(
        broadcasts::create(&db.pool, None, &with(unknown_photo), t0()).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(db.count("SELECT COUNT(*) FROM broadcasts").await, 0);

    // What is allowed: a caption of exactly 1024, every kind of button, an empty English text
    // (dropped), tg:// links.
    let fine = [
        Content { photo_id: Some(photo.id), ..Content::text("я".repeat(1024)) },
        Content { button: url(&"я".repeat(64), "https://example.com/path?q=1"), ..Content::text("Привет") },
        Content { button: url("Канал", "tg://resolve?domain=telegram"), ..Content::text("Привет") },
        Content { button: Some(BroadcastButton::Book), text_en: Some("   ".into()), ..Content::text("Привет") },
    ];
    for content in fine {
        let created = broadcasts::create(&db.pool, None, &with(content.clone()), t0()).await.unwrap();
        assert_eq!(created.text_en, None);
        assert_eq!(created.button, content.button);
        assert_eq!(created.photo_id, content.photo_id);
    }
}

#[tokio::test]
async fn photos_are_typed_by_their_bytes_and_limited_to_10_mb() {
    let db = TestDb::new().await;

    let jpeg = broadcast_photos::store(&db.pool, None, JPEG, t0()).await.unwrap();
    let png = broadcast_photos::store(&db.pool, None, PNG, t0()).await.unwrap();
    let webp = broadcast_photos::store(&db.pool, None, WEBP, t0()).await.unwrap();

    assert_eq!(
        (jpeg.content_type.as_str(), png.content_type.as_str(), webp.content_type.as_str()),
        ("image/jpeg", "image/png", "image/webp")
    );
    assert_eq!(jpeg.size, JPEG.len() as i64);
    let stored = broadcast_photos::get(&db.pool, png.id).await.unwrap();
    assert_eq!((stored.bytes.as_slice(), stored.telegram_file_id), (PNG, None));
    // A GIF, a text file calling itself a JPEG, nothing, and 10 MB + 1 byte are refused.
    for bad in [b"GIF89a....".to_vec(), b"<svg></svg>".to_vec(), Vec::new()] {
        assert_eq!(field_of(broadcast_photos::store(&db.pool, None, &bad, t0()).await), "photo");
    }
    let mut huge = JPEG.to_vec();
    huge.resize(broadcast_photos::MAX_BYTES + 1, 0);
    assert_eq!(field_of(broadcast_photos::store(&db.pool, None, &huge, t0()).await), "photo");
    huge.truncate(broadcast_photos::MAX_BYTES);
    assert!(broadcast_photos::store(&db.pool, None, &huge, t0()).await.is_ok());
    // The first file id Telegram gave is kept.
    broadcast_photos::set_telegram_file_id(&db.pool, jpeg.id, "first").await.unwrap();
    broadcast_photos::set_telegram_file_id(&db.pool, jpeg.id, "second").await.unwrap();
    assert_eq!(broadcast_photos::telegram_file_id(&db.pool, jpeg.id).await.unwrap().as_deref(), Some("first"));
    assert!(matches!(broadcast_photos::get(&db.pool, 999).await, Err(Error::NotFound { .. })));
}

#[tokio::test]
async fn each_candidate_is_sent_the_text_in_their_language_with_the_button_and_the_photo() {
    let db = TestDb::new().await;
    let ru = db.candidate_with_language(1, "ru").await;
    let en = db.candidate_with_language(2, "en").await;
    let photo = broadcast_photos::store(&db.pool, None, JPEG, t0()).await.unwrap();
    let content = Content {
        text: "<b>Привет</b>".into(),
        text_en: Some("<b>Hello</b>".into()),
        button: Some(BroadcastButton::Book),
        photo_id: Some(photo.id),
    };
    let bc = broadcasts::create(&db.pool, None, &with(content), t0()).await.unwrap();
    broadcasts::write_deliveries(&db.pool, bc.id, TZ, t0()).await.unwrap();
    let ids: Vec<(i64, i64)> = sqlx::query_as("SELECT id, candidate_id FROM deliveries WHERE broadcast_id = ?")
        .bind(bc.id)
        .fetch_all(&db.pool)
        .await
        .unwrap();

    for (id, candidate) in ids {
        let Claim::Send(d) = deliveries::claim(&db.pool, id, t0()).await.unwrap() else { panic!("claimable") };
        let expected = if candidate == en.id { "<b>Hello</b>" } else { "<b>Привет</b>" };
        assert!(candidate == en.id || candidate == ru.id);
        assert_eq!(d.text.as_deref(), Some(expected));
        assert_eq!(d.button.as_deref(), Some(r#"{"kind":"book"}"#));
        assert_eq!(d.photo_id, Some(photo.id));
    }
    // Without an English text everyone gets the Russian one.
    let plain =
        broadcasts::create(&db.pool, None, &NewBroadcast::new("Только русский", Segment::All), t0()).await.unwrap();
    broadcasts::write_deliveries(&db.pool, plain.id, TZ, t0()).await.unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM deliveries WHERE broadcast_id = ? AND candidate_id = ?")
        .bind(plain.id)
        .bind(en.id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let Claim::Send(d) = deliveries::claim(&db.pool, id, t0()).await.unwrap() else { panic!("claimable") };
    assert_eq!((d.text.as_deref(), d.button, d.photo_id), (Some("Только русский"), None, None));
}

#[tokio::test]
async fn a_test_send_carries_the_candidates_language_the_button_and_the_photo() {
    let db = TestDb::new().await;
    let en = db.candidate_with_language(1, "en").await;
    let ru = db.candidate_with_language(2, "ru").await;
    let photo = broadcast_photos::store(&db.pool, None, PNG, t0()).await.unwrap();
    let button = Some(BroadcastButton::Url { text: "Сайт".into(), url: "https://example.com".into() });
    let content = Content {
        text: "Привет".into(),
        text_en: Some("Hello".into()),
        button: button.clone(),
        photo_id: Some(photo.id),
    };

    for (candidate, text) in [(en.id, "Hello"), (ru.id, "Привет")] {
        let id = broadcasts::test_send(&db.pool, None, candidate, &content, t0()).await.unwrap();
        let json: String = sqlx::query_scalar("SELECT notification FROM deliveries WHERE id = ?")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        let sent: Notification = serde_json::from_str(&json).unwrap();
        assert_eq!(
            sent,
            Notification::TestMessage { text: text.into(), button: button.clone(), photo_id: Some(photo.id) }
        );
    }
    // The same rules as the broadcast.
    let too_long = Content { text: "я".repeat(1025), ..content.clone() };
    assert_eq!(field_of(broadcasts::test_send(&db.pool, None, ru.id, &too_long, t0()).await), "text");
    // A test send written before test sends had buttons and photos still reads.
    let old: Notification = serde_json::from_str(r#"{"type":"test_message","text":"Привет"}"#).unwrap();
    assert_eq!(old, Notification::TestMessage { text: "Привет".into(), button: None, photo_id: None });
}
