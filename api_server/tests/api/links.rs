//! `/api/links` (source links, personal invitations, CSV import, QR codes), `/api/funnel` and
//! its CSV, and the candidate's answers and sources on their card and in the bookings list.

use chrono::{Duration, Utc};
use core_logic::invites::{self, Opened};
use core_logic::questionnaire::{self, Answer, QuestionKind};
use core_logic::{bookings, telegram_link};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::app::{TestApp, assert_error, body, spawn_app};

async fn vacancy(app: &TestApp, title: &str) -> i64 {
    let v = json!({ "title": title, "duration_minutes": 30, "format": "office", "capacity": 2,
                    "questions": [{ "kind": "yes_no", "text": "Есть медкнижка?" }] });
    let created = app.post("/api/vacancies", v).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    body(created).await["id"].as_i64().unwrap()
}

/// Decodes the QR code in a PNG.
fn decode_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn a_recruiter_creates_source_links_with_qr_codes_and_revokes_or_deletes_them() {
    let app = spawn_app().await;
    assert_eq!(app.anonymous().get(app.url("/api/links")).send().await.unwrap().status(), 401);
    assert_eq!(app.anonymous().get(app.url("/api/links/1/qr.png")).send().await.unwrap().status(), 401);
    app.login().await;
    let courier = vacancy(&app, "Курьер").await;

    let created = app.post("/api/links", json!({ "kind": "source", "vacancy_id": courier, "label": " hh.ru " })).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let link = body(created).await;
    let id = link["id"].as_i64().unwrap();
    assert_eq!(
        (link["label"].clone(), link["state"].clone(), link["opened"].clone()),
        (json!("hh.ru"), json!("active"), json!(0))
    );
    assert_eq!(link["url"], Value::Null, "no address before the bot has started");
    let code = link["code"].as_str().unwrap().to_owned();
    assert!(code.len() >= 24 && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric()), "{code}");
    assert_error(app.get(&format!("/api/links/{id}/qr.png")).await, StatusCode::CONFLICT, "bot_not_started").await;

    telegram_link::set_bot_username(&app.pool, "hr_booking_bot", Utc::now()).await.unwrap();
    let shown = body(app.get(&format!("/api/links/{id}")).await).await;
    let url = format!("https://t.me/hr_booking_bot?start={code}");
    assert_eq!(shown["url"], json!(url));
    let png = app.get(&format!("/api/links/{id}/qr.png")).await;
    assert_eq!(png.status(), StatusCode::OK);
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(png.headers()["content-disposition"].to_str().unwrap().contains(".png"));
    assert_eq!(decode_png(&png.bytes().await.unwrap()), url);
    let svg = app.get(&format!("/api/links/{id}/qr.svg")).await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));

    // Bad input: 422 with the field named; unknown ids 404.
    for bad in [
        json!({ "kind": "source", "label": "" }),
        json!({ "kind": "source", "label": "x".repeat(101) }),
        json!({ "kind": "source", "label": "hh", "phone": "+79123456789" }),
        json!({ "kind": "personal", "label": "Иван", "phone": "звоните" }),
        json!({ "kind": "personal", "label": "Иван", "expires_at": (Utc::now() - Duration::days(1)).to_rfc3339() }),
        json!({ "kind": "source", "label": "hh", "vacancy_id": 999 }),
        json!({ "kind": "banner", "label": "hh" }),
    ] {
        assert_error(app.post("/api/links", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    assert_error(app.get("/api/links/999").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get("/api/links/999/qr.svg").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.post("/api/links/999/revoke", json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.delete("/api/links/999").await, StatusCode::NOT_FOUND, "not_found").await;

    // Opened by someone: counted, and no longer deletable (revoked instead).
    let anna = app.seed_candidates(1).await[0];
    assert!(matches!(invites::open(&app.pool, &code, anna, Utc::now()).await.unwrap(), Opened::Welcome { .. }));
    let listed = body(app.get(&format!("/api/links?vacancy_id={courier}&kind=source")).await).await;
    assert_eq!(listed[0]["opened"], 1);
    assert_error(app.delete(&format!("/api/links/{id}")).await, StatusCode::CONFLICT, "link_in_use").await;
    let revoked = body(app.post(&format!("/api/links/{id}/revoke"), json!({})).await).await;
    assert_eq!(revoked["state"], "revoked");
    let unused = body(app.post("/api/links", json!({ "kind": "source", "label": "Постер" })).await).await;
    assert_eq!(app.delete(&format!("/api/links/{}", unused["id"])).await.status(), StatusCode::NO_CONTENT);

    // An archived vacancy gets no new links.
    app.post(&format!("/api/vacancies/{courier}/archive"), json!({})).await;
    assert_error(
        app.post("/api/links", json!({ "kind": "source", "vacancy_id": courier, "label": "Чат" })).await,
        StatusCode::CONFLICT,
        "vacancy_archived",
    )
    .await;
    let audit = body(app.get("/api/audit?entity_type=invite_link").await).await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["link.delete", "link.create", "link.revoke", "link.create"]);
    app.stop().await;
}

#[tokio::test]
async fn personal_invitations_are_imported_from_csv_all_or_nothing() {
    let app = spawn_app().await;
    app.login().await;
    let courier = vacancy(&app, "Курьер").await;

    let bad = json!({ "csv": "имя;телефон\nИван;+7 912 345-67-89\n;+7 912 000-00-00\n", "vacancy_id": courier });
    let err =
        assert_error(app.post("/api/links/import", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
    assert!(err["error"]["message"].as_str().unwrap().contains("line 3"), "{err}");
    assert_error(
        app.post("/api/links/import", json!({ "csv": "телефон\n+79123456789\n" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body(app.get("/api/links").await).await.as_array().unwrap().len(), 0);

    let expires = (Utc::now() + Duration::days(14)).to_rfc3339();
    let good = json!({ "csv": "\u{feff}имя;телефон;заметка\nИван Петров;8 912 345 67 89;ярмарка вакансий\nАнна;;\n",
                       "vacancy_id": courier, "expires_at": expires, "ends_on_booking": true });
    let created = app.post("/api/links/import", good).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let links = body(created).await;
    let people: Vec<(&str, Option<&str>, &str)> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["label"].as_str().unwrap(), l["phone"].as_str(), l["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(people, vec![("Иван Петров", Some("+79123456789"), "personal"), ("Анна", None, "personal")]);
    let personal = body(app.get("/api/links?kind=personal").await).await;
    assert_eq!(personal.as_array().unwrap().len(), 2);
    assert_eq!(body(app.get("/api/links?kind=source").await).await.as_array().unwrap().len(), 0);
    assert_eq!(app.get("/api/links?kind=banner").await.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn the_funnel_and_the_card_show_where_people_came_from_and_what_they_answered() {
    let app = spawn_app().await;
    app.login().await;
    let courier = vacancy(&app, "Курьер").await;
    let link =
        body(app.post("/api/links", json!({ "kind": "source", "vacancy_id": courier, "label": "hh.ru" })).await).await;
    let slot = app
        .post(
            "/api/slots",
            json!({ "starts_at": (Utc::now() + Duration::days(2)).to_rfc3339(), "duration_minutes": 30,
                                     "capacity": 2, "format": "office", "vacancy_id": courier }),
        )
        .await;
    let slot_id = body(slot).await["id"].as_i64().unwrap();
    let anna = app.seed_candidates(1).await[0];
    let now = Utc::now();
    invites::open(&app.pool, link["code"].as_str().unwrap(), anna, now).await.unwrap();
    questionnaire::begin(&app.pool, anna, courier, 1, now).await.unwrap();
    let answer = Answer {
        question: "Есть медкнижка?".into(), kind: QuestionKind::YesNo, answer: Some("Да".into())
    };
    questionnaire::answer(&app.pool, anna, courier, 0, 1, &answer, now).await.unwrap().unwrap();
    bookings::book(&app.pool, &core_logic::config::BookingRules::default(), anna, slot_id, now).await.unwrap();

    let funnel = body(app.get("/api/funnel").await).await;
    let source = &funnel["sources"][0];
    assert_eq!(
        (source["label"].clone(), source["opened"].clone(), source["answered"].clone(), source["booked"].clone()),
        (json!("hh.ru"), json!(1), json!(1), json!(1))
    );
    assert_eq!(funnel["vacancies"][0]["vacancy_title"], "Курьер");
    assert_error(
        app.get("/api/funnel?from=2026-12-10&to=2026-12-01").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let csv = app.get("/api/export/funnel.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.contains("Вакансия;Источник;Открыли;Ответили;Записались"), "{text}");
    assert!(text.contains("Курьер;hh.ru;1;1;1;0;0;0;100.0"), "{text}");
    assert!(text.contains("Курьер;Всего;1;1;1"), "{text}");

    let card = body(app.get(&format!("/api/users/{anna}")).await).await;
    assert_eq!(card["first_source"], "hh.ru");
    assert_eq!(card["answers"][0]["vacancy_title"], "Курьер");
    assert_eq!(card["answers"][0]["answers"][0]["answer"], "Да");
    let list = body(app.get("/api/bookings").await).await;
    assert_eq!(list["items"][0]["vacancy_title"], "Курьер");
    assert_eq!(list["items"][0]["answers"][0]["question"], "Есть медкнижка?");
    let export = app.get("/api/export/bookings.csv").await.text().await.unwrap();
    assert!(export.contains("Курьер;Есть медкнижка?: Да"), "{export}");
    app.stop().await;
}

#[tokio::test]
async fn a_vacancy_with_a_bad_question_is_refused_with_the_question_named() {
    let app = spawn_app().await;
    app.login().await;
    let bad = json!({ "title": "Курьер", "duration_minutes": 30, "format": "office", "capacity": 1,
                      "questions": [{ "kind": "choice", "text": "Когда удобно?", "options": ["Утро"] }] });
    let err =
        assert_error(app.post("/api/vacancies", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            .await;
    assert!(err["error"]["message"].as_str().unwrap().contains("question 1"), "{err}");
    let unknown_kind = json!({ "title": "Курьер", "duration_minutes": 30, "format": "office", "capacity": 1,
                               "questions": [{ "kind": "essay", "text": "?" }] });
    assert_error(app.post("/api/vacancies", unknown_kind).await, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
    app.stop().await;
}
