//! The `api_server` binary: admin subcommands, a bad configuration, and a clean stop on SIGTERM.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn api_server(db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_api_server"));
    cmd.env_clear().env("DATABASE_URL", db_url).env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd
}

fn run_with_stdin(mut cmd: Command, input: &str) -> std::process::Output {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn admin_subcommands_add_an_admin_and_reset_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("cli.db").display());

    let mut add = api_server(&db_url);
    add.args(["admin", "add", "olga"]);
    let added = run_with_stdin(add, "first: cobalt meadow kettle\n");
    let mut again = api_server(&db_url);
    again.args(["admin", "add", "olga"]);
    let duplicate = run_with_stdin(again, "first: cobalt meadow kettle\n");
    let mut reset = api_server(&db_url);
    reset.args(["admin", "set-password", "olga"]);
    let reset = run_with_stdin(reset, "second: amber falcon quilt\n");

    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert_eq!(String::from_utf8_lossy(&added.stdout).trim(), "created admin olga");
    assert!(!duplicate.status.success());
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let pool = core_logic::db::connect(&db_url, 1).await.unwrap();
    assert!(core_logic::admins::verify_login(&pool, "olga", "second: amber falcon quilt").await.unwrap().is_some());
    assert!(core_logic::admins::verify_login(&pool, "olga", "first: cobalt meadow kettle").await.unwrap().is_none());
}

#[test]
fn admin_add_refuses_a_guessable_password_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("cli.db").display());

    let mut add = api_server(&db_url);
    add.args(["admin", "add", "olga"]);
    let refused = run_with_stdin(add, "password1234\n");

    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("too easy to guess"), "{stderr}");
    assert!(String::from_utf8_lossy(&refused.stdout).trim().is_empty(), "nothing is logged as created");
}

#[test]
fn a_guessable_admin_password_stops_the_server_with_one_line_naming_it() {
    let out = api_server("sqlite::memory:")
        .env("ADMIN_USERNAME", "admin")
        .env("ADMIN_PASSWORD", "password")
        .output()
        .unwrap();

    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("ADMIN_PASSWORD") && stderr.contains("12 characters"), "{stderr}");
}

#[test]
fn a_bad_setting_stops_the_server_with_one_line_naming_it() {
    let out = api_server("sqlite::memory:").env("API_ADDR", "not-an-address").output().unwrap();

    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("API_ADDR") && stderr.contains("host:port"), "{stderr}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("run.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = api_server(&db_url)
        .env("API_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };

    assert!(killed.success());
    assert!(status.success(), "exit status {status}");
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(log.contains("api_server stopped cleanly"), "{log}");
    assert!(!log.contains("ERROR"), "{log}");
}

#[tokio::test]
async fn backup_writes_a_consistent_copy_while_the_database_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("live.db").display());
    let pool = core_logic::db::connect_and_migrate(&db_url, 2).await.unwrap();
    core_logic::admins::create(&pool, "olga", "quiet lantern mosaic", chrono::Utc::now()).await.unwrap();
    let copy = dir.path().join("copy.db");

    let out = api_server(&db_url).args(["backup", copy.to_str().unwrap()]).output().unwrap();
    let again = api_server(&db_url).args(["backup", copy.to_str().unwrap()]).output().unwrap();

    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!again.status.success(), "an existing file is never overwritten");
    let restored = core_logic::db::connect(&format!("sqlite:{}", copy.display()), 1).await.unwrap();
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM admins").fetch_one(&restored).await.unwrap();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn a_login_username_with_a_newline_cannot_forge_a_line_in_the_text_log() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("log.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = api_server(&db_url)
        .env("API_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_FORMAT", "text")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start listening");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let forged = "nobody\n2026-01-01T00:00:00.000000Z  INFO api_server::auth: admin logged in admin=\"root\"\r";

    let status = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/auth/login"))
        .json(&serde_json::json!({ "username": forged, "password": "wrong wrong" }))
        .send()
        .await
        .unwrap()
        .status();
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();

    assert_eq!(status, reqwest::StatusCode::UNAUTHORIZED);
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(log.contains("failed login"), "the failure is logged: {log}");
    assert!(!log.contains('\r'), "{log:?}");
    let forged_lines: Vec<&str> = log.lines().filter(|l| l.starts_with("2026-01-01")).collect();
    assert!(forged_lines.is_empty(), "a line was forged: {forged_lines:?}\n{log}");
}
