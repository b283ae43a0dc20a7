//! The fault suite (`make faults`): the real `api_server` (with its event worker) and
//! `telegram_bot` (with its broadcast worker) on temporary SQLite files, a RabbitMQ node of the
//! suite's own (started once, shared by the scenarios, stopped and started by some of them; the
//! shared broker on 5672 is never touched) and the fake Telegram Bot API in this process, under
//! the faults DESIGN.md ("Delivery semantics") promises to survive.
//!
//! Each scenario prints one line, `<scenario>: recipients=.. sent=.. lost=.. duplicates=..
//! in_flight_at_kill=.. time_to_resume=.. total=..` (`-` where it does not apply), then fails
//! on any loss (a reachable candidate never sent to, a delivery not final at the end, the
//! broadcast not completed, a message left ready or unacked on the queue) and on duplicates
//! beyond those the promise allows: the deliveries in flight at a kill of the bot (deliveries
//! left `sending` once the killed process is reaped: exactly those whose message may have
//! reached Telegram unrecorded), and none anywhere else.
//!
//! The scenarios run one at a time (`--test-threads=1`, and a lock besides). Where a scenario
//! is about Telegram's limits it uses the real ones (30 messages/s overall, 1/s per chat);
//! elsewhere the bot sends fast and the fake has no limits, to keep the suite short.

mod fault_suite {
    pub mod broker;
    pub mod cancel;
    pub mod crashes;
    pub mod database;
    pub mod harness;
    pub mod queue;
    pub mod report;
    pub mod telegram;
}

use std::future::Future;

use fault_suite::harness::serial;
use fault_suite::{broker, cancel, crashes, database, queue, telegram};

/// Runs one scenario on a runtime of its own, alone (the scenarios share the broker node).
fn scenario(future: impl Future<Output = ()>) {
    let _serial = serial();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a Tokio runtime");
    runtime.block_on(future);
}

#[test]
fn s01_bot_killed_three_times_mid_broadcast_on_rabbitmq() {
    scenario(crashes::bot_killed_three_times(true));
}

#[test]
fn s02_bot_killed_three_times_on_the_embedded_queue_10000_recipients_under_60s() {
    scenario(crashes::bot_killed_three_times(false));
}

#[test]
fn s03_api_server_killed_mid_fan_out_sends_no_copy_twice() {
    scenario(crashes::api_server_killed_mid_fan_out());
}

#[test]
fn s04_broker_stopped_and_started_during_the_fan_out() {
    scenario(broker::stopped_during_the_fan_out());
}

#[test]
fn s05_broker_down_10s_during_sending_resumes_within_2s() {
    scenario(broker::down_for_ten_seconds_during_sending());
}

#[test]
fn s06_broker_connections_dropped_five_times_during_sending() {
    scenario(broker::connections_dropped_five_times());
}

#[test]
fn s07_ten_percent_of_sends_answered_429() {
    scenario(telegram::a_tenth_answered_429());
}

#[test]
fn s08_blocked_and_missing_chats_end_blocked_and_failed() {
    scenario(telegram::blocked_and_missing_chats());
}

#[test]
fn s09_poison_messages_are_dead_lettered_mid_broadcast() {
    scenario(queue::poison_messages_mid_broadcast());
}

#[test]
fn s10_database_write_locked_for_60s_mid_broadcast() {
    scenario(database::write_locked_for_a_minute());
}

#[test]
fn s11_cancel_mid_send_stops_the_broadcast() {
    scenario(cancel::cancelled_mid_send());
}

#[test]
fn s12_both_services_started_together_on_a_fresh_database_20_times() {
    scenario(database::started_together_on_fresh_databases());
}

#[test]
fn s13_services_started_while_the_broker_is_down_wait_for_it() {
    scenario(broker::services_started_while_down());
}

#[test]
fn s14_two_copies_of_one_delivery_consumed_at_once_send_once() {
    scenario(queue::two_copies_in_flight_at_once());
}
