//! End to end: the real `api_server` and `telegram_bot` binaries on one SQLite file and a real
//! RabbitMQ queue, the fake Telegram Bot API in this test process. A candidate writes to the
//! bot; the recruiter finds the message in the inbox over HTTP, opens it (read), and replies;
//! the reply goes through the outbox, the event worker, the queue and the broadcast worker to
//! the candidate, under the heading in their language, and its delivery status becomes `sent`.
//!
//! Needs a broker at `RABBITMQ_URL` (default `amqp://guest:guest@127.0.0.1:5672/%2f`); without
//! one the test fails, it never skips.

use std::time::Duration;

use fake_telegram::FakeUser;
use serde_json::Value;
use test_support::rabbit::TestQueues;
use test_support::stack::{QueueBackend, Stack, StackOptions};
use tokio::time::Instant;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recruiters_reply_from_the_panel_reaches_the_candidate_through_the_queue() {
    let queues = TestQueues::claim(&test_support::rabbitmq_url(), "test_e2e_inbox").await;
    let mut stack = Stack::start(StackOptions {
        candidates: 0,
        first_chat: 7_100_000,
        queue: QueueBackend::RabbitMq { url: queues.rabbitmq_url.clone(), queue: queues.name.clone() },
        rate_per_sec: 30,
        bot_env: Vec::new(),
    })
    .await;
    let maria = FakeUser::new(7_100_001, "Мария").username("maria_p").lang("ru");

    // The candidate writes; the bot says it was passed on.
    stack.fake.user_sends_text(&maria, "Здравствуйте! Можно прийти с портфолио?");
    stack
        .fake
        .wait_for(|m| m.chat_id == 7_100_001 && m.body().contains("передано рекрутеру"), WAIT)
        .await
        .expect("the bot answers that the message was passed on");

    // The recruiter sees it in the inbox, unread, and opens it.
    let inbox = stack.admin.get_json("/api/inbox").await;
    assert_eq!(inbox["total_unread"], 1, "{inbox}");
    let conversation = &inbox["items"][0];
    assert_eq!(conversation["username"], "maria_p", "{inbox}");
    assert_eq!(conversation["last_text"], "Здравствуйте! Можно прийти с портфолио?");
    let candidate = conversation["candidate_id"].as_i64().expect("a candidate id");
    let read = stack.admin.post_json(&format!("/api/users/{candidate}/messages/read")).await;
    assert_eq!(read["read"], 1, "{read}");
    assert_eq!(stack.admin.get_json("/api/inbox").await["total_unread"], 0);

    // The reply: stored and queued at once...
    let reply = stack.admin.reply(candidate, "Да, конечно. <Портфолио> & резюме — приносите.").await;
    assert_eq!(reply["direction"], "out", "{reply}");
    assert!(reply["delivery_id"].as_i64().is_some(), "{reply}");

    // ...and it reaches the candidate through the queue, escaped, under the heading.
    let received = stack
        .fake
        .wait_for(|m| m.chat_id == 7_100_001 && m.body().contains("Ответ рекрутера"), WAIT)
        .await
        .expect("the reply reaches the candidate");
    assert_eq!(received.body(), "<b>💬 Ответ рекрутера:</b>\nДа, конечно. &lt;Портфолио&gt; &amp; резюме — приносите.");
    assert_eq!(received.parse_mode.as_deref(), Some("HTML"));

    // The reply's status, as the panel reads it, becomes `sent`.
    let deadline = Instant::now() + WAIT;
    let last = loop {
        let page = stack.admin.get_json(&format!("/api/users/{candidate}/messages")).await;
        let last: Value = page["items"].as_array().and_then(|items| items.last().cloned()).unwrap_or_default();
        if last["delivery_status"] == "sent" || Instant::now() > deadline {
            break last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(last["delivery_status"], "sent", "{last}");
    assert_eq!(last["admin_username"], test_support::stack::ADMIN_USERNAME);
    let sent_to_her =
        stack.fake.sent_to(7_100_001).into_iter().filter(|m| m.body().contains("Ответ рекрутера")).count();
    assert_eq!(sent_to_her, 1, "the reply is sent once");

    stack.stop_cleanly().await;
}
