//! The service binaries (`api_server`, `telegram_bot`, `fake_telegram`) where cargo puts them:
//! `$CARGO_TARGET_DIR/debug/` or `<workspace>/target/debug/` (`release/` once
//! [`use_release_binaries`] was called, as the benchmarks do). A binary newer than every source it
//! is built from (its crate's and `core_logic`'s `src/` and `Cargo.toml`, `migrations/`, the
//! workspace `Cargo.toml` and `Cargo.lock`) is used as it is. Otherwise they are built with
//! `cargo build --workspace --all-targets` (the Makefile's build: the same feature resolution as
//! `cargo test --workspace`, so neither build undoes the other's dependencies, which a narrower
//! `--bins -p ...` did, recompiling tokio and everything above it each time; release: `cargo
//! build --release --workspace --bins`, the build `make bench` runs first), once per test process
//! (a `OnceLock`) and once across processes (a file lock in the target directory; whoever waited
//! for it checks again and finds them fresh).
//!
//! `make test` runs `cargo test --workspace` first, which leaves all three fresh, so the build
//! here only happens when a single test is run after editing a service. When cargo finds
//! nothing to rebuild (the newer file changes nothing it uses), the binaries' modification time
//! is set to now, so that later test processes do not ask again.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// How long building the binaries may take.
const BUILD: Duration = Duration::from_secs(900);

/// Whether the release binaries are used instead of the debug ones.
static RELEASE: AtomicBool = AtomicBool::new(false);

/// From now on, this process uses (and if needed builds) the release binaries: for measuring,
/// not for tests. Call it before the first [`Binary::path`].
pub fn use_release_binaries() {
    RELEASE.store(true, Ordering::SeqCst);
}

/// The profile directory the binaries are taken from: `debug` or `release`.
pub fn profile() -> &'static str {
    if RELEASE.load(Ordering::SeqCst) { "release" } else { "debug" }
}

/// A service binary of the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    ApiServer,
    TelegramBot,
    FakeTelegram,
}

impl Binary {
    /// Every binary, in the order they are built and checked.
    pub const ALL: [Binary; 3] = [Binary::ApiServer, Binary::TelegramBot, Binary::FakeTelegram];

    /// The binary's (and its crate's) name.
    pub fn name(self) -> &'static str {
        match self {
            Binary::ApiServer => "api_server",
            Binary::TelegramBot => "telegram_bot",
            Binary::FakeTelegram => "fake_telegram",
        }
    }

    /// The workspace directories whose files it is built from.
    fn sources(self) -> &'static [&'static str] {
        match self {
            Binary::ApiServer => &["api_server", "core_logic", "migrations"],
            Binary::TelegramBot => &["telegram_bot", "core_logic", "migrations"],
            Binary::FakeTelegram => &["fake_telegram"],
        }
    }

    /// The path of an up-to-date binary, building the binaries first if any is stale.
    ///
    /// # Panics
    /// If the build fails or takes longer than 15 minutes.
    pub fn path(self) -> PathBuf {
        static FRESH: OnceLock<()> = OnceLock::new();
        FRESH.get_or_init(ensure_fresh);
        self.location()
    }

    /// Where cargo puts it.
    fn location(self) -> PathBuf {
        target_dir().join(profile()).join(self.name())
    }

    /// Why it must be built, or `None` when it is newer than all its sources.
    fn staleness(self) -> Option<String> {
        let location = self.location();
        let Some(built) = modified(&location) else {
            return Some(format!("{} does not exist", location.display()));
        };
        let workspace = workspace_dir();
        let mut inputs = vec![workspace.join("Cargo.toml"), workspace.join("Cargo.lock")];
        for dir in self.sources() {
            inputs.push(workspace.join(dir).join("Cargo.toml"));
            inputs.push(workspace.join(dir).join("src"));
            if *dir == "migrations" {
                inputs.push(workspace.join(dir));
            }
        }
        let (newest, newest_path) = inputs.iter().filter_map(|path| newest_file(path)).max()?;
        (newest > built).then(|| format!("{} is newer than {}", newest_path.display(), location.display()))
    }
}

/// The workspace's top directory.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("test_support sits in the workspace").to_owned()
}

/// `CARGO_TARGET_DIR` (relative to the workspace when relative), else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_dir().join(dir),
        None => workspace_dir().join("target"),
    }
}

/// Builds the binaries unless all are fresh; under a file lock, so that concurrent test
/// processes build once and the others wait and find them fresh.
fn ensure_fresh() {
    if Binary::ALL.iter().all(|binary| binary.staleness().is_none()) {
        return;
    }
    let profile_dir = target_dir().join(profile());
    std::fs::create_dir_all(&profile_dir).expect("create the target directory");
    let lock_path = profile_dir.join(".test_support-build.lock");
    let lock = File::create(&lock_path).unwrap_or_else(|error| panic!("create {}: {error}", lock_path.display()));
    lock.lock().unwrap_or_else(|error| panic!("lock {}: {error}", lock_path.display()));
    let reasons: Vec<String> = Binary::ALL.iter().filter_map(|binary| binary.staleness()).collect();
    if !reasons.is_empty() {
        build(&reasons);
    }
    drop(lock);
}

fn build(reasons: &[String]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let args: &[&str] = if profile() == "release" {
        // The whole workspace, as `make bench` builds it: the same features, no second build.
        &["build", "--release", "--workspace", "--bins"]
    } else {
        &["build", "--workspace", "--all-targets"]
    };
    eprintln!("test_support: building the service binaries ({}): {cargo} {}", reasons.join("; "), args.join(" "));
    let started = Instant::now();
    let mut command = Command::new(&cargo);
    // What cargo sets for the test process (CARGO_PKG_NAME, CARGO_MANIFEST_DIR, ...) must not
    // reach this build: build scripts that watch such a variable (ring's does) would run again
    // and rebuild everything above them, minutes of work for nothing.
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if set_by_cargo_for_tests(&name_text) {
            command.env_remove(&name);
        }
    }
    let mut child = command
        .args(args)
        .current_dir(workspace_dir())
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("run `{cargo} build`: {error}"));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for cargo build") {
            break status;
        }
        if started.elapsed() > BUILD {
            let _ = child.kill();
            panic!("`{cargo} {}` took longer than {BUILD:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "`{cargo} {}` failed: {status}", args.join(" "));
    eprintln!("test_support: built the service binaries in {:.1?}", started.elapsed());
    for binary in Binary::ALL {
        let location = binary.location();
        assert!(location.exists(), "no {} binary at {} after the build", binary.name(), location.display());
        // Cargo found nothing to rebuild (the newer file changed nothing it uses, e.g. a new
        // workspace member in Cargo.toml): mark the binary checked, or every later test
        // process would run cargo again.
        if binary.staleness().is_some() {
            let file = File::options().write(true).open(&location).expect("open the binary");
            file.set_modified(SystemTime::now()).expect("mark the binary as checked");
        }
    }
}

/// Whether cargo sets `name` for the processes of `cargo test` / `cargo run` (as opposed to
/// configuration such as `CARGO_HOME` or `CARGO_TARGET_DIR`, which the build needs).
fn set_by_cargo_for_tests(name: &str) -> bool {
    const PREFIXES: [&str; 4] = ["CARGO_PKG_", "CARGO_BIN_EXE_", "CARGO_MANIFEST_", "__CARGO"];
    const NAMES: [&str; 6] = [
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
        "OUT_DIR",
    ];
    PREFIXES.iter().any(|prefix| name.starts_with(prefix)) || NAMES.contains(&name)
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|metadata| metadata.modified()).ok()
}

/// The newest modification time of a file, or of any file below a directory, with its path.
fn newest_file(path: &Path) -> Option<(SystemTime, PathBuf)> {
    let metadata = path.metadata().ok()?;
    if !metadata.is_dir() {
        return Some((metadata.modified().ok()?, path.to_owned()));
    }
    std::fs::read_dir(path).ok()?.flatten().filter_map(|entry| newest_file(&entry.path())).max()
}
