//! The built admin panel is served at `/` with a single-page-app fallback, while unknown `/api`
//! paths stay JSON 404s.
#![allow(clippy::unwrap_used)]

#[path = "support/app.rs"]
mod app;

use reqwest::StatusCode;

#[tokio::test]
async fn the_panel_is_served_with_an_spa_fallback_and_api_404s_stay_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><div id=root>panel</div>").unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "console.log(1)").unwrap();
    let panel_dir = dir.path().display().to_string();
    let app = app::spawn_app_with(app::Spawn { env: vec![("PANEL_DIR", panel_dir)] }).await;

    let root = app.get("/").await;
    let deep = app.get("/broadcasts/42").await;
    let asset = app.get("/assets/app.js").await;
    let api = app.get("/api/no/such/route").await;

    assert_eq!(root.status(), StatusCode::OK);
    assert!(root.text().await.unwrap().contains("panel"));
    assert!(deep.text().await.unwrap().contains("panel"), "client-side routes get index.html");
    assert_eq!(asset.text().await.unwrap(), "console.log(1)");
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.json::<serde_json::Value>().await.unwrap()["error"]["code"], "not_found");
    app.stop().await;
}
