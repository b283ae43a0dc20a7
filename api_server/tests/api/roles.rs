//! Roles and team accounts: a walk of the OpenAPI route table as each role asserts the
//! allowed/forbidden matrix (403 where forbidden, never a 2xx there, never a 500), and the
//! accounts' life: an invitation's one-time set-password link, roles, deactivation ending
//! sessions at once, password resets, the last admin kept.

use api_server::openapi::{PUBLIC, any_role};
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

use crate::app::{TestApp, assert_error, body, spawn_app};

const MEMBER_PASSWORD: &str = "amber tractor violin 42";

/// Invites `username` with `role` and sets their password through the link; returns the id.
async fn member(app: &TestApp, username: &str, role: &str) -> i64 {
    let invited =
        app.post("/api/accounts", json!({ "username": username, "display_name": "Мария Иванова", "role": role })).await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let invited = body(invited).await;
    let token = invited["token"].as_str().unwrap().to_owned();
    let set = app
        .anonymous()
        .post(app.url("/api/auth/set-password"))
        .json(&json!({ "token": token, "password": MEMBER_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    invited["account"]["id"].as_i64().unwrap()
}

async fn login(app: &TestApp, username: &str, password: &str) -> Client {
    let client = app.anonymous();
    let r = client
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "login as {username}");
    client
}

/// Whether `role` may use `method` on `path`.
fn allowed(role: &str, method: &str, path: &str) -> bool {
    match role {
        "admin" => true,
        "recruiter" => !path.starts_with("/api/accounts"),
        _ => any_role(method, path),
    }
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_roles_table_says() {
    let app = spawn_app().await;
    app.login().await;
    member(&app, "recruiter2", "recruiter").await;
    member(&app, "interviewer1", "interviewer").await;
    let spec = body(app.get("/api/openapi.json").await).await;
    let mut wrong = Vec::new();
    let mut checked = 0;

    for (role, username, password) in [
        ("interviewer", "interviewer1", MEMBER_PASSWORD),
        ("recruiter", "recruiter2", MEMBER_PASSWORD),
        ("admin", crate::app::ADMIN, crate::app::PASSWORD),
    ] {
        let session = login(&app, username, password).await;
        for (path, item) in spec["paths"].as_object().unwrap() {
            if !path.starts_with("/api/") || PUBLIC.contains(&path.as_str()) {
                continue;
            }
            for (method, op) in item.as_object().unwrap() {
                // Ending the session (logout, a password reset) is tried on a session of its own.
                let client = if path == "/api/auth/logout" || path.ends_with("/reset-password") {
                    login(&app, username, password).await
                } else {
                    session.clone()
                };
                let url = app.url(&path.replace("{id}", "1"));
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let mut req = client.request(method.clone(), url);
                if op.get("requestBody").is_some() {
                    req = req.json(&json!({}));
                }
                let r = req.send().await.unwrap();
                let status = r.status();
                checked += 1;
                let name = format!("{role}: {method} {path} -> {status}");
                if status == StatusCode::INTERNAL_SERVER_ERROR {
                    wrong.push(format!("{name} (a 500)"));
                } else if allowed(role, method.as_str(), path) && status == StatusCode::FORBIDDEN {
                    wrong.push(format!("{name}, but the role may use it"));
                } else if !allowed(role, method.as_str(), path) && status != StatusCode::FORBIDDEN {
                    wrong.push(format!("{name}, but the role may not use it"));
                }
                if status == StatusCode::FORBIDDEN
                    && r.headers().get("content-type").is_none_or(|c| c != "application/json")
                {
                    wrong.push(format!("{name} without the error body"));
                }
            }
        }
    }
    assert!(checked > 150, "only {checked} requests");
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
    app.stop().await;
}

#[tokio::test]
async fn an_invitation_link_sets_a_password_once_and_then_the_member_logs_in() {
    let app = spawn_app().await;
    app.login().await;
    let invited = body(
        app.post("/api/accounts", json!({ "username": "maria", "display_name": " Мария ", "role": "interviewer" }))
            .await,
    )
    .await;
    assert_eq!(
        (invited["account"]["role"].clone(), invited["account"]["display_name"].clone()),
        (json!("interviewer"), json!("Мария"))
    );
    let token = invited["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 43, "{token}");
    // Not usable before a password is set.
    let r = app
        .anonymous()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": "maria", "password": "!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let anonymous = app.anonymous();
    let info =
        anonymous.post(app.url("/api/auth/password-link")).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(body(info).await["username"], "maria");
    let weak = anonymous
        .post(app.url("/api/auth/set-password"))
        .json(&json!({ "token": token, "password": "maria123" }))
        .send()
        .await
        .unwrap();
    assert_error(weak, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let set = anonymous
        .post(app.url("/api/auth/set-password"))
        .json(&json!({ "token": token, "password": MEMBER_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    // Single-use.
    let again = anonymous
        .post(app.url("/api/auth/set-password"))
        .json(&json!({ "token": token, "password": "another long pass 77" }))
        .send()
        .await
        .unwrap();
    assert_error(again, StatusCode::NOT_FOUND, "not_found").await;
    let maria = login(&app, "maria", MEMBER_PASSWORD).await;
    let me = body(maria.get(app.url("/api/auth/me")).send().await.unwrap()).await;
    assert_eq!((me["role"].clone(), me["display_name"].clone()), (json!("interviewer"), json!("Мария")));
    assert_eq!(me["time_zone"], "Europe/Moscow", "every role learns APP_TIMEZONE");
    assert_error(maria.get(app.url("/api/accounts")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(maria.get(app.url("/api/broadcasts")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    // A taken login.
    assert_error(
        app.post("/api/accounts", json!({ "username": "MARIA", "display_name": "Другая", "role": "recruiter" })).await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let list = body(app.get("/api/accounts").await).await;
    let maria_row = list.as_array().unwrap().iter().find(|a| a["username"] == "maria").unwrap().clone();
    assert_eq!(maria_row["has_password"], true);
    app.stop().await;
}

#[tokio::test]
async fn deactivation_ends_sessions_at_once_and_the_last_admin_stays() {
    let app = spawn_app().await;
    app.login().await;
    let id = member(&app, "boris", "recruiter").await;
    let boris = login(&app, "boris", MEMBER_PASSWORD).await;
    assert_eq!(boris.get(app.url("/api/slots")).send().await.unwrap().status(), StatusCode::OK);

    let off = body(app.post(&format!("/api/accounts/{id}/deactivate"), json!({})).await).await;
    assert!(off["deactivated_at"].is_string());
    assert_eq!(boris.get(app.url("/api/slots")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let r = app
        .anonymous()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": "boris", "password": MEMBER_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.post(&format!("/api/accounts/{id}/reactivate"), json!({})).await;
    let boris = login(&app, "boris", MEMBER_PASSWORD).await;

    // A reset ends the sessions too, and gives a new link.
    let reset = body(app.post(&format!("/api/accounts/{id}/reset-password"), json!({})).await).await;
    assert!(reset["token"].is_string());
    assert_eq!(boris.get(app.url("/api/slots")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // The only admin can neither be demoted nor deactivate themself; promoting another lets them go.
    let me = body(app.get("/api/auth/me").await).await["id"].as_i64().unwrap();
    let demote = app.patch(&format!("/api/accounts/{me}"), json!({ "role": "recruiter" })).await;
    assert_error(demote, StatusCode::CONFLICT, "last_admin").await;
    assert_error(
        app.post(&format!("/api/accounts/{me}/deactivate"), json!({})).await,
        StatusCode::CONFLICT,
        "own_account",
    )
    .await;
    let promoted =
        body(app.patch(&format!("/api/accounts/{id}"), json!({ "role": "admin", "display_name": "Борис" })).await)
            .await;
    assert_eq!((promoted["role"].clone(), promoted["display_name"].clone()), (json!("admin"), json!("Борис")));
    assert_eq!(
        app.patch(&format!("/api/accounts/{me}"), json!({ "role": "recruiter" })).await.status(),
        StatusCode::OK
    );
    // Now a recruiter: the accounts are closed to them.
    assert_error(app.get("/api/accounts").await, StatusCode::FORBIDDEN, "forbidden").await;

    let audit = body(app.get("/api/audit?entity_type=admin").await).await;
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in [
        "account.invite",
        "account.set_password",
        "account.deactivate",
        "account.reactivate",
        "account.reset_password",
        "account.role",
        "account.rename",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_interviewer_sees_and_marks_only_their_own_interviews() {
    let app = spawn_app().await;
    app.login().await;
    let olga = member(&app, "olga", "interviewer").await;
    let ivan = member(&app, "ivan", "interviewer").await;
    let at = |hours: i64| (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339();
    let mut slot_ids = Vec::new();
    for (hours, who) in [(48, olga), (50, ivan)] {
        let created = app
            .post("/api/slots", json!({ "starts_at": at(hours), "duration_minutes": 60, "interviewer_ids": [who] }))
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        slot_ids.push(body(created).await["id"].as_i64().unwrap());
    }
    let candidates = app.seed_candidates(2).await;
    let rules = core_logic::config::BookingRules::default();
    let mut booking_ids = Vec::new();
    for (c, s) in candidates.iter().zip(&slot_ids) {
        booking_ids
            .push(core_logic::bookings::book(&app.pool, &rules, *c, *s, chrono::Utc::now()).await.unwrap().booking.id);
    }
    let detail = body(app.get(&format!("/api/slots/{}", slot_ids[0])).await).await;
    assert_eq!(detail["interviewers"][0]["name"], "Мария Иванова");

    let session = login(&app, "olga", MEMBER_PASSWORD).await;
    let get = |path: String| session.get(app.url(&path)).send();
    let slots = body(get("/api/slots".into()).await.unwrap()).await;
    let seen: Vec<i64> = slots["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(seen, vec![slot_ids[0]], "only her own slot");
    // Even asking for Ivan's.
    let asked = body(get(format!("/api/slots?interviewer_id={ivan}")).await.unwrap()).await;
    assert_eq!(asked["items"].as_array().unwrap().len(), 1);
    let list = body(get("/api/bookings".into()).await.unwrap()).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], booking_ids[0]);
    assert_eq!(get(format!("/api/slots/{}", slot_ids[0])).await.unwrap().status(), StatusCode::OK);
    assert_error(get(format!("/api/slots/{}", slot_ids[1])).await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let card = body(get(format!("/api/users/{}", candidates[0])).await.unwrap()).await;
    assert_eq!(card["bookings"].as_array().unwrap().len(), 1);
    assert_eq!(card["deliveries"].as_array().unwrap().len(), 0);
    assert_error(get(format!("/api/users/{}", candidates[1])).await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    assert_error(get("/api/users".into()).await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    // Attendance: hers only (and only once the interview started, as for everyone).
    let mark = |id: i64| {
        session.post(app.url(&format!("/api/bookings/{id}/attendance"))).json(&json!({ "status": "attended" })).send()
    };
    assert_error(mark(booking_ids[1]).await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    assert_ne!(mark(booking_ids[0]).await.unwrap().status(), StatusCode::NOT_FOUND);
    // Her own working hours, which bulk generation keeps within.
    let hours = json!([{ "weekday": 1, "start": "09:00:00", "end": "13:00:00" }]);
    let set = session.put(app.url("/api/me/working-hours")).json(&hours).send().await.unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(body(get("/api/me/working-hours".into()).await.unwrap()).await, hours);
    let bad = session
        .put(app.url("/api/me/working-hours"))
        .json(&json!([{ "weekday": 8, "start": "09:00:00", "end": "13:00:00" }]))
        .send()
        .await
        .unwrap();
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body(app.get(&format!("/api/interviewers/{olga}/working-hours")).await).await, hours);
    // A recruiter filters by interviewer.
    let by_ivan = body(app.get(&format!("/api/bookings?interviewer_id={ivan}")).await).await;
    assert_eq!(by_ivan["items"][0]["id"], booking_ids[1]);
    app.stop().await;
}
