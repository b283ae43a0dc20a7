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
