//! `api_server`: serves the recruiters' API and the admin panel and runs the event worker.
//!
//! ```text
//! api_server                              serve (configuration from the environment / .env)
//! api_server admin add <username>         create an admin; the password is read from stdin
//! api_server admin set-password <username> reset a password (and end that admin's sessions)
//! api_server healthcheck                   exit 0 when the local server answers /healthz (Docker)
//! api_server backup <file>                 a consistent copy of the database, safe while running
//! ```

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use api_server::Application;
use core_logic::config::Config;

const USAGE: &str =
    "usage: api_server [admin add <username> | admin set-password <username> | healthcheck | backup <file>]";

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("api_server: {err}");
            return ExitCode::from(2);
        }
    };
    core_logic::telemetry::init(config.log_format);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args == ["healthcheck"] {
        return healthcheck(config.api_addr.port());
    }
    let subcommand = !args.is_empty();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => serve(config).await,
        ["admin", "add", username] => admin(config, username, false).await,
        ["admin", "set-password", username] => admin(config, username, true).await,
        ["backup", file] => backup(config, file).await,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A subcommand is run by a person at a terminal: one plain line on stderr says what failed.
        Err(err) if subcommand => {
            eprintln!("api_server: {err:#}");
            ExitCode::FAILURE
        }
        Err(err) => {
            tracing::error!("api_server stopped: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // Listening for the signal before the (possibly slow) start, so a stop during it is clean.
    let stop = core_logic::shutdown::signal();
    let app = Application::build(config).await?;
    app.run_until_stopped(stop).await
}

/// Creates an admin or resets a password; the password comes from stdin (one line), so it never
/// shows in the shell history or the process list.
async fn admin(config: Config, username: &str, reset: bool) -> anyhow::Result<()> {
    let pool = core_logic::db::connect_and_migrate(&config.database_url, 2).await.context("open the database")?;
    eprintln!("password for {username} ({}), then Enter:", core_logic::admins::PASSWORD_ADVICE);
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password).context("read the password")?;
    let password = password.trim_end_matches(['\r', '\n']);
    if let Some(problem) = core_logic::admins::password_problem(username, password) {
        anyhow::bail!("the password {problem}; use {}", core_logic::admins::PASSWORD_ADVICE);
    }
    let now = chrono::Utc::now();
    let admin = if reset {
        core_logic::admins::set_password(&pool, username, password, now).await?
    } else {
        core_logic::admins::create(&pool, username, password, now).await?
    };
    println!("{} admin {}", if reset { "updated" } else { "created" }, admin.username);
    Ok(())
}

/// A dependency-free HTTP probe of `/healthz` on this host, for container health checks (the
/// runtime image has no curl).
fn healthcheck(port: u16) -> ExitCode {
    use std::io::{Read, Write};
    let probe = || -> std::io::Result<bool> {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let mut stream = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(3))?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(3)))?;
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head)?;
        Ok(head.starts_with(b"HTTP/1.1 200"))
    };
    match probe() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("healthcheck: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Writes a consistent copy of the live database to `file` (SQLite `VACUUM INTO`: a snapshot
/// taken inside one read transaction, so the services keep running).
async fn backup(config: Config, file: &str) -> anyhow::Result<()> {
    if std::path::Path::new(file).exists() {
        anyhow::bail!("{file} already exists; choose a new file name");
    }
    let pool = core_logic::db::connect(&config.database_url, 1).await.context("open the database")?;
    sqlx::query("VACUUM INTO ?").bind(file).execute(&pool).await.with_context(|| format!("back up to {file}"))?;
    println!("backed up {} to {file}", config.database_url);
    Ok(())
}
