//! Login, logout, `me`, login throttling that cannot lock admins out, and 401 from every route
//! without a session.

use std::net::IpAddr;

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::app::{ADMIN, PASSWORD, Spawn, TestApp, assert_error, body, spawn_app, spawn_app_with};

/// A client whose connections come from `ip` (any 127.x.y.z address is this machine's loopback).
fn client_from(ip: &str) -> Client {
    let ip: IpAddr = ip.parse().unwrap();
    Client::builder().cookie_store(true).local_address(ip).build().unwrap()
}

async fn login_as(
    app: &TestApp,
    client: &Client,
    forwarded_for: Option<&str>,
    username: &str,
    password: &str,
) -> StatusCode {
    let mut req = client.post(app.url("/api/auth/login")).json(&json!({ "username": username, "password": password }));
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.unwrap().status()
}

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
    let replay = app.anonymous().get(app.url("/api/auth/me")).header("cookie", cookie.clone()).send().await.unwrap();
    assert_error(replay, StatusCode::UNAUTHORIZED, "session_expired").await;
    let again = app.anonymous().post(app.url("/api/auth/logout")).header("cookie", cookie).send().await.unwrap();
    assert_error(again, StatusCode::UNAUTHORIZED, "session_expired").await;
    app.stop().await;
}

#[tokio::test]
async fn logout_without_a_session_is_401_as_every_other_route() {
    let app = spawn_app().await;

    let r = app.anonymous().post(app.url("/api/auth/logout")).json(&json!({})).send().await.unwrap();

    assert_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.stop().await;
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_admin_out_from_another() {
    let app = spawn_app().await;
    let attacker = client_from("127.0.0.1");
    let admin = client_from("127.0.0.2");
    for username in [ADMIN, "RECRUITER", " Recruiter ", ADMIN, ADMIN] {
        assert_eq!(login_as(&app, &attacker, None, username, "wrong wrong").await, StatusCode::UNAUTHORIZED);
    }

    let attacker_again = login_as(&app, &attacker, None, ADMIN, PASSWORD).await;
    let admin_logs_in = login_as(&app, &admin, None, ADMIN, PASSWORD).await;

    assert_eq!(attacker_again, StatusCode::TOO_MANY_REQUESTS, "case variants count as one username");
    assert_eq!(admin_logs_in, StatusCode::OK, "another address with no failures logs in");
    app.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_is_the_forwarded_address() {
    let app = spawn_app_with(Spawn { env: vec![("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8".into())] }).await;
    let proxy = client_from("127.0.0.1");
    for _ in 0..5 {
        let status = login_as(&app, &proxy, Some("198.51.100.7, 10.1.2.3"), ADMIN, "wrong wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    let attacker_again = login_as(&app, &proxy, Some("198.51.100.7"), ADMIN, PASSWORD).await;
    let admin_logs_in = login_as(&app, &proxy, Some("203.0.113.9"), ADMIN, PASSWORD).await;

    assert_eq!(attacker_again, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(admin_logs_in, StatusCode::OK);
    let sessions: Vec<String> = sqlx::query_scalar("SELECT ip FROM admin_sessions").fetch_all(&app.pool).await.unwrap();
    assert_eq!(sessions, vec!["203.0.113.9".to_owned()], "the session records the real client");
    app.stop().await;
}

#[tokio::test]
async fn a_forwarded_for_header_from_an_untrusted_peer_is_ignored() {
    let app = spawn_app().await;
    let client = client_from("127.0.0.1");
    for i in 0..5 {
        let spoofed = format!("198.51.100.{i}");
        let status = login_as(&app, &client, Some(&spoofed), ADMIN, "wrong wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    let status = login_as(&app, &client, Some("203.0.113.9"), ADMIN, PASSWORD).await;

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "TRUSTED_PROXIES is empty: the peer is the client");
    app.stop().await;
}

#[tokio::test]
async fn one_address_guessing_many_usernames_is_throttled_for_all_of_them() {
    let app = spawn_app().await;
    let attacker = client_from("127.0.0.1");
    let admin = client_from("127.0.0.2");
    for i in 0..20 {
        let status = login_as(&app, &attacker, None, &format!("user{i}"), "wrong wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }

    let attacker_again = login_as(&app, &attacker, None, ADMIN, PASSWORD).await;
    let admin_logs_in = login_as(&app, &admin, None, ADMIN, PASSWORD).await;

    assert_eq!(attacker_again, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(admin_logs_in, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn failed_logins_are_in_the_audit_log_with_the_username_and_address() {
    let app = spawn_app().await;
    let r = app.post("/api/auth/login", json!({ "username": "Ghost", "password": "wrong wrong" })).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.login().await;

    let audit = body(app.get("/api/audit?entity_type=admin").await).await;

    let failed = audit["items"].as_array().unwrap().iter().find(|e| e["action"] == "admin.login_failed").cloned();
    let failed = failed.unwrap_or_else(|| panic!("no failed login audited: {audit}"));
    assert_eq!(failed["details"]["username"], "Ghost");
    assert_eq!(failed["details"]["ip"], "127.0.0.1");
    assert_eq!(failed["admin_id"], serde_json::Value::Null);
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
        if !path.starts_with("/api/") || api_server::openapi::PUBLIC.contains(&path.as_str()) {
            continue;
        }
        for method in ops.as_object().unwrap().keys() {
            let url = app.url(&path.replace("{id}", "1"));
            let req = match method.as_str() {
                "get" => client.get(url),
                "post" => client.post(url).json(&json!({})),
                "patch" => client.patch(url).json(&json!({})),
                "put" => client.put(url).json(&json!({})),
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
