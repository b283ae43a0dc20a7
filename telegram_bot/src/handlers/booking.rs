//! Booking: the days with free places, the free times of a day, the confirmation, the booking.
//! With `moving` set (a booking's "move" button), the same steps move that booking instead.

use chrono::{NaiveDate, Utc};
use core_logic::bookings::{self, BookingWithSlot};
use core_logic::models::SlotWithCounts;
use core_logic::{ConflictKind, Error, invites, slots};
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::InputFile;

use super::{Ctx, HandlerResult, Incoming, my_booking, vacancy, waitlist};
use crate::callback::Callback;
use crate::ics::Method;
use crate::keyboards;
use crate::texts::fill;

/// `/book` and the book menu button.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|m: Incoming| m.is_command("book") || m.is_button(|t| t.menu_book))
        .endpoint(|ctx: Ctx| async move { vacancy::start_booking(&ctx).await })
}

/// The steps' buttons: a broadcast's "Записаться", days, a day, a time, the confirmation.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|cb: Callback| {
        matches!(
            cb,
            Callback::Book
                | Callback::Days { .. }
                | Callback::Day { .. }
                | Callback::Pick { .. }
                | Callback::Confirm { .. }
        )
    })
    .endpoint(|ctx: Ctx, cb: Callback| async move {
        match cb {
            // The button is under a broadcast, which stays: the day picker comes as a new message.
            Callback::Book => vacancy::start_booking(&ctx.in_new_message()).await,
            Callback::Days { page, moving } => show_days(&ctx, page, moving).await,
            Callback::Day { date, moving } => show_times(&ctx, date, moving, None).await,
            Callback::Pick { slot, moving } => pick(&ctx, slot, moving).await,
            Callback::Confirm { slot, moving } => confirm(&ctx, slot, moving).await,
            // Another flow's button: the filter above lets only these through.
            _ => Ok(()),
        }
    })
}

/// The slots a candidate may book now: for the vacancy of the booking being moved, else for the
/// candidate's current vacancy (and the "any vacancy" slots).
async fn bookable(ctx: &Ctx, moving: Option<i64>) -> anyhow::Result<Vec<SlotWithCounts>> {
    let config = &ctx.state.config;
    let now = Utc::now();
    let until = config.booking.horizon_end(now);
    let vacancy = match moving {
        Some(id) => bookings::get(ctx.pool(), id).await.ok().and_then(|b| b.booking.vacancy_id),
        None => invites::current_vacancy(ctx.pool(), ctx.candidate.id).await?,
    };
    Ok(slots::list_bookable(ctx.pool(), &config.booking, vacancy, now, until).await?)
}

pub(super) async fn show_days(ctx: &Ctx, page: u8, moving: Option<i64>) -> HandlerResult {
    if ctx.refuse_blocked().await? {
        return Ok(());
    }
    if moving.is_none() && waitlist::refuse_without_approval(ctx).await? {
        return Ok(());
    }
    let (t, tz) = (ctx.t, ctx.tz());
    let slots = bookable(ctx, moving).await?;
    let days: Vec<NaiveDate> = keyboards::by_day(&slots, tz).into_keys().collect();
    if days.is_empty() {
        let keyboard = match moving {
            None => keyboards::no_days(t, ctx.contact_name()),
            Some(_) => keyboards::contact(t, ctx.contact_name()),
        };
        return ctx.reply(t.no_days.to_owned(), Some(keyboard)).await;
    }
    if moving.is_none() && limit_reached(ctx).await? {
        return Ok(());
    }
    let zone = t.zone_phrase(Utc::now(), tz);
    let title = if moving.is_some() { t.reschedule_choose_day.to_owned() } else { fill(t.choose_day, &[&zone]) };
    ctx.reply(title, Some(keyboards::days(t, &days, page, moving))).await
}

/// A candidate who already holds every booking allowed is shown the first of them, with the
/// buttons to move or cancel it, before picking a day that could never be booked. True when so.
pub(super) async fn limit_reached(ctx: &Ctx) -> anyhow::Result<bool> {
    let upcoming = bookings::active_upcoming_for_candidate(ctx.pool(), ctx.candidate.id, Utc::now()).await?;
    let max = usize::try_from(ctx.state.config.booking.max_active_bookings).unwrap_or(usize::MAX);
    let Some(first) = upcoming.first().filter(|_| upcoming.len() >= max) else { return Ok(false) };
    let (t, s) = (ctx.t, &first.slot);
    let details = t.interview(s.starts_at, ctx.tz(), s.duration_minutes, &s.format, s.location.as_deref());
    ctx.reply(fill(t.limit_at_start, &[&details]), Some(keyboards::booking_actions(t, first.booking.id))).await?;
    Ok(true)
}

/// The free times of `date`, after `notice` when there is one; the days again when that day has
/// filled up meanwhile.
async fn show_times(ctx: &Ctx, date: NaiveDate, moving: Option<i64>, notice: Option<&str>) -> HandlerResult {
    let (t, tz) = (ctx.t, ctx.tz());
    let slots = bookable(ctx, moving).await?;
    let by_day = keyboards::by_day(&slots, tz);
    match by_day.get(&date) {
        Some(day) => {
            let mut text = fill(t.choose_time, &[&t.day(date), &t.zone_phrase(Utc::now(), tz)]);
            if let Some(notice) = notice {
                text = format!("{notice}\n\n{text}");
            }
            ctx.reply(text, Some(keyboards::times(t, day, tz, moving))).await
        }
        None => {
            let days: Vec<NaiveDate> = by_day.into_keys().collect();
            if days.is_empty() {
                let keyboard = moving.is_none().then(|| keyboards::no_days(t, ctx.contact_name()));
                return ctx.reply(t.no_days.to_owned(), keyboard).await;
            }
            let text = notice.map_or_else(|| t.day_full.to_owned(), |n| format!("{n}\n\n{}", t.day_full));
            ctx.reply(text, Some(keyboards::days(t, &days, 0, moving))).await
        }
    }
}

/// The slot is no longer bookable: "taken" over the free times of its day, or the days when the
/// slot is gone altogether.
async fn slot_taken(ctx: &Ctx, slot_id: i64, moving: Option<i64>) -> HandlerResult {
    match slots::get(ctx.pool(), slot_id).await {
        Ok(s) => {
            let date = s.slot.starts_at.with_timezone(&ctx.tz()).date_naive();
            show_times(ctx, date, moving, Some(ctx.t.slot_taken)).await
        }
        Err(_) => show_days(ctx, 0, moving).await,
    }
}

/// A time was picked: ask to confirm it.
async fn pick(ctx: &Ctx, slot_id: i64, moving: Option<i64>) -> HandlerResult {
    if ctx.refuse_blocked().await? {
        return Ok(());
    }
    let Some(slot) = bookable(ctx, moving).await?.into_iter().find(|s| s.slot.id == slot_id) else {
        return slot_taken(ctx, slot_id, moving).await;
    };
    let s = &slot.slot;
    let details = ctx.t.interview(s.starts_at, ctx.tz(), s.duration_minutes, &s.format, s.location.as_deref());
    let text = fill(ctx.t.confirm_question, &[&details]);
    ctx.reply(text, Some(keyboards::confirm(ctx.t, slot_id, moving))).await
}

/// Confirmed: book the slot (or move the booking to it), then send the calendar file and tell
/// the admins; or explain why not.
async fn confirm(ctx: &Ctx, slot_id: i64, moving: Option<i64>) -> HandlerResult {
    if ctx.refuse_blocked().await? {
        return Ok(());
    }
    let (rules, c, now) = (&ctx.state.config.booking, &ctx.candidate, Utc::now());
    let result = match moving {
        None => bookings::book(ctx.pool(), rules, c.id, slot_id, now).await,
        Some(old) => bookings::reschedule(ctx.pool(), rules, c.id, old, slot_id, now).await,
    };
    match result {
        Ok(booked) => self::booked(ctx, &booked, moving.is_some()).await,
        Err(err) => refused(ctx, err, slot_id, moving).await,
    }
}

/// Booked (or `moved`): the confirmation with the details, the calendar file, the admins told.
pub(super) async fn booked(ctx: &Ctx, booked: &BookingWithSlot, moved: bool) -> HandlerResult {
    let (t, s) = (ctx.t, &booked.slot);
    let mut details = t.interview(s.starts_at, ctx.tz(), s.duration_minutes, &s.format, s.location.as_deref());
    details.push_str(&vacancy::line(ctx, booked.booking.vacancy_id, booked.slot.id).await);
    let template = if moved { t.rescheduled } else { t.booked };
    ctx.reply(fill(template, &[&details]), None).await?;
    send_calendar(ctx, booked, Method::Publish).await;
    ctx.notify_admins(booked, false).await;
    Ok(())
}

/// The booking rules said no: the answer for each reason.
async fn refused(ctx: &Ctx, err: Error, slot_id: i64, moving: Option<i64>) -> HandlerResult {
    match err.conflict_kind() {
        Some(ConflictKind::BookingLimitReached) => {
            ctx.reply(ctx.t.limit_reached.to_owned(), None).await?;
            my_booking::show_my(&ctx.in_new_message()).await
        }
        Some(ConflictKind::DeadlinePassed) => ctx.deadline_passed().await,
        Some(ConflictKind::CandidateNotActive) => ctx.refuse_blocked().await.map(drop),
        Some(ConflictKind::ApprovalRequired) => waitlist::refuse_without_approval(ctx).await.map(drop),
        // Not offered by any button the bot showed: forged, or stale by now.
        Some(ConflictKind::BookingNotActive | ConflictKind::BeyondHorizon | ConflictKind::TooLateToBook) => {
            ctx.stale().await
        }
        Some(_) | None if !matches!(err, Error::Db(_)) => match err {
            Error::NotFound { entity: "booking", .. } => ctx.stale().await,
            _ => slot_taken(ctx, slot_id, moving).await,
        },
        _ => Err(err.into()),
    }
}

/// Sends the booking's calendar event as an .ics file: `Publish` after a booking or a move (the
/// same UID one sequence higher, so the candidate's calendar moves the event rather than adding
/// a second one), `Cancel` after a cancellation, with the button to book again.
pub(super) async fn send_calendar(ctx: &Ctx, booked: &BookingWithSlot, method: Method) {
    let event = match bookings::calendar_event_of(ctx.pool(), booked).await {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(%err, "could not read the booking's calendar event");
            return;
        }
    };
    let ics = crate::ics::file(method, &event, ctx.t.calendar_summary, Utc::now());
    let file = InputFile::memory(ics.into_bytes()).file_name("interview.ics");
    let request = ctx.bot.send_document(ctx.chat, file);
    let sent = match method {
        Method::Publish => request.caption(ctx.t.calendar_file).await,
        Method::Cancel => request.caption(ctx.t.calendar_cancelled).reply_markup(keyboards::book_again(ctx.t)).await,
    };
    if let Err(err) = sent {
        tracing::warn!(%err, "could not send the calendar file");
    }
}
