//! The team in Telegram through the fake Bot API: an account links its Telegram by a one-time
//! code (a used or unknown code refused); the interviewer of a slot, and only they, hears of its
//! bookings and cancellations with the candidate's answers; the morning agenda at AGENDA_TIME
//! (a controlled clock), once; after an interview, "did the candidate come?", a score and a note,
//! which land on the booking and the candidate's card.
#![allow(clippy::unwrap_used)]

#[path = "support/harness.rs"]
mod harness;

use chrono::{Duration, NaiveTime, TimeZone, Utc};
use core_logic::accounts::{self, NewAccount};
use core_logic::models::Role;
use core_logic::questionnaire::{Question, QuestionKind};
use core_logic::slots::{self, NewSlot};
use core_logic::vacancies::{self, VacancyFields};
use core_logic::{bookings, telegram_link};
use fake_telegram::FakeUser;
use harness::{TestBot, start_bot};
use telegram_bot::team_jobs::TeamJobs;
use telegram_bot::texts::RU;

fn anna() -> FakeUser {
    FakeUser::new(1001, "Анна").lang("ru")
}

/// A team account whose Telegram (`user`) is linked through the real deep-link flow.
async fn linked(bot: &TestBot, login: &str, user: &FakeUser) -> i64 {
    let new = NewAccount { username: login.into(), display_name: login.into(), role: Role::Interviewer };
    let id = accounts::invite(&bot.pool, None, &new, Utc::now()).await.unwrap().account.id;
    let offer = telegram_link::offer(&bot.pool, id, Utc::now()).await.unwrap();
    let code = offer.url.split("start=").nth(1).unwrap().to_owned();
    let (u, start) = (user.clone(), format!("/start {code}"));
    bot.expect(user, move |f| f.user_sends_command(&u, start), "Готово").await;
    id
}

fn slot(starts_at: chrono::DateTime<Utc>, interviewer_ids: Vec<i64>) -> NewSlot {
    NewSlot {
        starts_at,
        duration_minutes: 30,
        capacity: 1,
        format: "office".into(),
        location: Some("Офис на Тверской".into()),
        notes: None,
        vacancy_id: None,
        interviewer_ids,
    }
}

#[tokio::test]
async fn a_team_account_links_its_telegram_by_a_one_time_code_only() {
    let bot = start_bot().await;
    let olga_tg = FakeUser::new(5001, "Ольга").lang("ru");
    linked(&bot, "olga", &olga_tg).await;
    let stranger = FakeUser::new(5002, "Пётр").lang("ru");
    let (u, start) = (stranger.clone(), "/start adm_0123456789abcdef0123456789abcdef".to_owned());
    bot.expect(&stranger, move |f| f.user_sends_command(&u, start), RU.admin_link_invalid).await;
    // A spent code does not link a second account.
    let id = accounts::invite(
        &bot.pool,
        None,
        &NewAccount { username: "ivan".into(), display_name: "Иван".into(), role: Role::Interviewer },
        Utc::now(),
    )
    .await
    .unwrap()
    .account
    .id;
    let offer = telegram_link::offer(&bot.pool, id, Utc::now()).await.unwrap();
    let code = offer.url.split("start=").nth(1).unwrap().to_owned();
    let (u, start) = (olga_tg.clone(), format!("/start {code}"));
    bot.expect(&olga_tg, move |f| f.user_sends_command(&u, start), "Готово").await;
    let (u, start) = (stranger.clone(), format!("/start {code}"));
    bot.expect(&stranger, move |f| f.user_sends_command(&u, start), RU.admin_link_invalid).await;
    bot.stop().await;
}

#[tokio::test]
async fn the_interviewer_and_only_they_hear_of_bookings_and_cancellations_with_the_answers() {
    let bot = start_bot().await;
    let (olga_tg, ivan_tg) = (FakeUser::new(5001, "Ольга").lang("ru"), FakeUser::new(5003, "Иван").lang("ru"));
    let olga = linked(&bot, "olga", &olga_tg).await;
    linked(&bot, "ivan", &ivan_tg).await;
    let question = Question {
        kind: QuestionKind::YesNo,
        text: "Есть медкнижка?".into(),
        text_en: None,
        options: vec![],
        optional: false,
    };
    let fields = VacancyFields {
        title: "Курьер".into(),
        description: None,
        duration_minutes: 30,
        format: "office".into(),
        location: None,
        capacity: 1,
        position: 0,
        questions: vec![question],
        show_interviewer: true,
    };
    let courier = vacancies::create(&bot.pool, None, &fields, Utc::now()).await.unwrap();
    let s = slots::create(
        &bot.pool,
        &Default::default(),
        None,
        &NewSlot { vacancy_id: Some(courier.id), ..slot(Utc::now() + Duration::hours(48), vec![olga]) },
        Utc::now(),
    )
    .await
    .unwrap();
    let user = anna();
    let u = user.clone();
    let asked = bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), "Есть медкнижка?").await;
    let days = bot.press(&user, &asked, RU.yes, "Выберите день").await;
    let local = s.starts_at.with_timezone(&chrono_tz::Europe::Moscow);
    let times = bot.press(&user, &days, &RU.day(local.date_naive()), "выберите время").await;
    let confirm = bot.press(&user, &times, &local.format("%H:%M").to_string(), "Записать вас").await;
    let booked = bot.press(&user, &confirm, RU.confirm_yes, "вы записаны").await;
    assert!(
        booked.body().contains("Собеседование проведёт: olga"),
        "the vacancy shows the interviewer: {}",
        booked.body()
    );
    bot.relay().await;

    let told =
        bot.fake.wait_for(|m| m.chat_id == 5001 && m.body().contains("Новая запись"), harness::WAIT).await.unwrap();
    assert!(
        told.body().contains("Анна") && told.body().contains("Курьер") && told.body().contains("Есть медкнижка?: Да"),
        "{}",
        told.body()
    );
    // The candidate cancels: Olga hears; Ivan heard nothing at all.
    let booking: i64 = sqlx::query_scalar("SELECT id FROM bookings").fetch_one(&bot.pool).await.unwrap();
    let candidate: i64 = sqlx::query_scalar("SELECT candidate_id FROM bookings").fetch_one(&bot.pool).await.unwrap();
    bookings::cancel_by_candidate(
        &bot.pool,
        &core_logic::config::BookingRules::default(),
        candidate,
        booking,
        Utc::now(),
    )
    .await
    .unwrap();
    bot.relay().await;
    bot.fake.wait_for(|m| m.chat_id == 5001 && m.body().contains("отменено"), harness::WAIT).await.unwrap();
    assert!(!bot.fake.sent().iter().any(|m| m.chat_id == 5003 && m.body().contains("Собеседование")));
    let deliveries: i64 = bot.count("SELECT COUNT(*) FROM deliveries WHERE notification LIKE '%\"interview\"%'").await;
    assert_eq!(deliveries, 2, "through the queue and the delivery records");
    bot.stop().await;
}

#[tokio::test]
async fn the_morning_agenda_comes_once_at_agenda_time_and_only_with_interviews() {
    let bot = start_bot().await;
    let tz = chrono_tz::Europe::Moscow;
    let (olga_tg, ivan_tg) = (FakeUser::new(5001, "Ольга").lang("ru"), FakeUser::new(5003, "Иван").lang("ru"));
    let olga = linked(&bot, "olga", &olga_tg).await;
    linked(&bot, "ivan", &ivan_tg).await;
    // Tomorrow 11:00 Moscow, booked for Olga; the job's clock is then set to tomorrow.
    let tomorrow = (Utc::now().with_timezone(&tz) + Duration::days(1)).date_naive();
    let at = |h, m| tz.from_local_datetime(&tomorrow.and_hms_opt(h, m, 0).unwrap()).unwrap().with_timezone(&Utc);
    let s =
        slots::create(&bot.pool, &Default::default(), None, &slot(at(11, 0), vec![olga]), Utc::now()).await.unwrap();
    let candidate = core_logic::candidates::upsert_from_telegram(
        &bot.pool,
        &core_logic::candidates::TelegramProfile {
            telegram_user_id: 1001,
            chat_id: 1001,
            first_name: "Анна".into(),
            ..Default::default()
        },
        Utc::now(),
    )
    .await
    .unwrap();
    bookings::book(&bot.pool, &core_logic::config::BookingRules::default(), candidate.id, s.id, Utc::now())
        .await
        .unwrap();
    let jobs = TeamJobs { pool: bot.pool.clone(), tz, agenda_time: NaiveTime::from_hms_opt(8, 0, 0).unwrap() };

    assert_eq!(jobs.step(at(7, 59)).await.unwrap().1, 0, "not before AGENDA_TIME");
    assert_eq!(jobs.step(at(8, 0)).await.unwrap().1, 1, "Olga's agenda; Ivan has none");
    bot.relay().await;
    let agenda = bot
        .fake
        .wait_for(|m| m.chat_id == 5001 && m.body().contains("Ваши собеседования"), harness::WAIT)
        .await
        .unwrap();
    assert!(agenda.body().contains("11:00 — Анна"), "{}", agenda.body());
    assert_eq!(jobs.step(at(9, 0)).await.unwrap().1, 0, "once a day");
    // A restart changes nothing.
    let bot = bot.restart().await;
    let jobs = TeamJobs { pool: bot.pool.clone(), ..jobs };
    assert_eq!(jobs.step(at(10, 0)).await.unwrap().1, 0);
    assert!(!bot.fake.sent().iter().any(|m| m.chat_id == 5003 && m.body().contains("Ваши собеседования")));
    bot.stop().await;
}

#[tokio::test]
async fn after_an_interview_the_interviewer_marks_attendance_a_score_and_a_note() {
    let bot = start_bot().await;
    let olga_tg = FakeUser::new(5001, "Ольга").lang("ru");
    let olga = linked(&bot, "olga", &olga_tg).await;
    // An interview that started an hour ago (created and booked three hours ago).
    let past = Utc::now() - Duration::hours(3);
    let s =
        slots::create(&bot.pool, &Default::default(), None, &slot(Utc::now() - Duration::hours(1), vec![olga]), past)
            .await
            .unwrap();
    let candidate = core_logic::candidates::upsert_from_telegram(
        &bot.pool,
        &core_logic::candidates::TelegramProfile {
            telegram_user_id: 1001,
            chat_id: 1001,
            first_name: "Анна".into(),
            ..Default::default()
        },
        past,
    )
    .await
    .unwrap();
    let booking = bookings::book(&bot.pool, &core_logic::config::BookingRules::default(), candidate.id, s.id, past)
        .await
        .unwrap()
        .booking
        .id;
    let jobs = TeamJobs {
        pool: bot.pool.clone(),
        tz: chrono_tz::Europe::Moscow,
        agenda_time: NaiveTime::from_hms_opt(23, 59, 0).unwrap(),
    };

    assert_eq!(jobs.step(Utc::now()).await.unwrap().0, 1);
    assert_eq!(jobs.step(Utc::now()).await.unwrap().0, 0, "asked once");
    bot.relay().await;
    let question =
        bot.fake.wait_for(|m| m.chat_id == 5001 && m.body().contains("Кандидат пришёл?"), harness::WAIT).await.unwrap();
    let score = bot.press(&olga_tg, &question, RU.team_came, RU.team_score_question).await;
    let note = bot.press(&olga_tg, &score, "4", "Короткий комментарий").await;
    let u = olga_tg.clone();
    bot.expect(
        &olga_tg,
        move |f| f.user_sends_text(&u, "Сильный кандидат, готов выйти в понедельник"),
        RU.team_feedback_saved,
    )
    .await;
    // The old buttons no longer change anything.
    let stale = TestBot::button(&note, RU.skip);
    let (u, id) = (olga_tg.clone(), note.message_id);
    bot.expect(&olga_tg, move |f| f.user_presses_button(&u, id, &stale), RU.stale_button).await;

    let status: String = sqlx::query_scalar("SELECT status FROM bookings WHERE id = ?")
        .bind(booking)
        .fetch_one(&bot.pool)
        .await
        .unwrap();
    assert_eq!(status, "attended");
    let card = core_logic::team::of_candidate(&bot.pool, candidate.id).await.unwrap();
    assert_eq!(card.len(), 1);
    assert_eq!(
        (card[0].attended, card[0].score, card[0].note.as_deref()),
        (Some(true), Some(4), Some("Сильный кандидат, готов выйти в понедельник"))
    );
    // Someone else pressing her buttons is refused.
    let stranger = FakeUser::new(5009, "Чужой").lang("ru");
    let data = TestBot::button(&question, RU.team_not_came);
    let (u, id) = (stranger.clone(), question.message_id);
    bot.expect(&stranger, move |f| f.user_presses_button(&u, id, &data), RU.stale_button).await;
    bot.stop().await;
}
