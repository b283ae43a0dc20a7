//! Processes killed mid-work: the bot three times during a broadcast (on RabbitMQ and on the
//! embedded queue), and `api_server` in the middle of fanning a broadcast out.

use std::time::Duration;

use tokio::time::Instant;

use super::harness::{Run, Setup};

/// Kills at 20%, 45% and 70% of the deliveries sent.
const KILLS_AT_PERCENT: [i64; 3] = [20, 45, 70];

/// Scenarios 1 and 2: the bot SIGKILLed three times during a broadcast and restarted each time.
/// On the embedded queue, 10,000 recipients and the broadcast must complete within 60 s.
pub async fn bot_killed_three_times(rabbitmq: bool) {
    let (name, setup, limit) = if rabbitmq {
        ("s01_bot_killed_3x_rabbitmq", Setup::rabbitmq(3_000, 1_000), Duration::from_secs(120))
    } else {
        ("s02_bot_killed_3x_embedded", Setup::embedded(10_000, 1_000), Duration::from_secs(60))
    };
    let candidates = setup.candidates;
    let mut run = Run::start(name, setup).await;
    let created = Instant::now();
    run.broadcast().await;
    for percent in KILLS_AT_PERCENT {
        run.wait_for_sent(candidates * percent / 100, limit).await;
        run.kill_and_restart_bot().await;
    }
    let allowed = run.in_flight();
    let remaining = limit.saturating_sub(created.elapsed());
    run.details.push(format!("the broadcast must complete within {limit:?} of its creation"));
    run.finish("completed", remaining, allowed).await;
}

/// Scenario 3: `api_server` SIGKILLed while it fans a 10,000-recipient broadcast out, with
/// messages of a batch confirmed by the broker but not yet marked published, then restarted:
/// it publishes that batch again, and those copies must not be sent twice (the bot acks a copy
/// of a delivery another consumer holds).
///
/// The bot is stopped during the fan-out so that the queue's depth is exactly what was
/// published, and the kill comes as soon as messages of a new batch are on the queue unmarked.
/// The server keeps 64 publishes in flight, so about 64 first copies sit right before the
/// republished batch: each copy's twin comes 64 messages later. One bot handles 32 messages
/// at once, which would rarely hold both; three bot instances (a scaled-out bot, which
/// docs/decisions.md allows) do.
pub async fn api_server_killed_mid_fan_out() {
    const RECIPIENTS: i64 = 10_000;
    let mut run = Run::start("s03_api_server_killed_mid_fan_out", Setup::rabbitmq(RECIPIENTS, 1_000)).await;
    run.stack.bot.stop_cleanly().await;
    let depth = run.queues.as_ref().expect("on RabbitMQ").depth().await;
    run.broadcast().await;
    run.wait_for_a_batch_just_begun(&depth).await;
    run.stack.api.sigkill();
    let (marked, copies) = run.marked_and_unmarked(&depth).await;
    run.details.push(format!("killed with {marked} deliveries marked published and {copies} more on the queue"));
    run.stack.restart_api().await;
    run.stack.restart_bot().await;
    let more_bots = run.more_bots(2).await;
    run.finish("completed", Duration::from_secs(120), 0).await;
    drop(more_bots);
}
