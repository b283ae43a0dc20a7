//! Starting and stopping the bot: the dispatcher (long polling), the reminder scheduler and the
//! broadcast worker side by side, all stopped cleanly on the shutdown signal.

use std::sync::Arc;

use anyhow::Context;
use core_logic::config::Config;
use core_logic::queue::Queue;
use sqlx::SqlitePool;
use teloxide::prelude::*;
use teloxide::types::BotCommand;
use tokio::sync::watch;

use crate::broadcast_worker::BroadcastWorker;
use crate::handlers::{self, BotState};
use crate::reminders::ReminderScheduler;
use crate::sender::RateLimiter;
use crate::texts::Lang;

/// A bot ready to run.
pub struct BotApp {
    pub bot: Bot,
    pub pool: SqlitePool,
    pub queue: Queue,
    pub config: Arc<Config>,
}

impl BotApp {
    /// Opens the database (applying migrations), connects the queue and builds the Bot API client.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let token = config.require_bot_token()?.to_owned();
        config.require_contact_username()?;
        let pool = core_logic::db::connect_and_migrate(&config.database_url, 16)
            .await
            .with_context(|| format!("cannot open the database {}", config.database_url))?;
        // RabbitMQ is connected on first use; the broadcast worker's consumer keeps trying
        // (logging each attempt) while the broker is down.
        let queue = Queue::from_config(&config, &pool);
        let mut bot = Bot::new(token);
        if let Some(api) = &config.telegram_api_url {
            bot = bot.set_api_url(url::Url::parse(api).context("TELEGRAM_API_URL is not a URL")?);
        }
        Ok(Self { bot, pool, queue, config: Arc::new(config) })
    }

    /// Registers the command list with Telegram, in Russian and English.
    pub async fn register_commands(&self) -> anyhow::Result<()> {
        for (lang, code) in [(Lang::Ru, None), (Lang::En, Some("en"))] {
            let commands: Vec<BotCommand> = lang.t().commands.iter().map(|(c, d)| BotCommand::new(*c, *d)).collect();
            let mut req = self.bot.set_my_commands(commands);
            if let Some(code) = code {
                req = req.language_code(code);
            }
            req.await.context("setMyCommands")?;
        }
        Ok(())
    }

    /// Runs everything until `shutdown` resolves, then stops the dispatcher, lets the workers
    /// finish what is in flight and closes the database.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let me = self.bot.get_me().await.context("the Bot API did not answer getMe (check TELEGRAM_BOT_TOKEN)")?;
        tracing::info!(bot = %me.username(), queue = self.queue.backend(), "telegram_bot started");
        // The panel builds t.me links with it (an admin's one-time Telegram link).
        if let Err(err) =
            core_logic::telegram_link::set_bot_username(&self.pool, me.username(), chrono::Utc::now()).await
        {
            tracing::warn!(error = %err, "could not record the bot's username");
        }
        if let Err(err) = self.register_commands().await {
            tracing::warn!(error = %format!("{err:#}"), "could not register the command list");
        }
        let limiter = Arc::new(RateLimiter::new(self.config.broadcast_rate_per_sec, self.config.per_chat_interval));
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = BroadcastWorker::new(
            self.bot.clone(),
            self.pool.clone(),
            self.queue.clone(),
            Arc::clone(&limiter),
            self.config.timezone,
        )
        .paid(self.config.broadcast_paid);
        if let Some(warning) = self.config.broadcast_rate_warning() {
            tracing::warn!(rate = self.config.broadcast_rate_per_sec, paid = self.config.broadcast_paid, "{warning}");
        }
        let worker = tokio::spawn(worker.run(stop_rx.clone()));
        let waitlist_rules = &self.config.booking.waitlist;
        let scheduler = ReminderScheduler {
            bot: self.bot.clone(),
            pool: self.pool.clone(),
            limiter,
            tz: self.config.timezone,
            release_before: waitlist_rules.release_unconfirmed.then_some(waitlist_rules.reconfirm_deadline),
        };
        let scheduler = tokio::spawn(scheduler.run(stop_rx.clone()));
        let team = crate::team_jobs::TeamJobs {
            pool: self.pool.clone(),
            tz: self.config.timezone,
            agenda_time: self.config.agenda_time,
        };
        let team = tokio::spawn(team.run(stop_rx.clone()));
        let waitlist =
            crate::waitlist_jobs::WaitlistJobs { pool: self.pool.clone(), rules: self.config.booking.clone() };
        let waitlist = tokio::spawn(waitlist.run(stop_rx));
        let state = BotState::new(self.pool.clone(), Arc::clone(&self.config));
        // teloxide's default distribution: updates of one chat in order, one worker per chat, and
        // the chats side by side. Nothing here serialises users: the handlers share no lock; their
        // writes (registering the caller, the one write of `/start`; a booking) wait only for the
        // process's short write turn (core_logic::db).
        let mut dispatcher = Dispatcher::builder(self.bot.clone(), handlers::schema())
            .dependencies(dptree::deps![state])
            .default_handler(|_| async {})
            .error_handler(LoggingErrorHandler::with_custom_text("update handling failed"))
            .build();
        let token = dispatcher.shutdown_token();
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
            // The dispatcher may still be starting; retry until it accepts the request.
            loop {
                match token.shutdown() {
                    Ok(done) => {
                        done.await;
                        break;
                    }
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                }
            }
        });
        dispatcher.dispatch().await;
        match worker.await {
            Ok(Err(err)) => tracing::error!(error = %format!("{err:#}"), "broadcast worker failed"),
            Err(err) => tracing::error!(%err, "broadcast worker task ended abnormally"),
            Ok(Ok(())) => {}
        }
        if let Err(err) = scheduler.await {
            tracing::error!(%err, "reminder task ended abnormally");
        }
        if let Err(err) = team.await {
            tracing::error!(%err, "team task ended abnormally");
        }
        if let Err(err) = waitlist.await {
            tracing::error!(%err, "waitlist task ended abnormally");
        }
        self.pool.close().await;
        tracing::info!("telegram_bot stopped cleanly");
        Ok(())
    }
}
