//! Vacancies, invitation links and questionnaires in the real bot through the fake Bot API:
//! the vacancy choice, a vacancy's link skipping it, a personal link prefilled and refused to a
//! second account, every question type with an invalid phone re-asked and a restart in the
//! middle, and the one-vacancy case unchanged.
#![allow(clippy::unwrap_used)]

#[path = "support/harness.rs"]
mod harness;

use chrono::Utc;
use core_logic::invites::{self, LinkKind, NewLink};
use core_logic::models::Slot;
use core_logic::questionnaire::{Question, QuestionKind};
use core_logic::slots::{self, NewSlot};
use core_logic::vacancies::{self, Vacancy, VacancyFields};
use fake_telegram::FakeUser;
use harness::{TestBot, start_bot};
use telegram_bot::texts::{EN, RU};

fn anna() -> FakeUser {
    FakeUser::new(1001, "Анна").username("anna_k").lang("ru")
}

fn boris() -> FakeUser {
    FakeUser::new(1002, "Борис").lang("ru")
}

fn q(kind: QuestionKind, text: &str, options: &[&str], optional: bool) -> Question {
    Question {
        kind,
        text: text.into(),
        text_en: None,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        optional,
    }
}

async fn vacancy(bot: &TestBot, title: &str, description: Option<&str>, questions: Vec<Question>) -> Vacancy {
    let fields = VacancyFields {
        title: title.into(),
        description: description.map(str::to_owned),
        duration_minutes: 30,
        format: "office".into(),
        location: None,
        capacity: 1,
        position: 0,
        questions,
        show_interviewer: false,
    };
    vacancies::create(&bot.pool, None, &fields, Utc::now()).await.unwrap()
}

async fn slot_for(bot: &TestBot, vacancy_id: Option<i64>, hours: i64) -> Slot {
    let new = NewSlot {
        starts_at: Utc::now() + chrono::Duration::hours(hours),
        duration_minutes: 30,
        capacity: 1,
        format: "office".into(),
        location: Some("Офис на Тверской".into()),
        notes: None,
        vacancy_id,
        interviewer_ids: vec![],
    };
    slots::create(&bot.pool, &Default::default(), None, &new, Utc::now()).await.unwrap()
}

async fn link(bot: &TestBot, kind: LinkKind, vacancy_id: Option<i64>, label: &str) -> String {
    let new = NewLink {
        kind,
        vacancy_id,
        label: label.into(),
        phone: None,
        note: None,
        expires_at: None,
        ends_on_booking: true,
    };
    invites::create(&bot.pool, None, &new, Utc::now()).await.unwrap().code
}

fn day_label(slot: &Slot) -> String {
    RU.day(slot.starts_at.with_timezone(&chrono_tz::Europe::Moscow).date_naive())
}

fn time_label(slot: &Slot) -> String {
    slot.starts_at.with_timezone(&chrono_tz::Europe::Moscow).format("%H:%M").to_string()
}

/// Picks the slot's day and time, confirms, and returns the "booked" message.
async fn book(bot: &TestBot, user: &FakeUser, days: &fake_telegram::SentMessage, slot: &Slot) -> String {
    let times = bot.press(user, days, &day_label(slot), "выберите время").await;
    let confirm = bot.press(user, &times, &time_label(slot), "Записать вас").await;
    bot.press(user, &confirm, RU.confirm_yes, "вы записаны").await.body().to_owned()
}

#[tokio::test]
async fn with_several_vacancies_a_candidate_picks_one_and_sees_only_its_days() {
    let bot = start_bot().await;
    let courier = vacancy(&bot, "Курьер", Some("Доставка по городу, график 2/2"), vec![]).await;
    let support = vacancy(&bot, "Поддержка", None, vec![]).await;
    let courier_slot = slot_for(&bot, Some(courier.id), 48).await;
    let support_slot = slot_for(&bot, Some(support.id), 72).await;
    let user = anna();

    let u = user.clone();
    let list = bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), RU.choose_vacancy).await;
    let labels: Vec<String> = list.inline_buttons().into_iter().map(|(t, _)| t).collect();
    assert_eq!(labels, vec!["Курьер", RU.vacancy_about, "Поддержка", RU.vacancy_about]);
    // The description on request, then back to the list.
    let about = list.inline_buttons()[1].1.clone().unwrap();
    let (u, id) = (user.clone(), list.message_id);
    let described = bot.expect(&user, move |f| f.user_presses_button(&u, id, &about), "график 2/2").await;
    let back = bot.press(&user, &described, RU.vacancy_others, RU.choose_vacancy).await;
    let days = bot.press(&user, &back, "Поддержка", "Выберите день").await;

    let shown: Vec<String> = days.inline_buttons().into_iter().map(|(t, _)| t).collect();
    assert!(shown.contains(&day_label(&support_slot)), "{shown:?}");
    if day_label(&support_slot) != day_label(&courier_slot) {
        assert!(!shown.contains(&day_label(&courier_slot)), "another vacancy's day: {shown:?}");
    }
    let booked = book(&bot, &user, &days, &support_slot).await;
    assert!(booked.contains("Вакансия: Поддержка"), "{booked}");
    let vacancy_of: Option<i64> =
        sqlx::query_scalar("SELECT vacancy_id FROM bookings").fetch_one(&bot.pool).await.unwrap();
    assert_eq!(vacancy_of, Some(support.id));
    // "My booking" names it too.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_my), "Вакансия: Поддержка").await;
    bot.stop().await;
}

#[tokio::test]
async fn a_vacancy_link_skips_the_choice_and_is_counted_in_the_funnel() {
    let bot = start_bot().await;
    let courier = vacancy(&bot, "Курьер", None, vec![]).await;
    vacancy(&bot, "Поддержка", None, vec![]).await;
    let slot = slot_for(&bot, Some(courier.id), 48).await;
    let code = link(&bot, LinkKind::Source, Some(courier.id), "hh.ru").await;
    let user = anna();

    let u = user.clone();
    let start = format!("/start {code}");
    bot.expect(
        &user,
        move |f| f.user_sends_command(&u, start),
        "Здравствуйте, Анна! Я помогу записаться на собеседование: <b>Курьер</b>",
    )
    .await;
    let days = bot.fake.wait_for(|m| m.body().contains("Выберите день"), harness::WAIT).await.unwrap();
    assert!(!bot.fake.sent().iter().any(|m| m.body().contains(RU.choose_vacancy)), "the link chose the vacancy");
    book(&bot, &user, &days, &slot).await;

    let f = core_logic::funnel::funnel(
        &bot.pool,
        Utc::now() - chrono::Duration::days(1),
        Utc::now() + chrono::Duration::days(1),
    )
    .await
    .unwrap();
    let hh = f.sources.iter().find(|s| s.label.as_deref() == Some("hh.ru")).unwrap();
    assert_eq!((hh.counts.opened, hh.counts.answered, hh.counts.booked), (1, 1, 1));
    assert_eq!(f.sources.len(), 1, "counted under the link only, not again as come in the bot: {:?}", f.sources);
    bot.stop().await;
}

#[tokio::test]
async fn a_personal_link_greets_by_name_prefills_it_and_refuses_a_second_account() {
    let bot = start_bot().await;
    let courier =
        vacancy(&bot, "Курьер", None, vec![q(QuestionKind::FullName, "Ваши имя и фамилия?", &[], false)]).await;
    vacancy(&bot, "Поддержка", None, vec![]).await;
    slot_for(&bot, Some(courier.id), 48).await;
    let code = link(&bot, LinkKind::Personal, Some(courier.id), "Анна Каренина").await;
    let user = anna();

    let u = user.clone();
    let start = format!("/start {code}");
    bot.expect(&user, move |f| f.user_sends_command(&u, start.clone()), "Здравствуйте, Анна Каренина!").await;
    let question = bot.fake.wait_for(|m| m.body().contains("Ваши имя и фамилия?"), harness::WAIT).await.unwrap();
    bot.press(&user, &question, "✅ Анна Каренина", "Выберите день").await;
    let stored: String = sqlx::query_scalar("SELECT answers FROM questionnaires").fetch_one(&bot.pool).await.unwrap();
    assert!(stored.contains("Анна Каренина"), "{stored}");

    // Another account opening the same link: a polite refusal and the vacancy choice.
    let other = boris();
    let (u, start) = (other.clone(), format!("/start {code}"));
    bot.expect(&other, move |f| f.user_sends_command(&u, start), RU.link_no_longer).await;
    bot.fake.wait_for(|m| m.chat_id == other.id && m.body().contains(RU.choose_vacancy), harness::WAIT).await.unwrap();
    let bound: i64 = bot.count("SELECT COUNT(*) FROM invite_links WHERE candidate_id IS NOT NULL").await;
    assert_eq!(bound, 1);
    // An unknown code is told apart.
    let (u, start) = (other.clone(), "/start 0123456789abcdef0123456789abcdef".to_owned());
    bot.expect(&other, move |f| f.user_sends_command(&u, start), RU.link_unknown).await;
    bot.stop().await;
}

#[tokio::test]
async fn the_questionnaire_asks_each_kind_re_asks_a_bad_phone_and_survives_a_restart() {
    let bot = start_bot().await;
    let questions = vec![
        q(QuestionKind::FullName, "Ваши имя и фамилия?", &[], false),
        q(QuestionKind::Phone, "Ваш телефон?", &[], false),
        q(QuestionKind::Text, "Где работали раньше?", &[], true),
        q(QuestionKind::Choice, "Когда удобно работать?", &["Утро", "Вечер"], false),
        q(QuestionKind::YesNo, "Есть медкнижка?", &[], false),
    ];
    let courier = vacancy(&bot, "Курьер", None, questions).await;
    let slot = slot_for(&bot, Some(courier.id), 48).await;
    let user = anna();

    // The only vacancy: no choice, straight to its first question.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), "Вопрос 1 из 5").await;
    let u = user.clone();
    let phone_q = bot.expect(&user, move |f| f.user_sends_text(&u, "  Анна Иванова "), "Вопрос 2 из 5").await;
    let keyboard = phone_q.reply_markup.clone().unwrap();
    assert_eq!(keyboard["keyboard"][0][0]["request_contact"], true, "{keyboard}");
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, "позвоните мне"), RU.invalid_phone).await;
    bot.fake.wait_for(|m| m.body().contains("Вопрос 2 из 5"), harness::WAIT).await.unwrap();
    // Someone else's contact is not the candidate's phone.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_shares_contact(&u, "+79990000000", false), RU.invalid_phone).await;

    let bot = bot.restart().await;
    let u = user.clone();
    let text_q = bot.expect(&user, move |f| f.user_shares_contact(&u, "79123456789", true), "Вопрос 3 из 5").await;
    let choice = bot.press(&user, &text_q, RU.skip, "Вопрос 4 из 5").await;
    // A typed answer to a buttons question is asked to use the buttons.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, "утром"), RU.use_buttons).await;
    let yes_no = bot.press(&user, &choice, "Вечер", "Вопрос 5 из 5").await;
    let days = bot.press(&user, &yes_no, RU.yes, RU.questionnaire_done).await;
    let days = if days.body().contains("Выберите день") {
        days
    } else {
        bot.fake.wait_for(|m| m.body().contains("Выберите день"), harness::WAIT).await.unwrap()
    };
    // An old button of an answered question changes nothing.
    let stale = TestBot::button(&choice, "Утро");
    let (u, id) = (user.clone(), choice.message_id);
    bot.expect(&user, move |f| f.user_presses_button(&u, id, &stale), RU.stale_button).await;

    let answers: String = sqlx::query_scalar("SELECT answers FROM questionnaires WHERE completed_at IS NOT NULL")
        .fetch_one(&bot.pool)
        .await
        .unwrap();
    let answers: serde_json::Value = serde_json::from_str(&answers).unwrap();
    let values: Vec<serde_json::Value> = answers.as_array().unwrap().iter().map(|a| a["answer"].clone()).collect();
    assert_eq!(
        values,
        vec![
            serde_json::json!("Анна Иванова"),
            serde_json::json!("+79123456789"),
            serde_json::Value::Null,
            serde_json::json!("Вечер"),
            serde_json::json!("Да"),
        ]
    );
    book(&bot, &user, &days, &slot).await;
    // Answered once: booking again does not ask again.
    let u = user.clone();
    bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), RU.limit_at_start.split('{').next().unwrap()).await;
    assert!(!bot.fake.sent().iter().any(|m| m.body().contains("Вопрос 1 из 5")));
    bot.stop().await;
}

#[tokio::test]
async fn an_english_candidate_gets_the_question_in_english() {
    let bot = start_bot().await;
    let question = Question {
        text_en: Some("Do you have a health certificate?".into()),
        ..q(QuestionKind::YesNo, "Есть медкнижка?", &[], false)
    };
    vacancy(&bot, "Курьер", None, vec![question]).await;
    let john = FakeUser::new(2002, "John").lang("en-US");
    let u = john.clone();
    let asked = bot.expect(&john, move |f| f.user_sends_text(&u, EN.menu_book), "Question 1 of 1").await;
    assert!(asked.body().contains("health certificate"));
    assert!(asked.inline_buttons().iter().any(|(t, _)| t == EN.yes));
    bot.stop().await;
}

#[tokio::test]
async fn with_one_vacancy_and_no_questions_booking_is_unchanged() {
    let bot = start_bot().await;
    let only = vacancy(&bot, "Курьер", None, vec![]).await;
    let slot = slot_for(&bot, Some(only.id), 48).await;
    let user = anna();
    let u = user.clone();
    let days = bot.expect(&user, move |f| f.user_sends_text(&u, RU.menu_book), "Выберите день").await;
    assert!(!bot.fake.sent().iter().any(|m| m.body().contains(RU.choose_vacancy) || m.body().contains("Вопрос")));
    book(&bot, &user, &days, &slot).await;
    bot.stop().await;
}

#[tokio::test]
async fn a_link_to_a_closed_vacancy_says_so_and_offers_the_others() {
    let bot = start_bot().await;
    let courier = vacancy(&bot, "Курьер", None, vec![]).await;
    vacancy(&bot, "Поддержка", None, vec![]).await;
    vacancy(&bot, "Склад", None, vec![]).await;
    let code = link(&bot, LinkKind::Source, Some(courier.id), "hh.ru").await;
    vacancies::set_status(&bot.pool, None, courier.id, core_logic::models::VacancyStatus::Archived, Utc::now())
        .await
        .unwrap();
    let user = anna();
    let (u, start) = (user.clone(), format!("/start {code}"));
    bot.expect(&user, move |f| f.user_sends_command(&u, start), RU.vacancy_closed).await;
    let list = bot.fake.wait_for(|m| m.body().contains(RU.choose_vacancy), harness::WAIT).await.unwrap();
    let labels: Vec<String> = list.inline_buttons().into_iter().map(|(t, _)| t).collect();
    assert!(!labels.contains(&"Курьер".to_owned()), "{labels:?}");
    bot.stop().await;
}
