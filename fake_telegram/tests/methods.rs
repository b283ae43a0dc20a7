//! The Bot API methods over plain HTTP: routing, edits and their errors, callbacks, commands.
#![allow(clippy::unwrap_used)]

use fake_telegram::{FakeTelegram, FakeUser};
use serde_json::{Value, json};

async fn call(fake: &FakeTelegram, method: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/bot123:fake/{method}", fake.url());
    let response = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn send(fake: &FakeTelegram, body: Value) -> i64 {
    let (status, answer) = call(fake, "sendMessage", body).await;
    assert_eq!(status, 200, "{answer}");
    answer["result"]["message_id"].as_i64().unwrap()
}

fn keyboard(data: &str) -> Value {
    json!({ "inline_keyboard": [[{ "text": "Pick", "callback_data": data }]] })
}

#[tokio::test]
async fn an_unknown_method_answers_404_method_not_found() {
    let fake = FakeTelegram::start().await;

    let answer = call(&fake, "sendHologram", json!({})).await;

    assert_eq!(answer, (404, json!({ "ok": false, "error_code": 404, "description": "Not Found: method not found" })));
}

#[tokio::test]
async fn method_names_match_case_insensitively_and_any_token_works() {
    let fake = FakeTelegram::start().await;

    let answer: Value =
        reqwest::get(format!("{}/bot999:other-token/GETME", fake.url())).await.unwrap().json().await.unwrap();

    assert_eq!(answer["ok"], true);
    assert_eq!(answer["result"]["username"], "fake_booking_bot");
    assert_eq!(answer["result"]["can_join_groups"], true);
    assert_eq!(fake.stats().methods["getMe"], 1);
}

#[tokio::test]
async fn a_sent_message_is_a_full_message_object() {
    let fake = FakeTelegram::start().await;
    let preview = json!({ "is_disabled": true });

    let (_, answer) = call(
        &fake,
        "sendMessage",
        json!({ "chat_id": 42, "text": "Hi", "reply_markup": keyboard("a"), "link_preview_options": preview }),
    )
    .await;

    let message = &answer["result"];
    assert_eq!(message["message_id"], 1);
    assert!(message["date"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(message["chat"]["type"], "private");
    assert_eq!(message["from"]["is_bot"], true);
    assert_eq!(message["reply_markup"], keyboard("a"));
    assert_eq!(message["link_preview_options"], preview);
    assert_eq!(fake.sent()[0].link_preview_options, Some(preview));
}

#[tokio::test]
async fn editing_text_and_markup_updates_the_stored_message() {
    let fake = FakeTelegram::start().await;
    let id = send(&fake, json!({ "chat_id": 42, "text": "Pick", "reply_markup": keyboard("a") })).await;

    let (text_status, edited) = call(
        &fake,
        "editMessageText",
        json!({ "chat_id": 42, "message_id": id, "text": "Picked", "reply_markup": keyboard("b") }),
    )
    .await;
    let (markup_status, _) = call(&fake, "editMessageReplyMarkup", json!({ "chat_id": 42, "message_id": id })).await;

    assert_eq!((text_status, markup_status), (200, 200));
    assert_eq!(edited["result"]["text"], "Picked");
    assert!(edited["result"]["edit_date"].is_i64());
    let methods: Vec<String> = fake.sent_to(42).into_iter().map(|message| message.method).collect();
    assert_eq!(methods, ["sendMessage", "editMessageText", "editMessageReplyMarkup"]);
    let last = fake.last_to(42).unwrap();
    assert_eq!(last.text.as_deref(), Some("Picked"));
    assert_eq!(last.reply_markup, None);
    assert_eq!(fake.stats().edits, 2);
}

#[tokio::test]
async fn editing_an_unknown_message_or_changing_nothing_is_a_bad_request() {
    let fake = FakeTelegram::start().await;
    let id = send(&fake, json!({ "chat_id": 42, "text": "Same", "reply_markup": keyboard("a") })).await;

    let (unknown_status, unknown) =
        call(&fake, "editMessageText", json!({ "chat_id": 42, "message_id": 99, "text": "x" })).await;
    let (same_status, same) = call(
        &fake,
        "editMessageText",
        json!({ "chat_id": 42, "message_id": id, "text": "Same", "reply_markup": keyboard("a") }),
    )
    .await;

    assert_eq!(unknown_status, 400);
    assert_eq!(unknown["description"], "Bad Request: message to edit not found");
    assert_eq!(same_status, 400);
    assert!(same["description"].as_str().unwrap().starts_with("Bad Request: message is not modified"));
}

#[tokio::test]
async fn a_button_press_carries_the_stored_message_and_its_answer_is_recorded() {
    let fake = FakeTelegram::start().await;
    let anna = FakeUser::new(42, "Anna").lang("ru");
    let id = send(&fake, json!({ "chat_id": 42, "text": "Pick", "reply_markup": keyboard("slot:7") })).await;

    let callback_id = fake.user_presses_button(&anna, id, "slot:7");
    let (_, updates) = call(&fake, "getUpdates", json!({})).await;
    let (status, _) = call(
        &fake,
        "answerCallbackQuery",
        json!({ "callback_query_id": callback_id, "text": "Done", "show_alert": true }),
    )
    .await;
    let (twice, _) = call(&fake, "answerCallbackQuery", json!({ "callback_query_id": callback_id })).await;

    let query = &updates["result"][0]["callback_query"];
    assert_eq!(query["id"], callback_id);
    assert_eq!(query["data"], "slot:7");
    assert_eq!(query["from"]["language_code"], "ru");
    assert_eq!(query["message"]["message_id"], id);
    assert_eq!(query["message"]["reply_markup"], keyboard("slot:7"));
    assert_eq!(status, 200);
    assert_eq!(twice, 400);
    let answers = fake.callback_answers();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].text.as_deref(), Some("Done"));
    assert!(answers[0].show_alert);
}

#[tokio::test]
async fn a_command_has_a_bot_command_entity_over_the_command() {
    let fake = FakeTelegram::start().await;

    fake.user_sends_command(&FakeUser::new(42, "Anna"), "/start ref_42");
    let (_, updates) = call(&fake, "getUpdates", json!({})).await;

    let message = &updates["result"][0]["message"];
    assert_eq!(message["text"], "/start ref_42");
    assert_eq!(message["entities"], json!([{ "type": "bot_command", "offset": 0, "length": 6 }]));
}

#[tokio::test]
async fn commands_are_set_read_and_deleted_per_language() {
    let fake = FakeTelegram::start().await;
    let commands = json!([{ "command": "start", "description": "Start" }]);

    call(&fake, "setMyCommands", json!({ "commands": commands, "language_code": "en" })).await;
    let (_, english) = call(&fake, "getMyCommands", json!({ "language_code": "en" })).await;
    let (_, default) = call(&fake, "getMyCommands", json!({})).await;
    call(&fake, "deleteMyCommands", json!({ "language_code": "en" })).await;

    assert_eq!(english["result"], commands);
    assert_eq!(default["result"], json!([]));
    assert!(fake.commands().is_empty());
}

#[tokio::test]
async fn wait_for_returns_a_message_sent_while_it_waits() {
    let fake = FakeTelegram::start().await;
    let sender = fake.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        send(&sender, json!({ "chat_id": 42, "text": "Welcome!" })).await;
    });

    let found = fake.wait_for(|message| message.body().contains("Welcome"), std::time::Duration::from_secs(5)).await;
    let missing = fake.wait_for(|message| message.chat_id == 1, std::time::Duration::from_millis(100)).await;

    assert_eq!(found.unwrap().chat_id, 42);
    assert!(missing.unwrap_err().contains("Welcome!"));
}
