//! The inbox: candidates' messages stored and listed with unread counts, conversations paged
//! and read, and replies queued as notification deliveries with their audit entry, refused when
//! they cannot be sent.

use chrono::Duration;
use core_logic::deliveries::{self, Claim, SendOutcome};
use core_logic::inbox::{self, Attachment, Incoming, MAX_REPLY_CHARS};
use core_logic::models::{AttachmentKind, DeliveryKind, DeliveryStatus, MessageDirection};
use core_logic::notifications::Notification;
use core_logic::outbox::{self, Event};
use core_logic::{ConflictKind, Error, admins, candidates};

use super::support::{TestDb, t0};

fn text(s: &str) -> Incoming {
    Incoming { text: Some(s.to_owned()), attachment: None }
}

fn photo(caption: Option<&str>) -> Incoming {
    Incoming {
        text: caption.map(str::to_owned),
        attachment: Some(Attachment { kind: AttachmentKind::Photo, file_id: "AgAD-photo".into(), file_name: None }),
    }
}

#[tokio::test]
async fn messages_are_listed_per_candidate_newest_first_with_unread_counts() {
    let db = TestDb::new().await;
    let anna = db.candidate(1).await;
    let boris = db.candidate(2).await;
    let quiet = db.candidate(3).await;

    inbox::record_incoming(&db.pool, anna.id, &text("Можно в четверг?"), t0()).await.unwrap();
    inbox::record_incoming(&db.pool, boris.id, &photo(Some("мой диплом")), t0() + Duration::minutes(1)).await.unwrap();
    let last = inbox::record_incoming(&db.pool, anna.id, &text("  И ещё вопрос  "), t0() + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(
        (last.direction, last.text.as_deref(), last.read_at),
        (MessageDirection::In, Some("И ещё вопрос"), None)
    );

    let list = inbox::conversations(&db.pool, 50, 0).await.unwrap();
    assert_eq!((list.total, list.total_unread), (2, 3));
    let rows: Vec<_> = list.items.iter().map(|c| (c.candidate_id, c.unread, c.last_text.as_deref())).collect();
    assert_eq!(rows, vec![(anna.id, 2, Some("И ещё вопрос")), (boris.id, 1, Some("мой диплом"))]);
    assert_eq!(list.items[1].last_attachment_kind, Some(AttachmentKind::Photo));
    assert_eq!(list.items[0].first_name, "Candidate 1");
    assert!(list.items.iter().all(|c| c.candidate_id != quiet.id), "a candidate who never wrote has no conversation");

    // Paged: the second page holds the older conversation.
    let page = inbox::conversations(&db.pool, 1, 1).await.unwrap();
    assert_eq!((page.total, page.items.len(), page.items[0].candidate_id), (2, 1, boris.id));
}

#[tokio::test]
async fn a_message_needs_a_text_or_an_attachment_and_the_file_is_kept() {
    let db = TestDb::new().await;
    let anna = db.candidate(1).await;

    let empty = inbox::record_incoming(&db.pool, anna.id, &text("   "), t0()).await;
    assert!(matches!(empty, Err(Error::Validation { .. })), "{empty:?}");
    let doc = Incoming {
        text: None,
        attachment: Some(Attachment {
            kind: AttachmentKind::Document,
            file_id: "BQAD-doc".into(),
            file_name: Some("резюме.pdf".into()),
        }),
    };
    let stored = inbox::record_incoming(&db.pool, anna.id, &doc, t0()).await.unwrap();
    assert_eq!(
        (stored.attachment_kind, stored.file_name.as_deref(), stored.text),
        (Some(AttachmentKind::Document), Some("резюме.pdf"), None)
    );
    let file_id: String = sqlx::query_scalar("SELECT file_id FROM conversation_messages WHERE id = ?")
        .bind(stored.id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(file_id, "BQAD-doc");
    assert_eq!(db.count("SELECT COUNT(*) FROM conversation_messages").await, 1);
}

#[tokio::test]
async fn opening_a_conversation_pages_it_and_marking_it_read_clears_the_unread() {
    let db = TestDb::new().await;
    let anna = db.candidate(1).await;
    let boris = db.candidate(2).await;
    for i in 0..5 {
        inbox::record_incoming(&db.pool, anna.id, &text(&format!("сообщение {i}")), t0() + Duration::minutes(i))
            .await
            .unwrap();
    }
    inbox::record_incoming(&db.pool, boris.id, &text("привет"), t0()).await.unwrap();

    // The newest page, oldest to newest, then the page before it.
    let newest = inbox::conversation(&db.pool, anna.id, 3, None).await.unwrap();
    let texts: Vec<_> = newest.items.iter().map(|m| m.text.clone().unwrap()).collect();
    assert_eq!(texts, ["сообщение 2", "сообщение 3", "сообщение 4"]);
    assert_eq!((newest.total, newest.has_older, newest.unread), (5, true, 5));
    let older = inbox::conversation(&db.pool, anna.id, 3, Some(newest.items[0].id)).await.unwrap();
    let texts: Vec<_> = older.items.iter().map(|m| m.text.clone().unwrap()).collect();
    assert_eq!((texts, older.has_older), (vec!["сообщение 0".to_owned(), "сообщение 1".to_owned()], false));

    assert_eq!(inbox::mark_read(&db.pool, anna.id, t0() + Duration::hours(1)).await.unwrap(), 5);
    assert_eq!(inbox::mark_read(&db.pool, anna.id, t0() + Duration::hours(2)).await.unwrap(), 0, "idempotent");
    let read = inbox::conversation(&db.pool, anna.id, 50, None).await.unwrap();
    assert_eq!(read.unread, 0);
    assert!(read.items.iter().all(|m| m.read_at == Some(t0() + Duration::hours(1))));
    // Only that conversation.
    let list = inbox::conversations(&db.pool, 50, 0).await.unwrap();
    assert_eq!(list.total_unread, 1);

    assert!(matches!(inbox::conversation(&db.pool, 999, 50, None).await, Err(Error::NotFound { .. })));
    assert!(matches!(inbox::mark_read(&db.pool, 999, t0()).await, Err(Error::NotFound { .. })));
    // A candidate who never wrote has an empty conversation, not a 404.
    let quiet = db.candidate(3).await;
    let empty = inbox::conversation(&db.pool, quiet.id, 50, None).await.unwrap();
    assert_eq!((empty.items.len(), empty.total, empty.has_older), (0, 0, false));
}

#[tokio::test]
async fn a_reply_is_one_transaction_of_message_delivery_event_and_audit() {
    let db = TestDb::new().await;
    let admin = admins::create(&db.pool, "recruiter", "violet tractor 42 harbour", t0()).await.unwrap();
    let anna = db.candidate(1).await;
    inbox::record_incoming(&db.pool, anna.id, &text("Можно в четверг?"), t0()).await.unwrap();

    let reply =
        inbox::reply(&db.pool, Some(admin.id), anna.id, "  Да, в четверг в 10:00 <b>ждём</b>  ", t0()).await.unwrap();

    assert_eq!(reply.direction, MessageDirection::Out);
    assert_eq!(reply.text.as_deref(), Some("Да, в четверг в 10:00 <b>ждём</b>"));
    assert_eq!(reply.admin_username.as_deref(), Some("recruiter"));
    assert_eq!(reply.delivery_status, Some(DeliveryStatus::Pending));
    let delivery = deliveries::get(&db.pool, reply.delivery_id.unwrap()).await.unwrap();
    assert_eq!((delivery.kind, delivery.candidate_id), (DeliveryKind::Notification, anna.id));
    let notification: Notification = serde_json::from_str(delivery.notification.as_deref().unwrap()).unwrap();
    assert_eq!(notification, Notification::Reply { text: "Да, в четверг в 10:00 <b>ждём</b>".into() });
    let event = outbox::next_due(&db.pool, t0()).await.unwrap().expect("the delivery's outbox event");
    assert_eq!(event.event().unwrap(), Event::DeliveryCreated { delivery_id: delivery.id });
    let (action, admin_id, entity): (String, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT action, admin_id, entity_id FROM audit_log WHERE action = 'inbox.reply'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!((action.as_str(), admin_id, entity), ("inbox.reply", Some(admin.id), Some(anna.id)));

    // The conversation lists the reply last; the reply is not unread.
    let list = inbox::conversations(&db.pool, 50, 0).await.unwrap();
    assert_eq!((list.items[0].last_direction, list.items[0].unread), (MessageDirection::Out, 1));

    // The reply's status is its delivery's: it follows the delivery to `sent`.
    let Claim::Send(to_send) = deliveries::claim(&db.pool, delivery.id, t0()).await.unwrap() else {
        panic!("the reply's delivery is claimable")
    };
    deliveries::record(&db.pool, delivery.id, &to_send.lease, &SendOutcome::Sent { telegram_message_id: 77 }, t0())
        .await
        .unwrap();
    let page = inbox::conversation(&db.pool, anna.id, 50, None).await.unwrap();
    assert_eq!(page.items.last().unwrap().delivery_status, Some(DeliveryStatus::Sent));
}

#[tokio::test]
async fn a_reply_that_cannot_be_sent_is_refused_and_writes_nothing() {
    let db = TestDb::new().await;
    let anna = db.candidate(1).await;

    let empty = inbox::reply(&db.pool, None, anna.id, " \n ", t0()).await;
    assert!(
        matches!(&empty, Err(Error::Validation { field: "text", message }) if message.contains("empty")),
        "{empty:?}"
    );
    let too_long = inbox::reply(&db.pool, None, anna.id, &"щ".repeat(MAX_REPLY_CHARS + 1), t0()).await;
    assert!(
        matches!(&too_long, Err(Error::Validation { field: "text", message }) if message.contains("4096")),
        "{too_long:?}"
    );
    assert!(inbox::reply(&db.pool, None, anna.id, &"щ".repeat(MAX_REPLY_CHARS), t0()).await.is_ok());

    let unknown = inbox::reply(&db.pool, None, 999, "Здравствуйте", t0()).await;
    assert!(matches!(unknown, Err(Error::NotFound { entity: "candidate", id: 999 })), "{unknown:?}");

    // The candidate blocked the bot: nothing reaches them.
    let boris = db.candidate(2).await;
    candidates::mark_unreachable(&db.pool, boris.id).await.unwrap();
    let unreachable = inbox::reply(&db.pool, None, boris.id, "Здравствуйте", t0()).await;
    assert!(
        matches!(&unreachable, Err(e @ Error::Conflict { message, .. })
            if e.conflict_kind() == Some(ConflictKind::CandidateNotActive) && message.contains("blocked the bot")),
        "{unreachable:?}"
    );
    // An admin's block: the queue would cancel the delivery, so it is refused too.
    let vera = db.candidate(3).await;
    candidates::set_blocked(&db.pool, None, vera.id, true, t0()).await.unwrap();
    let blocked = inbox::reply(&db.pool, None, vera.id, "Здравствуйте", t0()).await;
    assert!(matches!(blocked, Err(Error::Conflict { kind: ConflictKind::CandidateNotActive, .. })), "{blocked:?}");

    // Only the one good reply was written.
    assert_eq!(db.count("SELECT COUNT(*) FROM conversation_messages").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM deliveries").await, 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'inbox.reply'").await, 1);
}
