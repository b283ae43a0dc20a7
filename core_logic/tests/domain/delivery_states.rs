//! The delivery state machine, table-driven: every state a delivery can be in when a queue
//! message for it arrives, against both ways of claiming (`claim` one, `claim_many` a batch),
//! with what the claim answers and the state it leaves behind.

use chrono::{DateTime, Duration, Utc};
use core_logic::broadcasts::{self, NewBroadcast};
use core_logic::deliveries::{self, Claim, LEASE};
use core_logic::models::DeliveryStatus;
use core_logic::segments::Segment;

use super::support::{TestDb, t0};

/// The instant the claims are made at.
fn now() -> DateTime<Utc> {
    t0() + Duration::hours(1)
}

fn lease() -> Duration {
    Duration::from_std(LEASE).unwrap()
}

/// What the delivery, its broadcast and its candidate look like when the claim comes.
#[derive(Debug, Clone, Copy)]
struct State {
    status: &'static str,
    /// `lease_until` relative to the claim, in seconds; `None`: no lease.
    lease_until: Option<i64>,
    broadcast_cancelled: bool,
    /// The candidate's status (`active`, `blocked`, `unreachable`).
    candidate: &'static str,
    /// A notification (no broadcast) rather than a broadcast delivery.
    notification: bool,
}

const fn state(status: &'static str) -> State {
    State { status, lease_until: None, broadcast_cancelled: false, candidate: "active", notification: false }
}

const fn leased(status: &'static str, secs: i64) -> State {
    State { lease_until: Some(secs), ..state(status) }
}

/// What the claim must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Claimed: `sending` under a new lease of [`LEASE`] from now.
    Send,
    /// Skipped, the delivery left in (or put into) this status.
    Skip(DeliveryStatus),
    /// Another holder's lease, valid until `now + secs`.
    Leased(i64),
}

fn cases() -> Vec<(&'static str, State, Expect)> {
    use DeliveryStatus::*;
    use Expect::*;
    let lease = LEASE.as_secs() as i64;
    let stopped = |s: State| State { broadcast_cancelled: true, ..s };
    let to = |candidate, s: State| State { candidate, ..s };
    vec![
        ("pending (not yet published)", state("pending"), Send),
        ("published", state("published"), Send),
        ("published notification", State { notification: true, ..state("published") }, Send),
        ("sending, lease valid for its whole term", leased("sending", lease), Leased(lease)),
        ("sending, lease valid one more second", leased("sending", 1), Leased(1)),
        ("sending, lease ends this second", leased("sending", 0), Send),
        ("sending, lease ended a second ago", leased("sending", -1), Send),
        ("sending, lease long expired", leased("sending", -3600), Send),
        ("sending without a lease (older version)", state("sending"), Send),
        ("sent", state("sent"), Skip(Sent)),
        ("failed", state("failed"), Skip(Failed)),
        ("blocked", state("blocked"), Skip(Blocked)),
        ("cancelled", state("cancelled"), Skip(Cancelled)),
        ("pending of a cancelled broadcast", stopped(state("pending")), Skip(Cancelled)),
        ("published of a cancelled broadcast", stopped(state("published")), Skip(Cancelled)),
        ("sending under a valid lease, broadcast cancelled", stopped(leased("sending", lease)), Skip(Cancelled)),
        ("sending, expired lease, broadcast cancelled", stopped(leased("sending", -1)), Skip(Cancelled)),
        ("sent of a cancelled broadcast", stopped(state("sent")), Skip(Sent)),
        ("failed of a cancelled broadcast", stopped(state("failed")), Skip(Failed)),
        ("published to a candidate who blocked the bot", to("unreachable", state("published")), Skip(Cancelled)),
        ("published to a candidate an admin blocked", to("blocked", state("published")), Skip(Cancelled)),
        ("sending, valid lease, candidate unreachable", to("unreachable", leased("sending", lease)), Skip(Cancelled)),
        ("sent to a candidate now unreachable", to("unreachable", state("sent")), Skip(Sent)),
        (
            "notification to an unreachable candidate",
            to("unreachable", State { notification: true, ..state("published") }),
            Skip(Cancelled),
        ),
    ]
}

/// Writes one delivery per case (each to a candidate of its own), in the case's state.
async fn arrange(db: &TestDb, cases: &[(&'static str, State, Expect)]) -> Vec<i64> {
    let live = NewBroadcast::new("Новые слоты", Segment::All);
    let live = broadcasts::create(&db.pool, None, &live, t0()).await.unwrap();
    let stopped = NewBroadcast::new("Отменённая", Segment::All);
    let stopped = broadcasts::create(&db.pool, None, &stopped, t0()).await.unwrap();
    broadcasts::cancel(&db.pool, None, stopped.id, t0()).await.unwrap();
    let mut ids = Vec::new();
    for (n, (_, s, _)) in (1..).zip(cases) {
        let c = db.candidate(n).await;
        let (kind, broadcast, notification) = match (s.notification, s.broadcast_cancelled) {
            (true, _) => ("notification", None, Some(r#"{"type":"test","text":"x"}"#)),
            (false, false) => ("broadcast", Some(live.id), None),
            (false, true) => ("broadcast", Some(stopped.id), None),
        };
        let lease_until = s.lease_until.map(|secs| (now() + Duration::seconds(secs)).timestamp());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO deliveries (kind, broadcast_id, candidate_id, notification, status, lease_token, lease_until,
                                     created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE 'another-holder' END, ?, ?, ?) RETURNING id",
        )
        .bind(kind)
        .bind(broadcast)
        .bind(c.id)
        .bind(notification)
        .bind(s.status)
        .bind(lease_until)
        .bind(lease_until)
        .bind(t0().timestamp())
        .bind(t0().timestamp())
        .fetch_one(&db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE candidates SET status = ? WHERE id = ?")
            .bind(s.candidate)
            .bind(c.id)
            .execute(&db.pool)
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

/// Checks one claim and the row it left against the case.
async fn check(db: &TestDb, name: &str, id: i64, claim: &Claim, expect: Expect) {
    let row = deliveries::get(&db.pool, id).await.unwrap();
    match (expect, claim) {
        (Expect::Send, Claim::Send(d)) => {
            assert_eq!(d.id, id, "{name}");
            assert_eq!(row.status, DeliveryStatus::Sending, "{name}");
            assert_eq!(row.attempts, 1, "{name}: one more attempt");
            let until: Option<i64> = sqlx::query_scalar("SELECT lease_until FROM deliveries WHERE id = ?")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(until, Some((now() + lease()).timestamp()), "{name}: a fresh lease");
            assert_ne!(d.lease, "another-holder", "{name}: a new token");
        }
        (Expect::Skip(status), Claim::Skip(got)) => {
            assert_eq!(*got, status, "{name}");
            assert_eq!(row.status, status, "{name}: the row");
            assert_eq!(row.attempts, 0, "{name}: not attempted");
        }
        (Expect::Leased(secs), Claim::Leased { until }) => {
            assert_eq!(*until, now() + Duration::seconds(secs), "{name}");
            assert_eq!(row.status, DeliveryStatus::Sending, "{name}: left to its holder");
            assert_eq!(row.attempts, 0, "{name}: not attempted again");
        }
        (expect, claim) => panic!("{name}: expected {expect:?}, got {claim:?}"),
    }
}

#[tokio::test]
async fn claiming_one_delivery_answers_each_state_as_the_state_machine_says() {
    let db = TestDb::new().await;
    let cases = cases();
    let ids = arrange(&db, &cases).await;

    for ((name, _, expect), id) in cases.iter().zip(&ids) {
        let claim = deliveries::claim(&db.pool, *id, now()).await.unwrap();
        check(&db, name, *id, &claim, *expect).await;
    }
}

#[tokio::test]
async fn claiming_every_state_in_one_batch_answers_each_as_alone_in_order() {
    let db = TestDb::new().await;
    let cases = cases();
    let ids = arrange(&db, &cases).await;
    // Reversed, with an id that does not exist in the middle: the answers follow the order given.
    let mut batch: Vec<i64> = ids.iter().rev().copied().collect();
    batch.insert(batch.len() / 2, 999_999);

    let claims = deliveries::claim_many(&db.pool, &batch, now()).await.unwrap();

    assert_eq!(claims.len(), batch.len());
    for (id, claim) in batch.iter().zip(&claims) {
        match cases.iter().zip(&ids).find(|(_, case_id)| *case_id == id) {
            Some(((name, _, expect), _)) => check(&db, name, *id, claim, *expect).await,
            None => assert_eq!(*claim, Claim::NotFound, "an unknown id"),
        }
    }
}

#[tokio::test]
async fn a_claim_of_an_unknown_delivery_is_not_found() {
    let db = TestDb::new().await;

    assert_eq!(deliveries::claim(&db.pool, 424_242, now()).await.unwrap(), Claim::NotFound);
    assert_eq!(deliveries::claim_many(&db.pool, &[], now()).await.unwrap(), Vec::<Claim>::new());
}

#[tokio::test]
async fn a_claimed_delivery_claimed_again_is_leased_until_its_lease_runs_out_then_taken_over() {
    let db = TestDb::new().await;
    let case = [("published", state("published"), Expect::Send)];
    let id = arrange(&db, &case).await[0];
    let first = deliveries::claim(&db.pool, id, now()).await.unwrap();
    assert!(matches!(first, Claim::Send(_)), "{first:?}");

    let secs = LEASE.as_secs() as i64;
    let mut got = Vec::new();
    for delta in [secs - 1, secs] {
        got.push(deliveries::claim(&db.pool, id, now() + Duration::seconds(delta)).await.unwrap());
    }

    assert_eq!(got[0], Claim::Leased { until: now() + lease() }, "one second before the lease ends");
    assert!(matches!(&got[1], Claim::Send(d) if d.attempts == 2), "when it ends: {:?}", got[1]);
}

#[tokio::test]
async fn only_pending_deliveries_are_marked_published_and_then_no_longer_wait_for_the_fan_out() {
    let db = TestDb::new().await;
    let cases = [
        ("pending", state("pending"), Expect::Send),
        ("pending too", state("pending"), Expect::Send),
        ("sending", leased("sending", 10), Expect::Leased(10)),
    ];
    let ids = arrange(&db, &cases).await;
    let broadcast = broadcast_of(&db, ids[0]).await;

    deliveries::mark_published(&db.pool, &[ids[0], ids[2]], now()).await.unwrap();

    assert_eq!(deliveries::pending_ids(&db.pool, broadcast, 0, 10).await.unwrap(), [ids[1]]);
    let statuses: Vec<DeliveryStatus> = statuses_of(&db, &ids).await;
    assert_eq!(statuses, [DeliveryStatus::Published, DeliveryStatus::Pending, DeliveryStatus::Sending]);
}

async fn broadcast_of(db: &TestDb, delivery: i64) -> i64 {
    sqlx::query_scalar("SELECT broadcast_id FROM deliveries WHERE id = ?")
        .bind(delivery)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn statuses_of(db: &TestDb, ids: &[i64]) -> Vec<DeliveryStatus> {
    let mut out = Vec::new();
    for id in ids {
        out.push(deliveries::get(&db.pool, *id).await.unwrap().status);
    }
    out
}

#[tokio::test]
async fn the_sweeper_republishes_every_expired_lease_past_one_batch() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    // One more than the sweeper's batch of 500, all left `sending` by a dead holder.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 501)
         INSERT INTO deliveries (kind, candidate_id, notification, status, lease_token, lease_until, created_at,
                                 updated_at)
         SELECT 'notification', ?1, '{}', 'sending', 'dead-holder', ?2, ?2, ?2 FROM n",
    )
    .bind(c.id)
    .bind(t0().timestamp())
    .execute(&db.pool)
    .await
    .unwrap();
    let queue = core_logic::queue::Queue::embedded(db.pool.clone(), Default::default());

    let swept = deliveries::sweep_expired(&db.pool, &queue, now()).await.unwrap();

    assert_eq!(swept, 501);
    assert_eq!(db.count("SELECT COUNT(*) FROM deliveries WHERE status = 'published'").await, 501);
    assert_eq!(deliveries::expired_leases(&db.pool, now(), 10).await.unwrap(), []);
}

#[tokio::test]
async fn a_broadcasts_deliveries_are_listed_by_status_a_page_at_a_time() {
    let db = TestDb::new().await;
    let cases = [
        ("sent", state("sent"), Expect::Skip(DeliveryStatus::Sent)),
        ("failed", state("failed"), Expect::Skip(DeliveryStatus::Failed)),
        ("sent too", state("sent"), Expect::Skip(DeliveryStatus::Sent)),
        ("sent, third", state("sent"), Expect::Skip(DeliveryStatus::Sent)),
    ];
    let ids = arrange(&db, &cases).await;
    let broadcast = broadcast_of(&db, ids[0]).await;

    let (all, total) = core_logic::delivery_list::list_for_broadcast(&db.pool, broadcast, None, 10, 0).await.unwrap();
    let (page, sent) =
        core_logic::delivery_list::list_for_broadcast(&db.pool, broadcast, Some(DeliveryStatus::Sent), 1, 1)
            .await
            .unwrap();

    assert_eq!((all.iter().map(|d| d.delivery.id).collect::<Vec<_>>(), total), (ids.clone(), 4));
    assert_eq!((page.iter().map(|d| d.delivery.id).collect::<Vec<_>>(), sent), (vec![ids[2]], 3));
}

#[tokio::test]
async fn a_candidates_latest_deliveries_come_newest_first() {
    let db = TestDb::new().await;
    let c = db.candidate(1).await;
    let mut ids = Vec::new();
    for minute in 0..3 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO deliveries (kind, candidate_id, notification, created_at, updated_at)
             VALUES ('notification', ?1, '{}', ?2, ?2) RETURNING id",
        )
        .bind(c.id)
        .bind((t0() + Duration::minutes(minute)).timestamp())
        .fetch_one(&db.pool)
        .await
        .unwrap();
        ids.push(id);
    }
    let other = db.candidate(2).await;

    let latest = deliveries::recent_for_candidate(&db.pool, c.id, 2).await.unwrap();

    assert_eq!(latest.iter().map(|d| d.id).collect::<Vec<_>>(), [ids[2], ids[1]]);
    assert_eq!(deliveries::recent_for_candidate(&db.pool, other.id, 2).await.unwrap(), []);
}
