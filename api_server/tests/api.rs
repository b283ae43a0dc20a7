//! Integration tests of every route against the real server on port 0 with its own SQLite file.
#![allow(clippy::unwrap_used)]

#[path = "support/app.rs"]
mod app;

mod api {
    pub mod auth;
    pub mod bad_input;
    pub mod bookings;
    pub mod broadcasts;
    pub mod feeds;
    pub mod headers;
    pub mod inbox;
    pub mod links;
    pub mod live;
    pub mod me;
    pub mod metrics;
    pub mod openapi_walk;
    pub mod roles;
    pub mod slot_calendar;
    pub mod slots;
    pub mod stats;
    pub mod users;
    pub mod vacancies;
    pub mod waitlist;
}
