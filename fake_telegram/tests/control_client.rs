//! The `/_control` routes through `ControlClient`: against a fake in this process, and against
//! the `fake_telegram` binary running in another one.
#![allow(clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fake_telegram::{ControlClient, FailNext, FakeTelegram, FakeUser, FaultsRequest, Limits};
use serde_json::{Value, json};

async fn call(base_url: &str, method: &str, body: Value) -> (u16, Value) {
    let url = format!("{base_url}/bot123:fake/{method}");
    let response = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The binary, killed when the test ends.
struct FakeProcess {
    child: Child,
    url: String,
}

impl FakeProcess {
    async fn spawn() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_fake_telegram"))
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let process = Self { child, url: format!("http://127.0.0.1:{port}") };
        for _ in 0..100 {
            if reqwest::get(format!("{}/bot1:x/getMe", process.url)).await.is_ok() {
                return process;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the fake_telegram binary did not answer on {}", process.url);
    }
}

impl Drop for FakeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_user_message_injected_over_http_reaches_get_updates_and_the_reply_is_read_back() {
    let fake = FakeTelegram::start().await;
    let control = ControlClient::new(fake.url());
    let anna = FakeUser::new(42, "Anna").lang("en");

    let update_id = control.user_sends_text(&anna, "/start").await.unwrap();
    let (_, updates) = call(&fake.url(), "getUpdates", json!({ "timeout": 1 })).await;
    call(&fake.url(), "sendMessage", json!({ "chat_id": 42, "text": "Welcome, Anna" })).await;
    let found =
        control.wait_for(|message| message.body().starts_with("Welcome"), Duration::from_secs(5)).await.unwrap();

    assert_eq!(updates["result"][0]["update_id"], update_id);
    assert_eq!(updates["result"][0]["message"]["entities"][0]["type"], "bot_command");
    assert_eq!(found.chat_id, 42);
    assert_eq!(control.sent_to(42).await.unwrap().len(), 1);
    assert_eq!(control.sent_to(43).await.unwrap().len(), 0);
    assert_eq!(control.last_to(42).await.unwrap().unwrap().text.as_deref(), Some("Welcome, Anna"));
    assert_eq!(control.stats().await.unwrap().sends, 1);
}

#[tokio::test]
async fn a_button_press_over_http_is_answered_and_recorded() {
    let fake = FakeTelegram::start().await;
    let control = ControlClient::new(fake.url());
    let anna = FakeUser::new(42, "Anna");
    let markup = json!({ "inline_keyboard": [[{ "text": "10:00", "callback_data": "slot:1" }]] });
    let (_, sent) =
        call(&fake.url(), "sendMessage", json!({ "chat_id": 42, "text": "Pick", "reply_markup": markup })).await;

    let message_id = sent["result"]["message_id"].as_i64().unwrap();
    let callback_id = control.user_presses_button(&anna, message_id, "slot:1").await.unwrap();
    call(&fake.url(), "answerCallbackQuery", json!({ "callback_query_id": callback_id, "text": "Booked" })).await;
    call(&fake.url(), "setMyCommands", json!({ "commands": [{ "command": "start", "description": "Start" }] })).await;

    assert_eq!(control.callback_answers().await.unwrap()[0].text.as_deref(), Some("Booked"));
    assert_eq!(control.commands().await.unwrap()[""][0].command, "start");
}

#[tokio::test]
async fn limits_and_faults_set_over_http_apply_until_reset() {
    let fake = FakeTelegram::start().await;
    let control = ControlClient::new(fake.url());
    let send = |chat_id: i64| call_owned(fake.url(), chat_id);

    control.set_limits(Some(Limits::default())).await.unwrap();
    let first = send(1).await;
    let too_fast = send(1).await;
    control.set_limits(None).await.unwrap();
    control
        .set_faults(&FaultsRequest {
            blocked: Some(vec![7]),
            not_found: Some(vec![8]),
            fail_next: Some(FailNext { n: 1, status: 503 }),
            delay_ms: None,
            too_many_requests: None,
        })
        .await
        .unwrap();
    let failed = send(1).await;
    let blocked = send(7).await;
    let missing = send(8).await;
    control.reset().await.unwrap();
    let after_reset = send(7).await;

    assert_eq!(first, 200);
    assert_eq!(too_fast, 429);
    assert_eq!(failed, 503);
    assert_eq!(blocked, 403);
    assert_eq!(missing, 400);
    assert_eq!(after_reset, 200);
    let stats = control.stats().await.unwrap();
    assert_eq!(stats.sends, 1);
    assert_eq!(stats.too_many_requests_answered, 0);
}

async fn call_owned(base_url: String, chat_id: i64) -> u16 {
    call(&base_url, "sendMessage", json!({ "chat_id": chat_id, "text": "hi" })).await.0
}

#[tokio::test]
async fn the_binary_in_another_process_is_driven_by_the_control_client() {
    let process = FakeProcess::spawn().await;
    let control = ControlClient::new(&process.url);
    let boris = FakeUser::new(77, "Boris");

    control.user_sends_sticker(&boris).await.unwrap();
    control.user_sends_photo(&boris).await.unwrap();
    let (_, updates) = call(&process.url, "getUpdates", json!({ "timeout": 1 })).await;
    call(&process.url, "sendMessage", json!({ "chat_id": 77, "text": "Nice sticker" })).await;
    control.clear_sent().await.unwrap();
    call(&process.url, "sendMessage", json!({ "chat_id": 77, "text": "Anything else?" })).await;

    assert!(updates["result"][0]["message"]["sticker"].is_object());
    assert!(updates["result"][1]["message"]["photo"].is_array());
    let sent = control.sent().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].text.as_deref(), Some("Anything else?"));
    control.reset_faults().await.unwrap();
}
