//! [`PrivateBroker`]: a RabbitMQ node of the test's own, so a test may stop it, start it again
//! and cut its connections without touching the shared broker on 5672 that other tests and
//! engineers use.
//!
//! The node gets a unique name (`tsrmq_<pid>_<n>@localhost`), free ports for AMQP and Erlang
//! distribution, and a directory of its own under `$TMPDIR/test_support-rabbitmq/` holding its
//! data (`RABBITMQ_MNESIA_BASE`), logs, config file, an empty plugins file (so no management
//! plugin port clashes with the shared node), an empty `rabbitmq-env.conf` (the system one names
//! the shared node) and `HOME`, hence its own Erlang cookie: the CLI run here cannot reach the
//! shared node even by mistake. `rabbitmq-server` runs as a child in the foreground;
//! `rabbitmqctl -n <node>` controls it. Stopping and starting keep the data, so persistent
//! messages on durable queues survive.
//!
//! Teardown: on drop; and since a node shared by a test binary lives in a static that is never
//! dropped, a watchdog process stops the node and removes its directory once the test process
//! is gone, however it ended. A node whose owner died without either is removed by the next
//! launch.
//!
//! Here (2 busy cores) a node boots in about 10 s and each CLI call takes about 2 s (it starts an
//! Erlang VM), so a test binary shares one node ([`PrivateBroker::shared`]) and reads queue
//! counts sparingly.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::sync::OnceCell;
use tokio::time::{Instant, sleep, timeout};

/// How long a node may take to boot.
const BOOT: Duration = Duration::from_secs(180);
/// How long a node may take to stop.
const SHUTDOWN: Duration = Duration::from_secs(60);
/// Where the Debian package keeps the scripts themselves; the `/usr/sbin` wrappers would switch
/// to the `rabbitmq` user, who cannot read a root test's directory.
const DEBIAN_SCRIPTS: &str = "/usr/lib/rabbitmq/bin";

/// Ready and unacknowledged messages of one queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCounts {
    pub ready: u64,
    pub unacked: u64,
}

/// A running (or stopped) RabbitMQ node of this test process.
pub struct PrivateBroker {
    ctl: Ctl,
    port: u16,
    /// The `rabbitmq-server` process while the node runs.
    server: Mutex<Option<Child>>,
    watchdog: Mutex<Option<Child>>,
}

/// What every command run against the node needs: cheap to clone into a blocking task.
#[derive(Clone)]
struct Ctl {
    node: String,
    dir: PathBuf,
    env: Vec<(String, String)>,
}

impl PrivateBroker {
    /// One node for the whole test process, launched on first use; stopped by the watchdog when
    /// the process ends. Tests that stop it must start it again (see [`PrivateBroker::start`]).
    pub async fn shared() -> &'static PrivateBroker {
        static SHARED: OnceCell<PrivateBroker> = OnceCell::const_new();
        SHARED.get_or_init(PrivateBroker::launch).await
    }

    /// Launches a new node and waits until it accepts AMQP logins.
    pub async fn launch() -> PrivateBroker {
        sweep_orphans();
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let short = format!("tsrmq_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let dir = base_dir().join(&short);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the node's directory");
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write the node's files");
        write("owner", &std::process::id().to_string());
        for sub in ["home", "mnesia", "log"] {
            std::fs::create_dir_all(dir.join(sub)).expect("create the node's directories");
        }
        write("enabled_plugins", "[].\n");
        write("advanced.config", "[].\n");
        write("rabbitmq-env.conf", "");
        write(
            "rabbitmq.conf",
            "# A node of one test run: see test_support/src/rabbit/private.rs\nlog.file.level = info\n",
        );
        let port = crate::free_port();
        let node = format!("{short}@localhost");
        let path = |name: &str| dir.join(name).display().to_string();
        let env = vec![
            ("HOME".to_owned(), path("home")),
            ("RABBITMQ_NODENAME".to_owned(), node.clone()),
            ("RABBITMQ_NODE_IP_ADDRESS".to_owned(), "127.0.0.1".to_owned()),
            ("RABBITMQ_NODE_PORT".to_owned(), port.to_string()),
            ("RABBITMQ_DIST_PORT".to_owned(), crate::free_port().to_string()),
            ("RABBITMQ_MNESIA_BASE".to_owned(), path("mnesia")),
            ("RABBITMQ_LOG_BASE".to_owned(), path("log")),
            ("RABBITMQ_ENABLED_PLUGINS_FILE".to_owned(), path("enabled_plugins")),
            ("RABBITMQ_CONFIG_FILE".to_owned(), path("rabbitmq.conf")),
            ("RABBITMQ_ADVANCED_CONFIG_FILE".to_owned(), path("advanced.config")),
            ("RABBITMQ_CONF_ENV_FILE".to_owned(), path("rabbitmq-env.conf")),
            ("RABBITMQ_PID_FILE".to_owned(), path("pid")),
            // Erlang distribution on loopback only, like the shared node.
            (
                "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS".to_owned(),
                "-kernel inet_dist_use_interface {127,0,0,1}".to_owned(),
            ),
            ("ERL_EPMD_ADDRESS".to_owned(), "127.0.0.1".to_owned()),
        ];
        let ctl = Ctl { node, dir, env };
        let watchdog = spawn_watchdog(&ctl);
        let broker = PrivateBroker { ctl, port, server: Mutex::new(None), watchdog: Mutex::new(Some(watchdog)) };
        let started = Instant::now();
        broker.start().await;
        println!("private RabbitMQ node {} on port {} booted in {:.1?}", broker.ctl.node, port, started.elapsed());
        broker
    }

    /// `amqp://guest:guest@127.0.0.1:<port>/%2f`.
    pub fn url(&self) -> String {
        format!("amqp://guest:guest@127.0.0.1:{}/%2f", self.port)
    }

    /// The node's name, for `rabbitmqctl -n`.
    pub fn node(&self) -> &str {
        &self.ctl.node
    }

    /// The AMQP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the node's process runs (it may still be booting or stopping).
    pub fn is_running(&self) -> bool {
        let mut server = self.server.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        server.as_mut().is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }

    /// Starts the node (same name, same data) and waits until it accepts AMQP logins; returns
    /// that moment. Does nothing but return now if it runs already.
    pub async fn start(&self) -> Instant {
        if self.is_running() {
            return Instant::now();
        }
        let log = self.ctl.dir.join("log").join("server.out");
        let mut command = self.ctl.command(&script("rabbitmq-server"));
        let out = std::fs::OpenOptions::new().create(true).append(true).open(&log).expect("open the server's log");
        let err = out.try_clone().expect("clone the server's log");
        let child = command.stdout(out).stderr(err).spawn().unwrap_or_else(|error| {
            panic!("start rabbitmq-server ({error}); is RabbitMQ installed (apt-get install rabbitmq-server)?")
        });
        *self.server.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(child);
        let deadline = Instant::now() + BOOT;
        loop {
            assert!(self.is_running(), "the private RabbitMQ node exited while booting\n{}", self.log_tail());
            let probe = async {
                let connection = lapin::Connection::connect(&self.url(), Default::default()).await?;
                connection.close(200, "probe".into()).await
            };
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok()
                && matches!(timeout(Duration::from_secs(5), probe).await, Ok(Ok(())))
            {
                return Instant::now();
            }
            assert!(
                Instant::now() < deadline,
                "the private RabbitMQ node did not boot in {BOOT:?}\n{}",
                self.log_tail()
            );
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the node as an operator would (SIGTERM: a clean shutdown, messages on disk kept)
    /// and waits until its process is gone and its port closed; returns that moment.
    pub async fn stop(&self) -> Instant {
        let Some(mut child) = self.server.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() else {
            return Instant::now();
        };
        // The foreground script traps SIGTERM and stops the VM cleanly.
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let deadline = Instant::now() + SHUTDOWN;
        while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
            sleep(Duration::from_millis(20)).await;
        }
        if matches!(child.try_wait(), Ok(None)) {
            eprintln!("the private RabbitMQ node did not stop within {SHUTDOWN:?}; killing it");
            kill_node(&self.ctl.dir);
            let _ = child.kill();
        }
        let _ = child.wait();
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
            assert!(Instant::now() < deadline, "port {} still open after the node stopped", self.port);
            sleep(Duration::from_millis(20)).await;
        }
        Instant::now()
    }

    /// Closes every client connection (`rabbitmqctl close_all_connections`), as a network cut
    /// or a broker failover would.
    pub async fn close_all_connections(&self) {
        self.ctl_ok(&["close_all_connections", "closed by a fault test"]).await;
    }

    /// Ready and unacknowledged messages of `queue` (`rabbitmqctl list_queues`), `None` if the
    /// queue does not exist.
    pub async fn queue_counts(&self, queue: &str) -> Option<QueueCounts> {
        let output = self
            .ctl_ok(&["list_queues", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged"])
            .await;
        output.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [name, ready, unacked] if *name == queue => {
                    Some(QueueCounts { ready: ready.parse().ok()?, unacked: unacked.parse().ok()? })
                }
                _ => None,
            }
        })
    }

    /// Messages of `queue` delivered to a consumer and not yet acknowledged.
    pub async fn unacked(&self, queue: &str) -> u64 {
        self.queue_counts(queue).await.unwrap_or_else(|| panic!("no queue {queue} on {}", self.node())).unacked
    }

    /// Messages of `queue` waiting for a consumer.
    pub async fn ready(&self, queue: &str) -> u64 {
        self.queue_counts(queue).await.unwrap_or_else(|| panic!("no queue {queue} on {}", self.node())).ready
    }

    /// Runs `rabbitmqctl -n <node> -q <args>` and returns its stdout; panics if it fails.
    pub async fn ctl_ok(&self, args: &[&str]) -> String {
        let output = self.rabbitmqctl(args).await;
        assert!(
            output.status.success(),
            "rabbitmqctl {} failed ({}): {}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs `rabbitmqctl -n <node> -q <args>` on a blocking thread.
    pub async fn rabbitmqctl(&self, args: &[&str]) -> Output {
        let ctl = self.ctl.clone();
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        tokio::task::spawn_blocking(move || {
            let mut command = ctl.command(&script("rabbitmqctl"));
            command.args(["-n", &ctl.node, "-q"]).args(&args).stdin(Stdio::null());
            command.output().expect("run rabbitmqctl")
        })
        .await
        .expect("the rabbitmqctl task")
    }

    /// The end of the node's logs, for failure messages.
    pub fn log_tail(&self) -> String {
        let log_dir = self.ctl.dir.join("log");
        let mut tail = String::new();
        for file in [log_dir.join("server.out"), log_dir.join(format!("{}.log", self.ctl.node))] {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            tail.push_str(&format!("--- the end of {} ---\n", file.display()));
            tail.push_str(&lines[lines.len().saturating_sub(30)..].join("\n"));
            tail.push('\n');
        }
        tail
    }
}

impl Drop for PrivateBroker {
    fn drop(&mut self) {
        if let Some(mut watchdog) = self.watchdog.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        if let Some(mut child) = self.server.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while matches!(child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            kill_node(&self.ctl.dir);
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.ctl.dir);
    }
}

impl Ctl {
    /// A command with the node's environment and no other `RABBITMQ_*` variable.
    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("RABBITMQ_") {
                command.env_remove(name);
            }
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v))).current_dir(&self.dir).stdin(Stdio::null());
        command
    }
}

/// A RabbitMQ script: Debian's unwrapped one if there is one, else whatever `PATH` finds.
fn script(name: &str) -> PathBuf {
    let debian = Path::new(DEBIAN_SCRIPTS).join(name);
    if debian.exists() { debian } else { PathBuf::from(name) }
}

/// Where the nodes' directories live.
fn base_dir() -> PathBuf {
    std::env::temp_dir().join("test_support-rabbitmq")
}

/// Kills the node's VM (its pid from `RABBITMQ_PID_FILE`) if it still runs, checking the pid
/// still belongs to that node: the VM's command line names the node's `HOME`.
fn kill_node(dir: &Path) {
    let Some(pid) = std::fs::read_to_string(dir.join("pid")).ok().map(|pid| pid.trim().to_owned()) else {
        return;
    };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    if String::from_utf8_lossy(&cmdline).contains(&dir.join("home").display().to_string()) {
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    }
}

/// A process that waits for this test process to end, then stops the node and removes its
/// directory: the teardown of a node that lives in a static.
fn spawn_watchdog(ctl: &Ctl) -> Child {
    let script = r#"
        owner=$1; dir=$2
        while kill -0 "$owner" 2>/dev/null; do sleep 1; done
        pid=$(cat "$dir/pid" 2>/dev/null)
        if [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/home"; then
            kill -TERM "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.5
            done
            kill -KILL "$pid" 2>/dev/null
        fi
        rm -rf "$dir"
    "#;
    Command::new("sh")
        .args(["-c", script, "test_support-rabbitmq-watchdog"])
        .arg(std::process::id().to_string())
        .arg(&ctl.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the private broker's watchdog")
}

/// Removes the nodes of test processes that died without their watchdog (killed with it).
fn sweep_orphans() {
    let Ok(entries) = std::fs::read_dir(base_dir()) else { return };
    for entry in entries.flatten() {
        let dir = entry.path();
        // No owner file yet: a launch in another process is writing it.
        let Ok(owner) = std::fs::read_to_string(dir.join("owner")) else { continue };
        if !Path::new(&format!("/proc/{}", owner.trim())).exists() {
            kill_node(&dir);
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
