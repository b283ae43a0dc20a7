//! The fault suite lives in `tests/fault_suite.rs` (run it with `make faults`): the real
//! `api_server` and `telegram_bot` binaries, a RabbitMQ node of the suite's own and the fake
//! Telegram Bot API, under crashes, broker outages, dropped connections, Telegram errors, poison
//! messages, a locked database and a race of migrations. This library is empty; the crate exists
//! so that the suite is a workspace member with its own `cargo test -p faults`.
