//! A fake Telegram Bot API server speaking real HTTP on 127.0.0.1, for testing the bot.
//!
//! Start one with [`FakeTelegram::start`], point teloxide at [`FakeTelegram::url`]
//! (`Bot::new(token).set_api_url(url)`), make users write with
//! [`FakeTelegram::user_sends_text`] and read what the bot answered with
//! [`FakeTelegram::sent`] or [`FakeTelegram::wait_for`]. Flood limits and faults (blocked
//! chats, 5xx, slow answers, a ratio of 429s) are off until a test asks for them. A bot in another process is
//! driven the same way over HTTP with [`ControlClient`].

mod control;
mod fake;
mod limits;
mod methods;
mod params;
mod ratio;
mod server;
mod state;
mod types;

pub use control::{ButtonPress, ControlClient, FaultsRequest, UserMessage};
pub use fake::FakeTelegram;
pub use limits::Limits;
pub use ratio::TooManyRequestsRatio;
pub use state::{CallbackAnswer, FailNext, RegisteredCommand, SentDocument, SentMessage, Stats};
pub use types::{BOT_FIRST_NAME, BOT_USER_ID, BOT_USERNAME, FakeUser};
