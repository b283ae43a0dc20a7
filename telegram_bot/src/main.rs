//! `telegram_bot`: the candidates' bot, the reminder scheduler and the broadcast worker.

use std::process::ExitCode;

use core_logic::config::Config;
use telegram_bot::app::BotApp;

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
    let result = async {
        // Listening for the signal before the (possibly slow) start, so a stop during it is clean.
        let stop = core_logic::shutdown::signal();
        let app = BotApp::build(config).await?;
        app.run_until_stopped(stop).await
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("telegram_bot stopped: {err:#}");
            ExitCode::FAILURE
        }
    }
}
