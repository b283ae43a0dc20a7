//! Faults a test switches on: blocked chats, missing chats, failing sends, slow answers.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use fake_telegram::FakeTelegram;
use serde_json::{Value, json};

async fn call(fake: &FakeTelegram, method: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/bot123:fake/{method}", fake.url());
    let response = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn send(fake: &FakeTelegram, chat_id: i64) -> (u16, Value) {
    call(fake, "sendMessage", json!({ "chat_id": chat_id, "text": "hi" })).await
}

#[tokio::test]
async fn sends_to_a_blocked_chat_answer_403() {
    let fake = FakeTelegram::start().await;
    fake.block_chat(7);

    let (status, body) = send(&fake, 7).await;
    let (action_status, _) = call(&fake, "sendChatAction", json!({ "chat_id": 7, "action": "typing" })).await;
    let (other_status, _) = send(&fake, 8).await;

    assert_eq!(status, 403);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" })
    );
    assert_eq!(action_status, 403);
    assert_eq!(other_status, 200);
    assert_eq!(fake.sent_to(7), vec![]);
    assert_eq!(fake.stats().errors_answered, 2);
}

#[tokio::test]
async fn sends_to_a_missing_chat_answer_400_chat_not_found() {
    let fake = FakeTelegram::start().await;
    fake.chat_not_found(9);

    let (status, body) = send(&fake, 9).await;

    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: chat not found");
}

#[tokio::test]
async fn the_next_n_sends_fail_with_the_given_status_then_succeed() {
    let fake = FakeTelegram::start().await;
    fake.fail_next(2, 502);

    let first = send(&fake, 1).await;
    let get_me = call(&fake, "getMe", json!({})).await;
    let second = send(&fake, 1).await;
    let third = send(&fake, 1).await;

    assert_eq!(first, (502, json!({ "ok": false, "error_code": 502, "description": "Bad Gateway" })));
    assert_eq!(get_me.0, 200);
    assert_eq!(second.0, 502);
    assert_eq!(third.0, 200);
    assert_eq!(fake.sent().len(), 1);
}

#[tokio::test]
async fn with_a_delay_every_method_answers_late() {
    let fake = FakeTelegram::start().await;
    fake.set_delay(Duration::from_millis(300));

    let started = Instant::now();
    let (status, _) = call(&fake, "getMe", json!({})).await;

    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}

#[tokio::test]
async fn reset_faults_switches_everything_off() {
    let fake = FakeTelegram::start().await;
    fake.block_chat(1);
    fake.chat_not_found(2);
    fake.fail_next(5, 500);
    fake.set_delay(Duration::from_secs(5));

    fake.reset_faults();
    let started = Instant::now();
    let blocked = send(&fake, 1).await.0;
    let missing = send(&fake, 2).await.0;

    assert_eq!((blocked, missing), (200, 200));
    assert!(started.elapsed() < Duration::from_secs(2));
}
