//! Browser security headers on everything served, and `Cache-Control: no-store` on every API
//! answer (candidates' data) and the CSV export.

use reqwest::Response;
use reqwest::header::HeaderMap;
use serde_json::json;

use crate::app::{Spawn, TestApp, spawn_app_with};

async fn app_with_a_panel() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><div id=root>panel</div>").unwrap();
    let app = spawn_app_with(Spawn { env: vec![("PANEL_DIR", dir.path().display().to_string())] }).await;
    (app, dir)
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("no {name} header in {h:?}"))
}

/// The headers every answer carries; returns its Content-Security-Policy.
fn assert_browser_headers(what: &str, r: &Response) -> String {
    let h = r.headers();
    assert_eq!(header(h, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(h, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(h, "referrer-policy"), "same-origin", "{what}");
    let csp = header(h, "content-security-policy").to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("object-src 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    csp
}

fn assert_no_store(what: &str, r: &Response) {
    assert_eq!(header(r.headers(), "cache-control"), "no-store", "{what}");
}

#[tokio::test]
async fn the_panel_gets_a_strict_content_security_policy_and_no_framing() {
    let (app, _dir) = app_with_a_panel().await;

    let root = app.get("/").await;
    let deep = app.get("/broadcasts/7").await;

    let csp = assert_browser_headers("/", &root);
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(csp.contains("script-src 'self';"), "no inline or foreign scripts: {csp}");
    assert_browser_headers("/broadcasts/7", &deep);
    app.stop().await;
}

#[tokio::test]
async fn every_api_answer_and_the_csv_are_not_stored_by_browsers_or_proxies() {
    let (app, _dir) = app_with_a_panel().await;
    let anonymous = app.anonymous().get(app.url("/api/auth/me")).send().await.unwrap();
    let failed = app.post("/api/auth/login", json!({ "username": "x", "password": "wrong wrong" })).await;
    app.login().await;

    let cases = [
        ("/api/auth/me without a session", anonymous),
        ("a failed login", failed),
        ("/api/auth/me", app.get("/api/auth/me").await),
        ("/api/users", app.get("/api/users").await),
        ("/api/export/bookings.csv", app.get("/api/export/bookings.csv").await),
        ("an unknown /api route", app.get("/api/no/such/route").await),
        ("a bad id", app.get("/api/users/abc").await),
    ];

    for (what, r) in &cases {
        assert_no_store(what, r);
        assert_browser_headers(what, r);
    }
    assert_eq!(cases[3].1.status(), reqwest::StatusCode::OK);
    assert_eq!(cases[4].1.status(), reqwest::StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn swagger_ui_has_its_own_policy_without_eval_and_cannot_be_framed_either() {
    let (app, _dir) = app_with_a_panel().await;

    let docs = app.get("/api/docs/").await;
    let spec = app.get("/api/openapi.json").await;

    assert_eq!(docs.status(), reqwest::StatusCode::OK);
    let csp = assert_browser_headers("/api/docs/", &docs);
    assert!(csp.contains("img-src 'self' data:"), "{csp}");
    assert_browser_headers("/api/openapi.json", &spec);
    app.stop().await;
}
