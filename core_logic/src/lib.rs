//! The shared core of the interview booking system: the domain, every SQL query, the booking
//! rules, the outbox events and the queue between `api_server` and `telegram_bot`.
//! The services hold no business rules of their own; they translate HTTP or Telegram into calls here.
//! Every function that depends on the time takes `now`, so tests control the clock.

pub mod accounts;
pub mod admins;
pub mod approvals;
pub mod audit;
pub mod batch;
pub mod booking_list;
pub mod bookings;
pub mod broadcast_photos;
pub mod broadcasts;
pub mod candidates;
pub mod config;
pub mod db;
pub mod deliveries;
pub mod delivery_list;
pub mod error;
pub mod feeds;
pub mod funnel;
pub mod ics;
pub mod inbox;
pub mod interviewers;
pub mod invites;
pub mod live;
pub mod models;
pub mod notifications;
pub mod outbox;
pub mod questionnaire;
pub mod queue;
pub mod reminders;
pub mod segments;
pub mod shutdown;
pub mod slot_calendar;
pub mod slot_plan;
pub mod slots;
pub mod stats;
pub mod team;
pub mod telegram_html;
pub mod telegram_link;
pub mod telemetry;
pub mod time;
pub mod vacancies;
pub mod waitlist;

pub use error::{ConflictKind, Error, Result};
