//! The OpenAPI document declares every status each operation can answer: a walk of the route
//! table sends each operation the inputs a client or a fuzzer would (no session, bad path ids,
//! malformed JSON, a wrong or missing content type, wrong shapes, unknown fields, a body over the
//! limit, bad query values) and fails on any answer whose status the document does not list for
//! that operation, or whose error body is not the documented error schema.

use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use crate::app::{ADMIN, PASSWORD, TestApp, body, spawn_app};

/// One request of the walk: what it tries, and how to build it.
struct Probe {
    what: String,
    path: String,
    body: Option<(Option<&'static str>, Vec<u8>)>,
    anonymous: bool,
}

fn probes(path: &str, op: &Value) -> Vec<Probe> {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let in_path: Vec<String> =
        params.iter().filter(|p| p["in"] == "path").filter_map(|p| p["name"].as_str().map(str::to_owned)).collect();
    let in_query: Vec<String> =
        params.iter().filter(|p| p["in"] == "query").filter_map(|p| p["name"].as_str().map(str::to_owned)).collect();
    let has_body = op.get("requestBody").is_some();
    let with_ids = |id: &str| in_path.iter().fold(path.to_owned(), |p, name| p.replace(&format!("{{{name}}}"), id));
    let json = |bytes: &[u8]| Some((Some("application/json"), bytes.to_vec()));
    let empty_object = if has_body { json(b"{}") } else { None };
    let probe = |what: &str, path: String, body: Option<(Option<&'static str>, Vec<u8>)>| Probe {
        what: what.to_owned(),
        path,
        body,
        anonymous: false,
    };

    let mut out = vec![
        probe("an empty object", with_ids("1"), empty_object.clone()),
        probe("an id that does not exist", with_ids("987654"), empty_object.clone()),
        Probe { what: "no session".into(), path: with_ids("1"), body: empty_object.clone(), anonymous: true },
    ];
    if !in_path.is_empty() {
        for bad in ["abc", "0", "-1", "99999999999999999999", "1.5", "%27%20OR%201%3D1"] {
            out.push(probe(&format!("path id {bad}"), with_ids(bad), empty_object.clone()));
        }
    }
    if has_body {
        let huge = format!("{{\"text\": \"{}\"}}", "x".repeat(300 * 1024));
        out.extend([
            probe("malformed JSON", with_ids("1"), json(b"{\"a\":")),
            probe("an empty body", with_ids("1"), json(b"")),
            probe("a JSON array", with_ids("1"), json(b"[1, 2]")),
            probe("a JSON string", with_ids("1"), json(b"\"x\"")),
            probe("an unknown field", with_ids("1"), json(br#"{"surely_unknown": 1}"#)),
            probe("wrong types", with_ids("1"), json(br#"{"username": 1, "text": 2, "starts_at": 3, "status": 4}"#)),
            probe("text/plain", with_ids("1"), Some((Some("text/plain"), b"{}".to_vec()))),
            probe("no content type", with_ids("1"), Some((None, b"{}".to_vec()))),
            probe("a body over the limit", with_ids("1"), json(huge.as_bytes())),
        ]);
    }
    let mut queries = vec!["surely_unknown=1".to_owned()];
    for name in &in_query {
        for value in ["abc", "-1", "0", "99999999999999999999999", "", "2030-13-45", "%FF"] {
            queries.push(format!("{name}={value}"));
        }
    }
    for q in queries {
        out.push(probe(&format!("query {q}"), format!("{}?{q}", with_ids("1")), empty_object.clone()));
    }
    out
}

async fn logged_in(app: &TestApp) -> Client {
    let client = app.anonymous();
    let r = client
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": ADMIN, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    client
}

fn request(client: &Client, app: &TestApp, method: &str, probe: &Probe) -> RequestBuilder {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut req = client.request(method, app.url(&probe.path));
    if let Some((content_type, bytes)) = &probe.body {
        if let Some(ct) = content_type {
            req = req.header("content-type", *ct);
        }
        req = req.body(bytes.clone());
    }
    req
}

#[tokio::test]
async fn every_status_an_operation_answers_is_declared_for_it_with_the_error_schema() {
    let app = spawn_app().await;
    let spec = body(app.get("/api/openapi.json").await).await;
    let session = logged_in(&app).await;
    let mut undeclared = Vec::new();
    let mut sent = 0;

    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let declared = op["responses"].as_object().unwrap();
            for probe in probes(path, op) {
                // Logging out and a password reset end the session: each gets a session of its own.
                let client = if probe.anonymous {
                    app.anonymous()
                } else if path == "/api/auth/logout" || path.ends_with("/reset-password") {
                    logged_in(&app).await
                } else {
                    session.clone()
                };
                let r = request(&client, &app, method, &probe).send().await.unwrap();
                sent += 1;
                let status = r.status();
                // An event stream (`GET /api/live`) never ends: its status is all there is to check.
                let streaming = r.headers().get("content-type").is_some_and(|ct| ct == "text/event-stream");
                let text = if streaming { String::new() } else { r.text().await.unwrap_or_default() };
                let name = format!("{} {path} with {} -> {status}", method.to_uppercase(), probe.what);
                assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{name}: {text}");
                let Some(doc) = declared.get(status.as_str()) else {
                    let list: Vec<&String> = declared.keys().collect();
                    undeclared.push(format!("{name} (declared: {list:?})"));
                    continue;
                };
                if status.is_client_error() {
                    let schema = &doc["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{name}: declared without the error schema");
                    let error: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    assert!(error["error"]["code"].is_string(), "{name}: not the error shape: {text}");
                }
            }
        }
    }

    assert!(sent > 400, "only {sent} requests were sent");
    assert!(undeclared.is_empty(), "{} undeclared answers:\n{}", undeclared.len(), undeclared.join("\n"));
    app.stop().await;
}
