//! An admin of the panel, over HTTP against a running `api_server`: logs in, creates and cancels
//! broadcasts and reads them, reads the inbox and replies to candidates, the way the panel does.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

/// A logged-in admin's HTTP client (the session is in its cookie jar).
#[derive(Clone)]
pub struct AdminClient {
    base: String,
    http: reqwest::Client,
}

impl AdminClient {
    /// Logs in at the API on 127.0.0.1:`port`.
    pub async fn login(port: u16, username: &str, password: &str) -> Self {
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        let response = http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("POST /api/auth/login");
        let status = response.status();
        assert!(status.is_success(), "login answered {status}: {}", response.text().await.unwrap_or_default());
        Self { base, http }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Broadcasts `text` (HTML) to every candidate now; returns the broadcast's id.
    pub async fn create_broadcast(&self, text: &str) -> i64 {
        let response = self
            .http
            .post(format!("{}/api/broadcasts", self.base))
            .json(&json!({ "text": text, "segment": { "kind": "all" } }))
            .send()
            .await
            .expect("POST /api/broadcasts");
        let status = response.status();
        let body: Value = response.json().await.expect("the created broadcast as JSON");
        assert_eq!(status, StatusCode::CREATED, "creating the broadcast: {body}");
        body["id"].as_i64().unwrap_or_else(|| panic!("no id in {body}"))
    }

    /// Creates a broadcast from the panel's JSON body (title, texts, button, photo, segment...);
    /// returns its id.
    pub async fn create_broadcast_with(&self, body: &Value) -> i64 {
        let response = self
            .http
            .post(format!("{}/api/broadcasts", self.base))
            .json(body)
            .send()
            .await
            .expect("POST /api/broadcasts");
        let status = response.status();
        let body: Value = response.json().await.expect("the created broadcast as JSON");
        assert_eq!(status, StatusCode::CREATED, "creating the broadcast: {body}");
        body["id"].as_i64().unwrap_or_else(|| panic!("no id in {body}"))
    }

    /// Uploads a broadcast photo as the panel does (the bytes as the body); returns its id.
    pub async fn upload_photo(&self, bytes: &[u8], content_type: &str) -> i64 {
        let response = self
            .http
            .post(format!("{}/api/broadcasts/photos", self.base))
            .header("content-type", content_type)
            .body(bytes.to_vec())
            .send()
            .await
            .expect("POST /api/broadcasts/photos");
        let status = response.status();
        let body: Value = response.json().await.expect("the uploaded photo as JSON");
        assert_eq!(status, StatusCode::CREATED, "uploading the photo: {body}");
        body["id"].as_i64().unwrap_or_else(|| panic!("no id in {body}"))
    }

    /// The broadcast as the panel sees it (status, counts by delivery status...).
    pub async fn broadcast(&self, id: i64) -> Value {
        self.http
            .get(format!("{}/api/broadcasts/{id}", self.base))
            .send()
            .await
            .expect("GET /api/broadcasts/{id}")
            .error_for_status()
            .expect("GET /api/broadcasts/{id} succeeds")
            .json()
            .await
            .expect("the broadcast as JSON")
    }

    /// Cancels the broadcast; returns once the API acknowledged it.
    pub async fn cancel_broadcast(&self, id: i64) -> Value {
        let response = self
            .http
            .post(format!("{}/api/broadcasts/{id}/cancel", self.base))
            .send()
            .await
            .expect("POST /api/broadcasts/{id}/cancel");
        let status = response.status();
        let body: Value = response.json().await.expect("the cancelled broadcast as JSON");
        assert!(status.is_success(), "cancelling the broadcast answered {status}: {body}");
        body
    }

    /// `GET` of an API path (`/api/inbox`...) that must succeed; its JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.http.get(format!("{}{path}", self.base)).send().await.expect("GET");
        let status = response.status();
        let body: Value = response.json().await.unwrap_or_else(|e| panic!("GET {path}: not JSON: {e}"));
        assert!(status.is_success(), "GET {path} answered {status}: {body}");
        body
    }

    /// Replies to a candidate from the inbox (`POST /api/users/{id}/messages`); returns the
    /// stored message with its delivery.
    pub async fn reply(&self, candidate_id: i64, text: &str) -> Value {
        let response = self
            .http
            .post(format!("{}/api/users/{candidate_id}/messages", self.base))
            .json(&json!({ "text": text }))
            .send()
            .await
            .expect("POST /api/users/{id}/messages");
        let status = response.status();
        let body: Value = response.json().await.expect("the reply as JSON");
        assert_eq!(status, StatusCode::CREATED, "replying: {body}");
        body
    }

    /// `POST` without a body to an API path that must succeed; its JSON.
    pub async fn post_json(&self, path: &str) -> Value {
        let response = self.http.post(format!("{}{path}", self.base)).send().await.expect("POST");
        let status = response.status();
        let body: Value = response.json().await.unwrap_or_else(|e| panic!("POST {path}: not JSON: {e}"));
        assert!(status.is_success(), "POST {path} answered {status}: {body}");
        body
    }
}
