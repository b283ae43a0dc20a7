//! A service binary running as a child process: started with only the environment the test
//! gives (no `.env` is found from its temporary directory), its stdout and stderr in files
//! beside the database, stopped with SIGTERM or SIGKILL (or frozen with SIGSTOP), checked for a
//! clean exit, and waited on until it serves (`/healthz`), is ready (`/readyz`) or polls the fake
//! Telegram. Killed when dropped, so a failing test leaves no process behind.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use fake_telegram::FakeTelegram;
use tokio::time::{Instant, sleep, timeout};

/// How long a service may take to start answering.
pub const STARTUP: Duration = Duration::from_secs(60);
/// How long a service may take to stop after SIGTERM.
pub const STOP: Duration = Duration::from_secs(10);
/// How many lines of its log a failure message shows.
const TAIL_LINES: usize = 60;

/// A running service process.
pub struct Service {
    pub name: String,
    program: PathBuf,
    dir: PathBuf,
    env: Vec<(String, String)>,
    child: Child,
    logs: [PathBuf; 2],
}

impl Service {
    /// Starts `program` in `dir` with exactly `env`; its logs are `<dir>/<name>.std{out,err}.log`.
    pub fn spawn(name: &str, program: &Path, dir: &Path, env: &[(&str, String)]) -> Self {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        Self::start(name.to_owned(), program.to_owned(), dir.to_owned(), env)
    }

    /// Starts the same program with the same environment again under another name (for its
    /// logs), e.g. after this one was killed.
    pub fn respawn(&self, name: &str) -> Self {
        Self::start(name.to_owned(), self.program.clone(), self.dir.clone(), self.env.clone())
    }

    fn start(name: String, program: PathBuf, dir: PathBuf, env: Vec<(String, String)>) -> Self {
        let stdout = dir.join(format!("{name}.stdout.log"));
        let stderr = dir.join(format!("{name}.stderr.log"));
        let child = Command::new(&program)
            // Only what the test sets, and no `.env` to find from the temporary directory.
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("create the stdout log"))
            .stderr(File::create(&stderr).expect("create the stderr log"))
            .spawn()
            .unwrap_or_else(|error| panic!("start {}: {error}", program.display()));
        Self { name, program, dir, env, child, logs: [stdout, stderr] }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status, if the process has ended.
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
        let tail = lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n");
        format!("--- the last lines of {}'s log ---\n{tail}", self.name)
    }

    /// The lines of its log at level ERROR.
    pub fn error_lines(&self) -> Vec<String> {
        self.log().lines().filter(|line| line.contains(" ERROR ")).map(str::to_owned).collect()
    }

    /// Fails the test with the log if the process has ended.
    pub fn assert_running(&mut self, while_: &str) {
        if let Some(status) = self.exited() {
            panic!("{} exited ({status}) while {while_}\n{}", self.name, self.log_tail());
        }
    }

    /// SIGKILL, and waits until the process is gone (so the database shows what it left).
    pub fn sigkill(&mut self) {
        // On Unix `Child::kill` sends SIGKILL.
        self.child.kill().expect("SIGKILL the process");
        self.child.wait().expect("reap the killed process");
    }

    /// SIGTERM: asks the process to stop cleanly.
    pub fn sigterm(&self) {
        self.signal("TERM");
    }

    /// SIGSTOP: freezes the process where it is (as a long GC pause or a suspended VM would),
    /// until [`Service::resume`].
    pub fn pause(&self) {
        self.signal("STOP");
    }

    /// SIGCONT: lets a paused process run on.
    pub fn resume(&self) {
        self.signal("CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.pid().to_string()])
            .status()
            .unwrap_or_else(|error| panic!("run kill -{signal}: {error}"));
        assert!(status.success(), "kill -{signal} {} failed: {status}", self.name);
    }

    /// Waits up to `limit` for the process to end.
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
        let errors = self.error_lines();
        assert!(errors.is_empty(), "{} logged errors: {errors:#?}", self.name);
    }

    /// SIGTERM, then [`Service::assert_clean_exit`].
    pub async fn stop_cleanly(&mut self) {
        let signalled = Instant::now();
        self.sigterm();
        self.assert_clean_exit(signalled).await;
    }

    /// Waits until `http://127.0.0.1:<port><path>` answers 200, failing if the process ends or
    /// [`STARTUP`] passes.
    async fn wait_for_200(&mut self, port: u16, path: &str) {
        let url = format!("http://127.0.0.1:{port}{path}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + STARTUP;
        loop {
            self.assert_running(&format!("waiting for {path}"));
            if let Ok(Ok(response)) = timeout(Duration::from_secs(2), client.get(&url).send()).await
                && response.status().is_success()
            {
                return;
            }
            assert!(Instant::now() < deadline, "{url} never answered 200\n{}", self.log_tail());
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the API answers `/healthz` (alive, and its SIGTERM handler installed).
    pub async fn wait_until_healthy(&mut self, port: u16) {
        self.wait_for_200(port, "/healthz").await;
    }

    /// Waits until the API answers `/readyz` with 200 (its database and queue reachable).
    pub async fn wait_until_ready(&mut self, port: u16) {
        self.wait_for_200(port, "/readyz").await;
    }

    /// Waits until the bot has called getUpdates on the fake more than `before` times and its
    /// broadcast worker logged that it started: by then it consumes the queue and its SIGTERM
    /// handler is installed.
    pub async fn wait_until_polling(&mut self, fake: &FakeTelegram, before: u64) {
        let deadline = Instant::now() + STARTUP;
        loop {
            self.assert_running("starting");
            if polls(fake) > before && self.log().contains("broadcast worker started") {
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

/// How many times a bot has called getUpdates on the fake so far.
pub fn polls(fake: &FakeTelegram) -> u64 {
    fake.stats().methods.get("getUpdates").copied().unwrap_or(0)
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
