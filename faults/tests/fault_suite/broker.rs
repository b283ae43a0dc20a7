//! The broker failing under the services: stopped during the fan-out, down for ten seconds
//! while the bot sends, its connections dropped again and again, and down when the services
//! start.

use std::time::Duration;

use test_support::binaries::Binary;
use test_support::service::{self, Service};
use test_support::stack::{QueueBackend, api_env, bot_env};
use test_support::{inspect, wait};
use tokio::time::{Instant, sleep};

use super::harness::{Run, Setup, broker};
use super::report::Report;

/// How long the services may take to come up once the broker is back.
const COME_UP: Duration = Duration::from_secs(60);

/// Scenario 4: the broker stopped in the middle of a batch of the fan-out of a 5,000-recipient
/// broadcast, and started again: `api_server` publishes that batch again once the broker is
/// back, and the copies must not be sent twice.
///
/// As in scenario 3, the bot waits until the fan-out is over (so the queue's depth tells what
/// was published, and both copies are on the queue) and three bot instances consume afterwards.
/// The server is frozen (SIGSTOP) the moment a batch has begun and thawed once the broker is
/// down, so the broker stops mid-batch however long its shutdown takes; the frozen server's
/// publishes fail when it runs on.
pub async fn stopped_during_the_fan_out() {
    const RECIPIENTS: i64 = 5_000;
    let mut run = Run::start("s04_broker_restarted_during_fan_out", Setup::rabbitmq(RECIPIENTS, 1_000)).await;
    let broker = run.broker.expect("on RabbitMQ");
    run.stack.bot.stop_cleanly().await;
    let depth = run.queues.as_ref().expect("on RabbitMQ").depth().await;
    run.broadcast().await;
    run.wait_for_a_batch_just_begun(&depth).await;
    run.stack.api.pause();
    let (marked, copies) = run.marked_and_unmarked(&depth).await;
    drop(depth);
    broker.stop().await;
    run.stack.api.resume();
    run.details
        .push(format!("broker stopped with {marked} deliveries marked published and {copies} more on the queue"));
    let back = broker.start().await;
    // The bots start once the server has published the batch again, so that both copies of a
    // delivery wait on the queue, 64 messages apart (a bot started earlier would have sent the
    // first long before the second arrives).
    let (pool, id) = (&run.stack.db.pool, run.broadcast_id);
    wait::until("the fan-out finished after the broker's return", COME_UP * 2, || async move {
        let pending = inspect::delivery_counts(pool, id).await["pending"];
        if pending == 0 { Ok(()) } else { Err(pending) }
    })
    .await;
    run.details.push(format!("the fan-out finished {:.1?} after the broker's return", back.elapsed()));
    run.stack.restart_bot().await;
    let more_bots = run.more_bots(2).await;
    run.finish("completed", Duration::from_secs(150), 0).await;
    drop(more_bots);
}

/// Scenario 5: the broker stopped for 10 s while the bot sends (the fan-out done), twice: each
/// time sending resumes within 2 s of the node answering again; nothing lost, nothing twice.
/// Twice, because a consumer that backs off up to 10 s between reconnects may still happen to
/// try within 2 s of the return once.
pub async fn down_for_ten_seconds_during_sending() {
    const RECIPIENTS: i64 = 1_500;
    let mut run = Run::start("s05_broker_down_10s_during_sending", Setup::rabbitmq(RECIPIENTS, 150)).await;
    let broker = run.broker.expect("on RabbitMQ");
    run.broadcast().await;
    let mut slowest = Duration::ZERO;
    for percent in [20, 60] {
        run.wait_for_sent(RECIPIENTS * percent / 100, Duration::from_secs(60)).await;
        let pending = run.counts().await["pending"];
        assert_eq!(pending, 0, "{}: the fan-out should be over before the broker stops", run.name);
        broker.stop().await;
        // The fault: the broker down this long (and then as long as it takes to boot).
        sleep(Duration::from_secs(10)).await;
        let sends = run.stack.fake.stats().sends;
        let back = broker.start().await;
        let resumed = time_to_next_send(&run, sends, back, COME_UP).await;
        run.details
            .push(format!("stopped at {percent}% sent: sending resumed {resumed:.2?} after the broker's return"));
        if resumed > Duration::from_secs(2) {
            run.problems.push(format!("sending resumed {resumed:.2?} after the broker answered again; 2 s allowed"));
        }
        slowest = slowest.max(resumed);
    }
    run.time_to_resume = Some(slowest);
    run.finish("completed", Duration::from_secs(120), 0).await;
}

/// Scenario 6: every client connection of the broker closed five times while the bot sends.
/// Telegram answers each send after 500 ms, so at every cut the bot is in the middle of its 32
/// sends when the broker hands their messages out again on the bot's new connection.
pub async fn connections_dropped_five_times() {
    const RECIPIENTS: i64 = 1_000;
    let mut run = Run::start("s06_connections_dropped_5x", Setup::rabbitmq(RECIPIENTS, 1_000)).await;
    let broker = run.broker.expect("on RabbitMQ");
    run.stack.fake.set_delay(Duration::from_millis(500));
    run.broadcast().await;
    for percent in [10, 25, 40, 55, 70] {
        run.wait_for_sent(RECIPIENTS * percent / 100, Duration::from_secs(60)).await;
        broker.close_all_connections().await;
    }
    run.finish("completed", Duration::from_secs(120), 0).await;
}

/// The time from `since` to the first send the fake accepts beyond `sends` (the count when the
/// broker came back); `limit` if none comes.
async fn time_to_next_send(run: &Run, sends: u64, since: Instant, limit: Duration) -> Duration {
    while run.stack.fake.stats().sends <= sends {
        if since.elapsed() > limit {
            return since.elapsed();
        }
        sleep(Duration::from_millis(5)).await;
    }
    since.elapsed()
}

/// Scenario 13: both services started while the broker is down wait for it, logging their
/// retries, `/readyz` answering 503 meanwhile; both come up once it starts.
pub async fn services_started_while_down() {
    let name = "s13_services_start_while_broker_down";
    let started = Instant::now();
    let broker = broker().await;
    let queues = test_support::rabbit::TestQueues::claim(&broker.url(), "faults").await;
    let db = test_support::seed::SeededDb::new(0, 0).await;
    let fake = fake_telegram::FakeTelegram::start().await;
    let queue = QueueBackend::RabbitMq { url: broker.url(), queue: queues.name.clone() };
    let port = test_support::free_port();
    let mut problems = Vec::new();
    let mut details = Vec::new();
    broker.stop().await;

    let mut api = Service::spawn("api_server", &Binary::ApiServer.path(), db.path(), &api_env(&db.url, port, &queue));
    let env = bot_env(&db.url, &fake.url(), &queue, 30);
    let mut bot = Service::spawn("telegram_bot", &Binary::TelegramBot.path(), db.path(), &env);
    // The broker stays down this long while the services start: a pause of the scenario.
    sleep(Duration::from_secs(5)).await;
    let readyz = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/readyz"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .map(|response| response.status().as_u16());
    details.push(format!("/readyz while the broker is down: {readyz:?}"));
    if readyz.as_ref().ok() != Some(&503) {
        problems.push(format!("api_server's /readyz must answer 503 while the broker is down, got {readyz:?}"));
    }
    for service in [&mut api, &mut bot] {
        if let Some(status) = service.exited() {
            let last = service.log().lines().last().unwrap_or_default().to_owned();
            problems.push(format!("{} exited ({status}) instead of waiting for the broker: {last}", service.name));
        } else if !service.log().to_lowercase().contains("retr") {
            problems.push(format!("{} waits but logs no retry\n{}", service.name, service.log_tail()));
        }
    }
    let back = broker.start().await;
    let mut up = Vec::new();
    if api.exited().is_none() && bot.exited().is_none() {
        let ready = async {
            api.wait_until_ready(port).await;
            bot.wait_until_polling(&fake, 0).await;
        };
        match tokio::time::timeout(COME_UP, ready).await {
            Ok(()) => up.push(format!("both up {:.1?} after the broker answered", back.elapsed())),
            Err(_) => problems.push(format!("not up within {COME_UP:?} of the broker's return")),
        }
    }
    details.extend(up);
    details.push(format!("getUpdates calls: {}", service::polls(&fake)));
    Report::default().print_and_judge(name, started, &details, &problems);
}
