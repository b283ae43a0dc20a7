//! Parameters in every encoding Telegram accepts: multipart/form-data (sendDocument uploads),
//! application/x-www-form-urlencoded and the query string.
#![allow(clippy::unwrap_used)]

use fake_telegram::FakeTelegram;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

fn method_url(fake: &FakeTelegram, method: &str) -> String {
    format!("{}/bot123:fake/{method}", fake.url())
}

async fn post_form(fake: &FakeTelegram, method: &str, form: Form) -> (u16, Value) {
    let response = reqwest::Client::new().post(method_url(fake, method)).multipart(form).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_multipart_document_is_recorded_with_its_file_name_and_bytes() {
    let fake = FakeTelegram::start().await;
    let form = Form::new()
        .text("chat_id", "42")
        .text("caption", "Your slots")
        .text("reply_markup", r#"{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}"#)
        .part("document", Part::bytes(b"%PDF-1.4 fake".to_vec()).file_name("slots.pdf"));

    let (status, body) = post_form(&fake, "sendDocument", form).await;

    assert_eq!(status, 200, "{body}");
    let document = &body["result"]["document"];
    assert_eq!(document["file_name"], "slots.pdf");
    assert_eq!(document["mime_type"], "application/pdf");
    assert_eq!(document["file_size"], 13);
    assert!(document["file_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(document["file_unique_id"].as_str().is_some());
    assert_eq!(body["result"]["caption"], "Your slots");
    assert_eq!(body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"], "OK");
    let sent = &fake.sent()[0];
    assert_eq!(sent.method, "sendDocument");
    assert_eq!(sent.caption.as_deref(), Some("Your slots"));
    let recorded = sent.document.clone().unwrap();
    assert_eq!(recorded.file_name, "slots.pdf");
    assert_eq!(recorded.bytes, b"%PDF-1.4 fake");
}

#[tokio::test]
async fn a_document_attached_by_name_is_found_in_its_part() {
    let fake = FakeTelegram::start().await;
    let form = Form::new()
        .text("chat_id", "42")
        .text("document", "attach://f0c1")
        .part("f0c1", Part::bytes(b"a,b\n".to_vec()).file_name("table.csv").mime_str("text/csv").unwrap());

    let (status, body) = post_form(&fake, "SendDocument", form).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["document"]["mime_type"], "text/csv");
    assert_eq!(fake.sent()[0].document.clone().unwrap().bytes, b"a,b\n");
}

#[tokio::test]
async fn a_send_document_without_a_file_is_a_bad_request() {
    let fake = FakeTelegram::start().await;

    let (status, body) = post_form(&fake, "sendDocument", Form::new().text("chat_id", "42")).await;

    assert_eq!(status, 400);
    assert_eq!(body["description"], "Bad Request: there is no document in the request");
}

#[tokio::test]
async fn a_multipart_photo_is_answered_as_photo_sizes() {
    let fake = FakeTelegram::start().await;
    let form = Form::new().text("chat_id", "42").part("photo", Part::bytes(vec![0x89, 0x50]).file_name("map.png"));

    let (status, body) = post_form(&fake, "sendPhoto", form).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["photo"][0]["file_size"], 2);
    assert_eq!(fake.sent()[0].photo.clone().unwrap().file_name, "map.png");
}

#[tokio::test]
async fn form_urlencoded_parameters_are_read_with_json_encoded_markup() {
    let fake = FakeTelegram::start().await;
    let body = "chat_id=42&text=Hello%20there&parse_mode=HTML\
                &reply_markup=%7B%22keyboard%22%3A%5B%5B%7B%22text%22%3A%22Yes%22%7D%5D%5D%7D";

    let response = reqwest::Client::new()
        .post(method_url(&fake, "sendMessage"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let sent = &fake.sent()[0];
    assert_eq!(sent.text.as_deref(), Some("Hello there"));
    assert_eq!(sent.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(sent.reply_markup, Some(json!({ "keyboard": [[{ "text": "Yes" }]] })));
}

#[tokio::test]
async fn query_string_parameters_are_read() {
    let fake = FakeTelegram::start().await;

    let answer: Value = reqwest::get(format!("{}?chat_id=42&text=ping", method_url(&fake, "sendMessage")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["result"]["text"], "ping");
    assert_eq!(answer["result"]["from"]["username"], "fake_booking_bot");
}
