//! `telegram_bot`: the candidates' Telegram bot (teloxide), the reminder scheduler and the
//! broadcast worker. Handlers only translate Telegram into `core_logic` calls.

pub mod app;
pub mod broadcast_worker;
pub mod callback;
pub mod handlers;
pub use core_logic::ics;
pub mod keyboards;
pub mod reminders;
pub mod sender;
pub mod team_jobs;
pub mod texts;
pub mod waitlist_jobs;
