//! The shared core of the interview booking system: the domain, every SQL query, the booking
//! rules, the outbox events and the queue between `api_server` and `telegram_bot`.
//! The services hold no business rules of their own; they translate HTTP or Telegram into calls here.

pub mod db;
pub mod error;
pub mod queue;

pub use error::{ConflictKind, Error, Result};
