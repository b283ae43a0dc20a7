//! `/api/vacancies`: create, list, change, archive and restore, delete; slots for a vacancy.

use chrono::{Duration, Utc};
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::app::{TestApp, assert_error, body, spawn_app};

fn courier() -> Value {
    json!({ "title": "Курьер", "description": "Доставка по городу", "duration_minutes": 30, "format": "office",
            "location": "Склад на Лесной", "capacity": 2 })
}

async fn put(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.client.put(app.url(path)).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn a_recruiter_creates_changes_archives_restores_and_deletes_vacancies() {
    let app = spawn_app().await;
    assert_eq!(app.anonymous().get(app.url("/api/vacancies")).send().await.unwrap().status(), 401);
    app.login().await;

    let created = app.post("/api/vacancies", courier()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let v = body(created).await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(
        (v["title"].clone(), v["status"].clone(), v["position"].clone()),
        (json!("Курьер"), json!("active"), json!(0))
    );
    assert!(v.get("title_key").is_none(), "{v}");

    assert_error(app.post("/api/vacancies", with_title("курьер")).await, StatusCode::CONFLICT, "duplicate").await;
    assert_error(
        app.post("/api/vacancies", with_title("")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_error(
        app.post("/api/vacancies", json!({ "title": "Склад" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let changed = body(put(&app, &format!("/api/vacancies/{id}"), with_title("Курьер на авто")).await).await;
    assert_eq!(changed["title"], "Курьер на авто");
    assert_error(put(&app, "/api/vacancies/999", courier()).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get("/api/vacancies/999").await, StatusCode::NOT_FOUND, "not_found").await;

    let archived = body(app.post(&format!("/api/vacancies/{id}/archive"), json!({})).await).await;
    assert_eq!(archived["status"], "archived");
    let restored = body(app.post(&format!("/api/vacancies/{id}/restore"), json!({})).await).await;
    assert_eq!(restored["status"], "active");
    let list = body(app.get("/api/vacancies").await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    assert_eq!(app.delete(&format!("/api/vacancies/{id}")).await.status(), StatusCode::NO_CONTENT);
    assert_error(app.delete(&format!("/api/vacancies/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
    let audit = body(app.get("/api/audit?entity_type=vacancy").await).await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["vacancy.delete", "vacancy.restore", "vacancy.archive", "vacancy.update", "vacancy.create"]);
    app.stop().await;
}

/// The courier vacancy under another title.
fn with_title(title: &str) -> Value {
    let mut v = courier();
    v["title"] = json!(title);
    v
}

#[tokio::test]
async fn slots_belong_to_a_vacancy_and_an_archived_one_takes_no_bookings_nor_slots_nor_deletion() {
    let app = spawn_app().await;
    app.login().await;
    let id = body(app.post("/api/vacancies", courier()).await).await["id"].as_i64().unwrap();
    let at = |days: i64| format!("{}T10:00:00Z", (Utc::now() + Duration::days(days)).date_naive());

    let slot = app.post("/api/slots", json!({ "starts_at": at(2), "duration_minutes": 30, "vacancy_id": id })).await;
    assert_eq!(slot.status(), StatusCode::CREATED);
    let slot = body(slot).await;
    assert_eq!(slot["vacancy_id"], id);
    assert_error(
        app.post("/api/slots", json!({ "starts_at": at(3), "duration_minutes": 30, "vacancy_id": 999 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_error(app.delete(&format!("/api/vacancies/{id}")).await, StatusCode::CONFLICT, "vacancy_in_use").await;

    app.post(&format!("/api/vacancies/{id}/archive"), json!({})).await;
    assert_error(
        app.post("/api/slots", json!({ "starts_at": at(3), "duration_minutes": 30, "vacancy_id": id })).await,
        StatusCode::CONFLICT,
        "vacancy_archived",
    )
    .await;
    let c = app.seed_candidates(1).await[0];
    let refused =
        bookings::book(&app.pool, &BookingRules::default(), c, slot["id"].as_i64().unwrap(), Utc::now()).await;
    assert_eq!(refused.unwrap_err().conflict_kind(), Some(core_logic::ConflictKind::VacancyArchived));
    app.stop().await;
}
