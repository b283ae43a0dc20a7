//! What arrives on the queue: poison messages in the middle of a broadcast, and two copies of
//! one delivery in flight at once.

use std::time::Duration;

use core_logic::queue::QueueMessage;
use test_support::{inspect, wait};

use super::harness::{Run, Setup};

/// Scenario 9: invalid JSON, an unknown version and an unknown delivery id published onto the
/// queue mid-broadcast: all three dead-lettered, the broadcast completes.
pub async fn poison_messages_mid_broadcast() {
    const RECIPIENTS: i64 = 2_000;
    let mut run = Run::start("s09_poison_messages", Setup::rabbitmq(RECIPIENTS, 300)).await;
    let broker = run.broker.expect("on RabbitMQ");
    run.broadcast().await;
    run.wait_for_sent(RECIPIENTS / 5, Duration::from_secs(60)).await;
    let queues = run.queues.as_ref().expect("on RabbitMQ");
    let queue = queues.connect().await;
    let poison: [&[u8]; 3] = [b"{not json", br#"{"v":99,"delivery_id":1}"#, br#"{"v":1,"delivery_id":999999999}"#];
    for body in poison {
        queue.publish(body).await.expect("publish a poison message");
    }
    let dead_letter_queue = queues.dead_letter_name();
    run.stack.wait_for_broadcast(run.broadcast_id, "completed", Duration::from_secs(60)).await.ok();
    let dead = broker.queue_counts(&dead_letter_queue).await.map(|counts| counts.ready);
    run.details.push(format!("dead-lettered: {dead:?} of 3 poison messages"));
    if dead != Some(3) {
        run.problems.push(format!("{dead:?} messages in {dead_letter_queue}, expected the 3 poison ones"));
    }
    run.finish("completed", Duration::from_secs(10), 0).await;
}

/// Scenario 14: a second copy of each delivery published while the bot is sending the first
/// (the fake answers after 3 s, so the first copies are in flight: their deliveries `sending`):
/// the copies are consumed at once beside the originals, and each chat gets exactly one message.
pub async fn two_copies_in_flight_at_once() {
    const RECIPIENTS: i64 = 10;
    let mut run = Run::start("s14_two_copies_in_flight", Setup::rabbitmq(RECIPIENTS, 1_000)).await;
    run.stack.fake.set_delay(Duration::from_secs(3));
    run.broadcast().await;
    let (pool, id) = (&run.stack.db.pool, run.broadcast_id);
    let ids = wait::until("the first copies all in flight", Duration::from_secs(30), || async move {
        let sending = inspect::delivery_ids_in(pool, id, &["sending"]).await;
        if sending.len() == usize::try_from(RECIPIENTS).expect("a count") { Ok(sending) } else { Err(sending) }
    })
    .await;
    let queue = run.queues.as_ref().expect("on RabbitMQ").connect().await;
    for id in ids {
        queue.publish_message(&QueueMessage::new(id)).await.expect("publish a second copy");
    }
    run.details.push(format!("{RECIPIENTS} second copies published while the first were in flight"));
    run.finish("completed", Duration::from_secs(60), 0).await;
}
