//! `api_server`: the recruiters' REST API (axum) and the event worker that fans broadcasts out
//! onto the queue. Handlers only translate HTTP into `core_logic` calls.

pub mod auth;
pub mod calendar_cache;
pub mod client_ip;
pub mod error;
pub mod event_worker;
pub mod health;
pub mod live;
pub mod login_throttle;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod security_headers;
pub mod startup;
pub mod state;

pub use startup::Application;
