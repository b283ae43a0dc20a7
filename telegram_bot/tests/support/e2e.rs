//! What the end-to-end tests with the real binaries share: seeding the database, a unique
//! RabbitMQ queue removed afterwards, starting and stopping `api_server` / `telegram_bot` with
//! their logs captured, free ports.
#![allow(dead_code)]

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use chrono::Utc;
use fake_telegram::FakeTelegram;
use lapin::options::QueueDeleteOptions;
use sqlx::SqlitePool;
use tokio::time::{Instant, sleep, timeout};

/// How long a service may take to start answering.
pub const STARTUP: Duration = Duration::from_secs(60);
/// How long a service may take to stop after SIGTERM.
pub const STOP: Duration = Duration::from_secs(10);
/// How long building `api_server` may take.
pub const BUILD: Duration = Duration::from_secs(900);

/// Applies the migrations and inserts `count` active candidates with chat ids from `first_chat`.
pub async fn seed(db_url: &str, count: i64, first_chat: i64) -> SqlitePool {
    let pool = core_logic::db::connect_and_migrate(db_url, 4).await.expect("create the database");
    let now = Utc::now().timestamp();
    let mut tx = pool.begin().await.expect("begin");
    for i in 0..count {
        sqlx::query(
            "INSERT INTO candidates (telegram_user_id, chat_id, first_name, language, first_seen_at, last_seen_at)
             VALUES (?1, ?1, ?2, 'ru', ?3, ?3)",
        )
        .bind(first_chat + i)
        .bind(format!("Candidate {i}"))
        .bind(now)
        .execute(&mut *tx)
        .await
        .expect("insert a candidate");
    }
    tx.commit().await.expect("commit the candidates");
    pool
}

/// A queue (and its `.dlq`) private to one test, deleted when dropped, even if the test fails.
pub struct TestQueues {
    pub rabbitmq_url: String,
    pub name: String,
}

impl TestQueues {
    /// Checks the broker answers (failing the test with a clear message if not) and names a
    /// fresh queue.
    pub async fn claim(rabbitmq_url: &str, prefix: &str) -> Self {
        match timeout(Duration::from_secs(15), lapin::Connection::connect(rabbitmq_url, Default::default())).await {
            Ok(Ok(connection)) => {
                let _ = connection.close(200, "bye".into()).await;
            }
            Ok(Err(error)) => panic!(
                "RabbitMQ at {rabbitmq_url} is unreachable ({error}). This end-to-end test needs a broker: \
                 start one (`rabbitmq-server -detached`) or set RABBITMQ_URL."
            ),
            Err(_) => panic!("RabbitMQ at {rabbitmq_url} did not answer within 15 s"),
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        Self { rabbitmq_url: rabbitmq_url.to_owned(), name: format!("{prefix}_{}_{nanos}", std::process::id()) }
    }
}

impl Drop for TestQueues {
    fn drop(&mut self) {
        let url = self.rabbitmq_url.clone();
        let queues = [self.name.clone(), format!("{}.dlq", self.name)];
        // Drop cannot await, and the test's runtime may be gone: delete on a runtime of our own.
        let deleted = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let connection = lapin::Connection::connect(&url, Default::default()).await?;
                let channel = connection.create_channel().await?;
                for queue in queues {
                    channel.queue_delete(queue.as_str().into(), QueueDeleteOptions::default()).await?;
                }
                connection.close(200, "bye".into()).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        match deleted {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not delete the test queue {}: {error}", self.name),
            Err(_) => eprintln!("deleting the test queue {} panicked", self.name),
        }
    }
}

/// A running service binary whose stdout and stderr go to files; killed if the test ends (or
/// fails) while it runs.
pub struct Service {
    pub name: &'static str,
    pub child: Child,
    pub logs: [PathBuf; 2],
}

impl Service {
    pub fn spawn(name: &'static str, program: &Path, dir: &Path, env: &[(&str, String)]) -> Self {
        let stdout = dir.join(format!("{name}.stdout.log"));
        let stderr = dir.join(format!("{name}.stderr.log"));
        let child = Command::new(program)
            // Only what the test sets, and no `.env` to find from the temporary directory.
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("create the stdout log"))
            .stderr(File::create(&stderr).expect("create the stderr log"))
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", program.display()));
        Self { name, child, logs: [stdout, stderr] }
    }

    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("check the process")
    }

    /// Its stdout and stderr so far, without colour codes.
    pub fn log(&self) -> String {
        self.logs.iter().map(|path| strip_ansi(&std::fs::read_to_string(path).unwrap_or_default())).collect()
    }

    /// The last lines of its log, for failure messages.
    pub fn log_tail(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(60)..].join("\n");
        format!("--- the last lines of {}'s log ---\n{tail}", self.name)
    }

    /// Fails the test with the log if the process has ended.
    pub fn assert_running(&mut self, while_: &str) {
        if let Some(status) = self.exited() {
            panic!("{} exited ({status}) while {while_}\n{}", self.name, self.log_tail());
        }
    }

    pub fn sigkill(&mut self) {
        // On Unix `Child::kill` sends SIGKILL.
        self.child.kill().expect("SIGKILL the process");
        self.child.wait().expect("reap the killed process");
    }

    pub fn sigterm(&self) {
        let status =
            Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("run kill -TERM");
        assert!(status.success(), "kill -TERM {} failed: {status}", self.name);
    }

    pub async fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// After SIGTERM (sent at `signalled`): exits 0 within [`STOP`] and logged no error.
    pub async fn assert_clean_exit(&mut self, signalled: Instant) {
        let status = self.wait_for_exit(STOP.saturating_sub(signalled.elapsed())).await;
        println!("{} exited {:.2?} after SIGTERM", self.name, signalled.elapsed());
        let status = status
            .unwrap_or_else(|| panic!("{} did not exit within {STOP:?} of SIGTERM\n{}", self.name, self.log_tail()));
        assert!(status.success(), "{} exited with {status} after SIGTERM\n{}", self.name, self.log_tail());
        let log = self.log();
        assert!(
            log.lines().any(|line| line.contains(" INFO ")),
            "{}'s log is not in the expected text format:\n{log}",
            self.name
        );
        let errors: Vec<&str> = log.lines().filter(|line| line.contains(" ERROR ")).collect();
        assert!(errors.is_empty(), "{} logged errors: {errors:#?}", self.name);
    }

    /// Waits until the API answers `/healthz`.
    pub async fn wait_until_healthy(&mut self, port: u16) {
        let url = format!("http://127.0.0.1:{port}/healthz");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + STARTUP;
        loop {
            self.assert_running("starting");
            if let Ok(Ok(r)) = timeout(Duration::from_secs(2), client.get(&url).send()).await
                && r.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "{url} never answered\n{}", self.log_tail());
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the bot polls the fake for updates (more than `before` times): by then its
    /// worker consumes and its SIGTERM handler is installed.
    pub async fn wait_until_polling(&mut self, fake: &FakeTelegram, before: u64) {
        let deadline = Instant::now() + STARTUP;
        loop {
            self.assert_running("starting");
            let polls = fake.stats().methods.get("getUpdates").copied().unwrap_or(0);
            if polls > before && self.log().contains("broadcast worker started") {
                return;
            }
            assert!(Instant::now() < deadline, "the bot never started polling\n{}", self.log_tail());
            sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `api_server` binary, built if it is missing or stale: Cargo builds only this crate's own
/// binaries for its tests. It lands next to ours: `target/debug/api_server`.
pub fn api_server_binary() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace directory");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(&cargo)
        .args(["build", "-p", "api_server", "--quiet"])
        .current_dir(workspace)
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("run `{cargo} build -p api_server`: {error}"));
    let deadline = std::time::Instant::now() + BUILD;
    let status = loop {
        if let Some(status) = build.try_wait().expect("wait for cargo build") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = build.kill();
            panic!("`cargo build -p api_server` took longer than {BUILD:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "`cargo build -p api_server` failed: {status}");
    // This test runs as target/debug/deps/<name>-<hash>.
    let exe = std::env::current_exe().expect("the test executable's path");
    let binary = exe.parent().and_then(Path::parent).expect("target/debug").join("api_server");
    assert!(binary.exists(), "no api_server binary at {}", binary.display());
    binary
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("the bound address").port()
}

/// Removes terminal colour sequences (`ESC [ ... letter`), in case the logger writes them.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
