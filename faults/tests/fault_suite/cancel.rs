//! An admin cancelling a broadcast while it is being sent.

use std::collections::BTreeSet;
use std::time::Duration;

use test_support::inspect;

use super::harness::{Run, Setup};

/// Scenario 11: the broadcast cancelled through the API mid-send: nothing is sent that was not
/// already in flight (claimed, `sending`) when the API acknowledged the cancel; the rest ends
/// `cancelled`.
pub async fn cancelled_mid_send() {
    const RECIPIENTS: i64 = 2_000;
    let mut run = Run::start("s11_cancelled_mid_send", Setup::rabbitmq(RECIPIENTS, 100)).await;
    run.broadcast().await;
    run.wait_for_sent(RECIPIENTS / 10, Duration::from_secs(60)).await;
    run.stack.admin.cancel_broadcast(run.broadcast_id).await;
    // Claims and the cancel are write transactions, one after the other: once the API answered,
    // no delivery can be claimed any more, and those claimed before are sent or sending.
    let allowed = inspect::delivery_ids_in(&run.stack.db.pool, run.broadcast_id, &["sent", "sending"]).await;
    let sends_at_cancel = run.stack.fake.stats().sends;
    run.stack.wait_for_broadcast(run.broadcast_id, "cancelled", Duration::from_secs(60)).await.ok();
    let sent = inspect::delivery_ids_in(&run.stack.db.pool, run.broadcast_id, &["sent"]).await;
    let late: BTreeSet<i64> = sent.difference(&allowed).copied().collect();
    let sends_after = run.stack.fake.stats().sends - sends_at_cancel;
    run.details.push(format!(
        "{} sent or in flight when the cancel was acknowledged; {sends_after} messages accepted after it",
        allowed.len()
    ));
    if !late.is_empty() {
        run.problems.push(format!("{} deliveries sent after the cancel was acknowledged", late.len()));
    }
    // Who should have a message now: the candidates whose delivery was sent (the cancelled
    // ones got nothing, and are not lost).
    let chats: BTreeSet<i64> = inspect::deliveries(&run.stack.db.pool, run.broadcast_id)
        .await
        .into_iter()
        .filter(|(_, _, status)| status == "sent")
        .map(|(_, chat, _)| chat)
        .collect();
    run.reachable = chats;
    run.finish("cancelled", Duration::from_secs(10), 0).await;
}
