//! Issue 15 through the fake Bot API with a controlled clock: a candidate who finds no time joins
//! the waitlist, gets the freed seat as an offer and takes it; a decline and an expiry pass the
//! seat to the next; a restart during a hold changes nothing; an unconfirmed booking is released
//! to the waitlist at the deadline; after a no-show the candidate asks and a recruiter approves.
#![allow(clippy::unwrap_used)]

#[path = "support/harness.rs"]
mod harness;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use core_logic::config::{BookingRules, WaitlistRules};
use core_logic::models::{ApprovalStatus, OfferStatus};
use core_logic::{approvals, bookings};
use fake_telegram::{FakeUser, SentMessage};
use harness::{TestBot, start_bot, start_bot_with};
use telegram_bot::reminders::ReminderScheduler;
use telegram_bot::sender::RateLimiter;
use telegram_bot::texts::RU;
use telegram_bot::waitlist_jobs::WaitlistJobs;
use teloxide::Bot;

fn user(id: i64, name: &str) -> FakeUser {
    FakeUser::new(id, name).lang("ru")
}

/// Registers the user through `/start` and returns their candidate id.
async fn register(bot: &TestBot, u: &FakeUser) -> i64 {
    let u2 = u.clone();
    bot.expect(u, move |f| f.user_sends_command(&u2, "/start"), "Я помогу записаться").await;
    sqlx::query_scalar("SELECT id FROM candidates WHERE telegram_user_id = ?")
        .bind(u.id)
        .fetch_one(&bot.pool)
        .await
        .unwrap()
}

/// The user asks for the days, finds none, and joins the waitlist for any time.
async fn join_any_time(bot: &TestBot, u: &FakeUser, days_needle: &str) -> SentMessage {
    let u2 = u.clone();
    let days = bot.expect(u, move |f| f.user_sends_command(&u2, "/book"), days_needle).await;
    let prefs = bot.press(u, &days, RU.wait_button, "Когда вам удобно?").await;
    bot.press(u, &prefs, RU.wait_any, "Готово, вы в листе ожидания").await
}

/// Relays the notifications written and waits for one to `u` containing `needle`.
async fn delivered(bot: &TestBot, u: &FakeUser, needle: &str) -> SentMessage {
    bot.fake.clear_sent();
    bot.relay().await;
    let (chat, needle_owned) = (u.id, needle.to_owned());
    bot.fake
        .wait_for(move |m| m.chat_id == chat && m.body().contains(&needle_owned), harness::WAIT)
        .await
        .unwrap_or_else(|e| panic!("waiting for {needle:?}: {e}"))
}

fn jobs(bot: &TestBot, rules: BookingRules) -> WaitlistJobs {
    WaitlistJobs { pool: bot.pool.clone(), rules }
}

#[tokio::test]
async fn a_candidate_who_finds_no_time_joins_gets_the_freed_seat_and_takes_it() {
    let bot = start_bot().await;
    let (anna, boris) = (user(1001, "Анна"), user(1002, "Борис"));
    let anna_id = register(&bot, &anna).await;
    register(&bot, &boris).await;
    let slot = bot.slot(48, 1).await;
    let booked = bookings::book(&bot.pool, &BookingRules::default(), anna_id, slot.id, Utc::now()).await.unwrap();

    // No free time: Boris joins, with the days he prefers ticked and unticked on the way.
    let u = boris.clone();
    let none = bot.expect(&boris, move |f| f.user_sends_command(&u, "/book"), RU.no_days).await;
    let prefs = bot.press(&boris, &none, RU.wait_button, "Когда вам удобно?").await;
    let ticked = bot.press(&boris, &prefs, "пн", "Когда вам удобно?").await;
    assert!(ticked.inline_buttons().iter().any(|(t, _)| t == "✅ пн"), "{:?}", ticked.inline_buttons());
    let unticked = bot.press(&boris, &ticked, "✅ пн", "Когда вам удобно?").await;
    let joined = bot.press(&boris, &unticked, RU.wait_done, "Готово, вы в листе ожидания").await;
    assert!(joined.body().contains("ваше место — 1. Удобное время: любое."), "{}", joined.body());
    // /my shows the place with the button to leave.
    let u = boris.clone();
    let place = bot.expect(&boris, move |f| f.user_sends_command(&u, "/my"), "Вы в листе ожидания").await;
    TestBot::button(&place, RU.wait_leave);

    // Anna cancels: Boris is offered her seat, held for him.
    bookings::cancel_by_candidate(&bot.pool, &BookingRules::default(), anna_id, booked.booking.id, Utc::now())
        .await
        .unwrap();
    let offer = delivered(&bot, &boris, "🔔 Освободилось время").await;
    assert!(offer.body().contains("Я держу его для вас до"), "{}", offer.body());
    assert_eq!(bot.count("SELECT COUNT(*) FROM waitlist_offers WHERE status = 'held'").await, 1);
    bot.press(&boris, &offer, RU.offer_take, "Готово, вы записаны!").await;
    assert_eq!(bot.count("SELECT COUNT(*) FROM waitlist WHERE status = 'booked'").await, 1);
    assert_eq!(bot.count("SELECT COUNT(*) FROM waitlist_offers WHERE status = 'accepted'").await, 1);
    // The button pressed again is an answer, not a second booking.
    bot.press(&boris, &offer, RU.offer_take, RU.offer_gone).await;
    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
    bot.stop().await;
}

#[tokio::test]
async fn a_decline_and_an_expiry_each_pass_the_seat_to_the_next() {
    let bot = start_bot().await;
    let (anna, boris, vera, gleb) = (user(1001, "Анна"), user(1002, "Борис"), user(1003, "Вера"), user(1004, "Глеб"));
    let anna_id = register(&bot, &anna).await;
    for u in [&boris, &vera, &gleb] {
        register(&bot, u).await;
    }
    let slot = bot.slot(48, 1).await;
    let booked = bookings::book(&bot.pool, &BookingRules::default(), anna_id, slot.id, Utc::now()).await.unwrap();
    for u in [&boris, &vera, &gleb] {
        join_any_time(&bot, u, RU.no_days).await;
    }
    let now = Utc::now();
    bookings::cancel_by_admin(&bot.pool, &BookingRules::default(), None, booked.booking.id, None, now).await.unwrap();
    // Boris declines: Vera is offered it.
    let to_boris = delivered(&bot, &boris, "🔔 Освободилось время").await;
    bot.press(&boris, &to_boris, RU.offer_decline, RU.offer_declined).await;
    delivered(&bot, &vera, "🔔 Освободилось время").await;
    // Vera does not answer: nothing before her hold ends; then Gleb is offered it and Vera told.
    let rules = BookingRules::default();
    let jobs = jobs(&bot, rules.clone());
    assert_eq!(jobs.step(now + Duration::minutes(14)).await.unwrap().0, 0);
    assert_eq!(jobs.step(now + Duration::minutes(16)).await.unwrap().0, 1);
    bot.fake.clear_sent();
    bot.relay().await;
    for (who, needle) in [(&vera, "больше не держится за вами"), (&gleb, "🔔 Освободилось время")]
    {
        let (chat, n) = (who.id, needle.to_owned());
        bot.fake.wait_for(move |m| m.chat_id == chat && m.body().contains(&n), harness::WAIT).await.unwrap();
    }
    let statuses: Vec<OfferStatus> =
        sqlx::query_scalar("SELECT status FROM waitlist_offers ORDER BY id").fetch_all(&bot.pool).await.unwrap();
    assert_eq!(statuses, vec![OfferStatus::Declined, OfferStatus::Expired, OfferStatus::Held]);
    bot.stop().await;
}

#[tokio::test]
async fn a_restart_during_a_hold_keeps_it_and_ends_it_once() {
    let bot = start_bot().await;
    let (anna, boris, vera) = (user(1001, "Анна"), user(1002, "Борис"), user(1003, "Вера"));
    let anna_id = register(&bot, &anna).await;
    register(&bot, &boris).await;
    register(&bot, &vera).await;
    let slot = bot.slot(48, 1).await;
    let booked = bookings::book(&bot.pool, &BookingRules::default(), anna_id, slot.id, Utc::now()).await.unwrap();
    join_any_time(&bot, &boris, RU.no_days).await;
    join_any_time(&bot, &vera, RU.no_days).await;
    let now = Utc::now();
    bookings::cancel_by_candidate(&bot.pool, &BookingRules::default(), anna_id, booked.booking.id, now).await.unwrap();
    let offer = delivered(&bot, &boris, "🔔 Освободилось время").await;

    let bot = bot.restart().await;
    // Still held for Boris after the restart: Vera sees no free day.
    let u = vera.clone();
    bot.expect(&vera, move |f| f.user_sends_command(&u, "/book"), RU.no_days).await;
    // The hold ends once, however many steps (or restarts) follow.
    assert_eq!(jobs(&bot, BookingRules::default()).step(now + Duration::minutes(15)).await.unwrap().0, 1);
    let bot = bot.restart().await;
    assert_eq!(jobs(&bot, BookingRules::default()).step(now + Duration::minutes(16)).await.unwrap().0, 0);
    assert_eq!(bot.count("SELECT COUNT(*) FROM waitlist_offers WHERE status = 'expired'").await, 1);
    // Boris pressing "take" now is told it ended; Vera's offer is taken.
    bot.press(&boris, &offer, RU.offer_take, RU.offer_gone).await;
    let to_vera = delivered(&bot, &vera, "🔔 Освободилось время").await;
    bot.press(&vera, &to_vera, RU.offer_take, "Готово, вы записаны!").await;
    bot.stop().await;
}

#[tokio::test]
async fn an_unconfirmed_booking_is_released_to_the_waitlist_at_the_deadline() {
    let bot = start_bot_with(&[("RELEASE_UNCONFIRMED", "true")]).await;
    let (anna, boris, vera) = (user(1001, "Анна"), user(1002, "Борис"), user(1003, "Вера"));
    let anna_id = register(&bot, &anna).await;
    let boris_id = register(&bot, &boris).await;
    register(&bot, &vera).await;
    let rules = bot.config.booking.clone();
    assert!(rules.waitlist.release_unconfirmed);
    let silent_slot = bot.slot(26, 1).await;
    let answered_slot = bot.slot(26, 1).await;
    let silent = bookings::book(&bot.pool, &rules, anna_id, silent_slot.id, Utc::now()).await.unwrap().booking.id;
    let answered = bookings::book(&bot.pool, &rules, boris_id, answered_slot.id, Utc::now()).await.unwrap().booking.id;
    join_any_time(&bot, &vera, RU.no_days).await;

    // The day-before reminders ask "will you come?"; Boris answers yes, Anna does not answer.
    let scheduler = ReminderScheduler {
        bot: Bot::new("1:T").set_api_url(url::Url::parse(&bot.fake.url()).unwrap()),
        pool: bot.pool.clone(),
        limiter: Arc::new(RateLimiter::new(30, StdDuration::from_millis(10))),
        tz: bot.config.timezone,
        release_before: Some(rules.waitlist.reconfirm_deadline),
    };
    bot.fake.clear_sent();
    assert_eq!(scheduler.try_execute_next(Utc::now() + Duration::hours(2)).await.unwrap().sent, 2);
    let to_boris = bot.fake.sent_to(boris.id).into_iter().find(|m| m.body().contains(RU.will_you_come)).unwrap();
    // The question says by when, since unanswered bookings are released.
    assert!(to_boris.body().contains("Пожалуйста, ответьте до"), "{}", to_boris.body());
    bot.press(&boris, &to_boris, RU.coming_yes, RU.thanks_coming).await;

    // At the deadline: Anna's booking is released politely, Vera offered the seat; Boris's stays.
    let deadline = silent_slot.starts_at - Duration::hours(3);
    let (_, done) = jobs(&bot, rules.clone()).step(deadline).await.unwrap();
    assert_eq!((done.flagged, done.released), (1, 1));
    bot.fake.clear_sent();
    bot.relay().await;
    for (who, needle) in [(&anna, "Вы не подтвердили, что придёте"), (&vera, "🔔 Освободилось время")]
    {
        let (chat, n) = (who.id, needle.to_owned());
        bot.fake.wait_for(move |m| m.chat_id == chat && m.body().contains(&n), harness::WAIT).await.unwrap();
    }
    assert_eq!(
        bookings::get(&bot.pool, answered).await.unwrap().booking.status,
        core_logic::models::BookingStatus::Active
    );
    assert_eq!(
        bookings::get(&bot.pool, silent).await.unwrap().booking.status,
        core_logic::models::BookingStatus::CancelledByAdmin
    );
    bot.stop().await;
}

#[tokio::test]
async fn after_a_no_show_the_candidate_asks_and_a_recruiter_approves() {
    let bot = start_bot_with(&[("NO_SHOW_LIMIT", "1")]).await;
    let anna = user(1001, "Анна");
    let anna_id = register(&bot, &anna).await;
    let rules = BookingRules {
        waitlist: WaitlistRules { no_show_limit: 1, ..bot.config.booking.waitlist.clone() },
        ..bot.config.booking.clone()
    };
    assert_eq!(bot.config.booking.waitlist.no_show_limit, 1);
    // A past interview she missed (booked and marked with a controlled clock).
    let missed = bot.slot(2, 1).await;
    let b = bookings::book(&bot.pool, &rules, anna_id, missed.id, Utc::now()).await.unwrap();
    bookings::mark_attendance(&bot.pool, None, b.booking.id, false, Utc::now() + Duration::hours(3)).await.unwrap();
    bot.slot(48, 1).await;

    let u = anna.clone();
    let needed =
        bot.expect(&anna, move |f| f.user_sends_command(&u, "/book"), "новую запись должен одобрить рекрутер").await;
    bot.press(&anna, &needed, RU.approval_ask, RU.approval_requested).await;
    // The recruiters' chat hears of it.
    bot.fake
        .wait_for(
            |m| m.chat_id == -100500 && m.body().contains("просит разрешить запись после неявок (1)"),
            harness::WAIT,
        )
        .await
        .unwrap();
    bot.press(&anna, &needed, RU.approval_ask, RU.approval_waiting).await;
    let waiting = approvals::list(&bot.pool, Some(ApprovalStatus::Requested)).await.unwrap();
    assert_eq!(waiting.len(), 1);
    approvals::decide(&bot.pool, None, waiting[0].id, true, Utc::now() + Duration::hours(4)).await.unwrap();
    let granted = delivered(&bot, &anna, RU.approval_granted).await;
    bot.press(&anna, &granted, RU.book_again, "Выберите день собеседования").await;
    bot.stop().await;
}

#[tokio::test]
async fn an_english_speaking_candidate_joins_in_english() {
    use telegram_bot::texts::EN;
    let bot = start_bot().await;
    let kate = FakeUser::new(1010, "Kate").lang("en");
    let u = kate.clone();
    bot.expect(&kate, move |f| f.user_sends_command(&u, "/start"), "I can book you an interview").await;
    let u = kate.clone();
    let none = bot.expect(&kate, move |f| f.user_sends_command(&u, "/book"), EN.no_days).await;
    let prefs = bot.press(&kate, &none, EN.wait_button, "When suits you?").await;
    let evening = bot.press(&kate, &prefs, "evening", "When suits you?").await;
    let joined = bot.press(&kate, &evening, EN.wait_done, "Done, you are on the waitlist").await;
    assert!(joined.body().contains("place 1. Suitable time: evening."), "{}", joined.body());
    TestBot::button(&joined, EN.wait_leave);
    bot.press(&kate, &joined, EN.wait_leave, EN.wait_left).await;
    bot.stop().await;
}
