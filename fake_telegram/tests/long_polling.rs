//! getUpdates: long polling with `timeout`, `offset` confirming earlier updates, and `limit`.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use fake_telegram::{FakeTelegram, FakeUser};
use serde_json::{Value, json};

/// Waits until the fake has received `n` getUpdates calls (a poll is counted as it arrives).
async fn polls_received(fake: &FakeTelegram, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while fake.stats().methods.get("getUpdates").copied() != Some(n) {
        assert!(Instant::now() < deadline, "the waiting poll was never counted: {:?}", fake.stats());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn get_updates(url: String, body: Value) -> Vec<Value> {
    let url = format!("{url}/bot123:fake/getUpdates");
    let answer: Value = reqwest::Client::new().post(url).json(&body).send().await.unwrap().json().await.unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    answer["result"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_long_poll_returns_an_update_injected_while_it_waits() {
    let fake = FakeTelegram::start().await;
    let poll = tokio::spawn(get_updates(fake.url(), json!({ "timeout": 10 })));
    polls_received(&fake, 1).await;
    assert!(!poll.is_finished(), "the poll waits");

    let started = Instant::now();
    let update_id = fake.user_sends_text(&FakeUser::new(42, "Anna"), "hello");
    let updates = poll.await.unwrap();

    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["update_id"], update_id);
    assert_eq!(updates[0]["message"]["text"], "hello");
    assert_eq!(updates[0]["message"]["chat"], json!({ "id": 42, "type": "private", "first_name": "Anna" }));
}

#[tokio::test]
async fn a_long_poll_with_nothing_to_deliver_answers_empty_after_its_timeout() {
    let fake = FakeTelegram::start().await;

    let started = Instant::now();
    let updates = get_updates(fake.url(), json!({ "timeout": 1 })).await;

    assert_eq!(updates, Vec::<Value>::new());
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
}

#[tokio::test]
async fn updates_are_delivered_again_until_an_offset_confirms_them() {
    let fake = FakeTelegram::start().await;
    let anna = FakeUser::new(42, "Anna");
    let first = fake.user_sends_text(&anna, "one");
    let second = fake.user_sends_text(&anna, "two");

    let unconfirmed = get_updates(fake.url(), json!({})).await;
    let again = get_updates(fake.url(), json!({})).await;
    let after_first = get_updates(fake.url(), json!({ "offset": first + 1 })).await;
    let after_both = get_updates(fake.url(), json!({ "offset": second + 1 })).await;

    assert_eq!(unconfirmed.len(), 2);
    assert_eq!(again, unconfirmed);
    assert_eq!(after_first.len(), 1);
    assert_eq!(after_first[0]["update_id"], second);
    assert!(after_both.is_empty());
    assert_eq!(fake.stats().pending_updates, 0);
}

#[tokio::test]
async fn limit_caps_the_batch_and_query_string_parameters_work() {
    let fake = FakeTelegram::start().await;
    let anna = FakeUser::new(42, "Anna");
    for text in ["a", "b", "c"] {
        fake.user_sends_text(&anna, text);
    }

    let url = format!("{}/bot123:fake/getupdates?limit=2&timeout=0", fake.url());
    let answer: Value = reqwest::get(url).await.unwrap().json().await.unwrap();

    let texts: Vec<&Value> =
        answer["result"].as_array().unwrap().iter().map(|update| &update["message"]["text"]).collect();
    assert_eq!(texts, vec!["a", "b"]);
}

#[tokio::test]
async fn message_ids_increase_per_chat_across_user_and_bot_messages() {
    let fake = FakeTelegram::start().await;
    fake.user_sends_text(&FakeUser::new(1, "Anna"), "hi");
    fake.user_sends_text(&FakeUser::new(2, "Boris"), "hi");

    let url = format!("{}/bot123:fake/sendMessage", fake.url());
    let answer: Value = reqwest::Client::new()
        .post(url)
        .json(&json!({ "chat_id": 1, "text": "hello" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let updates = get_updates(fake.url(), json!({})).await;

    assert_eq!(updates[0]["message"]["message_id"], 1);
    assert_eq!(updates[1]["message"]["message_id"], 1);
    assert_eq!(answer["result"]["message_id"], 2);
    assert_eq!(answer["result"]["chat"]["first_name"], "Anna");
}

#[tokio::test]
async fn a_long_poll_is_counted_as_soon_as_it_arrives() {
    let fake = FakeTelegram::start().await;

    let poll = tokio::spawn(get_updates(fake.url(), json!({ "timeout": 10 })));
    polls_received(&fake, 1).await;

    assert!(!poll.is_finished(), "counted while it still waits");
    assert_eq!(fake.stats().requests, 1);
    poll.abort();
}
