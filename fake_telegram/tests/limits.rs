//! Flood limits: off by default; when on, sends over 30/s overall or 1/s per chat answer 429.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fake_telegram::{FakeTelegram, Limits};
use serde_json::{Value, json};

async fn send(fake: &FakeTelegram, chat_id: i64) -> (u16, Value) {
    let url = format!("{}/bot123:fake/sendMessage", fake.url());
    let response =
        reqwest::Client::new().post(url).json(&json!({ "chat_id": chat_id, "text": "hi" })).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn without_limits_fast_sends_to_one_chat_all_succeed() {
    let fake = FakeTelegram::start().await;

    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(send(&fake, 1).await.0);
    }

    assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    assert_eq!(fake.stats().too_many_requests_answered, 0);
}

#[tokio::test]
async fn thirty_one_sends_in_one_second_get_exactly_one_429_with_retry_after() {
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits { global_per_sec: 30, per_chat_per_sec: 1, ..Default::default() }));

    let mut tasks = tokio::task::JoinSet::new();
    for chat_id in 1..=31 {
        let fake = fake.clone();
        tasks.spawn(async move { send(&fake, chat_id).await });
    }
    let answers = tasks.join_all().await;

    let refused: Vec<&Value> = answers.iter().filter(|(status, _)| *status == 429).map(|(_, body)| body).collect();
    assert_eq!(refused.len(), 1, "{answers:?}");
    assert_eq!(refused[0]["ok"], false);
    assert_eq!(refused[0]["error_code"], 429);
    assert_eq!(refused[0]["parameters"]["retry_after"], 1);
    assert_eq!(refused[0]["description"], "Too Many Requests: retry after 1");
    let stats = fake.stats();
    assert_eq!(stats.sends, 30);
    assert_eq!(stats.too_many_requests_answered, 1);
    assert_eq!(fake.sent().len(), 30);
}

#[tokio::test]
async fn a_second_send_to_one_chat_within_a_second_is_refused_and_accepted_after_it() {
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits::default()));

    let (first, _) = send(&fake, 5).await;
    let (second, body) = send(&fake, 5).await;
    let (other_chat, _) = send(&fake, 6).await;
    // The window passing, without waiting for it (the limiter's own tests check the instants).
    fake.advance_limits_clock(Duration::from_secs(1));
    let (after_a_second, _) = send(&fake, 5).await;

    assert_eq!(first, 200);
    assert_eq!(second, 429);
    assert!(body["parameters"]["retry_after"].as_u64().unwrap() >= 1);
    assert_eq!(other_chat, 200);
    assert_eq!(after_a_second, 200);
}

#[tokio::test]
async fn edits_are_not_rate_limited() {
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits::default()));
    let (_, sent) = send(&fake, 5).await;
    let message_id = sent["result"]["message_id"].as_i64().unwrap();

    let url = format!("{}/bot123:fake/editMessageText", fake.url());
    let body = json!({ "chat_id": 5, "message_id": message_id, "text": "edited" });
    let status = reqwest::Client::new().post(url).json(&body).send().await.unwrap().status();

    assert_eq!(status, 200);
}

#[tokio::test]
async fn turning_limits_off_accepts_sends_again() {
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(Limits::default()));
    send(&fake, 5).await;

    fake.set_limits(None);
    let (status, _) = send(&fake, 5).await;

    assert_eq!(status, 200);
}
