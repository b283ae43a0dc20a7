//! The inbox routes: `GET /api/inbox`, a candidate's conversation, marking it read, and replies
//! (422 for an empty or too long text, 404 for an unknown candidate, 409 for one who blocked the
//! bot), each reply queued as a delivery and audited.

use chrono::Utc;
use core_logic::inbox::{self, Attachment, Incoming};
use core_logic::models::AttachmentKind;
use reqwest::StatusCode;
use serde_json::json;

use crate::app::{TestApp, assert_error, body, spawn_app};

/// The candidate writes `text` to the bot (as the bot stores it).
pub async fn candidate_writes(app: &TestApp, candidate: i64, text: &str) {
    let incoming = Incoming { text: Some(text.to_owned()), attachment: None };
    inbox::record_incoming(&app.pool, candidate, &incoming, Utc::now()).await.unwrap();
}

#[tokio::test]
async fn the_inbox_lists_conversations_newest_first_with_unread_counts() {
    let app = spawn_app().await;
    app.login().await;
    let ids = app.seed_candidates(3).await;
    candidate_writes(&app, ids[0], "Можно в четверг?").await;
    let photo = Incoming {
        text: None,
        attachment: Some(Attachment { kind: AttachmentKind::Photo, file_id: "AgAD".into(), file_name: None }),
    };
    inbox::record_incoming(&app.pool, ids[1], &photo, Utc::now()).await.unwrap();
    candidate_writes(&app, ids[0], "Или в пятницу?").await;

    let r = app.get("/api/inbox").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = body(r).await;
    assert_eq!((page["total"].as_i64(), page["total_unread"].as_i64()), (Some(2), Some(3)), "{page}");
    assert_eq!(page["items"][0]["candidate_id"], ids[0]);
    assert_eq!(page["items"][0]["first_name"], "Кандидат 0");
    assert_eq!(page["items"][0]["username"], "cand_0");
    assert_eq!(page["items"][0]["last_text"], "Или в пятницу?");
    assert_eq!(page["items"][0]["unread"], 2);
    assert_eq!(page["items"][1]["last_attachment_kind"], "photo");
    assert!(page["items"][1].get("file_id").is_none(), "Telegram's file ids stay inside: {page}");

    let second = body(app.get("/api/inbox?limit=1&offset=1").await).await;
    assert_eq!((second["items"].as_array().unwrap().len(), second["total"].as_i64()), (1, Some(2)));
    assert_eq!(second["items"][0]["candidate_id"], ids[1]);
    assert_error(app.get("/api/inbox?limit=0").await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn a_conversation_is_read_and_marked_read() {
    let app = spawn_app().await;
    app.login().await;
    let ids = app.seed_candidates(2).await;
    for i in 0..3 {
        candidate_writes(&app, ids[0], &format!("вопрос {i}")).await;
    }

    let page = body(app.get(&format!("/api/users/{}/messages", ids[0])).await).await;
    let texts: Vec<_> = page["items"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["вопрос 0", "вопрос 1", "вопрос 2"]);
    assert_eq!((page["unread"].as_i64(), page["has_older"].as_bool()), (Some(3), Some(false)));
    let older =
        body(app.get(&format!("/api/users/{}/messages?limit=1&before={}", ids[0], page["items"][2]["id"])).await).await;
    assert_eq!((older["items"][0]["text"].as_str(), older["has_older"].as_bool()), (Some("вопрос 1"), Some(true)));

    let read = app.post(&format!("/api/users/{}/messages/read", ids[0]), json!({})).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(body(read).await["read"], 3);
    let page = body(app.get(&format!("/api/users/{}/messages", ids[0])).await).await;
    assert_eq!(page["unread"], 0);
    assert!(page["items"].as_array().unwrap().iter().all(|m| m["read_at"].is_string()));
    assert_eq!(body(app.get("/api/inbox").await).await["total_unread"], 0);

    // A candidate who never wrote has an empty conversation.
    let empty = body(app.get(&format!("/api/users/{}/messages", ids[1])).await).await;
    assert_eq!((empty["items"].as_array().unwrap().len(), empty["total"].as_i64()), (0, Some(0)));

    assert_error(app.get("/api/users/999999/messages").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.post("/api/users/999999/messages/read", json!({})).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let bad = app.get(&format!("/api/users/{}/messages?limit=500", ids[0])).await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn a_reply_is_queued_with_its_delivery_and_audited() {
    let app = spawn_app().await;
    app.login().await;
    let ids = app.seed_candidates(1).await;
    candidate_writes(&app, ids[0], "Здравствуйте!").await;

    let r = app.post(&format!("/api/users/{}/messages", ids[0]), json!({ "text": "  Добрый день! Ждём вас.  " })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reply = body(r).await;
    assert_eq!(reply["direction"], "out");
    assert_eq!(reply["text"], "Добрый день! Ждём вас.");
    assert_eq!(reply["admin_username"], crate::app::ADMIN);
    let delivery_id = reply["delivery_id"].as_i64().expect("the reply's delivery");
    assert!(["pending", "published"].contains(&reply["delivery_status"].as_str().unwrap()), "{reply}");

    let (kind, notification): (String, String) =
        sqlx::query_as("SELECT kind, notification FROM deliveries WHERE id = ?")
            .bind(delivery_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(kind, "notification");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&notification).unwrap(),
        json!({ "type": "reply", "text": "Добрый день! Ждём вас." })
    );
    let audit = body(app.get("/api/audit?entity_type=candidate").await).await;
    assert!(
        audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "inbox.reply" && e["entity_id"] == ids[0]),
        "{audit}"
    );

    // The conversation shows the reply last, with its delivery status.
    let page = body(app.get(&format!("/api/users/{}/messages", ids[0])).await).await;
    let last = page["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["id"].clone(), last["delivery_id"].as_i64()), (reply["id"].clone(), Some(delivery_id)));
    assert!(last["delivery_status"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn a_reply_that_cannot_be_sent_is_refused_clearly() {
    let app = spawn_app().await;
    app.login().await;
    let ids = app.seed_candidates(2).await;
    let path = format!("/api/users/{}/messages", ids[0]);

    let empty = assert_error(
        app.post(&path, json!({ "text": "   " })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(empty["error"]["message"].as_str().unwrap().contains("empty"), "{empty}");
    let long = json!({ "text": "ж".repeat(4097) });
    let too_long =
        assert_error(app.post(&path, long).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(too_long["error"]["message"].as_str().unwrap().contains("4096"), "{too_long}");
    let missing = app.post(&path, json!({})).await;
    assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let unknown = app.post("/api/users/999999/messages", json!({ "text": "Здравствуйте" })).await;
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;

    // The candidate blocked the bot.
    core_logic::candidates::mark_unreachable(&app.pool, ids[1]).await.unwrap();
    let blocked = app.post(&format!("/api/users/{}/messages", ids[1]), json!({ "text": "Здравствуйте" })).await;
    let blocked = assert_error(blocked, StatusCode::CONFLICT, "candidate_not_active").await;
    assert!(blocked["error"]["message"].as_str().unwrap().contains("blocked the bot"), "{blocked}");

    // Nothing was written by any of these.
    let written: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM conversation_messages").fetch_one(&app.pool).await.unwrap();
    assert_eq!(written, 0);
    let anonymous = app.anonymous().get(app.url("/api/inbox")).send().await.unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.stop().await;
}
