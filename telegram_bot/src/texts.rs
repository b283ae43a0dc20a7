//! Every user-facing string of the bot, one table per language (Russian by default, English for
//! English-language Telegram users). Tests compare against these constants.

use chrono::{DateTime, Datelike, NaiveDate, Offset, Utc};
use chrono_tz::Tz;

/// The bot's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    /// From the language stored for a candidate (`core_logic::candidates::language_for`).
    pub fn from_code(code: &str) -> Self {
        if code == "en" { Self::En } else { Self::Ru }
    }

    /// The strings of this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Self::Ru => &RU,
            Self::En => &EN,
        }
    }
}

/// One language's strings. Those with `{}` are filled by the functions below.
pub struct Texts {
    pub welcome: &'static str,
    /// An admin opened their one-time link: `{}` is the admin's panel login.
    pub admin_linked: &'static str,
    /// An admin link that is unknown, spent or expired.
    pub admin_link_invalid: &'static str,
    /// Several vacancies are open: pick one.
    pub choose_vacancy: &'static str,
    /// The button that shows a vacancy's description.
    pub vacancy_about: &'static str,
    /// Under a description: choose this vacancy.
    pub vacancy_pick: &'static str,
    /// Under a description: back to the list of vacancies.
    pub vacancy_others: &'static str,
    /// A vacancy with no description: `{}` is its title.
    pub vacancy_no_description: &'static str,
    /// The vacancy is closed (archived) or gone.
    pub vacancy_closed: &'static str,
    /// "My booking" and the confirmation name the vacancy: `{}` is its title.
    pub vacancy_line: &'static str,
    /// The interviewers' names, when the vacancy shows them: `{}`.
    pub interviewer_line: &'static str,
    /// Over each question: `{}` of `{}`.
    pub question_header: &'static str,
    /// Under an optional question.
    pub question_optional: &'static str,
    pub skip: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    /// The reply-keyboard button that shares the candidate's own number.
    pub share_phone: &'static str,
    pub phone_hint: &'static str,
    /// Under a name question: the name offered can be kept with the button or typed anew.
    pub name_hint: &'static str,
    pub invalid_phone: &'static str,
    /// `{}`: the longest answer allowed.
    pub invalid_length: &'static str,
    pub use_buttons: &'static str,
    pub answer_saved: &'static str,
    pub questionnaire_done: &'static str,
    /// A personal invitation opened: `{}` is the person's name, `{}` the vacancy's title.
    pub invited_personal: &'static str,
    /// A source link or a personal one without a vacancy opened: `{}` is the name.
    pub invited: &'static str,
    /// A link with a vacancy opened: `{}` is the name, `{}` the vacancy's title.
    pub invited_to: &'static str,
    /// An invitation that is used, expired, revoked or another person's.
    pub link_no_longer: &'static str,
    /// A code that matches no invitation.
    pub link_unknown: &'static str,
    /// To an interviewer: a new booking; `{}` the candidate, `{}` the interview's details.
    pub team_booked: &'static str,
    /// A moved interview: `{}` the candidate, `{}` the old time, `{}` the new details.
    pub team_moved: &'static str,
    /// A cancelled interview: `{}` the candidate, `{}` the time.
    pub team_cancelled: &'static str,
    /// The heading over a questionnaire's answers.
    pub team_answers: &'static str,
    /// The morning agenda's heading: `{}` the day.
    pub team_agenda: &'static str,
    /// After an interview: `{}` the candidate, `{}` the time.
    pub team_came_question: &'static str,
    pub team_came: &'static str,
    pub team_not_came: &'static str,
    pub team_score_question: &'static str,
    pub team_note_question: &'static str,
    pub team_feedback_saved: &'static str,
    pub help: &'static str,
    pub menu_book: &'static str,
    pub menu_my: &'static str,
    pub menu_contact: &'static str,
    pub menu_help: &'static str,
    pub choose_day: &'static str,
    pub no_days: &'static str,
    pub choose_time: &'static str,
    pub day_full: &'static str,
    pub back: &'static str,
    pub earlier: &'static str,
    pub later: &'static str,
    pub confirm_question: &'static str,
    pub confirm_yes: &'static str,
    pub confirm_no: &'static str,
    pub booked: &'static str,
    pub slot_taken: &'static str,
    pub limit_reached: &'static str,
    /// Told when a candidate who already holds every booking allowed opens the booking flow.
    pub limit_at_start: &'static str,
    pub too_late_to_book: &'static str,
    pub blocked: &'static str,
    pub no_booking: &'static str,
    pub your_booking: &'static str,
    pub cancel_button: &'static str,
    pub reschedule_button: &'static str,
    pub cancel_question: &'static str,
    pub cancel_yes: &'static str,
    pub cancel_no: &'static str,
    pub cancelled: &'static str,
    pub deadline_passed: &'static str,
    pub reschedule_choose_day: &'static str,
    pub rescheduled: &'static str,
    pub stale_button: &'static str,
    pub contact: &'static str,
    pub contact_button: &'static str,
    pub not_understood: &'static str,
    /// The answer to a message the inbox stored: passed on, a recruiter replies here.
    pub inbox_received: &'static str,
    /// The heading over a recruiter's reply from the panel.
    pub reply_heading: &'static str,
    /// The note to `ADMIN_CHAT_ID` about a new message: who, and its beginning.
    pub admin_new_message: &'static str,
    /// How a photo or a document without a caption reads in that note.
    pub photo: &'static str,
    pub document: &'static str,
    pub reminder_day: &'static str,
    pub reminder_soon: &'static str,
    pub will_you_come: &'static str,
    /// Under "will you come?" when unanswered bookings are released: `{}` the deadline.
    pub answer_by: &'static str,
    pub coming_yes: &'static str,
    pub coming_no: &'static str,
    pub thanks_coming: &'static str,
    pub admin_cancelled: &'static str,
    pub slot_changed: &'static str,
    pub reason: &'static str,
    pub when: &'static str,
    pub format: &'static str,
    pub place: &'static str,
    pub calendar_file: &'static str,
    /// The title of the calendar event.
    pub calendar_summary: &'static str,
    /// The caption of the .ics file that removes a cancelled interview from the calendar.
    pub calendar_cancelled: &'static str,
    /// The button under a cancellation notice that opens the booking flow again.
    pub book_again: &'static str,
    /// The unit after an interview's length.
    pub minutes: &'static str,
    pub admin_new_booking: &'static str,
    pub admin_cancelled_booking: &'static str,
    /// To ADMIN_CHAT_ID: `{}` the candidate asks to book after `{}` no-shows.
    pub admin_approval_request: &'static str,
    /// Interview formats the panel offers (stored value -> how it reads); a recruiter's own
    /// wording is shown as written.
    /// The button that joins the waitlist (under the days, or when there are none).
    pub wait_button: &'static str,
    /// The waitlist's preferences question.
    pub wait_prefs: &'static str,
    pub wait_any: &'static str,
    pub wait_done: &'static str,
    /// Joined: `{}` the place, `{}` the preferences, `{}` the hold in minutes.
    pub wait_joined: &'static str,
    /// The candidate's place: `{}` the place, `{}` the preferences.
    pub wait_place: &'static str,
    /// Preferences when none were chosen.
    pub wait_any_time: &'static str,
    pub wait_leave: &'static str,
    pub wait_left: &'static str,
    /// An offer: `{}` the interview's details, `{}` the time the hold ends.
    pub offer: &'static str,
    pub offer_take: &'static str,
    pub offer_decline: &'static str,
    pub offer_declined: &'static str,
    /// The hold ended unanswered: `{}` the time.
    pub offer_expired: &'static str,
    /// The slot offered changed or went: `{}` the time.
    pub offer_withdrawn: &'static str,
    /// A press on an offer that already ended.
    pub offer_gone: &'static str,
    /// An unconfirmed booking released: `{}` the time.
    pub released: &'static str,
    /// Booking needs a recruiter's approval: `{}` the number of missed interviews.
    pub approval_needed: &'static str,
    pub approval_ask: &'static str,
    pub approval_requested: &'static str,
    pub approval_waiting: &'static str,
    pub approval_granted: &'static str,
    pub approval_refused: &'static str,
    /// Parts of the day: morning, afternoon, evening.
    pub parts: [&'static str; 3],
    pub formats: &'static [(&'static str, &'static str)],
    /// Time zones people know by name (IANA name -> "по московскому времени"); any other zone
    /// is named by its city and UTC offset.
    pub zones: &'static [(&'static str, &'static str)],
    pub weekdays: [&'static str; 7],
    pub months: [&'static str; 12],
    pub free_places: &'static str,
    pub commands: [(&'static str, &'static str); 5],
}

pub static RU: Texts = Texts {
    welcome: "Здравствуйте, {}! Я помогу записаться на собеседование.\nВыберите, что сделать:",
    admin_linked: "Готово: этот Telegram связан с учётной записью <b>{}</b> в панели. Тестовые рассылки будут приходить сюда.",
    admin_link_invalid: "Эта ссылка уже использована или устарела. Получите новую в панели: «Рассылки» → «Связать Telegram».",
    choose_vacancy: "На какую вакансию хотите записаться?",
    vacancy_about: "ℹ️ Подробнее",
    vacancy_pick: "✅ Выбрать эту вакансию",
    vacancy_others: "« Другие вакансии",
    vacancy_no_description: "<b>{}</b>\n\nПодробности расскажем на собеседовании.",
    vacancy_closed: "Набор на эту вакансию закрыт. Посмотрите другие:",
    vacancy_line: "Вакансия: {}",
    interviewer_line: "Собеседование проведёт: {}",
    question_header: "Вопрос {} из {}",
    question_optional: "Можно пропустить.",
    skip: "Пропустить",
    yes: "Да",
    no: "Нет",
    share_phone: "📱 Отправить мой номер",
    phone_hint: "Нажмите «📱 Отправить мой номер» внизу или напишите номер, например +7 912 345-67-89.",
    name_hint: "Нажмите кнопку, если всё верно, или напишите имя и фамилию.",
    invalid_phone: "Это не похоже на номер телефона. Напишите его с кодом страны, например +7 912 345-67-89, или нажмите «📱 Отправить мой номер».",
    invalid_length: "Ответ должен быть непустым и не длиннее {} символов. Попробуйте ещё раз.",
    use_buttons: "Выберите ответ кнопкой под вопросом.",
    answer_saved: "Спасибо, записал.",
    questionnaire_done: "Спасибо за ответы! Теперь выберите удобное время.",
    invited_personal: "Здравствуйте, {}! Вас пригласили на собеседование: <b>{}</b>.",
    invited: "Здравствуйте, {}! Я помогу записаться на собеседование.",
    invited_to: "Здравствуйте, {}! Я помогу записаться на собеседование: <b>{}</b>.",
    link_no_longer: "Эта ссылка-приглашение больше не действует: её срок истёк, она уже использована или предназначена другому человеку. Но записаться можно и так:",
    link_unknown: "Не нашёл такого приглашения: возможно, ссылка скопирована не полностью. Но записаться можно и так:",
    team_booked: "📌 <b>Новая запись</b> к вам на собеседование\n👤 {}\n{}",
    team_moved: "🔁 <b>Собеседование перенесено</b>\n👤 {}\nБыло: {}\n{}",
    team_cancelled: "❌ <b>Собеседование отменено</b>\n👤 {}\n🗓 {}",
    team_answers: "Ответы на анкету:",
    team_agenda: "☀️ <b>Ваши собеседования {}</b>",
    team_came_question: "Собеседование с <b>{}</b> ({}) закончилось. Кандидат пришёл?",
    team_came: "✅ Пришёл",
    team_not_came: "❌ Не пришёл",
    team_score_question: "Ваша оценка кандидата от 1 до 5?",
    team_note_question: "Короткий комментарий о кандидате? Напишите его одним сообщением или нажмите «Пропустить».",
    team_feedback_saved: "Спасибо, отзыв сохранён в карточке кандидата.",
    help: "Я записываю на собеседования.\n\n📅 «Записаться» — выбрать день и время.\n📋 «Моя запись» — посмотреть, перенести или отменить запись.\n💬 «Связаться» — написать живому человеку.\n\nКоманды: /book, /my, /cancel, /help.",
    menu_book: "📅 Записаться",
    menu_my: "📋 Моя запись",
    menu_contact: "💬 Связаться",
    menu_help: "❓ Помощь",
    choose_day: "Выберите день собеседования (время указано {}):",
    no_days: "Сейчас свободных слотов нет. Загляните позже или напишите нам.",
    choose_time: "{}: выберите время ({}):",
    day_full: "На этот день мест больше нет. Выберите другой день:",
    back: "« Назад",
    earlier: "« Раньше",
    later: "Позже »",
    confirm_question: "Записать вас на собеседование?\n\n{}",
    confirm_yes: "✅ Да, записаться",
    confirm_no: "Выбрать другое время",
    booked: "Готово, вы записаны!\n\n{}\n\nЯ напомню о собеседовании заранее. Файл ниже добавит его в календарь.",
    slot_taken: "Это время только что заняли. Вот свободные варианты:",
    limit_reached: "У вас уже есть запись. Перенесите или отмените её в «Моя запись».",
    limit_at_start: "У вас уже есть запись:\n\n{}\n\nПеренести её на другое время или отменить?",
    too_late_to_book: "На это время записаться уже нельзя. Выберите другое:",
    blocked: "Запись для вас сейчас недоступна. Если это ошибка, напишите нам: @{}",
    no_booking: "У вас нет предстоящих записей.",
    your_booking: "Ваша запись:\n\n{}",
    cancel_button: "❌ Отменить",
    reschedule_button: "🔁 Перенести",
    cancel_question: "Точно отменить запись?\n\n{}",
    cancel_yes: "Да, отменить",
    cancel_no: "Нет, оставить",
    cancelled: "Запись отменена. Будем рады видеть вас в другой раз!",
    deadline_passed: "До собеседования осталось слишком мало времени, изменить запись в боте нельзя. Напишите нам: @{}",
    reschedule_choose_day: "Выберите новый день (текущая запись сохранится, пока вы не выберете новое время):",
    rescheduled: "Запись перенесена!\n\n{}",
    stale_button: "Эта кнопка устарела. Вот актуальное меню:",
    contact: "Напишите нам в Telegram: @{}",
    contact_button: "Написать @{}",
    not_understood: "Я понимаю только кнопки и команды. Выберите действие:",
    inbox_received: "Спасибо! Сообщение передано рекрутеру, ответ придёт сюда, в этот чат.",
    reply_heading: "💬 Ответ рекрутера:",
    admin_new_message: "Новое сообщение от {}: {}",
    photo: "📷 Фото",
    document: "📎 {}",
    reminder_day: "Напоминание: завтра собеседование.\n\n{}",
    reminder_soon: "Напоминание: скоро собеседование.\n\n{}",
    will_you_come: "Вы придёте?",
    answer_by: "Пожалуйста, ответьте до {}: без подтверждения мы освободим это время для других кандидатов.",
    coming_yes: "✅ Да, приду",
    coming_no: "❌ Не смогу",
    thanks_coming: "Спасибо! Ждём вас.",
    admin_cancelled: "К сожалению, ваше собеседование {} отменено.",
    slot_changed: "Ваше собеседование перенесено.\n\n{}",
    reason: "Причина",
    when: "Когда",
    format: "Формат",
    place: "Где",
    calendar_file: "Добавить в календарь",
    calendar_summary: "Собеседование",
    book_again: "📅 Записаться снова",
    calendar_cancelled: "Удалить из календаря",
    minutes: "мин",
    admin_new_booking: "Новая запись: {} — {}",
    admin_cancelled_booking: "Отмена записи: {} — {}",
    admin_approval_request: "🙋 {} просит разрешить запись после неявок ({}). Решение — в панели: «Лист ожидания» → «Запросы на запись».",
    wait_button: "🔔 Сообщите мне, когда появится время",
    wait_prefs: "Когда вам удобно? Отметьте дни недели и время суток и нажмите «Готово» — или сразу «Любое время».\n\nКак только освободится подходящее время, я предложу его вам.",
    wait_any: "Любое время",
    wait_done: "Готово",
    wait_joined: "Готово, вы в листе ожидания, ваше место — {}. Удобное время: {}.\n\nКак только освободится подходящее время, я пришлю предложение и придержу его для вас {} мин.",
    wait_place: "Вы в листе ожидания, ваше место — {}. Удобное время: {}.\n\nКак только освободится подходящее время, я пришлю предложение.",
    wait_any_time: "любое",
    wait_leave: "Покинуть лист ожидания",
    wait_left: "Вы больше не в листе ожидания. Записаться можно в любой момент.",
    offer: "🔔 Освободилось время для собеседования:\n\n{}\n\nЯ держу его для вас до {}. Записать вас?",
    offer_take: "✅ Беру",
    offer_decline: "Нет, спасибо",
    offer_declined: "Хорошо, предложу это время следующему. Вы остаётесь в листе ожидания.",
    offer_expired: "Время {} больше не держится за вами: ответа не было. Вы остаётесь в листе ожидания — я напишу, когда освободится другое время.",
    offer_withdrawn: "Время {}, которое я вам предлагал, больше недоступно. Вы остаётесь в листе ожидания.",
    offer_gone: "Это предложение уже не действует. Вы остаётесь в листе ожидания — я напишу, когда освободится другое время.",
    released: "Вы не подтвердили, что придёте, поэтому мы освободили время {} для других кандидатов. Если вы всё же хотите прийти — запишитесь снова, будем рады.",
    approval_needed: "Вы не пришли на собеседования ({}), поэтому новую запись должен одобрить рекрутер. Нажмите кнопку — я передам ваш запрос.",
    approval_ask: "Попросить разрешение",
    approval_requested: "Запрос отправлен рекрутеру. Я напишу, как только он ответит.",
    approval_waiting: "Ваш запрос уже у рекрутера. Я напишу, как только он ответит.",
    approval_granted: "Рекрутер разрешил вам записаться. Выберите удобное время:",
    approval_refused: "К сожалению, рекрутер не разрешил новую запись. Если есть вопросы — напишите нам.",
    parts: ["утро", "день", "вечер"],
    formats: &[("online", "онлайн"), ("offline", "в офисе"), ("office", "в офисе"), ("phone", "по телефону")],
    zones: &[
        ("Europe/Kaliningrad", "по калининградскому времени"),
        ("Europe/Moscow", "по московскому времени"),
        ("Europe/Simferopol", "по московскому времени"),
        ("Europe/Samara", "по самарскому времени"),
        ("Asia/Yekaterinburg", "по екатеринбургскому времени"),
        ("Asia/Omsk", "по омскому времени"),
        ("Asia/Novosibirsk", "по новосибирскому времени"),
        ("Asia/Krasnoyarsk", "по красноярскому времени"),
        ("Asia/Irkutsk", "по иркутскому времени"),
        ("Asia/Yakutsk", "по якутскому времени"),
        ("Asia/Vladivostok", "по владивостокскому времени"),
        ("Asia/Magadan", "по магаданскому времени"),
        ("Asia/Kamchatka", "по камчатскому времени"),
        ("Europe/Minsk", "по минскому времени"),
    ],
    weekdays: ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
    months: [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    free_places: "мест: {}",
    commands: [
        ("start", "Главное меню"),
        ("book", "Записаться на собеседование"),
        ("my", "Моя запись"),
        ("cancel", "Отменить запись"),
        ("help", "Помощь"),
    ],
};

pub static EN: Texts = Texts {
    welcome: "Hello, {}! I can book you an interview.\nWhat would you like to do?",
    admin_linked: "Done: this Telegram account is linked to <b>{}</b> in the panel. Test sends will come here.",
    admin_link_invalid: "This link has been used or has expired. Get a new one in the panel: \"Broadcasts\" → \"Link Telegram\".",
    choose_vacancy: "Which position would you like to interview for?",
    vacancy_about: "ℹ️ Details",
    vacancy_pick: "✅ Choose this position",
    vacancy_others: "« Other positions",
    vacancy_no_description: "<b>{}</b>\n\nWe will tell you more at the interview.",
    vacancy_closed: "This position is no longer open. Have a look at the others:",
    vacancy_line: "Position: {}",
    interviewer_line: "Your interviewer: {}",
    question_header: "Question {} of {}",
    question_optional: "You may skip it.",
    skip: "Skip",
    yes: "Yes",
    no: "No",
    share_phone: "📱 Share my number",
    phone_hint: "Tap \"📱 Share my number\" below or type the number, e.g. +44 20 7946 0958.",
    name_hint: "Tap the button if it is right, or type your first and last name.",
    invalid_phone: "That does not look like a phone number. Type it with the country code, e.g. +44 20 7946 0958, or tap \"📱 Share my number\".",
    invalid_length: "The answer must not be empty and at most {} characters long. Please try again.",
    use_buttons: "Please pick an answer with the buttons under the question.",
    answer_saved: "Thank you, noted.",
    questionnaire_done: "Thank you for your answers! Now pick a convenient time.",
    invited_personal: "Hello, {}! You are invited to an interview: <b>{}</b>.",
    invited: "Hello, {}! I will help you book an interview.",
    invited_to: "Hello, {}! I will help you book an interview: <b>{}</b>.",
    link_no_longer: "This invitation link no longer works: it has expired, has been used, or is meant for someone else. You can still book:",
    link_unknown: "I could not find this invitation: perhaps the link was not copied in full. You can still book:",
    team_booked: "📌 <b>A new booking</b> for your interview\n👤 {}\n{}",
    team_moved: "🔁 <b>An interview was moved</b>\n👤 {}\nWas: {}\n{}",
    team_cancelled: "❌ <b>An interview was cancelled</b>\n👤 {}\n🗓 {}",
    team_answers: "Questionnaire answers:",
    team_agenda: "☀️ <b>Your interviews {}</b>",
    team_came_question: "The interview with <b>{}</b> ({}) has ended. Did the candidate come?",
    team_came: "✅ Came",
    team_not_came: "❌ Did not come",
    team_score_question: "Your score for the candidate, 1 to 5?",
    team_note_question: "A short note about the candidate? Write it in one message or tap \"Skip\".",
    team_feedback_saved: "Thank you, the feedback is on the candidate's card.",
    help: "I book interviews.\n\n📅 \"Book\" — pick a day and time.\n📋 \"My booking\" — see, move or cancel your booking.\n💬 \"Contact\" — talk to a person.\n\nCommands: /book, /my, /cancel, /help.",
    menu_book: "📅 Book",
    menu_my: "📋 My booking",
    menu_contact: "💬 Contact",
    menu_help: "❓ Help",
    choose_day: "Pick a day for your interview (times are {}):",
    no_days: "There are no free slots right now. Please check later or contact us.",
    choose_time: "{}: pick a time ({}):",
    day_full: "That day is full now. Please pick another day:",
    back: "« Back",
    earlier: "« Earlier",
    later: "Later »",
    confirm_question: "Book this interview?\n\n{}",
    confirm_yes: "✅ Yes, book it",
    confirm_no: "Pick another time",
    booked: "Done, you are booked!\n\n{}\n\nI will remind you beforehand. The file below adds it to your calendar.",
    slot_taken: "That time was just taken. Here are the free ones:",
    limit_reached: "You already have a booking. Move or cancel it in \"My booking\".",
    limit_at_start: "You already have a booking:\n\n{}\n\nMove it to another time or cancel it?",
    too_late_to_book: "That time can no longer be booked. Please pick another:",
    blocked: "Booking is not available for you right now. If this is a mistake, contact us: @{}",
    no_booking: "You have no upcoming bookings.",
    your_booking: "Your booking:\n\n{}",
    cancel_button: "❌ Cancel",
    reschedule_button: "🔁 Move",
    cancel_question: "Cancel this booking?\n\n{}",
    cancel_yes: "Yes, cancel",
    cancel_no: "No, keep it",
    cancelled: "Your booking is cancelled. Hope to see you another time!",
    deadline_passed: "The interview is too close to change it here. Please contact us: @{}",
    reschedule_choose_day: "Pick a new day (your booking stays until you pick the new time):",
    rescheduled: "Your booking is moved!\n\n{}",
    stale_button: "That button is out of date. Here is the current menu:",
    contact: "Message us on Telegram: @{}",
    contact_button: "Message @{}",
    not_understood: "I only understand buttons and commands. What would you like to do?",
    inbox_received: "Thank you! Your message has been passed on to a recruiter; the reply will come here, in this chat.",
    reply_heading: "💬 A recruiter's reply:",
    admin_new_message: "New message from {}: {}",
    photo: "📷 Photo",
    document: "📎 {}",
    reminder_day: "Reminder: your interview is tomorrow.\n\n{}",
    reminder_soon: "Reminder: your interview is soon.\n\n{}",
    will_you_come: "Will you come?",
    answer_by: "Please answer by {}: without a confirmation we will free this time for other candidates.",
    coming_yes: "✅ Yes, I'll come",
    coming_no: "❌ I can't",
    thanks_coming: "Thank you! See you there.",
    admin_cancelled: "Unfortunately, your interview on {} has been cancelled.",
    slot_changed: "Your interview has been moved.\n\n{}",
    reason: "Reason",
    when: "When",
    format: "Format",
    place: "Where",
    calendar_file: "Add to calendar",
    calendar_summary: "Interview",
    book_again: "📅 Book again",
    calendar_cancelled: "Remove from calendar",
    minutes: "min",
    admin_new_booking: "New booking: {} — {}",
    admin_cancelled_booking: "Booking cancelled: {} — {}",
    admin_approval_request: "🙋 {} asks to book again after no-shows ({}). Decide in the panel: «Waitlist» → «Requests to book».",
    wait_button: "🔔 Tell me when a time frees up",
    wait_prefs: "When suits you? Tick the days and parts of the day and press «Done», or just «Any time».\n\nAs soon as a suitable time frees up, I will offer it to you.",
    wait_any: "Any time",
    wait_done: "Done",
    wait_joined: "Done, you are on the waitlist, place {}. Suitable time: {}.\n\nAs soon as a suitable time frees up, I will send you an offer and hold it for you for {} min.",
    wait_place: "You are on the waitlist, place {}. Suitable time: {}.\n\nAs soon as a suitable time frees up, I will send you an offer.",
    wait_any_time: "any",
    wait_leave: "Leave the waitlist",
    wait_left: "You are no longer on the waitlist. You can book any time.",
    offer: "🔔 A time for the interview has freed up:\n\n{}\n\nI am holding it for you until {}. Shall I book it for you?",
    offer_take: "✅ Take it",
    offer_decline: "No, thanks",
    offer_declined: "All right, I will offer this time to the next person. You stay on the waitlist.",
    offer_expired: "The time {} is no longer held for you: there was no answer. You stay on the waitlist; I will write when another time frees up.",
    offer_withdrawn: "The time {} I offered you is no longer available. You stay on the waitlist.",
    offer_gone: "This offer is no longer valid. You stay on the waitlist; I will write when another time frees up.",
    released: "You did not confirm that you would come, so we have freed the time {} for other candidates. If you still want to come, please book again; you are welcome.",
    approval_needed: "You missed interviews ({}), so a recruiter must approve a new booking. Press the button and I will pass your request on.",
    approval_ask: "Ask for approval",
    approval_requested: "Your request is with a recruiter. I will write as soon as they answer.",
    approval_waiting: "Your request is already with a recruiter. I will write as soon as they answer.",
    approval_granted: "A recruiter has allowed you to book. Please choose a time:",
    approval_refused: "Unfortunately, a recruiter did not allow a new booking. If you have questions, please write to us.",
    parts: ["morning", "afternoon", "evening"],
    formats: &[("online", "online"), ("offline", "in the office"), ("office", "in the office"), ("phone", "by phone")],
    zones: &[
        ("Europe/Kaliningrad", "Kaliningrad time"),
        ("Europe/Moscow", "Moscow time"),
        ("Europe/Simferopol", "Moscow time"),
        ("Europe/Samara", "Samara time"),
        ("Asia/Yekaterinburg", "Yekaterinburg time"),
        ("Asia/Omsk", "Omsk time"),
        ("Asia/Novosibirsk", "Novosibirsk time"),
        ("Asia/Krasnoyarsk", "Krasnoyarsk time"),
        ("Asia/Irkutsk", "Irkutsk time"),
        ("Asia/Yakutsk", "Yakutsk time"),
        ("Asia/Vladivostok", "Vladivostok time"),
        ("Asia/Magadan", "Magadan time"),
        ("Asia/Kamchatka", "Kamchatka time"),
        ("Europe/Minsk", "Minsk time"),
    ],
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    free_places: "{} free",
    commands: [
        ("start", "Main menu"),
        ("book", "Book an interview"),
        ("my", "My booking"),
        ("cancel", "Cancel my booking"),
        ("help", "Help"),
    ],
};

/// Fills the `{}` placeholders of `template` in order.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

/// Escapes text for Telegram HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

impl Texts {
    /// "пн, 2 декабря" / "Mon, 2 December".
    pub fn day(&self, date: NaiveDate) -> String {
        let wd = self.weekdays[date.weekday().num_days_from_monday() as usize];
        format!("{wd}, {} {}", date.day(), self.months[date.month0() as usize])
    }

    /// "ср, 2 декабря, 10:00 по московскому времени" / "Wed, 2 December, 10:00 Moscow time";
    /// another zone by its city and its UTC offset at that moment: "(Berlin, UTC+1)".
    pub fn when(&self, t: DateTime<Utc>, tz: Tz) -> String {
        let local = t.with_timezone(&tz);
        format!("{}, {} {}", self.day(local.date_naive()), local.format("%H:%M"), self.zone(t, tz))
    }

    /// An interview format as people say it: the panel's choices translated, anything else as
    /// the recruiter wrote it.
    pub fn format_label(&self, format: &str) -> String {
        let key = format.trim().to_lowercase();
        match self.formats.iter().find(|(value, _)| *value == key) {
            Some((_, label)) => (*label).to_owned(),
            None => format.to_owned(),
        }
    }

    /// The zone for a sentence: "по московскому времени", or "London, UTC+0".
    pub fn zone_phrase(&self, t: DateTime<Utc>, tz: Tz) -> String {
        self.zone(t, tz).trim_matches(['(', ')']).to_owned()
    }

    /// The zone as people say it, at the moment `t` (so summer time shows its own offset).
    pub fn zone(&self, t: DateTime<Utc>, tz: Tz) -> String {
        if let Some((_, name)) = self.zones.iter().find(|(iana, _)| *iana == tz.name()) {
            return (*name).to_owned();
        }
        let city = tz.name().rsplit('/').next().unwrap_or(tz.name()).replace('_', " ");
        let seconds = t.with_timezone(&tz).offset().fix().local_minus_utc();
        let sign = if seconds < 0 { '-' } else { '+' };
        let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        let offset = if minutes == 0 { format!("{hours}") } else { format!("{hours}:{minutes:02}") };
        format!("({city}, UTC{sign}{offset})")
    }

    /// Waitlist preferences as a phrase: "пн, ср; утро, вечер", or "любое".
    pub fn preferences(&self, p: core_logic::waitlist::Preferences) -> String {
        let days: Vec<&str> = p.weekdays().iter().map(|d| self.weekdays[usize::from(*d) - 1]).collect();
        let parts: Vec<&str> = p.part_list().iter().map(|part| self.parts[*part as usize]).collect();
        match (days.is_empty(), parts.is_empty()) {
            (true, true) => self.wait_any_time.to_owned(),
            (false, true) => days.join(", "),
            (true, false) => parts.join(", "),
            (false, false) => format!("{}; {}", days.join(", "), parts.join(", ")),
        }
    }

    /// The details of an interview, as HTML lines.
    pub fn interview(
        &self,
        starts_at: DateTime<Utc>,
        tz: Tz,
        duration: i64,
        format: &str,
        location: Option<&str>,
    ) -> String {
        let minutes = self.minutes;
        let mut s = format!(
            "🗓 <b>{}:</b> {}, {duration} {minutes}\n💻 <b>{}:</b> {}",
            self.when,
            self.when(starts_at, tz),
            self.format,
            escape(&self.format_label(format))
        );
        if let Some(place) = location.filter(|l| !l.trim().is_empty()) {
            s.push_str(&format!("\n📍 <b>{}:</b> {}", self.place, escape(place)));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(fill("{} and {}", &["a", "b"]), "a and b");
        assert_eq!(fill("no args", &[]), "no args");
        assert_eq!(fill("{} {}", &["only"]), "only ");
    }

    #[test]
    fn times_are_shown_in_the_zone_and_named() {
        let t = Utc.with_ymd_and_hms(2026, 12, 2, 7, 0, 0).unwrap();
        assert_eq!(RU.when(t, chrono_tz::Europe::Moscow), "ср, 2 декабря, 10:00 по московскому времени");
        assert_eq!(RU.format_label("online"), "онлайн");
        assert_eq!(RU.format_label("Offline"), "в офисе");
        assert_eq!(EN.format_label("phone"), "by phone");
        assert_eq!(RU.format_label("Zoom, ссылка придёт"), "Zoom, ссылка придёт");
        assert_eq!(EN.when(t, chrono_tz::Europe::Moscow), "Wed, 2 December, 10:00 Moscow time");
        assert_eq!(EN.when(t, chrono_tz::Europe::London), "Wed, 2 December, 07:00 (London, UTC+0)");
        // The offset of the moment shown: London in summer is an hour ahead of UTC.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 7, 0, 0).unwrap();
        assert_eq!(RU.zone(summer, chrono_tz::Europe::London), "(London, UTC+1)");
        assert_eq!(RU.zone(summer, chrono_tz::America::New_York), "(New York, UTC-4)");
        assert_eq!(EN.zone(summer, chrono_tz::Asia::Kolkata), "(Kolkata, UTC+5:30)");
    }

    #[test]
    fn both_languages_name_the_same_commands() {
        let ru: Vec<_> = RU.commands.iter().map(|c| c.0).collect();
        let en: Vec<_> = EN.commands.iter().map(|c| c.0).collect();
        assert_eq!(ru, en);
    }
}
