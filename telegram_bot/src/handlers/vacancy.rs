//! Vacancies and their questionnaires: where the booking flow begins. With several active
//! vacancies the candidate picks one (its description on request); with one it is taken without
//! a step; with none the flow goes straight to the days. A vacancy's questions are then asked
//! one by one, each answer stored at once (a restart resumes at the same question), and a
//! completed questionnaire is not asked again. Invitation links (`start.rs`) enter a vacancy
//! directly, skipping the choice.

use chrono::Utc;
use core_logic::invites;
use core_logic::models::VacancyStatus;
use core_logic::questionnaire::{self, Answer, Invalid, Progress, Question, QuestionKind};
use core_logic::vacancies::{self, Vacancy};
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup};

use super::{Ctx, HandlerResult, Incoming, booking};
use crate::callback::Callback;
use crate::keyboards;
use crate::texts::{escape, fill};

fn button(text: impl Into<String>, cb: Callback) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, cb.encode())
}

/// The vacancy list, a vacancy's description, a choice, and the questionnaire's buttons.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|cb: Callback| {
        matches!(
            cb,
            Callback::Vacancies | Callback::Vacancy { .. } | Callback::VacancyInfo { .. } | Callback::Answer { .. }
        )
    })
    .endpoint(|ctx: Ctx, cb: Callback| async move {
        match cb {
            Callback::Vacancies => show_vacancies(&ctx).await,
            Callback::Vacancy { vacancy } => match active(&ctx, vacancy).await? {
                Some(v) => enter(&ctx, &v).await,
                None => closed(&ctx).await,
            },
            Callback::VacancyInfo { vacancy } => match active(&ctx, vacancy).await? {
                Some(v) => describe(&ctx, &v).await,
                None => closed(&ctx).await,
            },
            Callback::Answer { vacancy, step, option } => pressed(&ctx, vacancy, step, option).await,
            // Another flow's button: the filter above lets only these through.
            _ => Ok(()),
        }
    })
}

/// Typed answers (and a shared contact) while a questionnaire waits for one. Placed after the
/// commands and menu buttons, so those keep working in the middle of it.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::filter_map_async(|ctx: Ctx| async move { pending(&ctx).await.ok().flatten() }).endpoint(typed)
}

async fn active(ctx: &Ctx, id: i64) -> anyhow::Result<Option<Vacancy>> {
    Ok(vacancies::get(ctx.pool(), id).await.ok().filter(|v| v.status == VacancyStatus::Active))
}

/// The start of the booking flow (the menu, `/book`, a broadcast's button).
pub(super) async fn start_booking(ctx: &Ctx) -> HandlerResult {
    if ctx.refuse_blocked().await? || booking::limit_reached(ctx).await? {
        return Ok(());
    }
    let open = vacancies::list(ctx.pool(), true).await?;
    match open.as_slice() {
        [] => booking::show_days(ctx, 0, None).await,
        [only] => enter(ctx, only).await,
        _ => show_vacancies(ctx).await,
    }
}

/// The active vacancies as buttons, each with its "details" button.
pub(super) async fn show_vacancies(ctx: &Ctx) -> HandlerResult {
    let open = vacancies::list(ctx.pool(), true).await?;
    match open.as_slice() {
        [] => return booking::show_days(ctx, 0, None).await,
        [only] => return enter(ctx, only).await,
        _ => {}
    }
    let rows = open
        .iter()
        .map(|v| {
            vec![
                button(v.title.clone(), Callback::Vacancy { vacancy: v.id }),
                button(ctx.t.vacancy_about, Callback::VacancyInfo { vacancy: v.id }),
            ]
        })
        .collect::<Vec<_>>();
    ctx.reply(ctx.t.choose_vacancy.to_owned(), Some(InlineKeyboardMarkup::new(rows))).await
}

async fn describe(ctx: &Ctx, v: &Vacancy) -> HandlerResult {
    let text = match v.description.as_deref() {
        Some(d) => format!("<b>{}</b>\n\n{}", escape(&v.title), escape(d)),
        None => fill(ctx.t.vacancy_no_description, &[&escape(&v.title)]),
    };
    let rows = vec![
        vec![button(ctx.t.vacancy_pick, Callback::Vacancy { vacancy: v.id })],
        vec![button(ctx.t.vacancy_others, Callback::Vacancies)],
    ];
    ctx.reply(text, Some(InlineKeyboardMarkup::new(rows))).await
}

async fn closed(ctx: &Ctx) -> HandlerResult {
    ctx.reply(ctx.t.vacancy_closed.to_owned(), None).await?;
    start_booking(&ctx.in_new_message()).await
}

/// Enters a vacancy: it becomes the candidate's choice, then its questionnaire (unless done)
/// and its days.
pub(super) async fn enter(ctx: &Ctx, v: &Vacancy) -> HandlerResult {
    let now = Utc::now();
    invites::choose_vacancy(ctx.pool(), ctx.candidate.id, v.id, now).await?;
    let progress = questionnaire::begin(ctx.pool(), ctx.candidate.id, v.id, v.questions.0.len(), now).await?;
    if progress.is_complete() {
        return booking::show_days(ctx, 0, None).await;
    }
    ask(ctx, v, &progress).await
}

/// The questionnaire waiting for an answer: the candidate's current vacancy, still active, with
/// its questionnaire begun and not complete.
async fn pending(ctx: &Ctx) -> anyhow::Result<Option<(Vacancy, Progress)>> {
    let Some(id) = invites::current_vacancy(ctx.pool(), ctx.candidate.id).await? else { return Ok(None) };
    let Some(v) = active(ctx, id).await? else { return Ok(None) };
    let progress = questionnaire::progress(ctx.pool(), ctx.candidate.id, id).await?;
    Ok(progress.filter(|p| !p.is_complete()).map(|p| (v, p)))
}

fn question(v: &Vacancy, step: i64) -> Option<&Question> {
    v.questions.0.get(usize::try_from(step).ok()?)
}

/// The name offered for a full-name question: a personal invitation's, else Telegram's.
async fn offered_name(ctx: &Ctx) -> String {
    if let Ok(Some(link)) = invites::personal_of(ctx.pool(), ctx.candidate.id).await {
        return link.label;
    }
    let c = &ctx.candidate;
    match &c.last_name {
        Some(last) => format!("{} {last}", c.first_name).trim().to_owned(),
        None => c.first_name.trim().to_owned(),
    }
}

/// Asks the questionnaire's next question, in a new message.
async fn ask(ctx: &Ctx, v: &Vacancy, p: &Progress) -> HandlerResult {
    let ctx = ctx.in_new_message();
    let Some(q) = question(v, p.step) else { return booking::show_days(&ctx, 0, None).await };
    let t = ctx.t;
    let total = v.questions.0.len().to_string();
    let number = (p.step + 1).to_string();
    let mut text = format!(
        "<i>{}</i>\n\n{}",
        fill(t.question_header, &[&number, &total]),
        escape(q.text_in(&ctx.candidate.language))
    );
    let hint = match q.kind {
        QuestionKind::Phone => Some(t.phone_hint),
        QuestionKind::FullName => Some(t.name_hint),
        _ => None,
    };
    if let Some(hint) = hint {
        text.push_str(&format!("\n\n{hint}"));
    }
    if q.optional {
        text.push_str(&format!("\n{}", t.question_optional));
    }
    let step = u8::try_from(p.step).unwrap_or(u8::MAX);
    let answer = |option| Callback::Answer { vacancy: v.id, step, option };
    let mut rows: Vec<Vec<InlineKeyboardButton>> = match q.kind {
        QuestionKind::FullName => vec![vec![button(format!("✅ {}", offered_name(&ctx).await), answer(Some(0)))]],
        QuestionKind::Choice => q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| vec![button(o.clone(), answer(Some(u8::try_from(i).unwrap_or(u8::MAX))))])
            .collect(),
        QuestionKind::YesNo => vec![vec![button(t.yes, answer(Some(0))), button(t.no, answer(Some(1)))]],
        QuestionKind::Phone | QuestionKind::Text => vec![],
    };
    if q.kind == QuestionKind::Phone {
        // The contact button lives in the keyboard under the input field; skipping is a
        // button there too.
        let mut keys = vec![vec![KeyboardButton::new(t.share_phone).request(ButtonRequest::Contact)]];
        if q.optional {
            keys.push(vec![KeyboardButton::new(t.skip)]);
        }
        let markup = KeyboardMarkup::new(keys).resize_keyboard().one_time_keyboard();
        return ctx.send(text, markup.into()).await;
    }
    if q.optional {
        rows.push(vec![button(t.skip, answer(None))]);
    }
    let markup = (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows));
    ctx.reply(text, markup).await
}

/// A typed answer, or a shared contact, to the question waiting.
async fn typed(ctx: Ctx, m: Incoming, (v, p): (Vacancy, Progress)) -> HandlerResult {
    let Some(q) = question(&v, p.step).cloned() else { return booking::show_days(&ctx, 0, None).await };
    let t = ctx.t;
    if q.optional && q.kind == QuestionKind::Phone && m.is_button(|t| t.skip) {
        return record(&ctx, &v, &p, &q, None).await;
    }
    let input = match (q.kind, m.own_phone()) {
        (QuestionKind::Phone, Some(phone)) => phone.to_owned(),
        _ => m.text().to_owned(),
    };
    match questionnaire::check_typed(q.kind, &input) {
        Ok(value) => record(&ctx, &v, &p, &q, Some(value)).await,
        Err(invalid) => {
            let why = match invalid {
                Invalid::Phone => t.invalid_phone.to_owned(),
                Invalid::Length { max } => fill(t.invalid_length, &[&max.to_string()]),
                Invalid::UseButtons => t.use_buttons.to_owned(),
            };
            ctx.send(why, keyboards::main_menu(t).into()).await?;
            ask(&ctx, &v, &p).await
        }
    }
}

/// A button answer: checked against the question now waiting (an old button answers nothing).
async fn pressed(ctx: &Ctx, vacancy: i64, step: u8, option: Option<u8>) -> HandlerResult {
    let Some((v, p)) = pending(ctx).await?.filter(|(v, p)| v.id == vacancy && p.step == i64::from(step)) else {
        return ctx.stale().await;
    };
    let Some(q) = question(&v, p.step).cloned() else { return ctx.stale().await };
    let t = ctx.t;
    let value = match (q.kind, option) {
        (_, None) if q.optional => None,
        (QuestionKind::FullName, Some(0)) => Some(offered_name(ctx).await),
        (QuestionKind::YesNo, Some(0)) => Some(t.yes.to_owned()),
        (QuestionKind::YesNo, Some(1)) => Some(t.no.to_owned()),
        (QuestionKind::Choice, Some(i)) => match q.options.get(usize::from(i)) {
            Some(o) => Some(o.clone()),
            None => return ctx.stale().await,
        },
        _ => return ctx.stale().await,
    };
    // The question stays on screen with the answer under it.
    let shown = value.clone().unwrap_or_else(|| t.skip.to_owned());
    let text = format!("{}\n\n<b>{}</b>", escape(q.text_in(&ctx.candidate.language)), escape(&shown));
    ctx.reply(text, None).await?;
    record(&ctx.in_new_message(), &v, &p, &q, value).await
}

/// Stores the answer and asks the next question, or ends the questionnaire with the days.
async fn record(ctx: &Ctx, v: &Vacancy, p: &Progress, q: &Question, value: Option<String>) -> HandlerResult {
    let answer = Answer { question: q.text.clone(), kind: q.kind, answer: value };
    let total = v.questions.0.len();
    let Some(next) =
        questionnaire::answer(ctx.pool(), ctx.candidate.id, v.id, p.step, total, &answer, Utc::now()).await?
    else {
        // Answered meanwhile (a double tap): show where it stands.
        return match pending(ctx).await? {
            Some((v, p)) => ask(ctx, &v, &p).await,
            None => booking::show_days(&ctx.in_new_message(), 0, None).await,
        };
    };
    if q.kind == QuestionKind::Phone {
        // Put the main menu back in place of the contact button.
        ctx.send(ctx.t.answer_saved.to_owned(), keyboards::main_menu(ctx.t).into()).await?;
    }
    if next.is_complete() {
        ctx.send(ctx.t.questionnaire_done.to_owned(), keyboards::main_menu(ctx.t).into()).await?;
        return booking::show_days(&ctx.in_new_message(), 0, None).await;
    }
    ask(ctx, v, &next).await
}

/// "Вакансия: …" for a booking's vacancy, and the interviewers' names when the vacancy shows
/// them; or nothing.
pub(super) async fn line(ctx: &Ctx, vacancy_id: Option<i64>, slot_id: i64) -> String {
    let Some(id) = vacancy_id else { return String::new() };
    let Ok(v) = vacancies::get(ctx.pool(), id).await else { return String::new() };
    let mut out = format!("\n💼 {}", fill(ctx.t.vacancy_line, &[&escape(&v.title)]));
    if v.show_interviewer
        && let Ok(people) = core_logic::interviewers::of_slot(ctx.pool(), slot_id).await
        && !people.is_empty()
    {
        let names: Vec<String> = people.iter().map(|p| escape(&p.name)).collect();
        out.push_str(&format!("\n👤 {}", fill(ctx.t.interviewer_line, &[&names.join(", ")])));
    }
    out
}
