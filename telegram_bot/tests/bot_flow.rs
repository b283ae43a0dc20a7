//! The real bot driven through the fake Bot API server: registration, the booking flow,
//! cancel, reschedule, and every edge: a slot taken meanwhile, forged and stale buttons, the
//! deadline, the limit, a blocked candidate, stickers and unknown commands, a restart mid-conversation,
//! in Russian and English.
#![allow(clippy::unwrap_used)]

#[path = "support/harness.rs"]
mod harness;
#[path = "support/ics.rs"]
mod ics;

use chrono::Utc;
use core_logic::bookings;
use core_logic::config::BookingRules;
use fake_telegram::FakeUser;
use harness::{TestBot, start_bot};
use telegram_bot::texts::{EN, RU};

fn anna() -> FakeUser {
    FakeUser::new(1001, "Анна").username("anna_k").lang("ru")
}

fn john() -> FakeUser {
    FakeUser::new(2002, "John").lang("en-US")
}

/// Starts the booking flow and returns the day-picker message.
async fn open_days(bot: &TestBot, user: &FakeUser, t: &telegram_bot::texts::Texts) -> fake_telegram::SentMessage {
    let u = user.clone();
    let book = t.menu_book;
    let title = t.choose_day.split('(').next().unwrap();
    bot.expect(user, move |f| f.user_sends_text(&u, book), title).await
}

#[tokio::test]
async fn start_registers_the_candidate_with_the_payload_and_shows_the_menu_and_commands() {
    let bot = start_bot().await;
    let user = anna();

    let u = user.clone();
    let hello = bot.expect(&user, move |f| f.user_sends_command(&u, "/start campaign_7"), "Здравствуйте, Анна").await;

    let keyboard = hello.reply_markup.clone().unwrap();
    assert_eq!(keyboard["keyboard"][0][0]["text"], RU.menu_book);
    assert_eq!(hello.parse_mode.as_deref(), Some("HTML"));
    let (payload, lang): (Option<String>, String) =
        sqlx::query_as("SELECT start_payload, language FROM candidates WHERE telegram_user_id = 1001")
            .fetch_one(&bot.pool)
            .await
            .unwrap();
    assert_eq!((payload.as_deref(), lang.as_str()), (Some("campaign_7"), "ru"));
    let commands = bot.fake.commands();
    assert!(
        commands.values().any(|c| c.iter().any(|c| c.command == "book" && c.description == RU.commands[1].1)),
        "{commands:?}"
    );
    assert!(commands.values().any(|c| c.iter().any(|c| c.description == EN.commands[1].1)), "{commands:?}");
    bot.stop().await;
}

#[tokio::test]
async fn a_candidate_books_in_a_few_taps_and_gets_a_calendar_file() {
    let bot = start_bot().await;
    let slot = bot.slot(48, 1).await;
    let user = anna();

    let days = open_days(&bot, &user, &RU).await;
    let local = slot.starts_at.with_timezone(&chrono_tz::Europe::Moscow);
    let times = bot.press(&user, &days, &RU.day(local.date_naive()), "выберите время").await;
    let confirm = bot.press(&user, &times, &local.format("%H:%M").to_string(), "Записать вас").await;
    bot.fake.clear_sent();
    let data = TestBot::button(&confirm, RU.confirm_yes);
    bot.fake.user_presses_button(&user, confirm.message_id, &data);
    let ics = bot.fake.wait_for(|m| m.document.is_some(), harness::WAIT).await.unwrap();

    let booked = bot.fake.sent().into_iter().find(|m| m.body().contains("вы записаны")).unwrap();
    assert!(
        booked.body().contains(&local.format("%H:%M").to_string()) && booked.body().contains("по московскому времени")
    );
    assert!(booked.body().contains("Zoom") && booked.body().contains("zoom.example"));
    let file = ics.document.unwrap();
    assert_eq!(file.file_name, "interview.ics");
    assert!(
        String::from_utf8_lossy(&file.bytes).contains(&format!("DTSTART:{}", slot.starts_at.format("%Y%m%dT%H%M%SZ")))
    );
    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
    // The admin chat hears about it.
    bot.fake.wait_for(|m| m.chat_id == -100500 && m.body().contains("Новая запись"), harness::WAIT).await.unwrap();
    bot.stop().await;
}

#[tokio::test]
async fn an_english_speaker_gets_english() {
    let bot = start_bot().await;
    bot.slot(48, 1).await;
    let user = john();

    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_command(&u, "/start"), "Hello, John").await;
    let days = open_days(&bot, &user, &EN).await;

    assert!(days.body().starts_with("Pick a day"));
    bot.stop().await;
}

#[tokio::test]
async fn a_slot_taken_while_choosing_is_explained_with_fresh_times() {
    let bot = start_bot().await;
    let slot = bot.slot(48, 1).await;
    let local = slot.starts_at.with_timezone(&chrono_tz::Europe::Moscow);
    // Another time on the same local day, whatever the hour the test runs at (an hour later
    // would be the next day after 23:00 in Moscow).
    let next_hour_same_day = (local + chrono::Duration::hours(1)).date_naive() == local.date_naive();
    let other = bot.slot(if next_hour_same_day { 49 } else { 47 }, 1).await;
    let user = anna();
    let days = open_days(&bot, &user, &RU).await;
    let times = bot.press(&user, &days, &RU.day(local.date_naive()), "выберите время").await;
    let confirm = bot.press(&user, &times, &local.format("%H:%M").to_string(), "Записать вас").await;
    // Someone else takes it first.
    let rival = core_logic::candidates::upsert_from_telegram(
        &bot.pool,
        &core_logic::candidates::TelegramProfile {
            telegram_user_id: 9,
            chat_id: 9,
            first_name: "R".into(),
            ..Default::default()
        },
        Utc::now(),
    )
    .await
    .unwrap();
    bookings::book(&bot.pool, &BookingRules::default(), rival.id, slot.id, Utc::now()).await.unwrap();

    let taken = bot.press(&user, &confirm, RU.confirm_yes, RU.slot_taken).await;

    let other_time = other.starts_at.with_timezone(&chrono_tz::Europe::Moscow).format("%H:%M").to_string();
    let labels: Vec<String> = taken.inline_buttons().into_iter().map(|b| b.0).collect();
    assert!(labels.iter().any(|l| l.contains(&other_time)), "fresh times offered: {labels:?}");
    assert!(!labels.iter().any(|l| l.contains(&local.format("%H:%M").to_string())), "{labels:?}");
    bot.stop().await;
}

#[tokio::test]
async fn cancel_and_reschedule_work_from_my_booking() {
    let bot = start_bot().await;
    let first = bot.slot(48, 1).await;
    let second = bot.slot(72, 1).await;
    let user = anna();
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_command(&u, "/start"), "Здравствуйте").await;
    let candidate: i64 = bot.count("SELECT id FROM candidates WHERE telegram_user_id = 1001").await;
    bookings::book(&bot.pool, &BookingRules::default(), candidate, first.id, Utc::now()).await.unwrap();

    let u = user.clone();
    let my = bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_my), "Ваша запись").await;
    let days = bot.press(&user, &my, RU.reschedule_button, "Выберите новый день").await;
    let local = second.starts_at.with_timezone(&chrono_tz::Europe::Moscow);
    let times = bot.press(&user, &days, &RU.day(local.date_naive()), "выберите время").await;
    let confirm = bot.press(&user, &times, &local.format("%H:%M").to_string(), "Записать вас").await;
    bot.fake.clear_sent();
    bot.press(&user, &confirm, RU.confirm_yes, "Запись перенесена").await;
    let moved = bot.fake.wait_for(|m| m.document.is_some(), harness::WAIT).await.unwrap();

    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'rescheduled'").await, 1);
    assert_eq!(
        bot.count(&format!("SELECT COUNT(*) FROM bookings WHERE status = 'active' AND slot_id = {}", second.id)).await,
        1
    );

    let u = user.clone();
    let ask = bot.expect(&user, move |f| f.user_sends_command(&u, "/cancel"), "Точно отменить").await;
    bot.fake.clear_sent();
    bot.press(&user, &ask, RU.cancel_yes, RU.cancelled).await;
    let cancelled = bot.fake.wait_for(|m| m.document.is_some(), harness::WAIT).await.unwrap();
    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 0);

    // One calendar event for the booking's whole life: the move updates it (a higher sequence),
    // the cancellation removes it (higher still), and booking again is one tap away.
    let first_booking: i64 = bot.count("SELECT MIN(id) FROM bookings").await;
    let uid = format!("booking-{first_booking}@interview-booking");
    let moved = ics::identity(&moved.document.unwrap().bytes);
    assert_eq!(moved, ("PUBLISH".to_owned(), uid.clone(), "1".to_owned()));
    assert_eq!(cancelled.caption.as_deref(), Some(RU.calendar_cancelled));
    assert_eq!(cancelled.inline_buttons()[0], (RU.book_again.to_owned(), Some("D:0:0".to_owned())));
    let cancelled = ics::identity(&cancelled.document.unwrap().bytes);
    assert_eq!(cancelled, ("CANCEL".to_owned(), uid, "2".to_owned()));
    bot.stop().await;
}

#[tokio::test]
async fn past_the_deadline_the_bot_offers_the_contact() {
    let bot = start_bot().await;
    let soon = bot.slot(48, 1).await;
    let user = anna();
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_command(&u, "/start"), "Здравствуйте").await;
    let candidate: i64 = bot.count("SELECT id FROM candidates WHERE telegram_user_id = 1001").await;
    let booked = bookings::book(&bot.pool, &BookingRules::default(), candidate, soon.id, Utc::now()).await.unwrap();
    // The interview is now 90 minutes away: inside the 2-hour deadline.
    sqlx::query("UPDATE slots SET starts_at = ? WHERE id = ?")
        .bind(Utc::now().timestamp() + 90 * 60)
        .bind(soon.id)
        .execute(&bot.pool)
        .await
        .unwrap();

    let u = user.clone();
    let data = telegram_bot::callback::Callback::Cancel { booking: booked.booking.id }.encode();
    let answer = bot.expect(&user, move |f| f.user_presses_button(&u, 1, &data), "@hr_team").await;

    assert!(answer.body().contains("слишком мало времени"));
    assert!(answer.reply_markup.unwrap().to_string().contains("https://t.me/hr_team"));
    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
    bot.stop().await;
}

#[tokio::test]
async fn forged_stale_and_foreign_buttons_change_nothing() {
    let bot = start_bot().await;
    let slot = bot.slot(48, 2).await;
    let owner = anna();
    let intruder = john();
    let u = owner.clone();
    bot.expect(&owner, move |f| f.user_sends_command(&u, "/start"), "Здравствуйте").await;
    let owner_id: i64 = bot.count("SELECT id FROM candidates WHERE telegram_user_id = 1001").await;
    let booked = bookings::book(&bot.pool, &BookingRules::default(), owner_id, slot.id, Utc::now()).await.unwrap();

    let foreign = telegram_bot::callback::Callback::Cancel { booking: booked.booking.id }.encode();
    let u = intruder.clone();
    bot.expect(&intruder, move |f| f.user_presses_button(&u, 1, &foreign), EN.stale_button).await;
    let u = intruder.clone();
    bot.expect(&intruder, move |f| f.user_presses_button(&u, 1, "k:1:999"), EN.stale_button).await;
    let u = intruder.clone();
    bot.expect(&intruder, move |f| f.user_presses_button(&u, 1, "totally forged"), EN.stale_button).await;
    let u = intruder.clone();
    let gone = telegram_bot::callback::Callback::Pick { slot: 424242, moving: None }.encode();
    bot.expect(&intruder, move |f| f.user_presses_button(&u, 1, &gone), "Pick a day").await;

    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
    assert!(bot.fake.callback_answers().len() >= 4, "every press is answered");
    bot.stop().await;
}

#[tokio::test]
async fn a_forged_confirm_beyond_the_horizon_or_inside_the_notice_books_nothing() {
    let bot = start_bot().await;
    let far = bot.slot(60 * 24, 1).await;
    let soon = bot.slot(1, 1).await;
    sqlx::query("UPDATE slots SET starts_at = ? WHERE id = ?")
        .bind(Utc::now().timestamp() + 30 * 60)
        .bind(soon.id)
        .execute(&bot.pool)
        .await
        .unwrap();
    let user = john();

    for slot in [far.id, soon.id] {
        let forged = format!("k:{slot}:0");
        let u = user.clone();
        bot.expect(&user, move |f| f.user_presses_button(&u, 1, &forged), EN.stale_button).await;
    }

    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings").await, 0);
    assert_eq!(bot.count("SELECT COUNT(*) FROM reminders").await, 0);
    bot.stop().await;
}

#[tokio::test]
async fn the_limit_and_a_block_are_explained() {
    let bot = start_bot().await;
    let a = bot.slot(48, 1).await;
    let b = bot.slot(72, 1).await;
    let user = anna();
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_command(&u, "/start"), "Здравствуйте").await;
    let id: i64 = bot.count("SELECT id FROM candidates WHERE telegram_user_id = 1001").await;
    bookings::book(&bot.pool, &BookingRules::default(), id, a.id, Utc::now()).await.unwrap();

    let confirm_b = telegram_bot::callback::Callback::Confirm { slot: b.id, moving: None }.encode();
    let u = user.clone();
    bot.expect(&user, move |f| f.user_presses_button(&u, 1, &confirm_b), RU.limit_reached).await;
    // Opening the booking flow tells the limit at once, with the booking and its buttons.
    let u = user.clone();
    let told = bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), "У вас уже есть запись:").await;
    assert!(told.body().contains("Перенести её"), "{}", told.body());
    let buttons: Vec<String> = told.inline_buttons().into_iter().map(|(text, _)| text).collect();
    assert!(buttons.contains(&RU.reschedule_button.to_owned()), "{buttons:?}");
    core_logic::candidates::set_blocked(&bot.pool, None, id, true, Utc::now()).await.unwrap();
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), "Запись для вас сейчас недоступна").await;

    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings").await, 1);
    bot.stop().await;
}

#[tokio::test]
async fn stickers_voice_and_unknown_commands_get_help_and_the_menu() {
    // Free text, photos and documents go to the inbox (tests/inbox.rs); the rest is not understood.
    let bot = start_bot().await;
    let user = anna();

    let u = user.clone();
    let sticker = bot.expect(&user, move |f| f.user_sends_sticker(&u), RU.not_understood).await;
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_voice(&u), RU.not_understood).await;
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_command(&u, "/unknown"), RU.not_understood).await;
    let u = user.clone();
    let contact = bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_contact), "@hr_team").await;

    assert!(sticker.reply_markup.unwrap()["keyboard"].is_array());
    assert!(contact.reply_markup.unwrap().to_string().contains("https://t.me/hr_team"));
    assert_eq!(bot.count("SELECT COUNT(*) FROM conversation_messages").await, 0, "none of these is a message to keep");
    bot.stop().await;
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_conversation_changes_nothing() {
    let bot = start_bot().await;
    let slot = bot.slot(48, 1).await;
    let user = anna();
    let days = open_days(&bot, &user, &RU).await;
    let local = slot.starts_at.with_timezone(&chrono_tz::Europe::Moscow);
    let times = bot.press(&user, &days, &RU.day(local.date_naive()), "выберите время").await;

    let bot = bot.restart().await;
    let confirm = bot.press(&user, &times, &local.format("%H:%M").to_string(), "Записать вас").await;
    bot.press(&user, &confirm, RU.confirm_yes, "вы записаны").await;

    assert_eq!(bot.count("SELECT COUNT(*) FROM bookings WHERE status = 'active'").await, 1);
    bot.stop().await;
}

#[tokio::test]
async fn updates_from_different_users_are_handled_side_by_side() {
    let bot = start_bot().await;
    // Every Bot API call takes a second: twenty greetings handled one after another would take
    // twenty seconds; side by side (teloxide's dispatcher runs each chat in its own worker), a
    // few.
    bot.fake.set_delay(std::time::Duration::from_secs(1));
    let users: Vec<FakeUser> = (0..20).map(|i| FakeUser::new(3000 + i, "Кандидат").lang("ru")).collect();

    let started = std::time::Instant::now();
    for user in &users {
        bot.fake.user_sends_command(user, "/start");
    }
    for user in &users {
        let chat = user.id;
        let greeting =
            bot.fake.wait_for(move |m| m.chat_id == chat && m.body().contains("Здравствуйте"), harness::WAIT * 3);
        greeting.await.unwrap();
    }
    let took = started.elapsed();
    bot.fake.set_delay(std::time::Duration::ZERO);

    assert!(took < std::time::Duration::from_secs(10), "20 users were answered in {took:?}: one after another?");
    assert_eq!(bot.count("SELECT COUNT(*) FROM candidates").await, 20);
    bot.stop().await;
}

#[tokio::test]
async fn an_admin_links_their_telegram_with_a_one_time_link_that_nobody_can_reuse() {
    use core_logic::{admins, telegram_link};
    let bot = start_bot().await;
    // The bot told its own username at start, so the panel can build t.me links.
    assert_eq!(telegram_link::bot_username(&bot.pool).await.unwrap().as_deref(), Some(fake_telegram::BOT_USERNAME));
    let admin = admins::create(&bot.pool, "olga", "quiet lantern mosaic", Utc::now()).await.unwrap();
    let offer = telegram_link::offer(&bot.pool, admin.id, Utc::now()).await.unwrap();
    let code = offer.url.split_once("?start=").unwrap().1.to_owned();
    let (olga, stranger) = (FakeUser::new(3003, "Ольга").lang("ru"), john());

    let (u, start) = (olga.clone(), format!("/start {code}"));
    let done = bot.expect(&olga, move |f| f.user_sends_command(&u, &start), "Готово").await;
    assert!(done.body().contains("<b>olga</b>"), "{}", done.body());
    let linked = telegram_link::linked_account(&bot.pool, admin.id).await.unwrap().unwrap();
    assert_eq!(linked.telegram_user_id, 3003);
    assert_eq!(linked.start_payload, None, "a link code is not a candidate's source");

    let (u, start) = (stranger.clone(), format!("/start {code}"));
    let refused = bot.expect(&stranger, move |f| f.user_sends_command(&u, &start), "expired").await;
    assert!(refused.body().contains(EN.admin_link_invalid.split(':').next().unwrap()), "{}", refused.body());
    let still = telegram_link::linked_account(&bot.pool, admin.id).await.unwrap().unwrap();
    assert_eq!(still.telegram_user_id, 3003);
    bot.stop().await;
}
