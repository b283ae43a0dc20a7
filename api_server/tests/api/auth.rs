//! Login, logout, `me`, rate limiting, and 401 from every route without a session.

use reqwest::StatusCode;
use serde_json::json;

use crate::app::{ADMIN, PASSWORD, assert_error, body, spawn_app};

#[tokio::test]
async fn login_sets_an_http_only_strict_cookie_and_me_answers_the_admin() {
    let app = spawn_app().await;

    let r = app.post("/api/auth/login", json!({ "username": ADMIN, "password": PASSWORD })).await;

    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("ibs_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP gets no Secure flag: {cookie}");
    let me = body(app.get("/api/auth/me").await).await;
    assert_eq!(me["username"], ADMIN);
    app.stop().await;
}

#[tokio::test]
async fn behind_an_https_proxy_the_cookie_is_secure() {
    let app = spawn_app().await;

    let r = app
        .client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({ "username": ADMIN, "password": PASSWORD }))
        .send()
        .await
        .unwrap();

    assert!(r.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Secure"));
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_is_401_without_saying_which() {
    let app = spawn_app().await;

    let wrong = app.post("/api/auth/login", json!({ "username": ADMIN, "password": "nope nope" })).await;
    let unknown = app.post("/api/auth/login", json!({ "username": "ghost", "password": PASSWORD })).await;

    let a = assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let b = assert_error(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(a, b);
    assert_error(app.get("/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.stop().await;
}

#[tokio::test]
async fn logout_revokes_the_session_even_for_a_copied_cookie() {
    let app = spawn_app().await;
    let r = app.post("/api/auth/login", json!({ "username": ADMIN, "password": PASSWORD })).await;
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();

    let out = app.post("/api/auth/logout", json!({})).await;

    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let replay = app.anonymous().get(app.url("/api/auth/me")).header("cookie", cookie).send().await.unwrap();
    assert_error(replay, StatusCode::UNAUTHORIZED, "session_expired").await;
    app.stop().await;
}

#[tokio::test]
async fn repeated_failures_for_one_username_are_rate_limited_even_with_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let r = app.post("/api/auth/login", json!({ "username": ADMIN, "password": "wrong wrong" })).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }

    let r = app.post("/api/auth/login", json!({ "username": ADMIN, "password": PASSWORD })).await;

    assert!(r.headers().get("retry-after").is_some());
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    app.stop().await;
}

#[tokio::test]
async fn every_route_answers_401_without_a_session() {
    let app = spawn_app().await;
    let spec = body(app.get("/api/openapi.json").await).await;
    let client = app.anonymous();
    let mut checked = 0;

    for (path, ops) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") || path == "/api/auth/login" || path == "/api/auth/logout" {
            continue;
        }
        for method in ops.as_object().unwrap().keys() {
            let url = app.url(&path.replace("{id}", "1"));
            let req = match method.as_str() {
                "get" => client.get(url),
                "post" => client.post(url).json(&json!({})),
                "patch" => client.patch(url).json(&json!({})),
                "delete" => client.delete(url),
                other => panic!("unexpected method {other}"),
            };
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            checked += 1;
        }
    }

    assert!(checked >= 25, "the route table has {checked} protected operations");
    app.stop().await;
}

#[tokio::test]
async fn health_openapi_docs_and_metrics_need_no_session() {
    let app = spawn_app().await;

    let ready = body(app.get("/readyz").await).await;
    let docs = app.get("/api/docs/").await;
    app.get("/api/slots").await;
    let metrics = app.get("/metrics").await.text().await.unwrap();

    assert_eq!(body(app.get("/healthz").await).await["status"], "ok");
    assert_eq!(ready, json!({ "status": "ok", "database": "ok", "queue": "ok", "queue_backend": "embedded" }));
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"), "Swagger UI is served from vendored assets");
    assert!(metrics.contains(r#"http_requests_total{method="GET",route="/api/slots",status="401"} 1"#), "{metrics}");
    assert!(metrics.contains("outbox_lag_seconds 0"));
    assert!(metrics.contains(r#"deliveries{status="sent"} 0"#));
    app.stop().await;
}

#[tokio::test]
async fn the_server_starts_while_rabbitmq_is_down_and_is_not_ready_until_it_answers() {
    // A port nobody listens on: the broker is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("amqp://guest:guest@127.0.0.1:{closed}/%2f");

    let app = crate::app::spawn_app_with(crate::app::Spawn { env: vec![("RABBITMQ_URL", url)] }).await;

    assert_eq!(body(app.get("/healthz").await).await["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body(ready).await,
        json!({ "status": "unavailable", "database": "ok", "queue": "unavailable", "queue_backend": "rabbitmq" })
    );
    app.stop().await;
}
