//! `/api/me/telegram`: an admin links their own Telegram account for test sends.

use chrono::Utc;
use core_logic::telegram_link;
use reqwest::StatusCode;
use serde_json::json;

use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn an_admin_gets_a_one_time_link_sees_the_account_it_linked_and_unlinks_it() {
    let app = spawn_app().await;
    assert_eq!(app.anonymous().post(app.url("/api/me/telegram/link")).send().await.unwrap().status(), 401);
    app.login().await;

    let before = body(app.get("/api/me/telegram").await).await;
    assert_eq!(before, json!({ "linked": null, "bot_username": null }));
    // The bot never started against this database: its address is unknown.
    assert_error(app.post("/api/me/telegram/link", json!({})).await, StatusCode::CONFLICT, "bot_not_started").await;

    telegram_link::set_bot_username(&app.pool, "hire_bot", Utc::now()).await.unwrap();
    let offer = body(app.post("/api/me/telegram/link", json!({})).await).await;
    let url = offer["url"].as_str().unwrap();
    assert!(url.starts_with("https://t.me/hire_bot?start=adm_"), "{url}");
    assert!(offer["expires_at"].is_string(), "{offer}");

    // The admin opens it in Telegram (what the bot does with `/start <code>`).
    let me = app.seed_candidates(1).await[0];
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM admins").fetch_one(&app.pool).await.unwrap();
    let code = url.split_once("?start=").unwrap().1;
    let linked = telegram_link::redeem(&app.pool, code, me, Utc::now()).await.unwrap().unwrap();
    assert_eq!(linked.admin_id, admin_id);

    let after = body(app.get("/api/me/telegram").await).await;
    assert_eq!(after["linked"]["candidate_id"], me);
    assert_eq!(after["bot_username"], "hire_bot");
    // Test sends go to the linked account like to any candidate.
    let sent = app.post("/api/broadcasts/test", json!({ "candidate_id": me, "text": "<b>Проверка</b>" })).await;
    assert!(sent.status().is_success(), "{}", sent.status());

    assert_eq!(app.delete("/api/me/telegram").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(body(app.get("/api/me/telegram").await).await["linked"], json!(null));
    app.stop().await;
}
