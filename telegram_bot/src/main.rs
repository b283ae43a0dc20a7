//! `telegram_bot`: the candidates' Telegram bot, the reminder scheduler and the broadcast worker.
//! For now it loads the configuration, applies the migrations and waits for the shutdown signal;
//! the service itself is built on top of this start-up.

use std::process::ExitCode;

use core_logic::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env().and_then(|c| {
        c.require_bot_token()?;
        c.require_contact_username()?;
        Ok(c)
    }) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("telegram_bot: {err}");
            return ExitCode::from(2);
        }
    };
    core_logic::telemetry::init(config.log_format);
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("telegram_bot stopped: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let pool = core_logic::db::connect_and_migrate(&config.database_url, 8)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", config.database_url))?;
    tracing::info!(database = %config.database_url, "telegram_bot started; migrations applied");
    core_logic::shutdown::signal().await;
    pool.close().await;
    tracing::info!("telegram_bot stopped cleanly");
    Ok(())
}
