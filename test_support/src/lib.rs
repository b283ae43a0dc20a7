//! What the end-to-end and fault tests share, so that each test says what it checks and not how
//! to run a process: the service binaries found (or built once) in the target directory
//! ([`binaries`]), running them with their logs captured ([`service`]), a temporary SQLite
//! database with candidates ([`seed`]) and reading it back ([`inspect`]), what the fake Telegram
//! received against who should have got it ([`sends`]), an admin's HTTP client
//! ([`admin`]), both services and the fake Telegram started together ([`stack`]), RabbitMQ
//! queues private to a test and whole private RabbitMQ nodes ([`rabbit`]), draining a queue
//! ([`queue`]), and waiting for a state rather than for a time ([`wait`]).
//!
//! A dev-dependency only (of `api_server`, `telegram_bot` and `faults`); it panics with a
//! message instead of returning errors, as test code does.

pub mod admin;
pub mod binaries;
pub mod inspect;
pub mod queue;
pub mod rabbit;
pub mod seed;
pub mod sends;
pub mod service;
pub mod stack;
pub mod wait;

/// The broker the tests use unless `RABBITMQ_URL` names another: the shared node on this host.
pub const DEFAULT_RABBITMQ_URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

/// `RABBITMQ_URL`, else [`DEFAULT_RABBITMQ_URL`].
pub fn rabbitmq_url() -> String {
    std::env::var("RABBITMQ_URL").unwrap_or_else(|_| DEFAULT_RABBITMQ_URL.to_owned())
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("the bound address").port()
}

/// A name no other test of this run (or of a concurrent run) uses: `<prefix>_<pid>_<n>_<nanos>`.
pub fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970").subsec_nanos();
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}
