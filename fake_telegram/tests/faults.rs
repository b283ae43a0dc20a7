//! Faults a test switches on: blocked chats, missing chats, failing sends, slow answers, a ratio
//! of sends answered 429.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use fake_telegram::{ControlClient, FakeTelegram, FaultsRequest, TooManyRequestsRatio};
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

/// Sends one message to each chat in `chats` and returns the chats answered 429.
async fn refused_chats(fake: &FakeTelegram, chats: std::ops::Range<i64>) -> Vec<i64> {
    let mut refused = Vec::new();
    for chat in chats {
        let (status, body) = send(fake, chat).await;
        if status == 429 {
            assert_eq!(body["parameters"]["retry_after"], 2, "{body}");
            assert_eq!(body["description"], "Too Many Requests: retry after 2");
            refused.push(chat);
        }
    }
    refused
}

#[tokio::test]
async fn a_ratio_of_sends_answers_429_repeatably_for_a_seed() {
    let fault = TooManyRequestsRatio { ratio: 0.1, retry_after: 2, seed: 42 };
    let (first, second, other_seed) =
        (FakeTelegram::start().await, FakeTelegram::start().await, FakeTelegram::start().await);
    first.set_too_many_requests_ratio(Some(fault));
    second.set_too_many_requests_ratio(Some(fault));
    other_seed.set_too_many_requests_ratio(Some(TooManyRequestsRatio { seed: 43, ..fault }));

    let refused = refused_chats(&first, 0..1_000).await;
    let again = refused_chats(&second, 0..1_000).await;
    let otherwise = refused_chats(&other_seed, 0..1_000).await;

    assert!((50..150).contains(&refused.len()), "{} of 1,000 sends refused", refused.len());
    assert_eq!(refused, again, "the same seed refuses the same chats");
    assert_ne!(refused, otherwise, "another seed refuses other chats");
    let stats = first.stats();
    assert_eq!(stats.too_many_requests_injected, refused.len() as u64);
    assert_eq!(stats.too_many_requests_answered, refused.len() as u64);
    assert_eq!(stats.sends, 1_000 - refused.len() as u64, "refused sends are not sends");
}

#[tokio::test]
async fn a_refused_send_retried_is_decided_afresh_and_does_not_count_toward_the_limits() {
    let fake = FakeTelegram::start().await;
    fake.set_limits(Some(fake_telegram::Limits { global_per_sec: 0, per_chat_per_sec: 1, ..Default::default() }));
    fake.set_too_many_requests_ratio(Some(TooManyRequestsRatio::new(0.5, 9)));
    let mut chat = 0;
    while send(&fake, chat).await.0 == 200 {
        chat += 1;
    }

    let mut retries = 0;
    let status = loop {
        retries += 1;
        let (status, _) = send(&fake, chat).await;
        if status != 429 || retries == 40 {
            break status;
        }
    };

    assert_eq!(status, 200, "a retry gets through, and the refused attempts did not use the chat's 1/s");
    let stats = fake.stats();
    assert_eq!(stats.too_many_requests_injected, retries, "every 429 came from the ratio fault");
    assert_eq!(stats.too_many_requests_answered, retries);
}

#[tokio::test]
async fn the_ratio_is_set_over_http_and_switched_off_by_reset_faults() {
    let fake = FakeTelegram::start().await;
    let control = ControlClient::new(fake.url());

    control
        .set_faults(&FaultsRequest {
            too_many_requests: Some(TooManyRequestsRatio { ratio: 1.0, retry_after: 3, seed: 1 }),
            ..FaultsRequest::default()
        })
        .await
        .unwrap();
    let (refused, body) = send(&fake, 1).await;
    control.reset_faults().await.unwrap();
    let (after_reset, _) = send(&fake, 1).await;

    assert_eq!(refused, 429);
    assert_eq!(body["parameters"]["retry_after"], 3);
    assert_eq!(after_reset, 200);
    assert_eq!(control.stats().await.unwrap().too_many_requests_injected, 1);
}
