//! `/api/broadcasts`: create, validate, list, detail, cancel, deliveries, recipient count, test send.

use reqwest::StatusCode;
use serde_json::json;

use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn a_broadcast_is_created_fanned_out_and_shown_with_counts_and_progress() {
    let app = spawn_app().await;
    app.login().await;
    app.seed_candidates(5).await;

    let count = body(app.post("/api/broadcasts/recipients", json!({ "segment": { "kind": "all" } })).await).await;
    let r = app
        .post("/api/broadcasts", json!({ "text": "<b>Новые слоты</b> на неделе", "segment": { "kind": "all" } }))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = body(r).await["id"].as_i64().unwrap();
    let mut detail = json!(null);
    for _ in 0..100 {
        detail = body(app.get(&format!("/api/broadcasts/{id}")).await).await;
        if detail["status"] == "sending" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let deliveries = body(app.get(&format!("/api/broadcasts/{id}/deliveries?status=published&limit=2")).await).await;
    let list = body(app.get("/api/broadcasts").await).await;

    assert_eq!(count["count"], 5);
    assert_eq!(detail["status"], "sending");
    assert_eq!(detail["total_recipients"], 5);
    assert_eq!(detail["counts"]["published"], 5);
    assert_eq!(detail["progress"], 0.0);
    assert_eq!((deliveries["items"].as_array().unwrap().len(), deliveries["total"].as_i64()), (2, Some(5)));
    // Each delivery names its candidate (the panel shows people, not ids).
    assert_eq!(deliveries["items"][0]["first_name"], "Кандидат 0");
    assert_eq!(deliveries["items"][0]["username"], "cand_0");
    assert_eq!(deliveries["items"][0]["status"], "published");
    assert_eq!(list["items"][0]["id"], id);
    app.stop().await;
}

#[tokio::test]
async fn invalid_broadcasts_are_422_and_bad_segments_are_rejected() {
    let app = spawn_app().await;
    app.login().await;

    let unclosed = app.post("/api/broadcasts", json!({ "text": "<b>bold", "segment": { "kind": "all" } })).await;
    let too_long = app.post("/api/broadcasts", json!({ "text": "a".repeat(4097), "segment": { "kind": "all" } })).await;
    let empty = app.post("/api/broadcasts", json!({ "text": "  ", "segment": { "kind": "all" } })).await;
    let past = app
        .post(
            "/api/broadcasts",
            json!({ "text": "hi", "segment": { "kind": "all" }, "send_at": "2020-01-01T00:00:00Z" }),
        )
        .await;
    let segment = app.post("/api/broadcasts", json!({ "text": "hi", "segment": { "kind": "everyone" } })).await;
    let date = app
        .post("/api/broadcasts", json!({ "text": "hi", "segment": { "kind": "booked_on", "date": "2027-02-30" } }))
        .await;

    let b = assert_error(unclosed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(b["error"]["message"].as_str().unwrap().contains("<b> is not closed"), "{b}");
    assert_error(too_long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(empty, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(past, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(segment, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(date, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body(app.get("/api/broadcasts").await).await["total"], 0);
    app.stop().await;
}

#[tokio::test]
async fn markup_beyond_telegrams_html_is_422_naming_the_problem_and_where() {
    let app = spawn_app().await;
    app.login().await;

    for (text, says) in [
        ("Hi <b onmouseover=\"alert(1)\">there</b>", "at character 4: <b> takes no attributes (onmouseover)"),
        ("<a href=\"javascript:alert(1)\">x</a>", "at character 1: links may be http, https, tg or mailto"),
        ("x &#x110000;", "at character 3: &#x110000; is not a valid Unicode character"),
        ("x &#0;", "&#0; is not a valid Unicode character"),
    ] {
        let r = app.post("/api/broadcasts", json!({ "text": text, "segment": { "kind": "all" } })).await;
        let b = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(b["error"]["message"].as_str().unwrap().contains(says), "{text}: {b}");
    }
    assert_eq!(body(app.get("/api/broadcasts").await).await["total"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_scheduled_broadcast_can_be_cancelled_once() {
    let app = spawn_app().await;
    app.login().await;
    app.seed_candidates(3).await;
    let send_at = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let created = body(
        app.post("/api/broadcasts", json!({ "text": "later", "segment": { "kind": "all" }, "send_at": send_at })).await,
    )
    .await;
    let id = created["id"].as_i64().unwrap();

    let cancelled = body(app.post(&format!("/api/broadcasts/{id}/cancel"), json!({})).await).await;
    let again = app.post(&format!("/api/broadcasts/{id}/cancel"), json!({})).await;

    assert_eq!(created["status"], "scheduled");
    assert_eq!(cancelled["status"], "cancelled");
    assert_error(again, StatusCode::CONFLICT, "broadcast_finished").await;
    assert_error(app.get("/api/broadcasts/999").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get("/api/broadcasts/999/deliveries").await, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

#[tokio::test]
async fn a_test_send_goes_to_one_active_candidate_only() {
    let app = spawn_app().await;
    app.login().await;
    let ids = app.seed_candidates(2).await;
    app.post(&format!("/api/users/{}/block", ids[1]), json!({})).await;

    let sent = app.post("/api/broadcasts/test", json!({ "candidate_id": ids[0], "text": "<i>проверка</i>" })).await;
    let blocked = app.post("/api/broadcasts/test", json!({ "candidate_id": ids[1], "text": "hi" })).await;
    let missing = app.post("/api/broadcasts/test", json!({ "candidate_id": 999, "text": "hi" })).await;

    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let delivery_id = body(sent).await["delivery_id"].as_i64().unwrap();
    let (kind, candidate): (String, i64) = sqlx::query_as("SELECT kind, candidate_id FROM deliveries WHERE id = ?")
        .bind(delivery_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!((kind.as_str(), candidate), ("test", ids[0]));
    assert_error(blocked, StatusCode::CONFLICT, "candidate_not_active").await;
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

/// A tiny JPEG's first bytes (the type is read from them).
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 2, 3];

async fn upload(app: &crate::app::TestApp, content_type: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url("/api/broadcasts/photos"))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_photo_is_uploaded_checked_by_its_bytes_and_served_back() {
    let app = spawn_app().await;
    app.login().await;

    // Declared as PNG, but the bytes are a JPEG: stored as what it is.
    let uploaded = upload(&app, "image/png", JPEG.to_vec()).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let info = body(uploaded).await;
    assert_eq!((info["content_type"].as_str(), info["size"].as_i64()), (Some("image/jpeg"), Some(JPEG.len() as i64)));
    let id = info["id"].as_i64().unwrap();
    let served = app.get(&format!("/api/broadcasts/photos/{id}")).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.bytes().await.unwrap().as_ref(), JPEG);

    // Not an image, not declared as one, too big, unknown: each with a clear answer.
    let text = assert_error(
        upload(&app, "image/jpeg", b"hello".to_vec()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(text["error"]["message"].as_str().unwrap().contains("JPEG, PNG or WebP"), "{text}");
    assert_error(
        upload(&app, "application/json", JPEG.to_vec()).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let mut big = JPEG.to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let over = assert_error(
        upload(&app, "image/jpeg", big.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(over["error"]["message"].as_str().unwrap().contains("10 MB"), "{over}");
    big.resize(11 * 1024 * 1024, 0);
    assert_error(upload(&app, "image/jpeg", big).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_error(app.get("/api/broadcasts/photos/999").await, StatusCode::NOT_FOUND, "not_found").await;
    // The raised limit is this route's only: a JSON body over 256 KiB elsewhere is still 413.
    let huge = json!({ "text": "a".repeat(300 * 1024), "segment": { "kind": "all" } });
    assert_eq!(app.post("/api/broadcasts", huge).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Without a session, nothing.
    let anonymous = app.anonymous().get(app.url(&format!("/api/broadcasts/photos/{id}"))).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn a_broadcast_is_created_with_a_title_english_text_button_and_photo_and_renamed() {
    let app = spawn_app().await;
    app.login().await;
    app.seed_candidates(1).await;
    let photo = body(upload(&app, "image/jpeg", JPEG.to_vec()).await).await["id"].as_i64().unwrap();

    let created = app
        .post(
            "/api/broadcasts",
            json!({
                "text": "<b>Новые слоты</b>\nна неделе",
                "text_en": "<b>New slots</b>",
                "button": { "kind": "url", "text": "Сайт", "url": "https://example.com/jobs" },
                "photo_id": photo,
                "segment": { "kind": "all" },
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = body(created).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["title"], "Новые слоты");
    assert_eq!(created["text_en"], "<b>New slots</b>");
    assert_eq!(created["button"], json!({ "kind": "url", "text": "Сайт", "url": "https://example.com/jobs" }));
    assert_eq!(created["photo_id"], photo);

    let renamed = app.patch(&format!("/api/broadcasts/{id}"), json!({ "title": "Слоты декабря" })).await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(body(renamed).await["title"], "Слоты декабря");
    assert_eq!(body(app.get("/api/broadcasts").await).await["items"][0]["title"], "Слоты декабря");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.rename' AND entity_id = ?")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    let booking = app
        .post("/api/broadcasts", json!({ "title": "Запись", "text": "Запишитесь", "button": { "kind": "book" }, "segment": { "kind": "all" } }))
        .await;
    assert_eq!(body(booking).await["button"], json!({ "kind": "book" }));

    // Renaming: blank, too long, unknown fields, unknown broadcast.
    let blank = app.patch(&format!("/api/broadcasts/{id}"), json!({ "title": "  " })).await;
    let long = app.patch(&format!("/api/broadcasts/{id}"), json!({ "title": "я".repeat(81) })).await;
    let unknown = app.patch("/api/broadcasts/999", json!({ "title": "Название" })).await;
    let b = assert_error(blank, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(b["error"]["message"].as_str().unwrap().contains("title"), "{b}");
    assert_error(long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

#[tokio::test]
async fn composer_mistakes_are_422_naming_the_field_and_an_unknown_photo_is_404() {
    let app = spawn_app().await;
    app.login().await;
    let photo = body(upload(&app, "image/jpeg", JPEG.to_vec()).await).await["id"].as_i64().unwrap();
    let all = json!({ "kind": "all" });

    let cases = [
        (json!({ "text": "hi", "text_en": "<i>open", "segment": all }), "text_en"),
        (json!({ "text": "hi", "title": "x".repeat(81), "segment": all }), "title"),
        (json!({ "text": "я".repeat(1025), "photo_id": photo, "segment": all }), "text"),
        (
            json!({ "text": "hi", "button": { "kind": "url", "text": "", "url": "https://a.b" }, "segment": all }),
            "button.text",
        ),
        (
            json!({ "text": "hi", "button": { "kind": "url", "text": "x".repeat(65), "url": "https://a.b" }, "segment": all }),
            "button.text",
        ),
        (
            json!({ "text": "hi", "button": { "kind": "url", "text": "Go", "url": "javascript:alert(1)" }, "segment": all }),
            "button.url",
        ),
    ];
    for (request, field) in cases {
        let b = assert_error(
            app.post("/api/broadcasts", request.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert!(b["error"]["message"].as_str().unwrap().contains(field), "{request}: {b}");
    }
    let caption = assert_error(
        app.post("/api/broadcasts", json!({ "text": "я".repeat(1025), "photo_id": photo, "segment": all })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert!(caption["error"]["message"].as_str().unwrap().contains("1024"), "{caption}");
    let missing = app.post("/api/broadcasts", json!({ "text": "hi", "photo_id": 999, "segment": all })).await;
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let kind = app.post("/api/broadcasts", json!({ "text": "hi", "button": { "kind": "call" }, "segment": all })).await;
    assert_error(kind, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body(app.get("/api/broadcasts").await).await["total"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_test_send_carries_the_english_text_the_button_and_the_photo() {
    let app = spawn_app().await;
    app.login().await;
    let ids = app.seed_candidates(1).await;
    sqlx::query("UPDATE candidates SET language = 'en' WHERE id = ?").bind(ids[0]).execute(&app.pool).await.unwrap();
    let photo = body(upload(&app, "image/jpeg", JPEG.to_vec()).await).await["id"].as_i64().unwrap();

    let sent = app
        .post(
            "/api/broadcasts/test",
            json!({ "candidate_id": ids[0], "text": "Привет", "text_en": "Hello", "button": { "kind": "book" }, "photo_id": photo }),
        )
        .await;

    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let delivery_id = body(sent).await["delivery_id"].as_i64().unwrap();
    let notification: String = sqlx::query_scalar("SELECT notification FROM deliveries WHERE id = ?")
        .bind(delivery_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let notification: serde_json::Value = serde_json::from_str(&notification).unwrap();
    assert_eq!(
        notification,
        json!({ "type": "test_message", "text": "Hello", "button": { "kind": "book" }, "photo_id": photo })
    );
    let too_long = app
        .post("/api/broadcasts/test", json!({ "candidate_id": ids[0], "text": "я".repeat(1025), "photo_id": photo }))
        .await;
    assert_error(too_long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}
