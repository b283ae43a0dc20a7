//! Spawns the real server in-process on port 0 with its own SQLite file, and a `TestApp` with a
//! method per request (zero2prod's `spawn_app`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;

use api_server::Application;
use core_logic::config::Config;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use tokio::sync::oneshot;

pub const ADMIN: &str = "recruiter";
pub const PASSWORD: &str = "correct horse battery";

/// A running server and a client with a cookie jar.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: Client,
    pub pool: SqlitePool,
    pub queue: core_logic::queue::Queue,
    pub db_url: String,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

/// Options for [`spawn_app_with`].
#[derive(Default)]
pub struct Spawn {
    /// Extra environment, e.g. RABBITMQ_URL and QUEUE_NAME.
    pub env: Vec<(&'static str, String)>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Spawn::default()).await
}

pub async fn spawn_app_with(spawn: Spawn) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = format!("sqlite:{}", dir.path().join("api.db").display());
    let mut env: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", db_url.clone()),
        ("API_ADDR", "127.0.0.1:0".into()),
        ("ADMIN_USERNAME", ADMIN.into()),
        ("ADMIN_PASSWORD", PASSWORD.into()),
    ]);
    env.extend(spawn.env);
    let config = Config::from_lookup(|k| env.get(k).cloned()).expect("valid test configuration");
    let app = Application::build(config).await.expect("build the app");
    let addr = app.local_addr();
    let pool = app.state().pool.clone();
    let queue = app.state().queue.clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = Client::builder().cookie_store(true).build().expect("client");
    TestApp {
        addr,
        base: format!("http://{addr}"),
        client,
        pool,
        queue,
        db_url,
        stop: Some(stop),
        server: Some(server),
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn login(&self) {
        let r = self.post("/api/auth/login", json!({ "username": ADMIN, "password": PASSWORD })).await;
        assert_eq!(r.status(), StatusCode::OK, "login failed");
    }

    /// A new client without a session, for the same server.
    pub fn anonymous(&self) -> Client {
        Client::builder().cookie_store(true).build().expect("client")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.client.post(self.url(path)).json(&body).send().await.expect("request")
    }

    pub async fn patch(&self, path: &str, body: Value) -> Response {
        self.client.patch(self.url(path)).json(&body).send().await.expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client.delete(self.url(path)).send().await.expect("request")
    }

    /// Sends `body` as raw bytes with a JSON content type.
    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// Inserts `n` candidates straight into the database (as the bot would register them).
    pub async fn seed_candidates(&self, n: i64) -> Vec<i64> {
        let now = chrono::Utc::now().timestamp();
        let mut tx = self.pool.begin().await.expect("tx");
        let mut ids = Vec::with_capacity(n as usize);
        for i in 0..n {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO candidates (telegram_user_id, chat_id, first_name, username, language, first_seen_at, last_seen_at)
                 VALUES (?1, ?1, ?2, ?3, 'ru', ?4, ?4) RETURNING id",
            )
            .bind(500_000 + i)
            .bind(format!("Кандидат {i}"))
            .bind(format!("cand_{i}"))
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .expect("insert candidate");
            ids.push(id);
        }
        tx.commit().await.expect("commit");
        ids
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server result");
        }
    }
}

/// The JSON body of a response.
pub async fn body(r: Response) -> Value {
    r.json().await.expect("a JSON body")
}

/// Asserts the status and the error code of an error response.
pub async fn assert_error(r: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(r.status(), status, "unexpected status");
    let b = body(r).await;
    assert_eq!(b["error"]["code"], code, "unexpected error body: {b}");
    assert!(b["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "an error has a message: {b}");
    b
}
