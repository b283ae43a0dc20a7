//! `/api/stats`, `/api/export/bookings.csv` and `/api/audit`.

use chrono::{Duration, Utc};
use core_logic::bookings;
use core_logic::config::BookingRules;
use reqwest::StatusCode;
use serde_json::json;

use crate::api::slots::create_slot;
use crate::app::{assert_error, body, spawn_app};

#[tokio::test]
async fn the_dashboard_counts_places_bookings_and_rates() {
    let app = spawn_app().await;
    app.login().await;
    let s1 = create_slot(&app, 2, 10, 2).await["id"].as_i64().unwrap();
    create_slot(&app, 2, 12, 2).await;
    let c = app.seed_candidates(2).await;
    for cand in &c {
        bookings::book(&app.pool, &BookingRules::default(), *cand, s1, Utc::now()).await.unwrap();
    }
    let day = (Utc::now() + Duration::days(2)).date_naive();

    let stats = body(app.get(&format!("/api/stats?from={day}&to={day}")).await).await;
    let default = app.get("/api/stats").await;
    let reversed = app.get(&format!("/api/stats?from={day}&to={}", day - Duration::days(1))).await;

    assert_eq!(
        (stats["slots"].as_i64(), stats["places"].as_i64(), stats["booked"].as_i64()),
        (Some(2), Some(4), Some(2))
    );
    assert_eq!(stats["fill_rate"], 0.5);
    assert_eq!(stats["no_show_rate"], 0.0);
    assert_eq!(stats["bookings_per_day"][day.to_string()], 2);
    assert_eq!(stats["time_zone"], "Europe/Moscow");
    assert_eq!(default.status(), StatusCode::OK);
    assert_error(reversed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn the_csv_export_opens_in_excel_and_defuses_formulas() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 2, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    sqlx::query("UPDATE candidates SET first_name = '=HYPERLINK(\"x\")', last_name = 'Иванова; Анна' WHERE id = ?")
        .bind(c)
        .execute(&app.pool)
        .await
        .unwrap();
    bookings::book(&app.pool, &BookingRules::default(), c, slot, Utc::now()).await.unwrap();

    let r = app.get("/api/export/bookings.csv").await;

    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"bookings_"));
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("Номер записи;Дата;Время;Часовой пояс;"), "{}", lines[0]);
    assert!(lines[1].contains(r#";"'=HYPERLINK(""x"")";"Иванова; Анна";"#), "{}", lines[1]);
    assert!(lines[1].contains(";Europe/Moscow;45;онлайн;"), "{}", lines[1]);
    let bad = app.get("/api/export/bookings.csv?delimiter=tab").await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn the_csv_export_speaks_the_panels_language_with_no_internal_values() {
    // Arrange: one active booking and one the admin cancelled.
    let app = spawn_app().await;
    app.login().await;
    let kept = create_slot(&app, 2, 10, 1).await["id"].as_i64().unwrap();
    let dropped = create_slot(&app, 2, 12, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(2).await;
    bookings::book(&app.pool, &BookingRules::default(), c[0], kept, Utc::now()).await.unwrap();
    let b = bookings::book(&app.pool, &BookingRules::default(), c[1], dropped, Utc::now()).await.unwrap();
    bookings::cancel_by_admin(&app.pool, &BookingRules::default(), None, b.booking.id, Some("перенос"), Utc::now())
        .await
        .unwrap();
    // The slots start at 10:00 and 12:00 UTC on the UTC date two days ahead: 13:00 and 15:00 in
    // Moscow, the same date (the Moscow date of "now" is a day later from 21:00 UTC on).
    let day = (Utc::now() + chrono::Duration::days(2)).date_naive();

    // Act
    let ru = app.get("/api/export/bookings.csv").await.text().await.unwrap();
    let en = app.get("/api/export/bookings.csv?lang=en").await.text().await.unwrap();
    let bad = app.get("/api/export/bookings.csv?lang=de").await;

    // Assert
    assert!(ru.contains("Номер записи;Дата;Время;Часовой пояс;Длительность, мин;Формат;"), "{ru}");
    assert!(ru.contains(";активна;") && ru.contains(";отменена рекрутером;"), "{ru}");
    assert!(ru.contains(&format!(";{};", day.format("%d.%m.%Y"))), "Russian dates: {ru}");
    assert!(en.contains("Booking;Date;Time;Time zone;Duration, min;Format;"), "{en}");
    assert!(en.contains(";active;") && en.contains(";cancelled by a recruiter;"), "{en}");
    assert!(en.contains(&format!(";{};", day.format("%Y-%m-%d"))), "{en}");
    for internal in ["cancelled_by_admin", "booking_id", "duration_min"] {
        assert!(!ru.contains(internal) && !en.contains(internal), "{internal} leaked");
    }
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn csv_cells_starting_with_a_tab_or_a_carriage_return_are_neutralised_too() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 2, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    sqlx::query("UPDATE candidates SET first_name = ?, last_name = ?, username = ? WHERE id = ?")
        .bind("\t=cmd|' /C calc'!A0")
        .bind("\r=1+1")
        .bind("@SUM(1)")
        .bind(c)
        .execute(&app.pool)
        .await
        .unwrap();
    bookings::book(&app.pool, &BookingRules::default(), c, slot, Utc::now()).await.unwrap();

    let text = app.get("/api/export/bookings.csv").await.text().await.unwrap();

    let row = text.split("\r\n").nth(1).unwrap_or_default().to_owned();
    assert!(row.contains(";'\t=cmd|' /C calc'!A0;"), "{row:?}");
    assert!(text.contains(";\"'\r=1+1\";"), "{text:?}");
    assert!(row.contains(";'@SUM(1);"), "{row:?}");
    app.stop().await;
}

#[tokio::test]
async fn every_admin_action_is_in_the_audit_log() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 2, 10, 1).await["id"].as_i64().unwrap();
    let c = app.seed_candidates(1).await[0];
    app.post(&format!("/api/users/{c}/block"), json!({})).await;
    app.post(&format!("/api/slots/{slot}/cancel"), json!({})).await;

    let all = body(app.get("/api/audit").await).await;
    let logins = body(app.get("/api/audit?entity_type=admin").await).await;
    let slot_only = body(app.get(&format!("/api/audit?entity_type=slot&entity_id={slot}")).await).await;
    let bad = app.get("/api/audit?entity_type=planet").await;

    let actions: Vec<&str> = all["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["slot.cancel", "candidate.block", "slot.create", "admin.login"]);
    assert_eq!(logins["items"][0]["details"]["ip"], "127.0.0.1");
    assert_eq!(all["items"][0]["admin_username"], crate::app::ADMIN);
    assert_eq!(slot_only["total"], 2);
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}

#[tokio::test]
async fn an_audit_entry_names_the_candidate_and_the_interview_it_concerns() {
    let app = spawn_app().await;
    app.login().await;
    let slot = create_slot(&app, 2, 10, 1).await;
    let c = app.seed_candidates(1).await[0];
    let booking = bookings::book(&app.pool, &BookingRules::default(), c, slot["id"].as_i64().unwrap(), Utc::now())
        .await
        .unwrap()
        .booking
        .id;
    app.post(&format!("/api/bookings/{booking}/cancel"), json!({ "reason": "Рекрутер заболел" })).await;
    app.post(&format!("/api/users/{c}/block"), json!({})).await;

    let bookings = body(app.get("/api/audit?entity_type=booking").await).await;
    let candidates = body(app.get("/api/audit?entity_type=candidate").await).await;
    let slots = body(app.get("/api/audit?entity_type=slot").await).await;

    let cancel = &bookings["items"][0];
    assert_eq!(cancel["action"], "booking.cancel");
    assert_eq!(cancel["candidate_name"], "Кандидат 0");
    assert_eq!(cancel["candidate_username"], "cand_0");
    assert_eq!(cancel["slot_starts_at"], slot["starts_at"]);
    assert_eq!(cancel["details"]["reason"], "Рекрутер заболел");
    assert_eq!(candidates["items"][0]["candidate_name"], "Кандидат 0");
    assert_eq!(candidates["items"][0]["slot_starts_at"], serde_json::Value::Null);
    assert_eq!(slots["items"][0]["slot_starts_at"], slot["starts_at"]);
    assert_eq!(slots["items"][0]["candidate_name"], serde_json::Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_filters_by_admin_and_time_and_lists_the_admins() {
    let app = spawn_app().await;
    app.login().await;
    create_slot(&app, 2, 10, 1).await;
    let admins = body(app.get("/api/audit/admins").await).await;
    let me = admins[0]["id"].as_i64().unwrap();
    let hour_ago = (Utc::now() - Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let in_an_hour = (Utc::now() + Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

    let mine = body(app.get(&format!("/api/audit?admin_id={me}")).await).await;
    let someone_else = body(app.get(&format!("/api/audit?admin_id={}", me + 100)).await).await;
    let this_hour = body(app.get(&format!("/api/audit?from={hour_ago}&to={in_an_hour}")).await).await;
    let before = body(app.get(&format!("/api/audit?to={hour_ago}")).await).await;
    let reversed = app.get(&format!("/api/audit?from={in_an_hour}&to={hour_ago}")).await;

    assert_eq!(admins.as_array().unwrap().len(), 1);
    assert_eq!(admins[0]["username"], crate::app::ADMIN);
    assert_eq!(mine["total"], 2, "the login and the slot: {mine}");
    assert_eq!(someone_else["total"], 0);
    assert_eq!(this_hour["total"], 2);
    assert_eq!(before["total"], 0);
    assert_error(reversed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    app.stop().await;
}
