//! Database tests of the domain on real temporary SQLite files: booking rules, reminders,
//! broadcasts, deliveries, candidates, property tests and a concurrency test.
#![allow(clippy::unwrap_used)]

mod domain {
    pub mod admins;
    pub mod booking_rules;
    pub mod boundaries;
    pub mod broadcast_composer;
    pub mod broadcasts;
    pub mod campaigns;
    pub mod candidates;
    pub mod concurrency;
    pub mod delivery_states;
    pub mod inbox;
    pub mod interviewers;
    pub mod properties;
    pub mod reminders;
    pub mod slot_calendar;
    pub mod support;
    pub mod telegram_link;
    pub mod vacancies;
    pub mod waitlist;
}
