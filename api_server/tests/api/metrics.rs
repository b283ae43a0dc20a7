//! `/metrics` on the API's address by default, or only on `METRICS_ADDR` when that is set.

use reqwest::StatusCode;

use crate::app::{Spawn, spawn_app, spawn_app_with};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn by_default_metrics_are_served_beside_the_api() {
    let app = spawn_app().await;

    let r = app.get("/metrics").await;

    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("outbox_lag_seconds"));
    app.stop().await;
}

#[tokio::test]
async fn with_metrics_addr_metrics_are_served_only_there() {
    let metrics_addr = format!("127.0.0.1:{}", free_port());
    let app = spawn_app_with(Spawn { env: vec![("METRICS_ADDR", metrics_addr.clone())] }).await;
    app.get("/api/slots").await;

    let on_api = app.get("/metrics").await;
    let separate = reqwest::get(format!("http://{metrics_addr}/metrics")).await.unwrap();
    let nothing_else = reqwest::get(format!("http://{metrics_addr}/api/slots")).await.unwrap();

    assert_eq!(on_api.status(), StatusCode::NOT_FOUND);
    assert_eq!(separate.status(), StatusCode::OK);
    let text = separate.text().await.unwrap();
    assert!(text.contains(r#"http_requests_total{method="GET",route="/api/slots",status="401"} 1"#), "{text}");
    assert_eq!(nothing_else.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}
