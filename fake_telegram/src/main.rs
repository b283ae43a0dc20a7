//! `fake_telegram [--addr 127.0.0.1:8081]`: runs the fake Telegram Bot API server by hand, until
//! Ctrl-C. Each Bot API call is logged at debug level (`RUST_LOG` overrides the filter).

use std::net::SocketAddr;

use anyhow::{Context, bail};
use fake_telegram::FakeTelegram;
use tracing_subscriber::EnvFilter;

const DEFAULT_ADDR: &str = "127.0.0.1:8081";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,fake_telegram=debug"));
    tracing_subscriber::fmt().with_env_filter(filter).init();

    let addr = parse_addr(std::env::args().skip(1))?;
    let fake = FakeTelegram::start_on(addr).await.with_context(|| format!("can't listen on {addr}"))?;
    println!("fake Telegram Bot API listening on {}", fake.url());
    println!("  run the bot with TELEGRAM_API_URL={} TELEGRAM_BOT_TOKEN=123:fake", fake.url());
    println!("  control routes under {}/_control/ (see fake_telegram/README.md)", fake.url());

    tokio::signal::ctrl_c().await.context("can't wait for Ctrl-C")?;
    tracing::info!("stopping");
    Ok(())
}

/// Reads `--addr HOST:PORT` (or `--addr=HOST:PORT`); the default is 127.0.0.1:8081.
fn parse_addr(mut args: impl Iterator<Item = String>) -> anyhow::Result<SocketAddr> {
    let mut addr = DEFAULT_ADDR.to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().context("--addr needs a value, e.g. --addr 127.0.0.1:8081")?,
            "-h" | "--help" => {
                println!("usage: fake_telegram [--addr {DEFAULT_ADDR}]");
                std::process::exit(0);
            }
            other => match other.strip_prefix("--addr=") {
                Some(value) => addr = value.to_owned(),
                None => bail!("unknown argument {other:?}; usage: fake_telegram [--addr {DEFAULT_ADDR}]"),
            },
        }
    }
    addr.parse().with_context(|| format!("{addr:?} is not an address like {DEFAULT_ADDR}"))
}
