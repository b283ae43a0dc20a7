//! No input makes the server answer 500 or panic: malformed JSON, wrong types, unknown fields, a
//! body over the limit, invalid or reversed dates, negative or huge numbers, bad ids, quotes and
//! SQL in strings. Each kind gets a clear 4xx and loses nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn malformed_or_mistyped_bodies_are_4xx_with_the_error_shape() {
    let app = spawn_app().await;
    app.login().await;

    let cases: Vec<(&str, reqwest::Response, StatusCode, &str)> = vec![
        ("malformed", app.post_raw("/api/slots", "{\"starts_at\": ").await, StatusCode::BAD_REQUEST, "bad_request"),
        (
            "not an object",
            app.post_raw("/api/slots", "[1,2,3]").await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "wrong type",
            app.post("/api/slots", json!({ "starts_at": "2030-01-01T10:00:00Z", "duration_minutes": "thirty" })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "unknown field",
            app.post(
                "/api/slots",
                json!({ "starts_at": "2030-01-01T10:00:00Z", "duration_minutes": 30, "admin": true }),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "invalid date",
            app.post("/api/slots", json!({ "starts_at": "2030-02-30T10:00:00Z", "duration_minutes": 30 })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "negative number",
            app.post("/api/slots", json!({ "starts_at": "2030-01-01T10:00:00Z", "duration_minutes": -30 })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "huge number",
            app.post_raw(
                "/api/slots",
                r#"{"starts_at":"2030-01-01T10:00:00Z","duration_minutes":99999999999999999999999}"#,
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "year 9999",
            app.post("/api/slots", json!({ "starts_at": "9999-12-31T23:00:00Z", "duration_minutes": 30 })).await,
            StatusCode::CREATED,
            "",
        ),
        (
            "no content type",
            app.client.post(app.url("/api/slots")).body("{}").send().await.unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "body over the limit",
            app.post("/api/broadcasts", json!({ "text": "я".repeat(300_000), "segment": { "kind": "all" } })).await,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        ("empty body", app.post_raw("/api/bookings/1/cancel", "").await, StatusCode::BAD_REQUEST, "bad_request"),
    ];

    for (name, response, status, code) in cases {
        assert_eq!(response.status(), status, "{name}");
        if !code.is_empty() {
            let b = body(response).await;
            assert_eq!(b["error"]["code"], code, "{name}: {b}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn bad_query_strings_and_ids_are_400_or_422() {
    let app = spawn_app().await;
    app.login().await;

    for (path, status) in [
        ("/api/slots?from=yesterday", StatusCode::BAD_REQUEST),
        ("/api/slots?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", StatusCode::UNPROCESSABLE_ENTITY),
        ("/api/slots?page=2", StatusCode::BAD_REQUEST),
        ("/api/bookings?limit=-1", StatusCode::UNPROCESSABLE_ENTITY),
        ("/api/bookings?limit=100000", StatusCode::UNPROCESSABLE_ENTITY),
        ("/api/bookings?offset=99999999999999999999999", StatusCode::BAD_REQUEST),
        ("/api/bookings?status=lost", StatusCode::BAD_REQUEST),
        ("/api/users?limit=abc", StatusCode::BAD_REQUEST),
        ("/api/stats?from=2030-13-01", StatusCode::BAD_REQUEST),
        ("/api/slots/abc", StatusCode::BAD_REQUEST),
        ("/api/slots/-1", StatusCode::BAD_REQUEST),
        ("/api/slots/0", StatusCode::BAD_REQUEST),
        ("/api/slots/99999999999999999999", StatusCode::BAD_REQUEST),
        ("/api/users/1%27%20OR%201=1", StatusCode::BAD_REQUEST),
        ("/api/nothing/here", StatusCode::NOT_FOUND),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), status, "{path}");
        let b = body(r).await;
        assert!(b["error"]["code"].is_string(), "{path}: {b}");
    }
    app.stop().await;
}

#[tokio::test]
async fn quotes_and_sql_in_strings_are_stored_verbatim() {
    let app = spawn_app().await;
    app.login().await;
    let nasty = "Robert'); DROP TABLE slots;-- \"quoted\" \\ %_ \u{0}";

    let created = app
        .post(
            "/api/slots",
            json!({ "starts_at": "2030-01-01T10:00:00Z", "duration_minutes": 30, "notes": nasty, "location": nasty }),
        )
        .await;
    let search = app.get("/api/users?q=%27%3B%20DROP%20TABLE%20candidates%3B--").await;
    let bookings = app.get("/api/bookings?q=%25%27%20OR%20%271%27%3D%271").await;

    assert_eq!(created.status(), StatusCode::CREATED);
    let slot = body(created).await;
    assert_eq!(slot["notes"], nasty);
    let fetched = body(app.get(&format!("/api/slots/{}", slot["id"])).await).await;
    assert_eq!(fetched["location"], nasty);
    assert_eq!(body(search).await["total"], 0);
    assert_eq!(body(bookings).await["total"], 0);
    app.seed_candidates(1).await;
    assert_eq!(body(app.get("/api/users").await).await["total"], 1, "the candidates table is intact");
    app.stop().await;
}

#[tokio::test]
async fn unknown_segments_and_wrong_methods_are_client_errors() {
    let app = spawn_app().await;
    app.login().await;

    let put = app.client.put(app.url("/api/slots")).json(&json!({})).send().await.unwrap();
    let long_reason = app.post("/api/bookings/1/cancel", json!({ "reason": "x".repeat(501) })).await;

    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_error(long_reason, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}
